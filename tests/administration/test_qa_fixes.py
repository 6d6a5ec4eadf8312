"""Defects the QA walk-through found in the administrators' area (QA #6, #7, #25, #26): each test
would have caught its defect."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments.models.drafts import publish_draft, publish_stamp
from assessments.models.versions import ChecklistVersion, RuleTableVersion, Status
from tests.helpers import CHECKLIST_FIELDS, CRITERION_FIELDS, draft_form

pytestmark = pytest.mark.django_db

NO_CHANGE = "Nothing has changed from the original version, so it cannot be published."


# --- QA #7: a draft identical to its source is not published ----------------------------------


def test_an_unchanged_draft_offers_no_publish_button_and_is_refused(aoki_client, checklist_draft):
    url = f"/administration/checklist/{checklist_draft.pk}/publish/"
    page = aoki_client.get(url).content.decode()
    assert NO_CHANGE in page and "data-publish-form" not in page and "Publish as v" not in page
    response = aoki_client.post(url, {"note": "same", "seen": publish_stamp(checklist_draft)})
    assert response.status_code == 200 and NO_CHANGE in response.content.decode()
    checklist_draft.refresh_from_db()
    assert checklist_draft.status == Status.DRAFT


def test_the_owner_refuses_an_unchanged_draft_and_publishes_a_changed_one(aoki, rules_draft):
    with pytest.raises(ValidationError) as refused:
        publish_draft(rules_draft, aoki, note="same")
    assert NO_CHANGE in refused.value.messages
    rule = rules_draft.rules.first()
    rule.explanation_en += " (reworded)"  # a change in English only is a change too
    rule.save()
    publish_draft(rules_draft, aoki, note="reworded")
    rules_draft.refresh_from_db()
    assert rules_draft.is_published


# --- QA #6: the decision table's draft can be discarded ---------------------------------------


def test_the_decision_table_draft_is_discarded_from_its_editor(aoki_client, rules_draft):
    page = aoki_client.get(reverse("administration_rules_draft", args=[rules_draft.pk]))
    discard = reverse("administration_discard", args=["decision-table", rules_draft.pk])
    text = page.content.decode()
    assert "data-discard" in text and f'action="{discard}"' in text
    response = aoki_client.post(discard)
    assert response["Location"] == reverse("administration_rules")
    assert not RuleTableVersion.objects.filter(pk=rules_draft.pk).exists()


def test_a_published_decision_table_offers_no_discard(aoki_client):
    latest = RuleTableVersion.objects.latest_published()
    page = aoki_client.get(reverse("administration_rules_draft", args=[latest.pk]))
    assert "data-discard" not in page.content.decode()
    discard = reverse("administration_discard", args=["decision-table", latest.pk])
    assert aoki_client.post(discard).status_code == 404


def test_a_member_cannot_discard_the_decision_table_draft(manager_client, rules_draft):
    discard = reverse("administration_discard", args=["decision-table", rules_draft.pk])
    assert manager_client.post(discard).status_code == 404
    assert RuleTableVersion.objects.filter(pk=rules_draft.pk).exists()


# --- QA #25: the checklist draft's positions, headings and yen ---------------------------------


def test_positions_are_counted_from_one_and_saved_from_zero(aoki_client, checklist_draft):
    url = f"/administration/checklist/{checklist_draft.pk}/"
    page = aoki_client.get(url).content.decode()
    first = page.split('data-row="C1"')[1]
    assert 'name="rows-0-order" value="1"' in first and "Position" in first
    data = draft_form(checklist_draft, "criteria", CRITERION_FIELDS, CHECKLIST_FIELDS, note="x")
    assert aoki_client.post(url, data).status_code == 302
    assert list(checklist_draft.criteria.values_list("order", flat=True)) == list(range(10))
    data = draft_form(checklist_draft, "criteria", CRITERION_FIELDS, CHECKLIST_FIELDS)
    data["rows-0-order"] = "0"
    page = aoki_client.post(url, data).content.decode()
    assert "Nothing was saved" in page and "C1 · Position" in page


def test_the_note_is_not_under_the_thresholds_heading(aoki_client, checklist_draft):
    page = aoki_client.get(f"/administration/checklist/{checklist_draft.pk}/").content.decode()
    about, thresholds = page.split("data-thresholds", 1)
    assert 'name="draft-note"' in about and 'name="draft-note"' not in thresholds
    assert "Thresholds" in thresholds.split("</h3>")[0]
    assert "Thresholds" not in about.split("settings-heading")[1].split("</h3>")[0]


def test_the_yen_threshold_is_shown_and_read_with_separators(aoki_client, checklist_draft):
    url = f"/administration/checklist/{checklist_draft.pk}/"
    page = aoki_client.get(url).content.decode()
    assert 'name="draft-costly_core_yen" value="5,000,000"' in page
    data = draft_form(checklist_draft, "criteria", CRITERION_FIELDS, CHECKLIST_FIELDS)
    data["draft-costly_core_yen"] = "¥6,000,000"
    assert aoki_client.post(url, data).status_code == 302
    assert ChecklistVersion.objects.get(pk=checklist_draft.pk).costly_core_yen == 6_000_000


# --- QA #26: the rule editor's codes, placeholder and groups -----------------------------------


def test_rule_codes_are_secondary_and_the_placeholder_is_explained(aoki_client, rules_draft):
    page = aoki_client.get(reverse("administration_rules_draft", args=[rules_draft.pk]))
    text = page.content.decode()
    assert "<code" not in text.split('id="rule-list"')[1].split("</ol>")[0]
    assert 'class="rule-aside text-body-secondary mb-0 mt-1 text-break" data-rule-code>' in text
    assert "Rule ID: core_in_house" in text
    assert "[the fields that matched] is filled in with the items of the task" in text


@pytest.mark.parametrize(
    ("code", "legends"),
    [
        ("core_in_house", ["Condition"]),  # one group of one condition
        ("unsuited_in_house", ["Group 1", "Group 2", "Group 3"]),  # groups of one each
        ("knowledge_work_kpo", ["Group 1: all of these", "Group 2: all of these"]),
    ],
)
def test_all_of_these_only_for_a_group_of_two_or_more(aoki_client, rules_draft, code, legends):
    rule = rules_draft.rules.get(code=code)
    text = aoki_client.get(
        reverse("administration_rule_edit", args=[rules_draft.pk, rule.pk])
    ).content.decode()
    found = [
        part.split(">", 1)[1].split("</legend>")[0] for part in text.split("rule-group-legend")[1:]
    ]
    assert found == legends
