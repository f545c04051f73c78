"""Outputs are reviewed (recorded → submitted → verified or returned) with their evidence, and every output has a unit.

Data, forwards:
- a blank unit takes the default unit of the output's kind (`programmes.choices.OUTPUT_DEFAULT_UNITS` as it
  was when this was written), so that quantities are only ever added up within one unit;
- the free-text recognition ("Quyết định số 123/QĐ-BNN ngày 05/06/2015") moves into the evidence number and
  date when it reads as a number and a dd/mm/yyyy date, and into the evidence number whole otherwise;
- outputs recorded before the review existed were checked by nobody: they become "submitted" (waiting for the
  Ministry's verification, submitted at the time of this migration, by nobody named), so they count in no
  figure until verified and show beside the figures as pending.
Backwards, the evidence is written back into the recognition text; statuses and units stay as they are.
"""

import datetime
import re

import django.db.models.deletion
import tasks.models
from django.conf import settings
from django.db import migrations, models


# As in programmes.choices.OUTPUT_DEFAULT_UNITS when this was written.
DEFAULT_UNITS = {
    "model": "mô hình",
    "technology": "công nghệ",
    "brand": "nhãn hiệu",
    "variety": "giống",
    "process": "quy trình",
    "patent": "bằng",
    "publication": "bài báo",
    "training": "lớp",
    "other": "sản phẩm",
}
# "Quyết định số 123/QĐ-BNN ngày 05/06/2015", "số 12/GCN ngày 5/6/2015", "123/QĐ-BNN ngày 05/06/2015".
RECOGNITION = re.compile(
    r"^\s*(?:quyết định\s+)?(?:số\s+)?(?P<number>\S+)\s*,?\s+ngày\s+(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4})\s*$",
    re.IGNORECASE,
)


def evidence_from_recognition(text: str) -> tuple[str, datetime.date | None]:
    """(number, date) read from a recognition text; the whole text as the number when it does not parse."""
    text = text.strip()
    match = RECOGNITION.match(text)
    if match:
        try:
            day = datetime.date(int(match["year"]), int(match["month"]), int(match["day"]))
        except ValueError:
            return text, None
        return match["number"], day
    return text, None


def fill_units_evidence_and_review(apps, schema_editor):
    Output = apps.get_model("tasks", "Output")
    for kind, unit in DEFAULT_UNITS.items():
        Output.objects.filter(kind=kind, unit="").update(unit=unit)
    Output.objects.filter(unit="").update(unit="sản phẩm")  # a kind no longer offered
    with_recognition = Output.objects.exclude(recognition="").only("pk", "recognition")
    for output in with_recognition.iterator(chunk_size=2000):
        number, day = evidence_from_recognition(output.recognition)
        Output.objects.filter(pk=output.pk).update(evidence_number=number[:255], evidence_date=day)
    Output.objects.all().update(status="submitted", submitted_at=datetime.datetime.now(tz=datetime.UTC))


def restore_recognition(apps, schema_editor):
    Output = apps.get_model("tasks", "Output")
    with_evidence = Output.objects.exclude(evidence_number="", evidence_date=None).only(
        "pk", "evidence_number", "evidence_date"
    )
    for output in with_evidence.iterator(chunk_size=2000):
        day = output.evidence_date.strftime("%d/%m/%Y") if output.evidence_date else ""
        text = f"{output.evidence_number} ngày {day}".strip() if day else output.evidence_number
        Output.objects.filter(pk=output.pk).update(recognition=text[:255])


class Migration(migrations.Migration):
    dependencies = [
        ("tasks", "0006_progress_disbursement"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="output",
            options={
                "ordering": ["task", "kind", "name", "pk"],
                "permissions": [("review_output", "Can verify or return outputs")],
                "verbose_name": "output",
                "verbose_name_plural": "outputs",
            },
        ),
        migrations.RemoveIndex(
            model_name="output",
            name="output_task_kind_quantity_idx",
        ),
        migrations.AddField(
            model_name="historicaloutput",
            name="evidence_date",
            field=models.DateField(
                blank=True, help_text="The date of that document.", null=True, verbose_name="evidence date"
            ),
        ),
        migrations.AddField(
            model_name="historicaloutput",
            name="evidence_file",
            field=models.TextField(
                blank=True,
                help_text="Optional: a scan of the document (PDF, Word, Excel, OpenDocument, JPEG, PNG).",
                max_length=255,
                validators=[tasks.models.validate_evidence_file],
                verbose_name="evidence file",
            ),
        ),
        migrations.AddField(
            model_name="historicaloutput",
            name="evidence_number",
            field=models.CharField(
                blank=True,
                help_text="The number of the document that proves the output: the recognition decision of a variety, the certificate of a brand or patent, the transfer contract of a technology, the acceptance record of a model.",
                max_length=255,
                verbose_name="evidence number",
            ),
        ),
        migrations.AddField(
            model_name="historicaloutput",
            name="evidence_original_name",
            field=models.CharField(blank=True, editable=False, max_length=255, verbose_name="original file name"),
        ),
        migrations.AddField(
            model_name="historicaloutput",
            name="review_note",
            field=models.TextField(blank=True, verbose_name="review note"),
        ),
        migrations.AddField(
            model_name="historicaloutput",
            name="reviewed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="reviewed at"),
        ),
        migrations.AddField(
            model_name="historicaloutput",
            name="reviewed_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="reviewed by",
            ),
        ),
        migrations.AddField(
            model_name="historicaloutput",
            name="status",
            field=models.CharField(
                choices=[
                    ("recorded", "Recorded"),
                    ("submitted", "Submitted"),
                    ("verified", "Verified"),
                    ("returned", "Returned"),
                ],
                db_index=True,
                default="recorded",
                max_length=20,
                verbose_name="status",
            ),
        ),
        migrations.AddField(
            model_name="historicaloutput",
            name="submitted_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="submitted at"),
        ),
        migrations.AddField(
            model_name="historicaloutput",
            name="submitted_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="submitted by",
            ),
        ),
        migrations.AddField(
            model_name="output",
            name="evidence_date",
            field=models.DateField(
                blank=True, help_text="The date of that document.", null=True, verbose_name="evidence date"
            ),
        ),
        migrations.AddField(
            model_name="output",
            name="evidence_file",
            field=models.FileField(
                blank=True,
                help_text="Optional: a scan of the document (PDF, Word, Excel, OpenDocument, JPEG, PNG).",
                max_length=255,
                upload_to=tasks.models.output_evidence_upload_to,
                validators=[tasks.models.validate_evidence_file],
                verbose_name="evidence file",
            ),
        ),
        migrations.AddField(
            model_name="output",
            name="evidence_number",
            field=models.CharField(
                blank=True,
                help_text="The number of the document that proves the output: the recognition decision of a variety, the certificate of a brand or patent, the transfer contract of a technology, the acceptance record of a model.",
                max_length=255,
                verbose_name="evidence number",
            ),
        ),
        migrations.AddField(
            model_name="output",
            name="evidence_original_name",
            field=models.CharField(blank=True, editable=False, max_length=255, verbose_name="original file name"),
        ),
        migrations.AddField(
            model_name="output",
            name="review_note",
            field=models.TextField(blank=True, verbose_name="review note"),
        ),
        migrations.AddField(
            model_name="output",
            name="reviewed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="reviewed at"),
        ),
        migrations.AddField(
            model_name="output",
            name="reviewed_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="outputs_reviewed",
                to=settings.AUTH_USER_MODEL,
                verbose_name="reviewed by",
            ),
        ),
        migrations.AddField(
            model_name="output",
            name="status",
            field=models.CharField(
                choices=[
                    ("recorded", "Recorded"),
                    ("submitted", "Submitted"),
                    ("verified", "Verified"),
                    ("returned", "Returned"),
                ],
                db_index=True,
                default="recorded",
                max_length=20,
                verbose_name="status",
            ),
        ),
        migrations.AddField(
            model_name="output",
            name="submitted_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="submitted at"),
        ),
        migrations.AddField(
            model_name="output",
            name="submitted_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="outputs_submitted",
                to=settings.AUTH_USER_MODEL,
                verbose_name="submitted by",
            ),
        ),
        migrations.RunPython(fill_units_evidence_and_review, restore_recognition),
        migrations.RemoveField(
            model_name="historicaloutput",
            name="recognition",
        ),
        migrations.RemoveField(
            model_name="output",
            name="recognition",
        ),
        migrations.AlterField(
            model_name="historicaloutput",
            name="unit",
            field=models.CharField(
                help_text="What the quantity counts: only quantities of one unit add up.",
                max_length=50,
                verbose_name="unit",
            ),
        ),
        migrations.AlterField(
            model_name="output",
            name="unit",
            field=models.CharField(
                help_text="What the quantity counts: only quantities of one unit add up.",
                max_length=50,
                verbose_name="unit",
            ),
        ),
        migrations.AddIndex(
            model_name="output",
            index=models.Index(fields=["task", "kind", "unit", "status", "quantity"], name="output_task_kind_unit_idx"),
        ),
        migrations.AddConstraint(
            model_name="output",
            constraint=models.CheckConstraint(
                condition=models.Q(("unit", ""), _negated=True),
                name="output_has_unit",
                violation_error_message="Say what the quantity counts: its unit.",
            ),
        ),
        migrations.AddConstraint(
            model_name="output",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("reviewed_by__isnull", True),
                    ("submitted_by__isnull", True),
                    models.Q(("reviewed_by", models.F("submitted_by")), _negated=True),
                    _connector="OR",
                ),
                name="output_not_reviewed_by_submitter",
                violation_error_message="Nobody may verify an output they submitted.",
            ),
        ),
        migrations.AddConstraint(
            model_name="output",
            constraint=models.CheckConstraint(
                condition=models.Q(("status", "recorded"), ("submitted_at__isnull", False), _connector="OR"),
                name="output_submitted_has_time",
                violation_error_message="A submitted output must say when it was submitted.",
            ),
        ),
        migrations.AddConstraint(
            model_name="output",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status__in", ["verified", "returned"]), _negated=True),
                    models.Q(("reviewed_at__isnull", False), ("reviewed_by__isnull", False)),
                    _connector="OR",
                ),
                name="output_reviewed_has_reviewer",
                violation_error_message="A verified or returned output must name its reviewer and review time.",
            ),
        ),
        migrations.AddConstraint(
            model_name="output",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "returned"), _negated=True),
                    models.Q(("review_note", ""), _negated=True),
                    _connector="OR",
                ),
                name="output_returned_has_reason",
                violation_error_message="A returned output must say why it was returned.",
            ),
        ),
        migrations.AddConstraint(
            model_name="output",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("kind__in", ("variety", "brand", "patent")), ("status", "verified"), _negated=True),
                    models.Q(models.Q(("evidence_number", ""), _negated=True), ("evidence_date__isnull", False)),
                    _connector="OR",
                ),
                name="output_verified_has_evidence",
                violation_error_message="A variety, brand or patent is verified only with the number and date of its recognition decision or certificate.",
            ),
        ),
    ]
