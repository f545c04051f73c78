"""Writes of the reporting calendar: a programme's reporting schedule and the periods its reports answer for."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, ProtectedError, Subquery
from django.utils.translation import gettext as _

from coop.concurrency import ensure_unchanged
from programmes.choices import ReportingFrequency
from programmes.models import Programme, ReportingPeriod
from reporting.schedule import PeriodDates, periods_from_rule
from tasks.models import ProgressReport

SCHEDULE_FIELDS = ("reporting_frequency", "reporting_due_day", "reporting_due_months_after", "reminder_days_before")


def reporting_schedule_save(*, programme: Programme, data: dict, periods_formset=None, opened_version=None) -> int:
    """Save the schedule's rule and the periods edited by hand; the number of reports newly placed in a period."""
    with transaction.atomic():
        programme = _schedule_saved(programme, data, opened_version)
        if periods_formset is not None:
            periods_formset.instance = programme
            try:
                periods_formset.save()
            except ProtectedError as error:
                raise ValidationError(_("A period that reports answer for cannot be deleted.")) from error
        return reports_placed_in_periods(programme=programme)


def reporting_schedule_draw(*, programme: Programme, data: dict, opened_version=None) -> tuple[int, int]:
    """Draw the periods again from the rule: (periods kept because reports answer for them, reports placed).

    Periods of the rule are created or given the rule's dates; other periods go, unless reports
    answer for them (those stay, and the page says how many).
    """
    with transaction.atomic():
        programme = _schedule_saved(programme, data, opened_version)
        if programme.reporting_frequency == ReportingFrequency.MANUAL:
            raise ValidationError(_("Choose how often the provinces report before drawing periods from the rule."))
        drawn = periods_from_rule(
            frequency=programme.reporting_frequency,
            first_year=programme.start_year,
            last_year=programme.period_end_year,
            due_day=programme.reporting_due_day,
            due_months_after=programme.reporting_due_months_after,
        )
        kept = _replace_periods(programme, drawn)
        return kept, reports_placed_in_periods(programme=programme)


def _schedule_saved(programme: Programme, data: dict, opened_version) -> Programme:
    if opened_version is not None:
        programme = ensure_unchanged(programme, opened_version=opened_version)
    for name in SCHEDULE_FIELDS:
        setattr(programme, name, data[name])
    programme.full_clean()
    programme.save()
    return programme


def _replace_periods(programme: Programme, drawn: list[PeriodDates]) -> int:
    existing = {period.ends_on: period for period in programme.reporting_periods.select_for_update()}
    for dates in drawn:
        period = existing.pop(dates.ends_on, None) or ReportingPeriod(programme=programme)
        period.starts_on, period.ends_on, period.due_on, period.is_final = (
            dates.starts_on,
            dates.ends_on,
            dates.due_on,
            dates.is_final,
        )
        period.full_clean()
        period.save()
    answered = set(ProgressReport.objects.filter(period__in=existing.values()).values_list("period", flat=True))
    for period in existing.values():
        if period.pk not in answered:
            period.delete()
    return len(answered)


def reports_placed_in_periods(*, programme: Programme) -> int:
    """Give each report of the programme's tasks that answers for no period the period its date falls in."""
    period_of_date = ReportingPeriod.objects.filter(programme=programme).containing(OuterRef("as_of"))
    task_ids = programme.tasks.values("pk")
    unplaced = ProgressReport.objects.filter(task__in=task_ids, period__isnull=True).filter(Exists(period_of_date))
    return unplaced.update(period=Subquery(period_of_date.values("pk")[:1]))
