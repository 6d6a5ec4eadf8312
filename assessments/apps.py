from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class AssessmentsConfig(AppConfig):
    name = "assessments"
    # The admin's section: 検討 in Japanese, as the model is (the nav's list says 検討一覧).
    verbose_name = pgettext_lazy("app", "Assessments")

    def ready(self) -> None:
        # The history page words this app's changes as its pages do (see history/display.py).
        from assessments.web import history_labels

        history_labels.register()
