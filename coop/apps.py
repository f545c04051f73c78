from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoopConfig(AppConfig):
    name = "coop"
    verbose_name = _("Accounts and shared settings")

    def ready(self):
        from simple_history.signals import pre_create_historical_record

        from coop.history import name_author_and_reason

        pre_create_historical_record.connect(name_author_and_reason, dispatch_uid="coop.history.recorded_as")
