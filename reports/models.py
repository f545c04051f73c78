"""The archive: review documents with their life (draft → submitted → issued) and saved copies of reports,
and the requests for reports drawn in the background."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coop.models import VersionedModel
from coop.roles import Role, sees_every_programme, user_roles
from programmes.models import Programme
from reports.choices import (
    FILED_STATES,
    DocumentState,
    ReportKind,
    ReportRequestStatus,
    ReportStage,
    SigningAuthority,
)


class GeneratedReportQuerySet(models.QuerySet):
    def visible_to(self, user) -> "GeneratedReportQuerySet":
        """Documents and copies of the programmes the user sees; those across programmes only to those who see
        them all.

        Everyone also finds the copies they saved themselves: a provincial department's list of its
        own tasks spans programmes, and its author saw every row of it when it was drawn.
        """
        if sees_every_programme(user):
            return self
        if not user.is_authenticated:
            return self.none()
        # Drafts and documents waiting for signature are the Ministry's own work: others see what was issued.
        filed = self.filter(state__in=FILED_STATES)
        return filed.filter(Q(programme__in=Programme.objects.visible_to(user).values("pk")) | Q(created_by=user))

    def issued(self) -> "GeneratedReportQuerySet":
        return self.filter(state=DocumentState.ISSUED)


def report_upload_to(instance: "GeneratedReport", filename: str) -> str:
    return f"reports/{instance.created_at:%Y/%m}/{filename}"


class GeneratedReport(VersionedModel):
    """A document of the archive: a review document on its way to being issued, or a saved copy of a report.

    A programme review document is drafted by Ministry staff (its narrative, recipients and signer),
    submitted for signature, and issued by its signer (Decree 30/2020/NĐ-CP): issuing gives it the next
    number of the issuing agency's register (`DocumentRegister`), dates it and freezes its PDF (bytes,
    SHA-256, page count). An issued document never changes; a correction is a new document that names
    the one it replaces. A task sheet or a list of tasks is saved as a copy ("bản lưu") when its user
    asks for it, with no number.
    """

    kind = models.CharField(
        max_length=30,
        choices=ReportKind.choices,
        db_index=True,
        verbose_name=_("kind"),
    )
    state = models.CharField(
        max_length=10,
        choices=DocumentState.choices,
        default=DocumentState.SAVED,
        db_index=True,
        verbose_name=_("state"),
    )
    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="generated_reports",
        verbose_name=_("programme"),
    )
    task = models.ForeignKey(
        "tasks.Task",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="generated_reports",
        verbose_name=_("S&T task"),
    )
    as_of = models.DateField(
        null=True,
        blank=True,
        verbose_name=_("figures as of"),
    )
    language = models.CharField(
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        verbose_name=_("language"),
    )
    parameters = models.JSONField(
        default=dict,
        blank=True,
        verbose_name=_("parameters"),
    )
    # The narrative of a review document ("báo cáo sơ kết"), section by section.
    results = models.TextField(
        blank=True,
        verbose_name=_("assessment of the results"),
    )
    shortcomings = models.TextField(
        blank=True,
        verbose_name=_("shortcomings and limitations"),
    )
    causes = models.TextField(
        blank=True,
        verbose_name=_("causes"),
    )
    directions = models.TextField(
        blank=True,
        verbose_name=_("directions for the coming period"),
    )
    proposals = models.TextField(
        blank=True,
        verbose_name=_("recommendations and proposals"),
    )
    recipient_agencies = models.ManyToManyField(
        "programmes.Agency",
        blank=True,
        related_name="received_reports",
        verbose_name=_("recipient agencies"),
    )
    other_recipients = models.TextField(
        blank=True,
        help_text=_("One recipient per line, for those who are not parties to the programme."),
        verbose_name=_("other recipients"),
    )
    drafting_unit = models.CharField(
        max_length=40,
        blank=True,
        help_text=_('Its abbreviation, written after "Filed: records office," ("Lưu: VT, PTĐP").'),
        verbose_name=_("drafting unit"),
    )
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents_to_sign",
        verbose_name=_("signer"),
    )
    signing_authority = models.CharField(
        max_length=20,
        choices=SigningAuthority.choices,
        blank=True,
        verbose_name=_("signing authority"),
    )
    issuing_agency = models.ForeignKey(
        "programmes.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issued_reports",
        verbose_name=_("issuing agency"),
    )
    replaces = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("replaces"),
    )
    return_note = models.TextField(
        blank=True,
        verbose_name=_("reason for the return"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="submitted_documents",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(
        null=True,
        blank=True,
        verbose_name=_("submitted at"),
    )
    # The register entry: "Số: 15/BC-BKHCN" is number 15 of the year's "BC-BKHCN" register.
    number = models.PositiveIntegerField(
        null=True,
        blank=True,
        verbose_name=_("number"),
    )
    symbol = models.CharField(
        max_length=30,
        blank=True,
        verbose_name=_("symbol"),
    )
    register_year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        verbose_name=_("register year"),
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issued_documents",
        verbose_name=_("issued by"),
    )
    issued_at = models.DateTimeField(
        null=True,
        blank=True,
        db_index=True,
        verbose_name=_("issued at"),
    )
    digitally_signed = models.BooleanField(
        default=False,
        verbose_name=_("digitally signed"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="generated_reports",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(
        default=timezone.now,
        db_index=True,
        verbose_name=_("created at"),
    )
    pdf = models.FileField(
        upload_to=report_upload_to,
        blank=True,
        verbose_name=_("PDF file"),
    )
    sha256 = models.CharField(
        max_length=64,
        blank=True,
        verbose_name=_("SHA-256"),
    )
    page_count = models.PositiveIntegerField(
        null=True,
        blank=True,
        verbose_name=_("page count"),
    )

    objects = GeneratedReportQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[recipient_agencies])

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        permissions = [
            ("draft_document", _("Can draft review documents and submit them for signature")),
            ("issue_document", _("Can sign and issue review documents")),
            ("return_document", _("Can return a review document waiting for signature to draft")),
            ("correct_document", _("Can draft the correction of an issued review document")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=FILED_STATES, page_count__gte=1) & ~Q(sha256="")
                | (~Q(state__in=FILED_STATES) & Q(page_count__isnull=True, sha256="")),
                name="generated_report_file_when_filed",
                violation_error_message=_("An issued document or a saved copy has its file; a draft has none."),
            ),
            models.CheckConstraint(
                condition=~Q(state=DocumentState.ISSUED)
                | Q(number__gte=1, register_year__isnull=False, issued_at__isnull=False, issuing_agency__isnull=False)
                & ~Q(symbol=""),
                name="generated_report_issued_has_number",
                violation_error_message=_("An issued document has its number, symbol, year and issuing agency."),
            ),
            models.UniqueConstraint(
                fields=["issuing_agency", "register_year", "symbol", "number"],
                condition=Q(number__isnull=False),
                name="generated_report_unique_number",
                violation_error_message=_("This number was already given to another document of the register."),
            ),
        ]

    def __str__(self):
        if self.number:
            return f"{self.get_kind_display()} {self.number_label}"
        moment = self.issued_at or self.created_at
        return f"{self.get_kind_display()} – {timezone.localtime(moment):%d/%m/%Y %H:%M}"

    def get_absolute_url(self):
        if self.is_document:
            return reverse("document_detail", args=[self.pk])
        return reverse("report_download", args=[self.pk])

    @property
    def number_label(self) -> str:
        """The number as written: "15/BC-BKHCN" once issued; "/BC-BKHCN" before, with room for the number."""
        return f"{self.number or ''}/{self.symbol}" if self.symbol else ""

    @property
    def is_document(self) -> bool:
        return self.kind == ReportKind.PROGRAMME_REVIEW and self.state != DocumentState.SAVED

    @property
    def is_editable(self) -> bool:
        return self.state == DocumentState.DRAFT

    def review_title(self) -> str:
        """The title: "Báo cáo sơ kết" while the programme runs, "Báo cáo tổng kết" after its last year."""
        if self.as_of and self.programme_id and self.as_of.year > self.programme.period_end_year:
            return gettext("Final review report")
        return gettext("Mid-term review report")

    def other_recipient_lines(self) -> list[str]:
        return [line.strip() for line in self.other_recipients.splitlines() if line.strip()]

    def download_name(self) -> str:
        """The name of a downloaded copy: its number, kind and programme for a document ("15-BC-BKHCN Bao cao so ket
        PH-BKHCN-TB-2012.pdf"), else the kind in the active language, the programme's code and the day."""
        parts = []
        if self.number:
            parts.append(self.number_label.replace("/", "-"))
        parts.append(str(self.review_title() if self.is_document else self.get_kind_display()))
        if self.task_id:
            parts.append(f"{self.task.programme.code} {self.task.code}")
        elif self.programme_id:
            parts.append(self.programme.code)
        if not self.number:
            parts.append(timezone.localtime(self.issued_at or self.created_at).strftime("%d-%m-%Y"))
        return " ".join(parts) + ".pdf"


def signers():
    """The users who may sign: active leadership (or administrators) linked to a person with a position."""
    roles = [Role.LEADERSHIP, Role.ADMINISTRATOR]
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=roles, person__isnull=False)
        .exclude(person__position="")
        .select_related("person")
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


class DocumentRegister(models.Model):
    """The register ("sổ đăng ký văn bản đi") of one issuing agency for one year and one symbol.

    Issuing a document locks its register's row and takes the next number, in the transaction that
    freezes the document: numbers never repeat and never skip, whatever issues at the same time.
    """

    agency = models.ForeignKey(
        "programmes.Agency",
        on_delete=models.PROTECT,
        related_name="document_registers",
        verbose_name=_("agency"),
    )
    year = models.PositiveSmallIntegerField(
        verbose_name=_("year"),
    )
    symbol = models.CharField(
        max_length=30,
        verbose_name=_("symbol"),
    )
    last_number = models.PositiveIntegerField(
        default=0,
        verbose_name=_("last number given"),
    )

    class Meta:
        verbose_name = _("document register")
        verbose_name_plural = _("document registers")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "symbol"],
                name="document_register_one_per_year_and_symbol",
                violation_error_message=_("An agency keeps one register per year and symbol."),
            ),
        ]

    def __str__(self):
        return f"{self.symbol} {self.year}: {self.last_number}"


class ReportRequestQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ReportRequestQuerySet":
        """A request is followed by whoever made it; administrators see every request."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser or Role.ADMINISTRATOR in user_roles(user):
            return self
        return self.filter(requested_by=user)

    def unfinished(self) -> "ReportRequestQuerySet":
        return self.filter(status__in=[ReportRequestStatus.QUEUED, ReportRequestStatus.RUNNING])


class ReportRequest(models.Model):
    """A report asked for on a page and drawn in the background by the worker (`manage.py db_worker`).

    Reports too long to draw within a web request (reports.background) are queued as a request; the
    worker draws the report, filing it in the archive as an immediate report is filed, and writes
    here where it stands, so that the requester's page can show the progress and then the file.
    """

    kind = models.CharField(
        max_length=30,
        choices=ReportKind.choices,
        verbose_name=_("kind"),
    )
    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="report_requests",
        verbose_name=_("programme"),
    )
    parameters = models.JSONField(
        default=dict,
        blank=True,
        verbose_name=_("parameters"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="report_requests",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(
        default=timezone.now,
        verbose_name=_("requested at"),
    )
    status = models.CharField(
        max_length=10,
        choices=ReportRequestStatus.choices,
        default=ReportRequestStatus.QUEUED,
        verbose_name=_("status"),
    )
    stage = models.CharField(
        max_length=10,
        choices=ReportStage.choices,
        blank=True,
        verbose_name=_("stage"),
    )
    progress = models.PositiveSmallIntegerField(
        default=0,
        verbose_name=_("progress (%)"),
    )
    # [{"stage": "layout", "progress": 10, "seconds": 1.25}, …]: when each step started, counted from the start.
    stage_log = models.JSONField(
        default=list,
        blank=True,
        verbose_name=_("steps taken"),
    )
    started_at = models.DateTimeField(
        null=True,
        blank=True,
        verbose_name=_("started at"),
    )
    finished_at = models.DateTimeField(
        null=True,
        blank=True,
        verbose_name=_("finished at"),
    )
    error_message = models.TextField(
        blank=True,
        verbose_name=_("error message"),
    )
    report = models.ForeignKey(
        GeneratedReport,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("issued report"),
    )
    # The id of the queued job in the task backend (django-tasks' DBTaskResult), to find it in the admin.
    task_result_id = models.CharField(
        max_length=64,
        blank=True,
        verbose_name=_("background job"),
    )

    objects = ReportRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("report request")
        verbose_name_plural = _("report requests")
        indexes = [
            models.Index(fields=["requested_by", "status"], name="report_request_user_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100),
                name="report_request_progress_0_100",
                violation_error_message=_("Progress is a percentage between 0 and 100."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.requested_at:%d/%m/%Y %H:%M}"

    def get_absolute_url(self):
        return reverse("report_request_detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (ReportRequestStatus.DONE, ReportRequestStatus.FAILED)

    @property
    def language(self) -> str:
        """The language the report is written in, and the one its error messages are written in."""
        return self.parameters.get("language") or settings.LANGUAGE_CODE
