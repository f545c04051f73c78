"""Figures kept between requests (coop/figure_cache.py) follow every change made through the application."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coop.figure_cache import data_version, kept_figures
from coop.request_memo import RequestMemoMiddleware
from programmes.choices import OutputKind, PartyRole
from reports.queries import dashboard
from tasks import services
from tasks.choices import FundingSource, TaskStatus
from tasks.models import Funding, Output, Task
from tests.factories import (
    FundingFactory,
    OutputFactory,
    ProgrammePartyFactory,
    ProgressReportFactory,
    TaskFactory,
    TaskPlaceFactory,
)

pytestmark = pytest.mark.django_db

MILLION = Decimal(1_000_000)


def figure(figures, key):
    return next(item.value for item in figures if item.key == key)


def test_a_kept_figure_is_computed_once_while_nothing_changes():
    TaskFactory()
    calls = []

    def compute():
        calls.append(1)
        return Task.objects.count()

    assert kept_figures("tasks", tables=[Task], compute=compute) == 1
    assert kept_figures("tasks", tables=[Task], compute=compute) == 1
    assert len(calls) == 1
    TaskFactory()
    assert kept_figures("tasks", tables=[Task], compute=compute) == 2
    assert len(calls) == 2


def test_the_version_moves_with_an_edit_and_a_deletion_not_only_with_new_rows():
    task = TaskFactory()
    before = data_version([Task])
    task.status = TaskStatus.SUSPENDED  # a finished status would need an acceptance record
    task.save()
    edited = data_version([Task])
    assert edited != before
    task.delete()
    assert data_version([Task]) != edited


def test_the_dashboard_follows_a_new_task_a_changed_status_and_a_deleted_one(admin_user):
    task = TaskFactory(status=TaskStatus.IN_PROGRESS)
    assert figure(dashboard(user=admin_user).tasks_by_status, TaskStatus.IN_PROGRESS) == 1
    TaskFactory(status=TaskStatus.IN_PROGRESS)
    assert figure(dashboard(user=admin_user).tasks_by_status, TaskStatus.IN_PROGRESS) == 2
    task.status = TaskStatus.SUSPENDED  # a finished status would need an acceptance record
    task.save()
    figures = dashboard(user=admin_user).tasks_by_status
    assert (figure(figures, TaskStatus.IN_PROGRESS), figure(figures, TaskStatus.SUSPENDED)) == (1, 1)
    task.delete()
    assert figure(dashboard(user=admin_user).tasks_by_status, TaskStatus.SUSPENDED) == 0


def test_the_dashboard_follows_funding_and_outputs_as_they_change(admin_user):
    row = FundingFactory(source=FundingSource.PROVINCE, allocated=100 * MILLION, disbursed=0)
    output = OutputFactory(task=row.task, kind=OutputKind.MODEL, quantity=3)
    first = dashboard(user=admin_user)
    assert figure(first.funding_by_source, FundingSource.PROVINCE) == 100 * MILLION
    assert figure(first.outputs_by_kind, OutputKind.MODEL) == 3
    row.allocated = 250 * MILLION
    services.funding_save(funding=row)
    output.quantity = 5
    output.save()
    second = dashboard(user=admin_user)
    assert figure(second.funding_by_source, FundingSource.PROVINCE) == 250 * MILLION
    assert figure(second.outputs_by_kind, OutputKind.MODEL) == 5
    services.funding_delete_many(fundings=Funding.objects.filter(pk=row.pk))
    Output.objects.filter(pk=output.pk).delete()
    third = dashboard(user=admin_user)
    assert figure(third.funding_by_source, FundingSource.PROVINCE) == 0
    assert figure(third.outputs_by_kind, OutputKind.MODEL) == 0


def test_the_totals_under_the_task_list_follow_a_funding_change(admin_client):
    row = FundingFactory(source=FundingSource.MINISTRY, allocated=100 * MILLION, disbursed=0)
    assert admin_client.get(reverse("task_list")).context["totals"]["ministry_funding"] == 100 * MILLION
    row.allocated = 40 * MILLION
    services.funding_save(funding=row)
    assert admin_client.get(reverse("task_list")).context["totals"]["ministry_funding"] == 40 * MILLION


def test_a_kept_dashboard_reads_the_version_instead_of_adding_up_the_rows(admin_client):
    TaskFactory()

    def sums_run_by_the_dashboard() -> list[str]:
        with CaptureQueriesContext(connection) as queries:
            admin_client.get(reverse("dashboard"))
        return [query["sql"] for query in queries.captured_queries if "GROUP BY" in query["sql"]]

    assert len(sums_run_by_the_dashboard()) == 2  # the count by status and the outputs by kind
    assert sums_run_by_the_dashboard() == []  # kept


def test_a_provincial_users_dashboard_is_their_own_not_the_kept_one(scope):
    TaskFactory(programme=scope.other_programme, status=TaskStatus.IN_PROGRESS)
    TaskFactory(programme=scope.programme, lead_agency=scope.department, status=TaskStatus.IN_PROGRESS)
    everything = figure(dashboard(user=scope.ministry_user).tasks_by_status, TaskStatus.IN_PROGRESS)
    theirs = figure(dashboard(user=scope.province_user).tasks_by_status, TaskStatus.IN_PROGRESS)
    assert theirs < everything


def test_a_table_without_history_moves_the_version_when_a_row_is_added_or_deleted():
    """Targets keep no history: their newest key and their number of rows stand in for it."""
    from programmes.models import Target
    from tests.factories import TargetFactory

    first = TargetFactory()
    TargetFactory(programme=first.programme, metric="tasks")
    before = data_version([Target])
    TargetFactory(programme=first.programme, metric="ministry_funding")
    after_adding = data_version([Target])
    assert after_adding != before
    first.delete()  # not the newest row: only the count tells
    assert data_version([Target]) != after_adding


def test_the_count_and_quantities_of_the_output_list_follow_new_and_deleted_outputs(admin_client):
    OutputFactory(kind=OutputKind.MODEL, quantity=2)

    def totals():
        return admin_client.get(reverse("output_list")).context["totals"]

    assert totals()["count"] == 1
    kept = totals()
    added = OutputFactory(kind=OutputKind.MODEL, quantity=3)
    assert totals()["count"] == kept["count"] + 1
    added.delete()  # as the admin deletes: the history row moves the version
    assert totals()["count"] == kept["count"]


def test_an_unfiltered_list_reads_its_kept_count_instead_of_counting(admin_client):
    ProgressReportFactory()
    counting = 'SELECT COUNT(*) AS "__count" FROM "tasks_progressreport"'

    def counts_run_by_the_list() -> list[str]:
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get(reverse("progress_report_list"))
        assert response.context["table"].paginator.count == 1
        return [query["sql"] for query in queries.captured_queries if query["sql"].startswith(counting)]

    assert len(counts_run_by_the_list()) == 1
    assert counts_run_by_the_list() == []  # kept


def test_a_provincial_users_dashboard_is_kept_for_them_and_follows_their_tasks_and_their_scope(scope):
    department_party = scope.programme.programme_parties.filter(role=PartyRole.PROVINCE_SIDE).first()

    def in_progress():
        # As the dashboard's page asks: within a request, where the user's scope is read once and named.
        def draw(_request):
            return figure(dashboard(user=scope.province_user).tasks_by_status, TaskStatus.IN_PROGRESS)

        return RequestMemoMiddleware(draw)(None)

    TaskFactory(programme=scope.programme, status=TaskStatus.IN_PROGRESS)
    TaskFactory(programme=scope.other_programme, status=TaskStatus.IN_PROGRESS)
    before = in_progress()
    with CaptureQueriesContext(connection) as queries:
        assert in_progress() == before
    assert not [query for query in queries.captured_queries if "GROUP BY" in query["sql"]]  # kept

    TaskFactory(programme=scope.programme, status=TaskStatus.IN_PROGRESS)
    assert in_progress() == before + 1

    # Their agency becomes a party to the other programme: its tasks join their figures.
    ProgrammePartyFactory(programme=scope.other_programme, agency=department_party.agency)
    assert in_progress() > before + 1


def is_task_count(sql: str) -> bool:
    return sql.startswith("SELECT COUNT(*)") and '"tasks_task"' in sql


def test_a_provincial_users_unfiltered_list_keeps_its_count_for_them_and_a_filtered_one_counts(client, scope):
    TaskFactory(programme=scope.programme, status=TaskStatus.IN_PROGRESS)
    TaskFactory(programme=scope.other_programme, status=TaskStatus.IN_PROGRESS)
    client.force_login(scope.province_user)

    def counts_run_by_the_list(**filters) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("task_list"), filters)
        counts = [sql for sql in (query["sql"] for query in queries.captured_queries) if is_task_count(sql)]
        return response.context["table"].paginator.count, len(counts)

    shown, counted = counts_run_by_the_list()
    assert counted == 1
    assert counts_run_by_the_list() == (shown, 0)  # kept for them
    assert counts_run_by_the_list(status=TaskStatus.IN_PROGRESS) == (shown, 1)  # filtered: counted each time
    TaskFactory(programme=scope.programme, status=TaskStatus.IN_PROGRESS)
    assert counts_run_by_the_list() == (shown + 1, 1)  # a new task of theirs: counted afresh


def filter_choices(client, list_name: str, filter_name: str) -> set[str]:
    response = client.get(reverse(list_name))
    return set(response.context["filter"].form.fields[filter_name].queryset.values_list("name", flat=True))


def test_the_province_filters_keep_their_choices_until_a_task_an_output_or_a_place_is_added(admin_client):
    first = TaskFactory()
    OutputFactory(task=first)
    led_in = first.lead_agency.province.name
    assert filter_choices(admin_client, "task_list", "province") == {led_in}
    with CaptureQueriesContext(connection) as queries:
        assert filter_choices(admin_client, "task_list", "province") == {led_in}
    reading_every_task = [query for query in queries.captured_queries if "EXISTS" in query["sql"]]
    assert not reading_every_task  # kept

    second = TaskFactory()
    assert filter_choices(admin_client, "task_list", "province") == {led_in, second.lead_agency.province.name}
    assert filter_choices(admin_client, "output_list", "province") == {led_in}  # no output of the second yet
    OutputFactory(task=second)
    assert filter_choices(admin_client, "output_list", "province") == {led_in, second.lead_agency.province.name}

    assert filter_choices(admin_client, "task_list", "place") == set()
    place = TaskPlaceFactory(task=first)
    assert filter_choices(admin_client, "task_list", "place") == {place.province.name}


def test_a_provincial_users_province_filters_follow_their_tasks(client, scope):
    client.force_login(scope.province_user)
    led_in = {scope.task.lead_agency.province.name}
    assert filter_choices(client, "task_list", "province") == led_in
    assert filter_choices(client, "output_list", "province") == set()
    TaskFactory(programme=scope.other_programme)  # outside their scope
    theirs = TaskFactory(programme=scope.programme)
    assert filter_choices(client, "task_list", "province") == led_in | {theirs.lead_agency.province.name}
    OutputFactory(task=theirs)
    assert filter_choices(client, "output_list", "province") == {theirs.lead_agency.province.name}
