"""Settings of the cooperation-programme tracker.

Everything that differs between a developer's laptop and production is read from
the environment (see `.env.example`); the defaults give a working first run on
SQLite with nothing to configure.
"""

import os
import socket
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

# A fixed key is acceptable only for local runs and tests; the production settings
# (coop/settings_production.py) refuse to start without a real SECRET_KEY.
DEVELOPMENT_SECRET_KEY = "insecure-development-key-change-me"
SECRET_KEY = os.environ.get("SECRET_KEY") or DEVELOPMENT_SECRET_KEY


def served_at(address: str) -> tuple[str, str]:
    """The host name and port others reach a development server at, from runserver's address argument.

    "8000" is loopback; "0", "0.0.0.0" and "[::]" listen on every interface, where others reach the
    machine by its name.
    """
    host, _, port = address.rpartition(":")
    if host in {"0", "0.0.0.0", "[::]", "::"}:
        host = socket.getfqdn()
    return host or "127.0.0.1", port


# `make run HOST=...` passes the development server's address on, so that links in e-mails and the
# allowed host names follow it without further settings.
DEV_SERVER_HOST, DEV_SERVER_PORT = served_at(os.environ.get("DEV_SERVER_ADDRESS", "127.0.0.1:8000"))

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ",".join(dict.fromkeys(["127.0.0.1", "localhost", "[::1]", DEV_SERVER_HOST])))
# Origins (scheme and host) allowed to post forms, needed when a proxy terminates TLS:
# e.g. https://coop.example.gov.vn
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    # The sitemap of the public pages (/sitemap.xml, opendata/sitemaps.py).
    "django.contrib.sitemaps",
    "django_filters",
    "django_tables2",
    "simple_history",
    # The read-only API (api/): Django REST framework, its OpenAPI schema, and the schema's viewer served from
    # static files (the sidecar package), not from a CDN.
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Counts failed logins and locks out whoever keeps guessing (see AXES_* below).
    "axes",
    # Loads each app's rules.py: the object-level permissions (who may change which record).
    "rules.apps.AutodiscoverRulesConfig",
    "coop",
    "programmes",
    "tasks",
    # The reporting calendar: periods, who is late, reminders (`send_reminders`).
    "reporting",
    # Spreadsheets in: templates, upload → preview → confirm (imports/).
    "imports",
    "reports",
    # The read-only API at /api/v1/ (api/), on the same scoping rules as the pages; nothing imports it.
    "api",
    # Published programmes for everyone: /public/ pages and the bulk downloads at /open-data/ (opendata/).
    "opendata",
    # The demo and the synthetic data with their commands; no other app imports it.
    "seed",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # What a request works out once, such as the ids of the tasks a province's user may see.
    "coop.request_memo.RequestMemoMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "coop.middleware.IdleSessionMiddleware",
    "coop.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "coop.middleware.SiteNotFoundPageMiddleware",
    # Nothing a logged-in user is sent is kept by a browser's or a proxy's cache.
    "coop.middleware.PrivateCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records who made each change in the history tables.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: turns a locked-out login into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "coop.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "coop.context_processors.user_role",
                "tasks.context_processors.progress_work",
            ],
        },
    },
]

WSGI_APPLICATION = "coop.wsgi.application"

# An SQLite file in the project folder unless DATABASE_URL says otherwise
# (postgres://user@host:5432/name in production and CI).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}

# Two caches. "default", in the memory of each process, keeps figures and pages that every process may
# compute for itself (coop/figure_cache.py). "shared" holds counts that must be the same for every process
# of every server, the API's requests per key (coop.api_tokens): the production settings put it in the
# database (`manage.py createcachetable`); one development server needs no more than its memory.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "coop-default"},
    "shared": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "coop-shared"},
}

# PostgreSQL's default cost of a random page read (4) is that of a spinning disk. The tables of a
# national system (a few hundred MB) sit in memory or on SSD, where an index lookup costs about as
# much as a sequential read; at 4, the planner read all 50,000 tasks to find a province's 800
# (25 ms instead of 2 in every filter of a provincial user's page). Set per connection so that no
# database setting is needed; behind PgBouncer, list `options` in its ignore_startup_parameters or
# set it on the database instead (docs/deploy.md).
# JIT compilation is off too: a list's page query with its per-row counts (the programme list) is costed
# above jit_above_cost, and compiling it took 18 of its 26 ms; the queries of a page are short, and a
# report's long ones gain little from it either.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    RANDOM_PAGE_COST = os.environ.get("POSTGRES_RANDOM_PAGE_COST", "1.1")
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = f"-c random_page_cost={RANDOM_PAGE_COST} -c jit=off"

# --- Background reports (django-tasks): begin ---
# Long PDF reports are drawn by a worker process (`manage.py db_worker`) from a queue kept in the
# database (reports/background.py). A programme review or a task list of at least this many tasks
# goes to the background; a smaller one is drawn within the request (under 3 s: docs/benchmarks.md).
INSTALLED_APPS += ["django_tasks", "django_tasks_db"]
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
REPORT_BACKGROUND_MIN_TASKS = int(os.environ.get("REPORT_BACKGROUND_MIN_TASKS", "125"))
# A list's export of this many rows or more is written by the worker (coop/background.py), never within a request:
# 10,000 tasks take a few seconds in CSV and about ten in XLSX, far from gunicorn's timeout even two at once.
EXPORT_BACKGROUND_MIN_ROWS = int(os.environ.get("EXPORT_BACKGROUND_MIN_ROWS", "10000"))
# On SQLite the web process and the worker write to the same file. WAL lets pages read while the
# worker writes; IMMEDIATE transactions take the write lock when they begin, so two writers wait
# their turn (up to `timeout` seconds) instead of failing with "database is locked".
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL", "transaction_mode": "IMMEDIATE", "timeout": 20}
    )
# --- Background reports: end ---

# SQLite (development) builds the covering index of the task list's funding sums without its
# included columns; PostgreSQL, where the time matters, has them (tasks.models.Task.Meta.indexes).
SILENCED_SYSTEM_CHECKS = ["models.W040"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "coop.User"
# Object rules first (may this user change this task?), then the roles' model permissions.
# django-axes first, so that a locked-out user is refused before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "coop.auth.OneQueryModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Failed logins: after AXES_FAILURE_LIMIT wrong passwords for one user name from one address,
# that pair is locked out for AXES_COOLOFF_TIME. Locking the user name alone would let anyone
# lock a colleague out; locking the address alone would lock out a whole office behind one NAT.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "coop.auth.locked_out"
AXES_USERNAME_CALLABLE = "coop.auth.login_username"
# The client's address, from X-Forwarded-For as the PROXY_COUNT proxies in front deliver it.
AXES_CLIENT_IP_CALLABLE = "coop.auth.client_address"
# Proxies in front of the application; none in development (settings_production.py reads the environment).
PROXY_COUNT = 0
# Failed logins and lock-outs are logged as warnings (logger "axes"); successful ones are not.
AXES_VERBOSE = False

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Vietnamese first, English second. Source strings are English; the Vietnamese
# catalogue ships compiled so that a machine without GNU gettext still shows it.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
# Django's own vi formats neither group thousands nor read dd/mm/yyyy input.
FORMAT_MODULE_PATH = ["coop.formats"]
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Uploaded and issued files are never served from MEDIA_URL: only through views that check the
# user's scope (programmes.views.AttachmentDownloadView, reports' download view).
# The largest meeting document accepted (programmes/uploads.py).
ATTACHMENT_MAX_BYTES = int(os.environ.get("ATTACHMENT_MAX_BYTES", str(20 * 1000 * 1000)))
# The largest spreadsheet accepted for import (imports/spreadsheet.py), checked before the file is read; a
# file of 10,000 rows, the most one import takes, is about 1 MB as XLSX and 2 MB as CSV.
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(5 * 1000 * 1000)))
# From this size a file is checked and written by the background worker, with a progress page: about
# 1,000 rows, which take a few seconds to check.
IMPORT_BACKGROUND_MIN_BYTES = int(os.environ.get("IMPORT_BACKGROUND_MIN_BYTES", str(100 * 1000)))

# Security headers. Content-Security-Policy: scripts, styles, fonts and images come from the
# application itself; no page has an inline script or a style="" attribute. The one inline
# <style> allowed is the one in the dashboard's head with its server-drawn charts' stylesheets, which
# carries the response's nonce (reports/templatetags/chart_embed.py). Bootstrap's CSS draws a few icons
# as data: images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", NONCE],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# The read-only API (api/): API keys (coop.api_tokens) for other systems, the session for the browsable
# documentation; every list walked by cursor; every error a JSON object (api.errors).
API_THROTTLE_RATE = os.environ.get("API_THROTTLE_RATE", "120/minute")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "coop.api_tokens.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["coop.api_tokens.ApiTokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api_token": API_THROTTLE_RATE},
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["api.filters.GivenFiltersBackend"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.StableCursorPagination",
    "PAGE_SIZE": 100,
    "EXCEPTION_HANDLER": "api.errors.json_error_handler",
    "COERCE_DECIMAL_TO_STRING": False,
    "DATETIME_FORMAT": "iso-8601",
    "DATE_FORMAT": "iso-8601",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": _("Cooperation-programme tracker API"),
    "DESCRIPTION": _(
        "Read-only access to the S&T cooperation programmes, their parties, tasks, outputs, progress reports, "
        "meetings and issued documents, with the same scope as the pages: a key sees what its user sees. "
        "Lists are read page by page with the cursor of their next link."
    ),
    "VERSION": "1.0.0",
    # OpenAPI 3.1 (JSON Schema 2020-12): an empty reference reads `oneOf: [{$ref}, {type: null}]`, which every
    # validator understands, where 3.0 has only `nullable` beside an `allOf`, which strict readers refuse.
    "OAS_VERSION": "3.1.0",
    # Tags and operation names from the path after the version: "tasks", "tasks_list".
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # The schema describes what the data holds: like every page, it is read by those who have logged in (or hold a key).
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Several models have a `status` or a `kind`, each with its own choices: each enum is named after its choices.
    "ENUM_NAME_OVERRIDES": {
        "AgencyKindEnum": "programmes.choices.AgencyKind",
        "ProgrammeKindEnum": "programmes.choices.ProgrammeKind",
        "ProgrammeStatusEnum": "programmes.choices.ProgrammeStatus",
        "PartyRoleEnum": "programmes.choices.PartyRole",
        "OutputKindEnum": "programmes.choices.OutputKind",
        "TargetMetricEnum": "programmes.choices.TargetMetric",
        "MeetingKindEnum": "programmes.choices.MeetingKind",
        "AttendanceRoleEnum": "programmes.choices.AttendanceRole",
        "RecommendationStatusEnum": "programmes.choices.RecommendationStatus",
        "TaskFieldEnum": "tasks.choices.TaskField",
        "TaskLevelEnum": "tasks.choices.TaskLevel",
        "TaskStatusEnum": "tasks.choices.TaskStatus",
        "FundingSourceEnum": "tasks.choices.FundingSource",
        "ProgressReportStatusEnum": "tasks.choices.ReportStatus",
        "OutputStatusEnum": "tasks.choices.OutputStatus",
        "ReportKindEnum": "reports.choices.ReportKind",
        "DocumentStateEnum": "reports.choices.DocumentState",
        "SigningAuthorityEnum": "reports.choices.SigningAuthority",
    },
}

X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
# No page's script reads the CSRF cookie (forms carry the token in a hidden field).
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_HTTPONLY = True

# --- Signing of issued documents: begin ---
# Issued review documents are signed (PAdES) with the key of a PKCS#12 file (reports/signing.py);
# without one they are issued unsigned. The passphrase is given itself or, better, as a file that the
# service alone may read (DOCUMENT_SIGNING_PASSPHRASE_FILE, e.g. a systemd credential).


def env_secret(name: str) -> str:
    """The value of `name` in the environment, or the content of the file that `name`_FILE names ("" if neither)."""
    value = os.environ.get(name)
    if value is not None:
        return value
    path = os.environ.get(f"{name}_FILE")
    if not path:
        return ""
    try:
        return Path(path).read_text(encoding="utf-8").rstrip("\r\n")
    except OSError as error:
        raise ImproperlyConfigured(f"{name}_FILE names a file that cannot be read: {error}") from error


# Where `manage.py create_demo_certificate` writes a demo certificate: outside the repository, so that
# no key is ever committed.
DOCUMENT_SIGNING_DEMO_DIRECTORY = (
    Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "coop-tracker" / "signing"
)
DOCUMENT_SIGNING_PKCS12 = os.environ.get("DOCUMENT_SIGNING_PKCS12", "")
DOCUMENT_SIGNING_PASSPHRASE = env_secret("DOCUMENT_SIGNING_PASSPHRASE")
# In development, the demo certificate when it has been made and the environment names no other
# (coop/settings_production.py takes only what the environment says).
_demo_pkcs12 = DOCUMENT_SIGNING_DEMO_DIRECTORY / "demo-agency.p12"
if "DOCUMENT_SIGNING_PKCS12" not in os.environ and _demo_pkcs12.is_file():
    DOCUMENT_SIGNING_PKCS12 = str(_demo_pkcs12)
    if not DOCUMENT_SIGNING_PASSPHRASE:
        _demo_passphrase = DOCUMENT_SIGNING_DEMO_DIRECTORY / "demo-agency.passphrase"
        DOCUMENT_SIGNING_PASSPHRASE = _demo_passphrase.read_text().strip() if _demo_passphrase.is_file() else ""
# --- Signing of issued documents: end ---

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "no-reply@coop.localhost")
# The address users open the application at, for links in e-mails sent outside a request.
SITE_URL = os.environ.get("SITE_URL", f"http://{DEV_SERVER_HOST}:{DEV_SERVER_PORT}")

# Sessions end after this many seconds without a request (default: 2 hours of inactivity);
# coop.middleware.IdleSessionMiddleware keeps an active user's session alive.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(2 * 60 * 60)))

# Bootstrap 5's table template, its rows written in Python with the same markup (coop/tables.py).
DJANGO_TABLES2_TEMPLATE = "coop/table.html"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# PDF reports (reports/pdf.py): WeasyPrint logs every step of every document at INFO; keep its warnings.
LOGGING["loggers"] = {
    "weasyprint.progress": {"level": "WARNING"},
    "axes": {"level": "WARNING"},
    # The stamp of a signed document (reports/signing.py): fontTools logs each step of cutting its font to
    # the glyphs used, and warns of every table of the font it has no use for.
    "fontTools.subset": {"level": "ERROR"},
}
