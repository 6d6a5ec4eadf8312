"""What a phone (390 px) shows, measured in a real browser (issue 18, "Mobile"): the vendor score
form's comment box had a column 25 px wide, too narrow to type in."""

from __future__ import annotations

import pytest

from assessments.models import Package
from tests.e2e.browser import PAYROLL_ANSWERS, sign_in
from vendors.models import Bid, Certification, Vendor

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture
def bid(payroll) -> Bid:
    payroll.set_answers(PAYROLL_ANSWERS)
    payroll.save()
    assessment = payroll.assessment
    assessment.recompute_results()
    assessment.create_packages()
    package: Package = assessment.packages.get(model="bpo")
    vendor = Vendor.objects.create(name="株式会社みらい", services=["bpo"])
    Certification.objects.create(vendor=vendor, kind="pmark")
    return Bid.invite(package, vendor)[0]


def test_the_score_forms_comment_box_is_wide_enough_to_type_in_on_a_phone(
    browser, live_server, bid
):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    base = live_server.url
    sign_in(page, base, "kenji")
    package = bid.package
    page.goto(
        f"{base}/assessments/{package.assessment_id}/packages/{package.pk}/bids/{bid.pk}/score/"
    )
    comment = page.locator(".score-form textarea").first
    box = comment.bounding_box()
    assert box is not None and box["width"] >= 300, box
    # The five scores stay on one line, and nothing scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()


def test_the_check_pages_save_bar_is_one_short_row_that_answers_never_paint_over(
    browser, live_server, payroll
):
    """At 390 px the sticky bar of five buttons took 150 px (a sixth of the screen and more), and
    a checked answer button, lifted by Bootstrap's button group, was drawn over it."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    base = live_server.url
    sign_in(page, base, "kenji")
    page.goto(f"{base}/assessments/{payroll.assessment_id}/tasks/{payroll.pk}/check/")
    page.locator("label[for$='C1_0']").click()  # a checked answer, scrolled under the bar
    bar = page.locator("[data-sticky-actions]")
    box = bar.bounding_box()
    assert box is not None and box["height"] <= 70, box
    # Each checked answer in turn scrolled right under the bar: the bar is what is seen there.
    for label in page.locator("input.btn-check:checked + label").all():
        label.scroll_into_view_if_needed()
        answer, bar_box = label.bounding_box(), bar.bounding_box()
        assert answer is not None and bar_box is not None
        page.mouse.wheel(0, answer["y"] - bar_box["y"])
        page.wait_for_timeout(100)
        answer, bar_box = label.bounding_box(), bar.bounding_box()
        x, y = answer["x"] + answer["width"] / 2, bar_box["y"] + bar_box["height"] / 2
        if not answer["y"] <= y <= answer["y"] + answer["height"]:
            continue  # the page ends before this answer reaches the bar
        seen = page.evaluate(
            "([x, y]) => document.elementFromPoint(x, y).closest('[data-sticky-actions]') !== null",
            [x, y],
        )
        assert seen, f"the answer {label.inner_text()} is drawn over the save bar"
    context.close()


@pytest.mark.parametrize("width", [390, 1366])
def test_every_assessment_page_says_the_next_action_before_the_steps_and_tabs(
    browser, live_server, payroll, width
):
    """The stepper and tabs took 320 px at 1366 px, and more than 500 px on a phone, before any
    content: the next action comes first, the steps are one row and the tabs one line."""
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    base = live_server.url
    sign_in(page, base, "kenji")
    page.goto(f"{base}/assessments/{payroll.assessment_id}/")
    next_action = page.locator("[data-next-action]")
    assert next_action.locator("a").get_attribute("href").endswith("/goals/")
    assert next_action.bounding_box()["y"] < 260
    steps, tabs = page.locator("ol.stepper"), page.locator(".assessment-tabs")
    assert steps.bounding_box()["height"] <= 45 and tabs.bounding_box()["height"] <= 50
    # The first figure: within 400 px of the top, even on a phone.
    assert page.locator("[data-figure=tasks]").bounding_box()["y"] < 400
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()


def test_the_history_of_a_long_unbroken_value_stays_within_a_phones_width(
    browser, live_server, payroll
):
    """A file name or code without spaces in the history made the page 571 px wide at 390."""
    from assessments.models.assessment import TASK_FIELDS
    from outsourcing_advisor.history import record as history

    before = history.snapshot(payroll, TASK_FIELDS)
    payroll.notes = "payroll_export_" + "x" * 120 + ".xlsx"
    payroll.assessment.save_task(payroll, before, None)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    base = live_server.url
    sign_in(page, base, "kenji")
    page.goto(f"{base}/assessments/{payroll.assessment_id}/history/")
    assert "payroll_export_" in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
