"""The range of a task's figures (SPEC 4.5 "Uncertainty"): how far its minutes and its volume may
lie from the usual figures, as factors the saving's Monte Carlo draws from. Pure: no database,
no request.

A task's own range is the one its sheet gave (通常期/繁忙期/閑散期, or min–max: `Task`'s
`occurrences_low/high` and `minutes_low/high`); where it gave none, the organisation's spread
(± per cent, `Organisation.estimate_spread`) applies."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Any, NamedTuple

from outsourcing_advisor.common import defaults

ONE = Decimal(1)
ZERO = Decimal(0)


class TaskRange(NamedTuple):
    """Factors on the usual figures: minutes × minutes_low … minutes × minutes_high, annual
    occurrences × volume_low … × volume_high. Each pair holds 1 (the usual figure) between."""

    minutes_low: Decimal
    minutes_high: Decimal
    volume_low: Decimal
    volume_high: Decimal


def task_range(
    *,
    occurrences: Decimal | None,
    minutes: Decimal | None,
    occurrences_low: Decimal | None = None,
    occurrences_high: Decimal | None = None,
    minutes_low: Decimal | None = None,
    minutes_high: Decimal | None = None,
    stated_hours: Decimal | None = None,
    spread: int | Decimal = defaults.ESTIMATE_SPREAD,
) -> TaskRange:
    """Range factors of minutes and volume; the task's hours stay computed from the usual values.

    Per dimension: the stated lowest and highest divided by the usual figure; a side the task
    does not state takes the organisation's `spread` (± per cent: 20 gives 0.8 and 1.2). A usual
    figure of 0 or none gives (1, 1): there is nothing to scale. A task whose hours are stated
    (SPEC 4.2) scales them by both dimensions, so one without a range of its own takes the
    spread on both whatever parts it has. Factors are never below 0, and a stated lowest above
    the usual figure (or highest below it) counts as the usual figure."""
    low, high = _spread(spread)
    stated = stated_hours is not None
    minutes_factors = _factors(minutes, minutes_low, minutes_high, low, high, stated)
    volume_factors = _factors(occurrences, occurrences_low, occurrences_high, low, high, stated)
    return TaskRange(*minutes_factors, *volume_factors)


def task_range_of(task: Any, spread: int | Decimal = defaults.ESTIMATE_SPREAD) -> TaskRange:
    """`task_range` of anything with a task's fields (a Task, a TaskView)."""
    return task_range(
        occurrences=task.occurrences,
        minutes=task.minutes,
        occurrences_low=task.occurrences_low,
        occurrences_high=task.occurrences_high,
        minutes_low=task.minutes_low,
        minutes_high=task.minutes_high,
        stated_hours=task.annual_hours,
        spread=spread,
    )


def _spread(spread: int | Decimal) -> tuple[Decimal, Decimal]:
    share = Decimal(spread) / 100
    return max(ONE - share, ZERO), ONE + share


def _factors(
    usual: Decimal | None,
    lowest: Decimal | None,
    highest: Decimal | None,
    spread_low: Decimal,
    spread_high: Decimal,
    stated: bool,
) -> tuple[Decimal, Decimal]:
    if usual is None or usual <= 0:
        # Nothing to scale. Stated hours are still an estimate: the spread.
        return (spread_low, spread_high) if stated else (ONE, ONE)
    low = min(max(lowest / usual, ZERO), ONE) if lowest is not None else spread_low
    high = max(highest / usual, ONE) if highest is not None else spread_high
    return low, high


class RangeIssue(StrEnum):
    """What is wrong with a stated range (the import and the task form word it)."""

    NO_USUAL = "no_usual"  # a lowest or highest without the usual figure
    LOW_ABOVE_USUAL = "low_above_usual"
    HIGH_BELOW_USUAL = "high_below_usual"


def range_issues(
    usual: Decimal | None, lowest: Decimal | None, highest: Decimal | None
) -> list[RangeIssue]:
    """Lowest ≤ usual ≤ highest, each given only with the usual figure: what is not so."""
    if lowest is None and highest is None:
        return []
    if usual is None:
        return [RangeIssue.NO_USUAL]
    found = []
    if lowest is not None and lowest > usual:
        found.append(RangeIssue.LOW_ABOVE_USUAL)
    if highest is not None and highest < usual:
        found.append(RangeIssue.HIGH_BELOW_USUAL)
    return found
