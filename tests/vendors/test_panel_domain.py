"""Table tests of the evaluation panel's statistics (vendors/domain/panel.py) and of a consensus
score in the vendor's quality (vendors/domain/scoring.py), SPEC 4.6. Pure functions, no
database; every figure is worked out by hand beside its case.

With the default weights a flat score s on every criterion is a total of (s − 1) × 25:
2 → 25, 3 → 50, 4 → 75, 5 → 100."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import numpy as np
import pytest

from vendors.domain import panel
from vendors.domain.scoring import (
    CRITERIA,
    DEFAULT_WEIGHTS,
    Evaluation,
    InvalidInput,
    Package,
    Vendor,
    evaluator_total,
    points_matrix,
    rank,
    with_consensus,
)

D = Decimal
ON = date(2025, 4, 1)


def flat(score: int | None) -> dict[str, int | None]:
    return dict.fromkeys(CRITERIA, score)


def stats(scores: panel.PanelScores) -> panel.PanelStatistics:
    return panel.panel_statistics(scores, DEFAULT_WEIGHTS)


def leniency_of(scores: panel.PanelScores) -> dict[str, tuple[Decimal | None, int, bool]]:
    return {e.evaluator: (e.points, e.vendors, e.far) for e in stats(scores).leniency}


# --- leniency and far from the rest ----------------------------------------------------------


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        pytest.param(
            {"V1": {"aoi": flat(4), "ben": flat(3)}, "V2": {"aoi": flat(3), "ben": flat(3)}},
            # aoi: V1 75 − 50 = +25, V2 0 → +12.5; ben mirrors it. Two evaluators: no one far.
            {"aoi": (D("12.5"), 2, False), "ben": (D("-12.5"), 2, False)},
            id="two evaluators mirror each other, never far",
        ),
        pytest.param(
            {
                "V1": {"aoi": flat(3), "ben": flat(3), "chie": flat(5)},
                "V2": {"aoi": flat(3), "ben": flat(3), "chie": flat(5)},
            },
            # chie 100 − 50 = +50; aoi and ben 50 − mean(50, 100) = −25. Median |L| 25, bar
            # max(15, 2 × 25) = 50: chie (50) is far, the two who agree are not.
            {"aoi": (D(-25), 2, False), "ben": (D(-25), 2, False), "chie": (D(50), 2, True)},
            id="one of three far above, the two who agree not flagged",
        ),
        pytest.param(
            {
                "V1": {"aoi": flat(2), "ben": flat(3), "chie": flat(4)},
                "V2": {"aoi": flat(2), "ben": flat(3), "chie": flat(4)},
            },
            # aoi 25 − 62.5 = −37.5, ben 0, chie +37.5: median 37.5, bar 75: evenly spread.
            {"aoi": (D("-37.5"), 2, False), "ben": (D(0), 2, False), "chie": (D("37.5"), 2, False)},
            id="evenly spread: no one far",
        ),
        pytest.param(
            {"V1": {"aoi": flat(3), "ben": flat(3), "chie": flat(5)}},
            # As two cases above, over one vendor: a view of that vendor, not a habit.
            {"aoi": (D(-25), 1, False), "ben": (D(-25), 1, False), "chie": (D(50), 1, False)},
            id="far on one vendor only is not flagged",
        ),
        pytest.param(
            {"V1": {"aoi": flat(4)}, "V2": {"aoi": flat(2)}},
            {"aoi": (None, 0, False)},
            id="one evaluator: no one to compare with",
        ),
        pytest.param(
            {
                "V1": {"aoi": flat(4), "ben": flat(2), "chie": flat(4)},
                "V2": {"aoi": flat(4), "ben": flat(4)},
            },
            # V1: aoi 75 − mean(25, 75) = +25, ben 25 − 75 = −50, chie 75 − 50 = +25.
            # V2: aoi 0, ben 0. aoi +12.5 (2), ben −25 (2), chie +25 over the one vendor it
            # scored. Median 25, bar 50: no one far.
            {"aoi": (D("12.5"), 2, False), "ben": (D(-25), 2, False), "chie": (D(25), 1, False)},
            id="an evaluator who scored one vendor",
        ),
        pytest.param(
            {"V1": {"aoi": {"security": 5}, "ben": flat(3)}},
            # aoi's total is over what she scored: security 5 → 100; +50 and −50.
            {"aoi": (D(50), 1, False), "ben": (D(-50), 1, False)},
            id="unscored criteria left out of the total",
        ),
        pytest.param(
            {"V1": {"aoi": flat(None), "ben": flat(3)}},
            # aoi scored nothing: no total, so neither she nor ben has anyone to compare with.
            {"ben": (None, 0, False)},
            id="an evaluator who scored nothing is no comparison",
        ),
        pytest.param(
            {
                "V1": {"aoi": flat(3), "ben": flat(3), "chie": flat(3), "dai": flat(4)},
                "V2": {"aoi": flat(3), "ben": flat(3), "chie": flat(3), "dai": flat(4)},
            },
            # dai +25; the others 50 − mean(50, 50, 75) = −8.33…: median 8.33, bar
            # max(15, 16.67) = 16.67: dai is far.
            {
                "aoi": (D(50) - D(175) / 3, 2, False),
                "ben": (D(50) - D(175) / 3, 2, False),
                "chie": (D(50) - D(175) / 3, 2, False),
                "dai": (D(25), 2, True),
            },
            id="one of four a step above on every criterion",
        ),
    ],
)
def test_leniency_and_far(scores, expected):
    assert leniency_of(scores) == expected


def test_far_needs_fifteen_points_however_close_the_others_are():
    # aoi and ben agree exactly; chie is a step up on security, track record and SLA (weights
    # 20 + 15 + 15 = 50): 50 × 25 / 100 = 12.5 points above. aoi and ben: −6.25 each. Twice the
    # median (6.25) is 12.5, which chie reaches, but the bar is 15.
    base = flat(3)
    up = {**base, "security": 4, "track_record": 4, "sla_quality": 4}
    scores = {
        "V1": {"aoi": base, "ben": base, "chie": up},
        "V2": {"aoi": base, "ben": base, "chie": up},
    }
    found = leniency_of(scores)
    assert found["chie"] == (D("12.5"), 2, False)
    assert stats(scores).far == ()


# --- agreement -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scores", "comparisons", "close", "share"),
    [
        pytest.param({"V1": {"aoi": flat(3), "ben": flat(4)}}, 8, 8, D(1), id="one point apart"),
        pytest.param({"V1": {"aoi": flat(2), "ben": flat(4)}}, 8, 0, D(0), id="two points apart"),
        pytest.param(
            {"V1": {"aoi": flat(3), "ben": flat(4), "chie": flat(5)}},
            # per criterion: (3,4) close, (3,5) not, (4,5) close.
            24,
            16,
            D(16) / D(24),
            id="three evaluators",
        ),
        pytest.param(
            {"V1": {"aoi": {**flat(3), "security": None}, "ben": flat(3)}},
            7,
            7,
            D(1),
            id="an unscored criterion is no comparison",
        ),
        pytest.param(
            {"V1": {"aoi": flat(3)}, "V2": {"ben": flat(5)}},
            0,
            0,
            None,
            id="never the same vendor: nothing to compare",
        ),
        pytest.param({"V1": {"aoi": flat(3)}}, 0, 0, None, id="one evaluator"),
    ],
)
def test_agreement_is_the_share_within_one_point(scores, comparisons, close, share):
    found = panel.agreement(scores)
    assert (found.comparisons, found.close, found.share) == (comparisons, close, share)


def test_splits_name_who_gave_the_lowest_and_the_highest_widest_first():
    scores = {
        "V1": {"aoi": {**flat(3), "bcp": 1}, "ben": {**flat(3), "bcp": 4}},
        "V2": {"aoi": {**flat(3), "security": 2}, "ben": {**flat(3), "security": 5}},
    }
    found = panel.splits(scores)
    assert [(s.vendor, s.criterion, s.low, s.high, s.lowest, s.highest) for s in found] == [
        ("V1", "bcp", 1, 4, ("aoi",), ("ben",)),
        ("V2", "security", 2, 5, ("aoi",), ("ben",)),
    ]
    assert panel.splits({"V1": {"aoi": flat(3), "ben": flat(4)}}) == []


# --- consensus in the vendor's quality -------------------------------------------------------


@pytest.mark.parametrize(
    ("scores", "consensus", "total"),
    [
        # security weighs 20: (80 × 50 + 20 × 100) / 100 = 60.
        pytest.param(flat(3), {"security": 5}, D(60), id="replaces the evaluator's score"),
        pytest.param(flat(3), {}, D(50), id="no consensus: their own scores"),
        # Only track record scored (100); the consensus adds security 1 (0):
        # (15 × 100 + 20 × 0) / 35.
        pytest.param(
            {"track_record": 5},
            {"security": 1},
            D(1500) / D(35),
            id="counts for a criterion the evaluator left unscored",
        ),
        pytest.param(
            flat(2), dict.fromkeys(CRITERIA, 4), D(75), id="every criterion agreed: their total"
        ),
    ],
)
def test_an_evaluators_total_with_the_consensus(scores, consensus, total):
    assert evaluator_total(with_consensus(scores, consensus), DEFAULT_WEIGHTS) == total


@pytest.mark.parametrize("bad", [0, 6, True, "4"])
def test_a_consensus_score_is_a_whole_number_from_1_to_5(bad):
    with pytest.raises(InvalidInput):
        with_consensus(flat(3), {"security": bad})


@pytest.mark.parametrize(
    ("consensus", "quality", "spread", "totals"),
    [
        # Without: 50 and 100 → 75, spread 50.
        pytest.param({}, D(75), D(50), (D(50), D(100)), id="without a consensus"),
        # Security 1 for both: aoi (80 × 50) / 100 = 40, ben (80 × 100) / 100 = 80.
        pytest.param({"security": 1}, D(60), D(40), (D(40), D(80)), id="security agreed at 1"),
    ],
)
def test_the_ranking_counts_the_consensus_in_each_evaluators_total(
    consensus, quality, spread, totals
):
    mirai = Vendor(
        "Mirai",
        frozenset({"bpo"}),
        evaluations=(Evaluation("aoi", flat(3)), Evaluation("ben", flat(5))),
        consensus=consensus,
    )
    (row,) = rank([mirai], DEFAULT_WEIGHTS, Package("bpo"), on=ON)
    assert (row.total, row.spread) == (quality, spread)
    assert tuple(total for _name, total in row.evaluator_totals) == totals


def test_the_sensitivity_and_the_panel_draws_read_the_consensus_too():
    mirai = Vendor(
        "Mirai",
        evaluations=(Evaluation("aoi", flat(3)), Evaluation("ben", {"bcp": 2})),
        consensus={"security": 5},
    )
    matrix = points_matrix(mirai)
    security = CRITERIA.index("security")
    assert matrix[:, security].tolist() == [100.0, 100.0]
    assert np.isnan(matrix[1, CRITERIA.index("team")])
    assert matrix[1, CRITERIA.index("bcp")] == 25.0
