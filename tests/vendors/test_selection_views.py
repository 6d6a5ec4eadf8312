"""The vendor selection of a package as its people live it: Kenji (consultant) invites vendors and
enters their quotes, Hanako (manager) and Kenji score them independently, and the ranking with
its spread and sensitivity appears once each has submitted. A viewer reads; an outsider gets 404
(tests/test_authorization.py walks every URL)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.domain.choices import VendorCriterion
from assessments.models import Package
from tests.factories import same_quotes
from tests.helpers import bid_url as url
from tests.helpers import scores
from vendors.models import Bid, Certification, Evaluation, Vendor
from vendors.services import selection

pytestmark = pytest.mark.django_db

CRITERIA = VendorCriterion.values


def page(client, package: Package) -> str:
    response = client.get(url("package_vendors", package))
    assert response.status_code == 200
    return response.content.decode()


# --- inviting and quoting ----------------------------------------------------------------------


def test_kenji_invites_a_registry_vendor_once(consultant_client, bpo, mirai):
    response = consultant_client.post(url("package_invite", bpo), {"vendor": mirai.pk})
    assert response.status_code == 302
    assert list(bpo.bids.values_list("vendor__name", flat=True)) == ["Mirai Outsourcing"]
    # Invited already: no longer offered, and a second invitation is refused.
    assert f'value="{mirai.pk}"' not in page(consultant_client, bpo).split('name="vendor"')[1]
    response = consultant_client.post(url("package_invite", bpo), {"vendor": mirai.pk}, follow=True)
    assert "not invited yet" in response.content.decode()
    assert bpo.bids.count() == 1


def test_kenji_enters_a_quote_and_sees_cost_saving_and_payback(consultant_client, invited, bpo):
    mirai_bid = invited[0]
    response = consultant_client.post(
        url("bid_quote", bpo, mirai_bid.pk),
        {
            "pricing_model": "volume",
            "initial_fee": "120000",
            "monthly_fee": "20000",
            "unit_price": "150",
            "annual_volume": "1200",
        },
    )
    assert response.status_code == 302
    in_house = selection.package_selection(bpo).in_house_cost
    # (12 × 20,000 + 150 × 1,200) × 1.15 = 483,000
    annual = (12 * Decimal(20000) + 150 * Decimal(1200)) * Decimal("1.15")
    assert annual == Decimal("483000.00")
    html = page(consultant_client, bpo)
    assert "¥483,000" in html
    saving = in_house - annual
    expected_saving = f"¥{saving:,.0f}" if saving >= 0 else f"−¥{-saving:,.0f}"
    assert expected_saving in html
    # The variable share: 180,000 of 420,000 follows the volume.
    assert "42.9%" in html


def test_overhead_is_editable_per_assessment(consultant_client, invited, bpo):
    bid = invited[0]
    Bid.objects.filter(pk=bid.pk).update(pricing_model="subscription", monthly_fee=100000)
    consultant_client.post(
        reverse("assessment_overhead", args=[bpo.assessment_id]),
        {"percent": "20", "package": bpo.pk},
    )
    bpo.assessment.refresh_from_db()
    assert bpo.assessment.overhead_rate == Decimal("0.2")
    assert "¥1,440,000" in page(consultant_client, bpo)  # 1,200,000 × 1.2


@pytest.mark.parametrize("percent", ["-1", "150", "abc", ""])
def test_a_bad_overhead_is_refused_and_changes_nothing(consultant_client, bpo, percent):
    response = consultant_client.post(
        reverse("assessment_overhead", args=[bpo.assessment_id]),
        {"percent": percent, "package": bpo.pk},
        follow=True,
    )
    assert response.status_code == 200
    assert "alert-danger" in response.content.decode() or "alert-error" in response.content.decode()
    bpo.assessment.refresh_from_db()
    assert bpo.assessment.overhead_rate == Decimal("0.15")


@pytest.mark.parametrize(
    "form, field, message",
    [
        ({"pricing_model": "volume", "monthly_fee": "-5"}, "monthly_fee", "greater than or equal"),
        ({"pricing_model": "volume", "initial_fee": "-1", "monthly_fee": "5"}, "initial_fee", ""),
        ({"pricing_model": "volume", "unit_price": "100"}, "annual_volume", "annual volume"),
        ({"pricing_model": "volume"}, None, "monthly fee, a unit price"),
        ({"monthly_fee": "1000"}, "pricing_model", "required"),
        ({"pricing_model": "barter", "monthly_fee": "1000"}, "pricing_model", "valid choice"),
        ({"pricing_model": "volume", "monthly_fee": "1e20"}, "monthly_fee", "digits"),
    ],
)
def test_a_bad_quote_names_the_field_and_saves_nothing(
    consultant_client, invited, bpo, form, field, message
):
    bid = invited[0]
    response = consultant_client.post(url("bid_quote", bpo, bid.pk), form)
    assert response.status_code == 200
    errors = response.context["form"].errors
    key = field or "__all__"
    assert key in errors and message in " ".join(errors[key])
    bid.refresh_from_db()
    assert not bid.has_quote and bid.pricing_model == ""


def test_managers_score_but_do_not_invite_or_quote(manager_client, invited, bpo, sakura):
    bid = invited[0]
    assert manager_client.post(url("package_invite", bpo), {"vendor": sakura.pk}).status_code == 403
    assert manager_client.get(url("bid_quote", bpo, bid.pk)).status_code == 403
    assert manager_client.post(url("bid_remove", bpo, bid.pk)).status_code == 403
    assert manager_client.get(url("bid_score", bpo, bid.pk)).status_code == 200
    html = page(manager_client, bpo)
    assert "Invite a vendor" not in html and url("bid_quote", bpo, bid.pk) not in html


def test_removing_an_invitation_with_evaluations_needs_confirmation(
    consultant_client, manager, invited, bpo
):
    bid = invited[0]
    Evaluation.objects.create(bid=bid, evaluator=manager, scores=dict.fromkeys(CRITERIA, 3))
    consultant_client.post(url("bid_remove", bpo, bid.pk))
    assert Bid.objects.filter(pk=bid.pk).exists()
    consultant_client.post(url("bid_remove", bpo, bid.pk), {"confirm": "yes"})
    assert not Bid.objects.filter(pk=bid.pk).exists()
    assert not Evaluation.objects.filter(bid_id=bid.pk).exists()


# --- scoring independently ---------------------------------------------------------------------


def test_scores_stay_hidden_until_each_evaluator_submits(
    manager_client, consultant_client, invited, bpo
):
    mirai_bid, sakura_bid = invited
    # Hanako scores both vendors and submits, with a comment.
    form = {**scores(5), "comment_security": "ISMS audit report seen"}
    assert manager_client.post(url("bid_score", bpo, mirai_bid.pk), form).status_code == 302
    manager_client.post(url("bid_score", bpo, sakura_bid.pk), scores(3))
    # Kenji has not scored: neither Hanako's scores nor the ranking are shown to him.
    score_page = consultant_client.get(url("bid_score", bpo, mirai_bid.pk)).content.decode()
    assert "ISMS audit report seen" not in score_page and "hanako" not in score_page
    html = page(consultant_client, bpo)
    assert "data-sealed" in html and 'data-table="ranking"' not in html
    # A draft does not unseal: it is not submitted.
    consultant_client.post(url("bid_score", bpo, mirai_bid.pk), scores({"security": 2}, "draft"))
    assert "data-sealed" in page(consultant_client, bpo)
    # Kenji submits both; now he sees Hanako's scores and comment, and the ranking.
    consultant_client.post(url("bid_score", bpo, mirai_bid.pk), scores(4))
    consultant_client.post(url("bid_score", bpo, sakura_bid.pk), scores(2))
    score_page = consultant_client.get(url("bid_score", bpo, mirai_bid.pk)).content.decode()
    assert "ISMS audit report seen" in score_page and "hanako" in score_page
    html = page(consultant_client, bpo)
    assert "data-sealed" not in html and 'data-table="ranking"' in html


def test_the_ranking_shows_totals_each_evaluator_and_the_spread(
    manager_client, consultant_client, viewer_client, invited, bpo
):
    mirai_bid, sakura_bid = invited
    same_quotes(mirai_bid, sakura_bid)  # equal prices: the quality decides
    manager_client.post(url("bid_score", bpo, mirai_bid.pk), scores(5))  # 100
    consultant_client.post(url("bid_score", bpo, mirai_bid.pk), scores(4))  # 75
    manager_client.post(url("bid_score", bpo, sakura_bid.pk), scores(3))  # 50
    consultant_client.post(url("bid_score", bpo, sakura_bid.pk), scores(1))  # 0
    response = viewer_client.get(url("package_vendors", bpo))  # a viewer does not score: sees it
    rows = response.context["ranking_rows"]
    assert [(row.name, row.rank, row.total, row.spread) for row, _totals, _reasons in rows] == [
        ("Mirai Outsourcing", 1, Decimal("87.5"), Decimal(25)),
        ("Sakura Business", 2, Decimal(25), Decimal(50)),
    ]
    assert response.context["evaluator_names"] == ["hanako", "kenji"]
    html = response.content.decode()
    assert "87.5" in html and "25.0" in html and "50.0" in html
    assert 'data-sensitivity="stable"' in html


def test_an_excluded_vendor_stays_visible_with_its_reason(
    manager_client, viewer_client, bpo, mirai
):
    uncertified = Vendor.objects.create(name="Cheap Ops", services=["bpo"])
    expired = Vendor.objects.create(name="Lapsed Inc", services=["bpo"])
    Certification.objects.create(vendor=expired, kind="isms", expires_on=datetime.date(2020, 3, 31))
    for vendor in (mirai, uncertified, expired):
        bid, _new = Bid.invite(bpo, vendor)
        same_quotes(bid)
        manager_client.post(url("bid_score", bpo, bid.pk), scores(5))
    rows = viewer_client.get(url("package_vendors", bpo)).context["ranking_rows"]
    by_name = {row.name: (row, reasons) for row, _totals, reasons in rows}
    assert by_name["Mirai Outsourcing"][0].rank == 1
    for name in ("Cheap Ops", "Lapsed Inc"):  # an expired certification counts as missing
        row, reasons = by_name[name]
        assert row.excluded and row.rank is None
        assert row.exclusion_reasons == ("certification_missing",)
        assert "Privacy Mark" in reasons[0]


@pytest.mark.parametrize(
    "value, message",
    [(6, "not 6"), (0, "not 0"), ("x", "not x"), ("4.5", "not 4.5")],
)
def test_a_score_outside_1_to_5_is_refused_and_nothing_saved(
    manager_client, invited, bpo, value, message
):
    bid = invited[0]
    form = scores({**dict.fromkeys(CRITERIA, 3), "security": value})
    response = manager_client.post(url("bid_score", bpo, bid.pk), form)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["score_security"])
    assert not Evaluation.objects.filter(bid=bid).exists()


def test_submitting_needs_every_criterion_but_a_draft_does_not(manager_client, invited, bpo):
    bid = invited[0]
    partial = scores({"security": 4, "team": 2}, "submit")
    response = manager_client.post(url("bid_score", bpo, bid.pk), partial)
    assert response.status_code == 200
    assert "Score every criterion" in " ".join(response.context["form"].errors["score_bcp"])
    assert not Evaluation.objects.exists()
    manager_client.post(url("bid_score", bpo, bid.pk), {**partial, "action": "draft"})
    draft = Evaluation.objects.get()
    assert draft.scores == {"team": 2, "security": 4} and not draft.submitted
    # A draft does not count in the ranking.
    ranking = selection.package_selection(bpo).ranking
    assert all(row.total is None for row in ranking)


def test_a_viewer_cannot_score(viewer_client, invited, bpo):
    bid = invited[0]
    assert viewer_client.get(url("bid_score", bpo, bid.pk)).status_code == 403
    assert viewer_client.post(url("bid_score", bpo, bid.pk), scores(5)).status_code == 403
    assert not Evaluation.objects.exists()


def test_a_bid_of_another_package_is_404(consultant_client, invited, bpo, checked):
    other = checked.packages.exclude(pk=bpo.pk).first()
    bid = invited[0]
    assert consultant_client.get(url("bid_score", other, bid.pk)).status_code == 404
    assert consultant_client.get(url("bid_quote", other, bid.pk)).status_code == 404


def test_the_package_page_makes_the_same_queries_for_2_and_6_vendors(
    consultant_client, manager, invited, bpo
):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            page(consultant_client, bpo)
        return len(queries)

    for bid in invited:
        Evaluation.objects.create(
            bid=bid,
            evaluator=manager,
            scores=dict.fromkeys(CRITERIA, 4),
            submitted_at="2026-11-01T00:00Z",
        )
    few = count()
    for number in range(4):
        vendor = Vendor.objects.create(name=f"Vendor {number}", services=["bpo"])
        Certification.objects.create(vendor=vendor, kind="isms")
        bid, _new = Bid.invite(bpo, vendor)
        Evaluation.objects.create(
            bid=bid,
            evaluator=manager,
            scores=dict.fromkeys(CRITERIA, 2),
            submitted_at="2026-11-01T00:00Z",
        )
    assert count() == few
