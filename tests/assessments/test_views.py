"""A manager of company A takes the work inventory in the browser."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import Assessment, InventoryImport, PendingUpload

pytestmark = pytest.mark.django_db

GOOD_CSV = (
    "部署,業務,作業,業務区分,頻度,回数,所要時間(分),人数\n"
    "人事部,給与計算,勤怠データ集計,人事・労務,毎月,1,120,2\n"
    "総務部,受付,来客対応,総務・受付,毎日,4,15,1\n"
).encode("cp932")


def upload(client, assessment, content, name="inventory.csv", replace="1"):
    file = SimpleUploadedFile(name, content)
    return client.post(
        reverse("import_upload", args=[assessment.pk]), {"file": file, "replace": replace}
    )


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
        ("minutes", "2000", "1440"),
        ("minutes", "-5", "greater than or equal to 0"),
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


def test_daily_work_over_24_hours_is_refused(manager_client, assessment):
    data = {
        "department": "A",
        "process": "B",
        "task": "C",
        "category": "hr",
        "people": "1",
        "frequency": "daily",
        "occurrences": "10",
        "minutes": "200",
    }
    response = manager_client.post(reverse("task_create", args=[assessment.pk]), data)
    assert "More than 24 hours a day" in response.content.decode()


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
    assert response.status_code == 200 and response.content == b""
    assert assessment.tasks.count() == 3


def test_upload_imports_a_shift_jis_csv(manager_client, assessment):
    response = upload(manager_client, assessment, GOOD_CSV)
    assert response.status_code == 302
    assert sorted(assessment.tasks.values_list("task", flat=True)) == ["勤怠データ集計", "来客対応"]
    record = InventoryImport.objects.get(assessment=assessment)
    assert record.rows == 2 and record.filename == "inventory.csv" and len(record.sha256) == 64


def test_upload_can_add_to_the_inventory(manager_client, assessment):
    upload(manager_client, assessment, GOOD_CSV, replace="0")
    assert assessment.tasks.count() == 4


def test_a_bad_file_is_reported_by_row_and_column_and_changes_nothing(manager_client, assessment):
    bad = GOOD_CSV.decode("cp932").replace("120", "abc").replace("毎日", "時々")
    response = upload(manager_client, assessment, bad.encode("utf-8"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Row 2, column G (所要時間(分))" in page and "“abc” is not a number" in page
    assert "Row 3, column E (頻度)" in page
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
        (b"department,process,task,category\n", "headers.csv", "no tasks"),
        (b"hello", "notes.pdf", "Upload an .xlsx or .csv file"),
    ],
)
def test_files_that_are_not_inventories_get_a_clear_message(
    manager_client, assessment, content, name, message
):
    response = upload(manager_client, assessment, content, name=name)
    assert message in response.content.decode()
    assert assessment.tasks.count() == 2


def test_a_file_over_the_size_limit_is_refused_before_parsing(manager_client, assessment, settings):
    settings.MAX_UPLOAD_BYTES = 2048
    response = upload(manager_client, assessment, GOOD_CSV + b"x" * 4096)
    assert "larger than" in response.content.decode()
    assert assessment.tasks.count() == 2


def test_unknown_headers_go_through_the_mapping_step(manager_client, assessment):
    sheet = "Dept,Business process,Task,Category,Mins\nHR,Payroll,Check payslips,hr,30\n"
    response = upload(manager_client, assessment, sheet.encode())
    pending = PendingUpload.objects.get()
    assert response["Location"] == reverse("import_mapping", args=[assessment.pk, pending.pk])
    page = manager_client.get(response["Location"]).content.decode()
    assert "A (Dept)" in page and "E (Mins)" in page
    response = manager_client.post(
        response["Location"],
        {
            "col_0": "department",
            "col_1": "process",
            "col_2": "task",
            "col_3": "category",
            "col_4": "minutes",
        },
    )
    assert response.status_code == 302
    task = assessment.tasks.get()
    assert (task.department, task.task, task.minutes) == ("HR", "Check payslips", Decimal(30))
    assert not PendingUpload.objects.exists()


def test_mapping_without_a_required_column_is_refused(manager_client, assessment):
    upload(manager_client, assessment, b"Dept,What,Task,Kind\nHR,Payroll,Check,hr\n")
    url = reverse("import_mapping", args=[assessment.pk, PendingUpload.objects.get().pk])
    response = manager_client.post(
        url, {"col_0": "department", "col_2": "task", "col_3": "category"}
    )
    assert "The required column “Process” is missing" in response.content.decode()
    assert assessment.tasks.count() == 2


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


def test_export_edit_and_reimport_gives_the_same_inventory(manager_client, assessment):
    fields = [
        "department",
        "process",
        "task",
        "category",
        "frequency",
        "occurrences",
        "minutes",
        "people",
        "people_able",
    ]
    before = list(assessment.tasks.values(*fields))
    exported = manager_client.get(reverse("export_xlsx", args=[assessment.pk])).content
    upload(manager_client, assessment, exported, name="inventory.xlsx")
    assert list(assessment.tasks.values(*fields)) == before


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
