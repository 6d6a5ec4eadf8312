"""The history in words: each event's field changes labelled and valued as the pages show them
(choice labels, criterion wording) in the reader's language, and what its details say. Pure but
for `criterion_labels` (one query): nothing here queries per event."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.domain.choices import CheckAnswer
from assessments.models import Assessment, Override, Package, Task
from assessments.models.versions import (
    ChecklistCriterion,
    ChecklistVersion,
    DecisionRule,
    EvaluationVersion,
    EvaluationWeight,
    ReadinessItem,
    ReadinessVersion,
    RuleTableVersion,
    VendorCriterion,
)
from outsourcing_advisor.common.stamps import listing
from outsourcing_advisor.history.models import Action, Event, SubjectType
from vendors.models import Bid
from vendors.services import registry, sealing

# Whose fields an event's changes name.
FIELD_MODELS: dict[str, type[models.Model]] = {
    SubjectType.TASK: Task,
    SubjectType.OVERRIDE: Override,
    SubjectType.PACKAGE: Package,
    SubjectType.QUOTE: Bid,
    SubjectType.CHECKLIST: ChecklistVersion,
    SubjectType.CRITERION: ChecklistCriterion,
    SubjectType.RULE_TABLE: RuleTableVersion,
    SubjectType.RULE: DecisionRule,
    SubjectType.VENDOR_CRITERIA: EvaluationVersion,
    SubjectType.WEIGHT: EvaluationWeight,
    SubjectType.READINESS: ReadinessVersion,
    SubjectType.READINESS_ITEM: ReadinessItem,
}


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


def criterion_labels(assessment: Assessment | None) -> dict[str, str]:
    """“C1: question” for each code of the assessment's checklist, to label answers."""
    if assessment is None:
        return {}
    return {c.code: str(c) for c in assessment.criteria()}


def rows(
    events: Iterable[Event], *, viewer: Any = None, criteria: Mapping[str, str] | None = None
) -> list[Row]:
    """The events in words. Scores are sealed (vendors.services.sealing), so the values of another
    person's scores are never shown here; that they changed is."""
    viewer_id = getattr(viewer, "pk", viewer)  # a user or a user's id
    found = []
    for event in events:
        hidden = event.subject_type == SubjectType.SCORE and not sealing.score_changes_shown(
            event.actor_id, viewer_id
        )
        lines = (
            [] if hidden else [_line(event.subject_type, c, criteria or {}) for c in event.changes]
        )
        found.append(Row(event, lines, _notes(event), hidden))
    return found


def _line(subject_type: str, change: Mapping[str, str], criteria: Mapping[str, str]) -> Line:
    name, old, new = change.get("field", ""), change.get("old", ""), change.get("new", "")
    if subject_type == SubjectType.ANSWERS:
        return Line(criteria.get(name, name), _answer(old), _answer(new))
    if subject_type == SubjectType.SCORE:
        return Line(_score_label(name), old or "—", new or "—")
    if subject_type in (SubjectType.VENDOR, SubjectType.REGISTRY):
        return Line(*registry.worded(change))
    model = FIELD_MODELS.get(subject_type)
    try:
        model_field = model._meta.get_field(name) if model else None
    except FieldDoesNotExist:
        model_field = None
    if not isinstance(model_field, models.Field):
        return Line(name, old or "—", new or "—")
    label = capfirst(str(getattr(model_field, "verbose_name", name)))
    return Line(label, _choice(model_field, old), _choice(model_field, new))


def _answer(value: str) -> str:
    return str(CheckAnswer(value).label) if value in CheckAnswer.values else value or "—"


def _choice(model_field: models.Field, value: str) -> str:
    for key, label in getattr(model_field, "flatchoices", None) or ():
        if str(key) == value and value != "":
            return str(label)
    return value or "—"


def _score_label(name: str) -> str:
    labels = dict(VendorCriterion.choices)
    if name.startswith("comment_") and name.removeprefix("comment_") in labels:
        return _("Comment on “%(criterion)s”") % {
            "criterion": labels[name.removeprefix("comment_")]
        }
    if name == "general":
        return _("Overall comment")
    if name == "submitted":
        return _("Submitted")
    return str(labels.get(name, name))


def _notes(event: Event) -> list[str]:
    details = event.details or {}
    notes = []
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
            ngettext(
                "%(file)s: %(rows)s row, SHA-256 %(sha256)s",
                "%(file)s: %(rows)s rows, SHA-256 %(sha256)s",
                rows_count,
            )
            % {"file": details["filename"], "rows": rows_count, "sha256": details.get("sha256", "")}
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
    packages = details.get("packages")
    if event.subject_type == SubjectType.VENDOR and packages and isinstance(packages, list):
        # A registry change in an assessment's history: its packages keep what they evaluate.
        notes.append(
            _("Invited to %(packages)s, which keep evaluating the registry entry they hold.")
            % {"packages": listing([str(name) for name in packages])}
        )
    return notes


# --- what each page shows ------------------------------------------------------------------------

TASK_SUBJECTS = (SubjectType.TASK, SubjectType.ANSWERS, SubjectType.OVERRIDE)


def assessment_events(assessment: Assessment) -> models.QuerySet[Event]:
    """Every event of an assessment fetched through an access helper, newest first."""
    return Event.objects.filter(assessment=assessment).select_related("actor")


def task_events(assessment: Assessment, task_pk: int) -> models.QuerySet[Event]:
    """A task's own events, its answers' and its override's (all kept by the task's id)."""
    return assessment_events(assessment).filter(subject_type__in=TASK_SUBJECTS, subject_id=task_pk)


def subject_events(
    assessment: Assessment, subject_type: SubjectType, subject_ids: Iterable[int]
) -> models.QuerySet[Event]:
    return assessment_events(assessment).filter(
        subject_type=subject_type, subject_id__in=list(subject_ids)
    )


def shown(events: Iterable[Event], assessment: Assessment, viewer: Any) -> list[Row]:
    """The events in words; the checklist is read only when there are answers to label."""
    events = list(events)
    needs_criteria = any(e.subject_type == SubjectType.ANSWERS for e in events)
    criteria = criterion_labels(assessment) if needs_criteria else {}
    return rows(events, viewer=viewer, criteria=criteria)
