"""A site administrator edits drafts of the checklist and rule table in the admin and publishes
them; published versions cannot be changed."""

import pytest
from django.db.models import F
from django.urls import reverse

from assessments.domain.classification import Coverage, coverage
from assessments.models.versions import ChecklistCriterion, ChecklistVersion, RuleTableVersion
from tests.helpers import (
    CHECKLIST,
    CRITERION_FIELDS,
    RULE_FIELDS,
    change_url,
    criterion_rows,
    formset_data,
    rule_rows,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model",
    [
        "checklistversion",
        "ruletableversion",
        "taskresult",
        "override",
        "task",
        "assessment",
        "inventoryimport",
    ],
)
def test_admin_lists_load(admin_client, model):
    assert admin_client.get(reverse(f"admin:assessments_{model}_changelist")).status_code == 200


def test_a_published_version_is_read_only(admin_client):
    version = ChecklistVersion.objects.get(number=1)
    url = reverse("admin:assessments_checklistversion_change", args=[version.pk])
    page = admin_client.get(url).content.decode()
    assert 'name="_save"' not in page
    assert (
        admin_client.post(
            reverse("admin:assessments_checklistversion_delete", args=[version.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    rules = RuleTableVersion.objects.get(number=1)
    assert (
        admin_client.get(
            reverse("admin:assessments_ruletableversion_change", args=[rules.pk])
        ).status_code
        == 200
    )


def test_publishing_a_bad_draft_reports_why_and_changes_nothing(admin_client):
    draft = ChecklistVersion.objects.create(core_at=70, non_core_at=60)
    ChecklistCriterion.objects.create(
        version=draft, code="C1", direction="keep", weight=1, text_ja="x", text_en="x"
    )
    response = admin_client.post(
        reverse("admin:assessments_checklistversion_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
        follow=True,
    )
    assert "thresholds_overlap" in response.content.decode()
    draft.refresh_from_db()
    assert not draft.is_published


def test_publishing_a_good_draft_numbers_it(admin_client):
    draft = ChecklistVersion.objects.create(note="heavier C1")
    for criterion in ChecklistVersion.objects.get(number=1).criteria.all():
        criterion.pk, criterion.version = None, draft
        criterion.save()
    admin_client.post(
        reverse("admin:assessments_checklistversion_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.number == 2 and draft.is_published


# --- editing drafts: copy, validation on save, coverage ---------------------------------------


def rows_of(version, relation, fields):
    return list(getattr(version, relation).values_list(*fields))


@pytest.mark.parametrize(
    ("model", "relation", "fields"),
    [
        (ChecklistVersion, "criteria", CRITERION_FIELDS),
        (RuleTableVersion, "rules", RULE_FIELDS),
    ],
)
def test_copy_as_a_new_draft(admin_en, model, relation, fields):
    published = model.objects.get(number=1)
    before = rows_of(published, relation, ["pk", *fields])
    response = admin_en.post(
        reverse(f"admin:assessments_{model._meta.model_name}_changelist"),
        {"action": "copy_as_draft", "_selected_action": [published.pk]},
        follow=True,
    )
    draft = model.objects.get(status="draft")
    assert response.redirect_chain[-1][0] == change_url(draft)
    assert "Copied v1 as a new draft" in response.content.decode()
    assert draft.number is None and draft.published_at is None
    assert rows_of(draft, relation, fields) == rows_of(published, relation, fields)
    if model is ChecklistVersion:
        assert (draft.non_core_at, draft.core_at, draft.max_unknown, draft.costly_core_yen) == (
            published.non_core_at,
            published.core_at,
            published.max_unknown,
            published.costly_core_yen,
        )
    published.refresh_from_db()
    assert published.is_published and published.number == 1
    assert rows_of(published, relation, ["pk", *fields]) == before


@pytest.mark.parametrize(
    ("conditions", "message"),
    [
        (
            '[[["colour", "eq", "red"]]]',
            "Unknown attribute “colour”. Use one of: verdict, category",
        ),
        (
            '[[["category", "eq", "gardening"]]]',
            "Unknown value “gardening” for “category”. Use one of: hr, accounting",
        ),
        ('[[["expertise", "gte", 3]]]', "Unknown operator “gte” on “expertise”"),
        ('[[["judgment", "ge", "medium"]]]', "“judgment” has no order"),
        ('[[["expertise", "ge", "high"]]]', "“expertise” is a number"),
        ('[[["category", "in", "it"]]]', "“in” on “category” needs a list of values"),
        ('{"category": "it"}', "The conditions must be a list of groups"),
        ("[[]]", "Each group must be a non-empty list of conditions."),
        ('[["expertise", "ge", 3]]', "Each condition must be [attribute, operator, value]"),
        ('[[["category", "eq"]]]', "Each condition must be [attribute, operator, value]"),
        ("[[", "Enter a valid JSON."),
    ],
)
def test_a_rule_with_bad_conditions_is_refused_and_nothing_saved(
    admin_en, rule_draft, conditions, message
):
    before = rows_of(rule_draft, "rules", RULE_FIELDS)
    rows = rule_rows(rule_draft)
    rows[3]["conditions"] = conditions
    rows[0]["code"] = "renamed"
    response = admin_en.post(change_url(rule_draft), formset_data("rules", rows, note="edited"))
    assert response.status_code == 200  # the form again, not a redirect
    assert message in response.content.decode()
    rule_draft.refresh_from_db()
    assert rule_draft.note == ""
    assert rows_of(rule_draft, "rules", RULE_FIELDS) == before


def test_a_good_rule_edit_is_saved(admin_en, rule_draft):
    rows = rule_rows(rule_draft)
    rows[3]["conditions"] = '[[["category", "in", ["analysis"]], ["expertise", "ge", 4]]]'
    response = admin_en.post(change_url(rule_draft), formset_data("rules", rows, note="KPO at 4"))
    assert response.status_code == 302
    rule = rule_draft.rules.get(code="knowledge_work_kpo")
    assert rule.conditions == [[["category", "in", ["analysis"]], ["expertise", "ge", 4]]]


CRITERION = {
    "order": 0,
    "code": "C1",
    "direction": "keep",
    "weight": "1",
    "text_ja": "売上に直結",
    "text_en": "Tied to sales",
}


@pytest.mark.parametrize(
    ("core_at", "non_core_at", "shown"),
    [
        ("70", "60", "(70) must be lower than"),
        ("50", "50", "(50) must be lower than"),
        ("-5", "60", "(-5) must be lower than"),
        ("40", "101", "(101), and both"),
    ],
)
def test_overlapping_thresholds_are_refused_and_nothing_saved(
    admin_en, core_at, non_core_at, shown
):
    versions, criteria = ChecklistVersion.objects.count(), ChecklistCriterion.objects.count()
    response = admin_en.post(
        reverse("admin:assessments_checklistversion_add"),
        formset_data(
            "criteria", [CRITERION], **CHECKLIST, core_at=core_at, non_core_at=non_core_at
        ),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "The thresholds overlap: “core at or below”" in page
    assert "and both between 0 and 100" in page and shown in page
    assert ChecklistVersion.objects.count() == versions
    assert ChecklistCriterion.objects.count() == criteria


def test_a_negative_weight_is_refused_and_nothing_saved(admin_en):
    draft = ChecklistVersion.objects.get(number=1).copy_as_draft()
    before = rows_of(draft, "criteria", CRITERION_FIELDS)
    rows = criterion_rows(draft)
    rows[2]["weight"] = "-1"
    rows[0]["weight"] = "3"
    response = admin_en.post(
        change_url(draft),
        formset_data("criteria", rows, **CHECKLIST, core_at="40", non_core_at="60"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "A weight cannot be negative (-1): use 0 for a criterion" in page
    assert "greater than or equal to" not in page  # one clear message, not two
    draft.refresh_from_db()
    assert draft.note == ""
    assert rows_of(draft, "criteria", CRITERION_FIELDS) == before


def test_the_default_rule_table_covers_everything(admin_en):
    published = RuleTableVersion.objects.get(number=1)
    assert coverage(published.as_domain()) == Coverage(
        uncovered=(), uncovered_count=0, never_fire=()
    )
    page = admin_en.get(change_url(published)).content.decode()
    assert "Every input combination is decided by a rule." in page
    assert "Every rule can fire." in page
    assert 'name="rules-0-conditions"' not in page  # its rules are as read-only as the table


def test_coverage_names_the_rules_a_catch_all_shadows(admin_en, rule_draft):
    rule_draft.rules.filter(code="operation_bpo").update(order=0)
    rule_draft.rules.exclude(code="operation_bpo").update(order=F("order") + 1)
    page = admin_en.get(change_url(rule_draft)).content.decode()
    assert "Every input combination is decided by a rule." in page
    assert "Rules that can never fire (earlier rules always decide first):" in page
    shadowed = [
        "1. core_in_house",
        "2. unsuited_in_house",
        "3. direct_instruction_dispatch",
        "4. knowledge_work_kpo",
        "5. small_one_off_crowdsourcing",
        "6. one_off_subcontract",
        "7. it_operation_ito",
    ]
    assert all(f"<li>{rule}</li>" in page for rule in shadowed)
    assert "<li>0. operation_bpo</li>" not in page


def test_coverage_lists_combinations_no_rule_decides(admin_en, rule_draft):
    rule_draft.rules.filter(code="operation_bpo").delete()
    page = admin_en.get(change_url(rule_draft)).content.decode()
    assert "7,680 input combinations are decided by no rule, for example:" in page
    assert (
        "<li>annual_hours=39, category=hr, confidentiality=public, continuity=ongoing, "
        "direct_instruction=no, expertise=1, judgment=low, requirement_changes=low, "
        "tacit_knowledge=low, verdict=non_core</li>"
    ) in page
    assert "Every rule can fire." in page


def test_coverage_of_a_malformed_table_says_why(admin_en, rule_draft):
    rule_draft.rules.filter(code="it_operation_ito").update(
        conditions=[[["<b>colour</b>", "eq", "red"]]]
    )
    page = admin_en.get(change_url(rule_draft)).content.decode()
    assert "Coverage cannot be checked until this is fixed:" in page
    assert "<li>unknown_attribute:it_operation_ito:&lt;b&gt;colour&lt;/b&gt;</li>" in page


def test_the_add_page_asks_to_save_before_coverage(admin_en):
    page = admin_en.get(reverse("admin:assessments_ruletableversion_add")).content.decode()
    assert "Save the draft to see what its rules cover." in page
