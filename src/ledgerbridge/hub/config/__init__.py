"""Project configuration: settings read from the environment, URL root, WSGI entry."""
