"""The permission matrix of the pages, run against the API: for each role and each kind of record, the API lists
exactly the rows the page lists (its list view's `get_queryset()`); a record outside the scope is a JSON 404;
without a key or a session, a JSON 401 that names the Bearer scheme."""

from dataclasses import dataclass

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from programmes.models import Person
from programmes.views import AgencyListView, MeetingListView
from reports.choices import DocumentState, ReportKind
from reports.views import GeneratedReportListView, ProgrammeListView
from tasks.views import OutputListView, ProgressReportListView, TaskListView
from tests.api.conftest import list_url, read_all
from tests.generic.cases import ROLES


def page_rows(view_class, user):
    """The rows the list page shows `user`: its view's queryset, before filters."""
    request = RequestFactory().get("/")
    request.user = user
    view = view_class()
    view.setup(request)
    return view.get_queryset()


def people_directory(user):
    # No list page: the site's search and the agencies' pages show every person to whoever has logged in.
    return Person.objects.all()


def issued_documents_in_the_archive(user):
    rows = page_rows(GeneratedReportListView, user)
    return rows.filter(kind=ReportKind.PROGRAMME_REVIEW, state=DocumentState.ISSUED)


@dataclass(frozen=True)
class Endpoint:
    name: str  # the API's URL names are api_<name>_list and api_<name>_detail
    page: object  # (user) → the rows the page shows
    inside: str  # the world's record the Thái Bình department sees
    outside: str  # the world's record of Nam Định, which it does not see (None: everyone sees everything)

    def __str__(self):
        return self.name


def view(view_class):
    return lambda user: page_rows(view_class, user)


ENDPOINTS = [
    Endpoint("programme", view(ProgrammeListView), "programme", "other_programme"),
    Endpoint("agency", view(AgencyListView), "committee", None),
    Endpoint("person", people_directory, "director", None),
    Endpoint("task", view(TaskListView), "task", "other_task"),
    Endpoint("output", view(OutputListView), "rows.output_list.0", "rows.output_list.1"),
    Endpoint("progress_report", view(ProgressReportListView), "draft_report", "other_draft_report"),
    Endpoint("meeting", view(MeetingListView), "meeting", "other_meeting"),
    Endpoint("document", issued_documents_in_the_archive, "document", "other_document"),
]


def record(world, path: str):
    """A record of the world by its attribute, or by `rows.<list>.<0 inside | 1 outside>`."""
    if path.startswith("rows."):
        _rows, list_name, side = path.split(".")
        return world.rows[list_name][int(side)]
    return getattr(world, path)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_the_api_lists_what_the_page_lists(world, endpoint, role):
    user = getattr(world, ROLES[role])
    expected = set(endpoint.page(user).values_list("pk", flat=True))
    listed = [row["id"] for row in read_all(world.api[role], list_url(endpoint.name))]
    assert len(listed) == len(set(listed)), "a row listed twice"
    assert set(listed) == expected
    # Not an empty matrix: each role sees what its side holds, and a province nothing of the other.
    inside, outside = record(world, endpoint.inside), endpoint.outside and record(world, endpoint.outside)
    if role == "province":
        assert inside.pk in listed
        assert outside is None or outside.pk not in listed
    elif role == "other province" and outside is not None:
        assert outside.pk in listed and inside.pk not in listed


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", [endpoint for endpoint in ENDPOINTS if endpoint.outside], ids=str)
def test_a_record_outside_the_scope_is_a_json_404(world, endpoint):
    outside = record(world, endpoint.outside)
    response = world.api["province"].get(reverse(f"api_{endpoint.name}_detail", args=[outside.pk]))
    assert response.status_code == 404
    assert response.json()["error"]["status"] == 404
    assert response.json()["error"]["code"] == "not_found"
    inside = record(world, endpoint.inside)
    assert world.api["province"].get(reverse(f"api_{endpoint.name}_detail", args=[inside.pk])).status_code == 200


@pytest.mark.django_db
def test_drafts_and_saved_copies_are_no_documents_of_the_api(world):
    response = world.api["ministry"].get(reverse("api_document_detail", args=[world.draft_document.pk]))
    assert response.status_code == 404
    saved_copy = world.rows["report_list"][0]
    assert world.api["ministry"].get(reverse("api_document_detail", args=[saved_copy.pk])).status_code == 404


@pytest.mark.django_db
def test_the_issued_pdf_through_the_api_has_the_scope_of_the_document(world):
    url = reverse("api_document_file", args=[world.other_document.pk])
    assert world.api["province"].get(url).status_code == 404
    assert world.api["other province"].get(url).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_without_a_key_a_json_401_names_the_bearer_scheme(world, endpoint):
    for url in (list_url(endpoint.name), reverse(f"api_{endpoint.name}_detail", args=[1])):
        response = Client().get(url)
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == 'Bearer realm="api"'
        assert response["Content-Type"] == "application/json"
        assert response.json()["error"]["code"] == "not_authenticated"


@pytest.mark.django_db
def test_the_schema_and_the_documentation_need_a_login_too(world):
    assert Client().get(reverse("api_schema")).status_code == 401
    response = Client().get(reverse("api_docs"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
