"""The case the report makes (SPEC 4.8), in the reader's language: each package's decision in
figures (`economics`: the recommended vendor, the cost over the horizon with its chart, its range,
who may rank first, the smallest change that flips the winner), how the recommendation serves the
goals of step 1 (`goal_lines`), and the transition roadmap as rows and a chart (`roadmap_rows`).

report.py gathers what the whole report says; this module words what it is given. Money is
rounded once, here where it becomes words, as assessments/templatetags/figures.py does on pages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from assessments.domain import choices, goals, roadmap
from assessments.domain.workflow import Goal
from assessments.reporting import charts
from outsourcing_advisor.common.wording import listing, plain_number, sentences
from vendors.reporting import sensitivity
from vendors.services import selection

# --- figures in words ------------------------------------------------------------------------


def yen(value: Decimal | None) -> str:
    """¥1,234,567 and −¥1,200, rounded once (as the `yen` filter shows it)."""
    if value is None:
        return "—"
    rounded = value.quantize(Decimal(1), rounding=ROUND_HALF_UP) + 0
    return f"−¥{-rounded:,}" if rounded < 0 else f"¥{rounded:,}"


def hours(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP) + 0:,}"


def fte(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP) + 0:,}"


def quoted(text: str) -> str:
    """A name quoted as the reader's language quotes it: “BPO: HR” / 「BPO: 人事部」."""
    return _("“%(text)s”") % {"text": text}


def percent(value: Decimal) -> str:
    """A share from 0 to 1 as a whole per cent: 0.873 → 87%."""
    return f"{(value * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP) + 0}%"


# --- a package's decision in figures ---------------------------------------------------------


@dataclass(frozen=True)
class Economics:
    """What a package's selection says about the decision, as the report shows it."""

    years: int  # the horizon
    recommended: selection.BidLine | None  # the first-ranked vendor's quote
    vendor: str  # its name; "" while no vendor is recommended
    outlook: Any  # selection.outlook: .horizon, .path, .range; None while not costed
    chart: SafeString  # the cumulative cost of both sides, break-even marked; "" without
    probabilities: list[tuple[str, Decimal]]  # P(rank first), highest first; [] when agreed
    probabilities_words: str  # the same in a sentence; "" when the evaluators agree
    flip: str  # the smallest change that makes another vendor first, in words; ""
    price_weight: Decimal  # the points of 100 price weighs in the combined score
    parallel_months: int
    released_share: Decimal  # 0–1: the share of the package's FTE actually released

    @property
    def horizon(self) -> Any:
        return self.outlook.horizon if self.outlook is not None else None

    @property
    def range(self) -> Any:
        return self.outlook.range if self.outlook is not None else None

    @property
    def saving(self) -> Decimal | None:
        """The saving over the horizon with the recommended vendor; None while not costed."""
        return self.horizon.saving if self.horizon is not None else None


def economics(chosen: selection.Selection, *, key: str) -> Economics:
    """The decision of one package from its selection (vendors.services.selection)."""
    terms = chosen.terms
    outlook = chosen.outlook
    recommended = chosen.recommended
    chart = mark_safe("")
    if outlook is not None and outlook.path:
        chart = charts.cost_chart(outlook.path, outlook.horizon.break_even_month, key=f"cost-{key}")
    probabilities = sorted(chosen.first_probabilities.items(), key=lambda item: (-item[1], item[0]))
    return Economics(
        years=terms.years,
        recommended=recommended,
        vendor=recommended.bid.vendor.name if recommended is not None else "",
        outlook=outlook,
        chart=chart,
        probabilities=probabilities,
        probabilities_words=probabilities_words(probabilities),
        flip=flip_words(chosen),
        price_weight=Decimal(chosen.package.price_weight),
        parallel_months=terms.parallel_months,
        released_share=terms.released_share,
    )


# A vendor first in this share of the draws is first in all of them, as a reader counts.
ALWAYS_FIRST = Decimal("0.995")


def probabilities_words(probabilities: Sequence[tuple[str, Decimal]]) -> str:
    """Who may rank first where the evaluators disagree, in a sentence."""
    if not probabilities:
        return ""
    leader, chance = probabilities[0]
    if chance >= ALWAYS_FIRST:
        return _(
            "The evaluators' scores differ, but %(vendor)s ranks first in every draw of their "
            "scores and the weights within their spread."
        ) % {"vendor": leader}
    chances = listing(
        f"{name} {(value * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"
        for name, value in probabilities
        if value > 0
    )
    return _(
        "The evaluators disagree: drawing their scores and the weights within their spread, "
        "the chance of ranking first is %(chances)s."
    ) % {"chances": chances}


def flip_words(chosen: selection.Selection) -> str:
    """The winner's sensitivity in words: the smallest single weight move that makes another
    vendor first (the vendor page's sentence), after whether it holds within ±10 points; ""
    without a winner."""
    found = chosen.sensitivity
    words = sensitivity.smallest_words(found, chosen.weights, chosen.price_weight)
    if found.smallest is not None and found.stable:
        return sentences(
            [_("The choice holds when any single weight moves by up to 10 points."), words]
        )
    return words


# --- the goals of step 1 ---------------------------------------------------------------------

STATUS_LABELS: dict[str, Promise] = {
    goals.Status.SERVED: gettext_lazy("Served"),
    goals.Status.PARTLY: gettext_lazy("Partly served"),
    goals.Status.NOT_SERVED: gettext_lazy("Not served"),
    goals.Status.OPEN: gettext_lazy("Not known yet"),
    goals.Status.NOTHING_TO_DO: gettext_lazy("Nothing to act on"),
}


@dataclass(frozen=True)
class GoalLine:
    goal: str
    rank: int | None  # 1 first; None: not ranked in step 1
    label: str
    note: str  # the client's own note on the goal (user text)
    status: str
    status_label: str
    words: str  # how the recommendation serves it


@dataclass(frozen=True)
class Figures:
    """The figures the goals' sentences quote."""

    years: int
    saving: Decimal | None
    saving_low: Decimal | None
    saving_high: Decimal | None
    packages: int
    costed: int
    hours_freed: Decimal
    fte_freed: Decimal
    quality: Decimal | None  # the lowest quality score among the recommended vendors
    quality_weight: Decimal | None  # points of 100
    single_person_tasks: int
    single_person_moved: int
    moved_names: list[str] = field(default_factory=list)


def goal_lines(
    ranked: Sequence[tuple[str, int | None, str]], outcome: goals.Outcome, figures: Figures
) -> list[GoalLine]:
    """Each goal (key, rank, note) with how the recommendation serves it, in words."""
    labels = dict(Goal.choices)
    lines = []
    for contribution, (goal, rank, note) in zip(
        goals.contributions([goal for goal, _r, _n in ranked], outcome), ranked, strict=True
    ):
        lines.append(
            GoalLine(
                goal=goal,
                rank=rank,
                label=str(labels.get(goal, goal)),
                note=note,
                status=contribution.status.value,
                status_label=str(STATUS_LABELS[contribution.status]),
                words=_goal_words(contribution, figures),
            )
        )
    return lines


def _goal_words(contribution: goals.Contribution, f: Figures) -> str:
    values = {
        "years": f.years,
        "saving": yen(f.saving),
        "low": yen(f.saving_low),
        "high": yen(f.saving_high),
        "loss": yen(-f.saving) if f.saving is not None else "—",
        "costed": f.costed,
        "packages": f.packages,
        "hours": hours(f.hours_freed),
        "fte": fte(f.fte_freed),
        "quality": f"{f.quality:.1f}" if f.quality is not None else "—",
        "quality_weight": plain_number(f.quality_weight) if f.quality_weight is not None else "—",
        "count": f.single_person_moved,
        "total": f.single_person_tasks,
        "tasks": listing(f.moved_names[:5]),
        "left": f.single_person_tasks - f.single_person_moved,
    }
    words: dict[str, str] = {
        "nothing_outsourced": _("No task is to be outsourced yet, so the recommendation does "
                                "not act on this goal yet."),
        "not_costed": _("The saving is known once vendors have quoted and one is ranked first "
                        "in each package."),
        "loss": _("With the recommended vendors' quotes, outsourcing costs %(loss)s more than "
                  "in-house over %(years)s years: renegotiate, widen the scope or keep the work."),
        "uncertain_saving": _("It saves %(saving)s over %(years)s years, but the range reaches "
                              "a loss (P10 %(low)s, P90 %(high)s): confirm the volumes first."),
        "saving_some_packages": _("It saves %(saving)s over %(years)s years in the %(costed)s "
                                  "of %(packages)s packages already costed; the others follow "
                                  "once vendors have quoted."),
        "saving": _("It saves %(saving)s over %(years)s years (P10–P90: %(low)s to "
                    "%(high)s)."),
        "not_scored": _("Vendors' quality is known once they are scored; the SLA will set "
                        "measurable service levels reviewed monthly."),
        "good_quality": _("The recommended vendors score %(quality)s or more on quality (0–100), "
                          "which weighs %(quality_weight)s points of 100 in the choice; the SLA "
                          "sets measurable service levels reviewed monthly."),
        "some_quality": _("Some recommended vendors score below 60 on quality (the lowest "
                          "%(quality)s): agree strict service levels and check samples of "
                          "their work."),
        "low_quality": _("The recommended vendors score below 60 on quality (the lowest "
                         "%(quality)s): quality would not improve; look for stronger vendors."),
        "hours_freed": _("It frees %(hours)s hours a year (%(fte)s FTE) of your staff's time "
                         "for core work; the vendors take on the busy periods."),
        "no_single_person": _("No task of the inventory depends on one person today."),
        "none_moved": _("None of the %(total)s tasks only one person can do today moves to a "
                        "vendor: write their procedures down and train a second person."),
        "some_moved": _("%(count)s of the %(total)s tasks only one person can do today move to "
                        "a vendor, which must document them and staff them with backup "
                        "(%(tasks)s); the other %(left)s stay: write them down."),
        "all_moved": _("All %(total)s tasks only one person can do today move to a vendor, "
                       "which must document them and staff them with backup (%(tasks)s)."),
    }  # fmt: skip
    return words[contribution.reason] % values


# --- the roadmap ---------------------------------------------------------------------------

PHASE_LABELS: dict[str, Promise] = {
    roadmap.PhaseKind.PREPARATION: gettext_lazy("Preparation"),
    roadmap.PhaseKind.SELECTION: gettext_lazy("Vendor selection"),
    roadmap.PhaseKind.CONTRACT: gettext_lazy("Contract"),
    roadmap.PhaseKind.PILOT: gettext_lazy("Pilot and parallel run"),
    roadmap.PhaseKind.PARALLEL: gettext_lazy("Parallel run"),
    roadmap.PhaseKind.STEADY: gettext_lazy("Steady state"),
}
PHASE_DETAILS: dict[str, Promise] = {
    roadmap.PhaseKind.PREPARATION: gettext_lazy(
        "Readiness checklist; the RFP (the staffing request for dispatch)"
    ),
    roadmap.PhaseKind.SELECTION: gettext_lazy("Proposals and quotes, scoring, the choice"),
    roadmap.PhaseKind.CONTRACT: gettext_lazy("Contract, SLA and KPIs, data-handling agreement"),
    roadmap.PhaseKind.PILOT: gettext_lazy(
        "Part of the work first, then widened; your team runs beside the vendor"
    ),
    roadmap.PhaseKind.PARALLEL: gettext_lazy("Your team and the vendor side by side"),
    roadmap.PhaseKind.STEADY: gettext_lazy("The vendor runs the work; monthly KPI review"),
}


@dataclass(frozen=True)
class RoadmapRow:
    name: str
    model_label: str
    cells: list[str]  # the months of each phase of ROADMAP_COLUMNS, "—" where it has none
    steady_from: int


ROADMAP_COLUMNS = (
    roadmap.PhaseKind.PREPARATION,
    roadmap.PhaseKind.SELECTION,
    roadmap.PhaseKind.CONTRACT,
    roadmap.PhaseKind.PARALLEL,  # a pilot shows here too
)


def months_words(phase: roadmap.Phase) -> str:
    if phase.months == 1:
        return _("month %(month)s") % {"month": phase.start}
    return _("months %(first)s–%(last)s") % {"first": phase.start, "last": phase.end}


def roadmap_rows(plan: roadmap.Roadmap) -> list[RoadmapRow]:
    rows = []
    for lane in plan.lanes:
        cells = []
        for kind in ROADMAP_COLUMNS:
            phase = lane.phase(kind)
            if phase is None and kind == roadmap.PhaseKind.PARALLEL:
                phase = lane.phase(roadmap.PhaseKind.PILOT)
            cells.append(months_words(phase) if phase is not None else "—")
        rows.append(
            RoadmapRow(
                lane.plan.name,
                choices.label(choices.Outcome, lane.plan.model),
                cells,
                lane.steady_from,
            )
        )
    return rows


def roadmap_chart(plan: roadmap.Roadmap) -> SafeString:
    return charts.roadmap_chart(
        [
            (lane.plan.name, [(p.kind.value, p.start, p.months) for p in lane.phases])
            for lane in plan.lanes
        ],
        plan.months,
        {str(kind): str(label) for kind, label in PHASE_LABELS.items()},
    )


def sequence_words(plan: roadmap.Roadmap) -> str:
    """Why the packages start when they do, naming the first."""
    sequenced = [lane for lane in plan.lanes if lane.plan.model in roadmap.SEQUENCED]
    words = []
    if len(sequenced) > 1:
        words.append(
            _(
                "Continuous operations are handed over one package at a time, the largest "
                "saving first: %(first)s starts in month 1, and each next package starts its "
                "preparation when the one before goes to contract, so that your team runs one "
                "vendor selection at a time and the first saving helps fund the next start-up."
            )
            % {"first": quoted(sequenced[0].plan.name)}
        )
    others = [lane for lane in plan.lanes if lane.plan.model not in roadmap.SEQUENCED]
    if others:
        words.append(
            ngettext(
                "%(packages)s needs no hand-over of a running operation and starts in month 1.",
                "%(packages)s need no hand-over of a running operation and start in month 1.",
                len(others),
            )
            % {"packages": listing(quoted(lane.plan.name) for lane in others)}
        )
    if any(lane.phase(roadmap.PhaseKind.PILOT) for lane in plan.lanes):
        words.append(
            _(
                "Packages with borderline tasks start with a pilot of at least %(months)s "
                "months: part of the work first, widened in steps."
            )
            % {"months": roadmap.PILOT_MONTHS}
        )
    return sentences(words)
