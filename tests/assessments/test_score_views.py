"""The suitability and the overview as Hanako (manager of company A) reads them after issue 18:
an incomplete task shows no score but the questions it lacks; the points of the breakdown add
up to the score shown; every table of the overview adds up to the inventory, its shares to
100%; and "no tasks yet" appears only when there are none."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from assessments.models import Assessment, Task, TaskResult
from assessments.reporting import pdf, report
from tests.factories import NON_CORE, make_task

pytestmark = pytest.mark.django_db

# The answers of the demo's invoicing task: 63.89, shown 63.9; its three points 5.56 + 5.56 +
# 2.78 rounded alone make 64.0.
INVOICING = {**NON_CORE, "C6": "yes", "C9": "no", "C8": "partly"}


@pytest.fixture
def payroll(assessment) -> Task:
    """Ongoing HR work nobody else can do (C9 pre-filled "yes"); its check not started."""
    task = assessment.tasks.get(task="Collect timesheets")
    task.continuity, task.direct_instruction, task.expertise = "ongoing", "no", 2
    task.judgment = task.requirement_changes = task.tacit_knowledge = "low"
    task.confidentiality = "internal"
    task.save()
    assessment.recompute_results([task])
    return task


def check_url(task: Task) -> str:
    return reverse("task_check", args=[task.assessment_id, task.pk])


def answer(client, task: Task, answers: dict[str, str]):
    response = client.post(check_url(task), {**answers, "go": "stay"})
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.get(check_url(task)).content.decode()


def result_card(page: str) -> str:
    return page.split('id="task-result"')[1].split("</section>")[0]


def parts(page: str) -> dict[str, Decimal]:
    """The breakdown's cells: the start, each answer's points and the total."""
    found = re.findall(r'data-part="(\w+)"[^>]*>([^<]+)<', result_card(page))
    return {name: Decimal(text.replace("−", "-").replace("+", "")) for name, text in found}


# --- the check page --------------------------------------------------------------------------


# Yes to four reasons for outsourcing besides the pre-filled C6 and C9: five questions open, over
# the two "don't know" allowed; a high score stored (100.00 over the answered questions).
HALF_DONE = {"C3": "yes", "C4": "yes", "C8": "yes", "C10": "yes"}


def stored(task: Task) -> str:
    """The stored score as the page would show it, were it shown."""
    return str(TaskResult.objects.get(task=task).suitability.quantize(Decimal("0.1")))


def test_an_incomplete_task_shows_no_score_only_the_questions_it_lacks(manager_client, payroll):
    page = answer(manager_client, payroll, HALF_DONE)
    result = TaskResult.objects.get(task=payroll)
    assert result.verdict == "incomplete" and result.suitability > 70

    card = result_card(page)
    assert stored(payroll) not in card and 'data-result="breakdown"' not in card
    assert 'data-result="suitability"><span class="text-body-secondary">No score yet' in card
    assert "Answer these 4 questions to get a score, a verdict and a model" in card
    missing = re.findall(r'data-missing="(C\d+)"', card)
    assert missing == ["C1", "C2", "C5", "C7"]
    assert "Does the task directly generate sales or profit?" in card  # named, not only coded


def test_the_grid_and_the_inventory_sort_show_no_score_for_an_incomplete_task(
    manager_client, payroll, assessment
):
    answer(manager_client, payroll, HALF_DONE)  # incomplete, a high score stored
    answer(manager_client, assessment.tasks.get(task="Greet visitors"), NON_CORE)  # non-core, 69.44
    grid = manager_client.get(reverse("check_grid", args=[assessment.pk])).content.decode()
    row = grid.split(f'id="grid-{payroll.pk}"')[1].split("</tr>")[0]
    assert stored(payroll) not in row and '<td class="num">—</td>' in row
    # Sorted by suitability, highest first: not first for a score nobody sees.
    table = manager_client.get(
        reverse("inventory", args=[assessment.pk]), {"sort": "-suitability"}
    ).content.decode()
    assert table.index("Greet visitors") < table.index("Collect timesheets")


def test_the_breakdown_adds_up_to_the_score_shown(manager_client, payroll):
    page = answer(manager_client, payroll, INVOICING)
    assert TaskResult.objects.get(task=payroll).suitability == Decimal("63.89")

    shown = parts(page)
    assert shown["start"] == 50 and shown["total"] == Decimal("63.9")
    answers = {name: points for name, points in shown.items() if name.startswith("C")}
    assert sorted(answers.values()) == [Decimal("2.8"), Decimal("5.5"), Decimal("5.6")]
    assert shown["start"] + sum(answers.values()) == shown["total"]
    assert "Suitability 63.9 is at or above 60: non-core." in page  # the same figure


@pytest.mark.parametrize(
    "answers",
    [
        pytest.param(INVOICING, id="invoicing"),
        pytest.param({**NON_CORE, "C7": "partly", "C2": "partly"}, id="two-partly"),
        pytest.param({**NON_CORE, "C1": "yes", "C5": "yes", "C8": "no"}, id="both-ways"),
    ],
)
def test_the_parts_add_up_whatever_the_answers(manager_client, payroll, answers):
    shown = parts(answer(manager_client, payroll, answers))

    stored = TaskResult.objects.get(task=payroll).suitability
    assert shown["total"] == stored.quantize(Decimal("0.1"))
    assert sum(points for name, points in shown.items() if name != "total") == shown["total"]


def test_changing_an_answer_towards_outsourcing_raises_the_score(manager_client, payroll):
    before = parts(answer(manager_client, payroll, {**NON_CORE, "C7": "partly"}))["total"]
    after = parts(answer(manager_client, payroll, {**NON_CORE, "C7": "no"}))["total"]

    assert after > before


@pytest.fixture
def every_item_scored(assessment) -> None:
    """The assessment is pinned to checklist v2, which scores over every item ("all")."""
    assert assessment.checklist_version.scoring == "all"


def test_answering_no_to_a_reason_for_keeping_the_work_never_lowers_the_score(
    manager_client, payroll, every_item_scored
):
    """The walk-through's case: with two questions open, answering “no” to C7 (extremely high
    quality demands?) moved the score down, and with it the verdict."""
    open_two = {code: value for code, value in INVOICING.items() if code not in ("C7", "C5")}
    before = parts(answer(manager_client, payroll, open_two))["total"]
    page = answer(manager_client, payroll, {**open_two, "C7": "no"})

    assert parts(page)["total"] == before
    assert "questions not answered add none" in page  # the breakdown says how it counts
    assert TaskResult.objects.get(task=payroll).detail["scoring"] == "all"


# --- the overview ----------------------------------------------------------------------------


def overview(client, assessment: Assessment) -> str:
    response = client.get(reverse("assessment_detail", args=[assessment.pk]))
    assert response.status_code == 200
    return response.content.decode()


def table_rows(page: str, name: str) -> tuple[list[list[str]], list[str]]:
    """The cells of a breakdown's body rows, and of its totals row."""
    table = page.split(f'data-breakdown="{name}"')[1].split("</table>")[0]
    body = table.split("<tbody>")[1].split("</tbody>")[0]
    cells = [
        re.findall(r'<td class="num"[^>]*>([^<]*)</td>', row)
        + re.findall(r'<span class="small num">([^<]*)</span>', row)
        for row in body.split("</tr>")[:-1]
    ]
    total = re.findall(r'<td class="num[^"]*"[^>]*>([^<]*)</td>', table.split("<tfoot>")[1])
    return cells, total


def number(text: str) -> Decimal:
    return Decimal(re.sub(r"[^\d.]", "", text))


@pytest.fixture
def mixed(manager_client, assessment, payroll) -> Assessment:
    """Payroll non-core (BPO); reception incomplete; a task not checked yet; a task without
    hours: the by-model table used to leave out all but payroll."""
    answer(manager_client, payroll, NON_CORE)
    make_task(assessment, position=2, department="IT", process="Help", task="Reset passwords")
    make_task(
        assessment,
        position=3,
        department="IT",
        process="Kit",
        task="Set up laptops",
        annual_hours=Decimal("33.35"),
    )  # not checked: no result
    assessment.recompute_results(list(assessment.tasks.filter(task="Reset passwords")))
    return assessment


@pytest.mark.parametrize("name", ["by-department", "by-category", "by-model"])
def test_every_table_adds_up_to_the_inventory(manager_client, mixed, name):
    page = overview(manager_client, mixed)
    rows, total = table_rows(page, name)

    tasks, hours = total[:2]
    assert (int(tasks), hours) == (4, page.split('data-figure="annual-hours">')[1].split("<")[0])
    for column, figure in enumerate(total[:4]):
        assert sum(number(row[column]) for row in rows) == number(figure)
    assert sum(number(row[4]) for row in rows) == 100
    assert total[4] == "100.0%"


def test_the_by_model_table_names_the_tasks_without_a_model(manager_client, mixed):
    page = overview(manager_client, mixed)
    rows, _total = table_rows(page, "by-model")
    table = page.split('data-breakdown="by-model"')[1].split("</table>")[0]

    names = re.findall(r'<th scope="row" class="fw-normal text-nowrap">([^<]*)</th>', table)
    assert names == ["BPO", "On hold (answers missing)", "Not checked yet"]
    assert [int(row[0]) for row in rows] == [1, 2, 1]
    assert "3 tasks have no model yet" in page and reverse("check_grid", args=[mixed.pk]) in page
    assert "1 task has no frequency or time yet" in page  # counted, without hours


def test_no_tasks_yet_only_when_there_are_none(manager_client, assessment, company_a, manager):
    page = overview(manager_client, assessment)  # two tasks, neither with a model yet
    assert "No tasks yet." not in page
    assert "On hold (answers missing)" in page.split('data-breakdown="by-model"')[1]

    empty = Assessment.objects.start(organisation=company_a, name="Empty", created_by=manager)
    assert "No tasks yet." in overview(manager_client, empty)


@pytest.fixture
def thirds(company_a, manager) -> Assessment:
    """Three departments of 100 hours: 33.3% each, 99.9% together if rounded alone (99% whole)."""
    assessment = Assessment.objects.start(organisation=company_a, name="Thirds", created_by=manager)
    for position, department in enumerate(["Sales", "HR", "IT"]):
        make_task(
            assessment,
            position=position,
            department=department,
            task=department,
            annual_hours=Decimal(100),
        )
    assessment.recompute_results()
    return assessment


def test_shares_add_up_to_100_in_the_tables_and_the_charts(manager_client, thirds):
    page = overview(manager_client, thirds)

    rows, _total = table_rows(page, "by-department")
    assert [row[4] for row in rows] == ["33.4%", "33.3%", "33.3%"]
    chart = page.split('data-chart="department"')[1].split(">")[0]
    whole = [int(share) for share in re.findall(r"\((\d+)%\)", chart)]
    assert sorted(whole) == [33, 33, 34]
    sourcing = page.split("data-sourcing-rest")[1].split("</p>")[0]
    assert "100.0%" in sourcing  # no model yet: all of it, 300.0 h


def test_the_reports_tables_add_up_too(thirds, manager):
    with translation.override("en"):
        content = report.build_report(thirds, viewer=manager)
        html = pdf.report_html(thirds, lang="en", viewer=manager)
    assert sum(g.percent for g in content.by_department) == 100
    assert [g.name for g in content.by_model] == ["On hold (answers missing)"]
    assert sum(g.hours_shown for g in content.by_model) == content.totals.annual_hours
    assert html.count('<tr class="total"><td class="name">Total</td>') == 2
    assert "33.4%" in html


def test_an_outsider_sees_neither_the_overview_nor_the_check(outsider_client, assessment):
    task = assessment.tasks.first()
    for url in (reverse("assessment_detail", args=[assessment.pk]), check_url(task)):
        assert outsider_client.get(url).status_code == 404
