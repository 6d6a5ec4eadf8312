from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Work on whole organisations across every app: export, restore, the demo data. It sits
    above all the apps; none of them imports it."""

    name = "outsourcing_advisor.operations"
    label = "operations"
