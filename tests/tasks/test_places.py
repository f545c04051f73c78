"""Where a task is carried out ("địa bàn thực hiện"): one or more provinces, the commune optional, apart from the
lead agency's province.

The demo's Thái Bình programme has 30 tasks, 4 of them led by Hà Nội institutes: filtered by the province
of the lead agency it gives 26, by the place of implementation 30. The place shows on the task list (and
its exports), the task's page, the programme's table of tasks and the review report's annex; the lists of
tasks, outputs and progress reports filter by it. The migration gives every existing task a first place.
Every list's filters, sorting and query counts are checked in tests/generic (the place among them).
"""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from programmes.choices import AgencyKind, PartyRole
from programmes.models import Programme, Province
from seed.demo_data import NAM_DINH, THAI_BINH, THAI_BINH_COMMUNES
from tasks.models import Task, TaskPlace
from tasks.queries import with_places
from tasks.tables import TaskTable
from tests.conftest import logged_in
from tests.factories import (
    AgencyFactory,
    OutputFactory,
    ProgrammeFactory,
    ProgrammePartyFactory,
    ProgressReportFactory,
    ProvinceFactory,
    TaskFactory,
    carried_out_in,
)
from tests.helpers import columns_chosen, count_queries, csv_rows, listed, listed_pks, xlsx_rows

pytestmark = pytest.mark.django_db


def ministry_client() -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username="bo.chuyenvien"))
    return client


def export_column(rows: list[list], name: str) -> list:
    """The values of one column (by its name in TaskTable) of an exported task list."""
    index = [column.name for column in TaskTable([]).columns.iterall()].index(name)
    return [row[index] for row in rows[1:]]


# The demo


@pytest.mark.usefixtures("demo_data")
class TestTheDemosPlaces:
    def test_the_thai_binh_programme_is_carried_out_in_thai_binh_30_tasks_of_30(self):
        thai_binh = Province.objects.get(name="Thái Bình")
        programme = Programme.objects.get(code=THAI_BINH)
        client = ministry_client()
        by_place = client.get(reverse("task_list"), {"programme": programme.pk, "place": thai_binh.pk})
        by_lead_agency = client.get(reverse("task_list"), {"programme": programme.pk, "province": thai_binh.pk})
        assert by_place.context["table"].paginator.count == 30
        assert by_place.context["totals"]["count"] == 30
        # The four tasks led by Hà Nội institutes, which have no province, are carried out in Thái Bình too.
        assert by_lead_agency.context["table"].paginator.count == 26
        hanoi_led = programme.tasks.filter(lead_agency__province__isnull=True)
        assert set(hanoi_led.values_list("code", flat=True)) == {"TB-2012-19", "TB-2012-21", "TB-2012-22", "TB-2012-30"}
        assert all(task.places_label().startswith("Thái Bình") for task in hanoi_led)

    def test_nam_dinh_tasks_are_carried_out_in_nam_dinh(self):
        tasks = Task.objects.filter(programme__code=NAM_DINH)
        assert tasks.count() == 5
        assert set(TaskPlace.objects.filter(task__in=tasks).values_list("province__name", flat=True)) == {"Nam Định"}
        assert all(task.places.count() == 1 for task in tasks)

    def test_a_few_tasks_name_their_communes(self):
        for code, commune in THAI_BINH_COMMUNES.items():
            place = TaskPlace.objects.get(task__code=code)
            assert (place.province.name, place.commune) == ("Thái Bình", commune)
        assert TaskPlace.objects.exclude(commune="").count() == len(THAI_BINH_COMMUNES)

    def test_the_task_list_shows_the_places_and_exports_them(self):
        programme = Programme.objects.get(code=THAI_BINH)
        client = ministry_client()
        with columns_chosen(client, "task_list", ["code", "title", "places"]):
            response = client.get(reverse("task_list"), {"programme": programme.pk, "sort": "code"})
        assert "places" in [column.name for column in response.context["table"].columns]
        html = response.content.decode()
        assert "Thái Bình (xã Vũ Hội, huyện Vũ Thư)" in html
        for export_format, read in (("csv", csv_rows), ("xlsx", xlsx_rows)):
            rows = read(
                client.get(reverse("task_list"), {"programme": programme.pk, "sort": "code", "_export": export_format})
            )
            places = export_column(rows, "places")
            assert places[0] == "Thái Bình (xã Vũ Hội, huyện Vũ Thư)"
            assert places.count("Thái Bình") == 30 - len(THAI_BINH_COMMUNES)

    def test_the_task_page_links_its_place_to_the_list_filtered_by_it(self):
        task = Task.objects.get(code="TB-2012-22")
        thai_binh = Province.objects.get(name="Thái Bình")
        html = ministry_client().get(task.get_absolute_url()).content.decode()
        assert f'href="/tasks/?place={thai_binh.pk}"' in html
        assert "xã Thái Phương, huyện Hưng Hà" in html

    def test_the_programme_page_shows_the_place_of_each_task(self):
        programme = Programme.objects.get(code=THAI_BINH)
        response = ministry_client().get(programme.get_absolute_url())
        table = response.context["tasks"]
        assert "places" in [column.name for column in table.columns]
        assert "Thái Bình (xã Thái Phương, huyện Hưng Hà)" in response.content.decode()

    def test_the_review_data_sheets_annex_names_each_tasks_place(self):
        programme = Programme.objects.get(code=THAI_BINH)
        response = ministry_client().get(
            reverse("programme_review_pdf", args=[programme.pk]),
            {"as_of": "10/06/2020", "language": "vi", "include_tasks": "on"},
        )
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        reader = PdfReader(io.BytesIO(response.content))  # drawn for the request, whole: nothing is filed
        text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
        assert "Địa bàn thực hiện" in text
        assert "xã Thái Phương" in text


# The filters


def test_a_task_carried_out_in_two_chosen_provinces_is_listed_once(admin_client):
    one, two, other = ProvinceFactory(), ProvinceFactory(), ProvinceFactory()
    both = TaskFactory()
    carried_out_in(both, one, two)
    elsewhere = TaskFactory(lead_agency=AgencyFactory(province=one))  # led from the province, carried out elsewhere
    carried_out_in(elsewhere, other)
    response = admin_client.get(reverse("task_list"), {"place": [one.pk, two.pk]})
    assert listed_pks(response) == [both.pk]
    assert response.context["totals"]["count"] == 1
    assert listed(response)[0].places_label() == "; ".join(sorted([one.name, two.name]))


def test_outputs_and_progress_reports_filter_by_the_place_of_their_task(admin_client):
    province = ProvinceFactory()
    here, there = TaskFactory(), TaskFactory()
    carried_out_in(here, province, commune="xã Vũ Hội")
    carried_out_in(there, ProvinceFactory())
    outputs = [OutputFactory(task=here), OutputFactory(task=there)]
    reports = [ProgressReportFactory(task=here), ProgressReportFactory(task=there)]
    assert listed_pks(admin_client.get(reverse("output_list"), {"place": province.pk})) == [outputs[0].pk]
    assert listed_pks(admin_client.get(reverse("progress_report_list"), {"place": province.pk})) == [reports[0].pk]


def test_a_provincial_user_chooses_among_the_places_of_their_own_tasks(roles):
    carried_out_in(roles.task, roles.department.province)
    carried_out_in(roles.other_task, roles.other_committee.province)
    form = logged_in(roles.province_user).get(reverse("task_list")).context["filter"].form
    assert list(form.fields["place"].queryset) == [roles.department.province]


def test_a_province_outside_the_choices_is_refused_on_the_form(roles):
    carried_out_in(roles.task, roles.department.province)
    carried_out_in(roles.other_task, roles.other_committee.province)
    response = logged_in(roles.province_user).get(reverse("task_list"), {"place": roles.other_committee.province_id})
    assert list(response.context["filter"].form.errors) == ["place"]
    assert listed_pks(response) == [roles.task.pk]  # nothing filtered, nothing outside the scope shown


# The rules of a place


def test_a_task_has_one_place_per_province_said_in_vietnamese():
    task, province = TaskFactory(), ProvinceFactory()
    carried_out_in(task, province)
    with pytest.raises(ValidationError) as refused:
        TaskPlace(task=task, province=province, commune="xã khác").full_clean()
    assert "Nhiệm vụ đã có tỉnh, thành phố này trong địa bàn thực hiện." in str(refused.value)


def test_places_are_read_once_for_a_page_of_tasks_not_once_per_task(admin_client):
    programme = ProgrammeFactory()

    def add(n):
        for _ in range(n):
            carried_out_in(TaskFactory(programme=programme), ProvinceFactory(), ProvinceFactory())

    url = reverse("task_list")
    add(2)
    admin_client.get(url)  # the figures kept until the tasks change (the filters' choices) are read once
    few = count_queries(admin_client, url, {"programme": programme.pk})
    add(8)
    admin_client.get(url)
    assert count_queries(admin_client, url, {"programme": programme.pk}) == few
    assert count_queries(admin_client, url, {"programme": programme.pk, "_export": "csv"}) <= few


def test_a_tasks_places_come_by_province_name_whether_read_with_it_or_alone(django_assert_num_queries):
    task = TaskFactory()
    TaskPlace.objects.create(task=task, province=ProvinceFactory(name="Thái Bình"), commune="xã Vũ Hội")
    TaskPlace.objects.create(task=task, province=ProvinceFactory(name="Nam Định"))
    assert task.places_label() == "Nam Định; Thái Bình (xã Vũ Hội)"
    [read_with_places] = with_places(Task.objects.filter(pk=task.pk))
    with django_assert_num_queries(0):
        assert read_with_places.places_label() == "Nam Định; Thái Bình (xã Vũ Hội)"
        assert [place.province.name for place in read_with_places.place_rows()] == ["Nam Định", "Thái Bình"]


# Editing: the admin's task page


def test_the_admin_edits_a_tasks_places_with_the_task(admin_client):
    task = TaskFactory()
    province = ProvinceFactory(name="Thái Bình")
    url = reverse("admin:tasks_task_change", args=[task.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(
        {
            "start_on": task.start_on.strftime("%d/%m/%Y"),
            "end_on": task.end_on.strftime("%d/%m/%Y"),
            "places-TOTAL_FORMS": "1",
            "places-INITIAL_FORMS": "0",
            "places-0-province": str(province.pk),
            "places-0-commune": "xã Vũ Hội",
        }
    )
    for prefix in ("fundings", "progress_reports", "outputs"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert task.places.get().label == "Thái Bình (xã Vũ Hội)"
    assert TaskPlace.history.filter(task_id=task.pk).count() == 1  # the task's history tab shows it
    history = admin_client.get(task.get_absolute_url(), {"tab": "history"}).content.decode()
    assert "Thái Bình" in history


# The migration: a first place for every task recorded before places existed


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_places_each_task_in_its_lead_agencys_province_or_its_programmes():
    executor = MigrationExecutor(connection)
    executor.migrate([("tasks", "0009_task_acceptance_constraints")])
    old_apps = executor.loader.project_state([("tasks", "0009_task_acceptance_constraints")]).apps
    thai_binh, ha_noi = ProvinceFactory(name="Thái Bình"), ProvinceFactory(name="Hà Nội")
    committee = AgencyFactory(kind=AgencyKind.PEOPLE_COMMITTEE, province=thai_binh)
    institute = AgencyFactory(kind=AgencyKind.INSTITUTE, province=None)  # a central institute
    cooperation = ProgrammeFactory()
    ProgrammePartyFactory(programme=cooperation, agency=AgencyFactory(province=None), role=PartyRole.MINISTRY_SIDE)
    ProgrammePartyFactory(programme=cooperation, agency=committee, role=PartyRole.PROVINCE_SIDE)
    national = ProgrammeFactory()
    OldTask = old_apps.get_model("tasks", "Task")

    def old_task(code, programme, lead_agency):
        return OldTask.objects.create(
            programme_id=programme.pk,
            code=code,
            title="Ứng dụng tiến bộ kỹ thuật",
            field="agriculture",
            level="ministry",
            lead_agency_id=lead_agency.pk,
            start_on=datetime.date(2016, 1, 1),
            end_on=datetime.date(2017, 12, 31),
        )

    led_in_hanoi = old_task("NV-01", cooperation, AgencyFactory(province=ha_noi))
    led_centrally = old_task("NV-02", cooperation, institute)
    national_alone = old_task("NV-03", national, institute)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    places = dict(TaskPlace.objects.values_list("task_id", "province__name"))
    assert places == {led_in_hanoi.pk: "Hà Nội", led_centrally.pk: "Thái Bình"}
    assert national_alone.pk not in places  # no province to give it: someone records it
    assert set(TaskPlace.objects.values_list("commune", flat=True)) == {""}
