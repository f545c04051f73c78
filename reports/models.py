"""The archive of issued PDF reports, and the requests for reports drawn in the background."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coop.roles import Role, sees_every_programme, user_roles
from programmes.models import Programme
from reports.choices import ReportKind, ReportRequestStatus, ReportStage


class GeneratedReportQuerySet(models.QuerySet):
    def visible_to(self, user) -> "GeneratedReportQuerySet":
        """Reports of the programmes the user sees; reports across programmes only to those who see them all.

        Everyone also finds the reports they issued themselves: a provincial department's list of its
        own tasks spans programmes, and its author saw every row of it when it was drawn.
        """
        if sees_every_programme(user):
            return self
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(programme__in=Programme.objects.visible_to(user).values("pk")) | Q(created_by=user))


def report_upload_to(instance: "GeneratedReport", filename: str) -> str:
    return f"reports/{instance.created_at:%Y/%m}/{filename}"


class GeneratedReport(models.Model):
    """A PDF report as it was issued, kept so the exact copy taken into a meeting can be found later."""

    kind = models.CharField(
        max_length=30,
        choices=ReportKind.choices,
        db_index=True,
        verbose_name=_("kind"),
    )
    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="generated_reports",
        verbose_name=_("programme"),
    )
    parameters = models.JSONField(
        default=dict,
        blank=True,
        verbose_name=_("parameters"),
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
        verbose_name=_("PDF file"),
    )
    sha256 = models.CharField(
        max_length=64,
        verbose_name=_("SHA-256"),
    )
    page_count = models.PositiveIntegerField(
        verbose_name=_("page count"),
    )

    objects = GeneratedReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("issued report")
        verbose_name_plural = _("issued reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(page_count__gte=1),
                name="generated_report_has_pages",
                violation_error_message=_("A report has at least one page."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.created_at:%d/%m/%Y %H:%M}"

    def get_absolute_url(self):
        return reverse("report_download", args=[self.pk])

    def download_name(self) -> str:
        """The name of a downloaded copy: the kind in the active language, the programme's code, the day of issue."""
        parts = [str(self.get_kind_display())]
        if self.programme_id:
            parts.append(self.programme.code)
        parts.append(timezone.localtime(self.created_at).strftime("%d-%m-%Y"))
        return " ".join(parts) + ".pdf"


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
