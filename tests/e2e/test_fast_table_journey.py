"""Hanako works in the fast table in a real browser (issue 18): she adds a task and sees the
stepper count it without a reload, duplicates a task through the row's 「…」 menu with the mouse,
and edits a row whose inputs all keep their widths at 1366 px; on a phone the table scrolls in
its own box.

The selectors are ids and data attributes, and the words those the product had before, so the
journey does not depend on new translations."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assessments.models import Task
from tests.e2e.browser import save_screenshot, sign_in
from tests.factories import make_task

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]

LAPTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
SCOPE_MISSING = "[data-step=scope] .stepper-missing"

# Each input of the row in edit: its width, the least the stylesheet allows it, and whether it
# lies in view (inside the table's box, left of the sticky actions column).
EDITED_INPUTS = """() => {
  const row = document.querySelector('tr.editing');
  const box = row.closest('.table-responsive').getBoundingClientRect();
  const actions = row.querySelector('.row-actions').getBoundingClientRect();
  return [...row.querySelectorAll('[data-field]')].filter(el => el.type !== 'hidden').map(el => {
    const rect = el.getBoundingClientRect();
    return {
      field: el.dataset.field,
      width: rect.width,
      least: parseFloat(getComputedStyle(el).minWidth) || 0,
      inView: rect.left >= box.left - 1 && rect.right <= actions.left + 1,
    };
  });
}"""

# Whether the mouse hits an element at its left, middle and right: the element itself (or what is
# inside it), not something painted over it.
HIT = """el => {
  const rect = el.getBoundingClientRect();
  return [0.1, 0.5, 0.9].every(share => {
    const top = document.elementFromPoint(
      rect.left + rect.width * share, rect.top + rect.height / 2);
    return top === el || el.contains(top);
  });
}"""


def screenshot(page, name: str) -> None:
    if folder := os.environ.get("E2E_SCREENSHOTS"):
        save_screenshot(page, name, Path(folder))


def test_hanako_adds_duplicates_and_edits_in_the_fast_table(page, live_server, payroll):
    base = live_server.url
    assessment = payroll.assessment
    for name in ("年末調整", "社会保険の手続き", "採用面接の日程調整"):  # rows under the menu
        make_task(assessment, department="人事部", process="人事", task=name, category="hr")
    page.set_viewport_size(LAPTOP)
    sign_in(page, base, "hanako")
    page.goto(f"{base}/assessments/{assessment.pk}/inventory/")
    assert page.locator(SCOPE_MISSING).inner_text() == "未判定の作業 4 件"
    page.evaluate("() => { window.notReloaded = true; }")

    # Add a task in the add row, with two of the answers the recommendation needs.
    page.fill("#add-task-department", "人事部")
    page.fill("#add-task-process", "給与計算")
    page.fill("#add-task-task", "給与明細の配信")
    page.select_option("#add-task-category", "hr")
    page.select_option("#add-task-frequency", "monthly")
    page.fill("#add-task-minutes", "60")
    page.select_option("#add-task-direct_instruction", "no")
    page.select_option("#add-task-judgment", "low")
    # The add row names what is still unanswered as it is picked.
    unanswered = page.locator("[data-unanswered] [data-names]").inner_text()
    assert page.locator("#add-task-judgment").get_attribute("aria-label") not in unanswered
    page.locator("#add-task button.btn-success").click()

    page.locator("#task-rows tr[id^=task-]", has_text="給与明細の配信").wait_for()
    added = Task.objects.get(task="給与明細の配信")
    # The stepper counts it without a reload; the next task starts in the same department.
    assert page.locator(SCOPE_MISSING).inner_text() == "未判定の作業 5 件"
    assert page.evaluate("() => window.notReloaded === true")
    assert page.input_value("#add-task-department") == "人事部"
    assert page.input_value("#add-task-task") == ""
    assert page.locator("#add-row [role=status]").is_visible()
    assert (added.direct_instruction, added.judgment, added.continuity) == ("no", "low", "ongoing")
    screenshot(page, "fast-table-added")

    # Edit the first row: every input keeps at least its width, all of them in view.
    page.locator(f"#task-{payroll.pk} .row-actions button").click()
    page.locator(f"#task-{payroll.pk}.editing [data-field=task]").wait_for()
    inputs = page.evaluate(EDITED_INPUTS)
    assert len(inputs) == 8
    for found in inputs:
        assert found["least"] > 0, f"{found['field']} has no width of its own"
        assert found["width"] >= found["least"] - 0.5, found
        assert found["inView"], f"{found['field']} is hidden under the actions: {found}"
    assert page.input_value(f"#row-form-{payroll.pk}-frequency") == "monthly"
    assert page.locator(f"#row-form-{payroll.pk}-frequency option:checked").inner_text() == "毎月"
    assert page.input_value(f"#row-form-{payroll.pk}-minutes") == "480"

    # Open the 「…」 menu with the mouse: it opens in front of the rows below (their sticky
    # actions cells included), and 複製 is what the mouse hits there.
    page.locator(f"#task-{payroll.pk} .dropdown-toggle").click()
    menu = page.locator(f"#task-{payroll.pk} .dropdown-menu")
    duplicate = menu.get_by_role("button", name="複製")
    duplicate.wait_for(state="visible")
    for item in menu.locator(".dropdown-item").all():
        assert item.evaluate(HIT), f"{item.inner_text()} is behind the rows below"
    screenshot(page, "fast-table-menu")
    box = duplicate.bounding_box()
    with page.expect_navigation():
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)

    assert Task.objects.filter(assessment=assessment, task="勤怠データ集計").count() == 2
    assert page.locator("#task-rows tr[id^=task-]").count() == 6
    assert page.locator(SCOPE_MISSING).inner_text() == "未判定の作業 6 件"


def test_on_a_phone_the_table_scrolls_in_its_box_and_the_add_row_stacks(page, live_server, payroll):
    base = live_server.url
    page.set_viewport_size(PHONE)
    sign_in(page, base, "hanako")
    page.goto(f"{base}/assessments/{payroll.assessment_id}/inventory/")
    page.locator(f"#task-{payroll.pk} .row-actions button").click()
    page.locator(f"#task-{payroll.pk}.editing [data-field=task]").wait_for()

    table = page.locator(".table-responsive")
    sizes = table.evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert sizes[0] > sizes[1], "the table scrolls sideways in its box"
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    for found in page.evaluate(EDITED_INPUTS):
        assert found["width"] >= found["least"] - 0.5, found
    # The add row's fields stack within the screen rather than run off to the right.
    for field in ("#add-task-task", "#add-task-judgment"):
        right = page.locator(field).evaluate("el => el.getBoundingClientRect().right")
        assert right <= PHONE["width"], field
    screenshot(page, "fast-table-phone")
