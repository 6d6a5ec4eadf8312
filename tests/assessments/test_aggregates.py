"""The overview's aggregates are computed the fast way (SPEC 5.1, the load test of `make bench`)
and must say what the plain way says: `Assessment.summary_rows()` reads a few columns instead of
building every task; `inventory.breakdown` sums exactly, without pandas (whose float sums it
replaced), and agrees with pandas but for float rounding."""

import math
from decimal import Decimal

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.domain import inventory
from assessments.domain.inventory import Derived, Group, Row
from assessments.models import Override
from tests.factories import make_task


def pandas_breakdown(rows: list[Row], by: str) -> list[Group]:
    """The former `inventory.breakdown`, with pandas (float sums): a reference."""
    if not rows:
        return []
    frame = pd.DataFrame(
        {
            "name": [getattr(row, by) for row in rows],
            "hours": [float(row.derived.annual_hours or 0) for row in rows],
            "fte": [float(row.derived.fte or 0) for row in rows],
            "cost": [float(row.derived.annual_cost or 0) for row in rows],
        }
    )
    grouped = frame.groupby("name", sort=False).agg(
        tasks=("hours", "size"), hours=("hours", "sum"), fte=("fte", "sum"), cost=("cost", "sum")
    )
    grouped = grouped.sort_values(["hours", "tasks"], ascending=False)
    total_hours = float(frame["hours"].sum())
    return [
        Group(
            name=str(name),
            tasks=int(values.tasks),
            annual_hours=float(values.hours),
            fte=float(values.fte),
            annual_cost=float(values.cost),
            share=float(values.hours) / total_hours if total_hours else 0.0,
        )
        for name, values in grouped.iterrows()
    ]


hours = st.one_of(
    st.none(),
    st.sampled_from([Decimal(0), Decimal(1), Decimal(5), Decimal("0.1")]),  # ties between groups
    st.decimals(min_value=0, max_value=10**7, places=4, allow_nan=False),
    st.builds(lambda n, d: Decimal(n) / Decimal(d), st.integers(0, 10**6), st.integers(1, 1920)),
)


def row(department: str, annual_hours: Decimal | None) -> Row:
    fte = annual_hours / 1920 if annual_hours is not None else None
    cost = annual_hours * 3000 if annual_hours is not None else None
    derived = Derived(None, annual_hours, fte, cost, Decimal(3000), False)
    return Row(department, "hr", derived)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("ABCDEFGH"), hours), max_size=300))
def test_breakdown_sums_each_group_exactly_largest_first(cells):
    rows = [row(department, annual_hours) for department, annual_hours in cells]
    groups = inventory.breakdown(rows, "department")
    names = list(dict.fromkeys(department for department, _hours in cells))  # as met
    assert sorted(group.name for group in groups) == sorted(names)
    exact = {}
    for name in names:
        mine = [r.derived for r in rows if r.department == name]
        exact[name] = (
            len(mine),
            sum((d.annual_hours or 0 for d in mine), Decimal(0)),
            sum((d.fte or 0 for d in mine), Decimal(0)),
            sum((d.annual_cost or 0 for d in mine), Decimal(0)),
        )
    total = sum((hours for _tasks, hours, _fte, _cost in exact.values()), Decimal(0))
    for group in groups:
        tasks, hours, fte, cost = exact[group.name]
        assert (group.tasks, group.annual_hours, group.fte, group.annual_cost) == (
            tasks,
            float(hours),
            float(fte),
            float(cost),
        )
        assert group.share == (float(hours / total) if total else 0.0)
    # Largest first; a tie goes to the group with more tasks, then to the one met first.
    expected = sorted(names, key=lambda name: (-exact[name][1], -exact[name][0], names.index(name)))
    assert [group.name for group in groups] == expected


def test_breakdown_of_a_thousand_tasks_agrees_with_pandas():
    rows = [row(f"D{i % 13}", Decimal(i * 37 % 1000) / 7) for i in range(1000)]
    ours, theirs = inventory.breakdown(rows, "department"), pandas_breakdown(rows, "department")
    assert [(g.name, g.tasks) for g in ours] == [(g.name, g.tasks) for g in theirs]
    for mine, reference in zip(ours, theirs, strict=True):
        for figure in ("annual_hours", "fte", "annual_cost", "share"):
            assert math.isclose(getattr(mine, figure), getattr(reference, figure), rel_tol=1e-12)


def test_summary_rows_read_as_the_tasks_do(assessment, consultant):
    """Every case the rows tell apart: a task checked or not, an override, an hourly cost of its
    own, no minutes, a C3 answer given or pre-filled from “standardisable”, or neither."""
    payroll, reception = assessment.tasks.all()
    reception.standardizable = "partly"
    reception.hourly_cost = 4200
    reception.save()
    payroll.answers = {"C3": "no", "C1": "yes"}
    payroll.save()
    Override.objects.create(task=payroll, model="bpo", justification="Cheaper", author=consultant)
    make_task(
        assessment,
        position=2,
        department="IT",
        process="Help desk",
        task="Reset passwords",
        category="it",
        frequency="weekly",
        minutes=None,
        standardizable="yes",
        answers={"C3": "partly"},
    )  # not checked: no result
    make_task(
        assessment,
        position=3,
        department="IT",
        process="Help desk",
        task="Answer calls",
        category="it",
        frequency="ad_hoc",
        occurrences=Decimal("12.5"),
        minutes=Decimal("7.5"),
    )
    rows = assessment.summary_rows()
    assert rows == assessment.as_summary_rows(assessment.task_rows())
    assert [r.standardizable for r in rows] == ["no", "partly", "partly", ""]
    assert rows[0].model and not rows[2].verdict
