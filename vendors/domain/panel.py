"""How an evaluation panel scored (SPEC 4.6): each evaluator's leniency, the agreement between
evaluators, the evaluator far from the rest, and where they split.

Pure, typed functions over the evaluators' own scores (the submitted ones; a consensus is the
panel's outcome, not an evaluator's judgement, so it stays out of these figures). No database,
no request. Totals are Decimal, never rounded here.

- **Leniency**: for each vendor an evaluator scored, their total minus the mean of the other
  evaluators' totals for that vendor; the mean of that over the vendors. +12 says they score
  12 points above the others, −12 below. Only vendors someone else scored too count.
- **Agreement**: the share of criterion scores within one point of each other. Each pair of
  evaluators who scored the same criterion of the same vendor is one comparison; it agrees when
  the two scores are at most one point apart. On a 1–5 scale a one-point difference (3 against
  4) is ordinary judgement; two points or more (2 against 4) means they saw the vendor
  differently and should talk. A share reads at once ("8 comparisons in 10 within one point"),
  where a correlation or a kappa needs a statistician and jumps about with three vendors.
- **Far from the rest**: with at least three evaluators, one whose leniency is at least 15 points
  either way and at least twice the panel's median absolute leniency, over two vendors or more.
  Fifteen points is more than half a step on every criterion (a step is 25 points): a habit,
  not a nuance. The median test keeps the others from being flagged with them: one evaluator
  30 points above two who agree pushes the two to −15 each, which is the median, not twice it.
  Two evaluators are never flagged: each one's leniency mirrors the other's, so there is no
  rest to be far from. One vendor is a view of that vendor, not a habit.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from vendors.domain.scoring import CRITERIA, evaluator_total

# One evaluator's scores of one vendor: criterion -> 1..5; absent or None: not scored.
Sheet = Mapping[str, int | None]
# The panel's scores: vendor -> evaluator -> their sheet.
PanelScores = Mapping[str, Mapping[str, Sheet]]

CLOSE_POINTS = 1  # two scores of a criterion this far apart or closer agree
SPLIT_POINTS = 2  # this far apart or more: a split worth discussing
FAR_POINTS = Decimal(15)  # the least leniency, either way, that is far from the rest
FAR_MEDIAN_FACTOR = Decimal(2)  # … and at least this many times the panel's median
FAR_MIN_EVALUATORS = 3  # fewer: no "rest" to be far from
FAR_MIN_VENDORS = 2  # fewer: a view of one vendor, not a habit


@dataclass(frozen=True)
class Leniency:
    evaluator: str
    # Mean of (their total − the mean of the others' totals) over the vendors compared; None
    # when no vendor they scored was scored by anyone else.
    points: Decimal | None
    vendors: int  # the vendors compared: scored by them and by at least one other evaluator
    far: bool = False  # far from the rest (see the module's rule)


@dataclass(frozen=True)
class Agreement:
    comparisons: int  # pairs of evaluators' scores of the same criterion of the same vendor
    close: int  # of them, at most CLOSE_POINTS apart

    @property
    def share(self) -> Decimal | None:
        """The share of comparisons within one point, 0..1; None without any."""
        return Decimal(self.close) / Decimal(self.comparisons) if self.comparisons else None


@dataclass(frozen=True)
class Split:
    """A criterion of a vendor whose evaluators are SPLIT_POINTS or more apart."""

    vendor: str
    criterion: str
    low: int
    high: int
    lowest: tuple[str, ...]  # the evaluators who gave the lowest score
    highest: tuple[str, ...]

    @property
    def gap(self) -> int:
        return self.high - self.low


@dataclass(frozen=True)
class PanelStatistics:
    evaluators: tuple[str, ...]  # everyone who scored some vendor, by name
    leniency: tuple[Leniency, ...]  # one per evaluator, by name
    agreement: Agreement
    splits: tuple[Split, ...]  # widest first

    @property
    def far(self) -> tuple[Leniency, ...]:
        return tuple(entry for entry in self.leniency if entry.far)


def totals(scores: PanelScores, weights: Mapping[str, Decimal]) -> dict[str, dict[str, Decimal]]:
    """Each vendor's evaluators' totals (`scoring.evaluator_total`), leaving out an evaluator who
    scored nothing of it."""
    found: dict[str, dict[str, Decimal]] = {}
    for vendor, sheets in scores.items():
        found[vendor] = {
            evaluator: total
            for evaluator, sheet in sheets.items()
            if (total := evaluator_total(sheet, weights)) is not None
        }
    return found


def leniencies(by_vendor: Mapping[str, Mapping[str, Decimal]]) -> list[Leniency]:
    """Each evaluator's leniency from the vendors' totals (`totals`), by name; not yet judged
    far (see `with_far`)."""
    differences: dict[str, list[Decimal]] = {}
    for vendor_totals in by_vendor.values():
        for evaluator, own in vendor_totals.items():
            differences.setdefault(evaluator, [])
            others = [total for name, total in vendor_totals.items() if name != evaluator]
            if others:
                differences[evaluator].append(own - sum(others, Decimal(0)) / len(others))
    return [
        Leniency(name, sum(found, Decimal(0)) / len(found) if found else None, len(found))
        for name, found in sorted(differences.items())
    ]


def with_far(found: Sequence[Leniency]) -> list[Leniency]:
    """The leniencies with the evaluators far from the rest marked (the module's rule)."""
    compared = [entry for entry in found if entry.points is not None]
    if len(compared) < FAR_MIN_EVALUATORS:
        return list(found)
    median = statistics.median(abs(entry.points) for entry in compared if entry.points is not None)
    bar = max(FAR_POINTS, FAR_MEDIAN_FACTOR * median)
    return [
        Leniency(
            entry.evaluator,
            entry.points,
            entry.vendors,
            far=entry.points is not None
            and entry.vendors >= FAR_MIN_VENDORS
            and abs(entry.points) >= bar,
        )
        for entry in found
    ]


def _scored(sheet: Sheet, criterion: str) -> int | None:
    score = sheet.get(criterion)
    return None if score is None else int(score)


def agreement(scores: PanelScores) -> Agreement:
    """How often two evaluators' scores of the same criterion of the same vendor are within
    CLOSE_POINTS of each other; a criterion one of them left unscored is no comparison."""
    comparisons = close = 0
    for sheets in scores.values():
        for criterion in CRITERIA:
            given = [s for sheet in sheets.values() if (s := _scored(sheet, criterion)) is not None]
            for first, second in itertools.combinations(given, 2):
                comparisons += 1
                close += abs(first - second) <= CLOSE_POINTS
    return Agreement(comparisons, close)


def splits(scores: PanelScores) -> list[Split]:
    """The criteria of each vendor whose scores are SPLIT_POINTS or more apart, widest first
    (then by vendor and criterion order): where a consensus is worth discussing."""
    found = []
    for vendor, sheets in scores.items():
        for criterion in CRITERIA:
            given = {
                name: s
                for name, sheet in sheets.items()
                if (s := _scored(sheet, criterion)) is not None
            }
            if len(given) < 2:
                continue
            low, high = min(given.values()), max(given.values())
            if high - low >= SPLIT_POINTS:
                found.append(
                    Split(
                        vendor,
                        criterion,
                        low,
                        high,
                        tuple(sorted(n for n, s in given.items() if s == low)),
                        tuple(sorted(n for n, s in given.items() if s == high)),
                    )
                )
    return sorted(found, key=lambda s: (-s.gap, s.vendor, CRITERIA.index(s.criterion)))


def panel_statistics(scores: PanelScores, weights: Mapping[str, Decimal]) -> PanelStatistics:
    """The panel's leniencies (far ones marked), agreement and splits, from its scores."""
    found = with_far(leniencies(totals(scores, weights)))
    named = sorted({name for sheets in scores.values() for name in sheets})
    return PanelStatistics(
        evaluators=tuple(named),
        leniency=tuple(found),
        agreement=agreement(scores),
        splits=tuple(splits(scores)),
    )
