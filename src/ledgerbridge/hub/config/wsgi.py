"""WSGI entry point used by granian (``ledgerbridge serve``)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ledgerbridge.hub.config.settings")
application = get_wsgi_application()
