"""Writes of the tasks app: funding rows, the progress-report workflow and the outputs of tasks with their review.

Each function is one transaction. Approving a progress report is the only way a
task's percent complete, status and disbursed amounts change from the provinces'
side: they follow the latest approved report, never a draft or a submitted one.

Funding rows are written here only (the admin included): each write sums the funding of the
tasks it touched again onto those tasks (`Task.ministry_funding` … `total_funding`, see
`TaskQuerySet.refresh_funding_sums`) in the same transaction.
"""

from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet, Sum
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from coop.concurrency import ensure_unchanged
from coop.formatting import format_vnd
from tasks.choices import (
    KINDS_VERIFIED_ONLY_WITH_EVIDENCE,
    OUTPUT_STATUSES_OPEN_FOR_EDITS,
    OutputStatus,
    ReportStatus,
    TaskStatus,
)
from tasks.models import Funding, Output, ProgressReport, Task

# Fields of a progress report the province writes; the rest belongs to the workflow.
PROGRESS_REPORT_FIELDS = ("as_of", "percent_complete", "summary", "problems", "next_steps", "disbursed_to_date")
TEXT_FIELDS = ("summary", "problems", "next_steps")
OUTPUT_FIELDS = (
    "kind",
    "name",
    "description",
    "quantity",
    "unit",
    "achieved_on",
    "location",
    "evidence_number",
    "evidence_date",
)
OUTPUT_TEXT_FIELDS = ("name", "description", "unit", "location", "evidence_number")

# An approved report moves a task that had not started yet into "in progress".
STATUSES_STARTED_BY_PROGRESS = (TaskStatus.PROPOSED, TaskStatus.APPROVED)


def funding_save(*, funding: Funding) -> Funding:
    """Save a new or changed funding row; its task's sums follow (both tasks' when the row moved)."""
    funding_save_many(saved=[funding])
    return funding


def funding_delete(*, funding: Funding) -> None:
    """Delete a funding row; its task's sums follow."""
    funding_save_many(deleted=[funding])


def funding_save_many(*, saved: Iterable[Funding] = (), deleted: Iterable[Funding] = ()) -> None:
    """Delete some funding rows and save others (the funding rows of a task's form), then sum again the
    funding of every task they belong or belonged to: a row moved to another task changes both."""
    saved, deleted = list(saved), list(deleted)
    with transaction.atomic():
        stored = [row.pk for row in (*saved, *deleted) if row.pk is not None]
        task_ids = {row.task_id for row in (*saved, *deleted)}
        task_ids.update(Funding.objects.filter(pk__in=stored).values_list("task", flat=True))
        _lock_tasks(task_ids)
        for row in deleted:
            row.delete()
        for row in saved:
            row.full_clean()
            row.save()
        Task.objects.filter(pk__in=task_ids).refresh_funding_sums()


def funding_delete_many(*, fundings: QuerySet) -> int:
    """Delete every funding row of `fundings` (the admin's "delete selected"); their tasks' sums follow.
    The number of rows deleted."""
    with transaction.atomic():
        task_ids = set(fundings.order_by().values_list("task", flat=True).distinct())
        _lock_tasks(task_ids)
        deleted, _by_model = fundings.delete()
        Task.objects.filter(pk__in=task_ids).refresh_funding_sums()
    return deleted


def _lock_tasks(task_ids) -> None:
    """Lock the tasks whose sums are about to be written, before their funding rows change.

    Two transactions adding funding to one task then take turns: the second sums the rows only
    once the first has committed (on PostgreSQL each statement reads what was committed before
    it began), so neither writes sums that miss the other's row. Locked in the order of their keys,
    so that two writers of several tasks never each hold a task the other waits for. SQLite writes
    one transaction at a time anyway.
    """
    list(Task.objects.select_for_update().filter(pk__in=task_ids).order_by("pk").values_list("pk", flat=True))


def progress_report_save(
    *,
    task: Task,
    author,
    data: dict,
    submit: bool,
    report: ProgressReport | None = None,
    opened_version: int | None = None,
) -> ProgressReport:
    """Create or correct a progress report, kept as a draft or submitted for review.

    A returned report corrected and submitted again goes back into the review queue;
    the reason it was returned stays in its history.
    """
    with transaction.atomic():
        if report is None:
            report = ProgressReport(task=task)
        else:
            report = ensure_unchanged(report, opened_version=opened_version)
            if report.status not in (ReportStatus.DRAFT, ReportStatus.RETURNED):
                raise ValidationError(_("This report was submitted meanwhile and can no longer be changed."))
        for name in PROGRESS_REPORT_FIELDS:
            setattr(report, name, data.get(name))
        for name in TEXT_FIELDS:
            setattr(report, name, (getattr(report, name) or "").strip())
        _check_against_task(report)
        # A corrected report starts a new review; the earlier return stays in its history.
        report.reviewed_by, report.reviewed_at, report.review_note = None, None, ""
        report.submitted_by = author
        if submit:
            report.status = ReportStatus.SUBMITTED
            report.submitted_at = timezone.now()
        else:
            report.status = ReportStatus.DRAFT
        report.full_clean()
        report.save()
    return report


def progress_report_approve(*, report: ProgressReport, reviewer, note: str = "") -> ProgressReport:
    """Approve a submitted report; the task's percent, status and disbursed amounts follow it."""
    with transaction.atomic():
        report = _lock_for_review(report, reviewer)
        _check_against_task(report)
        report.status = ReportStatus.APPROVED
        _record_review(report, reviewer, note)
        _task_follows_approved_progress(report.task)
    _notify_submitter(report)
    return report


def progress_report_return(*, report: ProgressReport, reviewer, note: str) -> ProgressReport:
    """Send a submitted report back to its province with the reason; nothing in the task changes."""
    if not note.strip():
        raise ValidationError({"note": _("Say why the report is returned, so that the province can correct it.")})
    with transaction.atomic():
        report = _lock_for_review(report, reviewer)
        report.status = ReportStatus.RETURNED
        _record_review(report, reviewer, note)
    _notify_submitter(report)
    return report


def output_record(*, task: Task, author, data: dict, submit: bool = False) -> Output:
    """Record what a task produced, kept as recorded or submitted at once for the Ministry's verification.

    A recorded output counts in no figure; it shows beside them as pending.
    """
    with transaction.atomic():
        output = Output(task=task)
        _fill_output(output, data)
        if submit:
            _mark_submitted(output, author)
        output.full_clean()
        output.save()
    return output


def output_update(*, output: Output, author, data: dict, opened_version: int | None, submit: bool = False) -> Output:
    """Correct an output, refused if someone else saved it after the form was opened.

    The province corrects what it recorded or what was returned to it: a returned output, once
    corrected, is submitted again (the reason it was returned stays in its history). A submitted or
    verified output is the Ministry's to correct: its correction is submitted again in the name of
    whoever corrected it, so that someone else verifies it before it counts again.
    """
    with transaction.atomic():
        output = ensure_unchanged(output, opened_version=opened_version)
        if output.status not in OUTPUT_STATUSES_OPEN_FOR_EDITS and not author.has_perm("tasks.review_output"):
            raise ValidationError(
                _("This output is “%(status)s” and can no longer be changed by the province.")
                % {"status": output.get_status_display()}
            )
        _fill_output(output, data)
        if submit or output.status != OutputStatus.RECORDED:
            _mark_submitted(output, author)
        output.full_clean()
        output.save()
    return output


def output_submit(*, output: Output, author) -> Output:
    """Send a recorded (or returned) output to the Ministry for verification."""
    with transaction.atomic():
        output = Output.objects.select_for_update().get(pk=output.pk)
        if output.status not in OUTPUT_STATUSES_OPEN_FOR_EDITS:
            raise ValidationError(
                _("This output cannot be submitted: it is now “%(status)s”.") % {"status": output.get_status_display()}
            )
        _mark_submitted(output, author)
        output.full_clean()
        output.save()
    return output


def output_verify(*, output: Output, reviewer, note: str = "") -> Output:
    """Verify a submitted output against its evidence: from now on it counts in every figure.

    Varieties, brands and patents (`KINDS_VERIFIED_ONLY_WITH_EVIDENCE`) need the number and date of
    their recognition decision or certificate; other kinds are verified on whatever evidence the
    reviewer accepts, recorded when given.
    """
    with transaction.atomic():
        output = _lock_output_for_review(output, reviewer)
        if output.kind in KINDS_VERIFIED_ONLY_WITH_EVIDENCE and not (output.evidence_number and output.evidence_date):
            labels = output.evidence_labels
            raise ValidationError(
                _(
                    "Verifying needs the evidence: %(number)s and %(date)s. "
                    "Return the output so that the province adds them."
                )
                % {"number": str(labels["number"]).lower(), "date": str(labels["date"]).lower()}
            )
        output.status = OutputStatus.VERIFIED
        _record_output_review(output, reviewer, note)
    _notify_output_submitter(output)
    return output


def output_return(*, output: Output, reviewer, note: str) -> Output:
    """Send a submitted output back to the province with the reason; it counts in no figure meanwhile."""
    if not note.strip():
        raise ValidationError({"note": _("Say why the output is returned, so that the province can correct it.")})
    with transaction.atomic():
        output = _lock_output_for_review(output, reviewer)
        output.status = OutputStatus.RETURNED
        _record_output_review(output, reviewer, note)
    _notify_output_submitter(output)
    return output


def _fill_output(output: Output, data: dict) -> None:
    """The fields the province writes; the evidence file is kept unless a new one comes or it is cleared."""
    _set_fields(output, OUTPUT_FIELDS, data)
    for name in OUTPUT_TEXT_FIELDS:
        setattr(output, name, (getattr(output, name) or "").strip())
    evidence_file = data.get("evidence_file")
    if evidence_file is False:  # the form's "clear" box
        output.evidence_file = None
    elif evidence_file:
        output.evidence_file = evidence_file


def _mark_submitted(output: Output, author) -> None:
    """Submitted now by `author`; an earlier review (a return, a verification) stays in the history."""
    output.status = OutputStatus.SUBMITTED
    output.submitted_by = author
    output.submitted_at = timezone.now()
    output.reviewed_by, output.reviewed_at, output.review_note = None, None, ""


def _lock_output_for_review(output: Output, reviewer) -> Output:
    """The current row, locked; refused unless it waits for review, the reviewer may verify, and it is not theirs."""
    output = Output.objects.select_for_update().select_related("task").get(pk=output.pk)
    if not reviewer.has_perm("tasks.review_output"):
        raise ValidationError(_("Only Ministry staff verify or return outputs."))
    if output.status != OutputStatus.SUBMITTED:
        raise ValidationError(
            _("This output is no longer waiting for verification: it is now “%(status)s”.")
            % {"status": output.get_status_display()}
        )
    if output.submitted_by_id == reviewer.pk:
        raise ValidationError(_("Nobody may verify an output they submitted."))
    return output


def _record_output_review(output: Output, reviewer, note: str) -> None:
    output.reviewed_by = reviewer
    output.reviewed_at = timezone.now()
    output.review_note = note.strip()
    output.full_clean()
    output.save()


def _set_fields(instance, names, data) -> None:
    for name in names:
        setattr(instance, name, data.get(name))


def _lock_for_review(report: ProgressReport, reviewer) -> ProgressReport:
    """The current row, locked; refused when it is no longer waiting for review or is the reviewer's own."""
    report = ProgressReport.objects.select_for_update().select_related("task").get(pk=report.pk)
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(
            _("This report is no longer waiting for review: it is now “%(status)s”.")
            % {"status": report.get_status_display()}
        )
    if report.submitted_by_id == reviewer.pk:
        raise ValidationError(_("Nobody may review their own progress report."))
    return report


def _record_review(report: ProgressReport, reviewer, note: str) -> None:
    report.reviewed_by = reviewer
    report.reviewed_at = timezone.now()
    report.review_note = note.strip()
    report.full_clean()
    report.save()


def _check_against_task(report: ProgressReport) -> None:
    """Rules that need the task: dates within reason, no more disbursed than allocated."""
    task = report.task
    errors = {}
    if report.as_of and report.as_of > timezone.localdate():
        errors["as_of"] = _("The report cannot be dated in the future.")
    elif report.as_of and report.as_of < task.start_on:
        errors["as_of"] = _("The report cannot be dated before the task started (%(start)s).") % {
            "start": task.start_on.strftime("%d/%m/%Y")
        }
    if report.disbursed_to_date is not None:
        allocated = task_allocated_total(task)
        if report.disbursed_to_date > allocated:
            errors["disbursed_to_date"] = _(
                "The amount disbursed cannot exceed the %(allocated)s allocated to the task."
            ) % {"allocated": format_vnd(allocated)}
    if errors:
        raise ValidationError(errors)


def task_allocated_total(task: Task) -> Decimal:
    return Funding.objects.filter(task=task).aggregate(total=Sum("allocated"))["total"] or Decimal(0)


def _task_follows_approved_progress(task: Task) -> None:
    """Set the task from its latest approved report (by as-of date), whichever report was just approved."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    latest = ProgressReport.objects.filter(task=task, status=ReportStatus.APPROVED).order_by("-as_of", "-pk").first()
    if latest is None:
        return
    task.percent_complete = latest.percent_complete
    if task.status in STATUSES_STARTED_BY_PROGRESS:
        task.status = TaskStatus.IN_PROGRESS
    task.full_clean()
    task.save()
    if latest.disbursed_to_date is not None:
        _spread_disbursement(task, latest.disbursed_to_date)


def _spread_disbursement(task: Task, disbursed_to_date: Decimal) -> None:
    """Write the cumulative amount disbursed onto the task's funding rows, oldest year first.

    A province reports one figure, "disbursed to date"; the funding rows hold it per
    source and year. Filling the earliest allocations first is how the money is
    actually spent, and keeps every row within what it was allocated.
    """
    remaining = disbursed_to_date
    for funding in Funding.objects.select_for_update().filter(task=task).order_by("year", "source", "pk"):
        share = min(funding.allocated, remaining)
        remaining -= share
        if funding.disbursed != share:
            funding.disbursed = share
            funding.full_clean()
            # Only the amount disbursed changes, which the task's funding sums do not count: they stay as they are.
            funding.save(update_fields=["disbursed"])


def _notify_submitter(report: ProgressReport) -> None:
    """Tell the submitter by e-mail that their report was approved or returned, once the change is saved."""
    recipient = report.submitted_by.email if report.submitted_by else ""
    if not recipient:
        return
    with translation.override(settings.LANGUAGE_CODE):
        if report.status == ReportStatus.APPROVED:
            subject = _("Progress report approved: %(task)s") % {"task": report.task.code}
        else:
            subject = _("Progress report returned: %(task)s") % {"task": report.task.code}
        lines = [
            _("Task: %(task)s") % {"task": report.task},
            _("As of: %(date)s") % {"date": report.as_of.strftime("%d/%m/%Y")},
            _("Status: %(status)s") % {"status": report.get_status_display()},
        ]
        if report.review_note:
            lines.append(_("Note from the reviewer: %(note)s") % {"note": report.review_note})
        lines.append(settings.SITE_URL.rstrip("/") + reverse("progress_report_detail", args=[report.pk]))
    transaction.on_commit(lambda: send_mail(subject, "\n\n".join(lines), None, [recipient], fail_silently=True))


def _notify_output_submitter(output: Output) -> None:
    """Tell the submitter by e-mail that their output was verified or returned, once the change is saved."""
    recipient = output.submitted_by.email if output.submitted_by else ""
    if not recipient:
        return
    with translation.override(settings.LANGUAGE_CODE):
        if output.status == OutputStatus.VERIFIED:
            subject = _("Output verified: %(task)s") % {"task": output.task.code}
        else:
            subject = _("Output returned: %(task)s") % {"task": output.task.code}
        lines = [
            _("Task: %(task)s") % {"task": output.task},
            _("Output: %(output)s") % {"output": output.name},
            _("Status: %(status)s") % {"status": output.get_status_display()},
        ]
        if output.review_note:
            lines.append(_("Note from the reviewer: %(note)s") % {"note": output.review_note})
        lines.append(settings.SITE_URL.rstrip("/") + reverse("output_detail", args=[output.pk]))
    transaction.on_commit(lambda: send_mail(subject, "\n\n".join(lines), None, [recipient], fail_silently=True))
