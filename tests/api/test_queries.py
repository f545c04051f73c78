"""Each list of the API reads a page of rows, with everything each row holds, in a fixed number of queries: as many
for 2 rows as for 12, and never more than the pages' budget of 15."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from programmes.choices import AttendanceRole, OutputKind, PartyRole, ProgrammeKind, TargetMetric
from programmes.models import ReportingPeriod
from reports.choices import DocumentState
from tasks.choices import FundingSource, ReportStatus
from tests.api.conftest import list_url
from tests.factories import (
    AgencyFactory,
    AttendanceFactory,
    MeetingFactory,
    OutputFactory,
    PersonFactory,
    ProgrammeFactory,
    ProgrammePartyFactory,
    ProgressReportFactory,
    ProvinceFactory,
    RecommendationFactory,
    TargetFactory,
    TaskFactory,
    carried_out_in,
    fund,
    review_document,
)

QUERY_BUDGET = 15
ROWS = 12
SMALL_PAGE = 2


def rows_with_everything(world, n: int) -> dict:
    """`n` rows of each kind inside the Thái Bình department's scope, each with every related row the API shows;
    the GET parameters that list exactly them, by endpoint."""
    programme = ProgrammeFactory(title="Chương trình Kiwi")
    ProgrammePartyFactory(programme=programme, agency=world.committee, representative=world.director)
    national = ProgrammeFactory(kind=ProgrammeKind.NATIONAL)
    period = ReportingPeriod.objects.create(
        programme=programme,
        starts_on=datetime.date(2017, 1, 1),
        ends_on=datetime.date(2017, 12, 31),
        due_on=datetime.date(2018, 1, 15),
    )
    previous_document = None
    for index in range(n):
        phase = ProgrammeFactory(title=f"Chương trình Kiwi {index}", previous_phase=world.earlier_phase)
        ProgrammePartyFactory(programme=phase, agency=world.committee, representative=world.director)
        ProgrammePartyFactory(
            programme=phase, agency=world.ministry, role=PartyRole.MINISTRY_SIDE, representative=world.minister
        )
        TargetFactory(programme=phase, metric=OutputKind.MODEL)
        TargetFactory(programme=phase, metric=TargetMetric.TASKS)

        AgencyFactory(
            name=f"Viện Kiwi {index}",
            parent=world.committee,
            successor=world.department,
            valid_to=datetime.date(2025, 6, 30),
        )
        PersonFactory(full_name=f"Kiwi {index}", agency=world.department)

        task = TaskFactory(
            programme=programme, lead_agency=world.department, investigator=world.director, funded_through=national
        )
        funding = fund(task, FundingSource.MINISTRY, 2017)
        fund(task, FundingSource.PROVINCE, 2017)
        carried_out_in(task, world.department.province, ProvinceFactory(), commune="xã Vũ Hội")
        OutputFactory(task=task)
        ProgressReportFactory(
            task=task,
            period=period,
            status=ReportStatus.SUBMITTED,
            submitted_at=timezone.now(),
            disbursements={funding: 500_000_000},
        )

        meeting = MeetingFactory(programme=programme)
        AttendanceFactory(meeting=meeting, person=world.minister, role=AttendanceRole.CHAIR)
        AttendanceFactory(meeting=meeting, person=world.director)
        RecommendationFactory(meeting=meeting, raised_by=world.committee, addressed_to=world.ministry)

        previous_document = review_document(
            programme,
            DocumentState.ISSUED,
            signer=world.leadership_user,
            issuing_agency=world.ministry,
            replaces=previous_document,
        )
    of_the_programme = {"programme": programme.pk}
    return {
        "programme": {"q": "kiwi"},
        "agency": {"q": "vien kiwi"},
        "person": {"q": "kiwi"},
        "task": of_the_programme,
        "output": of_the_programme,
        "progress_report": of_the_programme,
        "meeting": of_the_programme,
        "document": of_the_programme,
    }


def queries_of(client, url: str, params: dict, page_size: int) -> tuple[int, int]:
    """(queries, rows) of reading the first page of `page_size` rows."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {**params, "page_size": page_size})
    assert response.status_code == 200, response.content
    return len(queries), len(response.json()["results"])


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["ministry", "province"])
def test_a_page_of_every_list_costs_the_same_few_queries_whatever_its_size(world, role):
    params_by_endpoint = rows_with_everything(world, ROWS)
    client = world.api[role]
    client.get(list_url("task"))  # the key's last use is written once a minute: not in what is counted
    for endpoint, params in params_by_endpoint.items():
        small, small_rows = queries_of(client, list_url(endpoint), params, SMALL_PAGE)
        large, large_rows = queries_of(client, list_url(endpoint), params, ROWS)
        assert (small_rows, large_rows) == (SMALL_PAGE, ROWS), endpoint
        assert small == large, f"{endpoint}: {small} queries for {SMALL_PAGE} rows, {large} for {ROWS}"
        assert large <= QUERY_BUDGET, endpoint
