"""The archive of issued PDF reports."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coop.roles import sees_every_programme
from programmes.models import Programme
from reports.choices import ReportKind


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
