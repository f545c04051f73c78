"""Writes of the tasks app: funding rows, the progress-report workflow, acceptance and the outputs of tasks with
their review.

Each function is one transaction. Approving a progress report is the only way a
task's percent complete, status and disbursed amounts change from the provinces'
side: they follow the latest approved report, never a draft or a submitted one.
A report gives what was disbursed on each funding row (source and year); approval
copies those figures onto the rows, and nothing is spread from one row to another.

A task's percent complete has two sources and no other (`_percent_from_sources`, its only writer):
its acceptance record ("nghiệm thu", `task_accept`), which makes it 100, or else its latest
approved progress report (0 without one). Nobody types it, not even in the admin.

Funding rows are written here only (the admin included): each write sums the funding of the
tasks it touched again onto those tasks (`Task.ministry_funding` … `total_funding`, see
`TaskQuerySet.refresh_funding_sums`) in the same transaction.

Who needs to know is told in the same transaction (`coop.notifications.notify`): the Ministry's
reviewers when a report or an output is submitted, the submitter when it is reviewed. Each gets a
notification in the application, and an e-mail once the change is committed unless they turned
that kind off.
"""

from collections.abc import Iterable
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coop.concurrency import ensure_unchanged
from coop.models import NotificationKind
from coop.notifications import notify
from coop.roles import Role, ended_agency, ended_agency_message
from programmes.models import ReportingPeriod
from tasks.choices import (
    ACCEPTED_TASK_STATUSES,
    KINDS_VERIFIED_ONLY_WITH_EVIDENCE,
    OUTPUT_STATUSES_OPEN_FOR_EDITS,
    STATUSES_ACCEPTED_FROM,
    OutputStatus,
    ReportStatus,
    TaskStatus,
)
from tasks.models import (
    Funding,
    Output,
    ProgressDisbursement,
    ProgressReport,
    Task,
    TaskPlace,
    disbursement_field,
    exceeds_allocation,
    report_date_error,
)

# Fields of a progress report the province writes; the rest belongs to the workflow.
PROGRESS_REPORT_FIELDS = ("period", "as_of", "percent_complete", "summary", "problems", "next_steps")
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
        _refuse_deleting_reported_rows([row.pk for row in deleted if row.pk is not None])
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
        _refuse_deleting_reported_rows(fundings.values_list("pk", flat=True))
        deleted, _by_model = fundings.delete()
        Task.objects.filter(pk__in=task_ids).refresh_funding_sums()
    return deleted


def _refuse_deleting_reported_rows(funding_ids) -> None:
    """A funding row a progress report gives figures on stays: the report must keep what it said."""
    reported = Funding.objects.filter(pk__in=funding_ids, reported_disbursements__isnull=False).distinct()
    names = [f"{row.get_source_display()} {row.year}" for row in reported.order_by("year", "source", "pk")]
    if names:
        raise ValidationError(
            _(
                "The funding row %(rows)s cannot be deleted: a progress report gives what was disbursed on it. "
                "Correct its amounts instead."
            )
            % {"rows": ", ".join(names)}
        )


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
    the reason it was returned stays in its history. Refused to the staff of an agency that ceased to exist.
    """
    _refuse_ended_agency(author)
    with transaction.atomic():
        if report is None:
            report = ProgressReport(task=task)
        else:
            report = ensure_unchanged(report, opened_version=opened_version)
            if report.status not in (ReportStatus.DRAFT, ReportStatus.RETURNED):
                raise ValidationError(_("This report was submitted meanwhile and can no longer be changed."))
        for name in PROGRESS_REPORT_FIELDS:
            setattr(report, name, data.get(name))
        report.period = report.period or period_of_date(programme_id=task.programme_id, day=report.as_of)
        for name in TEXT_FIELDS:
            setattr(report, name, (getattr(report, name) or "").strip())
        amounts = _reported_amounts(task, data.get("disbursements") or {})
        _check_against_task(report, amounts)
        # A corrected report starts a new review; the earlier return stays in its history.
        report.reviewed_by, report.reviewed_at, report.review_note = None, None, ""
        _check_task_still_open(report.task)
        report.submitted_by = author
        if submit:
            report.status = ReportStatus.SUBMITTED
            report.submitted_at = timezone.now()
            report.first_submitted_on = report.first_submitted_on or timezone.localdate(report.submitted_at)
        else:
            report.status = ReportStatus.DRAFT
        report.disbursed_to_date = sum(amounts.values()) if amounts else None
        report.full_clean()
        report.save()
        _save_disbursements(report, amounts)
        if submit:
            _notify_reviewers_of_report(report)
    return report


def period_of_date(*, programme_id: int, day) -> ReportingPeriod | None:
    """The period of the programme's reporting schedule that `day` falls in, if it has one."""
    if day is None:
        return None
    return ReportingPeriod.objects.filter(programme_id=programme_id).containing(day).first()


def _reported_amounts(task: Task, typed: dict) -> dict[Funding, Decimal]:
    """The amounts given per funding row of the task (blank ones left out), the rows locked.

    `typed` maps funding row keys to amounts or None; a key that is not one of the task's rows is refused.
    """
    fundings = {row.pk: row for row in Funding.objects.select_for_update().filter(task=task).order_by("pk")}
    unknown = set(typed) - set(fundings)
    if unknown:
        raise ValidationError(_("The funding rows of the task changed meanwhile; open the form again."))
    return {fundings[pk]: amount for pk, amount in typed.items() if amount is not None}


def _save_disbursements(report: ProgressReport, amounts: dict[Funding, Decimal]) -> None:
    """Make the report's figures per funding row exactly `amounts`: add, change, drop (each in its history)."""
    existing = {row.funding_id: row for row in report.disbursements.all()}
    for funding_id, row in existing.items():
        if funding_id not in {funding.pk for funding in amounts}:
            row.delete()
    for funding, amount in amounts.items():
        row = existing.get(funding.pk) or ProgressDisbursement(report=report, funding=funding)
        if row.pk is not None and row.disbursed_to_date == amount:
            continue
        row.funding = funding  # the locked row, for the check against its allocation
        row.disbursed_to_date = amount
        row.full_clean()
        row.save()


def progress_report_approve(*, report: ProgressReport, reviewer, note: str = "") -> ProgressReport:
    """Approve a submitted report; the task's percent, status and disbursed amounts follow it."""
    with transaction.atomic():
        report = _lock_for_review(report, reviewer)
        _lock_tasks([report.task_id])
        amounts = {row.funding: row.disbursed_to_date for row in _locked_disbursements(report)}
        _check_against_task(report, amounts)
        report.status = ReportStatus.APPROVED
        _record_review(report, reviewer, note)
        _task_follows_approved_progress(report.task)
        _fundings_follow_approved_disbursements(report)
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

    A recorded output counts in no figure; it shows beside them as pending. Refused to the staff of an
    agency that ceased to exist.
    """
    _refuse_ended_agency(author)
    with transaction.atomic():
        output = Output(task=task)
        _fill_output(output, data)
        if submit:
            _mark_submitted(output, author)
        output.full_clean()
        output.save()
        if submit:
            _notify_reviewers_of_output(output)
    return output


def output_update(*, output: Output, author, data: dict, opened_version: int | None, submit: bool = False) -> Output:
    """Correct an output, refused if someone else saved it after the form was opened.

    The province corrects what it recorded or what was returned to it: a returned output, once
    corrected, is submitted again (the reason it was returned stays in its history). A submitted or
    verified output is the Ministry's to correct: its correction is submitted again in the name of
    whoever corrected it, so that someone else verifies it before it counts again. Refused to the staff of
    an agency that ceased to exist.
    """
    _refuse_ended_agency(author)
    with transaction.atomic():
        output = ensure_unchanged(output, opened_version=opened_version)
        if output.status not in OUTPUT_STATUSES_OPEN_FOR_EDITS and not author.has_perm("tasks.review_output"):
            raise ValidationError(
                _("This output is “%(status)s” and can no longer be changed by the province.")
                % {"status": output.get_status_display()}
            )
        _fill_output(output, data)
        submitted = submit or output.status != OutputStatus.RECORDED
        if submitted:
            _mark_submitted(output, author)
        output.full_clean()
        output.save()
        if submitted:
            _notify_reviewers_of_output(output)
    return output


def _refuse_ended_agency(author) -> None:
    """A merged agency's staff enter nothing after its last day; the message names its successor."""
    agency = ended_agency(author)
    if agency is not None:
        raise ValidationError(ended_agency_message(agency))


def output_submit(*, output: Output, author) -> Output:
    """Send a recorded (or returned) output to the Ministry for verification."""
    _refuse_ended_agency(author)
    with transaction.atomic():
        output = Output.objects.select_for_update().get(pk=output.pk)
        if output.status not in OUTPUT_STATUSES_OPEN_FOR_EDITS:
            raise ValidationError(
                _("This output cannot be submitted: it is now “%(status)s”.") % {"status": output.get_status_display()}
            )
        _mark_submitted(output, author)
        output.full_clean()
        output.save()
        _notify_reviewers_of_output(output)
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
        _record_review(output, reviewer, note)
        _notify_output_submitter(output)
    return output


def output_return(*, output: Output, reviewer, note: str) -> Output:
    """Send a submitted output back to the province with the reason; it counts in no figure meanwhile."""
    if not note.strip():
        raise ValidationError({"note": _("Say why the output is returned, so that the province can correct it.")})
    with transaction.atomic():
        output = _lock_output_for_review(output, reviewer)
        output.status = OutputStatus.RETURNED
        _record_review(output, reviewer, note)
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


def _record_review(item: ProgressReport | Output, reviewer, note: str) -> None:
    """Who decided on a progress report or an output, when, and the note; its new status is already set."""
    item.reviewed_by = reviewer
    item.reviewed_at = timezone.now()
    item.review_note = note.strip()
    item.full_clean()
    item.save()


def _check_against_task(report: ProgressReport, amounts: dict[Funding, Decimal]) -> None:
    """Rules that need the task: dates within reason, no row given more disbursed than it was allocated."""
    task = report.task
    errors = {}
    date_error = report_date_error(task, report.as_of) if report.as_of else None
    if date_error:
        errors["as_of"] = date_error
    for funding, amount in amounts.items():
        if amount > funding.allocated:
            row = f"{funding.get_source_display()} {funding.year}"
            errors[disbursement_field(funding.pk)] = f"{row}: {exceeds_allocation(funding.allocated)}"
    if errors:
        raise ValidationError(errors)


def _locked_disbursements(report: ProgressReport) -> list[ProgressDisbursement]:
    """The report's figures per funding row, with their funding rows locked (oldest year first)."""
    return list(
        ProgressDisbursement.objects.select_for_update(of=("self", "funding"))
        .select_related("funding")
        .filter(report=report)
        .order_by("funding__year", "funding__source", "funding__pk")
    )


def _check_task_still_open(task: Task) -> None:
    """Progress is reported until the task is accepted: after that its acceptance record says it all."""
    if task.status in ACCEPTED_TASK_STATUSES:
        raise ValidationError(
            _("The task was accepted on %(date)s: its progress is final and no more progress reports are taken.")
            % {"date": task.accepted_on.strftime("%d/%m/%Y") if task.accepted_on else "—"}
        )


def latest_approved_progress(task: Task) -> ProgressReport | None:
    """The task's latest approved progress report by as-of date: the source of its percent until it is accepted."""
    return ProgressReport.objects.filter(task=task, status=ReportStatus.APPROVED).order_by("-as_of", "-pk").first()


def _percent_from_sources(task: Task, latest: ProgressReport | None) -> None:
    """Set the task's percent complete from its sources: 100 once accepted, else the latest approved report.

    The only writer of `Task.percent_complete` (docs/decisions.md, "Statuses that agree with each other").
    """
    if task.status in ACCEPTED_TASK_STATUSES:
        task.percent_complete = 100
    else:
        task.percent_complete = latest.percent_complete if latest else 0


def _task_follows_approved_progress(task: Task) -> None:
    """Set the task from its latest approved report (by as-of date), whichever report was just approved.

    An accepted task keeps its 100%: a report submitted before the acceptance and approved after it
    is kept for the record.
    """
    task = Task.objects.select_for_update().get(pk=task.pk)
    latest = latest_approved_progress(task)
    if latest is None:
        return
    _percent_from_sources(task, latest)
    if task.status in STATUSES_STARTED_BY_PROGRESS:
        task.status = TaskStatus.IN_PROGRESS
    task.full_clean()
    task.save()


def task_accept(*, task: Task, accepted_on, decision: str, by) -> Task:
    """Record the task's acceptance ("nghiệm thu"): status accepted, the record's date and number, 100% complete.

    Refused, with the reason in the user's language, for a task that is not being carried out, an
    acceptance dated in the future or before the task started, or a record without its number.
    `by` is named in the task's history.
    """
    with transaction.atomic():
        task = Task.objects.select_for_update().get(pk=task.pk)
        decision = (decision or "").strip()
        errors = {}
        if task.status not in STATUSES_ACCEPTED_FROM:
            errors["status"] = _("Only a task in progress or suspended can be accepted; this one is “%(status)s”.") % {
                "status": task.get_status_display()
            }
        if accepted_on is None:
            errors["accepted_on"] = _("Enter the date of the acceptance record.")
        elif accepted_on > timezone.localdate():
            errors["accepted_on"] = _("The acceptance cannot be dated in the future.")
        elif accepted_on < task.start_on:
            errors["accepted_on"] = _("A task cannot be accepted before it started (%(start)s).") % {
                "start": task.start_on.strftime("%d/%m/%Y")
            }
        if not decision:
            errors["acceptance_decision"] = _("Enter the number of the acceptance minutes or decision.")
        if errors:
            raise ValidationError(errors)
        task.status = TaskStatus.ACCEPTED
        task.accepted_on = accepted_on
        task.acceptance_decision = decision
        task.acceptance_backfilled = False
        _percent_from_sources(task, None)
        task._history_user = by
        task.full_clean()
        task.save()
    return task


def task_save(*, task: Task, by=None) -> Task:
    """Save a task edited in the admin; its percent complete follows its sources, whatever the form held.

    Setting the status to accepted or completed there needs the acceptance record (the constraints);
    taking it back to an open status needs the record removed, and the percent returns to the latest
    approved report's.
    """
    with transaction.atomic():
        if task.status not in ACCEPTED_TASK_STATUSES:
            task.acceptance_backfilled = False
        _percent_from_sources(task, latest_approved_progress(task) if task.pk else None)
        if by is not None:
            task._history_user = by
        task.full_clean()
        task.save()
    return task


def task_places_set(*, task: Task, places) -> None:
    """Make the task's places of implementation exactly `places`, ((province, commune), …): each place added,
    changed or removed in its own history."""
    with transaction.atomic():
        wanted = dict(places)
        for place in TaskPlace.objects.filter(task=task).select_related("province"):
            if place.province not in wanted:
                place.delete()
                continue
            commune = wanted.pop(place.province)
            if place.commune != commune:
                place.commune = commune
                place.full_clean()
                place.save()
        for province, commune in wanted.items():
            place = TaskPlace(task=task, province=province, commune=commune)
            # The task and the province are records in hand, and each province comes once: nothing to ask the
            # database before the insert (its constraint still stands behind it).
            place.full_clean(exclude=["task", "province"])
            place.save()


def _fundings_follow_approved_disbursements(report: ProgressReport) -> None:
    """Copy onto each funding row the report gives a figure for the figure of the latest approved report
    (by as-of date) that gives one: this report's, unless a later-dated report was approved before it.

    Rows the report leaves out keep what was approved before; no amount moves from one row to another.
    """
    rows = [row.funding for row in _locked_disbursements(report)]
    figures = {}
    approved = ProgressDisbursement.objects.filter(funding__in=rows, report__status=ReportStatus.APPROVED)
    for funding_id, amount in approved.order_by("-report__as_of", "-report__pk").values_list(
        "funding", "disbursed_to_date"
    ):
        figures.setdefault(funding_id, amount)
    changed = []
    for funding in rows:
        if funding.disbursed != figures[funding.pk]:
            funding.disbursed = figures[funding.pk]
            changed.append(funding)
    # Through the funding service, as every write of funding rows; the sums it keeps count allocations only.
    funding_save_many(saved=changed)


def _ministry_reviewers(*, besides):
    """Who reviews what the provinces submit: the active Ministry staff, the submitter left out."""
    users = get_user_model().objects.filter(groups__name=Role.MINISTRY_STAFF, is_active=True)
    return users.exclude(pk=besides.pk) if besides is not None else users


def _submitter_line(user) -> str:
    if user is None:
        return ""
    agency = getattr(user, "agency", None)
    name = f"{user} ({agency})" if agency else str(user)
    return _("Submitted by: %(name)s") % {"name": name}


def _notify_reviewers_of_report(report: ProgressReport) -> None:
    """Tell the Ministry's reviewers that a progress report waits for their review."""

    def subject_and_lines():
        subject = _("Progress report submitted for review: %(task)s") % {"task": report.task.code}
        return subject, [
            _("Task: %(task)s") % {"task": report.task},
            _("As of: %(date)s") % {"date": report.as_of.strftime("%d/%m/%Y")},
            _("Percent complete: %(percent)s%%") % {"percent": report.percent_complete},
        ]

    _notify_reviewers(report, "progress_report_detail", subject_and_lines)


def _notify_reviewers_of_output(output: Output) -> None:
    """Tell the Ministry's reviewers that an output waits for their verification."""

    def subject_and_lines():
        subject = _("Output submitted for verification: %(task)s") % {"task": output.task.code}
        return subject, [
            _("Task: %(task)s") % {"task": output.task},
            _("Output: %(output)s") % {"output": output.name},
        ]

    _notify_reviewers(output, "output_detail", subject_and_lines)


def _notify_reviewers(item: ProgressReport | Output, url_name: str, subject_and_lines) -> None:
    """The notification of something submitted, in each reviewer's language, with who submitted it."""

    def compose(recipient):
        subject, lines = subject_and_lines()
        lines = [*lines, _submitter_line(item.submitted_by)]
        return subject, "\n".join(line for line in lines if line)

    notify(
        recipients=_ministry_reviewers(besides=item.submitted_by),
        kind=NotificationKind.SUBMITTED,
        compose=compose,
        url=reverse(url_name, args=[item.pk]),
    )


def _notify_submitter(report: ProgressReport) -> None:
    """Tell the submitter that their report was approved or returned, with the reviewer's note."""

    def compose(recipient):
        if report.status == ReportStatus.APPROVED:
            subject = _("Progress report approved: %(task)s") % {"task": report.task.code}
        else:
            subject = _("Progress report returned: %(task)s") % {"task": report.task.code}
        lines = [
            _("Task: %(task)s") % {"task": report.task},
            _("As of: %(date)s") % {"date": report.as_of.strftime("%d/%m/%Y")},
            _("Status: %(status)s") % {"status": report.get_status_display()},
        ]
        return subject, _review_body(lines, report.review_note)

    _notify_of_review(report, compose, "progress_report_detail")


def _notify_output_submitter(output: Output) -> None:
    """Tell the submitter that their output was verified or returned, with the reviewer's note."""

    def compose(recipient):
        if output.status == OutputStatus.VERIFIED:
            subject = _("Output verified: %(task)s") % {"task": output.task.code}
        else:
            subject = _("Output returned: %(task)s") % {"task": output.task.code}
        lines = [
            _("Task: %(task)s") % {"task": output.task},
            _("Output: %(output)s") % {"output": output.name},
            _("Status: %(status)s") % {"status": output.get_status_display()},
        ]
        return subject, _review_body(lines, output.review_note)

    _notify_of_review(output, compose, "output_detail")


def _review_body(lines: list[str], note: str) -> str:
    """The facts of a review, then the reviewer's note in a paragraph of its own."""
    body = "\n".join(lines)
    if note:
        body += "\n\n" + _("Note from the reviewer: %(note)s") % {"note": note}
    return body


def _notify_of_review(item: ProgressReport | Output, compose, url_name: str) -> None:
    """The review's notification to whoever submitted the item; its e-mail goes out once the review is committed."""
    if item.submitted_by is None:
        return
    notify(
        recipients=[item.submitted_by],
        kind=NotificationKind.REVIEWED,
        compose=compose,
        url=reverse(url_name, args=[item.pk]),
    )
