"""The count beside "Báo cáo tiến độ" in the header: what is waiting for this user."""

from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from tasks.choices import ReportStatus
from tasks.models import ProgressReport


def progress_work(request):
    """Reports waiting for review (ministry reviewers) or returned for correction (provincial staff).

    Lazy: counted only when a page shows the header, once per request.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"progress_work": SimpleLazyObject(lambda: _work_for(user))}


def _work_for(user) -> dict:
    if user.has_perm("tasks.review_progressreport"):
        status = ReportStatus.SUBMITTED
    elif user.has_perm("tasks.change_progressreport"):
        status = ReportStatus.RETURNED
    else:
        return {"count": 0, "url": reverse("progress_report_list"), "status": ""}
    count = ProgressReport.objects.visible_to(user).filter(status=status).count()
    return {"count": count, "url": f"{reverse('progress_report_list')}?status={status}", "status": status}
