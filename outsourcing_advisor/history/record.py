"""Writing the history: called explicitly where a state change happens (the view or the model
method that makes it), never from signals or save(). Take a snapshot before, save, then record
what differs; an unchanged save records nothing.

    before = snapshot(task, FIELDS)
    form.save()
    record(request.user, SubjectType.TASK, task, Action.CHANGED,
           changes=field_changes(before, snapshot(task, FIELDS)), assessment=assessment)
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import models

from outsourcing_advisor.accounts.models import person_name
from outsourcing_advisor.common.wording import plain_number
from outsourcing_advisor.history.models import Action, Event, SubjectType

Change = dict[str, str]


def as_text(value: Any) -> str:
    """A stored value as the history keeps it: text, "" for nothing; numbers without trailing
    zeros; lists and dicts as JSON (conditions of a rule)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return plain_number(value)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, list | dict | tuple):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return str(value)


def field_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[Change]:
    """Each field whose value differs as text, in the order of `before` then of fields only in
    `after`; a field missing on one side counts as empty."""
    names = list(before) + [name for name in after if name not in before]
    found = []
    for name in names:
        old, new = as_text(before.get(name)), as_text(after.get(name))
        if old != new:
            found.append({"field": name, "old": old, "new": new})
    return found


def answer_changes(before: dict[str, str], after: dict[str, str]) -> list[Change]:
    """Each question whose answer differs, old → new, C1 … C10 in order (the history keeps
    them on the task's id and labels them with the criterion when shown)."""
    codes = sorted(before.keys() | after.keys(), key=lambda code: (len(code), code))
    return field_changes({c: before.get(c) for c in codes}, after)


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The values of `fields` as they are now (foreign keys as ids), for `field_changes`."""
    concrete = {f.name: f.attname for f in instance._meta.concrete_fields}
    return {name: getattr(instance, concrete[name]) for name in fields}


def actor_name(actor: Any) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return ""
    return person_name(actor)[:150]


def event(
    actor: Any,
    subject_type: SubjectType,
    subject: models.Model | None,
    action: Action,
    *,
    changes: Iterable[Change] = (),
    details: dict[str, Any] | None = None,
    assessment: Any = None,
    organisation: Any = None,
    subject_repr: str | None = None,
) -> Event:
    """An unsaved event (for `record_many`)."""
    if organisation is None and assessment is not None:
        organisation = assessment.organisation_id
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    return Event(
        organisation_id=getattr(organisation, "pk", organisation),
        assessment=assessment,
        actor=user,
        actor_name=actor_name(actor),
        action=action,
        subject_type=subject_type,
        subject_id=subject.pk if subject is not None else None,
        subject_repr=(str(subject) if subject_repr is None else subject_repr)[:300],
        changes=list(changes),
        details=details or {},
    )


def record(
    actor: Any,
    subject_type: SubjectType,
    subject: models.Model | None,
    action: Action,
    *,
    changes: Iterable[Change] = (),
    details: dict[str, Any] | None = None,
    assessment: Any = None,
    organisation: Any = None,
    subject_repr: str | None = None,
) -> Event | None:
    """Save one event. A change (`Action.CHANGED`) without any field change is not one: nothing
    is recorded and None is returned."""
    changes = list(changes)
    if action == Action.CHANGED and not changes:
        return None
    found = event(
        actor,
        subject_type,
        subject,
        action,
        changes=changes,
        details=details,
        assessment=assessment,
        organisation=organisation,
        subject_repr=subject_repr,
    )
    found.save()
    return found


def record_many(events: Iterable[Event]) -> None:
    """Save events made by `event` in one query, leaving out changes without any field change."""
    Event.objects.bulk_create(
        [e for e in events if e.changes or e.action != Action.CHANGED], batch_size=500
    )


def record_change(
    actor: Any,
    subject_type: SubjectType,
    subject: models.Model,
    before: Mapping[str, Any],
    *,
    assessment: Any = None,
    organisation: Any = None,
) -> Event | None:
    """After a save: record how the fields of `before` (a `snapshot`) differ now, if they do."""
    after = snapshot(subject, before)
    return record(
        actor,
        subject_type,
        subject,
        Action.CHANGED,
        changes=field_changes(before, after),
        assessment=assessment,
        organisation=organisation,
    )
