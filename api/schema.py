"""What drf-spectacular cannot read from the code alone: the API key's scheme, the errors every endpoint answers,
the type of the lists' filters by id and by year, and each endpoint's description in the reader's language.

Loaded by `ApiConfig.ready()`, so that the schema knows them however it is generated (the /api/schema/
view, `manage.py spectacular`). `/api/schema/?lang=en` gives it in English.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_array_type, build_basic_type, build_parameter_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from coop.filters import RowsFilter, YearRangeFilter


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """`coop.api_tokens.ApiTokenAuthentication` in the schema: an HTTP bearer key."""

    target_class = "coop.api_tokens.ApiTokenAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": _(
                "A key made on your profile page (API keys), sent as Authorization: Bearer <key>. "
                "It reads what its user may see."
            ),
        }


class ListFilterExtension(DjangoFilterExtension):
    """The lists' filters as drf-spectacular reads them, but for two it cannot type from the model: a choice of rows
    by id (`RowsFilter`) whose method names no model field (`?place=3&place=5`), integers repeated; and a year
    (`YearRangeFilter`) of a date (`?year=2020`), an integer."""

    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        if isinstance(filter_field, RowsFilter) and filter_field.method:
            schema, repeated = build_array_type(build_basic_type(OpenApiTypes.INT)), True
        elif isinstance(filter_field, YearRangeFilter):
            schema, repeated = build_basic_type(OpenApiTypes.INT), False
        else:
            return super().resolve_filter_field(auto_schema, model, filterset_class, field_name, filter_field)
        return [
            build_parameter_type(
                name=field_name,
                required=filter_field.extra["required"],
                location=OpenApiParameter.QUERY,
                description=self._get_field_description(filter_field, None),
                schema=schema,
                explode=True if repeated else None,
                style="form" if repeated else None,
            )
        ]


class ErrorDetailSerializer(serializers.Serializer):
    status = serializers.IntegerField(help_text=_("The HTTP status, repeated."))
    code = serializers.CharField(
        help_text=_("A word for programs to test: not_authenticated, not_found, throttled, invalid, …")
    )
    message = serializers.CharField(help_text=_("What went wrong, in the user's language."))
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text=_("With a 400: what is wrong with each parameter, by its name."),
    )


class ErrorSerializer(serializers.Serializer):
    """Every 4xx answer of the API (`api.errors.json_error_handler`)."""

    error = ErrorDetailSerializer()


def error(description) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


ERRORS = {
    401: error(_("No key (or session), or the key is not valid or was revoked.")),
    404: error(_("Not found, or outside what your account may see.")),
    429: error(_("Too many requests with this key: try again after the seconds of Retry-After.")),
}
LIST_ERRORS = {400: error(_("A filter's value is not valid: the fields say which and why.")), **ERRORS}


class ApiAutoSchema(AutoSchema):
    """drf-spectacular's schema of a read-only endpoint: its description from the view's `api_description` (which
    is translated, unlike a docstring), and the JSON errors it may answer beside its 200."""

    def get_description(self):
        return getattr(self.view, "api_description", None) or super().get_description()

    def get_response_serializers(self):
        found = super().get_response_serializers()
        if self.method != "GET" or isinstance(found, dict):
            return found
        return {200: found, **(LIST_ERRORS if self._is_list_view(found) else ERRORS)}
