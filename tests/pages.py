"""The main pages of the site on the demo data, for the checks that go through all of them.

The browser's axe-core check (tests/e2e/test_accessibility.py) and the Nu HTML Checker
(tests/coop/test_valid_html.py) visit the same pages: the overview, every list, a page of each
kind of record, the forms, the archive, the search, the login page, the page not found and the public pages; as
Ministry staff (`MINISTRY`), as Thái Bình's department (`PROVINCE`) and, for the empty archive,
as Nam Định's department (`OUTSIDER`), which has no document in it.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

MINISTRY = "bo.chuyenvien"
PROVINCE = "so.thaibinh"
OUTSIDER = "so.namdinh"
# A task of Thái Bình's department still in progress: it takes progress reports and outputs.
TASK_CODE = "TB-2012-28"
MISSING_URL = "/no-such-page/"


@dataclass(frozen=True)
class SitePage:
    """A page to check: a name for messages, its address, and the status it answers with; with `data`, the page
    a POST of that data answers (a form refused)."""

    name: str
    url: str
    status: int = 200
    data: dict | None = field(default=None, compare=False)


def ministry_pages() -> list[SitePage]:
    """Every list, a record of each kind and the forms Ministry staff use, on the demo data."""
    from programmes.models import Agency, Meeting
    from reports.models import GeneratedReport
    from tasks.models import Output, ProgressReport, Task

    task = Task.objects.select_related("programme", "lead_agency").get(code=TASK_CODE)
    programme = task.programme
    meeting = Meeting.objects.filter(programme=programme).order_by("pk").first()
    output = Output.objects.filter(task__programme=programme).order_by("pk").first()
    report = ProgressReport.objects.filter(task=task).order_by("pk").first()
    agency = Agency.objects.get(pk=task.lead_agency_id)
    pages = [
        SitePage("overview", reverse("dashboard")),
        SitePage("programmes", reverse("programme_list")),
        SitePage("programme", programme.get_absolute_url()),
        SitePage("reporting schedule", reverse("reporting_schedule", args=[programme.pk])),
        SitePage("review report form", reverse("programme_review", args=[programme.pk])),
        SitePage("agencies", reverse("agency_list")),
        SitePage("agency", agency.get_absolute_url()),
        SitePage("tasks", reverse("task_list")),
        SitePage("tasks filtered", reverse("task_list") + "?status=in_progress&q=thai+binh"),
        SitePage("tasks with a refused filter", reverse("task_list") + "?funding_min=abc&status=nope"),
        SitePage("task", task.get_absolute_url()),
        SitePage("outputs", reverse("output_list")),
        SitePage("output", output.get_absolute_url()),
        SitePage("meetings", reverse("meeting_list")),
        SitePage("meeting", meeting.get_absolute_url()),
        SitePage("meeting edit", reverse("meeting_edit", args=[meeting.pk])),
        SitePage("new meeting", reverse("meeting_add")),
        SitePage("recommendations", reverse("recommendation_list")),
        SitePage("progress reports", reverse("progress_report_list")),
        SitePage("progress report", report.get_absolute_url()),
        SitePage("imports", reverse("imports")),
        SitePage("reporting calendar", reverse("reporting")),
        SitePage("reports archive", reverse("report_list")),
        SitePage("notifications", reverse("notification_list")),
        SitePage("profile", reverse("profile")),
        SitePage("password change", reverse("password_change")),
        SitePage("search", reverse("search") + "?q=thai+binh"),
        SitePage("search without results", reverse("search") + "?q=zzzz"),
        SitePage("page not found", MISSING_URL, status=404),
    ]
    for document in GeneratedReport.objects.filter(programme=programme).order_by("pk"):
        pages.append(SitePage(f"review document ({document.state})", reverse("document_detail", args=[document.pk])))
    return pages


def province_pages() -> list[SitePage]:
    """What Thái Bình's department works with: its task, the forms of progress and outputs, its lists."""
    from tasks.models import Task

    task = Task.objects.get(code=TASK_CODE)
    return [
        SitePage("overview", reverse("dashboard")),
        SitePage("tasks", reverse("task_list")),
        SitePage("task", task.get_absolute_url()),
        SitePage("progress report form", reverse("progress_report_add", args=[task.pk])),
        SitePage("output form", reverse("output_add", args=[task.pk])),
        SitePage("outputs", reverse("output_list")),
        SitePage("progress reports", reverse("progress_report_list")),
        SitePage("imports", reverse("imports")),
        SitePage("reporting calendar", reverse("reporting")),
        SitePage("reports archive", reverse("report_list")),
        SitePage("profile", reverse("profile")),
        SitePage("search", reverse("search") + "?q=thai+binh"),
        SitePage("page not found", MISSING_URL, status=404),
    ]


def outsider_pages() -> list[SitePage]:
    """The archive of a department that has no document in it: the notice of an empty archive."""
    return [SitePage("empty reports archive", reverse("report_list"))]


def visitor_pages() -> list[SitePage]:
    """What anyone sees without logging in: the published programmes, one of them, and the open data."""
    from programmes.models import Programme

    published = Programme.objects.filter(published=True).order_by("pk").first()
    return [
        SitePage("published programmes", reverse("public_programme_list")),
        SitePage("published programme", reverse("public_programme_detail", args=[published.pk])),
        SitePage("open data", reverse("open_data")),
    ]


def refused_forms() -> list[tuple[str | None, SitePage]]:
    """(who, the form) for forms submitted with errors: what they answer shows every error, the summary on top."""
    from programmes.models import Meeting
    from tasks.models import Task

    task = Task.objects.get(code=TASK_CODE)
    meeting = Meeting.objects.filter(programme=task.programme).order_by("pk").first()
    # One empty row of each formset of the meeting form (attendance, recommendations).
    management = {"TOTAL_FORMS": "1", "INITIAL_FORMS": "0", "MIN_NUM_FORMS": "0", "MAX_NUM_FORMS": "1000"}
    empty_formsets = {
        f"{prefix}-{name}": value for prefix in ("attendance", "recommendations") for name, value in management.items()
    }
    wrong_password = {"username": MINISTRY, "password": "not the password"}
    return [
        (None, SitePage("login refused", reverse("login"), data=wrong_password)),
        (
            PROVINCE,
            SitePage(
                "progress report refused",
                reverse("progress_report_add", args=[task.pk]),
                data={"action": "submit", "percent_complete": "150", "as_of": "31/02/2020"},
            ),
        ),
        (PROVINCE, SitePage("output refused", reverse("output_add", args=[task.pk]), data={"quantity": "0"})),
        (PROVINCE, SitePage("import refused", reverse("imports"), data={})),
        (
            MINISTRY,
            SitePage(
                "meeting refused",
                reverse("meeting_edit", args=[meeting.pk]),
                data={**empty_formsets, "title": "", "recommendations-0-text": "Đề nghị bổ sung kinh phí"},
            ),
        ),
        (MINISTRY, SitePage("profile refused", reverse("profile"), data={"language": "xx", "csv_separator": "?"})),
        (MINISTRY, SitePage("password change refused", reverse("password_change"), data={"old_password": "wrong"})),
        (PROVINCE, SitePage("API key refused", reverse("api_token_add"), status=400, data={"name": " "})),
        (PROVINCE, SitePage("API key made", reverse("api_token_add"), data={"name": "Cổng dữ liệu của Sở"})),
    ]


def render_pages() -> dict[str, str]:
    """The HTML of every page above, by "who: page", through Django's test client (on the demo data)."""
    users = get_user_model().objects.in_bulk([MINISTRY, PROVINCE, OUTSIDER], field_name="username")
    clients = {None: Client()}
    for username, user in users.items():
        clients[username] = Client()
        clients[username].force_login(user)
    visits = [(MINISTRY, page) for page in ministry_pages()]
    visits += [(PROVINCE, page) for page in province_pages()]
    visits += [(OUTSIDER, page) for page in outsider_pages()]
    visits += [(None, SitePage("login", reverse("login")))]
    visits += [(None, page) for page in visitor_pages()]
    visits += refused_forms()
    rendered = {}
    for username, page in visits:
        client = clients[username]
        response = client.get(page.url) if page.data is None else client.post(page.url, page.data)
        name = f"{username or 'anonymous'}: {page.name}"
        assert response.status_code == page.status, f"{name} ({page.url}) answered {response.status_code}"
        rendered[name] = response.content.decode()
    return rendered
