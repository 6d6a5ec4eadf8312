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
