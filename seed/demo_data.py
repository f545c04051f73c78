"""The tables of the demo data set, laid out to read as tables; `seed.demo` writes them.

See `seed.demo` for what comes from the article and what is illustrative.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy as _

from coop.roles import Role
from programmes.choices import (
    OUTPUT_DEFAULT_UNITS,
    AgencyKind,
    AttendanceRole,
    MeetingKind,
    OutputKind,
    PartyRole,
    ProgrammeKind,
    ProgrammeStatus,
    RecommendationStatus,
    ReportingFrequency,
    TargetMetric,
)
from programmes.divisions import LAST_DAY_BEFORE_MERGER
from tasks.choices import TaskField, TaskLevel, TaskStatus

ILLUSTRATIVE_NOTE = _(
    "The 30 tasks, their lead agencies, investigators, amounts and outputs other than the article's totals "
    "are illustrative, and so is the Nam Định programme."
)

DEMO_PASSWORD = "demo12345"
THAI_BINH = "PH-BKHCN-TB-2012"
NAM_DINH = "PH-BKHCN-ND-2016"
NTMN_1 = "NTMN-2011-2015"
NTMN_2 = "NTMN-2016-2025"

REVIEW_DAY = datetime.date(2020, 6, 10)
# Ministry of Information and Communications merged into the Ministry of S&T on 1/3/2025;
# Thái Bình into Hưng Yên and Nam Định into Ninh Bình on 1/7/2025.
LAST_DAY_BEFORE_MINISTRY_MERGER = datetime.date(2025, 2, 28)
LAST_DAY_BEFORE_PROVINCE_MERGER = LAST_DAY_BEFORE_MERGER
# Share of this year's allocation already paid out, at the review meeting, for tasks still running.
DISBURSED_SHARE_OF_REVIEW_YEAR = Decimal("0.4")
MILLION = 1_000_000
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")

MINISTRY = AgencyKind.MINISTRY
UNIT = AgencyKind.MINISTRY_UNIT
PEOPLE_COMMITTEE = AgencyKind.PEOPLE_COMMITTEE
PARTY_COMMITTEE = AgencyKind.PARTY_COMMITTEE
DEPARTMENT = AgencyKind.DEPARTMENT
INSTITUTE = AgencyKind.INSTITUTE
UNIVERSITY = AgencyKind.UNIVERSITY
ENTERPRISE = AgencyKind.ENTERPRISE
COOPERATIVE = AgencyKind.COOPERATIVE
OTHER_AGENCY = AgencyKind.OTHER

AGRI = TaskField.AGRICULTURE
INDU = TaskField.INDUSTRY
ENVI = TaskField.ENVIRONMENT
HEAL = TaskField.HEALTH
ICT = TaskField.ICT
SOCI = TaskField.SOCIAL
NAT = TaskLevel.NATIONAL
MIN = TaskLevel.MINISTRY
DONE = TaskStatus.COMPLETED
ACPT = TaskStatus.ACCEPTED
WIP = TaskStatus.IN_PROGRESS
FINISHED = {TaskStatus.COMPLETED, TaskStatus.ACCEPTED}
# ILLUSTRATIVE: the acceptance record ("biên bản nghiệm thu") of each finished task. The article gives none:
# each is dated ACCEPTANCE_DELAY after its task ended and numbered after its task ("01/BB-NT" for
# TB-2012-01). Every finished task of the demo ended by 12/2019, so each was accepted before the review.
ACCEPTANCE_DELAY = datetime.timedelta(days=60)
ACCEPTANCE_NUMBER = "{number}/BB-NT"

MODEL = OutputKind.MODEL
TECH = OutputKind.TECHNOLOGY
BRAND = OutputKind.BRAND
VARIETY = OutputKind.VARIETY
PROCESS = OutputKind.PROCESS
PUBLICATION = OutputKind.PUBLICATION
TRAINING = OutputKind.TRAINING
OTHER_OUTPUT = OutputKind.OTHER
# The unit each kind is counted in unless a row names another (the application's default units).
UNIT_BY_KIND = OUTPUT_DEFAULT_UNITS


class AgencyRow(NamedTuple):
    key: str  # how the other tables refer to it
    name: str
    short_name: str
    kind: str
    province: str | None = None  # province name, from the official list (`manage.py load_provinces`)
    parent: str | None = None  # agency key
    valid_to: datetime.date | None = None
    successor: str | None = None  # agency key
    document_code: str = ""  # the abbreviation in the symbol of its documents: "BKHCN" in "15/BC-BKHCN"


class PersonRow(NamedTuple):
    key: str
    full_name: str
    position: str
    agency: str


class PartyRow(NamedTuple):
    agency: str
    role: str
    representative: str | None = None  # person key


class TargetRow(NamedTuple):
    metric: str
    value: int
    note: str = ""


class ScheduleRow(NamedTuple):
    """A programme's reporting schedule ("chế độ báo cáo") and the first period the Ministry tracks."""

    frequency: str
    due_day: int
    due_months_after: int
    reminder_days_before: int
    # The rule draws periods from the programme's first year; those ending before this day are not drawn.
    tracked_from: datetime.date


class ProgrammeRow(NamedTuple):
    code: str
    title: str
    kind: str
    start_year: int
    end_year: int
    orientation_year: int | None
    status: str
    objectives: str
    legal_basis: str
    parties: tuple[PartyRow, ...]
    previous_phase: str | None = None
    targets: tuple[TargetRow, ...] = ()
    schedule: ScheduleRow | None = None  # None: no reporting periods (the programme still works everywhere)
    published: bool = False  # shown to everyone on the public pages and in the open data


class TaskRow(NamedTuple):
    code: str
    field: str
    level: str
    lead: str  # agency key ("cơ quan chủ trì")
    investigator: str  # person key ("chủ nhiệm")
    start: str  # "YYYY-MM": starts on the first day of that month
    end: str  # "YYYY-MM": ends on the last day of that month
    status: str
    through: str | None  # code of the national programme that funds it
    place: str  # district(s), before the province's name
    title: str


class OutputRow(NamedTuple):
    task: str
    kind: str
    quantity: int
    achieved_on: str  # ISO date
    name: str
    description: str = ""
    evidence: tuple[str, str] | None = None  # (number, ISO date) the article gives; illustrative_evidence() if None
    unit: str = ""  # UNIT_BY_KIND when empty


# ILLUSTRATIVE: the article gives no document for any output but the TBR225 variety (recognised as a national
# variety in 2015). Every other demo output is verified on an illustrative document, dated the day it was
# achieved, whose number says "(minh họa)" on every page that shows it.
ILLUSTRATIVE_EVIDENCE_MARK = "(minh họa)"
ILLUSTRATIVE_EVIDENCE_NUMBER = {
    MODEL: "{n}/BB-NT",  # biên bản nghiệm thu mô hình
    TECH: "{n}/HĐ-CGCN",  # hợp đồng chuyển giao công nghệ
    BRAND: "{n}/GCN-NHTT",  # giấy chứng nhận đăng ký nhãn hiệu
    VARIETY: "{n}/QĐ-BNN-TT",  # quyết định công nhận giống
}
ILLUSTRATIVE_DOCUMENT_NUMBER = "{n}/BC-KQ"  # báo cáo, văn bản xác nhận kết quả


def illustrative_evidence(row: "OutputRow", number: int) -> tuple[str, str]:
    """(number, ISO date) of the made-up document a demo output is verified on; `number` tells rows apart."""
    pattern = ILLUSTRATIVE_EVIDENCE_NUMBER.get(row.kind, ILLUSTRATIVE_DOCUMENT_NUMBER)
    return f"{pattern.format(n=number)} {ILLUSTRATIVE_EVIDENCE_MARK}", row.achieved_on


class ReportRow(NamedTuple):
    task: str
    as_of: str  # ISO date
    percent: int
    summary: str
    problems: str = ""
    next_steps: str = ""


class RecommendationRow(NamedTuple):
    raised_by: str
    addressed_to: str  # the responsible agency
    status: str
    due_on: datetime.date
    text: str
    follow_up: str = ""
    # The demo user who recorded the follow-up: the recommendation is written open, then followed up by
    # this user, so that its history shows who changed its status and follow-up.
    followed_up_by: str | None = None


class DemoUser(NamedTuple):
    username: str
    last_name: str  # "Họ và tên đệm"
    first_name: str  # "Tên"
    agency: str
    role: str
    group: str  # a coop.roles.Role: the Django group that grants the role's permissions
    is_staff: bool = False
    is_superuser: bool = False
    person: str | None = None  # the person the user is among the records (a leader signs under that name)


@dataclass(frozen=True)
class TaskPlan:
    """The tasks of one programme with their money, outputs and progress reports."""

    programme: str
    province: str  # appended to every task's place: "huyện Vũ Thư, tỉnh Thái Bình"
    tasks: tuple[TaskRow, ...]
    funding: dict[str, tuple[int, int, int]]  # million VND: (Ministry, province, counterpart)
    outputs: tuple[OutputRow, ...]
    reports: tuple[ReportRow, ...]
    submitter: str  # username of the department user who submits the progress reports
    # Where every task of the programme is carried out (a name of PROVINCES), whoever leads it,
    # and the communes of a few tasks (task code → commune text).
    place: str = ""
    communes: dict[str, str] = field(default_factory=dict)


# ILLUSTRATIVE: the reporting schedule of the Thái Bình programme. The department reports every six months,
# by the 15th of the last month of each period ("by 15/6 and 15/12"), reminded a week before. The application's
# calendar starts with the second half of 2019, when the Ministry began tracking the reports here: the periods
# the rule draws before it are not drawn, so that three remain, H2 2019, H1 2020 and H2 2020 (the final report).
#
# What the calendar then shows comes from the report dates (`THAI_BINH_REPORTS`), each submitted five days after
# its date: the reports as of 31/05/2020 were submitted on 05/06/2020, before the due date of 15/06/2020 and the
# review of 10/06/2020, on time; the year-end reports as of 31/12/2019 could only be written once the year was
# over, and were submitted on 05/01/2020, three weeks after the due date of 15/12/2019: late. The reports of the
# second half of 2020 were never recorded (the data stops at the review), so today they are overdue, like the
# four running tasks themselves. The calendar also counts as missing the reports of TB-2012-29 and TB-2012-30 for
# the second half of 2019, and those of the six tasks accepted between August 2019 and February 2020 for the
# period of their acceptance (a task owes one up to it): their acceptance record is all the demo has of them.
THAI_BINH_SCHEDULE = ScheduleRow(
    frequency=ReportingFrequency.HALF_YEARLY,
    due_day=15,
    due_months_after=0,
    reminder_days_before=7,
    tracked_from=datetime.date(2019, 7, 1),
)

# ILLUSTRATIVE: the dates by which the recommendations of the review are due; the article gives none. Those that
# feed the resolutions of the provincial Party Congress (held in October 2020) are due by the end of the third
# quarter; the others by the end of 2020, the last year of the programme's orientation, when the next phase
# was to be signed.
END_OF_Q3_2020 = datetime.date(2020, 9, 30)
END_OF_2020 = datetime.date(2020, 12, 31)

# fmt: off
# The tables below are laid out by hand so that they read as tables.

# Successors and parents come before the agencies that point to them.
AGENCIES = (
    # The Ministry and its units
    AgencyRow("bo", "Bộ Khoa học và Công nghệ", "Bộ KH&CN", MINISTRY, document_code="BKHCN"),
    AgencyRow("bo_tttt", "Bộ Thông tin và Truyền thông", "Bộ TT&TT", MINISTRY,
              valid_to=LAST_DAY_BEFORE_MINISTRY_MERGER, successor="bo"),
    AgencyRow("vu_dp", "Vụ Phát triển khoa học và công nghệ địa phương", "Vụ Phát triển KH&CN địa phương", UNIT,
              parent="bo", document_code="PTĐP"),
    AgencyRow("vp_ntmn", "Văn phòng Chương trình Nông thôn miền núi", "Văn phòng Chương trình NTMN", UNIT,
              parent="bo"),
    AgencyRow("vien_udcn", "Viện Ứng dụng công nghệ", "Viện ƯDCN", INSTITUTE, parent="bo"),
    AgencyRow("vien_cl", "Viện Chiến lược và Chính sách khoa học và công nghệ", "Viện CL&CS KH&CN", INSTITUTE,
              parent="bo"),
    # Hưng Yên and Ninh Bình, who carry on after 1/7/2025
    AgencyRow("ubnd_hy", "Ủy ban nhân dân tỉnh Hưng Yên", "UBND tỉnh Hưng Yên", PEOPLE_COMMITTEE, "Hưng Yên"),
    AgencyRow("tu_hy", "Tỉnh ủy Hưng Yên", "Tỉnh ủy Hưng Yên", PARTY_COMMITTEE, "Hưng Yên"),
    AgencyRow("so_hy", "Sở Khoa học và Công nghệ tỉnh Hưng Yên", "Sở KH&CN Hưng Yên", DEPARTMENT, "Hưng Yên",
              parent="ubnd_hy"),
    AgencyRow("ubnd_nb", "Ủy ban nhân dân tỉnh Ninh Bình", "UBND tỉnh Ninh Bình", PEOPLE_COMMITTEE, "Ninh Bình"),
    AgencyRow("tu_nb", "Tỉnh ủy Ninh Bình", "Tỉnh ủy Ninh Bình", PARTY_COMMITTEE, "Ninh Bình"),
    AgencyRow("so_nb", "Sở Khoa học và Công nghệ tỉnh Ninh Bình", "Sở KH&CN Ninh Bình", DEPARTMENT, "Ninh Bình",
              parent="ubnd_nb"),
    # Thái Bình, as the programme was signed and reviewed
    AgencyRow("ubnd_tb", "Ủy ban nhân dân tỉnh Thái Bình", "UBND tỉnh Thái Bình", PEOPLE_COMMITTEE, "Thái Bình",
              valid_to=LAST_DAY_BEFORE_PROVINCE_MERGER, successor="ubnd_hy"),
    AgencyRow("tu_tb", "Tỉnh ủy Thái Bình", "Tỉnh ủy Thái Bình", PARTY_COMMITTEE, "Thái Bình",
              valid_to=LAST_DAY_BEFORE_PROVINCE_MERGER, successor="tu_hy"),
    AgencyRow("so_tb", "Sở Khoa học và Công nghệ tỉnh Thái Bình", "Sở KH&CN Thái Bình", DEPARTMENT, "Thái Bình",
              parent="ubnd_tb", valid_to=LAST_DAY_BEFORE_PROVINCE_MERGER, successor="so_hy"),
    # Nam Định
    AgencyRow("ubnd_nd", "Ủy ban nhân dân tỉnh Nam Định", "UBND tỉnh Nam Định", PEOPLE_COMMITTEE, "Nam Định",
              valid_to=LAST_DAY_BEFORE_PROVINCE_MERGER, successor="ubnd_nb"),
    AgencyRow("tu_nd", "Tỉnh ủy Nam Định", "Tỉnh ủy Nam Định", PARTY_COMMITTEE, "Nam Định",
              valid_to=LAST_DAY_BEFORE_PROVINCE_MERGER, successor="tu_nb"),
    AgencyRow("so_nd", "Sở Khoa học và Công nghệ tỉnh Nam Định", "Sở KH&CN Nam Định", DEPARTMENT, "Nam Định",
              parent="ubnd_nd", valid_to=LAST_DAY_BEFORE_PROVINCE_MERGER, successor="so_nb"),
    # Lead agencies of the tasks (illustrative choice of who led what)
    AgencyRow("seed", "Công ty Cổ phần Tập đoàn ThaiBinh Seed", "ThaiBinh Seed", ENTERPRISE, "Thái Bình"),
    AgencyRow("ttud_tb", "Trung tâm Ứng dụng tiến bộ khoa học và công nghệ Thái Bình",
              "Trung tâm Ứng dụng tiến bộ KH&CN Thái Bình", INSTITUTE, "Thái Bình", parent="so_tb"),
    AgencyRow("chicuc_tb", "Chi cục Tiêu chuẩn Đo lường Chất lượng Thái Bình", "Chi cục TCĐLCL Thái Bình",
              OTHER_AGENCY, "Thái Bình", parent="so_tb"),
    AgencyRow("dh_tb", "Trường Đại học Thái Bình", "Trường ĐH Thái Bình", UNIVERSITY, "Thái Bình"),
    AgencyRow("dhyd_tb", "Trường Đại học Y Dược Thái Bình", "Trường ĐH Y Dược Thái Bình", UNIVERSITY, "Thái Bình"),
    AgencyRow("bv_tb", "Bệnh viện Đa khoa tỉnh Thái Bình", "BVĐK tỉnh Thái Bình", OTHER_AGENCY, "Thái Bình"),
    AgencyRow("htx_hp", "Hợp tác xã Dịch vụ nông nghiệp Hồng Phong", "HTX DVNN Hồng Phong", COOPERATIVE,
              "Thái Bình"),
    AgencyRow("htx_dl", "Hợp tác xã Nuôi trồng thủy sản Đông Long", "HTX NTTS Đông Long", COOPERATIVE, "Thái Bình"),
    AgencyRow("ttud_nd", "Trung tâm Ứng dụng tiến bộ khoa học và công nghệ Nam Định",
              "Trung tâm Ứng dụng tiến bộ KH&CN Nam Định", INSTITUTE, "Nam Định", parent="so_nd"),
    AgencyRow("dhdd_nd", "Trường Đại học Điều dưỡng Nam Định", "Trường ĐH Điều dưỡng Nam Định", UNIVERSITY,
              "Nam Định"),
)

PEOPLE = (
    # The four officials named in the article, with their positions as it gives them
    PersonRow("chu_ngoc_anh", "Chu Ngọc Anh",
              "Ủy viên Ban Chấp hành Trung ương Đảng, Bộ trưởng Bộ Khoa học và Công nghệ", "bo"),
    PersonRow("ngo_dong_hai", "Ngô Đông Hải",
              "Ủy viên dự khuyết Ban Chấp hành Trung ương Đảng, Bí thư Tỉnh ủy Thái Bình", "tu_tb"),
    PersonRow("dang_trong_thang", "Đặng Trọng Thăng", "Chủ tịch Ủy ban nhân dân tỉnh Thái Bình", "ubnd_tb"),
    PersonRow("tran_thi_bich_hang", "Trần Thị Bích Hằng", "Giám đốc Sở Khoa học và Công nghệ tỉnh Thái Bình",
              "so_tb"),
    # The leader who signs the demo's review document (illustrative: the demo's leadership login)
    PersonRow("do_quang_vinh", "Đỗ Quang Vinh", "Thứ trưởng", "bo"),
    # Principal investigators (illustrative)
    PersonRow("minh", "Phạm Văn Minh", "Kỹ sư nông nghiệp", "seed"),
    PersonRow("ha", "Nguyễn Thị Thu Hà", "Phó Giám đốc Trung tâm", "ttud_tb"),
    PersonRow("toan", "Vũ Đức Toàn", "Trưởng phòng Chuyển giao công nghệ", "ttud_tb"),
    PersonRow("lan", "Đỗ Thị Lan", "Giảng viên chính", "dh_tb"),
    PersonRow("huong", "Lê Thị Hương", "Giảng viên", "dhyd_tb"),
    PersonRow("tuan", "Hoàng Văn Tuấn", "Bác sĩ chuyên khoa II", "bv_tb"),
    PersonRow("huy", "Bùi Quang Huy", "Nghiên cứu viên chính", "vien_udcn"),
    PersonRow("duc", "Nguyễn Minh Đức", "Nghiên cứu viên", "vien_cl"),
    PersonRow("nga", "Đinh Thị Nga", "Trưởng phòng Quản lý công nghệ", "so_tb"),
    PersonRow("viet", "Phạm Quốc Việt", "Trưởng phòng Quản lý tiêu chuẩn chất lượng", "chicuc_tb"),
    PersonRow("hoa", "Nguyễn Văn Hòa", "Giám đốc Hợp tác xã", "htx_hp"),
    PersonRow("khoa", "Trần Văn Khoa", "Giám đốc Hợp tác xã", "htx_dl"),
    PersonRow("son", "Trần Văn Sơn", "Phó Giám đốc Trung tâm", "ttud_nd"),
    PersonRow("thuy", "Phạm Thị Thủy", "Giảng viên chính", "dhdd_nd"),
)

PROGRAMMES = (
    ProgrammeRow(
        NTMN_1,
        "Chương trình hỗ trợ ứng dụng và chuyển giao tiến bộ khoa học và công nghệ phục vụ phát triển "
        "kinh tế - xã hội nông thôn và miền núi giai đoạn 2011-2015",
        ProgrammeKind.NATIONAL, 2011, 2015, None, ProgrammeStatus.COMPLETED,
        "Hỗ trợ ứng dụng và chuyển giao tiến bộ khoa học và công nghệ phục vụ phát triển kinh tế - xã hội "
        "nông thôn và miền núi.",
        "Quyết định số 1831/QĐ-TTg ngày 01/10/2010 của Thủ tướng Chính phủ.",
        (PartyRow("bo", PartyRole.MINISTRY_SIDE), PartyRow("vp_ntmn", PartyRole.COORDINATOR)),
    ),
    ProgrammeRow(
        NTMN_2,
        "Chương trình hỗ trợ ứng dụng, chuyển giao tiến bộ khoa học và công nghệ thúc đẩy phát triển "
        "kinh tế - xã hội nông thôn, miền núi, vùng dân tộc thiểu số giai đoạn 2016-2025",
        ProgrammeKind.NATIONAL, 2016, 2025, None, ProgrammeStatus.ACTIVE,
        "Hỗ trợ ứng dụng, chuyển giao tiến bộ khoa học và công nghệ thúc đẩy phát triển kinh tế - xã hội "
        "nông thôn, miền núi, vùng dân tộc thiểu số.",
        "Quyết định số 1747/QĐ-TTg ngày 13/10/2015 của Thủ tướng Chính phủ.",
        (PartyRow("bo", PartyRole.MINISTRY_SIDE), PartyRow("vp_ntmn", PartyRole.COORDINATOR)),
        previous_phase=NTMN_1,
    ),
    ProgrammeRow(
        THAI_BINH,
        "Chương trình phối hợp hoạt động giữa Bộ Khoa học và Công nghệ và Ủy ban nhân dân tỉnh Thái Bình "
        "giai đoạn 2012-2015 và định hướng đến năm 2020",
        # Active, as it stood at the review of 10/6/2020 (a mid-term review, "sơ kết", with four tasks running):
        # nothing later is recorded, so from 2021 it shows as overdue, its four tasks too.
        ProgrammeKind.COOPERATION, 2012, 2015, 2020, ProgrammeStatus.ACTIVE,
        "Đưa khoa học và công nghệ trở thành động lực của quá trình công nghiệp hóa, hiện đại hóa đất nước "
        "theo tinh thần Nghị quyết Đại hội Đại biểu toàn quốc của Đảng lần thứ XI và Nghị quyết Đại hội "
        "Đảng bộ tỉnh Thái Bình nhiệm kỳ 2010-2015 và nhiệm kỳ 2015-2020.",
        "Nghị quyết Đại hội Đại biểu toàn quốc lần thứ XI của Đảng;\n"
        "Nghị quyết Đại hội Đảng bộ tỉnh Thái Bình nhiệm kỳ 2010-2015 và nhiệm kỳ 2015-2020.",
        (
            PartyRow("bo", PartyRole.MINISTRY_SIDE, "chu_ngoc_anh"),
            PartyRow("ubnd_tb", PartyRole.PROVINCE_SIDE, "dang_trong_thang"),
            PartyRow("so_tb", PartyRole.COORDINATOR, "tran_thi_bich_hang"),
        ),
        schedule=THAI_BINH_SCHEDULE,
        # Its review was reported in the press: the Ministry has it on the public pages (/public/).
        published=True,
    ),
    ProgrammeRow(
        NAM_DINH,
        "Chương trình phối hợp hoạt động giữa Bộ Khoa học và Công nghệ và Ủy ban nhân dân tỉnh Nam Định "
        "giai đoạn 2016-2020",
        ProgrammeKind.COOPERATION, 2016, 2020, None, ProgrammeStatus.ACTIVE,
        "Đẩy mạnh ứng dụng tiến bộ khoa học và công nghệ phục vụ phát triển kinh tế - xã hội tỉnh Nam Định. "
        "(Chương trình minh họa của bộ dữ liệu trình diễn.)",
        "",
        (
            PartyRow("bo", PartyRole.MINISTRY_SIDE),
            PartyRow("ubnd_nd", PartyRole.PROVINCE_SIDE),
            PartyRow("so_nd", PartyRole.COORDINATOR),
        ),
        targets=(
            TargetRow(TargetMetric.TASKS, 5),
            TargetRow(TargetMetric.MINISTRY_FUNDING, 15_000 * MILLION),
            TargetRow(TargetMetric.MODEL, 8),
            TargetRow(TargetMetric.TECHNOLOGY, 4),
        ),
    ),
)

THAI_BINH_TASKS = (
    # code        field level lead      investigator start      end        status through place
    #   title
    TaskRow("TB-2012-01", AGRI, NAT, "seed", "minh", "2013-01", "2015-12", DONE, NTMN_1, "huyện Vũ Thư",
            "Ứng dụng tiến bộ KH&CN xây dựng mô hình sản xuất và phát triển giống lúa thuần chất lượng cao TBR225"),
    TaskRow("TB-2012-02", AGRI, NAT, "ttud_tb", "ha", "2012-06", "2014-12", DONE, NTMN_1, "huyện Kiến Xương",
            "Ứng dụng tiến bộ KH&CN xây dựng mô hình sản xuất nấm ăn và nấm dược liệu theo hướng hàng hóa"),
    TaskRow("TB-2012-03", AGRI, NAT, "htx_dl", "khoa", "2012-09", "2015-06", DONE, NTMN_1, "huyện Tiền Hải",
            "Xây dựng mô hình sản xuất giống và nuôi ngao thương phẩm vùng ven biển huyện Tiền Hải"),
    TaskRow("TB-2012-04", AGRI, NAT, "ttud_tb", "toan", "2013-03", "2015-12", ACPT, NTMN_1, "huyện Quỳnh Phụ",
            "Xây dựng mô hình chăn nuôi lợn an toàn sinh học sử dụng đệm lót sinh học xử lý chất thải"),
    TaskRow("TB-2012-05", AGRI, MIN, "htx_hp", "hoa", "2014-01", "2016-06", DONE, None, "huyện Vũ Thư",
            "Xây dựng mô hình sản xuất rau an toàn theo tiêu chuẩn VietGAP trong nhà lưới tại huyện Vũ Thư"),
    TaskRow("TB-2012-06", AGRI, MIN, "ttud_tb", "toan", "2014-04", "2016-12", DONE, None, "huyện Đông Hưng",
            "Ứng dụng cơ giới hóa đồng bộ trong sản xuất lúa (gieo mạ khay, cấy máy) tại huyện Đông Hưng"),
    TaskRow("TB-2012-07", AGRI, MIN, "ttud_tb", "ha", "2015-01", "2017-06", ACPT, None, "huyện Thái Thụy",
            "Xây dựng mô hình sản xuất cây vụ đông (khoai tây, ngô ngọt) trên đất hai lúa tại huyện Thái Thụy"),
    TaskRow("TB-2012-08", AGRI, MIN, "dh_tb", "lan", "2015-06", "2017-12", DONE, None, "huyện Hưng Hà",
            "Ứng dụng chế phẩm vi sinh xử lý rơm rạ sau thu hoạch làm phân bón hữu cơ tại huyện Hưng Hà"),
    TaskRow("TB-2012-09", AGRI, NAT, "ttud_tb", "ha", "2016-03", "2018-12", DONE, NTMN_2, "huyện Thái Thụy",
            "Xây dựng mô hình nuôi tôm thẻ chân trắng thâm canh ứng dụng công nghệ tuần hoàn nước"),
    TaskRow("TB-2012-10", AGRI, NAT, "dhyd_tb", "huong", "2016-06", "2019-06", ACPT, NTMN_2, "huyện Quỳnh Phụ",
            "Ứng dụng tiến bộ KH&CN phát triển vùng trồng cây dược liệu (hòe, cúc hoa) theo hướng GACP-WHO"),
    TaskRow("TB-2012-11", AGRI, NAT, "seed", "minh", "2017-01", "2019-12", DONE, NTMN_2, "huyện Kiến Xương",
            "Xây dựng mô hình sản xuất lúa hữu cơ gắn với liên kết tiêu thụ sản phẩm tại huyện Kiến Xương"),
    TaskRow("TB-2012-12", AGRI, MIN, "dh_tb", "lan", "2017-06", "2019-12", ACPT, None, "thành phố Thái Bình",
            "Ứng dụng công nghệ nhà màng sản xuất dưa lưới và cà chua chất lượng cao"),
    TaskRow("TB-2012-13", AGRI, NAT, "ttud_tb", "toan", "2016-01", "2018-06", DONE, NTMN_2, "huyện Đông Hưng",
            "Xây dựng mô hình chăn nuôi gà lông màu an toàn sinh học theo chuỗi giá trị"),
    TaskRow("TB-2012-14", AGRI, MIN, "seed", "minh", "2018-03", "2020-12", WIP, None, "huyện Vũ Thư",
            "Ứng dụng công nghệ sấy, bảo quản và đóng gói thóc giống, gạo chất lượng cao sau thu hoạch"),
    TaskRow("TB-2012-15", AGRI, NAT, "ttud_tb", "ha", "2016-09", "2019-03", DONE, NTMN_2, "huyện Thái Thụy",
            "Ứng dụng tiến bộ KH&CN phát triển vùng nguyên liệu cói gắn với sơ chế và dệt chiếu"),
    TaskRow("TB-2012-16", INDU, MIN, "so_tb", "nga", "2013-01", "2014-12", DONE, None, "huyện Kiến Xương",
            "Tạo lập, quản lý và phát triển nhãn hiệu tập thể Chạm bạc Đồng Xâm và Dệt đũi Nam Cao"),
    TaskRow("TB-2012-17", INDU, MIN, "so_tb", "nga", "2014-06", "2016-06", DONE, None, "các huyện Hưng Hà, Đông Hưng",
            "Tạo lập, quản lý và phát triển nhãn hiệu tập thể Chiếu cói Hới và Bánh cáy làng Nguyễn"),
    TaskRow("TB-2012-18", AGRI, MIN, "ttud_tb", "ha", "2016-01", "2017-12", ACPT, None, "các huyện Vũ Thư, Tiền Hải",
            "Tạo lập, quản lý và phát triển nhãn hiệu cho sản phẩm nông nghiệp chủ lực của tỉnh (gạo, ngao)"),
    TaskRow("TB-2012-19", INDU, MIN, "vien_udcn", "huy", "2013-06", "2015-12", DONE, None, "huyện Tiền Hải",
            "Ứng dụng công nghệ sản xuất gạch không nung từ tro xỉ và phế thải xây dựng"),
    TaskRow("TB-2012-20", INDU, MIN, "chicuc_tb", "viet", "2016-01", "2018-06", DONE, None, "thành phố Thái Bình",
            "Hỗ trợ doanh nghiệp áp dụng hệ thống quản lý và công cụ cải tiến năng suất chất lượng"),
    TaskRow("TB-2012-21", INDU, MIN, "vien_udcn", "huy", "2017-01", "2019-06", DONE, None, "thành phố Thái Bình",
            "Ứng dụng công nghệ tự động hóa trong chế biến và đóng gói thực phẩm tại doanh nghiệp nhỏ và vừa"),
    TaskRow("TB-2012-22", ENVI, MIN, "vien_udcn", "huy", "2014-01", "2016-06", DONE, None, "huyện Hưng Hà",
            "Ứng dụng công nghệ xử lý nước thải làng nghề chế biến nông sản tại huyện Hưng Hà"),
    TaskRow("TB-2012-23", ENVI, MIN, "ttud_tb", "toan", "2015-03", "2017-09", ACPT, None, "huyện Kiến Xương",
            "Ứng dụng công nghệ xử lý rác thải sinh hoạt nông thôn quy mô liên xã tại huyện Kiến Xương"),
    TaskRow("TB-2012-24", ENVI, NAT, "dh_tb", "lan", "2017-03", "2019-09", DONE, NTMN_2, "huyện Thái Thụy",
            "Ứng dụng công nghệ lọc nước sạch cho vùng ven biển nhiễm mặn huyện Thái Thụy"),
    TaskRow("TB-2012-25", HEAL, MIN, "bv_tb", "tuan", "2014-01", "2016-12", DONE, None, "thành phố Thái Bình",
            "Ứng dụng kỹ thuật can thiệp mạch vành qua da trong điều trị nhồi máu cơ tim cấp"),
    TaskRow("TB-2012-26", HEAL, MIN, "dhyd_tb", "huong", "2015-01", "2017-06", ACPT, None, "huyện Quỳnh Phụ",
            "Nghiên cứu giải pháp can thiệp dự phòng bệnh đái tháo đường ở người cao tuổi tại cộng đồng"),
    TaskRow("TB-2012-27", HEAL, MIN, "dhyd_tb", "huong", "2016-06", "2019-06", DONE, None, "thành phố Thái Bình",
            "Ứng dụng kỹ thuật sinh học phân tử trong chẩn đoán sớm một số bệnh ung thư thường gặp"),
    TaskRow("TB-2012-28", ICT, MIN, "so_tb", "nga", "2019-01", "2020-12", WIP, None, "thành phố Thái Bình",
            "Xây dựng hệ thống thông tin và cơ sở dữ liệu quản lý nhiệm vụ KH&CN tỉnh Thái Bình"),
    TaskRow("TB-2012-29", ICT, MIN, "dh_tb", "lan", "2018-07", "2020-12", WIP, None, "các huyện Tiền Hải, Kiến Xương",
            "Ứng dụng công nghệ GIS và ảnh viễn thám trong quản lý đất sản xuất nông nghiệp"),
    TaskRow("TB-2012-30", SOCI, MIN, "vien_cl", "duc", "2019-04", "2020-12", WIP, None, "",
            "Nghiên cứu cơ chế, chính sách thúc đẩy đổi mới sáng tạo và hỗ trợ doanh nghiệp đổi mới công nghệ"),
)

# Million VND per task: (Ministry, province, counterpart). The Ministry's column adds up to
# 97 600 million, the article's "gần trăm tỷ đồng"; each amount is split evenly over the task's years.
THAI_BINH_FUNDING = {
    "TB-2012-01": (6_500, 1_000, 3_000),
    "TB-2012-02": (3_800,   600,   900),
    "TB-2012-03": (4_200,   500, 1_800),
    "TB-2012-04": (3_500,   500, 1_200),
    "TB-2012-05": (2_900,   400, 1_000),
    "TB-2012-06": (3_600,   700, 1_500),
    "TB-2012-07": (2_800,   500,   600),
    "TB-2012-08": (3_200,   400,   300),
    "TB-2012-09": (4_500,   600, 2_200),
    "TB-2012-10": (3_900,   500,   800),
    "TB-2012-11": (3_700,   600, 2_000),
    "TB-2012-12": (3_400,   500, 1_500),
    "TB-2012-13": (3_300,   500, 1_100),
    "TB-2012-14": (3_500,   500, 2_500),
    "TB-2012-15": (2_600,   400,   700),
    "TB-2012-16": (2_100,   300,     0),
    "TB-2012-17": (2_100,   300,     0),
    "TB-2012-18": (2_400,   400,     0),
    "TB-2012-19": (3_600,   300, 2_500),
    "TB-2012-20": (2_500,   500, 1_000),
    "TB-2012-21": (3_100,   300, 2_000),
    "TB-2012-22": (3_800,   800,   500),
    "TB-2012-23": (3_300,   900,   400),
    "TB-2012-24": (3_400,   600,   300),
    "TB-2012-25": (2_900, 1_000,   500),
    "TB-2012-26": (2_200,   300,     0),
    "TB-2012-27": (3_500,   600,   200),
    "TB-2012-28": (3_000,   800,     0),
    "TB-2012-29": (2_800,   600,     0),
    "TB-2012-30": (1_500,   300,     0),
}

# Models add up to 53 ("hơn 50 mô hình"), technologies to 20, brands to 6, varieties to 1 (TBR225).
THAI_BINH_OUTPUTS = (
    OutputRow("TB-2012-01", VARIETY, 1, "2015-12-31", "Giống lúa TBR225",
              "Giống lúa thuần chất lượng cao TBR225 do Công ty Cổ phần Tập đoàn ThaiBinh Seed chọn tạo, "
              "phục vụ sản xuất trong và ngoài tỉnh Thái Bình.",
              # From the article: recognised as a national variety in 2015; it gives no decision number and no day.
              evidence=("Công nhận giống cây trồng quốc gia năm 2015 (bài viết không nêu số quyết định)",
                        "2015-12-31")),
    OutputRow("TB-2012-01", MODEL, 3, "2014-10-31",
              "Mô hình sản xuất hạt giống lúa TBR225 cấp nguyên chủng và xác nhận"),
    OutputRow("TB-2012-01", TECH, 1, "2015-06-30", "Công nghệ sản xuất hạt giống lúa thuần TBR225"),
    OutputRow("TB-2012-01", TRAINING, 6, "2014-05-31", "Tập huấn kỹ thuật thâm canh lúa TBR225 cho nông dân"),
    OutputRow("TB-2012-02", MODEL, 4, "2014-06-30", "Mô hình sản xuất nấm rơm, nấm sò và mộc nhĩ quy mô nông hộ"),
    OutputRow("TB-2012-02", TECH, 1, "2013-09-30", "Công nghệ sản xuất giống nấm cấp 1, cấp 2"),
    OutputRow("TB-2012-02", TECH, 1, "2014-03-31", "Công nghệ nuôi trồng nấm linh chi"),
    OutputRow("TB-2012-03", MODEL, 3, "2014-12-31", "Mô hình ương nuôi ngao giống và nuôi ngao thương phẩm"),
    OutputRow("TB-2012-03", TECH, 1, "2013-12-31", "Công nghệ sản xuất giống ngao nhân tạo"),
    OutputRow("TB-2012-03", TECH, 1, "2014-06-30", "Công nghệ ương ngao giống cấp 2 trong ao đất"),
    OutputRow("TB-2012-04", MODEL, 5, "2015-06-30", "Mô hình chăn nuôi lợn thịt trên đệm lót sinh học"),
    OutputRow("TB-2012-04", TECH, 1, "2014-06-30", "Công nghệ sản xuất chế phẩm vi sinh làm đệm lót chuồng nuôi"),
    OutputRow("TB-2012-04", PROCESS, 1, "2015-09-30", "Quy trình chăn nuôi lợn an toàn sinh học trên đệm lót"),
    OutputRow("TB-2012-05", MODEL, 4, "2015-12-31", "Mô hình sản xuất rau an toàn trong nhà lưới theo VietGAP"),
    OutputRow("TB-2012-05", TECH, 1, "2015-03-31", "Công nghệ tưới nhỏ giọt kết hợp bón phân cho rau trong nhà lưới"),
    OutputRow("TB-2012-06", MODEL, 3, "2016-06-30", "Mô hình gieo mạ khay, cấy máy trên cánh đồng mẫu lớn"),
    OutputRow("TB-2012-06", TECH, 1, "2015-09-30", "Công nghệ gieo mạ khay phục vụ cấy máy"),
    OutputRow("TB-2012-07", MODEL, 4, "2016-12-31", "Mô hình trồng khoai tây và ngô ngọt vụ đông trên đất hai lúa"),
    OutputRow("TB-2012-07", TRAINING, 4, "2015-10-31", "Tập huấn kỹ thuật trồng cây vụ đông"),
    OutputRow("TB-2012-08", MODEL, 3, "2017-06-30", "Mô hình xử lý rơm rạ tại ruộng bằng chế phẩm vi sinh"),
    OutputRow("TB-2012-08", TECH, 1, "2016-09-30", "Công nghệ sản xuất chế phẩm vi sinh phân giải rơm rạ"),
    OutputRow("TB-2012-09", MODEL, 2, "2018-06-30", "Mô hình nuôi tôm thẻ chân trắng thâm canh tuần hoàn nước"),
    OutputRow("TB-2012-09", TECH, 1, "2017-09-30", "Công nghệ nuôi tôm thẻ chân trắng tuần hoàn nước ít thay nước"),
    OutputRow("TB-2012-10", MODEL, 3, "2018-12-31", "Mô hình trồng hòe và cúc hoa theo hướng GACP-WHO"),
    OutputRow("TB-2012-10", TECH, 1, "2018-06-30", "Công nghệ sơ chế, sấy và bảo quản dược liệu sau thu hoạch"),
    OutputRow("TB-2012-11", MODEL, 4, "2019-06-30", "Mô hình sản xuất lúa hữu cơ liên kết tiêu thụ sản phẩm"),
    OutputRow("TB-2012-11", TECH, 1, "2018-06-30", "Công nghệ canh tác lúa hữu cơ"),
    OutputRow("TB-2012-12", MODEL, 3, "2019-06-30", "Mô hình trồng dưa lưới và cà chua trong nhà màng"),
    OutputRow("TB-2012-12", TECH, 1, "2018-09-30", "Công nghệ nhà màng điều khiển tưới và dinh dưỡng tự động"),
    OutputRow("TB-2012-13", MODEL, 3, "2017-12-31", "Mô hình chăn nuôi gà lông màu an toàn sinh học"),
    OutputRow("TB-2012-13", TECH, 1, "2017-03-31", "Công nghệ ấp trứng và úm gà con quy mô nông hộ"),
    OutputRow("TB-2012-14", MODEL, 2, "2019-12-31", "Mô hình sấy và bảo quản thóc giống, gạo chất lượng cao"),
    OutputRow("TB-2012-15", MODEL, 2, "2018-09-30", "Mô hình trồng cói năng suất cao gắn với sơ chế"),
    OutputRow("TB-2012-15", TRAINING, 5, "2017-12-31", "Tập huấn kỹ thuật trồng, sơ chế cói và dệt chiếu"),
    OutputRow("TB-2012-16", BRAND, 1, "2014-09-30", 'Nhãn hiệu tập thể "Chạm bạc Đồng Xâm"',
              "Sản phẩm thủ công truyền thống của làng nghề chạm bạc Đồng Xâm."),
    OutputRow("TB-2012-16", BRAND, 1, "2014-11-30", 'Nhãn hiệu tập thể "Dệt đũi Nam Cao"',
              "Sản phẩm thủ công truyền thống của làng nghề dệt đũi Nam Cao."),
    OutputRow("TB-2012-17", BRAND, 1, "2016-03-31", 'Nhãn hiệu tập thể "Chiếu cói Hới"',
              "Sản phẩm thủ công truyền thống của làng nghề chiếu cói Hới."),
    OutputRow("TB-2012-17", BRAND, 1, "2016-05-31", 'Nhãn hiệu tập thể "Bánh cáy làng Nguyễn"',
              "Đặc sản truyền thống của làng Nguyễn."),
    OutputRow("TB-2012-18", BRAND, 1, "2017-09-30", 'Nhãn hiệu chứng nhận "Gạo Thái Bình"',
              "Sản phẩm nông nghiệp chủ lực của tỉnh."),
    OutputRow("TB-2012-18", BRAND, 1, "2017-11-30", 'Nhãn hiệu tập thể "Ngao Tiền Hải"',
              "Sản phẩm thủy sản chủ lực vùng ven biển của tỉnh."),
    OutputRow("TB-2012-19", TECH, 1, "2014-12-31", "Công nghệ sản xuất gạch không nung từ tro xỉ"),
    OutputRow("TB-2012-19", TECH, 1, "2015-09-30", "Công nghệ ép gạch block bê tông tự động"),
    OutputRow("TB-2012-20", OTHER_OUTPUT, 12, "2018-03-31", "Doanh nghiệp áp dụng hệ thống quản lý chất lượng ISO 9001",
              unit="doanh nghiệp"),
    OutputRow("TB-2012-20", TRAINING, 3, "2017-06-30", "Đào tạo chuyên gia năng suất chất lượng"),
    OutputRow("TB-2012-21", TECH, 1, "2018-12-31",
              "Công nghệ điều khiển tự động dây chuyền thanh trùng, đóng gói thực phẩm"),
    OutputRow("TB-2012-22", TECH, 1, "2015-12-31",
              "Công nghệ xử lý nước thải làng nghề bằng bể sinh học kết hợp bãi lọc trồng cây"),
    OutputRow("TB-2012-22", MODEL, 1, "2016-03-31", "Mô hình xử lý nước thải tập trung cho cụm dân cư làng nghề"),
    OutputRow("TB-2012-23", TECH, 1, "2016-09-30", "Công nghệ phân loại rác tại nguồn và ủ phân compost từ rác hữu cơ"),
    OutputRow("TB-2012-23", MODEL, 2, "2017-06-30", "Mô hình thu gom, phân loại rác thải sinh hoạt tại nguồn"),
    OutputRow("TB-2012-24", MODEL, 2, "2019-03-31",
              "Mô hình cấp nước sạch quy mô thôn bằng công nghệ lọc thẩm thấu ngược"),
    OutputRow("TB-2012-25", TECH, 1, "2015-12-31", "Kỹ thuật can thiệp mạch vành qua da"),
    OutputRow("TB-2012-25", TRAINING, 2, "2015-06-30", "Đào tạo kíp bác sĩ, điều dưỡng can thiệp tim mạch",
              unit="khóa"),
    OutputRow("TB-2012-26", PROCESS, 1, "2016-12-31",
              "Quy trình sàng lọc và quản lý bệnh đái tháo đường tại trạm y tế xã"),
    OutputRow("TB-2012-26", PUBLICATION, 3, "2017-03-31", "Bài báo khoa học trên tạp chí y học trong nước"),
    OutputRow("TB-2012-27", PROCESS, 2, "2018-06-30", "Quy trình xét nghiệm phát hiện đột biến gen bằng kỹ thuật PCR"),
    OutputRow("TB-2012-27", PUBLICATION, 2, "2019-03-31", "Bài báo khoa học về chẩn đoán sớm ung thư"),
    OutputRow("TB-2012-28", OTHER_OUTPUT, 1, "2020-03-31", "Phần mềm quản lý nhiệm vụ KH&CN (bản thử nghiệm)",
              unit="phần mềm"),
    OutputRow("TB-2012-29", OTHER_OUTPUT, 2, "2020-02-29", "Cơ sở dữ liệu GIS đất sản xuất nông nghiệp cấp huyện",
              unit="cơ sở dữ liệu"),
    OutputRow("TB-2012-30", PUBLICATION, 1, "2020-03-31",
              "Báo cáo chuyên đề về thực trạng đổi mới công nghệ của doanh nghiệp", unit="báo cáo"),
)

THAI_BINH_REPORTS = (
    ReportRow("TB-2012-14", "2019-12-31", 60, "Đã lắp đặt hệ thống sấy thóc giống; hoàn thành 2 mô hình bảo quản.",
              next_steps="Hoàn thiện dây chuyền đóng gói gạo."),
    ReportRow("TB-2012-14", "2020-05-31", 75, "Đang chạy thử dây chuyền đóng gói gạo chất lượng cao.",
              problems="Dịch COVID-19 làm chậm việc nhập thiết bị.", next_steps="Vận hành thử và đánh giá chất lượng."),
    ReportRow("TB-2012-28", "2019-12-31", 35, "Đã khảo sát yêu cầu và thiết kế cơ sở dữ liệu nhiệm vụ KH&CN.",
              next_steps="Xây dựng phần mềm bản thử nghiệm."),
    ReportRow("TB-2012-28", "2020-05-31", 55, "Đã có phần mềm bản thử nghiệm; đang nhập dữ liệu nhiệm vụ các năm.",
              next_steps="Tập huấn người dùng tại Sở và các đơn vị."),
    ReportRow("TB-2012-29", "2020-05-31", 70, "Đã xây dựng cơ sở dữ liệu GIS cho 2 huyện thí điểm.",
              next_steps="Chuẩn hóa dữ liệu và chuyển giao cho địa phương."),
    ReportRow("TB-2012-30", "2020-05-31", 50, "Đã hoàn thành điều tra doanh nghiệp và báo cáo chuyên đề thực trạng.",
              problems="Tỷ lệ doanh nghiệp trả lời phiếu điều tra còn thấp.", next_steps="Đề xuất cơ chế, chính sách."),
)

# ILLUSTRATIVE: the communes where a few tasks are carried out (the article names no task). Three of
# them are led by Thái Bình agencies, one (TB-2012-22) by a Hà Nội institute; all are in Thái Bình.
THAI_BINH_COMMUNES = {
    "TB-2012-01": "xã Vũ Hội, huyện Vũ Thư",
    "TB-2012-03": "xã Đông Long, huyện Tiền Hải",
    "TB-2012-16": "xã Hồng Thái và xã Nam Cao, huyện Kiến Xương",
    "TB-2012-22": "xã Thái Phương, huyện Hưng Hà",
}

NAM_DINH_TASKS = (
    TaskRow("ND-2016-01", AGRI, NAT, "ttud_nd", "son", "2016-03", "2018-12", DONE, NTMN_2, "huyện Giao Thủy",
            "Ứng dụng tiến bộ KH&CN xây dựng mô hình sản xuất ngao giống tại huyện Giao Thủy"),
    TaskRow("ND-2016-02", AGRI, MIN, "ttud_nd", "son", "2016-06", "2018-12", ACPT, None, "huyện Hải Hậu",
            "Xây dựng mô hình sản xuất lúa giống chất lượng cao tại huyện Hải Hậu"),
    TaskRow("ND-2016-03", ENVI, MIN, "ttud_nd", "son", "2017-01", "2019-06", DONE, None, "huyện Ý Yên",
            "Ứng dụng công nghệ xử lý nước thải làng nghề cơ khí tại huyện Ý Yên"),
    TaskRow("ND-2016-04", HEAL, MIN, "dhdd_nd", "thuy", "2017-06", "2019-12", DONE, None, "thành phố Nam Định",
            "Ứng dụng mô hình chăm sóc sức khỏe người cao tuổi dựa vào cộng đồng"),
    TaskRow("ND-2016-05", ICT, MIN, "ttud_nd", "son", "2019-03", "2020-12", WIP, None, "thành phố Nam Định",
            "Xây dựng cơ sở dữ liệu và hệ thống thông tin KH&CN tỉnh Nam Định"),
)

NAM_DINH_FUNDING = {
    "ND-2016-01": (3_500, 500, 1_200),
    "ND-2016-02": (3_200, 400, 1_000),
    "ND-2016-03": (3_000, 600,   300),
    "ND-2016-04": (2_500, 300,     0),
    "ND-2016-05": (2_000, 500,     0),
}

NAM_DINH_OUTPUTS = (
    OutputRow("ND-2016-01", MODEL, 3, "2018-06-30", "Mô hình sản xuất ngao giống"),
    OutputRow("ND-2016-01", TECH, 1, "2017-09-30", "Công nghệ sản xuất giống ngao nhân tạo quy mô hàng hóa"),
    OutputRow("ND-2016-02", MODEL, 2, "2018-06-30", "Mô hình sản xuất lúa giống cấp xác nhận"),
    OutputRow("ND-2016-02", TECH, 1, "2017-12-31", "Công nghệ sản xuất hạt giống lúa cấp xác nhận"),
    OutputRow("ND-2016-03", TECH, 1, "2018-12-31", "Công nghệ xử lý nước thải nhiễm dầu và kim loại nặng"),
    OutputRow("ND-2016-03", MODEL, 1, "2019-03-31", "Mô hình xử lý nước thải cho cụm cơ sở cơ khí"),
    OutputRow("ND-2016-04", MODEL, 2, "2019-06-30", "Mô hình câu lạc bộ chăm sóc sức khỏe người cao tuổi"),
    OutputRow("ND-2016-04", TRAINING, 4, "2018-12-31", "Tập huấn chăm sóc người cao tuổi cho cộng tác viên y tế"),
    OutputRow("ND-2016-05", OTHER_OUTPUT, 1, "2020-04-30", "Cơ sở dữ liệu KH&CN tỉnh Nam Định (bản thử nghiệm)",
              unit="cơ sở dữ liệu"),
)

NAM_DINH_REPORTS = (
    ReportRow("ND-2016-05", "2020-05-31", 45, "Đã thiết kế và nhập thử dữ liệu tổ chức, nhiệm vụ KH&CN.",
              next_steps="Hoàn thiện cổng thông tin KH&CN của tỉnh."),
)

TASK_PLANS = (
    TaskPlan(THAI_BINH, "tỉnh Thái Bình", THAI_BINH_TASKS, THAI_BINH_FUNDING, THAI_BINH_OUTPUTS, THAI_BINH_REPORTS,
             submitter="so.thaibinh", place="Thái Bình", communes=THAI_BINH_COMMUNES),
    TaskPlan(NAM_DINH, "tỉnh Nam Định", NAM_DINH_TASKS, NAM_DINH_FUNDING, NAM_DINH_OUTPUTS, NAM_DINH_REPORTS,
             submitter="so.namdinh", place="Nam Định"),
)
REVIEWER = "bo.chuyenvien"

REVIEW_MEETING = {
    "programme": THAI_BINH,
    "held_on": REVIEW_DAY,
    "kind": MeetingKind.PERIODIC_REVIEW,
    "place": "Hà Nội",
    "title": "Sơ kết thực hiện Chương trình phối hợp hoạt động giữa Bộ KH&CN và UBND tỉnh Thái Bình "
             "giai đoạn 2012-2015, định hướng đến năm 2020",
    "summary": (
        "Buổi làm việc (Hội nghị Sơ kết) giữa Bộ KH&CN và lãnh đạo tỉnh Thái Bình về thực hiện Chương trình "
        "phối hợp hoạt động giữa Bộ Khoa học và Công nghệ và Ủy ban nhân dân tỉnh Thái Bình giai đoạn 2012-2015 "
        "và định hướng đến năm 2020; tham dự có lãnh đạo tỉnh Thái Bình, lãnh đạo Bộ KH&CN và lãnh đạo các "
        "đơn vị chức năng của Bộ.\n\n"
        "Báo cáo cho thấy lãnh đạo Bộ KH&CN và lãnh đạo tỉnh Thái Bình đã phối hợp chặt chẽ trong lãnh đạo, "
        "chỉ đạo các cơ quan chức năng của hai bên triển khai thực hiện. Bộ đã hỗ trợ triển khai 30 nhiệm vụ "
        "KH&CN với tổng kinh phí hỗ trợ gần trăm tỷ đồng; thông qua các nhiệm vụ đã xây dựng được hơn 50 mô hình, "
        "chuyển giao 20 công nghệ mới, xây dựng 6 thương hiệu sản phẩm thủ công truyền thống và sản phẩm nông "
        "nghiệp của tỉnh, sản xuất được 01 giống lúa (TBR225) phục vụ sản xuất trong và ngoài tỉnh.\n\n"
        "Giám đốc Sở KH&CN Thái Bình báo cáo: các nhiệm vụ KH&CN tập trung vào những nhiệm vụ trọng tâm của tỉnh "
        "như phát triển công nghiệp, nông nghiệp, bảo vệ môi trường, chuyển dịch cơ cấu kinh tế theo hướng công "
        "nghiệp hóa, hiện đại hóa; tỉnh hỗ trợ các doanh nghiệp đổi mới công nghệ; các dự án thuộc chương trình "
        "Nông thôn miền núi đã tạo được điểm sáng về ứng dụng tiến bộ KH&CN vào sản xuất, góp phần xây dựng "
        "nông thôn mới."
    ),
    "conclusions": (
        "Bộ trưởng Chu Ngọc Anh chúc mừng những thành tựu kinh tế - xã hội của tỉnh Thái Bình và đánh giá cao sự "
        "tham gia của Sở KH&CN Thái Bình trong tham mưu cho Tỉnh và các cấp chính quyền.\n\n"
        "Sự hợp tác chưa tương xứng với tiềm năng và lợi thế của hai Bên; hai Bên cần đẩy mạnh hợp tác chặt chẽ "
        "trong thời gian tới để KH&CN thực sự đồng hành với các cấp, các ngành, gắn trực tiếp vào phát triển "
        "kinh tế - xã hội địa phương, đúng theo Kết luận số 50-KL/TW ngày 30/5/2019 của Ban Bí thư về tiếp tục "
        "thực hiện Nghị quyết Hội nghị Trung ương 6 khóa XI về phát triển KH&CN.\n\n"
        "Xác định hoạt động đổi mới sáng tạo, hỗ trợ doanh nghiệp đổi mới công nghệ là trung tâm của hoạt động "
        "KH&CN. Đối với các kiến nghị, đề xuất của tỉnh Thái Bình, Bộ KH&CN hoàn toàn ủng hộ và giao các đơn vị "
        "trực thuộc phối hợp chặt chẽ với cơ quan chuyên môn của tỉnh cùng chung tay thực hiện các nhiệm vụ "
        "KH&CN đáp ứng yêu cầu thực tế tại địa bàn."
    ),
}

REVIEW_ATTENDANCE = (
    ("chu_ngoc_anh", AttendanceRole.CHAIR),
    ("ngo_dong_hai", AttendanceRole.CO_CHAIR),
    ("tran_thi_bich_hang", AttendanceRole.REPORTER),
    ("dang_trong_thang", AttendanceRole.ATTENDEE),
)

OPEN = RecommendationStatus.OPEN
IN_PROGRESS = RecommendationStatus.IN_PROGRESS
# Each recommendation is addressed to the agency responsible for it, due by END_OF_Q3_2020 or END_OF_2020. Two
# were followed up at the review itself, as the article tells: the Chairman of the People's Committee agreed with
# the Ministry's proposals, and the Minister assigned the Ministry's units to work with the province's. Nothing
# later is recorded, so today every one of them is overdue.
REVIEW_RECOMMENDATIONS = (
    RecommendationRow("bo", "ubnd_tb", IN_PROGRESS, END_OF_2020,
                      "Hai Bên đẩy mạnh hợp tác chặt chẽ để KH&CN thực sự đồng hành với các cấp, các ngành, gắn trực "
                      "tiếp vào phát triển kinh tế - xã hội địa phương, đúng theo Kết luận số 50-KL/TW ngày 30/5/2019 "
                      "của Ban Bí thư.",
                      "Tại buổi làm việc, Chủ tịch UBND tỉnh Thái Bình Đặng Trọng Thăng nhất trí với các đề xuất, "
                      "kiến nghị của Bộ KH&CN; hoạt động KH&CN giữa hai Bên sẽ được phối hợp chặt chẽ hơn, đặc biệt "
                      "giữa các cơ quan chuyên môn.",
                      followed_up_by="so.thaibinh"),
    RecommendationRow("bo", "tu_tb", OPEN, END_OF_2020,
                      "Lãnh đạo tỉnh Thái Bình tiếp tục phối hợp, lãnh đạo, chỉ đạo hoạt động KH&CN trên địa bàn "
                      "tỉnh."),
    RecommendationRow("bo", "so_tb", OPEN, END_OF_Q3_2020,
                      "Sở KH&CN chủ động tham mưu cho lãnh đạo tỉnh các cơ chế, chính sách, giải pháp cụ thể mang tính "
                      "đột phá trong nghị quyết của Đại hội; xác định hoạt động đổi mới sáng tạo, hỗ trợ doanh nghiệp "
                      "đổi mới công nghệ là trung tâm của hoạt động KH&CN."),
    RecommendationRow("ubnd_tb", "bo", IN_PROGRESS, END_OF_2020,
                      "Các kiến nghị, đề xuất của tỉnh Thái Bình: Bộ KH&CN hoàn toàn ủng hộ và giao các đơn vị trực "
                      "thuộc phối hợp chặt chẽ với cơ quan chuyên môn của tỉnh cùng chung tay thực hiện các nhiệm vụ "
                      "KH&CN đáp ứng yêu cầu thực tế tại địa bàn.",
                      "Tại buổi làm việc, Bộ KH&CN đã giao các đơn vị trực thuộc phối hợp với cơ quan chuyên môn của "
                      "tỉnh.",
                      followed_up_by="bo.chuyenvien"),
    RecommendationRow("tu_tb", "bo", OPEN, END_OF_2020,
                      "Bộ KH&CN tiếp tục phối hợp với UBND tỉnh trong công tác chỉ đạo, điều hành hoạt động KH&CN "
                      "của tỉnh."),
    RecommendationRow("ubnd_tb", "bo", OPEN, END_OF_Q3_2020,
                      "Hoạt động KH&CN giữa hai Bên cần được phối hợp chặt chẽ hơn, đặc biệt giữa các cơ quan chuyên "
                      "môn của hai Bên; Bộ KH&CN tiếp tục tham mưu cho tỉnh về KH&CN để đưa vào các Nghị quyết của "
                      "tỉnh."),
    RecommendationRow("ubnd_tb", "bo", OPEN, END_OF_2020,
                      "Tiếp tục ký kết việc phối hợp giai đoạn tiếp theo để KH&CN gắn trực tiếp vào phát triển kinh "
                      "tế - xã hội địa phương."),
)

DEMO_USERS = (
    DemoUser("admin", "Lê Minh", "Quân", "bo", _("administrator (also /admin/)"), Role.ADMINISTRATOR,
             is_staff=True, is_superuser=True),
    DemoUser("bo.chuyenvien", "Nguyễn Thị", "Mai", "vu_dp", _("Ministry staff"), Role.MINISTRY_STAFF),
    # The provincial departments merged on 1/7/2025: their staff work for the departments that carry on their
    # work, and see and report on what the old ones led under the names they signed with.
    DemoUser("so.thaibinh", "Phạm Thu", "Trang", "so_hy",
             _("Hưng Yên Department of S&T, which carries on Thái Bình's since 1/7/2025"), Role.PROVINCE_STAFF),
    DemoUser("so.namdinh", "Trần Đức", "Long", "so_nb",
             _("Ninh Bình Department of S&T, which carries on Nam Định's since 1/7/2025 (owns nothing in Thái Bình)"),
             Role.PROVINCE_STAFF),
    DemoUser("lanhdao", "Đỗ Quang", "Vinh", "bo", _("leadership"), Role.LEADERSHIP, person="do_quang_vinh"),
)

# The review document of the meeting of 10/6/2020, drafted by the Ministry's staff and signed by its leadership.
# The results and recommendations are drawn from the records (reports.review_document); the rest is the article's.
REVIEW_DOCUMENT = {
    "as_of": REVIEW_DAY,
    "issued_at": datetime.datetime(2020, 6, 11, 9, 0),
    "drafter": "bo.chuyenvien",
    "signer": "lanhdao",
    "results_closing": (
        "Lãnh đạo Bộ KH&CN và lãnh đạo tỉnh Thái Bình đã phối hợp chặt chẽ trong lãnh đạo, chỉ đạo các cơ quan "
        "chức năng của hai bên triển khai thực hiện; các dự án thuộc chương trình Nông thôn miền núi đã tạo được "
        "điểm sáng về ứng dụng tiến bộ KH&CN vào sản xuất, góp phần xây dựng nông thôn mới."
    ),
    "shortcomings": "Sự hợp tác giữa hai Bên chưa tương xứng với tiềm năng và lợi thế của hai Bên.",
    "directions": (
        "Hai Bên đẩy mạnh hợp tác chặt chẽ trong thời gian tới để KH&CN thực sự đồng hành với các cấp, các ngành, "
        "gắn trực tiếp vào phát triển kinh tế - xã hội địa phương, đúng theo Kết luận số 50-KL/TW ngày 30/5/2019 "
        "của Ban Bí thư.\n\n"
        "Xác định hoạt động đổi mới sáng tạo, hỗ trợ doanh nghiệp đổi mới công nghệ là trung tâm của hoạt động "
        "KH&CN; tiếp tục ký kết việc phối hợp giai đoạn tiếp theo."
    ),
}
# A second document, still a draft: the figures at the end of the programme's orientation year.
DRAFT_DOCUMENT_AS_OF = datetime.date(2020, 12, 31)

# fmt: on

# (username, role, password): what the README and `load_demo` show.
DEMO_LOGINS = tuple((user.username, user.role, DEMO_PASSWORD) for user in DEMO_USERS)
