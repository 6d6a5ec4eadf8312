"""Everything the recommendation report shows (SPEC 4.8), gathered in one place.

`build_report` reads the assessment in a fixed number of queries whatever the number of tasks,
packages or vendors, and returns plain data for templates/reports/report.html: figures, charts,
each task's result in words, the packages with their cost comparison and ranking, the risks with
what in this inventory bears on each, the readiness status and the next steps. No request, no
rendering: the view, the background job and the command line call it (reporting/pdf.py renders it).
A report is made for one person: a package's ranking is left out while it is sealed for them
(vendors.services.sealing), and `Report.seal_key` says which rankings it shows."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from assessments.domain import choices, independence, inventory, rfp
from assessments.domain import goals as goals_domain
from assessments.domain import roadmap as roadmap_domain
from assessments.domain.choices import STAFFING_MODELS, Outcome, Verdict
from assessments.domain.classification import OUTSOURCED
from assessments.domain.workflow import Goal
from assessments.models import Assessment, Override, Package, Task
from assessments.reporting import case, charts, explain
from outsourcing_advisor.accounts.models import person_name
from outsourcing_advisor.common.wording import listing, sentences
from vendors.domain import scoring
from vendors.domain.horizon import default_parallel_months
from vendors.models import Bid
from vendors.services import sealing, selection

IN_HOUSE = Outcome.IN_HOUSE.value
# A warning's name in a few words, as each task shows it; the report explains each once in full
# (explain.WARNINGS: what it is and what to do).
SHORT_WARNINGS: dict[str, Promise] = {
    "disguised_contracting": gettext_lazy("disguised-contracting risk"),
    "confidential_data": gettext_lazy("confidential data"),
    "single_person_dependency": gettext_lazy("one person only"),
    "black_box": gettext_lazy("black-box risk"),
    "costly_core": gettext_lazy("costly core work"),
    "missing_attributes": gettext_lazy("attributes missing"),
    "licensed_work": gettext_lazy("licensed work"),
    "on_site": gettext_lazy("on-site work"),
    "dispatch_term_limit": gettext_lazy("three-year dispatch limit"),
    "day_labour_ban": gettext_lazy("day-labour dispatch ban"),
}
# A payback longer than this is worth a line in the risks: the saving is slow to come.
LONG_PAYBACK_MONTHS = Decimal(24)


@dataclass(frozen=True)
class TaskEntry:
    number: int  # the task's place in the inventory, from 1
    task: Task
    derived: inventory.Derived
    explanation: explain.Explanation | None  # None: never checked
    override: Override | None
    final_model_label: str  # the override's model, else the recommendation's; "" while undecided
    warnings: str  # the short names of its warnings, joined
    # The answers that moved the score most, in words: the questions and their answers, those
    # towards outsourcing first, then the one towards keeping the task (never criterion codes).
    why: str
    reason: (
        str  # why: the deciding rule, and the verdict's reason where it says more than the score
    )
    override_by: str = ""  # the override's author by name (full name, else user name)
    missing: str = ""  # the questions not answered (or “don't know”), in words
    text: str = ""  # all of the above in sentences, as the report prints it

    @property
    def outsourced(self) -> bool:
        return is_candidate(self.task)


@dataclass(frozen=True)
class WarningNote:
    """A warning in full, for the legend of the task-by-task chapter."""

    short: str
    title: str
    advice: str
    tasks: int


@dataclass(frozen=True)
class Department:
    name: str
    entries: list[TaskEntry]
    annual_hours: Decimal


@dataclass(frozen=True)
class RankingRow:
    vendor: scoring.RankedVendor
    reasons: list[str]  # why it is excluded, in words
    line: selection.BidLine | None  # its quote and cost comparison
    cautions: list[str] = field(default_factory=list)  # warnings that exclude no one, in words

    @property
    def scope_changed(self) -> bool:
        """Its quote was given for other tasks than the package holds now (SPEC 4.5)."""
        return self.line is not None and self.line.stale


@dataclass(frozen=True)
class PackageEntry:
    selection: selection.Selection
    ranking: list[RankingRow]
    chosen: RankingRow | None  # the first-ranked vendor, if it has a quote that can be costed
    unquoted: list[str]  # invited vendors without a quote yet
    unscored: list[str]  # invited vendors nobody has scored yet
    task_names: list[str]
    # Invited vendors the reader has still to submit scores for: while any, the ranking, the
    # winner, its sensitivity and saving are left out (emptied from `selection` too).
    sealed: list[str] = field(default_factory=list)
    # The reader is on the package's evaluation panel and its prices are still blind
    # (sealing.price_seal): no quote, cost or saving either; `blind`: who is still scoring.
    prices_hidden: bool = False
    blind: list[str] = field(default_factory=list)
    # Its 告示37号 checklist as answered, with its tasks on the premises or directed by the
    # client's staff (SPEC 4.4); None for a staffing package, which has none.
    review: independence.Review | None = None
    # The decision in figures: the recommended vendor, the cost over the horizon and its range;
    # None while sealed for the reader.
    economics: case.Economics | None = None
    legal: list[str] = field(default_factory=list)  # the duties that follow, in words
    pilot: bool = False  # holds borderline tasks going to the vendor: a pilot first
    draft_ready: bool = False  # its RFP (or staffing request) is drafted
    single_person: list[str] = field(default_factory=list)  # its tasks only one person can do

    @property
    def package(self) -> Package:
        return self.selection.package

    @property
    def withheld(self) -> bool:
        """The ranking is left out for the reader: sealed, or blind to prices."""
        return bool(self.sealed) or self.prices_hidden

    @property
    def staffing(self) -> bool:
        """A staffing package (dispatch): people come in; counted apart from outsourcing."""
        return self.package.is_staffing

    @property
    def saving(self) -> Decimal | None:
        if self.chosen is None or self.chosen.line is None or self.chosen.line.comparison is None:
            return None
        return self.chosen.line.comparison.annual_saving

    @property
    def horizon(self) -> Any:
        """The cost over the horizon with the recommended vendor (horizon.Horizon); None."""
        return self.economics.horizon if self.economics is not None else None

    @property
    def released_fte(self) -> Decimal:
        """The FTE the package takes off your staff: its FTE × the share released."""
        return self.selection.totals.fte * Decimal(self.package.released_share) / 100

    @property
    def vendor_missing(self) -> str:
        """Why no vendor is recommended yet, in words ("" when one is)."""
        if self.economics is not None and self.economics.vendor:
            return ""
        return _vendor_missing(self)


@dataclass(frozen=True)
class Risk:
    code: str
    title: str
    meaning: str  # what the risk is
    mitigation: str  # what to do about it
    evidence: str  # what in this assessment bears on it
    tasks: int  # tasks it concerns (0: none, or not tied to tasks)
    hours: Decimal

    @property
    def mitigation_short(self) -> str:
        """The mitigation's first sentence, for the one-page conclusion."""
        for stop in ("。", ". "):
            if stop in self.mitigation:
                return self.mitigation.split(stop, 1)[0] + stop.strip()
        return self.mitigation


@dataclass(frozen=True)
class ReadinessItem:
    text: str
    status: str  # a key, for styling: done / in_progress / not_started / not_applicable
    status_label: str
    owner: str = ""
    note: str = ""


@dataclass(frozen=True)
class Readiness:
    """The pre-introduction checklist's state (SPEC 4.7), as the report shows it."""

    done: int
    total: int  # the items that apply (those marked not applicable left out)
    items: list[ReadinessItem] = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.done / self.total if self.total else 0.0


@dataclass(frozen=True)
class Step:
    title: str
    detail: str = ""


@dataclass(frozen=True)
class ConclusionLine:
    """One package of the recommendation, as the conclusion lists it."""

    entry: PackageEntry
    vendor: str  # the recommended vendor; "" while none
    missing: str  # why there is none yet, in words

    @property
    def horizon(self) -> Any:
        return self.entry.horizon

    @property
    def range(self) -> Any:
        return self.entry.economics.range if self.entry.economics is not None else None


@dataclass(frozen=True)
class Conclusion:
    """The first page: what to outsource, to whom, what it saves and costs to start, and what to
    decide now (SPEC 4.8)."""

    lines: list[ConclusionLine]  # the outsourcing packages with tasks
    staffing_lines: list[ConclusionLine]  # the staffing packages with tasks, apart
    tasks: int
    hours: Decimal
    fte: Decimal  # released: the packages' FTE × their share released
    years: int
    saving: Decimal | None  # over the horizon, the packages with a recommended vendor
    saving_low: Decimal | None  # the sum of their P10s: a cautious bound; None without ranges
    saving_high: Decimal | None  # the sum of their P90s
    lowest_probability: Decimal | None  # the lowest probability of a saving among them
    start_up: Decimal | None  # initial fees with their tax, and the parallel runs
    costed: int  # packages with a recommended, costed vendor
    decisions: list[Step]
    headline: str = ""  # the recommendation in two sentences: what, and what it saves

    @property
    def recommends(self) -> bool:
        return bool(self.lines or self.staffing_lines)


@dataclass(frozen=True)
class Report:
    assessment: Assessment
    generated_at: datetime.datetime
    prepared_by: str
    totals: inventory.Totals
    candidates: inventory.Totals  # tasks recommended (or overridden) for outsourcing
    candidate_share: float  # of all annual hours
    # Tasks for external staffing (dispatch), never counted as outsourcing (SPEC 4.4).
    staffing: inventory.Totals
    staffing_share: float
    # The two shares as shown: percent to one decimal, apportioned with the in-house and the
    # undecided hours so that the four add up to 100.0 (inventory.Sourcing.percents).
    candidate_percent: Decimal
    staffing_percent: Decimal
    verdict_counts: list[tuple[str, str, int]]  # (verdict, label, tasks), incl. unchecked

    @property
    def verdict_counts_shown(self) -> list[tuple[str, str, int]]:
        """The verdicts some task has, so that a list of them has no empty entries."""
        return [entry for entry in self.verdict_counts if entry[2]]

    unchecked: int  # tasks with no result at all
    incomplete: int
    overrides: int
    expected_saving: Decimal | None  # outsourcing packages' first-ranked quotes; None: none yet
    saving_packages: int  # packages whose saving is counted in it
    staffing_saving: Decimal | None  # the same, of the staffing packages (hourly rate × hours)
    by_department: list[inventory.Group]
    by_model: list[inventory.Group]
    quadrant: inventory.Quadrant
    quadrant_rows: list[tuple[str, str, list[inventory.Cell]]]
    department_chart: str
    model_chart: str
    departments: list[Department]
    warning_notes: list[WarningNote]  # the warnings some task has, explained
    questions: list[tuple[str, str]]  # (code, question) of the pinned checklist
    packages: list[PackageEntry]
    waiting: list[Task]  # candidates in no package yet
    risks: list[Risk]
    top_risks: list[Risk]
    readiness: Readiness | None
    next_steps: list[Step]
    overhead_rate: Decimal
    checklist_version: Any
    rule_version: Any
    # sealing.ReportSeal.key: the rankings shown, for whom it may be reused
    seal_key: str
    horizon_years: int = 3
    versions: list[tuple[str, str]] = field(default_factory=list)  # (what, version) of the cover
    # Step 1: each goal with how the recommendation serves it; whether they were ranked.
    goal_lines: list[case.GoalLine] = field(default_factory=list)
    goals_ranked: bool = False
    alternatives: list[tuple[str, bool, str]] = field(default_factory=list)
    alternatives_note: str = ""
    # The indirect-department ratio now and once the outsourcing packages' FTE are released.
    indirect_now: inventory.IndirectRatio | None = None
    indirect_after: inventory.IndirectRatio | None = None
    released_fte: Decimal = Decimal(0)
    roadmap: roadmap_domain.Roadmap = field(default_factory=lambda: roadmap_domain.Roadmap((), 0))
    roadmap_rows: list[case.RoadmapRow] = field(default_factory=list)
    roadmap_chart: str = ""
    roadmap_words: str = ""
    conclusion: Conclusion | None = None

    @property
    def sealed(self) -> bool:
        """Some package's ranking is left out for the reader (its saving too)."""
        return any(entry.withheld for entry in self.packages)

    @property
    def blind(self) -> bool:
        """Some package's prices are hidden from the reader, on its evaluation panel."""
        return any(entry.prices_hidden for entry in self.packages)

    @property
    def organisation(self) -> Any:
        return self.assessment.organisation

    @property
    def outsourcing_packages(self) -> list[PackageEntry]:
        """The outsourcing packages with tasks: an empty one is no recommendation."""
        return [entry for entry in self.packages if not entry.staffing and entry.task_names]

    @property
    def staffing_packages(self) -> list[PackageEntry]:
        return [entry for entry in self.packages if entry.staffing and entry.task_names]

    @property
    def phase_labels(self) -> list[str]:
        """The roadmap table's column heads."""
        return [str(case.PHASE_LABELS[kind]) for kind in case.ROADMAP_COLUMNS]

    @property
    def phase_legend(self) -> list[tuple[str, str, str]]:
        """(kind, label, what it holds) of each phase the roadmap has."""
        kinds = {phase.kind for lane in self.roadmap.lanes for phase in lane.phases}
        return [
            (kind.value, str(case.PHASE_LABELS[kind]), str(case.PHASE_DETAILS[kind]))
            for kind in roadmap_domain.PhaseKind
            if kind in kinds
        ]


def is_candidate(task: Task) -> bool:
    """Recommended (or overridden) for outsourcing: the work moves out. Dispatch is not
    outsourcing (SPEC 4.4): see `is_staffing`."""
    return task.final_model in OUTSOURCED


def is_staffing(task: Task) -> bool:
    """Recommended (or overridden) for external staffing: dispatched people come in."""
    return task.final_model in STAFFING_MODELS


def goes_to_a_vendor(task: Task) -> bool:
    """Outsourcing or staffing: what the packages are made of."""
    return task.final_model not in ("", IN_HOUSE)


def readiness_status(assessment: Assessment) -> Readiness | None:
    """The assessment's pre-introduction checklist (SPEC 4.7), item by item; None while no item
    has been worked on (the report then says it has not been started). Three queries."""
    from assessments.models.steps import ReadinessEntry, ReadinessStatus

    version = assessment.readiness_version
    if version is None:
        return None
    entries = ReadinessEntry.objects.of(assessment, version).by_item()
    if not entries:
        return None
    labels = dict(ReadinessStatus.choices)
    items, done, applicable = [], 0, 0
    for item in version.items.all():
        entry = entries.get(item.pk)
        status = entry.status if entry is not None else ReadinessStatus.NOT_STARTED
        done += status == ReadinessStatus.DONE
        applicable += status != ReadinessStatus.NOT_APPLICABLE
        items.append(
            ReadinessItem(
                text=item.text,
                status=status,
                status_label=str(labels.get(status, status)),
                owner=entry.owner if entry is not None else "",
                note=entry.note if entry is not None else "",
            )
        )
    return Readiness(done, applicable, items)


def build_report(
    assessment: Assessment,
    *,
    viewer: Any,
    prepared_by: str = "",
    on: datetime.date | None = None,
    readiness: Readiness | None = None,
) -> Report:
    """The report's content in the active language, for `viewer` (a user; vendors.services.sealing's
    NO_PERSON for the command line, where nothing is sealed). `readiness` defaults to the
    assessment's own (`readiness_status`); `on` is the day the vendors' certifications must be
    valid."""
    on = on or timezone.localdate()
    org = assessment.volume_settings
    tasks = list(
        assessment.tasks.select_related(
            "result__checklist_version", "result__rule_version", "override__author"
        )
    )
    rows = [(task, task.derive(org)) for task in tasks]
    summary = assessment.as_summary_rows(rows)
    totals = inventory.totals(summary)
    candidates = [(task, derived) for task, derived in rows if is_candidate(task)]
    sourcing = inventory.sourcing(summary, OUTSOURCED, STAFFING_MODELS)
    packages, seal = _packages(assessment, rows, on, viewer)
    packages = _with_reviews(packages, rows)
    plan = roadmap_domain.roadmap([_plan(entry) for entry in packages if entry.task_names])
    saved = [entry.saving for entry in packages if entry.saving is not None and not entry.staffing]
    staffing_saved = [
        entry.saving for entry in packages if entry.saving is not None and entry.staffing
    ]
    by_department = inventory.breakdown(summary, "department")
    by_model = inventory.model_breakdown(summary, **explain.undecided_labels())
    quadrant = inventory.quadrant(summary)
    if readiness is None:
        readiness = readiness_status(assessment)
    risks = _risks(candidates, packages, assessment.overhead_rate, totals)
    report_entries = _entries(rows)
    waiting = [task for task in tasks if goes_to_a_vendor(task) and task.package_id is None]
    report = Report(
        assessment=assessment,
        generated_at=timezone.localtime(),
        prepared_by=prepared_by,
        totals=totals,
        candidates=sourcing.outsourcing,
        candidate_share=sourcing.outsourcing_share,
        staffing=sourcing.staffing,
        staffing_share=sourcing.staffing_share,
        candidate_percent=sourcing.outsourcing_percent,
        staffing_percent=sourcing.staffing_percent,
        verdict_counts=_verdict_counts(tasks),
        unchecked=sum(1 for task in tasks if task.current_result is None),
        incomplete=sum(1 for task in tasks if task.verdict == Verdict.INCOMPLETE),
        overrides=sum(1 for entry in report_entries if entry.override is not None),
        expected_saving=sum(saved, Decimal(0)) if saved else None,
        saving_packages=len(saved),
        staffing_saving=sum(staffing_saved, Decimal(0)) if staffing_saved else None,
        by_department=by_department,
        by_model=by_model,
        quadrant=quadrant,
        quadrant_rows=[
            (verdict, choices.label(Verdict, verdict), quadrant.row(verdict))
            for verdict in inventory.QUADRANT_VERDICTS
        ],
        department_chart=charts.hours_chart(by_department, key="department"),
        model_chart=charts.hours_chart(by_model, key="model"),
        departments=_departments(report_entries),
        warning_notes=_warning_notes(report_entries),
        questions=[(c.code, c.text) for c in assessment.criteria()],
        packages=packages,
        waiting=waiting,
        risks=risks,
        top_risks=_top_risks(risks),
        readiness=readiness,
        next_steps=[],  # below: they read the rest
        overhead_rate=assessment.overhead_rate,
        checklist_version=assessment.checklist_version,
        rule_version=assessment.rule_version,
        seal_key=seal.key,
        horizon_years=assessment.horizon_years,
        versions=_versions(assessment),
        roadmap=plan,
        roadmap_rows=case.roadmap_rows(plan),
        roadmap_chart=case.roadmap_chart(plan),
        roadmap_words=case.sequence_words(plan),
    )
    report = dataclasses.replace(
        report, **_goals_and_ratio(report, rows), next_steps=next_steps(report)
    )
    return dataclasses.replace(report, conclusion=conclusion(report))


def _versions(assessment: Assessment) -> list[tuple[str, str]]:
    """What the results were computed with, for the cover: the versions the assessment is
    pinned to."""
    versions = [
        (_("Core/non-core checklist"), assessment.checklist_version),
        (_("Rule table"), assessment.rule_version),
        (_("Vendor criteria weights"), assessment.evaluation_version),
        (_("Readiness checklist"), assessment.readiness_version),
    ]
    return [(label, str(version)) for label, version in versions if version is not None]


# --- the goals of step 1 and the indirect-department ratio -----------------------------------


def _goals_and_ratio(report: Report, rows: list[tuple[Task, inventory.Derived]]) -> dict[str, Any]:
    """The goals of step 1 with how the recommendation serves each, and the indirect-department
    ratio now and once the outsourcing packages' FTE are released (one query: the goals)."""
    from assessments.models.steps import Goals

    assessment = report.assessment
    recorded = Goals.objects.filter(assessment=assessment).first()
    ranked = _ranked_goals(recorded)
    outsourced = report.outsourcing_packages
    released = sum((entry.released_fte for entry in outsourced), Decimal(0))
    in_packages = {task.pk for entry in outsourced for task in _package_tasks(entry, rows)}
    single = [task for task, derived in rows if derived.single_person_dependency]
    moved = [task.task for task in single if task.pk in in_packages]
    costed = [entry for entry in outsourced if entry.horizon is not None]
    ranges = [entry.economics.range for entry in costed if entry.economics is not None]
    complete = bool(costed) and all(r is not None for r in ranges)
    qualities = [
        entry.chosen.vendor.total
        for entry in outsourced
        if entry.chosen is not None and entry.chosen.vendor.total is not None
    ]
    price_weights = [Decimal(entry.package.price_weight) for entry in outsourced]
    saving = sum((e.horizon.saving for e in costed), Decimal(0)) if costed else None
    outcome = goals_domain.Outcome(
        outsourced_tasks=len(in_packages),
        hours_freed=sum((e.selection.totals.annual_hours for e in outsourced), Decimal(0)),
        fte_freed=released,
        costed_packages=len(costed),
        packages=len(outsourced),
        saving=saving,
        saving_low=sum((r.horizon[0] for r in ranges), Decimal(0)) if complete else None,
        quality_scores=qualities,
        quality_weight=100 - max(price_weights) if price_weights else None,
        single_person_tasks=len(single),
        single_person_moved=len(moved),
    )
    figures = case.Figures(
        years=assessment.horizon_years,
        saving=saving,
        saving_low=outcome.saving_low,
        saving_high=sum((r.horizon[2] for r in ranges), Decimal(0)) if complete else None,
        packages=len(outsourced),
        costed=len(costed),
        hours_freed=outcome.hours_freed,
        fte_freed=released,
        quality=min(qualities) if qualities else None,
        quality_weight=outcome.quality_weight,
        single_person_tasks=len(single),
        single_person_moved=len(moved),
        moved_names=moved,
    )
    organisation = assessment.organisation
    return {
        "goal_lines": case.goal_lines(ranked, outcome, figures),
        "goals_ranked": any(rank is not None for _goal, rank, _note in ranked),
        "alternatives": recorded.alternatives() if recorded is not None else [],
        "alternatives_note": recorded.alternatives_note if recorded is not None else "",
        "indirect_now": inventory.indirect_ratio(
            organisation.indirect_headcount, organisation.employee_count
        ),
        "indirect_after": inventory.indirect_ratio_after(
            organisation.indirect_headcount, organisation.employee_count, released
        ),
        "released_fte": released,
    }


def _ranked_goals(recorded: Any) -> list[tuple[str, int | None, str]]:
    """(goal, rank, note) of the four goals, the ranked ones first in their order, then the
    others in the product's order (all four, unranked, when step 1 has not been recorded)."""
    goals = [
        (
            goal,
            getattr(recorded, f"{goal}_rank", None),
            getattr(recorded, f"{goal}_note", "") if recorded is not None else "",
        )
        for goal in Goal.values
    ]
    order = {goal: position for position, goal in enumerate(Goal.values)}
    return sorted(goals, key=lambda g: (g[1] is None, g[1] or 0, order[g[0]]))


def _package_tasks(entry: PackageEntry, rows: list[tuple[Task, inventory.Derived]]) -> list[Task]:
    return [task for task, _derived in rows if task.package_id == entry.package.pk]


# --- the roadmap -----------------------------------------------------------------------------


def _plan(entry: PackageEntry) -> roadmap_domain.PackagePlan:
    """What the roadmap needs of a package: its parallel run (its own, else the model's default),
    whether it pilots, and how far its RFP and vendor choice have got."""
    package = entry.package
    parallel = package.parallel_months
    if parallel is None:
        parallel = default_parallel_months(package.model)
    return roadmap_domain.PackagePlan(
        key=package.pk,
        name=package.document_name,
        model=package.model,
        saving=entry.horizon.saving if entry.horizon is not None else None,
        parallel_months=parallel,
        pilot=entry.pilot,
        draft_ready=entry.draft_ready,
        vendor_chosen=bool(entry.economics and entry.economics.vendor),
    )


# --- tasks -----------------------------------------------------------------------------------


def _entries(rows: list[tuple[Task, inventory.Derived]]) -> list[TaskEntry]:
    """Each task with its result in words. The questions and rule texts are read once per pair
    of versions the results were computed with (usually one pair)."""
    texts: dict[tuple[int, int], tuple[dict[str, str], dict[str, str]]] = {}
    shorts = {code: str(words) for code, words in SHORT_WARNINGS.items()}
    entries = []
    for number, (task, derived) in enumerate(rows, start=1):
        result = task.current_result
        explanation = None
        if result is not None:
            key = (result.checklist_version_id, result.rule_version_id)
            if key not in texts:
                texts[key] = explain.version_texts(result.checklist_version, result.rule_version)
            explanation = explain.explain(result, *texts[key])
        codes = result.detail.get("warnings", []) if result is not None else []
        override = getattr(task, "override", None)
        entries.append(
            TaskEntry(
                number=number,
                task=task,
                derived=derived,
                explanation=explanation,
                override=override,
                final_model_label=task.model_label,
                warnings=" / ".join(shorts.get(code, code) for code in codes),
                why=_why(explanation),
                missing=_missing(explanation),
                reason=_reason(explanation),
                override_by=_author(override),
            )
        )
    return [dataclasses.replace(entry, text=_text(entry)) for entry in entries]


def _text(entry: TaskEntry) -> str:
    """What the task's second paragraph says after its figures, in sentences: why (the rule, the
    answers that weighed most), what is not answered, the inventory's notes."""
    if entry.explanation is None:
        parts = [
            _("Not checked yet: answer the core/non-core questions to get a verdict and a model.")
        ]
    else:
        parts = [entry.reason, entry.why]
        if entry.missing:
            parts.append(
                _("Not answered or “don't know”: %(questions)s.") % {"questions": entry.missing}
            )
    if entry.task.notes:
        parts.append(_("Notes: %(notes)s") % {"notes": entry.task.notes})
    return sentences(part for part in parts if part)


def _author(override: Override | None) -> str:
    if override is None:
        return ""
    if override.author is None:
        return _("a former user")
    return person_name(override.author)


def _why(explanation: explain.Explanation | None) -> str:
    """The answers that moved the suitability most, in words: up to two towards outsourcing and
    one towards keeping the task, each as its question and the answer given."""
    if explanation is None:
        return ""
    towards = [f for f in explanation.factors if f.points > 0][:2]
    against = [f for f in explanation.factors if f.points < 0][:1]
    parts = []
    if towards:
        parts.append(_("For outsourcing: %(answers)s.") % {"answers": listing(_answered(towards))})
    if against:
        parts.append(
            _("For keeping it in-house: %(answers)s.") % {"answers": listing(_answered(against))}
        )
    return sentences(parts)


def _missing(explanation: explain.Explanation | None) -> str:
    """The questions not answered (or “don't know”), quoted, in words."""
    if explanation is None:
        return ""
    return listing(_("“%(question)s”") % {"question": q} for _code, q in explanation.missing)


def _answered(factors: list[explain.Factor]) -> list[str]:
    return [
        _("“%(question)s” — %(answer)s") % {"question": f.question, "answer": f.answer}
        for f in factors
    ]


def _reason(explanation: explain.Explanation | None) -> str:
    """The rule's explanation; the verdict's reason too where the score alone does not say it
    (core, which may come from C1 and C2, and incomplete, which asks for answers)."""
    if explanation is None:
        return ""
    if explanation.rule_text and explanation.verdict not in (Verdict.CORE, Verdict.INCOMPLETE):
        return explanation.rule_text
    return sentences(filter(None, [explanation.verdict_reason, explanation.rule_text]))


def _warning_notes(entries: list[TaskEntry]) -> list[WarningNote]:
    counts: dict[str, int] = {}
    for entry in entries:
        if entry.explanation is not None:
            for warning in entry.explanation.warnings:
                counts[warning.code] = counts.get(warning.code, 0) + 1
    notes = []
    for code, count in counts.items():
        title, advice = explain.WARNINGS.get(code, (code, ""))
        notes.append(
            WarningNote(str(SHORT_WARNINGS.get(code, code)), str(title), str(advice), count)
        )
    return notes


def _departments(entries: list[TaskEntry]) -> list[Department]:
    """The tasks by department, departments in the order they first appear in the inventory."""
    grouped: dict[str, list[TaskEntry]] = {}
    for entry in entries:
        grouped.setdefault(entry.task.department, []).append(entry)
    return [
        Department(
            name,
            group,
            sum((e.derived.annual_hours or Decimal(0) for e in group), Decimal(0)),
        )
        for name, group in grouped.items()
    ]


def _verdict_counts(tasks: list[Task]) -> list[tuple[str, str, int]]:
    counts = {verdict: 0 for verdict in Verdict.values}
    unchecked = 0
    for task in tasks:
        if task.verdict:
            counts[task.verdict] = counts.get(task.verdict, 0) + 1
        else:
            unchecked += 1
    rows = [(verdict, choices.label(Verdict, verdict), count) for verdict, count in counts.items()]
    if unchecked:
        rows.append(("", _("Not checked yet"), unchecked))
    return rows


# --- packages and vendors --------------------------------------------------------------------


def _packages(
    assessment: Assessment,
    rows: list[tuple[Task, inventory.Derived]],
    on: datetime.date,
    viewer: Any,
) -> tuple[list[PackageEntry], sealing.ReportSeal]:
    """Each package's cost comparison, ranking and sensitivity, as `selection.package_selection`
    computes them, from the tasks already read and every package's bids in three queries; the
    seal from the same bids, so that it describes exactly what is shown."""
    by_package: dict[int | None, list[tuple[Task, inventory.Derived]]] = {}
    for task, derived in rows:
        by_package.setdefault(task.package_id, []).append((task, derived))
    # A package without tasks is no recommendation: left out (never "invite vendors" to it).
    packages = [
        package
        for package in assessment.packages.select_related("rfp")
        if by_package.get(package.pk)
    ]
    bids = selection.bids_by_package(assessment) if packages else {}  # by vendor name
    seal = sealing.report_seal(viewer, assessment, bids)
    if not packages:
        return [], seal
    weights = selection.weights_for(assessment)
    entries = []
    for package in packages:
        package.assessment = assessment  # read already: no query per package
        package_rows = by_package.get(package.pk, [])
        chosen = selection.selection_of(
            package, package_rows, bids.get(package.pk, []), weights, on
        )
        task_names = [task.task for task, _derived in package_rows]
        pending, prices = seal.pending(package.pk), seal.prices(package.pk)
        entry = (
            _sealed_entry(chosen, task_names, pending, prices)
            if pending or prices.hidden
            else _package_entry(seal.shown(chosen), task_names)
        )
        entries.append(
            dataclasses.replace(
                entry,
                pilot=any(_pilots(task) for task, _derived in package_rows),
                draft_ready=_has_draft(package),
                single_person=[t.task for t, d in package_rows if d.single_person_dependency],
                legal=legal_duties(package, package_rows),
            )
        )
    return entries, seal


def _pilots(task: Task) -> bool:
    result = task.current_result
    return result is not None and bool(result.detail.get("pilot")) and goes_to_a_vendor(task)


def _has_draft(package: Package) -> bool:
    try:
        return package.rfp is not None
    except ObjectDoesNotExist:
        return False


def _sealed_entry(
    chosen: selection.Selection,
    task_names: list[str],
    pending: list[Bid],
    prices: sealing.PriceSeal = sealing.OPEN,
) -> PackageEntry:
    """A package whose ranking is sealed for the reader: its quotes and costs, no ranking; and
    while its prices are blind to them (on the panel), not the costs either. What is left out
    is emptied here, so no template can print it."""
    lines = chosen.lines
    if prices.hidden:
        lines = [
            dataclasses.replace(line, comparison=None, horizon=None, saving=None) for line in lines
        ]
    blank = dataclasses.replace(
        chosen,
        lines=lines,
        ranking=[],
        sensitivity=scoring.Sensitivity(winners=(), stable=None),
        first_probabilities={},
    )
    return PackageEntry(
        selection=blank,
        ranking=[],
        chosen=None,
        unquoted=[line.bid.vendor.name for line in chosen.lines if not line.bid.has_quote],
        unscored=[],
        task_names=task_names,
        sealed=[bid.vendor.name for bid in pending],
        prices_hidden=prices.hidden,
        blind=[person_name(member) for member in prices.waiting] if prices.hidden else [],
    )


def _package_entry(chosen: selection.Selection, task_names: list[str]) -> PackageEntry:
    ranking = [
        RankingRow(
            row, selection.exclusions(row), chosen.line_for(row.name), selection.cautions(row)
        )
        for row in chosen.ranking
    ]
    first = next((row for row in ranking if row.vendor.rank == 1), None)
    costed = first if first and first.line and first.line.comparison else None
    return PackageEntry(
        selection=chosen,
        ranking=ranking,
        chosen=costed,
        economics=case.economics(chosen, key=str(chosen.package.pk)),
        unquoted=[line.bid.vendor.name for line in chosen.lines if not line.bid.has_quote],
        unscored=[
            row.vendor.name
            for row in ranking
            if row.vendor.total is None and not row.vendor.excluded
        ],
        task_names=task_names,
    )


def legal_duties(package: Package, rows: list[tuple[Task, inventory.Derived]]) -> list[str]:
    """The legal duties that follow from the package's kind and tasks, in words: personal data
    and My Numbers, licensed work, dispatch, work given to individuals."""
    tasks = [task for task, _derived in rows]
    duties = []
    if package.is_staffing:
        duties.append(
            _(
                "Dispatch (労働者派遣法): contract only with a licensed agency; tell it the 抵触日 "
                "when contracting; three years at most per workplace and per unit; no dispatch "
                "of workers employed for 30 days or less; do not select the workers yourself "
                "(特定目的行為)."
            )
        )
    else:
        duties.append(
            _(
                "Service contract (業務委託): manage the vendor by results and never direct its "
                "workers; the 告示37号 checklist above says whether the arrangement holds."
            )
        )
    if package.model == Outcome.CROWDSOURCING:
        duties.append(
            _(
                "Work given to individuals (フリーランス・事業者間取引適正化等法): state the "
                "work, the fee and the payment date in writing, and pay within 60 days of "
                "delivery."
            )
        )
    if any(task.confidentiality == "personal" for task in tasks):
        duties.append(
            _(
                "Personal data (個人情報保護法): supervise the vendor under a data-handling "
                "agreement (第25条); the vendor reports any leak to you at once, so that you can "
                "report it to the Personal Information Protection Commission (第26条); no "
                "transfer abroad without consent or equivalent measures (第28条)."
            )
        )
        facts = rfp.PackageFacts(
            organisation="",
            package=package.name,
            model=package.model,
            model_label="",
            tasks=[
                rfp.TaskLine(
                    t.department, t.process, t.task, None, None, licensed_work=t.licensed_work
                )
                for t in tasks
            ],
            annual_hours=Decimal(0),
            fte=Decimal(0),
            annual_cost=Decimal(0),
            confidentiality=frozenset(t.confidentiality for t in tasks),
        )
        if rfp.handles_my_number(facts):
            duties.append(
                _(
                    "My Numbers (番号法): the vendor uses them only for the procedures entrusted "
                    "to it and re-entrusts them only with your permission (第10条); you supervise "
                    "it (第11条)."
                )
            )
    licences = sorted({task.licensed_work for task in tasks if task.licensed_work})
    if licences:
        duties.append(
            _(
                "Licensed work (%(licences)s): only a vendor that itself holds the registration "
                "may do it for you."
            )
            % {"licences": listing(choices.label(choices.LicensedWork, key) for key in licences)}
        )
    return duties


def _with_reviews(
    entries: list[PackageEntry], rows: list[tuple[Task, inventory.Derived]]
) -> list[PackageEntry]:
    """Each outsourcing package with its 告示37号 checklist review, from the tasks already read."""
    by_package: dict[int | None, list[Task]] = {}
    for task, _derived in rows:
        by_package.setdefault(task.package_id, []).append(task)
    return [
        dataclasses.replace(
            entry, review=entry.package.independence_review(by_package.get(entry.package.pk, []))
        )
        if independence.applies(entry.package.model)
        else entry
        for entry in entries
    ]


# --- risks -----------------------------------------------------------------------------------

# code -> (title, what it is, what to do). Our wording of the risks of the source material: the
# five of knowledge-work outsourcing (quality, confidentiality, control, cost, skills) and two of
# outsourcing in Japan (black-boxing, disguised contracting).
RISKS: dict[str, tuple[Promise, Promise, Promise]] = {
    "disguised_contracting": (
        gettext_lazy("Disguised contracting (偽装請負)"),
        gettext_lazy(
            "Under a service contract the vendor directs its own staff. If your people give the "
            "vendor's workers day-to-day instructions, the work may be judged to be dispatch in "
            "fact, whatever the contract says, and dispatch without a licence is unlawful. Where "
            "the arrangement is found to have been made to evade the dispatch law, your company "
            "may also be deemed to have offered employment to those workers (労働者派遣法"
            "第40条の6第1項第5号)."
        ),
        gettext_lazy(
            "Manage the vendor by results (deliverables, quality, deadlines), never by instructing "
            "its workers. Where your staff must direct the work, use dispatch instead, or redesign "
            "the task so that instructions go through the vendor's own supervisor."
        ),
    ),
    "confidentiality": (
        gettext_lazy("Confidentiality and data security"),
        gettext_lazy(
            "Outsourced work means handing over data. However trustworthy the vendor, a leak of "
            "personal or confidential information cannot be ruled out, and it costs the company "
            "its customers' trust."
        ),
        gettext_lazy(
            "Require ISMS / ISO 27001 or the Privacy Mark (vendors without either are excluded "
            "automatically), give access only to the data the work needs, and put audit logs, "
            "re-subcontracting, incident reporting and deletion at the end of the contract in "
            "writing."
        ),
    ),
    "black_box": (
        gettext_lazy("Black-boxing of the work"),
        gettext_lazy(
            "When work stays with a vendor for years, its procedures and decision rules are no "
            "longer known inside the company: bringing it back or changing vendor becomes hard."
        ),
        gettext_lazy(
            "Have the vendor keep the manuals and decision rules up to date and hand them over, "
            "ask for regular reports, and keep an owner in-house who understands the work well "
            "enough to check it and take it back."
        ),
    ),
    "quality": (
        gettext_lazy("Quality and consistency"),
        gettext_lazy(
            "Outside the company, feedback takes longer and the vendor balances several clients: "
            "quality can drift from what your own team would deliver, especially in work that "
            "needs judgment."
        ),
        gettext_lazy(
            "Write the quality standard into the SLA with measurable indicators, check samples "
            "of the output, start with a pilot where the verdict is borderline, and review the "
            "indicators with the vendor every month."
        ),
    ),
    "skills": (
        gettext_lazy("Erosion of in-house skills"),
        gettext_lazy(
            "Work that is always done outside is no longer learnt inside: over time the company "
            "loses the skills it may need to judge the vendor's work or to grow."
        ),
        gettext_lazy(
            "Decide which skills must stay in the company, keep staff involved in reviewing and "
            "improving the outsourced work, and ask the vendor for knowledge transfer."
        ),
    ),
    "control": (
        gettext_lazy("Loss of control"),
        gettext_lazy(
            "Work done outside is out of direct reach: delays and mistakes are seen later and "
            "corrected more slowly, and your company is not always the vendor's first priority."
        ),
        gettext_lazy(
            "Agree expectations, service levels and deadlines before starting, set a fixed "
            "rhythm of reports and reviews, and keep exit and transfer terms in the contract."
        ),
    ),
    "cost": (
        gettext_lazy("Limits of cost saving"),
        gettext_lazy(
            "The quote is not the whole cost: communication, contract management, quality checks "
            "and rework stay with the client, and cutting cost at the expense of quality costs "
            "more later."
        ),
        gettext_lazy(
            "Compare quotes with the management overhead included (as this report does), check "
            "the initial fee's payback, and weigh quality and delivery alongside the price."
        ),
    ),
}
# The order of the executive summary when several apply: legal exposure first.
RISK_PRIORITY = (
    "disguised_contracting",
    "confidentiality",
    "black_box",
    "quality",
    "skills",
    "control",
    "cost",
)


def _count(
    rows: Iterable[tuple[Task, inventory.Derived]],
) -> tuple[int, Decimal]:
    rows = list(rows)
    hours = sum((derived.annual_hours or Decimal(0) for _task, derived in rows), Decimal(0))
    return len(rows), hours


def _warned(task: Task, code: str) -> bool:
    result = task.current_result
    return result is not None and code in result.detail.get("warnings", [])


def _tasks_words(count: int, hours: Decimal) -> dict[str, Any]:
    """A risk's tasks and hours, the hours to one decimal as every other figure of the report
    (assessments.templatetags.figures), so that the same hours read the same everywhere."""
    shown = hours.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return {"count": count, "hours": f"{shown:,.1f}"}


def _risks(
    candidates: list[tuple[Task, inventory.Derived]],
    packages: list[PackageEntry],
    overhead_rate: Decimal,
    totals: inventory.Totals,
) -> list[Risk]:
    """The seven risks, each with what in this inventory bears on it."""
    concerned = {
        "disguised_contracting": _disguised_concerned(candidates, packages),
        "confidentiality": [(t, d) for t, d in candidates if t.handles_sensitive_data],
        "black_box": [(t, d) for t, d in candidates if _warned(t, "black_box")],
        "quality": [
            (t, d)
            for t, d in candidates
            if t.judgment in ("medium", "high")
            or t.final_model == Outcome.KPO
            or t.verdict == Verdict.BORDERLINE
        ],
        "skills": [
            (t, d)
            for t, d in candidates
            if (t.expertise or 0) >= 3 or t.tacit_knowledge in ("medium", "high")
        ],
        "control": candidates,
        "cost": [],
    }
    evidence = {
        "disguised_contracting": ngettext(
            "%(count)s task (%(hours)s h a year) needs day-to-day instructions from your staff "
            "but would go to a vendor.",
            "%(count)s tasks (%(hours)s h a year) need day-to-day instructions from your staff "
            "but would go to a vendor.",
            len(concerned["disguised_contracting"]),
        ),
        "confidentiality": ngettext(
            "%(count)s task (%(hours)s h a year) going to a vendor handles confidential or "
            "personal data.",
            "%(count)s tasks (%(hours)s h a year) going to a vendor handle confidential or "
            "personal data.",
            len(concerned["confidentiality"]),
        ),
        "black_box": ngettext(
            "%(count)s task (%(hours)s h a year) going to a vendor relies on tacit knowledge or "
            "judgment that may leave with it.",
            "%(count)s tasks (%(hours)s h a year) going to a vendor rely on tacit knowledge or "
            "judgment that may leave with them.",
            len(concerned["black_box"]),
        ),
        "quality": ngettext(
            "%(count)s task (%(hours)s h a year) going to a vendor needs judgment, is knowledge "
            "work or is borderline.",
            "%(count)s tasks (%(hours)s h a year) going to a vendor need judgment, are knowledge "
            "work or are borderline.",
            len(concerned["quality"]),
        ),
        "skills": ngettext(
            "%(count)s task (%(hours)s h a year) going to a vendor needs expertise or tacit "
            "knowledge.",
            "%(count)s tasks (%(hours)s h a year) going to a vendor need expertise or tacit "
            "knowledge.",
            len(concerned["skills"]),
        ),
        "control": ngettext(
            "%(count)s task (%(hours)s h a year, %(share)s of the inventory's hours) would be "
            "run by vendors.",
            "%(count)s tasks (%(hours)s h a year, %(share)s of the inventory's hours) would be "
            "run by vendors.",
            len(concerned["control"]),
        ),
    }
    risks = []
    for code in RISK_PRIORITY:
        title, meaning, mitigation = RISKS[code]
        count, hours = _count(concerned[code])
        if code == "cost":
            # The limits of cost saving are outsourcing's; staffing packages are costed apart.
            words = _cost_evidence([e for e in packages if not e.staffing], overhead_rate)
        elif code == "disguised_contracting":
            # Never "no risk" while an outsourcing package's 告示37号 checklist is open.
            words = _disguised_evidence(candidates, packages)
        elif not count:
            words = _("No task of this inventory bears on it at present.")
        else:
            share = float(hours / totals.annual_hours) if totals.annual_hours else 0.0
            words = evidence[code] % {**_tasks_words(count, hours), "share": f"{share:.0%}"}
        risks.append(Risk(code, str(title), str(meaning), str(mitigation), words, count, hours))
    return risks


def _instructed(candidates: list[tuple[Task, inventory.Derived]]) -> list[tuple[Task, Any]]:
    return [(t, d) for t, d in candidates if _warned(t, "disguised_contracting")]


def _on_site(candidates: list[tuple[Task, inventory.Derived]]) -> list[tuple[Task, Any]]:
    return [(t, d) for t, d in candidates if t.on_site == choices.Presence.YES]


def _reviewed(packages: list[PackageEntry]) -> list[tuple[Package, independence.Review]]:
    return [(e.package, e.review) for e in packages if e.review is not None]


def _disguised_concerned(
    candidates: list[tuple[Task, inventory.Derived]], packages: list[PackageEntry]
) -> list[tuple[Task, inventory.Derived]]:
    """The outsourced tasks that bear on disguised contracting: those needing day-to-day
    instructions or done on the premises, and those of a package whose 告示37号 checklist is not
    answered or answered against the vendor's independence."""
    open_packages = {package.pk for package, review in _reviewed(packages) if not review.clear}
    flagged = {t.pk for t, _d in _instructed(candidates) + _on_site(candidates)}
    return [(t, d) for t, d in candidates if t.pk in flagged or t.package_id in open_packages]


def _disguised_evidence(
    candidates: list[tuple[Task, inventory.Derived]], packages: list[PackageEntry]
) -> str:
    """What bears on disguised contracting, in words: the tasks, then the packages' checklists.
    It says there is nothing to report only when every outsourcing package's checklist is
    answered in the vendor's favour and no task is directed by, or placed at, the client."""
    if not candidates:
        return _("No task of this inventory bears on it at present.")
    words = []
    instructed, on_site = _instructed(candidates), _on_site(candidates)
    if instructed:
        words.append(
            ngettext(
                "%(count)s task (%(hours)s h a year) needs day-to-day instructions from your "
                "staff but would go to a vendor.",
                "%(count)s tasks (%(hours)s h a year) need day-to-day instructions from your "
                "staff but would go to a vendor.",
                len(instructed),
            )
            % _tasks_words(*_count(instructed))
        )
    if on_site:
        words.append(
            ngettext(
                "%(count)s task going to a vendor is done on your premises (常駐): %(tasks)s.",
                "%(count)s tasks going to a vendor are done on your premises (常駐): %(tasks)s.",
                len(on_site),
            )
            % {"count": len(on_site), "tasks": listing([t.task for t, _d in on_site])}
        )
    reviewed = _reviewed(packages)
    against = [package.document_name for package, review in reviewed if review.against]
    unanswered = _unanswered_counts(
        [(package.document_name, review) for package, review in reviewed]
    )
    if against:
        words.append(
            _(
                "The 告示37号 checklist has answers against the vendor's independence in "
                "%(packages)s."
            )
            % {"packages": listing(against)}
        )
    if instructed or on_site or against:
        words.append(str(independence.CONSEQUENCE))
    if unanswered:
        words.append(
            _(
                "Unanswered items of the 告示37号 checklist remain (%(packages)s): until every "
                "item is answered, disguised contracting cannot be ruled out."
            )
            % {"packages": unanswered}
        )
    elif not reviewed:
        words.append(
            _(
                "The 告示37号 checklist is answered per sourcing package, and none has been made "
                "yet: the risk cannot be ruled out."
            )
        )
    elif not words:
        words.append(
            _(
                "No task needs day-to-day instructions from your staff or is done on your "
                "premises, and the 告示37号 checklist of every outsourcing package is answered "
                "in favour of the vendor's independence."
            )
        )
    return " ".join(words)


def _cost_evidence(packages: list[PackageEntry], overhead_rate: Decimal) -> str:
    words = [
        _("The comparison counts %(rate)s of each quote as your own management overhead.")
        % {"rate": f"{overhead_rate:.0%}"}
    ]
    losses = [
        entry.package.document_name
        for entry in packages
        if entry.saving is not None and entry.saving < 0
    ]
    slow = [
        entry.package.document_name
        for entry in packages
        if entry.chosen
        and entry.chosen.line
        and entry.chosen.line.comparison
        and entry.chosen.line.comparison.payback_months is not None
        and entry.chosen.line.comparison.payback_months > LONG_PAYBACK_MONTHS
    ]
    if losses:
        words.append(
            _(
                "With the first-ranked vendor's quote, these packages cost more than in-house: "
                "%(packages)s."
            )
            % {"packages": listing(losses)}
        )
    if slow:
        words.append(
            _("The initial fee takes more than two years to pay back in: %(packages)s.")
            % {"packages": listing(slow)}
        )
    return " ".join(words)


def _top_risks(risks: list[Risk], limit: int = 3) -> list[Risk]:
    """The risks that concern tasks of this inventory, legal exposure first."""
    return [risk for risk in risks if risk.tasks][:limit]


# --- next steps ------------------------------------------------------------------------------


def next_steps(report: Report) -> list[Step]:
    """What is missing before the recommendation can be acted on, in the order of the workflow."""
    steps: list[Step] = []
    totals = report.totals
    if not totals.tasks:
        return [
            Step(
                _("Take the work inventory"),
                _(
                    "List each task at the level of one unit of work, with how often it happens, "
                    "how long it takes and how many people it needs; then answer the ten-question "
                    "check for each."
                ),
            )
        ]
    if totals.tasks_without_volume:
        steps.append(
            Step(
                _("Complete the volumes"),
                ngettext(
                    "%(count)s task has no frequency or time: its hours and cost are not counted.",
                    "%(count)s tasks have no frequency or time: their hours and cost are not "
                    "counted.",
                    totals.tasks_without_volume,
                )
                % {"count": totals.tasks_without_volume},
            )
        )
    undecided = report.unchecked + report.incomplete
    if undecided:
        steps.append(
            Step(
                _("Finish the core/non-core check"),
                ngettext(
                    "%(count)s task has no verdict yet: answer its open questions to get a "
                    "verdict and a model.",
                    "%(count)s tasks have no verdict yet: answer their open questions to get a "
                    "verdict and a model.",
                    undecided,
                )
                % {"count": undecided},
            )
        )
    steps.extend(_disguised_steps(report))
    pilots = sum(
        1
        for department in report.departments
        for entry in department.entries
        if entry.explanation and entry.explanation.pilot and entry.outsourced
    )
    # The verdict breakdown counts every borderline task; the pilots are those of them going to a
    # vendor (the others stay in-house or wait): the step says so when the two differ.
    borderline = sum(
        count for code, _label, count in report.verdict_counts if code == Verdict.BORDERLINE
    )
    if pilots and pilots < borderline:
        steps.append(
            Step(
                _("Plan the pilots"),
                ngettext(
                    "%(count)s of the %(total)s borderline tasks goes to a vendor: outsource it "
                    "in part first, then widen it in steps.",
                    "%(count)s of the %(total)s borderline tasks go to a vendor: outsource them "
                    "in part first, then widen them in steps.",
                    pilots,
                )
                % {"count": pilots, "total": borderline},
            )
        )
    elif pilots:
        steps.append(
            Step(
                _("Plan the pilots"),
                ngettext(
                    "%(count)s borderline task should be outsourced in part first, then widened "
                    "in steps.",
                    "%(count)s borderline tasks should be outsourced in part first, then widened "
                    "in steps.",
                    pilots,
                )
                % {"count": pilots},
            )
        )
    if report.waiting:
        steps.append(
            Step(
                _("Group the candidates into sourcing packages"),
                ngettext(
                    "%(count)s task recommended for a vendor is in no package yet.",
                    "%(count)s tasks recommended for a vendor are in no package yet.",
                    len(report.waiting),
                )
                % {"count": len(report.waiting)},
            )
        )
    for entry in report.packages:
        steps.extend(_package_steps(entry))
    invited = any(entry.selection.lines for entry in report.outsourcing_packages)
    if report.candidates.tasks and not invited:
        steps.append(
            Step(
                _("Prepare the RFP and invite vendors"),
                _(
                    "Send the request for proposal of each package to candidate vendors, with the "
                    "scope, the service levels and the security requirements."
                ),
            )
        )
    if report.staffing.tasks and not any(e.selection.lines for e in report.staffing_packages):
        steps.append(
            Step(
                _("Prepare the staffing request and invite dispatching companies"),
                _(
                    "Send the staffing request (派遣依頼書) of each staffing package to licensed "
                    "dispatching companies: the work, the place, who directs the staff, the "
                    "period with its 抵触日, the number of staff and the hourly rate asked for."
                ),
            )
        )
    if report.readiness is None:
        steps.append(
            Step(
                _("Start the readiness checklist"),
                _(
                    "Go through the pre-introduction checklist (owners, status and notes) before "
                    "the transition."
                ),
            )
        )
    elif report.readiness.done < report.readiness.total:
        open_items = report.readiness.total - report.readiness.done
        steps.append(
            Step(
                _("Complete the readiness checklist"),
                ngettext(
                    "%(count)s item of the readiness checklist is still open.",
                    "%(count)s items of the readiness checklist are still open.",
                    open_items,
                )
                % {"count": open_items},
            )
        )
    if not steps:
        steps.append(
            Step(
                _("Decide and contract"),
                _(
                    "Every package has a ranked, costed vendor: confirm the choice with "
                    "management, agree the SLA and KPIs, and plan the transition with a parallel "
                    "run."
                ),
            )
        )
    return steps


def _disguised_steps(report: Report) -> list[Step]:
    """Disguised contracting before any contract: the directed tasks, the packages whose 告示37号
    checklist answers against the vendor's independence, and those not answered yet."""
    steps = []
    directed = sum(
        1
        for department in report.departments
        for entry in department.entries
        if entry.outsourced and _warned(entry.task, "disguised_contracting")
    )
    if directed:
        steps.append(
            Step(
                _("Resolve the disguised-contracting risk"),
                ngettext(
                    "Before any contract, decide for %(count)s task whether it goes to dispatch "
                    "or is redesigned so the vendor directs its own staff.",
                    "Before any contract, decide for %(count)s tasks whether they go to dispatch "
                    "or are redesigned so the vendor directs its own staff.",
                    directed,
                )
                % {"count": directed},
            )
        )
    reviewed = [
        (e.package.document_name, e.review) for e in report.packages if e.review is not None
    ]
    warned = [name for name, review in reviewed if review.warns]
    if warned:
        steps.append(
            Step(
                _("Correct the arrangement of %(packages)s") % {"packages": listing(warned)},
                _(
                    "The 告示37号 checklist or the tasks point to disguised contracting. Before "
                    "any contract, arrange the work so that the vendor directs, manages and "
                    "equips its own workers, or contract it as dispatch with a licensed company."
                ),
            )
        )
    unanswered = _unanswered_counts(reviewed)
    if unanswered:
        steps.append(
            Step(
                _("Answer the 告示37号 checklist"),
                _("Unanswered items remain (%(packages)s).") % {"packages": unanswered},
            )
        )
    return steps


def _unanswered_counts(reviewed: list[tuple[str, independence.Review]]) -> str:
    """The packages whose 告示37号 checklist has items not answered yet, each with how many
    (“BPO: HR”: 6 items), in words; "" when every checklist is complete."""
    return listing(
        [
            ngettext("“%(package)s”: %(count)s item", "“%(package)s”: %(count)s items", len(open_))
            % {"package": name, "count": len(open_)}
            for name, review in reviewed
            if (open_ := review.unanswered)
        ]
    )


def _package_steps(entry: PackageEntry) -> list[Step]:
    name = entry.package.document_name
    chosen = entry.selection
    if not chosen.lines and entry.staffing:
        return [
            Step(
                _("Ask staffing agencies for quotes for “%(package)s”") % {"package": name},
                _("No staffing agency has been asked for a quote for this package yet."),
            )
        ]
    if not chosen.lines:
        return [
            Step(
                _("Invite vendors to “%(package)s”") % {"package": name},
                _("No vendor is invited to this package yet."),
            )
        ]
    steps = []
    if entry.sealed:
        steps.append(
            Step(
                _("Submit your scores for “%(package)s”") % {"package": name},
                _(
                    "The ranking is left out of your report until you have submitted your own "
                    "scores for every invited vendor. Still to submit: %(vendors)s."
                )
                % {"vendors": listing(entry.sealed)},
            )
        )
    elif entry.prices_hidden:
        steps.append(
            Step(
                _("Wait for the evaluation panel of “%(package)s”") % {"package": name},
                _(
                    "The prices and the ranking are left out of your report until every member "
                    "of the panel has submitted. Still scoring: %(members)s."
                )
                % {"members": listing(entry.blind)},
            )
        )
    if entry.unquoted:
        steps.append(
            Step(
                _("Get quotes for “%(package)s”") % {"package": name},
                _("No quote yet from: %(vendors)s.") % {"vendors": listing(entry.unquoted)},
            )
        )
    if entry.unscored:
        steps.append(
            Step(
                _("Score the vendors of “%(package)s”") % {"package": name},
                _("Nobody has scored yet: %(vendors)s.") % {"vendors": listing(entry.unscored)},
            )
        )
    if entry.withheld:
        return steps  # the sensitivity is not known to the reader
    if chosen.sensitivity.stable is None and chosen.lines and not entry.unscored:
        steps.append(
            Step(
                _("Find an eligible vendor for “%(package)s”") % {"package": name},
                _("Every invited vendor is excluded: invite vendors that meet the requirements."),
            )
        )
    elif chosen.sensitivity.stable is False:
        steps.append(
            Step(
                _("Confirm the criteria weights of “%(package)s”") % {"package": name},
                _(
                    "The winner changes when a single weight moves by 10 points: agree the "
                    "weights with management before deciding."
                ),
            )
        )
    return steps


# --- the conclusion ----------------------------------------------------------------------------


def conclusion(report: Report) -> Conclusion:
    """The first page: the outsourcing packages with their recommended vendors (or what is
    missing to choose one), what they save over the horizon with its range, what they cost to
    start, and the decisions to take now."""
    lines = [_line(entry) for entry in report.outsourcing_packages]
    staffing = [_line(entry) for entry in report.staffing_packages]
    costed = [line for line in lines if line.horizon is not None]
    ranges = [line.range for line in costed]
    complete = bool(costed) and all(r is not None for r in ranges)
    probabilities = [r.p_positive for r in ranges if r is not None]
    entries = [line.entry for line in lines]
    made = Conclusion(
        lines=lines,
        staffing_lines=staffing,
        tasks=sum((e.selection.totals.tasks for e in entries), 0),
        hours=sum((e.selection.totals.annual_hours for e in entries), Decimal(0)),
        fte=report.released_fte,
        years=report.horizon_years,
        saving=sum((line.horizon.saving for line in costed), Decimal(0)) if costed else None,
        saving_low=sum((r.horizon[0] for r in ranges if r), Decimal(0)) if complete else None,
        saving_high=sum((r.horizon[2] for r in ranges if r), Decimal(0)) if complete else None,
        lowest_probability=min(probabilities) if probabilities else None,
        start_up=sum((line.horizon.start_up for line in costed), Decimal(0)) if costed else None,
        costed=len(costed),
        decisions=decisions(report, lines, staffing),
    )
    return dataclasses.replace(made, headline=_headline(made, report.sealed, report.blind))


def _headline(made: Conclusion, sealed: bool, blind: bool = False) -> str:
    if not made.lines:
        return ""
    what = ngettext(
        "We recommend outsourcing one package: %(tasks)s tasks, %(hours)s hours a year, "
        "releasing %(fte)s FTE of your staff.",
        "We recommend outsourcing %(count)s packages: %(tasks)s tasks, %(hours)s hours a year, "
        "releasing %(fte)s FTE of your staff.",
        len(made.lines),
    ) % {
        "count": len(made.lines),
        "tasks": made.tasks,
        "hours": case.hours(made.hours),
        "fte": case.fte(made.fte),
    }
    saving = _saving_sentence(made, len(made.lines))
    if not saving:
        saving = (
            _("The saving is shown once the evaluation panel has submitted its scores.")
            if blind
            else _("The saving is shown once you have submitted your scores for the vendors.")
            if sealed
            else _(
                "The saving is known once vendors have quoted and one is ranked first in each "
                "package."
            )
        )
    return sentences([what, saving])


def _saving_sentence(made: Conclusion, packages: int) -> str:
    """What the packages with a vendor chosen save over the horizon, with the range and the
    start-up cost; what is missing while none has one."""
    if made.saving is None:
        return ""
    values = {
        "saving": case.yen(made.saving),
        "loss": case.yen(-made.saving),
        "years": made.years,
        "low": case.yen(made.saving_low),
        "high": case.yen(made.saving_high),
        "start_up": case.yen(made.start_up),
        "costed": made.costed,
        "packages": packages,
    }
    if made.saving <= 0:
        words = _(
            "With the vendors chosen so far, outsourcing costs %(loss)s more than keeping the "
            "work over %(years)s years."
        )
    elif made.saving_low is not None:
        words = _(
            "With the vendors chosen so far, it saves %(saving)s over %(years)s years (P10–P90: "
            "%(low)s to %(high)s), for a start-up cost of %(start_up)s."
        )
    else:
        words = _(
            "With the vendors chosen so far, it saves %(saving)s over %(years)s years, for a "
            "start-up cost of %(start_up)s."
        )
    words = words % values
    if made.costed < packages:
        words = sentences(
            [
                words,
                _("A vendor is chosen in %(costed)s of the %(packages)s packages.") % values,
            ]
        )
    return words


def _line(entry: PackageEntry) -> ConclusionLine:
    vendor = entry.economics.vendor if entry.economics is not None else ""
    return ConclusionLine(entry, vendor, entry.vendor_missing)


def _vendor_missing(entry: PackageEntry) -> str:
    """Why a package has no recommended vendor yet, in words."""
    if entry.sealed:
        return _("Your own scores are still to be submitted: %(vendors)s.") % {
            "vendors": listing(entry.sealed)
        }
    if entry.prices_hidden:
        return _("The evaluation panel is still scoring: %(members)s.") % {
            "members": listing(entry.blind)
        }
    if not entry.selection.lines:
        if entry.staffing:
            return _("No staffing agency has been asked for a quote yet.")
        return _("No vendor has been invited yet.")
    if entry.ranking and all(row.vendor.excluded for row in entry.ranking):
        return _("Every invited vendor is excluded.")
    missing = []
    if entry.unquoted:
        missing.append(_("quotes from %(vendors)s") % {"vendors": listing(entry.unquoted)})
    if entry.unscored:
        missing.append(_("scores for %(vendors)s") % {"vendors": listing(entry.unscored)})
    if missing:
        return _("Still missing: %(what)s.") % {"what": listing(missing)}
    return _("No vendor can be ranked first yet.")


MAX_DECISIONS = 6


def decisions(
    report: Report, lines: list[ConclusionLine], staffing: list[ConclusionLine]
) -> list[Step]:
    """What management decides now, in order: the legal blockers; the packages to approve with
    their vendors and start-up budget (one decision); each package whose best quote costs more
    than in-house; the vendor selections to authorise; staffing; the sequence; the weights where
    the winner is fragile. At most MAX_DECISIONS: the detail is in the chapters."""
    found = _legal_decisions(report)
    approved = [line for line in lines if line.horizon is not None and line.horizon.saving > 0]
    losses = [line for line in lines if line.horizon is not None and line.horizon.saving <= 0]
    open_ = [line for line in lines if line.horizon is None]
    if approved:
        found.append(_approval(approved))
    for line in losses:
        found.append(
            Step(
                _("Decide whether to outsource “%(package)s”")
                % {"package": line.entry.package.document_name},
                _(
                    "With %(vendor)s it costs %(loss)s more than in-house over %(years)s "
                    "years: negotiate the quote, widen the scope or keep the work."
                )
                % {
                    "vendor": line.vendor,
                    "loss": case.yen(-line.horizon.saving),
                    "years": line.horizon.years,
                },
            )
        )
    if open_:
        found.append(
            Step(
                _("Authorise the vendor selection for %(packages)s")
                % {
                    "packages": listing(
                        case.quoted(line.entry.package.document_name) for line in open_
                    )
                },
                sentences(
                    _("“%(package)s”: %(missing)s")
                    % {"package": line.entry.package.document_name, "missing": line.missing}
                    for line in open_
                ),
            )
        )
    chosen = [line for line in staffing if line.vendor]
    if chosen:
        found.append(
            Step(
                _("Approve the staffing requests: %(packages)s")
                % {
                    "packages": listing(
                        f"{case.quoted(line.entry.package.document_name)} ({line.vendor})"
                        for line in chosen
                    )
                },
                _("Dispatched staff work under your own supervisors' direction."),
            )
        )
    if len(report.roadmap.lanes) > 1:
        first = report.roadmap.lanes[0]
        found.append(
            Step(
                _("Agree the sequence: “%(package)s” first") % {"package": first.plan.name},
                _("The roadmap reaches steady state in every package by month %(month)s.")
                % {"month": max(lane.steady_from for lane in report.roadmap.lanes)},
            )
        )
    for line in lines:
        chosen = line.entry.selection
        found_flip = chosen.sensitivity
        if line.vendor and found_flip.smallest is not None and found_flip.stable is False:
            found.append(
                Step(
                    _("Confirm the weights of “%(package)s”")
                    % {"package": line.entry.package.document_name},
                    case.flip_words(chosen),
                )
            )
    return found[:MAX_DECISIONS]


def _approval(approved: list[ConclusionLine]) -> Step:
    """One decision for the packages worth outsourcing: each with its vendor, and the saving and
    start-up budget they come to together."""
    saving = sum((line.horizon.saving for line in approved), Decimal(0))
    start_up = sum((line.horizon.start_up for line in approved), Decimal(0))
    if len(approved) == 1:
        title = _("Approve outsourcing “%(package)s” to %(vendor)s") % {
            "package": approved[0].entry.package.document_name,
            "vendor": approved[0].vendor,
        }
    else:
        title = _("Approve outsourcing %(packages)s to their recommended vendors") % {
            "packages": listing(case.quoted(line.entry.package.document_name) for line in approved)
        }
    detail = _(
        "Saves %(saving)s over %(years)s years; a start-up budget of %(start_up)s (initial fees "
        "with their tax, and the in-house cost of the parallel runs)."
    ) % {
        "saving": case.yen(saving),
        "years": approved[0].horizon.years,
        "start_up": case.yen(start_up),
    }
    return Step(title, detail)


def _legal_decisions(report: Report) -> list[Step]:
    """Disguised contracting, as management decides it: the directed work and the packages
    whose arrangement speaks against the vendor's independence. An unanswered checklist is the
    consultant's to finish (next steps, risks), not a decision."""
    steps = []
    directed = sum(
        1
        for department in report.departments
        for entry in department.entries
        if entry.outsourced and _warned(entry.task, "disguised_contracting")
    )
    if directed:
        steps.append(
            Step(
                _("Decide how the directed work is contracted"),
                ngettext(
                    "%(count)s task needs day-to-day instructions from your staff: contract it "
                    "as dispatch, or redesign it so that the vendor directs its own staff.",
                    "%(count)s tasks need day-to-day instructions from your staff: contract "
                    "them as dispatch, or redesign them so that the vendor directs its own staff.",
                    directed,
                )
                % {"count": directed},
            )
        )
    against = [
        entry.package.document_name
        for entry in report.outsourcing_packages
        if entry.review is not None and entry.review.against
    ]
    if against:
        steps.append(
            Step(
                _("Correct the arrangement of %(packages)s before contracting")
                % {"packages": listing(case.quoted(name) for name in against)},
                _("The 告示37号 checklist speaks against the vendor's independence."),
            )
        )
    return steps
