"""Packages stay true to their tasks (SPEC 4.5, issue 16): after an override, a move to newer
versions or an inventory change, Kenji (consultant) and Hanako (manager) see every task that no
longer fits its package on the packages page and in the stepper, each with a one-step fix, and
delete the packages they no longer need. The rules are table-tested first, without a database."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from assessments.domain import packages as sourcing
from assessments.domain.packages import Action, Fix, Misfit, Problem, Why
from assessments.models import Assessment, Kpi, Package, RfpDraft, Task
from assessments.models.assessment import purge_trash
from assessments.models.versions import (
    RuleTableVersion,
)
from assessments.reporting.progress import workflow_facts
from outsourcing_advisor.history.models import Action as HistoryAction
from outsourcing_advisor.history.models import Event, SubjectType
from tests.factories import OUTSOURCEABLE, make_package, make_task
from tests.helpers import confirm_version_move
from tests.helpers import package_url as url
from vendors.models import Bid, Evaluation

pytestmark = pytest.mark.django_db

# --- the rules (no database) ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "verdict", "package_model", "expected"),
    [
        ("bpo", "non_core", "bpo", None),
        ("dispatch", "non_core", "dispatch", None),
        ("bpo", "core", "bpo", None),  # a consultant's override of a core task is their choice
        ("bpo", "incomplete", "bpo", None),  # likewise of a task whose check is incomplete
        ("kpo", "non_core", "bpo", Misfit(Problem.MODEL_CHANGED, "kpo", "bpo")),
        ("kpo", "borderline", "ito", Misfit(Problem.MODEL_CHANGED, "kpo", "ito")),
        ("dispatch", "non_core", "bpo", Misfit(Problem.MODEL_CHANGED, "dispatch", "bpo")),
        ("bpo", "non_core", "dispatch", Misfit(Problem.MODEL_CHANGED, "bpo", "dispatch")),
        (
            "in_house",
            "non_core",
            "bpo",
            Misfit(Problem.NOT_CANDIDATE, "in_house", "bpo", Why.IN_HOUSE),
        ),
        ("in_house", "core", "ito", Misfit(Problem.NOT_CANDIDATE, "in_house", "ito", Why.CORE)),
        ("", "incomplete", "bpo", Misfit(Problem.NOT_CANDIDATE, "", "bpo", Why.INCOMPLETE)),
        ("", "", "kpo", Misfit(Problem.NOT_CANDIDATE, "", "kpo", Why.INCOMPLETE)),  # unchecked
        (  # a package of no outsourcing model (made by hand): nothing fits it
            "in_house",
            "core",
            "in_house",
            Misfit(Problem.NOT_CANDIDATE, "in_house", "in_house", Why.CORE),
        ),
    ],
)
def test_what_is_wrong_with_a_task_in_its_package(model, verdict, package_model, expected):
    assert sourcing.misfit(model, verdict, package_model) == expected


@pytest.mark.parametrize(
    ("model", "package_model", "apart"),
    [
        ("kpo", "bpo", False),
        ("dispatch", "bpo", True),  # staffing in an outsourcing package
        ("ito", "dispatch", True),  # and the reverse
    ],
)
def test_staffing_and_outsourcing_stay_apart(model, package_model, apart):
    assert Misfit(Problem.MODEL_CHANGED, model, package_model).kinds_apart is apart


PACKAGES = [(10, "bpo"), (11, "ito"), (12, "bpo"), (13, "dispatch")]


@pytest.mark.parametrize(
    ("misfit", "fix", "key"),
    [
        (Misfit(Problem.MODEL_CHANGED, "ito", "bpo"), Fix(Action.MOVE, "ito", 11), "move:11"),
        # The first package of the model, in the packages' order.
        (Misfit(Problem.MODEL_CHANGED, "bpo", "ito"), Fix(Action.MOVE, "bpo", 10), "move:10"),
        (
            Misfit(Problem.MODEL_CHANGED, "dispatch", "bpo"),
            Fix(Action.MOVE, "dispatch", 13),
            "move:13",
        ),
        (Misfit(Problem.MODEL_CHANGED, "kpo", "bpo"), Fix(Action.CREATE, "kpo"), "create:kpo"),
        (
            Misfit(Problem.NOT_CANDIDATE, "in_house", "bpo", Why.CORE),
            Fix(Action.REMOVE),
            "remove",
        ),
        (Misfit(Problem.NOT_CANDIDATE, "", "bpo", Why.INCOMPLETE), Fix(Action.REMOVE), "remove"),
    ],
)
def test_each_misfit_has_one_fix(misfit, fix, key):
    found = sourcing.fix_for(misfit, PACKAGES)
    assert (found, found.key) == (fix, key)


@pytest.mark.parametrize(
    ("misfit", "words"),
    [
        (Misfit(Problem.MODEL_CHANGED, "kpo", "bpo"), "Now KPO, but the package is BPO."),
        (
            Misfit(Problem.MODEL_CHANGED, "dispatch", "bpo"),
            "Now Dispatch (temporary staff), external staffing: it cannot stay in an "
            "outsourcing package (BPO).",
        ),
        (
            Misfit(Problem.MODEL_CHANGED, "ito", "dispatch"),
            "Now ITO, outsourcing: it cannot stay in a staffing package "
            "(Dispatch (temporary staff)).",
        ),
        (
            Misfit(Problem.NOT_CANDIDATE, "in_house", "bpo", Why.IN_HOUSE),
            "Now in-house: it is no longer to be put out.",
        ),
        (
            Misfit(Problem.NOT_CANDIDATE, "in_house", "bpo", Why.CORE),
            "Now core: it stays in-house.",
        ),
        (
            Misfit(Problem.NOT_CANDIDATE, "", "bpo", Why.INCOMPLETE),
            "Its check is incomplete: it has no model and is not to be put out yet.",
        ),
    ],
)
def test_a_misfit_in_words(misfit, words):
    with translation.override("en"):
        assert sourcing.misfit_words(misfit) == words


@pytest.mark.parametrize(
    ("fix", "target", "words"),
    [
        (Fix(Action.MOVE, "kpo", 3), "KPO: 経理部", "Move to “KPO: 経理部”"),
        (Fix(Action.CREATE, "kpo"), "", "Create a KPO package and move it there"),
        (Fix(Action.REMOVE), "", "Take it out of the package"),
    ],
)
def test_a_fix_in_words(fix, target, words):
    with translation.override("en"):
        assert sourcing.fix_words(fix, target) == words


def test_the_fixes_stamp_names_what_would_be_done_in_any_order():
    payroll = sourcing.Flag(1, 10, Misfit(Problem.MODEL_CHANGED, "kpo", "bpo"), Fix(Action.CREATE))
    helpdesk = sourcing.Flag(2, 11, Misfit(Problem.NOT_CANDIDATE, "", "ito"), Fix(Action.REMOVE))
    moved = sourcing.Flag(1, 10, payroll.misfit, Fix(Action.MOVE, "kpo", 14))
    assert sourcing.fixes_stamp([payroll, helpdesk]) == sourcing.fixes_stamp([helpdesk, payroll])
    assert sourcing.fixes_stamp([payroll, helpdesk]) != sourcing.fixes_stamp([moved, helpdesk])
    assert sourcing.fixes_stamp([payroll]) != sourcing.fixes_stamp([])


@pytest.mark.parametrize(
    ("stamp", "tasks", "changed"),
    [
        (sourcing.scope_stamp([3, 1, 2]), [1, 2, 3], False),  # the order does not matter
        (sourcing.scope_stamp([1, 2, 3]), [1, 2], True),  # a task left
        (sourcing.scope_stamp([1, 2]), [1, 2, 4], True),  # a task joined
        ("", [1, 2], False),  # given before scopes were stamped: never flagged
    ],
)
def test_a_scope_changes_when_the_package_holds_other_tasks(stamp, tasks, changed):
    assert sourcing.scope_changed(stamp, sourcing.scope_stamp(tasks)) is changed


# --- the stepper counts what the page shows ------------------------------------------------------


def test_the_stepper_counts_exactly_the_tasks_the_page_flags(company_a):
    """The stepper's count is the domain's rule written as SQL: both agree on every case."""
    assessment = Assessment.objects.start(organisation=company_a, name="Cases")
    packages = {model: make_package(assessment, model, model) for model in ("bpo", "dispatch")}
    outsourceable = {**OUTSOURCEABLE, "category": "hr", "minutes": Decimal(120)}
    core = {"category": "planning", "answers": {"C1": "yes", "C2": "yes"}}
    cases = [  # (attributes, override, package)
        (outsourceable, "", "bpo"),  # fits
        (outsourceable, "kpo", "bpo"),  # model changed
        (outsourceable, "dispatch", "bpo"),  # into staffing
        (outsourceable, "bpo", "dispatch"),  # out of staffing
        (outsourceable, "in_house", "bpo"),  # in-house
        (core, "", "bpo"),  # core
        (core, "bpo", "bpo"),  # core, overridden: fits
        ({"category": "other"}, "", "bpo"),  # incomplete
        ({"category": "other"}, "", None),  # incomplete, in no package: nothing to flag
    ]
    for position, (attributes, override, package) in enumerate(cases):
        task = make_task(
            assessment,
            position=position,
            task=f"T{position}",
            package=packages.get(package or ""),
            **attributes,
        )
        if override:
            task.set_override(override, "Agreed with the client.", None)
    assessment.recompute_results()
    unchecked = make_task(assessment, position=99, task="Unchecked", package=packages["bpo"])
    assert not hasattr(unchecked, "result")
    flagged = [m.task.task for m in assessment.misplaced_tasks()]
    assert flagged == ["T1", "T2", "T4", "T5", "T7", "Unchecked", "T3"]
    assert workflow_facts(assessment).misplaced_tasks == len(flagged)
    assert [m.task.task for m in packages["dispatch"].misplaced_tasks()] == ["T3"]


# --- through the pages ---------------------------------------------------------------------------


def override(client, task: Task, model: str) -> None:
    response = client.post(
        reverse("task_override", args=[task.assessment_id, task.pk]),
        {"override-model": model, "override-justification": "Agreed with the client."},
    )
    assert response.status_code == 302


def packages_page(client, assessment: Assessment) -> str:
    response = client.get(url("packages", assessment))
    assert response.status_code == 200
    return response.content.decode()


def flagged_rows(page: str) -> dict[str, str]:
    """Each flagged task's row of the page's list of misfits, by task name."""
    if 'id="misplaced"' not in page:
        return {}
    table = page.split('data-table="misplaced"')[1].split("</table>")[0]
    rows = table.split("<tr id=")[1:]
    return {re.search(r'">([^<]+)</a>', row)[1]: row for row in rows}


def fix_form(page: str, task: Task) -> dict[str, str]:
    """What the page's fix button of the task posts."""
    row = page.split(f'id="misplaced-{task.pk}"')[1].split("</tr>")[0]
    seen = re.search(r'name="seen" value="([^"]+)"', row)
    assert seen, "no fix form"
    return {"task": str(task.pk), "seen": seen[1]}


def fix_all_form(page: str, assessment: Assessment) -> dict[str, str]:
    form = page.split(f'action="{url("packages_fix_all", assessment)}"')[1]
    return {"seen": re.search(r'name="seen" value="([^"]+)"', form)[1]}


def stepper(page: str) -> str:
    return page.split('<ol class="stepper">')[1].split("</ol>")[0]


def task_named(assessment: Assessment, name: str) -> Task:
    return assessment.tasks.select_related("package").get(task=name)


def package_events(package_pk: int, action: str) -> list[Event]:
    return list(
        Event.objects.filter(subject_type=SubjectType.PACKAGE, subject_id=package_pk, action=action)
    )


def test_an_override_is_flagged_on_the_packages_page_and_in_the_stepper(
    consultant_client, checked, bpo
):
    payroll = task_named(checked, "Payroll")
    assert flagged_rows(packages_page(consultant_client, checked)) == {}
    override(consultant_client, payroll, "kpo")
    page = packages_page(consultant_client, checked)
    rows = flagged_rows(page)
    assert list(rows) == ["Payroll"]
    assert "Now KPO, but the package is BPO." in rows["Payroll"]
    assert "Create a KPO package and move it there" in rows["Payroll"]
    # In its package's table too: never a silent mismatch.
    card = page.split(f'id="package-{bpo.pk}"')[1].split("</section>")[0]
    assert f'href="#misplaced-{payroll.pk}" data-misplaced' in card
    steps = stepper(page)
    assert "1 task no longer fits its package" in steps
    scope = steps.split('data-step="scope"')[1].split("</li>")[0]
    assert 'data-warnings="1"' in scope and url("packages", checked) in scope


def test_each_fix_moves_creates_or_removes_and_is_recorded(consultant_client, consultant, checked):
    checked.create_packages()
    bpo, ito = checked.packages.get(model="bpo"), checked.packages.get(model="ito")
    payroll, invoices = task_named(checked, "Payroll"), task_named(checked, "Invoices")
    helpdesk = task_named(checked, "Helpdesk")
    override(consultant_client, payroll, "kpo")
    override(consultant_client, invoices, "kpo")
    override(consultant_client, helpdesk, "in_house")

    # Create: a KPO package for payroll.
    page = packages_page(consultant_client, checked)
    response = consultant_client.post(url("package_fix", checked), fix_form(page, payroll))
    assert response.status_code == 302 and response["Location"].endswith("#misplaced")
    kpo = checked.packages.get(model="kpo")
    assert task_named(checked, "Payroll").package == kpo
    assert kpo.name == "KPO: HR" and kpo.position == 2
    [created] = package_events(kpo.pk, HistoryAction.CREATED)
    assert created.actor == consultant and created.details["tasks"] == ["Payroll"]
    assert created.details["from"] == bpo.name
    assert package_events(bpo.pk, HistoryAction.TASKS_MOVED)[0].details["to"] == kpo.name

    # Move: invoices now has a KPO package to go to.
    page = packages_page(consultant_client, checked)
    assert "Move to “KPO: HR”" in flagged_rows(page)["Invoices"]
    response = consultant_client.post(
        url("package_fix", checked), fix_form(page, invoices), follow=True
    )
    assert "“Invoices” moved to “KPO: HR”." in response.content.decode()
    assert task_named(checked, "Invoices").package == kpo
    assert checked.packages.filter(model="kpo").count() == 1

    # Remove: the helpdesk is no longer to be put out.
    page = packages_page(consultant_client, checked)
    assert "Now in-house: it is no longer to be put out." in flagged_rows(page)["Helpdesk"]
    response = consultant_client.post(
        url("package_fix", checked), fix_form(page, helpdesk), follow=True
    )
    assert "“Helpdesk” taken out of “ITO: IT”." in response.content.decode()
    assert task_named(checked, "Helpdesk").package is None
    [removed] = package_events(ito.pk, HistoryAction.TASKS_MOVED)
    assert removed.details == {"tasks": ["Helpdesk"], "count": 1, "from": ito.name, "to": ""}

    page = packages_page(consultant_client, checked)
    assert flagged_rows(page) == {} and "no longer fit" not in stepper(page)
    # The emptied packages wait for a decision; the in-house helpdesk is not offered again.
    assert "Helpdesk (IT" not in page


def test_dispatch_leaves_an_outsourcing_package_for_a_staffing_one(
    manager_client, consultant_client, checked, bpo
):
    invoices = task_named(checked, "Invoices")
    override(consultant_client, invoices, "dispatch")
    page = packages_page(manager_client, checked)
    assert "it cannot stay in an outsourcing package (BPO)" in flagged_rows(page)["Invoices"]
    # Hanako (manager) may fix, as she may split and merge.
    manager_client.post(url("package_fix", checked), fix_form(page, invoices))
    staffing = checked.packages.get(model="dispatch")
    assert staffing.is_staffing and task_named(checked, "Invoices").package == staffing


def test_fix_all_applies_every_suggestion_at_once(consultant_client, checked, bpo):
    for name, model in (("Payroll", "kpo"), ("Invoices", "kpo"), ("Helpdesk", "in_house")):
        override(consultant_client, task_named(checked, name), model)
    page = packages_page(consultant_client, checked)
    assert "3 tasks no longer fit their packages" in page
    response = consultant_client.post(
        url("packages_fix_all", checked), fix_all_form(page, checked), follow=True
    )
    assert "3 tasks fixed." in response.content.decode()
    kpo = checked.packages.get(model="kpo")  # one package for both KPO tasks
    assert sorted(kpo.tasks.values_list("task", flat=True)) == ["Invoices", "Payroll"]
    assert task_named(checked, "Helpdesk").package is None
    assert flagged_rows(packages_page(consultant_client, checked)) == {}


def test_fixes_the_page_no_longer_offers_are_refused_all_or_nothing(
    consultant_client, manager_client, checked, bpo
):
    payroll, invoices = task_named(checked, "Payroll"), task_named(checked, "Invoices")
    override(consultant_client, payroll, "kpo")
    override(consultant_client, invoices, "kpo")
    page = packages_page(consultant_client, checked)
    # Meanwhile Hanako fixes payroll: invoices would now move to the new package, not make one.
    manager_client.post(url("package_fix", checked), fix_form(page, payroll))
    before = list(Task.objects.order_by("pk").values_list("pk", "package_id"))
    packages_before = checked.packages.count()
    for target, data in (
        ("package_fix", fix_form(page, invoices)),
        ("packages_fix_all", fix_all_form(page, checked)),
        ("package_fix", fix_form(page, payroll)),  # fixed already
    ):
        response = consultant_client.post(url(target, checked), data, follow=True)
        assert "nothing was changed" in response.content.decode()
    assert list(Task.objects.order_by("pk").values_list("pk", "package_id")) == before
    assert checked.packages.count() == packages_before


def test_moving_to_newer_versions_flags_the_tasks_whose_model_changed(consultant_client, company_a):
    """Started on the first rule table, a one-off tidy-up was crowdsourcing; the revised rules
    make it subcontract work (tests/assessments/test_revised_rules.py)."""
    assessment = Assessment.objects.start(organisation=company_a, name="Started on v1")
    assessment.rule_version = RuleTableVersion.objects.get(number=1)
    assessment.save()
    make_task(
        assessment,
        task="Tidy the customer list",
        **{
            **OUTSOURCEABLE,
            "category": "hr",
            "continuity": "one_off",
            "frequency": "yearly",
            "minutes": Decimal(600),
            "expertise": 1,
            "confidentiality": "internal",
            "deliverable_clear": "yes",
        },
    )
    assessment.recompute_results()
    assessment.create_packages()
    assert flagged_rows(packages_page(consultant_client, assessment)) == {}
    response = confirm_version_move(consultant_client, assessment)
    assert response.status_code == 302
    page = packages_page(consultant_client, assessment)
    row = flagged_rows(page)["Tidy the customer list"]
    assert "Now Subcontract, but the package is Crowdsourcing." in row
    assert "Create a Subcontract package and move it there" in row
    assert "1 task no longer fits its package" in stepper(page)


def test_a_changed_answer_that_makes_a_task_core_is_flagged(manager_client, checked, bpo):
    payroll = task_named(checked, "Payroll")
    manager_client.post(
        reverse("task_check", args=[checked.pk, payroll.pk]),
        {**payroll.answers, "C1": "yes", "C2": "yes", "go": "stay"},
    )
    assert (
        "Now core: it stays in-house."
        in flagged_rows(packages_page(manager_client, checked))["Payroll"]
    )


def test_a_viewer_sees_the_flags_but_fixes_nothing(viewer_client, consultant_client, checked, bpo):
    payroll = task_named(checked, "Payroll")
    override(consultant_client, payroll, "kpo")
    page = packages_page(viewer_client, checked)
    row = flagged_rows(page)["Payroll"]
    assert "Create a KPO package and move it there" in row and "<form" not in row
    assert url("packages_fix_all", checked) not in page
    assert url("package_delete", checked, bpo) not in page
    data = {"task": payroll.pk}
    assert viewer_client.post(url("package_fix", checked), data).status_code == 403
    assert viewer_client.post(url("packages_fix_all", checked)).status_code == 403
    assert task_named(checked, "Payroll").package == bpo


def test_an_outsider_fixes_nothing(outsider_client, consultant_client, checked, bpo):
    payroll = task_named(checked, "Payroll")
    override(consultant_client, payroll, "kpo")
    assert (
        outsider_client.post(url("package_fix", checked), {"task": payroll.pk}).status_code == 404
    )
    assert outsider_client.post(url("packages_fix_all", checked)).status_code == 404
    assert outsider_client.get(url("packages", checked)).status_code == 404
    assert task_named(checked, "Payroll").package == bpo


@pytest.mark.parametrize("task", ["999999", "", "payroll", "OTHER", "FOREIGN"])
def test_a_fix_of_a_task_not_of_this_assessment_is_404(
    consultant_client, checked, bpo, company_a, company_b, task
):
    override(consultant_client, task_named(checked, "Payroll"), "kpo")
    other = make_task(Assessment.objects.start(organisation=company_a, name="Other"), task="X")
    foreign = make_task(Assessment.objects.start(organisation=company_b, name="B"), task="Y")
    task = {"OTHER": str(other.pk), "FOREIGN": str(foreign.pk)}.get(task, task)
    before = list(Task.objects.order_by("pk").values_list("pk", "package_id"))
    response = consultant_client.post(url("package_fix", checked), {"task": task})
    assert response.status_code == 404
    assert list(Task.objects.order_by("pk").values_list("pk", "package_id")) == before


# --- moving a package to the trash (issue 18: it was deleted at once) ----------------------------


def test_an_empty_package_is_deleted_in_one_step(manager_client, manager, checked, bpo):
    spare = make_package(checked, "kpo", "KPO: spare", position=5)
    page = packages_page(manager_client, checked)
    card = page.split(f'id="package-{spare.pk}"')[1].split("</section>")[0]
    assert f'<form method="post" action="{url("package_delete", checked, spare)}"' in card
    response = manager_client.post(url("package_delete", checked, spare), follow=True)
    assert "Package “KPO: spare” moved to the trash" in response.content.decode()
    assert not Package.objects.filter(pk=spare.pk).exists()
    assert Package.with_trashed.get(pk=spare.pk).deleted_at is not None
    [event] = package_events(spare.pk, HistoryAction.TRASHED)
    assert (event.actor, event.subject_repr) == (manager, "KPO: spare")
    # Again (a second click): said so, nothing else happens.
    response = manager_client.post(url("package_delete", checked, spare), follow=True)
    assert "This package is no longer here" in response.content.decode()


def test_a_package_with_tasks_and_vendors_is_deleted_after_saying_what_goes(
    consultant_client, manager, checked, invited, bpo
):
    mirai_bid, _sakura_bid = invited
    Bid.objects.filter(pk=mirai_bid.pk).update(pricing_model="volume", monthly_fee=20000)
    for bid in invited:
        Evaluation.objects.create(bid=bid, evaluator=manager, submitted_at=timezone.now())
    RfpDraft.objects.create(package=bpo, language="en", sections={}, generated_at=timezone.now())
    kpi = Kpi.objects.create(assessment=checked, name="Payroll on time", target=99, package=bpo)
    delete_url = url("package_delete", checked, bpo)
    assert delete_url in packages_page(consultant_client, checked)  # a link to the page

    # Posting without the confirmation deletes nothing: the page says what would go.
    response = consultant_client.post(delete_url)
    assert response.status_code == 302 and response["Location"] == delete_url
    page = consultant_client.get(delete_url).content.decode()
    assert 'data-tasks="2"' in page and "Invoices" in page and "Payroll" in page
    assert 'data-vendors="2"' in page and "Mirai Outsourcing" in page
    assert 'data-quotes="1" data-evaluations="2"' in page
    assert "(1 quote, 2 evaluations)" in page
    assert "data-rfp" in page and "Payroll on time" in page
    assert Package.objects.filter(pk=bpo.pk).exists()

    seen = re.search(r'name="seen" value="([^"]+)"', page)[1]
    response = consultant_client.post(delete_url, {"seen": seen}, follow=True)
    assert response.status_code == 200
    assert not Package.objects.filter(pk=bpo.pk).exists()
    # In the trash, its vendors, their quotes and evaluations and its RFP draft stay with it.
    assert Bid.objects.count() == 2 and Evaluation.objects.count() == 2
    assert RfpDraft.objects.filter(package=bpo).exists()
    kpi.refresh_from_db()
    assert kpi.package is None
    assert set(checked.tasks.filter(package=None).values_list("task", flat=True)) >= {
        "Payroll",
        "Invoices",
    }
    # The tasks are waiting to be packaged again.
    assert "Recommended for a vendor, in no package" in response.content.decode()
    [event] = package_events(bpo.pk, HistoryAction.TRASHED)
    assert event.details["vendors"] == ["Mirai Outsourcing", "Sakura Business"]
    history = consultant_client.get(reverse("assessment_history", args=[checked.pk]))
    text = history.content.decode()
    assert (
        "Its invited vendors stay with it, with their quotes and evaluations: Mirai "
        "Outsourcing, Sakura Business. Their links do not work while it is in the trash." in text
    )
    assert "From BPO: HR, Accounting to no package" in text
    # Deleted for good after 30 days (purge_trash): what went with it is said then.
    Package.with_trashed.filter(pk=bpo.pk).update(deleted_at=timezone.now() - timedelta(days=31))
    purge_trash()
    assert not Bid.objects.exists() and not Evaluation.objects.exists()
    assert not RfpDraft.objects.exists()
    text = consultant_client.get(reverse("assessment_history", args=[checked.pk])).content.decode()
    assert (
        "Invitations deleted with it: Mirai Outsourcing, Sakura Business "
        "(1 quote, 2 evaluations)." in text
    )
    assert "Its RFP draft was deleted with it." in text


def test_a_confirmation_over_a_package_that_changed_is_refused(
    consultant_client, checked, bpo, mirai
):
    delete_url = url("package_delete", checked, bpo)
    seen = re.search(
        r'name="seen" value="([^"]+)"', consultant_client.get(delete_url).content.decode()
    )[1]
    Bid.invite(bpo, mirai)  # someone invites a vendor meanwhile
    response = consultant_client.post(delete_url, {"seen": seen}, follow=True)
    page = response.content.decode()
    assert "What the package holds changed since the page was shown" in page
    assert 'data-vendors="1"' in page  # shown again, with what goes now
    assert Package.objects.filter(pk=bpo.pk).exists() and bpo.bids.count() == 1


def test_a_viewer_and_an_outsider_cannot_delete_a_package(
    viewer_client, outsider_client, checked, bpo
):
    delete_url = url("package_delete", checked, bpo)
    assert viewer_client.get(delete_url).status_code == 403
    assert viewer_client.post(delete_url, {"seen": "x"}).status_code == 403
    assert outsider_client.get(delete_url).status_code == 404
    assert outsider_client.post(delete_url).status_code == 404
    assert Package.objects.filter(pk=bpo.pk).exists()


def test_a_package_of_another_organisation_cannot_be_deleted(
    consultant_client, checked, bpo, company_b
):
    foreign = make_package(Assessment.objects.start(organisation=company_b, name="B"), "bpo", "F")
    # Kenji is a consultant of company B too: through company A's assessment it is not there.
    assert consultant_client.get(url("package_delete", checked, foreign)).status_code == 404
    assert consultant_client.post(url("package_delete", checked, foreign)).status_code == 404
    assert Package.objects.filter(pk=foreign.pk).exists()
