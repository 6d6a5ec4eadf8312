"""The portfolio home and the departments compared (issue 18), as the people of the tests see
them: figures worked out by hand on a small setup, who sees what, the empty states, the order
and the filters, and a number of queries that does not grow with the assessments."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.domain import inventory
from assessments.domain.choices import STAFFING_MODELS
from assessments.domain.classification import OUTSOURCED
from assessments.models import Assessment, Task
from assessments.models.steps import Goals
from assessments.reporting.portfolio import task_sums
from outsourcing_advisor.accounts.models import Membership, Organisation, Role
from tests.factories import OUTSOURCEABLE, make_member, make_task
from tests.helpers import client_for, goals_form

pytestmark = pytest.mark.django_db


def html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def row(page: str, assessment: Assessment) -> str:
    """The row of the assessment on the home page."""
    found = re.search(rf'<tr data-assessment="{assessment.pk}".*?</tr>', page, re.S)
    assert found, f"no row for {assessment.name}"
    return found.group(0)


def figure(fragment: str, name: str) -> str:
    """The text of the first element with data-figure=name, tags and spaces squeezed out."""
    found = re.search(rf'data-figure="{name}"[^>]*>(.*?)</(?:td|span|p)>', fragment, re.S)
    assert found, f"no figure {name}"
    return " ".join(re.sub(r"<[^>]+>", "", found.group(1)).split())


def home_url(**query: object) -> str:
    return reverse("home") + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def departments_url(organisation: Organisation, **query: object) -> str:
    url = reverse("organisation_departments", args=[organisation.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


# --- a small setup worked out by hand ----------------------------------------------------------


@pytest.fixture
def back_office(company_a, consultant) -> Assessment:
    """Company A (¥3,000 an hour, 240 days): payroll for BPO, 12 × 600 min = 120 h (only one
    person can do it); the helpdesk for ITO, 12 × 120 min = 24 h; reception overridden to
    dispatch, 240 days × 4 × 15 min = 240 h (external staffing: not a candidate); strategy,
    core, without a frequency (no hours). Candidates: 144 h, ¥432,000 a year."""
    assessment = Assessment.objects.start(organisation=company_a, name="Back office 2026")
    payroll = {**OUTSOURCEABLE, "minutes": Decimal(600), "people_able": 1}
    make_task(assessment, department="HR", task="Payroll", category="hr", **payroll)
    helpdesk = {**OUTSOURCEABLE, "minutes": Decimal(120), "people_able": 2}
    make_task(assessment, department="IT", task="Helpdesk", category="it", **helpdesk)
    reception = make_task(
        assessment,
        department="General affairs",
        task="Reception",
        category="general_affairs",
        frequency="daily",
        occurrences=Decimal(4),
        minutes=Decimal(15),
        people_able=3,
    )
    make_task(
        assessment,
        department="Planning",
        task="Strategy",
        category="planning",
        answers={"C1": "yes", "C2": "yes"},
    )
    assessment.recompute_results()
    reception = Task.objects.get(pk=reception.pk)
    assessment.override_task(reception, "dispatch", "Seasonal peaks", consultant)
    models = dict(assessment.tasks.values_list("task", "result__model"))
    assert models["Payroll"] == "bpo" and models["Helpdesk"] == "ito", models
    return assessment


@pytest.fixture
def midori(company_b) -> Assessment:
    """Company B at ¥2,800 an hour: invoices, weekly, 2 × 30 min = 52 h, ¥145,600; and a report
    whose sheet states 10 h a year at its own ¥5,000 an hour: ¥50,000. Both BPO."""
    company_b.hourly_cost = Decimal(2800)
    company_b.save()
    assessment = Assessment.objects.start(organisation=company_b, name="Midori inventory")
    invoices = {**OUTSOURCEABLE, "frequency": "weekly", "occurrences": Decimal(2)}
    make_task(
        assessment, department="Accounting", task="Invoices", category="accounting", **invoices
    )
    # A stated 10 h a year at the task's own rate: frequency and minutes play no part.
    stated = {**OUTSOURCEABLE, "annual_hours": Decimal(10), "hourly_cost": 5000}
    make_task(assessment, department="Accounting", task="Report", category="data_entry", **stated)
    Task.objects.filter(assessment=assessment, task="Invoices").update(minutes=Decimal(30))
    assessment.recompute_results()
    assert set(assessment.tasks.values_list("result__model", flat=True)) <= OUTSOURCED
    return assessment


def test_a_consultant_of_two_organisations_sees_both_with_their_figures(
    consultant_client, back_office, midori
):
    page = html(consultant_client.get(reverse("home")))
    assert "Sakura Trading" in page and "Midori Seiki" in page
    a, b = row(page, back_office), row(page, midori)
    assert figure(a, "candidate-hours") == "144.0" and figure(a, "candidate-cost") == "¥432,000"
    assert figure(b, "candidate-hours") == "62.0" and figure(b, "candidate-cost") == "¥195,600"
    # Checked: every task has a verdict but strategy's (no answers to most questions).
    checked = Task.objects.filter(assessment=back_office).exclude(result__verdict="incomplete")
    assert figure(a, "checked") == f"{checked.count()} / 4 tasks checked"
    assert figure(b, "checked") == "2 / 2 tasks checked"
    # The headline comes first: two assessments, 206 h, ¥627,600, and what to do next.
    headline = page.split("data-headline", 1)[1].split("</section>", 1)[0]
    assert page.index("data-headline") < page.index('data-organisation="')
    assert figure(headline, "assessments") == "2 assessments"
    assert figure(headline, "candidate-hours") == "Outsourcing candidates 206.0 h/year"
    assert figure(headline, "candidate-cost") == "¥627,600 a year in-house"
    assert "Next" in headline and "data-next=" in headline


def test_the_step_and_the_next_action_are_the_steppers(manager_client, back_office):
    """Goals first; once they are ranked, the scope (strategy lacks answers): the home's step is
    the stepper's current one, and its link is the stepper's."""
    page = html(manager_client.get(reverse("home")))
    assert 'data-stage="goals"' in row(page, back_office)
    assert f'href="{reverse("workflow_goals", args=[back_office.pk])}"' in row(page, back_office)
    assert "Rank the four goals" in row(page, back_office)
    manager_client.post(reverse("workflow_goals", args=[back_office.pk]), goals_form())
    assert Goals.objects.filter(assessment=back_office).ranked().exists()
    page = html(manager_client.get(reverse("home")))
    overview = html(manager_client.get(reverse("assessment_detail", args=[back_office.pk])))
    assert 'data-step="scope" data-state="current"' in overview
    assert 'data-stage="scope"' in row(page, back_office)
    assert "1 task has no verdict yet" in row(page, back_office)
    assert f'href="{reverse("check_grid", args=[back_office.pk])}"' in row(page, back_office)
    # The headline's next action is the same step of the same assessment.
    headline = page.split("data-headline", 1)[1].split("</section>", 1)[0]
    assert 'data-next="scope"' in headline and "Back office 2026" in headline


def test_organisation_totals_add_up_its_assessments(manager_client, back_office, company_a):
    other = Assessment.objects.start(organisation=company_a, name="Sales office")
    make_task(other, department="Sales", category="hr", **{**OUTSOURCEABLE, "minutes": 60})
    other.recompute_results()
    page = html(manager_client.get(reverse("home")))
    total = re.search(r'<tr class="table-light" data-total=.*?</tr>', page, re.S).group(0)
    assert "Total of 2 assessments" in total
    assert figure(total, "candidate-hours") == "156.0"  # 144 + 12 × 60 min
    assert figure(total, "candidate-cost") == "¥468,000"


def test_a_viewer_sees_her_organisation_only_and_may_start_nothing(
    viewer_client, back_office, midori
):
    page = html(viewer_client.get(reverse("home")))
    assert "Back office 2026" in page and "Midori" not in page
    assert reverse("assessment_create", args=[back_office.organisation_id]) not in page
    assert 'data-role="viewer"' in page
    # She reads where it stands: the next step is named, its page readable to her, not hers to do.
    headline = page.split("data-headline", 1)[1].split("</section>", 1)[0]
    assert 'data-next="goals"' in headline and "Next step" in headline
    assert "btn-primary" not in headline


def test_an_outsider_sees_nothing_of_the_others(outsider_client, back_office, midori):
    page = html(outsider_client.get(reverse("home")))
    assert "Midori inventory" in page
    assert "Back office 2026" not in page and "Sakura Trading" not in page
    assert "144.0" not in page
    company_a = back_office.organisation
    assert outsider_client.get(departments_url(company_a)).status_code == 404
    # Asking the home for company A's assessments shows her own, and says why.
    page = html(outsider_client.get(home_url(organisation=company_a.pk)))
    assert "Back office 2026" not in page and "Midori inventory" in page
    assert "data-filter-error" in page


# --- empty states ------------------------------------------------------------------------------


def test_someone_in_no_organisation_is_told_how_to_join(db):
    client = client_for(make_member("alone", Organisation.objects.create(name="X"), Role.VIEWER))
    client.user = None
    Organisation.objects.get(name="X").delete()
    page = html(client.get(reverse("home")))
    assert "You are not a member of any organisation yet." in page
    assert "data-headline" not in page


def test_an_organisation_without_assessments_starts_one(
    manager_client, viewer_client, company_a, manager
):
    page = html(manager_client.get(reverse("home")))
    start = reverse("assessment_create", args=[company_a.pk])
    headline = page.split("data-headline", 1)[1].split("</section>", 1)[0]
    assert "data-figure" not in headline  # no figures of nothing: the next action alone
    assert f'href="{start}" data-next="start"' in headline
    section = page.split(f'data-organisation="{company_a.pk}"', 1)[1]
    assert "No assessments yet." in section
    assert page.count(f'href="{start}"') == 1  # offered once: first, in the headline
    assert "data-departments" not in section  # nothing to compare yet
    page = html(viewer_client.get(reverse("home")))
    assert start not in page
    assert "a manager or consultant of your organisation starts one" in page
    # With an assessment elsewhere, the empty organisation offers its own start.
    other = Organisation.objects.create(name="Other")
    Membership.objects.create(user=manager, organisation=other, role=Role.MANAGER)
    Assessment.objects.start(organisation=other, name="Elsewhere")
    page = html(manager_client.get(reverse("home")))
    section = page.split(f'data-organisation="{company_a.pk}"', 1)[1].split("</section>", 1)[0]
    assert f'href="{start}" data-next="start"' in section


# --- order and filters -------------------------------------------------------------------------


def test_the_consultant_filters_by_organisation_and_orders_by_candidates(
    consultant_client, back_office, midori, company_a
):
    small = Assessment.objects.start(organisation=company_a, name="Small one")
    page = html(consultant_client.get(home_url(organisation=midori.organisation_id)))
    assert "Midori inventory" in page and "Back office 2026" not in page
    assert figure(page, "assessments") == "1 assessment"

    def listed(query: dict[str, str]) -> list[int]:
        page = html(consultant_client.get(home_url(**query)))
        return [int(pk) for pk in re.findall(r'<tr data-assessment="(\d+)"', page)]

    # Organisations by name (Midori Seiki, Sakura Trading), each one's assessments in order.
    assert listed({"sort": "candidates"}) == [midori.pk, back_office.pk, small.pk]
    assert listed({"sort": "name"}) == [midori.pk, back_office.pk, small.pk]
    Assessment.objects.filter(pk=back_office.pk).update(updated_at=timezone.now())
    assert listed({}) == [midori.pk, back_office.pk, small.pk]  # recently updated first
    Assessment.objects.filter(pk=small.pk).update(updated_at=timezone.now())
    assert listed({}) == [midori.pk, small.pk, back_office.pk]
    assert listed({"sort": "stage"})[1:] == [small.pk, back_office.pk]  # both at goals: 0% first
    page = html(consultant_client.get(home_url(sort="nonsense")))
    assert "data-filter-error" in page and "Small one" in page


# --- departments compared ----------------------------------------------------------------------


def test_departments_compared_by_hand(manager_client, back_office, company_a):
    page = html(manager_client.get(departments_url(company_a)))
    rows = dict(re.findall(r'<tr data-department="([^"]+)">(.*?)</tr>', page, re.S))
    assert list(rows) == ["General affairs", "HR", "IT", "Planning"]  # most hours first
    hr = rows["HR"]
    assert figure(hr, "annual-hours") == "120.0" and figure(hr, "fte") == "0.06"
    assert figure(hr, "candidate-share") == "100.0%" and figure(hr, "dependencies") == "1"
    ga = rows["General affairs"]  # dispatch: no outsourcing candidate
    assert figure(ga, "annual-hours") == "240.0" and figure(ga, "fte") == "0.13"
    assert figure(ga, "candidate-share") == "0.0%" and figure(ga, "dependencies") == "0"
    assert figure(rows["Planning"], "annual-hours") == "0.0"
    assert figure(rows["Planning"], "candidate-share") == "—"
    total = re.search(r"<tr class=\"table-light\" data-total>.*?</tr>", page, re.S).group(0)
    # 384 h = 0.20 FTE; 144 of 384 h = 37.5%.
    assert figure(total, "annual-hours") == "384.0" and figure(total, "fte") == "0.20"
    assert figure(total, "candidate-share") == "37.5%" and figure(total, "dependencies") == "1"
    assert "1 task has no frequency or time yet" in page


def test_a_department_assessed_again_counts_once_from_the_latest(
    manager_client, back_office, company_a
):
    again = Assessment.objects.start(organisation=company_a, name="HR again 2027")
    make_task(again, department="HR", category="hr", **{**OUTSOURCEABLE, "minutes": 60})
    again.recompute_results()
    Assessment.objects.filter(pk=back_office.pk).update(updated_at=timezone.now())
    page = html(manager_client.get(departments_url(company_a)))
    rows = dict(re.findall(r'<tr data-department="([^"]+)">(.*?)</tr>', page, re.S))
    assert figure(rows["HR"], "annual-hours") == "120.0"  # back office changed last
    assert "Back office 2026" in rows["HR"]
    Assessment.objects.filter(pk=again.pk).update(updated_at=timezone.now())
    page = html(manager_client.get(departments_url(company_a)))
    rows = dict(re.findall(r'<tr data-department="([^"]+)">(.*?)</tr>', page, re.S))
    assert figure(rows["HR"], "annual-hours") == "12.0" and "HR again 2027" in rows["HR"]
    assert figure(rows["IT"], "annual-hours") == "24.0"  # only in the back office
    # One assessment chosen: its departments only.
    page = html(manager_client.get(departments_url(company_a, assessment=again.pk)))
    assert re.findall(r'<tr data-department="([^"]+)">', page) == ["HR"]


def test_a_bad_choice_of_assessment_is_said_and_not_applied(
    manager_client, back_office, midori, company_a
):
    page = html(manager_client.get(departments_url(company_a, assessment=midori.pk)))
    assert "data-filter-error" in page and "Midori" not in page
    assert 'data-department="HR"' in page


def test_departments_of_an_organisation_without_tasks(manager_client, company_a):
    Assessment.objects.start(organisation=company_a, name="Empty")
    page = html(manager_client.get(departments_url(company_a)))
    assert "data-empty" in page and "No department to compare yet" in page


def test_a_task_at_the_limits_of_every_figure_is_summed_and_shown(manager_client, company_a):
    """The largest figures the fields allow: the sums stay exact and the pages answer."""
    assessment = Assessment.objects.start(organisation=company_a, name="Huge")
    limits = {
        "frequency": "daily",
        "days_per_year": 366,
        "occurrences": Decimal(10_000_000),
        "minutes": Decimal(10_000_000),
        "people": Decimal(100_000),
        "hourly_cost": 1_000_000,
    }
    make_task(assessment, category="hr", **{**OUTSOURCEABLE, **limits})
    sums = task_sums(Task.objects.filter(assessment=assessment), "assessment_id")
    hours = Decimal(366 * 10**7 * 10**7 * 10**5) / 60
    assert abs(sums[(assessment.pk,)].annual_hours - hours) / hours < Decimal("1e-12")
    html(manager_client.get(reverse("home")))
    html(manager_client.get(departments_url(company_a)))


def test_tasks_in_the_trash_are_not_counted(manager_client, back_office, company_a):
    Task.objects.filter(assessment=back_office, task="Helpdesk").update(deleted_at=timezone.now())
    sums = task_sums(Task.objects.filter(assessment=back_office), "assessment_id")
    assert sums[(back_office.pk,)].candidate_hours == 120


# --- the figures are the overview's -------------------------------------------------------------


def test_the_sums_are_the_overviews_figures(company_a):
    """The SQL of `annual_minutes` against `inventory.derive` and the overview's sourcing, on
    every kind of task: each frequency, own days a year, stated hours, an own hourly cost (0
    too), missing minutes, no frequency, fractional occurrences and people."""
    assessment = Assessment.objects.start(organisation=company_a, name="Every kind")
    kinds = [
        {"frequency": "daily", "occurrences": Decimal("2.5"), "minutes": Decimal("7.25")},
        {"frequency": "daily", "days_per_year": 365, "minutes": Decimal(10)},
        {"frequency": "weekly", "minutes": Decimal(33), "people": Decimal("0.5")},
        {"frequency": "monthly", "minutes": Decimal(40), "people": Decimal("0.3")},
        {"frequency": "quarterly", "minutes": Decimal("0.01"), "hourly_cost": 0},
        {"frequency": "semiannual", "minutes": Decimal(480), "hourly_cost": 4321},
        {"frequency": "yearly", "minutes": Decimal(7), "occurrences": Decimal("0.33")},
        {"frequency": "ad_hoc", "occurrences": Decimal(17), "minutes": Decimal(13)},
        {"frequency": "monthly", "annual_hours": Decimal("12.34"), "minutes": Decimal(1)},
        {"frequency": "monthly"},  # no minutes
        {"minutes": Decimal(30)},  # no frequency
        {"annual_hours": Decimal("0.05")},  # stated, no frequency
    ]
    for number, kind in enumerate(kinds):
        fields = {**OUTSOURCEABLE, "frequency": "", **kind, "people_able": number % 3}
        make_task(assessment, task=f"T{number}", department=f"D{number % 4}", **fields)
    assessment.recompute_results()
    for number, task in enumerate(assessment.tasks.order_by("pk")[:4]):
        model = ["dispatch", "in_house", "kpo", "bpo"][number]
        assessment.override_task(task, model, "test", None)
    rows = assessment.summary_rows()
    everything = inventory.totals(rows)
    sourcing = inventory.sourcing(rows, OUTSOURCED, STAFFING_MODELS)
    sums = task_sums(Task.objects.filter(assessment=assessment), "assessment_id")[(assessment.pk,)]

    def same(a: Decimal, b: Decimal) -> bool:
        return abs(a - b) < Decimal("1e-9")

    assert sums.tasks == everything.tasks == len(kinds)
    assert same(sums.annual_hours, everything.annual_hours)
    assert same(sums.annual_cost, everything.annual_cost)
    assert sums.candidate_tasks == sourcing.outsourcing.tasks > 0
    assert same(sums.candidate_hours, sourcing.outsourcing.annual_hours)
    assert same(sums.candidate_cost, sourcing.outsourcing.annual_cost)
    assert sums.dependencies == everything.single_person_dependencies
    assert sums.without_volume == everything.tasks_without_volume == 2
    by_department = task_sums(Task.objects.filter(assessment=assessment), "department")
    for group in inventory.breakdown(rows, "department"):
        assert same(by_department[(group.name,)].annual_hours, Decimal(str(group.annual_hours)))


# --- queries ---------------------------------------------------------------------------------


def _assessments(organisation: Organisation, user, count: int) -> None:
    """`count` assessments of three tasks each, with packages and a scored, quoted vendor."""
    from tests.factories import make_certified_vendor
    from vendors.models import Bid, Evaluation

    for number in range(count):
        assessment = Assessment.objects.start(organisation=organisation, name=f"A{number}")
        for position in range(3):
            make_task(
                assessment,
                position=position,
                task=f"T{position}",
                department=f"D{position}",
                category="hr",
                **{**OUTSOURCEABLE, "minutes": Decimal(60 + position)},
            )
        assessment.recompute_results()
        assessment.create_packages()
        package = assessment.packages.first()
        vendor = make_certified_vendor(f"V{assessment.pk}", ["bpo"], "isms")
        bid = Bid.objects.create(package=package, vendor=vendor, monthly_fee=100_000)
        Evaluation.objects.create(bid=bid, evaluator=user, submitted_at=timezone.now())


def test_the_home_and_the_departments_take_as_many_queries_for_2_as_for_10_assessments(
    company_a, company_b, consultant
):
    client = client_for(consultant)

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    _assessments(company_a, consultant, 2)
    _assessments(company_b, consultant, 1)
    few = (count(reverse("home")), count(departments_url(company_a)))
    _assessments(company_a, consultant, 8)
    _assessments(company_b, consultant, 4)
    many = (count(reverse("home")), count(departments_url(company_a)))
    assert few == many, (few, many)
    assert Assessment.objects.filter(organisation=company_a).count() == 10
