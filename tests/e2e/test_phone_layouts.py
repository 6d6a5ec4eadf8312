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
