"""The revised decision table of SPEC 4.4 as people meet it: rule table v2 pinned by new
assessments, the reasons naming the factor, no runner-up for core or dispatch work, the licensed
and on-site inputs in the browser, the file and the export, and the new warnings."""

from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.urls import reverse

from assessments.models import Assessment, Task, TaskResult
from assessments.models.versions import (
    RuleTableVersion,
)
from assessments.web.forms import TaskForm
from tests.assessments.files import csv_bytes
from tests.factories import OUTSOURCEABLE, make_member, make_task
from tests.helpers import client_for, confirm_version_move, upload_inventory

pytestmark = pytest.mark.django_db


@pytest.fixture
def inventory(company_a, manager) -> Assessment:
    """Hanako's new assessment: pinned to the newest rules, v2."""
    return Assessment.objects.start(organisation=company_a, name="FY2027", created_by=manager)


def described(assessment: Assessment, name: str, **fields: Any) -> Task:
    """A non-core, ongoing, outsourceable task, changed by `fields`, with its result."""
    given = {**OUTSOURCEABLE, "category": "hr", "minutes": Decimal(120), **fields}
    task = make_task(assessment, task=name, **given)
    assessment.recompute_results([task])
    return task


def task_page(client: Any, task: Task) -> str:
    """The task's check page, where its result is explained."""
    return client.get(reverse("task_check", args=[task.assessment_id, task.pk])).content.decode()


def form_page(client: Any, task: Task) -> str:
    return client.get(reverse("task_edit", args=[task.assessment_id, task.pk])).content.decode()


def edit_through_the_form(client: Any, task: Task, **changes: Any) -> Any:
    """Post the guided form as the browser would: every field as shown, with `changes`."""
    form = TaskForm(instance=task)
    data = {name: form[name].value() for name in form.fields}
    data = {name: "" if value is None else value for name, value in {**data, **changes}.items()}
    return client.post(reverse("task_edit", args=[task.assessment_id, task.pk]), data)


def test_a_new_assessment_pins_the_revised_rules(inventory):
    assert inventory.rule_version == RuleTableVersion.objects.latest_published()
    assert inventory.rule_version.number == 2


def test_hanako_marks_social_insurance_filings_as_licensed_on_site_work(manager_client, inventory):
    task = described(inventory, "File social-insurance forms")
    page = form_page(manager_client, task)
    assert 'name="licensed_work"' in page and 'name="on_site"' in page

    response = edit_through_the_form(manager_client, task, licensed_work="sharoushi", on_site="yes")

    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.licensed_work, task.on_site) == ("sharoushi", "yes")
    result = TaskResult.objects.get(task=task)
    assert result.model == "bpo"
    assert result.detail["warnings"] == ["licensed_work", "on_site"]
    page = task_page(manager_client, task)
    assert "Licensed work (士業の独占業務)" in page and "社労士法27条" in page
    assert "Outsourced work on your premises (常駐)" in page and "40条の6" in page


def test_an_unknown_licence_in_the_form_is_refused_and_nothing_saved(manager_client, inventory):
    task = described(inventory, "File tax returns")
    response = edit_through_the_form(manager_client, task, licensed_work="benrishi")
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    task.refresh_from_db()
    assert task.licensed_work == ""


def test_the_in_house_reason_names_the_factor_rated_high(company_a, inventory):
    task = described(inventory, "Answer unusual claims", judgment="high")
    assert TaskResult.objects.get(task=task).detail["rule"] == "unsuited_in_house"
    english = client_for(make_member("taro", company_a, "manager"))
    assert "Rated high: Case-by-case judgment." in task_page(english, task)
    japanese = client_for(make_member("yuki", company_a, "manager", language="ja"))
    assert "都度の判断が多いため、現時点では外部委託に向きません。" in task_page(japanese, task)


def test_a_dispatch_task_has_no_runner_up_and_warns_of_the_three_year_limit(
    manager_client, inventory
):
    task = described(
        inventory, "Support the sales floor", direct_instruction="yes", judgment="high"
    )
    result = TaskResult.objects.get(task=task)
    assert (result.model, result.detail["runner_up"], result.detail["pilot"]) == (
        "dispatch",
        "",
        False,
    )
    assert result.detail["warnings"] == ["dispatch_term_limit"]
    page = task_page(manager_client, task)
    assert 'data-result="runner-up"' not in page
    assert "Dispatch: the three-year limit (抵触日)" in page


def test_a_one_off_dispatch_warns_of_the_day_labour_ban(manager_client, inventory):
    task = described(
        inventory, "Help with the stocktake", direct_instruction="yes", continuity="one_off"
    )
    assert TaskResult.objects.get(task=task).detail["warnings"] == ["day_labour_ban"]
    assert "35条の4" in task_page(manager_client, task)


def test_a_core_task_has_no_runner_up(manager_client, inventory):
    core = {**OUTSOURCEABLE["answers"], "C1": "yes", "C2": "yes"}
    task = described(inventory, "Negotiate prices", answers=core)
    result = TaskResult.objects.get(task=task)
    assert (result.verdict, result.model, result.detail["runner_up"]) == ("core", "in_house", "")
    assert 'data-result="runner-up"' not in task_page(manager_client, task)


def test_a_one_off_without_a_deliverable_stays_in_house_with_subcontract_runner_up(inventory):
    task = described(
        inventory, "Redesign the intranet", continuity="one_off", deliverable_clear="no"
    )
    result = TaskResult.objects.get(task=task)
    assert (result.model, result.detail["rule"], result.detail["runner_up"]) == (
        "in_house",
        "no_deliverable_in_house",
        "subcontract",
    )


def test_saving_a_row_of_the_fast_table_keeps_licensed_and_on_site_work(manager_client, inventory):
    """The fast table holds the fields that decide hours; the others stay as they are."""
    task = described(
        inventory, "File social-insurance forms", licensed_work="sharoushi", on_site="yes"
    )
    row = {
        "department": "HR",
        "process": "Social insurance",
        "task": "File social-insurance forms",
        "category": "hr",
        "frequency": "monthly",
        "occurrences": "1",
        "minutes": "90",
        "people": "1",
    }
    response = manager_client.post(reverse("task_row_edit", args=[inventory.pk, task.pk]), row)
    assert response.status_code == 200
    task.refresh_from_db()
    assert (task.minutes, task.licensed_work, task.on_site) == (Decimal(90), "sharoushi", "yes")
    assert TaskResult.objects.get(task=task).detail["warnings"] == ["licensed_work", "on_site"]


# --- the file ------------------------------------------------------------------------------


def test_licences_and_on_site_work_as_people_write_them_are_imported(manager_client, inventory):
    data = csv_bytes(
        [
            ["部署", "業務", "作業", "士業", "常駐"],
            ["人事部", "社会保険", "算定基礎届", "社会保険労務士", "○"],
            ["経理部", "税務", "法人税申告", "税理士", "いいえ"],
            ["総務部", "登記", "役員変更登記", "司法書士", "常駐"],
            ["総務部", "受付", "来客対応", "なし", "はい"],
        ]
    )
    preview = upload_inventory(manager_client, inventory, data)
    response = manager_client.post(preview["Location"], {"replace": "1"})
    assert response.status_code == 302
    assert list(inventory.tasks.order_by("position").values_list("licensed_work", "on_site")) == [
        ("sharoushi", "yes"),
        ("zeirishi", "no"),
        ("shiho_shoshi", "yes"),
        ("", "yes"),
    ]


def test_an_unknown_licence_in_a_file_is_refused_naming_the_row_and_the_column(
    manager_client, inventory
):
    data = csv_bytes(
        [
            ["部署", "業務", "作業", "士業"],
            ["人事部", "社会保険", "算定基礎届", "社労士"],
            ["法務部", "特許", "特許出願", "弁理士"],
        ]
    )
    response = upload_inventory(manager_client, inventory, data)
    page = manager_client.get(response["Location"], follow=True).content.decode()
    assert "Row 3, column D (士業)" in page
    assert "“弁理士” is not a licence the product knows" in page
    assert not inventory.tasks.exists()


def test_the_template_and_the_export_carry_licensed_and_on_site_work(manager_client, inventory):
    described(inventory, "File social-insurance forms", licensed_work="sharoushi", on_site="yes")
    template = manager_client.get(reverse("template_xlsx"))
    export = manager_client.get(reverse("export_xlsx", args=[inventory.pk]))
    for response in (template, export):
        assert response.status_code == 200
        sheet = openpyxl.load_workbook(_bytes(response)).worksheets[0]
        headers = [cell.value for cell in sheet[1]]
        assert "Licensed work" in headers and "On the client's premises" in headers
    sheet = openpyxl.load_workbook(_bytes(export)).worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    row = [cell.value for cell in sheet[2]]
    licensed = row[headers.index("Licensed work")]
    on_site = row[headers.index("On the client's premises")]
    assert "社労士" in licensed and on_site == "Yes"


def _bytes(response: Any) -> Any:
    import io

    content = b"".join(response.streaming_content) if response.streaming else response.content
    return io.BytesIO(content)


# --- moving to the revised rules ---------------------------------------------------------------


def test_kenji_moves_an_assessment_from_v1_to_the_revised_rules_and_sees_what_changes(
    consultant_client, company_a
):
    version_1 = RuleTableVersion.objects.get(number=1)
    assessment = Assessment.objects.start(organisation=company_a, name="Started on v1")
    assessment.rule_version = version_1
    assessment.save()
    # Internal data, 10 hours, simple: crowdsourcing under v1, never under v2.
    task = described(
        assessment,
        "Tidy the customer list",
        continuity="one_off",
        frequency="yearly",
        minutes=Decimal(600),
        expertise=1,
        confidentiality="internal",
        deliverable_clear="yes",
    )
    assert TaskResult.objects.get(task=task).model == "crowdsourcing"

    url = reverse("assessment_versions", args=[assessment.pk])
    page = consultant_client.get(url).content.decode()
    assert 'data-changed-tasks="1"' in page and "New rule 5: In-house when" in page
    assert "no_deliverable_in_house" not in page  # rules in words, never by their codes
    assert TaskResult.objects.get(task=task).model == "crowdsourcing"  # nothing moved yet

    rules = RuleTableVersion.objects.latest_published()
    response = confirm_version_move(consultant_client, assessment)
    assert response.status_code == 302
    result = TaskResult.objects.get(task=task)
    assert (result.model, result.rule_version) == ("subcontract", rules)
