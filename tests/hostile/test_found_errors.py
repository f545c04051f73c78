"""The server errors the hostile tests found, each pinned with what the user now reads instead.

(The export errors, a time zone and control characters in XLSX, are pinned in test_stored_markup.py.)
"""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext, ngettext

from programmes.choices import AttendanceRole
from programmes.models import Attendance

pytestmark = pytest.mark.django_db

BEYOND_BIGINT = "99999999999999999999"


def django_message(message: str, **params) -> str:
    """One of Django's own messages as a Vietnamese user reads it, escaped as a page holds it."""
    with translation.override("vi"):
        text = gettext(message)
    assert text != message, f"not translated: {message!r}"
    return escape(text % params)


@pytest.mark.parametrize(
    ("url_name", "param"),
    [("task_list", "programme"), ("task_list", "lead_agency"), ("output_list", "task"), ("meeting_list", "programme")],
)
def test_an_id_past_the_databases_range_is_an_unknown_choice(world, url_name, param):
    """SQLite could not bind the number (OverflowError); the filter now refuses it before any query."""
    response = world.client("ministry").get(reverse(url_name), {param: BEYOND_BIGINT})
    assert response.status_code == 200
    message = "Select a valid choice. %(value)s is not one of the available choices."
    assert django_message(message, value=BEYOND_BIGINT) in response.content.decode()
    assert response.context["table"].paginator.count > 0  # the filter in error is left out, the list stays


def test_a_search_of_thousands_of_words_is_refused_with_a_message(world):
    """Each word was one more condition: SQLite refused past 1,000 ("Expression tree is too large")."""
    words = " ".join(f"w{number}" for number in range(3000))
    response = world.client("ministry").get(reverse("task_list"), {"q": words})
    assert response.status_code == 200
    assert response.context["filter"].errors["q"]
    # Django's message, in the project's Vietnamese (coop/django_messages.py).
    with translation.override("vi"):
        message = ngettext(
            "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
            "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
            200,
        ) % {"limit_value": 200, "show_value": len(words)}
    assert "tối đa 200" in message
    assert message in response.content.decode()


def test_the_task_list_pdf_sends_a_query_too_long_for_a_redirect_to_the_plain_list(world):
    """Django refuses to redirect to more than 16,384 characters (DisallowedRedirect)."""
    response = world.client("ministry").get(reverse("task_list_pdf"), {"year_from": "9" * 20_000})
    assert response.status_code == 302
    assert response["Location"] == reverse("task_list")


def test_the_task_list_pdf_sends_back_only_the_lists_own_parameters(world):
    response = world.client("ministry").get(reverse("task_list_pdf"), {"year_from": "abc", "unknown": "x" * 20_000})
    assert response["Location"] == reverse("task_list") + "?year_from=abc"


def test_a_person_already_listed_at_the_meeting_is_refused_with_a_message(world):
    """A row for someone already listed but not among the rows posted (a page opened before someone
    else added them) reached the database's unique constraint (IntegrityError)."""
    client = world.client("ministry")
    meeting = world.meeting
    data = {
        "programme": str(meeting.programme_id),
        "held_on": "10/06/2020",
        "place": meeting.place,
        "kind": meeting.kind,
        "title": meeting.title,
        "attendance-TOTAL_FORMS": "1",
        "attendance-INITIAL_FORMS": "0",
        "attendance-0-person": str(world.person.pk),
        "attendance-0-role": AttendanceRole.CHAIR,
        "recommendations-TOTAL_FORMS": "0",
        "recommendations-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("meeting_edit", args=[meeting.pk]), data)
    assert response.status_code == 200
    with translation.override("vi"):
        message = gettext("This person is already listed for the meeting.")
    assert escape(message) in response.content.decode()
    assert Attendance.objects.filter(meeting=meeting).count() == 1
