from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HistoryConfig(AppConfig):
    name = "outsourcing_advisor.history"
    label = "history"
    verbose_name = _("History")
