"""A package's vendor page shows price and quality together, the cost over the horizon and how
sure the saving is (SPEC 4.5, 4.6; issue 16), as its people live it: Kenji (consultant) sets the
package's terms and enters the quotes, Hanako (manager) and Kenji score, a viewer reads, an
outsider from company B sees nothing.

The BPO package of the `checked` assessment costs ¥540,000 a year in-house (180 hours at
¥3,000), holds personal data, and has no licensed work: Mirai (Privacy Mark) and Sakura (ISMS)
are both left in."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.urls import reverse

from assessments.models import Package
from outsourcing_advisor.accounts.models import Role
from outsourcing_advisor.history.models import Action, Event, SubjectType
from tests.factories import make_certified_vendor, make_member
from tests.helpers import bid_url as url
from tests.helpers import client_for, scores
from vendors.models import Bid
from vendors.services import selection

pytestmark = pytest.mark.django_db

IN_HOUSE = Decimal(540_000)  # a year: 180 hours × ¥3,000


def page(client, package: Package, **query: str) -> str:
    response = client.get(url("package_vendors", package), query)
    assert response.status_code == 200
    return response.content.decode()


def yen(value: Decimal | int) -> str:
    """As the page rounds it: once, half up; a loss as −¥."""
    rounded = Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return f"−¥{-rounded:,}" if rounded < 0 else f"¥{rounded:,}"


def figure(html: str, name: str) -> str:
    """The text of the element marked data-figure="name" (the first), tags left out."""
    match = re.search(rf'data-figure="{name}"[^>]*>(.*?)</(?:td|dd)>', html, re.S)
    assert match, name
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def row(html: str, table: str, vendor: str) -> str:
    body = html.split(f'data-table="{table}"', 1)[1].split("</table>", 1)[0]
    return body.split(f'data-vendor="{vendor}"', 1)[1].split("</tr>", 1)[0]


def changes_of(package: Package):
    """The package's recorded changes (its creation is recorded too)."""
    return Event.objects.filter(
        subject_type=SubjectType.PACKAGE, subject_id=package.pk, action=Action.CHANGED
    )


def quote(bid: Bid, **fields: object) -> None:
    Bid.objects.filter(pk=bid.pk).update(**fields)


def terms_form(package: Package, **changes: object) -> dict[str, object]:
    """What the terms form posts: the stored terms, stamped as read, with `changes`."""
    package.refresh_from_db()
    form: dict[str, object] = {
        "seen": package.terms_stamp,
        "price_weight": package.price_weight,
        "parallel_months": "" if package.parallel_months is None else package.parallel_months,
        "released_share": package.released_share,
    }
    return {**form, **changes}


@pytest.fixture
def scored(manager_client, consultant_client, invited, bpo):
    """Both vendors quoted by subscription, no initial fee, and scored by Hanako and Kenji:
    Mirai 4 everywhere (quality 75), Sakura 3 everywhere (quality 50).
    Mirai: 12 × 40,000 × 1.15 = 552,000 a year, ¥1,656,000 over 3 years.
    Sakura: 12 × 20,000 × 1.15 = 276,000 a year, ¥828,000 over 3 years: the lowest price."""
    mirai, sakura = invited
    quote(mirai, pricing_model="subscription", monthly_fee=40_000)
    quote(sakura, pricing_model="subscription", monthly_fee=20_000)
    for client in (manager_client, consultant_client):
        client.post(url("bid_score", bpo, mirai.pk), scores(4))
        client.post(url("bid_score", bpo, sakura.pk), scores(3))
    return invited


# --- the package's terms -----------------------------------------------------------------------


def test_kenji_saves_the_terms_and_the_history_records_each_change(consultant_client, bpo):
    html = page(consultant_client, bpo)
    assert 'placeholder="Default: 2 months"' in html  # BPO's parallel run
    response = consultant_client.post(
        url("package_terms", bpo), terms_form(bpo, price_weight=40, released_share=80)
    )
    assert response.status_code == 302 and response["Location"].endswith("#terms")
    bpo.refresh_from_db()
    assert (bpo.price_weight, bpo.parallel_months, bpo.released_share) == (40, None, 80)
    event = changes_of(bpo).get()
    assert event.actor.username == "kenji"
    assert event.changes == [
        {"field": "price_weight", "old": "30", "new": "40"},
        {"field": "released_share", "old": "100", "new": "80"},
    ]
    # Then a parallel run of 1 month, and back to the model's default.
    consultant_client.post(url("package_terms", bpo), terms_form(bpo, parallel_months=1))
    consultant_client.post(url("package_terms", bpo), terms_form(bpo, parallel_months=""))
    bpo.refresh_from_db()
    assert bpo.parallel_months is None
    history = consultant_client.get(reverse("assessment_history", args=[bpo.assessment_id]))
    text = history.content.decode()
    assert "Price weight (%)" in text and "FTE released (%)" in text
    assert "Parallel run (months)" in text and "the model&#x27;s default" in text


def test_saving_the_same_terms_records_nothing(consultant_client, bpo):
    consultant_client.post(url("package_terms", bpo), terms_form(bpo))
    assert not changes_of(bpo).exists()


def test_only_consultants_set_the_terms(manager_client, viewer_client, outsider_client, bpo):
    """The terms are the consultant's, as the quotes are: Hanako and the viewer read them."""
    form = terms_form(bpo, price_weight=90)
    assert viewer_client.post(url("package_terms", bpo), form).status_code == 403
    assert manager_client.post(url("package_terms", bpo), form).status_code == 403
    assert outsider_client.post(url("package_terms", bpo), form).status_code == 404
    bpo.refresh_from_db()
    assert bpo.price_weight == 30
    html = page(manager_client, bpo)
    assert 'data-form="terms"' not in html
    assert figure(html, "price-weight") == "30%" and figure(html, "released-share") == "100%"
    assert "2 months" in figure(html, "parallel-months")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"price_weight": 101}, "Price weight: a whole number of per cent from 0 to 100."),
        ({"price_weight": -1}, "Price weight: a whole number of per cent from 0 to 100."),
        ({"price_weight": "thirty"}, "Price weight: a whole number of per cent from 0 to 100."),
        ({"price_weight": ""}, "Price weight: a whole number of per cent from 0 to 100."),
        ({"parallel_months": 25}, "Parallel run: a whole number of months from 0 to 24"),
        ({"parallel_months": "1.5"}, "Parallel run: a whole number of months from 0 to 24"),
        ({"released_share": 150}, "FTE released: a whole number of per cent from 0 to 100."),
    ],
)
def test_bad_terms_are_refused_with_the_field_named_and_nothing_saved(
    consultant_client, bpo, changes, message
):
    response = consultant_client.post(url("package_terms", bpo), terms_form(bpo, **changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    bpo.refresh_from_db()
    assert (bpo.price_weight, bpo.parallel_months, bpo.released_share) == (30, None, 100)
    assert not changes_of(bpo).exists()


def test_terms_saved_over_someone_elses_newer_save_are_refused(consultant_client, company_a, bpo):
    """Kenji opens the page; Aiko, another consultant, sets the price weight to 50 meanwhile.
    Kenji's save of 40 is refused, naming what is stored now, and his input stays on the page."""
    stale = terms_form(bpo, price_weight=40)
    aiko = client_for(make_member("aiko", company_a, Role.CONSULTANT))
    assert aiko.post(url("package_terms", bpo), terms_form(bpo, price_weight=50)).status_code == 302
    response = consultant_client.post(url("package_terms", bpo), stale)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else saved the package&#x27;s terms" in html
    assert "Price weight (%): now “50” (yours: “40”)" in html
    assert 'name="price_weight" value="40"' in html
    bpo.refresh_from_db()
    assert bpo.price_weight == 50


# --- price and quality together ----------------------------------------------------------------


def test_the_ranking_shows_quality_price_points_and_combined(viewer_client, scored, bpo):
    # Price points: Sakura 100 (the lowest price); Mirai 100 × 828,000 / 1,656,000 = 50.
    # Combined at 30%: Mirai 75 × 0.7 + 50 × 0.3 = 67.5; Sakura 50 × 0.7 + 100 × 0.3 = 65.
    html = page(viewer_client, bpo)
    names = ("rank", "total", "price", "price-points", "combined")
    mirai, sakura = (row(html, "ranking", v) for v in ("Mirai Outsourcing", "Sakura Business"))
    assert [figure(mirai, name) for name in names] == ["1", "75.0", "¥1,656,000", "50.0", "67.5"]
    assert [figure(sakura, name) for name in names] == ["2", "50.0", "¥828,000", "100.0", "65.0"]
    assert "quality × (1 − w) + price points × w" in html
    assert "price weight (30%)" in html


def test_the_cheaper_vendor_wins_when_price_weighs_enough(consultant_client, scored, bpo):
    # At 40%: Mirai 75 × 0.6 + 50 × 0.4 = 65; Sakura 50 × 0.6 + 100 × 0.4 = 70: Sakura first.
    consultant_client.post(url("package_terms", bpo), terms_form(bpo, price_weight=40))
    html = page(consultant_client, bpo)
    assert figure(row(html, "ranking", "Sakura Business"), "rank") == "1"
    assert figure(row(html, "ranking", "Sakura Business"), "combined") == "70.0"
    assert figure(row(html, "ranking", "Mirai Outsourcing"), "combined") == "65.0"
    assert "With the quote of Sakura Business, ranked first" in html


def test_the_smallest_change_that_flips_the_winner_is_named(consultant_client, scored, bpo):
    # Mirai 75 − 25w against Sakura 50 + 50w (w the price weight, a fraction): equal at w = 1/3.
    # At 33% Mirai keeps first (66.75 to 66.5), at 34% Sakura takes it (66.5 to 67). The
    # criteria cannot flip it: each vendor has the same score on every criterion.
    html = page(consultant_client, bpo)
    assert (
        "If the price weight is raised from 30% to 34%, Sakura Business takes first place from "
        "Mirai Outsourcing."
    ) in html
    # The ±10 moves: raising the price weight to 40% puts Sakura first.
    assert re.search(r"Price weight <span[^>]*>\+10 \(30% → 40%\)</span> → Sakura Business", html)
    assert 'data-sensitivity="sensitive"' in html


def test_a_vendor_waiting_for_a_quote_or_for_scores_says_so(
    viewer_client, manager_client, invited, bpo
):
    """Hanako has scored Mirai only; Sakura has a quote but no scores, Mirai scores but no
    quote: neither can be ranked while price weighs 30%."""
    mirai, sakura = invited
    quote(sakura, pricing_model="subscription", monthly_fee=20_000)
    manager_client.post(url("bid_score", bpo, mirai.pk), scores(4))
    html = page(viewer_client, bpo)
    assert "Waiting for a quote" in row(html, "ranking", "Mirai Outsourcing")
    assert "Waiting for scores" in row(html, "ranking", "Sakura Business")
    assert figure(row(html, "ranking", "Mirai Outsourcing"), "rank") == "—"


def test_the_ranking_and_the_winner_stay_sealed_until_kenji_submits(
    manager_client, consultant_client, invited, bpo
):
    """Hanako has submitted; Kenji has not: he sees the quotes' cost over the horizon, but no
    ranking, no winner, no sentence on what would flip it."""
    mirai, sakura = invited
    quote(mirai, pricing_model="subscription", monthly_fee=40_000)
    quote(sakura, pricing_model="subscription", monthly_fee=20_000)
    manager_client.post(url("bid_score", bpo, mirai.pk), scores(4))
    manager_client.post(url("bid_score", bpo, sakura.pk), scores(3))
    html = page(consultant_client, bpo)
    assert "data-sealed" in html and 'data-table="ranking"' not in html
    assert "data-smallest-flip" not in html and "ranked first" not in html
    assert "data-first-probabilities" not in html
    assert 'data-table="horizon"' in html  # the quotes are no one's scores


# --- the cost over the horizon and the saving's range -----------------------------------------


def test_the_cost_over_the_horizon_of_the_recommended_vendor(viewer_client, scored, bpo):
    """Sakura now also charges an initial fee of 60,000, and the organisation cannot recover
    the consumption tax (100% unrecoverable, at 10%). Mirai stays first (its quality).
    Sakura over 3 years, BPO's 2-month parallel run, all FTE released:
        initial fee 60,000; parallel run 540,000 × 2 / 12 = 90,000; fees 240,000 × 3 = 720,000;
        overhead 36,000 × 3 = 108,000; tax (60,000 + 720,000) × 10% = 78,000; kept 0;
        total 1,056,000 against 540,000 × 3 = 1,620,000 in-house: saving 564,000.
        A year in steady state: 540,000 − 240,000 × (1 + 0.15 + 0.10) = 240,000.
        Break-even: (66,000 + 2 × 45,000) / (45,000 − 25,000) = 7.8 → month 8."""
    quote(scored[1], initial_fee=60_000)
    organisation = bpo.assessment.organisation
    organisation.tax_unrecoverable = 100
    organisation.save()
    html = page(viewer_client, bpo, bid=str(scored[1].pk))
    assert 'data-outlook-vendor="Sakura Business"' in html and "ranked first" not in html
    table = html.split('data-table="horizon"', 1)[1].split("</table>", 1)[0]
    expected = {
        "initial-fee": 60_000,
        "parallel-run": 90_000,
        "vendor-fees": 720_000,
        "overhead": 108_000,
        "tax": 78_000,
        "retained": 0,
        "total-outsourced": 1_056_000,
        "total-in-house": 1_620_000,
    }
    assert {name: figure(table, name) for name in expected} == {
        name: yen(value) for name, value in expected.items()
    }
    assert figure(html, "horizon-saving") == yen(564_000)
    assert figure(html, "annual-saving") == yen(240_000)
    assert figure(html, "break-even") == "month 8"
    assert '<svg class="chart" data-chart="cost-' in html
    # By default the page shows the recommended vendor's: Mirai, first on quality.
    assert 'data-outlook-vendor="Mirai Outsourcing"' in page(viewer_client, bpo)


def test_a_loss_and_no_break_even_when_half_the_fte_stays(consultant_client, scored, bpo):
    """Kenji sets 1 month of parallel run and 50% of the FTE released. Sakura:
    released 270,000 a year; kept 270,000 × 3 = 810,000; parallel 270,000 / 12 = 22,500;
    total 720,000 + 108,000 + 810,000 + 22,500 = 1,660,500 against 1,620,000: a loss of
    40,500; a year 270,000 − 276,000 = −6,000: never breaks even."""
    consultant_client.post(
        url("package_terms", bpo), terms_form(bpo, parallel_months=1, released_share=50)
    )
    html = page(consultant_client, bpo, bid=str(scored[1].pk))
    assert figure(html, "retained") == yen(810_000)
    assert figure(html, "parallel-run") == yen(22_500)
    assert figure(html, "total-outsourced") == yen(1_660_500)
    assert figure(html, "horizon-saving") == "Loss " + yen(-40_500)
    assert figure(html, "annual-saving") == "Loss " + yen(-6_000)
    assert figure(html, "break-even").startswith("never")


def test_the_range_says_what_it_means_for_which_quote(viewer_client, scored, bpo):
    html = page(viewer_client, bpo)
    saving = selection.package_selection(bpo).line_for("Mirai Outsourcing").saving
    assert saving is not None
    words = html.split("data-range-words>", 1)[1].split("</p>", 1)[0]
    assert "±20%" in words and "10,000 trials" in words and "over 3 years" in words
    assert "with the quote of Mirai Outsourcing" in words
    low, high = (yen(value) for value in (saving.horizon[0], saving.horizon[2]))
    assert f'between <span class="text-nowrap">{low}</span> and' in words
    assert f'<span class="text-nowrap">{high}</span> in 8 trials out of 10' in words
    ranges = html.split('data-table="saving-range"', 1)[1].split("</table>", 1)[0]
    assert all(yen(value) in ranges for value in (*saving.horizon, *saving.annual))
    assert figure(html, "p-positive").endswith("%")


def test_another_quote_comes_alone_to_htmx(viewer_client, scored, bpo):
    response = viewer_client.get(
        url("package_vendors", bpo), {"bid": scored[1].pk}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert html.lstrip().startswith("<section") and 'id="outlook"' in html
    assert 'data-outlook-vendor="Sakura Business"' in html and "<html" not in html


# --- an outcome-based quote's range ------------------------------------------------------------

OUTCOME = {"pricing_model": "outcome", "unit_price": "400", "annual_volume": "1000"}


@pytest.mark.parametrize(
    ("low", "high", "field", "message"),
    [
        ("1100", "1200", "annual_volume_low", "at most the annual volume (1,000)"),
        ("800", "900", "annual_volume_high", "at least the annual volume (1,000)"),
        ("800", "", "annual_volume_high", "give both, or neither"),
        ("", "1200", "annual_volume_low", "give both, or neither"),
    ],
)
def test_a_bad_outcome_range_names_the_field_and_saves_nothing(
    consultant_client, invited, bpo, low, high, field, message
):
    bid = invited[0]
    form = {**OUTCOME, "annual_volume_low": low, "annual_volume_high": high}
    response = consultant_client.post(url("bid_quote", bpo, bid.pk), form)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert message in " ".join(errors[field])
    bid.refresh_from_db()
    assert not bid.has_quote and bid.annual_volume_low is None


def test_only_an_outcome_based_quote_has_a_range(consultant_client, invited, bpo):
    bid = invited[0]
    form = {**OUTCOME, "pricing_model": "volume", "annual_volume_low": "800"}
    response = consultant_client.post(url("bid_quote", bpo, bid.pk), form)
    assert "only an outcome-based quote has a range" in " ".join(
        response.context["form"].errors["annual_volume_low"]
    )


def test_an_outcome_range_is_saved_and_drawn_in_the_saving(
    viewer_client, consultant_client, invited, bpo
):
    bid = invited[0]
    form = {**OUTCOME, "annual_volume_low": "800", "annual_volume_high": "1500"}
    assert consultant_client.post(url("bid_quote", bpo, bid.pk), form).status_code == 302
    bid.refresh_from_db()
    assert (bid.annual_volume_low, bid.annual_volume_high) == (Decimal(800), Decimal(1500))
    html = page(viewer_client, bpo, bid=str(bid.pk))
    assert "the outcomes between the quote&#x27;s lowest and highest" in html


def test_a_staffing_quote_has_no_outcome_range(consultant_client, staffing_package):
    vendor = make_certified_vendor("Hoken Staff", ["dispatch"], "isms")
    bid = Bid.invite(staffing_package, vendor)[0]
    html = consultant_client.get(url("bid_quote", staffing_package, bid.pk)).content.decode()
    assert "annual_volume_low" not in html


# --- escaping ------------------------------------------------------------------------------------


def test_a_vendor_name_with_markup_is_shown_as_text(
    viewer_client, manager_client, consultant_client, bpo
):
    evil = make_certified_vendor("<b>Evil & Co</b>", ["bpo"], "isms")
    other = make_certified_vendor("Plain KK", ["bpo"], "isms")
    bids = [Bid.invite(bpo, evil)[0], Bid.invite(bpo, other)[0]]
    quote(bids[0], pricing_model="subscription", monthly_fee=20_000)
    quote(bids[1], pricing_model="subscription", monthly_fee=40_000)
    for client in (manager_client, consultant_client):
        client.post(url("bid_score", bpo, bids[0].pk), scores(3))
        client.post(url("bid_score", bpo, bids[1].pk), scores(4))
    html = page(viewer_client, bpo)
    assert "<b>Evil" not in html
    assert "&lt;b&gt;Evil &amp; Co&lt;/b&gt;" in html
    # In the table, the select, the range's sentence and the smallest change's sentence.
    assert html.count("&lt;b&gt;Evil &amp; Co&lt;/b&gt;") >= 4
    svg = html.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "<b>" not in svg and "<script" not in svg
