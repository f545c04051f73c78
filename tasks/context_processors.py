"""The counts of the header: what is waiting for this user beside "Báo cáo tiến độ" and "Kết quả", and their
unread notifications beside "Thông báo", all in one query."""

from django.core.cache import cache
from django.db import connection
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from coop.figure_cache import KEPT_FOR_SECONDS, kept_key
from coop.models import Notification
from tasks.choices import OutputStatus, ReportStatus
from tasks.models import Output, ProgressReport, Task, task_scope_key


def progress_work(request):
    """What waits for the user: reports and outputs to review (ministry reviewers), or returned to them for
    correction (provincial staff); `progress_work` and `output_work`, each a count with its filtered list.

    Lazy: counted only when a page shows the header, once per request, both in one query.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    work = SimpleLazyObject(lambda: _work_for(user))
    return {
        "progress_work": SimpleLazyObject(lambda: work["reports"]),
        "output_work": SimpleLazyObject(lambda: work["outputs"]),
        "unread_notifications": SimpleLazyObject(lambda: work["notifications"]),
    }


def _work_for(user) -> dict:
    report_status, output_status = _report_status(user), _output_status(user)
    waiting, unread = _waiting_counts(user, report_status, output_status)
    return {
        "reports": _work(reverse("progress_report_list"), report_status, waiting["reports"]),
        "outputs": _work(reverse("output_list"), output_status, waiting["outputs"]),
        "notifications": unread,
    }


def _waiting_counts(user, report_status: str, output_status: str) -> tuple[dict, int]:
    """The reports and outputs waiting for `user` ({"reports": n, "outputs": n}), and their unread notifications.

    The counts waiting are kept for the user until a report, an output or a task changes: the Ministry's
    reviewers count 28,829 outputs waiting on the national set, a province the reports and outputs returned among
    its 1,300 tasks, 3.5 ms of every page for figures that change when one of those rows is saved. The unread
    notifications are counted on every request; one query either way.
    """
    unread = Notification.objects.filter(recipient=user).unread()
    if not report_status and not output_status:  # nothing waits for a user without a role: only their notifications
        return {"reports": 0, "outputs": 0}, count_each([unread])[0]
    # Per user, not per scope: nobody verifies what they submitted themselves.
    name = f"header_work:{user.pk}:{report_status}:{output_status}:{task_scope_key(user)}"
    key = kept_key(name, tables=[ProgressReport, Output, Task])
    waiting = cache.get(key)
    if waiting is not None:
        return waiting, count_each([unread])[0]
    querysets = {"reports": _reports_waiting(user, report_status), "outputs": _outputs_waiting(user, output_status)}
    counted = [kind for kind, rows in querysets.items() if rows is not None]
    *counts, unread_count = count_each([*(querysets[kind] for kind in counted), unread])
    waiting = {"reports": 0, "outputs": 0, **dict(zip(counted, counts, strict=True))}
    cache.set(key, waiting, KEPT_FOR_SECONDS)
    return waiting, unread_count


def _work(list_url: str, status: str, count: int) -> dict:
    return {"count": count, "url": f"{list_url}?status={status}" if status else list_url, "status": status}


def _report_status(user) -> str:
    """The status of the reports waiting for `user`: submitted for a reviewer, returned for who reports; else ""."""
    if user.has_perm("tasks.review_progressreport"):
        return ReportStatus.SUBMITTED
    if user.has_perm("tasks.change_progressreport"):
        return ReportStatus.RETURNED
    return ""


def _output_status(user) -> str:
    """The status of the outputs waiting for `user`, as `_report_status`."""
    if user.has_perm("tasks.review_output"):
        return OutputStatus.SUBMITTED
    if user.has_perm("tasks.change_output"):
        return OutputStatus.RETURNED
    return ""


def _reports_waiting(user, status: str) -> QuerySet | None:
    if not status:
        return None
    return ProgressReport.objects.visible_to(user).filter(status=status)


def _outputs_waiting(user, status: str) -> QuerySet | None:
    if not status:
        return None
    outputs = Output.objects.visible_to(user).filter(status=status)
    if status == OutputStatus.SUBMITTED:
        # Nobody verifies what they submitted themselves: those wait for someone else.
        return outputs.exclude(submitted_by=user)
    return outputs


def count_each(querysets: list[QuerySet]) -> list[int]:
    """The number of rows of each queryset, all in one query (none for no queryset)."""
    if not querysets:
        return []
    parts, params = [], []
    for number, queryset in enumerate(querysets):
        sql, query_params = queryset.order_by().values("pk").query.sql_with_params()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS counted_{number})")
        params.extend(query_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        return list(cursor.fetchone())
