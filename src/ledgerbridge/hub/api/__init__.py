"""The HTTP API (django-ninja): one router per domain app, OpenAPI 3 at ``/api/v1/openapi.json``."""
