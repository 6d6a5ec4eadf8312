"""The pure parts of the case the report makes (SPEC 4.8): how the recommendation serves each
goal of step 1, the indirect-department ratio once the outsourced work's FTE are released, and
the transition roadmap's phases and order. Table tests, no database."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from assessments.domain import goals, roadmap
from assessments.domain.goals import Outcome, Status
from assessments.domain.inventory import IndirectBand, indirect_ratio, indirect_ratio_after
from assessments.domain.roadmap import PackagePlan, PhaseKind

# --- goals -------------------------------------------------------------------------------------

COSTED = Outcome(
    outsourced_tasks=10,
    hours_freed=D(2000),
    fte_freed=D("1.04"),
    costed_packages=2,
    packages=2,
    saving=D(3_000_000),
    saving_low=D(500_000),
    quality_scores=(D(72), D(65)),
    quality_weight=D(30),
    single_person_tasks=4,
    single_person_moved=4,
)


@pytest.mark.parametrize(
    ("goal", "outcome", "status", "reason"),
    [
        pytest.param("cost", COSTED, Status.SERVED, "saving", id="cost-saving"),
        pytest.param(
            "cost",
            Outcome(packages=2, costed_packages=1, saving=D(100), saving_low=D(10)),
            Status.PARTLY,
            "saving_some_packages",
            id="cost-some-packages-costed",
        ),
        pytest.param(
            "cost",
            Outcome(packages=1, costed_packages=1, saving=D(100), saving_low=D(-50)),
            Status.PARTLY,
            "uncertain_saving",
            id="cost-range-reaches-a-loss",
        ),
        pytest.param(
            "cost",
            Outcome(packages=1, costed_packages=1, saving=D(-1)),
            Status.NOT_SERVED,
            "loss",
            id="cost-loss",
        ),
        pytest.param("cost", Outcome(packages=1), Status.OPEN, "not_costed", id="cost-no-quote"),
        pytest.param("cost", Outcome(), Status.OPEN, "nothing_outsourced", id="cost-nothing"),
        pytest.param("quality", COSTED, Status.SERVED, "good_quality", id="quality-good"),
        pytest.param(
            "quality",
            Outcome(packages=2, quality_scores=(D(80), D(40))),
            Status.PARTLY,
            "some_quality",
            id="quality-one-weak",
        ),
        pytest.param(
            "quality",
            Outcome(packages=1, quality_scores=(D("59.9"),)),
            Status.NOT_SERVED,
            "low_quality",
            id="quality-weak",
        ),
        pytest.param(
            "quality", Outcome(packages=1), Status.OPEN, "not_scored", id="quality-not-scored"
        ),
        pytest.param("speed", COSTED, Status.SERVED, "hours_freed", id="speed-hours-freed"),
        pytest.param("speed", Outcome(), Status.OPEN, "nothing_outsourced", id="speed-nothing"),
        pytest.param(
            "depersonalisation", COSTED, Status.SERVED, "all_moved", id="single-person-all-move"
        ),
        pytest.param(
            "depersonalisation",
            Outcome(single_person_tasks=4, single_person_moved=1),
            Status.PARTLY,
            "some_moved",
            id="single-person-some-move",
        ),
        pytest.param(
            "depersonalisation",
            Outcome(single_person_tasks=4),
            Status.NOT_SERVED,
            "none_moved",
            id="single-person-none-move",
        ),
        pytest.param(
            "depersonalisation",
            Outcome(),
            Status.NOTHING_TO_DO,
            "no_single_person",
            id="single-person-none-today",
        ),
    ],
)
def test_each_goal_is_served_as_the_figures_say(goal, outcome, status, reason):
    found = goals.contribution(goal, outcome)
    assert (found.goal, found.status, found.reason) == (goal, status, reason)


def test_the_goals_keep_the_clients_order():
    order = ["depersonalisation", "cost", "speed", "quality"]
    assert [c.goal for c in goals.contributions(order, COSTED)] == order


# --- the indirect-department ratio ------------------------------------------------------------


@pytest.mark.parametrize(
    ("indirect", "employees", "released", "ratio", "band"),
    [
        pytest.param(58, 420, D("2.27"), D("55.73") / 420, IndirectBand.ELEVATED, id="demo"),
        pytest.param(90, 400, D(12), D("0.195"), IndirectBand.ELEVATED, id="below-harmful"),
        pytest.param(90, 400, D(0), D("0.225"), IndirectBand.HARMFUL, id="nothing-released"),
        pytest.param(44, 400, D(4), D("0.1"), IndirectBand.HEALTHY, id="down-to-healthy"),
        pytest.param(3, 100, D(5), D(0), IndirectBand.HEALTHY, id="never-below-zero"),
        pytest.param(3, 100, D(-5), D("0.03"), IndirectBand.HEALTHY, id="negative-ignored"),
        pytest.param(None, 100, D(1), None, IndirectBand.UNKNOWN, id="headcount-unknown"),
        pytest.param(10, 0, D(1), None, IndirectBand.UNKNOWN, id="no-employees"),
    ],
)
def test_the_ratio_after_releases_the_outsourced_fte(indirect, employees, released, ratio, band):
    after = indirect_ratio_after(indirect, employees, released)
    assert (after.ratio, after.band) == (ratio, band)


def test_releasing_nothing_leaves_the_ratio_as_it_is():
    assert indirect_ratio_after(58, 420, D(0)) == indirect_ratio(58, 420)


# --- the roadmap -------------------------------------------------------------------------------


def plan(name: str, model: str = "bpo", **fields) -> PackagePlan:
    return PackagePlan(key=name, name=name, model=model, **fields)


def phases(lane: roadmap.Lane) -> list[tuple[str, int, int]]:
    return [(p.kind.value, p.start, p.months) for p in lane.phases]


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        pytest.param(
            plan("BPO", parallel_months=2),
            [
                ("preparation", 1, 2),
                ("selection", 3, 2),
                ("contract", 5, 1),
                ("parallel", 6, 2),
                ("steady", 8, 3),
            ],
            id="bpo-from-scratch",
        ),
        pytest.param(
            plan("BPO", parallel_months=2, draft_ready=True, vendor_chosen=True),
            [
                ("preparation", 1, 1),
                ("selection", 2, 1),
                ("contract", 3, 1),
                ("parallel", 4, 2),
                ("steady", 6, 3),
            ],
            id="rfp-drafted-vendor-ranked",
        ),
        pytest.param(
            plan("KPO", "kpo", parallel_months=1, pilot=True),
            [
                ("preparation", 1, 2),
                ("selection", 3, 2),
                ("contract", 5, 1),
                ("pilot", 6, 3),
                ("steady", 9, 3),
            ],
            id="borderline-tasks-pilot-three-months",
        ),
        pytest.param(
            plan("Crowd", "crowdsourcing", parallel_months=0),
            [("preparation", 1, 2), ("selection", 3, 2), ("contract", 5, 1), ("steady", 6, 3)],
            id="no-parallel-run",
        ),
        pytest.param(
            plan("Staff", "dispatch", parallel_months=1, draft_ready=True),
            [
                ("preparation", 1, 1),
                ("selection", 2, 1),
                ("contract", 3, 1),
                ("parallel", 4, 1),
                ("steady", 5, 3),
            ],
            id="staffing-quotes-in-a-month",
        ),
    ],
)
def test_the_phases_of_one_package(given, expected):
    [lane] = roadmap.roadmap([given]).lanes
    assert phases(lane) == expected


def test_continuous_work_goes_one_package_at_a_time_largest_saving_first():
    plans = [
        plan("Small BPO", saving=D(1_000_000), parallel_months=2),
        plan("ITO", "ito", saving=D(5_000_000), parallel_months=2),
        plan("KPO not costed", "kpo", parallel_months=1),
        plan("Subcontract", "subcontract", saving=D(9_000_000), parallel_months=1),
    ]
    made = roadmap.roadmap(plans)
    starts = {lane.plan.name: lane.start for lane in made.lanes}
    # The largest saving first; the next starts when the one before goes to contract (month 5).
    assert starts == {"ITO": 1, "Small BPO": 5, "KPO not costed": 9, "Subcontract": 1}
    # Every lane runs to the end: the last to reach steady state, and three months of it.
    last = max(lane.steady_from for lane in made.lanes)
    assert made.months == last + roadmap.STEADY_SHOWN - 1
    assert all(lane.phases[-1].end == made.months for lane in made.lanes)


def test_phases_follow_one_another_without_gaps():
    made = roadmap.roadmap([plan("A", parallel_months=2), plan("B", "ito", parallel_months=2)])
    for lane in made.lanes:
        for before, after in zip(lane.phases, lane.phases[1:], strict=False):
            assert after.start == before.end + 1
    assert made.lanes[0].phase(PhaseKind.PILOT) is None


def test_no_package_no_roadmap():
    assert roadmap.roadmap([]) == roadmap.Roadmap((), 0)
