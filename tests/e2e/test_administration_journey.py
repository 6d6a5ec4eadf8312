"""Aoki, a site administrator, changes a question's weight in a real browser (issue 18): from
the navbar to the administrators' area, a draft of the checklist, C5 weighed 4 instead of 1, the
preview before publishing says how many tasks of how many assessments would change (and which),
he publishes; Kenji's assessment keeps its results until Kenji moves it to the new version.

The figures, worked out by hand (tests/administration/test_publish.py has the table): with C5
at 4 the weights add up to 12 instead of 9. Payroll (non-core at 66.7) becomes borderline at
50; the filing task (borderline at 50) becomes core at 37.5 and in-house; the invoices task
(66.7, C5 not applicable) stays non-core at 62.5; in the other assessment, payroll again."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assessments.models import Assessment, TaskResult
from assessments.models.versions import ChecklistVersion
from outsourcing_advisor.accounts.models import Organisation, Role
from tests.e2e.browser import save_screenshot, sign_in
from tests.factories import make_member, make_user, start_assessment_with
from tests.helpers import restore_published_defaults

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]

NO = {f"C{n}": "no" for n in range(1, 11)}
ANSWERS = {
    "Run payroll": {**NO, "C3": "yes", "C8": "yes", "C9": "yes", "C10": "yes", "C5": "yes"},
    "File documents": {**NO, "C3": "yes", "C5": "yes"},
    "Check invoices": {**NO, "C3": "yes", "C9": "yes", "C10": "yes"},
}


def start(organisation: Organisation, name: str, tasks: list[str]) -> Assessment:
    return start_assessment_with(
        organisation, name, {task: ANSWERS[task] for task in tasks}, "Back office"
    )


@pytest.fixture
def sakura(transactional_db) -> Assessment:
    restore_published_defaults()
    organisation = Organisation.objects.create(name="Sakura Trading")
    make_member("kenji", organisation, Role.CONSULTANT)
    aoki = make_user("aoki")
    aoki.is_staff = True
    aoki.save()
    other = Organisation.objects.create(name="Midori Seiki")
    start(other, "Midori 2026", ["Run payroll"])
    return start(organisation, "Back office 2026", list(ANSWERS))


def results(assessment: Assessment) -> dict[str, tuple]:
    rows = TaskResult.objects.filter(task__assessment=assessment).select_related("task")
    return {r.task.task: (r.verdict, r.model, r.suitability) for r in rows}


def test_aoki_reweighs_a_question_previews_and_publishes(page, live_server, sakura):
    base, shots = live_server.url, os.environ.get("E2E_SCREENSHOTS")
    before = results(sakura)
    latest = ChecklistVersion.objects.latest_published()
    sign_in(page, base, "aoki")
    page.locator("[data-nav=administration]").click()
    checklist = page.locator("[data-kind=checklist]")
    assert 'data-used="2"' in checklist.inner_html()  # both assessments use the newest
    checklist.get_by_role("button", name=f"Start a draft from {latest}").click()
    assert "A draft was started from" in page.locator("[role=status]").first.inner_text()

    page.locator("[data-row=C5] input[name$='-weight']").fill("4")
    page.locator("input[name='draft-note']").fill("Know-how to keep weighs more")
    page.get_by_role("button", name="Save the draft").click()
    assert "The draft was saved." in page.locator("[role=status]").first.inner_text()
    assert page.locator("[data-row=C5] input[name$='-weight']").input_value() == "4"

    page.get_by_role("link", name="Review and publish").click()
    summary = page.locator("[data-summary]")
    assert summary.inner_text() == (
        "If you publish it, 3 tasks in 2 assessments change their verdict or recommended model."
    )
    preview = page.locator("[data-preview]").inner_text()
    assert "Run payroll" in preview and "File documents" in preview
    assert "Check invoices" not in preview
    assert "What changed: C5 weighs 4 (was 1)." in preview
    if shots:
        save_screenshot(page, "administration-preview", folder=Path(shots))
    assert page.locator("input[name=note]").input_value() == "Know-how to keep weighs more"
    page.get_by_role("button", name=f"Publish as v{latest.number + 1}").click()
    assert f"Published v{latest.number + 1}." in page.locator("[role=status]").first.inner_text()

    # Kenji's assessment keeps its results until he moves it.
    assert results(sakura) == before
    sakura.refresh_from_db()
    assert sakura.checklist_version == latest
    page.context.clear_cookies()
    sign_in(page, base, "kenji")
    page.goto(f"{base}/assessments/{sakura.pk}/versions/")
    diff = page.locator("[data-version-diff]").inner_text()
    assert "Run payroll" in diff and "File documents" in diff
    page.locator("[data-confirm-move] button").click()
    moved = results(sakura)
    assert moved["Run payroll"][0] == "borderline" and moved["File documents"][:2] == (
        "core",
        "in_house",
    )
    assert moved["Check invoices"][0] == "non_core"
