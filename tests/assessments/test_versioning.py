"""SPEC 4.3 "Versioning": publishing a new checklist or rule table never changes an existing
assessment's answers, scores, verdicts or models, even when its results are recomputed or a task
is edited; only an assessment started afterwards uses the new versions."""

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from assessments.models import Assessment, Task
from assessments.models.versions import ChecklistVersion, RuleTableVersion
from assessments.web.forms import TaskForm

pytestmark = pytest.mark.django_db

# Payroll: C3, C9 yes, C10 partly against C7 partly. v1 (all weights 1, non-core at 60):
# 50 + 50 × (1 + 1 + 0.5 − 0.5) / 9 = 61.11, non-core; ongoing HR work: BPO.
PAYROLL_ANSWERS = {
    **dict.fromkeys(["C1", "C2", "C4", "C5", "C8"], "no"),
    **{"C3": "yes", "C6": "yes", "C7": "partly", "C9": "yes", "C10": "partly"},
}
# Reception: C3 and C10 yes, nothing else. v1: 50 + 50 × 2 / 9 = 61.11, non-core: BPO.
RECEPTION_ANSWERS = {
    **dict.fromkeys(["C1", "C2", "C4", "C5", "C6", "C7", "C8", "C9"], "no"),
    **{"C3": "yes", "C10": "yes"},
}
ATTRIBUTES = {
    "Collect timesheets": {"tacit_knowledge": "medium", "confidentiality": "personal"},
    "Greet visitors": {"tacit_knowledge": "low", "confidentiality": "internal"},
}


@pytest.fixture
def answered(assessment: Assessment) -> Assessment:
    """The conftest assessment (pinned to the latest versions: checklist v1, rules v2) with both
    tasks described and answered."""
    for task in assessment.tasks.all():
        task.continuity, task.direct_instruction = "ongoing", "no"
        task.judgment = task.requirement_changes = "low"
        for name, value in ATTRIBUTES[task.task].items():
            setattr(task, name, value)
        task.answers = PAYROLL_ANSWERS if task.process == "Payroll" else RECEPTION_ANSWERS
        task.answer_sources = dict.fromkeys(task.answers, "user")
        task.save()
    assessment.recompute_results()
    return assessment


@pytest.fixture
def version_2(admin_user) -> tuple[ChecklistVersion, RuleTableVersion]:
    """v2: C7 (quality and judgment) weighs 3 and non-core starts at 65; medium tacit knowledge
    is now enough to keep work in-house."""
    checklist = ChecklistVersion.objects.get(number=1).copy_as_draft()
    checklist.criteria.filter(code="C7").update(weight=Decimal(3))
    checklist.non_core_at = Decimal(65)
    checklist.save()
    checklist.publish(admin_user)
    rules = RuleTableVersion.objects.latest_published().copy_as_draft()  # v2 of the rules: v3
    unsuited = rules.rules.get(code="unsuited_in_house")
    unsuited.conditions = [
        [["requirement_changes", "eq", "high"]],
        [["judgment", "eq", "high"]],
        [["tacit_knowledge", "in", ["medium", "high"]]],
    ]
    unsuited.save()
    rules.publish(admin_user)
    return checklist, rules


def stored(assessment: Assessment) -> list[tuple[Any, ...]]:
    """What the assessment holds per task: answers, and the result with its versions."""
    return list(
        assessment.tasks.order_by("position").values_list(
            "task",
            "answers",
            "answer_sources",
            "result__checklist_version__number",
            "result__rule_version__number",
            "result__suitability",
            "result__verdict",
            "result__model",
            "result__detail",
        )
    )


def pinned(assessment: Assessment) -> tuple[int | None, int | None]:
    return Assessment.objects.values_list("checklist_version__number", "rule_version__number").get(
        pk=assessment.pk
    )


def outcomes(assessment: Assessment) -> list[tuple[str, Decimal, str, str, bool]]:
    return [
        (row[0], row[5], row[6], row[7], row[8]["pilot"])
        for row in stored(assessment)  # task, suitability, verdict, model, pilot
    ]


def edit_through_the_view(client: Any, task: Task, **changes: Any) -> None:
    """Post the guided form as the browser would: every field as shown, with `changes`."""
    form = TaskForm(instance=task)
    data = {name: form[name].value() for name in form.fields}
    data = {name: "" if value is None else value for name, value in {**data, **changes}.items()}
    response = client.post(reverse("task_edit", args=[task.assessment_id, task.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]


def test_new_versions_leave_an_existing_assessment_as_it_was(
    answered, version_2, manager_client, company_a
):
    before = stored(answered)
    assert pinned(answered) == (2, 2)
    assert outcomes(answered) == [
        ("Collect timesheets", Decimal("61.11"), "non_core", "bpo", False),
        ("Greet visitors", Decimal("61.11"), "non_core", "bpo", False),
    ]

    # What could touch it after v2 is out: recomputing the organisation's results (as a change of
    # its working days does) and editing a task in the browser.
    Assessment.objects.filter(organisation=company_a).recompute_results()
    payroll = answered.tasks.get(process="Payroll")
    computed_at = payroll.result.computed_at
    edit_through_the_view(manager_client, payroll, notes="Checked again after v2")

    payroll.refresh_from_db()
    assert payroll.notes == "Checked again after v2"
    assert payroll.result.computed_at > computed_at, "the edit recomputed the result"
    assert stored(answered) == before
    assert pinned(answered) == (2, 2)


def test_an_assessment_started_afterwards_uses_the_new_versions(
    answered, version_2, company_a, manager
):
    newer = Assessment.objects.start(organisation=company_a, name="FY2027", created_by=manager)
    assert pinned(newer) == (3, 3)
    for task in answered.tasks.order_by("position"):
        task.pk, task.assessment = None, newer
        task.save()
    newer.recompute_results()

    # The same task data, the same answers. v2: C7 weighs 3, so 11 in all.
    # Payroll: 50 + 50 × (2.5 − 1.5) / 11 = 54.55, borderline; medium tacit knowledge: in-house.
    # Reception: 50 + 50 × 2 / 11 = 59.09, below 65: borderline, still BPO, now with a pilot.
    assert outcomes(newer) == [
        ("Collect timesheets", Decimal("54.55"), "borderline", "in_house", False),
        ("Greet visitors", Decimal("59.09"), "borderline", "bpo", True),
    ]
    assert [row[1:3] for row in stored(newer)] == [row[1:3] for row in stored(answered)]
    assert {row[3:5] for row in stored(newer)} == {(3, 3)}
    assert {row[3:5] for row in stored(answered)} == {(2, 2)}
    assert [row[5:8] for row in stored(answered)] == [
        (Decimal("61.11"), "non_core", "bpo"),
        (Decimal("61.11"), "non_core", "bpo"),
    ]
