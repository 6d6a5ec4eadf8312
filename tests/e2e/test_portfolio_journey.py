"""The portfolio home in a real browser (issue 18), on the demo data.

佐藤 健二, consultant of さくら商事 and of みどり精機, signs in: his home opens with the headline
(how many assessments, the outsourcing candidates' hours, what to do next) before any list, then
both organisations with their assessments. Each assessment's candidate hours are those its
overview shows. He follows the headline's next action to the page of that step, comes back and
compares the departments of さくら商事: their total is the overview's. On a phone the home
does not scroll sideways and every figure is on screen whole."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from assessments.models import Assessment
from outsourcing_advisor.operations.management.commands.seed_demo import ORG_A, ORG_B
from tests.e2e.browser import TIMEOUT_MS, save_screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]

USERNAME, PASSWORD = "consultant", "demo-consultant-2026"


def shot(page, name: str) -> None:
    if folder := os.environ.get("E2E_SCREENSHOTS"):
        save_screenshot(page, name, folder=Path(folder))


def sign_in(page, base: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", USERNAME)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button").click()
    page.wait_for_url(base + "/")


def test_a_consultant_in_two_organisations_follows_the_next_action(page, live_server, demo):
    base = live_server.url
    company_b = Assessment.objects.get(organisation__name=ORG_B)
    sign_in(page, base)

    # The headline comes first, then both organisations, each with its assessment.
    main = page.locator("main")
    headline = main.locator("[data-headline]")
    assert re.search(r"\b2\b", headline.locator("[data-figure=assessments]").inner_text())
    first_section = main.locator("[data-organisation]").first
    assert headline.bounding_box()["y"] < first_section.bounding_box()["y"]
    for name, assessment in ((ORG_A, demo), (ORG_B, company_b)):
        section = main.locator("section[data-organisation]", has_text=name)
        assert section.locator(f"tr[data-assessment='{assessment.pk}']").count() == 1
    shot(page, "portfolio-home")

    # Each assessment's candidate hours are the ones its overview shows.
    row = main.locator(f"tr[data-assessment='{demo.pk}']")
    hours = row.locator("[data-figure=candidate-hours]").inner_text()
    page.goto(f"{base}/assessments/{demo.pk}/")
    assert page.locator("[data-figure=outsourcing-hours]").inner_text().startswith(hours)
    overview_hours = page.locator("[data-figure=annual-hours]").inner_text()

    # The headline's next action opens the page of that step.
    page.goto(base + "/")
    action = headline.locator("a[data-next]")
    step = action.get_attribute("data-next")
    href = action.get_attribute("href")
    action.click()
    page.wait_for_url(base + href)
    current = page.locator("ol.stepper li[aria-current=step]")
    assert current.get_attribute("data-step") == step

    # Back home, the departments of さくら商事 compared: they add up to its overview.
    page.goto(base + "/")
    main.locator("section[data-organisation]", has_text=ORG_A).locator(
        "a[data-departments]"
    ).click()
    page.wait_for_url(f"{base}/organisations/{demo.organisation_id}/departments/")
    assert page.locator("table[data-table=departments] tbody tr").count() >= 2
    total = page.locator("tr[data-total] [data-figure=annual-hours]").inner_text()
    assert total == overview_hours
    shot(page, "portfolio-departments")


def test_the_home_and_the_departments_on_a_phone_keep_every_figure_whole(
    browser, live_server, demo
):
    """The defect: the departments' table scrolled sideways on a phone, its share and
    single-person dependencies out of sight; each row now stacks, as the home's do."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ja-JP")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        sign_in(page, live_server.url)
        for path in ("/", f"/organisations/{demo.organisation_id}/departments/"):
            page.goto(live_server.url + path)
            width = page.evaluate("() => document.documentElement.scrollWidth")
            assert width <= 392, f"{path} scrolls sideways: {width}px"
            figures = page.locator("main [data-figure]")
            assert figures.count() > 4
            for index in range(figures.count()):
                box = figures.nth(index).bounding_box()
                text = figures.nth(index).inner_text()
                assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 391, (
                    path,
                    text,
                )
            for amount in page.locator("main td[data-figure=candidate-cost]").all_inner_texts():
                # An amount on one line, or the mark of an assessment with nothing judged yet.
                whole = amount.startswith("¥") and "\n" not in amount
                assert whole or amount.startswith("—"), amount
            shot(page, f"portfolio-phone-{path.strip('/').replace('/', '-') or 'home'}")
    finally:
        context.close()
