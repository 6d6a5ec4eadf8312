"""The history of an assessment as its people meet it: Hanako (manager) edits tasks and answers
the check, Kenji (consultant) overrides a recommendation; each change shows on the task's page
and on the assessment's history page with who, when and old → new. An outsider sees nothing."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment, InventoryImport, Task
from assessments.web.forms import TaskForm
from outsourcing_advisor.history.models import Action, Event, SubjectType
from outsourcing_advisor.history.record import record
from tests.assessments.files import GOOD_CSV
from tests.factories import NON_CORE
from tests.jobs import work_off

pytestmark = pytest.mark.django_db


@pytest.fixture
def payroll(assessment) -> Task:
    return assessment.tasks.get(task="Collect timesheets")


def task_data(task: Task, **changes: object) -> dict[str, object]:
    """The guided form as the browser posts it: every field as shown, with `changes`."""
    initial = TaskForm(instance=task).initial
    data = {
        name: "" if initial.get(name) is None else initial[name] for name in TaskForm.Meta.fields
    }
    return {**data, **changes}


def edit_url(task: Task) -> str:
    return reverse("task_edit", args=[task.assessment_id, task.pk])


def history_url(assessment: Assessment) -> str:
    return reverse("assessment_history", args=[assessment.pk])


def only_event(**filters: object) -> Event:
    events = list(Event.objects.filter(**filters))
    assert len(events) == 1, events
    return events[0]


def lines(event: Event) -> list[tuple[str, str, str]]:
    return [(c["field"], c["old"], c["new"]) for c in event.changes]


# --- tasks -------------------------------------------------------------------------------------


def test_an_edit_through_the_form_records_who_when_and_old_to_new(manager_client, manager, payroll):
    before = timezone.now()
    response = manager_client.post(
        edit_url(payroll), task_data(payroll, minutes="90", notes="<b>x</b>")
    )
    assert response.status_code == 302
    event = only_event(subject_type=SubjectType.TASK, subject_id=payroll.pk)
    assert (event.actor, event.actor_name, event.action) == (manager, "hanako", Action.CHANGED)
    assert event.at >= before and event.assessment_id == payroll.assessment_id
    assert event.organisation_id == payroll.assessment.organisation_id
    assert lines(event) == [("minutes", "120", "90"), ("notes", "", "<b>x</b>")]
    page = manager_client.get(edit_url(payroll)).content.decode()
    assert "Minutes per occurrence: 120 → 90" in page and "hanako" in page
    assert "&lt;b&gt;x&lt;/b&gt;" in page and "<b>x</b>" not in page  # escaped as usual


def test_an_unchanged_save_records_nothing(manager_client, payroll):
    manager_client.post(edit_url(payroll), task_data(payroll))
    row = reverse("task_row_edit", args=[payroll.assessment_id, payroll.pk])
    manager_client.post(
        row,
        {
            "department": "HR",
            "process": "Payroll",
            "task": "Collect timesheets",
            "category": "hr",
            "frequency": "monthly",
            "occurrences": "1",
            "minutes": "120",
            "people": "2",
        },
        HTTP_HX_REQUEST="true",
    )
    assert not Event.objects.exists()


def test_the_inline_row_records_its_change_with_labels(manager_client, payroll):
    manager_client.post(
        reverse("task_row_edit", args=[payroll.assessment_id, payroll.pk]),
        {
            "department": "HR",
            "process": "Payroll",
            "task": "Collect timesheets",
            "category": "accounting",
            "frequency": "monthly",
            "occurrences": "1",
            "minutes": "120",
            "people": "2",
        },
        HTTP_HX_REQUEST="true",
    )
    event = only_event(subject_type=SubjectType.TASK)
    assert lines(event) == [("category", "hr", "accounting")]
    page = manager_client.get(edit_url(payroll)).content.decode()
    assert "Category: HR and labour → Accounting and finance" in page


def test_create_add_duplicate_and_delete_are_recorded(manager_client, assessment, payroll):
    new = {
        "department": "IT",
        "process": "Helpdesk",
        "task": "Reset passwords",
        "category": "it",
        "people": "1",
        "occurrences": "1",
    }
    manager_client.post(reverse("task_create", args=[assessment.pk]), new)
    manager_client.post(reverse("task_add", args=[assessment.pk]), {**new, "task": "Inline add"})
    manager_client.post(reverse("task_duplicate", args=[assessment.pk, payroll.pk]))
    manager_client.post(
        reverse("task_move", args=[assessment.pk, payroll.pk]), {"direction": "down"}
    )
    manager_client.post(reverse("task_delete", args=[assessment.pk, payroll.pk]))
    found = [
        (e.action, e.subject_repr, e.details)
        for e in Event.objects.filter(subject_type=SubjectType.TASK).order_by("id")
    ]
    assert found == [
        (Action.CREATED, "IT / Helpdesk / Reset passwords", {}),
        (Action.CREATED, "IT / Helpdesk / Inline add", {}),
        (Action.CREATED, str(payroll), {"copy_of": str(payroll)}),
        (Action.TRASHED, str(payroll), {}),  # moving is not recorded: order is not content
    ]
    trashed = Event.objects.get(action=Action.TRASHED)
    assert trashed.subject_id == payroll.pk and trashed.changes == []  # it is all still there
    page = manager_client.get(history_url(assessment)).content.decode()
    assert "Reset passwords" in page and "Copy of HR / Payroll / Collect timesheets" in page


# --- answers and overrides ---------------------------------------------------------------------


def test_the_guided_check_records_one_answers_event_labelled_by_criterion(manager_client, payroll):
    url = reverse("task_check", args=[payroll.assessment_id, payroll.pk])
    manager_client.post(url, {**NON_CORE, "go": "stay"})
    event = only_event(subject_type=SubjectType.ANSWERS, subject_id=payroll.pk)
    # C9 was pre-filled "yes" (one person can do it): confirming it is no change.
    assert ("C1", "", "no") in lines(event) and ("C10", "", "yes") in lines(event)
    assert "C9" not in [field for field, _old, _new in lines(event)]
    manager_client.post(url, {**NON_CORE, "C1": "partly", "go": "stay"})
    latest = Event.objects.filter(subject_type=SubjectType.ANSWERS).first()
    assert lines(latest) == [("C1", "no", "partly")]
    manager_client.post(url, {**NON_CORE, "C1": "partly", "go": "stay"})  # the same again
    assert Event.objects.filter(subject_type=SubjectType.ANSWERS).count() == 2
    criterion = payroll.assessment.checklist_version.criteria.get(code="C1")
    page = manager_client.get(edit_url(payroll)).content.decode()
    assert f"{criterion}: No → Partly" in page


def test_the_answer_grid_records_one_event_per_changed_task(manager_client, assessment, payroll):
    reception = assessment.tasks.get(task="Greet visitors")
    data = {f"t{payroll.pk}-{code}": value for code, value in NON_CORE.items()}
    data[f"t{reception.pk}-C2"] = "yes"
    response = manager_client.post(reverse("check_grid", args=[assessment.pk]), data)
    assert response.status_code == 302
    events = {e.subject_id: e for e in Event.objects.filter(subject_type=SubjectType.ANSWERS)}
    assert set(events) == {payroll.pk, reception.pk}
    assert lines(events[reception.pk]) == [("C2", "", "yes")]
    assert events[payroll.pk].actor_name == "hanako"
    manager_client.post(reverse("check_grid", args=[assessment.pk]), data)  # nothing new
    assert Event.objects.count() == 2


def test_an_override_set_changed_and_cleared_is_recorded_with_its_justification(
    consultant_client, consultant, payroll
):
    url = reverse("task_override", args=[payroll.assessment_id, payroll.pk])
    consultant_client.post(url, {"override-model": "ito", "override-justification": "With IT"})
    consultant_client.post(url, {"override-model": "kpo", "override-justification": "With IT"})
    consultant_client.post(url, {"remove": "1"})
    events = list(Event.objects.filter(subject_type=SubjectType.OVERRIDE).order_by("id"))
    assert [(e.action, lines(e)) for e in events] == [
        (Action.CREATED, [("model", "", "ito"), ("justification", "", "With IT")]),
        (Action.CHANGED, [("model", "ito", "kpo")]),
        (Action.DELETED, [("model", "kpo", ""), ("justification", "With IT", "")]),
    ]
    assert {e.actor for e in events} == {consultant} and events[0].subject_id == payroll.pk
    page = consultant_client.get(edit_url(payroll)).content.decode()
    assert "Model: ITO → KPO" in page and "Justification: — → With IT" in page


# --- an import ---------------------------------------------------------------------------------


def import_in_the_browser(client, assessment, name, content):
    """Upload, preview, import replacing (confirmed): what Hanako does on the import page."""
    file = SimpleUploadedFile(name, content)
    preview = client.post(reverse("import_upload", args=[assessment.pk]), {"file": file})
    assert client.get(preview["Location"]).status_code == 200
    assert not Event.objects.exists(), "uploading and previewing record nothing"
    return client.post(preview["Location"], {"replace": "1", "confirm": "on"})


def test_an_import_is_one_event_with_the_files_name_hash_rows_and_changes(
    manager_client, assessment
):
    response = import_in_the_browser(manager_client, assessment, "棚卸し.csv", GOOD_CSV)
    assert response.status_code == 302
    imported = InventoryImport.objects.get()
    event = only_event()  # not one per row, nor one per replaced task
    assert (event.subject_type, event.action, event.subject_id) == (
        SubjectType.INVENTORY,
        Action.IMPORTED,
        imported.pk,
    )
    assert event.details == {
        "filename": "棚卸し.csv",
        "sha256": imported.sha256,
        "rows": 2,
        "added": 2,
        "changed": 0,
        "removed": 2,
        "replaced": True,
    }
    page = manager_client.get(history_url(assessment)).content.decode()
    assert "棚卸し.csv: 2 rows</div>" in page
    # The checksum is for an auditor's tooltip only (QA 1): never in the text read.
    assert f'title="SHA-256 {imported.sha256}"' in page and page.count(imported.sha256) == 1
    assert "The tasks before the import were replaced." in page


def test_undoing_an_import_is_an_event_too(manager_client, manager, assessment):
    import_in_the_browser(manager_client, assessment, "棚卸し.csv", GOOD_CSV)
    imported = InventoryImport.objects.get()
    manager_client.post(reverse("import_undo", args=[assessment.pk, imported.pk]))
    event = only_event(action=Action.UNDONE)
    assert (event.subject_type, event.subject_id, event.actor) == (
        SubjectType.INVENTORY,
        imported.pk,
        manager,
    )
    assert event.details == {"filename": "棚卸し.csv", "rows": 2}  # the tasks restored
    assert Event.objects.count() == 2, "one for the import, one for its undoing"
    page = manager_client.get(history_url(assessment)).content.decode()
    assert page.index("undone") < page.index("imported"), "newest first"
    # The file by its name: "(2)" said nothing to the reader (QA 24); the note says the rows.
    assert "Inventory file</strong> “棚卸し.csv”: undone" in page


def test_the_undo_event_is_not_shown_with_an_empty_hash(manager_client, assessment):
    import_in_the_browser(manager_client, assessment, "棚卸し.csv", GOOD_CSV)
    imported = InventoryImport.objects.get()
    manager_client.post(reverse("import_undo", args=[assessment.pk, imported.pk]))
    page = manager_client.get(history_url(assessment)).content.decode()
    assert "SHA-256 </div>" not in page


# --- the history page --------------------------------------------------------------------------


def test_the_history_page_is_linked_from_every_tab_and_lists_newest_first(
    manager_client, assessment, payroll
):
    manager_client.post(edit_url(payroll), task_data(payroll, minutes="90"))
    manager_client.post(edit_url(payroll), task_data(payroll, minutes="60"))
    overview = manager_client.get(reverse("assessment_detail", args=[assessment.pk]))
    assert history_url(assessment) in overview.content.decode()
    page = manager_client.get(history_url(assessment)).content.decode()
    assert page.index("90 → 60") < page.index("120 → 90")


def test_an_outsider_gets_404_and_never_sees_another_organisations_events(
    outsider_client, outsider, manager_client, assessment, payroll, company_b
):
    manager_client.post(edit_url(payroll), task_data(payroll, notes="Sakura secret"))
    assert outsider_client.get(history_url(assessment)).status_code == 404
    theirs = Assessment.objects.start(organisation=company_b, name="Midori plan")
    record(outsider, SubjectType.TASK, theirs, Action.CREATED, assessment=theirs)
    page = outsider_client.get(history_url(theirs)).content.decode()
    assert "Midori plan" in page and "Sakura secret" not in page
    assert "Midori plan" not in manager_client.get(history_url(assessment)).content.decode()


def test_a_viewer_reads_the_history(viewer_client, manager_client, assessment, payroll):
    manager_client.post(edit_url(payroll), task_data(payroll, minutes="90"))
    assert "120 → 90" in viewer_client.get(history_url(assessment)).content.decode()


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def many_events(assessment: Assessment, user, count: int) -> None:
    task = assessment.tasks.first()
    now = timezone.now()
    kinds = [SubjectType.TASK, SubjectType.ANSWERS, SubjectType.OVERRIDE, SubjectType.PACKAGE]
    Event.objects.bulk_create(
        Event(
            organisation=assessment.organisation,
            assessment=assessment,
            actor=user,
            actor_name=user.username,
            at=now - timedelta(minutes=i),
            action=Action.CHANGED,
            subject_type=kinds[i % len(kinds)],
            subject_id=task.pk,
            subject_repr=str(task),
            changes=[{"field": "C1" if i % 4 == 1 else "minutes", "old": "1", "new": "2"}],
        )
        for i in range(count)
    )


def test_the_history_pages_queries_do_not_grow_with_events(manager_client, manager, assessment):
    many_events(assessment, manager, 4)
    few = queries(manager_client, history_url(assessment))
    many_events(assessment, manager, 120)
    assert queries(manager_client, history_url(assessment)) == few
    assert queries(manager_client, history_url(assessment) + "?page=3") == few
    page = manager_client.get(history_url(assessment) + "?page=3").content.decode()
    assert "Page 3 of 3" in page


def test_the_task_page_queries_do_not_grow_with_events(manager_client, manager, assessment):
    task = assessment.tasks.first()
    many_events(assessment, manager, 4)
    few = queries(manager_client, edit_url(task))
    many_events(assessment, manager, 40)
    assert queries(manager_client, edit_url(task)) == few


def test_an_import_in_the_background_is_one_event_too(
    manager_client, manager, assessment, settings
):
    settings.BACKGROUND_IMPORT_ROWS = 1  # the two-row file goes to the worker
    import_in_the_browser(manager_client, assessment, "large.csv", GOOD_CSV)
    assert not Event.objects.exists()  # not imported yet
    work_off()
    event = only_event()
    assert (event.action, event.actor, event.details["filename"], event.details["rows"]) == (
        Action.IMPORTED,
        manager,
        "large.csv",
        2,
    )
    assert (event.details["added"], event.details["removed"]) == (2, 2)
