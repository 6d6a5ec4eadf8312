"""Aoki edits drafts in the administrators' area (issue 18): a draft is started from a published
version (one at a time), its thresholds, questions, weights and items are edited as forms, every
change is recorded in the history, and bad input names its field and saves nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from assessments.models.drafts import draft_stamp
from assessments.models.versions import (
    ChecklistVersion,
    EvaluationVersion,
    ReadinessVersion,
    Status,
)
from outsourcing_advisor.history.models import Action, Event, SubjectType
from tests.helpers import CHECKLIST_FIELDS, CRITERION_FIELDS, ITEM_FIELDS, draft_form

pytestmark = pytest.mark.django_db


def url(version: Any, kind: str) -> str:
    return f"/administration/{kind}/{version.pk}/"


def rows_post(version: Any, related: str, fields: list[str], **changes: Any) -> dict[str, Any]:
    """The draft's form as the browser sends it: its own fields and every row as shown."""
    own = CHECKLIST_FIELDS if isinstance(version, ChecklistVersion) else ["note"]
    return draft_form(version, related, fields, own, **changes)


def rows_of(version: Any, related: str, fields: list[str]) -> list[tuple]:
    return list(getattr(version, related).values_list("code", *fields))


def index(version: ChecklistVersion, code: str) -> int:
    return [c.code for c in version.criteria.all()].index(code)


# --- starting and discarding -----------------------------------------------------------------


def test_aoki_starts_a_draft_from_the_newest_version_and_only_one(aoki_client, aoki):
    latest = ChecklistVersion.objects.latest_published()
    response = aoki_client.post("/administration/checklist/start/", {"source": latest.pk})
    draft = ChecklistVersion.objects.get(status=Status.DRAFT)
    assert response["Location"] == f"/administration/checklist/{draft.pk}/"
    assert rows_of(draft, "criteria", CRITERION_FIELDS) == rows_of(
        latest, "criteria", CRITERION_FIELDS
    )
    event = Event.objects.get(subject_type=SubjectType.CHECKLIST)
    assert (event.action, event.details, event.actor) == (
        Action.CREATED,
        {"copy_of": str(latest)},
        aoki,
    )
    page = aoki_client.get(response["Location"]).content.decode()
    assert f"Copied from {latest} on" in page

    again = aoki_client.post("/administration/checklist/start/", {"source": latest.pk}, follow=True)
    assert "A draft of this kind is already open" in again.content.decode()
    assert ChecklistVersion.objects.filter(status=Status.DRAFT).count() == 1


def test_the_home_page_lists_versions_their_use_and_the_open_draft(
    aoki_client, assessment, checklist_draft
):
    latest = ChecklistVersion.objects.latest_published()
    page = aoki_client.get("/administration/").content.decode()
    assert "Publishing never changes past results" in page
    section = page.split('data-kind="checklist"')[1].split('data-kind="decision-table"')[0]
    assert f'data-draft="{checklist_draft.pk}"' in section and "Edit the draft" in section
    assert "Start a draft from" not in section  # one draft at a time
    assert f'data-version="{latest.number}"' in section
    assert 'data-used="1"' in section and "used by 1 assessment" in section
    weights = page.split('data-kind="vendor-criteria"')[1].split('data-kind="readiness"')[0]
    assert "Start a draft from v" in weights


def test_aoki_discards_a_draft(aoki_client, checklist_draft):
    response = aoki_client.post(f"/administration/checklist/{checklist_draft.pk}/discard/")
    assert response["Location"] == "/administration/checklist/"
    assert not ChecklistVersion.objects.filter(pk=checklist_draft.pk).exists()
    assert Event.objects.filter(
        subject_type=SubjectType.CHECKLIST, subject_id=checklist_draft.pk, action=Action.DELETED
    ).exists()


# --- the checklist ---------------------------------------------------------------------------


def test_aoki_edits_thresholds_and_questions_of_the_checklist(aoki_client, checklist_draft):
    draft = checklist_draft
    data = rows_post(draft, "criteria", CRITERION_FIELDS, note="C9 counts more", core_at="35")
    data[f"rows-{index(draft, 'C9')}-weight"] = "2.5"
    data[f"rows-{index(draft, 'C3')}-text_en"] = "Can it be written down as a manual?"
    data[f"rows-{index(draft, 'C10')}-DELETE"] = "on"
    new = data["rows-TOTAL_FORMS"]
    data["rows-TOTAL_FORMS"] = new + 1
    data |= {
        f"rows-{new}-code": "C11",
        f"rows-{new}-order": "11",  # its position, shown from 1: stored as 10
        f"rows-{new}-direction": "outsource",
        f"rows-{new}-weight": "1",
        f"rows-{new}-text_ja": "繁忙期に人手が足りませんか？",
        f"rows-{new}-text_en": "Short of hands in busy periods?",
    }
    response = aoki_client.post(url(draft, "checklist"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    draft.refresh_from_db()
    assert (draft.note, draft.core_at) == ("C9 counts more", Decimal(35))
    criteria = {c.code: c for c in draft.criteria.all()}
    assert criteria["C9"].weight == Decimal("2.5") and "C10" not in criteria
    assert criteria["C3"].text_en == "Can it be written down as a manual?"
    assert criteria["C11"].direction == "outsource" and criteria["C11"].order == 10
    c9 = Event.objects.get(subject_id=criteria["C9"].pk, subject_type=SubjectType.CRITERION)
    assert c9.changes == [{"field": "weight", "old": "1", "new": "2.5"}]
    version = Event.objects.get(subject_type=SubjectType.CHECKLIST, action=Action.CHANGED)
    assert {"field": "core_at", "old": "40", "new": "35"} in version.changes
    created = Event.objects.get(subject_type=SubjectType.CRITERION, action=Action.CREATED)
    deleted = Event.objects.get(subject_type=SubjectType.CRITERION, action=Action.DELETED)
    assert created.details == deleted.details == {"version": draft.pk}
    assert created.subject_id == criteria["C11"].pk
    changed = Event.objects.filter(subject_type=SubjectType.CRITERION, action=Action.CHANGED)
    assert {e.subject_id for e in changed} == {criteria["C9"].pk, criteria["C3"].pk}
    page = aoki_client.get(url(draft, "checklist")).content.decode()
    assert "The draft was saved." in page and "Weight: 1 → 2.5" in page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"C3-weight": "-1"},
            "C3 · Weight: A weight cannot be negative (-1): use 0 for a criterion that should "
            "not count, more than 1 for one that should count more.",
        ),
        ({"C3-weight": "much"}, "C3 · Weight: Enter a number."),
        ({"C4-text_ja": ""}, "C4 · Question (Japanese): This field is required."),
        ({"C5-direction": "sideways"}, "C5 · Direction: Select a valid choice."),
        (
            {"core_at": "70"},
            "Core at or below: The thresholds overlap: “core at or below” (70) must be lower "
            "than “non-core at or above” (60), and both between 0 and 100.",
        ),
        ({"max_unknown": "-1"}, "Most “don’t know” answers before a task is incomplete:"),
    ],
)
def test_bad_input_names_its_field_and_saves_nothing(aoki_client, checklist_draft, change, message):
    draft = checklist_draft
    before = rows_of(draft, "criteria", CRITERION_FIELDS)
    data = rows_post(draft, "criteria", CRITERION_FIELDS, note="should not be saved")
    data[f"rows-{index(draft, 'C1')}-weight"] = "3"  # a good change beside the bad one
    for key, value in change.items():
        if "-" in key:
            code, field = key.split("-")
            data[f"rows-{index(draft, code)}-{field}"] = value
        else:
            data[f"draft-{key}"] = value
    response = aoki_client.post(url(draft, "checklist"), data)
    page = response.content.decode().replace("&#x27;", "’").replace("&quot;", '"')
    assert response.status_code == 200
    assert "Nothing was saved. Please correct the following:" in page
    assert message in page, page[page.find("data-problems") :][:1500]
    draft.refresh_from_db()
    assert draft.note == "" and draft.core_at == Decimal(40)
    assert rows_of(draft, "criteria", CRITERION_FIELDS) == before
    assert not Event.objects.filter(action=Action.CHANGED).exists()


def test_a_new_question_needs_a_code_of_its_own(aoki_client, checklist_draft):
    draft = checklist_draft
    data = rows_post(draft, "criteria", CRITERION_FIELDS)
    new = data["rows-TOTAL_FORMS"]
    data["rows-TOTAL_FORMS"] = new + 1
    data |= {
        f"rows-{new}-code": "c3",
        f"rows-{new}-order": "10",
        f"rows-{new}-direction": "keep",
        f"rows-{new}-weight": "1",
        f"rows-{new}-text_ja": "重複",
        f"rows-{new}-text_en": "Duplicate",
    }
    page = aoki_client.post(url(draft, "checklist"), data).content.decode()
    assert "c3 · Code: The code c3 is already used by another row." in page
    assert draft.criteria.count() == 10


def test_add_a_question_shows_a_blank_one_and_saves_nothing(aoki_client, checklist_draft):
    draft = checklist_draft
    data = rows_post(draft, "criteria", CRITERION_FIELDS, note="typed, not yet saved")
    del data["save"]
    data["add"] = "1"
    page = aoki_client.post(url(draft, "checklist"), data).content.decode()
    assert 'name="rows-10-code"' in page and 'name="rows-TOTAL_FORMS" value="11"' in page
    assert "typed, not yet saved" in page and "Nothing was saved" not in page
    draft.refresh_from_db()
    assert draft.note == "" and not Event.objects.filter(action=Action.CHANGED).exists()


def test_a_save_over_someone_elses_change_is_refused(aoki_client, checklist_draft, aoki):
    draft = checklist_draft
    data = rows_post(draft, "criteria", CRITERION_FIELDS, note="mine")
    other = rows_post(draft, "criteria", CRITERION_FIELDS, note="theirs")
    assert aoki_client.post(url(draft, "checklist"), other).status_code == 302
    response = aoki_client.post(url(draft, "checklist"), data, follow=True)
    assert "Someone else changed this draft since you opened it" in response.content.decode()
    draft.refresh_from_db()
    assert draft.note == "theirs"


# --- the vendor criteria -------------------------------------------------------------------


WEIGHTS = {
    "track_record": "25",
    "team": "10",
    "security": "20",
    "sla_quality": "15",
    "improvement": "10",
    "bcp": "10",
    "cost_breakdown": "5",
    "contract_terms": "5",
}


def weights_post(draft: EvaluationVersion, **changes: str) -> dict[str, str]:
    weights = {**WEIGHTS, **changes}
    return {
        "draft-seen": draft_stamp(draft),
        "draft-note": "track record first",
        **{f"weights-{k}": v for k, v in weights.items()},
    }


def test_aoki_sets_the_vendor_weights(aoki_client, weights_draft):
    response = aoki_client.post(url(weights_draft, "vendor-criteria"), weights_post(weights_draft))
    assert response.status_code == 302
    assert weights_draft.as_domain() == {k: Decimal(v) for k, v in WEIGHTS.items()}
    events = Event.objects.filter(subject_type=SubjectType.WEIGHT, action=Action.CHANGED)
    assert {c["new"] for e in events for c in e.changes} == {"25", "5"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"security": "-5"},
            "Security: A weight cannot be negative (-5): use 0 for a criterion that should not "
            "count.",
        ),
        ({"team": "abc"}, "Team and backup: Enter a number."),
        ({"bcp": ""}, "Business continuity (BCP): This field is required."),
    ],
)
def test_a_bad_weight_names_its_criterion_and_saves_nothing(
    aoki_client, weights_draft, change, message
):
    before = weights_draft.as_domain()
    response = aoki_client.post(
        url(weights_draft, "vendor-criteria"), weights_post(weights_draft, **change)
    )
    assert message in response.content.decode()
    weights_draft.refresh_from_db()
    assert weights_draft.as_domain() == before and weights_draft.note == ""


def test_weights_off_100_are_saved_but_cannot_be_published(aoki_client, weights_draft):
    data = weights_post(weights_draft, security="10")
    assert aoki_client.post(url(weights_draft, "vendor-criteria"), data).status_code == 302
    page = aoki_client.get(url(weights_draft, "vendor-criteria")).content.decode()
    assert "cannot be published until this is fixed" in page
    assert "The weights add up to 90, not 100." in page
    publish = aoki_client.get(f"/administration/vendor-criteria/{weights_draft.pk}/publish/")
    assert "The weights add up to 90, not 100." in publish.content.decode()


# --- the readiness checklist ---------------------------------------------------------------


def test_aoki_edits_adds_and_removes_readiness_items(aoki_client, readiness_draft):
    draft = readiness_draft
    codes = [item.code for item in draft.items.all()]
    data = rows_post(draft, "items", ITEM_FIELDS, note="R26 added")
    data["rows-0-text_en"] = "Reworded"
    data[f"rows-{len(codes) - 1}-DELETE"] = "on"
    new = len(codes)
    data["rows-TOTAL_FORMS"] = new + 1
    data |= {
        f"rows-{new}-code": "R26",
        f"rows-{new}-order": "30",
        f"rows-{new}-area": "contract",
        f"rows-{new}-text_ja": "解約時の引継ぎ条件を決めた",
        f"rows-{new}-text_en": "Exit and hand-back terms agreed",
    }
    assert aoki_client.post(url(draft, "readiness"), data).status_code == 302
    items = {item.code: item for item in draft.items.all()}
    assert items[codes[0]].text_en == "Reworded" and codes[-1] not in items
    assert items["R26"].area == "contract"
    assert draft.problems() == []


def test_a_readiness_item_without_its_english_is_refused(aoki_client, readiness_draft):
    draft = readiness_draft
    before = rows_of(draft, "items", ITEM_FIELDS)
    data = rows_post(draft, "items", ITEM_FIELDS)
    code = draft.items.first().code
    data["rows-0-text_en"] = ""
    page = aoki_client.post(url(draft, "readiness"), data).content.decode()
    assert f"{code} · Item (English): This field is required." in page
    assert rows_of(draft, "items", ITEM_FIELDS) == before


def test_a_published_draft_can_no_longer_be_saved(aoki_client, readiness_draft, aoki):
    data = rows_post(readiness_draft, "items", ITEM_FIELDS, note="late")
    readiness_draft.publish(aoki)
    assert aoki_client.post(url(readiness_draft, "readiness"), data).status_code == 404
    readiness_draft.refresh_from_db()
    assert (
        readiness_draft.note == ""
        and ReadinessVersion.objects.latest_published() == readiness_draft
    )
