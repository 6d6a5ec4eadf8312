"""The versions in Django admin: read-only (drafts are edited and published in the
administrators' area, tests/administration/), with the rule table's coverage."""

import pytest
from django.db.models import F
from django.urls import reverse

from assessments.domain.classification import Coverage, coverage
from assessments.models.versions import ChecklistVersion, RuleTableVersion
from tests.helpers import change_url

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


# --- coverage ---------------------------------------------------------------------------------


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
