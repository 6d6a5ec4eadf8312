"""The core/non-core check in the browser, as its users meet it: Hanako (manager of company A)
answers the questions task by task or in the grid, Kenji (consultant) overrides a recommendation
and moves the assessment to newer versions, and the viewer only reads."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import Assessment, Override, Task, TaskResult
from assessments.models.versions import (
    ChecklistVersion,
    RuleTableVersion,
)
from tests.factories import NON_CORE, make_task
from tests.helpers import confirm_version_move

pytestmark = pytest.mark.django_db


@pytest.fixture
def payroll(assessment) -> Task:
    """Ongoing HR work, no direct instruction, little judgment: a BPO task once it is non-core.
    Only one person can do it (C9 is pre-filled "yes")."""
    task = assessment.tasks.get(task="Collect timesheets")
    task.continuity = "ongoing"
    task.direct_instruction = "no"
    task.judgment = task.requirement_changes = task.tacit_knowledge = "low"
    task.confidentiality = "internal"
    task.expertise = 2
    task.save()
    assessment.recompute_results([task])
    return task


def check_url(task: Task) -> str:
    return reverse("task_check", args=[task.assessment_id, task.pk])


def test_guided_check_shows_ten_questions_with_prefilled_answers_marked(manager_client, payroll):
    page = manager_client.get(check_url(payroll)).content.decode()
    for number in range(1, 11):
        assert f'data-code="C{number}"' in page
    assert "Does the task directly generate sales or profit?" in page

    def question(code: str) -> str:
        return page.split(f'data-code="{code}"')[1].split("</fieldset>")[0]

    # Pre-filled: C4 from expertise 2 ("no"), C6 from internal data ("no"), C9 from one person
    # able to do it ("yes"). Standardisability and seasonality are not given: C3, C8 are open.
    prefilled = [code for code in NON_CORE if "Pre-filled from the inventory" in question(code)]
    assert prefilled == ["C4", "C6", "C9"]
    assert 'value="yes" checked' in question("C9") and "Staff able to do it: 1" in question("C9")
    assert 'value="no" checked' in question("C4") and "checked" not in question("C3")
    assert "Task 1 of 2" in page
    assert "Answer these 7 questions to get a score, a verdict and a model" in page


def test_answering_the_check_gives_verdict_model_and_reasons(manager_client, payroll):
    response = manager_client.post(check_url(payroll), {**NON_CORE, "go": "stay"})
    assert response.status_code == 302 and response["Location"] == check_url(payroll)
    result = TaskResult.objects.get(task=payroll)
    assert result.suitability == Decimal("69.44")
    assert (result.verdict, result.model) == ("non_core", "bpo")
    page = manager_client.get(check_url(payroll)).content.decode()
    assert "Suitability 69.4 is at or above 60: non-core." in page
    assert 'data-result="model">BPO' in page
    assert "single_person_dependency" in page  # the warning of a task only one person can do
    assert "Only one person can do it" in page
    # The pre-filled answers that were kept stay pre-filled; the others are the user's.
    payroll.refresh_from_db()
    assert "C9" not in payroll.answers and payroll.effective_answers()["C9"] == "yes"
    assert payroll.answers["C1"] == "no" and payroll.answer_sources["C1"] == "user"


def test_rule_explanations_follow_the_readers_language(manager_client, payroll, manager):
    manager_client.post(check_url(payroll), {**NON_CORE, "go": "stay"})
    code = TaskResult.objects.get(task=payroll).detail["rule"]
    rule = payroll.assessment.rule_version.rules.get(code=code)
    assert rule.explanation_en in manager_client.get(check_url(payroll)).content.decode()
    manager.profile.language = "ja"
    manager.profile.save()
    page = manager_client.get(check_url(payroll)).content.decode()
    assert rule.explanation_ja in page and "ノンコア" in page


def test_save_and_next_moves_on_without_losing_the_answers(manager_client, assessment, payroll):
    reception = assessment.tasks.get(task="Greet visitors")
    response = manager_client.post(check_url(payroll), {**NON_CORE, "go": "next"})
    assert response["Location"] == check_url(reception)
    response = manager_client.post(check_url(reception), {"C1": "yes", "go": "previous"})
    assert response["Location"] == check_url(payroll)
    payroll.refresh_from_db()
    reception.refresh_from_db()
    assert payroll.answers["C10"] == "yes" and reception.answers == {"C1": "yes"}
    response = manager_client.post(check_url(reception), {"C1": "yes", "go": "later"})
    assert response["Location"] == reverse("check_grid", args=[assessment.pk])


def test_next_task_without_a_verdict_skips_the_checked_ones(manager_client, assessment, payroll):
    reception = assessment.tasks.get(task="Greet visitors")
    response = manager_client.post(check_url(reception), {"go": "next_incomplete"})
    assert response["Location"] == check_url(payroll)  # wraps round to the first task
    manager_client.post(check_url(payroll), {**NON_CORE, "go": "stay"})
    response = manager_client.post(check_url(payroll), {**NON_CORE, "go": "next_incomplete"})
    assert response["Location"] == check_url(reception)


def test_an_answer_outside_the_allowed_values_saves_nothing(manager_client, payroll):
    before = (payroll.answers, TaskResult.objects.get(task=payroll).computed_at)
    response = manager_client.post(check_url(payroll), {**NON_CORE, "C4": "maybe"})
    assert response.status_code == 200
    assert "Select a valid choice. maybe is not one of the available choices." in (
        response.content.decode()
    )
    payroll.refresh_from_db()
    assert (payroll.answers, TaskResult.objects.get(task=payroll).computed_at) == before


def test_viewer_reads_the_check_but_cannot_answer(viewer_client, payroll):
    page = viewer_client.get(check_url(payroll)).content.decode()
    assert "disabled" in page and 'name="go"' not in page
    assert viewer_client.post(check_url(payroll), NON_CORE).status_code == 403
    payroll.refresh_from_db()
    assert payroll.answers == {}


# --- the grid ----------------------------------------------------------------------------------


def grid_data(assessment: Assessment, answers: dict[int, dict[str, str]]) -> dict[str, str]:
    return {
        f"t{pk}-{code}": value for pk, given in answers.items() for code, value in given.items()
    }


def test_grid_answers_many_tasks_at_once(manager_client, assessment, payroll):
    reception = assessment.tasks.get(task="Greet visitors")
    url = reverse("check_grid", args=[assessment.pk])
    page = manager_client.get(url).content.decode()
    assert f'name="t{payroll.pk}-C9"' in page and "0 of 2 tasks have a verdict" in page
    data = grid_data(assessment, {payroll.pk: NON_CORE, reception.pk: {**NON_CORE, "C1": "yes"}})
    data[f"t{reception.pk}-C2"] = "yes"
    response = manager_client.post(url, data)
    assert response.status_code == 302
    verdicts = dict(TaskResult.objects.values_list("task__task", "verdict"))
    assert verdicts == {"Collect timesheets": "non_core", "Greet visitors": "core"}
    assert "2 of 2 tasks have a verdict" in manager_client.get(url).content.decode()


def test_a_bad_cell_in_the_grid_names_the_row_and_saves_nothing(manager_client, assessment):
    tasks = list(assessment.tasks.all())
    url = reverse("check_grid", args=[assessment.pk])
    data = grid_data(assessment, {tasks[0].pk: NON_CORE, tasks[1].pk: {"C7": "sometimes"}})
    response = manager_client.post(url, data)
    assert response.status_code == 200
    assert "Row 2 “Greet visitors”, C7:" in response.content.decode()
    assert [task.answers for task in assessment.tasks.all()] == [{}, {}]


# --- overrides ---------------------------------------------------------------------------------


def override_url(task: Task) -> str:
    return reverse("task_override", args=[task.assessment_id, task.pk])


def test_consultant_overrides_and_the_computed_result_stays_visible(
    consultant_client, manager_client, payroll
):
    manager_client.post(check_url(payroll), {**NON_CORE, "go": "stay"})
    response = consultant_client.post(
        override_url(payroll),
        {"override-model": "dispatch", "override-justification": "The team lead directs it daily."},
    )
    assert response.status_code == 302
    payroll = Task.objects.select_related("result", "override").get(pk=payroll.pk)
    assert payroll.result.model == "bpo" and payroll.final_model == "dispatch"
    assert payroll.override.author.username == "kenji"
    page = manager_client.get(check_url(payroll)).content.decode()
    assert 'data-result="model">BPO' in page  # the computed recommendation, beside …
    assert "Dispatch (temporary staff)" in page and "The team lead directs it daily." in page
    assert "By kenji on" in page
    inventory = manager_client.get(reverse("inventory", args=[payroll.assessment_id]))
    assert "Dispatch (temporary staff)" in inventory.content.decode()


def test_override_warnings_follow_the_model_that_will_be_used(consultant_client, payroll):
    payroll.direct_instruction = "yes"  # the client directs the work day to day …
    payroll.save()
    consultant_client.post(check_url(payroll), {**NON_CORE, "go": "stay"})
    assert TaskResult.objects.get(task=payroll).model == "dispatch"
    consultant_client.post(
        override_url(payroll),
        {"override-model": "bpo", "override-justification": "The vendor will supervise."},
    )
    # … so outsourcing it anyway risks disguised contracting.
    assert "disguised_contracting" in TaskResult.objects.get(task=payroll).detail["warnings"]
    consultant_client.post(override_url(payroll), {"remove": "1"})
    assert not Override.objects.exists()
    assert "disguised_contracting" not in TaskResult.objects.get(task=payroll).detail["warnings"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"override-model": "ito", "override-justification": "   "}, "This field is required."),
        ({"override-model": "bpo", "override-justification": "x"}, "already the recommended"),
        ({"override-model": "robots", "override-justification": "x"}, "Select a valid choice."),
    ],
)
def test_a_bad_override_is_refused(consultant_client, manager_client, payroll, data, message):
    manager_client.post(check_url(payroll), {**NON_CORE, "go": "stay"})
    response = consultant_client.post(override_url(payroll), data, follow=True)
    assert message in response.content.decode()
    assert not Override.objects.exists()


def test_only_consultants_override(manager_client, payroll):
    data = {"override-model": "ito", "override-justification": "Because."}
    assert manager_client.post(override_url(payroll), data).status_code == 403
    page = manager_client.get(check_url(payroll)).content.decode()
    assert "Override the recommendation" not in page
    assert not Override.objects.exists()


# --- newer versions ----------------------------------------------------------------------------


@pytest.fixture
def newer_versions(admin_user) -> tuple[ChecklistVersion, RuleTableVersion]:
    """v2 of the checklist: C10 no longer counts and non-core starts at 70."""
    checklist = ChecklistVersion.objects.latest_published().copy_as_draft()
    checklist.criteria.filter(code="C10").update(weight=0)
    checklist.non_core_at = Decimal(70)
    checklist.save()
    checklist.publish(admin_user)
    rules = RuleTableVersion.objects.latest_published().copy_as_draft()
    rules.publish(admin_user)
    return checklist, rules


def test_newer_versions_show_what_changes_before_the_move(
    consultant_client, manager_client, payroll, newer_versions
):
    manager_client.post(check_url(payroll), {**NON_CORE, "go": "stay"})
    url = reverse("assessment_versions", args=[payroll.assessment_id])
    page = consultant_client.get(url).content.decode()
    assert "no longer counts in the suitability (weight 1 → 0)." in page
    assert "A task is non-core from a suitability of 70 (was 60)." in page
    # 50 + 50 × 2.5 / 8 = 65.6: below the new threshold of 70, so borderline.
    assert 'data-changed-tasks="1"' in page and "65.6" in page
    assert TaskResult.objects.get(task=payroll).verdict == "non_core"  # nothing moved yet

    checklist, _rules = newer_versions
    response = confirm_version_move(consultant_client, payroll.assessment)
    assert response.status_code == 302
    payroll.assessment.refresh_from_db()
    assert payroll.assessment.checklist_version == checklist
    result = TaskResult.objects.get(task=payroll)
    assert (result.verdict, result.suitability, result.checklist_version) == (
        "borderline",
        Decimal("65.62"),  # 65.625, rounded half to even
        checklist,
    )
    assert result.detail["pilot"] is True


def test_moving_needs_a_consultant_and_the_changes_that_were_shown(
    consultant_client, manager_client, assessment, newer_versions
):
    url = reverse("assessment_versions", args=[assessment.pk])
    page = manager_client.get(url).content.decode()
    assert 'name="seen"' not in page  # the changes, but no confirmation
    assert manager_client.post(url, {"seen": "anything"}).status_code == 403
    response = consultant_client.post(url, {"seen": "not-what-was-shown"}, follow=True)
    assert "changed since the changes were shown: nothing was moved" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.checklist_version.number == 2


# --- the inventory and the overview ------------------------------------------------------------


def test_inventory_sorts_and_filters_by_the_model_that_will_be_used(
    consultant_client, payroll, assessment
):
    reception = assessment.tasks.get(task="Greet visitors")
    consultant_client.post(check_url(payroll), {**NON_CORE, "go": "stay"})
    consultant_client.post(check_url(reception), {**NON_CORE, "go": "stay"})
    consultant_client.post(
        override_url(reception),
        {"override-model": "dispatch", "override-justification": "Visitors need direction."},
    )
    url = reverse("inventory", args=[assessment.pk])

    def table(query: dict[str, str]) -> str:
        return consultant_client.get(url, query).content.decode().split('id="task-rows"')[1]

    page = table({"model": "bpo"})
    assert "Collect timesheets" in page and "Greet visitors" not in page
    page = table({"model": "dispatch"})
    assert "Greet visitors" in page and "Collect timesheets" not in page
    # Reception: 4 × 15 min daily = 240 h a year; payroll: 2 h × 2 people monthly = 48 h.
    page = table({"sort": "-annual_hours"})
    assert page.index("Greet visitors") < page.index("Collect timesheets")
    page = table({"sort": "nonsense"})
    assert page.index("Collect timesheets") < page.index("Greet visitors")


def test_overview_places_tasks_on_the_core_standardisability_quadrant(
    manager_client, payroll, assessment
):
    manager_client.post(check_url(payroll), {**NON_CORE, "go": "stay"})
    page = manager_client.get(reverse("assessment_detail", args=[assessment.pk])).content.decode()
    cell = page.split('data-quadrant="non_core-1"')[1].split("</td>")[0]
    assert ">1<" in cell and "48.0" in cell  # payroll: non-core, standardisable (C3 yes), 48 h
    assert re.search(r"1 task \([\d.,]+ h/year\) is not placed yet", page)  # no verdict


def test_grid_messages_name_the_row_in_the_inventory_not_on_the_page(manager_client, assessment):
    for position in range(2, 52):
        make_task(
            assessment,
            position=position,
            department="D",
            process="P",
            task=f"Task {position + 1}",
            category="other",
        )
    url = reverse("check_grid", args=[assessment.pk]) + "?page=2"
    task = assessment.tasks.get(task="Task 51")  # the first task of page 2
    response = manager_client.post(url, {f"t{task.pk}-C1": "perhaps"})
    assert "Row 51 “Task 51”, C1:" in response.content.decode()
