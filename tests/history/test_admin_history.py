"""The history in the admin: a site administrator's changes of draft criteria and rules (made in
the administrators' area) are recorded row by row with old → new, shown on the version's page;
publishing is recorded; the history itself is read only, and the object pages link to their
events."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from assessments.models.drafts import publish_stamp
from assessments.models.versions import ChecklistVersion, RuleTableVersion
from outsourcing_advisor.history.models import Action, Event, SubjectType
from outsourcing_advisor.history.record import record
from tests.helpers import CHECKLIST_FIELDS, CRITERION_FIELDS, change_url, draft_form

pytestmark = pytest.mark.django_db


def lines(event: Event) -> list[tuple[str, str, str]]:
    return [(c["field"], c["old"], c["new"]) for c in event.changes]


def test_criteria_changed_in_a_draft_are_recorded_and_shown_in_the_admin(admin_en):
    """Changed in the administrators' area (issue 18), shown on the version's page in the admin."""
    admin = User.objects.get(username="admin")
    latest = ChecklistVersion.objects.latest_published()
    admin_en.post("/administration/checklist/start/", {"source": latest.pk})
    draft = ChecklistVersion.objects.get(status="draft")
    c1, c2, c3 = list(draft.criteria.all())[:3]
    data = draft_form(draft, "criteria", CRITERION_FIELDS, CHECKLIST_FIELDS, note="new")
    data |= {"draft-core_at": "35", "rows-0-weight": "2", "rows-1-text_en": "Reworded"}
    data["rows-2-DELETE"] = "on"
    response = admin_en.post(f"/administration/checklist/{draft.pk}/", data)
    assert response.status_code == 302
    changed = {
        e.subject_id: e
        for e in Event.objects.filter(subject_type=SubjectType.CRITERION, action=Action.CHANGED)
    }
    assert lines(changed[c1.pk]) == [("weight", "1", "2")]
    assert lines(changed[c2.pk])[0][0] == "text_en" and lines(changed[c2.pk])[0][2] == "Reworded"
    assert set(changed) == {c1.pk, c2.pk}  # untouched rows record nothing
    deleted = Event.objects.get(subject_type=SubjectType.CRITERION, action=Action.DELETED)
    assert deleted.subject_id == c3.pk and deleted.details == {"version": draft.pk}
    version = Event.objects.get(subject_type=SubjectType.CHECKLIST, action=Action.CHANGED)
    assert ("core_at", "40", "35") in lines(version) and ("note", "", "new") in lines(version)
    assert {e.actor for e in Event.objects.all()} == {admin}
    assert {e.organisation_id for e in Event.objects.all()} == {None}  # site-wide
    page = admin_en.get(change_url(draft)).content.decode()
    assert "Weight: 1 → 2" in page and "Core at or below: 40 → 35" in page
    assert "Reworded" in page


def test_a_version_published_in_the_area_is_recorded(admin_en, rule_draft):
    url = f"/administration/decision-table/{rule_draft.pk}/publish/"
    response = admin_en.post(url, {"note": "KPO at 4", "seen": publish_stamp(rule_draft)})
    assert response.status_code == 302
    rule_draft.refresh_from_db()
    assert rule_draft.is_published and rule_draft.note == "KPO at 4"
    published = Event.objects.get(action=Action.PUBLISHED)
    assert (published.subject_type, published.subject_id) == (SubjectType.RULE_TABLE, rule_draft.pk)
    page = admin_en.get(change_url(rule_draft)).content.decode()  # read only
    assert "published" in page and 'name="_save"' not in page


def test_copying_a_version_is_recorded(admin_en):
    published = RuleTableVersion.objects.latest_published()
    admin_en.post("/administration/decision-table/start/", {"source": published.pk})
    event = Event.objects.get()
    assert (event.action, event.details) == (Action.CREATED, {"copy_of": str(published)})


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
