"""The rules of the programmes app's pages that only they have: the agency, programme and meeting pages,
the exported values of each list, the query budgets of the pages of one row, and the figures of
the demo programme reviewed on 10/6/2020.

Who may open the lists and pages of one row, sorting by every column, each filter, exports in
scope and the query count of the lists are checked for every list at once in tests/generic.
"""

import datetime
import html
import io
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from coop.figures import list_url
from programmes.choices import (
    OUTPUT_DEFAULT_UNITS,
    AgencyKind,
    AttendanceRole,
    OutputKind,
    PartyRole,
    ProgrammeKind,
    RecommendationStatus,
    TargetMetric,
)
from programmes.models import Agency, Programme
from programmes.tables import AgencyTable, MeetingTable, ProgrammeTable, RecommendationTable
from tasks.choices import FundingSource, TaskStatus
from tests.conftest import logged_in
from tests.factories import (
    AgencyFactory,
    AttachmentFactory,
    AttendanceFactory,
    FundingFactory,
    MeetingFactory,
    OutputFactory,
    PersonFactory,
    ProgrammeFactory,
    ProgrammePartyFactory,
    RecommendationFactory,
    TargetFactory,
    TaskFactory,
)
from tests.helpers import count_queries, demo_login, export_rows, listed

pytestmark = pytest.mark.django_db

BILLION = Decimal(10**9)
# 16 since the programme page reads its tasks' places of implementation (one query for all of them); 17 since
# a provincial user's pages read the ids of the tasks they may see once, then pass them to each query
# (`tasks.models.visible_task_ids`) instead of joining the union behind them in every query; 19 since the header's
# counts of work waiting are kept until reports, outputs or tasks change: under the data's version, which these pages
# read for nothing else (0.5 ms, against 3.5 ms for the Ministry's count on the national set), and for a province
# under the programmes it sees (`tasks.models.task_scope_key`), read beside the ids of its tasks on this page.
QUERY_CEILING = 19


@pytest.fixture
def world(world):
    """The shared `world` with a recommendation at each side's meeting."""
    world.recommendation = RecommendationFactory(
        meeting=world.meeting,
        text="Kiến nghị về mô hình lúa của Thái Bình",
        raised_by=world.committee,
        addressed_to=world.ministry,
    )
    world.other_recommendation = RecommendationFactory(
        meeting=world.other_meeting,
        text="Kiến nghị về làng nghề của Nam Định",
        raised_by=world.ministry,
        addressed_to=world.committee,
    )
    return world


# The agency page


def test_an_agency_page_shows_only_the_programmes_and_tasks_in_scope(world):
    other_committee = world.other_task.lead_agency
    province_page = logged_in(world.province_user).get(other_committee.get_absolute_url())
    assert province_page.status_code == 200
    assert province_page.context["activity"].parties == []
    assert province_page.context["activity"].tasks == []
    assert world.other_programme.title not in province_page.content.decode()
    assert world.other_task.title not in province_page.content.decode()

    ministry_page = logged_in(world.ministry_user).get(other_committee.get_absolute_url())
    assert [party.programme for party in ministry_page.context["activity"].parties] == [world.other_programme]
    assert ministry_page.context["activity"].tasks == [world.other_task]


def test_an_agency_page_counts_the_outputs_of_the_tasks_it_leads_and_links_to_them(world):
    department = world.department
    second = TaskFactory(programme=world.programme, lead_agency=department)
    OutputFactory(task=world.task, kind=OutputKind.BRAND, quantity=3)
    OutputFactory(task=second, kind=OutputKind.BRAND, quantity=2)
    OutputFactory(task=second, kind=OutputKind.MODEL, quantity=12)
    outside = TaskFactory(programme=world.other_programme, lead_agency=AgencyFactory())
    OutputFactory(task=outside, kind=OutputKind.BRAND, quantity=100)
    activity = logged_in(world.province_user).get(department.get_absolute_url()).context["activity"]
    assert activity.task_count == 2
    assert activity.tasks_url == f"/tasks/?lead_agency={department.pk}"
    first, other = sorted([world.task.pk, second.pk])
    # Verified quantities by kind and unit, each linked to the verified outputs of the tasks that produced them.
    verified = {"status": "verified"}
    assert [(figure.value, figure.unit, figure.url) for figure in activity.outputs_by_kind] == [
        (12, "mô hình", list_url("output_list", task=[second.pk], kind="model", unit="mô hình", **verified)),
        (5, "nhãn hiệu", list_url("output_list", task=[first, other], kind="brand", unit="nhãn hiệu", **verified)),
    ]


def test_an_agency_page_shows_its_family_and_its_mergers(world):
    successor = AgencyFactory(name="Sở KH&CN Hưng Yên")
    merged = world.department
    merged.valid_to, merged.successor = datetime.date(2025, 6, 30), successor
    merged.save()
    child = AgencyFactory(name="Trung tâm Ứng dụng tiến bộ KH&CN", parent=merged)
    PersonFactory(full_name="Trần Thị Bích Hằng", position="Giám đốc", agency=merged)
    text = logged_in(world.province_user).get(merged.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "30/06/2025" in text and html.escape(successor.name) in text
    assert world.committee.name in text  # its parent
    assert html.escape(child.name) in text
    assert "Trần Thị Bích Hằng" in text and "Giám đốc" in text
    successor_page = logged_in(world.province_user).get(successor.get_absolute_url())
    assert list(successor_page.context["predecessors"]) == [merged]
    assert "30/06/2025" in successor_page.content.decode()


# Filters


def test_filters_that_name_programmes_offer_only_the_programmes_in_scope(world):
    for page in ("meeting_list", "recommendation_list"):
        form = logged_in(world.province_user).get(reverse(page)).context["filter"].form
        assert list(form.fields["programme"].queryset) == [world.programme]
    # Asking for a programme outside the scope by its id shows nothing of it.
    response = logged_in(world.province_user).get(reverse("meeting_list"), {"programme": world.other_programme.pk})
    assert world.other_meeting not in listed(response)


# Exports hold every filtered row, more than a page, with the right values


def column_of(table, name: str) -> int:
    return list(table.Meta.sequence).index(name)


def number(cell) -> Decimal:
    return Decimal(str(cell))


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_the_programme_export_holds_every_filtered_row_with_its_figures(admin_client, export_format):
    programmes = ProgrammeFactory.create_batch(30, kind=ProgrammeKind.COOPERATION)
    ProgrammeFactory.create_batch(3, kind=ProgrammeKind.NATIONAL)
    funded = programmes[7]
    ProgrammePartyFactory(programme=funded, agency=AgencyFactory(name="Ủy ban nhân dân tỉnh Thử"))
    first, second = TaskFactory(programme=funded), TaskFactory(programme=funded)
    FundingFactory(task=first, source=FundingSource.MINISTRY, year=2016, allocated=BILLION)
    FundingFactory(task=first, source=FundingSource.MINISTRY, year=2017, allocated=BILLION / 2)
    FundingFactory(task=second, source=FundingSource.MINISTRY, year=2016, allocated=BILLION)
    FundingFactory(task=second, source=FundingSource.PROVINCE, year=2016, allocated=BILLION * 7)

    response = admin_client.get(reverse("programme_list"), {"kind": "cooperation", "_export": export_format})
    rows = export_rows(response, export_format)
    assert len(rows) == 1 + 30
    by_code = {row[column_of(ProgrammeTable, "code")]: row for row in rows[1:]}
    assert set(by_code) == {programme.code for programme in programmes}
    row = by_code[funded.code]
    assert number(row[column_of(ProgrammeTable, "task_count")]) == 2
    assert number(row[column_of(ProgrammeTable, "ministry_funding")]) == Decimal("2500000000")
    assert row[column_of(ProgrammeTable, "parties")] == "Ủy ban nhân dân tỉnh Thử"
    assert row[column_of(ProgrammeTable, "period")] == "2016–2020"
    assert number(row[column_of(ProgrammeTable, "start_year")]) == 2016


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_the_agency_export_says_which_agencies_still_exist(admin_client, export_format):
    successor = AgencyFactory(name="Sở KH&CN Hưng Yên", kind=AgencyKind.INSTITUTE)
    AgencyFactory.create_batch(29, kind=AgencyKind.INSTITUTE)
    merged = AgencyFactory(
        name="Sở KH&CN Thái Bình", kind=AgencyKind.INSTITUTE, valid_to=datetime.date(2025, 6, 30), successor=successor
    )
    response = admin_client.get(reverse("agency_list"), {"kind": "institute", "_export": export_format})
    rows = export_rows(response, export_format)
    assert len(rows) == 1 + 31
    by_name = {row[column_of(AgencyTable, "name")]: row for row in rows[1:]}
    assert successor.name in by_name[merged.name][column_of(AgencyTable, "current")]
    assert by_name[merged.name][column_of(AgencyTable, "successor")] == successor.name
    assert by_name[successor.name][column_of(AgencyTable, "successor")] in ("", None)


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_the_meeting_export_counts_attendees_and_recommendations(admin_client, export_format):
    programme = ProgrammeFactory()
    meetings = MeetingFactory.create_batch(30, programme=programme)
    MeetingFactory()  # another programme's
    AttendanceFactory.create_batch(4, meeting=meetings[3])
    RecommendationFactory.create_batch(7, meeting=meetings[3])
    response = admin_client.get(reverse("meeting_list"), {"programme": programme.pk, "_export": export_format})
    rows = export_rows(response, export_format)
    assert len(rows) == 1 + 30
    row = next(row for row in rows[1:] if row[column_of(MeetingTable, "title")] == meetings[3].title)
    assert number(row[column_of(MeetingTable, "attendee_count")]) == 4
    assert number(row[column_of(MeetingTable, "recommendation_count")]) == 7
    assert row[column_of(MeetingTable, "programme_code")] == programme.code
    held_on = row[column_of(MeetingTable, "held_on")]
    assert held_on == ("10/06/2020" if export_format == "csv" else datetime.datetime(2020, 6, 10))


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_the_recommendation_export_holds_status_words_and_due_dates(admin_client, export_format):
    RecommendationFactory.create_batch(29, status=RecommendationStatus.OPEN)
    late = RecommendationFactory(
        text="Sớm tổng kết Chương trình", status=RecommendationStatus.OPEN, due_on=datetime.date(2020, 12, 31)
    )
    RecommendationFactory.create_batch(2, status=RecommendationStatus.DONE)
    response = admin_client.get(
        reverse("recommendation_list"), {"status": "open", "_export": export_format}, HTTP_ACCEPT_LANGUAGE="vi"
    )
    rows = export_rows(response, export_format)
    assert len(rows) == 1 + 30
    row = next(row for row in rows[1:] if row[column_of(RecommendationTable, "text")] == late.text)
    with translation.override("vi"):
        assert row[column_of(RecommendationTable, "status")] == str(RecommendationStatus.OPEN.label)
    due_on = row[column_of(RecommendationTable, "due_on")]
    assert due_on == ("31/12/2020" if export_format == "csv" else datetime.datetime(2020, 12, 31))
    assert row[column_of(RecommendationTable, "meeting")] == late.meeting.title
    assert "<" not in "".join(str(cell) for cell in row)  # no HTML leaks into the cells


# Query budgets of the pages of one row: as many queries for 50 rows as for 5, and at most 15


# The builders below reuse the scope's agencies and province: a factory's own province per row
# would soon exhaust the hundred two-digit province codes.


def _agency(world, **fields) -> Agency:
    return AgencyFactory(province=world.committee.province, **fields)


def _programme_rows(n, world):
    for _ in range(n):
        task = TaskFactory(programme=world.programme, lead_agency=world.department)
        FundingFactory(task=task, source=FundingSource.MINISTRY)
        FundingFactory(task=task, source=FundingSource.PROVINCE)
        OutputFactory(task=task, kind=OutputKind.MODEL, quantity=2)
        OutputFactory(task=task, kind=OutputKind.TECHNOLOGY)
        meeting = MeetingFactory(programme=world.programme)
        RecommendationFactory(meeting=meeting, raised_by=world.committee, addressed_to=_agency(world))
        ProgrammePartyFactory(
            programme=world.programme, agency=_agency(world), representative=PersonFactory(agency=world.department)
        )
        targets = world.programme.targets.count()
        if targets < len(TargetMetric.values):  # one target per metric at most
            TargetFactory(programme=world.programme, metric=TargetMetric.values[targets])
        ProgrammeFactory(previous_phase=world.programme, start_year=2021, end_year=2025)


def _agency_rows(n, world):
    for _ in range(n):
        task = TaskFactory(lead_agency=world.committee, programme=world.programme)
        OutputFactory(task=task, kind=OutputKind.BRAND)
        ProgrammePartyFactory(agency=world.committee, representative=PersonFactory(agency=world.committee))
        _agency(world, parent=world.committee)
        _agency(world, successor=world.committee, valid_to=datetime.date(2025, 6, 30))
        PersonFactory(agency=world.committee)


def _meeting_rows(n, world):
    for number in range(n):
        AttendanceFactory(meeting=world.meeting, person=PersonFactory(agency=_agency(world)))
        recommendation = RecommendationFactory(
            meeting=world.meeting,
            raised_by=world.committee,
            addressed_to=_agency(world),
            due_on=datetime.date(2020, 12, 31),  # overdue: the badge is drawn for each row
        )
        if number % 2:  # a follow-up in its history, recorded by a user: the history is drawn for each row
            recommendation.status, recommendation.follow_up = RecommendationStatus.IN_PROGRESS, "Đang thực hiện."
            recommendation._history_user = world.province_user
            recommendation.save()
        AttachmentFactory(meeting=world.meeting)


# Each page of one row: where it is, and rows that it shows.
BUDGETS = {
    "programme": (lambda world: world.programme.get_absolute_url(), _programme_rows),
    "agency": (lambda world: world.committee.get_absolute_url(), _agency_rows),
    "meeting": (lambda world: world.meeting.get_absolute_url(), _meeting_rows),
}


@pytest.mark.parametrize("role", ["ministry_user", "province_user"])
@pytest.mark.parametrize("page", BUDGETS)
def test_queries_do_not_grow_with_the_rows(world, page, role):
    client = logged_in(getattr(world, role))
    url, add_rows = BUDGETS[page]
    add_rows(5, world)
    client.get(url(world))  # the header's counts, kept from now on until reports, outputs or tasks change
    with_5 = count_queries(client, url(world))
    add_rows(45, world)
    client.get(url(world))
    with_50 = count_queries(client, url(world))
    assert with_5 == with_50
    assert with_50 <= QUERY_CEILING


# The programme page


def test_the_programme_page_shows_its_identity_parties_and_texts(world):
    programme = world.programme
    programme.signed_on = datetime.date(2012, 9, 20)
    programme.orientation_year = 2025
    programme.legal_basis = "Nghị quyết số 20-NQ/TW;\nQuyết định số 1244/QĐ-TTg"
    programme.save()
    representative = PersonFactory(full_name="Trần Văn Đại Diện", position="Chủ tịch UBND tỉnh")
    party = programme.programme_parties.get(agency=world.committee)
    party.representative = representative
    party.save()
    response = logged_in(world.province_user).get(programme.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="vi")
    text = response.content.decode()
    assert programme.code in text
    assert "20/09/2012" in text
    assert "2016–2020" in text and "2025" in text and "2.025" not in text
    assert "Nghị quyết số 20-NQ/TW;<br>Quyết định số 1244/QĐ-TTg" in text
    assert [party.role for party in response.context["parties"]] == [PartyRole.MINISTRY_SIDE, PartyRole.PROVINCE_SIDE]
    assert "Trần Văn Đại Diện" in text and "Chủ tịch UBND tỉnh" in text


def test_the_programme_figures_link_to_the_lists_that_produce_them(world):
    programme = world.programme
    done = TaskFactory(programme=programme, status=TaskStatus.COMPLETED)
    FundingFactory(task=done, source=FundingSource.MINISTRY, year=2016, allocated=BILLION * 2)
    FundingFactory(task=done, source=FundingSource.MINISTRY, year=2017, allocated=BILLION)
    FundingFactory(task=world.task, source=FundingSource.COUNTERPART, year=2017, allocated=BILLION / 2)
    OutputFactory(task=done, kind=OutputKind.MODEL, quantity=12)
    OutputFactory(task=world.task, kind=OutputKind.MODEL, quantity=3)
    OutputFactory(task=world.task, kind=OutputKind.VARIETY)
    TargetFactory(programme=programme, metric=TargetMetric.MODEL, value=20)
    TargetFactory(programme=programme, metric=TargetMetric.MINISTRY_FUNDING, value=BILLION * 6)
    TargetFactory(programme=programme, metric=TargetMetric.TASKS, value=4)

    response = logged_in(world.province_user).get(programme.get_absolute_url())
    figures = response.context["figures"]
    pk = programme.pk
    assert (figures.tasks.value, figures.tasks.url) == (2, f"/tasks/?programme={pk}")
    assert {(f.key, f.value, f.url) for f in figures.tasks_by_status} == {
        ("in_progress", 1, f"/tasks/?programme={pk}&status=in_progress"),
        ("completed", 1, f"/tasks/?programme={pk}&status=completed"),
    }
    assert figures.ministry_funding.value == BILLION * 3
    assert figures.ministry_funding.url == f"/tasks/?programme={pk}&funding_source=ministry"
    assert [(f.key, f.value) for f in figures.funding_by_source] == [
        ("ministry", BILLION * 3),
        ("counterpart", BILLION / 2),
    ]
    years = {row.year: [cell.value for cell in row.cells] for row in figures.funding_by_year}
    assert years == {2016: [BILLION * 2, 0], 2017: [BILLION, BILLION / 2]}
    assert figures.funding_by_year[1].cells[0].url == (
        f"/tasks/?programme={pk}&funding_source=ministry&year_from=2017&year_to=2017"
    )
    assert [(f.key, f.value, f.url) for f in figures.outputs_by_kind] == [
        ("model", 15, f"/outputs/?programme={pk}&kind=model&unit=m%C3%B4+h%C3%ACnh&status=verified"),
        ("variety", 1, f"/outputs/?programme={pk}&kind=variety&unit=gi%E1%BB%91ng&status=verified"),
    ]
    targets = {target.label: (target.target, target.actual, target.percent) for target in figures.targets}
    assert targets == {
        TargetMetric.MODEL.label: (20, 15, 75),
        TargetMetric.MINISTRY_FUNDING.label: (BILLION * 6, BILLION * 3, 50),
        TargetMetric.TASKS.label: (4, 2, 50),
    }
    text = response.content.decode()
    for url in (figures.tasks.url, figures.ministry_funding.url, *(f.url for f in figures.outputs_by_kind)):
        assert f'href="{html.escape(url)}"' in text
    for figure in (*figures.tasks_by_status, *figures.funding_by_source):
        assert f'href="{html.escape(figure.url)}"' in text


def test_the_programme_page_lists_its_tasks_meetings_and_open_recommendations(world):
    programme = world.programme
    FundingFactory(task=world.task, source=FundingSource.MINISTRY, year=2016, allocated=Decimal("1234567000"))
    FundingFactory(task=world.task, source=FundingSource.PROVINCE, year=2016, allocated=BILLION)
    earlier = MeetingFactory(programme=programme, held_on=datetime.date(2016, 3, 1), title="Lễ ký kết")
    done = RecommendationFactory(meeting=world.meeting, status=RecommendationStatus.DONE, text="Đã xong việc này")
    response = logged_in(world.province_user).get(programme.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="vi")
    tasks = [row.record for row in response.context["tasks"].rows]
    assert tasks == [world.task]
    assert tasks[0].ministry_funding == Decimal("1234567000")
    assert list(response.context["meetings"]) == [earlier, world.meeting]
    assert [row.record for row in response.context["open_recommendations"].rows] == [world.recommendation]
    text = response.content.decode()
    assert "1.234.567.000 đ" in text
    assert world.recommendation.text in text and done.text not in text
    assert f"#recommendation-{world.recommendation.pk}" in text


def test_phases_link_only_to_programmes_in_scope(world):
    hidden_previous = ProgrammeFactory(title="Giai đoạn trước của tỉnh khác", start_year=2011, end_year=2015)
    world.programme.previous_phase = hidden_previous
    world.programme.save()
    following = ProgrammeFactory(
        title="Giai đoạn 2021-2025", previous_phase=world.programme, start_year=2021, end_year=2025
    )
    ProgrammePartyFactory(programme=following, agency=world.committee)

    province_page = logged_in(world.province_user).get(world.programme.get_absolute_url())
    assert province_page.context["previous_phase"] is None
    assert province_page.context["next_phases"] == [following]
    assert hidden_previous.title not in province_page.content.decode()

    ministry_page = logged_in(world.ministry_user).get(world.programme.get_absolute_url())
    assert ministry_page.context["previous_phase"] == hidden_previous
    assert following.get_absolute_url() in ministry_page.content.decode()


def test_an_empty_programme_says_what_will_appear(world):
    empty = ProgrammeFactory()
    text = logged_in(world.ministry_user, language="en").get(empty.get_absolute_url()).content.decode()
    assert "No S&T task is recorded for this programme yet" in text
    assert "No meeting is recorded for this programme yet" in text


# The meeting page


def test_the_meeting_page_lists_attendees_in_protocol_order_and_recommendations_with_their_status(world):
    meeting = world.meeting
    for role, name in [
        (AttendanceRole.ATTENDEE, "An Văn Tham Dự"),
        (AttendanceRole.REPORTER, "Bùi Thị Báo Cáo"),
        (AttendanceRole.CO_CHAIR, "Cao Văn Đồng Chủ Trì"),
        (AttendanceRole.CHAIR, "Đỗ Văn Chủ Trì"),
    ]:
        AttendanceFactory(meeting=meeting, role=role, person=PersonFactory(full_name=name, position="Giám đốc"))
    RecommendationFactory(
        meeting=meeting,
        status=RecommendationStatus.DONE,
        due_on=datetime.date(2020, 12, 31),
        follow_up="Đã ban hành Nghị quyết",
    )
    AttachmentFactory(meeting=meeting, title="Thông báo kết luận")
    response = logged_in(world.province_user).get(meeting.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="vi")
    roles = [attendance.role for attendance in response.context["attendances"]]
    assert roles == ["chair", "co_chair", "reporter", "attendee"]
    text = response.content.decode()
    assert text.index("Đỗ Văn Chủ Trì") < text.index("Cao Văn Đồng Chủ Trì") < text.index("Bùi Thị Báo Cáo")
    assert "31/12/2020" in text and "Đã ban hành Nghị quyết" in text
    with translation.override("vi"):
        done_words = str(RecommendationStatus.DONE.label)
    assert f'<span class="badge text-bg-success">{done_words}</span>' in text
    assert "Thông báo kết luận" in text
    assert world.programme.get_absolute_url() in text


# The recommendation list


def test_recommendations_link_to_their_meeting(world):
    response = logged_in(world.province_user).get(reverse("recommendation_list"))
    text = response.content.decode()
    assert f'href="{world.meeting.get_absolute_url()}#recommendation-{world.recommendation.pk}"' in text
    assert 'class="badge text-bg-warning"' in text  # open


# The demo: the Thái Bình programme reviewed in Hà Nội on 10/6/2020


def test_the_demo_programme_page_shows_the_figures_of_the_review_meeting(db):
    call_command("load_demo", stdout=io.StringIO())
    programme = Programme.objects.get(code="PH-BKHCN-TB-2012")
    client = demo_login("bo.chuyenvien")
    response = client.get(programme.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="vi")
    figures = response.context["figures"]
    assert figures.tasks.value == 30
    assert len(response.context["tasks"].rows) == 30
    assert figures.ministry_funding.value == Decimal("97600000000")
    outputs = {figure.key: figure.value for figure in figures.outputs_by_kind}
    assert (outputs["model"], outputs["technology"], outputs["brand"], outputs["variety"]) == (53, 20, 6, 1)
    review = next(meeting for meeting in response.context["meetings"] if meeting.held_on == datetime.date(2020, 6, 10))
    assert (review.attendee_count, review.recommendation_count) == (4, 7)

    text = response.content.decode()
    assert "97,6 tỷ đồng" in text
    for key, quantity in [("model", 53), ("technology", 20), ("brand", 6), ("variety", 1)]:
        card = text[text.index(f'id="figure-output-{key}-') :]
        shown = f'">{quantity} <span class="fs-6">{OUTPUT_DEFAULT_UNITS[key]}</span></a>'
        assert shown in card[: card.index("</a>") + 4]
    task_table = text[text.index('id="programme-tasks"') :]
    task_table = task_table[: task_table.index("</table>")]
    assert task_table.count("<tr") == 1 + 30
    # The task list's own columns: the code and the title each link to the task.
    assert len(set(re.findall(r'<a href="(/tasks/\d+/)"', task_table))) == 30
    timeline = text[text.index('id="meetings"') :]
    assert f'href="{review.get_absolute_url()}"' in timeline
    assert "10/06/2020" in timeline

    meeting_page = client.get(review.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="vi")
    assert len(meeting_page.context["attendances"]) == 4
    assert len(meeting_page.context["recommendations"].rows) == 7
    assert [a.person.full_name for a in meeting_page.context["attendances"]] == [
        "Chu Ngọc Anh",
        "Ngô Đông Hải",
        "Trần Thị Bích Hằng",
        "Đặng Trọng Thăng",
    ]
