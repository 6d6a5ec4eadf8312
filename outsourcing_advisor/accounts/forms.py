from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django.utils.translation import gettext_lazy as _

from outsourcing_advisor.accounts.models import Organisation
from outsourcing_advisor.common.stamps import StampedModelForm


class OrganisationForm(StampedModelForm):
    """The organisation's settings, stamped: a save over someone else's newer one is refused."""

    class Meta:
        model = Organisation
        fields = [
            "name",
            "industry",
            "employee_count",
            "revenue_band",
            "indirect_headcount",
            "hourly_cost",
            "working_days",
            "yearly_hours",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "seen",
            Fieldset(
                _("Company"),
                "name",
                "industry",
                "employee_count",
                "revenue_band",
                "indirect_headcount",
            ),
            Fieldset(
                _("How hours and cost are computed"), "hourly_cost", "working_days", "yearly_hours"
            ),
            Submit("save", _("Save")),
        )

    def clean(self) -> dict:
        data = super().clean()
        indirect, employees = data.get("indirect_headcount"), data.get("employee_count")
        if indirect is not None and employees is not None and indirect > employees:
            self.add_error("indirect_headcount", _("Cannot be more than the number of employees."))
        return data
