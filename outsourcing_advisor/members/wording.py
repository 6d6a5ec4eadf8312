"""How the history words the members' and invitations' events (registered at start-up by
assessments/web/history_labels.py, with the rest of the pages' wording): a role change labelled
and valued as the members page shows it, and what an invitation's details say. Details come from
this module's owner or from a restored file: anything not of the expected kind is left unsaid."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from outsourcing_advisor.accounts.models import Membership, Role
from outsourcing_advisor.history import display
from outsourcing_advisor.history.models import Action, Event, SubjectType


def register() -> None:
    display.register_fields(SubjectType.MEMBER, Membership)
    display.register_notes(SubjectType.INVITATION, invitation_notes)
    display.register_notes(SubjectType.MEMBER, member_notes)


def role_label(value: Any) -> str:
    """A role in the reader's language; "" for anything else."""
    return str(Role(value).label) if isinstance(value, str) and value in Role.values else ""


def _moment(value: Any) -> str:
    moment = parse_datetime(value) if isinstance(value, str) else None
    if moment is None or timezone.is_naive(moment):
        return ""
    return date_format(timezone.localtime(moment), "Y-m-d H:i")


def invitation_notes(event: Event) -> list[str]:
    details = event.details or {}
    role, notes = role_label(details.get("role")), []
    if event.action == Action.ISSUED and role:
        expires = _moment(details.get("expires"))
        notes.append(
            _("As %(role)s; the link works until %(date)s.") % {"role": role, "date": expires}
            if expires
            else _("As %(role)s.") % {"role": role}
        )
    elif event.action == Action.ACCEPTED and role and isinstance(details.get("member"), str):
        notes.append(_("%(name)s joined as %(role)s.") % {"name": details["member"], "role": role})
    return notes


def member_notes(event: Event) -> list[str]:
    role = role_label((event.details or {}).get("role"))
    if event.action == Action.DELETED and role:
        return [_("Role until then: %(role)s.") % {"role": role}]
    return []
