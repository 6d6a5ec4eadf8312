"""The join page behind an invitation's link (issue 18), /join/<token>/: outside the signed-in
area. A signed-in person who is not a member yet sees the organisation and the role and accepts;
a visitor without an account creates one and is signed in; a member already is told so (the
invitation stays unused, for whoever it was meant for).

A door to the outside, as the vendors' pages are (vendors/web/portal_views.py): a limit of
requests per address (vendors/web/throttle.py), the same plain 404 for a token that is unknown,
malformed, expired, revoked or used, and headers that keep the token (in the URL) out of other
sites' referrers, caches and search engines. The app's Content-Security-Policy and CSRF check
apply as everywhere."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assessments.web.member_forms import ROLE_HELP, JoinForm
from outsourcing_advisor.accounts.models import Invitation, Membership, Role, person_name
from outsourcing_advisor.members import services as members
from vendors.web import throttle

DOOR = "join"
REFERRER_POLICY = "same-origin"  # not "no-referrer": the CSRF check needs the form's origin
BACKEND = "django.contrib.auth.backends.ModelBackend"


def join_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Limited per address, a plain 404 (counted as a miss) for a token that finds no working
    invitation, and never cached, indexed or sent on as a referrer."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        wait = throttle.limited(request, door=DOOR)
        if wait:
            response = render(request, "portal/429.html", status=429)
            response["Retry-After"] = str(wait)
        else:
            try:
                response = view(request, *args, **kwargs)
            except Http404:
                throttle.missed(request, door=DOOR)
                response = render(request, "accounts/join_404.html", status=404)
        patch_cache_control(response, no_store=True, private=True)
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Referrer-Policy"] = REFERRER_POLICY
        return response

    return wrapper


def _invitation(token: str) -> Invitation:
    invitation = members.find(token)
    if invitation is None:
        raise Http404
    return invitation


@join_page
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, token: str) -> HttpResponse:
    invitation = _invitation(token)
    if request.user.is_authenticated:
        return _signed_in(request, invitation, token)
    form = JoinForm(request.POST or None, initial={"email": invitation.email})
    if request.method == "POST" and form.is_valid():
        user = form.save(commit=False)
        membership = _accept(invitation, user)
        login(request, user, backend=BACKEND)
        return _welcome(request, membership)
    return _render(request, invitation, token, form=form)


def _signed_in(request: HttpRequest, invitation: Invitation, token: str) -> HttpResponse:
    """Accept as the signed-in person (their own button only: not an account form posted from
    a page shown before they signed in elsewhere), or say they are a member already."""
    existing = invitation.organisation.memberships.filter(user=request.user).first()
    accepting = request.method == "POST" and request.POST.get("action") == "accept"
    if accepting and existing is None:
        try:
            return _welcome(request, _accept(invitation, request.user))
        except members.AlreadyMember as already:  # joined meanwhile, in another tab
            existing = already.membership
    return _render(request, invitation, token, member=existing)


def _accept(invitation: Invitation, user: Any) -> Membership:
    try:
        return members.accept(invitation, user, language=translation.get_language())
    except members.Closed:  # used, revoked or expired since the page was shown
        raise Http404 from None


def _welcome(request: HttpRequest, membership: Membership) -> HttpResponse:
    messages.success(
        request,
        _("Welcome to %(organisation)s: you are a member as %(role)s.")
        % {"organisation": membership.organisation.name, "role": Role(membership.role).label},
    )
    return redirect("home")


def _render(
    request: HttpRequest,
    invitation: Invitation,
    token: str,
    *,
    form: JoinForm | None = None,
    member: Membership | None = None,
) -> HttpResponse:
    here = reverse("join", args=[token])
    context = {
        "invitation": invitation,
        "organisation": invitation.organisation,
        "role": Role(invitation.role).label,
        "role_help": ROLE_HELP[Role(invitation.role)],
        "invited_by": person_name(invitation.created_by) if invitation.created_by else "",
        "form": form,
        "member": member,
        "member_role": Role(member.role).label if member else "",
        "here": here,
        "sign_in": f"{reverse('login')}?next={here}",
    }
    return render(request, "accounts/join.html", context)
