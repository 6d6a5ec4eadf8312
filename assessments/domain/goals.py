"""How the recommendation serves each goal of step 1 (SPEC 3, 4.8). Pure: the report gathers
`Outcome` (what the recommendation delivers, in figures) and words what `contribution` finds.

The four goals and what answers each:
- cost: the saving over the horizon of the outsourcing packages with a recommended vendor;
- quality: the recommended vendors' quality scores, and the share of the combined score given
  to quality;
- speed: the hours and FTE of your staff the outsourced work frees for core work;
- de-personalisation (属人化の解消): the tasks only one person can do today that move to a
  vendor (staffing does not count: the dispatched worker learns the work from the same person).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from assessments.domain.workflow import Goal


class Status(StrEnum):
    SERVED = "served"
    PARTLY = "partly"
    NOT_SERVED = "not_served"
    OPEN = "open"  # not known yet: no vendor quoted and ranked, or no outsourcing at all
    NOTHING_TO_DO = "nothing_to_do"  # the goal has nothing to act on in this inventory


@dataclass(frozen=True)
class Outcome:
    """What the recommendation delivers, in figures."""

    outsourced_tasks: int = 0
    hours_freed: Decimal = Decimal(0)  # annual hours of the outsourcing packages' tasks
    fte_freed: Decimal = Decimal(0)  # their FTE, times the share released
    costed_packages: int = 0  # outsourcing packages with a recommended, costed vendor
    packages: int = 0  # outsourcing packages with tasks
    saving: Decimal | None = None  # over the horizon, the costed packages; None: none costed
    saving_low: Decimal | None = None  # its P10, when every costed package has a range
    quality_scores: Sequence[Decimal] = ()  # the recommended vendors' quality (0–100)
    quality_weight: Decimal | None = None  # the smallest share of quality in the combined score
    single_person_tasks: int = 0  # tasks only one person can do today
    single_person_moved: int = 0  # of them, those moving to an outsourcing vendor


@dataclass(frozen=True)
class Contribution:
    goal: str  # a Goal value
    status: Status
    reason: str  # names the sentence the report gives (see report.GOAL_WORDS)


# A vendor scoring at least this on quality (0–100, the evaluators' mean) serves the goal.
GOOD_QUALITY = Decimal(60)


def contribution(goal: str, outcome: Outcome) -> Contribution:
    """How the recommendation serves `goal`, and why, from the figures alone."""
    status, reason = _RULES[goal](outcome)
    return Contribution(goal, status, reason)


def contributions(goals: Sequence[str], outcome: Outcome) -> list[Contribution]:
    """`contribution` of each goal, in the order given (the client's ranking)."""
    return [contribution(goal, outcome) for goal in goals]


def _cost(outcome: Outcome) -> tuple[Status, str]:
    if not outcome.packages:
        return Status.OPEN, "nothing_outsourced"
    if outcome.saving is None:
        return Status.OPEN, "not_costed"
    if outcome.saving <= 0:
        return Status.NOT_SERVED, "loss"
    if outcome.saving_low is not None and outcome.saving_low < 0:
        return Status.PARTLY, "uncertain_saving"
    if outcome.costed_packages < outcome.packages:
        return Status.PARTLY, "saving_some_packages"
    return Status.SERVED, "saving"


def _quality(outcome: Outcome) -> tuple[Status, str]:
    if not outcome.packages:
        return Status.OPEN, "nothing_outsourced"
    if not outcome.quality_scores:
        return Status.OPEN, "not_scored"
    if all(score >= GOOD_QUALITY for score in outcome.quality_scores):
        return Status.SERVED, "good_quality"
    if any(score >= GOOD_QUALITY for score in outcome.quality_scores):
        return Status.PARTLY, "some_quality"
    return Status.NOT_SERVED, "low_quality"


def _speed(outcome: Outcome) -> tuple[Status, str]:
    if not outcome.outsourced_tasks or outcome.hours_freed <= 0:
        return Status.OPEN, "nothing_outsourced"
    return Status.SERVED, "hours_freed"


def _depersonalisation(outcome: Outcome) -> tuple[Status, str]:
    if not outcome.single_person_tasks:
        return Status.NOTHING_TO_DO, "no_single_person"
    if not outcome.single_person_moved:
        return Status.NOT_SERVED, "none_moved"
    if outcome.single_person_moved < outcome.single_person_tasks:
        return Status.PARTLY, "some_moved"
    return Status.SERVED, "all_moved"


_RULES = {
    Goal.COST.value: _cost,
    Goal.QUALITY.value: _quality,
    Goal.SPEED.value: _speed,
    Goal.DEPERSONALISATION.value: _depersonalisation,
}
