"""Volume and cost of the inventory (SPEC 4.2): pure functions, no database."""

from decimal import Decimal as D

import pytest

from assessments.domain.inventory import (
    Derived,
    Implausible,
    IndirectBand,
    OrgSettings,
    Plausibility,
    Row,
    Totals,
    Volume,
    breakdown,
    derive,
    indirect_ratio,
    plausibility,
    totals,
)

ORG = OrgSettings()  # 240 working days, 1,920 hours a year, 3,000 yen an hour


# --- derive ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("volume", "org", "occurrences", "hours", "cost"),
    [
        pytest.param(
            Volume("daily", D(2), D(30), 1), ORG, D(480), D(240), D(720000), id="daily-240-days"
        ),
        pytest.param(
            Volume("daily", D(1), D(60), 1),
            OrgSettings(working_days=250),
            D(250),
            D(250),
            D(750000),
            id="daily-org-working-days",
        ),
        pytest.param(
            Volume("daily", D(1), D("7.5"), 1), ORG, D(240), D(30), D(90000), id="daily-half-minute"
        ),
        pytest.param(Volume("weekly", D(1), D(60), 1), ORG, D(52), D(52), D(156000), id="weekly"),
        pytest.param(
            Volume("monthly", D(1), D(120), 2), ORG, D(12), D(48), D(144000), id="monthly-2-people"
        ),
        pytest.param(
            Volume("quarterly", D(2), D(90), 1), ORG, D(8), D(12), D(36000), id="quarterly"
        ),
        pytest.param(
            Volume("yearly", D(1), D(480), 3), ORG, D(1), D(24), D(72000), id="yearly-3-people"
        ),
        pytest.param(
            Volume("ad_hoc", D(10), D(30), 1), ORG, D(10), D(5), D(15000), id="ad-hoc-per-year"
        ),
        pytest.param(
            Volume("monthly", None, D(60), 1), ORG, D(12), D(12), D(36000), id="occurrences-none=1"
        ),
        pytest.param(
            Volume("monthly", D(1), D(60), None), ORG, D(12), D(12), D(36000), id="people-none=1"
        ),
        pytest.param(
            Volume("monthly", D(1), D(60), 1, hourly_cost=D(5000)),
            ORG,
            D(12),
            D(12),
            D(60000),
            id="task-cost-overrides-org",
        ),
        pytest.param(
            Volume("monthly", D(1), D(60), 1, hourly_cost=D(0)),
            ORG,
            D(12),
            D(12),
            D(0),
            id="task-cost-zero-is-kept",
        ),
        pytest.param(
            Volume("monthly", D(1), D(60), 1),
            OrgSettings(hourly_cost=D(4500)),
            D(12),
            D(12),
            D(54000),
            id="org-cost",
        ),
        pytest.param(Volume("monthly", D(1), D(0), 1), ORG, D(12), D(0), D(0), id="zero-minutes"),
    ],
)
def test_derive_volume_and_cost(volume, org, occurrences, hours, cost):
    derived = derive(volume, org)

    assert derived.annual_occurrences == occurrences
    assert derived.annual_hours == hours
    assert derived.fte == hours / D(org.yearly_hours)
    assert derived.annual_cost == cost
    assert all(
        isinstance(value, D)
        for value in (derived.annual_occurrences, derived.annual_hours, derived.fte)
    )


def test_derive_the_example_of_the_brief_exactly():
    derived = derive(Volume("daily", D(2), D(30), 1), ORG)

    assert derived == Derived(D(480), D(240), D("0.125"), D(720000), D(3000), False)


def test_fte_against_the_organisations_yearly_hours():
    derived = derive(Volume("monthly", D(1), D(100), 1), OrgSettings(yearly_hours=2000))

    assert derived.annual_hours == D(20)
    assert derived.fte == D("0.01")


def test_fte_is_none_without_yearly_hours():
    derived = derive(Volume("monthly", D(1), D(60), 1), OrgSettings(yearly_hours=0))

    assert derived.annual_hours == D(12)
    assert derived.fte is None


@pytest.mark.parametrize(
    ("volume", "occurrences"),
    [
        pytest.param(Volume("", D(1), D(60), 1), None, id="no-frequency"),
        pytest.param(Volume("fortnightly", D(1), D(60), 1), None, id="unknown-frequency"),
        pytest.param(Volume("monthly", D(1), None, 1), D(12), id="no-minutes"),
        pytest.param(Volume("", D(1), None, 1), None, id="neither"),
    ],
)
def test_derive_missing_inputs_give_none(volume, occurrences):
    derived = derive(volume, ORG)

    assert derived.annual_occurrences == occurrences
    assert (derived.annual_hours, derived.fte, derived.annual_cost) == (None, None, None)
    assert derived.hourly_cost == D(3000)


@pytest.mark.parametrize(
    ("task_cost", "org_cost", "expected"),
    [
        pytest.param(None, D(3000), D(3000), id="org-default"),
        pytest.param(D(5000), D(3000), D(5000), id="task-overrides"),
        pytest.param(D(0), D(3000), D(0), id="task-zero"),
        pytest.param(None, D(4200), D(4200), id="org-own"),
    ],
)
def test_hourly_cost_used(task_cost, org_cost, expected):
    volume = Volume("", hourly_cost=task_cost)  # reported even when hours are unknown

    assert derive(volume, OrgSettings(hourly_cost=org_cost)).hourly_cost == expected


@pytest.mark.parametrize(
    ("people_able", "dependent"),
    [
        pytest.param(None, False, id="unknown"),
        pytest.param(0, True, id="nobody"),
        pytest.param(1, True, id="one-person"),
        pytest.param(2, False, id="two-people"),
        pytest.param(10, False, id="ten-people"),
    ],
)
def test_single_person_dependency(people_able, dependent):
    with_volume = derive(Volume("monthly", D(1), D(60), 1, people_able=people_able), ORG)
    without_volume = derive(Volume(people_able=people_able), ORG)

    assert with_volume.single_person_dependency is dependent
    assert without_volume.single_person_dependency is dependent


@pytest.mark.parametrize(
    ("volume", "org", "occurrences", "hours"),
    [
        pytest.param(
            Volume("daily", D(1), D(60), 1, days_per_year=365), ORG, D(365), D(365), id="daily-365"
        ),
        pytest.param(Volume("daily", D(1), D(60), 1), ORG, D(240), D(240), id="daily-org-240"),
        pytest.param(
            Volume("daily", D(2), D(30), 1, days_per_year=365),
            OrgSettings(working_days=250),
            D(730),
            D(365),
            id="daily-365-beats-org-250",
        ),
        pytest.param(
            Volume("weekly", D(1), D(60), 1, days_per_year=365),
            ORG,
            D(52),
            D(52),
            id="weekly-ignores-days",
        ),
        pytest.param(
            Volume("monthly", D(1), D(60), 1, days_per_year=365),
            ORG,
            D(12),
            D(12),
            id="monthly-ignores-days",
        ),
        pytest.param(Volume("semiannual", D(1), D(240), 1), ORG, D(2), D(8), id="semiannual"),
        pytest.param(
            Volume("semiannual", D(3), D(60), 2), ORG, D(6), D(12), id="semiannual-3-times-2-people"
        ),
        pytest.param(
            Volume("monthly", D(1), D(120), D("0.5")), ORG, D(12), D(12), id="half-a-person"
        ),
        pytest.param(
            Volume("daily", D(1), D(60), D("0.25"), days_per_year=365),
            ORG,
            D(365),
            D("91.25"),
            id="quarter-person-every-day",
        ),
        pytest.param(
            Volume("monthly", D(1), D(120), 2, stated_hours=D(50)),
            ORG,
            D(12),
            D(50),
            id="stated-wins-over-parts",
        ),
        pytest.param(
            Volume(stated_hours=D("1234.5")), ORG, None, D("1234.5"), id="stated-without-parts"
        ),
        pytest.param(
            Volume("monthly", D(1), None, 1, stated_hours=D(96)),
            ORG,
            D(12),
            D(96),
            id="stated-without-minutes",
        ),
        pytest.param(
            Volume("monthly", D(1), D(120), 2, stated_hours=D(0)),
            ORG,
            D(12),
            D(0),
            id="zero-stated-is-kept",
        ),
    ],
)
def test_derive_days_semiannual_fractional_people_and_stated_hours(volume, org, occurrences, hours):
    derived = derive(volume, org)

    assert derived.annual_occurrences == occurrences
    assert derived.annual_hours == hours
    assert derived.fte == hours / D(org.yearly_hours)
    assert derived.annual_cost == hours * org.hourly_cost


# --- plausibility ----------------------------------------------------------------------------

YEAR = D(1920 * 60)  # a person's working year in minutes
CLOSING = ("Year-end closing", D(4800))  # 80 hours: real work, no warning


@pytest.mark.parametrize(
    ("minutes", "total", "headcount", "org", "expected"),
    [
        pytest.param([CLOSING], D(60000), 50, ORG, [], id="plausible"),
        pytest.param(
            [CLOSING, ("Typo", D(200000)), ("No minutes", None)],
            D(60000),
            50,
            ORG,
            [Implausible(Plausibility.LONG_OCCURRENCE, D(200000), YEAR, "Typo")],
            id="one-occurrence-longer-than-a-year",
        ),
        pytest.param([("Exactly a year", YEAR)], D(60000), 50, ORG, [], id="a-year-exactly"),
        pytest.param(
            [("A year and a minute", YEAR + 1)],
            D(0),
            None,
            ORG,
            [Implausible(Plausibility.LONG_OCCURRENCE, YEAR + 1, YEAR, "A year and a minute")],
            id="long-occurrence-without-headcount",
        ),
        pytest.param(
            [("Long", D(130000))],
            D(0),
            None,
            OrgSettings(yearly_hours=2200),
            [],
            id="org-yearly-hours",
        ),
        pytest.param(
            [],
            D(115201),
            50,
            ORG,
            [Implausible(Plausibility.ABOVE_HEADCOUNT, D(115201), D(96000))],
            id="above-120%",
        ),
        pytest.param([], D(115200), 50, ORG, [], id="120%-exactly"),
        pytest.param([], D(48000), 50, ORG, [], id="50%-exactly"),
        pytest.param(
            [],
            D(47999),
            50,
            ORG,
            [Implausible(Plausibility.BELOW_HEADCOUNT, D(47999), D(96000))],
            id="below-50%",
        ),
        pytest.param(
            [],
            D("9999.99"),
            10,
            OrgSettings(yearly_hours=2000),
            [Implausible(Plausibility.BELOW_HEADCOUNT, D("9999.99"), D(20000))],
            id="below-half-of-org-yearly-hours",
        ),
        pytest.param([], D(999999), None, ORG, [], id="headcount-unknown"),
        pytest.param([], D(10), None, ORG, [], id="headcount-unknown-low"),
        pytest.param([], D(10), 0, ORG, [], id="headcount-zero"),
        pytest.param([], D(0), 50, ORG, [], id="no-hours-yet"),
    ],
)
def test_plausibility(minutes, total, headcount, org, expected):
    assert plausibility(minutes, total, headcount, org) == expected


def test_plausibility_figures():
    [above] = plausibility([], D(144000), 50, ORG)

    assert above.ratio == D("1.5")  # 144,000 h against 50 people × 1,920 h


# --- indirect ratio --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("indirect", "employees", "ratio", "band"),
    [
        pytest.param(0, 100, D(0), IndirectBand.HEALTHY, id="none-indirect"),
        pytest.param(42, 420, D("0.1"), IndirectBand.HEALTHY, id="10%-exactly"),
        pytest.param(101, 1000, D("0.101"), IndirectBand.ELEVATED, id="10.1%"),
        pytest.param(58, 420, D(58) / D(420), IndirectBand.ELEVATED, id="company-a-13.8%"),
        pytest.param(199, 1000, D("0.199"), IndirectBand.ELEVATED, id="19.9%"),
        pytest.param(200, 1000, D("0.2"), IndirectBand.HARMFUL, id="20%-exactly"),
        pytest.param(45, 100, D("0.45"), IndirectBand.HARMFUL, id="45%"),
        pytest.param(5, 0, None, IndirectBand.UNKNOWN, id="no-employees"),
        pytest.param(5, None, None, IndirectBand.UNKNOWN, id="employees-unknown"),
        pytest.param(None, 100, None, IndirectBand.UNKNOWN, id="indirect-unknown"),
        pytest.param(None, None, None, IndirectBand.UNKNOWN, id="both-unknown"),
    ],
)
def test_indirect_ratio_bands(indirect, employees, ratio, band):
    result = indirect_ratio(indirect, employees)

    assert result.ratio == ratio
    assert result.band is band


@pytest.mark.parametrize(
    ("indirect", "employees", "position"),
    [
        pytest.param(None, None, 0.0, id="unknown"),
        pytest.param(15, 100, 50.0, id="half-of-30%"),
        pytest.param(80, 100, 100.0, id="capped"),
    ],
)
def test_indirect_ratio_scale_position(indirect, employees, position):
    assert indirect_ratio(indirect, employees).scale_position() == pytest.approx(position)


# --- totals and breakdown --------------------------------------------------------------------


def row(department: str, category: str, volume: Volume) -> Row:
    return Row(department, category, derive(volume, ORG))


ROWS = [
    row("HR", "hr", Volume("daily", D(2), D(30), 1, people_able=1)),  # 240 h, 720,000
    row("HR", "hr", Volume("monthly", D(1), D(120), 2)),  # 48 h, 144,000
    row("General affairs", "general_affairs", Volume("weekly", D(1), D(60), 1)),  # 52 h
    row("IT", "it", Volume("", people_able=0)),  # no volume, but a dependency
    row("Accounting", "hr", Volume("yearly", D(1), D(480), 3, people_able=3)),  # 24 h
]


def test_totals_adds_up_what_is_known():
    result = totals(ROWS)

    assert result == Totals(
        tasks=5,
        tasks_without_volume=1,
        annual_hours=D(364),
        fte=D(240) / 1920 + D(48) / 1920 + D(52) / 1920 + D(24) / 1920,
        annual_cost=D(364) * 3000,
        single_person_dependencies=2,
    )
    assert float(result.fte) == pytest.approx(364 / 1920)


def test_totals_accepts_a_generator_and_nothing():
    assert totals(r for r in []) == Totals(0, 0, D(0), D(0), D(0), 0)


def test_breakdown_by_department_groups_and_sorts_by_hours():
    groups = breakdown(ROWS, "department")

    assert [(g.name, g.tasks, g.annual_hours) for g in groups] == [
        ("HR", 2, 288.0),
        ("General affairs", 1, 52.0),
        ("Accounting", 1, 24.0),
        ("IT", 1, 0.0),
    ]
    hr = groups[0]
    assert hr.annual_cost == pytest.approx(864000)
    assert hr.fte == pytest.approx(288 / 1920)
    assert hr.share == pytest.approx(288 / 364)
    assert sum(g.share for g in groups) == pytest.approx(1.0)


def test_breakdown_by_category():
    groups = breakdown(ROWS, "category")

    assert [(g.name, g.tasks, g.annual_hours) for g in groups] == [
        ("hr", 3, 312.0),
        ("general_affairs", 1, 52.0),
        ("it", 1, 0.0),
    ]
    assert [g.share for g in groups] == pytest.approx([312 / 364, 52 / 364, 0.0])


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param([], [], id="empty"),
        pytest.param(
            [row("IT", "it", Volume("")), row("HR", "hr", Volume("monthly"))],
            [("IT", 0.0), ("HR", 0.0)],
            id="no-hours-anywhere",
        ),
    ],
)
def test_breakdown_without_hours(rows, expected):
    groups = breakdown(rows, "department")

    assert sorted((g.name, g.share) for g in groups) == sorted(expected)
