"""How the history words this app's changes (registered in AssessmentsConfig.ready()): whose
fields each subject's changes name, and the answers of the check labelled with the criterion."""

from __future__ import annotations

import json
from collections.abc import Mapping

from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from assessments.domain import independence
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
)
from assessments.reporting import version_words
from outsourcing_advisor.accounts.models import Organisation
from outsourcing_advisor.common.wording import listing
from outsourcing_advisor.history import display
from outsourcing_advisor.history.models import Event, SubjectType
from outsourcing_advisor.members import wording as member_wording


def register() -> None:
    for subject_type, model in (
        (SubjectType.TASK, Task),
        (SubjectType.OVERRIDE, Override),
        (SubjectType.PACKAGE, Package),
        (SubjectType.CHECKLIST, ChecklistVersion),
        (SubjectType.CRITERION, ChecklistCriterion),
        (SubjectType.RULE_TABLE, RuleTableVersion),
        (SubjectType.RULE, DecisionRule),
        (SubjectType.VENDOR_CRITERIA, EvaluationVersion),
        (SubjectType.WEIGHT, EvaluationWeight),
        (SubjectType.READINESS, ReadinessVersion),
        (SubjectType.READINESS_ITEM, ReadinessItem),
        (SubjectType.ASSESSMENT, Assessment),
        (SubjectType.ORGANISATION, Organisation),
        # A move to other versions changes the assessment's pinned versions (issue 18).
        (SubjectType.VERSIONS, Assessment),
    ):
        display.register_fields(subject_type, model)
    display.register_wording(SubjectType.ANSWERS, _answers)
    display.register_wording(SubjectType.PACKAGE, _package)
    display.register_wording(SubjectType.RULE, _rule)  # conditions in words (issue 18)
    display.register_notes(SubjectType.VERSIONS, _version_move)
    member_wording.register()  # the organisation's members and invitations (issue 18)
    display.register_notes(SubjectType.COMMENT, _comment)  # comments (issue 18)


def _comment(event: Event) -> list[str]:
    """A comment added or deleted (collaboration.add_comment, delete_comment): what it is on,
    and the members it mentioned. Details of another kind (a restored file) are left unsaid."""
    details = event.details or {}
    notes = []
    name = details.get("subject")
    if isinstance(name, str) and details.get("on") == "task":
        notes.append(_("On the task “%(name)s”.") % {"name": name})
    elif isinstance(name, str) and details.get("on") == "package":
        notes.append(_("On the package “%(name)s”.") % {"name": name})
    mentioned = details.get("mentions")
    if isinstance(mentioned, list) and mentioned and all(isinstance(m, str) for m in mentioned):
        notes.append(_("Mentioned: %(names)s.") % {"names": listing(mentioned)})
    return notes


def _rule(change: Mapping[str, str], _criteria: Mapping[str, str]) -> tuple[str, str, str]:
    """A decision rule's change: its conditions in words, never their JSON (the rule editor,
    issue 18); its model by name; any other field as the model names it."""
    name, old, new = change.get("field", ""), change.get("old", ""), change.get("new", "")
    try:
        field = DecisionRule._meta.get_field(name)
    except FieldDoesNotExist:
        return name, old or "—", new or "—"
    label = capfirst(str(getattr(field, "verbose_name", name)))
    if name == "conditions":
        return label, _conditions(old), _conditions(new)
    shown = dict(getattr(field, "flatchoices", None) or ())
    return label, str(shown.get(old, old or "—")), str(shown.get(new, new or "—"))


def _conditions(text: str) -> str:
    if not text:
        return "—"
    try:
        return version_words.conditions_words(json.loads(text))
    except ValueError:
        return text


def _version_move(event: Event) -> list[str]:
    """A move to other versions, or back (Assessment.move_to_versions, move_back): how many
    tasks changed verdict and recommendation, and the readiness entries dropped or restored
    (the tasks themselves are named as any event's are)."""
    details = event.details or {}
    notes = [
        _("Tasks whose verdict changed: %(verdicts)s; whose recommended model changed: %(models)s.")
        % {"verdicts": details.get("verdicts", 0), "models": details.get("models", 0)}
    ]
    dropped = [row.get("code", "") for row in details.get("dropped_readiness") or []]
    if dropped:
        notes.append(
            _("Readiness entries dropped (restored if the move is undone): %(codes)s.")
            % {"codes": listing(dropped)}
        )
    if details.get("restored_readiness"):
        notes.append(
            _("Readiness entries restored: %(codes)s.")
            % {"codes": listing(details["restored_readiness"])}
        )
    return notes


def _answers(change: Mapping[str, str], criteria: Mapping[str, str]) -> tuple[str, str, str]:
    name = change.get("field", "")
    return criteria.get(name, name), _answer(change.get("old", "")), _answer(change.get("new", ""))


def _answer(value: str) -> str:
    return str(CheckAnswer(value).label) if value in CheckAnswer.values else value or "—"


def _package(change: Mapping[str, str], _criteria: Mapping[str, str]) -> tuple[str, str, str]:
    """A package's change: an answer of its 告示37号 checklist ("independence.<item>") labelled
    with the item, any other field as the model names it."""
    name, old, new = change.get("field", ""), change.get("old", ""), change.get("new", "")
    key = name.removeprefix("independence.")
    if key != name and (key in independence.BY_KEY or key in independence.LEGACY_SHORT):
        known = independence.BY_KEY.get(key)
        item = known.short if known else independence.LEGACY_SHORT[key]
        label = _("告示37号 checklist: %(item)s") % {"item": item}
        return label, _independence_answer(old), _independence_answer(new)
    try:
        field = Package._meta.get_field(name)
    except FieldDoesNotExist:
        return name, old or "—", new or "—"
    label = capfirst(str(getattr(field, "verbose_name", name)))
    shown = dict(getattr(field, "flatchoices", None) or ())
    empty = _("the model's default") if name == "parallel_months" else "—"  # blank: the default
    return label, str(shown.get(old, old or empty)), str(shown.get(new, new or empty))


def _independence_answer(value: str) -> str:
    if value == independence.YES:
        return pgettext("answer", "Yes")
    if value == independence.NO:
        return pgettext("answer", "No")
    return _("not answered")
