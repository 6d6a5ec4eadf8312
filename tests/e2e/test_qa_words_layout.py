"""QA 28, measured in a real browser: at 390 px the home page's check progress wrapped inside a
word (「34 / 35 作業を判定済/み」, 「み」 alone on its line). It may wrap at the space only."""

from __future__ import annotations

import pytest

from tests.e2e.browser import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]

# The tops of the lines the word 「判定済み」 is drawn on, and of the whole figure's lines.
LINES = """(figure) => {
  const text = figure.firstChild;
  const at = text.data.indexOf("判定済み");
  const range = document.createRange();
  range.setStart(text, at);
  range.setEnd(text, at + 4);
  const tops = (r) => [...new Set([...r.getClientRects()].map((box) => Math.round(box.top)))];
  const whole = document.createRange();
  whole.selectNodeContents(figure);
  return {word: tops(range), figure: tops(whole)};
}"""


def test_the_check_progress_never_breaks_inside_a_word_on_a_phone(browser, live_server, payroll):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ja-JP")
    page = context.new_page()
    sign_in(page, live_server.url, "kenji")
    figure = page.locator("[data-assessment] [data-figure=checked]").first
    # The QA's figures (34 of 35), the longest the demo shows.
    figure.evaluate("(f) => { f.textContent = '34 / 35 作業を判定済み'; }")
    lines = figure.evaluate(LINES)
    assert len(lines["word"]) == 1, lines  # 「判定済み」 on one line
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
