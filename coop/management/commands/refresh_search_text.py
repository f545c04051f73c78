"""Rebuild the folded `search_text` column, e.g. after rows were imported in bulk."""

from django.apps import apps
from django.core.management.base import BaseCommand

from coop.models import SearchableModel
from coop.search import refresh_search_text


class Command(BaseCommand):
    help = "Recompute the diacritic-free search column of every searchable model."

    def handle(self, *args, **options):
        for model in apps.get_models():
            if issubclass(model, SearchableModel):
                changed = refresh_search_text(model.objects.all())
                self.stdout.write(f"{model._meta.label}: {changed}")
