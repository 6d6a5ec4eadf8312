"""The range of a task's figures (SPEC 4.5 "Uncertainty"): the factors the saving's Monte Carlo
draws from (domain/ranges.py), what makes a stated range wrong, and what an import does to a
range it does not give (domain/sync.py). Table tests of pure functions."""

from __future__ import annotations

from decimal import Decimal as D
from types import SimpleNamespace
from typing import Any

import pytest

from assessments.domain import sync
from assessments.domain.ranges import RangeIssue, TaskRange, range_issues, task_range, task_range_of


@pytest.mark.parametrize(
    ("task", "spread", "expected"),
    [
        pytest.param(
            {"occurrences": D(100), "occurrences_low": D(60), "occurrences_high": D(150)}
            | {"minutes": None},
            20,
            (D(1), D(1), D("0.6"), D("1.5")),
            id="quiet-60-busy-150-of-100; no minutes: nothing to scale",
        ),
        pytest.param(
            {"occurrences": D(100), "minutes": D(30)},
            20,
            (D("0.8"), D("1.2"), D("0.8"), D("1.2")),
            id="no-range-takes-the-spread-on-both",
        ),
        pytest.param(
            {"occurrences": D(2), "minutes": D(40), "minutes_low": D(30), "minutes_high": D(60)},
            20,
            (D("0.75"), D("1.5"), D("0.8"), D("1.2")),
            id="minutes-range-volume-spread",
        ),
        pytest.param(
            {"occurrences": D(10), "minutes": D(30), "occurrences_low": D(5)},
            20,
            (D("0.8"), D("1.2"), D("0.5"), D("1.2")),
            id="only-the-quiet-season-given: the busy side takes the spread",
        ),
        pytest.param(
            {"occurrences": D(10), "minutes": D(30), "minutes_high": D(45)},
            35,
            (D("0.65"), D("1.5"), D("0.65"), D("1.35")),
            id="only-the-longest-given, spread 35",
        ),
        pytest.param(
            {"occurrences": D(1), "minutes": None, "stated_hours": D(300)},
            20,
            (D("0.8"), D("1.2"), D("0.8"), D("1.2")),
            id="stated-hours-no-range: the spread on both",
        ),
        pytest.param(
            {"occurrences": D(12), "minutes": None, "stated_hours": D(300)},
            20,
            (D("0.8"), D("1.2"), D("0.8"), D("1.2")),
            id="stated-hours-with-a-count: still the spread on both",
        ),
        pytest.param(
            {
                **{"occurrences": D(20), "occurrences_low": D(10), "occurrences_high": D(30)},
                **{"minutes": None, "stated_hours": D(300)},
            },
            20,
            (D("0.8"), D("1.2"), D("0.5"), D("1.5")),
            id="stated-hours-with-a-count-range: the range where given",
        ),
        pytest.param(
            {"occurrences": D(0), "minutes": D(0), "occurrences_high": D(5)},
            20,
            (D(1), D(1), D(1), D(1)),
            id="usual-zero: nothing to scale",
        ),
        pytest.param(
            {"occurrences": None, "minutes": None},
            20,
            (D(1), D(1), D(1), D(1)),
            id="usual-missing: nothing to scale",
        ),
        pytest.param(
            {"occurrences": D(10), "minutes": D(30)},
            150,
            (D(0), D("2.5"), D(0), D("2.5")),
            id="a-spread-beyond-100: never below 0",
        ),
        pytest.param(
            {"occurrences": D(10), "minutes": D(30)},
            0,
            (D(1), D(1), D(1), D(1)),
            id="no-spread",
        ),
        pytest.param(
            {
                **{"occurrences": D(10), "occurrences_low": D(12), "occurrences_high": D(8)},
                **{"minutes": D(30), "minutes_low": D(0), "minutes_high": D(30)},
            },
            20,
            (D(0), D(1), D(1), D(1)),
            id="a-range-not-holding-the-usual-figure-counts-as-the-usual-figure",
        ),
    ],
)
def test_task_range(task: dict[str, Any], spread: int, expected: tuple[D, ...]) -> None:
    found = task_range(**task, spread=spread)
    assert found == TaskRange(*expected)
    assert all(factor >= 0 for factor in found)


def test_task_range_of_reads_a_tasks_fields() -> None:
    task = SimpleNamespace(
        occurrences=D(100),
        occurrences_low=D(60),
        occurrences_high=D(150),
        minutes=D(20),
        minutes_low=None,
        minutes_high=D(30),
        annual_hours=None,
    )
    assert task_range_of(task, 10) == (D("0.9"), D("1.5"), D("0.6"), D("1.5"))
    assert task_range_of(task).minutes_low == D("0.8"), "the default spread: 20%"


@pytest.mark.parametrize(
    ("usual", "lowest", "highest", "issues"),
    [
        (D(10), D(5), D(20), []),
        (D(10), D(10), D(10), []),
        (D(10), None, None, []),
        (None, None, None, []),
        (D(10), D(11), D(20), [RangeIssue.LOW_ABOVE_USUAL]),
        (D(10), D(5), D(9), [RangeIssue.HIGH_BELOW_USUAL]),
        (D(10), D(12), D(8), [RangeIssue.LOW_ABOVE_USUAL, RangeIssue.HIGH_BELOW_USUAL]),
        (None, D(5), None, [RangeIssue.NO_USUAL]),
        (None, None, D(5), [RangeIssue.NO_USUAL]),
    ],
)
def test_range_issues(usual, lowest, highest, issues) -> None:
    assert range_issues(usual, lowest, highest) == issues


# --- what an import does to a range (sync.plan) ---------------------------------------------

STORED = {
    "department": "経理部",
    "process": "支払",
    "task": "請求書処理",
    "frequency": "monthly",
    "occurrences": D(100),
    "minutes": D(6),
    "occurrences_low": D(60),
    "occurrences_high": D(150),
    "minutes_low": D(4),
    "minutes_high": D(10),
}
NAMES = frozenset({"department", "process", "task"})


@pytest.mark.parametrize(
    ("given", "provided", "changes"),
    [
        pytest.param(
            {"occurrences": D(100), "minutes": D(6)},
            {"occurrences", "minutes", "frequency"},
            None,
            id="the-same-figures-without-ranges: the ranges stay",
        ),
        pytest.param(
            {"occurrences": D(120), "minutes": D(6)},
            {"occurrences", "minutes", "frequency"},
            {"occurrences": D(120), "occurrences_low": None, "occurrences_high": None},
            id="a-new-count-without-its-range: the count range goes",
        ),
        pytest.param(
            {"frequency": "weekly", "occurrences": D(100), "minutes": D(6)},
            {"occurrences", "minutes", "frequency"},
            {"frequency": "weekly", "occurrences_low": None, "occurrences_high": None},
            id="a-new-frequency: the count range was per the old period",
        ),
        pytest.param(
            {"occurrences": D(100), "minutes": D(8)},
            {"occurrences", "minutes", "frequency"},
            {"minutes": D(8), "minutes_low": None, "minutes_high": None},
            id="new-minutes-without-their-range: the minutes range goes",
        ),
        pytest.param(
            {"occurrences": D(100), "minutes": D(8), "minutes_low": D(5), "minutes_high": D(12)},
            {"occurrences", "minutes", "frequency", "minutes_low", "minutes_high"},
            {"minutes": D(8), "minutes_low": D(5), "minutes_high": D(12)},
            id="new-minutes-with-their-range",
        ),
        pytest.param(
            {"occurrences": D(100), "occurrences_low": D(50), "occurrences_high": D(150)},
            {"occurrences", "occurrences_low", "occurrences_high"},
            {"occurrences_low": D(50)},
            id="only-the-range-changes",
        ),
    ],
)
def test_an_import_changes_a_range_with_its_figures(given, provided, changes) -> None:
    existing = sync.Existing(1, dict(STORED))
    row = {**STORED, **{key: None for key in sync.RANGE_FOLLOWS}, **given, "source_row": 2}
    plan = sync.plan([existing], [row], frozenset(provided) | NAMES, replace=False)
    if changes is None:
        assert plan.same == [1] and not plan.change
        return
    [change] = plan.change
    assert {name: change.values[name] for name in change.fields} == changes
