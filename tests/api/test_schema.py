"""The OpenAPI schema: generated without a warning, valid by an OpenAPI validator, and true: every list and a detail of
each kind of record, and the errors, read as the schema says they read. The documentation serves it from static
files under the site's Content-Security-Policy."""

import copy
import io
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.templatetags.static import static
from django.urls import reverse
from openapi_schema_validator import OAS31Validator, oas31_format_checker
from openapi_spec_validator import validate as validate_spec

from tests.api.conftest import list_url
from tests.api.test_scope import ENDPOINTS, record
from tests.conftest import logged_in

API_PREFIX = "/api/v1/"

# In the database's tests, which pytest-django runs before the transactional ones: those empty the tables
# that the migrations filled (the roles' groups) when they end.
pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(world) -> dict:
    """The schema as a client reads it, in JSON."""
    response = world.api["ministry"].get(reverse("api_schema"), {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_the_schema_is_generated_without_warnings_and_valid(tmp_path, db):
    output = io.StringIO()
    path = tmp_path / "schema.yaml"
    # --validate runs openapi-spec-validator on it; --fail-on-warn fails on any warning of the generator.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path), stdout=output, stderr=output)
    assert path.read_text().startswith("openapi: 3.1.0")


def test_the_schema_served_is_a_valid_openapi_document(schema):
    validate_spec(schema)
    paths = {path for path in schema["paths"] if path.startswith(API_PREFIX)}
    for endpoint in ENDPOINTS:
        assert list_url(endpoint.name) in paths
        assert re.sub(r"/1/$", "/{id}/", reverse(f"api_{endpoint.name}_detail", args=[1])) in paths
    assert schema["components"]["securitySchemes"]["apiKey"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schema["components"]["securitySchemes"]["apiKey"]["description"],
    }


def strict(components: dict) -> dict:
    """The schema's components, each object saying it has no property beyond those it names: a field the schema
    leaves out fails the validation instead of passing unnoticed."""
    components = copy.deepcopy(components)
    for component in components["schemas"].values():
        if "properties" in component:
            component.setdefault("additionalProperties", False)
    return components


def validator(schema: dict, path: str, status: int) -> OAS31Validator:
    """A validator of the JSON body that `GET path` answers with `status`, by the schema."""
    body = schema["paths"][path]["get"]["responses"][str(status)]["content"]["application/json"]["schema"]
    return OAS31Validator({**body, "components": strict(schema["components"])}, format_checker=oas31_format_checker)


def assert_valid(schema, path, status, response):
    assert response.status_code == status, response.content
    errors = [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator(schema, path, status).iter_errors(response.json())
    ]
    assert errors == []


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_every_list_and_a_record_of_it_read_as_the_schema_says(world, schema, endpoint):
    client = world.api["ministry"]
    path = list_url(endpoint.name)
    listed = client.get(path, {"page_size": 1000})
    assert listed.json()["results"], "nothing to check"
    assert_valid(schema, path, 200, listed)

    pk = record(world, endpoint.inside).pk
    detail_path = re.sub(r"/\d+/$", "/{id}/", reverse(f"api_{endpoint.name}_detail", args=[pk]))
    assert_valid(schema, detail_path, 200, client.get(reverse(f"api_{endpoint.name}_detail", args=[pk])))
    assert_valid(schema, detail_path, 404, client.get(reverse(f"api_{endpoint.name}_detail", args=[2**40])))
    assert_valid(schema, path, 401, world.api["ministry"].get(path, headers={"Authorization": "Bearer coop_wrong"}))


@pytest.mark.django_db
def test_a_filter_s_error_reads_as_the_schema_says(world, schema):
    path = list_url("task")
    response = world.api["ministry"].get(path, {"programme": "thai-binh", "year_from": "soon"})
    assert_valid(schema, path, 400, response)
    assert set(response.json()["error"]["fields"]) == {"programme", "year_from"}


@pytest.mark.django_db
def test_the_schema_has_the_language_of_its_reader(world):
    def a_task_s_location(**params):
        document = world.api["ministry"].get(reverse("api_schema"), {"format": "json", **params}).json()
        return document["components"]["schemas"]["Task"]["properties"]["location"]["description"]

    assert a_task_s_location().startswith("Ghi chú bằng lời")
    assert a_task_s_location(lang="en").startswith("A note in words")


@pytest.mark.django_db
def test_the_documentation_is_served_from_static_files_under_the_content_security_policy(world):
    client = logged_in(world.ministry_user)
    response = client.get(reverse("api_docs"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "script-src 'self'" in response["Content-Security-Policy"]
    # No inline script or style, no file from elsewhere: every script, stylesheet and icon is a file of this site.
    assert re.findall(r"<script(?![^>]*\ssrc=)[^>]*>", html) == []
    assert "<style" not in html and "style=" not in html
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    start_up_url = reverse("api_docs") + "?script="
    assert start_up_url in sources
    static_files = [source for source in sources if source != start_up_url]
    assert len(static_files) == 5  # Swagger UI's stylesheet, two scripts and icon; the page's stylesheet
    for source in static_files:
        assert source.startswith(static("")), source
        assert finders.find(source.removeprefix(static(""))), source

    start_up = client.get(start_up_url)
    assert start_up["Content-Type"].startswith("application/javascript")
    assert reverse("api_schema") in start_up.content.decode()
