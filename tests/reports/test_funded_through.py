"""A national programme's tasks funded through it (`Task.funded_through`), which other programmes own.

The demo's two phases of the Rural and Mountainous Areas Programme own no task: their pages used to show
0 tasks and 0 đ. They count and sum the tasks funded through them, apart from their own, each figure
linked to the task list filtered by `funded_through`, which counts and sums the same; the programme list
shows the same figures; a provincial user counts only the tasks they may see.
"""

import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Sum
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from programmes.choices import PartyRole, ProgrammeKind
from programmes.models import Programme
from reports.figures import funded_through_figures
from seed.demo_data import NTMN_1, NTMN_2, THAI_BINH
from tasks.choices import FundingSource
from tasks.models import Funding, Task
from tests.conftest import logged_in
from tests.factories import ProgrammeFactory, ProgrammePartyFactory, ProvinceFactory, TaskFactory, carried_out_in, fund
from tests.helpers import columns_chosen, count_queries, listed

pytestmark = pytest.mark.django_db

BILLION = Decimal(10**9)


def ministry_client() -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username="bo.chuyenvien"))
    return client


def allocated_by_source(tasks) -> dict[str, Decimal]:
    """Straight from the funding rows: allocated VND by source over `tasks`."""
    rows = Funding.objects.filter(task__in=tasks).values_list("source").annotate(total=Sum("allocated"))
    return dict(rows)


@pytest.mark.usefixtures("demo_data")
class TestTheDemosNationalProgrammes:
    @pytest.mark.parametrize(("code", "count"), [(NTMN_1, 4), (NTMN_2, 7)])
    def test_the_page_counts_and_sums_the_tasks_funded_through_it_apart_from_its_own(self, code, count):
        programme = Programme.objects.get(code=code)
        response = ministry_client().get(programme.get_absolute_url())
        figures = response.context["figures"]
        funded = figures.funded_through
        tasks = Task.objects.filter(funded_through=programme)
        assert figures.tasks.value == 0  # it owns none
        assert funded.tasks.value == tasks.count() == count
        expected = allocated_by_source(tasks)
        assert {figure.key: figure.value for figure in funded.funding_by_source} == expected
        assert funded.funding_total.value == sum(expected.values()) > 0
        assert sum(figure.value for figure in funded.tasks_by_status) == count
        html = response.content.decode()
        assert 'id="figure-funded-tasks"' in html and f"?funded_through={programme.pk}" in html
        table = response.context["funded_tasks"]
        assert sorted(row.record.code for row in table.rows) == sorted(tasks.values_list("code", flat=True))
        assert "places" in [column.name for column in table.columns]

    def test_each_figure_opens_the_list_that_counts_and_sums_the_same(self):
        programme = Programme.objects.get(code=NTMN_2)
        funded = funded_through_figures(
            programme=programme, user=get_user_model().objects.get(username="bo.chuyenvien")
        )
        client = ministry_client()
        listed_tasks = client.get(funded.tasks.url)
        assert listed_tasks.context["totals"]["count"] == funded.tasks.value
        assert listed_tasks.context["totals"]["total_funding"] == funded.funding_total.value
        for figure in funded.funding_by_source:
            totals = client.get(figure.url).context["totals"]
            assert totals[f"{figure.key}_funding"] == figure.value, figure.key
        for figure in funded.tasks_by_status + funded.tasks_by_place:
            assert client.get(figure.url).context["totals"]["count"] == figure.value, figure.label
        assert [(figure.label, figure.value) for figure in funded.tasks_by_place] == [("Nam Định", 1), ("Thái Bình", 6)]

    def test_the_programme_list_shows_the_figures_of_national_programmes(self):
        client = ministry_client()
        with columns_chosen(client, "programme_list", ["code", "task_count", "funded_task_count"]):
            response = client.get(reverse("programme_list"))
        rows = {row.record.code: row.record for row in response.context["table"].page.object_list}
        for code in (NTMN_1, NTMN_2):
            tasks = Task.objects.filter(funded_through__code=code)
            assert rows[code].task_count == 0
            assert rows[code].funded_task_count == tasks.count()
            assert rows[code].funded_ministry_funding == allocated_by_source(tasks)[FundingSource.MINISTRY]
        assert rows[THAI_BINH].funded_task_count == 0
        html = response.content.decode()
        assert f'href="/tasks/?funded_through={Programme.objects.get(code=NTMN_2).pk}"' in html

    def test_a_cooperation_programme_has_no_such_figures(self):
        response = ministry_client().get(Programme.objects.get(code=THAI_BINH).get_absolute_url())
        assert response.context["figures"].funded_through is None
        assert response.context["funded_tasks"] is None
        assert 'id="funded-through"' not in response.content.decode()

    def test_the_review_data_sheet_of_a_national_programme_lists_the_tasks_funded_through_it(self):
        programme = Programme.objects.get(code=NTMN_2)
        response = ministry_client().get(
            reverse("programme_review_pdf", args=[programme.pk]),
            {"as_of": "10/06/2020", "language": "vi", "include_tasks": "on"},
        )
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        reader = PdfReader(io.BytesIO(response.content))  # drawn for the request, whole: nothing is filed
        text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
        assert "Nhiệm vụ thuộc chương trình này" in text
        assert "Danh sách nhiệm vụ KH&CN thuộc chương trình này" in text
        for code in Task.objects.filter(funded_through=programme).values_list("code", flat=True):
            assert code in text


# Scope: a provincial user party to a national programme counts only the tasks they may see


@pytest.fixture
def national(roles):
    """A national programme the Thái Bình committee is party to, funding a task of each province's programme."""
    programme = ProgrammeFactory(kind=ProgrammeKind.NATIONAL, code="NTMN-TEST")
    ProgrammePartyFactory(programme=programme, agency=roles.committee, role=PartyRole.MEMBER)
    for task, amount in ((roles.task, 2 * BILLION), (roles.other_task, 5 * BILLION)):
        task.funded_through = programme
        task.save()
        fund(task, allocated=amount)
    return programme


def test_a_provincial_user_counts_only_the_funded_tasks_they_may_see(roles, national):
    for user, count, ministry in ((roles.province_user, 1, 2 * BILLION), (roles.ministry_user, 2, 7 * BILLION)):
        client = logged_in(user)
        funded = client.get(national.get_absolute_url()).context["figures"].funded_through
        assert (funded.tasks.value, funded.funding_total.value) == (count, ministry)
        listed_ids = {row.record.pk for row in client.get(national.get_absolute_url()).context["funded_tasks"].rows}
        assert len(listed_ids) == count
        row = next(row for row in listed(client.get(reverse("programme_list"))) if row.pk == national.pk)
        assert (row.funded_task_count, row.funded_ministry_funding) == (count, ministry)
    seen = {
        row.record.pk
        for row in logged_in(roles.province_user).get(national.get_absolute_url()).context["funded_tasks"].rows
    }
    assert seen == {roles.task.pk}


def test_the_national_programme_page_reads_as_many_queries_for_many_funded_tasks(roles, national):
    client = logged_in(roles.ministry_user)
    url = national.get_absolute_url()

    def add(n):
        for _ in range(n):
            task = TaskFactory(programme=roles.programme, lead_agency=roles.department, funded_through=national)
            fund(task)
            carried_out_in(task, ProvinceFactory())

    add(2)
    client.get(url)
    few = count_queries(client, url)
    add(20)
    assert count_queries(client, url) == few
    assert client.get(url).context["figures"].funded_through.tasks.value == 24
