"""Vendors' 法人番号 and licences, and the knock-outs they feed (SPEC 4.6), as Kenji (consultant)
meets them: he records a vendor's corporate number and its licences on the registry's form, and
before inviting anyone to a package he sees which vendors its knock-outs would exclude and why.
Hanako (manager) scores; she never sees the registry. An outsider gets 404 on every URL
(tests/test_authorization.py walks them)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Package
from assessments.reporting.progress import _packages_with_eligible_vendor
from outsourcing_advisor.history.models import Event, SubjectType
from tests.factories import NEXT_YEAR, SECURITY_ITEMS, make_certified_vendor, make_package
from tests.helpers import bid_url as url
from tests.helpers import vendor_form
from vendors.models import Bid, Certification, Evaluation, SecurityCheck, Vendor
from vendors.services import selection

pytestmark = pytest.mark.django_db

TOYOTA = "1180301018771"  # a real 法人番号, valid check digit
NTA = "7000012050002"


def licence_form(kind: str, number: str, expires_on: str = "", **changes) -> dict:
    """The new-vendor form with one licence in place of its Privacy Mark."""
    return vendor_form(
        **{
            "certifications-1-kind": kind,
            "certifications-1-number": number,
            "certifications-1-expires_on": expires_on,
            **changes,
        }
    )


def refused(response) -> str:
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing was saved" in page
    return page


# --- 法人番号 -------------------------------------------------------------------------------------


def test_a_full_width_corporate_number_is_saved_as_13_digits(consultant_client):
    response = consultant_client.post(
        reverse("vendor_create"), vendor_form(corporate_number="１１８０-３０１０-１８７７１")
    )
    vendor = Vendor.objects.get()
    assert response.status_code == 302 and vendor.corporate_number == TOYOTA
    page = consultant_client.get(response["Location"]).content.decode()
    assert f'<dd class="col-sm-8" data-corporate-number>{TOYOTA}</dd>' in page


def test_the_corporate_number_may_be_left_empty(consultant_client):
    assert consultant_client.post(reverse("vendor_create"), vendor_form()).status_code == 302
    assert Vendor.objects.get().corporate_number == ""


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        pytest.param(
            "2180301018771",
            "Corporate number (法人番号): the check digit (the first digit) does not match",
            id="wrong-check-digit",
        ),
        pytest.param(
            "118030101877", "Corporate number (法人番号): it has 13 digits, not 12.", id="12-digits"
        ),
        pytest.param(
            "118030101877X", "Corporate number (法人番号): only digits, please", id="a-letter"
        ),
    ],
)
def test_a_bad_corporate_number_is_refused_naming_the_field(consultant_client, typed, message):
    response = consultant_client.post(reverse("vendor_create"), vendor_form(corporate_number=typed))
    page = refused(response)
    assert message in page and 'aria-invalid="true"' in page
    assert not Vendor.objects.exists() and not Certification.objects.exists()


def test_two_vendors_cannot_share_a_corporate_number(consultant_client):
    Vendor.objects.create(name="国税庁", corporate_number=NTA)
    response = consultant_client.post(reverse("vendor_create"), vendor_form(corporate_number=NTA))
    assert "already registered for “国税庁”" in refused(response)
    assert Vendor.objects.count() == 1


# --- licences on the registry's form -------------------------------------------------------------


def test_the_form_is_for_certifications_and_licences(consultant_client):
    page = consultant_client.get(reverse("vendor_create")).content.decode()
    assert "<legend>Certifications and licences</legend>" in page
    assert 'value="dispatch"' in page and 'value="sharoushi"' in page
    assert 'name="corporate_number"' in page


def test_a_dispatch_licence_is_saved_with_its_number(consultant_client):
    response = consultant_client.post(
        reverse("vendor_create"),
        licence_form(
            "dispatch", "派１３－１２３４５６", NEXT_YEAR.isoformat(), services=["dispatch"]
        ),
    )
    assert response.status_code == 302
    licence = Certification.objects.get(kind="dispatch")
    assert (licence.number, licence.expires_on) == ("派13-123456", NEXT_YEAR)
    page = consultant_client.get(response["Location"]).content.decode()
    assert "Worker dispatching licence (労働者派遣事業)" in page and "派13-123456" in page


@pytest.mark.parametrize(
    ("kind", "number", "message"),
    [
        pytest.param("sharoushi", "", "Number: a licence or registration is recorded", id="none"),
        pytest.param("dispatch", " ", "Number: a licence or registration is recorded", id="blank"),
        pytest.param("dispatch", "13-123456", "reads like 派13-123456", id="no-派"),
        pytest.param("dispatch", "派48-123456", "reads like 派13-123456", id="no-prefecture-48"),
        pytest.param("dispatch", "派13-12345", "reads like 派13-123456", id="five-digits"),
    ],
)
def test_a_licence_without_a_proper_number_is_refused(consultant_client, kind, number, message):
    response = consultant_client.post(reverse("vendor_create"), licence_form(kind, number))
    assert message in refused(response)
    assert not Vendor.objects.exists() and not Certification.objects.exists()


def test_an_unknown_licence_is_refused_naming_the_field(consultant_client):
    response = consultant_client.post(reverse("vendor_create"), licence_form("tax_agent", "1"))
    page = refused(response)
    assert "Certification or licence: “tax_agent” is not one the registry knows" in page
    assert not Vendor.objects.exists()


def test_a_certification_still_needs_no_number(consultant_client):
    response = consultant_client.post(reverse("vendor_create"), licence_form("iso9001", ""))
    assert response.status_code == 302


def test_the_history_names_the_corporate_number_and_the_licences(consultant_client):
    vendor = make_certified_vendor("社会保険労務士法人みなと", ["bpo"], "isms")
    data = licence_form(
        "sharoushi",
        "第13990001号",
        name=vendor.name,
        services=["bpo"],
        corporate_number="2010401099001",
        **{
            "certifications-0-id": str(vendor.certifications.get().pk),
            "certifications-INITIAL_FORMS": "1",
        },
    )
    response = consultant_client.post(reverse("vendor_edit", args=[vendor.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    history = consultant_client.get(response["Location"]).content.decode()
    assert "Corporate number (法人番号)" in history and "2010401099001" in history
    assert "Labour and social security attorney (社労士) 第13990001号" in history
    event = Event.objects.filter(subject_type=SubjectType.VENDOR, subject_id=vendor.pk).last()
    assert {change["field"] for change in event.changes} >= {"corporate_number", "certifications"}


def test_a_bid_holds_the_licences_as_the_registry_had_them(checked):
    checked.create_packages()
    package = checked.packages.get(model="bpo")
    haken = make_certified_vendor("派遣のひまわり", ["dispatch"], "dispatch")
    bid, _created = Bid.invite(package, haken)
    assert bid.registry["certifications"] == [["dispatch", ""]]
    bid.full_clean()  # the held entry is one the model accepts


# --- the knock-outs, before and after invitation -----------------------------------------------


@pytest.fixture
def social_insurance(bpo: Package) -> Package:
    """The BPO package (payroll and invoices, personal data), its payroll task being social-
    insurance filings for the client: 社労士 work."""
    bpo.tasks.filter(task="Payroll").update(licensed_work="sharoushi")
    return bpo


@pytest.fixture
def minato() -> Vendor:
    """A 社労士法人 with ISMS, every item of its security check met."""
    vendor = make_certified_vendor("社会保険労務士法人みなと", ["bpo"], "isms")
    Certification.objects.create(vendor=vendor, kind="sharoushi", number="第13990001号")
    for item in SECURITY_ITEMS:
        SecurityCheck.objects.create(vendor=vendor, item=item, status="met")
    return vendor


def invite_list(client, package: Package) -> str:
    response = client.get(url("package_vendors", package))
    assert response.status_code == 200
    return response.content.decode().split('data-table="invite-list"')[1].split("</table>")[0]


def candidate(listing: str, name: str) -> str:
    return listing.split(f'data-candidate="{name}"')[1].split("</tr>")[0]


def test_before_inviting_kenji_sees_who_the_licensed_work_excludes(
    consultant_client, social_insurance, minato, sakura
):
    listing = invite_list(consultant_client, social_insurance)
    assert 'data-eligible="true"' in candidate(listing, minato.name)
    sakura_row = candidate(listing, "Sakura Business")
    assert 'data-eligible="false"' in sakura_row and "Would be excluded" in sakura_row
    assert (
        "No valid registration for the package&#x27;s licensed work: "
        "Labour and social security attorney (社労士)"
    ) in sakura_row
    assert Bid.objects.count() == 0  # nothing invited to show this


def test_a_security_item_not_met_excludes_from_personal_data(
    consultant_client, bpo, minato, sakura
):
    SecurityCheck.objects.create(vendor=sakura, item="incident_response", status="not_met")
    listing = invite_list(consultant_client, bpo)
    assert "Security check not met (Incident response)" in candidate(listing, "Sakura Business")
    assert 'data-eligible="true"' in candidate(listing, minato.name)


def test_the_privacy_mark_only_warning_for_confidential_business_data(
    consultant_client, bpo, mirai
):
    bpo.tasks.filter(task="Payroll").update(confidentiality="confidential")
    row = candidate(invite_list(consultant_client, bpo), "Mirai Outsourcing")
    assert 'data-eligible="true"' in row and "data-caution" in row
    assert "Holds the Privacy Mark only: it covers personal information" in row


def test_no_privacy_mark_warning_for_personal_data_only(consultant_client, bpo, mirai):
    assert "data-caution" not in candidate(invite_list(consultant_client, bpo), mirai.name)


def test_a_staffing_package_needs_the_dispatch_licence_not_isms(consultant_client, checked):
    package = make_package(checked, "dispatch", "派遣: 経理部")
    checked.tasks.filter(task="Invoices").update(package=package)  # personal data
    licensed = make_certified_vendor("派遣のひまわり", ["dispatch"])
    Certification.objects.create(vendor=licensed, kind="dispatch", number="派13-123456")
    make_certified_vendor("無許可スタッフ", ["dispatch"], "isms")
    listing = invite_list(consultant_client, package)
    assert 'data-eligible="true"' in candidate(listing, "派遣のひまわり")
    unlicensed = candidate(listing, "無許可スタッフ")
    assert 'data-eligible="false"' in unlicensed
    assert "No valid worker dispatching licence (労働者派遣事業 許可番号)" in unlicensed


def test_an_excluded_vendor_can_still_be_invited_and_is_marked(
    consultant_client, social_insurance, sakura
):
    response = consultant_client.post(
        url("package_invite", social_insurance), {"vendor": sakura.pk}, follow=True
    )
    page = response.content.decode()
    assert "Sakura Business invited." in page
    assert "The package&#x27;s knock-outs exclude Sakura Business" in page
    bid = Bid.objects.get()
    row = page.split(f'id="bid-{bid.pk}"')[1].split("</tr>")[0]
    assert "data-excluded" in row and "社労士" in row
    chosen = selection.package_selection(social_insurance)
    assert chosen.ranking[0].exclusion_reasons == ("licence_missing",)


def test_the_select_groups_the_vendors_by_what_the_knock_outs_say(
    consultant_client, social_insurance, minato, sakura
):
    page = consultant_client.get(url("package_vendors", social_insurance)).content.decode()
    select = page.split('id="id_vendor"')[1].split("</select>")[0]
    eligible, excluded = select.split("<optgroup")[1:]
    assert minato.name in eligible and "Sakura Business" in excluded


def test_only_the_consultant_sees_the_invite_list(manager_client, viewer_client, bpo, minato):
    for client in (manager_client, viewer_client):
        page = client.get(url("package_vendors", bpo)).content.decode()
        assert 'data-table="invite-list"' not in page and minato.name not in page


def test_the_invite_list_takes_the_same_queries_for_one_or_many_vendors(
    consultant_client, social_insurance, minato
):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            consultant_client.get(url("package_vendors", social_insurance))
        return len(queries)

    one = count()
    for number in range(6):
        vendor = make_certified_vendor(f"Vendor {number}", ["bpo"], "isms", "sharoushi")
        SecurityCheck.objects.create(vendor=vendor, item="audit_logs", status="not_met")
    assert count() == one


def test_the_stepper_counts_a_vendor_without_the_registration_as_excluded(
    social_insurance, sakura, minato, manager
):
    sakura_bid, _created = Bid.invite(social_insurance, sakura)
    Evaluation.objects.create(bid=sakura_bid, evaluator=manager, submitted_at="2026-01-05T10:00Z")
    assert _packages_with_eligible_vendor(social_insurance.assessment)[1] == 0
    minato_bid, _created = Bid.invite(social_insurance, minato)
    Evaluation.objects.create(bid=minato_bid, evaluator=manager, submitted_at="2026-01-05T10:00Z")
    assert _packages_with_eligible_vendor(social_insurance.assessment)[1] == 1
