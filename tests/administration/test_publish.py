"""Publishing a draft (issue 18, SPEC 4.4 "a replay"): before anything is published, the page
says what the draft would change for the assessments using the newest version — 「公開すると、
2件の検討で3件の作業の判定または推奨区分が変わります」 and which tasks, how and why — or, for a
draft that cannot run, why not. Publishing then changes no assessment until it is moved.

The setup, worked out by hand: every task answers the nine scoring questions (so scoring over
the answered questions or over all of them gives the same), the draft weighs C5 (keep
in-house) 4 instead of 1, so the weights add up to 12 instead of 9:

| task | yes (outsource) | C5     | before (÷ 9)                | after (÷ 12)                  |
| A1   | C3 C8 C9 C10    | yes    | 50 + 50×3/9 = 66.7 non-core | 50 + 50×0/12 = 50 borderline  |
| A2   | C3              | yes    | 50 + 50×0/9 = 50 borderline | 50 − 50×3/12 = 37.5 core      |
| A3   | C3 C9 C10       | no     | 66.7 non-core               | 62.5 non-core                 |
| B1   | as A1           | yes    | non-core                    | borderline                    |
| B2   | C3 C4 C8 C9 C10 | partly | 50 + 50×4.5/9 = 75 non-core | 50 + 50×3/12 = 62.5 non-core  |

A2 becomes core, so its recommended model goes from BPO to in-house (rule 1).
Three tasks in two assessments change (three verdicts, one recommended model); an assessment
pinned to an older checklist is not replayed, only counted."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings

from assessments.models import Assessment, TaskResult
from assessments.models.drafts import publish_stamp
from assessments.models.steps import ReadinessEntry
from assessments.models.versions import ChecklistVersion, ReadinessVersion, Status
from outsourcing_advisor.history.models import Action, Event, SubjectType
from tests.factories import start_assessment_with

pytestmark = pytest.mark.django_db

NO = {f"C{n}": "no" for n in range(1, 11)}
TASKS = {
    "A1": {**NO, "C3": "yes", "C8": "yes", "C9": "yes", "C10": "yes", "C5": "yes"},
    "A2": {**NO, "C3": "yes", "C5": "yes"},
    "A3": {**NO, "C3": "yes", "C9": "yes", "C10": "yes"},
    "B1": {**NO, "C3": "yes", "C8": "yes", "C9": "yes", "C10": "yes", "C5": "yes"},
    "B2": {**NO, "C3": "yes", "C4": "yes", "C8": "yes", "C9": "yes", "C10": "yes", "C5": "partly"},
}


def start(organisation: Any, name: str, tasks: list[str]) -> Assessment:
    return start_assessment_with(
        organisation, name, {task: TASKS[task] for task in tasks}, "Payroll"
    )


@pytest.fixture
def replayed(company_a, company_b) -> dict[str, Assessment]:
    latest = ChecklistVersion.objects.latest_published()
    assert (latest.non_core_at, latest.core_at) == (60, 40)
    assert {c.weight for c in latest.criteria.all()} == {1}
    older = start(company_b, "On an older checklist", ["A1"])
    older.checklist_version = ChecklistVersion.objects.published().last()
    assert older.checklist_version != latest
    older.save()
    return {
        "a": start(company_a, "Back office 2026", ["A1", "A2", "A3"]),
        "b": start(company_b, "Midori 2026", ["B1", "B2"]),
        "older": older,
    }


@pytest.fixture
def heavier_c5(checklist_draft) -> ChecklistVersion:
    checklist_draft.criteria.filter(code="C5").update(weight=4)
    return checklist_draft


def results() -> list[tuple]:
    return list(
        TaskResult.objects.order_by("task_id").values_list(
            "task_id", "verdict", "model", "suitability", "checklist_version", "computed_at"
        )
    )


def publish_url(draft: Any, kind: str = "checklist") -> str:
    return f"/administration/{kind}/{draft.pk}/publish/"


def test_the_preview_counts_and_lists_what_would_change(aoki_client, replayed, heavier_c5):
    before = results()
    page = aoki_client.get(publish_url(heavier_c5)).content.decode()
    assert 'data-assessments="2" data-tasks="3"' in page
    assert (
        "If you publish it, 3 tasks in 2 assessments change their verdict or recommended model."
        in page
    )
    assert "Tasks whose verdict changes: <strong>3</strong>" in page
    assert "Tasks whose recommended model changes: <strong>1</strong>" in page
    latest = ChecklistVersion.objects.latest_published()
    assert f"Compared with {latest}, the newest published version, for the 2 assessments" in page
    assert "1 more assessment uses an older version" in page
    assert "C5 “" in page and "now weighs 4 (was 1)." in page  # what changes in the version
    a, b = replayed["a"], replayed["b"]
    assert f'data-assessment="{a.pk}" data-changed-tasks="2"' in page
    assert f'data-assessment="{b.pk}" data-changed-tasks="1"' in page
    assert f'data-assessment="{replayed["older"].pk}"' not in page
    shown = {t.task for t in a.tasks.all() | b.tasks.all() if f'data-task="{t.pk}"' in page}
    assert shown == {"A1", "A2", "B1"}
    assert "Non-core → <strong>Borderline</strong>" in page
    assert (
        "Borderline → <strong>Core</strong>" in page and "BPO → <strong>In-house</strong>" in page
    )
    assert "What changed: C5 weighs 4 (was 1)." in page  # why, per group
    assert "Sakura Trading" in page and "Midori Seiki" in page
    assert results() == before  # computed, nothing written
    heavier_c5.refresh_from_db()
    assert not heavier_c5.is_published


def test_the_preview_speaks_japanese(aoki_client, aoki, replayed, heavier_c5):
    aoki.profile.language = "ja"
    aoki.profile.save()
    page = aoki_client.get(publish_url(heavier_c5)).content.decode()
    assert "公開すると、2件の検討で3件の作業の判定または推奨区分が変わります。" in page


def test_publishing_changes_no_assessment_until_it_is_moved(
    aoki_client, aoki, replayed, heavier_c5
):
    a = replayed["a"]
    latest = ChecklistVersion.objects.latest_published()
    before = results()
    response = aoki_client.post(
        publish_url(heavier_c5),
        {"note": "C5 weighs 4", "seen": publish_stamp(heavier_c5)},
        follow=True,
    )
    heavier_c5.refresh_from_db()
    assert heavier_c5.is_published and heavier_c5.number == latest.number + 1
    assert (heavier_c5.note, heavier_c5.published_by) == ("C5 weighs 4", aoki)
    assert f"Published {heavier_c5}. Assessments keep the versions they use" in (
        response.content.decode()
    )
    event = Event.objects.get(action=Action.PUBLISHED)
    assert (event.subject_type, event.subject_id, event.actor) == (
        SubjectType.CHECKLIST,
        heavier_c5.pk,
        aoki,
    )
    assert results() == before
    for assessment in replayed.values():
        assessment.refresh_from_db()
        assert assessment.checklist_version != heavier_c5

    a.move_to_versions(heavier_c5, a.rule_version, user=None)
    moved = {
        r.task.task: (r.verdict, r.model) for r in TaskResult.objects.filter(task__assessment=a)
    }
    assert moved == {
        "A1": ("borderline", "bpo"),
        "A2": ("core", "in_house"),
        "A3": ("non_core", "bpo"),
    }
    b = TaskResult.objects.filter(task__assessment=replayed["b"])
    assert {r.task.task: r.verdict for r in b} == {"B1": "non_core", "B2": "non_core"}


def test_a_draft_that_cannot_run_is_refused_in_words(aoki_client, checklist_draft):
    ChecklistVersion.objects.filter(pk=checklist_draft.pk).update(core_at=70)
    page = aoki_client.get(publish_url(checklist_draft)).content.decode()
    assert "This draft cannot be published yet:" in page
    assert "The thresholds overlap: “core at or below” (70) must be lower than" in page
    assert "data-preview" not in page and "data-publish-form" not in page
    aoki_client.post(
        publish_url(checklist_draft), {"note": "x", "seen": publish_stamp(checklist_draft)}
    )
    checklist_draft.refresh_from_db()
    assert not checklist_draft.is_published


def test_no_scoring_question_is_refused_in_words(aoki_client, checklist_draft):
    checklist_draft.criteria.update(weight=0)
    page = aoki_client.get(publish_url(checklist_draft)).content.decode()
    assert "No question counts in the suitability" in page


def test_a_publish_over_a_change_since_the_preview_is_refused(aoki_client, heavier_c5, replayed):
    seen = publish_stamp(heavier_c5)
    other = ChecklistVersion.objects.latest_published().copy_as_draft()
    other.publish(None)  # published meanwhile: the comparison is another
    response = aoki_client.post(publish_url(heavier_c5), {"note": "x", "seen": seen}, follow=True)
    assert "nothing was published" in response.content.decode()
    heavier_c5.refresh_from_db()
    assert not heavier_c5.is_published


def test_a_note_is_required_to_publish(aoki_client, heavier_c5):
    response = aoki_client.post(
        publish_url(heavier_c5), {"note": "", "seen": publish_stamp(heavier_c5)}
    )
    assert "This field is required." in response.content.decode()
    heavier_c5.refresh_from_db()
    assert heavier_c5.status == Status.DRAFT


def test_vendor_criteria_change_no_task(aoki_client, weights_draft, replayed):
    weights_draft.weights.filter(criterion="security").update(weight=25)
    weights_draft.weights.filter(criterion="improvement").update(weight=5)
    page = aoki_client.get(publish_url(weights_draft, "vendor-criteria")).content.decode()
    assert "Vendor criteria change no task&#x27;s verdict or recommendation." in page or (
        "Vendor criteria change no task's verdict or recommendation." in page
    )
    assert "Security now counts for 25% of a vendor&#x27;s score (was 20%)." in page or (
        "Security now counts for 25% of a vendor's score (was 20%)." in page
    )
    response = aoki_client.post(
        publish_url(weights_draft, "vendor-criteria"),
        {"note": "security first", "seen": publish_stamp(weights_draft)},
    )
    assert response.status_code == 302
    weights_draft.refresh_from_db()
    assert weights_draft.is_published


def test_a_readiness_draft_names_the_entries_a_move_would_drop(
    aoki_client, readiness_draft, assessment
):
    latest = ReadinessVersion.objects.latest_published()
    item = latest.items.order_by("order").first()
    assessment.readiness_version = latest
    assessment.save()
    ReadinessEntry.objects.create(assessment=assessment, item=item, status="done", owner="山田")
    readiness_draft.items.filter(code=item.code).delete()
    page = aoki_client.get(publish_url(readiness_draft, "readiness")).content.decode()
    assert 'data-dropped="1"' in page
    assert "Moving them would drop 1 readiness entry of an item this draft removes." in page
    assert f"{item.code} is removed: its status “Done” will be dropped." in page
    assert f"Item {item.code} “" in page  # what changes in the version


def test_the_admin_language_cookie_does_not_matter_to_the_area(aoki_client, heavier_c5):
    aoki_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"  # the profile says English
    page = aoki_client.get(publish_url(heavier_c5)).content.decode()
    assert "What publishing would change" in page
