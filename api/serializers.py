"""How each record reads in the API: money as whole đồng, dates in ISO 8601, times with their offset, and every
object with its API address (`url`) and the address of its page (`page_url`).

Nested records are short references (`…RefSerializer`): what a reader needs to recognise the record
and its `url` to read the rest. Every related row a serializer reads is loaded by the querysets of
`api.queries`, so that a page of rows costs the same few queries whatever its size.
"""

from collections.abc import Callable
from operator import attrgetter

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from programmes.models import (
    Agency,
    Attendance,
    Meeting,
    Person,
    Programme,
    ProgrammeParty,
    Province,
    Recommendation,
    ReportingPeriod,
    Target,
)
from reports.models import GeneratedReport
from tasks.models import Funding, Output, ProgressDisbursement, ProgressReport, Task, TaskPlace


@extend_schema_field({"type": "integer", "format": "int64", "minimum": 0})
class MoneyField(serializers.Field):
    """Whole đồng (VND) as a JSON integer: 1234567000, never a string or a decimal fraction."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return int(value)


# A record as the API reads it out: every field read-only, so that the schema says each is always present.
# (A comment, not a docstring: drf-spectacular would describe every record with it.)
class RecordSerializer(serializers.ModelSerializer):
    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            # Set once the field is built, so that it keeps what it may hold (a blank choice, say) for the schema.
            if not isinstance(field, serializers.BaseSerializer):
                field.read_only = True
        return fields


@extend_schema_field(OpenApiTypes.URI)
class LinkField(serializers.Field):
    """The absolute address of a view that takes a record's key: in this API, or the record's page.

    Built with `reverse()` for the first record of a response and copied for the others with their key:
    reversing a URL costs more than all the rest of a record (Django reads the URL configuration and the
    language from thread-locals each time), and a page of a list holds up to 1,000 records with several
    links each. `key` names the attribute that holds the key (`agency_id` for a person's agency's page), or
    reads it from the record; a record without one has no link (null).
    """

    SAMPLE_KEY = 9876543210

    def __init__(self, view_name: str, *, key: str | Callable = "pk", fragment: str = "", **kwargs):
        self.view_name, self.fragment = view_name, fragment
        self.key_of = key if callable(key) else attrgetter(key)
        self.around_key = None
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        key = self.key_of(value)
        if key is None:
            return None
        if self.around_key is None:
            sample = self.context["request"].build_absolute_uri(reverse(self.view_name, args=[self.SAMPLE_KEY]))
            self.around_key = sample.rsplit(str(self.SAMPLE_KEY), 1)
        before, after = self.around_key
        return f"{before}{key}{after}{self.fragment}"


def api_url(view_name: str) -> LinkField:
    """The record's address in this API."""
    return LinkField(view_name, help_text=_("The record in this API."))


def page_url(view_name: str) -> LinkField:
    """The address of the record's page in the application, for a person to open (`get_absolute_url`)."""
    return LinkField(view_name, help_text=_("The record's page in the application (it needs a login)."))


# Short references to related records


class ProvinceRefSerializer(RecordSerializer):
    class Meta:
        model = Province
        fields = ["id", "code", "name"]


class AgencyRefSerializer(RecordSerializer):
    url = api_url("api_agency_detail")

    class Meta:
        model = Agency
        fields = ["id", "url", "name", "short_name"]


class PersonRefSerializer(RecordSerializer):
    url = api_url("api_person_detail")

    class Meta:
        model = Person
        fields = ["id", "url", "full_name", "position"]


class ProgrammeRefSerializer(RecordSerializer):
    url = api_url("api_programme_detail")

    class Meta:
        model = Programme
        fields = ["id", "url", "code", "title"]


class TaskRefSerializer(RecordSerializer):
    url = api_url("api_task_detail")

    class Meta:
        model = Task
        fields = ["id", "url", "code", "title"]


class DocumentRefSerializer(RecordSerializer):
    url = api_url("api_document_detail")

    class Meta:
        model = GeneratedReport
        fields = ["id", "url", "number_label"]


# Agencies and people


class AgencySerializer(RecordSerializer):
    url = api_url("api_agency_detail")
    page_url = page_url("agency_detail")
    province = ProvinceRefSerializer(allow_null=True, help_text=_("Empty for central agencies."))
    parent = AgencyRefSerializer(allow_null=True)
    successor = AgencyRefSerializer(allow_null=True, help_text=_("The agency that carries on after a merger."))
    is_current = serializers.BooleanField(help_text=_("Whether the agency still exists (no `valid_to`)."))

    class Meta:
        model = Agency
        fields = [
            "id",
            "url",
            "page_url",
            "name",
            "short_name",
            "kind",
            "document_code",
            "province",
            "parent",
            "valid_to",
            "is_current",
            "successor",
        ]


class PersonSerializer(RecordSerializer):
    url = api_url("api_person_detail")
    page_url = LinkField(
        "agency_detail",
        key="agency_id",
        fragment="#people",
        allow_null=True,
        help_text=_("The page of the person's agency, which lists its people; empty without one."),
    )
    agency = AgencyRefSerializer(allow_null=True)

    class Meta:
        model = Person
        fields = ["id", "url", "page_url", "full_name", "position", "agency"]


# Programmes


class ProgrammePartySerializer(RecordSerializer):
    agency = AgencyRefSerializer()
    representative = PersonRefSerializer(allow_null=True)

    class Meta:
        model = ProgrammeParty
        fields = ["agency", "role", "representative"]


class TargetSerializer(RecordSerializer):
    value = MoneyField(
        help_text=_("What the programme agreed to deliver: a count, or whole đồng for ministry_funding.")
    )

    class Meta:
        model = Target
        fields = ["metric", "value", "note"]


class ProgrammeSerializer(RecordSerializer):
    url = api_url("api_programme_detail")
    page_url = page_url("programme_detail")
    parties = ProgrammePartySerializer(
        source="programme_parties", many=True, help_text=_("Ministry side, province side, coordinators, members.")
    )
    targets = TargetSerializer(many=True)
    previous_phase = ProgrammeRefSerializer(
        allow_null=True, help_text=_("The previous phase, when there is one and your account may see it.")
    )

    class Meta:
        model = Programme
        fields = [
            "id",
            "url",
            "page_url",
            "code",
            "title",
            "kind",
            "status",
            "start_year",
            "end_year",
            "orientation_year",
            "signed_on",
            "objectives",
            "legal_basis",
            "published",
            "previous_phase",
            "parties",
            "targets",
        ]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        # As the programme's page: a previous phase outside the user's scope is not named (`api.queries`).
        if not getattr(instance, "previous_phase_visible", True):
            data["previous_phase"] = None
        return data


# Tasks, their funding, places, outputs and progress reports


class FundingSerializer(RecordSerializer):
    allocated = MoneyField()
    disbursed = MoneyField()

    class Meta:
        model = Funding
        fields = ["id", "source", "year", "allocated", "disbursed"]


class TaskPlaceSerializer(RecordSerializer):
    province = ProvinceRefSerializer()

    class Meta:
        model = TaskPlace
        fields = ["province", "commune"]


class TaskSerializer(RecordSerializer):
    url = api_url("api_task_detail")
    page_url = page_url("task_detail")
    programme = ProgrammeRefSerializer()
    lead_agency = AgencyRefSerializer()
    lead_agency_province = ProvinceRefSerializer(source="lead_agency.province", allow_null=True)
    investigator = PersonRefSerializer(allow_null=True)
    funded_through = ProgrammeRefSerializer(
        allow_null=True, help_text=_("The national programme that funds the task, if any.")
    )
    places = TaskPlaceSerializer(
        many=True,
        source="place_rows",
        help_text=_("The places of implementation (provinces, communes)."),
    )
    fundings = FundingSerializer(many=True, help_text=_("Funding by source and year."))
    ministry_funding = MoneyField()
    province_funding = MoneyField()
    counterpart_funding = MoneyField()
    other_funding = MoneyField()
    total_funding = MoneyField()

    class Meta:
        model = Task
        fields = [
            "id",
            "url",
            "page_url",
            "programme",
            "code",
            "title",
            "field",
            "level",
            "lead_agency",
            "lead_agency_province",
            "investigator",
            "funded_through",
            "location",
            "places",
            "start_on",
            "end_on",
            "status",
            "percent_complete",
            "accepted_on",
            "acceptance_decision",
            "ministry_funding",
            "province_funding",
            "counterpart_funding",
            "other_funding",
            "total_funding",
            "fundings",
        ]


class OutputSerializer(RecordSerializer):
    url = api_url("api_output_detail")
    page_url = page_url("output_detail")
    task = TaskRefSerializer()
    programme = ProgrammeRefSerializer(source="task.programme")
    evidence_file_url = LinkField(
        "output_evidence",
        key=lambda output: output.pk if output.evidence_file else None,
        allow_null=True,
        help_text=_("The evidence document's download on the output's page; empty without one."),
    )

    class Meta:
        model = Output
        fields = [
            "id",
            "url",
            "page_url",
            "task",
            "programme",
            "kind",
            "name",
            "description",
            "quantity",
            "unit",
            "achieved_on",
            "location",
            "evidence_number",
            "evidence_date",
            "evidence_file_url",
            "status",
            "submitted_at",
            "reviewed_at",
            "review_note",
        ]
        extra_kwargs = {"status": {"help_text": _("Only verified outputs count in the figures.")}}


class ReportingPeriodSerializer(RecordSerializer):
    class Meta:
        model = ReportingPeriod
        fields = ["id", "starts_on", "ends_on", "due_on", "is_final"]


class ProgressDisbursementSerializer(RecordSerializer):
    funding_id = serializers.IntegerField(source="funding.pk")
    source = serializers.ChoiceField(source="funding.source", choices=Funding._meta.get_field("source").choices)
    year = serializers.IntegerField(source="funding.year")
    disbursed_to_date = MoneyField()

    class Meta:
        model = ProgressDisbursement
        fields = ["funding_id", "source", "year", "disbursed_to_date"]


class ProgressReportSerializer(RecordSerializer):
    url = api_url("api_progress_report_detail")
    page_url = page_url("progress_report_detail")
    task = TaskRefSerializer()
    period = ReportingPeriodSerializer(allow_null=True, help_text=_("The reporting period the report answers for."))
    disbursed_to_date = MoneyField(
        allow_null=True, help_text=_("The sum of `disbursements`; empty when it gives none.")
    )
    disbursements = ProgressDisbursementSerializer(many=True, help_text=_("Disbursed to date on each funding row."))

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "url",
            "page_url",
            "task",
            "as_of",
            "period",
            "percent_complete",
            "summary",
            "problems",
            "next_steps",
            "disbursed_to_date",
            "disbursements",
            "status",
            "submitted_at",
            "first_submitted_on",
            "reviewed_at",
            "review_note",
        ]
        extra_kwargs = {"status": {"help_text": _("Only approved reports count in the figures.")}}


# Meetings


class AttendanceSerializer(RecordSerializer):
    person = PersonRefSerializer()

    class Meta:
        model = Attendance
        fields = ["person", "role"]


class RecommendationSerializer(RecordSerializer):
    raised_by = AgencyRefSerializer()
    addressed_to = AgencyRefSerializer()

    class Meta:
        model = Recommendation
        fields = ["id", "text", "raised_by", "addressed_to", "due_on", "status", "follow_up"]


class MeetingSerializer(RecordSerializer):
    url = api_url("api_meeting_detail")
    page_url = page_url("meeting_detail")
    programme = ProgrammeRefSerializer()
    attendance = AttendanceSerializer(
        source="attendances", many=True, help_text=_("Who attended, the chair first, and in what role.")
    )
    recommendations = RecommendationSerializer(many=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "url",
            "page_url",
            "programme",
            "held_on",
            "place",
            "kind",
            "title",
            "summary",
            "conclusions",
            "attendance",
            "recommendations",
        ]


# Issued review documents


class DocumentSerializer(RecordSerializer):
    url = api_url("api_document_detail")
    page_url = page_url("document_detail")
    file_url = LinkField("document_issued_pdf", help_text=_("The issued PDF from its page (for a browser logged in)."))
    api_file_url = LinkField("api_document_file", help_text=_("The same PDF through this API, with your key."))
    title = serializers.SerializerMethodField(help_text=_("The title as printed, in the document's language."))
    programme = ProgrammeRefSerializer()
    issuing_agency = AgencyRefSerializer()
    signer = PersonRefSerializer(source="signer.person", allow_null=True, help_text=_("Who signed it."))
    replaces = DocumentRefSerializer(allow_null=True, help_text=_("The issued document this one corrects."))
    number_label = serializers.CharField(help_text=_('The number as written: "15/BC-BKHCN".'))

    class Meta:
        model = GeneratedReport
        fields = [
            "id",
            "url",
            "page_url",
            "file_url",
            "api_file_url",
            "programme",
            "title",
            "number",
            "symbol",
            "number_label",
            "register_year",
            "issuing_agency",
            "issued_at",
            "as_of",
            "language",
            "signing_authority",
            "signer",
            "digitally_signed",
            "sha256",
            "page_count",
            "replaces",
        ]

    def get_title(self, document) -> str:
        with translation.override(document.language):
            return str(document.review_title())
