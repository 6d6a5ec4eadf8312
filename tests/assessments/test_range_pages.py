"""The ranges and the settings of the saving's range through the pages (SPEC 4.5, 4.2.1): a task's
lowest and highest figures in the guided form, the fast table and an import's preview; the
organisation's estimate spread and unrecoverable consumption tax; the assessment's horizon. As
Hanako (manager) and Kenji (consultant) of Sakura Trading use them, the viewer reads them, and
the outsider from Midori Seiki finds nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.template.loader import render_to_string
from django.urls import reverse

from assessments.models import Assessment, Task
from assessments.web.forms import TaskForm
from outsourcing_advisor.history.models import Event, SubjectType
from tests.factories import make_package
from tests.helpers import pending_url, upload_inventory

pytestmark = pytest.mark.django_db


def timesheets(assessment: Assessment) -> Task:
    """Monthly, once, 120 minutes, two people: 48 hours a year."""
    return assessment.tasks.get(task="Collect timesheets")


def edit(client: Any, task: Task, **changes: Any) -> Any:
    """Post the guided form as the browser does: every field as shown, with `changes`."""
    form = TaskForm(instance=task)
    data = {name: form[name].value() for name in form.fields}
    data = {name: "" if value is None else value for name, value in {**data, **changes}.items()}
    return client.post(reverse("task_edit", args=[task.assessment_id, task.pk]), data)


def said(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- the guided form ---------------------------------------------------------------------------


def test_hanako_gives_a_task_its_busy_and_quiet_figures(manager_client, assessment):
    task = timesheets(assessment)
    page = manager_client.get(reverse("task_edit", args=[assessment.pk, task.pk])).content.decode()
    volume = page[page.index("How much of it there is") : page.index("Who can do it and how")]
    for name in ("occurrences_low", "occurrences_high", "minutes_low", "minutes_high"):
        assert f'name="{name}"' in volume
    assert "in the quiet season (閑散期)" in volume

    response = edit(
        manager_client,
        task,
        occurrences="2",
        occurrences_low="1",
        occurrences_high="3.5",
        minutes_low="90",
        minutes_high="180",
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.occurrences_low, task.occurrences_high) == (Decimal(1), Decimal("3.5"))
    assert (task.minutes_low, task.minutes_high) == (Decimal(90), Decimal(180))
    page = manager_client.get(reverse("task_edit", args=[assessment.pk, task.pk])).content.decode()
    assert 'name="occurrences_high" value="3.5"' in page, "as written, not 3.50"
    assert "96.0" in page, "the hours stay those of the usual figures: 12 × 2 × 120 min × 2"
    history = manager_client.get(reverse("assessment_history", args=[assessment.pk]))
    assert "Minutes (highest): — → 180" in history.content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        pytest.param(
            {"occurrences": "2", "occurrences_low": "3"},
            "occurrences_low",
            "The lowest cannot be above the usual figure.",
            id="quiet-above-usual",
        ),
        pytest.param(
            {"minutes_low": "60", "minutes_high": "100"},
            "minutes_high",
            "The highest cannot be below the usual figure.",
            id="longest-below-120",
        ),
        pytest.param(
            {"minutes": "", "minutes_high": "100"},
            "minutes_high",
            "Give the usual figure too",
            id="longest-without-the-usual-time",
        ),
        pytest.param(
            {"minutes_low": "-1"},
            "minutes_low",
            "greater than or equal to 0",
            id="negative",
        ),
    ],
)
def test_a_range_that_does_not_hold_is_refused_and_nothing_saved(
    manager_client, assessment, changes, field, message
):
    task = timesheets(assessment)
    response = edit(manager_client, task, notes="changed as well", **changes)
    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    stored = Task.objects.get(pk=task.pk)
    assert (stored.notes, stored.minutes, stored.occurrences) == ("", Decimal(120), Decimal(1))
    assert stored.minutes_low is stored.minutes_high is stored.occurrences_low is None


# --- the fast table ----------------------------------------------------------------------------


ROW = {
    **{"department": "HR", "process": "Payroll", "task": "Collect timesheets"},
    **{"category": "hr", "frequency": "monthly", "occurrences": "1", "people": "2"},
}


def test_the_fast_table_keeps_a_range_it_does_not_show(manager_client, assessment):
    task = timesheets(assessment)
    Task.objects.filter(pk=task.pk).update(minutes_low=Decimal(90), minutes_high=Decimal(180))
    url = reverse("task_row_edit", args=[assessment.pk, task.pk])

    refused = manager_client.post(url, {**ROW, "minutes": "200"}).content.decode()
    assert "Outside the range the task gives for it (90 to 180)" in refused
    task.refresh_from_db()
    assert task.minutes == Decimal(120)

    assert manager_client.post(url, {**ROW, "minutes": "150"}).status_code == 200
    task.refresh_from_db()
    assert (task.minutes, task.minutes_low, task.minutes_high) == (
        Decimal(150),
        Decimal(90),
        Decimal(180),
    )


# --- an import's preview -------------------------------------------------------------------------

HEADER = "Department,Process,Task,Category,Frequency,Occurrences,Minutes per occurrence,People"


def test_the_preview_shows_a_range_the_file_brings_and_the_import_keeps_it(
    manager_client, assessment
):
    content = (
        f"{HEADER},回数(最小),回数(最大),所要時間(最小),所要時間(最大)\n"
        "HR,Payroll,Collect timesheets,hr,monthly,1,120,2,1,2,60,3時間\n"
    ).encode()
    assert upload_inventory(manager_client, assessment, content).status_code == 302
    page = manager_client.get(pending_url(assessment)).content.decode()
    changed = page[page.index('data-count="changed"') :]
    assert changed.startswith('data-count="changed">1<')
    assert (
        "Occurrences (lowest), Occurrences (highest), Minutes (lowest), Minutes (highest)" in page
    )
    manager_client.post(pending_url(assessment), {"replace": "0"})
    task = timesheets(assessment)
    assert (task.occurrences_low, task.occurrences_high) == (Decimal(1), Decimal(2))
    assert (task.minutes_low, task.minutes_high) == (Decimal(60), Decimal(180))


def test_a_file_that_changes_the_time_without_its_range_clears_the_range(
    manager_client, assessment
):
    task = timesheets(assessment)
    Task.objects.filter(pk=task.pk).update(minutes_low=Decimal(90), minutes_high=Decimal(180))
    content = f"{HEADER}\nHR,Payroll,Collect timesheets,hr,monthly,1,60,2\n".encode()
    upload_inventory(manager_client, assessment, content)
    page = manager_client.get(pending_url(assessment)).content.decode()
    assert "Minutes per occurrence, Minutes (lowest), Minutes (highest)" in page
    manager_client.post(pending_url(assessment), {"replace": "0"})
    task.refresh_from_db()
    assert (task.minutes, task.minutes_low, task.minutes_high) == (Decimal(60), None, None)


def test_a_file_whose_range_does_not_hold_is_refused_naming_the_row(manager_client, assessment):
    content = f"{HEADER},閑散期,繁忙期\nHR,Payroll,Collect timesheets,hr,monthly,4,120,2,5,8\n"
    upload_inventory(manager_client, assessment, content.encode())
    page = manager_client.get(pending_url(assessment, "import_mapping")).content.decode()
    assert "The lowest figure (5) is above the usual one in “Occurrences” (4)" in page
    assert timesheets(assessment).occurrences == Decimal(1), "nothing imported"


def test_the_mapping_step_asks_the_unit_of_a_longest_time_that_looks_like_hours(
    manager_client, assessment
):
    content = (
        f"{HEADER},最長時間\n"
        "HR,Payroll,Collect timesheets,hr,monthly,1,120,2,2.5\n"
        "HR,Payroll,Check overtime,hr,monthly,1,60,1,1.5\n"
    ).encode()
    upload_inventory(manager_client, assessment, content)
    mapping = pending_url(assessment, "import_mapping")
    response = manager_client.get(mapping)
    form = response.context["form"]
    [(_column, _key, unit)] = [row for row in form.column_rows() if row[0].header == "最長時間"]
    assert unit is not None and unit.field.label == "Unit of I (最長時間)"
    assert "Column I (最長時間) has no unit" in response.content.decode()
    data = {name: form[name].value() or "" for name in form.fields}
    manager_client.post(mapping, {**data, unit.name: "hour"})
    manager_client.post(pending_url(assessment), {"replace": "0"})
    hours = dict(assessment.tasks.values_list("task", "minutes_high"))
    assert hours == {
        "Collect timesheets": Decimal(150),
        "Check overtime": Decimal(90),
        "Greet visitors": None,
    }


# --- the organisation's settings -----------------------------------------------------------------


def settings_url(organisation: Any) -> str:
    return reverse("organisation_settings", args=[organisation.pk])


def settings_form(client: Any, organisation: Any, **changes: Any) -> dict[str, Any]:
    """The settings form as the page shows it, with `changes`."""
    form = client.get(settings_url(organisation)).context["form"]
    data = {name: form[name].value() for name in form.fields}
    return {name: "" if value is None else value for name, value in {**data, **changes}.items()}


@pytest.mark.parametrize("person", ["manager", "consultant"])
def test_the_spread_and_the_tax_are_set_and_recorded(person, request, company_a):
    user = request.getfixturevalue(person)
    client = request.getfixturevalue(f"{person}_client")
    page = client.get(settings_url(company_a)).content.decode()
    assert "20 means from 80% to 120% of the figures" in page
    assert "Most companies deduct it in full" in page

    data = settings_form(client, company_a, estimate_spread="35", tax_unrecoverable="100")
    response = client.post(settings_url(company_a), data)
    assert response.status_code == 302
    assert said(response) == ["Organisation settings saved."]
    company_a.refresh_from_db()
    assert (company_a.estimate_spread, company_a.tax_unrecoverable) == (35, 100)
    event = Event.objects.get(subject_type=SubjectType.ORGANISATION)
    assert (event.actor, event.organisation_id, event.assessment_id) == (user, company_a.pk, None)
    assert event.changes == [
        {"field": "estimate_spread", "old": "20", "new": "35"},
        {"field": "tax_unrecoverable", "old": "0", "new": "100"},
    ]


def test_saving_the_settings_unchanged_records_nothing(manager_client, company_a):
    manager_client.post(settings_url(company_a), settings_form(manager_client, company_a))
    assert not Event.objects.filter(subject_type=SubjectType.ORGANISATION).exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"estimate_spread": "101"}, "estimate_spread", "less than or equal to 100"),
        ({"estimate_spread": "-5"}, "estimate_spread", "greater than or equal to 0"),
        ({"estimate_spread": "twenty"}, "estimate_spread", "Enter a whole number"),
        ({"estimate_spread": ""}, "estimate_spread", "This field is required"),
        ({"tax_unrecoverable": "150"}, "tax_unrecoverable", "less than or equal to 100"),
        ({"tax_unrecoverable": "2.5"}, "tax_unrecoverable", "Enter a whole number"),
    ],
)
def test_bad_settings_are_refused_and_nothing_is_saved(
    manager_client, company_a, changes, field, message
):
    data = settings_form(manager_client, company_a, hourly_cost="4000", **changes)
    response = manager_client.post(settings_url(company_a), data)
    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    company_a.refresh_from_db()
    assert (company_a.estimate_spread, company_a.tax_unrecoverable) == (20, 0)
    assert company_a.hourly_cost == Decimal(3000), "all or nothing"
    assert not Event.objects.filter(subject_type=SubjectType.ORGANISATION).exists()


def test_the_viewer_reads_the_settings_and_cannot_change_them(viewer_client, company_a):
    page = viewer_client.get(settings_url(company_a)).content.decode()
    assert 'name="estimate_spread"' not in page
    spread = page[page.index("Estimate spread (±%)") :]
    assert spread.split("<dd", 1)[1].startswith(' class="col-sm-7">±20%</dd>')
    tax = page[page.index("Consumption tax not recoverable (%)") :]
    assert tax.split("<dd", 1)[1].startswith(' class="col-sm-7">0%</dd>'), "0 is a value, not —"
    response = viewer_client.post(settings_url(company_a), {"estimate_spread": "50"})
    assert response.status_code == 403
    company_a.refresh_from_db()
    assert company_a.estimate_spread == 20


def test_the_outsider_finds_no_settings(outsider_client, company_a):
    assert outsider_client.get(settings_url(company_a)).status_code == 404
    response = outsider_client.post(settings_url(company_a), {"estimate_spread": "50"})
    assert response.status_code == 404
    company_a.refresh_from_db()
    assert company_a.estimate_spread == 20


# --- the assessment's horizon --------------------------------------------------------------------


def horizon_url(assessment: Assessment) -> str:
    return reverse("assessment_horizon", args=[assessment.pk])


def test_kenji_sets_the_horizon_beside_the_overhead_of_a_package(
    consultant, consultant_client, assessment
):
    package = make_package(assessment, "bpo", "BPO: payroll")
    response = consultant_client.post(
        horizon_url(assessment), {"horizon_years": "5", "package": package.pk}
    )
    assert response["Location"] == (
        reverse("package_vendors", args=[assessment.pk, package.pk]) + "#costs"
    )
    assert said(response) == ["Horizon saved."]
    assessment.refresh_from_db()
    assert assessment.horizon_years == 5
    event = Event.objects.get(subject_type=SubjectType.ASSESSMENT)
    assert (event.actor, event.assessment_id) == (consultant, assessment.pk)
    history = consultant_client.get(reverse("assessment_history", args=[assessment.pk]))
    page = history.content.decode()
    assert "<strong>Assessment settings</strong>" in page
    assert "Horizon (years): 3 → 5" in page


def test_hanako_sets_the_horizon_and_the_same_again_records_nothing(manager_client, assessment):
    response = manager_client.post(horizon_url(assessment), {"horizon_years": "10"})
    assert response["Location"] == reverse("assessment_detail", args=[assessment.pk])
    manager_client.post(horizon_url(assessment), {"horizon_years": "10"})
    assessment.refresh_from_db()
    assert assessment.horizon_years == 10
    assert Event.objects.filter(subject_type=SubjectType.ASSESSMENT).count() == 1


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "greater than or equal to 1"),
        ("11", "less than or equal to 10"),
        ("2.5", "Enter a whole number"),
        ("three", "Enter a whole number"),
        ("", "This field is required"),
    ],
)
def test_a_bad_horizon_is_refused_with_a_message(manager_client, assessment, value, message):
    response = manager_client.post(horizon_url(assessment), {"horizon_years": value})
    assert response.status_code == 302
    assert any(message in text for text in said(response)), said(response)
    assessment.refresh_from_db()
    assert assessment.horizon_years == 3
    assert not Event.objects.filter(subject_type=SubjectType.ASSESSMENT).exists()


def test_the_viewer_cannot_set_the_horizon(viewer_client, assessment):
    response = viewer_client.post(horizon_url(assessment), {"horizon_years": "5"})
    assert response.status_code == 403
    assessment.refresh_from_db()
    assert assessment.horizon_years == 3


def test_the_outsider_cannot_set_the_horizon(outsider_client, assessment):
    assert outsider_client.post(horizon_url(assessment), {"horizon_years": "5"}).status_code == 404
    assert outsider_client.get(horizon_url(assessment)).status_code in (404, 405)
    assessment.refresh_from_db()
    assert assessment.horizon_years == 3


def test_a_package_of_another_assessment_is_not_found(manager_client, assessment, company_b):
    elsewhere = Assessment.objects.create(organisation=company_b, name="Midori")
    package = make_package(elsewhere, "bpo", "BPO")
    response = manager_client.post(
        horizon_url(assessment), {"horizon_years": "5", "package": package.pk}
    )
    assert response.status_code == 404
    assessment.refresh_from_db()
    assert assessment.horizon_years == 3


def test_the_horizon_form_beside_the_overhead(assessment):
    package = make_package(assessment, "bpo", "BPO")
    assessment.role = "consultant"  # as fetched for Kenji
    form = render_to_string("assessments/_horizon_form.html", {"assessment": assessment})
    assert f'action="{horizon_url(assessment)}"' in form
    assert 'name="horizon_years"' in form and 'value="3"' in form
    assert 'name="package"' not in form
    with_package = render_to_string(
        "assessments/_horizon_form.html", {"assessment": assessment, "package": package}
    )
    assert f'name="package" value="{package.pk}"' in with_package
    assessment.role = "viewer"
    shown = render_to_string("assessments/_horizon_form.html", {"assessment": assessment})
    assert "<form" not in shown and "Horizon: 3 years" in shown
