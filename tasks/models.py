"""Funded S&T tasks, their funding, the progress the provinces report and what the tasks produced."""

import array
import datetime
import hashlib
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coop.dates import FIRST_YEAR, LAST_YEAR, YEAR_OUT_OF_RANGE
from coop.formatting import format_vnd
from coop.links import detail_url
from coop.lookups import IsAnyOf, IsInScope
from coop.models import ChecksAtOnceModel, SearchableModel, VersionedModel
from coop.request_memo import in_request, remembered
from coop.roles import lineage_agency_ids, sees_every_programme
from programmes.choices import OutputKind, ProgrammeStatus
from programmes.models import Programme
from programmes.uploads import content_type, extension, safe_original_name, validate_attachment
from tasks.choices import (
    ACCEPTED_TASK_STATUSES,
    KINDS_VERIFIED_ONLY_WITH_EVIDENCE,
    OPEN_TASK_STATUSES,
    PENDING_OUTPUT_STATUSES,
    FundingSource,
    OutputStatus,
    ReportStatus,
    TaskField,
    TaskLevel,
    TaskStatus,
    evidence_labels,
)

# Field validators repeat the database constraints so that a form shows the
# message on the field it concerns, in the user's language.
NOT_NEGATIVE = MinValueValidator(0, message=_("Amounts cannot be negative."))
PERCENT_RANGE = [
    MinValueValidator(0, message=_("Percent complete must be between 0 and 100.")),
    MaxValueValidator(100, message=_("Percent complete must be between 0 and 100.")),
]
YEAR_RANGE = [
    MinValueValidator(FIRST_YEAR, message=YEAR_OUT_OF_RANGE),
    MaxValueValidator(LAST_YEAR, message=YEAR_OUT_OF_RANGE),
]


def money_field(verbose_name, **kwargs):
    """Whole VND: 18 digits hold any budget the state could allocate."""
    return models.DecimalField(
        max_digits=18,
        decimal_places=0,
        validators=[NOT_NEGATIVE],
        verbose_name=verbose_name,
        **kwargs,
    )


def percent_field(verbose_name, **kwargs):
    return models.PositiveSmallIntegerField(
        validators=PERCENT_RANGE,
        verbose_name=verbose_name,
        **kwargs,
    )


# The funding a task keeps summed on its own row: field name → the source it sums (None: every source).
FUNDING_SUMS = {
    "ministry_funding": FundingSource.MINISTRY,
    "province_funding": FundingSource.PROVINCE,
    "counterpart_funding": FundingSource.COUNTERPART,
    "other_funding": FundingSource.OTHER,
    "total_funding": None,
}


# No money, as a database value of the type of the amounts (for Coalesce).
ZERO = Value(Decimal(0), output_field=models.DecimalField(max_digits=18, decimal_places=0))


def allocated_funding(source: str | None = None, *, up_to_year: int | None = None) -> Coalesce:
    """The task's allocated funding from `source` (or from all sources), for every year or those up to
    `up_to_year`, summed over its funding rows as a subquery; 0 when none."""
    rows = Funding.objects.filter(task=OuterRef("pk"))
    if source is not None:
        rows = rows.filter(source=source)
    if up_to_year is not None:
        rows = rows.filter(year__lte=up_to_year)
    total = rows.order_by().values("task").annotate(total=Sum("allocated")).values("total")
    return Coalesce(Subquery(total), ZERO, output_field=ZERO.output_field)


def visible_task_ids(user):
    """The ids of the tasks a user who does not see every programme may see: those of the programmes they
    see, and those their agency leads or led before a merger (`lineage_agency_ids`: the agencies it carries on).

    A union of the two, each served by its own index: as one condition `programme IN (…) OR lead agency = …`,
    PostgreSQL read all 50,000 tasks. Within a request the ids are read once, as a list that every query of
    the page takes (`coop.request_memo`); elsewhere, the union as a subquery.
    """
    programmes = Programme.objects.visible_to(user).values("pk")
    of_their_programmes = Task.objects.filter(programme__in=programmes).order_by().values_list("pk", flat=True)
    led_by_their_agency = (
        Task.objects.filter(lead_agency_id__in=lineage_agency_ids(user)).order_by().values_list("pk", flat=True)
    )
    visible = of_their_programmes.union(led_by_their_agency)
    if not in_request():
        return visible
    return remembered(("visible_task_ids", user.pk), lambda: list(visible))


def is_one_of(field: str, ids) -> Q | IsAnyOf:
    """The condition `field` is one of `ids`: a list (one array parameter), else a subquery."""
    if isinstance(ids, list):
        return IsAnyOf(F(field), ids)
    return Q(**{f"{field}__in": ids})


def is_visible_task(field: str, user) -> Q | IsInScope:
    """The condition `field` names a task `user` may see (`visible_task_ids`).

    Within a request, the ids as one array, marked as this scope (`IsInScope`, named by the ids' digest): a
    figure over every row they may see, their unfiltered list's count and totals, is then kept for that scope
    (`coop.figure_cache`) until its own tables change. Elsewhere, a subquery.
    """
    ids = visible_task_ids(user)
    if isinstance(ids, list):
        return IsInScope(F(field), ids, scope=remembered(("visible_task_scope", user.pk), lambda: scope_name(ids)))
    return Q(**{f"{field}__in": ids})


def scope_name(task_ids: list[int]) -> str:
    """A short name of a set of task ids, the same for the same set whatever its order."""
    digest = hashlib.blake2b(array.array("q", sorted(task_ids)).tobytes(), digest_size=12).hexdigest()
    return f"tasks{len(task_ids)}:{digest}"


def task_scope_key(user) -> str:
    """A name of the tasks `user` may see, from what decides them rather than from the tasks (`visible_task_ids`):
    "" for whoever sees every task; else the programmes they see and the agencies they carry on.

    Read without the 1,300 ids of a province's tasks: one small query of the programmes. Two users with the same
    name see the same tasks while no task moves to another programme or lead agency, so a figure kept under it is
    kept under the tasks' version as well (`coop.figure_cache.kept_key` with `Task` among its tables).
    """
    if sees_every_programme(user):
        return ""

    def name() -> str:
        programmes = sorted(Programme.objects.visible_to(user).values_list("pk", flat=True))
        decided_by = f"programmes {programmes}, agencies {sorted(lineage_agency_ids(user))}"
        return "decided:" + hashlib.blake2b(decided_by.encode(), digest_size=12).hexdigest()

    return remembered(("task_scope_key", user.pk), name)


class TaskQuerySet(models.QuerySet):
    def visible_to(self, user) -> "TaskQuerySet":
        """Tasks of the programmes the user sees, and the tasks their agency leads or led before a merger
        (`lineage_agency_ids`: the agencies it carries on)."""
        if sees_every_programme(user):
            return self
        return self.filter(is_visible_task("pk", user))

    # What "open", "overdue" and "accepted" mean for a task, written once (docs/decisions.md,
    # "Statuses that agree with each other"); `Task.is_open`, `Task.is_overdue` say the same of one row.

    def open(self) -> "TaskQuerySet":
        """Tasks not finished: proposed, approved, in progress or suspended."""
        return self.filter(status__in=OPEN_TASK_STATUSES)

    def overdue(self, today: datetime.date) -> "TaskQuerySet":
        """Open tasks whose end date is before `today`."""
        return self.open().filter(end_on__lt=today)

    def accepted(self) -> "TaskQuerySet":
        """Tasks that passed their acceptance ("nghiệm thu"): accepted or completed, each with its record."""
        return self.filter(status__in=ACCEPTED_TASK_STATUSES)

    def refresh_funding_sums(self) -> int:
        """Sum each task's funding rows again onto the task (`FUNDING_SUMS`); the number of tasks written.

        The only writer of those columns. The services that write funding rows (`funding_save`,
        `funding_delete`, … in tasks/services.py, which the admin uses too) call it for the tasks
        they touched, in the same transaction; code that writes funding rows around them in bulk
        (`bulk_create`, `update`, raw SQL) calls it for the tasks it touched, or
        `manage.py refresh_funding_sums` repairs every task. A funding row's own `save()` and
        `delete()` leave the sums as they are.
        """
        return self.order_by().update(**{name: allocated_funding(source) for name, source in FUNDING_SUMS.items()})


class ProgressReportQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ProgressReportQuerySet":
        if sees_every_programme(user):
            return self
        return self.filter(is_visible_task("task_id", user))


class OutputQuerySet(models.QuerySet):
    def visible_to(self, user) -> "OutputQuerySet":
        if sees_every_programme(user):
            return self
        return self.filter(is_visible_task("task_id", user))

    def counted(self) -> "OutputQuerySet":
        """The outputs that count in figures: those Ministry staff verified."""
        return self.filter(status=OutputStatus.VERIFIED)

    def pending(self) -> "OutputQuerySet":
        """Outputs on their way to count: recorded or submitted, not yet verified (`PENDING_OUTPUT_STATUSES`)."""
        return self.filter(status__in=PENDING_OUTPUT_STATUSES)


class Task(ChecksAtOnceModel, VersionedModel, SearchableModel):
    """A funded S&T task ("nhiệm vụ KH&CN": a research project or a project) of a programme."""

    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.PROTECT,
        related_name="tasks",
        verbose_name=_("programme"),
    )
    code = models.CharField(
        max_length=40,
        verbose_name=_("code"),
    )
    title = models.CharField(
        max_length=500,
        verbose_name=_("title"),
    )
    field = models.CharField(
        max_length=20,
        choices=TaskField.choices,
        db_index=True,
        verbose_name=_("field"),
    )
    level = models.CharField(
        max_length=20,
        choices=TaskLevel.choices,
        db_index=True,
        verbose_name=_("level"),
    )
    lead_agency = models.ForeignKey(
        "programmes.Agency",
        on_delete=models.PROTECT,
        related_name="tasks_led",
        verbose_name=_("lead agency"),
    )
    investigator = models.ForeignKey(
        "programmes.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks_investigated",
        verbose_name=_("principal investigator"),
    )
    funded_through = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="funded_tasks",
        verbose_name=_("funded through"),
        help_text=_("The national programme that funds the task, e.g. the Rural and Mountainous Areas Programme."),
    )
    location = models.CharField(
        max_length=255,
        blank=True,
        verbose_name=_("location"),
        help_text=_("A note in words; the provinces where the task is carried out are its places of implementation."),
    )
    start_on = models.DateField(
        db_index=True,
        verbose_name=_("start date"),
    )
    end_on = models.DateField(
        db_index=True,
        verbose_name=_("end date"),
    )
    status = models.CharField(
        max_length=20,
        choices=TaskStatus.choices,
        default=TaskStatus.PROPOSED,
        db_index=True,
        verbose_name=_("status"),
    )
    percent_complete = percent_field(
        _("percent complete"),
        default=0,
        help_text=_("From the latest approved progress report, or 100 once the task is accepted."),
    )
    # The acceptance record ("biên bản / quyết định nghiệm thu"): set by `tasks.services.task_accept`,
    # present exactly when the task is accepted or completed (the constraints below).
    accepted_on = models.DateField(
        null=True,
        blank=True,
        verbose_name=_("accepted on"),
        help_text=_("Date of the acceptance record (nghiệm thu)."),
    )
    acceptance_decision = models.CharField(
        max_length=100,
        blank=True,
        verbose_name=_("acceptance record number"),
        help_text=_("Number of the acceptance minutes or decision, e.g. 15/QĐ-SKHCN."),
    )
    acceptance_backfilled = models.BooleanField(
        default=False,
        verbose_name=_("acceptance recorded by the data migration"),
        help_text=_(
            "The task was already accepted or completed when acceptance records were introduced: "
            "the date is its end date and the number is still to be entered."
        ),
    )
    # The sums of the task's funding rows, kept here so that the task list can sort 50,000 tasks by
    # funding and total them without summing 150,000 funding rows on every page (docs/benchmarks.md).
    # Written only by `TaskQuerySet.refresh_funding_sums`, which the services writing funding rows call
    # (tasks/services.py), never by a form.
    ministry_funding = money_field(
        _("ministry funding (VND)"),
        default=0,
        editable=False,
    )
    province_funding = money_field(
        _("provincial funding (VND)"),
        default=0,
        editable=False,
    )
    counterpart_funding = money_field(
        _("counterpart funding (VND)"),
        default=0,
        editable=False,
    )
    other_funding = money_field(
        _("other funding (VND)"),
        default=0,
        editable=False,
    )
    total_funding = money_field(
        _("total funding (VND)"),
        default=0,
        editable=False,
    )

    objects = TaskQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_text", *FUNDING_SUMS])

    class Meta:
        ordering = ["programme", "code", "pk"]
        verbose_name = _("S&T task")
        verbose_name_plural = _("S&T tasks")
        # Ministry staff's (coop.roles.ROLE_PERMISSIONS), narrowed to one task by the rule of tasks/rules.py.
        permissions = [("accept_task", _("Can record the acceptance of a task"))]
        indexes = [
            # The order above: a page of the task list, however deep, is read off the index.
            models.Index(fields=["programme", "code", "id"], name="task_list_order_idx"),
            # The task list sorted by total funding, either way (the order ends with pk, which follows the
            # direction). The other sums ride along so that PostgreSQL totals every task from this index
            # alone (13 ms instead of 33 for 50,000 tasks); SQLite leaves them out (check models.W040).
            models.Index(
                fields=["total_funding", "id"],
                include=["ministry_funding", "province_funding", "counterpart_funding", "other_funding"],
                name="task_total_funding_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "code"],
                name="task_code_unique_in_programme",
                violation_error_message=_("The programme already has a task with this code."),
            ),
            models.CheckConstraint(
                condition=Q(percent_complete__gte=0, percent_complete__lte=100),
                name="task_percent_complete_0_100",
                violation_error_message=_("Percent complete must be between 0 and 100."),
            ),
            models.CheckConstraint(
                condition=Q(end_on__gte=F("start_on")),
                name="task_end_not_before_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            # An accepted or completed task has its acceptance record, and only such a task has one.
            models.CheckConstraint(
                condition=~Q(status__in=ACCEPTED_TASK_STATUSES) | Q(accepted_on__isnull=False),
                name="task_accepted_has_acceptance_record",
                violation_error_message=_(
                    "An accepted or completed task needs its acceptance record: the date and number of the "
                    "acceptance minutes or decision."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status__in=ACCEPTED_TASK_STATUSES)
                | Q(accepted_on__isnull=True, acceptance_decision="", acceptance_backfilled=False),
                name="task_acceptance_record_only_when_accepted",
                violation_error_message=_("Only an accepted or completed task has an acceptance record."),
            ),
            models.CheckConstraint(
                condition=Q(accepted_on__isnull=True) | ~Q(acceptance_decision="") | Q(acceptance_backfilled=True),
                name="task_acceptance_record_has_number",
                violation_error_message=_("Enter the number of the acceptance minutes or decision."),
            ),
            models.CheckConstraint(
                condition=Q(accepted_on__isnull=True) | Q(accepted_on__gte=F("start_on")),
                name="task_accepted_not_before_start",
                violation_error_message=_("A task cannot be accepted before it started."),
            ),
            # Acceptance is where an accepted task's percent comes from: all of it.
            models.CheckConstraint(
                condition=~Q(status__in=ACCEPTED_TASK_STATUSES) | Q(percent_complete=100),
                name="task_accepted_is_complete",
                violation_error_message=_("An accepted or completed task is complete: 100 percent."),
            ),
        ]

    def __str__(self):
        return f"{self.code} – {self.title}"

    def clean(self):
        """The acceptance record's constraints, on the fields a form shows; and a task of a closed programme
        cannot be open (the other half of `Programme.clean`)."""
        super().clean()
        self._clean_acceptance_record()
        if self.status in OPEN_TASK_STATUSES and self.programme_id:
            programme = Programme.objects.filter(pk=self.programme_id).values("status", "code").first()
            if programme and programme["status"] == ProgrammeStatus.COMPLETED:
                raise ValidationError(
                    {
                        "status": _(
                            "The programme %(programme)s is closed: its tasks can no longer be open. "
                            "Reopen the programme first."
                        )
                        % {"programme": programme["code"]}
                    }
                )

    def _clean_acceptance_record(self) -> None:
        """As the constraints `task_accepted_has_acceptance_record` and the next two, each message on its field.

        The admin's form leaves out of its constraint checks those naming a field it shows read-only.
        """
        errors = {}
        if self.status in ACCEPTED_TASK_STATUSES:
            if self.accepted_on is None:
                errors["accepted_on"] = _(
                    "An accepted or completed task needs its acceptance record: the date and number of the "
                    "acceptance minutes or decision."
                )
            elif not self.acceptance_decision.strip() and not self.acceptance_backfilled:
                errors["acceptance_decision"] = _("Enter the number of the acceptance minutes or decision.")
        elif self.accepted_on is not None or self.acceptance_decision:
            errors["status"] = _("Only an accepted or completed task has an acceptance record.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_open(self) -> bool:
        """As `TaskQuerySet.open()`."""
        return self.status in OPEN_TASK_STATUSES

    @property
    def is_accepted(self) -> bool:
        """As `TaskQuerySet.accepted()`."""
        return self.status in ACCEPTED_TASK_STATUSES

    @property
    def is_overdue(self) -> bool:
        """As `TaskQuerySet.overdue(today)`, for today in Hà Nội."""
        return self.is_open and self.end_on < timezone.localdate()

    def get_absolute_url(self):
        return detail_url("task_detail", self.pk)

    def save(self, *args, **kwargs):
        # An edit of the task writes every column but the funding sums: the instance may have been read
        # before a funding row changed, and writing back the sums it read would undo that change.
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in FUNDING_SUMS
            ]
        super().save(*args, **kwargs)

    # Where `tasks.queries.with_places` leaves the places it reads with the tasks.
    PLACES_READ_WITH_TASK = "places_in_order"

    def place_rows(self) -> list["TaskPlace"]:
        """The places of implementation with their provinces, by province name: those read with the task
        (`tasks.queries.with_places`, as pages and exports do), else one query now."""
        read = self.__dict__.get(self.PLACES_READ_WITH_TASK)
        if read is not None:
            return read
        return list(self.places.select_related("province").order_by(*TaskPlace.ORDER_ON_PAGES))

    def places_label(self) -> str:
        """The places of implementation in one line ("Thái Bình (xã Vũ Hội); Nam Định"), from `place_rows()`."""
        return "; ".join(place.label for place in self.place_rows())

    search_select_related = ("lead_agency",)

    def search_parts(self):
        return [self.code, self.title, self.location, self.lead_agency.name, self.lead_agency.short_name]


class Funding(ChecksAtOnceModel):
    """Money for a task from one source in one year, allocated and disbursed, in whole VND.

    Written through the services of tasks/services.py (`funding_save`, `funding_delete`, …), which
    sum the task's funding again (`Task.ministry_funding` … `total_funding`) in the same transaction.
    """

    task = models.ForeignKey(
        Task,
        on_delete=models.CASCADE,
        related_name="fundings",
        verbose_name=_("task"),
    )
    source = models.CharField(
        max_length=20,
        choices=FundingSource.choices,
        db_index=True,
        verbose_name=_("source"),
    )
    year = models.PositiveSmallIntegerField(
        db_index=True,
        validators=YEAR_RANGE,
        verbose_name=_("year"),
    )
    allocated = money_field(
        _("allocated (VND)"),
    )
    disbursed = money_field(
        _("disbursed (VND)"),
        default=0,
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["task", "year", "source", "pk"]
        verbose_name = _("funding")
        verbose_name_plural = _("funding")
        constraints = [
            models.UniqueConstraint(
                fields=["task", "source", "year"],
                name="funding_unique_source_year",
                violation_error_message=_("The task already has funding from this source for this year."),
            ),
            models.CheckConstraint(
                condition=Q(allocated__gte=0, disbursed__gte=0),
                name="funding_amounts_not_negative",
                violation_error_message=_("Amounts cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(disbursed__lte=F("allocated")),
                name="funding_disbursed_within_allocated",
                violation_error_message=_("The amount disbursed cannot exceed the amount allocated."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR, year__lte=LAST_YEAR),
                name="funding_year_in_range",
                violation_error_message=YEAR_OUT_OF_RANGE,
            ),
        ]

    def __str__(self):
        return f"{self.get_source_display()} {self.year} – {self.task.code}"


class TaskPlace(models.Model):
    """A province where a task is carried out ("địa bàn thực hiện"), with the commune or ward if known.

    Apart from the lead agency's province: a Hà Nội institute carries out tasks in Thái Bình. A task
    has one place per province (`task_place_unique_province`); the commune is free text, several
    communes of the province in one line if need be. `Task.location`, older, stays as a note.
    """

    task = models.ForeignKey(
        Task,
        on_delete=models.CASCADE,
        related_name="places",
        verbose_name=_("task"),
    )
    province = models.ForeignKey(
        "programmes.Province",
        on_delete=models.PROTECT,
        related_name="task_places",
        verbose_name=_("province"),
    )
    commune = models.CharField(
        max_length=255,
        blank=True,
        verbose_name=_("commune or ward"),
        help_text=_("Optional: the commune(s) or ward(s) of the province where the task is carried out."),
    )

    history = HistoricalRecords()

    # A task's places as its page, its row in a list and the exports show them.
    ORDER_ON_PAGES = ("province__name", "pk")

    class Meta:
        ordering = ["task", "pk"]
        verbose_name = _("place of implementation")
        verbose_name_plural = _("places of implementation")
        constraints = [
            models.UniqueConstraint(
                fields=["task", "province"],
                name="task_place_unique_province",
                violation_error_message=_("The task already has this province as a place of implementation."),
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """The province, with the commune in brackets when one is recorded: "Thái Bình (xã Vũ Hội)"."""
        if self.commune:
            return f"{self.province.name} ({self.commune})"
        return self.province.name


class ProgressReport(ChecksAtOnceModel, VersionedModel):
    """A progress report ("báo cáo tiến độ") a province submits for a task; only approved ones count."""

    task = models.ForeignKey(
        Task,
        on_delete=models.CASCADE,
        related_name="progress_reports",
        verbose_name=_("task"),
    )
    as_of = models.DateField(
        db_index=True,
        verbose_name=_("as of"),
    )
    # The period of the programme's reporting schedule the report answers for; empty for a programme without
    # one. A period with reports is kept when its schedule is drawn again.
    period = models.ForeignKey(
        "programmes.ReportingPeriod",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="progress_reports",
        verbose_name=_("reporting period"),
    )
    percent_complete = percent_field(
        _("percent complete"),
    )
    summary = models.TextField(
        verbose_name=_("summary of progress"),
    )
    problems = models.TextField(
        blank=True,
        verbose_name=_("problems"),
    )
    next_steps = models.TextField(
        blank=True,
        verbose_name=_("next steps"),
    )
    # The sum of the report's figures per funding row (`disbursements`), written only by the service
    # that saves them (tasks/services.py), so that lists and exports show the total without a subquery.
    disbursed_to_date = money_field(
        _("disbursed to date (VND)"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The sum of what the report gives as disbursed on each funding row; empty when it gives none."),
    )
    status = models.CharField(
        max_length=20,
        choices=ReportStatus.choices,
        default=ReportStatus.DRAFT,
        db_index=True,
        verbose_name=_("status"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="progress_reports_submitted",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(
        null=True,
        blank=True,
        verbose_name=_("submitted at"),
    )
    # Whether a report came in on time is decided by the day of its first submission (in Hà Nội): a report
    # returned for corrections and submitted again after the due date was still sent on time.
    first_submitted_on = models.DateField(
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("first submitted on"),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="progress_reports_reviewed",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(
        null=True,
        blank=True,
        verbose_name=_("reviewed at"),
    )
    review_note = models.TextField(
        blank=True,
        verbose_name=_("review note"),
    )

    objects = ProgressReportQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["task", "-as_of", "-pk"]
        indexes = [
            # The reports of each task and period: what the reporting calendar reads for every expected report.
            models.Index(fields=["period", "task", "status"], name="progress_period_task_idx"),
            # The count of reports returned to a department in every page's header, among its tasks: probed task by
            # task in this small index alone, not by reading each returned report and testing its task.
            models.Index(fields=["task"], condition=Q(status=ReportStatus.RETURNED), name="progress_returned_idx"),
        ]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        permissions = [
            ("review_progressreport", _("Can approve or return progress reports")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent_complete__gte=0, percent_complete__lte=100),
                name="progress_percent_complete_0_100",
                violation_error_message=_("Percent complete must be between 0 and 100."),
            ),
            models.CheckConstraint(
                condition=Q(disbursed_to_date__isnull=True) | Q(disbursed_to_date__gte=0),
                name="progress_disbursed_not_negative",
                violation_error_message=_("The amount disbursed cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(reviewed_by__isnull=True)
                | Q(submitted_by__isnull=True)
                | ~Q(reviewed_by=F("submitted_by")),
                name="progress_not_reviewed_by_submitter",
                violation_error_message=_("Nobody may review their own progress report."),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[ReportStatus.APPROVED, ReportStatus.RETURNED])
                | Q(reviewed_by__isnull=False, reviewed_at__isnull=False),
                name="progress_reviewed_has_reviewer",
                violation_error_message=_("An approved or returned report must name its reviewer and review time."),
            ),
            models.CheckConstraint(
                condition=~Q(status=ReportStatus.RETURNED) | ~Q(review_note=""),
                name="progress_returned_has_reason",
                violation_error_message=_("A returned report must say why it was returned."),
            ),
            # The reporting calendar counts a report on time or late by this day: a report that was ever
            # submitted always has it (a draft may have it too: corrected after a return, kept as a draft).
            models.CheckConstraint(
                condition=Q(status=ReportStatus.DRAFT) | Q(first_submitted_on__isnull=False),
                name="progress_submitted_has_first_day",
                violation_error_message=_("A submitted report must have the day it was first submitted."),
            ),
        ]

    def __str__(self):
        return f"{self.task.code} – {self.as_of:%d/%m/%Y} ({self.percent_complete}%)"

    def clean(self):
        super().clean()
        if self.period_id and self.task_id and self.period.programme_id != self.task.programme_id:
            raise ValidationError({"period": _("The period belongs to another programme's reporting schedule.")})

    def get_absolute_url(self):
        return detail_url("progress_report_detail", self.pk)


class ProgressDisbursementQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ProgressDisbursementQuerySet":
        if sees_every_programme(user):
            return self
        return self.filter(is_visible_task("report__task_id", user))


class ProgressDisbursement(models.Model):
    """What a progress report gives as disbursed to date on one funding row (source and year) of its task.

    A province's accounts know the money per source and year; one cumulative figure cannot be split
    by source. Approving the report copies each figure onto its funding row's `disbursed`
    (`progress_report_approve`); a row the report leaves out keeps what was approved before.
    """

    report = models.ForeignKey(
        ProgressReport,
        on_delete=models.CASCADE,
        related_name="disbursements",
        verbose_name=_("progress report"),
    )
    # A funding row a report has given figures on is not deleted on its own (its amounts are corrected
    # instead); deleting the whole task deletes both.
    funding = models.ForeignKey(
        Funding,
        on_delete=models.RESTRICT,
        related_name="reported_disbursements",
        verbose_name=_("funding"),
    )
    disbursed_to_date = money_field(
        _("disbursed to date (VND)"),
    )

    objects = ProgressDisbursementQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "funding__year", "funding__source", "pk"]
        verbose_name = _("disbursement by funding row")
        verbose_name_plural = _("disbursements by funding row")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "funding"],
                name="progress_disbursement_one_per_row",
                violation_error_message=_("The report already gives an amount for this funding row."),
            ),
            models.CheckConstraint(
                condition=Q(disbursed_to_date__gte=0),
                name="progress_disbursement_not_negative",
                violation_error_message=_("The amount disbursed cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.funding.get_source_display()} {self.funding.year}"

    def clean(self):
        # The rule the form shows on each row, for every other writer (the admin, a script).
        if self.funding_id is None or self.report_id is None:
            return
        if self.funding.task_id != self.report.task_id:
            raise ValidationError({"funding": _("The funding row belongs to another task.")})
        if self.disbursed_to_date is not None and self.disbursed_to_date > self.funding.allocated:
            raise ValidationError({"disbursed_to_date": exceeds_allocation(self.funding.allocated)})


def disbursement_field(funding_id: int) -> str:
    """The name under which a progress report's form and its service speak of one funding row's figure."""
    return f"disbursed_{funding_id}"


def exceeds_allocation(allocated) -> str:
    """The message for an amount disbursed on a funding row above what the row was allocated."""
    return _("Cannot exceed the %(allocated)s allocated on this row.") % {"allocated": format_vnd(allocated)}


def report_date_error(task: "Task", as_of) -> str | None:
    """What is wrong with a progress report of `task` dated `as_of`, if anything: the future, or before the task."""
    if as_of > timezone.localdate():
        return _("The report cannot be dated in the future.")
    if as_of < task.start_on:
        return _("The report cannot be dated before the task started (%(start)s).") % {
            "start": task.start_on.strftime("%d/%m/%Y")
        }
    return None


def output_evidence_upload_to(instance: "Output", filename: str) -> str:
    """A random name in the task's folder: never the name the user's computer gave the file."""
    return f"outputs/{instance.task_id}/{uuid.uuid4().hex}{extension(filename)}"


def validate_evidence_file(file) -> None:
    """The checks of a meeting's documents (size, kind by content), with a message about evidence."""
    try:
        validate_attachment(file)
    except ValidationError as error:
        if error.code != "too_large":
            raise
        raise ValidationError(
            _("The file is larger than %(limit)s MB, the most an evidence document may be."),
            code="too_large",
            params=error.params,
        ) from error


class Output(ChecksAtOnceModel, VersionedModel, SearchableModel):
    """What a task produced ("kết quả, sản phẩm"): demonstration models, technologies, brands, varieties…

    Reviewed as progress reports are: the province records it, submits it, and Ministry staff other
    than the submitter verify it against its evidence or return it with the reason. Only verified
    outputs count in figures (`OutputQuerySet.counted`); a quantity counts in its unit only.
    """

    task = models.ForeignKey(
        Task,
        on_delete=models.CASCADE,
        related_name="outputs",
        verbose_name=_("task"),
    )
    kind = models.CharField(
        max_length=20,
        choices=OutputKind.choices,
        db_index=True,
        verbose_name=_("kind"),
    )
    name = models.CharField(
        max_length=500,
        verbose_name=_("name"),
    )
    description = models.TextField(
        blank=True,
        verbose_name=_("description"),
    )
    quantity = models.PositiveIntegerField(
        default=1,
        validators=[MinValueValidator(1, message=_("The quantity must be at least 1."))],
        verbose_name=_("quantity"),
        help_text=_('"12 demonstration models" is one row with quantity 12.'),
    )
    unit = models.CharField(
        max_length=50,
        verbose_name=_("unit"),
        help_text=_("What the quantity counts: only quantities of one unit add up."),
    )
    achieved_on = models.DateField(
        db_index=True,
        verbose_name=_("achieved on"),
    )
    location = models.CharField(
        max_length=255,
        blank=True,
        verbose_name=_("location"),
    )
    evidence_number = models.CharField(
        max_length=255,
        blank=True,
        verbose_name=_("evidence number"),
        help_text=_(
            "The number of the document that proves the output: the recognition decision of a variety, the "
            "certificate of a brand or patent, the transfer contract of a technology, the acceptance record of a "
            "model."
        ),
    )
    evidence_date = models.DateField(
        null=True,
        blank=True,
        verbose_name=_("evidence date"),
        help_text=_("The date of that document."),
    )
    evidence_file = models.FileField(
        upload_to=output_evidence_upload_to,
        max_length=255,
        blank=True,
        validators=[validate_evidence_file],
        verbose_name=_("evidence file"),
        help_text=_("Optional: a scan of the document (PDF, Word, Excel, OpenDocument, JPEG, PNG)."),
    )
    evidence_original_name = models.CharField(
        max_length=255,
        blank=True,
        editable=False,
        verbose_name=_("original file name"),
    )
    status = models.CharField(
        max_length=20,
        choices=OutputStatus.choices,
        default=OutputStatus.RECORDED,
        db_index=True,
        verbose_name=_("status"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outputs_submitted",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(
        null=True,
        blank=True,
        verbose_name=_("submitted at"),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outputs_reviewed",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(
        null=True,
        blank=True,
        verbose_name=_("reviewed at"),
    )
    review_note = models.TextField(
        blank=True,
        verbose_name=_("review note"),
    )

    objects = OutputQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        ordering = ["task", "kind", "name", "pk"]
        verbose_name = _("output")
        verbose_name_plural = _("outputs")
        permissions = [
            ("review_output", _("Can verify or return outputs")),
        ]
        indexes = [
            # The order above, so that the output list need not sort 250,000 rows for its first page.
            models.Index(fields=["task", "kind", "name", "id"], name="output_list_order_idx"),
            # Quantities by kind and unit, verified and pending, of a programme's tasks or of all (the
            # dashboard), read from the index alone on PostgreSQL.
            models.Index(fields=["task", "kind", "unit", "status", "quantity"], name="output_task_kind_unit_idx"),
            # The count of outputs waiting for review in every page's header (those of others than the reader),
            # read from this small index alone rather than from the rows of tens of thousands of outputs.
            models.Index(
                fields=["submitted_by"],
                condition=Q(status=OutputStatus.SUBMITTED),
                name="output_awaiting_review_idx",
            ),
            # The count of outputs returned to a department, as `progress_returned_idx`: 3.3 ms → 0.9 ms for a
            # province's 1,295 tasks at national scale, whose 5,950 outputs were read to find the 228 returned.
            models.Index(fields=["task"], condition=Q(status=OutputStatus.RETURNED), name="output_returned_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1),
                name="output_quantity_at_least_one",
                violation_error_message=_("The quantity must be at least 1."),
            ),
            models.CheckConstraint(
                condition=~Q(unit=""),
                name="output_has_unit",
                violation_error_message=_("Say what the quantity counts: its unit."),
            ),
            models.CheckConstraint(
                condition=Q(reviewed_by__isnull=True)
                | Q(submitted_by__isnull=True)
                | ~Q(reviewed_by=F("submitted_by")),
                name="output_not_reviewed_by_submitter",
                violation_error_message=_("Nobody may verify an output they submitted."),
            ),
            models.CheckConstraint(
                condition=Q(status=OutputStatus.RECORDED) | Q(submitted_at__isnull=False),
                name="output_submitted_has_time",
                violation_error_message=_("A submitted output must say when it was submitted."),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[OutputStatus.VERIFIED, OutputStatus.RETURNED])
                | Q(reviewed_by__isnull=False, reviewed_at__isnull=False),
                name="output_reviewed_has_reviewer",
                violation_error_message=_("A verified or returned output must name its reviewer and review time."),
            ),
            models.CheckConstraint(
                condition=~Q(status=OutputStatus.RETURNED) | ~Q(review_note=""),
                name="output_returned_has_reason",
                violation_error_message=_("A returned output must say why it was returned."),
            ),
            models.CheckConstraint(
                condition=~Q(status=OutputStatus.VERIFIED, kind__in=KINDS_VERIFIED_ONLY_WITH_EVIDENCE)
                | (~Q(evidence_number="") & Q(evidence_date__isnull=False)),
                name="output_verified_has_evidence",
                violation_error_message=_(
                    "A variety, brand or patent is verified only with the number and date of its recognition "
                    "decision or certificate."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return detail_url("output_detail", self.pk)

    def save(self, *args, **kwargs):
        # Before the first save of a file, it still has the name it was uploaded with.
        if self.evidence_file and not self.evidence_file._committed:
            self.evidence_original_name = safe_original_name(self.evidence_file.name)
        elif not self.evidence_file:
            self.evidence_original_name = ""
        super().save(*args, **kwargs)

    @property
    def evidence_labels(self) -> dict:
        """The labels of the evidence number and date for this output's kind."""
        return evidence_labels(self.kind)

    @property
    def evidence(self) -> str:
        """The evidence in one line: "TBR225/QĐ-BNN-TT, 31/12/2015"; empty when none is given."""
        parts = [self.evidence_number, self.evidence_date.strftime("%d/%m/%Y") if self.evidence_date else ""]
        return ", ".join(part for part in parts if part)

    @property
    def evidence_content_type(self) -> str:
        return content_type(self.evidence_original_name or self.evidence_file.name)

    @property
    def is_counted(self) -> bool:
        return self.status == OutputStatus.VERIFIED

    def search_parts(self):
        return [self.name, self.description, self.location, self.unit, self.evidence_number]
