"""Moving an assessment to newer checklist, rule-table and vendor-criteria versions (issue 18), as
Kenji (consultant) does it: the versions page says in words what the move changes and why, he
confirms what he saw (a stale or missing confirmation moves nothing), the move is one event in
the history, and he can move back, restoring the results exactly, while nothing else has changed
since. Hanako (manager) and the viewer read; an outsider sees nothing."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from assessments.domain import classification as cl
from assessments.models import Assessment, Override, Task, TaskResult
from assessments.models.steps import ReadinessEntry, ReadinessValues
from assessments.models.versions import (
    ChecklistVersion,
    ReadinessVersion,
    RuleTableVersion,
)
from assessments.reporting.version_words import condition_words, conditions_words
from outsourcing_advisor.history.models import Action, Event, SubjectType
from tests.factories import NON_CORE, OUTSOURCEABLE, make_task, publish_newer_versions
from tests.helpers import confirm_version_move

pytestmark = pytest.mark.django_db

# Expertise 3 analysis work: KPO under the published rules, BPO once KPO needs expertise 4.
MARKET_REPORT = {**OUTSOURCEABLE, "category": "analysis", "expertise": 3}
# C4 (expertise needed) answered yes as well: 50 + 50 × 4.5 / 9 = 75, non-core at any threshold.
EXPERT = {**NON_CORE, "C4": "yes"}


@pytest.fixture
def tasks(assessment) -> dict[str, Task]:
    """Payroll, non-core at 69.4 (BPO); a market report, non-core at 75 (KPO)."""
    payroll = make_task(
        assessment, position=2, department="HR", process="Payroll", task="Run payroll",
        category="hr", minutes=Decimal(600), **OUTSOURCEABLE,
    )  # fmt: skip
    report = make_task(
        assessment, position=3, department="Sales", process="Reporting", task="Market report",
        minutes=Decimal(300), **{**MARKET_REPORT, "answers": EXPERT},
    )  # fmt: skip
    assessment.recompute_results()
    return {"payroll": payroll, "report": report}


@pytest.fixture
def newer(admin_user) -> None:
    publish_newer_versions(admin_user)


def url_of(assessment: Assessment) -> str:
    return reverse("assessment_versions", args=[assessment.pk])


def back_url(assessment: Assessment) -> str:
    return reverse("assessment_versions_back", args=[assessment.pk])


def results_of(assessment: Assessment) -> dict[str, tuple]:
    """Everything of each stored result but when it was computed."""
    return {
        r.task.task: (
            r.checklist_version_id, r.rule_version_id, r.suitability, r.verdict, r.model, r.detail
        )
        for r in TaskResult.objects.filter(task__assessment=assessment).select_related("task")
    }  # fmt: skip


def pinned(assessment: Assessment) -> dict[str, int | None]:
    assessment.refresh_from_db()
    return assessment.pinned_versions().numbers()


def moves_of(assessment: Assessment) -> list[Event]:
    events = Event.objects.filter(assessment=assessment, subject_type=SubjectType.VERSIONS)
    return list(events.order_by("id"))


def stamp_of(page: str) -> str:
    found = re.search(r'name="seen" value="([^"]*)"', page)
    assert found, "no move offered"
    return found.group(1)


def move_id_of(page: str) -> str:
    found = re.search(r'name="move" value="(\d+)"', page)
    assert found, "no move back offered"
    return found.group(1)


def page_of(client, assessment: Assessment) -> str:
    return client.get(url_of(assessment)).content.decode()


FROM = {"checklist": 2, "rule": 2, "evaluation": 1, "readiness": 2}
TO = {"checklist": 3, "rule": 3, "evaluation": 2, "readiness": 2}


# --- the diff in words ---------------------------------------------------------------------


def test_the_page_says_in_words_what_the_move_changes_and_why(
    consultant_client, assessment, tasks, newer
):
    page = page_of(consultant_client, assessment)
    # The versions by name and date, never by a note such as “SPEC 4.6 defaults”.
    day = timezone.localdate(ChecklistVersion.objects.get(number=3).published_at).isoformat()
    assert f"<li>Checklist v2 (published {day})</li>" in page
    assert f"→ <strong>Rule table v3 (published {day})</strong>" in page
    assert "Readiness checklist v2 (published" in page and "(unchanged)</li>" in page
    assert "SPEC" not in page
    # Which tasks change, how and why.
    assert "Tasks whose verdict changes: <strong>1</strong>" in page
    assert "Tasks whose recommended model changes: <strong>1</strong>" in page
    payroll, report = page.split('data-group-tasks="1"')[1:3]
    assert "Non-core → <strong>Borderline</strong>" in payroll and "Run payroll" in payroll
    assert "A suitability between 40 and 70 is borderline" in payroll
    assert "What changed: non-core from 70 (was 60)." in payroll
    assert "KPO → <strong>BPO</strong>" in report and "Market report" in report
    assert "Rule 10 (BPO) now decides: Continuous operational work" in report
    assert (
        "Rule 4 (KPO), which decided before, now applies only when Skill the work needs is 4 "
        "or more; this task: Skill the work needs 3."
    ) in report
    # What changed in the versions themselves.
    assert (
        "C10 is reworded: “Would outside know-how do it better?” (was “Would external expertise "
        "do it more efficiently?”)."
    ) in page
    assert "A task is non-core from a suitability of 70 (was 60)." in page
    assert (
        "Rule 4 (KPO) changes its conditions: Skill the work needs is 3 or more → "
        "Skill the work needs is 4 or more." in page
    )
    assert (
        "New rule 9: BPO when Category is “Customer support and call centre” and Continuity is "
        "“Ongoing”."
    ) in page
    assert "Security now counts for 25% of a vendor&#x27;s score (was 20%)." in page
    # Never a Python list, never a rule's code.
    for raw in ("[[", "[&#x27;", "&#x27;ge&#x27;", "knowledge_work_kpo", "contact_centre_bpo"):
        assert raw not in page, raw


def test_the_japanese_page_shows_no_python_values_either(
    consultant_client, consultant, assessment, tasks, newer
):
    consultant.profile.language = "ja"
    consultant.profile.save()
    page = page_of(consultant_client, assessment)
    assert "チェックリストとルール" in page
    for raw in ("[[", "[&#x27;", "&#x27;ge&#x27;", "knowledge_work_kpo", "SPEC"):
        assert raw not in page, raw


@pytest.mark.parametrize(
    ("condition", "words"),
    [
        (cl.Condition("expertise", "ge", Decimal(4)), "Skill the work needs is 4 or more"),
        (cl.Condition("expertise", "le", Decimal(2)), "Skill the work needs is 2 or less"),
        (cl.Condition("annual_hours", "lt", Decimal(40)), "Annual hours is under 40"),
        (cl.Condition("annual_hours", "gt", Decimal("7.5")), "Annual hours is over 7.5"),
        (cl.Condition("verdict", "eq", "core"), "Verdict is “Core”"),
        (cl.Condition("continuity", "ne", "one_off"), "Continuity is not “One-off”"),
        (cl.Condition("deliverable_clear", "in", ("yes",)), "Clear deliverable is “Yes”"),
        (
            cl.Condition("category", "in", ("analysis", "it")),
            "Category is “Analysis, research and reporting” or “IT operations, maintenance and "
            "helpdesk”",
        ),
        (
            cl.Condition("confidentiality", "not_in", ("confidential", "personal")),
            "Most sensitive data handled is none of “Confidential”, “Personal data”",
        ),
    ],
)
def test_a_condition_in_words(condition, words):
    with translation.override("en"):
        assert condition_words(condition) == words


@pytest.mark.parametrize(
    ("conditions", "words"),
    [
        ([], "any task the rules above do not decide"),
        ([[["on_site", "eq", "yes"]]], "Done on your premises (常駐) is “Yes”"),
        (
            [[["judgment", "eq", "high"]], [["tacit_knowledge", "eq", "high"]]],
            "Case-by-case judgment is “Much”, or Reliance on unwritten know-how is “Much”",
        ),
        (
            [[["continuity", "eq", "one_off"], ["expertise", "le", 2]], [["on_site", "eq", "no"]]],
            "(Continuity is “One-off” and Skill the work needs is 2 or less), "
            "or Done on your premises (常駐) is “No”",
        ),
    ],
)
def test_a_rules_conditions_in_words(conditions, words):
    with translation.override("en"):
        assert conditions_words(conditions) == words


# --- confirming ------------------------------------------------------------------------------


def test_reading_the_page_moves_nothing(consultant_client, assessment, tasks, newer):
    before = results_of(assessment)
    page_of(consultant_client, assessment)
    page_of(consultant_client, assessment)
    assert pinned(assessment) == FROM and results_of(assessment) == before
    assert moves_of(assessment) == []


@pytest.mark.parametrize("posted", ["missing", "empty", "made up"])
def test_a_move_without_the_stamp_of_what_was_shown_is_refused(
    consultant_client, assessment, tasks, newer, posted
):
    before = results_of(assessment)
    data = {"missing": {}, "empty": {"seen": ""}, "made up": {"seen": "0123456789abcdef"}}[posted]
    page = consultant_client.post(url_of(assessment), data, follow=True).content.decode()
    assert "changed since the changes were shown: nothing was moved" in page
    assert pinned(assessment) == FROM and results_of(assessment) == before
    assert moves_of(assessment) == []


def answer(client, task: Task, **answers: str):
    url = reverse("task_check", args=[task.assessment_id, task.pk])
    return client.post(url, {**task.effective_answers(), **answers, "go": "stay"})


@pytest.mark.parametrize("meanwhile", ["a task changed", "a version published"])
def test_a_move_confirmed_on_a_stale_page_is_refused(
    consultant_client, manager_client, admin_user, assessment, tasks, newer, meanwhile
):
    seen = stamp_of(page_of(consultant_client, assessment))
    if meanwhile == "a task changed":  # Hanako answers C7 meanwhile: payroll moves otherwise
        assert answer(manager_client, tasks["payroll"], C7="yes").status_code == 302
    else:
        RuleTableVersion.objects.latest_published().copy_as_draft().publish(admin_user)
    before = results_of(assessment)
    response = consultant_client.post(url_of(assessment), {"seen": seen}, follow=True)
    page = response.content.decode()
    assert "changed since the changes were shown: nothing was moved" in page
    assert pinned(assessment) == FROM and results_of(assessment) == before
    assert moves_of(assessment) == []
    # The page shows the changes as they are now, with their own stamp: that one moves.
    assert stamp_of(page) != seen
    assert consultant_client.post(url_of(assessment), {"seen": stamp_of(page)}).status_code == 302
    assert pinned(assessment)["checklist"] == 3


# --- the move and its history ----------------------------------------------------------------


def test_the_move_is_one_event_with_the_versions_and_the_counts(
    consultant_client, consultant, assessment, tasks, newer
):
    events_before = Event.objects.filter(assessment=assessment).count()
    page = confirm_version_move(consultant_client, assessment, follow=True).content.decode()
    assert "The assessment now uses Checklist v3 (published" in page
    assert "Tasks whose verdict changed: 1; whose recommended model changed: 1." in page
    assert pinned(assessment) == TO
    payroll = TaskResult.objects.get(task=tasks["payroll"])
    report = TaskResult.objects.get(task=tasks["report"])
    assert (payroll.verdict, payroll.model, report.verdict, report.model) == (
        "borderline", "bpo", "non_core", "bpo",
    )  # fmt: skip

    assert Event.objects.filter(assessment=assessment).count() == events_before + 1
    [move] = moves_of(assessment)
    assert (move.action, move.actor, move.subject_id) == (Action.CHANGED, consultant, assessment.pk)
    assert move.changes == [
        {"field": "checklist_version", "old": "v2", "new": "v3"},
        {"field": "rule_version", "old": "v2", "new": "v3"},
        {"field": "evaluation_version", "old": "v1", "new": "v2"},
    ]
    details = move.details
    assert (details["versions_from"], details["versions_to"]) == (FROM, TO)
    assert (details["verdicts"], details["models"], details["count"]) == (1, 1, 2)
    assert details["tasks"] == ["Run payroll", "Market report"]

    history = consultant_client.get(reverse("assessment_history", args=[assessment.pk]))
    text = history.content.decode()
    assert "Versions used" in text and "Checklist version" in text
    assert "Tasks whose verdict changed: 1; whose recommended model changed: 1." in text
    assert "2 tasks: Run payroll, Market report" in text


# --- moving back ---------------------------------------------------------------------------


def test_moving_back_restores_the_versions_and_results_exactly(
    consultant_client, consultant, assessment, tasks, newer
):
    # Kenji overrode the market report before: the override stays through both moves.
    assessment.override_task(tasks["report"], "kpo", "We keep the analysts' vendor.", consultant)
    override = Override.objects.values().get(task=tasks["report"])
    before = results_of(assessment)
    confirm_version_move(consultant_client, assessment)
    assert results_of(assessment) != before

    page = page_of(consultant_client, assessment)
    assert "Latest move to other versions" in page and "These are the newest" in page
    assert "Checklist version: v2 → v3" in page
    response = consultant_client.post(back_url(assessment), {"move": move_id_of(page)}, follow=True)
    page = response.content.decode()
    assert "uses the versions it used before the move again" in page
    assert pinned(assessment) == FROM
    assert results_of(assessment) == before
    assert Override.objects.values().get(task=tasks["report"]) == override
    # Recorded too; the newer versions are offered again, and no second move back.
    move, back = moves_of(assessment)
    assert (back.action, back.actor) == (Action.UNDONE, consultant)
    assert back.details["versions_to"] == FROM and back.details["versions_from"] == TO
    assert back.changes[0] == {"field": "checklist_version", "old": "v3", "new": "v2"}
    assert 'name="seen"' in page and 'name="move"' not in page
    again = consultant_client.post(back_url(assessment), {"move": move.pk}, follow=True)
    assert "can no longer be undone" in again.content.decode()
    assert pinned(assessment) == FROM and len(moves_of(assessment)) == 2


def test_moving_back_restores_the_readiness_entries_the_move_dropped(
    consultant_client, manager, assessment, admin_user
):
    v2 = ReadinessVersion.objects.latest_published()
    items = {item.code: item.pk for item in v2.items.all()}
    ReadinessEntry.record(
        assessment,
        v2,
        {
            items["R07"]: ReadinessValues("Sato", "done", "Checked with legal"),
            items["R01"]: ReadinessValues("Hanako", "in_progress", ""),
        },
        manager,
    )
    entries = {
        e.item.code: (e.owner, e.status, e.note, e.updated_by, e.updated_at)
        for e in ReadinessEntry.objects.filter(assessment=assessment).select_related("item")
    }
    v3 = v2.copy_as_draft()
    v3.items.filter(code="R07").delete()
    v3.publish(admin_user)

    page = page_of(consultant_client, assessment)
    assert "R07 is removed: its status “Done”, owner and note will be dropped." in page
    confirm_version_move(consultant_client, assessment)
    kept = ReadinessEntry.objects.filter(assessment=assessment)
    assert {e.item.code for e in kept} == {"R01"} and pinned(assessment)["readiness"] == 3
    history = consultant_client.get(reverse("assessment_history", args=[assessment.pk]))
    assert "Readiness entries dropped (restored if the move is undone): R07." in (
        history.content.decode()
    )

    consultant_client.post(
        back_url(assessment), {"move": move_id_of(page_of(consultant_client, assessment))}
    )
    assert pinned(assessment)["readiness"] == 2
    restored = ReadinessEntry.objects.filter(assessment=assessment).select_related("item")
    assert {
        e.item.code: (e.owner, e.status, e.note, e.updated_by, e.updated_at) for e in restored
    } == entries
    assert {e.item.version_id for e in restored} == {v2.pk}


def organisation_form(client, organisation) -> dict[str, str]:
    response = client.get(reverse("organisation_settings", args=[organisation.pk]))
    form = response.context["form"]
    return {name: form[name].value() for name in form.fields if form[name].value() is not None}


@pytest.mark.parametrize("after", ["an answer", "the working figures"])
def test_after_another_change_moving_back_is_refused_and_the_page_says_why(
    consultant_client, manager_client, assessment, company_a, tasks, newer, after
):
    confirm_version_move(consultant_client, assessment)
    move_id = move_id_of(page_of(consultant_client, assessment))
    if after == "an answer":
        assert answer(manager_client, tasks["payroll"], C7="partly").status_code == 302
    else:  # the organisation's settings: recorded on the organisation, not the assessment
        data = {**organisation_form(manager_client, company_a), "hourly_cost": "4100"}
        response = manager_client.post(reverse("organisation_settings", args=[company_a.pk]), data)
        assert response.status_code == 302
    before = results_of(assessment)

    page = page_of(consultant_client, assessment)
    assert 'name="move"' not in page and "Moving back is no longer possible" in page
    if after == "an answer":
        assert "after the move, hanako changed Check answers “HR / Payroll / Run payroll”" in page
    else:
        assert "results or readiness entries changed" in page
    response = consultant_client.post(back_url(assessment), {"move": move_id}, follow=True)
    assert "can no longer be undone" in response.content.decode()
    assert pinned(assessment) == TO and results_of(assessment) == before
    assert [e.action for e in moves_of(assessment)] == [Action.CHANGED]


def test_moving_back_needs_the_move_that_was_shown(consultant_client, assessment, tasks, newer):
    confirm_version_move(consultant_client, assessment)
    for data in ({}, {"move": "0"}, {"move": "abc"}):
        consultant_client.post(back_url(assessment), data)
        assert pinned(assessment) == TO


# --- who may -------------------------------------------------------------------------------


def test_hanako_and_the_viewer_read_the_changes_but_cannot_move(
    manager_client, viewer_client, consultant_client, assessment, tasks, newer
):
    for client in (manager_client, viewer_client):
        page = page_of(client, assessment)
        assert "Tasks whose verdict changes: <strong>1</strong>" in page
        assert 'name="seen"' not in page
        assert "A consultant can move the assessment to the newer versions." in page
    seen = stamp_of(page_of(consultant_client, assessment))
    assert viewer_client.post(url_of(assessment), {"seen": seen}).status_code == 403
    assert manager_client.post(url_of(assessment), {"seen": seen}).status_code == 403
    assert pinned(assessment) == FROM

    confirm_version_move(consultant_client, assessment)
    move_id = move_id_of(page_of(consultant_client, assessment))
    for client in (manager_client, viewer_client):
        assert 'name="move"' not in page_of(client, assessment)
        assert client.post(back_url(assessment), {"move": move_id}).status_code == 403
    assert pinned(assessment) == TO


def test_an_outsider_finds_neither_page(outsider_client, assessment, tasks, newer):
    assert outsider_client.get(url_of(assessment)).status_code == 404
    assert outsider_client.post(url_of(assessment), {"seen": "x"}).status_code == 404
    assert outsider_client.post(back_url(assessment), {"move": "1"}).status_code == 404
    assert outsider_client.get(back_url(assessment)).status_code == 405
    assert pinned(assessment) == FROM
