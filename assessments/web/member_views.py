"""An organisation's members page (issue 18): every member sees who belongs to the organisation
and with which role; a manager invites people by link, changes roles, removes members and
revokes invitations, and reads the history of all of it. Here, with the organisation settings,
because the changes are recorded in the history, which accounts may not import; the changes
themselves are outsourcing_advisor/members/services.py's.

A new invitation's link is shown in the one response that issues it (never cached) and never
again: only its hash is stored."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments.web.member_forms import InviteForm, RoleForm
from outsourcing_advisor.accounts.access import get_organisation_for_user
from outsourcing_advisor.accounts.models import (
    Invitation,
    Membership,
    Organisation,
    Role,
    person_name,
)
from outsourcing_advisor.history import display
from outsourcing_advisor.history.models import Event, SubjectType
from outsourcing_advisor.members import services as members
from vendors.web.link_forms import mail_configured

logger = logging.getLogger(__name__)

SHOWN_INVITATIONS = 30
SHOWN_EVENTS = 20
# Managers first, then consultants, then viewers; by name within a role.
ROLE_ORDER = {role: position for position, role in enumerate(Role.values)}


def _organisation(request: HttpRequest, org_pk: int, *, manage: bool = False) -> Organisation:
    """The organisation, if the user belongs to it (else 404); managing its members needs the
    manager's role (else 403)."""
    organisation = get_organisation_for_user(request, org_pk)
    if manage and organisation.role != Role.MANAGER:
        raise PermissionDenied
    return organisation


def _back(organisation: Organisation, anchor: str = "members") -> HttpResponse:
    return redirect(reverse("organisation_members", args=[organisation.pk]) + f"#{anchor}")


@dataclass(frozen=True)
class MemberRow:
    membership: Membership
    name: str
    you: bool
    only_manager: bool  # the last manager: neither demoted nor removed


@dataclass(frozen=True)
class InvitationRow:
    invitation: Invitation
    state: str
    created_by: str
    accepted_by: str


def member_rows(organisation: Organisation, user: Any) -> list[MemberRow]:
    """The members in one query, managers first."""
    memberships = list(organisation.memberships.select_related("user"))
    managers = sum(m.role == Role.MANAGER for m in memberships)
    rows = [
        MemberRow(
            m, person_name(m.user), m.user_id == user.pk, m.role == Role.MANAGER and managers == 1
        )
        for m in memberships
    ]
    return sorted(rows, key=lambda row: (ROLE_ORDER.get(row.membership.role, 9), row.name))


@dataclass(frozen=True)
class Invitations:
    """The invitations that work, all of them; the newest of the others (used, expired or
    revoked), and whether there are more of those."""

    working: list[InvitationRow]
    earlier: list[InvitationRow]
    more: bool


def invitation_rows(organisation: Organisation) -> Invitations:
    """The invitations with their states, in two queries whatever their number."""
    now = timezone.now()
    rows = organisation.invitations.select_related("created_by", "accepted_by").order_by(
        "-created_at", "-pk"
    )
    works = Q(revoked_at__isnull=True, accepted_at__isnull=True, expires_at__gt=now)
    earlier = list(rows.exclude(works)[: SHOWN_INVITATIONS + 1])

    def row(invitation: Invitation) -> InvitationRow:
        return InvitationRow(
            invitation,
            members.state(invitation, now),
            person_name(invitation.created_by) if invitation.created_by else "",
            person_name(invitation.accepted_by) if invitation.accepted_by else "",
        )

    return Invitations(
        [row(invitation) for invitation in rows.filter(works)],
        [row(invitation) for invitation in earlier[:SHOWN_INVITATIONS]],
        len(earlier) > SHOWN_INVITATIONS,
    )


def _events(organisation: Organisation, viewer: Any) -> list[display.Row]:
    events = Event.objects.filter(
        organisation=organisation,
        assessment__isnull=True,
        subject_type__in=[SubjectType.MEMBER, SubjectType.INVITATION],
    ).select_related("actor")[:SHOWN_EVENTS]
    return display.rows(events, viewer=viewer)


def _page(
    request: HttpRequest, organisation: Organisation, form: InviteForm | None = None
) -> HttpResponse:
    manager = organisation.role == Role.MANAGER
    context: dict[str, Any] = {
        "organisation": organisation,
        "rows": member_rows(organisation, request.user),
        "manager": manager,
        "roles": Role.choices,
    }
    if manager:
        context |= {
            "form": form or InviteForm(mail=mail_configured()),
            "invitations": invitation_rows(organisation),
            "history": _events(organisation, request.user),
            "max_days": members.MAX_DAYS,
        }
    status = 400 if form is not None else 200
    return render(request, "accounts/members.html", context, status=status)


@login_required
@require_GET
def organisation_members(request: HttpRequest, org_pk: int) -> HttpResponse:
    """The members and their roles; for a manager, the invitations, the forms and the history."""
    return _page(request, _organisation(request, org_pk))


@login_required
@require_POST
@never_cache
def invitation_create(request: HttpRequest, org_pk: int) -> HttpResponse:
    """Issue an invitation and show its link this once (mailed too when asked and a mail server
    is set)."""
    organisation = _organisation(request, org_pk, manage=True)
    form = InviteForm(request.POST, mail=mail_configured())
    if not form.is_valid():
        return _page(request, organisation, form)
    data = form.cleaned_data
    invitation, token = members.invite(
        organisation, data["role"], request.user, email=data["email"], days=data["days"]
    )
    url = request.build_absolute_uri(reverse("join", args=[token]))
    context = {
        "organisation": organisation,
        "invitation": invitation,
        "role": Role(invitation.role).label,
        "url": url,
        "email": invitation.email,
        "mailed": _mail(request, invitation, url) if form.mailing else None,
    }
    return render(request, "accounts/invitation_issued.html", context)


def _mail(request: HttpRequest, invitation: Invitation, url: str) -> bool:
    """The invitation as plain text, in the manager's language; whether it left."""
    context = {
        "organisation": invitation.organisation.name,
        "role": Role(invitation.role).label,
        "url": url,
        "expires": timezone.localtime(invitation.expires_at),
        "zone": timezone.get_current_timezone_name(),
        "manager": person_name(request.user),
        "manager_email": getattr(request.user, "email", ""),
    }
    subject = _("Invitation to %(organisation)s") % {"organisation": invitation.organisation.name}
    body = render_to_string("accounts/invitation_mail.txt", context)
    try:
        send_mail(" ".join(subject.split()), body, None, [invitation.email])
    except OSError:  # smtplib's errors are OSErrors: the link stands, it can be copied
        logger.warning("An invitation mail could not be sent.", exc_info=True)
        return False
    return True


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, org_pk: int, invitation_pk: int) -> HttpResponse:
    organisation = _organisation(request, org_pk, manage=True)
    invitation = organisation.invitations.filter(pk=invitation_pk).first()
    if invitation is None:
        raise Http404
    if members.revoke_invitation(invitation, request.user):
        messages.success(request, _("The invitation no longer works."))
    else:
        messages.info(request, _("The invitation had already stopped working: nothing changed."))
    return _back(organisation, "invitations")


def _membership(organisation: Organisation, membership_pk: int) -> Membership:
    membership = organisation.memberships.select_related("user").filter(pk=membership_pk).first()
    if membership is None:
        raise Http404
    return membership


@login_required
@require_POST
def member_role(request: HttpRequest, org_pk: int, membership_pk: int) -> HttpResponse:
    """Change a member's role; refused for the last manager."""
    organisation = _organisation(request, org_pk, manage=True)
    membership = _membership(organisation, membership_pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the roles."))
        return _back(organisation)
    name = person_name(membership.user)
    try:
        changed = members.change_role(membership, form.cleaned_data["role"], request.user)
    except members.Refused as refused:
        messages.error(request, str(refused))
        return _back(organisation)
    role = Role(membership.role).label
    if changed:
        messages.success(request, _("%(name)s is now %(role)s.") % {"name": name, "role": role})
    else:
        messages.info(request, _("%(name)s is %(role)s already.") % {"name": name, "role": role})
    return _back(organisation)


@login_required
@require_http_methods(["GET", "POST"])
def member_remove(request: HttpRequest, org_pk: int, membership_pk: int) -> HttpResponse:
    """Ask, then remove a member; refused for the last manager. A manager who removes
    themselves leaves the organisation and goes home."""
    organisation = _organisation(request, org_pk, manage=True)
    membership = _membership(organisation, membership_pk)
    name, you = person_name(membership.user), membership.user_id == request.user.pk
    if request.method == "POST":
        try:
            members.remove_member(membership, request.user)
        except members.Refused as refused:
            messages.error(request, str(refused))
            return _back(organisation)
        if you:
            messages.success(
                request, _("You left %(organisation)s.") % {"organisation": organisation.name}
            )
            return redirect("home")
        messages.success(
            request,
            _("%(name)s is no longer a member of %(organisation)s.")
            % {"name": name, "organisation": organisation.name},
        )
        return _back(organisation)
    context = {
        "organisation": organisation,
        "membership": membership,
        "name": name,
        "you": you,
        "role": Role(membership.role).label,
        "only_manager": membership.role == Role.MANAGER
        and not organisation.memberships.filter(role=Role.MANAGER)
        .exclude(pk=membership.pk)
        .exists(),
    }
    return render(request, "accounts/member_remove.html", context)
