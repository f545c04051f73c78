from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SeedConfig(AppConfig):
    """The demo and the synthetic data sets with their commands (`load_demo`, `generate_synthetic`).

    No other app imports this one: it writes through the models of the others.
    """

    name = "seed"
    verbose_name = _("Demo and synthetic data")
