from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments.models import Assessment
from outsourcing_advisor.accounts.access import get_organisation_for_user
from outsourcing_advisor.accounts.forms import OrganisationForm
from outsourcing_advisor.accounts.middleware import LANGUAGE_CODES
from outsourcing_advisor.accounts.models import EDITING_ROLES, Profile
from outsourcing_advisor.common.stamps import atomic_post


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the UI language: kept on the user's profile, and in a cookie before sign-in."""
    language = request.POST.get("language", "")
    response = redirect(_back_to(request.POST.get("next", "")))
    if language not in LANGUAGE_CODES:
        return response
    if request.user.is_authenticated:
        Profile.objects.update_or_create(user=request.user, defaults={"language": language})
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        samesite="Lax",
        max_age=365 * 24 * 3600,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=True,
    )
    return response


def _back_to(next_url: str) -> str:
    """Back to the page the switch was on: a path of this site only. Not a full URL, even of
    this host: http://this-host/ from an HTTPS page would leave HTTPS."""
    if next_url.startswith("/") and url_has_allowed_host_and_scheme(next_url, allowed_hosts=set()):
        return next_url
    return "/"


@login_required
@atomic_post
def organisation_settings(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_organisation_for_user(request, pk, write=request.method == "POST")
    can_edit = organisation.role in EDITING_ROLES
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        if not form.is_stale():  # locks the organisation until saved
            form.save()
            # Hours feed the recommendation (small one-off jobs), so every result is recomputed.
            Assessment.objects.filter(organisation=organisation).recompute_results()
            messages.success(request, _("Organisation settings saved."))
            return redirect("organisation_settings", pk=organisation.pk)
        # Saved meanwhile by someone else: their settings stay, the input is shown again.
        organisation, form = form.refused(_("the organisation settings"))
    return render(
        request,
        "accounts/organisation_settings.html",
        {"organisation": organisation, "form": form, "can_edit": can_edit},
    )
