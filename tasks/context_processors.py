"""The counts of the header: what is waiting for this user beside "Báo cáo tiến độ" and "Kết quả", and their
unread notifications beside "Thông báo", all in one query."""

from django.core.cache import cache
from django.db import connection
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from coop.figure_cache import KEPT_FOR_SECONDS, kept_key, scope_of
from coop.models import Notification
from tasks.choices import OutputStatus, ReportStatus
from tasks.models import Output, ProgressReport


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
    reports, report_status = _reports_waiting(user)
    outputs, output_status = _outputs_waiting(user)
    waiting = [rows for rows in (reports, outputs) if rows is not None]
    key = _waiting_key(user, report_status, output_status)
    waiting_counts, unread = _count_kept(key, waiting, Notification.objects.filter(recipient=user).unread())
    counts = iter(waiting_counts)
    return {
        "reports": _work(reverse("progress_report_list"), report_status, next(counts) if reports is not None else 0),
        "outputs": _work(reverse("output_list"), output_status, next(counts) if outputs is not None else 0),
        "notifications": unread,
    }


def _waiting_key(user, report_status: str, output_status: str) -> str | None:
    """Where the counts of what waits for `user` are kept until progress reports or outputs change; None when
    they cannot be (outside a request, a province's scope is not named).

    The Ministry's reviewers count 28,829 outputs waiting on the national set, a province the reports and
    outputs returned among its 1,300 tasks: 3.5 ms of every page, for a figure that changes when a report or
    an output is saved. Per user: nobody verifies what they submitted themselves.
    """
    scope = scope_of(Output.objects.visible_to(user))
    if scope is None:
        return None
    scope_name = scope if isinstance(scope, str) else scope.scope
    name = f"header_work:{user.pk}:{report_status}:{output_status}:{scope_name}"
    return kept_key(name, tables=[ProgressReport, Output])


def _count_kept(key: str | None, waiting: list[QuerySet], unread: QuerySet) -> tuple[list[int], int]:
    """The counts of `waiting`, kept under `key`, and the count of `unread`, read now: one query either way."""
    kept = cache.get(key) if key else None
    if kept is not None:
        return kept, count_each([unread])[0]
    *counts, unread_count = count_each([*waiting, unread])
    if key:
        cache.set(key, counts, KEPT_FOR_SECONDS)
    return counts, unread_count


def _work(list_url: str, status: str, count: int) -> dict:
    return {"count": count, "url": f"{list_url}?status={status}" if status else list_url, "status": status}


def _reports_waiting(user) -> tuple[QuerySet | None, str]:
    if user.has_perm("tasks.review_progressreport"):
        status = ReportStatus.SUBMITTED
    elif user.has_perm("tasks.change_progressreport"):
        status = ReportStatus.RETURNED
    else:
        return None, ""
    return ProgressReport.objects.visible_to(user).filter(status=status), status


def _outputs_waiting(user) -> tuple[QuerySet | None, str]:
    if user.has_perm("tasks.review_output"):
        # Nobody verifies what they submitted themselves: those wait for someone else.
        status = OutputStatus.SUBMITTED
        return Output.objects.visible_to(user).filter(status=status).exclude(submitted_by=user), status
    if user.has_perm("tasks.change_output"):
        status = OutputStatus.RETURNED
        return Output.objects.visible_to(user).filter(status=status), status
    return None, ""


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
