"""Tables of the programme, agency, meeting and recommendation lists, on screen and in CSV/XLSX exports.

Each column renders HTML for the page and a plain value for exports (see `coop.columns`);
`Meta.default_columns` names the columns shown on screen, the others are exported only.
"""

import django_tables2 as tables
from django.db.models import F
from django.template.defaultfilters import linebreaksbr
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from coop.columns import (
    MEDIUM,
    NO_WRAP,
    NUMBER,
    WIDE,
    CodeTitleColumn,
    DayColumn,
    MoneyColumn,
    StatusBadgeColumn,
    field_header,
)
from coop.figures import list_url
from coop.tables import BaseTable
from programmes.models import Agency, Meeting, Programme, Recommendation

EMPTY = "—"
# The badge of programmes, recommendations and (on programme pages) tasks.
STATUS_BADGE = "programmes/badge.html"
# Who changed a recommendation's status, follow-up or due date, and when.
FOLLOW_UP_HISTORY = "programmes/_follow_up_history.html"


def agency_link(agency):
    """An agency by its short name, the full name on hover: narrow columns stay readable."""
    return format_html(
        '<a href="{}" title="{}">{}</a>', agency.get_absolute_url(), agency.name, agency.short_name or agency.name
    )


class AgencyColumn(tables.Column):
    """An agency linked by its short name (`agency_link`); exports write its full name."""

    def render(self, value):
        return agency_link(value)

    def value(self, value):
        return value.name


class ProgrammeTable(BaseTable):
    code = tables.Column(verbose_name=field_header(Programme, "code"), attrs=NO_WRAP, linkify=True)
    title = tables.Column(verbose_name=field_header(Programme, "title"), attrs=WIDE, linkify=True)
    kind = tables.Column(verbose_name=field_header(Programme, "kind"))
    parties = tables.Column(
        accessor="province_parties",
        verbose_name=_("Province side"),
        order_by="province_side_name",
        empty_values=(),
    )
    period = tables.Column(accessor="start_year", verbose_name=_("Period"), order_by=("start_year", "end_year"))
    status = StatusBadgeColumn(
        verbose_name=field_header(Programme, "status"),
        template_name=STATUS_BADGE,
        overdue_attribute="is_overdue",
    )
    task_count = tables.Column(
        verbose_name=_("Tasks"),
        attrs=NUMBER,
        linkify=lambda record: list_url("task_list", programme=record.pk),
    )
    # Unlike the task list's amounts, the first click sorts the smallest first.
    ministry_funding = MoneyColumn(verbose_name=_("Ministry funding"), initial_sort_descending=False)
    # What a national programme funds: tasks of other programmes, counted apart from those it owns.
    funded_task_count = tables.Column(
        verbose_name=_("Tasks funded through"),
        attrs=NUMBER,
        linkify=lambda record: list_url("task_list", funded_through=record.pk),
    )
    funded_ministry_funding = MoneyColumn(
        verbose_name=_("Ministry funding of tasks funded through"), initial_sort_descending=False
    )
    start_year = tables.Column(verbose_name=field_header(Programme, "start_year"))
    end_year = tables.Column(verbose_name=field_header(Programme, "end_year"))
    orientation_year = tables.Column(verbose_name=field_header(Programme, "orientation_year"))
    signed_on = DayColumn(verbose_name=field_header(Programme, "signed_on"))

    class Meta(BaseTable.Meta):
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
            "funded_task_count",
            "funded_ministry_funding",
            "start_year",
            "end_year",
            "orientation_year",
            "signed_on",
        )
        sequence = fields
        # What fits beside the filters on a 1366-pixel screen, in either language; the kind is a filter, and
        # the figures of the tasks funded through a national programme are on its page. Each is a tick away
        # in the column chooser.
        default_columns = (
            "code",
            "title",
            "parties",
            "period",
            "status",
            "task_count",
            "ministry_funding",
        )

    def render_parties(self, value):
        if not value:
            return EMPTY
        return format_html_join(", ", "{}", ((agency_link(party.agency),) for party in value))

    def value_parties(self, value):
        return "; ".join(str(party.agency) for party in value or ())

    def render_period(self, record):
        return record.period_label


class AgencyTable(BaseTable):
    name = tables.Column(verbose_name=field_header(Agency, "name"), attrs=WIDE, linkify=True)
    short_name = tables.Column(verbose_name=field_header(Agency, "short_name"))
    kind = tables.Column(verbose_name=field_header(Agency, "kind"))
    province = tables.Column(verbose_name=field_header(Agency, "province"), order_by="province__name")
    parent = tables.Column(verbose_name=field_header(Agency, "parent"), linkify=True, order_by="parent__name")
    current = tables.Column(accessor="valid_to", verbose_name=_("Still existing?"), empty_values=())
    valid_to = DayColumn(verbose_name=field_header(Agency, "valid_to"))
    successor = tables.Column(verbose_name=field_header(Agency, "successor"), order_by="successor__name")

    class Meta(BaseTable.Meta):
        model = Agency
        fields = ("name", "short_name", "kind", "province", "parent", "current", "valid_to", "successor")
        sequence = fields
        default_columns = ("name", "short_name", "kind", "province", "parent", "current")

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


class MeetingTable(BaseTable):
    held_on = DayColumn(verbose_name=field_header(Meeting, "held_on"))
    title = tables.Column(verbose_name=field_header(Meeting, "title"), attrs=WIDE, linkify=True)
    programme = CodeTitleColumn(
        verbose_name=field_header(Meeting, "programme"),
        title_on_link=True,
        order_by="programme__code",
    )
    kind = tables.Column(verbose_name=field_header(Meeting, "kind"))
    place = tables.Column(verbose_name=field_header(Meeting, "place"))
    attendee_count = tables.Column(verbose_name=_("Attendees"), attrs=NUMBER)
    recommendation_count = tables.Column(verbose_name=_("Recommendations"), attrs=NUMBER)
    programme_code = tables.Column(accessor="programme__code", verbose_name=_("Programme code"))

    class Meta(BaseTable.Meta):
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
        default_columns = ("held_on", "title", "programme", "kind", "place", "attendee_count", "recommendation_count")
        # The day comes first; the title leads to the meeting's page.
        required_columns = ("held_on", "title")


class RecommendationTable(BaseTable):
    text = tables.Column(verbose_name=field_header(Recommendation, "text"), attrs=WIDE, orderable=False)
    # There is no recommendation page: each row leads to the recommendation on its meeting's page.
    meeting = tables.Column(
        verbose_name=field_header(Recommendation, "meeting"),
        attrs=MEDIUM,
        order_by=("meeting__held_on", "meeting__title"),
    )
    raised_by = AgencyColumn(verbose_name=field_header(Recommendation, "raised_by"), order_by="raised_by__name")
    addressed_to = AgencyColumn(
        verbose_name=field_header(Recommendation, "addressed_to"),
        order_by="addressed_to__name",
    )
    due_on = DayColumn(verbose_name=field_header(Recommendation, "due_on"))
    # "Overdue" beside the status where the rows say so (`programmes.queries.with_overdue`: a meeting's page).
    status = StatusBadgeColumn(
        verbose_name=field_header(Recommendation, "status"),
        template_name=STATUS_BADGE,
        overdue_attribute="is_overdue",
    )
    # Rendered when empty too: on a meeting's page an empty follow-up still offers to record one.
    follow_up = tables.Column(
        verbose_name=field_header(Recommendation, "follow_up"),
        orderable=False,
        empty_values=(),
        attrs=MEDIUM,
    )
    programme = tables.Column(
        accessor="meeting__programme",
        verbose_name=field_header(Meeting, "programme"),
        attrs=MEDIUM,
        order_by="meeting__programme__title",
    )
    held_on = DayColumn(accessor="meeting__held_on", verbose_name=field_header(Meeting, "held_on"))

    class Meta(BaseTable.Meta):
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
        default_columns = ("text", "meeting", "raised_by", "addressed_to", "due_on", "status", "follow_up")
        # The text says what was recommended; the meeting leads to it on the meeting's page.
        required_columns = ("text", "meeting")
        # The anchor the other pages link to (`meeting#recommendation-12`).
        row_attrs = {"id": lambda record: f"recommendation-{record.pk}"}

    def __init__(self, *args, follow_up_by=None, follow_up_history=None, **kwargs):
        """`follow_up_by`, the user on a meeting's page: the rows they may follow up link to its form.
        `follow_up_history`: each row's changes of its follow-up by its pk (`programmes.queries.follow_up_history`),
        shown under its follow-up."""
        super().__init__(*args, **kwargs)
        self.follow_up_by = follow_up_by
        self.follow_up_history = follow_up_history or {}

    def render_follow_up(self, value, record):
        follow_up = linebreaksbr(value) if value else EMPTY
        user = self.follow_up_by
        if user is not None and user.has_perm("programmes.follow_up_recommendation", record):
            link = reverse("recommendation_follow_up", args=[record.pk])
            follow_up = format_html(
                '{}<div><a class="small" href="{}">{}</a></div>', follow_up, link, _("Record the follow-up")
            )
        entries = self.follow_up_history.get(record.pk)
        if not entries:
            return follow_up
        # The template escapes what it shows; its output is marked safe, which format_html keeps.
        return format_html("{}{}", follow_up, render_to_string(FOLLOW_UP_HISTORY, {"entries": entries, "folded": True}))

    def value_follow_up(self, value):
        return value

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
