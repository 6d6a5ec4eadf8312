"""The history in words: each event's field changes labelled and valued as the pages show them
(choice labels, criterion wording) in the reader's language, and what its details say. Pure but
for `criterion_labels` (one query): nothing here queries per event."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from outsourcing_advisor.common.wording import listing
from outsourcing_advisor.history.models import Action, Event, SubjectType

# What each app registers in its AppConfig.ready() (as admin registers models), so that this
# module knows no app: whose fields an event's changes name, how the changes of a subject type
# are worded when its fields are not a model's, and whose values a viewer may not see.
FIELD_MODELS: dict[str, type[models.Model]] = {}
# (change, criterion labels) → (label, old, new)
Wording = Callable[[Mapping[str, str], Mapping[str, str]], tuple[str, str, str]]
WORDINGS: dict[str, Wording] = {}
# (actor id, viewer id) → whether the viewer may see the values of the actor's change
SHOWN: dict[str, Callable[[int | None, int | None], bool]] = {}
# event → what its details say, for the subject types whose details only their app knows
NOTES: dict[str, Callable[[Event], list[str]]] = {}
# (the events of the subject type shown, viewer id) → the ids of those whose values the viewer
# may not see, decided for them all at once (it takes queries: a quote's prices, for one).
Hiding = Callable[[Sequence[Event], int | None], set[int]]
HIDDEN: dict[str, Hiding] = {}


def register_fields(subject_type: str, model: type[models.Model]) -> None:
    FIELD_MODELS[subject_type] = model


def register_wording(subject_type: str, wording: Wording) -> None:
    WORDINGS[subject_type] = wording


def register_sealing(subject_type: str, shown: Callable[[int | None, int | None], bool]) -> None:
    SHOWN[subject_type] = shown


def register_notes(subject_type: str, notes: Callable[[Event], list[str]]) -> None:
    NOTES[subject_type] = notes


def register_hiding(subject_type: str, hidden: Hiding) -> None:
    HIDDEN[subject_type] = hidden


@dataclass(frozen=True)
class Line:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class Row:
    event: Event
    lines: list[Line] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    hidden: bool = False  # another evaluator's scores: that they changed, never the values
    # An imported file's checksum: for the auditor's tooltip, not the business reader's text.
    checksum: str = ""


def criterion_labels(assessment: Any) -> dict[str, str]:
    """“C1: question” for each code of the assessment's checklist, to label answers."""
    if assessment is None:
        return {}
    return {c.code: str(c) for c in assessment.criteria()}


def rows(
    events: Iterable[Event], *, viewer: Any = None, criteria: Mapping[str, str] | None = None
) -> list[Row]:
    """The events in words. A registered seal (scores: vendors.services.sealing) keeps the values
    of another person's changes from being shown here, as a registered hiding does those of the
    events it names (a quote's prices from the panel); that they changed is."""
    viewer_id = getattr(viewer, "pk", viewer)  # a user or a user's id
    events = list(events)
    withheld: set[int] = set()
    for subject_type, hiding in HIDDEN.items():
        of_type = [event for event in events if event.subject_type == subject_type]
        if of_type:
            withheld |= hiding(of_type, viewer_id)
    found = []
    for event in events:
        seal = SHOWN.get(event.subject_type)
        hidden = (seal is not None and not seal(event.actor_id, viewer_id)) or (
            event.pk in withheld
        )
        lines = (
            [] if hidden else [_line(event.subject_type, c, criteria or {}) for c in event.changes]
        )
        checksum = str((event.details or {}).get("sha256") or "")
        found.append(Row(event, lines, _notes(event), hidden, checksum))
    return found


def _line(subject_type: str, change: Mapping[str, str], criteria: Mapping[str, str]) -> Line:
    name, old, new = change.get("field", ""), change.get("old", ""), change.get("new", "")
    wording = WORDINGS.get(subject_type)
    if wording is not None:
        return Line(*wording(change, criteria))
    model = FIELD_MODELS.get(subject_type)
    try:
        model_field = model._meta.get_field(name) if model else None
    except FieldDoesNotExist:
        model_field = None
    if not isinstance(model_field, models.Field):
        return Line(name, old or "—", new or "—")
    label = capfirst(str(getattr(model_field, "verbose_name", name)))
    return Line(label, _choice(model_field, old), _choice(model_field, new))


def _choice(model_field: models.Field, value: str) -> str:
    for key, label in getattr(model_field, "flatchoices", None) or ():
        if str(key) == value and value != "":
            return str(label)
    return value or "—"


def _notes(event: Event) -> list[str]:
    details = event.details or {}
    notes = list(NOTES[event.subject_type](event)) if event.subject_type in NOTES else []
    if "filename" in details and event.action == Action.UNDONE:
        restored = int(details.get("rows") or 0)
        notes.append(
            ngettext(
                "The inventory as it was before %(file)s: %(count)s task.",
                "The inventory as it was before %(file)s: %(count)s tasks.",
                restored,
            )
            % {"file": details["filename"], "count": restored}
        )
    elif "filename" in details:
        rows_count = int(details.get("rows") or 0)
        notes.append(
            ngettext("%(file)s: %(rows)s row", "%(file)s: %(rows)s rows", rows_count)
            % {"file": details["filename"], "rows": rows_count}
        )
    if "added" in details and event.action == Action.IMPORTED:
        notes.append(
            _("%(added)s added, %(changed)s updated, %(removed)s removed")
            % {
                "added": details.get("added", 0),
                "changed": details.get("changed", 0),
                "removed": details.get("removed", 0),
            }
        )
    if details.get("replaced"):
        notes.append(_("The tasks before the import were replaced."))
    if details.get("copy_of"):
        notes.append(_("Copy of %(name)s") % {"name": details["copy_of"]})
    if details.get("tasks"):
        names = listing(details["tasks"])
        if int(details.get("count") or 0) > len(details["tasks"]):
            names += "…"
        count = int(details.get("count") or len(details["tasks"]))
        notes.append(
            ngettext("%(count)s task: %(names)s", "%(count)s tasks: %(names)s", count)
            % {"count": count, "names": names}
        )
    if event.action == Action.DELETED and details.get("to"):
        notes.append(_("Merged into %(package)s") % {"package": details["to"]})
    elif "from" in details and "to" in details:
        notes.append(
            _("From %(source)s to %(target)s")
            % {
                "source": details.get("from") or _("no package"),
                "target": details.get("to") or _("no package"),
            }
        )
    if details.get("merged"):
        notes.append(_("Merged in: %(package)s") % {"package": details["merged"]})
    if event.action == Action.DELETED and event.subject_type == SubjectType.PACKAGE:
        notes += _deleted_with(details)
    notes += _trash_notes(event, details)
    packages = details.get("packages")
    if event.subject_type == SubjectType.VENDOR and packages and isinstance(packages, list):
        # A registry change in an assessment's history: its packages keep what they evaluate.
        notes.append(
            _("Invited to %(packages)s, which keep evaluating the registry entry they hold.")
            % {"packages": listing([str(name) for name in packages])}
        )
    return notes


def _trash_notes(event: Event, details: Mapping[str, Any]) -> list[str]:
    """The trash (issue 18): what stays with a package moved there, the tasks a restored one
    could not take back, and what was deleted for good after its days there."""
    notes = []
    vendors = details.get("vendors")
    package = event.subject_type == SubjectType.PACKAGE
    if event.action == Action.TRASHED and package and vendors and isinstance(vendors, list):
        notes.append(
            _(
                "Its invited vendors stay with it, with their quotes and evaluations: "
                "%(vendors)s. Their links do not work while it is in the trash."
            )
            % {"vendors": listing([str(name) for name in vendors])}
        )
    if event.action == Action.RESTORED and package:
        missing = int(details.get("held") or 0) - int(details.get("count") or 0)
        if missing > 0:
            notes.append(
                ngettext(
                    "%(count)s task it held was not put back: it is in another package, in "
                    "the trash or deleted.",
                    "%(count)s tasks it held were not put back: they are in another package, "
                    "in the trash or deleted.",
                    missing,
                )
                % {"count": missing}
            )
    if details.get("purged"):
        days = int(details["purged"])
        notes.append(
            ngettext(
                "Deleted for good after %(days)s day in the trash.",
                "Deleted for good after %(days)s days in the trash.",
                days,
            )
            % {"days": days}
        )
    return notes


def _deleted_with(details: Mapping[str, Any]) -> list[str]:
    """What went with a package deleted for good (purge_trash): its invitations with their
    quotes and evaluations, its RFP draft."""
    notes = []
    vendors = details.get("vendors")
    if vendors and isinstance(vendors, list):
        quotes, evaluations = int(details.get("quotes") or 0), int(details.get("evaluations") or 0)
        notes.append(
            _("Invitations deleted with it: %(vendors)s (%(quotes)s, %(evaluations)s).")
            % {
                "vendors": listing([str(name) for name in vendors]),
                "quotes": ngettext("%(count)s quote", "%(count)s quotes", quotes)
                % {"count": quotes},
                "evaluations": ngettext(
                    "%(count)s evaluation", "%(count)s evaluations", evaluations
                )
                % {"count": evaluations},
            }
        )
    if details.get("rfp"):
        notes.append(_("Its RFP draft was deleted with it."))
    return notes


# --- what each page shows ------------------------------------------------------------------------

TASK_SUBJECTS = (SubjectType.TASK, SubjectType.ANSWERS, SubjectType.OVERRIDE)


def assessment_events(assessment: Any) -> models.QuerySet[Event]:
    """Every event of an assessment fetched through an access helper, newest first."""
    return Event.objects.filter(assessment=assessment).select_related("actor")


def task_events(assessment: Any, task_pk: int) -> models.QuerySet[Event]:
    """A task's own events, its answers' and its override's (all kept by the task's id)."""
    return assessment_events(assessment).filter(subject_type__in=TASK_SUBJECTS, subject_id=task_pk)


def subject_events(
    assessment: Any, subject_type: SubjectType, subject_ids: Iterable[int]
) -> models.QuerySet[Event]:
    return assessment_events(assessment).filter(
        subject_type=subject_type, subject_id__in=list(subject_ids)
    )


def shown(events: Iterable[Event], assessment: Any, viewer: Any) -> list[Row]:
    """The events in words; the checklist is read only when there are answers to label."""
    events = list(events)
    needs_criteria = any(e.subject_type == SubjectType.ANSWERS for e in events)
    criteria = criterion_labels(assessment) if needs_criteria else {}
    return rows(events, viewer=viewer, criteria=criteria)
