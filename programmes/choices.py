"""Choices of the programmes app; `OutputKind` is shared with `tasks.Output`."""

from django.db import models
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import npgettext_lazy, pgettext_lazy


class AgencyKind(models.TextChoices):
    MINISTRY = "ministry", _("Ministry")
    MINISTRY_UNIT = "ministry_unit", _("Ministry unit")
    PEOPLE_COMMITTEE = "people_committee", _("People's Committee")
    PARTY_COMMITTEE = "party_committee", _("Party Committee")
    DEPARTMENT = "department", _("Provincial department")
    INSTITUTE = "institute", _("Institute")
    UNIVERSITY = "university", _("University")
    ENTERPRISE = "enterprise", _("Enterprise")
    COOPERATIVE = "cooperative", _("Cooperative")
    OTHER = "other", _("Other")


class ProgrammeKind(models.TextChoices):
    COOPERATION = "cooperation", _("Cooperation programme")
    NATIONAL = "national", _("National S&T programme")
    OTHER = "other", _("Other")


class ProgrammeStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("programme status", "Draft")
    ACTIVE = "active", pgettext_lazy("programme status", "Active")
    COMPLETED = "completed", pgettext_lazy("programme status", "Completed")


# What `ProgrammeFilter.state` offers: overdue programmes (`ProgrammeQuerySet.overdue`), or the others.
PROGRAMME_STATE_OVERDUE = "overdue"
PROGRAMME_STATE_ON_SCHEDULE = "on_schedule"


class PartyRole(models.TextChoices):
    MINISTRY_SIDE = "ministry_side", _("Ministry side")
    PROVINCE_SIDE = "province_side", _("Province side")
    COORDINATOR = "coordinator", _("Coordinator")
    MEMBER = "member", _("Member")


class OutputKind(models.TextChoices):
    MODEL = "model", _("Demonstration model")
    TECHNOLOGY = "technology", _("Transferred technology")
    BRAND = "brand", _("Brand, collective mark, geographical indication")
    VARIETY = "variety", _("Crop or livestock variety")
    PROCESS = "process", _("Process")
    PATENT = "patent", _("Patent, utility solution")
    PUBLICATION = "publication", _("Publication")
    TRAINING = "training", _("Training")
    OTHER = "other", _("Other")


# The unit an output of each kind is counted in unless its row says otherwise ("12 mô hình").
# Quantities are only ever added up within one unit: a kind may hold several ("Khác": 2 cơ sở
# dữ liệu, 12 doanh nghiệp, 1 phần mềm), listed one by one. Targets are agreed in these units.
OUTPUT_DEFAULT_UNITS = {
    OutputKind.MODEL: "mô hình",
    OutputKind.TECHNOLOGY: "công nghệ",
    OutputKind.BRAND: "nhãn hiệu",
    OutputKind.VARIETY: "giống",
    OutputKind.PROCESS: "quy trình",
    OutputKind.PATENT: "bằng",
    OutputKind.PUBLICATION: "bài báo",
    OutputKind.TRAINING: "lớp",
    OutputKind.OTHER: "sản phẩm",
}


class TargetMetric(models.TextChoices):
    """What a programme target counts: tasks, Ministry funding, or an output kind."""

    TASKS = "tasks", _("S&T tasks")
    MINISTRY_FUNDING = "ministry_funding", _("Ministry funding (VND)")
    MODEL = OutputKind.MODEL.value, OutputKind.MODEL.label
    TECHNOLOGY = OutputKind.TECHNOLOGY.value, OutputKind.TECHNOLOGY.label
    BRAND = OutputKind.BRAND.value, OutputKind.BRAND.label
    VARIETY = OutputKind.VARIETY.value, OutputKind.VARIETY.label
    PROCESS = OutputKind.PROCESS.value, OutputKind.PROCESS.label
    PATENT = OutputKind.PATENT.value, OutputKind.PATENT.label
    PUBLICATION = OutputKind.PUBLICATION.value, OutputKind.PUBLICATION.label
    TRAINING = OutputKind.TRAINING.value, OutputKind.TRAINING.label
    OTHER = OutputKind.OTHER.value, OutputKind.OTHER.label


# What a figure counts, named for the number it stands under ("63 · Demonstration models", "1 · S&T task"):
# English says one and many apart; Vietnamese has one form.
COUNTED_LABELS = {
    TargetMetric.TASKS: npgettext_lazy("counted", "S&T task", "S&T tasks", "count"),
    OutputKind.MODEL: npgettext_lazy("counted", "Demonstration model", "Demonstration models", "count"),
    OutputKind.TECHNOLOGY: npgettext_lazy("counted", "Transferred technology", "Transferred technologies", "count"),
    OutputKind.BRAND: npgettext_lazy(
        "counted",
        "Brand, collective mark, geographical indication",
        "Brands, collective marks, geographical indications",
        "count",
    ),
    OutputKind.VARIETY: npgettext_lazy("counted", "Crop or livestock variety", "Crop or livestock varieties", "count"),
    OutputKind.PROCESS: npgettext_lazy("counted", "Process", "Processes", "count"),
    OutputKind.PATENT: npgettext_lazy("counted", "Patent, utility solution", "Patents, utility solutions", "count"),
    OutputKind.PUBLICATION: npgettext_lazy("counted", "Publication", "Publications", "count"),
    OutputKind.TRAINING: npgettext_lazy("counted", "Training", "Training", "count"),
    OutputKind.OTHER: npgettext_lazy("counted", "Other output", "Other outputs", "count"),
}


def _counted_label(key: str, count) -> str:
    return COUNTED_LABELS[key] % {"count": count}


# The name of what a figure of `count` counts (`COUNTED_LABELS`), in the language the page is drawn in.
counted_label = lazy(_counted_label, str)


class MeetingKind(models.TextChoices):
    WORKING_SESSION = "working_session", _("Working session")
    PERIODIC_REVIEW = "periodic_review", _("Mid-term review conference")
    FINAL_REVIEW = "final_review", _("Final review conference")
    SIGNING = "signing", _("Signing ceremony")


class AttendanceRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    CO_CHAIR = "co_chair", _("Co-chair")
    REPORTER = "reporter", _("Reporter")
    ATTENDEE = "attendee", _("Attendee")


class RecommendationStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("recommendation status", "Open")
    IN_PROGRESS = "in_progress", pgettext_lazy("recommendation status", "In progress")
    DONE = "done", pgettext_lazy("recommendation status", "Done")
    DROPPED = "dropped", pgettext_lazy("recommendation status", "Dropped")


# Recommendations that still wait for someone to act on them; past their due date they are overdue.
PENDING_RECOMMENDATION_STATUSES = (RecommendationStatus.OPEN, RecommendationStatus.IN_PROGRESS)


class ReportingFrequency(models.TextChoices):
    """How often the provinces report on a programme's tasks, as its regulation says ("chế độ báo cáo")."""

    QUARTERLY = "quarterly", _("Quarterly")
    HALF_YEARLY = "half_yearly", _("Every six months")
    YEARLY = "yearly", _("Yearly")
    MANUAL = "manual", _("Dates typed by hand")


# Months per period of each frequency that a rule draws (`programmes.services.reporting_periods_from_rule`).
MONTHS_PER_PERIOD = {
    ReportingFrequency.QUARTERLY: 3,
    ReportingFrequency.HALF_YEARLY: 6,
    ReportingFrequency.YEARLY: 12,
}
