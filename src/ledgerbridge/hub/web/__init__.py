"""The web UI: server-rendered pages with htmx partials, no JavaScript build step."""
