"""factory-boy factories for every model; tests build exactly the rows they need."""

import datetime
import hashlib
import itertools
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from coop.models import ApiToken, EmailStatus, ExportRequest, Notification, NotificationKind, SentReminder
from opendata.models import OpenDataDump
from programmes.choices import (
    OUTPUT_DEFAULT_UNITS,
    AgencyKind,
    AttendanceRole,
    MeetingKind,
    OutputKind,
    PartyRole,
    ProgrammeKind,
)
from programmes.models import (
    Agency,
    Attachment,
    Attendance,
    Meeting,
    Person,
    Programme,
    ProgrammeParty,
    Province,
    Recommendation,
    Target,
)
from reports.choices import ReportKind
from reports.models import DocumentRegister, GeneratedReport, ReportRequest
from tasks import services as task_services
from tasks.choices import (
    ACCEPTED_TASK_STATUSES,
    KINDS_VERIFIED_ONLY_WITH_EVIDENCE,
    FundingSource,
    OutputStatus,
    ReportStatus,
    TaskField,
    TaskLevel,
    TaskStatus,
)
from tasks.models import Funding, Output, ProgressDisbursement, ProgressReport, Task, TaskPlace

TEST_PASSWORD = "correct horse battery staple"


def free_province_code(n: int) -> str:
    """The first two-digit code from the sequence's that no current province holds: codes are unique while a
    province exists, and a module's fixture may keep some for all its tests while the sequence goes round."""
    taken = set(Province.objects.filter(valid_to__isnull=True).values_list("code", flat=True))
    return next((code for step in range(100) if (code := f"{(n + step) % 100:02d}") not in taken), f"{n % 100:02d}")


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Province

    code = factory.Sequence(free_province_code)
    name = factory.Sequence(lambda n: f"Tỉnh Thử Nghiệm {n}")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Sở Khoa học và Công nghệ số {n}")
    short_name = factory.Sequence(lambda n: f"Sở KH&CN {n}")
    kind = AgencyKind.DEPARTMENT
    province = factory.SubFactory(ProvinceFactory)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    position = "Giám đốc"
    agency = factory.SubFactory(AgencyFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Thử"
    last_name = "Nguyễn"
    agency = factory.SubFactory(AgencyFactory)
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    code = factory.Sequence(lambda n: f"CT-{n:04d}")
    title = factory.Sequence(lambda n: f"Chương trình phối hợp thử nghiệm {n}")
    kind = ProgrammeKind.COOPERATION
    start_year = 2016
    end_year = 2020


class ProgrammePartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeParty

    programme = factory.SubFactory(ProgrammeFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = PartyRole.PROVINCE_SIDE


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    programme = factory.SubFactory(ProgrammeFactory)
    metric = OutputKind.MODEL
    value = Decimal(10)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    programme = factory.SubFactory(ProgrammeFactory)
    held_on = datetime.date(2020, 6, 10)
    place = "Hà Nội"
    kind = MeetingKind.PERIODIC_REVIEW
    title = factory.Sequence(lambda n: f"Hội nghị sơ kết {n}")


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory(MeetingFactory)
    person = factory.SubFactory(PersonFactory)
    role = AttendanceRole.ATTENDEE


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation

    meeting = factory.SubFactory(MeetingFactory)
    text = factory.Sequence(lambda n: f"Tiếp tục phối hợp chặt chẽ trong thời gian tới ({n}).")
    raised_by = factory.SubFactory(AgencyFactory)
    addressed_to = factory.SubFactory(AgencyFactory)


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    programme = factory.SubFactory(ProgrammeFactory)
    code = factory.Sequence(lambda n: f"NV-{n:04d}")
    title = factory.Sequence(lambda n: f"Ứng dụng tiến bộ kỹ thuật số {n}")
    field = TaskField.AGRICULTURE
    level = TaskLevel.MINISTRY
    lead_agency = factory.SubFactory(AgencyFactory)
    start_on = datetime.date(2016, 1, 1)
    end_on = datetime.date(2018, 12, 31)
    status = TaskStatus.IN_PROGRESS
    # An accepted or completed task has its acceptance record and is 100% complete (the constraints).
    accepted_on = factory.LazyAttribute(lambda task: task.end_on if task.status in ACCEPTED_TASK_STATUSES else None)
    acceptance_decision = factory.LazyAttribute(
        lambda task: f"{task.code}/BB-NT" if task.status in ACCEPTED_TASK_STATUSES else ""
    )
    percent_complete = factory.LazyAttribute(lambda task: 100 if task.status in ACCEPTED_TASK_STATUSES else 0)


class TaskPlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaskPlace

    task = factory.SubFactory(TaskFactory)
    province = factory.SubFactory(ProvinceFactory)
    commune = ""


class FundingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Funding

    task = factory.SubFactory(TaskFactory)
    source = FundingSource.MINISTRY
    year = factory.Sequence(lambda n: 2000 + n % 100)
    allocated = Decimal("1000000000")
    disbursed = Decimal("500000000")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # As the application writes a funding row: through the service that sums the task's funding again.
        return task_services.funding_save(funding=model_class(*args, **kwargs))


class ProgressReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressReport
        skip_postgeneration_save = True

    task = factory.SubFactory(TaskFactory)
    as_of = datetime.date(2017, 6, 30)
    percent_complete = 50
    summary = "Đã hoàn thành xây dựng mô hình."
    status = ReportStatus.DRAFT
    # A report that was ever submitted carries the day of its first submission (a few days after its date).
    first_submitted_on = factory.LazyAttribute(
        lambda report: None if report.status == ReportStatus.DRAFT else report.as_of + datetime.timedelta(days=5)
    )

    @factory.post_generation
    def disbursements(report, create, extracted, **kwargs):
        """`disbursements={funding row: amount}`: the report's figures per funding row, their sum its total,
        as `progress_report_save` writes them."""
        if not create or not extracted:
            return
        for funding, amount in extracted.items():
            ProgressDisbursement.objects.create(report=report, funding=funding, disbursed_to_date=amount)
        report.disbursed_to_date = sum(extracted.values())
        ProgressReport.objects.filter(pk=report.pk).update(disbursed_to_date=report.disbursed_to_date)


def output_reviewer():
    """One reviewer for every verified output the factory makes (a user per output would slow the tests)."""
    user, _created = get_user_model().objects.get_or_create(
        username="factory.output.reviewer", defaults={"first_name": "Kiểm", "last_name": "Trần"}
    )
    return user


class OutputFactory(factory.django.DjangoModelFactory):
    """A verified output in its kind's default unit, with evidence where its kind needs it to be verified.

    Pass `status=OutputStatus.RECORDED` (and so on) for an output still under review.
    """

    class Meta:
        model = Output

    task = factory.SubFactory(TaskFactory)
    kind = OutputKind.MODEL
    name = factory.Sequence(lambda n: f"Mô hình trình diễn {n}")
    quantity = 1
    unit = factory.LazyAttribute(lambda output: OUTPUT_DEFAULT_UNITS[output.kind])
    achieved_on = datetime.date(2018, 6, 1)
    evidence_number = factory.LazyAttribute(
        lambda output: "12/QĐ-TEST" if output.kind in KINDS_VERIFIED_ONLY_WITH_EVIDENCE else ""
    )
    evidence_date = factory.LazyAttribute(
        lambda output: datetime.date(2018, 6, 1) if output.kind in KINDS_VERIFIED_ONLY_WITH_EVIDENCE else None
    )
    status = OutputStatus.VERIFIED
    submitted_at = factory.LazyAttribute(
        lambda output: (
            None if output.status == OutputStatus.RECORDED else datetime.datetime(2018, 6, 5, tzinfo=datetime.UTC)
        )
    )
    reviewed_by = factory.LazyAttribute(
        lambda output: output_reviewer() if output.status in (OutputStatus.VERIFIED, OutputStatus.RETURNED) else None
    )
    reviewed_at = factory.LazyAttribute(
        lambda output: datetime.datetime(2018, 6, 8, tzinfo=datetime.UTC) if output.reviewed_by else None
    )
    review_note = factory.LazyAttribute(
        lambda output: "Thiếu giấy chứng nhận." if output.status == OutputStatus.RETURNED else ""
    )


class AttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attachment

    meeting = factory.SubFactory(MeetingFactory)
    title = factory.Sequence(lambda n: f"Biên bản họp {n}")
    file = factory.django.FileField(filename="bien-ban.pdf", data=b"%PDF-1.4\n%%EOF\n")


# A few bytes standing in for a PDF; the checksum is their real SHA-256.
TEST_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


class GeneratedReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GeneratedReport

    kind = ReportKind.PROGRAMME_REVIEW
    programme = factory.SubFactory(ProgrammeFactory)
    created_by = factory.SubFactory(UserFactory)
    pdf = factory.django.FileField(filename="bao-cao.pdf", data=TEST_PDF)
    sha256 = hashlib.sha256(TEST_PDF).hexdigest()
    page_count = 1


class DocumentRegisterFactory(factory.django.DjangoModelFactory):
    """The register of an agency's outgoing reports for a year, as issuing creates it."""

    class Meta:
        model = DocumentRegister

    agency = factory.SubFactory(AgencyFactory)
    year = 2020
    symbol = factory.Sequence(lambda n: f"BC-CQ{n}")
    last_number = 3


# A few bytes standing in for a zip of the open data; the checksum is their real SHA-256.
TEST_ZIP = b"PK\x05\x06" + bytes(18)


class OpenDataDumpFactory(factory.django.DjangoModelFactory):
    """A download of the open data, as `export_open_data` records it (here an empty zip)."""

    class Meta:
        model = OpenDataDump

    file = factory.django.FileField(filename="coop-open-data.zip", data=TEST_ZIP)
    size = len(TEST_ZIP)
    sha256 = hashlib.sha256(TEST_ZIP).hexdigest()
    row_counts = factory.LazyFunction(lambda: {"programmes": 0})


class ReportRequestFactory(factory.django.DjangoModelFactory):
    """A request for a report drawn in the background, as the review page queues it (no job behind it)."""

    class Meta:
        model = ReportRequest

    kind = ReportKind.PROGRAMME_REVIEW
    programme = factory.SubFactory(ProgrammeFactory)
    parameters = factory.LazyFunction(lambda: {"as_of": "2020-06-10", "language": "vi", "include_tasks": True})
    requested_by = factory.SubFactory(UserFactory)


class ExportRequestFactory(factory.django.DjangoModelFactory):
    """A long export asked for on the task list, as its button queues it (no job behind it)."""

    class Meta:
        model = ExportRequest

    list_name = "task_list"
    query = "status=in_progress"
    export_format = "xlsx"
    language = "vi"
    title = "Nhiệm vụ KH&CN"
    requested_by = factory.SubFactory(UserFactory)


class NotificationFactory(factory.django.DjangoModelFactory):
    """A notification already e-mailed to a user (pending ones would go out at the next delivery)."""

    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = NotificationKind.REVIEWED
    subject = factory.Sequence(lambda n: f"Báo cáo tiến độ đã được duyệt: NV-{n:02d}")
    body = "Nhiệm vụ: NV-01 – Mô hình trồng nấm rơm\nTrạng thái: Đã duyệt"
    url = "/tasks/"
    email_status = EmailStatus.SENT
    emailed_at = factory.LazyFunction(timezone.now)


class SentReminderFactory(factory.django.DjangoModelFactory):
    """The ledger's record of a reminder of a progress report, carried by a notification."""

    class Meta:
        model = SentReminder

    notification = factory.SubFactory(NotificationFactory, kind=NotificationKind.REPORT_DUE)
    recipient = factory.SelfAttribute("notification.recipient")
    kind = NotificationKind.REPORT_DUE
    item_type = factory.LazyFunction(lambda: ContentType.objects.get_for_model(ProgressReport))
    item_id = factory.Sequence(lambda n: n + 1)
    occasion = "2017-06-30"


# Rows of a few fields, as the tests build them most


def fund(task, source=FundingSource.MINISTRY, year=2016, allocated=Decimal(10**9), disbursed=Decimal(0)) -> Funding:
    """A funding row of `task`: a billion đồng from the Ministry in 2016 unless told otherwise."""
    return FundingFactory(task=task, source=source, year=year, allocated=allocated, disbursed=disbursed)


_report_numbers = itertools.count(1)


def carried_out_in(task, *provinces, commune: str = "") -> list[TaskPlace]:
    """`task`'s places of implementation: one per province, each with `commune`."""
    return [TaskPlaceFactory(task=task, province=province, commune=commune) for province in provinces]


def issued(programme, **values) -> GeneratedReport:
    """An issued report of `programme` (None: across programmes) with a checksum of its own, to tell reports apart."""
    return GeneratedReportFactory(programme=programme, **{"sha256": f"{next(_report_numbers):064x}", **values})


def review_document(programme, state: str, **values) -> GeneratedReport:
    """A review document of `programme` in `state`: without a file until issued, numbered once issued."""
    if state == "issued":
        issuing = {
            "number": next(_report_numbers),
            "symbol": "BC-BKHCN",
            "register_year": 2020,
            "issued_at": timezone.now(),
            "issuing_agency": AgencyFactory(kind="ministry", province=None),
            "sha256": f"{next(_report_numbers):064x}",
        }
        return GeneratedReportFactory(programme=programme, state=state, **{**issuing, **values})
    return GeneratedReportFactory(programme=programme, state=state, pdf="", sha256="", page_count=None, **values)


class ApiTokenFactory(factory.django.DjangoModelFactory):
    """An API key as `api_token_create` makes it: only the SHA-256 of a random key is kept."""

    class Meta:
        model = ApiToken

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda number: f"Cổng dữ liệu {number}")
    prefix = factory.Sequence(lambda number: f"coop_{number:06d}")
    key_hash = factory.Sequence(lambda number: hashlib.sha256(f"coop_test_key_{number}".encode()).hexdigest())
