"""An organisation's settings page. Here, not in accounts, because saving the settings
recomputes the organisation's assessments (accounts imports no other app)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from assessments.models.assessment import save_organisation_settings
from outsourcing_advisor.accounts.access import get_organisation_for_user
from outsourcing_advisor.accounts.forms import OrganisationForm
from outsourcing_advisor.accounts.models import EDITING_ROLES
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
        {"organisation": organisation, "form": form, "can_edit": can_edit},
    )
