"""The read-only endpoints of /api/v1/: one list and one detail per kind of record, on the scope of the pages.

Each endpoint reads its rows from `api.queries` (narrowed to what the user may see, as the page's
`visible_to(user)`) and filters them with its list page's FilterSet: the same GET parameters, the same
diacritic-free `q`. Lists are walked by cursor in the order of the primary key (`api.pagination`).
A record outside the user's scope is a 404, as if it did not exist.
"""

from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from api import queries, serializers
from api.filters import PersonFilter
from api.schema import ERRORS, ApiAutoSchema
from programmes.filters import AgencyFilter, MeetingFilter, ProgrammeFilter
from programmes.models import Agency, Meeting, Person, Programme
from reports.filters import GeneratedReportFilter
from reports.models import GeneratedReport
from reports.views import pdf_download
from tasks.filters import OutputFilter, ProgressReportFilter, TaskFilter
from tasks.models import Output, ProgressReport, Task


class PrivateResponseMixin:
    """Nothing the API sends is kept by a cache: it holds what the key's user may see.

    The site's `PrivateCacheMiddleware` says so of pages, but reads the session's user, which a
    request authenticated by a key does not have.
    """

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response


class ReadOnlyApiViewSet(PrivateResponseMixin, viewsets.ReadOnlyModelViewSet):
    """A list (`list`) and a detail (`retrieve`) of the rows `get_queryset()` gives; the URLs map them explicitly.

    `queryset` names the model only (for the schema); each endpoint's `get_queryset()` narrows it to the user.
    `api_description` is the endpoint's description in the schema, translated.
    """

    schema = ApiAutoSchema()


class ProgrammeViewSet(ReadOnlyApiViewSet):
    api_description = _("Programmes, with their parties (agency, role, representative) and targets.")

    queryset = Programme.objects.all()
    serializer_class = serializers.ProgrammeSerializer
    filterset_class = ProgrammeFilter

    def get_queryset(self):
        return queries.programme_rows(self.request.user)


class AgencyViewSet(ReadOnlyApiViewSet):
    api_description = _("Agencies, each with its province, parent agency and, after a merger, its successor.")

    queryset = Agency.objects.all()
    serializer_class = serializers.AgencySerializer
    filterset_class = AgencyFilter

    def get_queryset(self):
        return queries.agency_rows(self.request.user)


class PersonViewSet(ReadOnlyApiViewSet):
    api_description = _(
        "People the records name (representatives, investigators, attendees), with their position and agency."
    )

    queryset = Person.objects.all()
    serializer_class = serializers.PersonSerializer
    filterset_class = PersonFilter

    def get_queryset(self):
        return queries.person_rows(self.request.user)


class TaskViewSet(ReadOnlyApiViewSet):
    api_description = _("S&T tasks, with their funding rows by source and year and their places of implementation.")

    queryset = Task.objects.all()
    serializer_class = serializers.TaskSerializer
    filterset_class = TaskFilter

    def get_queryset(self):
        return queries.task_rows(self.request.user)


class OutputViewSet(ReadOnlyApiViewSet):
    api_description = _("Outputs of the tasks, in every status of their review: only verified ones count in figures.")

    queryset = Output.objects.all()
    serializer_class = serializers.OutputSerializer
    filterset_class = OutputFilter

    def get_queryset(self):
        return queries.output_rows(self.request.user)


class ProgressReportViewSet(ReadOnlyApiViewSet):
    api_description = _(
        "Progress reports on the tasks your account sees, in every status: a provincial department also reads its "
        "own drafts and returned reports. Only approved reports count in figures."
    )

    queryset = ProgressReport.objects.all()
    serializer_class = serializers.ProgressReportSerializer
    filterset_class = ProgressReportFilter

    def get_queryset(self):
        return queries.progress_report_rows(self.request.user)


class MeetingViewSet(ReadOnlyApiViewSet):
    api_description = _("Meetings of the programmes, with who attended and the recommendations raised.")

    queryset = Meeting.objects.all()
    serializer_class = serializers.MeetingSerializer
    filterset_class = MeetingFilter

    def get_queryset(self):
        return queries.meeting_rows(self.request.user)


class DocumentViewSet(ReadOnlyApiViewSet):
    api_description = _(
        "Issued review documents: number, issuing agency, signer, SHA-256, and links to the issued PDF."
    )

    queryset = GeneratedReport.objects.all()
    serializer_class = serializers.DocumentSerializer
    filterset_class = GeneratedReportFilter

    def get_queryset(self):
        return queries.document_rows(self.request.user)


class DocumentFileView(PrivateResponseMixin, generics.GenericAPIView):
    api_description = _(
        "The issued PDF of a review document, byte for byte as it was signed: its SHA-256 is in the document."
    )

    schema = ApiAutoSchema()
    queryset = GeneratedReport.objects.all()
    filter_backends = []
    pagination_class = None

    def get_queryset(self):
        return queries.document_rows(self.request.user)

    def perform_content_negotiation(self, request, force=False):
        # A PDF whatever the client accepts; errors stay JSON.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        operation_id="documents_file",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description=_("The issued PDF.")),
            **ERRORS,
        },
    )
    def get(self, request, pk: int):
        return pdf_download(self.get_object())


class ApiRootView(PrivateResponseMixin, APIView):
    """`/api/v1/`: the address of every list, and of the schema and its documentation."""

    # The name of each list, as in its path, and its URL name.
    LISTS = {
        "programmes": "api_programme_list",
        "agencies": "api_agency_list",
        "people": "api_person_list",
        "tasks": "api_task_list",
        "outputs": "api_output_list",
        "progress_reports": "api_progress_report_list",
        "meetings": "api_meeting_list",
        "documents": "api_document_list",
    }

    @extend_schema(exclude=True)
    def get(self, request):
        links = {name: reverse(url_name, request=request) for name, url_name in self.LISTS.items()}
        links["schema"] = reverse("api_schema", request=request)
        links["docs"] = reverse("api_docs", request=request)
        return Response(links)


class ApiNotFoundView(PrivateResponseMixin, APIView):
    """Any other address under /api/v1/: a JSON 404, as every error of the API, rather than the site's page."""

    @extend_schema(exclude=True)
    def get(self, request, rest: str):
        raise NotFound()
