"""Table tests of the cost comparison and the vendor scoring, knock-outs, ranking and sensitivity
(SPEC 4.5, 4.6). Pure functions, no database; every figure is worked out by hand beside its case."""

from datetime import date
from decimal import Decimal

import pytest

from vendors.domain.scoring import (
    CRITERIA,
    DEFAULT_WEIGHTS,
    Certification,
    CostComparison,
    Evaluation,
    InvalidInput,
    Package,
    Quote,
    Sensitivity,
    Vendor,
    annual_vendor_cost,
    compare,
    evaluator_total,
    knockouts,
    rank,
    sensitivity,
    shift_weights,
    validate_weights,
    winners,
)

D = Decimal
ON = date(2025, 4, 1)
BPO = Package("bpo", frozenset({"internal"}))
PERSONAL_BPO = Package("bpo", frozenset({"internal", "personal"}))

# The default weights, for reading the figures below:
# track_record 15, team 10, security 20, sla_quality 15, improvement 10, bcp 10,
# cost_breakdown 10, contract_terms 10 (sum 100). A total is Σ w × (s − 1) × 25 / Σ w.


def flat(score: int | None) -> dict[str, int | None]:
    return dict.fromkeys(CRITERIA, score)


def scores(base: int | None, **given: int | None) -> dict[str, int | None]:
    """Every criterion `base`, except those given."""
    return {**flat(base), **given}


def vendor(
    name: str,
    *evaluations: dict[str, int | None],
    services: tuple[str, ...] = ("bpo",),
    certifications: tuple[Certification, ...] = (),
) -> Vendor:
    """A vendor scored by evaluators e1, e2, … in order."""
    return Vendor(
        name,
        frozenset(services),
        certifications,
        tuple(Evaluation(f"e{n}", s) for n, s in enumerate(evaluations, start=1)),
    )


def weights(**given: Decimal) -> dict[str, Decimal]:
    """The default weights with some changed (the caller keeps the sum at 100)."""
    return {**DEFAULT_WEIGHTS, **given}


# Default weights: 15×3 + 10×2 + 20×4 + 15×3 + 10×1 + 10×2 + 10×2 + 10×1 = 250; 250 × 25 / 100.
MIXED = {
    "track_record": 4,
    "team": 3,
    "security": 5,
    "sla_quality": 4,
    "improvement": 2,
    "bcp": 3,
    "cost_breakdown": 3,
    "contract_terms": 2,
}
MIXED_TOTAL = D("62.5")


# --- weights ---------------------------------------------------------------------------------


def test_default_weights_cover_the_criteria_in_spec_order_and_sum_to_100():
    assert tuple(DEFAULT_WEIGHTS) == CRITERIA
    assert CRITERIA[0] == "track_record" and CRITERIA[-1] == "contract_terms"
    assert validate_weights(DEFAULT_WEIGHTS) == []


def _without(code: str) -> dict[str, Decimal]:
    return {c: w for c, w in DEFAULT_WEIGHTS.items() if c != code}


@pytest.mark.parametrize(
    ("given", "problems"),
    [
        pytest.param(weights(security=D(15)), ["weights_sum_to:95"], id="sum-95"),
        pytest.param(weights(security=D(25)), ["weights_sum_to:105"], id="sum-105"),
        # bcp (10) missing: 90 left.
        pytest.param(_without("bcp"), ["missing_criterion:bcp", "weights_sum_to:90"], id="missing"),
        pytest.param({**DEFAULT_WEIGHTS, "price": D(0)}, ["unknown_criterion:price"], id="unknown"),
        # 15 + 40 − 10 + 15 + 10 × 4 = 100: only the sign is wrong.
        pytest.param(
            weights(team=D(40), security=D(-10)), ["negative_weight:security"], id="negative"
        ),
        pytest.param(weights(security=D("20.5"), team=D("9.5")), [], id="fractional-ok"),
        pytest.param(weights(security=D(30), team=D(0)), [], id="zero-ok"),
    ],
)
def test_validate_weights(given, problems):
    assert validate_weights(given) == problems


# --- cost comparison -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quote", "rate", "expected"),
    [
        # (12 × 200,000 + 100 × 12,000) × 1.15 = 3,600,000 × 1.15
        pytest.param(
            Quote("volume", None, D(200_000), D(100), D(12_000)),
            D("0.15"),
            D(4_140_000),
            id="volume",
        ),
        # 12 × 150,000 × 1.15; the initial fee is not in the annual cost
        pytest.param(
            Quote("subscription", D(600_000), D(150_000)),
            D("0.15"),
            D(2_070_000),
            id="subscription",
        ),
        # 500 × 4,000 × 1.10
        pytest.param(
            Quote("outcome", unit_price=D(500), annual_volume=D(4_000)),
            D("0.10"),
            D(2_200_000),
            id="outcome",
        ),
        # staffing (dispatch): hourly rate × hours, ¥2,400 × 1,920 h × 1.15
        pytest.param(
            Quote("hourly", unit_price=D(2_400), annual_volume=D(1_920)),
            D("0.15"),
            D("5299200"),
            id="hourly",
        ),
        pytest.param(Quote("volume", None, D(100_000)), D(0), D(1_200_000), id="no-overhead"),
        pytest.param(Quote(), D("0.15"), D(0), id="empty-quote"),
        # a volume without a unit price adds nothing: 12 × 10,000 × 1.15
        pytest.param(
            Quote("subscription", monthly_fee=D(10_000), annual_volume=D(999)),
            D("0.15"),
            D(138_000),
            id="volume-without-unit-price",
        ),
    ],
)
def test_annual_vendor_cost(quote, rate, expected):
    assert annual_vendor_cost(quote, rate) == expected


def test_annual_vendor_cost_defaults_to_15_percent_overhead():
    assert annual_vendor_cost(Quote("subscription", monthly_fee=D(100_000))) == D(1_380_000)


@pytest.mark.parametrize(
    ("in_house", "quote", "rate", "expected"),
    [
        # fixed 12 × 200,000 = 2,400,000; variable 100 × 12,000 = 1,200,000; quote 3,600,000;
        # overhead 15% = 540,000; annual 4,140,000; saving 6,000,000 − 4,140,000 = 1,860,000,
        # 155,000 a month; no initial fee: payback 0; variable share 1,200,000 / 3,600,000 = 1/3.
        pytest.param(
            D(6_000_000),
            Quote("volume", None, D(200_000), D(100), D(12_000)),
            D("0.15"),
            CostComparison(
                in_house_cost=D(6_000_000),
                fixed_cost=D(2_400_000),
                variable_cost=D(1_200_000),
                quote_cost=D(3_600_000),
                overhead=D(540_000),
                annual_cost=D(4_140_000),
                initial_fee=D(0),
                annual_saving=D(1_860_000),
                monthly_saving=D(155_000),
                payback_months=D(0),
                variable_share=D(1) / D(3),
            ),
            id="saving-without-initial-fee",
        ),
        # 12 × 150,000 = 1,800,000; + 15% = 2,070,000; saving 3,000,000 − 2,070,000 = 930,000,
        # 77,500 a month; payback 600,000 / 77,500 ≈ 7.74 months; all fixed: variable share 0.
        pytest.param(
            D(3_000_000),
            Quote("subscription", D(600_000), D(150_000)),
            D("0.15"),
            CostComparison(
                in_house_cost=D(3_000_000),
                fixed_cost=D(1_800_000),
                variable_cost=D(0),
                quote_cost=D(1_800_000),
                overhead=D(270_000),
                annual_cost=D(2_070_000),
                initial_fee=D(600_000),
                annual_saving=D(930_000),
                monthly_saving=D(77_500),
                payback_months=D(600_000) / D(77_500),
                variable_share=D(0),
            ),
            id="saving-with-initial-fee",
        ),
        # 500 × 4,000 = 2,000,000; + 10% = 2,200,000; saving 300,000, 25,000 a month;
        # payback 100,000 / 25,000 = 4; all variable: share 1.
        pytest.param(
            D(2_500_000),
            Quote("outcome", D(100_000), None, D(500), D(4_000)),
            D("0.10"),
            CostComparison(
                in_house_cost=D(2_500_000),
                fixed_cost=D(0),
                variable_cost=D(2_000_000),
                quote_cost=D(2_000_000),
                overhead=D(200_000),
                annual_cost=D(2_200_000),
                initial_fee=D(100_000),
                annual_saving=D(300_000),
                monthly_saving=D(25_000),
                payback_months=D(4),
                variable_share=D(1),
            ),
            id="outcome-based",
        ),
        # 12 × 100,000 = 1,200,000; + 15% = 1,380,000; saving 1,000,000 − 1,380,000 = −380,000:
        # a loss, so the 300,000 initial fee is never paid back.
        pytest.param(
            D(1_000_000),
            Quote("subscription", D(300_000), D(100_000)),
            D("0.15"),
            CostComparison(
                in_house_cost=D(1_000_000),
                fixed_cost=D(1_200_000),
                variable_cost=D(0),
                quote_cost=D(1_200_000),
                overhead=D(180_000),
                annual_cost=D(1_380_000),
                initial_fee=D(300_000),
                annual_saving=D(-380_000),
                monthly_saving=D(-380_000) / 12,
                payback_months=None,
                variable_share=D(0),
            ),
            id="loss-with-initial-fee",
        ),
    ],
)
def test_compare(in_house, quote, rate, expected):
    assert compare(in_house, quote, rate) == expected


@pytest.mark.parametrize(
    ("in_house", "quote", "payback"),
    [
        # loss (1,000,000 − 1,380,000) but no initial fee: nothing to pay back
        pytest.param(D(1_000_000), Quote("subscription", None, D(100_000)), D(0), id="loss-no-fee"),
        pytest.param(
            D(1_000_000), Quote("subscription", D(0), D(100_000)), D(0), id="loss-zero-fee"
        ),
        # break-even: 1,380,000 − 1,380,000 = 0 a month, the fee is never paid back
        pytest.param(
            D(1_380_000), Quote("subscription", D(50_000), D(100_000)), None, id="break-even"
        ),
        # saving 2,760,000 − 1,380,000 = 1,380,000, 115,000 a month: 230,000 back in 2 months
        pytest.param(
            D(2_760_000), Quote("subscription", D(230_000), D(100_000)), D(2), id="two-months"
        ),
    ],
)
def test_payback_months(in_house, quote, payback):
    assert compare(in_house, quote).payback_months == payback


def test_compare_does_not_round():
    # 12 × 333.33 = 3,999.96; × 1.15 = 4,599.954; saving 10,000 − 4,599.954 = 5,400.046
    result = compare(D(10_000), Quote("subscription", D(1), D("333.33")))
    assert result.annual_cost == D("4599.954")
    assert result.annual_saving == D("5400.046")
    assert result.monthly_saving == D("5400.046") / 12


def test_an_empty_quote_has_no_variable_share():
    result = compare(D(500_000), Quote())
    assert result.variable_share is None
    assert result.annual_saving == D(500_000)


@pytest.mark.parametrize(
    ("in_house", "quote", "rate", "message"),
    [
        pytest.param(D(1), Quote("volume", D(-1)), D(0), "initial_fee", id="negative-initial-fee"),
        pytest.param(
            D(1), Quote("volume", None, D(-5)), D(0), "monthly_fee", id="negative-monthly"
        ),
        pytest.param(
            D(1), Quote("volume", None, None, D(-1), D(10)), D(0), "unit_price", id="negative-unit"
        ),
        pytest.param(
            D(1), Quote("volume", None, None, D(1), D(-10)), D(0), "annual_volume", id="neg-volume"
        ),
        pytest.param(
            D(1), Quote("volume", None, None, D(100)), D(0), "annual volume", id="unit-no-volume"
        ),
        pytest.param(
            D(1), Quote("hourly", unit_price=D(2_400)), D(0), "annual volume", id="rate-no-hours"
        ),
        pytest.param(D(1), Quote("per_seat"), D(0), "pricing model", id="unknown-pricing-model"),  # type: ignore[arg-type]
        pytest.param(D(1), Quote("volume"), D("-0.1"), "overhead rate", id="negative-overhead"),
        pytest.param(D(-1), Quote("volume"), D(0), "in-house cost", id="negative-in-house"),
    ],
)
def test_bad_cost_input_is_refused(in_house, quote, rate, message):
    with pytest.raises(InvalidInput, match=message):
        compare(in_house, quote, rate)


def test_bad_cost_input_is_a_value_error():
    with pytest.raises(ValueError, match="must not be negative"):
        annual_vendor_cost(Quote("volume", monthly_fee=D(-1)))


# --- an evaluator's total --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "total"),
    [
        pytest.param(flat(1), D(0), id="all-ones"),
        pytest.param(flat(5), D(100), id="all-fives"),
        pytest.param(flat(3), D(50), id="all-threes"),
        pytest.param(MIXED, MIXED_TOTAL, id="mixed"),
        # 20 × 4 × 25 / 100
        pytest.param(scores(1, security=5), D(20), id="security-only"),
        # (15 × 4 + 10 × 2) × 25 / 100
        pytest.param(scores(1, track_record=5, team=3), D(20), id="track-record-and-team"),
        # security unscored: both sums over the other 80 points, all 5: 100
        pytest.param(scores(5, security=None), D(100), id="missing-left-out"),
        # only security scored, 4: 20 × 3 × 25 / 20
        pytest.param({"security": 4}, D(75), id="one-criterion"),
        # (20 × 2 + 10 × 4) × 25 / 30 = 2,000 / 30
        pytest.param({"security": 3, "team": 5}, D(2000) / D(30), id="repeating-decimal"),
        pytest.param({}, None, id="nothing-scored"),
        pytest.param(flat(None), None, id="all-none"),
    ],
)
def test_evaluator_total(given, total):
    assert evaluator_total(given, DEFAULT_WEIGHTS) == total


def test_a_criterion_weighing_nothing_does_not_count():
    zero_team = weights(team=D(0), security=D(30))
    # team scored 5 but weighs 0: only security's 1 counts
    assert evaluator_total({"team": 5, "security": 1}, zero_team) == D(0)
    # nothing with a weight scored
    assert evaluator_total({"team": 5}, zero_team) is None


@pytest.mark.parametrize(
    ("score", "message"),
    [
        pytest.param(0, "from 1 to 5, not 0", id="zero"),
        pytest.param(6, "from 1 to 5, not 6", id="six"),
        pytest.param(-1, "from 1 to 5", id="negative"),
        pytest.param(D("3.5"), "whole number", id="decimal"),
        pytest.param(3.0, "whole number", id="float"),
        pytest.param("3", "whole number", id="text"),
        pytest.param(True, "whole number", id="bool"),
    ],
)
def test_bad_scores_are_refused(score, message):
    with pytest.raises(InvalidInput, match=f"security must be .*{message}"):
        evaluator_total(scores(3, security=score), DEFAULT_WEIGHTS)


def test_a_score_for_an_unknown_criterion_is_refused():
    with pytest.raises(InvalidInput, match="'price' is not an evaluation criterion"):
        evaluator_total({"price": 3}, DEFAULT_WEIGHTS)


# --- knock-outs ------------------------------------------------------------------------------

ISMS = Certification("isms")  # no expiry known
PMARK_TO_DAY = Certification("pmark", date(2025, 4, 1))  # expires on ON: still valid
ISMS_EXPIRED = Certification("isms", date(2025, 3, 31))  # the day before ON
PMARK_EXPIRED = Certification("pmark", date(2024, 12, 31))
ISO9001 = Certification("iso9001")


@pytest.mark.parametrize(
    ("services", "certifications", "package", "reasons"),
    [
        pytest.param(("bpo", "ito"), (), BPO, (), id="offered-not-sensitive"),
        pytest.param(("ito",), (), BPO, ("service_not_offered",), id="not-offered"),
        pytest.param((), (), BPO, ("service_not_offered",), id="no-services"),
        pytest.param(("bpo",), (ISMS,), PERSONAL_BPO, (), id="isms"),
        pytest.param(("bpo",), (PMARK_TO_DAY,), PERSONAL_BPO, (), id="pmark-expiring-today"),
        pytest.param(
            ("bpo",), (ISMS_EXPIRED,), PERSONAL_BPO, ("certification_missing",), id="expired"
        ),
        pytest.param(
            ("bpo",), (ISO9001,), PERSONAL_BPO, ("certification_missing",), id="iso9001-only"
        ),
        pytest.param(
            ("bpo",),
            (PMARK_EXPIRED, ISO9001),
            Package("bpo", frozenset({"confidential"})),
            ("certification_missing",),
            id="confidential-expired-pmark",
        ),
        pytest.param(("bpo",), (ISMS_EXPIRED, PMARK_TO_DAY), PERSONAL_BPO, (), id="one-valid"),
        pytest.param(("bpo",), (), Package("bpo", frozenset({"public"})), (), id="public-data"),
        pytest.param(("bpo",), (), Package("bpo"), (), id="no-tasks"),
        pytest.param(
            ("ito",),
            (ISMS_EXPIRED,),
            PERSONAL_BPO,
            ("service_not_offered", "certification_missing"),
            id="both-reasons",
        ),
    ],
)
def test_knockouts(services, certifications, package, reasons):
    assert knockouts(
        vendor("V", services=services, certifications=certifications), package, on=ON
    ) == (reasons)


def test_expiry_is_judged_on_the_date_given():
    # valid through 2025-03-31, missing from 2025-04-01
    assert (
        knockouts(vendor("V", certifications=(ISMS_EXPIRED,)), PERSONAL_BPO, on=date(2025, 3, 31))
        == ()
    )
    assert knockouts(vendor("V", certifications=(ISMS_EXPIRED,)), PERSONAL_BPO, on=ON) == (
        "certification_missing",
    )


# --- ranking ---------------------------------------------------------------------------------

NOT_OFFERED = ("service_not_offered",)


@pytest.mark.parametrize(
    ("vendors", "expected"),
    [
        pytest.param([], [], id="no-vendors"),
        # flat 4: 3 × 25 = 75; flat 3: 50; flat 2: 25. Competition ranking: 1, 1, 3, 4.
        pytest.param(
            [
                vendor("D", flat(2)),
                vendor("B", flat(4)),
                vendor("C", flat(3)),
                vendor("A", flat(4)),
            ],
            [
                ("A", 1, D(75), D(0), 1, ()),
                ("B", 1, D(75), D(0), 1, ()),
                ("C", 3, D(50), D(0), 1, ()),
                ("D", 4, D(25), D(0), 1, ()),
            ],
            id="tie-shares-a-rank",
        ),
        # X: 20 × 4 × 25 / 100 = 20; Y: (15 × 4 + 10 × 2) × 25 / 100 = 20; Z: 0.
        pytest.param(
            [
                vendor("Z", flat(1)),
                vendor("Y", scores(1, track_record=5, team=3)),
                vendor("X", scores(1, security=5)),
            ],
            [
                ("X", 1, D(20), D(0), 1, ()),
                ("Y", 1, D(20), D(0), 1, ()),
                ("Z", 3, D(0), D(0), 1, ()),
            ],
            id="tie-of-different-scores",
        ),
        pytest.param(
            [vendor("Solo", MIXED)], [("Solo", 1, MIXED_TOTAL, D(0), 1, ())], id="single-evaluator"
        ),
        # A: e1 62.5, e2 20: mean 41.25, spread 42.5; B: 50 from one evaluator.
        pytest.param(
            [vendor("A", MIXED, scores(1, security=5)), vendor("B", flat(3))],
            [("B", 1, D(50), D(0), 1, ()), ("A", 2, D("41.25"), D("42.5"), 2, ())],
            id="mean-and-spread",
        ),
        # every evaluator scored 1 everywhere: 0, still ranked; 5 everywhere: 100.
        pytest.param(
            [vendor("Low", flat(1), flat(1)), vendor("High", flat(5), flat(5), flat(5))],
            [("High", 1, D(100), D(0), 3, ()), ("Low", 2, D(0), D(0), 2, ())],
            id="all-ones-and-all-fives",
        ),
        # e2 scored nothing: not an evaluator of the total.
        pytest.param(
            [vendor("A", flat(4), {})], [("A", 1, D(75), D(0), 1, ())], id="empty-evaluation"
        ),
        # The best total is excluded: listed after the ranked ones, with its total and reason.
        pytest.param(
            [vendor("Best", flat(5), services=("ito",)), vendor("Ok", flat(2))],
            [("Ok", 1, D(25), D(0), 1, ()), ("Best", None, D(100), D(0), 1, NOT_OFFERED)],
            id="excluded-after-ranked",
        ),
        # ranked, then unscored by name (nobody evaluated; evaluated with no score), then excluded
        pytest.param(
            [
                vendor("Out", flat(4), services=("ito",)),
                vendor("New"),
                vendor("Blank", flat(None)),
                vendor("Ok", flat(3)),
            ],
            [
                ("Ok", 1, D(50), D(0), 1, ()),
                ("Blank", None, None, None, 0, ()),
                ("New", None, None, None, 0, ()),
                ("Out", None, D(75), D(0), 1, NOT_OFFERED),
            ],
            id="unscored-between-ranked-and-excluded",
        ),
        # all excluded: nobody ranked; by total, unscored last
        pytest.param(
            [
                vendor("P", services=("ito",)),
                vendor("Q", flat(2), services=("ito",)),
                vendor("R", flat(3), services=("kpo",)),
            ],
            [
                ("R", None, D(50), D(0), 1, NOT_OFFERED),
                ("Q", None, D(25), D(0), 1, NOT_OFFERED),
                ("P", None, None, None, 0, NOT_OFFERED),
            ],
            id="all-excluded",
        ),
    ],
)
def test_rank(vendors, expected):
    ranking = rank(vendors, DEFAULT_WEIGHTS, BPO, on=ON)
    assert [
        (r.name, r.rank, r.total, r.spread, r.evaluators, r.exclusion_reasons) for r in ranking
    ] == expected
    assert all(r.excluded == bool(r.exclusion_reasons) for r in ranking)


def test_rank_keeps_each_evaluators_total():
    (ranked,) = rank([vendor("A", MIXED, scores(1, security=5))], DEFAULT_WEIGHTS, BPO, on=ON)
    assert ranked.evaluator_totals == (("e1", MIXED_TOTAL), ("e2", D(20)))


def test_knockouts_of_a_sensitive_package_apply_in_the_ranking():
    ranking = rank(
        [
            vendor("Certified", flat(3), certifications=(ISMS,)),
            vendor("Lapsed", flat(5), services=("ito",), certifications=(ISMS_EXPIRED,)),
        ],
        DEFAULT_WEIGHTS,
        PERSONAL_BPO,
        on=ON,
    )
    assert [(r.name, r.rank, r.exclusion_reasons) for r in ranking] == [
        ("Certified", 1, ()),
        ("Lapsed", None, ("service_not_offered", "certification_missing")),
    ]
    assert winners(ranking) == ("Certified",)


def test_rounding_does_not_break_a_tie():
    # A: e1 team 2, security 5: (10 × 1 + 20 × 4) × 25 / 30 = 75; e2 security 3, team 4:
    # (20 × 2 + 10 × 3) × 25 / 30 = 58.33…; mean 200/3. B: security 5, team 2, track_record 3:
    # (80 + 10 + 15 × 2) × 25 / 45 = 200/3. Decimal leaves them apart in the 28th digit.
    a = vendor("A", {"team": 2, "security": 5}, {"security": 3, "team": 4})
    b = vendor("B", {"security": 5, "team": 2, "track_record": 3})
    ranking = rank([a, b], DEFAULT_WEIGHTS, BPO, on=ON)
    assert ranking[0].total != ranking[1].total
    assert [(r.name, r.rank) for r in ranking] == [("A", 1), ("B", 1)]


def test_rank_refuses_weights_not_summing_to_100():
    with pytest.raises(InvalidInput, match="weights_sum_to:95"):
        rank([vendor("A", flat(3))], weights(security=D(15)), BPO, on=ON)


def test_rank_refuses_a_bad_score_even_of_an_excluded_vendor():
    with pytest.raises(InvalidInput, match="from 1 to 5, not 6"):
        rank([vendor("A", scores(3, bcp=6), services=())], DEFAULT_WEIGHTS, BPO, on=ON)


# --- rescaling the weights -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("criterion", "delta", "expected"),
    [
        # security 30; the other 80 points become 70: each × 7/8
        pytest.param(
            "security",
            D(10),
            {
                "track_record": D("13.125"),
                "team": D("8.75"),
                "security": D(30),
                "sla_quality": D("13.125"),
                "improvement": D("8.75"),
                "bcp": D("8.75"),
                "cost_breakdown": D("8.75"),
                "contract_terms": D("8.75"),
            },
            id="security-plus-10",
        ),
        # security 10; the other 80 points become 90: each × 9/8
        pytest.param(
            "security",
            D(-10),
            {
                "track_record": D("16.875"),
                "team": D("11.25"),
                "security": D(10),
                "sla_quality": D("16.875"),
                "improvement": D("11.25"),
                "bcp": D("11.25"),
                "cost_breakdown": D("11.25"),
                "contract_terms": D("11.25"),
            },
            id="security-minus-10",
        ),
    ],
)
def test_shift_weights(criterion, delta, expected):
    assert shift_weights(DEFAULT_WEIGHTS, criterion, delta) == expected


@pytest.mark.parametrize("delta", [D(10), D(-10)])
@pytest.mark.parametrize("criterion", CRITERIA)
def test_rescaling_keeps_the_sum_at_100_and_the_proportions(criterion, delta):
    moved = shift_weights(DEFAULT_WEIGHTS, criterion, delta)
    assert moved is not None
    assert list(moved) == list(CRITERIA)
    assert sum(moved.values()) == D(100)  # exactly, even where the factor repeats (75/85)
    assert validate_weights(moved) == []
    assert moved[criterion] == DEFAULT_WEIGHTS[criterion] + delta
    # the others keep their proportions: each is its old weight × the same factor
    others = [c for c in CRITERIA if c != criterion]
    factor = (100 - moved[criterion]) / (100 - DEFAULT_WEIGHTS[criterion])
    for code in others:
        assert abs(moved[code] - DEFAULT_WEIGHTS[code] * factor) < D("1e-20")


def test_a_weight_below_10_is_clamped_at_0():
    given = weights(team=D(4), contract_terms=D(16))  # 15 + 4 + 20 + 15 + 10 × 3 + 16 = 100
    moved = shift_weights(given, "team", D(-10))
    assert moved is not None
    assert moved["team"] == D(0)
    assert sum(moved.values()) == D(100)
    # the other 96 points become 100: security 20 × 100/96 ≈ 20.83
    assert abs(moved["security"] - D(2000) / D(96)) < D("1e-20")


def test_a_weight_above_90_is_clamped_at_100():
    given = {**dict.fromkeys(CRITERIA, D(0)), "security": D(95), "team": D(5)}
    assert shift_weights(given, "security", D(10)) == {
        **dict.fromkeys(CRITERIA, D(0)),
        "security": D(100),
    }


def test_points_freed_from_a_sole_weight_are_shared_equally():
    given = {**dict.fromkeys(CRITERIA, D(0)), "security": D(100)}
    moved = shift_weights(given, "security", D(-10))
    assert moved is not None
    assert moved["security"] == D(90)
    assert sum(moved.values()) == D(100)
    # 10 points among the 7 others: 10/7 each, give or take the last digit
    assert all(abs(moved[c] - D(10) / 7) < D("1e-20") for c in CRITERIA if c != "security")


@pytest.mark.parametrize(
    ("given", "criterion", "delta"),
    [
        pytest.param(weights(team=D(0), security=D(30)), "team", D(-10), id="zero-down"),
        pytest.param(
            {**dict.fromkeys(CRITERIA, D(0)), "security": D(100)}, "security", D(10), id="100-up"
        ),
    ],
)
def test_a_clamped_move_that_changes_nothing_is_none(given, criterion, delta):
    assert shift_weights(given, criterion, delta) is None


# --- sensitivity -----------------------------------------------------------------------------

# Everything 3 but one criterion 5: Σ w × (s − 1) = 2 × 100 + 2 × w(that criterion), so between
# two such vendors the one whose criterion weighs more wins, and equal weights tie.
SECURE = scores(3, security=5)
PROVEN = scores(3, track_record=5)
STAFFED = scores(3, team=5)


def flips(result: Sensitivity) -> list[tuple[str, Decimal, tuple[str, ...]]]:
    return [(f.criterion, f.delta, f.winners) for f in result.flips]


def test_plus_10_on_one_criterion_flips_the_winner():
    # Default: security 20 > track_record 15, A wins (60 against 57.5).
    # track_record +10: 25 against security 20 × 75/85 ≈ 17.6: B wins (62.5 against ≈ 58.8).
    # security −10: 10 against track_record 15 × 90/80 = 16.875: B wins.
    # Every other move scales security and track_record alike; track_record −10 and security +10
    # widen A's lead.
    result = sensitivity([vendor("A", SECURE), vendor("B", PROVEN)], DEFAULT_WEIGHTS, BPO, on=ON)
    assert result.winners == ("A",)
    assert result.stable is False
    assert flips(result) == [("track_record", D(10), ("B",)), ("security", D(-10), ("B",))]
    first = result.flips[0]
    assert first.weights["track_record"] == D(25)
    assert sum(first.weights.values()) == D(100)


def test_before_the_move_the_ranking_agrees():
    ranking = rank([vendor("A", SECURE), vendor("B", PROVEN)], DEFAULT_WEIGHTS, BPO, on=ON)
    # A: (2 × 100 + 2 × 20) × 25 / 100 = 60; B: (2 × 100 + 2 × 15) × 25 / 100 = 57.5
    assert [(r.name, r.total) for r in ranking] == [("A", D(60)), ("B", D("57.5"))]


def test_a_tie_appearing_counts_as_a_change():
    # security 30 > team 17.5 (the other six 8.75 each: 30 + 17.5 + 52.5 = 100): A wins.
    # security −10: 20, team 17.5 × 80/70 = 20: a tie, so the winner changed.
    # team +10: 27.5 against security 30 × 72.5/82.5 ≈ 26.4: B wins.
    given = {**dict.fromkeys(CRITERIA, D("8.75")), "security": D(30), "team": D("17.5")}
    assert validate_weights(given) == []
    result = sensitivity([vendor("A", SECURE), vendor("B", STAFFED)], given, BPO, on=ON)
    assert result.winners == ("A",)
    assert result.stable is False
    assert flips(result) == [("team", D(10), ("B",)), ("security", D(-10), ("A", "B"))]


def test_a_tie_broken_counts_as_a_change():
    # Equal weights 12.5: A (security) and B (team) tie. Raising either's criterion, or lowering
    # the other's, breaks the tie; moving any other criterion scales both alike.
    equal = dict.fromkeys(CRITERIA, D("12.5"))
    result = sensitivity([vendor("A", SECURE), vendor("B", STAFFED)], equal, BPO, on=ON)
    assert result.winners == ("A", "B")
    assert result.stable is False
    assert flips(result) == [
        ("team", D(10), ("B",)),
        ("team", D(-10), ("A",)),
        ("security", D(10), ("A",)),
        ("security", D(-10), ("B",)),
    ]


@pytest.mark.parametrize(
    ("vendors", "expected"),
    [
        # 100 against 0: no weight moves that
        pytest.param(
            [vendor("A", flat(5)), vendor("B", flat(1))], Sensitivity(("A",), True), id="clear-lead"
        ),
        pytest.param([vendor("Solo", MIXED)], Sensitivity(("Solo",), True), id="single-vendor"),
        # the same scores tie under any weights
        pytest.param(
            [vendor("A", flat(4)), vendor("B", flat(4))],
            Sensitivity(("A", "B"), True),
            id="identical-tie",
        ),
        # B would win on +10 track_record, but B is excluded
        pytest.param(
            [vendor("A", SECURE), vendor("B", PROVEN, services=("ito",))],
            Sensitivity(("A",), True),
            id="excluded-rival",
        ),
        pytest.param(
            [vendor("A", flat(5), services=("ito",)), vendor("B", flat(3), services=())],
            Sensitivity((), None),
            id="all-excluded",
        ),
        pytest.param([vendor("A"), vendor("B")], Sensitivity((), None), id="nobody-scored"),
        pytest.param([], Sensitivity((), None), id="no-vendors"),
    ],
)
def test_sensitivity(vendors, expected):
    assert sensitivity(vendors, DEFAULT_WEIGHTS, BPO, on=ON) == expected


def test_sensitivity_refuses_weights_not_summing_to_100():
    with pytest.raises(InvalidInput, match="weights_sum_to:110"):
        sensitivity([vendor("A", flat(3))], weights(security=D(30)), BPO, on=ON)
