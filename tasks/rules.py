"""Who may change what in the tasks app: a role's permission and the object's scope, together.

Each rule bears the name of the model permission it narrows to one object, Django's own
(`tasks.add_progressreport`, `tasks.change_output`, the custom `tasks.review_progressreport` and
`tasks.review_output`):
asked without an object, `has_perm` answers whether one of the user's roles grants the
permission (the model backend); asked about an object, the rule answers for that object.
Each rule is checked by the views (`permission_required` with the object) and by
templates before showing a button; the querysets of the views already narrow
reads to `visible_to(user)`.
"""

import rules

from coop.roles import ended_agency, sees_every_programme
from coop.rules import holds
from tasks.choices import OUTPUT_STATUSES_OPEN_FOR_EDITS, STATUSES_ACCEPTED_FROM, OutputStatus, ReportStatus, TaskStatus
from tasks.models import Task

# A task that has not started, was cancelled or is closed takes no more progress reports.
TASK_STATUSES_TAKING_PROGRESS = (TaskStatus.APPROVED, TaskStatus.IN_PROGRESS, TaskStatus.SUSPENDED)


def task_in_scope(user, task: Task) -> bool:
    """The ministry works on every task; anyone else on the tasks they see (their programmes, their own)."""
    if sees_every_programme(user):
        return True
    return Task.objects.visible_to(user).filter(pk=task.pk).exists()


@rules.predicate
def is_task_in_scope(user, task) -> bool:
    return task is not None and task_in_scope(user, task)


@rules.predicate
def works_for_an_existing_agency(user) -> bool:
    """An agency that ceased to exist (merged) enters nothing more: its successor's staff do."""
    return ended_agency(user) is None


@rules.predicate
def takes_progress(user, task) -> bool:
    return task is not None and task.status in TASK_STATUSES_TAKING_PROGRESS


@rules.predicate
def may_be_accepted(user, task) -> bool:
    return task is not None and task.status in STATUSES_ACCEPTED_FROM


@rules.predicate
def is_report_task_in_scope(user, report) -> bool:
    return report is not None and task_in_scope(user, report.task)


@rules.predicate
def is_report_open_for_edits(user, report) -> bool:
    return report is not None and report.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)


@rules.predicate
def is_report_awaiting_review(user, report) -> bool:
    return report is not None and report.status == ReportStatus.SUBMITTED


@rules.predicate
def is_not_own_report(user, report) -> bool:
    return report is not None and report.submitted_by_id != user.pk


@rules.predicate
def is_output_task_in_scope(user, output) -> bool:
    return output is not None and task_in_scope(user, output.task)


@rules.predicate
def is_output_open_for_edits(user, output) -> bool:
    return output is not None and output.status in OUTPUT_STATUSES_OPEN_FOR_EDITS


@rules.predicate
def is_output_awaiting_review(user, output) -> bool:
    return output is not None and output.status == OutputStatus.SUBMITTED


@rules.predicate
def is_not_own_output(user, output) -> bool:
    return output is not None and output.submitted_by_id != user.pk


# On a task: a progress report for it.
rules.add_perm(
    "tasks.add_progressreport",
    holds("tasks.add_progressreport") & works_for_an_existing_agency & is_task_in_scope & takes_progress,
)
rules.add_perm(
    "tasks.change_progressreport",
    holds("tasks.change_progressreport")
    & works_for_an_existing_agency
    & is_report_open_for_edits
    & is_report_task_in_scope,
)
rules.add_perm(
    "tasks.review_progressreport",
    holds("tasks.review_progressreport") & is_report_awaiting_review & is_not_own_report & is_report_task_in_scope,
)
# On a task: its acceptance ("nghiệm thu"), recorded by Ministry staff while the task is carried out.
rules.add_perm(
    "tasks.accept_task",
    holds("tasks.accept_task") & is_task_in_scope & may_be_accepted,
)
# On a task: an output of it.
rules.add_perm(
    "tasks.add_output",
    holds("tasks.add_output") & works_for_an_existing_agency & is_task_in_scope,
)
# The province corrects what it recorded or what was returned to it; a submitted or verified output
# is the reviewers' to correct (their correction goes back to review: tasks.services.output_update).
rules.add_perm(
    "tasks.change_output",
    holds("tasks.change_output")
    & works_for_an_existing_agency
    & (is_output_open_for_edits | holds("tasks.review_output"))
    & is_output_task_in_scope,
)
rules.add_perm(
    "tasks.review_output",
    holds("tasks.review_output") & is_output_awaiting_review & is_not_own_output & is_output_task_in_scope,
)
