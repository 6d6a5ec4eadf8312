"""The knock-outs apply before invitation, in a real browser (SPEC 4.6, issue 15).

Company A's payroll task is social-insurance filing for the client (社労士 work) and handles
personal data; it sits in a BPO package. The registry holds a 社労士法人 with ISMS and its
registration, and a BPO house with ISMS but no 社労士 registration. Kenji (consultant) opens the
package's vendors before inviting anyone: the invite list shows the BPO house as excluded, naming
the missing registration, and the 社労士法人 as eligible. He invites the BPO house all the same;
its row is marked excluded."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assessments.models import Package
from tests.e2e.browser import save_screenshot, sign_in
from tests.factories import SECURITY_ITEMS, make_package
from vendors.models import Bid, Certification, SecurityCheck, Vendor

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]

LICENSED = "社会保険労務士法人みなとパートナーズ"
UNLICENSED = "株式会社ひかりBPO"


@pytest.fixture
def social_insurance(payroll) -> Package:
    """The payroll task as 社労士 work with personal data, in a BPO package; two vendors."""
    payroll.licensed_work = "sharoushi"
    payroll.confidentiality = "personal"
    payroll.save()
    package = make_package(payroll.assessment, "bpo", "BPO: 人事部")
    payroll.assessment.tasks.update(package=package)
    for name, kinds in ((LICENSED, ("isms", "sharoushi")), (UNLICENSED, ("isms",))):
        vendor = Vendor.objects.create(name=name, services=["bpo"])
        for kind in kinds:
            number = "第1390123号" if kind == "sharoushi" else "IS 601234"
            Certification.objects.create(vendor=vendor, kind=kind, number=number)
        for item in SECURITY_ITEMS:
            SecurityCheck.objects.create(vendor=vendor, item=item, status="met")
    return package


def test_the_vendor_without_the_licence_is_excluded_before_invitation(
    page, live_server, social_insurance
):
    base = live_server.url
    sign_in(page, base, "kenji")
    page.goto(f"{base}/assessments/{social_insurance.assessment_id}/packages/")
    page.locator(
        f"a[href='/assessments/{social_insurance.assessment_id}/packages/"
        f"{social_insurance.pk}/vendors/']"
    ).click()

    invite_list = page.locator("[data-table=invite-list]")
    assert invite_list.is_visible()
    excluded = invite_list.locator(f"tr[data-candidate='{UNLICENSED}']")
    eligible = invite_list.locator(f"tr[data-candidate='{LICENSED}']")
    assert excluded.get_attribute("data-eligible") == "false"
    assert "社労士" in excluded.locator("[data-reasons]").inner_text()
    assert eligible.get_attribute("data-eligible") == "true"
    assert eligible.locator("[data-reasons]").count() == 0
    assert not Bid.objects.exists()  # nobody invited to learn this
    # The invite form lists the eligible vendor apart from the one it would exclude.
    assert page.locator("#id_vendor option[data-excluded]").inner_text() == UNLICENSED
    if folder := os.environ.get("E2E_SCREENSHOTS"):
        save_screenshot(page, "invite-list-knockouts", folder=Path(folder))

    # Invited all the same, the vendor is marked excluded on its row.
    page.select_option("#id_vendor", label=UNLICENSED)
    page.locator("form[action$='/invite/'] button").click()
    row = page.locator(f"tr[data-vendor='{UNLICENSED}']")
    assert "社労士" in row.locator("[data-excluded]").inner_text()
    assert Bid.objects.get().vendor.name == UNLICENSED
    # Only the licensed vendor is left to invite, and it is eligible.
    left = page.locator("[data-table=invite-list] tr[data-candidate]")
    assert left.count() == 1 and left.get_attribute("data-candidate") == LICENSED
