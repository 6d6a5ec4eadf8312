"""Hanako answers the check of a task in a real browser (issue 18): while answers are missing
the page shows no score but names the questions; once it has one, the points of the breakdown
add up to it, and answering “no” to a reason for keeping the work never lowers it. Then the
overview's table by model adds up to the inventory, the task's hours included.

The checklist is v2, scored over every item ("all"; README, "The check, as computed")."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest

from tests.e2e.browser import save_screenshot, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]

# Everything but C5 and C7 (two reasons for keeping the work), which stay open; C4, C6 and C9
# are pre-filled from the inventory (no, no, yes) and changed where they differ.
FIRST = {"C1": "no", "C2": "no", "C3": "yes", "C8": "partly", "C9": "no", "C10": "yes"}


@pytest.fixture
def every_item_scored(payroll) -> None:
    """The task's assessment is pinned to checklist v2, which scores over every item."""
    assert payroll.assessment.checklist_version.scoring == "all"


def choose(page, code: str, answer: str) -> None:
    index = ["yes", "partly", "no", "unknown"].index(answer)
    page.locator(f"fieldset[data-code={code}] label[for=id_{code}_{index}]").click()


def save(page) -> None:
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_load_state()


def score(page) -> Decimal:
    return Decimal(page.locator("[data-result=suitability]").inner_text())


def parts(page) -> dict[str, Decimal]:
    cells = page.locator("[data-result=breakdown] [data-part]")
    return {
        cells.nth(i).get_attribute("data-part"): Decimal(
            cells.nth(i).inner_text().replace("−", "-").replace("+", "")
        )
        for i in range(cells.count())
    }


def test_answering_towards_outsourcing_never_lowers_the_score(
    page, live_server, payroll, every_item_scored
):
    base = live_server.url
    assessment = payroll.assessment
    sign_in(page, base, "hanako")
    page.goto(f"{base}/assessments/{assessment.pk}/tasks/{payroll.pk}/check/")

    # Seven questions open: no score, the questions named.
    assert not any(ch.isdigit() for ch in page.locator("[data-result=suitability]").inner_text())
    missing = page.locator("[data-missing]")
    assert missing.count() == 7
    assert "売上" in missing.first.inner_text()  # C1 in words, not only its code

    for code, answer in FIRST.items():
        choose(page, code, answer)
    save(page)
    first = score(page)
    shown = parts(page)
    assert shown["total"] == first
    assert sum(v for k, v in shown.items() if k != "total") == first  # 50 + the parts

    # “No” to C7 (extremely high quality demands?) and then to C5 (know-how to keep?): both
    # argue for outsourcing, neither lowers the score.
    choose(page, "C7", "no")
    save(page)
    second = score(page)
    assert second >= first
    choose(page, "C5", "no")
    save(page)
    assert score(page) >= second
    assert page.locator("[data-result=verdict]").inner_text() == "ノンコア"
    if folder := os.environ.get("E2E_SCREENSHOTS"):
        save_screenshot(page, "score", folder=Path(folder))

    # The overview: the table by model adds up to the inventory's hours.
    page.goto(f"{base}/assessments/{assessment.pk}/")
    total = page.locator("[data-breakdown=by-model] [data-total] td").nth(1).inner_text()
    assert total == page.locator("[data-figure=annual-hours]").inner_text()
    assert "作業はまだ登録されていません" not in page.content()
