"""Hourly quotes for a staffing package (SPEC 4.5: for staffing, hourly rate × hours). Kenji
(consultant) invites a dispatching company to the front desk's staffing package and enters its
hourly rate; the hours default to the package's hours by the inventory; a quote without a rate is
refused with a message naming the field, and nothing is saved. The cost comparison and the
report take hourly rate × hours as the annual vendor cost."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from assessments.models import Package
from assessments.reporting import report
from tests.factories import make_certified_vendor
from tests.helpers import HEADERS, bid_url, sheet, upload
from vendors.models import Bid
from vendors.services import selection

pytestmark = pytest.mark.django_db


@pytest.fixture
def hoshi_bid(staffing_package: Package) -> Bid:
    """Hoshi Staff, a licensed dispatching company, invited to the front desk."""
    hoshi = make_certified_vendor("Hoshi Staff", ["dispatch"], "dispatch")
    return Bid.invite(staffing_package, hoshi)[0]


def quote_url(bid: Bid) -> str:
    return bid_url("bid_quote", bid.package, bid.pk)


def test_the_quote_form_asks_for_an_hourly_rate_for_the_packages_hours(
    consultant_client, hoshi_bid: Bid
):
    response = consultant_client.get(quote_url(hoshi_bid))
    form = response.context["form"]
    assert [value for value, _label in form.fields["pricing_model"].choices] == ["hourly"]
    assert form.fields["unit_price"].label == "Hourly rate (yen)"
    assert form.fields["annual_volume"].label == "Hours a year"
    assert form["annual_volume"].value() == Decimal("1200.00")  # the front desk's hours
    assert "quoted by the hour" in response.content.decode()


def test_an_outsourcing_package_is_never_quoted_by_the_hour(consultant_client, invited, bpo):
    form = consultant_client.get(bid_url("bid_quote", bpo, invited[0].pk)).context["form"]
    assert "hourly" not in [value for value, _label in form.fields["pricing_model"].choices]
    response = consultant_client.post(
        bid_url("bid_quote", bpo, invited[0].pk),
        {"pricing_model": "hourly", "unit_price": "2400", "annual_volume": "180"},
    )
    assert "pricing_model" in response.context["form"].errors
    invited[0].refresh_from_db()
    assert not invited[0].has_quote


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        pytest.param(
            {"pricing_model": "hourly", "annual_volume": "1200"},
            "unit_price",
            "Hourly rate: a staffing package is quoted by the hour",
            id="no-rate",
        ),
        pytest.param(
            {"pricing_model": "hourly", "monthly_fee": "300000", "annual_volume": "1200"},
            "unit_price",
            "Hourly rate",
            id="a-monthly-fee-instead",
        ),
        pytest.param(
            {"pricing_model": "hourly", "unit_price": "2400"},
            "annual_volume",
            "Hours a year",
            id="no-hours",
        ),
        pytest.param(
            {"pricing_model": "volume", "unit_price": "2400", "annual_volume": "1200"},
            "pricing_model",
            "valid choice",
            id="not-hourly",
        ),
        pytest.param(
            {"pricing_model": "hourly", "unit_price": "-1", "annual_volume": "1200"},
            "unit_price",
            "greater than or equal",
            id="negative-rate",
        ),
    ],
)
def test_a_staffing_quote_without_a_rate_is_refused_and_nothing_saved(
    consultant_client, hoshi_bid: Bid, form, field, message
):
    response = consultant_client.post(quote_url(hoshi_bid), form)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field])
    assert message.split(":")[0] in response.content.decode()
    hoshi_bid.refresh_from_db()
    assert not hoshi_bid.has_quote and hoshi_bid.pricing_model == ""


def test_hourly_rate_times_hours_is_the_annual_vendor_cost(consultant_client, hoshi_bid: Bid):
    response = consultant_client.post(
        quote_url(hoshi_bid),
        {"pricing_model": "hourly", "unit_price": "2400", "annual_volume": "1200"},
    )
    assert response.status_code == 302
    hoshi_bid.refresh_from_db()
    assert (hoshi_bid.pricing_model, hoshi_bid.unit_price) == ("hourly", Decimal("2400.00"))
    chosen = selection.package_selection(hoshi_bid.package)
    comparison = chosen.lines[0].comparison
    # 2,400 × 1,200 h = 2,880,000; × 1.15 overhead = 3,312,000, against 1,200 h × ¥3,000 in-house.
    assert comparison.quote_cost == Decimal(2_880_000)
    assert comparison.annual_cost == Decimal(3_312_000)
    assert comparison.in_house_cost == Decimal(3_600_000)
    assert comparison.annual_saving == Decimal(288_000)
    page = consultant_client.get(bid_url("package_vendors", hoshi_bid.package)).content.decode()
    assert "¥2,400/h × 1,200 h" in page
    assert "¥3,312,000" in page and "¥288,000" in page
    assert "Dispatching companies quote an hourly rate" in page


def test_the_report_keeps_the_staffing_saving_apart(consultant, hoshi_bid: Bid):
    Bid.objects.filter(pk=hoshi_bid.pk).update(
        pricing_model="hourly", unit_price=Decimal(2400), annual_volume=Decimal(1200)
    )
    with translation.override("en"):
        content = report.build_report(hoshi_bid.package.assessment, viewer=consultant)
    [entry] = content.staffing_packages
    assert entry.selection.lines[0].comparison.annual_cost == Decimal(3_312_000)
    # Nobody has scored Hoshi yet: no first-ranked vendor, so no saving is claimed either way.
    assert content.staffing_saving is None and content.expected_saving is None


# --- the same rule for a quote that comes in with an evaluation file ------------------------------


def hoshi_row(pricing: str, rate: str, hours: str) -> list[str]:
    scores = ["3"] * 8
    return [
        "dispatch",
        "Hoshi Staff",
        "dispatch",
        "",
        "manager",
        *scores,
        pricing,
        "",
        "",
        rate,
        hours,
        "",
    ]


@pytest.mark.parametrize(
    ("pricing", "rate", "hours", "message"),
    [
        pytest.param("業務委託型", "2400", "1200", "the pricing model is “hourly”", id="volume"),
        pytest.param("時間単価", "", "1200", "Hourly rate: a staffing package", id="no-rate"),
        pytest.param("時間単価", "2400", "", "A unit price needs the annual volume", id="no-hours"),
    ],
)
def test_a_file_quote_for_a_staffing_package_needs_a_rate_and_its_hours(
    consultant_client, evaluators, hoshi_bid: Bid, pricing, rate, hours, message
):
    content = sheet([HEADERS, hoshi_row(pricing, rate, hours)])
    response = upload(consultant_client, hoshi_bid.package.assessment, content, follow=True)
    assert message in response.content.decode()
    hoshi_bid.refresh_from_db()
    assert not hoshi_bid.has_quote and not hoshi_bid.evaluations.exists()


@pytest.mark.parametrize("pricing", ["時間単価", ""])
def test_a_file_quote_with_a_rate_is_an_hourly_quote(
    consultant_client, evaluators, hoshi_bid: Bid, pricing
):
    content = sheet([HEADERS, hoshi_row(pricing, "2400", "1200")])
    upload(consultant_client, hoshi_bid.package.assessment, content, follow=True)
    hoshi_bid.refresh_from_db()
    assert hoshi_bid.pricing_model == "hourly"
    assert (hoshi_bid.unit_price, hoshi_bid.annual_volume) == (Decimal(2400), Decimal(1200))
