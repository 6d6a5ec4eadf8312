"""An organisation's settings page. Here, not in accounts, because saving the settings
recomputes the organisation's assessments (accounts imports no other app)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from assessments.models.assessment import save_organisation_settings
from assessments.templatetags.figures import DASH, number, yen
from outsourcing_advisor.accounts.access import get_organisation_for_user
from outsourcing_advisor.accounts.forms import OrganisationForm
from outsourcing_advisor.accounts.models import EDITING_ROLES, Organisation
from outsourcing_advisor.common.stamps import atomic_post


@login_required
@atomic_post
def organisation_settings(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_organisation_for_user(request, pk, write=request.method == "POST")
    can_edit = organisation.role in EDITING_ROLES
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        if not form.is_stale():  # locks the organisation until saved
            save_organisation_settings(form, request.user)
            messages.success(request, _("Organisation settings saved."))
            return redirect("organisation_settings", pk=organisation.pk)
        # Saved meanwhile by someone else: their settings stay, the input is shown again.
        organisation, form = form.refused(_("the organisation settings"))
    return render(
        request,
        "accounts/organisation_settings.html",
        {
            "organisation": organisation,
            "form": form,
            "can_edit": can_edit,
            "shown": [] if can_edit else settings_shown(organisation, form),
        },
    )


def settings_shown(organisation: Organisation, form: OrganisationForm) -> list[tuple[Any, str]]:
    """What a viewer reads: each setting's label and its value as people write it (the revenue
    band's label, ¥3,200, 1,920 hours), never a stored key nor a bare number."""
    o = organisation

    def count(value: int | None, text: str) -> str:
        return DASH if value is None else text % {"count": number(value)}

    values = {
        "revenue_band": o.get_revenue_band_display() or DASH,
        "employee_count": count(o.employee_count, _("%(count)s people")),
        "indirect_headcount": count(o.indirect_headcount, _("%(count)s people")),
        "hourly_cost": yen(o.hourly_cost),
        "working_days": count(o.working_days, _("%(count)s days")),
        "yearly_hours": count(o.yearly_hours, _("%(count)s hours")),
        "estimate_spread": f"±{o.estimate_spread}%",
        "tax_unrecoverable": f"{o.tax_unrecoverable}%",
    }
    return [
        (field.label, values.get(field.name) or str(field.value() or "") or DASH)
        for field in form.visible_fields()
    ]
