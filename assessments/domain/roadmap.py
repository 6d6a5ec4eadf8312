"""The transition roadmap (SPEC 3 step 5, 4.8): each sourcing package's phases, in months from
the decision. Pure: the report passes each package's figures (its parallel run included: this
layer knows nothing of vendors' defaults).

The phases of a package:
1. preparation — the readiness checklist, and the RFP (or, for staffing, the staffing request);
   a month when the draft exists, two when it has still to be written;
2. vendor selection — proposals or quotes, scoring, the choice; two months, one when a vendor is
   ranked first already (the choice is confirmed) and for staffing (agencies quote rates);
3. contract — the contract, the SLA and, for personal data, the data-handling agreement;
4. parallel run — the in-house team and the vendor side by side for the package's parallel
   months; a package with borderline tasks starts with a pilot of at least PILOT_MONTHS;
5. steady state — from then on.

The order: continuous outsourcing (BPO, ITO, KPO) is handed over one package at a time, the
largest saving over the horizon first (it pays for the start-up of the rest, and the client's
team runs one selection at a time); each next package starts its preparation when the one before
goes to contract. One-off work (subcontract, crowdsourcing) and external staffing need no
hand-over of a running operation: they start in month 1."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from assessments.domain.choices import Outcome

PILOT_MONTHS = 3
# The steady state shown after the last hand-over, so that every lane reaches it.
STEADY_SHOWN = 3
# Handed over one at a time: a running operation moves to the vendor.
SEQUENCED = frozenset({Outcome.BPO.value, Outcome.ITO.value, Outcome.KPO.value})


class PhaseKind(StrEnum):
    PREPARATION = "preparation"
    SELECTION = "selection"
    CONTRACT = "contract"
    PILOT = "pilot"  # a parallel run that starts with part of the work (borderline tasks)
    PARALLEL = "parallel"
    STEADY = "steady"


@dataclass(frozen=True)
class PackagePlan:
    """What the roadmap needs of one package."""

    key: int | str  # the package's id
    name: str
    model: str  # an Outcome value
    saving: Decimal | None = None  # over the horizon, with the recommended vendor; None: unknown
    parallel_months: int = 0
    pilot: bool = False  # holds borderline tasks: partial outsourcing first
    draft_ready: bool = False  # its RFP or staffing request is drafted
    vendor_chosen: bool = False  # a vendor is ranked first

    @property
    def staffing(self) -> bool:
        return self.model == Outcome.DISPATCH.value


@dataclass(frozen=True)
class Phase:
    kind: PhaseKind
    start: int  # its first month; month 1 is the first month after the decision
    months: int

    @property
    def end(self) -> int:
        """Its last month."""
        return self.start + self.months - 1


@dataclass(frozen=True)
class Lane:
    plan: PackagePlan
    phases: tuple[Phase, ...]  # in order, without gaps; the last is the steady state

    @property
    def start(self) -> int:
        return self.phases[0].start

    @property
    def steady_from(self) -> int:
        return self.phases[-1].start

    def phase(self, kind: PhaseKind) -> Phase | None:
        return next((p for p in self.phases if p.kind == kind), None)


@dataclass(frozen=True)
class Roadmap:
    lanes: tuple[Lane, ...]  # in the order they start
    months: int  # the months the roadmap spans (0 without lanes)


def roadmap(plans: Sequence[PackagePlan]) -> Roadmap:
    """The packages' phases: continuous outsourcing in sequence, largest saving first; the rest
    from month 1."""
    sequenced = sorted((p for p in plans if p.model in SEQUENCED), key=_order)
    at_once = sorted((p for p in plans if p.model not in SEQUENCED), key=_order)
    lanes: list[Lane] = []
    start = 1
    for plan in sequenced:
        lane = _lane(plan, start)
        lanes.append(lane)
        contract = lane.phase(PhaseKind.CONTRACT)
        start = contract.start if contract is not None else lane.steady_from
    lanes += [_lane(plan, 1) for plan in at_once]
    if not lanes:
        return Roadmap((), 0)
    months = max(lane.steady_from for lane in lanes) + STEADY_SHOWN - 1
    lanes = [_until(lane, months) for lane in lanes]
    return Roadmap(tuple(sorted(lanes, key=lambda lane: lane.start)), months)


def _order(plan: PackagePlan) -> tuple[bool, Decimal, str]:
    """The largest saving first; packages not costed yet after, by name."""
    return (plan.saving is None, -(plan.saving or Decimal(0)), plan.name)


def _durations(plan: PackagePlan) -> list[tuple[PhaseKind, int]]:
    parallel_kind = PhaseKind.PILOT if plan.pilot else PhaseKind.PARALLEL
    parallel = max(plan.parallel_months, 0)
    if plan.pilot:
        parallel = max(parallel, PILOT_MONTHS)
    return [
        (PhaseKind.PREPARATION, 1 if plan.draft_ready else 2),
        (PhaseKind.SELECTION, 1 if plan.vendor_chosen or plan.staffing else 2),
        (PhaseKind.CONTRACT, 1),
        (parallel_kind, parallel),
    ]


def _lane(plan: PackagePlan, start: int) -> Lane:
    phases = []
    month = start
    for kind, months in _durations(plan):
        if months:
            phases.append(Phase(kind, month, months))
            month += months
    phases.append(Phase(PhaseKind.STEADY, month, 1))
    return Lane(plan, tuple(phases))


def _until(lane: Lane, last_month: int) -> Lane:
    """The lane with its steady state running to the roadmap's last month."""
    steady = lane.phases[-1]
    grown = Phase(steady.kind, steady.start, last_month - steady.start + 1)
    return Lane(lane.plan, (*lane.phases[:-1], grown))
