"""Production settings: the base settings plus what a server on a network needs.

Selected by DJANGO_SETTINGS_MODULE=coop.settings_production, which is the default of
coop/wsgi.py (so an application server is in production mode unless told otherwise) and
what `make serve` uses. `python manage.py check --deploy` is clean with these settings
(tests/coop/test_production.py runs it). The environment variables are listed in
`.env.example`; docs/deploy.md shows a deployment on several machines.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from coop.settings import *  # noqa: F403
from coop.settings import CACHES, DATABASES, DEBUG, DEVELOPMENT_SECRET_KEY, MIDDLEWARE, env_bool, env_secret

# A key shorter than this is flagged by Django's deployment checks.
SECRET_KEY_MIN_LENGTH = 50


def required_secret_key() -> str:
    """The SECRET_KEY of the environment; the server does not start without a real one."""
    key = os.environ.get("SECRET_KEY", "")
    if not key or key == DEVELOPMENT_SECRET_KEY or len(key) < SECRET_KEY_MIN_LENGTH or len(set(key)) < 5:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set in the environment to a random string of at least "
            f"{SECRET_KEY_MIN_LENGTH} characters, e.g. the output of "
            '`python -c "import secrets; print(secrets.token_urlsafe(50))"`. '
            "Keep it secret and the same on every application server."
        )
    return key


if DEBUG:
    raise ImproperlyConfigured(
        "DEBUG is on in the production settings: it shows code and settings to anyone who "
        "causes an error. Unset DEBUG, or use coop.settings for local development."
    )
SECRET_KEY = required_secret_key()

# Issued documents are signed with the certificate the environment names, never with the demo one
# that coop/settings.py falls back to in development.
DOCUMENT_SIGNING_PKCS12 = os.environ.get("DOCUMENT_SIGNING_PKCS12", "")
DOCUMENT_SIGNING_PASSPHRASE = env_secret("DOCUMENT_SIGNING_PASSPHRASE")

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    raise ImproperlyConfigured(
        "Production runs on PostgreSQL: set DATABASE_URL=postgres://user:password@host:5432/name. "
        "SQLite is for trying the application on one machine (`make run`)."
    )

# The counts every application server must share (the API's requests per key) live in the database, which
# they all reach; `make serve` and docs/deploy.md create the table with `manage.py createcachetable`.
CACHES = {
    **CACHES,
    "shared": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "coop_shared_cache"},
}

# Static files with hashed names (cached for a year by browsers), compressed, served by
# whitenoise from the application servers: no separate static file server to keep in step.
_after = MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1
MIDDLEWARE = [*MIDDLEWARE[:_after], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[_after:]]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# HTTPS: on by default, the site being reached through a TLS-terminating proxy (nginx).
# HTTPS=0 only for a run on loopback (`make serve`, the two-server test), never on a network.
HTTPS = env_bool("HTTPS", True)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 60 * 60))) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
# The health check is asked for by the load balancer over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Proxies in front of the application (nginx: 1). They set X-Forwarded-Proto and append the
# client's address to X-Forwarded-For; with no proxy those headers come from the client and
# must not be believed.
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "1"))
if PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Failed logins are counted per client address, not per proxy address: coop.auth.client_address.
