"""Every 4xx answer of the API is one JSON object: `{"error": {"status", "code", "message", "fields"?}}`."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.views import exception_handler


def json_error_handler(exc, context):
    """REST framework's handler, its answer rewritten to one shape that clients can rely on."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found, or outside what your account may see."))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None  # a server error: Django's 500 handling, logged
    detail = exc.detail if isinstance(exc, exceptions.APIException) else response.data
    error = {"status": response.status_code, "code": _code(exc), "message": _message(detail)}
    if isinstance(detail, dict):
        error["fields"] = {name: [str(item) for item in _as_list(value)] for name, value in detail.items()}
    response.data = {"error": error}
    return response


def _code(exc) -> str:
    codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
    return codes if isinstance(codes, str) else getattr(exc, "default_code", "invalid")


def _message(detail) -> str:
    if isinstance(detail, dict):
        return _("Some parameters are not valid; see the fields.")
    if isinstance(detail, list):
        return " ".join(str(item) for item in detail)
    return str(detail)


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]
