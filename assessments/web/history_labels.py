"""How the history words this app's changes (registered in AssessmentsConfig.ready()): whose
fields each subject's changes name, and the answers of the check labelled with the criterion."""

from __future__ import annotations

from collections.abc import Mapping

from assessments.domain.choices import CheckAnswer
from assessments.models import Override, Package, Task
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
from outsourcing_advisor.history import display
from outsourcing_advisor.history.models import SubjectType


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
    ):
        display.register_fields(subject_type, model)
    display.register_wording(SubjectType.ANSWERS, _answers)


def _answers(change: Mapping[str, str], criteria: Mapping[str, str]) -> tuple[str, str, str]:
    name = change.get("field", "")
    return criteria.get(name, name), _answer(change.get("old", "")), _answer(change.get("new", ""))


def _answer(value: str) -> str:
    return str(CheckAnswer(value).label) if value in CheckAnswer.values else value or "—"
