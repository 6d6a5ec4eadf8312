"""The one owner of an organisation's memberships and invitations (issue 18): `invite`,
`revoke_invitation`, `accept`, `change_role` and `remove_member`. Each is one transaction that
makes the change and records it in the organisation's history (events without an assessment, as
the organisation settings' are). Views, the admin and the command line call these.

An invitation's token is 256 bits from `secrets`, shown once when it is issued and stored only as
its SHA-256. It works until it expires, is revoked or is used: `accept` locks the invitation's row,
so that of two people opening the same link at the same instant only one joins. An unknown,
malformed, expired, revoked or used token finds nothing (`find`), and the page answers each the
same way.

An organisation always keeps a manager: `change_role` and `remove_member` lock the organisation's
row, count its managers and refuse to demote or remove the last one."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from outsourcing_advisor.accounts.models import (
    Invitation,
    Membership,
    Organisation,
    Profile,
    Role,
    person_name,
)
from outsourcing_advisor.common.stamps import lock_parent
from outsourcing_advisor.history import record as history
from outsourcing_advisor.history.models import Action, SubjectType

DEFAULT_DAYS = 7
MAX_DAYS = 30
TOKEN_BYTES = 32  # 256 bits
# A token as it appears in a URL: token_urlsafe(32) gives 43 characters of [A-Za-z0-9_-].
TOKEN_LENGTH = 43

# An invitation's state, as the members page shows it.
WORKING, EXPIRED, REVOKED, ACCEPTED = "working", "expired", "revoked", "accepted"


class Refused(ValueError):
    """A change the owner refuses (the last manager, someone no longer a member); the message
    says why, in the reader's language."""


class Closed(Exception):
    """The invitation no longer works: used, revoked or expired since it was found."""


class AlreadyMember(Exception):
    """The person accepting is a member of the organisation already: nothing changed."""

    def __init__(self, membership: Membership) -> None:
        super().__init__(membership.role)
        self.membership = membership


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def state(invitation: Invitation, now: datetime.datetime | None = None) -> str:
    if invitation.accepted_at is not None:
        return ACCEPTED
    if invitation.revoked_at is not None:
        return REVOKED
    return WORKING if invitation.expires_at > (now or timezone.now()) else EXPIRED


# --- invitations -------------------------------------------------------------------------------


@transaction.atomic
def invite(
    organisation: Organisation,
    role: str,
    actor: Any,
    *,
    email: str = "",
    days: int = DEFAULT_DAYS,
) -> tuple[Invitation, str]:
    """A new invitation to join `organisation` as `role`, working `days` days: (the invitation,
    its token). Several may work at once (one per person invited). Recorded."""
    if role not in Role.values:
        raise ValueError(f"not a role: {role!r}")
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"an invitation works 1 to {MAX_DAYS} days (got {days})")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    invitation = Invitation.objects.create(
        organisation=organisation,
        role=role,
        email=email,
        token_hash=digest(token),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    history.record(
        actor,
        SubjectType.INVITATION,
        invitation,
        Action.ISSUED,
        details={"role": role, "email": email, "expires": invitation.expires_at.isoformat()},
        organisation=organisation,
        subject_repr=email,
    )
    return invitation, token


@transaction.atomic
def revoke_invitation(invitation: Invitation, actor: Any) -> bool:
    """The invitation stops working now. False (nothing done) when it already had: used,
    revoked or expired. Recorded."""
    locked = _locked(invitation)
    if state(locked) != WORKING:
        return False
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at"])
    history.record(
        actor,
        SubjectType.INVITATION,
        locked,
        Action.REVOKED,
        details={"role": locked.role, "email": locked.email},
        organisation=locked.organisation_id,
        subject_repr=locked.email,
    )
    invitation.revoked_at = locked.revoked_at
    return True


def find(token: str) -> Invitation | None:
    """The working invitation of a token, with its organisation and who issued it: None when the
    token is malformed or unknown, or the invitation expired, was revoked or was used (the
    caller answers each the same way)."""
    if len(token) != TOKEN_LENGTH or not all(c.isalnum() or c in "-_" for c in token):
        return None
    hashed = digest(token)
    invitation = (
        Invitation.objects.select_related("organisation", "created_by")
        .filter(token_hash=hashed)
        .first()
    )
    if invitation is None or not hmac.compare_digest(invitation.token_hash, hashed):
        return None
    return invitation if state(invitation) == WORKING else None


@transaction.atomic
def accept(invitation: Invitation, user: Any, *, language: str | None = None) -> Membership:
    """`user` joins the invitation's organisation with its role, and the invitation is used up.
    A new user (not saved yet: the join page's account form) is saved here, with `language` for
    the pages, so that the account exists only if the invitation still worked. Raises Closed
    when it no longer does, AlreadyMember (nothing changed, the invitation still works) when
    the user belongs to the organisation already. Recorded, as the new member's act."""
    locked = _locked(invitation)
    if state(locked) != WORKING:
        raise Closed
    organisation = locked.organisation
    if user.pk is not None:
        existing = Membership.objects.filter(user=user, organisation=organisation).first()
        if existing is not None:
            raise AlreadyMember(existing)
    else:
        user.save()
        Profile.objects.create(user=user, language=language or translation.get_language() or "ja")
    membership = Membership.objects.create(user=user, organisation=organisation, role=locked.role)
    locked.accepted_by, locked.accepted_at = user, timezone.now()
    locked.save(update_fields=["accepted_by", "accepted_at"])
    history.record(
        user,
        SubjectType.INVITATION,
        locked,
        Action.ACCEPTED,
        details={"role": locked.role, "email": locked.email, "member": person_name(user)},
        organisation=organisation,
        subject_repr=locked.email,
    )
    return membership


def _locked(invitation: Invitation) -> Invitation:
    """The invitation's row, locked until the transaction ends (one use only)."""
    return (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=invitation.pk)
    )


# --- members -----------------------------------------------------------------------------------


@transaction.atomic
def change_role(membership: Membership, role: str, actor: Any) -> bool:
    """The member's role becomes `role`; False when it already was. Refuses to demote the
    organisation's last manager. Recorded with the role before and after."""
    if role not in Role.values:
        raise ValueError(f"not a role: {role!r}")
    locked = _member(membership)
    if locked.role == role:
        return False
    if locked.role == Role.MANAGER:
        _keep_a_manager(locked)
    before = history.snapshot(locked, ["role"])
    locked.role = role
    locked.save(update_fields=["role"])
    history.record(
        actor,
        SubjectType.MEMBER,
        locked,
        Action.CHANGED,
        changes=history.field_changes(before, history.snapshot(locked, ["role"])),
        organisation=locked.organisation_id,
        subject_repr=person_name(locked.user),
    )
    membership.role = role
    return True


@transaction.atomic
def remove_member(membership: Membership, actor: Any) -> None:
    """The person is no longer a member: they lose access to the organisation's assessments at
    once (their account, and what they entered and scored, stay). Refuses to remove the
    organisation's last manager. Recorded with the role they had."""
    locked = _member(membership)
    if locked.role == Role.MANAGER:
        _keep_a_manager(locked)
    history.record(
        actor,
        SubjectType.MEMBER,
        locked,
        Action.DELETED,
        details={"role": locked.role},
        organisation=locked.organisation_id,
        subject_repr=person_name(locked.user),
    )
    locked.delete()


def _member(membership: Membership) -> Membership:
    """The membership as stored now, its organisation locked first (two managers changing roles
    at the same instant: the second waits, then counts the managers the first left)."""
    lock_parent(membership.organisation)
    locked = (
        Membership.objects.select_related("user", "organisation")
        .filter(pk=membership.pk, organisation_id=membership.organisation_id)
        .first()
    )
    if locked is None:
        raise Refused(
            _("%(name)s is no longer a member: nothing was changed.")
            % {"name": person_name(membership.user)}
        )
    return locked


def _keep_a_manager(membership: Membership) -> None:
    others = Membership.objects.filter(
        organisation_id=membership.organisation_id, role=Role.MANAGER
    ).exclude(pk=membership.pk)
    if not others.exists():
        raise Refused(
            _(
                "%(name)s is the organisation's only manager: make another member a manager "
                "first, so that someone can still manage the members."
            )
            % {"name": person_name(membership.user)}
        )
