"""Pieces every app shares: the user, the folded search column, the edit version, and the notifications."""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldError, ValidationError
from django.db import models, router
from django.db.models import CheckConstraint, Q, Value
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coop.text import fold


class CsvSeparator(models.TextChoices):
    SEMICOLON = ";", _("semicolon (;), for Excel in Vietnamese")
    COMMA = ",", _("comma (,), for Excel in English")


class User(AbstractUser):
    """A person who logs in, attached to the agency they work for.

    The agency decides what a provincial department user may see and change;
    ministry staff and leadership work for a ministry agency.
    """

    agency = models.ForeignKey(
        "programmes.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("agency"),
    )
    # Who the user is among the people the records name: a leader signs documents under this name and position.
    person = models.OneToOneField(
        "programmes.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="user",
        verbose_name=_("person"),
    )

    # The language of the e-mails the user receives (pages follow the language chosen on them).
    language = models.CharField(
        max_length=10,
        choices=settings.LANGUAGES,
        default="vi",
        db_default="vi",
        verbose_name=_("language of e-mails"),
    )
    # Which notifications also come by e-mail; each appears in the application's list all the same.
    email_report_reminders = models.BooleanField(
        default=True,
        db_default=True,
        verbose_name=_("reminders of progress reports due or overdue"),
    )
    email_recommendation_reminders = models.BooleanField(
        default=True,
        db_default=True,
        verbose_name=_("reminders of recommendations due or overdue"),
    )
    email_submissions = models.BooleanField(
        default=True,
        db_default=True,
        verbose_name=_("reports and outputs submitted for my review"),
    )
    email_reviews = models.BooleanField(
        default=True,
        db_default=True,
        verbose_name=_("my reports and outputs approved or returned"),
    )
    email_weekly_digest = models.BooleanField(
        default=True,
        db_default=True,
        verbose_name=_("weekly digest of what is overdue"),
    )
    # Excel splits a CSV file's lines at the list separator of the computer's regional settings: a semicolon
    # where the decimal mark is a comma (Vietnamese), a comma elsewhere. Each user's exports use theirs.
    csv_separator = models.CharField(
        max_length=1,
        choices=CsvSeparator.choices,
        default=CsvSeparator.SEMICOLON,
        db_default=CsvSeparator.SEMICOLON,
        verbose_name=_("separator of CSV files"),
        help_text=_("Excel set to Vietnamese expects a semicolon; set to English, a comma."),
    )
    # The columns each list shows this user, by the list's URL name ("task_list": ["code", "title", ...]),
    # as chosen in the list's column chooser; a list not named here shows its table's default columns.
    table_columns = models.JSONField(
        default=dict,
        blank=True,
        verbose_name=_("columns shown in lists"),
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.get_full_name() or self.username

    def get_full_name(self):
        # Vietnamese names run family, middle, given: "Phạm Thu" + "Trang" → "Phạm Thu Trang".
        return " ".join(part for part in (self.last_name, self.first_name) if part).strip()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A key another system uses to read the API as the user who made it (`coop.api_tokens`).

    The key is shown once, when it is made; only its SHA-256 is kept, so that a leaked database does
    not hand out working keys. Its first characters (`prefix`) tell the user which key is which.
    A revoked key stays listed, with when it was revoked.
    """

    # The key as given to the user: PREFIX + 40 URL-safe characters; the prefix makes a leaked key easy to spot.
    KEY_PREFIX = "coop_"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(
        max_length=100,
        verbose_name=_("name"),
        help_text=_("What the key is for, e.g. the system that uses it."),
    )
    prefix = models.CharField(
        max_length=16,
        editable=False,
        verbose_name=_("beginning of the key"),
    )
    key_hash = models.CharField(
        max_length=64,
        unique=True,
        editable=False,
        verbose_name=_("SHA-256 of the key"),
    )
    created_at = models.DateTimeField(
        auto_now_add=True,
        verbose_name=_("created at"),
    )
    last_used_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("last used at"),
    )
    revoked_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("revoked at"),
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"


class SearchableModel(models.Model):
    """A model with a folded `search_text` column, kept up to date on every save.

    Subclasses list the texts a user may search them by in `search_parts()`.
    Bulk paths (`bulk_create`, `update`) bypass `save()`: they call
    `coop.search.refresh_search_text()` on the rows they touched.
    """

    search_text = models.TextField(
        editable=False,
        blank=True,
        default="",
        verbose_name=_("search text"),
    )

    # Relations `search_parts()` reads, for bulk refreshes to fetch in the same query.
    search_select_related: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.search_text = self.build_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "search_text" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "search_text"]
        super().save(*args, **kwargs)

    def search_parts(self) -> Iterable[object]:
        raise NotImplementedError

    def build_search_text(self) -> str:
        return fold(" ".join(str(part) for part in self.search_parts() if part not in (None, "")))


class ChecksAtOnceModel(models.Model):
    """A model whose check constraints are validated in one query, not one each (Django asks the database for
    every `CheckConstraint`: seven queries a task, each with a savepoint inside a transaction, which is most of
    the time of writing thousands of tasks from a spreadsheet).

    Only when they all hold. When one fails, or one cannot be checked because a field it reads is excluded,
    Django's own validation runs, so the errors and their messages are exactly Django's.
    """

    class Meta:
        abstract = True

    def validate_constraints(self, exclude=None):
        checks = [constraint for constraint in self._meta.constraints if isinstance(constraint, CheckConstraint)]
        if not checks or not self._checks_hold(checks, exclude or set()):
            return super().validate_constraints(exclude=exclude)
        others = [constraint for constraint in self._meta.constraints if not isinstance(constraint, CheckConstraint)]
        errors = {}
        using = router.db_for_write(type(self), instance=self)
        for constraint in others:
            try:
                constraint.validate(type(self), self, exclude=exclude, using=using)
            except ValidationError as error:
                # As Django's own loop: a one-field uniqueness is that field's error.
                if getattr(error, "code", None) == "unique" and len(constraint.fields) == 1:
                    errors.setdefault(constraint.fields[0], []).append(error)
                else:
                    errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def _checks_hold(self, checks, exclude) -> bool:
        values = {
            field.name: Value(getattr(self, field.attname), output_field=field)
            for field in self._meta.local_concrete_fields
            if field.name not in exclude
        }
        values["pk"] = Value(self.pk)
        try:
            return Q(*(constraint.condition for constraint in checks)).check(values)
        except FieldError:  # a condition reads an excluded field: Django skips that constraint alone
            return False


class VersionedModel(models.Model):
    """A model whose rows carry a version number, raised on every save.

    A form remembers the version it was opened at; `coop.concurrency.ensure_unchanged()`
    refuses a save when the row has moved on since, so that a second user's edit never
    silently overwrites the first one's (optimistic locking).
    """

    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        verbose_name=_("version"),
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self.version += 1
            update_fields = kwargs.get("update_fields")
            if update_fields is not None and "version" not in update_fields:
                kwargs["update_fields"] = [*update_fields, "version"]
        super().save(*args, **kwargs)


class NotificationKind(models.TextChoices):
    REPORT_DUE = "report_due", _("Progress report due")
    REPORT_OVERDUE = "report_overdue", _("Progress report overdue")
    RECOMMENDATION_DUE = "recommendation_due", _("Recommendation due")
    RECOMMENDATION_OVERDUE = "recommendation_overdue", _("Recommendation overdue")
    SUBMITTED = "submitted", _("Submitted for review")
    REVIEWED = "reviewed", _("Review result")
    WEEKLY_DIGEST = "weekly_digest", _("Weekly digest")


# The user's switch that lets each kind of notification come by e-mail too.
EMAIL_SWITCH = {
    NotificationKind.REPORT_DUE: "email_report_reminders",
    NotificationKind.REPORT_OVERDUE: "email_report_reminders",
    NotificationKind.RECOMMENDATION_DUE: "email_recommendation_reminders",
    NotificationKind.RECOMMENDATION_OVERDUE: "email_recommendation_reminders",
    NotificationKind.SUBMITTED: "email_submissions",
    NotificationKind.REVIEWED: "email_reviews",
    NotificationKind.WEEKLY_DIGEST: "email_weekly_digest",
}


class EmailStatus(models.TextChoices):
    PENDING = "pending", _("To be sent")
    SENT = "sent", _("Sent")
    NOT_SENT = "not_sent", _("Not sent (turned off, no address or inactive user)")


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """Something a user should know: a report due, a report to review, a review's result.

    Written in the recipient's language when the event happens; listed in the application
    and, unless the user turned its kind off, sent by e-mail (`coop.notifications.deliver`).
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(
        max_length=30,
        choices=NotificationKind.choices,
        verbose_name=_("kind"),
    )
    subject = models.CharField(
        max_length=300,
        verbose_name=_("subject"),
    )
    body = models.TextField(
        blank=True,
        verbose_name=_("text"),
    )
    # A path of the application ("/tasks/12/"); e-mails prefix it with SITE_URL.
    url = models.CharField(
        max_length=500,
        blank=True,
        verbose_name=_("link"),
    )
    created_at = models.DateTimeField(
        auto_now_add=True,
        db_index=True,
        verbose_name=_("created at"),
    )
    read_at = models.DateTimeField(
        null=True,
        blank=True,
        verbose_name=_("read at"),
    )
    email_status = models.CharField(
        max_length=20,
        choices=EmailStatus.choices,
        default=EmailStatus.PENDING,
        verbose_name=_("e-mail"),
    )
    emailed_at = models.DateTimeField(
        null=True,
        blank=True,
        verbose_name=_("e-mailed at"),
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox_idx"),
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
            models.Index(
                fields=["id"],
                condition=Q(email_status="pending"),
                name="notification_email_pending_idx",
            ),
        ]

    def __str__(self):
        return self.subject


class SentReminder(models.Model):
    """The record that a reminder went out: one per recipient, item, occasion and kind, never two.

    The occasion tells reminders of the same item apart: the reporting period, the due date, the week
    of a digest. `send_reminders` writes these first and only then sends, so that it may run as often
    as one likes and be stopped at any point.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="sent_reminders",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(
        max_length=30,
        choices=NotificationKind.choices,
        verbose_name=_("kind"),
    )
    item_type = models.ForeignKey(
        ContentType,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("kind of item"),
    )
    item_id = models.PositiveBigIntegerField(
        verbose_name=_("item"),
    )
    occasion = models.CharField(
        max_length=40,
        verbose_name=_("occasion"),
    )
    # The notification that carried it: one per recipient, kind and run, listing every item reminded of.
    notification = models.ForeignKey(
        Notification,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reminders",
        verbose_name=_("notification"),
    )
    created_at = models.DateTimeField(
        auto_now_add=True,
        verbose_name=_("created at"),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("sent reminder")
        verbose_name_plural = _("sent reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "item_type", "item_id", "occasion"],
                name="sent_reminder_once",
                violation_error_message=_("This reminder was already sent."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.occasion}"


class ExportRequestStatus(models.TextChoices):
    """Where an export written in the background stands."""

    QUEUED = "queued", _("Waiting in the queue")
    RUNNING = "running", _("Being written")
    DONE = "done", _("Ready to download")
    FAILED = "failed", _("Failed")


class ExportFileFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "Excel (XLSX)"


class ExportRequestQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ExportRequestQuerySet":
        """An export holds what its requester could see when they asked: only they may follow it and download it."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(requested_by=user)

    def unfinished(self) -> "ExportRequestQuerySet":
        return self.filter(status__in=[ExportRequestStatus.QUEUED, ExportRequestStatus.RUNNING])


class ExportRequest(models.Model):
    """A list's export too long to write within a web request, written by the worker (`manage.py db_worker`).

    The list, its filters and its sort are kept as the requester asked (`list_name`, `query`); the worker
    reads the rows again as the requester may see them (`coop.background`), writes the file into storage
    and says here how far it has come, so that the requester's page shows the progress, then the file.
    """

    list_name = models.CharField(
        max_length=100,
        verbose_name=_("list"),
    )
    # The list page's query string without the export and page parameters: "status=approved&sort=-code".
    query = models.TextField(
        blank=True,
        verbose_name=_("filters and sort"),
    )
    export_format = models.CharField(
        max_length=4,
        choices=ExportFileFormat.choices,
        verbose_name=_("format"),
    )
    language = models.CharField(
        max_length=10,
        verbose_name=_("language"),
    )
    title = models.CharField(
        max_length=200,
        verbose_name=_("title"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="export_requests",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(
        auto_now_add=True,
        verbose_name=_("requested at"),
    )
    status = models.CharField(
        max_length=10,
        choices=ExportRequestStatus.choices,
        default=ExportRequestStatus.QUEUED,
        verbose_name=_("status"),
    )
    row_count = models.PositiveIntegerField(
        null=True,
        blank=True,
        verbose_name=_("rows"),
    )
    progress = models.PositiveSmallIntegerField(
        default=0,
        verbose_name=_("progress (%)"),
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
    file = models.FileField(
        upload_to="exports/%Y/%m/",
        blank=True,
        verbose_name=_("file"),
    )
    # The id of the queued job in the task backend (django-tasks' DBTaskResult), to find it in the admin.
    task_result_id = models.CharField(
        max_length=64,
        blank=True,
        verbose_name=_("background job"),
    )

    objects = ExportRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("export request")
        verbose_name_plural = _("export requests")
        indexes = [
            models.Index(fields=["requested_by", "status"], name="export_request_user_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100),
                name="export_request_progress_0_100",
                violation_error_message=_("Progress is a percentage between 0 and 100."),
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.export_format}) – {self.requested_at:%d/%m/%Y %H:%M}"

    def get_absolute_url(self):
        return reverse("export_request_detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (ExportRequestStatus.DONE, ExportRequestStatus.FAILED)
