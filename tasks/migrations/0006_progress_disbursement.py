"""A progress report gives what was disbursed per funding row (source and year) instead of one cumulative figure.

The reports recorded before keep their figures: each cumulative "disbursed to date" is split over its
task's funding rows once, by the rule approval applied until now (oldest year first, each row up to
what it was allocated), so that the rows' disbursed amounts stay exactly as they are. Every figure made
so says in its history that it was spread by the former rule, not given by the province.
"""

import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from coop.roles import sync_role_groups

# The reason each figure split here carries in its history (history_change_reason holds 100 characters).
BATCH_SIZE = 5000
# Marked so that makemessages keeps it in the catalogue: it is translated where it is written (below).
SPREAD_REASON = gettext_noop("Spread by the former rule (oldest year first) when figures became per funding row")


def spread_reported_disbursements(apps, schema_editor):
    """Split every report's cumulative figure over its task's funding rows, oldest year first, as approval
    did before; the funding rows themselves are not touched.

    A report whose figure is more than its task's rows are allocated now keeps its figure; its rows get
    what the rule gave them. A task without funding rows gets no figures per row.
    """
    ProgressReport = apps.get_model("tasks", "ProgressReport")
    Funding = apps.get_model("tasks", "Funding")
    ProgressDisbursement = apps.get_model("tasks", "ProgressDisbursement")
    Historical = apps.get_model("tasks", "HistoricalProgressDisbursement")
    with translation.override(settings.LANGUAGE_CODE):
        reason = gettext(SPREAD_REASON)[:100]
    now = timezone.now()
    reports = ProgressReport.objects.filter(disbursed_to_date__isnull=False).order_by("task_id", "pk")
    task_id, fundings, batch = None, [], []
    for report in reports.iterator(chunk_size=BATCH_SIZE):
        if report.task_id != task_id:
            task_id = report.task_id
            fundings = list(Funding.objects.filter(task_id=task_id).order_by("year", "source", "pk"))
        remaining = report.disbursed_to_date
        for funding in fundings:
            share = min(funding.allocated, remaining)
            remaining -= share
            batch.append(ProgressDisbursement(report_id=report.pk, funding_id=funding.pk, disbursed_to_date=share))
        if len(batch) >= BATCH_SIZE:
            _write(batch, ProgressDisbursement, Historical, reason, now)
            batch = []
    _write(batch, ProgressDisbursement, Historical, reason, now)


def _write(rows, ProgressDisbursement, Historical, reason, now):
    """The rows, and for each the first record of its history, saying where its figure came from."""
    ProgressDisbursement.objects.bulk_create(rows)
    Historical.objects.bulk_create(
        Historical(
            id=row.pk,
            report_id=row.report_id,
            funding_id=row.funding_id,
            disbursed_to_date=row.disbursed_to_date,
            history_date=now,
            history_type="+",
            history_change_reason=reason,
        )
        for row in rows
    )


def drop_spread_disbursements(apps, schema_editor):
    """Backwards: the per-row figures go with their table; the cumulative figure on each report stayed."""


def resync_role_groups(apps, schema_editor):
    sync_role_groups(apps)


class Migration(migrations.Migration):

    dependencies = [
        ('tasks', '0005_task_funding_sums'),
        ('coop', '0002_role_groups'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='historicalprogressreport',
            name='disbursed_to_date',
            field=models.DecimalField(blank=True, decimal_places=0, editable=False, help_text='The sum of what the report gives as disbursed on each funding row; empty when it gives none.', max_digits=18, null=True, validators=[django.core.validators.MinValueValidator(0, message='Amounts cannot be negative.')], verbose_name='disbursed to date (VND)'),
        ),
        migrations.AlterField(
            model_name='progressreport',
            name='disbursed_to_date',
            field=models.DecimalField(blank=True, decimal_places=0, editable=False, help_text='The sum of what the report gives as disbursed on each funding row; empty when it gives none.', max_digits=18, null=True, validators=[django.core.validators.MinValueValidator(0, message='Amounts cannot be negative.')], verbose_name='disbursed to date (VND)'),
        ),
        migrations.CreateModel(
            name='HistoricalProgressDisbursement',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('disbursed_to_date', models.DecimalField(decimal_places=0, max_digits=18, validators=[django.core.validators.MinValueValidator(0, message='Amounts cannot be negative.')], verbose_name='disbursed to date (VND)')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('funding', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='tasks.funding', verbose_name='funding')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('report', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='tasks.progressreport', verbose_name='progress report')),
            ],
            options={
                'verbose_name': 'historical disbursement by funding row',
                'verbose_name_plural': 'historical disbursements by funding row',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='ProgressDisbursement',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('disbursed_to_date', models.DecimalField(decimal_places=0, max_digits=18, validators=[django.core.validators.MinValueValidator(0, message='Amounts cannot be negative.')], verbose_name='disbursed to date (VND)')),
                ('funding', models.ForeignKey(on_delete=django.db.models.deletion.RESTRICT, related_name='reported_disbursements', to='tasks.funding', verbose_name='funding')),
                ('report', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='disbursements', to='tasks.progressreport', verbose_name='progress report')),
            ],
            options={
                'verbose_name': 'disbursement by funding row',
                'verbose_name_plural': 'disbursements by funding row',
                'ordering': ['report', 'funding__year', 'funding__source', 'pk'],
                'constraints': [models.UniqueConstraint(fields=('report', 'funding'), name='progress_disbursement_one_per_row', violation_error_message='The report already gives an amount for this funding row.'), models.CheckConstraint(condition=models.Q(('disbursed_to_date__gte', 0)), name='progress_disbursement_not_negative', violation_error_message='The amount disbursed cannot be negative.')],
            },
        ),
        migrations.RunPython(spread_reported_disbursements, drop_spread_disbursements),
        # The groups get the permissions of the new model (coop/roles.py); left in place on reverse.
        migrations.RunPython(resync_role_groups, migrations.RunPython.noop),
    ]
