"""ASGI entry point for application servers."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coop.settings")

application = get_asgi_application()
