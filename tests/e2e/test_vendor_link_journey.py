"""A vendor answers by link, in real browsers (SPEC 4.6, issue 17).

Kenji (consultant) invites みらい to the BPO package and issues a link. A second browser context,
with no session — the vendor's contact, 田中さん — opens the link, enters the contact and the
quote, saves a draft, leaves, comes back through the same link, answers the security check, the
告示37号 statements and its certifications, and submits. Kenji reviews the submission beside the
registry and accepts it: the quote becomes the bid's and appears in the ranking once he has
scored. He then revokes the link, and the vendor's page is a plain 404."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assessments.domain import independence
from assessments.domain.choices import VendorCriterion
from assessments.models import Package
from tests.e2e.browser import PAYROLL_ANSWERS, save_screenshot, sign_in
from vendors.models import Bid, Certification, SecurityItem, Submission, Vendor

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]

VENDOR = "株式会社みらい"


@pytest.fixture
def bpo(payroll) -> Package:
    """The payroll task checked to BPO, in its package; みらい in the registry."""
    payroll.set_answers(PAYROLL_ANSWERS)
    payroll.save()
    assessment = payroll.assessment
    assessment.recompute_results()
    assessment.create_packages()
    vendor = Vendor.objects.create(name=VENDOR, services=["bpo"])
    Certification.objects.create(vendor=vendor, kind="pmark", number="第10000001号")
    return assessment.packages.get(model="bpo")


def vendors_page(page, base: str, package: Package) -> None:
    page.goto(f"{base}/assessments/{package.assessment_id}/packages/{package.pk}/vendors/")


def test_a_vendor_answers_by_link_and_the_consultant_accepts(page, browser, live_server, bpo):
    base = live_server.url
    sign_in(page, base, "kenji")
    vendors_page(page, base, bpo)
    page.select_option("#id_vendor", label=VENDOR)
    page.locator("form[action$='/invite/'] button").click()

    # Kenji issues a link (14 days by default) and copies it.
    row = page.locator(f"[data-table=links] tr[data-vendor='{VENDOR}']")
    row.locator("button[name=action][value=copy]").click()
    url = page.locator("#vendor-link").input_value()
    assert url.startswith(base + "/v/")
    assert page.locator("[data-expires]").is_visible()

    # The vendor, in a browser with no session, saves a draft and leaves.
    vendor_context = browser.new_context()
    vendor = vendor_context.new_page()
    vendor.goto(url)
    assert "勤怠データ集計" in vendor.locator("[data-brief]").inner_text()  # the scope
    assert vendor.locator("a[href^='/assessments']").count() == 0  # no way into the app
    vendor.fill("#id_contact-name", "田中 一郎")
    vendor.fill("#id_contact-email", "tanaka@mirai.example.jp")
    vendor.select_option("#id_quote-pricing_model", "subscription")
    vendor.fill("#id_quote-initial_fee", "200000")
    vendor.fill("#id_quote-monthly_fee", "30000")
    vendor.locator("button[name=action][value=save]").click()
    assert vendor.locator("[data-saved]").is_visible()
    assert Submission.objects.get().status == "draft"
    vendor.close()

    # Back through the same link: the draft is there; the rest is answered and submitted.
    vendor = vendor_context.new_page()
    vendor.goto(url)
    assert vendor.locator("#id_quote-monthly_fee").input_value() == "30000"
    for item in SecurityItem.values:
        vendor.select_option(f"#id_security-{item}-status", "met")
    for key in independence.KEYS:
        vendor.locator(f"input[name='statements-{key}'][value=yes]").check()
    vendor.select_option("#id_certifications-0-kind", "pmark")
    vendor.fill("#id_certifications-0-number", "第10000001号")
    vendor.locator("button[name=action][value=submit]").click()
    vendor.wait_for_url("**/receipt/")
    assert "30,000" in vendor.content()
    if folder := os.environ.get("E2E_SCREENSHOTS"):
        save_screenshot(vendor, "vendor-receipt", folder=Path(folder))

    # Kenji reviews and accepts; the quote becomes the bid's.
    vendors_page(page, base, bpo)
    row = page.locator(f"[data-table=links] tr[data-vendor='{VENDOR}']")
    assert row.get_attribute("data-submission-state") == "submitted"
    row.locator("a[href*='/submissions/']").click()
    assert "30,000" in page.locator("main").inner_text()
    page.locator("button[name=action][value=accept]").click()
    bid = Bid.objects.get()
    assert (bid.pricing_model, bid.monthly_fee, bid.initial_fee) == ("subscription", 30000, 200000)
    assert Submission.objects.get().status == "accepted"

    # Scored, the vendor is ranked on the accepted quote: 12 × 30,000 × 1.15 = 414,000 a year.
    vendors_page(page, base, bpo)
    page.locator(f"tr[data-vendor='{VENDOR}'] a[href$='/score/']").first.click()
    for criterion in VendorCriterion.values:
        page.locator(f"label[for=id_score_{criterion}_3]").click()
    page.locator("button[name=action][value=submit]").click()
    vendors_page(page, base, bpo)
    ranked = page.locator(f"[data-table=ranking] tr[data-vendor='{VENDOR}']")
    assert ranked.locator("[data-figure=rank]").inner_text() == "1"
    assert (
        page.locator(f"tr[data-vendor='{VENDOR}'] [data-figure=annual-cost]").first.inner_text()
        == "¥414,000"
    )

    # Revoked, the link is a plain 404 for the vendor.
    page.once("dialog", lambda dialog: dialog.accept())
    row = page.locator(f"[data-table=links] tr[data-vendor='{VENDOR}']")
    row.locator("form[action*='/revoke/'] button").click()
    page.wait_for_load_state()
    assert row.get_attribute("data-link-state") == "revoked"
    response = vendor.goto(url)
    assert response is not None and response.status == 404
    vendor_context.close()
