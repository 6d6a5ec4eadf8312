"""A manager of company A takes the work inventory in the browser."""

import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import (
    Assessment,
    InventoryImport,
    MappingProfile,
    Override,
    PendingUpload,
    Task,
    TaskResult,
)
from outsourcing_advisor.history.models import Event
from tests.assessments.files import GOOD_CSV
from tests.helpers import pending_url
from tests.helpers import upload_inventory as upload

pytestmark = pytest.mark.django_db


def import_file(client, assessment, content, name="inventory.csv", replace="1", confirm=True):
    """The whole flow for a file with nothing to decide: upload, look at the preview, import
    (confirming the removals when replacing)."""
    response = upload(client, assessment, content, name)
    assert response.status_code == 302, response.content.decode()[:2000]
    preview = response["Location"]
    assert preview == pending_url(assessment)
    assert client.get(preview).status_code == 200, "nothing to decide"
    data = {"replace": replace} | ({"confirm": "on"} if confirm else {})
    return client.post(preview, data)


def as_posted(form, **changes):
    """What the browser submits for a form as the page shows it (each field's initial value),
    with `changes`: the choices the person makes."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value in (None, False, ""):
            if isinstance(form.fields[name].widget, forms.Select) and not isinstance(
                form.fields[name].widget, forms.RadioSelect
            ):
                data[name] = ""  # a select always submits its option
            continue
        data[name] = "on" if value is True else value
    return data | changes


def decide(client, url, **changes):
    """Open the mapping step and submit it with `changes`."""
    form = client.get(url).context["form"]
    return client.post(url, as_posted(form, **changes))


def tasks_as_stored(assessment):
    """Every task with its id, place, figures, answers and override: what an undo must give
    back exactly."""
    return [
        (
            task.pk,
            task.position,
            task.package_id,
            task.department,
            task.process,
            task.task,
            task.category,
            task.frequency,
            task.occurrences,
            task.minutes,
            task.people,
            task.annual_hours,
            task.answers,
            task.answer_sources,
            getattr(task, "override", None)
            and (task.override.model, task.override.justification, task.override.author_id),
        )
        for task in Task.objects.filter(assessment=assessment).order_by("pk")
    ]


def test_manager_sees_only_her_organisations_assessments(manager_client, assessment, company_b):
    Assessment.objects.create(organisation=company_b, name="Midori secret plan")
    page = manager_client.get(reverse("home")).content.decode()
    assert "Back office 2026" in page
    assert "Midori secret plan" not in page


def test_consultant_sees_both_organisations(consultant_client, assessment, company_b):
    Assessment.objects.create(organisation=company_b, name="Midori plan")
    page = consultant_client.get(reverse("home")).content.decode()
    assert "Back office 2026" in page and "Midori plan" in page


def test_manager_creates_an_assessment(manager_client, company_a):
    response = manager_client.post(
        reverse("assessment_create", args=[company_a.pk]), {"name": "FY2027"}
    )
    assessment = Assessment.objects.get(name="FY2027")
    assert response["Location"] == reverse("inventory", args=[assessment.pk])
    assert assessment.organisation == company_a


def test_overview_shows_totals_breakdowns_and_indirect_ratio(manager_client, assessment):
    page = manager_client.get(reverse("assessment_detail", args=[assessment.pk])).content.decode()
    # Payroll: 12 × 120 min × 2 people = 48 h; reception: 240 days × 4 × 15 min = 240 h.
    assert 'data-figure="annual-hours">288.0<' in page
    assert 'data-figure="fte">0.15<' in page  # 288 / 1920
    assert 'data-figure="annual-cost">¥864,000<' in page  # 288 h × ¥3,000
    assert 'data-figure="dependencies">1<' in page
    assert "13.8%" in page and "above 10%" in page  # 58 of 420 staff are indirect
    assert "HR and labour" in page and "General affairs" in page


def test_japanese_is_the_default_language(client, manager, assessment):
    manager.profile.language = "ja"
    manager.profile.save()
    client.force_login(manager)
    page = client.get(reverse("inventory", args=[assessment.pk])).content.decode()
    assert '<html lang="ja">' in page
    assert "業務区分" in page


def test_user_switches_language_and_it_sticks(client, manager):
    client.force_login(manager)
    client.post(reverse("set_language"), {"language": "ja", "next": "/"})
    manager.profile.refresh_from_db()
    assert manager.profile.language == "ja"
    assert '<html lang="ja">' in client.get(reverse("home")).content.decode()


def test_guided_form_adds_a_task_with_its_figures(manager_client, assessment):
    response = manager_client.post(
        reverse("task_create", args=[assessment.pk]),
        {
            "department": "Accounting",
            "process": "Invoicing",
            "task": "Issue invoices",
            "category": "accounting",
            "frequency": "monthly",
            "occurrences": "50",
            "minutes": "10",
            "people": "1",
            "expertise": "2",
            "standardizable": "yes",
        },
    )
    assert response.status_code == 302
    task = assessment.tasks.get(task="Issue invoices")
    assert task.position == 2 and task.expertise == 2
    page = manager_client.get(reverse("inventory", args=[assessment.pk])).content.decode()
    assert "Issue invoices" in page and "100.0" in page  # 12 × 50 × 10 min = 100 h


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("minutes", "-5", "greater than or equal to 0"),
        ("people", "0", "greater than or equal to 0.01"),
        ("people", "0.005", "no more than 2 decimal places"),
        ("days_per_year", "0", "greater than or equal to 1"),
        ("days_per_year", "367", "less than or equal to 366"),
        ("days_per_year", "365.5", "Enter a whole number"),
        ("annual_hours", "-1", "greater than or equal to 0"),
        ("occurrences", "abc", "Enter a number"),
        ("category", "nonsense", "Select a valid choice"),
    ],
)
def test_guided_form_refuses_bad_values(manager_client, assessment, field, value, message):
    data = {
        "department": "A",
        "process": "B",
        "task": "C",
        "category": "hr",
        "people": "1",
        "occurrences": "1",
        field: value,
    }
    response = manager_client.post(reverse("task_create", args=[assessment.pk]), data)
    assert response.status_code == 200 and message in response.content.decode()
    assert assessment.tasks.count() == 2


@pytest.mark.parametrize(
    ("frequency", "occurrences", "minutes", "hours"),
    [
        pytest.param("yearly", "1", "4800", "80.0", id="year-end-closing-of-80-hours"),
        pytest.param("daily", "2000", "6", "48,000.0", id="call-centre-2000-calls-a-day"),
    ],
)
def test_real_work_is_not_refused_for_its_size(
    manager_client, assessment, frequency, occurrences, minutes, hours
):
    """SPEC 4.2: no bound on minutes or on daily totals; implausible figures are warnings."""
    data = {
        **{"department": "A", "process": "B", "task": "Big", "category": "hr", "people": "1"},
        **{"frequency": frequency, "occurrences": occurrences, "minutes": minutes},
    }
    response = manager_client.post(reverse("task_create", args=[assessment.pk]), data)
    assert response.status_code == 302
    page = manager_client.get(reverse("inventory", args=[assessment.pk])).content.decode()
    assert f'<td class="num">{hours}</td>' in page


def test_inline_edit_saves_a_row_and_refreshes_totals(manager_client, assessment):
    task = assessment.tasks.get(task="Collect timesheets")
    url = reverse("task_row_edit", args=[assessment.pk, task.pk])
    form = manager_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert f'form="row-form-{task.pk}"' in form
    response = manager_client.post(
        url,
        {
            "department": "HR",
            "process": "Payroll",
            "task": "Collect timesheets",
            "category": "hr",
            "frequency": "monthly",
            "occurrences": "1",
            "minutes": "60",
            "people": "2",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response["HX-Trigger"] == "inventory-changed"
    assert "24.0" in response.content.decode()  # 12 × 60 min × 2 people
    task.refresh_from_db()
    assert task.minutes == Decimal(60)


def test_inline_edit_with_a_bad_value_shows_the_error_and_keeps_the_row(manager_client, assessment):
    task = assessment.tasks.get(task="Collect timesheets")
    response = manager_client.post(
        reverse("task_row_edit", args=[assessment.pk, task.pk]),
        {
            "department": "HR",
            "process": "Payroll",
            "task": "Collect timesheets",
            "category": "hr",
            "occurrences": "1",
            "minutes": "abc",
            "people": "2",
        },
        HTTP_HX_REQUEST="true",
    )
    assert 'role="alert"' in response.content.decode()
    task.refresh_from_db()
    assert task.minutes == Decimal(120)


def test_quick_add_duplicate_move_and_delete(manager_client, assessment):
    add = reverse("task_add", args=[assessment.pk])
    manager_client.post(
        add,
        {
            "department": "IT",
            "process": "Helpdesk",
            "task": "Reset passwords",
            "category": "it",
            "people": "1",
            "occurrences": "1",
        },
    )
    new = assessment.tasks.get(task="Reset passwords")
    assert new.position == 2
    manager_client.post(reverse("task_duplicate", args=[assessment.pk, new.pk]))
    assert assessment.tasks.filter(task="Reset passwords").count() == 2
    manager_client.post(reverse("task_move", args=[assessment.pk, new.pk]), {"direction": "up"})
    assert [t.task for t in assessment.tasks.all()][1] == "Reset passwords"
    response = manager_client.post(
        reverse("task_delete", args=[assessment.pk, new.pk]), HTTP_HX_REQUEST="true"
    )
    # The row says the task went to the trash, with its undo; the stepper comes out of band.
    assert response.status_code == 200
    body = response.content.decode()
    assert body.startswith(f'<tr id="task-{new.pk}" class="trashed-row')
    assert reverse("task_restore", args=[assessment.pk, new.pk]) in body
    assert 'id="assessment-stepper"' in body and 'hx-swap-oob="true"' in body
    assert assessment.tasks.count() == 3


def test_upload_imports_a_shift_jis_csv(manager_client, assessment):
    response = import_file(manager_client, assessment, GOOD_CSV)
    assert response["Location"] == reverse("assessment_detail", args=[assessment.pk])
    assert sorted(assessment.tasks.values_list("task", flat=True)) == ["勤怠データ集計", "来客対応"]
    record = InventoryImport.objects.get(assessment=assessment)
    assert record.rows == 2 and record.filename == "inventory.csv" and len(record.sha256) == 64
    assert (record.added, record.changed, record.removed, record.replaced) == (2, 0, 2, True)
    assert not PendingUpload.objects.exists(), "the file is not kept once imported"
    page = manager_client.get(response["Location"]).content.decode()
    assert "Imported inventory.csv: 2 tasks added, 0 updated, 2 removed." in page


def test_upload_can_add_to_the_inventory(manager_client, assessment):
    import_file(manager_client, assessment, GOOD_CSV, replace="0", confirm=False)
    assert assessment.tasks.count() == 4
    record = InventoryImport.objects.get()
    assert (record.added, record.changed, record.removed, record.replaced) == (2, 0, 0, False)


def test_a_bad_file_is_reported_by_row_and_column_and_changes_nothing(manager_client, assessment):
    """A file that can be read but has problems goes to the mapping step, which lists every
    problem by row and column and every word it does not know; it cannot be imported."""
    bad = GOOD_CSV.decode("cp932").replace("120", "abc").replace("毎日", "時々")
    response = upload(manager_client, assessment, bad.encode("utf-8"))
    preview = pending_url(assessment)
    assert response["Location"] == preview
    mapping = pending_url(assessment, "import_mapping")
    assert manager_client.get(preview)["Location"] == mapping, "problems: nothing to preview"
    page = manager_client.get(mapping).content.decode()
    assert "Row 2, column G (所要時間(分))" in page and "“abc” is not a duration" in page
    # The unknown word of row 3 is asked, with its column: the person may map it.
    question = page[page.index("Words the import does not know") :]
    assert (
        "E (頻度)" in question and "「時々」" in question and '<td class="small">3</td>' in question
    )
    # Importing anyway is not possible: the preview's button sends back to the mapping step.
    response = manager_client.post(preview, {"replace": "1", "confirm": "on"})
    assert response["Location"] == mapping
    assert sorted(assessment.tasks.values_list("task", flat=True)) == [
        "Collect timesheets",
        "Greet visitors",
    ]
    assert not InventoryImport.objects.exists()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "empty.csv", "The submitted file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "picture.csv", "not a spreadsheet"),
        (b"PK\x03\x04garbage", "broken.xlsx", "damaged"),
        # Read by content, not by extension: text without a header row the import knows.
        (b"hello", "notes.pdf", "No sheet of the file has a header row the import knows"),
    ],
)
def test_files_that_are_not_inventories_get_a_clear_message(
    manager_client, assessment, content, name, message
):
    response = upload(manager_client, assessment, content, name=name)
    assert message in response.content.decode()
    # Refused, whether by the form (empty) or by the reader (issue 13: a form error was a 200).
    assert response.status_code == 400
    assert not PendingUpload.objects.exists()
    assert assessment.tasks.count() == 2


def test_a_file_that_cannot_be_read_at_all_answers_400_with_the_problem(manager_client, assessment):
    response = upload(manager_client, assessment, b"PK\x03\x04garbage", name="broken.xlsx")
    assert response.status_code == 400
    assert (
        "The file looks like .xlsx but is damaged and cannot be read." in response.content.decode()
    )


def test_a_file_with_headers_and_no_tasks_is_refused(manager_client, assessment):
    response = upload(manager_client, assessment, b"department,process,task,category\n")
    assert response.status_code == 400 and "no tasks" in response.content.decode()
    assert not PendingUpload.objects.exists()


def test_a_file_over_the_size_limit_is_refused_before_parsing(manager_client, assessment, settings):
    settings.MAX_UPLOAD_BYTES = 2048
    response = upload(manager_client, assessment, GOOD_CSV + b"x" * 4096)
    assert response.status_code == 400
    assert "larger than" in response.content.decode()
    assert assessment.tasks.count() == 2 and not PendingUpload.objects.exists()


def test_unknown_headers_are_shown_and_can_be_mapped(manager_client, assessment):
    sheet = "Dept,Business process,Task,Category,Mins\nHR,Payroll,Check payslips,hr,30\n"
    response = upload(manager_client, assessment, sheet.encode())
    preview = pending_url(assessment)
    assert response["Location"] == preview
    # Dept, Task and Category are known; no column gives the time and two are unknown: one may
    # be it, so the mapping step asks instead of importing tasks without hours.
    mapping = pending_url(assessment, "import_mapping")
    assert manager_client.get(preview)["Location"] == mapping
    page = manager_client.get(mapping).content.decode()
    assert "No column says how long the work takes" in page
    assert "B (Business process), E (Mins)" in page
    assert "A (Dept)" in page and "E (Mins)" in page and '<td class="small">30</td>' in page
    response = decide(manager_client, mapping, column_1="process", column_4="minutes")
    assert response["Location"] == preview
    page = manager_client.get(preview).content.decode()
    assert "Columns not imported" not in page
    response = manager_client.post(preview, {"replace": "0"})
    assert response.status_code == 302
    task = assessment.tasks.get(task="Check payslips")
    assert (task.department, task.process, task.minutes) == ("HR", "Payroll", Decimal(30))
    assert assessment.tasks.count() == 3 and not PendingUpload.objects.exists()


def test_mapping_without_a_column_naming_the_tasks_is_refused(manager_client, assessment):
    upload(manager_client, assessment, b"Dept,What,Task,Kind\nHR,Payroll,Check,hr\n")
    mapping, preview = pending_url(assessment, "import_mapping"), pending_url(assessment)
    # Neither a process nor a task column: nothing says what each task is.
    response = decide(manager_client, mapping, column_1="", column_2="", column_3="category")
    assert response["Location"] == preview
    assert manager_client.get(preview)["Location"] == mapping
    page = manager_client.get(mapping).content.decode()
    assert "The required column “Task” is missing: no column says what each task is" in page
    assert manager_client.post(preview, {"replace": "0"})["Location"] == mapping
    assert assessment.tasks.count() == 2 and not InventoryImport.objects.exists()


# --- the preview, replacing, undoing, saved mappings (SPEC 4.2.1) -----------------------------

# Payroll's minutes changed (120 → 90), a new helpdesk task; reception is not in the file.
UPDATE_CSV = (
    b"department,process,task,category,frequency,occurrences,minutes,people\n"
    b"HR,Payroll,Collect timesheets,hr,monthly,1,90,2\n"
    b"IT,Helpdesk,Reset passwords,it,daily,5,10,1\n"
)


def counts(page, **expected):
    """The preview's four figures: tasks to add, to update, to remove, unchanged."""
    labels = {"add": "tasks to add", "update": "to update", "remove": "to remove"}
    labels |= {"unchanged": "unchanged"}
    for name, count in expected.items():
        figure = rf'<div class="fs-4"[^>]*>(\d+)</div><div class="small">{labels[name]}</div>'
        assert re.findall(figure, page) == [str(count)], name


def test_the_preview_lists_what_changes_and_nothing_changes_until_confirmed(
    manager_client, assessment
):
    before = tasks_as_stored(assessment)
    upload(manager_client, assessment, UPDATE_CSV)
    preview = pending_url(assessment)
    # Adding and updating, as first offered: reception is kept.
    page = manager_client.get(preview).content.decode()
    counts(page, add=1, update=1, remove=0, unchanged=1)
    assert "Annual hours of the inventory: 288.0 now, 476.0 after the import." in page
    added = page[page.index("Tasks to add (1)") :]
    assert "<td>3</td><td>IT</td><td>Helpdesk</td><td>Reset passwords</td>" in added
    assert '<td class="num">200.0</td>' in added  # 240 days × 5 × 10 min
    changed = page[page.index("Tasks to update (1)") :]
    assert "<td>Collect timesheets</td>" in changed and "Minutes per occurrence" in changed
    assert "Tasks to remove" not in page
    # Replacing: reception would go, and the page asks to confirm it (htmx swaps the plan in).
    plan = manager_client.get(preview, {"replace": "1"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in plan
    counts(plan, add=1, update=1, remove=1, unchanged=0)
    removed = plan[plan.index("Tasks to remove (1)") :]
    assert "<td>General affairs</td><td>Reception</td><td>Greet visitors</td>" in removed
    assert "Remove 1 task that is not in the file, with its check answers and override." in plan
    assert "288.0 now, 236.0 after the import." in plan
    # Looking changed nothing.
    assert tasks_as_stored(assessment) == before
    assert not InventoryImport.objects.exists() and not Event.objects.exists()


def test_replacing_needs_the_confirmation_and_removes_only_then(manager_client, assessment):
    payroll = assessment.tasks.get(task="Collect timesheets")
    before = tasks_as_stored(assessment)
    upload(manager_client, assessment, UPDATE_CSV)
    preview = pending_url(assessment)
    response = manager_client.post(preview, {"replace": "1"})
    assert response.status_code == 400
    assert (
        "Tick the box to confirm that these tasks, their answers and overrides are removed."
        in response.content.decode()
    )
    assert tasks_as_stored(assessment) == before and not InventoryImport.objects.exists()

    response = manager_client.post(preview, {"replace": "1", "confirm": "on"}, follow=True)
    assert "Imported inventory.csv: 1 task added, 1 updated, 1 removed." in (
        response.content.decode()
    )
    assert sorted(assessment.tasks.values_list("task", flat=True)) == [
        "Collect timesheets",
        "Reset passwords",
    ]
    # The matching task is updated in place: the same task, with its id.
    assert assessment.tasks.get(task="Collect timesheets").pk == payroll.pk
    assert assessment.tasks.get(pk=payroll.pk).minutes == Decimal(90)
    record = InventoryImport.objects.get()
    assert (record.added, record.changed, record.removed, record.replaced) == (1, 1, 1, True)


def answer_and_override(manager_client, consultant_client, task):
    """Hanako answers two questions of the check in the browser; Kenji overrides the
    recommendation."""
    check = reverse("task_check", args=[task.assessment_id, task.pk])
    assert manager_client.post(check, {"C1": "no", "C2": "no", "go": "stay"}).status_code == 302
    response = consultant_client.post(
        reverse("task_override", args=[task.assessment_id, task.pk]),
        {"override-model": "dispatch", "override-justification": "The team lead directs it."},
    )
    assert response.status_code == 302
    task = Task.objects.get(pk=task.pk)
    assert task.answers == {"C1": "no", "C2": "no"}
    assert task.override.model == "dispatch"


def test_adding_and_updating_keeps_the_browsers_answers_and_the_override(
    manager_client, consultant_client, assessment
):
    payroll = assessment.tasks.get(task="Collect timesheets")
    answer_and_override(manager_client, consultant_client, payroll)
    sheet = (
        b"department,process,task,category,minutes,C1,C3\n"
        b"HR,Payroll,Collect timesheets,hr,90,yes,yes\n"
        b"IT,Helpdesk,Reset passwords,it,10,no,yes\n"
    )
    import_file(manager_client, assessment, sheet, replace="0", confirm=False)
    payroll = Task.objects.select_related("override").get(pk=payroll.pk)
    assert payroll.minutes == Decimal(90), "what the file gives is updated"
    assert (payroll.frequency, payroll.people) == ("monthly", 2), "what it does not give stays"
    # C1 was answered in the browser, knowing the task: the file's "yes" does not replace it.
    assert payroll.answers == {"C1": "no", "C2": "no", "C3": "yes"}
    assert payroll.answer_sources == {"C1": "user", "C2": "user", "C3": "file"}
    assert (payroll.override.model, payroll.override.justification) == (
        "dispatch",
        "The team lead directs it.",
    )
    assert payroll.final_model == "dispatch"
    new = assessment.tasks.get(task="Reset passwords")
    assert new.answers == {"C1": "no", "C3": "yes"} and new.answer_sources["C1"] == "file"
    assert assessment.tasks.filter(task="Greet visitors").exists(), "kept when adding"


def undo_url(record):
    return reverse("import_undo", args=[record.assessment_id, record.pk])


def test_undo_restores_the_inventory_exactly_once(manager_client, consultant_client, assessment):
    # Reception, with its answers and override, is removed by the import; payroll is changed.
    reception = assessment.tasks.get(task="Greet visitors")
    answer_and_override(manager_client, consultant_client, reception)
    before = tasks_as_stored(assessment)
    import_file(manager_client, assessment, UPDATE_CSV, replace="1")
    assert not Task.objects.filter(pk=reception.pk).exists()
    assert not Override.objects.exists()
    record = InventoryImport.objects.get()
    page = manager_client.get(reverse("import_upload", args=[assessment.pk])).content.decode()
    assert f'href="{undo_url(record)}">Undo</a>' in page

    # GET asks first, and says what comes back; nothing changes yet.
    page = manager_client.get(undo_url(record)).content.decode()
    assert "Undo the import of “inventory.csv”?" in page
    assert "2 tasks, with their check answers and overrides." in page
    assert len(tasks_as_stored(assessment)) == 2 and InventoryImport.objects.get().can_undo

    response = manager_client.post(undo_url(record), follow=True)
    assert response.redirect_chain[0][0] == reverse("inventory", args=[assessment.pk])
    assert (
        "The import of inventory.csv was undone: the inventory has its 2 tasks again."
        in response.content.decode()
    )
    # Exactly as before: the same ids, figures, answers (and where they came from), override.
    assert tasks_as_stored(assessment) == before
    assert TaskResult.objects.filter(task__assessment=assessment).count() == 2
    assert not TaskResult.objects.filter(task__task="Reset passwords").exists()
    record.refresh_from_db()
    assert record.undone_at is not None and record.undone_by.username == "hanako"
    page = manager_client.get(reverse("import_upload", args=[assessment.pk])).content.decode()
    assert ">undone</span>" in page and undo_url(record) not in page

    # Once only.
    for response in (manager_client.get(undo_url(record)), manager_client.post(undo_url(record))):
        assert response["Location"] == reverse("import_upload", args=[assessment.pk])
    page = manager_client.get(reverse("import_upload", args=[assessment.pk])).content.decode()
    assert "Only the latest import can be undone, and only once." in page
    assert tasks_as_stored(assessment) == before


def test_only_the_latest_import_can_be_undone(manager_client, assessment):
    import_file(manager_client, assessment, UPDATE_CSV, replace="0", confirm=False)
    after_first = tasks_as_stored(assessment)
    first = InventoryImport.objects.get()
    import_file(manager_client, assessment, GOOD_CSV, replace="0", confirm=False)
    latest = InventoryImport.objects.exclude(pk=first.pk).get()
    page = manager_client.get(reverse("import_upload", args=[assessment.pk])).content.decode()
    assert undo_url(latest) in page and undo_url(first) not in page
    response = manager_client.post(undo_url(first), follow=True)
    assert "Only the latest import can be undone, and only once." in response.content.decode()
    assert len(tasks_as_stored(assessment)) == 5
    manager_client.post(undo_url(latest))
    assert tasks_as_stored(assessment) == after_first


# 所要時間 without a unit, holding hours (1.5 and 2 are not plausible as minutes of payroll work).
HOURS_SHEET = (
    "部署,業務,作業,業務区分,頻度,所要時間\n"
    "人事部,給与計算,勤怠集計,人事・労務,毎月,1.5\n"
    "人事部,給与計算,明細配布,人事・労務,毎月,2\n"
).encode()


def test_the_mapping_step_asks_the_unit_of_a_duration_without_one(manager_client, assessment):
    upload(manager_client, assessment, HOURS_SHEET)
    preview, mapping = pending_url(assessment), pending_url(assessment, "import_mapping")
    assert manager_client.get(preview)["Location"] == mapping
    page = manager_client.get(mapping).content.decode()
    assert (
        "Column F (所要時間) has no unit, and its values (1.5, 2) may be minutes or hours."
    ) in page
    # Not answered: still asked.
    assert decide(manager_client, mapping)["Location"] == preview
    assert manager_client.get(preview)["Location"] == mapping
    assert decide(manager_client, mapping, unit_5="hour")["Location"] == preview
    page = manager_client.get(preview).content.decode()
    # 12 months × 1.5 h = 18 h and 12 × 2 h = 24 h.
    assert '<td>勤怠集計</td><td class="num">18.0</td>' in page
    assert '<td>明細配布</td><td class="num">24.0</td>' in page
    manager_client.post(preview, {"replace": "0"})
    minutes = dict(assessment.tasks.filter(department="人事部").values_list("task", "minutes"))
    assert minutes == {"勤怠集計": Decimal(90), "明細配布": Decimal(120)}


def test_a_saved_mapping_reads_the_next_file_with_the_same_headers_and_can_be_deleted(
    manager_client, assessment
):
    upload(manager_client, assessment, HOURS_SHEET)
    mapping = pending_url(assessment, "import_mapping")
    response = decide(
        manager_client, mapping, unit_5="hour", save_profile="on", profile_name="人事部の様式"
    )
    assert response["Location"] == pending_url(assessment)
    profile = MappingProfile.objects.get()
    assert (profile.organisation, profile.name, profile.created_by.username) == (
        assessment.organisation,
        "人事部の様式",
        "hanako",
    )
    manager_client.post(pending_url(assessment), {"replace": "0"})

    # Next month's sheet, same headers: read with the mapping, no question asked.
    next_sheet = "部署,業務,作業,業務区分,頻度,所要時間\n経理部,支払,振込処理,経理・財務,毎月,0.5\n"
    response = upload(manager_client, assessment, next_sheet.encode(), name="next.csv")
    assert response["Location"] == pending_url(assessment)
    page = manager_client.get(pending_url(assessment)).content.decode()
    assert "Read with the saved mapping “人事部の様式”." in page
    manager_client.post(pending_url(assessment), {"replace": "0"})
    assert assessment.tasks.get(task="振込処理").minutes == Decimal(30)

    page = manager_client.get(reverse("import_upload", args=[assessment.pk])).content.decode()
    delete = reverse("mapping_profile_delete", args=[assessment.pk, profile.pk])
    assert "人事部の様式" in page and f'action="{delete}"' in page
    response = manager_client.post(delete, follow=True)
    assert "The mapping “人事部の様式” was deleted." in response.content.decode()
    assert not MappingProfile.objects.exists()
    # Without it, the unit is asked again.
    upload(manager_client, assessment, next_sheet.encode(), name="next.csv")
    response = manager_client.get(pending_url(assessment))
    assert response["Location"] == pending_url(assessment, "import_mapping")


def test_a_mapping_is_saved_only_with_a_name(manager_client, assessment):
    upload(manager_client, assessment, HOURS_SHEET)
    mapping = pending_url(assessment, "import_mapping")
    response = decide(manager_client, mapping, unit_5="hour", save_profile="on", profile_name=" ")
    assert response.status_code == 400 and "Give the mapping a name." in response.content.decode()
    assert not MappingProfile.objects.exists()


def test_a_viewer_gets_403_on_every_import_url(manager_client, viewer_client, assessment):
    import_file(manager_client, assessment, UPDATE_CSV, replace="0", confirm=False)
    record = InventoryImport.objects.get()
    upload(manager_client, assessment, HOURS_SHEET)
    decide(manager_client, pending_url(assessment, "import_mapping"), unit_5="hour",
           save_profile="on", profile_name="様式")  # fmt: skip
    pending, profile = PendingUpload.objects.get(), MappingProfile.objects.get()
    before = tasks_as_stored(assessment)
    pk, upload_pk = assessment.pk, pending.pk
    readable_and_writable = [
        reverse("import_upload", args=[pk]),
        reverse("import_mapping", args=[pk, upload_pk]),
        reverse("import_preview", args=[pk, upload_pk]),
        reverse("import_undo", args=[pk, record.pk]),
    ]
    post_only = [
        reverse("import_merge", args=[pk, upload_pk]),
        reverse("mapping_profile_delete", args=[pk, profile.pk]),
    ]
    for url in readable_and_writable:
        assert viewer_client.get(url).status_code == 403, url
    data = {"replace": "1", "confirm": "on", "file": SimpleUploadedFile("x.csv", UPDATE_CSV)}
    for url in readable_and_writable + post_only:
        assert viewer_client.post(url, data).status_code == 403, url
    assert tasks_as_stored(assessment) == before
    assert PendingUpload.objects.filter(pk=upload_pk).exists()
    assert MappingProfile.objects.filter(pk=profile.pk).exists()
    assert InventoryImport.objects.get().can_undo


def test_another_users_pending_upload_is_not_found(consultant_client, manager, assessment):
    pending = PendingUpload.objects.create(
        assessment=assessment, uploaded_by=manager, filename="x.csv", content=GOOD_CSV
    )
    url = reverse("import_mapping", args=[assessment.pk, pending.pk])
    assert consultant_client.get(url).status_code == 404


def test_export_and_template_download(manager_client, assessment):
    export = manager_client.get(reverse("export_xlsx", args=[assessment.pk]))
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert export.content.startswith(b"PK")
    template = manager_client.get(reverse("template_xlsx"))
    assert template.content.startswith(b"PK")


def test_export_and_reimport_gives_the_same_inventory(manager_client, assessment):
    fields = [
        *("pk", "department", "process", "task", "category", "frequency", "occurrences"),
        *("minutes", "people", "people_able", "annual_hours"),
    ]
    before = list(assessment.tasks.values(*fields))
    exported = manager_client.get(reverse("export_xlsx", args=[assessment.pk])).content
    # Replacing with the export removes nothing, so it needs no confirmation; the hours the
    # export states agree with the parts, so the parts are kept and nothing is asked.
    response = import_file(
        manager_client, assessment, exported, name="inventory.xlsx", replace="1", confirm=False
    )
    assert response.status_code == 302
    assert list(assessment.tasks.values(*fields)) == before
    record = InventoryImport.objects.get()
    assert (record.rows, record.added, record.changed, record.removed) == (2, 0, 0, 0)


def test_an_export_edited_in_excel_asks_whether_the_stated_hours_or_the_parts_are_right(
    manager_client, assessment
):
    """SPEC 4.2: the export states each task's hours; someone changes the minutes only. The
    import cannot know which was meant, so it asks, row by row, and never picks silently."""
    payroll = assessment.tasks.get(task="Collect timesheets")
    exported = manager_client.get(reverse("export_xlsx", args=[assessment.pk])).content
    workbook = openpyxl.load_workbook(io.BytesIO(exported))
    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    assert sheet.cell(2, headers.index("Task") + 1).value == "Collect timesheets"
    sheet.cell(2, headers.index("Minutes per occurrence") + 1).value = 90
    edited = io.BytesIO()
    workbook.save(edited)

    upload(manager_client, assessment, edited.getvalue(), name="inventory.xlsx")
    mapping = pending_url(assessment, "import_mapping")
    assert manager_client.get(pending_url(assessment))["Location"] == mapping
    page = manager_client.get(mapping).content.decode()
    assert "the stated annual hours and frequency × minutes × people differ by more than 5%" in page
    # Row 2 states 48 hours (12 × 120 min × 2 people); its parts now give 12 × 90 × 2 = 36.
    assert '<tr><td>2</td><td>Collect timesheets</td><td class="num">48' in page
    response = decide(manager_client, mapping, prefer_2="computed")
    assert response["Location"] == pending_url(assessment)
    page = manager_client.get(pending_url(assessment)).content.decode()
    counts(page, add=0, update=1, remove=0)
    manager_client.post(pending_url(assessment), {"replace": "1"})
    payroll.refresh_from_db()
    assert (payroll.minutes, payroll.annual_hours) == (Decimal(90), None)
    assert assessment.tasks.count() == 2


def test_organisation_settings_change_the_figures(manager_client, assessment):
    url = reverse("organisation_settings", args=[assessment.organisation.pk])
    response = manager_client.post(
        url,
        {
            "name": "Sakura Trading",
            "hourly_cost": "4000",
            "working_days": "200",
            "yearly_hours": "1600",
            "employee_count": "420",
            "indirect_headcount": "58",
            "estimate_spread": "20",
            "tax_unrecoverable": "0",
        },
    )
    assert response.status_code == 302
    page = manager_client.get(reverse("assessment_detail", args=[assessment.pk])).content.decode()
    # Reception now 200 days × 1 h = 200 h; payroll 48 h; at ¥4,000.
    assert 'data-figure="annual-hours">248.0<' in page
    assert 'data-figure="annual-cost">¥992,000<' in page


def test_organisation_settings_refuse_impossible_values(manager_client, company_a):
    url = reverse("organisation_settings", args=[company_a.pk])
    response = manager_client.post(
        url,
        {
            "name": "Sakura Trading",
            "hourly_cost": "-1",
            "working_days": "400",
            "yearly_hours": "1920",
            "employee_count": "10",
            "indirect_headcount": "20",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Cannot be more than the number of employees" in page
    company_a.refresh_from_db()
    assert company_a.working_days == 240


def test_viewer_sees_the_inventory_without_edit_controls(viewer_client, assessment):
    page = viewer_client.get(reverse("inventory", args=[assessment.pk])).content.decode()
    assert "Collect timesheets" in page and "Read only" in page
    assert "task_add" not in page and "/duplicate/" not in page


def test_healthz_answers_without_signing_in(client):
    assert client.get("/healthz/").content == b"ok"


def test_the_table_has_one_add_row_and_quick_add_returns_the_row_and_a_fresh_one(
    manager_client, assessment
):
    page = manager_client.get(reverse("inventory", args=[assessment.pk])).content.decode()
    assert page.count('id="add-row"') == 1
    response = manager_client.post(
        reverse("task_add", args=[assessment.pk]),
        {
            "department": "IT",
            "process": "Helpdesk",
            "task": "Reset passwords",
            "category": "it",
            "people": "1",
            "occurrences": "1",
        },
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "Reset passwords" in response and response.count('id="add-row"') == 1


def test_each_task_shows_its_annual_occurrences_and_figures(manager_client, assessment):
    page = manager_client.get(reverse("inventory", args=[assessment.pk])).content.decode()
    assert '<td class="num">960</td>' in page  # reception: 4 a day × 240 working days
    task = assessment.tasks.get(task="Greet visitors")
    form = manager_client.get(reverse("task_edit", args=[assessment.pk, task.pk])).content.decode()
    assert "This task's figures" in form
    assert "¥720,000" in form  # 240 h × ¥3,000


def test_a_new_file_to_map_replaces_an_abandoned_one(manager_client, assessment):
    upload(manager_client, assessment, b"Dept,What,Task,Kind\nHR,Payroll,Check,hr\n")
    upload(manager_client, assessment, b"Dept,What,Task,Kind\nIT,Support,Reset,it\n")
    assert PendingUpload.objects.count() == 1
    assert b"Reset" in bytes(PendingUpload.objects.get().content)


# --- fractional people, days per year, stated hours (SPEC 4.2, 6.1) --------------------------

NEW_TASK = {
    **{"department": "General affairs", "process": "Reception", "category": "general_affairs"},
    **{"occurrences": "1", "people": "1"},  # the form's initial values
}


def add_task(client, assessment, **fields):
    return client.post(reverse("task_create", args=[assessment.pk]), {**NEW_TASK, **fields})


def test_guided_form_takes_half_a_person_every_day_of_the_year(manager_client, assessment):
    response = add_task(
        manager_client,
        assessment,
        task="Night desk",
        frequency="daily",
        occurrences="1",
        minutes="60",
        people="0.5",
        days_per_year="365",
    )
    assert response.status_code == 302
    task = assessment.tasks.get(task="Night desk")
    assert (task.people, task.days_per_year, task.annual_hours) == (Decimal("0.5"), 365, None)
    page = manager_client.get(reverse("inventory", args=[assessment.pk])).content.decode()
    row = page[page.index(f'id="task-{task.pk}"') :]
    # 365 days × 60 min × 0.5 people = 182.5 h; people as written, never 0.50.
    assert '<td class="num">0.5</td>' in row and '<td class="num">365</td>' in row
    assert '<td class="num">182.5</td>' in row


@pytest.mark.parametrize(
    ("fields", "stated", "hours"),
    [
        pytest.param({"annual_hours": "96"}, Decimal(96), "96.0", id="annual-only"),
        pytest.param({"monthly_hours": "8"}, Decimal(96), "96.0", id="monthly-times-12"),
        pytest.param(
            {"annual_hours": "96", "monthly_hours": "8"}, Decimal(96), "96.0", id="both-agreeing"
        ),
        pytest.param(
            {"annual_hours": "50", "frequency": "monthly", "minutes": "120", "people": "2"},
            Decimal(50),
            "50.0",
            id="stated-wins-over-48-from-the-parts",
        ),
        pytest.param({"annual_hours": "0"}, Decimal(0), "0.0", id="zero-is-kept"),
    ],
)
def test_guided_form_takes_stated_hours(manager_client, assessment, fields, stated, hours):
    response = add_task(manager_client, assessment, task="Phones", **fields)
    assert response.status_code == 302
    task = assessment.tasks.get(task="Phones")
    assert task.annual_hours == stated
    form = manager_client.get(reverse("task_edit", args=[assessment.pk, task.pk])).content.decode()
    assert f'<dd class="col-5 num">{hours}</dd>' in form
    assert "stated</span>" in form


def test_monthly_and_annual_hours_that_disagree_are_refused(manager_client, assessment):
    response = add_task(
        manager_client, assessment, task="Phones", annual_hours="96", monthly_hours="9"
    )
    assert response.status_code == 200
    assert "Give either the annual or the monthly hours" in response.content.decode()
    assert not assessment.tasks.filter(task="Phones").exists()


def test_guided_form_shows_figures_as_people_write_them(manager_client, assessment):
    task = assessment.tasks.get(task="Collect timesheets")
    assessment.tasks.filter(pk=task.pk).update(
        people=Decimal("0.5"), annual_hours=Decimal(40), occurrences=Decimal(1)
    )
    page = manager_client.get(reverse("task_edit", args=[assessment.pk, task.pk])).content.decode()
    assert 'name="people" value="0.5"' in page
    assert 'name="annual_hours" value="40"' in page
    assert 'name="occurrences" value="1"' in page and 'name="minutes" value="120"' in page
    assert ".00" not in page.split('name="occurrences"')[1][:20]
    # The days and the stated hours sit with the other figures of the task's volume.
    volume = page[page.index("How much of it there is") : page.index("Who can do it and how")]
    assert 'name="days_per_year"' in volume and 'name="annual_hours"' in volume
    assert "365 for work done every day" in volume
    # Beside the stated hours, what the parts give: 12 × 120 min × 0.5 = 12 h.
    assert "From times × minutes × people" in page and '<dd class="col-5 num">12.0</dd>' in page


def test_fast_table_takes_half_a_person_and_keeps_days_and_stated_hours(manager_client, assessment):
    task = assessment.tasks.get(task="Greet visitors")
    assessment.tasks.filter(pk=task.pk).update(days_per_year=365, annual_hours=Decimal(500))
    url = reverse("task_row_edit", args=[assessment.pk, task.pk])
    editor = manager_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'name="people" value="1"' in editor and 'name="minutes" value="15"' in editor
    assert "days_per_year" not in editor, "kept to the guided form: the row stays compact"
    assert "Its annual hours are stated (500.0 h)" in editor
    row = manager_client.post(
        url,
        {
            **{"department": "General affairs", "process": "Reception", "task": "Greet visitors"},
            **{"category": "general_affairs", "frequency": "daily", "occurrences": "4"},
            **{"minutes": "15", "people": "0.5"},
        },
        HTTP_HX_REQUEST="true",
    ).content.decode()
    task.refresh_from_db()
    assert (task.people, task.days_per_year, task.annual_hours) == (Decimal("0.5"), 365, 500)
    assert '<td class="num">0.5</td>' in row
    assert '<td class="num">1,460</td>' in row  # 4 a day × 365 days
    assert '<td class="num">500.0 <span class="badge' in row and ">stated</span>" in row


def test_quick_add_takes_half_a_person(manager_client, assessment):
    manager_client.post(
        reverse("task_add", args=[assessment.pk]),
        {**NEW_TASK, "task": "Post", "frequency": "weekly", "minutes": "30", "people": "0.5"},
    )
    assert assessment.tasks.get(task="Post").people == Decimal("0.5")


# --- the overview's warnings about implausible figures (SPEC 4.2) ----------------------------


def overview(client, assessment):
    return client.get(reverse("assessment_detail", args=[assessment.pk])).content.decode()


def test_overview_warns_that_an_inventory_far_below_the_indirect_staff_is_incomplete(
    manager_client, assessment
):
    page = overview(manager_client, assessment)
    # 288 h against 58 indirect staff × 1,920 h = 111,360 h.
    assert 'data-warning="below_headcount"' in page
    assert (
        "The inventory adds up to 288.0 hours a year: only 0.3% of what the 58 staff of the "
        "indirect departments work in a year (111,360 hours). It is probably incomplete, or "
        "covers only part of the indirect departments."
    ) in page
    settings = reverse("organisation_settings", args=[assessment.organisation.pk])
    assert f'href="{settings}">Is the number of indirect staff up to date?' in page


def test_overview_warns_of_more_hours_than_the_indirect_staff_work(manager_client, assessment):
    add_task(manager_client, assessment, task="Everything", annual_hours="150000")
    page = overview(manager_client, assessment)
    assert 'data-warning="above_headcount"' in page and "below_headcount" not in page
    assert "The inventory adds up to 150,288.0 hours a year: 135.0% of what the 58 staff" in page
    assert "Some work may be counted twice" in page


def test_overview_warns_of_one_occurrence_longer_than_a_working_year(
    manager_client, viewer_client, assessment
):
    add_task(manager_client, assessment, task="Archive", frequency="yearly", minutes="200000")
    page = overview(viewer_client, assessment)
    assert (
        "“Archive”: one occurrence is entered as 200,000 minutes, more than a person works in a "
        "whole year (1,920 hours)."
    ) in page
    assert "Is the number of indirect staff up to date?" not in page, "a viewer cannot change it"


def test_overview_lists_the_first_long_occurrences_and_counts_the_rest(manager_client, assessment):
    for n in range(7):
        add_task(manager_client, assessment, task=f"Long {n}", frequency="yearly", minutes="120000")
    page = overview(manager_client, assessment)
    assert "“Long 4”: one occurrence" in page and "“Long 5”: one occurrence" not in page
    assert "And 2 more tasks whose one occurrence is longer than a working year." in page


def test_overview_has_no_warnings_for_plausible_figures_or_an_unknown_headcount(
    manager_client, assessment
):
    company = assessment.organisation
    company.indirect_headcount = None
    company.save()
    add_task(manager_client, assessment, task="Closing", frequency="yearly", minutes="4800")
    assert "data-plausibility" not in overview(manager_client, assessment)
    company.indirect_headcount = 1  # 1,920 h a year; the inventory holds 288 + 80 = 368 h
    company.save()
    page = overview(manager_client, assessment)
    assert "only 19.2% of what the 1 staff" in page, "known again: compared again"
    company.indirect_headcount = 0
    company.save()
    assert "data-plausibility" not in overview(manager_client, assessment)
