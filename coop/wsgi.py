"""WSGI entry point for application servers."""

import os

from django.core.wsgi import get_wsgi_application

# An application server runs the production settings unless told otherwise: a server
# started without configuration refuses to run rather than run insecurely.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coop.settings_production")

application = get_wsgi_application()
