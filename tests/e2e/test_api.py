"""A provincial department connects another system: it makes an API key on its profile page, reads the API's
documentation (Swagger UI, from static files, under the site's Content-Security-Policy) and tries a list there,
reads its tasks with the key, and revokes the key."""

import re

from django.contrib.auth import get_user_model

from tasks.models import Task
from tests.e2e.helpers import expect, log_in

API_KEYS = "#api-keys"


def test_a_department_makes_a_key_reads_the_documentation_and_revokes_the_key(new_page, shot):
    page = new_page()
    log_in(page, "so.thaibinh")
    page.goto("/accounts/profile/")
    page.locator(f"{API_KEYS} #id_name").fill("Cổng dữ liệu tỉnh Thái Bình")
    page.locator(f"{API_KEYS} form[action$='/accounts/api-keys/'] button[type=submit]").click()
    key = page.locator("#new-api-key").input_value()
    assert key.startswith("coop_")
    shot(page, "key-made")

    # Another system, with the key and no session: the tasks the department sees, and nothing else.
    system = new_page().request
    tasks = system.get("/api/v1/tasks/?page_size=1000", headers={"Authorization": f"Bearer {key}"})
    assert tasks.status == 200
    user_tasks = set(
        Task.objects.visible_to(get_user_model().objects.get(username="so.thaibinh")).values_list("pk", flat=True)
    )
    assert {row["id"] for row in tasks.json()["results"]} == user_tasks
    assert system.get("/api/v1/tasks/").status == 401

    # The documentation, with the department's session: every list, and one tried out.
    page.goto("/api/docs/")
    expect(page.locator("#operations-tag-tasks")).to_be_visible()
    expect(page.locator("#operations-tag-documents")).to_be_visible()
    operation = page.locator("#operations-tasks-tasks_list")
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    expect(operation.locator(".live-responses-table tbody .response-col_status").first).to_have_text(re.compile("200"))
    shot(page, "documentation")

    page.goto("/accounts/profile/")
    page.locator(f"{API_KEYS} form[action*='/revoke/'] button[type=submit]").click()
    expect(page.locator(f"{API_KEYS} form[action*='/revoke/']")).to_have_count(0)
    assert system.get("/api/v1/tasks/", headers={"Authorization": f"Bearer {key}"}).status == 401
    shot(page, "key-revoked")
