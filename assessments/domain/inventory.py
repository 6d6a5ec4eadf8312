"""Volume and cost of the work inventory (SPEC 4.2) as pure functions over plain data.

No database, no request: the views, the importer and the command line all call these."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from outsourcing_advisor.common import defaults
from outsourcing_advisor.common.wording import percentages, rounded_to_total

PERIODS_PER_YEAR: dict[str, int | None] = {
    "daily": None,  # the organisation's working days
    "weekly": 52,
    "monthly": 12,
    "quarterly": 4,
    "semiannual": 2,
    "yearly": 1,
    "ad_hoc": 1,  # occurrences are given per year
}

DEFAULT_WORKING_DAYS = defaults.WORKING_DAYS
DEFAULT_YEARLY_HOURS = defaults.YEARLY_HOURS
DEFAULT_HOURLY_COST = defaults.HOURLY_COST


@dataclass(frozen=True)
class OrgSettings:
    working_days: int = DEFAULT_WORKING_DAYS
    yearly_hours: int = DEFAULT_YEARLY_HOURS
    hourly_cost: Decimal = DEFAULT_HOURLY_COST

    @classmethod
    def of(cls, organisation: Any) -> OrgSettings:
        """The figures an organisation record holds (anything with these three attributes)."""
        return cls(organisation.working_days, organisation.yearly_hours, organisation.hourly_cost)


@dataclass(frozen=True)
class Volume:
    """The attributes of one task that its hours and cost depend on."""

    frequency: str = ""
    occurrences: Decimal | None = Decimal(1)
    minutes: Decimal | None = None
    people: Decimal | int | None = 1  # may be fractional: 0.5 for a person shared by two tasks
    hourly_cost: Decimal | None = None
    people_able: int | None = None
    days_per_year: int | None = None  # daily work: its own days a year (365), else the org's
    stated_hours: Decimal | None = None  # annual hours the sheet states (SPEC 4.2); they win


@dataclass(frozen=True)
class Derived:
    annual_occurrences: Decimal | None
    annual_hours: Decimal | None
    fte: Decimal | None
    annual_cost: Decimal | None
    hourly_cost: Decimal
    single_person_dependency: bool


def derive(volume: Volume, org: OrgSettings) -> Derived:
    """Annual occurrences, hours, FTE and cost of one task; None where an input is missing.
    Stated annual hours, when the task has them, are its hours; else occurrences × minutes ×
    people."""
    hourly_cost = volume.hourly_cost if volume.hourly_cost is not None else org.hourly_cost
    dependency = volume.people_able is not None and volume.people_able <= 1
    occurrences = annual_occurrences(volume, org)
    annual_hours = volume.stated_hours
    if annual_hours is None:
        annual_hours = computed_hours(volume, occurrences)
    if annual_hours is None:
        return Derived(occurrences, None, None, None, hourly_cost, dependency)
    fte = annual_hours / org.yearly_hours if org.yearly_hours else None
    return Derived(
        occurrences, annual_hours, fte, annual_hours * hourly_cost, hourly_cost, dependency
    )


def computed_hours(volume: Volume, annual_occurrences: Decimal | None) -> Decimal | None:
    """Annual occurrences × minutes × people / 60: the hours the parts give, None without them."""
    if annual_occurrences is None or volume.minutes is None:
        return None
    people = volume.people if volume.people is not None else 1
    return annual_occurrences * volume.minutes * people / 60


def annual_occurrences(volume: Volume, org: OrgSettings) -> Decimal | None:
    """Occurrences per period × periods per year (daily: the task's days, else the org's)."""
    if volume.frequency not in PERIODS_PER_YEAR:
        return None
    occurrences = volume.occurrences if volume.occurrences is not None else Decimal(1)
    periods = PERIODS_PER_YEAR[volume.frequency]
    if periods is None:
        periods = volume.days_per_year or org.working_days
    return occurrences * periods


class Plausibility(StrEnum):
    """What looks wrong with the figures (SPEC 4.2): warnings, never a reason to refuse them."""

    LONG_OCCURRENCE = "long_occurrence"  # one occurrence longer than a person's working year
    ABOVE_HEADCOUNT = "above_headcount"  # more hours than the indirect staff work, by over 20%
    BELOW_HEADCOUNT = "below_headcount"  # under half of them: probably incomplete


# The inventory's hours against what the indirect departments work in a year (headcount × yearly
# hours): the 産業能率大学 method checks the survey against 勤務実績 the same way.
ABOVE_HEADCOUNT_RATIO = Decimal("1.2")
BELOW_HEADCOUNT_RATIO = Decimal("0.5")


@dataclass(frozen=True)
class Implausible:
    """One warning with its figures; worded at display (codes are kept, words are made)."""

    code: Plausibility
    figure: Decimal  # the minutes of one occurrence, or the inventory's annual hours
    limit: Decimal  # the minutes of a working year, or the hours the indirect staff work a year
    task: str = ""  # the task a long occurrence belongs to

    @property
    def ratio(self) -> Decimal:
        return self.figure / self.limit


def plausibility(
    minutes: Iterable[tuple[str, Decimal | None]],
    total_hours: Decimal,
    indirect_headcount: int | None,
    org: OrgSettings,
) -> list[Implausible]:
    """Warnings about implausible figures: each task (name, minutes per occurrence) whose one
    occurrence outlasts a person's working year, in the order given; then the inventory's total
    hours far above or below the indirect headcount × yearly hours, unless the headcount is
    unknown (or zero: there is nothing to compare with) or nothing has hours yet."""
    found = []
    if org.yearly_hours:
        year = Decimal(org.yearly_hours) * 60
        found += [
            Implausible(Plausibility.LONG_OCCURRENCE, value, year, name)
            for name, value in minutes
            if value is not None and value > year
        ]
    if not indirect_headcount or not org.yearly_hours or not total_hours:
        return found
    capacity = Decimal(indirect_headcount) * org.yearly_hours
    if total_hours > capacity * ABOVE_HEADCOUNT_RATIO:
        found.append(Implausible(Plausibility.ABOVE_HEADCOUNT, total_hours, capacity))
    elif total_hours < capacity * BELOW_HEADCOUNT_RATIO:
        found.append(Implausible(Plausibility.BELOW_HEADCOUNT, total_hours, capacity))
    return found


class IndirectBand(StrEnum):
    HEALTHY = "healthy"  # about 10% or less
    ELEVATED = "elevated"  # between the two reference points
    HARMFUL = "harmful"  # 20% or more: hurts profit
    UNKNOWN = "unknown"


HEALTHY_RATIO = Decimal("0.10")
HARMFUL_RATIO = Decimal("0.20")


@dataclass(frozen=True)
class IndirectRatio:
    ratio: Decimal | None
    band: IndirectBand

    def scale_position(self, scale_end: Decimal = Decimal("0.30")) -> float:
        """Where the ratio sits on a 0..scale_end gauge, in percent of its width."""
        if self.ratio is None:
            return 0.0
        return float(min(self.ratio / scale_end, Decimal(1)) * 100)


def indirect_ratio(indirect_headcount: int | None, employee_count: int | None) -> IndirectRatio:
    """The share of staff in indirect departments, against the 10% / 20% reference points."""
    if not employee_count or indirect_headcount is None:
        return IndirectRatio(None, IndirectBand.UNKNOWN)
    return _banded(Decimal(indirect_headcount) / Decimal(employee_count))


def indirect_ratio_after(
    indirect_headcount: int | None, employee_count: int | None, released_fte: Decimal
) -> IndirectRatio:
    """The ratio once the outsourced work's released FTE leave the indirect departments
    (redeployed to direct work, or not replaced): (indirect − released) / employees, never below
    0. Employees stay the same: the people move to other work, the company keeps them. Dispatch
    releases nobody: dispatched workers work in the department."""
    if not employee_count or indirect_headcount is None:
        return IndirectRatio(None, IndirectBand.UNKNOWN)
    remaining = max(Decimal(indirect_headcount) - max(released_fte, Decimal(0)), Decimal(0))
    return _banded(remaining / Decimal(employee_count))


def _banded(ratio: Decimal) -> IndirectRatio:
    if ratio >= HARMFUL_RATIO:
        band = IndirectBand.HARMFUL
    elif ratio > HEALTHY_RATIO:
        band = IndirectBand.ELEVATED
    else:
        band = IndirectBand.HEALTHY
    return IndirectRatio(ratio, band)


@dataclass(frozen=True)
class Row:
    """One task with what the aggregates group it by."""

    department: str
    category: str
    derived: Derived
    model: str = ""  # the recommended (or overridden) model's label, "" while undecided
    verdict: str = ""  # core / non_core / borderline / incomplete, "" before the check
    standardizable: str = ""  # the answer to "can it be standardised?": yes / partly / no
    model_key: str = ""  # the recommended (or overridden) model's key, "" while undecided


@dataclass(frozen=True)
class Group:
    name: str
    tasks: int
    annual_hours: float
    fte: float
    annual_cost: float
    share: float  # of all annual hours
    # The figures as shown: hours to 0.1, FTE to 0.01, yen to 1 and the share in percent to 0.1,
    # each column adding up to its total as shown (largest remainder), where rounding each
    # group alone can make 99.9% or 100.1%, or a total a yen off the rows above it.
    percent: Decimal = Decimal(0)
    hours_shown: Decimal = Decimal(0)
    fte_shown: Decimal = Decimal(0)
    cost_shown: Decimal = Decimal(0)
    undecided: bool = False  # the tasks without a model yet (model_breakdown)


@dataclass(frozen=True)
class Totals:
    tasks: int
    tasks_without_volume: int
    annual_hours: Decimal
    fte: Decimal
    annual_cost: Decimal
    single_person_dependencies: int


def totals(rows: Iterable[Row]) -> Totals:
    return derived_totals(row.derived for row in rows)


def derived_totals(rows: Iterable[Derived]) -> Totals:
    """`totals` from each task's hours and cost, all it needs: a caller with these at hand need
    not label every task first."""
    count = missing = dependencies = 0
    hours = fte = cost = Decimal(0)
    for derived in rows:
        count += 1
        dependencies += derived.single_person_dependency
        if derived.annual_hours is None:
            missing += 1
            continue
        hours += derived.annual_hours
        fte += derived.fte or 0
        cost += derived.annual_cost or 0
    return Totals(count, missing, hours, fte, cost, dependencies)


@dataclass(frozen=True)
class Sourcing:
    """What goes to vendors, in two kinds that are never added up (SPEC 4.4): outsourcing (the
    work moves out) and external staffing (dispatch: people come in, directed by the client);
    and the rest of the inventory, so that the four add up to it: the work kept in-house, and
    the work without a model yet."""

    outsourcing: Totals
    staffing: Totals
    outsourcing_share: float  # of all annual hours
    staffing_share: float
    in_house: Totals = Totals(0, 0, Decimal(0), Decimal(0), Decimal(0), 0)
    undecided: Totals = Totals(0, 0, Decimal(0), Decimal(0), Decimal(0), 0)
    # The four shares as shown, in percent to one decimal, adding up to 100.0 (largest
    # remainder): outsourcing, staffing, in-house, undecided.
    percents: tuple[Decimal, ...] = (Decimal(0),) * 4

    @property
    def outsourcing_percent(self) -> Decimal:
        return self.percents[0]

    @property
    def staffing_percent(self) -> Decimal:
        return self.percents[1]

    @property
    def in_house_percent(self) -> Decimal:
        return self.percents[2]

    @property
    def undecided_percent(self) -> Decimal:
        return self.percents[3]


def sourcing(
    rows: Iterable[Row], outsourcing: Collection[str], staffing: Collection[str]
) -> Sourcing:
    """The totals of the rows whose model key is an outsourcing model, of those whose model is
    a staffing model, of those with another model (in-house) and of those with none yet; the
    shares are of every row's hours."""
    rows = list(rows)
    everything = totals(rows)
    out = totals(row for row in rows if row.model_key in outsourcing)
    staff = totals(row for row in rows if row.model_key in staffing)
    kept = totals(
        row
        for row in rows
        if row.model_key and row.model_key not in outsourcing and row.model_key not in staffing
    )
    undecided = totals(row for row in rows if not row.model_key)
    hours = everything.annual_hours
    parts = [out.annual_hours, staff.annual_hours, kept.annual_hours, undecided.annual_hours]
    return Sourcing(
        out,
        staff,
        float(out.annual_hours / hours) if hours else 0.0,
        float(staff.annual_hours / hours) if hours else 0.0,
        kept,
        undecided,
        tuple(percentages(parts)),
    )


def breakdown(rows: list[Row], by: str) -> list[Group]:
    """Hours, FTE and cost grouped by `department` or `category`, largest first (then the group
    with more tasks; then the one met first). The sums are exact (Decimal, as `totals` adds
    them), given as floats for the tables and charts; every row is in a group, so the groups
    add up to the inventory's totals."""
    return _groups([(getattr(row, by), row) for row in rows])


def model_breakdown(rows: list[Row], *, incomplete: str, unchecked: str) -> list[Group]:
    """`breakdown` by the model that will be used, every task included: after the models, the
    tasks without one yet, in a group named `incomplete` (the check lacks answers) and one named
    `unchecked` (not checked at all), so that the table adds up to the inventory's totals and
    never looks empty while there are tasks."""
    decided = [(row.model, row) for row in rows if row.model]
    waiting = [
        (incomplete if row.verdict == "incomplete" else unchecked, row)
        for row in rows
        if not row.model
    ]
    return _groups(decided, waiting)


def _groups(*parts: list[tuple[str, Row]]) -> list[Group]:
    """The groups of each part, largest first within it, parts in the order given (after the
    first, they are `undecided`); shares are of every part's hours."""
    found: list[tuple[bool, str, list[Any]]] = []
    total_hours = Decimal(0)
    for index, part in enumerate(parts):
        groups: dict[str, list[Any]] = {}  # name -> [tasks, hours, FTE, cost]
        for name, row in part:
            derived = row.derived
            group = groups.setdefault(name, [0, Decimal(0), Decimal(0), Decimal(0)])
            group[0] += 1
            group[1] += derived.annual_hours or 0
            group[2] += derived.fte or 0
            group[3] += derived.annual_cost or 0
            total_hours += derived.annual_hours or 0
        ordered = sorted(groups.items(), key=lambda item: (-item[1][1], -item[1][0]))
        found += [(index > 0, name, sums) for name, sums in ordered]
    columns = list(zip(*(sums for _undecided, _name, sums in found), strict=True)) or [()] * 4
    # Each column as shown (hours to 0.1, FTE to 0.01, yen to 1), adding up to its total as
    # shown: a table of groups ends with the inventory's totals row, and reconciles with it.
    hours_shown = _apportioned(columns[1], 1)
    fte_shown = _apportioned(columns[2], 2)
    cost_shown = _apportioned(columns[3], 0)
    shown = percentages(list(columns[1]))
    return [
        Group(
            name=str(name),
            tasks=tasks,
            annual_hours=float(hours),
            fte=float(fte),
            annual_cost=float(cost),
            share=float(hours / total_hours) if total_hours else 0.0,
            percent=shown[index],
            hours_shown=hours_shown[index],
            fte_shown=fte_shown[index],
            cost_shown=cost_shown[index],
            undecided=undecided,
        )
        for index, (undecided, name, (tasks, hours, fte, cost)) in enumerate(found)
    ]


def _apportioned(values: Sequence[Decimal], places: int) -> list[Decimal]:
    """The values to `places` decimals, adding up to their sum rounded (half up) once."""
    total = sum(values, Decimal(0)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return rounded_to_total(list(values), total, places)


QUADRANT_VERDICTS = ("non_core", "borderline", "core")
QUADRANT_STANDARDIZABLE = ("yes", "partly", "no")


@dataclass(frozen=True)
class Cell:
    tasks: int = 0
    annual_hours: Decimal = Decimal(0)


@dataclass(frozen=True)
class Quadrant:
    """Tasks and hours by verdict (rows) and standardisability (columns)."""

    cells: dict[tuple[str, str], Cell]
    unplaced: int  # checked tasks still incomplete, or whose standardisability is not known
    unplaced_hours: Decimal = Decimal(0)  # their hours: the cells and these make the total

    def row(self, verdict: str) -> list[Cell]:
        return [self.cells[verdict, s] for s in QUADRANT_STANDARDIZABLE]


def quadrant(rows: Iterable[Row]) -> Quadrant:
    cells = {(v, s): Cell() for v in QUADRANT_VERDICTS for s in QUADRANT_STANDARDIZABLE}
    unplaced = 0
    unplaced_hours = Decimal(0)
    for row in rows:
        key = (row.verdict, row.standardizable)
        if key not in cells:
            unplaced += 1
            unplaced_hours += row.derived.annual_hours or 0
            continue
        cell = cells[key]
        cells[key] = Cell(cell.tasks + 1, cell.annual_hours + (row.derived.annual_hours or 0))
    return Quadrant(cells, unplaced, unplaced_hours)
