"""Load the official list of provinces and their mergers of 1/7/2025 from the `vietnamadminunits` package."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from programmes.divisions import package_version
from programmes.services import province_load_official


class Command(BaseCommand):
    help = (
        "Write every province of Vietnam, before and after 1/7/2025, with the province each merged into "
        "(idempotent: a second run changes nothing). Reads the data the vietnamadminunits package ships; "
        "needs no network."
    )

    def handle(self, *args, **options):
        load = province_load_official()
        current = sum(1 for province in load.provinces.values() if province.valid_to is None)
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Provinces loaded from vietnamadminunits %(version)s: %(total)s on the list, %(current)s "
                    "existing today; %(created)s created, %(updated)s updated."
                )
                % {
                    "version": package_version(),
                    "total": len(load.provinces),
                    "current": current,
                    "created": load.created,
                    "updated": load.updated,
                }
            )
        )
