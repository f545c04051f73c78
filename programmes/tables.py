"""Tables of the programme, agency, meeting and recommendation lists.

Each table lists every column in `Meta.fields` and hides the extra ones on screen
(`visible=False`): they are still in the CSV and XLSX exports. Every sortable column ends
its ordering with `pk` so that pages stay stable. Numbers are right-aligned; money is shown
as "1.234.567.000 đ" on screen and exported as a number.
"""

import django_tables2 as tables
from django.db.models import F
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext_lazy as _

from coop.figures import list_url
from coop.formatting import format_vnd
from programmes.models import Agency, Meeting, Programme, Recommendation

NUMBER = {"td": {"class": "num"}, "th": {"class": "num"}}
TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}
EMPTY = "—"
# Long texts keep a readable width on a phone: the table scrolls sideways instead.
WIDE_TEXT = {"td": {"class": "coop-min-w-16"}}


def verbose(model, field_name):
    """The model field's verbose name as a header.

    Given explicitly because exports build their tables from lists of rows, where
    django-tables2 cannot look the field up and would print the bare field name.
    """
    return capfirst(model._meta.get_field(field_name).verbose_name)


def agency_link(agency):
    """An agency by its short name, the full name on hover: narrow columns stay readable."""
    return format_html(
        '<a href="{}" title="{}">{}</a>', agency.get_absolute_url(), agency.name, agency.short_name or agency.name
    )


def sorted_by(*fields):
    """A column's ordering, ended by `pk` so that rows with equal values keep a stable order."""
    return (*fields, "pk")


class StatusColumn(tables.TemplateColumn):
    """A status as a coloured badge with its words; exported as the words alone."""

    def __init__(self, **kwargs):
        kwargs.setdefault("order_by", sorted_by("status"))
        super().__init__(
            template_name="programmes/badge.html",
            extra_context=lambda record, value: {"status": record.status, "label": value},
            **kwargs,
        )

    def value(self, value, **kwargs):
        return value


class ProgrammeTable(tables.Table):
    code = tables.Column(
        verbose_name=verbose(Programme, "code"),
        attrs={"td": {"class": "text-nowrap"}},
        linkify=True,
        order_by=sorted_by("code"),
    )
    title = tables.Column(
        verbose_name=verbose(Programme, "title"), attrs=WIDE_TEXT, linkify=True, order_by=sorted_by("title")
    )
    kind = tables.Column(verbose_name=verbose(Programme, "kind"), order_by=sorted_by("kind"))
    parties = tables.Column(
        accessor="province_parties",
        verbose_name=_("Province side"),
        order_by=sorted_by("province_side_name"),
        empty_values=(),
    )
    period = tables.Column(
        accessor="start_year",
        verbose_name=_("Period"),
        order_by=sorted_by("start_year", "end_year"),
    )
    status = StatusColumn(verbose_name=verbose(Programme, "status"))
    task_count = tables.Column(
        verbose_name=_("Tasks"),
        attrs=NUMBER,
        linkify=lambda record: list_url("task_list", programme=record.pk),
        order_by=sorted_by("task_count"),
    )
    ministry_funding = tables.Column(
        verbose_name=_("Ministry funding"),
        attrs=NUMBER,
        order_by=sorted_by("ministry_funding"),
    )
    start_year = tables.Column(
        verbose_name=verbose(Programme, "start_year"), visible=False, order_by=sorted_by("start_year")
    )
    end_year = tables.Column(verbose_name=verbose(Programme, "end_year"), visible=False, order_by=sorted_by("end_year"))
    orientation_year = tables.Column(
        verbose_name=verbose(Programme, "orientation_year"), visible=False, order_by=sorted_by("orientation_year")
    )
    signed_on = tables.DateColumn(
        verbose_name=verbose(Programme, "signed_on"), visible=False, order_by=sorted_by("signed_on")
    )

    class Meta:
        model = Programme
        fields = (
            "code",
            "title",
            "kind",
            "parties",
            "period",
            "status",
            "task_count",
            "ministry_funding",
            "start_year",
            "end_year",
            "orientation_year",
            "signed_on",
        )
        sequence = fields
        attrs = TABLE_ATTRS

    def render_parties(self, value):
        if not value:
            return EMPTY
        return format_html_join(", ", "{}", ((agency_link(party.agency),) for party in value))

    def value_parties(self, value):
        return "; ".join(str(party.agency) for party in value or ())

    def render_period(self, record):
        return record.period_label

    def value_period(self, record):
        return str(record.period_label)

    def render_ministry_funding(self, value):
        return format_vnd(value)

    def value_ministry_funding(self, value):
        return value

    def value_signed_on(self, value):
        return value


class AgencyTable(tables.Table):
    name = tables.Column(
        verbose_name=verbose(Agency, "name"), attrs=WIDE_TEXT, linkify=True, order_by=sorted_by("name")
    )
    short_name = tables.Column(verbose_name=verbose(Agency, "short_name"), order_by=sorted_by("short_name"))
    kind = tables.Column(verbose_name=verbose(Agency, "kind"), order_by=sorted_by("kind"))
    province = tables.Column(verbose_name=verbose(Agency, "province"), order_by=sorted_by("province__name"))
    parent = tables.Column(verbose_name=verbose(Agency, "parent"), linkify=True, order_by=sorted_by("parent__name"))
    current = tables.Column(
        accessor="valid_to",
        verbose_name=_("Still existing?"),
        empty_values=(),
    )
    valid_to = tables.DateColumn(
        verbose_name=verbose(Agency, "valid_to"), visible=False, order_by=sorted_by("valid_to")
    )
    successor = tables.Column(
        verbose_name=verbose(Agency, "successor"), visible=False, order_by=sorted_by("successor__name")
    )

    class Meta:
        model = Agency
        fields = ("name", "short_name", "kind", "province", "parent", "current", "valid_to", "successor")
        sequence = fields
        attrs = TABLE_ATTRS

    def order_current(self, queryset, is_descending):
        # Existing agencies (no end of validity) first, then the most recently merged.
        if is_descending:
            ordering = (F("valid_to").desc(nulls_last=True), "-pk")
        else:
            ordering = (F("valid_to").asc(nulls_first=True), "pk")
        return queryset.order_by(*ordering), True

    def render_current(self, record):
        if record.valid_to is None:
            return _("Still existing")
        if record.successor:
            return format_html(
                '{} <a href="{}">{}</a>', _("Succeeded by"), record.successor.get_absolute_url(), record.successor
            )
        return _("No longer exists")

    def value_current(self, record):
        if record.valid_to is None:
            return str(_("Still existing"))
        if record.successor:
            return "{} {}".format(_("Succeeded by"), record.successor)
        return str(_("No longer exists"))

    def value_valid_to(self, value):
        return value


class MeetingTable(tables.Table):
    held_on = tables.DateColumn(verbose_name=verbose(Meeting, "held_on"), order_by=sorted_by("held_on"))
    title = tables.Column(
        verbose_name=verbose(Meeting, "title"), attrs=WIDE_TEXT, linkify=True, order_by=sorted_by("title")
    )
    programme = tables.Column(verbose_name=verbose(Meeting, "programme"), order_by=sorted_by("programme__code"))
    kind = tables.Column(verbose_name=verbose(Meeting, "kind"), order_by=sorted_by("kind"))
    place = tables.Column(verbose_name=verbose(Meeting, "place"), order_by=sorted_by("place"))
    attendee_count = tables.Column(verbose_name=_("Attendees"), attrs=NUMBER, order_by=sorted_by("attendee_count"))
    recommendation_count = tables.Column(
        verbose_name=_("Recommendations"), attrs=NUMBER, order_by=sorted_by("recommendation_count")
    )
    programme_code = tables.Column(
        accessor="programme__code",
        verbose_name=_("Programme code"),
        visible=False,
        order_by=sorted_by("programme__code"),
    )

    class Meta:
        model = Meeting
        fields = (
            "held_on",
            "title",
            "programme",
            "kind",
            "place",
            "attendee_count",
            "recommendation_count",
            "programme_code",
        )
        sequence = fields
        attrs = TABLE_ATTRS

    def render_programme(self, value):
        # Programme titles all begin alike ("Chương trình phối hợp hoạt động giữa Bộ…"): the code tells them apart.
        return format_html('<a href="{}" title="{}">{}</a>', value.get_absolute_url(), value.title, value.code)

    def value_programme(self, value):
        return value.title

    def value_held_on(self, value):
        return value


class RecommendationTable(tables.Table):
    text = tables.Column(verbose_name=verbose(Recommendation, "text"), attrs=WIDE_TEXT, orderable=False)
    # There is no recommendation page: each row leads to the recommendation on its meeting's page.
    meeting = tables.Column(
        verbose_name=verbose(Recommendation, "meeting"),
        attrs={"td": {"class": "coop-min-w-10"}},
        order_by=sorted_by("meeting__held_on", "meeting__title"),
    )
    raised_by = tables.Column(verbose_name=verbose(Recommendation, "raised_by"), order_by=sorted_by("raised_by__name"))
    addressed_to = tables.Column(
        verbose_name=verbose(Recommendation, "addressed_to"), order_by=sorted_by("addressed_to__name")
    )
    due_on = tables.DateColumn(verbose_name=verbose(Recommendation, "due_on"), order_by=sorted_by("due_on"))
    status = StatusColumn(verbose_name=verbose(Recommendation, "status"))
    follow_up = tables.Column(verbose_name=verbose(Recommendation, "follow_up"), orderable=False)
    programme = tables.Column(
        accessor="meeting__programme",
        verbose_name=verbose(Meeting, "programme"),
        visible=False,
        order_by=sorted_by("meeting__programme__title"),
    )
    held_on = tables.DateColumn(
        accessor="meeting__held_on",
        verbose_name=verbose(Meeting, "held_on"),
        visible=False,
        order_by=sorted_by("meeting__held_on"),
    )

    class Meta:
        model = Recommendation
        fields = (
            "text",
            "meeting",
            "raised_by",
            "addressed_to",
            "due_on",
            "status",
            "follow_up",
            "programme",
            "held_on",
        )
        sequence = fields
        attrs = TABLE_ATTRS

    def render_meeting(self, record):
        meeting = record.meeting
        return format_html(
            '<a href="{}#recommendation-{}">{}</a><div class="small text-body-secondary">{}</div>',
            meeting.get_absolute_url(),
            record.pk,
            date_format(meeting.held_on, "SHORT_DATE_FORMAT"),
            Truncator(meeting.title).words(10),
        )

    def value_meeting(self, record):
        return str(record.meeting)

    def render_raised_by(self, value):
        return agency_link(value)

    def value_raised_by(self, value):
        return value.name

    def render_addressed_to(self, value):
        return agency_link(value)

    def value_addressed_to(self, value):
        return value.name

    def value_due_on(self, value):
        return value

    def value_held_on(self, value):
        return value
