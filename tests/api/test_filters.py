"""The API filters as the list pages do: every filter case of the pages' generic tests (tests/generic/cases.py) run
against the endpoint of the same records, with the same GET parameters, keeps and drops the same rows."""

import pytest

from programmes.choices import AgencyKind
from tests.api.conftest import list_url, read_all
from tests.factories import AgencyFactory, PersonFactory
from tests.generic.cases import LIST_CASES

# In the database's tests, which pytest-django runs before the transactional ones: those empty the tables
# that the migrations filled (the roles' groups) when they end.
pytestmark = pytest.mark.django_db

# The list page of each endpoint; the archive lists saved copies and drafts too, the API issued documents only.
ENDPOINT_OF_LIST = {
    "programme_list": "programme",
    "agency_list": "agency",
    "task_list": "task",
    "output_list": "output",
    "progress_report_list": "progress_report",
    "meeting_list": "meeting",
}
CASES = [
    pytest.param(ENDPOINT_OF_LIST[case.list], build, id=f"{case.list}-{name}")
    for case in LIST_CASES
    if case.list in ENDPOINT_OF_LIST
    for name, build in case.filters.items()
]


def listed_ids(world, endpoint: str, params: dict) -> set[int]:
    return {row["id"] for row in read_all(world.api["ministry"], list_url(endpoint), **params)}


@pytest.mark.django_db
@pytest.mark.parametrize(("endpoint", "build"), CASES)
def test_the_api_filters_as_the_list_page(world, endpoint, build):
    params, kept, dropped = build()
    listed = listed_ids(world, endpoint, params)
    assert {row.pk for row in kept} <= listed
    assert not {row.pk for row in dropped} & listed


def test_every_list_with_an_endpoint_has_its_filter_cases_run():
    assert {case.list for case in LIST_CASES} >= set(ENDPOINT_OF_LIST)
    assert len(CASES) >= 40


@pytest.mark.django_db
def test_people_are_found_without_diacritics_and_by_agency(world):
    institute = AgencyFactory(name="Viện Di truyền Nông nghiệp", kind=AgencyKind.INSTITUTE)
    geneticist = PersonFactory(full_name="Lê Huy Hàm", agency=institute)
    namesake = PersonFactory(full_name="Lê Văn Hàm")
    assert listed_ids(world, "person", {"q": "le huy ham"}) == {geneticist.pk}
    assert listed_ids(world, "person", {"q": "di truyen"}) == {geneticist.pk}
    assert listed_ids(world, "person", {"agency": institute.pk}) == {geneticist.pk}
    assert namesake.pk in listed_ids(world, "person", {"q": "ham"})


@pytest.mark.django_db
def test_documents_are_filtered_by_programme_and_year_of_their_figures(world):
    assert listed_ids(world, "document", {"programme": world.programme.pk}) == {world.document.pk, world.correction.pk}
    assert listed_ids(world, "document", {"as_of": 2020}) == {world.document.pk}
