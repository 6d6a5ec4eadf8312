"""The history in the admin: a site administrator's changes of draft criteria and rules are
recorded row by row with old → new, shown on the version's page; publishing is recorded; the
history itself is read only, and the object pages link to their events."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from assessments.models.versions import ChecklistVersion, RuleTableVersion
from outsourcing_advisor.history.models import Action, Event, SubjectType
from outsourcing_advisor.history.record import record
from tests.helpers import CHECKLIST, change_url, criterion_rows, formset_data, rule_rows

pytestmark = pytest.mark.django_db


def lines(event: Event) -> list[tuple[str, str, str]]:
    return [(c["field"], c["old"], c["new"]) for c in event.changes]


def test_criteria_changed_in_the_admin_are_recorded_and_shown(admin_en):
    admin = User.objects.get(username="admin")
    draft = ChecklistVersion.objects.get(number=1).copy_as_draft()
    rows = criterion_rows(draft)
    rows[0]["weight"] = "2"
    rows[1]["text_en"] = "Reworded"
    rows[2]["DELETE"] = "on"
    data = formset_data("criteria", rows, **CHECKLIST, core_at="35", non_core_at="60")
    response = admin_en.post(change_url(draft), data)
    assert response.status_code == 302
    c1, c2 = draft.criteria.get(code=rows[0]["code"]), draft.criteria.get(code=rows[1]["code"])
    changed = {
        e.subject_id: e
        for e in Event.objects.filter(subject_type=SubjectType.CRITERION, action=Action.CHANGED)
    }
    assert lines(changed[c1.pk]) == [("weight", "1", "2")]
    assert lines(changed[c2.pk])[0][0] == "text_en" and lines(changed[c2.pk])[0][2] == "Reworded"
    assert set(changed) == {c1.pk, c2.pk}  # untouched rows record nothing
    deleted = Event.objects.get(subject_type=SubjectType.CRITERION, action=Action.DELETED)
    assert deleted.subject_id == rows[2]["id"] and deleted.details == {"version": draft.pk}
    version = Event.objects.get(subject_type=SubjectType.CHECKLIST, action=Action.CHANGED)
    assert ("core_at", "40", "35") in lines(version) and ("note", "", "new") in lines(version)
    assert {e.actor for e in Event.objects.all()} == {admin}
    assert {e.organisation_id for e in Event.objects.all()} == {None}  # site-wide
    page = admin_en.get(change_url(draft)).content.decode()
    assert "Weight: 1 → 2" in page and "Core at or below: 40 → 35" in page
    assert "Reworded" in page


def test_rules_changed_and_a_version_published_in_the_admin_are_recorded(admin_en, rule_draft):
    rows = rule_rows(rule_draft)
    rows[3]["conditions"] = '[[["category", "in", ["analysis"]], ["expertise", "ge", 4]]]'
    response = admin_en.post(change_url(rule_draft), formset_data("rules", rows, note="KPO at 4"))
    assert response.status_code == 302
    rule = Event.objects.get(subject_type=SubjectType.RULE)
    assert rule.subject_id == rows[3]["id"] and lines(rule)[0][0] == "conditions"
    assert '"ge", 4' in lines(rule)[0][2] and '"ge", 3' in lines(rule)[0][1]
    admin_en.post(
        reverse("admin:assessments_ruletableversion_changelist"),
        {"action": "publish", "_selected_action": [rule_draft.pk]},
    )
    rule_draft.refresh_from_db()
    assert rule_draft.is_published
    published = Event.objects.get(action=Action.PUBLISHED)
    assert (published.subject_type, published.subject_id) == (SubjectType.RULE_TABLE, rule_draft.pk)
    page = admin_en.get(change_url(rule_draft)).content.decode()  # read only now
    assert "Conditions:" in page and "published" in page


def test_copying_a_version_is_recorded(admin_en):
    published = RuleTableVersion.objects.get(number=1)
    admin_en.post(
        reverse("admin:assessments_ruletableversion_changelist"),
        {"action": "copy_as_draft", "_selected_action": [published.pk]},
    )
    event = Event.objects.get()
    assert (event.action, event.details) == (Action.CREATED, {"copy_of": "v1"})


def test_the_history_admin_is_read_only_and_object_pages_link_to_it(admin_en, assessment):
    task = assessment.tasks.first()
    event = record(None, SubjectType.TASK, task, Action.CREATED, assessment=assessment)
    changelist = reverse("admin:history_event_changelist")
    page = admin_en.get(changelist).content.decode()
    assert str(task) in page and reverse("admin:history_event_add") not in page
    detail = reverse("admin:history_event_change", args=[event.pk])
    assert admin_en.get(detail).status_code == 200
    assert admin_en.post(detail, {"action": "changed"}).status_code == 403
    delete = reverse("admin:history_event_delete", args=[event.pk])
    assert admin_en.post(delete, {"post": "yes"}).status_code == 403
    assert Event.objects.filter(pk=event.pk).exists()
    task_page = admin_en.get(reverse("admin:assessments_task_change", args=[task.pk]))
    link = f"{changelist}?subject_type__in=task%2Canswers%2Coverride&amp;subject_id={task.pk}"
    assert link in task_page.content.decode()
    filtered = admin_en.get(
        f"{changelist}?subject_type__in=task,answers,override&subject_id={task.pk}"
    )
    assert filtered.status_code == 200 and str(task) in filtered.content.decode()
