"""A published programme with everything that belongs to it, and beside it what must never reach the public."""

import datetime
from decimal import Decimal

import pytest

from programmes.choices import AgencyKind, OutputKind, ProgrammeKind, ProgrammeStatus, TargetMetric
from tasks.choices import FundingSource, OutputStatus, ReportStatus, TaskStatus
from tests.conftest import World, give_roles, two_provinces
from tests.factories import (
    AgencyFactory,
    AttendanceFactory,
    MeetingFactory,
    OutputFactory,
    PersonFactory,
    ProgrammeFactory,
    ProgressReportFactory,
    ProvinceFactory,
    RecommendationFactory,
    TargetFactory,
    TaskFactory,
    UserFactory,
    carried_out_in,
    fund,
)

# Words that appear only in what must never be published: a test looks for them in every file and page.
HIDDEN = "BÍ-MẬT"


@pytest.fixture
def published(db) -> World:
    """`two_provinces` with roles, its Thái Bình programme published and filled; hidden beside it, each marked
    with HIDDEN: an unpublished programme and all of its rows, a published draft, outputs not verified, a progress
    report, an attendance list and the e-mail and phone of the users."""
    world = give_roles(two_provinces())
    world.programme.status = ProgrammeStatus.ACTIVE
    world.programme.published = True
    world.programme.objectives = "Đưa khoa học và công nghệ vào sản xuất nông nghiệp."
    world.programme.save()
    world.minister = PersonFactory(full_name="Chu Ngọc Anh", position="Bộ trưởng Bộ KH&CN", agency=world.ministry)
    world.programme.programme_parties.filter(agency=world.ministry).update(representative=world.minister)
    TargetFactory(programme=world.programme, metric=TargetMetric.MODEL, value=Decimal(10), note="Mô hình trình diễn")
    TargetFactory(programme=world.programme, metric=TargetMetric.TASKS, value=Decimal(3))

    # What the programme's record leads to that is not published: kept out of every reference.
    world.hidden_national = ProgrammeFactory(
        title=f"Chương trình quốc gia {HIDDEN}", kind=ProgrammeKind.NATIONAL, status=ProgrammeStatus.ACTIVE
    )
    world.hidden_previous = ProgrammeFactory(title=f"Giai đoạn trước {HIDDEN}", start_year=2010, end_year=2015)
    world.programme.previous_phase = world.hidden_previous
    world.programme.save()
    world.institute_parent = AgencyFactory(name=f"Học viện {HIDDEN}", kind=AgencyKind.INSTITUTE)
    world.institute = AgencyFactory(
        name="Viện Cây lương thực", kind=AgencyKind.INSTITUTE, parent=world.institute_parent, province=None
    )

    world.task.title = "Mô hình sản xuất lúa TBR225"
    world.task.save()
    fund(world.task, FundingSource.MINISTRY, 2016, Decimal(1_500_000_000), Decimal(1_000_000_000))
    fund(world.task, FundingSource.PROVINCE, 2017, Decimal(300_000_000))
    carried_out_in(world.task, world.committee.province, commune="xã Vũ Hội")
    world.second_task = TaskFactory(
        programme=world.programme,
        lead_agency=world.institute,
        funded_through=world.hidden_national,
        code="TB-02",
        title="Chọn tạo giống lúa chịu mặn",
        status=TaskStatus.COMPLETED,
        start_on=datetime.date(2016, 3, 1),
        end_on=datetime.date(2018, 6, 30),
    )
    world.verified = OutputFactory(task=world.task, kind=OutputKind.MODEL, quantity=12, name="Mô hình lúa TBR225")
    world.verified_variety = OutputFactory(task=world.second_task, kind=OutputKind.VARIETY, name="Giống lúa TBR225")
    world.unverified = [
        OutputFactory(task=world.task, status=status, name=f"Mô hình {status} {HIDDEN}", quantity=7)
        for status in (OutputStatus.RECORDED, OutputStatus.SUBMITTED, OutputStatus.RETURNED)
    ]
    world.report = ProgressReportFactory(
        task=world.task,
        status=ReportStatus.APPROVED,
        summary=f"Báo cáo tiến độ {HIDDEN}",
        problems=f"Vướng mắc {HIDDEN}",
        submitted_by=world.province_user,
        reviewed_by=world.ministry_user,
        reviewed_at=datetime.datetime(2017, 7, 10, tzinfo=datetime.UTC),
    )
    world.draft_report = ProgressReportFactory(task=world.second_task, summary=f"Bản nháp {HIDDEN}")
    world.meeting = MeetingFactory(
        programme=world.programme, title="Hội nghị sơ kết chương trình", conclusions="Tiếp tục phối hợp."
    )
    AttendanceFactory(meeting=world.meeting, person=PersonFactory(full_name=f"Người dự họp {HIDDEN}"))
    world.recommendation = RecommendationFactory(
        meeting=world.meeting, raised_by=world.committee, addressed_to=world.ministry, text="Bổ sung kinh phí"
    )
    world.province_user.email = f"so.{HIDDEN.lower()}@thaibinh.gov.vn"
    world.province_user.save()

    # An unpublished programme, and a published one still a draft: nothing of either is public.
    world.hidden_agency = AgencyFactory(name=f"Viện {HIDDEN}", province=ProvinceFactory(name=f"Tỉnh {HIDDEN}"))
    world.other_programme.title = f"Chương trình {HIDDEN}"
    world.other_programme.save()
    world.hidden_task = TaskFactory(
        programme=world.other_programme, lead_agency=world.hidden_agency, title=f"Nhiệm vụ {HIDDEN}"
    )
    OutputFactory(task=world.hidden_task, name=f"Sản phẩm {HIDDEN}")
    fund(world.hidden_task, allocated=Decimal(987_654_321))
    RecommendationFactory(meeting=MeetingFactory(programme=world.other_programme, title=f"Họp {HIDDEN}"))
    world.published_draft = ProgrammeFactory(title=f"Chương trình nháp {HIDDEN}", published=True)
    TaskFactory(programme=world.published_draft, title=f"Nhiệm vụ nháp {HIDDEN}")
    world.visitor_user = UserFactory(email=f"{HIDDEN.lower()}@example.gov.vn")
    return world
