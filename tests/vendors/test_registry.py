"""The vendor registry in the browser, as its users meet it: Kenji (consultant) keeps the registry;
Hanako (manager), the viewer and the outsider never see it, not even that it exists."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import LAST_MONTH, NEXT_YEAR, SECURITY_ITEMS, TODAY, make_vendor
from tests.helpers import vendor_form
from vendors.models import Certification, SecurityCheck, Vendor
from vendors.web.forms import VendorForm

pytestmark = pytest.mark.django_db


def test_consultant_creates_a_vendor_with_certifications_and_the_security_check(
    consultant_client,
):
    response = consultant_client.post(reverse("vendor_create"), vendor_form())
    vendor = Vendor.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("vendor_detail", args=[vendor.pk])
    assert (vendor.name, vendor.services) == ("株式会社ひかりビジネスサービス", ["bpo", "kpo"])
    assert (vendor.industries, vendor.locations) == ("製造業, 卸売業", "東京, 札幌")
    assert (vendor.track_record, vendor.contacts) == ("経理BPO 120社", "営業部 佐藤")
    assert set(vendor.certifications.values_list("kind", "number", "expires_on")) == {
        ("isms", "IS 123456", NEXT_YEAR),
        ("pmark", "10820001", None),
    }
    assert dict(vendor.security_checks.values_list("item", "status")) == {
        "certifications": "met",
        "access_control": "met",
        "audit_logs": "met",
        "resubcontracting": "partly",
        "incident_response": "met",
    }
    assert vendor.security_checks.get(item="resubcontracting").note == "再委託先は事前承認制"
    page = consultant_client.get(response["Location"]).content.decode()
    assert "株式会社ひかりビジネスサービス" in page and "4/5 met" in page
    assert "“株式会社ひかりビジネスサービス” saved." in page


def test_services_are_kept_in_the_models_order(consultant_client):
    consultant_client.post(reverse("vendor_create"), vendor_form(services=["subcontract", "ito"]))
    assert Vendor.objects.get().services == ["ito", "subcontract"]


def test_the_form_shows_all_five_items_and_the_saved_values(consultant_client):
    vendor = make_vendor("株式会社あおばシステムズ")
    page = consultant_client.get(reverse("vendor_edit", args=[vendor.pk])).content.decode()
    for item in SECURITY_ITEMS:
        assert f'name="security-{item}-status"' in page
        assert f'name="security-{item}-note"' in page
    assert 'name="services" value="bpo"' in page and 'value="in_house"' not in page
    assert '<option value="not_met" selected>' in page  # re-subcontracting
    assert page.count('<option value="unknown" selected>') == 1  # incident response: unchecked
    assert 'type="date"' in page and NEXT_YEAR.isoformat() in page


def test_editing_replaces_removes_and_adds_in_one_save(consultant_client):
    vendor = make_vendor("株式会社あおばシステムズ")
    isms, iso = vendor.certifications.order_by("kind")
    data = vendor_form(
        name="株式会社あおばシステムズ",
        services=["ito"],
        **{
            "certifications-TOTAL_FORMS": "3",
            "certifications-INITIAL_FORMS": "2",
            "certifications-0-id": str(iso.pk),
            "certifications-0-kind": "iso9001",
            "certifications-0-number": "",
            "certifications-0-expires_on": "",
            "certifications-0-DELETE": "on",
            "certifications-1-id": str(isms.pk),
            "certifications-1-kind": "isms",
            "certifications-1-number": "IS 9",
            "certifications-1-expires_on": "2030-03-31",
            "certifications-2-kind": "pmark",
            "certifications-2-number": "",
            "certifications-2-expires_on": "2031-01-31",
        },
    )
    response = consultant_client.post(reverse("vendor_edit", args=[vendor.pk]), data)
    assert response.status_code == 302
    vendor.refresh_from_db()
    assert vendor.services == ["ito"]
    assert set(vendor.certifications.values_list("kind", "number", "expires_on")) == {
        ("isms", "IS 9", datetime.date(2030, 3, 31)),
        ("pmark", "", datetime.date(2031, 1, 31)),
    }
    assert vendor.security_checks.count() == 5
    assert vendor.security_checks.get(item="resubcontracting").status == "partly"


def assert_nothing_saved(response, message: str) -> None:
    page = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was saved" in page
    assert message in page, page


def test_a_duplicate_name_in_any_case_is_refused(consultant_client):
    Vendor.objects.create(name="Acme Staffing KK")
    response = consultant_client.post(
        reverse("vendor_create"), vendor_form(name="ACME staffing kk")
    )
    assert_nothing_saved(response, "“Acme Staffing KK” is already in the registry.")
    assert Vendor.objects.count() == 1
    assert not Certification.objects.exists() and not SecurityCheck.objects.exists()


def test_renaming_to_another_vendors_name_is_refused_and_keeping_ones_own_is_not(
    consultant_client,
):
    make_vendor("株式会社つばさ人材")
    vendor = make_vendor("株式会社あおばシステムズ")
    url = reverse("vendor_edit", args=[vendor.pk])
    data = vendor_form(name="株式会社つばさ人材", **{"certifications-TOTAL_FORMS": "0"})
    assert_nothing_saved(consultant_client.post(url, data), "is already in the registry")
    data["name"] = "株式会社あおばシステムズ"
    assert consultant_client.post(url, data).status_code == 302


def test_a_bad_date_saves_nothing_not_even_the_vendor(consultant_client):
    data = vendor_form(**{"certifications-1-expires_on": "2026-02-31"})
    response = consultant_client.post(reverse("vendor_create"), data)
    assert_nothing_saved(response, "Enter a valid date.")
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Vendor.objects.exists() and not Certification.objects.exists()


def test_a_bad_date_on_edit_leaves_the_vendor_as_it_was(consultant_client):
    vendor = make_vendor("株式会社あおばシステムズ")
    before = (
        list(Vendor.objects.values()),
        list(Certification.objects.values()),
        list(SecurityCheck.objects.values()),
    )
    data = vendor_form(name="Renamed", **{"certifications-0-expires_on": "31/12/2027"})
    response = consultant_client.post(reverse("vendor_edit", args=[vendor.pk]), data)
    assert_nothing_saved(response, "Enter a valid date.")
    assert '<h1 class="h3 mb-3">株式会社あおばシステムズ</h1>' in response.content.decode()
    after = (
        list(Vendor.objects.values()),
        list(Certification.objects.values()),
        list(SecurityCheck.objects.values()),
    )
    assert after == before


def test_an_unknown_service_is_refused(consultant_client):
    for service in ("teleportation", "in_house"):
        response = consultant_client.post(
            reverse("vendor_create"), vendor_form(services=["bpo", service])
        )
        assert_nothing_saved(response, f"Select a valid choice. {service} is not one of")
    assert not Vendor.objects.exists()


def test_an_unknown_security_status_is_refused(consultant_client):
    data = vendor_form(**{"security-audit_logs-status": "perfect"})
    assert_nothing_saved(consultant_client.post(reverse("vendor_create"), data), "perfect")
    assert not Vendor.objects.exists()


def test_a_certification_without_kind_is_refused(consultant_client):
    data = vendor_form(**{"certifications-1-kind": ""})
    response = consultant_client.post(reverse("vendor_create"), data)
    assert_nothing_saved(response, "This field is required.")
    assert not Vendor.objects.exists()


def test_an_expired_certification_is_shown_as_expired_and_not_counted(consultant_client):
    vendor = make_vendor("株式会社こだまデータ", expired_isms=True)
    assert vendor.valid_certifications(TODAY) == {"iso9001"}
    listing = consultant_client.get(reverse("vendor_list")).content.decode()
    expired = f'<s>ISMS / ISO 27001</s> <span class="text-danger">expired {LAST_MONTH:%Y-%m-%d}'
    assert expired in listing
    assert 'data-certification="isms" data-valid="false"' in listing
    assert 'data-certification="iso9001" data-valid="true"' in listing
    detail = consultant_client.get(reverse("vendor_detail", args=[vendor.pk])).content.decode()
    assert 'data-certification="isms" data-valid="false"' in detail
    assert "Expired: counts as missing" in detail
    assert 'data-certification="iso9001" data-valid="true"' in detail


def test_the_list_shows_services_locations_and_the_check_summary(consultant_client):
    make_vendor("株式会社あおばシステムズ")
    page = consultant_client.get(reverse("vendor_list")).content.decode()
    assert "株式会社あおばシステムズ" in page and "BPO" in page and "大阪" in page
    assert 'data-security-met="3">3/5 met' in page


def test_the_detail_shows_every_item_of_the_check(consultant_client):
    vendor = make_vendor("株式会社あおばシステムズ")
    page = consultant_client.get(reverse("vendor_detail", args=[vendor.pk])).content.decode()
    for label in ("Certifications", "Access control", "Audit logs", "Re-subcontracting"):
        assert f'<th scope="row">{label}</th>' in page
    assert '<th scope="row">Incident response</th>' in page and "Not checked" in page
    assert '<span class="badge security-not_met">Not met</span>' in page


def test_search_by_name(consultant_client):
    make_vendor("株式会社あおばシステムズ")
    make_vendor("株式会社つばさ人材")
    page = consultant_client.get(reverse("vendor_list"), {"q": "つばさ"}).content.decode()
    assert "株式会社つばさ人材" in page and "株式会社あおばシステムズ" not in page
    page = consultant_client.get(reverse("vendor_list"), {"q": "nobody"}).content.decode()
    assert "No vendor's name contains “nobody”." in page


def list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("vendor_list")).status_code == 200
    return len(queries)


def test_the_list_takes_as_many_queries_for_ten_vendors_as_for_one(consultant_client):
    make_vendor("Vendor 0")
    one = list_queries(consultant_client)
    for number in range(1, 10):
        make_vendor(f"Vendor {number}", expired_isms=number % 2 == 0)
    assert list_queries(consultant_client) == one


@pytest.mark.parametrize("who", ["manager_client", "viewer_client", "outsider_client"])
def test_no_one_but_consultants_learns_the_registry_exists(who, request):
    client = request.getfixturevalue(who)
    vendor = make_vendor("株式会社あおばシステムズ")
    for url in (
        reverse("vendor_list"),
        reverse("vendor_create"),
        reverse("vendor_detail", args=[vendor.pk]),
        reverse("vendor_edit", args=[vendor.pk]),
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url, vendor_form(name="Changed")).status_code == 404, url
    assert list(Vendor.objects.values_list("name", flat=True)) == ["株式会社あおばシステムズ"]
    assert 'href="/vendors/"' not in client.get(reverse("home")).content.decode()


def test_consultants_and_staff_see_the_vendors_link(consultant_client, admin_client):
    for client in (consultant_client, admin_client):
        assert 'href="/vendors/"' in client.get(reverse("home")).content.decode()
    assert admin_client.get(reverse("vendor_list")).status_code == 200


def test_an_unknown_vendor_is_404_for_a_consultant(consultant_client):
    assert consultant_client.get(reverse("vendor_detail", args=[999])).status_code == 404
    assert consultant_client.get(reverse("vendor_edit", args=[999])).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("vendor_list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("model", ["vendor", "bid", "evaluation"])
def test_admin_lists_load(admin_client, model):
    assert admin_client.get(reverse(f"admin:vendors_{model}_changelist")).status_code == 200


def test_admin_edits_a_vendor_with_its_inlines(admin_client):
    vendor = make_vendor("株式会社あおばシステムズ")
    page = admin_client.get(reverse("admin:vendors_vendor_change", args=[vendor.pk]))
    assert page.status_code == 200
    content = page.content.decode()
    assert 'name="certifications-0-kind"' in content
    assert 'name="security_checks-0-status"' in content
    assert 'type="checkbox" name="services" value="bpo"' in content


def test_a_name_taken_at_the_same_moment_is_a_message_not_a_500(consultant_client, monkeypatch):
    # The form's own check passed (the other save had not landed yet); the database refuses.
    monkeypatch.setattr(VendorForm, "clean_name", lambda form: form.cleaned_data["name"])
    monkeypatch.setattr(VendorForm, "validate_unique", lambda form: None)
    Vendor.objects.create(name="Acme Staffing KK")
    response = consultant_client.post(
        reverse("vendor_create"), vendor_form(name="Acme Staffing KK")
    )
    assert response.status_code == 200
    assert "This name was just taken by another vendor." in response.content.decode()
    assert Vendor.objects.count() == 1
