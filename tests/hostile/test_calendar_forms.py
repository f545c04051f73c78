"""The forms of the reporting calendar, posted with hostile values: a programme's reporting schedule, the notification
settings, and the filters of `/reporting/`. Never a server error, never raw markup."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from programmes.choices import ReportingFrequency
from tests.hostile.conftest import example_rolled_back
from tests.hostile.strategies import contains_raw_markup, hostile_date, hostile_number, hostile_value
from tests.hostile.test_forms import check_answer, form_data

pytestmark = pytest.mark.django_db

SCHEDULE = {
    "reporting_frequency": ReportingFrequency.HALF_YEARLY,
    "reporting_due_day": "15",
    "reporting_due_months_after": "1",
    "reminder_days_before": "7",
    "periods-TOTAL_FORMS": "1",
    "periods-INITIAL_FORMS": "0",
    "periods-0-starts_on": "01/01/2017",
    "periods-0-ends_on": "30/06/2017",
    "periods-0-due_on": "15/07/2017",
}


@given(
    action=st.sampled_from(["draw", "save", "", "draw\x00"]),
    data=form_data(
        SCHEDULE,
        {
            "reporting_frequency": st.sampled_from([*ReportingFrequency.values, "", "weekly"]),
            "reporting_due_day": hostile_number(),
            "reporting_due_months_after": hostile_number(),
            "reminder_days_before": hostile_number(),
            "periods-TOTAL_FORMS": hostile_number(),
            "periods-0-starts_on": hostile_date(),
            "periods-0-ends_on": hostile_date(),
            "periods-0-due_on": hostile_date(),
        },
    ),
)
def test_the_reporting_schedule_of_a_programme(world, action, data):
    client = world.client("ministry")
    with example_rolled_back():
        url = reverse("reporting_schedule", args=[world.programme.pk])
        check_answer(client, client.post(url, {**data, "action": action}))


@given(
    data=form_data(
        {"language": "vi", "email_report_reminders": "on", "email_weekly_digest": "on"},
        {"language": st.sampled_from(["vi", "en", "fr", "", "vi\x00"])},
    )
)
def test_the_notification_settings(world, data):
    client = world.client("province")
    with example_rolled_back():
        check_answer(client, client.post(reverse("profile"), data))


@given(
    params=st.dictionaries(st.sampled_from(["period", "programme", "province", "_export", "table"]), hostile_value())
)
def test_the_filters_of_the_reporting_calendar(world, params):
    client = world.client("ministry")
    with example_rolled_back():
        response = client.get(reverse("reporting"), params)
        assert response.status_code == 200
        if response["Content-Type"].startswith("text/html"):
            assert not contains_raw_markup(response.content.decode())
