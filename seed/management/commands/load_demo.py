"""Load the demo data set: the Thái Bình cooperation programme and its review meeting of 10/6/2020."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from coop.formatting import format_billions, format_vnd
from programmes.choices import OutputKind, TargetMetric
from seed.demo import load_demo
from seed.demo_data import DEMO_LOGINS, DEMO_PASSWORD, ILLUSTRATIVE_NOTE

ARTICLE_OUTPUT_KINDS = (OutputKind.MODEL, OutputKind.TECHNOLOGY, OutputKind.BRAND)


class Command(BaseCommand):
    help = "Load the demo data set (idempotent: a second run changes nothing) and print the demo logins."

    def handle(self, *args, **options):
        summary = load_demo()
        out = self.stdout
        out.write(
            self.style.SUCCESS(
                _("Demo data loaded: %(created)s rows created, %(updated)s updated.")
                % {"created": summary.created, "updated": summary.updated}
            )
        )
        out.write("  " + " · ".join(f"{label}: {count}" for label, count in summary.rows))
        out.write(
            _("Figures of the programme %(code)s, computed from the database:") % {"code": summary.programme_code}
        )
        out.write(f"  {TargetMetric.TASKS.label}: {summary.tasks}")
        funding = summary.ministry_funding
        out.write(f"  {TargetMetric.MINISTRY_FUNDING.label}: {format_vnd(funding)} ({format_billions(funding)})")
        for kind in ARTICLE_OUTPUT_KINDS:
            out.write(f"  {kind.label}: {summary.output_quantities.get(kind, 0)}")
        varieties = summary.output_quantities.get(OutputKind.VARIETY, 0)
        out.write(f"  {OutputKind.VARIETY.label}: {varieties} ({', '.join(summary.varieties)})")
        out.write(str(ILLUSTRATIVE_NOTE))
        out.write(_("Demo logins (password %(password)s):") % {"password": DEMO_PASSWORD})
        for username, role, _password in DEMO_LOGINS:
            out.write(f"  {username:<14} {role}")
