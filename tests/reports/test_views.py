"""The reports app's pages: the dashboard, the search across every kind of record, and the archive.

Read as a matrix: who may open the dashboard and the search, what each role sees, then the rules
of each page (figures equal to the records and linked to the lists that produce them, search
without diacritics and within scope, the archive's exported values) and the query budget of each
page. The archive is a list like the others: who sees which report, its sorting, filters, exports
in scope and query count are checked with every list in tests/generic.
"""

import datetime
import re
import unicodedata
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.db.models import Sum
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext

from coop.figures import list_url
from coop.formatting import format_billions
from programmes.choices import AgencyKind, OutputKind, ProgrammeStatus, RecommendationStatus
from programmes.models import Programme
from reports.choices import DocumentState, ReportKind
from reports.models import GeneratedReport
from reports.queries import HEADLINE_OUTPUT_KINDS, SEARCH_LIMIT
from reports.templatetags.search_highlight import highlight_words, hit_spans
from tasks.choices import FundingSource, OutputStatus, TaskStatus
from tasks.models import Funding, Output, Task
from tests.conftest import logged_in
from tests.factories import (
    AgencyFactory,
    FundingFactory,
    MeetingFactory,
    OutputFactory,
    PersonFactory,
    ProgrammeFactory,
    ProgrammePartyFactory,
    RecommendationFactory,
    TaskFactory,
    UserFactory,
    issued,
)
from tests.helpers import columns_chosen, count_queries, export_rows

pytestmark = pytest.mark.django_db

PAGES = ("dashboard", "search")
ROLES = ("ministry_user", "leadership_user", "province_user")
# The most queries any of these pages may run, whatever the number of rows, plus one: the users of `scope` have
# no role, so the header's count of their unread notifications is a query of its own (with a role, it shares the
# query that counts the work waiting for them). One more for a provincial user, whose figures are kept too
# (`coop.figure_cache.kept_for_scope`): the first request after a change reads the ids of the tasks they may
# see beside the versions of the kept figures; the next ones read only the versions (13 queries).
QUERY_CEILING = 17
VIETNAMESE = {"accept-language": "vi"}


def assert_same_queries_for_few_and_many(client: Client, url: str, add_rows) -> None:
    """The page runs as many queries with 5 rows as with 50, its figures kept or not, and stays under the ceiling."""
    add_rows(5)
    client.get(url)  # warm up anything cached once per process
    few = queries_cold_and_warm(client, url)
    add_rows(45)
    many = queries_cold_and_warm(client, url)
    assert few == many, f"{url}: {few} queries (nothing kept, figures kept) with 5 rows, {many} with 50"
    assert max(many) < QUERY_CEILING


def queries_cold_and_warm(client: Client, url: str) -> tuple[int, int]:
    """The page's queries with no figure kept (coop.figure_cache), then with those the first request kept."""
    cache.clear()
    return count_queries(client, url), count_queries(client, url)


# Who may open the pages


@pytest.mark.parametrize("url_name", PAGES)
def test_anonymous_is_sent_to_the_login_page(client, url_name):
    url = reverse(url_name)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert f"next={url}" in response.url


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url_name", PAGES)
def test_every_role_opens_every_page(scope, role, url_name):
    response = logged_in(getattr(scope, role)).get(reverse(url_name), {"q": "thai binh"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("/", "<title>Overview ·"),
        ("/search/", "<title>Search ·"),
        ("/search/?q=thai+binh", "<title>Search: thai binh ·"),
    ],
)
def test_pages_have_titles(scope, url, title):
    response = logged_in(scope.ministry_user, language="en").get(url)
    assert title in response.content.decode()


# The dashboard: figures within the user's scope, each linked to the list that produces it


def fill_two_provinces(scope):
    """Tasks, funding and outputs in the province user's programme and in the other one."""
    inside, outside = scope.programme, scope.other_programme
    tasks = {
        "inside_running": scope.task,
        "inside_done": TaskFactory(programme=inside, lead_agency=scope.department, status=TaskStatus.COMPLETED),
        "outside_running": scope.other_task,
        "outside_done": TaskFactory(programme=outside, status=TaskStatus.COMPLETED),
    }
    amounts = {
        "inside_running": (FundingSource.MINISTRY, 2_000_000_000),
        "inside_done": (FundingSource.PROVINCE, 700_000_000),
        "outside_running": (FundingSource.MINISTRY, 5_000_000_000),
        "outside_done": (FundingSource.COUNTERPART, 900_000_000),
    }
    for key, (source, amount) in amounts.items():
        FundingFactory(task=tasks[key], source=source, year=2017, allocated=Decimal(amount), disbursed=0)
    FundingFactory(task=tasks["inside_running"], source=FundingSource.MINISTRY, year=2018, allocated=Decimal(10**9))
    OutputFactory(task=tasks["inside_running"], kind=OutputKind.MODEL, quantity=12)
    OutputFactory(task=tasks["inside_done"], kind=OutputKind.VARIETY, quantity=1)
    OutputFactory(task=tasks["inside_done"], kind=OutputKind.TRAINING, quantity=3)
    OutputFactory(task=tasks["outside_running"], kind=OutputKind.MODEL, quantity=40)
    OutputFactory(task=tasks["outside_done"], kind=OutputKind.PUBLICATION, quantity=7)
    return tasks


def dashboard_of(user):
    response = logged_in(user).get(reverse("dashboard"))
    assert response.status_code == 200
    return response, response.context["dashboard"]


def figures_by_key(figures):
    return {figure.key: figure.value for figure in figures}


def outputs_by_kind_and_unit(figures):
    return {(figure.key, figure.unit): figure.value for figure in figures}


def test_a_province_user_counts_only_their_scope(scope):
    fill_two_provinces(scope)
    _, dashboard = dashboard_of(scope.province_user)
    assert dashboard.task_total.value == 2
    assert figures_by_key(dashboard.tasks_by_status)[TaskStatus.IN_PROGRESS] == 1
    assert figures_by_key(dashboard.tasks_by_status)[TaskStatus.COMPLETED] == 1
    funding = figures_by_key(dashboard.funding_by_source)
    assert funding == {"ministry": 3_000_000_000, "province": 700_000_000, "counterpart": 0, "other": 0}
    assert dashboard.ministry_funding.value == 3_000_000_000
    outputs = outputs_by_kind_and_unit(dashboard.outputs_by_kind)
    assert outputs == {
        ("model", "mô hình"): 12,
        ("technology", "công nghệ"): 0,
        ("brand", "nhãn hiệu"): 0,
        ("variety", "giống"): 1,
        ("training", "lớp"): 3,
    }


@pytest.mark.parametrize("role", ["ministry_user", "leadership_user"])
def test_the_ministry_and_leadership_count_every_programme(scope, role):
    fill_two_provinces(scope)
    _, dashboard = dashboard_of(getattr(scope, role))
    assert dashboard.task_total.value == 4
    funding = figures_by_key(dashboard.funding_by_source)
    assert funding == {"ministry": 8_000_000_000, "province": 700_000_000, "counterpart": 900_000_000, "other": 0}
    outputs = outputs_by_kind_and_unit(dashboard.outputs_by_kind)
    assert outputs == {
        ("model", "mô hình"): 52,
        ("technology", "công nghệ"): 0,
        ("brand", "nhãn hiệu"): 0,
        ("variety", "giống"): 1,
        ("training", "lớp"): 3,
        ("publication", "bài báo"): 7,
    }


def ending_and_overdue(scope):
    """Programmes that end soon or not, and recommendations that are overdue or not, on both sides."""
    this_year = timezone.localdate().year
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    Programme.objects.filter(pk=scope.programme.pk).update(
        status=ProgrammeStatus.ACTIVE, start_year=this_year - 4, end_year=this_year
    )
    Programme.objects.filter(pk=scope.other_programme.pk).update(
        status=ProgrammeStatus.ACTIVE, start_year=this_year - 4, end_year=this_year + 1
    )
    later = ProgrammeFactory(status=ProgrammeStatus.ACTIVE, start_year=this_year, end_year=this_year + 2)
    finished = ProgrammeFactory(status=ProgrammeStatus.COMPLETED, start_year=this_year - 4, end_year=this_year)
    for programme in (later, finished):
        ProgrammePartyFactory(programme=programme, agency=scope.committee)
    inside = MeetingFactory(programme=scope.programme)
    outside = MeetingFactory(programme=scope.other_programme)
    RecommendationFactory(meeting=inside, due_on=yesterday, status=RecommendationStatus.OPEN)
    RecommendationFactory(meeting=inside, due_on=yesterday, status=RecommendationStatus.IN_PROGRESS)
    RecommendationFactory(meeting=inside, due_on=yesterday, status=RecommendationStatus.DONE)
    RecommendationFactory(meeting=inside, due_on=tomorrow, status=RecommendationStatus.OPEN)
    RecommendationFactory(meeting=inside, due_on=None, status=RecommendationStatus.OPEN)
    RecommendationFactory(meeting=outside, due_on=yesterday, status=RecommendationStatus.OPEN)


@pytest.mark.parametrize(("role", "ending", "overdue"), [("province_user", 1, 2), ("ministry_user", 2, 3)])
def test_programmes_ending_soon_and_overdue_recommendations(scope, role, ending, overdue):
    ending_and_overdue(scope)
    response, dashboard = dashboard_of(getattr(scope, role))
    assert dashboard.ending_soon.value == ending
    assert len(dashboard.ending_soon_programmes) == ending
    assert dashboard.overdue_recommendations.value == overdue
    html = response.content.decode()
    assert scope.programme.title in html
    assert (scope.other_programme.title in html) == (role == "ministry_user")


def test_every_figure_links_to_the_filtered_list_of_the_contract(scope):
    fill_two_provinces(scope)
    response, dashboard = dashboard_of(scope.ministry_user)
    next_year = timezone.localdate().year + 1
    statuses = {figure.key: figure.url for figure in dashboard.tasks_by_status}
    assert statuses == {status.value: f"/tasks/?status={status.value}" for status in TaskStatus}
    sources = {figure.key: figure.url for figure in dashboard.funding_by_source}
    assert sources == {source.value: f"/tasks/?funding_source={source.value}" for source in FundingSource}
    kinds = {figure.key: figure.url for figure in dashboard.outputs_by_kind}
    assert kinds["model"] == list_url("output_list", kind="model", unit="mô hình", status="verified")
    assert kinds["model"] == "/outputs/?kind=model&unit=m%C3%B4+h%C3%ACnh&status=verified"
    assert kinds["variety"] == list_url("output_list", kind="variety", unit="giống", status="verified")
    assert kinds["publication"] == list_url("output_list", kind="publication", unit="bài báo", status="verified")
    # Overdue programmes are counted apart (issue 15): ending soon leaves them out.
    assert dashboard.ending_soon.url == f"/programmes/?status=active&state=on_schedule&ending_by={next_year}"
    assert dashboard.overdue_recommendations.url == "/recommendations/?overdue=true"
    assert dashboard.task_total.url == "/tasks/"
    html = response.content.decode()
    for url in [*statuses.values(), *sources.values(), *kinds.values(), dashboard.ending_soon.url]:
        assert f'href="{url.replace("&", "&amp;")}"' in html
    assert 'href="/recommendations/?overdue=true"' in html


def test_the_charts_are_inline_svg_with_vietnamese_labels_and_no_script(scope):
    fill_two_provinces(scope)
    response = logged_in(scope.ministry_user).get(reverse("dashboard"), headers=VIETNAMESE)
    html = response.content.decode()
    assert html.count("<svg") == 3
    svg = html[html.index("<svg") : html.rindex("</svg>")]
    with translation.override("vi"):
        for label in (TaskStatus.IN_PROGRESS.label, FundingSource.MINISTRY.label, OutputKind.MODEL.label):
            assert str(label) in svg
        assert str(TaskStatus.IN_PROGRESS.label) == "Đang thực hiện"
        assert format_billions(Decimal(8_000_000_000)) in svg  # "8,0 tỷ đồng"
    assert "<script" not in svg
    assert "window.pygal" not in html
    assert 'xlink:href="/tasks/?status=in_progress"' in svg


def test_the_charts_styles_are_one_stylesheet_in_the_head_under_the_pages_nonce(scope):
    """HTML allows a nonce on its own <style>, not on an SVG's (Nu HTML Checker): the charts' rules move to the head."""
    fill_two_provinces(scope)
    response = logged_in(scope.ministry_user).get(reverse("dashboard"), headers=VIETNAMESE)
    html = response.content.decode()
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    head, body = html.split("</head>")
    stylesheet = head[head.index(f'<style nonce="{nonce}">') :]
    assert stylesheet.count("#chart-") > 3
    assert " > .background" in stylesheet  # the rules as CSS, not as the SVG's XML text ("&gt;")
    assert "<style" not in body
    # SVG's text anchors are start, middle and end (pygal writes "left"); a bar of 0 has a width of 0.
    assert 'text-anchor="left"' not in body
    assert all(" width=" in rect for rect in re.findall(r"<rect\b[^>]*>", body))


def test_a_dashboard_without_records_says_how_it_fills_in(db):
    user = UserFactory(agency=AgencyFactory(kind=AgencyKind.DEPARTMENT))
    response = logged_in(user, language="en").get(reverse("dashboard"))
    html = response.content.decode()
    assert "No S&T task is recorded yet" in html
    assert "<svg" not in html


@pytest.mark.parametrize("role", ROLES)
def test_the_dashboard_runs_the_same_queries_for_5_and_50_rows(scope, role):
    programmes = [scope.programme, scope.other_programme]

    def add_rows(count):
        for index in range(count):
            programme = programmes[index % 2]
            task = TaskFactory(programme=programme, lead_agency=scope.department, status=list(TaskStatus)[index % 7])
            FundingFactory(task=task, source=list(FundingSource)[index % 4], year=2017)
            OutputFactory(task=task, kind=list(OutputKind)[index % 9], quantity=index + 1)
            RecommendationFactory(
                meeting=MeetingFactory(programme=programme),
                raised_by=scope.committee,
                addressed_to=scope.ministry,
                due_on=datetime.date(2020, 1, 1),
            )
            ProgrammeFactory(status=ProgrammeStatus.ACTIVE, start_year=2020, end_year=2020)

    assert_same_queries_for_few_and_many(logged_in(getattr(scope, role)), reverse("dashboard"), add_rows)


# Following each figure's link: the list it opens produces the same figure.
# (These need the programmes' and tasks' list pages, written alongside.)


@pytest.fixture(params=["province_user", "ministry_user"])
def province_dashboard(scope, request):
    """A dashboard with figures on both sides, seen by a provincial user and by the Ministry."""
    fill_two_provinces(scope)
    ending_and_overdue(scope)
    client = logged_in(getattr(scope, request.param))
    return client, client.get(reverse("dashboard")).context["dashboard"]


@pytest.mark.parametrize("status", list(TaskStatus))
def test_a_task_status_figure_equals_the_count_of_its_list(province_dashboard, status):
    client, dashboard = province_dashboard
    figure = next(figure for figure in dashboard.tasks_by_status if figure.key == status)
    assert client.get(figure.url).context["table"].paginator.count == figure.value


@pytest.mark.parametrize("source", list(FundingSource))
def test_a_funding_figure_equals_the_total_of_its_list(province_dashboard, source):
    client, dashboard = province_dashboard
    figure = next(figure for figure in dashboard.funding_by_source if figure.key == source)
    assert client.get(figure.url).context["totals"][f"{source}_funding"] == figure.value


def test_each_output_figure_equals_the_verified_quantity_of_its_list_and_its_pending_too(province_dashboard):
    client, dashboard = province_dashboard
    assert {figure.key for figure in dashboard.outputs_by_kind} >= set(HEADLINE_OUTPUT_KINDS)
    for figure in dashboard.outputs_by_kind:
        assert client.get(figure.url).context["totals"]["quantity"] == figure.value, figure
        assert client.get(figure.pending_url).context["totals"]["pending"] == figure.pending, figure


def test_the_ending_soon_figure_equals_the_count_of_its_list(province_dashboard):
    client, dashboard = province_dashboard
    response = client.get(dashboard.ending_soon.url)
    assert response.context["table"].paginator.count == dashboard.ending_soon.value > 0


def test_the_overdue_figure_equals_the_count_of_its_list(province_dashboard):
    client, dashboard = province_dashboard
    response = client.get(dashboard.overdue_recommendations.url)
    assert response.context["table"].paginator.count == dashboard.overdue_recommendations.value > 0


def test_the_task_total_equals_the_count_of_the_task_list(province_dashboard):
    client, dashboard = province_dashboard
    assert client.get(dashboard.task_total.url).context["table"].paginator.count == dashboard.task_total.value


# The dashboard of the demo: the figures are the records' own sums


THAI_BINH = "PH-BKHCN-TB-2012"


@pytest.mark.usefixtures("demo_data")
class TestTheDemoDashboard:
    def dashboard(self, username):
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        response = client.get(reverse("dashboard"), headers=VIETNAMESE)
        assert response.status_code == 200
        return response.content.decode(), response.context["dashboard"]

    def test_the_ministry_sees_the_thai_binh_and_nam_dinh_tasks(self, db):
        html, dashboard = self.dashboard("bo.chuyenvien")
        assert Task.objects.filter(programme__code=THAI_BINH).count() == 30
        assert dashboard.task_total.value == Task.objects.count() > 30
        for figure in dashboard.tasks_by_status:
            assert figure.value == Task.objects.filter(status=figure.key).count()

    def test_ministry_funding_is_the_sum_of_ministry_allocations(self, db):
        html, dashboard = self.dashboard("lanhdao")
        expected = Funding.objects.filter(source=FundingSource.MINISTRY).aggregate(total=Sum("allocated"))["total"]
        assert dashboard.ministry_funding.value == expected
        with translation.override("vi"):
            assert format_billions(expected) in html
        for figure in dashboard.funding_by_source:
            sources = Funding.objects.filter(source=figure.key)
            assert figure.value == (sources.aggregate(total=Sum("allocated"))["total"] or 0)

    def test_outputs_by_kind_and_unit_are_sums_of_verified_quantities(self, db):
        _, dashboard = self.dashboard("bo.chuyenvien")
        outputs = outputs_by_kind_and_unit(dashboard.outputs_by_kind)
        verified = Output.objects.filter(status=OutputStatus.VERIFIED)
        for (kind, unit), value in outputs.items():
            assert value == verified.filter(kind=kind, unit=unit).aggregate(total=Sum("quantity"))["total"]
        assert sum(outputs.values()) == verified.aggregate(total=Sum("quantity"))["total"]
        # "Khác" is listed per unit, never added up: databases, enterprises and software apart.
        assert {unit for kind, unit in outputs if kind == OutputKind.OTHER} >= {"cơ sở dữ liệu", "doanh nghiệp"}
        assert outputs[OutputKind.VARIETY, "giống"] >= 1  # the TBR225 rice variety

    def test_the_thai_binh_department_sees_its_own_figures(self, db):
        user = get_user_model().objects.get(username="so.thaibinh")
        _, dashboard = self.dashboard("so.thaibinh")
        visible = Task.objects.visible_to(user)
        assert dashboard.task_total.value == visible.count() == 30
        ministry = Funding.objects.filter(task__in=visible, source=FundingSource.MINISTRY)
        assert dashboard.ministry_funding.value == ministry.aggregate(total=Sum("allocated"))["total"]
        assert dashboard.ministry_funding.value == Decimal(97_600_000_000)  # "gần trăm tỷ đồng"
        models = Output.objects.filter(task__in=visible, kind=OutputKind.MODEL).aggregate(total=Sum("quantity"))
        assert outputs_by_kind_and_unit(dashboard.outputs_by_kind)["model", "mô hình"] == models["total"] == 53


# The search: every word, any diacritics, within scope, grouped by kind


def search(user, query):
    response = logged_in(user, language="en").get(reverse("search"), {"q": query})
    assert response.status_code == 200
    return response


def found(response, key):
    group = next(group for group in response.context["groups"] if group.key == key)
    return group


@pytest.mark.parametrize("query", ["thai binh", "Thái Bình", "THAI BÌNH", "binh thai"])
def test_search_ignores_case_diacritics_and_word_order(scope, query):
    response = search(scope.ministry_user, query)
    assert scope.task in found(response, "tasks").rows
    assert scope.programme in found(response, "programmes").rows


def test_search_finds_d_with_stroke_by_d(scope):
    output = OutputFactory(task=scope.task, name="Chạm bạc Đồng Xâm")
    response = search(scope.ministry_user, "dong xam")
    assert found(response, "outputs").rows == [output]
    assert '<mark class="hit">Đồng</mark> <mark class="hit">Xâm</mark>' in response.content.decode()


def test_search_highlights_the_words_in_the_displayed_title(scope):
    OutputFactory(task=scope.task, name="Giống lúa TBR225")
    response = search(scope.ministry_user, "giong lua tbr")
    html = response.content.decode()
    assert '<mark class="hit">Giống</mark> <mark class="hit">lúa</mark> <mark class="hit">TBR</mark>225' in html


def test_every_word_must_match(scope):
    response = search(scope.ministry_user, "thai binh khong-co-dau-nay")
    assert response.context["total"] == 0
    assert "Nothing matches" in response.content.decode()
    assert "fewer or shorter words" in response.content.decode()


def test_a_province_user_does_not_find_another_provinces_records(scope):
    MeetingFactory(programme=scope.other_programme, title="Hội nghị sơ kết Nam Định")
    OutputFactory(task=scope.other_task, name="Mô hình ngao Nam Định")
    response = search(scope.province_user, "nam dinh")
    assert found(response, "tasks").count == 0
    assert found(response, "programmes").count == 0
    assert found(response, "meetings").count == 0
    assert found(response, "outputs").count == 0
    assert "Nhiệm vụ của Nam Định" not in response.content.decode()
    # The directory of agencies is public to every logged-in user.
    assert found(response, "agencies").count == 1
    everything = search(scope.ministry_user, "nam dinh")
    assert scope.other_task in found(everything, "tasks").rows
    assert found(everything, "meetings").count == 1


def test_people_are_found_and_link_to_their_agency(scope):
    person = PersonFactory(full_name="Trần Thị Bích Hằng", agency=scope.department)
    response = search(scope.province_user, "bich hang")
    assert found(response, "people").rows == [person]
    html = response.content.decode()
    name = 'Trần Thị <mark class="hit">Bích</mark> <mark class="hit">Hằng</mark>'
    assert f'href="{scope.department.get_absolute_url()}">{name}</a>' in html


def test_each_kind_shows_its_count_and_at_most_twenty_with_a_see_all_link(scope):
    for index in range(SEARCH_LIMIT + 5):
        TaskFactory(programme=scope.programme, title=f"Nuôi ngao thương phẩm {index}")
        PersonFactory(full_name=f"Ngao Văn {index}")
    response = search(scope.ministry_user, "ngao")
    tasks, people = found(response, "tasks"), found(response, "people")
    assert (tasks.count, len(tasks.rows)) == (SEARCH_LIMIT + 5, SEARCH_LIMIT)
    assert (people.count, len(people.rows)) == (SEARCH_LIMIT + 5, SEARCH_LIMIT)
    assert people.see_all_url is None  # people have no list page
    html = response.content.decode()
    assert f'<a href="/tasks/?q=ngao">See all {SEARCH_LIMIT + 5}</a>' in html
    assert "Add a word to narrow the search." in html
    assert response.context["total"] == 2 * (SEARCH_LIMIT + 5)


@pytest.mark.parametrize("role", ["province_user", "ministry_user"])
def test_each_see_all_link_lists_as_many_rows_as_the_group_counts(scope, role):
    for index in range(SEARCH_LIMIT + 3):
        task = TaskFactory(programme=[scope.programme, scope.other_programme][index % 2], title=f"Nuôi ngao {index}")
        OutputFactory(task=task, name=f"Giống ngao {index}")
    MeetingFactory(programme=scope.programme, title="Hội nghị về nuôi ngao")
    client = logged_in(getattr(scope, role))
    groups = client.get(reverse("search"), {"q": "nuoi ngao"}).context["groups"]
    for group in groups:
        if group.see_all_url:
            listed = client.get(group.see_all_url).context["table"].paginator.count
            assert listed == group.count, group.key


@pytest.mark.parametrize("query", ["", "   ", "!!! ..."])
def test_an_empty_query_explains_what_to_type_and_searches_nothing(scope, query):
    client = logged_in(scope.ministry_user, language="en")
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse("search"), {"q": query})
    assert response.context["groups"] == []
    assert "Type one or more words" in response.content.decode()
    searched = ("programmes_programme", "tasks_task", "tasks_output", "programmes_person", "programmes_meeting")
    assert not any(table in captured["sql"] for captured in context.captured_queries for table in searched)


def test_search_escapes_what_the_records_hold(scope):
    TaskFactory(programme=scope.programme, title='<script>alert("x")</script> Thái Bình')
    html = search(scope.ministry_user, "thai binh script").content.decode()
    assert "<script>alert" not in html
    assert '&lt;<mark class="hit">script</mark>&gt;alert' in html


@pytest.mark.parametrize("role", ROLES)
def test_search_runs_the_same_queries_for_5_and_50_rows(scope, role):
    def add_rows(count):
        for _ in range(count):
            programme = ProgrammeFactory(title="Chương trình nuôi ngao")
            ProgrammePartyFactory(programme=programme, agency=scope.committee)
            agency = AgencyFactory(name="Hợp tác xã nuôi ngao", province=scope.committee.province)
            task = TaskFactory(programme=programme, title="Nuôi ngao", lead_agency=agency)
            OutputFactory(task=task, name="Giống ngao")
            PersonFactory(full_name="Ngao Văn Thử", agency=agency)
            MeetingFactory(programme=programme, title="Hội nghị ngao")

    assert_same_queries_for_few_and_many(logged_in(getattr(scope, role)), "/search/?q=ngao", add_rows)


# Highlighting: spans of the original text whose fold matches a word


@pytest.mark.parametrize(
    ("text", "query", "expected"),
    [
        ("Thái Bình", "thai binh", '<mark class="hit">Thái</mark> <mark class="hit">Bình</mark>'),
        ("Đồng Xâm", "dong", '<mark class="hit">Đồng</mark> Xâm'),
        ("Sở KH&CN Thái Bình", "khcn", 'Sở <mark class="hit">KH&amp;CN</mark> Thái Bình'),
        ("Giống lúa TBR225", "tbr", 'Giống lúa <mark class="hit">TBR</mark>225'),
        ("Thái Bình", "thai thai binh", '<mark class="hit">Thái</mark> <mark class="hit">Bình</mark>'),
        ("Thái Bình", "ai bi", 'Th<mark class="hit">ái</mark> <mark class="hit">Bì</mark>nh'),
        ("Thái Bình", "nam dinh", "Thái Bình"),
        ("a < b & c", "b", 'a &lt; <mark class="hit">b</mark> &amp; c'),
        ("", "thai", ""),
    ],
)
def test_highlight_marks_matches_and_escapes_the_rest(text, query, expected):
    assert highlight_words(text, query) == expected


def test_highlight_keeps_combining_marks_of_decomposed_text_inside_the_mark():
    text = unicodedata.normalize("NFD", "Thái Bình")
    assert hit_spans(text, "thai") == [(0, len(unicodedata.normalize("NFD", "Thái")))]
    assert highlight_words(text, "thai").startswith('<mark class="hit">' + unicodedata.normalize("NFD", "Thái"))


def test_overlapping_words_make_one_mark():
    assert hit_spans("Nuôi ngao", "ngao nga") == [(5, 9)]


# The archive of issued reports


def test_the_programme_filter_offers_only_programmes_in_scope(scope):
    response = logged_in(scope.province_user).get(reverse("report_list"))
    choices = response.context["filter"].form.fields["programme"].queryset
    assert list(choices) == [scope.programme]


def test_the_empty_archive_says_where_reports_come_from(scope):
    response = logged_in(scope.ministry_user, language="en").get(reverse("report_list"))
    assert "Review documents drafted from a programme page" in response.content.decode()


@pytest.fixture
def reports(scope):
    """Saved copies of each kind, a review document issued by its signer in English, and a draft."""
    other_user = UserFactory(last_name="Đỗ", first_name="An", agency=scope.ministry)
    signer = UserFactory(
        last_name="Đỗ",
        first_name="Quang Vinh",
        agency=scope.ministry,
        person=PersonFactory(full_name="Đỗ Quang Vinh", position="Thứ trưởng", agency=scope.ministry),
    )
    moment = datetime.datetime(2023, 5, 4, 9, 30, tzinfo=datetime.UTC)
    return {
        "old": issued(
            scope.programme,
            kind=ReportKind.PROGRAMME_REVIEW,
            created_at=moment,
            created_by=scope.ministry_user,
            as_of=datetime.date(2023, 4, 30),
            page_count=12,
            sha256="c" * 64,
        ),
        "sheet": issued(
            scope.other_programme,
            kind=ReportKind.TASK_SHEET,
            task=scope.other_task,
            created_at=moment + datetime.timedelta(days=400),
            created_by=other_user,
            page_count=2,
            sha256="a" * 64,
        ),
        "list": issued(
            scope.programme,
            kind=ReportKind.TASK_LIST,
            created_at=moment + datetime.timedelta(days=800),
            created_by=other_user,
            page_count=30,
            sha256="b" * 64,
        ),
        "document": issued(
            scope.programme,
            kind=ReportKind.PROGRAMME_REVIEW,
            state=DocumentState.ISSUED,
            number=15,
            symbol="BC-BKHCN",
            register_year=2024,
            issuing_agency=scope.ministry,
            signer=signer,
            issued_by=signer,
            language="en",
            as_of=datetime.date(2024, 6, 10),
            created_at=moment + datetime.timedelta(days=400),
            issued_at=moment + datetime.timedelta(days=405),
            created_by=scope.ministry_user,
            page_count=7,
            sha256="d" * 64,
        ),
        "draft": issued(
            scope.programme,
            kind=ReportKind.PROGRAMME_REVIEW,
            state=DocumentState.DRAFT,
            signer=signer,
            as_of=datetime.date(2024, 12, 31),
            created_by=scope.ministry_user,
            pdf="",
            page_count=None,
            sha256="",
        ),
    }


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_the_archive_export_holds_every_filtered_row_with_its_values(scope, reports, export_format):
    for index in range(30):
        issued(scope.programme, kind=ReportKind.TASK_LIST, sha256=f"{index:064x}", created_by=scope.ministry_user)
    client = logged_in(scope.ministry_user)
    params = {
        "_export": export_format,
        "kind": [ReportKind.PROGRAMME_REVIEW, ReportKind.TASK_LIST],
        "state": [DocumentState.SAVED, DocumentState.ISSUED],
    }
    response = client.get(reverse("report_list"), params, headers=VIETNAMESE)
    assert response.status_code == 200
    rows = export_rows(response, export_format)
    # Header, 30 new task lists, "old", "list" and the issued document; not the task sheet, not the draft.
    assert len(rows) == 1 + 33
    with translation.override("vi"):
        header = [
            capfirst(GeneratedReport._meta.get_field(name).verbose_name) if name else gettext(label)
            for name, label in (
                ("number", ""),
                ("", "Date"),
                ("kind", ""),
                ("programme", ""),
                ("task", ""),
                ("as_of", ""),
                ("language", ""),
                ("state", ""),
                ("signer", ""),
                ("", "Created by"),
                ("page_count", ""),
                ("", "SHA-256"),
            )
        ]
        kind_label = str(ReportKind.PROGRAMME_REVIEW.label)
        saved_label, issued_label = str(DocumentState.SAVED.label), str(DocumentState.ISSUED.label)
        vietnamese_label, english_label = gettext("Vietnamese"), gettext("English")
    assert rows[0] == header
    by_hash = {row[-1]: row for row in rows[1:]}
    assert set(by_hash) >= {f"{index:064x}" for index in range(30)}
    number = str if export_format == "csv" else int
    blank = "" if export_format == "csv" else None

    def day(value: datetime.date):  # a real date cell in a spreadsheet
        if export_format == "csv":
            return value.strftime("%d/%m/%Y")
        return datetime.datetime.combine(value, datetime.time())

    old, document = reports["old"], reports["document"]
    local = timezone.localtime(old.created_at).strftime("%d/%m/%Y %H:%M")
    assert by_hash[old.sha256] == [
        blank,  # a saved copy has no number
        local,
        kind_label,
        scope.programme.title,
        blank,
        day(old.as_of),
        vietnamese_label,
        saved_label,
        blank,
        str(scope.ministry_user),
        number(12),
        old.sha256,
    ]
    assert local == "04/05/2023 16:30"  # 9:30 UTC is 16:30 in Hà Nội
    # An issued document by its number, dated the day it was issued, with its signer.
    assert by_hash[document.sha256] == [
        "15/BC-BKHCN",
        timezone.localtime(document.issued_at).strftime("%d/%m/%Y %H:%M"),
        kind_label,
        scope.programme.title,
        blank,
        day(document.as_of),
        english_label,
        issued_label,
        "Đỗ Quang Vinh",
        str(scope.ministry_user),
        number(7),
        document.sha256,
    ]


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_the_archive_export_names_the_task_of_a_saved_sheet(scope, reports, export_format):
    params = {"_export": export_format, "kind": ReportKind.TASK_SHEET}
    rows = export_rows(logged_in(scope.ministry_user).get(reverse("report_list"), params), export_format)
    assert [row[3:5] for row in rows[1:]] == [[scope.other_programme.title, scope.other_task.code]]


def test_the_archive_shows_a_short_checksum_and_the_programme_code(scope):
    report = issued(scope.programme, sha256="f" * 64)
    client = logged_in(scope.ministry_user)
    with columns_chosen(client, "report_list", ["number", "programme", "sha256"]):
        html = client.get(reverse("report_list")).content.decode()
    assert f'<code title="{report.sha256}">{"f" * 12}…</code>' in html
    assert f'href="{scope.programme.get_absolute_url()}"' in html
    assert f">{scope.programme.code}</a>" in html
