"""The six-step workflow (SPEC 3): the stepper's rules as a table, then the pages of the steps the
workflow records itself — goals (1), the readiness checklist (5, SPEC 4.7, versioned like the
core check) and KPI/SLA targets with monthly actuals (6). Outsiders and viewers are covered by
the walk of tests/test_authorization.py."""

from __future__ import annotations

import datetime
import importlib
import re
from dataclasses import replace
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from assessments.domain import defaults
from assessments.domain.workflow import (
    Completion,
    Facts,
    StepState,
    kpi_met,
    parse_month,
    parse_number,
    rank_problems,
    workflow_steps,
)
from assessments.models import Assessment, Package, Task
from assessments.models.steps import (
    Goals,
    Kpi,
    KpiActual,
    ReadinessEntry,
    ReadinessStatus,
    readiness_version_of,
)
from assessments.models.versions import ReadinessItem, ReadinessVersion
from assessments.reporting.progress import workflow_facts
from tests.factories import build_task, make_certified_vendor, make_package
from tests.helpers import goals_form, readiness_form
from vendors.models import Bid, Certification, Evaluation, Vendor

DONE, CURRENT, TODO = StepState.DONE, StepState.CURRENT, StepState.TODO

# Every step done (the RFP fact given, as the RFP feature will one day).
ALL_DONE = Facts(
    goals_ranked=True,
    tasks=10,
    tasks_with_verdict=10,
    packages=2,
    rfp_drafts=2,
    packages_with_vendor=2,
    readiness_items=20,
    readiness_done=18,
    readiness_not_applicable=2,
    kpis=3,
    kpis_with_actual=1,
)


# --- the stepper's rules (no database) -------------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "states", "missing"),
    [
        (
            Facts(),
            [CURRENT, TODO, TODO, TODO, TODO, TODO],
            [
                "Rank the four goals",
                "Add tasks to the work inventory",
                "Generate an RFP draft per package",
                "Create the sourcing packages first",
                "0 / 0 readiness items done",
                "Set KPI/SLA targets",
            ],
        ),
        (ALL_DONE, [DONE] * 6, [""] * 6),
        (
            replace(ALL_DONE, rfp_drafts=0),  # the default until the RFP is built
            [DONE, DONE, CURRENT, DONE, DONE, DONE],
            ["", "", "Generate an RFP draft per package", "", "", ""],
        ),
        (
            replace(ALL_DONE, tasks_with_verdict=9),
            [DONE, CURRENT, DONE, DONE, DONE, DONE],
            ["", "1 task has no verdict yet", "", "", "", ""],
        ),
        (
            replace(ALL_DONE, tasks_with_verdict=7),
            [DONE, CURRENT, DONE, DONE, DONE, DONE],
            ["", "3 tasks have no verdict yet", "", "", "", ""],
        ),
        (
            replace(ALL_DONE, packages=0, rfp_drafts=0, packages_with_vendor=0),
            [DONE, CURRENT, TODO, TODO, DONE, DONE],
            [
                "",
                "Create the sourcing packages",
                "Generate an RFP draft per package",
                "Create the sourcing packages first",
                "",
                "",
            ],
        ),
        (
            replace(ALL_DONE, packages_with_vendor=1),
            [DONE, DONE, DONE, CURRENT, DONE, DONE],
            ["", "", "", "1 package has no eligible vendor scored yet", "", ""],
        ),
        (
            replace(ALL_DONE, readiness_done=12),
            [DONE, DONE, DONE, DONE, CURRENT, DONE],
            ["", "", "", "", "12 / 18 readiness items done", ""],
        ),
        (  # nothing applicable is not a finished checklist
            replace(ALL_DONE, readiness_done=0, readiness_not_applicable=20),
            [DONE, DONE, DONE, DONE, CURRENT, DONE],
            ["", "", "", "", "0 / 0 readiness items done", ""],
        ),
        (
            replace(ALL_DONE, kpis_with_actual=0),
            [DONE, DONE, DONE, DONE, DONE, CURRENT],
            ["", "", "", "", "", "Record a first monthly actual"],
        ),
        (  # tasks that no longer fit their package: the scope is not settled (issue 16)
            replace(ALL_DONE, misplaced_tasks=2),
            [DONE, CURRENT, DONE, DONE, DONE, DONE],
            ["", "2 tasks no longer fit their packages", "", "", "", ""],
        ),
        (
            replace(ALL_DONE, tasks_with_verdict=9, misplaced_tasks=1),
            [DONE, CURRENT, DONE, DONE, DONE, DONE],
            ["", "1 task has no verdict yet, 1 task no longer fits its package", "", "", "", ""],
        ),
        (  # quotes or scores given for another scope: the selection is not settled either
            replace(ALL_DONE, stale_quotes=1),
            [DONE, DONE, DONE, CURRENT, DONE, DONE],
            [
                "",
                "",
                "",
                "1 vendor was quoted or scored before its package's tasks changed",
                "",
                "",
            ],
        ),
        (  # later steps may be done before earlier ones: only the first not done is current
            replace(ALL_DONE, goals_ranked=False, readiness_done=3),
            [CURRENT, DONE, DONE, DONE, TODO, DONE],
            ["Rank the four goals", "", "", "", "3 / 18 readiness items done", ""],
        ),
    ],
)
def test_workflow_steps(facts, states, missing):
    with translation.override("en"):
        steps = workflow_steps(facts)
    assert [step.number for step in steps] == [1, 2, 3, 4, 5, 6]
    assert [step.state for step in steps] == states
    assert [step.missing for step in steps] == missing
    assert sum(step.current for step in steps) <= 1


def test_tasks_that_no_longer_fit_their_package_lead_to_the_packages_page():
    steps = workflow_steps(replace(ALL_DONE, misplaced_tasks=1))
    assert (steps[1].url_name, steps[1].warnings) == ("packages", 1)
    # Tasks without a verdict are done on the check grid first.
    steps = workflow_steps(replace(ALL_DONE, tasks_with_verdict=9, misplaced_tasks=1))
    assert steps[1].url_name == "check_grid"


def test_each_step_links_to_its_page():
    assert [step.url_name for step in workflow_steps(Facts())] == [
        "workflow_goals",
        "check_grid",
        "packages",
        "packages",
        "workflow_readiness",
        "workflow_operation",
    ]


@pytest.mark.parametrize(
    ("completion", "applicable", "complete", "percent"),
    [
        (Completion(12, 20), 20, False, 60),
        (Completion(12, 20, 2), 18, False, 67),
        (Completion(18, 20, 2), 18, True, 100),
        (Completion(0, 20, 20), 0, False, 0),
        (Completion(0, 0), 0, False, 0),
    ],
)
def test_readiness_completion_leaves_out_not_applicable_items(
    completion, applicable, complete, percent
):
    assert (completion.applicable, completion.complete, completion.percent) == (
        applicable,
        complete,
        percent,
    )


@pytest.mark.parametrize(
    ("value", "target", "direction", "met"),
    [
        ("99.5", "99", "higher", True),
        ("99", "99", "higher", True),
        ("98.9", "99", "higher", False),
        ("0.5", "1", "lower", True),
        ("1", "1", "lower", True),
        ("1.2", "1", "lower", False),
    ],
)
def test_a_kpi_is_met_at_or_beyond_its_target(value, target, direction, met):
    assert kpi_met(Decimal(value), Decimal(target), direction) is met


@pytest.mark.parametrize(
    ("text", "month"),
    [
        ("2026-04", datetime.date(2026, 4, 1)),
        ("2026/4", datetime.date(2026, 4, 1)),
        ("2026年4月", datetime.date(2026, 4, 1)),
        ("２０２６－０４", datetime.date(2026, 4, 1)),
        (" 2026-12 ", datetime.date(2026, 12, 1)),
        ("2026-13", None),
        ("2026-00", None),
        ("04/2026", None),
        ("April", None),
        ("2026-04-01", None),
        ("", None),
    ],
)
def test_months_as_people_type_them(text, month):
    assert parse_month(text) == month


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("95", Decimal(95)),
        ("1,234.5", Decimal("1234.5")),
        ("９８．５", Decimal("98.5")),
        ("-3", Decimal(-3)),
        ("abc", None),
        ("12a", None),
        ("NaN", None),
        ("Infinity", None),
        ("", None),
    ],
)
def test_figures_as_people_type_them(text, number):
    assert parse_number(text) == number


def test_rank_problems_name_each_rank_given_twice():
    assert rank_problems({"cost": 1, "quality": 2, "speed": 3, "depersonalisation": 4}) == []
    assert rank_problems({"cost": 1, "quality": 1, "speed": 2, "depersonalisation": 2}) == [
        (1, ["cost", "quality"]),
        (2, ["speed", "depersonalisation"]),
    ]


# --- the stepper on the pages ----------------------------------------------------------------


def seen_of(page: str) -> str:
    """The stamp of the page's form (empty while nothing has been saved)."""
    match = re.search(r'name="seen"(?: value="([^"]*)")?', page)
    assert match, "no stamp"
    return match[1] or ""


def stepper(page: str) -> str:
    return page.split('<ol class="stepper">')[1].split("</ol>")[0]


@pytest.mark.django_db
def test_every_assessment_page_shows_the_stepper_with_the_next_step_current(
    manager_client, assessment
):
    for name in ["assessment_detail", "inventory", "check_grid", "packages", "workflow_goals"]:
        page = manager_client.get(reverse(name, args=[assessment.pk])).content.decode()
        steps = stepper(page)
        assert steps.count('aria-current="step"') == 1, name
        assert 'data-step="goals" data-state="current" aria-current="step"' in steps
        assert "Rank the four goals" in steps and "2 tasks have no verdict yet" in steps
        assert reverse("workflow_readiness", args=[assessment.pk]) in steps


@pytest.mark.django_db
def test_the_facts_take_the_same_queries_for_a_small_and_a_large_assessment(
    assessment, company_a, manager
):
    def count(target: Assessment) -> int:
        with CaptureQueriesContext(connection) as queries:
            workflow_facts(target)
        return len(queries)

    def evaluated(name: str, tasks: int, vendors: int) -> Assessment:
        """`tasks` tasks in a BPO package, `vendors` certified vendors evaluated, a KPI."""
        target = Assessment.objects.start(organisation=company_a, name=name)
        Task.objects.bulk_create(
            build_task(
                target,
                position=i,
                department="HR",
                process="P",
                task=f"T{i}",
                category="hr",
            )
            for i in range(tasks)
        )
        target.recompute_results()
        package = make_package(target, "bpo", "BPO")
        target.tasks.update(package=package)
        for number in range(vendors):
            vendor = make_certified_vendor(f"{name} V{number}", ["bpo"], "isms")
            bid = Bid.objects.create(package=package, vendor=vendor)
            Evaluation.objects.create(bid=bid, evaluator=manager, submitted_at=timezone.now())
        Kpi.objects.create(assessment=target, name="K", target=1)
        return target

    # The counts, then the packages; with evaluated vendors, their bids, and for bids holding no
    # registry entry (made as an old export has them), the certifications and security checks.
    assert count(assessment) == 2
    small, large = evaluated("Small", 2, 1), evaluated("Large", 40, 5)
    assert count(small) == count(large) == 5
    assert workflow_facts(large).packages_with_vendor == 1


@pytest.mark.django_db
def test_step_4_counts_only_vendors_the_knock_outs_leave_in(assessment, manager):
    package = Package.objects.create(assessment=assessment, name="BPO", model="bpo")
    assessment.tasks.update(package=package, confidentiality="personal")

    def evaluate(vendor: Vendor, submitted: bool = True) -> None:
        bid, _new = Bid.invite(package, vendor)
        Evaluation.objects.create(
            bid=bid, evaluator=manager, submitted_at=timezone.now() if submitted else None
        )

    evaluate(Vendor.objects.create(name="No BPO", services=["ito"]))
    evaluate(Vendor.objects.create(name="No certification", services=["bpo"]))
    expired = Vendor.objects.create(name="Expired", services=["bpo"])
    Certification.objects.create(vendor=expired, kind="pmark", expires_on="2020-01-01")
    evaluate(expired)
    draft_only = Vendor.objects.create(name="Draft only", services=["bpo"])
    Certification.objects.create(vendor=draft_only, kind="isms")
    evaluate(draft_only, submitted=False)
    assert workflow_facts(assessment).packages_with_vendor == 0
    certified = Vendor.objects.create(name="Certified", services=["bpo"])
    Certification.objects.create(vendor=certified, kind="isms")
    evaluate(certified)
    facts = workflow_facts(assessment)
    assert (facts.packages, facts.packages_with_vendor) == (1, 1)


# --- step 1: goals ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_goals_are_ranked_and_the_step_is_done(manager_client, assessment, manager):
    url = reverse("workflow_goals", args=[assessment.pk])
    response = manager_client.post(url, goals_form(), follow=True)
    assert "Goals saved." in response.content.decode()
    goals = Goals.objects.get(assessment=assessment)
    assert [label for _rank, label, _note in goals.ranking()] == [
        "Cost",
        "De-personalisation (属人化の解消)",
        "Quality",
        "Speed",
    ]
    assert goals.process_improvement and not goals.tools and goals.updated_by == manager
    assert 'data-step="goals" data-state="done"' in stepper(response.content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"speed_rank": "1"}, "Rank 1 is given to Cost, Speed: give each goal a different rank."),
        ({"quality_rank": ""}, "Give “Quality” a rank from 1 to 4."),
        ({"quality_rank": "5"}, "Select a valid choice. 5 is not one of the available choices."),
        ({"cost_rank": "one"}, "Select a valid choice."),
    ],
)
def test_bad_goal_ranks_are_explained_and_nothing_is_saved(
    manager_client, assessment, overrides, message
):
    url = reverse("workflow_goals", args=[assessment.pk])
    response = manager_client.post(url, goals_form(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Goals.objects.exists()


@pytest.mark.django_db
def test_goals_saved_meanwhile_by_someone_else_are_not_overwritten(
    manager_client, consultant_client, assessment
):
    url = reverse("workflow_goals", args=[assessment.pk])
    manager_client.post(url, goals_form())
    seen = seen_of(manager_client.get(url).content.decode())
    consultant_client.post(url, goals_form(cost_rank="2", depersonalisation_rank="1", seen=seen))
    response = manager_client.post(url, goals_form(quality_rank="1", cost_rank="3", seen=seen))
    assert "saved the goals while you were editing them" in response.content.decode()
    assert Goals.objects.get().depersonalisation_rank == 1  # the consultant's
    fresh = seen_of(response.content.decode())
    manager_client.post(url, goals_form(quality_rank="1", cost_rank="3", seen=fresh))
    assert Goals.objects.get().quality_rank == 1  # saving again is a deliberate choice


@pytest.mark.django_db
def test_a_viewer_reads_the_goals_without_a_form(manager_client, viewer_client, assessment):
    url = reverse("workflow_goals", args=[assessment.pk])
    manager_client.post(url, goals_form())
    page = viewer_client.get(url).content.decode()
    assert "Only Sato-san can close the month" in page and 'id="goals-form"' not in page
    assert viewer_client.post(url, goals_form()).status_code == 403


# --- step 5: readiness -----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_readiness_grid_saves_and_counts_not_applicable_items_out(
    manager_client, assessment, manager
):
    version = assessment.readiness_version
    url = reverse("workflow_readiness", args=[assessment.pk])
    response = manager_client.post(
        url,
        readiness_form(
            version,
            R01=("Hanako", "done", "Agreed at the board"),
            R02=("Kenji", "in_progress", ""),
            R17=("", "not_applicable", "The vendor does all work itself"),
        ),
        follow=True,
    )
    page = response.content.decode()
    assert "3 items updated." in page
    assert "1 / 23 done" in page and "1 item not applicable" in page
    entries = {e.item.code: e for e in ReadinessEntry.objects.select_related("item")}
    assert set(entries) == {"R01", "R02", "R17"}  # untouched items are not written
    assert entries["R01"].owner == "Hanako" and entries["R01"].updated_by == manager
    assert "1 / 23 readiness items done" in stepper(page)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("row", "message"),
    [
        (("x" * 101, "done", ""), "R05 owner: Ensure this value has at most 100 characters"),
        (("Hanako", "finished", ""), "R05 status: Select a valid choice."),
        (("Hanako", "done", "x" * 1001), "R05 note: Ensure this value has at most 1000"),
    ],
)
def test_one_bad_row_saves_nothing(manager_client, assessment, row, message):
    version = assessment.readiness_version
    url = reverse("workflow_readiness", args=[assessment.pk])
    data = readiness_form(version, R01=("Hanako", "done", ""), R05=row)
    response = manager_client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 200 and message in page
    assert "Nothing was saved" in page
    assert not ReadinessEntry.objects.exists()


@pytest.mark.django_db
def test_a_change_made_meanwhile_is_not_overwritten(manager_client, consultant_client, assessment):
    version = assessment.readiness_version
    url = reverse("workflow_readiness", args=[assessment.pk])
    seen = seen_of(manager_client.get(url).content.decode())
    consultant_client.post(
        url, {**readiness_form(version, R03=("Kenji", "done", "")), "seen": seen}
    )
    response = manager_client.post(
        url, {**readiness_form(version, R01=("Hanako", "done", "")), "seen": seen}
    )
    assert "Someone changed these items while you were editing: R03 (Done, kenji)" in (
        response.content.decode()
    )
    assert list(ReadinessEntry.objects.values_list("item__code", flat=True)) == ["R03"]


@pytest.mark.django_db
def test_completion_is_shown_as_done_when_every_applicable_item_is(manager_client, assessment):
    version = assessment.readiness_version
    rows = {item.code: ("Hanako", "done", "") for item in version.items.all()}
    rows["R19"] = ("", "not_applicable", "")
    manager_client.post(
        reverse("workflow_readiness", args=[assessment.pk]), readiness_form(version, **rows)
    )
    page = manager_client.get(reverse("assessment_detail", args=[assessment.pk])).content.decode()
    assert 'data-step="transition" data-state="done"' in stepper(page)


@pytest.mark.django_db
def test_an_assessment_without_a_readiness_version_is_pinned_on_its_first_save(
    manager_client, assessment
):
    Assessment.objects.filter(pk=assessment.pk).update(readiness_version=None)
    assessment.refresh_from_db()
    latest = ReadinessVersion.objects.latest_published()
    assert readiness_version_of(assessment) == latest  # read: the latest, nothing written
    url = reverse("workflow_readiness", args=[assessment.pk])
    manager_client.get(url)
    assessment.refresh_from_db()
    assert assessment.readiness_version is None
    manager_client.post(url, readiness_form(latest, R01=("Hanako", "done", "")))
    assessment.refresh_from_db()
    assert assessment.readiness_version == latest


# --- readiness versions ----------------------------------------------------------------------


@pytest.mark.django_db
def test_version_1_is_the_twenty_items_of_the_defaults():
    version = ReadinessVersion.objects.get(number=1)
    assert version.problems() == []
    assert version.as_domain() == defaults.READINESS_V1
    assert len(defaults.READINESS_V1) == 20
    for item in version.items.all():
        assert item.text_ja and item.text_en and item.help_ja and item.help_en


@pytest.mark.django_db
def test_version_2_adds_the_personal_data_duties_and_new_assessments_pin_it(company_a, assessment):
    """Migration 0016: v1's items as they are, then R21–R24 (個人情報保護法, 番号法)."""
    v1, v2 = ReadinessVersion.objects.get(number=1), ReadinessVersion.objects.get(number=2)
    assert ReadinessVersion.objects.latest_published() == v2 and v2.problems() == []
    assert v2.as_domain() == defaults.READINESS and len(defaults.READINESS) == 24
    assert [item.code for item in v2.items.all()][20:] == ["R21", "R22", "R23", "R24"]
    for old, new in zip(v1.items.all(), v2.items.all(), strict=False):
        assert (old.code, old.text_ja, old.text_en) == (new.code, new.text_ja, new.text_en)
    texts = {item.code: item.text_ja + item.help_ja for item in v2.items.all()}
    assert "第25条" in texts["R21"] and "第26条" in texts["R22"]
    assert "第28条" in texts["R23"] and "番号法" in texts["R24"]
    for item in v2.items.all():
        assert item.text_ja and item.text_en and item.help_ja and item.help_en
    assert assessment.readiness_version == v2
    pinned = Assessment.objects.start(organisation=company_a, name="Pinned to v1")
    Assessment.objects.filter(pk=pinned.pk).update(readiness_version=v1)
    pinned.refresh_from_db()
    newer = Assessment.objects.start(organisation=company_a, name="Started after 0016")
    assert newer.readiness_version == v2 and pinned.readiness_version == v1


@pytest.mark.django_db
def test_the_migration_adds_only_the_missing_duties_to_the_latest_version(admin_user):
    """Run where v2 exists, 0016 publishes nothing more; over an administrator's own newer
    version lacking R24, it publishes the next one with that version's items and R24."""
    from django.apps import apps

    module = importlib.import_module("assessments.migrations.0016_publish_readiness_personal_data")
    count = ReadinessVersion.objects.count()
    module.publish_defaults(apps, None)
    assert ReadinessVersion.objects.count() == count
    own = ReadinessVersion.objects.get(number=2).copy_as_draft()
    own.items.filter(code="R24").delete()
    own.items.filter(code="R01").update(text_en="Reworded by the administrator")
    own.publish(admin_user)
    module.publish_defaults(apps, None)
    latest = ReadinessVersion.objects.latest_published()
    assert latest.number == own.number + 1
    codes = [item.code for item in latest.items.all()]
    assert codes[-1] == "R24" and len(codes) == 24
    assert latest.items.get(code="R01").text_en == "Reworded by the administrator"


@pytest.mark.django_db
def test_publishing_v3_changes_nothing_for_an_assessment_pinned_to_v2(
    manager_client, assessment, company_a, admin_user
):
    v2 = ReadinessVersion.objects.get(number=2)  # the newest when the assessment started
    assert assessment.readiness_version == v2
    manager_client.post(
        reverse("workflow_readiness", args=[assessment.pk]),
        readiness_form(v2, R01=("Hanako", "done", "")),
    )
    v3 = v2.copy_as_draft()
    v3.items.filter(code="R24").delete()
    ReadinessItem.objects.create(
        version=v3, code="R25", order=25, area="operation", text_ja="新しい項目", text_en="New item"
    )
    v3.publish(admin_user)
    assert v3.number == 3
    assessment.refresh_from_db()
    assert assessment.readiness_version == v2
    page = manager_client.get(reverse("workflow_readiness", args=[assessment.pk])).content.decode()
    assert 'id="item-R24"' in page and 'id="item-R25"' not in page
    assert "1 / 24 done" in page and "Checklist v2" in page
    newer = Assessment.objects.start(organisation=company_a, name="Started on v3")
    assert newer.readiness_version == v3


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("items", "problem", "message"),
    [
        ([], "no_items", "The checklist has no items: add at least one."),
        (
            [("R01", "x", "x"), ("r01", "y", "y")],
            "duplicate_codes:R01=r01",
            "Each item needs its own code; the same code is used twice: R01 / r01.",
        ),
        (
            [("R01", "x", "")],
            "missing_text:R01",
            "Every item needs its text in Japanese and in English: R01.",
        ),
    ],
)
def test_a_readiness_draft_that_cannot_be_published_says_why(
    admin_client, admin_user, items, problem, message
):
    draft = ReadinessVersion.objects.create()
    for order, (code, ja, en) in enumerate(items):
        ReadinessItem.objects.create(
            version=draft, code=code, order=order, area="scope", text_ja=ja, text_en=en
        )
    assert draft.problems() == [problem]
    with translation.override("en"), pytest.raises(ValidationError, match="Cannot publish"):
        draft.publish(admin_user)
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = admin_client.post(
        f"/administration/readiness/{draft.pk}/publish/", {"note": "x"}, follow=True
    )
    assert message in response.content.decode()
    draft.refresh_from_db()
    assert not draft.is_published and draft.number is None


@pytest.mark.django_db
def test_a_draft_is_copied_from_v1_and_v1_stays_read_only(admin_client):
    v1 = ReadinessVersion.objects.get(number=1)
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    changelist = reverse("admin:assessments_readinessversion_changelist")
    assert admin_client.get(changelist).status_code == 200
    page = admin_client.get(
        reverse("admin:assessments_readinessversion_change", args=[v1.pk])
    ).content.decode()
    assert 'name="_save"' not in page and "20 items" in page
    response = admin_client.post("/administration/readiness/start/", {"source": v1.pk})
    draft = ReadinessVersion.objects.get(number=None)
    assert response["Location"] == f"/administration/readiness/{draft.pk}/"
    assert draft.as_domain() == v1.as_domain() and draft.items.count() == 20


# --- step 6: KPIs and monthly actuals --------------------------------------------------------


@pytest.fixture
def kpis(assessment):
    on_time = Kpi.objects.create(
        assessment=assessment, name="On-time payroll", unit="%", target=Decimal(99), position=0
    )
    errors = Kpi.objects.create(
        assessment=assessment,
        name="Errors",
        unit="cases",
        target=Decimal(2),
        direction="lower",
        position=1,
    )
    return on_time, errors


def operation_url(assessment: Assessment, name: str = "workflow_operation") -> str:
    return reverse(name, args=[assessment.pk])


@pytest.mark.django_db
def test_a_kpi_is_added_edited_and_deleted(manager_client, assessment):
    package = Package.objects.create(assessment=assessment, name="BPO: HR", model="bpo")
    url = operation_url(assessment)
    manager_client.post(
        url,
        {
            "kpi-name": "First response",
            "kpi-unit": "hours",
            "kpi-target": "４",
            "kpi-direction": "lower",
            "kpi-package": package.pk,
        },
    )
    kpi = Kpi.objects.get()
    assert (kpi.target, kpi.direction, kpi.package) == (Decimal(4), "lower", package)
    assert kpi.target_text == "≤ 4 hours"
    manager_client.post(
        url,
        {"kpi": kpi.pk, "kpi-name": "First response", "kpi-target": "3", "kpi-direction": "lower"},
    )
    kpi.refresh_from_db()
    assert kpi.target == 3 and kpi.package is None
    manager_client.post(operation_url(assessment, "workflow_operation_delete"), {"kpi": kpi.pk})
    assert not Kpi.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kpi-name": "Errors", "kpi-target": "abc"}, "“abc” is not a number."),
        ({"kpi-name": "Errors", "kpi-target": ""}, "This field is required."),
        ({"kpi-name": "", "kpi-target": "3"}, "This field is required."),
        ({"kpi-name": "Errors", "kpi-target": "1e20"}, "“1e20” is too large."),
    ],
)
def test_a_bad_kpi_is_explained_and_not_saved(manager_client, assessment, data, message):
    response = manager_client.post(operation_url(assessment), {"kpi-direction": "higher", **data})
    assert response.status_code == 200 and message in response.content.decode()
    assert not Kpi.objects.exists()


@pytest.mark.django_db
def test_two_kpis_cannot_share_a_name(manager_client, assessment, kpis):
    response = manager_client.post(
        operation_url(assessment),
        {"kpi-name": "Errors", "kpi-target": "1", "kpi-direction": "lower"},
    )
    assert "There is already a KPI named “Errors”." in response.content.decode()
    assert Kpi.objects.count() == 2


@pytest.mark.django_db
def test_another_assessments_kpi_is_404(manager_client, assessment, company_a, kpis):
    other = Assessment.objects.start(organisation=company_a, name="Other")
    url = operation_url(other)
    assert manager_client.get(url, {"edit": kpis[0].pk}).status_code == 404
    delete = operation_url(other, "workflow_operation_delete")
    assert manager_client.post(delete, {"kpi": kpis[0].pk}).status_code == 404
    assert Kpi.objects.count() == 2


def last_month() -> str:
    first = timezone.localdate().replace(day=1)
    return f"{(first - datetime.timedelta(days=1)):%Y-%m}"


@pytest.mark.django_db
def test_monthly_actuals_show_met_and_missed(manager_client, assessment, kpis):
    on_time, errors = kpis
    url = operation_url(assessment, "workflow_actuals")
    response = manager_client.post(
        url,
        {
            "actuals-month": "2026-01",
            f"actuals-value_{on_time.pk}": "99.5",
            f"actuals-value_{errors.pk}": "3",
        },
        follow=True,
    )
    assert "January 2026: 2 figures recorded." in response.content.decode()
    manager_client.post(url, {"actuals-month": "2026年2月", f"actuals-value_{on_time.pk}": "98"})
    page = manager_client.get(operation_url(assessment)).content.decode()
    table = page.split('data-table="actuals"')[1]
    january = table.split('data-month="2026-01"')[1].split("</tr>")[0]
    february = table.split('data-month="2026-02"')[1].split("</tr>")[0]
    assert "99.5" in january and "✓ met" in january and "✗ missed" in january  # 3 errors > 2
    assert "98" in february and "✗ missed" in february and "—" in february
    assert table.index("2026-02") < table.index("2026-01")  # newest first
    assert 'data-step="operation" data-state="done"' in stepper(page)
    summary = page.split('data-table="kpis"')[1]
    assert "1 of 2" in summary and "0 of 1" in summary


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("month", "values", "message"),
    [
        (
            "2026-13",
            ("99", "1"),
            "“2026-13” is not a month: enter the year and month, e.g. 2026-04.",
        ),
        ("", ("99", "1"), "This field is required."),
        ("2026-01", ("99", "two"), "Errors: “two” is not a number."),
        ("2026-01", ("", ""), "Nothing was saved: enter a figure for at least one KPI."),
        ("2999-01", ("99", "1"), "January 2999 has not started yet"),
        (
            "2025-12",
            ("99", "1"),
            "Month: December 2025 is already recorded for On-time payroll",
        ),
    ],
)
def test_bad_actuals_are_explained_and_nothing_is_saved(
    manager_client, assessment, kpis, month, values, message
):
    on_time, errors = kpis
    KpiActual.objects.create(kpi=on_time, month=datetime.date(2025, 12, 1), value=100)
    response = manager_client.post(
        operation_url(assessment, "workflow_actuals"),
        {
            "actuals-month": month,
            f"actuals-value_{on_time.pk}": values[0],
            f"actuals-value_{errors.pk}": values[1],
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and message in page and "Nothing was saved" in page
    assert KpiActual.objects.count() == 1


@pytest.mark.django_db
def test_a_month_is_deleted_to_be_entered_again(manager_client, assessment, kpis):
    on_time, errors = kpis
    month = datetime.date(2026, 1, 1)
    KpiActual.objects.create(kpi=on_time, month=month, value=100)
    KpiActual.objects.create(kpi=errors, month=month, value=0)
    KpiActual.objects.create(kpi=errors, month=datetime.date(2026, 2, 1), value=0)
    delete = operation_url(assessment, "workflow_operation_delete")
    manager_client.post(delete, {"month": "2026-01"})
    assert list(KpiActual.objects.values_list("month", flat=True)) == [datetime.date(2026, 2, 1)]
    response = manager_client.post(delete, {"month": "nonsense"}, follow=True)
    assert "Choose a KPI or a month to delete." in response.content.decode()


@pytest.mark.django_db
def test_a_viewer_reads_the_actuals_without_forms(viewer_client, assessment, kpis):
    KpiActual.objects.create(kpi=kpis[0], month=datetime.date(2026, 1, 1), value=100)
    page = viewer_client.get(operation_url(assessment)).content.decode()
    assert "On-time payroll" in page and "✓ met" in page
    assert 'id="kpi-form"' not in page and 'id="actuals-form"' not in page
    post = viewer_client.post(
        operation_url(assessment, "workflow_actuals"),
        {"actuals-month": last_month(), f"actuals-value_{kpis[0].pk}": "1"},
    )
    assert post.status_code == 403 and KpiActual.objects.count() == 1


@pytest.mark.django_db
def test_readiness_status_choices_are_the_four_of_the_brief():
    assert ReadinessStatus.values == ["not_started", "in_progress", "done", "not_applicable"]


@pytest.mark.django_db
def test_a_recorded_month_is_said_even_when_a_figure_is_also_wrong(
    manager_client, assessment, kpis
):
    on_time, errors = kpis
    KpiActual.objects.create(kpi=on_time, month=datetime.date(2025, 12, 1), value=100)
    response = manager_client.post(
        operation_url(assessment, "workflow_actuals"),
        {
            "actuals-month": "2025-12",
            f"actuals-value_{on_time.pk}": "100",
            f"actuals-value_{errors.pk}": "x",
        },
    )
    page = response.content.decode()
    assert "December 2025 is already recorded for On-time payroll" in page
    assert "Errors: “x” is not a number." in page
    assert KpiActual.objects.count() == 1


@pytest.mark.django_db
def test_saving_an_unchanged_checklist_says_so(manager_client, assessment):
    url = reverse("workflow_readiness", args=[assessment.pk])
    response = manager_client.post(url, readiness_form(assessment.readiness_version), follow=True)
    assert "Nothing had changed." in response.content.decode()
    assert not ReadinessEntry.objects.exists()
