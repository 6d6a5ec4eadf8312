"""Two evaluators score two vendors in a real browser, and the ranking and its spread appear.

Kenji (consultant) opens the BPO package, invites two vendors of the registry and enters one
quote. Hanako (manager) scores both vendors and submits. Kenji, who has not scored yet, sees
that the ranking is sealed; he scores both, and the ranking shows each vendor's total, each
evaluator's total and the spread: Mirai (5s and 4s) 87.5 with a spread of 25, Sakura (3s and 1s)
25.0 with a spread of 50."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assessments.domain.choices import VendorCriterion
from assessments.models import Package
from tests.e2e.browser import PAYROLL_ANSWERS, save_screenshot, sign_in
from vendors.models import Certification, Evaluation, Vendor

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture
def bpo(payroll) -> Package:
    """The payroll task checked to BPO, put into its package; two vendors in the registry."""
    payroll.set_answers(PAYROLL_ANSWERS)
    payroll.save()
    assessment = payroll.assessment
    assessment.recompute_results()
    assessment.create_packages()
    for name in ("株式会社みらい", "さくらビジネス"):
        vendor = Vendor.objects.create(name=name, services=["bpo"])
        Certification.objects.create(vendor=vendor, kind="pmark")
    return assessment.packages.get(model="bpo")


def score_everything(page, value: int) -> None:
    """Click score `value` on every criterion (Django numbers the radios from 0), then submit."""
    for criterion in VendorCriterion.values:
        page.locator(f"label[for=id_score_{criterion}_{value - 1}]").click()
    page.locator("button[name=action][value=submit]").click()
    assert page.locator("[data-status=submitted]").is_visible()


def open_package(page, base: str, package: Package) -> None:
    page.goto(f"{base}/assessments/{package.assessment_id}/packages/")
    page.locator(
        f"a[href='/assessments/{package.assessment_id}/packages/{package.pk}/vendors/']"
    ).click()


def score_vendor(page, base: str, package: Package, vendor: str, value: int) -> None:
    open_package(page, base, package)
    page.locator(f"tr[data-vendor='{vendor}'] a[href$='/score/']").click()
    score_everything(page, value)


def test_two_evaluators_score_two_vendors_and_see_ranking_and_spread(page, live_server, bpo):
    base = live_server.url
    sign_in(page, base, "kenji")
    open_package(page, base, bpo)
    for name in ("株式会社みらい", "さくらビジネス"):
        page.select_option("#id_vendor", label=name)
        page.locator("form[action$='/invite/'] button").click()
    page.locator("tr[data-vendor='株式会社みらい'] a[href$='/quote/']").click()
    page.select_option("#id_pricing_model", "subscription")
    page.fill("#id_initial_fee", "300000")
    page.fill("#id_monthly_fee", "40000")
    page.locator("main form button.btn-primary").click()
    quote = page.locator("tr[data-vendor='株式会社みらい'] [data-figure=annual-cost]")
    assert quote.inner_text() == "¥552,000"  # 12 × 40,000 × 1.15
    # さくら quotes the same: equal prices (100 price points each), so quality decides.
    page.locator("tr[data-vendor='さくらビジネス'] a[href$='/quote/']").click()
    page.select_option("#id_pricing_model", "subscription")
    page.fill("#id_initial_fee", "300000")
    page.fill("#id_monthly_fee", "40000")
    page.locator("main form button.btn-primary").click()
    page.locator("form[action='/accounts/logout/'] button").click()

    sign_in(page, base, "hanako")
    score_vendor(page, base, bpo, "株式会社みらい", 5)
    score_vendor(page, base, bpo, "さくらビジネス", 3)
    open_package(page, base, bpo)
    assert page.locator("[data-table=ranking]").is_visible()
    page.locator("form[action='/accounts/logout/'] button").click()

    sign_in(page, base, "kenji")
    open_package(page, base, bpo)
    assert page.locator("[data-sealed]").is_visible()
    assert page.locator("[data-table=ranking]").count() == 0
    score_vendor(page, base, bpo, "株式会社みらい", 4)
    # Having submitted, Kenji sees Hanako's scores of this vendor beside his own.
    assert "hanako" in page.locator("[data-table=evaluations]").inner_text()
    score_vendor(page, base, bpo, "さくらビジネス", 1)
    open_package(page, base, bpo)

    ranking = page.locator("[data-table=ranking]")
    first = ranking.locator("tr[data-vendor='株式会社みらい']")
    second = ranking.locator("tr[data-vendor='さくらビジネス']")
    assert first.locator("[data-figure=rank]").inner_text() == "1"
    assert first.locator("[data-figure=total]").inner_text() == "87.5"
    assert first.locator("[data-figure=spread]").inner_text() == "25.0"
    assert second.locator("[data-figure=rank]").inner_text() == "2"
    assert second.locator("[data-figure=total]").inner_text() == "25.0"
    assert second.locator("[data-figure=spread]").inner_text() == "50.0"
    # Combined at the 30% price weight: 87.5 × 0.7 + 100 × 0.3 = 91.25; 25 × 0.7 + 30 = 47.5.
    assert first.locator("[data-figure=combined]").inner_text() == "91.3"
    assert second.locator("[data-figure=combined]").inner_text() == "47.5"
    assert page.locator("[data-sensitivity=stable]").is_visible()
    assert Evaluation.objects.filter(submitted_at__isnull=False).count() == 4
    if folder := os.environ.get("E2E_SCREENSHOTS"):
        save_screenshot(page, "vendor-ranking", folder=Path(folder))
