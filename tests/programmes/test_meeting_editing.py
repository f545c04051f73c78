"""Recording meetings (Ministry staff) and the follow-up of their recommendations (the agency addressed).

A meeting, who attended and what was recommended are one form posted at once: the
management form of each inline formset says how many rows come. Everything is saved
together or not at all. Then who may open these pages, and the follow-up matrix: the
agency a recommendation is addressed to (or a department under that People's Committee)
records what it has done; another province does not even see it.
"""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coop.roles import Role
from programmes.choices import AttendanceRole, MeetingKind, RecommendationStatus
from programmes.models import Attendance, Meeting, Recommendation
from tests.conftest import logged_in
from tests.factories import (
    AttendanceFactory,
    MeetingFactory,
    PersonFactory,
    RecommendationFactory,
    UserFactory,
)
from tests.helpers import database_state, shows, vietnamese

pytestmark = pytest.mark.django_db


# Helpers


# Every row a meeting form writes.
MEETING_ROWS = (Meeting, Attendance, Recommendation)


def formset(prefix: str, rows: list[dict], initial: int = 0) -> dict:
    """An inline formset as the browser posts it: its management form, then each row's fields."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for number, row in enumerate(rows):
        data.update({f"{prefix}-{number}-{name}": value for name, value in row.items()})
    return data


def meeting_form(world, *, attendance=(), recommendations=(), initial=(0, 0), **fields) -> dict:
    """The whole meeting page posted at once."""
    return {
        "programme": world.programme.pk,
        "held_on": "10/06/2020",
        "place": "UBND tỉnh Thái Bình",
        "kind": MeetingKind.PERIODIC_REVIEW,
        "title": "Hội nghị sơ kết chương trình phối hợp",
        "summary": "",
        "conclusions": "Hai bên thống nhất tiếp tục phối hợp.",
        **fields,
        **formset("attendance", list(attendance), initial[0]),
        **formset("recommendations", list(recommendations), initial[1]),
    }


def attendee(person, role=AttendanceRole.ATTENDEE, **fields) -> dict:
    return {"person": person.pk, "role": role, **fields}


def recommendation(world, text="Hỗ trợ kinh phí nhân rộng mô hình.", **fields) -> dict:
    return {
        "text": text,
        "raised_by": world.committee.pk,
        "addressed_to": world.ministry.pk,
        "due_on": "31/12/2020",
        "status": RecommendationStatus.OPEN,
        "follow_up": "",
        **fields,
    }


@pytest.fixture
def world(roles):
    """`roles` with people to invite.

    `world.chair` works for the Ministry and `world.reporter` for the Thái Bình department:
    both may attend a Thái Bình meeting; `world.outsider` works in Nam Định and may not.
    """
    roles.chair = PersonFactory(full_name="Trần Văn Tùng", position="Thứ trưởng", agency=roles.ministry)
    roles.reporter = PersonFactory(full_name="Phạm Thị Hoa", position="Giám đốc Sở", agency=roles.department)
    roles.outsider = PersonFactory(full_name="Vũ Văn Nam", agency=roles.other_committee)
    return roles


# Ministry staff record a meeting in one post


def test_the_new_meeting_page_offers_the_programmes_people(world):
    response = logged_in(world.ministry_user).get(reverse("meeting_add"), {"programme": world.programme.pk})
    assert response.status_code == 200
    assert shows(response, vietnamese("New meeting"))
    assert response.context["form"]["programme"].value() == str(world.programme.pk)
    people = set(response.context["attendance"].forms[0].fields["person"].queryset)
    assert {world.chair, world.reporter} <= people
    assert world.outsider not in people
    html = response.content.decode()
    assert 'name="attendance-TOTAL_FORMS"' in html and 'name="recommendations-TOTAL_FORMS"' in html


def test_ministry_staff_create_a_meeting_with_two_attendees_and_a_recommendation_in_one_post(world):
    data = meeting_form(
        world,
        attendance=[attendee(world.chair, AttendanceRole.CHAIR), attendee(world.reporter, AttendanceRole.REPORTER)],
        recommendations=[recommendation(world)],
    )
    response = logged_in(world.ministry_user).post(reverse("meeting_add"), data, follow=True)
    meeting = Meeting.objects.get()
    assert response.redirect_chain == [(reverse("meeting_detail", args=[meeting.pk]), 302)]
    assert (meeting.programme, meeting.held_on) == (world.programme, datetime.date(2020, 6, 10))
    assert set(meeting.attendances.values_list("person__full_name", "role")) == {
        ("Trần Văn Tùng", AttendanceRole.CHAIR),
        ("Phạm Thị Hoa", AttendanceRole.REPORTER),
    }
    (saved,) = meeting.recommendations.all()
    assert (saved.raised_by, saved.addressed_to, saved.due_on) == (
        world.committee,
        world.ministry,
        datetime.date(2020, 12, 31),
    )
    assert saved.status == RecommendationStatus.OPEN
    for text in (vietnamese("The meeting was saved."), "Trần Văn Tùng", "Phạm Thị Hoa", saved.text, "10/06/2020"):
        assert shows(response, text), text


def test_ministry_staff_edit_a_meeting_and_delete_an_attendance_row(world):
    meeting = MeetingFactory(programme=world.programme, title="Hội nghị sơ kết")
    chair = AttendanceFactory(meeting=meeting, person=world.chair, role=AttendanceRole.CHAIR)
    reporter = AttendanceFactory(meeting=meeting, person=world.reporter, role=AttendanceRole.REPORTER)
    kept = RecommendationFactory(
        meeting=meeting, text="Hỗ trợ kinh phí.", raised_by=world.committee, addressed_to=world.ministry
    )
    client = logged_in(world.ministry_user)
    page = client.get(reverse("meeting_edit", args=[meeting.pk]))
    assert page.status_code == 200
    assert shows(page, vietnamese("Edit the meeting"))
    data = meeting_form(
        world,
        title="Hội nghị sơ kết 5 năm",
        opened_version="1",
        attendance=[
            attendee(world.chair, AttendanceRole.CHAIR, id=chair.pk),
            attendee(world.reporter, AttendanceRole.REPORTER, id=reporter.pk, DELETE="on"),
        ],
        recommendations=[recommendation(world, text="Hỗ trợ kinh phí nhân rộng.", id=kept.pk)],
        initial=(2, 1),
    )
    response = client.post(reverse("meeting_edit", args=[meeting.pk]), data, follow=True)
    assert response.redirect_chain == [(reverse("meeting_detail", args=[meeting.pk]), 302)]
    meeting.refresh_from_db()
    assert (meeting.title, meeting.version) == ("Hội nghị sơ kết 5 năm", 2)
    assert list(meeting.attendances.values_list("person", flat=True)) == [world.chair.pk]
    assert list(meeting.recommendations.values_list("pk", "text")) == [(kept.pk, "Hỗ trợ kinh phí nhân rộng.")]
    assert shows(response, "Hội nghị sơ kết 5 năm")
    assert not shows(response, "Phạm Thị Hoa")


# Invalid rows: the page comes back with the errors, and nothing at all is saved

INVALID = {
    # case: (what is posted on top of a valid meeting, the message shown)
    "a recommendation without its text": (
        {"recommendations": "no text"},
        "This field is required.",
    ),
    "the same person twice": (
        {"attendance": "twice"},
        "Please correct the duplicate values below.",
    ),
    "a person from another province": (
        {"attendance": "outsider"},
        "Select a valid choice. That choice is not one of the available choices.",
    ),
    "a date that does not exist": (
        {"held_on": "31/02/2020"},
        "Enter the date as dd/mm/yyyy, for example 10/06/2020.",
    ),
}


def invalid_form(world, case: str) -> dict:
    change, _message = INVALID[case]
    attendance = [attendee(world.chair, AttendanceRole.CHAIR)]
    recommendations = [recommendation(world)]
    if change.get("recommendations") == "no text":
        recommendations.append(recommendation(world, text=""))
    if change.get("attendance") == "twice":
        attendance.append(attendee(world.chair))
    if change.get("attendance") == "outsider":
        attendance.append(attendee(world.outsider))
    fields = {"held_on": change["held_on"]} if "held_on" in change else {}
    return meeting_form(world, attendance=attendance, recommendations=recommendations, **fields)


@pytest.mark.parametrize("case", list(INVALID))
def test_an_invalid_row_shows_its_error_and_no_meeting_or_row_is_created(world, case):
    before = database_state(*MEETING_ROWS)
    response = logged_in(world.ministry_user).post(reverse("meeting_add"), invalid_form(world, case))
    assert response.status_code == 200
    _change, message = INVALID[case]
    assert shows(response, vietnamese(message))
    assert shows(response, "Hỗ trợ kinh phí nhân rộng mô hình.")  # the valid rows are still on the form
    assert database_state(*MEETING_ROWS) == before


@pytest.mark.parametrize("case", list(INVALID))
def test_an_invalid_row_in_an_edit_leaves_the_meeting_and_its_rows_as_they_were(world, case):
    meeting = MeetingFactory(programme=world.programme, title="Hội nghị sơ kết")
    AttendanceFactory(meeting=meeting, person=world.reporter)
    before = database_state(*MEETING_ROWS)
    data = {**invalid_form(world, case), "opened_version": "1", "title": "Tên mới"}
    response = logged_in(world.ministry_user).post(reverse("meeting_edit", args=[meeting.pk]), data)
    assert response.status_code == 200
    assert database_state(*MEETING_ROWS) == before


def test_a_meeting_saved_meanwhile_keeps_the_others_rows_and_adds_none_of_mine(world):
    meeting = MeetingFactory(programme=world.programme, title="Hội nghị sơ kết")
    url = reverse("meeting_edit", args=[meeting.pk])
    colleague = UserFactory(agency=world.ministry_user.agency)
    colleague.groups.add(Group.objects.get(name=Role.MINISTRY_STAFF))
    first, second = logged_in(world.ministry_user), logged_in(colleague)
    saved = second.post(url, meeting_form(world, title="Tên của người thứ hai", opened_version="1"))
    assert saved.status_code == 302
    response = first.post(
        url,
        meeting_form(
            world,
            title="Tên của người thứ nhất",
            opened_version="1",
            attendance=[attendee(world.chair)],
            recommendations=[recommendation(world)],
        ),
    )
    assert response.status_code == 200
    assert shows(response, "Tên của người thứ nhất")
    meeting.refresh_from_db()
    assert meeting.title == "Tên của người thứ hai"
    assert not meeting.attendances.exists() and not meeting.recommendations.exists()


# Who may record meetings


def test_province_staff_get_403_on_the_meeting_pages_of_their_programme(world):
    meeting = MeetingFactory(programme=world.programme, title="Hội nghị sơ kết")
    client = logged_in(world.province_user)
    before = database_state(*MEETING_ROWS)
    assert client.get(reverse("meeting_add")).status_code == 403
    assert client.post(reverse("meeting_add"), meeting_form(world)).status_code == 403
    assert client.get(reverse("meeting_edit", args=[meeting.pk])).status_code == 403
    edit = client.post(reverse("meeting_edit", args=[meeting.pk]), meeting_form(world, title="Đổi tên"))
    assert edit.status_code == 403
    assert database_state(*MEETING_ROWS) == before
    assert client.get(reverse("meeting_detail", args=[meeting.pk])).status_code == 200  # reading is allowed


def test_a_meeting_of_another_province_is_404_for_province_staff(world):
    meeting = MeetingFactory(programme=world.other_programme)
    before = database_state(*MEETING_ROWS)
    client = logged_in(world.province_user)
    assert client.get(reverse("meeting_edit", args=[meeting.pk])).status_code == 404
    assert client.post(reverse("meeting_edit", args=[meeting.pk]), meeting_form(world)).status_code == 404
    assert database_state(*MEETING_ROWS) == before


def test_leadership_gets_403_on_the_meeting_pages(world):
    meeting = MeetingFactory(programme=world.other_programme)
    client = logged_in(world.leadership_user)
    before = database_state(*MEETING_ROWS)
    for url in (reverse("meeting_add"), reverse("meeting_edit", args=[meeting.pk])):
        assert client.get(url).status_code == 403
        assert client.post(url, meeting_form(world)).status_code == 403
    assert database_state(*MEETING_ROWS) == before


def test_the_programme_page_offers_to_record_a_meeting_only_to_ministry_staff(world):
    url = reverse("programme_detail", args=[world.programme.pk])
    link = f'href="{reverse("meeting_add")}?programme={world.programme.pk}"'
    assert link in logged_in(world.ministry_user).get(url).content.decode()
    for user in (world.province_user, world.leadership_user):
        assert link not in logged_in(user).get(url).content.decode()


def test_an_anonymous_visitor_is_sent_to_log_in_from_the_meeting_form(world):
    response = Client().post(reverse("meeting_add"), meeting_form(world))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={reverse('meeting_add')}"
    assert not Meeting.objects.exists()


# Follow-up: the agency addressed records it


def follow_up_case(world, addressed_to: str) -> Recommendation:
    agencies = {
        "the People's Committee": world.committee,
        "the department": world.department,
        "the Ministry": world.ministry,
    }
    return RecommendationFactory(
        meeting=MeetingFactory(programme=world.programme),
        raised_by=world.ministry,
        addressed_to=agencies[addressed_to],
    )


# Who records the follow-up of a Thái Bình recommendation addressed to whom: the answer to GET and POST.
FOLLOW_UP_MATRIX = [
    ("province_user", "the People's Committee", 200, 302),  # a department under the Committee addressed
    ("province_user", "the department", 200, 302),
    ("province_user", "the Ministry", 403, 403),
    ("other_province_user", "the People's Committee", 404, 404),
    ("leadership_user", "the People's Committee", 403, 403),
    ("ministry_user", "the People's Committee", 200, 302),  # ministry staff keep any record up to date
]


@pytest.mark.parametrize(("user", "addressed_to", "on_get", "on_post"), FOLLOW_UP_MATRIX)
def test_follow_up_matrix(world, user, addressed_to, on_get, on_post):
    recommendation = follow_up_case(world, addressed_to)
    client = logged_in(getattr(world, user))
    url = reverse("recommendation_follow_up", args=[recommendation.pk])
    assert client.get(url).status_code == on_get
    response = client.post(
        url,
        {
            "status": RecommendationStatus.IN_PROGRESS,
            "follow_up": "Đang khảo sát.",
            "opened_version": str(recommendation.version),
        },
    )
    assert response.status_code == on_post
    recommendation.refresh_from_db()
    if on_post == 302:
        assert (recommendation.status, recommendation.follow_up) == (RecommendationStatus.IN_PROGRESS, "Đang khảo sát.")
        assert recommendation.history.first().history_user == getattr(world, user)
    else:
        assert (recommendation.status, recommendation.follow_up, recommendation.version) == (
            RecommendationStatus.OPEN,
            "",
            1,
        )


@pytest.mark.parametrize(("user", "addressed_to", "on_get", "on_post"), FOLLOW_UP_MATRIX)
def test_the_meeting_page_offers_the_follow_up_form_to_whoever_may_record_it(
    world, user, addressed_to, on_get, on_post
):
    recommendation = follow_up_case(world, addressed_to)
    page = logged_in(getattr(world, user)).get(reverse("meeting_detail", args=[recommendation.meeting_id]))
    if on_get == 404:
        assert page.status_code == 404
        return
    html = page.content.decode()
    row = html[html.index(f'id="recommendation-{recommendation.pk}"') :]
    row = row[: row.index("</tr>")]
    follow_up_link = f'href="{reverse("recommendation_follow_up", args=[recommendation.pk])}"'
    assert (follow_up_link in row) == (on_get == 200)


@pytest.mark.parametrize("status", [RecommendationStatus.IN_PROGRESS, RecommendationStatus.DONE])
def test_the_department_records_its_follow_up_and_the_meeting_page_shows_it(world, status):
    recommendation = follow_up_case(world, "the People's Committee")
    client = logged_in(world.province_user)
    url = reverse("recommendation_follow_up", args=[recommendation.pk])
    page = client.get(url)
    assert shows(page, vietnamese("Follow-up of the recommendation"))
    assert shows(page, recommendation.text)
    response = client.post(url, {"status": status, "follow_up": "Đã xây dựng 3 mô hình.", "opened_version": "1"})
    meeting_url = reverse("meeting_detail", args=[recommendation.meeting_id])
    assert response.status_code == 302
    assert response["Location"] == f"{meeting_url}#recommendation-{recommendation.pk}"
    recommendation.refresh_from_db()
    assert (recommendation.status, recommendation.follow_up, recommendation.version) == (
        status,
        "Đã xây dựng 3 mô hình.",
        2,
    )
    meeting_page = client.get(meeting_url)
    assert shows(meeting_page, vietnamese("The follow-up was recorded."))
    assert shows(meeting_page, "Đã xây dựng 3 mô hình.")
    assert shows(meeting_page, vietnamese(status.label))


@pytest.mark.parametrize("status", [RecommendationStatus.IN_PROGRESS, RecommendationStatus.DONE])
def test_a_follow_up_without_saying_what_was_done_is_refused(world, status):
    recommendation = follow_up_case(world, "the People's Committee")
    response = logged_in(world.province_user).post(
        reverse("recommendation_follow_up", args=[recommendation.pk]),
        {"status": status, "follow_up": "   ", "opened_version": str(recommendation.version)},
    )
    assert response.status_code == 200
    expected = vietnamese("Say what has been done, so that the Ministry can follow it.")
    assert response.context["form"].errors["follow_up"] == [expected]
    assert shows(response, expected)
    recommendation.refresh_from_db()
    assert (recommendation.status, recommendation.version) == (RecommendationStatus.OPEN, 1)


def test_an_open_recommendation_needs_no_follow_up_text(world):
    recommendation = follow_up_case(world, "the department")
    recommendation.status, recommendation.follow_up = RecommendationStatus.IN_PROGRESS, "Đang làm."
    recommendation.save()
    response = logged_in(world.province_user).post(
        reverse("recommendation_follow_up", args=[recommendation.pk]),
        {"status": "open", "follow_up": "", "opened_version": str(recommendation.version)},
        follow=True,
    )
    assert response.redirect_chain[0][1] == 302
    recommendation.refresh_from_db()
    assert (recommendation.status, recommendation.follow_up) == (RecommendationStatus.OPEN, "")
    assert shows(response, vietnamese("The follow-up was recorded."))


def test_the_agency_cannot_drop_a_recommendation(world):
    """Dropping one is the Ministry's decision, made in the meeting form; the follow-up form does not offer it."""
    recommendation = follow_up_case(world, "the department")
    response = logged_in(world.province_user).post(
        reverse("recommendation_follow_up", args=[recommendation.pk]),
        {"status": RecommendationStatus.DROPPED, "follow_up": "Không thực hiện."},
    )
    assert response.status_code == 200
    expected = vietnamese("Select a valid choice. %(value)s is not one of the available choices.") % {
        "value": RecommendationStatus.DROPPED
    }
    assert response.context["form"].errors["status"] == [expected]
    assert shows(response, expected)
    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationStatus.OPEN


# A recommendation is a tracked action: a responsible agency and a due date while it is pending

NO_DUE_DATE = "Enter the date the recommendation is due: one open or in progress needs it."
NO_AGENCY = "Choose the agency responsible for the recommendation."


def test_the_meeting_form_asks_for_the_responsible_agency_and_the_due_date(world):
    response = logged_in(world.ministry_user, language="en").get(reverse("meeting_add"))
    html = response.content.decode()
    assert '<th scope="col">Responsible agency</th>' in html
    assert '<th scope="col">Due on</th>' in html
    assert "the date it is due (dd/mm/yyyy; both required while it is open or in progress)" in html


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        ({"due_on": ""}, "due_on", NO_DUE_DATE),
        ({"due_on": "", "status": RecommendationStatus.IN_PROGRESS, "follow_up": "Đang làm."}, "due_on", NO_DUE_DATE),
        ({"addressed_to": ""}, "addressed_to", NO_AGENCY),
    ],
    ids=["open without a due date", "in progress without a due date", "without a responsible agency"],
)
def test_a_pending_recommendation_without_its_agency_or_due_date_is_refused_and_nothing_is_saved(
    world, row, field, message
):
    before = database_state(*MEETING_ROWS)
    data = meeting_form(world, recommendations=[recommendation(world, text="Nhân rộng mô hình.", **row)])
    response = logged_in(world.ministry_user, language="en").post(reverse("meeting_add"), data)
    assert response.status_code == 200
    assert response.context["recommendations"].forms[0].errors[field] == [message]
    assert shows(response, message)
    assert shows(response, "Nhân rộng mô hình.")
    assert database_state(*MEETING_ROWS) == before


@pytest.mark.parametrize("status", [RecommendationStatus.DONE, RecommendationStatus.DROPPED])
def test_a_recommendation_done_or_dropped_may_have_no_due_date(world, status):
    data = meeting_form(world, recommendations=[recommendation(world, due_on="", status=status, follow_up="Xong.")])
    response = logged_in(world.ministry_user).post(reverse("meeting_add"), data)
    assert response.status_code == 302
    saved = Recommendation.objects.get()
    assert (saved.status, saved.due_on) == (status, None)


def test_a_due_date_typed_wrong_gets_the_date_message_only(world):
    data = meeting_form(world, recommendations=[recommendation(world, due_on="31/02/2020")])
    response = logged_in(world.ministry_user, language="en").post(reverse("meeting_add"), data)
    assert response.context["recommendations"].forms[0].errors["due_on"] == [
        "Enter the date as dd/mm/yyyy, for example 10/06/2020."
    ]
    assert not Meeting.objects.exists()


def test_editing_a_meeting_asks_for_the_due_date_of_an_open_recommendation_recorded_without_one(world):
    meeting = MeetingFactory(programme=world.programme, title="Hội nghị sơ kết")
    old = RecommendationFactory(meeting=meeting, raised_by=world.committee, addressed_to=world.ministry, due_on=None)
    data = meeting_form(
        world,
        opened_version="1",
        recommendations=[recommendation(world, text=old.text, id=old.pk, due_on="")],
        initial=(0, 1),
    )
    client = logged_in(world.ministry_user, language="en")
    refused = client.post(reverse("meeting_edit", args=[meeting.pk]), data)
    assert refused.status_code == 200
    assert shows(refused, NO_DUE_DATE)
    saved = client.post(reverse("meeting_edit", args=[meeting.pk]), {**data, "recommendations-0-due_on": "30/09/2020"})
    assert saved.status_code == 302
    old.refresh_from_db()
    assert old.due_on == datetime.date(2020, 9, 30)


# The follow-up history, and the overdue recommendations


def test_the_follow_up_page_and_the_meeting_page_show_who_changed_the_follow_up_and_when(world):
    followed = RecommendationFactory(
        meeting=MeetingFactory(programme=world.programme),
        raised_by=world.ministry,
        addressed_to=world.department,
        due_on=datetime.date(2020, 12, 31),
    )
    client = logged_in(world.province_user, language="en")
    url = reverse("recommendation_follow_up", args=[followed.pk])
    before = client.get(url)
    assert shows(before, "No follow-up has been recorded since the meeting.")
    posted = client.post(url, {"status": "in_progress", "follow_up": "Đã khảo sát 3 xã.", "opened_version": "1"})
    assert posted.status_code == 302

    page = client.get(url)
    entries = page.context["follow_up_history"]
    # Newest first: the follow-up, then the recommendation as the meeting recorded it (by a factory: no user).
    assert [(entry.who, str(entry.action)) for entry in entries] == [
        (world.province_user, "changed"),
        (None, "created"),
    ]
    assert {(change.label, change.old, change.new) for change in entries[0].changes} == {
        ("Status", "Open", "In progress"),
        ("Follow-up", "—", "Đã khảo sát 3 xã."),
    }
    history = page.content.decode()[page.content.decode().index('id="follow-up-history-heading"') :]
    for text in (str(world.province_user), "<del>Open</del> → <ins>In progress</ins>", "Đã khảo sát 3 xã."):
        assert text in history, text

    meeting_page = client.get(reverse("meeting_detail", args=[followed.meeting_id])).content.decode()
    row = meeting_page[meeting_page.index(f'id="recommendation-{followed.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "Follow-up history" in row and str(world.province_user) in row
    assert "<del>Open</del> → <ins>In progress</ins>" in row


def test_a_recommendation_never_followed_up_shows_no_history_on_the_meeting_page(world):
    untouched = follow_up_case(world, "the department")
    html = logged_in(world.ministry_user, language="en").get(reverse("meeting_detail", args=[untouched.meeting_id]))
    assert "Follow-up history" not in html.content.decode()


def test_pending_recommendations_past_their_due_date_are_overdue_on_the_meeting_page(world):
    today = timezone.localdate()
    meeting = MeetingFactory(programme=world.programme)

    def raised(text, status, due_on):
        return RecommendationFactory(
            meeting=meeting, text=text, status=status, due_on=due_on, follow_up="Đang làm.", addressed_to=world.ministry
        )

    yesterday, tomorrow = today - datetime.timedelta(days=1), today + datetime.timedelta(days=1)
    overdue = [raised("Quá hạn mở", "open", yesterday), raised("Quá hạn đang làm", "in_progress", yesterday)]
    not_overdue = [
        raised("Hạn ngày mai", "open", tomorrow),
        raised("Hạn hôm nay", "open", today),
        raised("Đã xong", "done", yesterday),
        raised("Đã bỏ", "dropped", yesterday),
        raised("Không hạn", "done", None),
    ]
    html = logged_in(world.ministry_user, language="en").get(meeting.get_absolute_url()).content.decode()
    for recommendation_, expected in [*((r, True) for r in overdue), *((r, False) for r in not_overdue)]:
        row = html[html.index(f'id="recommendation-{recommendation_.pk}"') :]
        row = row[: row.index("</tr>")]
        assert ("coop-overdue" in row) == expected, recommendation_.text
    follow_up_page = logged_in(world.ministry_user, language="en").get(
        reverse("recommendation_follow_up", args=[overdue[0].pk])
    )
    assert "coop-overdue" in follow_up_page.content.decode()
