"""Price and quality together, in a real browser (SPEC 4.6 総合評価, issue 16).

Kenji (consultant) invites two vendors to the BPO package and enters their quotes: Mirai asks
three times Sakura's price. He scores Mirai 5 on every criterion (quality 100) and Sakura 4
(quality 75). By quality alone Mirai would win; with price weighing 30% (the default), Sakura
does, and the ranking and the downloaded report both say so:

    price over 3 years: Mirai 12 × 45,000 × 1.15 × 3 = 1,863,000; Sakura 12 × 15,000 × 1.15 × 3
    = 621,000. Price points: Sakura 100, Mirai 100 × 621,000 / 1,863,000 = 33.3.
    Combined: Mirai 100 × 0.7 + 33.3 × 0.3 = 80.0; Sakura 75 × 0.7 + 100 × 0.3 = 82.5."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assessments.domain.choices import VendorCriterion
from assessments.models import Package
from tests.e2e.browser import PAYROLL_ANSWERS, download_report_text, save_screenshot, sign_in
from vendors.models import Certification, Vendor

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]

DEAR, CHEAP = "株式会社みらい", "さくらビジネス"


@pytest.fixture
def bpo(payroll) -> Package:
    """The payroll task checked to BPO, put into its package; two vendors in the registry."""
    payroll.set_answers(PAYROLL_ANSWERS)
    payroll.save()
    assessment = payroll.assessment
    assessment.recompute_results()
    assessment.create_packages()
    for name in (DEAR, CHEAP):
        vendor = Vendor.objects.create(name=name, services=["bpo"])
        Certification.objects.create(vendor=vendor, kind="pmark")
    return assessment.packages.get(model="bpo")


def open_package(page, base: str, package: Package) -> None:
    page.goto(f"{base}/assessments/{package.assessment_id}/packages/{package.pk}/vendors/")


def quote(page, vendor: str, monthly_fee: str) -> None:
    page.locator(f"tr[data-vendor='{vendor}'] a[href$='/quote/']").click()
    page.select_option("#id_pricing_model", "subscription")
    page.fill("#id_monthly_fee", monthly_fee)
    page.locator("main form button.btn-primary").click()


def score(page, vendor: str, value: int) -> None:
    """Score `value` on every criterion (Django numbers the radios from 0), then submit."""
    page.locator(f"tr[data-vendor='{vendor}'] a[href$='/score/']").click()
    for criterion in VendorCriterion.values:
        page.locator(f"label[for=id_score_{criterion}_{value - 1}]").click()
    page.locator("button[name=action][value=submit]").click()
    assert page.locator("[data-status=submitted]").is_visible()


def test_the_cheaper_vendor_wins_on_the_combined_score_in_the_ranking_and_the_report(
    page, live_server, bpo, tmp_path
):
    base = live_server.url
    sign_in(page, base, "kenji")
    open_package(page, base, bpo)
    for name in (DEAR, CHEAP):
        page.select_option("#id_vendor", label=name)
        page.locator("form[action$='/invite/'] button").click()
    quote(page, DEAR, "45000")
    quote(page, CHEAP, "15000")
    score(page, DEAR, 5)
    open_package(page, base, bpo)
    score(page, CHEAP, 4)
    open_package(page, base, bpo)

    ranking = page.locator("[data-table=ranking]")
    cheap, dear = (ranking.locator(f"tr[data-vendor='{name}']") for name in (CHEAP, DEAR))
    figures = ("rank", "total", "price-points", "combined")
    assert [cheap.locator(f"[data-figure={f}]").inner_text() for f in figures] == [
        *("1", "75.0", "100.0", "82.5"),
    ]
    assert [dear.locator(f"[data-figure={f}]").inner_text() for f in figures] == [
        *("2", "100.0", "33.3", "80.0"),
    ]
    # The smallest change that gives Mirai the lead is named: the price weight down 3 points to
    # 27% (Mirai 100 × .73 + 33.3 × .27 = 82.0 against Sakura 75 × .73 + 27 = 81.75). The
    # criterion weights change nothing: each vendor has one score on every criterion.
    smallest = page.locator("[data-smallest-flip]").inner_text()
    assert "27" in smallest and DEAR in smallest
    if folder := os.environ.get("E2E_SCREENSHOTS"):
        save_screenshot(page, "combined-ranking", folder=Path(folder))

    page.goto(f"{base}/assessments/{bpo.assessment_id}/")
    text = download_report_text(page, tmp_path)
    conclusion = text[: text.index("82.5")]
    assert CHEAP in conclusion, "the report recommends the vendor that wins on the combined score"
    assert "80.0" in text and "33.3" in text
