from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VendorsConfig(AppConfig):
    name = "vendors"
    verbose_name = _("Vendors")

    def ready(self) -> None:
        # The history page words this app's changes as its pages do (see history/display.py).
        from vendors.web import history_labels

        history_labels.register()
