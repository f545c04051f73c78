"""Every form, posted with hostile values by a user allowed to use it: never a server error, never raw markup.

Each example starts from what a user would type and replaces some fields with hostile values
(sometimes none, so that the valid path is walked too). Either the form comes back with its
messages (200), or the record is saved and the user is sent on (302) to a page that opens
and shows what was saved escaped. Each example runs in a savepoint of its own.
"""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from hypothesis import event, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from programmes.choices import AttendanceRole, MeetingKind, RecommendationStatus
from programmes.forms import MAX_ROWS_PER_SAVE
from tasks.models import disbursement_field
from tests.conftest import logged_in
from tests.factories import TEST_PASSWORD
from tests.helpers import dd_mm_yyyy, vietnamese
from tests.hostile.conftest import example_rolled_back
from tests.hostile.strategies import (
    contains_raw_markup,
    hostile_date,
    hostile_number,
    hostile_text,
    hostile_value,
)

pytestmark = pytest.mark.django_db

# PDFs take a second or so to draw: their properties run on a third of the examples.
FEWER = hypothesis_settings(max_examples=max(5, hypothesis_settings.default.max_examples // 3))


def form_data(valid: dict, hostile_for: dict | None = None) -> st.SearchStrategy[dict]:
    """The valid form with up to three of its fields replaced by hostile values (of the field's kind, or any).

    Few fields at a time, so that a hostile value in one field is often saved with the others valid.
    """
    hostile_for = hostile_for or {}

    def with_hostile(names: set) -> st.SearchStrategy[dict]:
        fields = {
            name: st.one_of(hostile_for.get(name, hostile_value()), hostile_value())
            if name in names
            else st.just(value)
            for name, value in valid.items()
        }
        return st.fixed_dictionaries(fields)

    return st.sets(st.sampled_from(sorted(valid)), max_size=3).flatmap(with_hostile)


def check_answer(client: Client, response) -> None:
    """The form again with its messages, or a redirect to a page that opens; no raw markup in either."""
    assert response.status_code in (200, 302), response.status_code
    if currently_in_test_context():  # counted by --hypothesis-show-statistics
        event("saved" if response.status_code == 302 else "refused with messages")
    if response.status_code == 302:
        response = client.get(response["Location"])
        assert response.status_code == 200
    assert not contains_raw_markup(response.content.decode())


# Logging in and changing one's password


@given(data=form_data({"username": "so.test", "password": TEST_PASSWORD}, {"username": hostile_text()}))
def test_the_login_form(world, data):
    with example_rolled_back():
        response = Client().post(reverse("login"), data)
        # 403 or 429: a throttle that locks out repeated failed logins is an answer too, not an error.
        assert response.status_code in (200, 302, 403, 429)
        if response.status_code == 200:
            assert not contains_raw_markup(response.content.decode())


@given(
    data=form_data(
        {"old_password": TEST_PASSWORD, "new_password1": "Mật-khẩu-mới-2025", "new_password2": "Mật-khẩu-mới-2025"},
        {"old_password": hostile_text(), "new_password1": hostile_text(), "new_password2": hostile_text()},
    )
)
def test_the_password_change_form(world, data):
    with example_rolled_back():
        # A client of its own: a changed password starts a new session, which the savepoint rolls back.
        client = logged_in(world.province_user)
        check_answer(client, client.post(reverse("password_change"), data))


# Progress reports: entered by a department, reviewed by the Ministry


# The input of the task's funding row, named once the world exists (`with_row`).
ROW = "disbursed on the funding row"


def with_row(world, data: dict) -> dict:
    """The data with the funding row's input under the name the form gives it."""
    name = disbursement_field(world.task.fundings.get().pk)
    return {(name if key == ROW else key): value for key, value in data.items()}


def progress_report_data() -> st.SearchStrategy[dict]:
    valid = {
        "as_of": "15/05/2017",
        "percent_complete": "60",
        "summary": "Đã xây dựng xong 3 mô hình trình diễn.",
        "problems": "Giải ngân chậm.",
        "next_steps": "Tổ chức hội thảo đầu bờ.",
        ROW: "500.000.000",
        "action": "submit",
        "opened_version": "1",
    }
    hostile_for = {
        "as_of": hostile_date(),
        "percent_complete": hostile_number(),
        ROW: hostile_number(),
        "opened_version": hostile_number(),
        "action": st.sampled_from(["draft", "submit", "", "SUBMIT", "submit\x00"]),
    }
    return form_data(valid, hostile_for)


@given(data=progress_report_data())
def test_the_progress_report_form_of_a_new_report(world, data):
    client = world.client("province")
    with example_rolled_back():
        check_answer(client, client.post(reverse("progress_report_add", args=[world.task.pk]), with_row(world, data)))


@given(data=progress_report_data())
def test_the_progress_report_form_correcting_a_draft(world, data):
    client = world.client("province")
    with example_rolled_back():
        url = reverse("progress_report_edit", args=[world.draft_report.pk])
        check_answer(client, client.post(url, with_row(world, data)))


@given(
    data=form_data(
        {"decision": "return", "note": "Bổ sung số liệu giải ngân."},
        {"decision": st.sampled_from(["approve", "return", "", "approve\x00", "APPROVE"])},
    )
)
def test_the_review_of_a_submitted_report(world, data):
    client = world.client("ministry")
    with example_rolled_back():
        check_answer(client, client.post(reverse("progress_report_detail", args=[world.submitted_report.pk]), data))


# Outputs


def output_data() -> st.SearchStrategy[dict]:
    valid = {
        "kind": "model",
        "name": "Mô hình trồng nấm rơm",
        "description": "Mô hình trình diễn tại xã Vũ Hội.",
        "quantity": "3",
        "unit": "mô hình",
        "achieved_on": "20/11/2017",
        "location": "huyện Vũ Thư",
        "evidence_number": "12/QĐ-SKHCN",
        "evidence_date": "25/11/2017",
        "opened_version": "1",
    }
    hostile_for = {"quantity": hostile_number(), "achieved_on": hostile_date(), "opened_version": hostile_number()}
    return form_data(valid, hostile_for)


@given(data=output_data())
def test_the_output_form_of_a_new_output(world, data):
    client = world.client("province")
    with example_rolled_back():
        check_answer(client, client.post(reverse("output_add", args=[world.task.pk]), data))


@given(data=output_data())
def test_the_output_form_editing_an_output(world, data):
    client = world.client("ministry")
    with example_rolled_back():
        check_answer(client, client.post(reverse("output_edit", args=[world.output.pk]), data))


# Meetings, with who attended and what was recommended (two inline formsets)


def management_counts() -> st.SearchStrategy[str]:
    """What the management form of a formset may claim: few rows, none, minus one, a billion, not a number."""
    return st.one_of(st.sampled_from(["0", "1", "2", "-1", str(10**9), "abc", "", "1e3"]), hostile_number())


def meeting_form(world) -> dict:
    """The meeting page as a user posts it: the meeting, one attendance row, one recommendation."""
    meeting = {
        "programme": str(world.programme.pk),
        "held_on": "10/06/2020",
        "place": "Hà Nội",
        "kind": MeetingKind.PERIODIC_REVIEW,
        "title": "Hội nghị sơ kết",
        "summary": "Đánh giá kết quả phối hợp.",
        "conclusions": "Tiếp tục phối hợp.",
        "opened_version": "1",
    }
    attendance = {
        "attendance-TOTAL_FORMS": "1",
        "attendance-INITIAL_FORMS": "0",
        "attendance-MIN_NUM_FORMS": "0",
        "attendance-MAX_NUM_FORMS": "1000",
        "attendance-0-person": str(world.person.pk),
        "attendance-0-role": AttendanceRole.CHAIR,
        "attendance-0-id": "",
    }
    recommendations = {
        "recommendations-TOTAL_FORMS": "1",
        "recommendations-INITIAL_FORMS": "0",
        "recommendations-MIN_NUM_FORMS": "0",
        "recommendations-MAX_NUM_FORMS": "1000",
        "recommendations-0-text": "Đề nghị Bộ tiếp tục hỗ trợ.",
        "recommendations-0-raised_by": str(world.task.lead_agency_id),
        "recommendations-0-addressed_to": str(world.task.lead_agency_id),
        "recommendations-0-due_on": "31/12/2020",
        "recommendations-0-status": RecommendationStatus.OPEN,
        "recommendations-0-follow_up": "",
        "recommendations-0-id": "",
    }
    return {**meeting, **attendance, **recommendations}


def meeting_data(world) -> st.SearchStrategy[dict]:
    valid = meeting_form(world)
    counts = [name for name in valid if name.endswith("_FORMS")]
    hostile_for = {
        "held_on": hostile_date(),
        "recommendations-0-due_on": hostile_date(),
        "opened_version": hostile_number(),
        **{name: hostile_number() for name in ("programme", "attendance-0-person", "attendance-0-id")},
        **{name: hostile_number() for name in ("recommendations-0-raised_by", "recommendations-0-id")},
        **{name: management_counts() for name in counts},
    }
    return form_data(valid, hostile_for)


@pytest.mark.parametrize("editing", [False, True], ids=["new", "edit"])
def test_the_meeting_form_with_its_attendance_and_recommendations(world, editing):
    client = world.client("ministry")
    url = reverse("meeting_edit", args=[world.meeting.pk]) if editing else reverse("meeting_add")

    @given(data=meeting_data(world))
    def property_(data):
        with example_rolled_back():
            check_answer(client, client.post(url, data))

    property_()


@pytest.mark.parametrize(
    ("count", "message"),
    [
        ("-1", None),
        (str(10**9), "At most %(num)d rows can be saved at once."),
        ("abc", "The form was damaged; open the page again."),
        ("", "The form was damaged; open the page again."),
    ],
)
def test_the_row_counts_of_the_meeting_form_are_checked(world, count, message):
    """Whatever count the page claims, Django builds at most MAX_ROWS_PER_SAVE rows and says what is wrong."""
    client = world.client("ministry")
    data = meeting_form(world)
    data["attendance-TOTAL_FORMS"] = data["recommendations-TOTAL_FORMS"] = count
    response = client.post(reverse("meeting_edit", args=[world.meeting.pk]), data)
    if message is None:
        check_answer(client, response)
        return
    assert response.status_code == 200
    expected = vietnamese(message) % {"num": MAX_ROWS_PER_SAVE} if "%" in message else vietnamese(message)
    assert escape(expected) in response.content.decode()
    assert len(response.context["attendance"].forms) <= MAX_ROWS_PER_SAVE


@given(
    data=form_data(
        {"status": RecommendationStatus.DONE, "follow_up": "Đã triển khai.", "opened_version": "1"},
        {"status": st.sampled_from(list(RecommendationStatus.values) + ["", "done\x00"])},
    )
)
def test_the_follow_up_of_a_recommendation(world, data):
    client = world.client("province")
    with example_rolled_back():
        check_answer(client, client.post(reverse("recommendation_follow_up", args=[world.recommendation.pk]), data))


# The programme review report: its options are a GET form that draws a PDF


@FEWER
@given(
    data=form_data(
        {"as_of": dd_mm_yyyy(timezone.localdate()), "language": "vi", "include_tasks": "on"},
        {"as_of": hostile_date(), "language": st.sampled_from(["vi", "en", "fr", "", "vi\x00"])},
    )
)
def test_the_options_of_the_programme_review_report(world, data):
    client = world.client("leadership")
    with example_rolled_back():
        response = client.get(reverse("programme_review_pdf", args=[world.programme.pk]), data)
        assert response.status_code == 200
        if response["Content-Type"] != "application/pdf":
            assert not contains_raw_markup(response.content.decode())


@FEWER
@given(params=st.dictionaries(st.sampled_from(["programme", "year_from", "funding_min", "sort", "q"]), hostile_value()))
def test_the_pdf_of_the_task_list_takes_the_lists_parameters(world, params):
    client = world.client("ministry")
    with example_rolled_back():
        response = client.get(reverse("task_list_pdf"), params)
        assert response.status_code in (200, 302)
