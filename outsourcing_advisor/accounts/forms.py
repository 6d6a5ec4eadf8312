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
            "estimate_spread",
            "tax_unrecoverable",
        ]
        # Said for a manager rather than an accountant (the model's help is the short form).
        help_texts = {
            "estimate_spread": _(
                "The inventory's minutes and volumes are estimates. Each package's saving is "
                "also shown as a range, taking them to vary by this much either way: 20 means "
                "from 80% to 120% of the figures. A task whose row gives its own lowest and "
                "highest (busy and quiet seasons, shortest and longest time) uses those instead."
            ),
            "tax_unrecoverable": _(
                "Vendors' fees carry consumption tax (10%). Most companies deduct it in "
                "full from the tax they pay: leave 0. Where your sales are largely tax-exempt "
                "(medical care, finance, rents), part of it cannot be deducted: enter that part "
                "in per cent (100: none is deducted). It is added to the vendors' cost."
            ),
        }

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
            Fieldset(_("How vendors' costs are compared"), "estimate_spread", "tax_unrecoverable"),
            Submit("save", _("Save")),
        )

    def clean(self) -> dict:
        data = super().clean()
        indirect, employees = data.get("indirect_headcount"), data.get("employee_count")
        if indirect is not None and employees is not None and indirect > employees:
            self.add_error("indirect_headcount", _("Cannot be more than the number of employees."))
        return data
