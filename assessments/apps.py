from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Assessments")

    def ready(self) -> None:
        # The history page words this app's changes as its pages do (see history/display.py).
        from assessments.web import history_labels

        history_labels.register()
