"""Web UI views: small functions that read through selectors and write through services.

One module per area (``home``, ``members``, ``invitations``, ``audit``, ``tokens``);
``urls.py`` imports the modules directly.
"""
