"""A site administrator edits drafts of the checklist and rule table in the admin and publishes
them; published versions cannot be changed."""

import pytest
from django.urls import reverse

from assessments.versions import ChecklistCriterion, ChecklistVersion, RuleTableVersion

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
