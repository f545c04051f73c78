"""`manage.py check_figures`: every headline figure shown, recomputed from the rows; non-zero exit on a difference."""

import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from coop.formatting import format_billions
from programmes.choices import OutputKind, TargetMetric
from programmes.models import Agency, Programme, Target
from reports import figure_audit as audit
from reports.queries import programme_review
from reports.services import programme_review_pdf
from reports.templatetags.report_format import in_billions
from tasks.choices import FundingSource, TaskStatus

AUDIT_USERNAME = "figure-audit"
# The host the audit's requests name; allowed for the audit alone.
AUDIT_HOST = "figure-audit.invalid"


class Command(BaseCommand):
    help = (
        "Recompute every headline figure of every programme, agency and of the dashboard straight from the "
        "tables with plain SQL, and compare it with what their pages and the programmes' review reports (PDF) "
        "show. Lists every difference and exits with status 1 when there is one. Writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--programme", action="append", default=[], help="Only this programme code (repeatable).")
        parser.add_argument("--no-pdf", action="store_true", help="Leave out the review reports (the slow part).")
        parser.add_argument("--no-agencies", action="store_true", help="Leave out the agencies' pages.")

    def handle(self, *args, programme, no_pdf, no_agencies, **options):
        started = time.monotonic()
        today = timezone.localdate()
        self.checked = 0
        differences = []
        # Everything happens in a transaction rolled back at the end: the audit's own user, and anything
        # a page might write, are gone afterwards.
        with transaction.atomic(), override_settings(ALLOWED_HOSTS=[AUDIT_HOST]):
            user = get_user_model().objects.create(username=AUDIT_USERNAME, is_superuser=True, is_staff=True)
            client = Client(HTTP_HOST=AUDIT_HOST, secure=True)
            client.force_login(user)
            programmes = Programme.objects.order_by("code")
            if programme:
                programmes = programmes.filter(code__in=programme)
            differences += self.check_programmes(client, user, list(programmes), today, with_pdf=not no_pdf)
            if not no_agencies and not programme:
                differences += self.check_agencies(client)
            if not programme:
                differences += self.check_dashboard(client, today)
            transaction.set_rollback(True)

        for difference in differences:
            self.stderr.write(str(difference))
        summary = f"{self.checked:,} figures compared in {time.monotonic() - started:.1f} s"
        if differences:
            raise CommandError(f"{len(differences)} differences; {summary}.")
        self.stdout.write(self.style.SUCCESS(f"No difference: {summary}."))

    def page(self, client, url: str) -> str:
        response = client.get(url)
        if response.status_code != 200:
            raise CommandError(f"{url} answered {response.status_code}")
        return response.content.decode()

    def compare_page(self, where: str, html: str, expected) -> list:
        shown = audit.figures_on_page(html)
        self.checked += len(set(shown) | set(expected))
        return audit.compare_page(where, shown, expected)

    def check_programmes(self, client, user, programmes, today, *, with_pdf: bool) -> list:
        on_page = audit.programme_figures()
        in_report = audit.programme_figures(as_of=today) if with_pdf else {}
        differences = []
        for programme in programmes:
            where = f"programme {programme.code}"
            html = self.page(client, reverse("programme_detail", args=[programme.pk]))
            differences += self.compare_page(f"{where} (page)", html, on_page.get(programme.pk, {}))
            if with_pdf:
                differences += self.check_review_pdf(where, programme, user, today, in_report.get(programme.pk, {}))
        return differences

    def check_review_pdf(self, where, programme, user, today, expected) -> list:
        review = programme_review(programme=programme, user=user, as_of=today, include_tasks=False)
        pdf = programme_review_pdf(review=review, user=user, language="vi", issued_at=timezone.now())
        with translation.override("vi"):
            lines = list(review_lines(programme, expected))
        self.checked += len(lines)
        return audit.compare_pdf(f"{where} (review PDF)", audit.pdf_lines(pdf), lines)

    def check_agencies(self, client) -> list:
        expected = audit.agency_figures()
        differences = []
        for agency in Agency.objects.order_by("pk"):
            html = self.page(client, reverse("agency_detail", args=[agency.pk]))
            differences += self.compare_page(f"agency {agency.pk} {agency.name}", html, expected.get(agency.pk, {}))
        return differences

    def check_dashboard(self, client, today) -> list:
        html = self.page(client, reverse("dashboard"))
        return self.compare_page("dashboard", html, audit.dashboard_figures(today))


def review_lines(programme: Programme, figures: dict):
    """(figure, line) for each line the review report must print, in the active language.

    The tables of the report, row by row: tasks by status and their total, allocated funding by
    year and source (billions, two decimals) and its totals, verified outputs by kind and unit,
    and each target beside what was achieved.
    """
    statuses = [(status, figures.get(f"status:{status}")) for status in TaskStatus]
    for status, count in statuses:
        if count:
            yield f"status:{status}", f"{status.label} {number(count)}"
    if figures.get("tasks"):
        yield "tasks", f"{_('Total')} {number(figures['tasks'])}"

    sources = [source for source in FundingSource if figures.get(f"funding:{source}")]
    years = sorted({int(key.split(":")[1]) for key in figures if key.count(":") == 2 and key.startswith("funding:")})
    for year in years:
        cells = [in_billions(figures.get(f"funding:{year}:{source}", 0)) for source in sources]
        yield f"funding:{year}", " ".join([str(year), *cells, in_billions(figures[f"funding:{year}:total"])])
    if sources:
        cells = [in_billions(figures[f"funding:{source}"]) for source in sources]
        yield "funding:total", " ".join([_("Total"), *cells, in_billions(figures["funding:total"])])

    for kind in OutputKind:
        units = {key.split(":", 2)[2] for key in figures if key.split(":")[0] in ("outputs", "pending")}
        for unit in sorted(units):
            verified = figures.get(f"outputs:{kind}:{unit}", 0)
            pending = figures.get(f"pending:{kind}:{unit}", 0)
            if verified or pending:
                line = f"{kind.label} {unit} {number(verified)}" + (f" {number(pending)}" if pending else "")
                yield f"outputs:{kind}:{unit}", line

    for target in Target.objects.filter(programme=programme).order_by("pk"):
        yield f"target:{target.pk}", target_line(target, figures.get(f"target:{target.pk}", 0))


def number(value) -> str:
    """A whole number as the report prints it in the active language ("1.250")."""
    return number_format(value, decimal_pos=0, force_grouping=True)


def target_line(target: Target, actual) -> str:
    if target.metric == TargetMetric.MINISTRY_FUNDING:
        shown = [format_billions(target.value), format_billions(actual)]
    else:
        shown = [number(target.value), number(actual)]
    percent = f" {number(int(actual * 100 / target.value))}%" if target.value else ""
    return f"{target.get_metric_display()} {shown[0]} {shown[1]}{percent}"
