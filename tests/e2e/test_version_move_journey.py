"""Kenji (consultant) moves an assessment to newer checklist and rule versions in a real browser
(issue 18): the versions page says which tasks change and why, he confirms, the move is in the
history, he moves back and the results are as before; moved again, Hanako changes an answer, and
the page tells him why moving back is no longer possible."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from assessments.models import Assessment, TaskResult
from outsourcing_advisor.accounts.models import Organisation, Role
from outsourcing_advisor.history.models import Action, Event, SubjectType
from tests.e2e.browser import save_screenshot, sign_in
from tests.factories import NON_CORE, OUTSOURCEABLE, make_member, make_task, publish_newer_versions
from tests.helpers import restore_published_defaults

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture
def pinned_to_published(transactional_db) -> Assessment:
    """Payroll (non-core at 69.4, BPO) and a market report (expertise 3 analysis: KPO), in an
    assessment pinned to the published versions; then newer ones are published."""
    restore_published_defaults()
    organisation = Organisation.objects.create(name="Sakura Trading")
    make_member("hanako", organisation, Role.MANAGER)
    make_member("kenji", organisation, Role.CONSULTANT)
    assessment = Assessment.objects.start(organisation=organisation, name="Back office 2026")
    make_task(
        assessment, department="HR", process="Payroll", task="Run payroll", category="hr",
        minutes=Decimal(600), **OUTSOURCEABLE,
    )  # fmt: skip
    make_task(
        assessment, department="Sales", process="Reporting", task="Market report",
        category="analysis", minutes=Decimal(300),
        **{**OUTSOURCEABLE, "expertise": 3, "answers": {**NON_CORE, "C4": "yes"}},
    )  # fmt: skip
    assessment.recompute_results()
    publish_newer_versions(User.objects.create_superuser("admin", password="x"))
    return assessment


def results(assessment: Assessment) -> dict[str, tuple]:
    rows = TaskResult.objects.filter(task__assessment=assessment).select_related("task")
    return {r.task.task: (r.verdict, r.model, r.suitability, r.detail) for r in rows}


def test_kenji_moves_to_newer_versions_and_back(page, live_server, pinned_to_published):
    base, assessment = live_server.url, pinned_to_published
    before = results(assessment)
    shots = os.environ.get("E2E_SCREENSHOTS")
    sign_in(page, base, "kenji")
    page.goto(f"{base}/assessments/{assessment.pk}/check/")
    page.get_by_role("link", name="Checklist and rules").click()

    diff = page.locator("[data-version-diff]")
    assert page.locator("[data-changed-tasks]").get_attribute("data-changed-tasks") == "2"
    text = diff.inner_text()
    assert "Non-core → Borderline" in text and "Run payroll" in text
    assert (
        "now applies only when Skill the work needs is 4 or more; "
        "this task: Skill the work needs 3."
    ) in text
    assert "Rule 4 (KPO) changes its conditions" in text and "[[" not in text
    if shots:
        save_screenshot(page, "versions-diff", folder=Path(shots))
    page.get_by_role("button", name="Confirm and move to the newer versions").click()

    assert (
        "The assessment now uses Checklist v3"
        in page.locator("[role=status].alert-success").inner_text()
    )
    assert page.locator("[data-newest]").is_visible()
    assert results(assessment)["Market report"][1] == "bpo"
    page.get_by_role("link", name="History").click()
    assert "Tasks whose verdict changed: 1; whose recommended model changed: 1." in (
        page.locator("main").inner_text()
    )

    page.goto(f"{base}/assessments/{assessment.pk}/versions/")
    page.get_by_role("button", name="Move back to the previous versions").click()
    assert "before the move again" in page.locator("[role=status].alert-success").inner_text()
    assert results(assessment) == before
    assert [e.action for e in Event.objects.filter(subject_type=SubjectType.VERSIONS)] == [
        Action.UNDONE,
        Action.CHANGED,
    ]

    # Moved again; Hanako answers a question meanwhile: moving back is no longer offered.
    page.get_by_role("button", name="Confirm and move to the newer versions").click()
    page.locator("form[action='/accounts/logout/'] button").click()
    sign_in(page, base, "hanako")
    payroll = assessment.tasks.get(task="Run payroll")
    page.goto(f"{base}/assessments/{assessment.pk}/tasks/{payroll.pk}/check/")
    page.locator("fieldset[data-code=C7] label[for=id_C7_1]").click()  # partly
    page.get_by_role("button", name="Save", exact=True).click()
    page.locator("form[action='/accounts/logout/'] button").click()
    sign_in(page, base, "kenji")
    page.goto(f"{base}/assessments/{assessment.pk}/versions/")
    blocked = page.locator("[data-move-back-blocked]").inner_text()
    assert "after the move, hanako changed Check answers" in blocked
    assert page.get_by_role("button", name="Move back to the previous versions").count() == 0
    if shots:
        save_screenshot(page, "versions-blocked", folder=Path(shots))
