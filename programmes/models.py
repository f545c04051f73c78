"""Provinces, agencies, people, programmes and their review meetings."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.models import HistoricalRecords

from coop.dates import FIRST_YEAR, LAST_YEAR
from coop.figures import list_url
from coop.links import detail_url
from coop.models import SearchableModel, VersionedModel
from coop.roles import own_agency_ids, sees_every_programme
from programmes.choices import (
    PENDING_RECOMMENDATION_STATUSES,
    AgencyKind,
    AttendanceRole,
    MeetingKind,
    PartyRole,
    ProgrammeKind,
    ProgrammeStatus,
    RecommendationStatus,
    ReportingFrequency,
    TargetMetric,
)
from programmes.uploads import content_type, safe_original_name, stored_name, validate_attachment

# How many open tasks the message refusing to close a programme names; the list it links has them all.
OPEN_TASKS_NAMED = 5


# The last year of a programme's period: that of its orientation ("định hướng đến năm …") when it has one,
# else its end year. A programme "2012–2015 with orientation to 2020" runs its tasks until 2020 and is
# reviewed for good then; it is overdue only from 2021 (docs/decisions.md, "Statuses that agree…").
PERIOD_END_YEAR = Coalesce("orientation_year", "end_year")


class ProgrammeQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ProgrammeQuerySet":
        if sees_every_programme(user):
            return self
        party_of = ProgrammeParty.objects.filter(agency_id__in=own_agency_ids(user)).values("programme_id")
        return self.filter(pk__in=party_of)

    def overdue(self, today: datetime.date) -> "ProgrammeQuerySet":
        """Active programmes whose period (with its orientation) ended before the year of `today`.

        `Programme.is_overdue` says the same of one row.
        """
        return self.alias(period_end_year=PERIOD_END_YEAR).filter(
            status=ProgrammeStatus.ACTIVE, period_end_year__lt=today.year
        )

    def not_overdue(self, today: datetime.date) -> "ProgrammeQuerySet":
        """Every programme but those `overdue(today)`."""
        return self.exclude(pk__in=Programme.objects.overdue(today).values("pk"))

    def period_ending_by(self, year: int) -> "ProgrammeQuerySet":
        """Programmes whose period (with its orientation) ends in `year` or earlier."""
        return self.alias(period_end_year=PERIOD_END_YEAR).filter(period_end_year__lte=year)


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user) -> "MeetingQuerySet":
        if sees_every_programme(user):
            return self
        return self.filter(programme__in=Programme.objects.visible_to(user).values("pk"))


def overdue_recommendation(today: datetime.date) -> Q:
    """A recommendation still waiting for someone to act (open or in progress) past its due date: the one definition
    the dashboard, the lists, the meeting page, the reporting calendar and the reminders share."""
    return Q(status__in=PENDING_RECOMMENDATION_STATUSES, due_on__lt=today)


class RecommendationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "RecommendationQuerySet":
        if sees_every_programme(user):
            return self
        return self.filter(meeting__programme__in=Programme.objects.visible_to(user).values("pk"))

    def overdue(self, today: datetime.date) -> "RecommendationQuerySet":
        return self.filter(overdue_recommendation(today))


class AgencyQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AgencyQuerySet":
        """The directory of agencies is public to every user who has logged in."""
        return self if user.is_authenticated else self.none()


class Province(models.Model):
    """A province or centrally-run city ("tỉnh, thành phố").

    Never renamed in place: when provinces merge (e.g. Thái Bình into Hưng Yên on
    1/7/2025) the old row gets `valid_to` and a `successor`, so records signed
    under the old name keep it.
    """

    code = models.CharField(
        max_length=2,
        verbose_name=_("code"),
        help_text=_("Official two-digit code of the province."),
    )
    name = models.CharField(
        max_length=100,
        verbose_name=_("name"),
    )
    valid_from = models.DateField(
        null=True,
        blank=True,
        verbose_name=_("valid from"),
    )
    valid_to = models.DateField(
        null=True,
        blank=True,
        verbose_name=_("valid to"),
        help_text=_("Empty while the province exists."),
    )
    successor = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("successor"),
        help_text=_("The province that carries on after a merger."),
    )

    class Meta:
        ordering = ["code", "pk"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(valid_to__isnull=True),
                name="province_code_unique_while_current",
                violation_error_message=_("Another existing province already has this code."),
            ),
            # With the one above: code and last day are the natural key `load_provinces` writes by.
            models.UniqueConstraint(
                fields=["code", "valid_to"],
                condition=Q(valid_to__isnull=False),
                name="province_code_unique_per_last_day",
                violation_error_message=_("Another province with this code ended on the same day."),
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_from__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="province_valid_to_after_valid_from",
                violation_error_message=_("The end of validity cannot be before its start."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_current(self) -> bool:
        return self.valid_to is None


class Agency(SearchableModel):
    """An agency or organisation ("cơ quan, đơn vị"): a ministry, a department, an institute, a firm."""

    name = models.CharField(
        max_length=255,
        verbose_name=_("name"),
    )
    short_name = models.CharField(
        max_length=64,
        blank=True,
        verbose_name=_("short name"),
    )
    kind = models.CharField(
        max_length=20,
        choices=AgencyKind.choices,
        default=AgencyKind.OTHER,
        db_index=True,
        verbose_name=_("kind"),
    )
    document_code = models.CharField(
        max_length=20,
        blank=True,
        # In the database too: rows written by code that predates the column (older migrations) get "".
        db_default="",
        validators=[RegexValidator(r"^[A-ZĐ0-9&]+(-[A-ZĐ0-9&]+)*$", _("Capital letters, digits and dashes only."))],
        help_text=_('The abbreviation of its name in the symbol of the documents it issues: "BKHCN" in "15/BC-BKHCN".'),
        verbose_name=_("document code"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent agency"),
    )
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agencies",
        verbose_name=_("province"),
        help_text=_("Empty for central agencies."),
    )
    valid_to = models.DateField(
        null=True,
        blank=True,
        db_index=True,
        verbose_name=_("valid to"),
        help_text=_("Empty while the agency exists."),
    )
    successor = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("successor"),
        help_text=_("The agency that carries on after a merger."),
    )

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return detail_url("agency_detail", self.pk)

    def search_parts(self):
        return [self.name, self.short_name]

    def clean(self):
        super().clean()
        if self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": _("An agency cannot be its own parent.")})
        if self.pk and self.successor_id == self.pk:
            raise ValidationError({"successor": _("An agency cannot be its own successor.")})

    @property
    def is_current(self) -> bool:
        return self.valid_to is None


class Person(SearchableModel):
    """A person named in programmes and meetings: a representative, an investigator, an attendee."""

    full_name = models.CharField(
        max_length=150,
        verbose_name=_("full name"),
    )
    position = models.CharField(
        max_length=255,
        blank=True,
        verbose_name=_("position"),
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("agency"),
    )

    class Meta:
        ordering = ["full_name", "pk"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return self.full_name

    search_select_related = ("agency",)

    def search_parts(self):
        agency_names = [self.agency.name, self.agency.short_name] if self.agency else []
        return [self.full_name, self.position, *agency_names]


class Programme(VersionedModel, SearchableModel):
    """A programme: a cooperation programme between the Ministry and a province, or a national one."""

    code = models.CharField(
        max_length=40,
        unique=True,
        verbose_name=_("code"),
        error_messages={"unique": _("A programme with this code already exists.")},
    )
    title = models.CharField(
        max_length=500,
        verbose_name=_("title"),
    )
    kind = models.CharField(
        max_length=20,
        choices=ProgrammeKind.choices,
        default=ProgrammeKind.COOPERATION,
        db_index=True,
        verbose_name=_("kind"),
    )
    parties = models.ManyToManyField(
        Agency,
        through="ProgrammeParty",
        related_name="programmes",
        verbose_name=_("parties"),
    )
    start_year = models.PositiveSmallIntegerField(
        verbose_name=_("start year"),
    )
    end_year = models.PositiveSmallIntegerField(
        verbose_name=_("end year"),
    )
    orientation_year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        verbose_name=_("orientation to year"),
    )
    signed_on = models.DateField(
        null=True,
        blank=True,
        verbose_name=_("signed on"),
    )
    objectives = models.TextField(
        blank=True,
        verbose_name=_("objectives"),
    )
    legal_basis = models.TextField(
        blank=True,
        verbose_name=_("legal basis"),
    )
    status = models.CharField(
        max_length=20,
        choices=ProgrammeStatus.choices,
        default=ProgrammeStatus.DRAFT,
        db_index=True,
        verbose_name=_("status"),
    )
    previous_phase = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_phases",
        verbose_name=_("previous phase"),
    )
    # Published programmes, their figures and outputs are open to anyone (/public/, the open data downloads).
    published = models.BooleanField(
        default=False,
        db_default=False,
        db_index=True,
        verbose_name=_("published"),
        help_text=_("Shown to the public on the open pages and in the open data, with its verified outputs."),
    )
    # The reporting schedule ("chế độ báo cáo"): the rule its periods were drawn by and when reminders go out.
    reporting_frequency = models.CharField(
        max_length=20,
        choices=ReportingFrequency.choices,
        default=ReportingFrequency.HALF_YEARLY,
        db_default=ReportingFrequency.HALF_YEARLY,
        verbose_name=_("reporting frequency"),
    )
    reporting_due_day = models.PositiveSmallIntegerField(
        default=15,
        db_default=15,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        verbose_name=_("reports due on day"),
        help_text=_("Day of the month a period's report is due (1–28)."),
    )
    reporting_due_months_after = models.PositiveSmallIntegerField(
        default=1,
        db_default=1,
        validators=[MaxValueValidator(3)],
        verbose_name=_("months after the period"),
        help_text=_("0: due in the last month of the period; 1: in the month after it; and so on."),
    )
    reminder_days_before = models.PositiveSmallIntegerField(
        default=7,
        db_default=7,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        verbose_name=_("remind days before"),
        help_text=_("How many days before a due date the reporting users are reminded."),
    )

    objects = ProgrammeQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        ordering = ["-start_year", "code", "pk"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        indexes = [
            models.Index(fields=["start_year", "end_year"], name="programme_years_idx"),
            # The order above, so that lists sorted by programme (tasks, outputs) need not sort every row.
            models.Index(fields=["-start_year", "code", "id"], name="programme_list_order_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=F("start_year")),
                name="programme_end_year_not_before_start",
                violation_error_message=_("The end year cannot be before the start year."),
            ),
            models.CheckConstraint(
                condition=Q(start_year__gte=FIRST_YEAR, end_year__lte=LAST_YEAR),
                name="programme_years_in_range",
                violation_error_message=format_lazy(
                    _("Years must be between {first} and {last}."), first=FIRST_YEAR, last=LAST_YEAR
                ),
            ),
            models.CheckConstraint(
                condition=Q(orientation_year__isnull=True) | Q(orientation_year__gte=F("end_year")),
                name="programme_orientation_not_before_end",
                violation_error_message=_("The orientation year cannot be before the end year."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return detail_url("programme_detail", self.pk)

    def search_parts(self):
        parts = [self.code, self.title]
        if self.pk:
            # Parties are saved after the programme; ProgrammeParty refreshes this on its own save.
            parts += [name for pair in self.parties.values_list("name", "short_name") for name in pair]
        return parts

    def clean(self):
        """A programme cannot be closed while any of its tasks is open (`TaskQuerySet.open()`).

        Read through `Programme.tasks`, whose manager is the tasks app's: this app imports nothing of it.
        """
        super().clean()
        if self.status != ProgrammeStatus.COMPLETED or self.pk is None:
            return
        open_codes = list(self.tasks.open().order_by("code", "pk").values_list("code", flat=True))
        if open_codes:
            raise ValidationError({"status": self.open_tasks_message(open_codes)})

    def open_tasks_message(self, open_codes: list[str]) -> str:
        shown = ", ".join(open_codes[:OPEN_TASKS_NAMED])
        if len(open_codes) > OPEN_TASKS_NAMED:
            shown += ", …"
        return ngettext(
            "The programme cannot be closed: %(count)d task is not finished (%(codes)s). Accept, complete or "
            "cancel it first; the list: %(url)s",
            "The programme cannot be closed: %(count)d tasks are not finished (%(codes)s). Accept, complete or "
            "cancel them first; the list: %(url)s",
            len(open_codes),
        ) % {
            "count": len(open_codes),
            "codes": shown,
            "url": list_url("task_list", programme=self.pk, state="open"),
        }

    @property
    def period_end_year(self) -> int:
        """As `PERIOD_END_YEAR`: the orientation year if any, else the end year."""
        return self.orientation_year or self.end_year

    @property
    def is_overdue(self) -> bool:
        """As `ProgrammeQuerySet.overdue(today)`, for today in Hà Nội."""
        return self.status == ProgrammeStatus.ACTIVE and self.period_end_year < timezone.localdate().year

    @property
    def period_label(self) -> str:
        period = f"{self.start_year}–{self.end_year}"
        if self.orientation_year:
            return _("%(period)s, orientation to %(year)s") % {"period": period, "year": self.orientation_year}
        return period


class ReportingPeriodQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ReportingPeriodQuerySet":
        if sees_every_programme(user):
            return self
        return self.filter(programme__in=Programme.objects.visible_to(user).values("pk"))

    def containing(self, day) -> "ReportingPeriodQuerySet":
        """The periods `day` falls in (a date, or a reference to one such as `OuterRef("as_of")`), earliest first."""
        return self.filter(starts_on__lte=day, ends_on__gte=day).order_by("ends_on")


class ReportingPeriod(models.Model):
    """A period the provinces report on for every task of a programme in progress during it, and its due date.

    Only the periods are stored: the report a task owes for a period is computed
    (`reporting.queries`), never a row of its own.
    """

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="reporting_periods",
        verbose_name=_("programme"),
    )
    starts_on = models.DateField(
        verbose_name=_("period starts on"),
    )
    ends_on = models.DateField(
        db_index=True,
        verbose_name=_("period ends on"),
    )
    due_on = models.DateField(
        db_index=True,
        verbose_name=_("report due on"),
    )
    is_final = models.BooleanField(
        default=False,
        verbose_name=_("final report"),
        help_text=_("The report at the end of the programme (“báo cáo tổng kết”)."),
    )

    objects = ReportingPeriodQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "ends_on", "pk"]
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="reporting_period_ends_after_start",
                violation_error_message=_("A period cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=F("starts_on")),
                name="reporting_period_due_after_start",
                violation_error_message=_("A report cannot be due before its period starts."),
            ),
            models.UniqueConstraint(
                fields=["programme", "ends_on"],
                name="reporting_period_unique_end",
                violation_error_message=_("The programme already has a period ending on this day."),
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return period_label(self.starts_on, self.ends_on, is_final=self.is_final)


def period_label(starts_on: datetime.date, ends_on: datetime.date, *, is_final: bool = False) -> str:
    """How people name a period: "6 tháng đầu năm 2020", "Quý 3/2021", "Năm 2019", else its two dates."""
    label = _calendar_period_label(starts_on, ends_on) or "{} – {}".format(
        starts_on.strftime("%d/%m/%Y"), ends_on.strftime("%d/%m/%Y")
    )
    if is_final:
        return _("Final report (%(period)s)") % {"period": label}
    return label


def _calendar_period_label(starts_on: datetime.date, ends_on: datetime.date) -> str | None:
    year = starts_on.year
    next_day = ends_on + datetime.timedelta(days=1)
    if starts_on.day != 1 or next_day.day != 1 or ends_on.year != year:
        return None
    months = ends_on.month - starts_on.month + 1
    if months == 12:
        return _("Year %(year)s") % {"year": year}
    if months == 6 and starts_on.month == 1:
        return _("First half of %(year)s") % {"year": year}
    if months == 6 and starts_on.month == 7:
        return _("Second half of %(year)s") % {"year": year}
    if months == 3 and starts_on.month % 3 == 1:
        return _("Quarter %(quarter)s/%(year)s") % {"quarter": starts_on.month // 3 + 1, "year": year}
    return None


class ProgrammeParty(models.Model):
    """An agency's part in a programme, and the person who represents it."""

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="programme_parties",
        verbose_name=_("programme"),
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="programme_parties",
        verbose_name=_("agency"),
    )
    role = models.CharField(
        max_length=20,
        choices=PartyRole.choices,
        verbose_name=_("role"),
    )
    representative = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="representations",
        verbose_name=_("representative"),
    )

    class Meta:
        ordering = ["programme", "role", "pk"]
        verbose_name = _("programme party")
        verbose_name_plural = _("programme parties")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "agency"],
                name="programme_party_unique_agency",
                violation_error_message=_("This agency is already a party to the programme."),
            ),
        ]

    def __str__(self):
        return f"{self.agency} – {self.get_role_display()}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.programme.save(update_fields=["search_text"])

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self.programme.save(update_fields=["search_text"])
        return result


class Target(models.Model):
    """What a programme agreed to deliver, shown beside the figure computed from the records."""

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="targets",
        verbose_name=_("programme"),
    )
    metric = models.CharField(
        max_length=20,
        choices=TargetMetric.choices,
        verbose_name=_("metric"),
    )
    value = models.DecimalField(
        max_digits=18,
        decimal_places=0,
        verbose_name=_("target value"),
    )
    note = models.CharField(
        max_length=255,
        blank=True,
        verbose_name=_("note"),
    )

    class Meta:
        ordering = ["programme", "metric", "pk"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "metric"],
                name="target_unique_metric_per_programme",
                violation_error_message=_("The programme already has a target for this metric."),
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="target_value_not_negative",
                violation_error_message=_("A target cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.get_metric_display()}: {self.value}"


class Meeting(VersionedModel, SearchableModel):
    """A working session, review conference or signing ceremony of a programme."""

    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        related_name="meetings",
        verbose_name=_("programme"),
    )
    held_on = models.DateField(
        db_index=True,
        verbose_name=_("held on"),
    )
    place = models.CharField(
        max_length=255,
        verbose_name=_("place"),
    )
    kind = models.CharField(
        max_length=20,
        choices=MeetingKind.choices,
        db_index=True,
        verbose_name=_("kind"),
    )
    title = models.CharField(
        max_length=500,
        verbose_name=_("title"),
    )
    summary = models.TextField(
        blank=True,
        verbose_name=_("summary"),
    )
    conclusions = models.TextField(
        blank=True,
        verbose_name=_("conclusions"),
    )
    attendees = models.ManyToManyField(
        Person,
        through="Attendance",
        related_name="meetings",
        verbose_name=_("attendees"),
    )

    objects = MeetingQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        ordering = ["-held_on", "pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return detail_url("meeting_detail", self.pk)

    def search_parts(self):
        return [self.title, self.place, self.summary, self.conclusions]


class Attendance(models.Model):
    """A person's presence at a meeting, and the part they played."""

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("meeting"),
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="attendances",
        verbose_name=_("person"),
    )
    role = models.CharField(
        max_length=20,
        choices=AttendanceRole.choices,
        default=AttendanceRole.ATTENDEE,
        verbose_name=_("role"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "role", "pk"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"],
                name="attendance_unique_person_per_meeting",
                violation_error_message=_("This person is already listed for the meeting."),
            ),
        ]

    def __str__(self):
        return f"{self.person} ({self.get_role_display()})"


class Recommendation(VersionedModel):
    """A recommendation raised at a meeting ("kiến nghị, đề xuất"), and how it is followed up."""

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        related_name="recommendations",
        verbose_name=_("meeting"),
    )
    text = models.TextField(
        verbose_name=_("recommendation"),
    )
    raised_by = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="recommendations_raised",
        verbose_name=_("raised by"),
    )
    addressed_to = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="recommendations_received",
        verbose_name=_("addressed to"),
    )
    due_on = models.DateField(
        null=True,
        blank=True,
        db_index=True,
        verbose_name=_("due on"),
    )
    status = models.CharField(
        max_length=20,
        choices=RecommendationStatus.choices,
        default=RecommendationStatus.OPEN,
        db_index=True,
        verbose_name=_("status"),
    )
    follow_up = models.TextField(
        blank=True,
        verbose_name=_("follow-up"),
    )

    objects = RecommendationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "pk"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        permissions = [
            ("follow_up_recommendation", _("Can record the follow-up of recommendations addressed to their agency")),
        ]

    def __str__(self):
        return self.text if len(self.text) <= 80 else self.text[:79] + "…"


def attachment_upload_to(instance: "Attachment", filename: str) -> str:
    """A random name in the meeting's folder: never the name the user's computer gave the file."""
    return stored_name(instance.meeting_id, filename)


class Attachment(models.Model):
    """A document of a meeting: minutes, slides, the signed conclusions."""

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("meeting"),
    )
    file = models.FileField(
        upload_to=attachment_upload_to,
        max_length=255,
        validators=[validate_attachment],
        verbose_name=_("file"),
    )
    title = models.CharField(
        max_length=255,
        verbose_name=_("title"),
    )
    original_name = models.CharField(
        max_length=255,
        blank=True,
        editable=False,
        verbose_name=_("original file name"),
    )

    class Meta:
        ordering = ["meeting", "title", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Before the first save the file still has the name it was uploaded with.
        if not self.original_name and self.file:
            self.original_name = safe_original_name(self.file.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("attachment_download", args=[self.meeting_id, self.pk])

    @property
    def content_type(self) -> str:
        return content_type(self.original_name or self.file.name)

    @property
    def size_in_storage(self) -> int | None:
        """The file's size, or None when the storage has lost it (the page still shows the row)."""
        try:
            return self.file.size
        except OSError:
            return None
