"""Price and quality together, the cost over the horizon and the saving's range (SPEC 4.5, 4.6):
table tests of the pure functions, recomputed by hand in the comments."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from vendors.domain import horizon, scoring, uncertainty
from vendors.domain.scoring import Quote

D = Decimal
ON = datetime.date(2026, 12, 1)
WEIGHTS = dict(scoring.DEFAULT_WEIGHTS)
BPO = scoring.Package("bpo")


def vendor(name: str, *scores: int, services: tuple[str, ...] = ("bpo",)) -> scoring.Vendor:
    """A vendor scored by one evaluator per score given, the same score on every criterion."""
    return scoring.Vendor(
        name,
        frozenset(services),
        evaluations=tuple(
            scoring.Evaluation(f"e{i}", dict.fromkeys(scoring.CRITERIA, score))
            for i, score in enumerate(scores)
        ),
    )


# --- price points and the combined score


@pytest.mark.parametrize(
    ("prices", "expected"),
    [
        # 100 × lowest / own: 2.4M is the lowest, 3M gets 80.
        ({"A": D(3_000_000), "B": D(2_400_000)}, {"A": D(80), "B": D(100)}),
        ({"A": D(1_000_000)}, {"A": D(100)}),  # one vendor: the lowest price is its own
        ({"A": D(500), "B": D(500)}, {"A": D(100), "B": D(100)}),  # a tie
        ({"A": D(0), "B": D(500)}, {"A": D(100), "B": D(0)}),  # a free quote
        ({"A": None, "B": D(500)}, {"A": None, "B": D(100)}),  # no quote: no points
        ({"A": None}, {"A": None}),
        ({}, {}),
    ],
)
def test_price_points(prices, expected):
    assert scoring.price_points(prices) == expected


@pytest.mark.parametrize(
    ("quality", "points", "weight", "expected"),
    [
        (D(60), D(80), D(30), D(66)),  # 60 × 0.7 + 80 × 0.3
        (D(60), D(80), D(0), D(60)),  # price weighs nothing: quality alone
        (D(60), D(80), D(100), D(80)),  # price alone
        (D(60), None, D(0), D(60)),  # no quote needed when price weighs nothing
        (None, D(80), D(100), D(80)),  # no scores needed when quality weighs nothing
        (D(60), None, D(30), None),  # waiting for a quote
        (None, D(80), D(30), None),  # waiting for scores
    ],
)
def test_combined_score(quality, points, weight, expected):
    assert scoring.combined_score(quality, points, weight) == expected


def ranked(rows):
    return [(r.name, r.rank) for r in rows]


def test_the_cheaper_vendor_wins_on_the_combined_score():
    # Quality: A 75 (4 everywhere), B 50 (3 everywhere). Prices: A 4M, B 2M → points 50, 100.
    # Combined at 30%: A 75 × .7 + 50 × .3 = 67.5; B 50 × .7 + 100 × .3 = 65 → A first.
    # At 40%: A 65, B 70 → B first.
    vendors = [vendor("A", 4), vendor("B", 3)]
    prices = {"A": D(4_000_000), "B": D(2_000_000)}
    at_30 = scoring.rank(vendors, WEIGHTS, BPO, on=ON, prices=prices, price_weight=D(30))
    assert ranked(at_30) == [("A", 1), ("B", 2)]
    assert [r.combined for r in at_30] == [D("67.5"), D(65)]
    at_40 = scoring.rank(vendors, WEIGHTS, BPO, on=ON, prices=prices, price_weight=D(40))
    assert ranked(at_40) == [("B", 1), ("A", 2)]
    assert (at_40[0].price_points, at_40[1].price_points) == (D(100), D(50))


def test_ties_share_the_rank():
    vendors = [vendor("A", 4), vendor("B", 4)]
    prices = {"A": D(100), "B": D(100)}
    rows = scoring.rank(vendors, WEIGHTS, BPO, on=ON, prices=prices, price_weight=D(30))
    assert ranked(rows) == [("A", 1), ("B", 1)]


def test_a_vendor_without_a_quote_waits_and_the_excluded_stay_out_of_the_price_comparison():
    # C would be the cheapest, but does not offer BPO: the lowest price left in is B's.
    vendors = [vendor("A", 4), vendor("B", 3), vendor("C", 5, services=("ito",))]
    prices = {"A": None, "B": D(2_000_000), "C": D(1_000_000)}
    rows = scoring.rank(vendors, WEIGHTS, BPO, on=ON, prices=prices, price_weight=D(30))
    assert ranked(rows) == [("B", 1), ("A", None), ("C", None)]
    assert rows[0].price_points == D(100)
    assert rows[1].waiting_for == ("quote",)
    assert rows[2].excluded and rows[2].price_points is None and rows[2].combined is None


def test_all_vendors_excluded_rank_no_one():
    vendors = [vendor("A", 4, services=("ito",))]
    rows = scoring.rank(vendors, WEIGHTS, BPO, on=ON, prices={"A": D(1)}, price_weight=D(30))
    assert ranked(rows) == [("A", None)]
    assert scoring.sensitivity(vendors, WEIGHTS, BPO, on=ON, prices={"A": D(1)}).stable is None


def test_without_prices_the_ranking_is_by_quality():
    rows = scoring.rank([vendor("A", 3), vendor("B", 4)], WEIGHTS, BPO, on=ON)
    assert ranked(rows) == [("B", 1), ("A", 2)]
    assert rows[0].combined == rows[0].total == D(75)


@pytest.mark.parametrize("weight", [D(-1), D(101)])
def test_a_price_weight_outside_0_to_100_is_refused(weight):
    with pytest.raises(scoring.InvalidInput, match="price weight"):
        scoring.rank([vendor("A", 3)], WEIGHTS, BPO, on=ON, prices={}, price_weight=weight)


# --- sensitivity with the price weight


def test_sensitivity_names_the_smallest_price_move_that_flips_the_winner():
    # A 67.5 against B 65 at 30%. Price weight w: A = 75 − 25w/100, B = 50 + 50w/100; equal at
    # w = 33⅓, so 33 keeps A and 34 makes B first: the smallest move is +4 points.
    vendors = [vendor("A", 4), vendor("B", 3)]
    prices = {"A": D(4_000_000), "B": D(2_000_000)}
    result = scoring.sensitivity(vendors, WEIGHTS, BPO, on=ON, prices=prices, price_weight=D(30))
    assert result.winners == ("A",)
    assert result.stable is False  # +10 points of price weight flips it
    assert [(f.criterion, f.delta) for f in result.flips] == [(scoring.PRICE, D(10))]
    assert result.smallest is not None
    assert (result.smallest.criterion, result.smallest.delta) == (scoring.PRICE, D(4))
    assert result.smallest.price_weight == D(34)
    assert result.smallest.winners == ("B",)


def test_a_winner_no_move_flips_is_stable_with_no_smallest_change():
    # A is better and cheaper: no weight, price included, makes B first.
    vendors = [vendor("A", 5), vendor("B", 3)]
    prices = {"A": D(1_000_000), "B": D(2_000_000)}
    result = scoring.sensitivity(vendors, WEIGHTS, BPO, on=ON, prices=prices, price_weight=D(30))
    assert (result.winners, result.stable, result.smallest) == (("A",), True, None)


def test_the_smallest_change_of_a_criterion_weight():
    # A: security 5, the rest 3 → (20 × 100 + 80 × 50) / 100 = 60. B: security 2, the rest 4 →
    # (20 × 25 + 80 × 75) / 100 = 65. With security weighing s: A = 50 + s/2, B = 75 − s/2,
    # equal at s = 25: security +5 points makes them tie, the smallest change of the winner.
    a = scoring.Vendor(
        "A",
        {"bpo"},
        evaluations=(
            scoring.Evaluation("e", {**dict.fromkeys(scoring.CRITERIA, 3), "security": 5}),
        ),
    )
    b = scoring.Vendor(
        "B",
        {"bpo"},
        evaluations=(
            scoring.Evaluation("e", {**dict.fromkeys(scoring.CRITERIA, 4), "security": 2}),
        ),
    )
    result = scoring.sensitivity([a, b], WEIGHTS, BPO, on=ON)
    assert result.winners == ("B",)
    assert result.smallest is not None
    assert (result.smallest.criterion, result.smallest.delta) == ("security", D(5))
    assert result.smallest.winners == ("A", "B")
    assert result.smallest.weights["security"] == D(25)


# --- the cost over the horizon

QUOTE = Quote("volume", initial_fee=D(1_200_000), monthly_fee=D(100_000), unit_price=D(0))


@pytest.mark.parametrize(
    ("terms", "expected"),
    [
        # In-house 6M a year. Fees 1.2M, overhead 15%: 1.38M a year. 3 years, parallel 2 months
        # (1M), initial 1.2M: total 1.2M + 4.14M + 1M = 6.34M; status quo 18M; saving 11.66M.
        # Annual saving 6M − 1.38M = 4.62M. Break-even: released 500k/month, vendor 115k/month,
        # (1.2M + 2 × 500k) / 385k = 5.71 → month 6.
        (
            horizon.Terms(years=3, parallel_months=2),
            {"total": D("6340000"), "saving": D("11660000"), "annual": D("4620000"), "even": 6},
        ),
        # Half the FTE released: 3M kept every year (9M), parallel 2 months of 3M (0.5M):
        # total 1.2M + 4.14M + 9M + 0.5M = 14.84M; saving 3.16M; annual 3M − 1.38M = 1.62M.
        # Break-even: (1.2M + 2 × 250k) / (250k − 115k) = 12.59 → month 13.
        (
            horizon.Terms(years=3, parallel_months=2, released_share=D("0.5")),
            {"total": D("14840000"), "saving": D("3160000"), "annual": D("1620000"), "even": 13},
        ),
        # Tax not recoverable at all: 10% on the fees (3.6M) and the initial fee: 360k + 120k.
        # Total 6.34M + 0.48M = 6.82M; annual 4.62M − 120k = 4.5M. Break-even: vendor 125k a
        # month, (1.32M + 1M) / 375k = 6.19 → month 7.
        (
            horizon.Terms(years=3, parallel_months=2, tax_unrecoverable=D(1)),
            {"total": D("6820000"), "saving": D("11180000"), "annual": D("4500000"), "even": 7},
        ),
        # One year, no parallel run: 1.2M + 1.38M = 2.58M; saving 3.42M;
        # break-even 1.2M / 385k = 3.12 → month 4.
        (
            horizon.Terms(years=1),
            {"total": D("2580000"), "saving": D("3420000"), "annual": D("4620000"), "even": 4},
        ),
    ],
)
def test_cost_over_the_horizon(terms, expected):
    result = horizon.horizon(D(6_000_000), QUOTE, terms)
    assert result.total == expected["total"]
    assert result.saving == expected["saving"]
    assert result.annual_saving == expected["annual"]
    assert result.break_even_month == expected["even"]
    assert result.status_quo - result.total == result.saving
    # The chart's last month is the table's totals.
    last = horizon.path(D(6_000_000), QUOTE, terms)[-1]
    assert (last.in_house, last.outsourced) == (result.status_quo, result.total)


def test_a_saving_that_is_certainly_negative_never_breaks_even():
    # The vendor costs 2.3M a year with overhead, more than the 1M it releases.
    quote = Quote("volume", monthly_fee=D(166_667), initial_fee=D(500_000))
    result = horizon.horizon(D(1_000_000), quote, horizon.Terms())
    assert result.saving < 0 and result.annual_saving < 0
    assert result.break_even_month is None
    draws = uncertainty.draw_inventory(
        [uncertainty.TaskRange(D(300), D(1_000_000), (D("0.8"), D("1.2")), (D("0.8"), D("1.2")))],
        seed=1,
    )
    saving = uncertainty.saving_range(draws, quote, horizon.Terms())
    assert saving.p_positive == D(0)
    assert saving.horizon[2] < 0  # even the P90 is a loss
    assert saving.break_even_month is None


def test_vendor_price_is_the_initial_fee_and_the_steady_cost_over_the_years():
    # 1.2M + 1.38M × 3 = 5.34M: overhead in, the client's parallel run out.
    assert horizon.vendor_price(QUOTE, D("0.15"), 3) == D("5340000")
    assert horizon.horizon(D(6_000_000), QUOTE, horizon.Terms()).vendor_price == D("5340000")


@pytest.mark.parametrize(
    "terms",
    [
        {"years": 0},
        {"years": 11},
        {"released_share": D("1.1")},
        {"tax_unrecoverable": D(-1)},
        {"parallel_months": -1},
    ],
)
def test_terms_that_cannot_be_used_are_refused(terms):
    with pytest.raises(scoring.InvalidInput):
        horizon.Terms(**terms)


@pytest.mark.parametrize(
    ("model", "months"),
    [("bpo", 2), ("ito", 2), ("kpo", 1), ("subcontract", 1), ("dispatch", 1), ("crowdsourcing", 0)],
)
def test_parallel_run_by_model(model, months):
    assert horizon.default_parallel_months(model) == months


# --- the saving's range

SPREAD = (D("0.8"), D("1.2"))


def spread_tasks(count: int = 10) -> list[uncertainty.TaskRange]:
    return [uncertainty.TaskRange(D(100), D(600_000), SPREAD, SPREAD) for _ in range(count)]


def test_the_range_brackets_the_estimate_and_is_reproducible():
    terms = horizon.Terms(years=3, parallel_months=2)
    point = horizon.horizon(D(6_000_000), QUOTE, terms)
    first = uncertainty.saving_range(
        uncertainty.draw_inventory(spread_tasks(), seed=7), QUOTE, terms
    )
    again = uncertainty.saving_range(
        uncertainty.draw_inventory(spread_tasks(), seed=7), QUOTE, terms
    )
    assert first == again
    low, middle, high = first.horizon
    assert low < point.saving < high
    # The triangular draws are symmetric around the estimate: the median is close to it.
    assert abs(middle - point.saving) < D("0.02") * point.saving
    assert first.annual[0] < point.annual_saving < first.annual[2]
    assert first.p_positive == D(1)
    assert first.break_even_month == 6


def test_without_any_spread_the_range_is_the_estimate():
    terms = horizon.Terms(years=3, parallel_months=2)
    tasks = [uncertainty.TaskRange(D(1000), D(6_000_000))]
    result = uncertainty.saving_range(uncertainty.draw_inventory(tasks, seed=1), QUOTE, terms)
    assert result.horizon == (D(11_660_000),) * 3
    assert result.annual == (D(4_620_000),) * 3


def test_a_wider_sheet_range_widens_the_saving_range():
    terms = horizon.Terms()
    narrow = uncertainty.saving_range(
        uncertainty.draw_inventory(spread_tasks(), seed=3), QUOTE, terms
    )
    wide_tasks = [
        uncertainty.TaskRange(D(100), D(600_000), SPREAD, (D("0.5"), D("1.8"))) for _ in range(10)
    ]
    wide = uncertainty.saving_range(uncertainty.draw_inventory(wide_tasks, seed=3), QUOTE, terms)
    assert wide.horizon[2] - wide.horizon[0] > narrow.horizon[2] - narrow.horizon[0]


def test_volume_priced_fees_follow_the_volume_and_subscriptions_do_not():
    # Only volumes vary. A volume-priced vendor's fee moves with them, so its saving's range is
    # narrower than a subscription's of the same fee.
    tasks = [uncertainty.TaskRange(D(1000), D(6_000_000), volume=(D("0.5"), D("1.5")))]
    draws = uncertainty.draw_inventory(tasks, seed=5)
    terms = horizon.Terms()
    by_volume = uncertainty.saving_range(
        draws, Quote("volume", unit_price=D(100), annual_volume=D(12_000)), terms
    )
    subscription = uncertainty.saving_range(
        draws, Quote("subscription", monthly_fee=D(100_000)), terms
    )
    assert (
        by_volume.annual[2] - by_volume.annual[0] < subscription.annual[2] - subscription.annual[0]
    )


def test_an_outcome_quote_draws_its_own_range():
    tasks = [uncertainty.TaskRange(D(1000), D(6_000_000))]
    draws = uncertainty.draw_inventory(tasks, seed=5)
    quote = Quote("outcome", unit_price=D(1_000), annual_volume=D(1_000))
    fixed = uncertainty.saving_range(draws, quote, horizon.Terms())
    ranged = uncertainty.saving_range(
        draws, quote, horizon.Terms(), outcome_range=(D(500), D(2_000))
    )
    assert fixed.annual[0] == fixed.annual[2]
    assert ranged.annual[0] < ranged.annual[2]


def test_many_distinct_ranges_agree_with_drawing_each():
    # Above EXACT_GROUPS distinct ranges the sums are interpolated on a grid: within 0.1%.
    tasks = [
        uncertainty.TaskRange(
            D(10), D(30_000), (D(0.5) + D(i) / 500, D("1.3")), (D(0.6) + D(i) / 500, D("1.4"))
        )
        for i in range(60)
    ]
    quote = Quote(
        "volume",
        initial_fee=D(100_000),
        monthly_fee=D(20_000),
        unit_price=D(50),
        annual_volume=D(2_000),
    )
    grid = uncertainty.saving_range(
        uncertainty.draw_inventory(tasks, seed=2), quote, horizon.Terms()
    )
    original, uncertainty.EXACT_GROUPS = uncertainty.EXACT_GROUPS, 10**6
    try:
        exact = uncertainty.saving_range(
            uncertainty.draw_inventory(tasks, seed=2), quote, horizon.Terms()
        )
    finally:
        uncertainty.EXACT_GROUPS = original
    for a, b in zip(grid.horizon, exact.horizon, strict=True):
        assert abs(a - b) <= abs(b) * D("0.001")


def test_seeds_are_derived_from_what_they_are_about():
    assert uncertainty.seed_for(12, 3) == uncertainty.seed_for(12, 3)
    assert uncertainty.seed_for(12, 3) != uncertainty.seed_for(12, 4)


# --- who ranks first when evaluators disagree


def test_first_probabilities_follow_the_spread_and_sum_to_one():
    # A: evaluators 100 and 25 (mean 62.5); B: 50 and 50. A is ahead but not surely.
    vendors = [vendor("A", 5, 2), vendor("B", 3, 3)]
    rows = scoring.rank(vendors, WEIGHTS, BPO, on=ON)
    chances = uncertainty.first_probabilities(vendors, WEIGHTS, rows, D(0), seed=1)
    assert set(chances) == {"A", "B"}
    assert D("0.5") < chances["A"] < D(1)
    assert abs(sum(chances.values()) - 1) <= D("0.01")
    assert chances == uncertainty.first_probabilities(vendors, WEIGHTS, rows, D(0), seed=1)


def test_first_probabilities_are_not_given_when_evaluators_agree_or_one_vendor_is_ranked():
    agreeing = [vendor("A", 4, 4), vendor("B", 3, 3)]
    rows = scoring.rank(agreeing, WEIGHTS, BPO, on=ON)
    assert uncertainty.first_probabilities(agreeing, WEIGHTS, rows, D(0), seed=1) == {}
    alone = [vendor("A", 5, 1)]
    rows = scoring.rank(alone, WEIGHTS, BPO, on=ON)
    assert uncertainty.first_probabilities(alone, WEIGHTS, rows, D(0), seed=1) == {}
