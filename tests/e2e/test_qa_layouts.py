"""The QA walk-through's layout defects, measured in a real browser at 390 and 1366 px on the demo
assessment: the inventory (QA 12–15), the check grid (QA 10–11), the overview (QA 16) and the
packages (QA 17)."""

from __future__ import annotations

import pytest

from tests.e2e.browser import TIMEOUT_MS
from tests.factories import PASSWORD as FACTORY_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]

USERNAME, PASSWORD = "consultant", "demo-consultant-2026"

# Every piece of a heading between brackets and spaces: no piece may break over two lines.
BROKEN_WORDS = """(selector) => {
  const broken = [];
  for (const cell of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      if (node.parentElement.closest('.visually-hidden')) continue;
      const text = node.textContent;
      const re = /[^\\s()（）・/]+/g;
      let match;
      while ((match = re.exec(text))) {
        if (match[0].length < 2) continue;
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const tops = new Set(Array.from(range.getClientRects()).filter((r) => r.width > 0)
          .map((r) => Math.round(r.top)));
        if (tops.size > 1) broken.push(match[0]);
      }
    }
  }
  return broken;
}"""


def open_page(browser, base: str, width: int, path: str, user=(USERNAME, PASSWORD)):
    context = browser.new_context(viewport={"width": width, "height": 844}, locale="ja-JP")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", user[0])
    page.fill("#id_password", user[1])
    page.locator("main form button").click()
    page.wait_for_url(base + "/")
    page.goto(base + path)
    return context, page


@pytest.mark.parametrize("width", [390, 1366])
def test_the_inventorys_headings_and_departments_break_between_words(
    browser, live_server, demo, width
):
    """QA 12/13: 「回/数」「所要時/間(分)」 at 1366, a department two characters a line and a
    heading row 113 px high at 390."""
    context, page = open_page(browser, live_server.url, width, f"/assessments/{demo.pk}/inventory/")
    try:
        assert page.evaluate(BROKEN_WORDS, ".inventory-table thead th") == []
        assert page.evaluate(BROKEN_WORDS, ".inventory-table .dept-cell") == []
        assert page.evaluate(BROKEN_WORDS, ".inventory-table .process-cell") == []
        assert page.locator(".inventory-table thead").bounding_box()["height"] <= 60
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        context.close()


def test_on_a_phone_the_inventorys_edit_column_covers_nothing_and_no_keyboard_hint(
    browser, live_server, demo
):
    """QA 13: the pinned 編集 column covered 業務区分; a phone has no Tab or Escape key."""
    context, page = open_page(browser, live_server.url, 390, f"/assessments/{demo.pk}/inventory/")
    try:
        assert not page.locator("[data-keyboard-hint]").is_visible()
        category = page.locator("#task-rows td.category").first
        category.scroll_into_view_if_needed()
        box = category.bounding_box()
        assert box is not None and box["x"] + box["width"] <= 390
        seen = page.evaluate(
            "([x, y]) => document.elementFromPoint(x, y).closest('td.category') !== null",
            [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
        )
        assert seen, "the edit column is drawn over 業務区分"
    finally:
        context.close()
    context, page = open_page(browser, live_server.url, 1366, f"/assessments/{demo.pk}/inventory/")
    try:
        assert page.locator("[data-keyboard-hint]").is_visible()
    finally:
        context.close()


def test_a_search_without_results_shows_no_empty_table_and_says_the_figures_are_filtered(
    browser, live_server, demo
):
    """QA 15: an empty heading row and the whole add form under "no task matches", and cards at
    0 that did not say they counted only the tasks found."""
    context, page = open_page(browser, live_server.url, 1366, f"/assessments/{demo.pk}/inventory/")
    try:
        assert page.locator("[data-totals-filtered]").count() == 0
        page.fill("[data-search]", "該当なしの作業")
        page.wait_for_selector("[data-no-match]")
        assert page.locator(".inventory-table").count() == 0
        assert page.locator("#add-task").count() == 0
        filtered = page.locator("[data-totals-filtered]")
        assert filtered.is_visible()
        assert "35" in filtered.inner_text() and "0" in filtered.inner_text()
        assert page.locator("[data-figure=tasks]").inner_text() == "0"
        # Loosened again: the table, the add form and unfiltered cards are back.
        page.goto(f"{live_server.url}/assessments/{demo.pk}/inventory/")
        assert page.locator("#add-task").count() == 1
        assert page.locator("[data-totals-filtered]").count() == 0
    finally:
        context.close()


def test_on_a_phone_the_bulk_bar_is_in_view_when_a_row_far_down_is_ticked(
    browser, live_server, demo
):
    """QA 14: the bar sat above the table; a row ticked further down gave no visible feedback.
    On a phone it is fixed at the bottom, and the page leaves it room under the last row."""
    context, page = open_page(browser, live_server.url, 390, f"/assessments/{demo.pk}/inventory/")
    try:
        last = page.locator("[data-bulk-row]").last
        last.scroll_into_view_if_needed()
        last.check()
        bar = page.locator("[data-bulk]")
        box = bar.bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 844 + 1, box
        assert box["height"] <= 844 / 3, box
        # The ticked box itself is not under the bar.
        tick = last.bounding_box()
        assert tick is not None and tick["y"] + tick["height"] <= box["y"], (tick, box)
        # A row ticked low on the screen, where the bar appears, is scrolled up out from under it.
        page.locator("[data-bulk-clear]").click()
        low = page.locator("[data-bulk-row]").nth(5)
        low.scroll_into_view_if_needed()
        page.evaluate(
            "(el) => window.scrollBy(0, el.getBoundingClientRect().top - innerHeight + 30)",
            low.element_handle(),
        )
        low.check()
        page.wait_for_timeout(100)
        tick, box = low.bounding_box(), bar.bounding_box()
        assert tick is not None and box is not None and tick["y"] + tick["height"] <= box["y"]
        # At the page's end the last thing on it (the add form's button) is above the bar.
        page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
        page.wait_for_timeout(100)
        add = page.locator("#add-task button.btn-success").bounding_box()
        assert add is not None and add["y"] + add["height"] <= bar.bounding_box()["y"]
    finally:
        context.close()


GRID_LEGEND = """() => {
  const colour = (el) => getComputedStyle(el).backgroundColor;
  const legend = Array.from(document.querySelectorAll('[data-grid-legend] .grid-swatch'));
  const kinds = ['prefilled', 'from-file'];
  return kinds.map((kind) => {
    const cells = Array.from(document.querySelectorAll(`.answer-grid select.${kind}`));
    const swatch = legend.find((el) => el.classList.contains(kind));
    const plain = document.querySelector('.answer-grid select:not(.prefilled):not(.from-file)');
    return {
      kind,
      cells: cells.length,
      inLegend: Boolean(swatch),
      sameColour: !swatch || cells.every((cell) => colour(cell) === colour(swatch)),
      distinct: !plain || cells.every((cell) => colour(cell) !== colour(plain)),
    };
  });
}"""


def test_the_check_grids_legend_names_the_cells_as_they_look(browser, live_server, demo, payroll):
    """QA 10: the legend said grey cells were pre-filled from the inventory while no cell was grey
    (the demo's answers come from the imported file). The legend names the kinds of answer the
    page shows, each in the colour of its cells."""
    for assessment, user in (
        (demo, (USERNAME, PASSWORD)),
        (payroll.assessment, ("kenji", FACTORY_PASSWORD)),
    ):
        context, page = open_page(
            browser, live_server.url, 1366, f"/assessments/{assessment.pk}/check/", user
        )
        try:
            found = page.evaluate(GRID_LEGEND)
        finally:
            context.close()
        for kind in found:
            assert kind["inLegend"] == (kind["cells"] > 0), kind
            assert kind["sameColour"] and kind["distinct"], kind
        shown = {kind["kind"] for kind in found if kind["cells"]}
        assert shown == ({"from-file"} if assessment == demo else {"prefilled"})


ANSWER_ROOM = """() => {
  const canvas = document.createElement('canvas').getContext('2d');
  let least = 1e9;
  for (const select of document.querySelectorAll('.answer-grid select')) {
    const style = getComputedStyle(select);
    canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const text = canvas.measureText(select.selectedOptions[0].text).width;
    const [, right] = style.backgroundPositionX.match(/([\\d.]+)px/) || [0, 0];
    const arrow = select.clientWidth - parseFloat(right) - parseFloat(style.backgroundSize);
    least = Math.min(least, arrow - parseFloat(style.paddingLeft) - text);
  }
  return least;
}"""


def test_the_check_grids_ten_answers_fit_1366_and_keep_clear_of_the_arrow(
    browser, live_server, demo
):
    """QA 11: C9 and C10 were cut off (the grid scrolled sideways) while the model column was
    mostly empty, and 「いいえ」 touched its select's arrow."""
    context, page = open_page(browser, live_server.url, 1366, f"/assessments/{demo.pk}/check/")
    try:
        box = page.locator(".answer-grid").locator("xpath=..")
        assert box.evaluate("(el) => el.scrollWidth <= el.clientWidth + 1")
        c10 = page.locator(".answer-grid thead th").last.bounding_box()
        assert c10 is not None and c10["x"] + c10["width"] <= 1366
        assert page.evaluate(ANSWER_ROOM) >= 4
    finally:
        context.close()


def test_on_a_phone_the_overviews_charts_read_and_its_tables_stack(browser, live_server, demo):
    """QA 16: at 390 px the bar charts' labels were some 6 px high, and the department and
    category tables were cut off on the right (FTE and cost out of view)."""
    context, page = open_page(browser, live_server.url, 390, f"/assessments/{demo.pk}/")
    try:
        heights = page.evaluate(
            """() => Array.from(document.querySelectorAll('svg.chart'))
              .filter((svg) => svg.getBoundingClientRect().width > 0)
              .flatMap((svg) => Array.from(svg.querySelectorAll('text'))
                .map((text) => text.getBoundingClientRect().height))"""
        )
        assert heights and min(heights) >= 10, heights
        for name in ("by-department", "by-category"):
            table = page.locator(f"[data-breakdown={name}]")
            box = table.locator("xpath=..")
            assert box.evaluate("(el) => el.scrollWidth <= el.clientWidth + 1"), name
            cost = table.locator("tbody tr").first.locator("td").nth(3)
            assert "¥" in cost.inner_text()
            cost_box = cost.bounding_box()
            assert cost_box is not None and cost_box["x"] + cost_box["width"] <= 390, name
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()


def test_on_a_phone_a_packages_figures_and_annual_cost_are_whole(browser, live_server, demo):
    """QA 17: 「年間社内コスト」 dropped to its own line with its value indented otherwise, and the
    tasks' annual cost was cut at 「¥1,」."""
    context, page = open_page(browser, live_server.url, 390, f"/assessments/{demo.pk}/packages/")
    try:
        figures = page.locator(".package-figures").first
        labels = [
            box["x"] for box in map(lambda el: el.bounding_box(), figures.locator("dt").all())
        ]
        values = [
            box["x"] for box in map(lambda el: el.bounding_box(), figures.locator("dd").all())
        ]
        assert len(set(map(round, labels))) == 2, labels  # two columns, two by two
        assert [round(x) for x in labels] == [round(x) for x in values]  # each under its label
        for table in page.locator(".package-tasks").all():
            box = table.locator("xpath=..")
            assert box.evaluate("(el) => el.scrollWidth <= el.clientWidth + 1")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()
