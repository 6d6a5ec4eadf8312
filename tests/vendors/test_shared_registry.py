"""A registry no organisation can bend (issue 13). The registry is the site's, so a vendor can be
invited by company A and company B at once. What company A's package evaluates of a vendor is
held on its bid; a change of the registry, made by anyone, shows there as a change to confirm and
in the history, and changing a vendor that other organisations' packages invited is site
staff's. The vendor form refuses a save over someone else's newer one, like every other form.

The people: Kenji, consultant of A and B; Hanako, A's manager; the outsider, made consultant of
B only (the attacker of the issue); Aiko, a second consultant of A; a site staff member."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment, Package
from assessments.reporting.progress import _packages_with_eligible_vendor
from outsourcing_advisor.accounts.models import Membership, Role
from outsourcing_advisor.history.models import Action, Event, SubjectType
from tests.factories import make_member, make_user, make_vendor, same_quotes
from tests.helpers import bid_url, blocked_on_a_lock, client_for, upload, vendor_form
from vendors.models import Bid, Evaluation, Vendor
from vendors.services import selection

pytestmark = pytest.mark.django_db


@pytest.fixture
def rival(outsider: User) -> Client:
    """The outsider, now a consultant of company B only: sees the site's registry."""
    Membership.objects.filter(user=outsider).update(role=Role.CONSULTANT)
    return client_for(outsider)


@pytest.fixture
def aiko(company_a) -> Client:
    return client_for(make_member("aiko", company_a, Role.CONSULTANT))


@pytest.fixture
def staff_client() -> Client:
    user = make_user("staff")
    user.is_staff = True
    user.save()
    return client_for(user)


@pytest.fixture
def mirai_wins(invited, manager, consultant) -> tuple[Bid, Bid]:
    """A's BPO package (personal data) with both evaluators' submitted scores: Mirai (Privacy
    Mark) first, Sakura (ISMS) second; the same quotes, so the quality decides."""
    same_quotes(*invited)
    now = timezone.now()
    for bid, score in zip(invited, (5, 3), strict=True):
        for evaluator in (manager, consultant):
            scores = dict.fromkeys(selection.weights_for(bid.package.assessment), score)
            Evaluation.objects.create(bid=bid, evaluator=evaluator, scores=scores, submitted_at=now)
    return invited


def edit_url(vendor: Vendor) -> str:
    return reverse("vendor_edit", args=[vendor.pk])


def posted(forms: list[Any]) -> dict[str, Any]:
    """What these forms post unchanged, as shown."""
    data: dict[str, Any] = {}
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is not None and value is not False:  # 0 is a value (TOTAL_FORMS)
                data[form.add_prefix(name)] = value
    return data


def shown(response: Any) -> dict[str, Any]:
    """What the vendor's edit page posts unchanged: the vendor (with its stamp), its
    certifications and its security check."""
    assert response.status_code == 200
    certifications = response.context["certifications"]
    return posted(
        [
            response.context["form"],
            response.context["checks"],
            certifications.management_form,
            *certifications.forms,
        ]
    )


def opened(client: Client, vendor: Vendor) -> dict[str, Any]:
    return shown(client.get(edit_url(vendor)))


def removing_certifications(data: dict[str, Any]) -> dict[str, Any]:
    """The same page with every saved certification ticked for removal."""
    initial = int(data["certifications-INITIAL_FORMS"])
    return {**data, **{f"certifications-{row}-DELETE": "on" for row in range(initial)}}


def winners(package: Package) -> tuple[str, ...]:
    return tuple(r.name for r in selection.package_selection(package).ranking if r.rank == 1)


def facts_now(vendor: Vendor) -> dict[str, Any]:
    return (
        Vendor.objects.prefetch_related("certifications", "security_checks")
        .get(pk=vendor.pk)
        .registry_facts()
    )


def b_invites(vendor: Vendor, company_b) -> Bid:
    assessment = Assessment.objects.start(organisation=company_b, name="Midori 2026")
    package = Package.objects.create(assessment=assessment, name="BPO", model="bpo")
    return Bid.invite(package, vendor)[0]


# --- the attack of the issue ---------------------------------------------------------------------


def test_a_consultant_of_b_only_cannot_change_a_vendor_that_a_invited(rival, mirai_wins, mirai):
    """The issue's attack: B's consultant removes the certifications of a vendor in A's package.
    Refused (403), nothing changed; the vendor's page says who can change it."""
    assert rival.get(reverse("vendor_detail", args=[mirai.pk])).status_code == 200
    assert rival.get(edit_url(mirai)).status_code == 403
    data = vendor_form(name=mirai.name, services=["bpo", "kpo"])  # no certifications
    assert rival.post(edit_url(mirai), data).status_code == 403
    assert list(mirai.certifications.values_list("kind", flat=True)) == ["pmark"]
    assert winners(mirai_wins[0].package) == ("Mirai Outsourcing",)
    page = rival.get(reverse("vendor_detail", args=[mirai.pk])).content.decode()
    assert edit_url(mirai) not in page and "only site staff can change it" in page


def test_a_registry_change_made_for_b_leaves_as_winner_and_shows_on_as_package(
    consultant_client, manager_client, mirai_wins, mirai, company_b
):
    """Kenji (consultant of A and of B, so allowed) removes Mirai's Privacy Mark for B's sake.
    A's package keeps evaluating the Privacy Mark it accepted: the winner stays, the stepper's
    step 4 too; A's package and ranking say the registry changed, and A's history says how."""
    package = mirai_wins[0].package
    b_invites(mirai, company_b)
    steps_before = _packages_with_eligible_vendor(package.assessment)
    data = removing_certifications(opened(consultant_client, mirai))
    assert consultant_client.post(edit_url(mirai), data).status_code == 302
    assert not mirai.certifications.exists()

    assert winners(package) == ("Mirai Outsourcing",)
    assert _packages_with_eligible_vendor(package.assessment) == steps_before
    page = manager_client.get(bid_url("package_vendors", package)).content.decode()
    row = page.split(f'id="bid-{mirai_wins[0].pk}"')[1].split("</tr>")[0]
    assert "Registry changed since the evaluation" in row and "data-registry-changed" in row
    assert "Certifications and licences: Privacy Mark → —" in row
    ranking = page.split('data-table="ranking"')[1].split("</table>")[0]
    mirai_row = ranking.split('data-vendor="Mirai Outsourcing"')[1].split("</tr>")[0]
    assert "Registry changed since the evaluation" in mirai_row
    # Only a consultant of A may confirm it: Hanako has no button, Kenji has.
    assert "Use the registry as it is now" not in row
    assert (
        "Use the registry as it is now"
        in consultant_client.get(bid_url("package_vendors", package))
        .content.decode()
        .split(f'id="bid-{mirai_wins[0].pk}"')[1]
        .split("</tr>")[0]
    )

    history = manager_client.get(reverse("assessment_history", args=[package.assessment_id]))
    history = history.content.decode()
    assert "“Mirai Outsourcing”: changed" in history
    assert "Certifications and licences: Privacy Mark → —" in history
    assert f"Invited to {package.name}, which keep evaluating" in history
    # One event for the registry itself, one for each assessment that invited the vendor.
    events = Event.objects.filter(subject_type=SubjectType.VENDOR, subject_id=mirai.pk)
    assert sorted((e.assessment_id or 0) for e in events) == sorted(
        [0, package.assessment_id, Bid.objects.exclude(package=package).get().package.assessment_id]
    )


def confirm(client: Client, bid: Bid, seen: str | None = None) -> Any:
    bid.vendor.refresh_from_db()
    stamp = bid.vendor.updated_at.isoformat() if seen is None else seen
    return client.post(bid_url("bid_registry", bid.package, bid.pk), {"seen": stamp}, follow=True)


def test_a_consultant_of_a_confirms_the_change_and_the_package_evaluates_it(
    consultant_client, manager_client, mirai_wins, mirai
):
    package = mirai_wins[0].package
    data = removing_certifications(opened(consultant_client, mirai))
    consultant_client.post(edit_url(mirai), data)
    assert confirm(manager_client, mirai_wins[0]).status_code == 403  # a manager: not theirs

    response = confirm(consultant_client, mirai_wins[0])
    assert "is now evaluated as the registry has it" in response.content.decode()
    assert winners(package) == ("Sakura Business",)  # Mirai: no Privacy Mark for personal data
    page = response.content.decode()
    assert "data-registry-changed" not in page
    event = Event.objects.get(subject_type=SubjectType.REGISTRY)
    assert (event.action, event.assessment_id, event.subject_id) == (
        Action.CONFIRMED,
        package.assessment_id,
        mirai_wins[0].pk,
    )
    history = manager_client.get(reverse("assessment_history", args=[package.assessment_id]))
    assert (
        "Certifications and licences: Privacy Mark → —"
        in history.content.decode().split("confirmed")[1]
    )
    # Confirming again (a second click) changes and records nothing.
    confirm(consultant_client, mirai_wins[0])
    assert Event.objects.filter(subject_type=SubjectType.REGISTRY).count() == 1


def test_a_confirmation_from_before_another_change_is_refused(consultant_client, mirai_wins, mirai):
    """Kenji confirms what his page showed; a change made after it is not confirmed unseen."""
    shown = mirai.updated_at.isoformat()
    consultant_client.post(
        edit_url(mirai), removing_certifications(opened(consultant_client, mirai))
    )
    response = confirm(consultant_client, mirai_wins[0], seen=shown)
    assert "changed again since the page was shown" in response.content.decode()
    assert winners(mirai_wins[0].package) == ("Mirai Outsourcing",)
    assert not Event.objects.filter(subject_type=SubjectType.REGISTRY).exists()


def test_an_invitation_holds_the_registry_as_it_is(consultant_client, bpo, mirai):
    consultant_client.post(bid_url("package_invite", bpo), {"vendor": mirai.pk})
    bid = bpo.bids.get()
    assert bid.registry["certifications"] == [["pmark", ""]]
    assert bid.registry == facts_now(mirai)


def test_an_evaluation_file_holds_the_registry_of_the_vendors_it_invites(consultant_client, ready):
    upload(consultant_client, ready)
    bids = Bid.objects.select_related("vendor")
    assert bids and all(b.registry == facts_now(b.vendor) for b in bids)


# --- who may change a vendor -------------------------------------------------------------------


def test_any_consultant_adds_vendors_and_changes_those_no_one_else_invited(
    rival, company_b, outsider
):
    assert rival.post(reverse("vendor_create"), vendor_form()).status_code == 302
    vendor = Vendor.objects.get()
    b_invites(vendor, company_b)  # B's own package: still B's consultant's to change
    data = {**opened(rival, vendor), "locations": "那覇"}
    assert rival.post(edit_url(vendor), data).status_code == 302
    vendor.refresh_from_db()
    assert vendor.locations == "那覇"
    created = Event.objects.get(subject_type=SubjectType.VENDOR, action=Action.CREATED)
    assert (created.actor, created.organisation_id) == (outsider, None)


def test_staff_and_a_consultant_of_every_inviting_organisation_may_change_a_shared_vendor(
    consultant_client, staff_client, rival, mirai_wins, mirai, company_b
):
    b_invites(mirai, company_b)
    for client, locations in ((consultant_client, "京都"), (staff_client, "神戸")):
        data = {**opened(client, mirai), "locations": locations}
        assert client.post(edit_url(mirai), data).status_code == 302
        mirai.refresh_from_db()
        assert mirai.locations == locations
    assert rival.get(edit_url(mirai)).status_code == 403
    # A's and B's histories name the staff member, without linking an account that is not
    # theirs (an organisation's export carries the accounts its events link).
    copies = Event.objects.filter(subject_type=SubjectType.VENDOR, assessment__isnull=False)
    assert {(e.actor_name, e.actor is None) for e in copies} == {("kenji", False), ("staff", True)}


# --- no lost updates on the vendor form ----------------------------------------------------------


def refusal(response: Any) -> str:
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert len(errors) == 1
    return errors[0]


def test_the_second_save_of_a_vendor_is_refused_and_the_first_stays(consultant_client, aiko):
    """The issue's finding: Aiko's save from a page older than Kenji's save overwrote it."""
    vendor = make_vendor("株式会社あおばシステムズ")
    kenjis, aikos = opened(consultant_client, vendor), opened(aiko, vendor)
    assert (
        consultant_client.post(edit_url(vendor), {**kenjis, "locations": "福岡"}).status_code == 302
    )

    response = aiko.post(edit_url(vendor), {**aikos, "notes": "年内に再確認"})
    message = refusal(response)
    assert "Someone else saved the vendor 株式会社あおばシステムズ" in message
    assert "Locations: now “福岡” (yours: “大阪”)" in message
    assert "Someone else saved the vendor" in response.content.decode()
    vendor.refresh_from_db()
    assert (vendor.locations, vendor.notes) == ("福岡", "")
    # Aiko's input is kept, stamped with what is stored now: saving again replaces Kenji's.
    form = response.context["form"]
    assert form["notes"].value() == "年内に再確認"
    assert form["seen"].value() == vendor.updated_at.isoformat()
    assert aiko.post(edit_url(vendor), shown(response)).status_code == 302
    vendor.refresh_from_db()
    assert (vendor.locations, vendor.notes) == ("大阪", "年内に再確認")


def test_a_save_over_removed_certifications_is_refused_and_can_be_saved_again(
    consultant_client, aiko
):
    """Kenji removed the certifications Aiko's page still shows: her save is refused as a
    conflict naming them (not as rows that no longer exist), and saving again restores them."""
    vendor = make_vendor("株式会社あおばシステムズ")
    kenjis, aikos = opened(consultant_client, vendor), opened(aiko, vendor)
    consultant_client.post(edit_url(vendor), removing_certifications(kenjis))

    response = aiko.post(edit_url(vendor), {**aikos, "notes": "年内に再確認"})
    assert "Certifications and licences: now “—” (yours: “ISMS / ISO 27001 until" in refusal(
        response
    )
    assert not vendor.certifications.exists()
    assert aiko.post(edit_url(vendor), shown(response)).status_code == 302
    assert sorted(vendor.certifications.values_list("kind", flat=True)) == ["isms", "iso9001"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_a_vendor_save_at_the_same_instant_as_another_waits_and_is_refused(
    published_defaults, consultant_client, aiko
):
    """Kenji's save is under way (his transaction has locked the vendor, as the form's view
    does) when Aiko saves her older page: her check waits for his commit and then sees it."""
    vendor = make_vendor("株式会社あおばシステムズ")
    aikos = opened(aiko, vendor)
    responses = []

    def aiko_saves() -> None:
        try:
            responses.append(aiko.post(edit_url(vendor), {**aikos, "notes": "年内に再確認"}))
        finally:
            connection.close()  # this thread's own connection

    with transaction.atomic():  # Kenji's save
        Vendor.objects.select_for_update().get(pk=vendor.pk)
        thread = threading.Thread(target=aiko_saves)
        thread.start()
        assert blocked_on_a_lock(), "Aiko's save should wait for Kenji's"
        Vendor.objects.filter(pk=vendor.pk).update(locations="福岡", updated_at=timezone.now())
    thread.join(timeout=20)
    assert not thread.is_alive() and len(responses) == 1
    assert "Locations: now “福岡” (yours: “大阪”)" in refusal(responses[0])
    vendor.refresh_from_db()
    assert (vendor.locations, vendor.notes) == ("福岡", "")


def test_a_vendor_saved_without_a_conflict_is_recorded_on_its_page(consultant_client):
    vendor = make_vendor("株式会社あおばシステムズ")
    data = {**opened(consultant_client, vendor), "security-incident_response-status": "met"}
    assert consultant_client.post(edit_url(vendor), data).status_code == 302
    page = consultant_client.get(reverse("vendor_detail", args=[vendor.pk])).content.decode()
    assert "Incident response: status: Not checked → Met" in page
    # Saving the page unchanged records nothing.
    consultant_client.post(edit_url(vendor), opened(consultant_client, vendor))
    assert Event.objects.filter(subject_type=SubjectType.VENDOR).count() == 1


def admin_page_data(response: Any) -> dict[str, Any]:
    """What the admin's vendor page posts unchanged: the vendor and its two inlines."""
    assert response.status_code == 200
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    return posted(forms)


def test_a_change_and_a_deletion_in_the_admin_are_recorded_too(admin_client, mirai_wins, mirai):
    url = reverse("admin:vendors_vendor_change", args=[mirai.pk])
    data = admin_page_data(admin_client.get(url))
    data["certifications-0-DELETE"] = "on"
    assert admin_client.post(url, data).status_code == 302
    assert winners(mirai_wins[0].package) == ("Mirai Outsourcing",)  # held, as on the pages
    changed = Event.objects.filter(subject_type=SubjectType.VENDOR, action=Action.CHANGED)
    assert {e.assessment_id for e in changed} == {None, mirai_wins[0].package.assessment_id}
    assert changed[0].changes == [
        {"field": "certifications", "old": '[["pmark", "", ""]]', "new": "[]"}
    ]

    unused = make_vendor("株式会社あおばシステムズ")
    delete = reverse("admin:vendors_vendor_delete", args=[unused.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    deleted = Event.objects.get(subject_type=SubjectType.VENDOR, action=Action.DELETED)
    assert (deleted.subject_id, deleted.subject_repr) == (unused.pk, "株式会社あおばシステムズ")
