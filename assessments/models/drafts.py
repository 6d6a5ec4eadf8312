"""The drafts of the site's versions (SPEC 4.3 "Versioning", 4.4; issue 18): started from a
published version, edited, then published or discarded. The one owner of these changes: each
locks the version, refuses a published one, makes the change and records it in the history, in
one transaction. The administrators' area calls it; a published version never changes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max, Q
from django.utils.translation import gettext_lazy as _

from assessments.models.versions import (
    ChecklistVersion,
    EvaluationVersion,
    ReadinessVersion,
    RuleTableVersion,
    Status,
    Version,
)
from outsourcing_advisor.history import record as history
from outsourcing_advisor.history.models import Action, Event, SubjectType

# What the history calls each kind of version, and its rows.
VERSION_SUBJECTS: dict[type[Version], tuple[SubjectType, SubjectType]] = {
    ChecklistVersion: (SubjectType.CHECKLIST, SubjectType.CRITERION),
    RuleTableVersion: (SubjectType.RULE_TABLE, SubjectType.RULE),
    EvaluationVersion: (SubjectType.VENDOR_CRITERIA, SubjectType.WEIGHT),
    ReadinessVersion: (SubjectType.READINESS, SubjectType.READINESS_ITEM),
}

ALREADY_PUBLISHED = _("This version is already published.")
DRAFT_OPEN = _(
    "A draft of this kind is already open: edit it, publish it or discard it before starting "
    "another."
)


NO_CHANGE = _("Nothing has changed from the original version, so it cannot be published.")
# A version's own fields that are not its content: publishing sets them, and the note says
# what changed rather than being a change.
_NOT_CONTENT = {"id", "number", "status", "note", "created_at", "published_at", "published_by"}


class DraftChanged(Exception):
    """The draft (or the newest published version) changed since the page was read: nothing
    was changed."""


@dataclass(frozen=True)
class RowEdit:
    """A row of a draft to save: an existing row of it, or a new one (unsaved), with the values
    of its fields to set."""

    row: models.Model
    values: Mapping[str, Any]


def draft_events(version: Version) -> models.QuerySet[Event]:
    """The events of a version and of its rows (kept with the version's id in their details)."""
    version_type, row_type = VERSION_SUBJECTS[type(version)]
    return Event.objects.filter(
        Q(subject_type=version_type, subject_id=version.pk)
        | Q(subject_type=row_type, details__version=version.pk)
    )


def draft_stamp(version: Version) -> str:
    """A stamp of the draft as a page shows it: its latest recorded change. Every change of a
    draft goes through this module and is recorded, so a newer change has a newer event."""
    last = draft_events(version).aggregate(last=Max("id"))["last"]
    return str(last or 0)


def publish_stamp(version: Version) -> str:
    """A stamp of what the publish page showed: the draft as it was, and the newest published
    version it was compared with (a version published meanwhile changes the comparison)."""
    latest = type(version).objects.latest_published()
    return f"{draft_stamp(version)}-{getattr(latest, 'pk', 0)}"


def _locked(version: Version) -> Version:
    """The version's row locked until the end of the transaction, read again."""
    found: Version = type(version).objects.select_for_update().get(pk=version.pk)
    return found


def _open_draft(version: Version, seen: str | None, stamp: Any = draft_stamp) -> Version:
    """The draft as stored, locked; refused when it is published or changed since `seen`."""
    stored = _locked(version)
    if stored.is_published:
        raise ValidationError(ALREADY_PUBLISHED)
    if seen is not None and seen != stamp(version):
        raise DraftChanged
    return stored


def _content(version: Version) -> tuple[dict[str, Any], list[str]]:
    """A version's settings and its rows' values, in a form that compares two versions."""
    settings = {
        f.name: getattr(version, f.attname)
        for f in version._meta.concrete_fields
        if f.name not in _NOT_CONTENT
    }
    rows = sorted(
        repr(sorted(_held(row).items())) for row in getattr(version, version.rows_name).all()
    )
    return settings, rows


def unchanged(draft: Version) -> bool:
    """Whether the draft holds exactly what the newest published version of its kind holds (it
    was copied from it and nothing changed since, or it was changed back): publishing it would
    only add an identical version. False when nothing of its kind is published yet."""
    latest = type(draft).objects.latest_published()
    return latest is not None and _content(latest) == _content(draft)


@transaction.atomic
def start_draft(source: Version, user: Any) -> Version:
    """A new draft with the published version's settings and rows (`copy_as_draft`); refused
    while another draft of the same kind is open, so that administrators edit one draft."""
    _locked(source)
    if not source.is_published:
        raise ValidationError(_("Only a published version can be copied as a new draft."))
    if type(source).objects.filter(status=Status.DRAFT).exists():
        raise ValidationError(DRAFT_OPEN)
    draft = source.copy_as_draft()
    history.record(
        user,
        VERSION_SUBJECTS[type(source)][0],
        draft,
        Action.CREATED,
        details={"copy_of": str(source)},
    )
    return draft


def _held(row: models.Model) -> dict[str, Any]:
    """A row's own values (not its id nor its version), as the history keeps a deleted one."""
    return {
        f.name: getattr(row, f.attname)
        for f in row._meta.concrete_fields
        if not f.is_relation and f.name != "id"
    }


def _stored(draft: Version, rows: Sequence[models.Model]) -> dict[Any, models.Model]:
    """The rows as stored (not as a form left them), by id; each must be the draft's."""
    if not rows:
        return {}
    found = {
        row.pk: row for row in type(rows[0])._default_manager.filter(pk__in=[r.pk for r in rows])
    }
    if len(found) != len({row.pk for row in rows}) or any(
        getattr(row, "version_id", None) != draft.pk for row in found.values()
    ):
        raise ValueError("Only the draft's own rows can be changed or removed.")
    return found


@transaction.atomic
def save_draft(
    draft: Version,
    user: Any,
    *,
    fields: Mapping[str, Any],
    rows: Sequence[RowEdit] = (),
    removed: Sequence[models.Model] = (),
    seen: str | None = None,
) -> None:
    """Set the draft's `fields`, delete the `removed` rows, then save each row of `rows`
    (changed or new), recording every change. `seen`: the draft's stamp as the page showed it
    (`draft_stamp`); DraftChanged when it changed since, and nothing is saved. What changed is
    read against the database, not the instances (a form may have set their values already)."""
    stored = _open_draft(draft, seen)
    version_type, row_type = VERSION_SUBJECTS[type(draft)]
    before = history.snapshot(stored, fields)
    for name, value in fields.items():
        setattr(draft, name, value)
    if fields:
        draft.save(update_fields=list(fields))
        history.record_change(user, version_type, draft, before)
    details = {"version": draft.pk}
    events = []
    held = _stored(draft, [*removed, *(edit.row for edit in rows if edit.row.pk is not None)])
    for row in removed:
        gone = held[row.pk]
        changes = history.field_changes(_held(gone), {})
        events.append(
            history.event(user, row_type, gone, Action.DELETED, changes=changes, details=details)
        )
        gone.delete()
    for edit in rows:
        row, created = edit.row, edit.row.pk is None
        was = {} if created else history.snapshot(held[row.pk], edit.values)
        for name, value in edit.values.items():
            setattr(row, name, value)
        if created:
            row.version = draft  # type: ignore[attr-defined]  # every row model has one
        row.save()
        events.append(
            history.event(
                user,
                row_type,
                row,
                Action.CREATED if created else Action.CHANGED,
                changes=history.field_changes(was, history.snapshot(row, edit.values)),
                details=details,
            )
        )
    history.record_many(events)


@transaction.atomic
def publish_draft(draft: Version, user: Any, *, note: str, seen: str | None = None) -> None:
    """Publish the draft with its note ("what changed"), as the next number of its kind;
    ValidationError with the problems in words when it cannot run or holds nothing new against
    the newest published version (`unchanged`; nothing changes). `seen`:
    `publish_stamp` as the publish page showed it; DraftChanged when the draft or the newest
    published version changed since. Nothing already computed changes: assessments keep their
    versions until a consultant moves them."""
    stored = _open_draft(draft, seen, publish_stamp)
    if unchanged(stored):
        raise ValidationError(NO_CHANGE)
    version_type = VERSION_SUBJECTS[type(draft)][0]
    before = history.snapshot(stored, ["note"])
    draft.note = note
    draft.save(update_fields=["note"])
    history.record_change(user, version_type, draft, before)
    draft.publish(user)
    history.record(user, version_type, draft, Action.PUBLISHED)


@transaction.atomic
def discard_draft(draft: Version, user: Any) -> None:
    """Delete a draft and its rows; recorded with what it was."""
    _open_draft(draft, None)
    history.record(user, VERSION_SUBJECTS[type(draft)][0], draft, Action.DELETED)
    draft.delete()
