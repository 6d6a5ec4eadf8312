"""The portfolio home (issue 18): where each assessment a person may see stands, across their
organisations, and the departments of one organisation compared.

Everything is read in a fixed number of queries, whatever the number of assessments and tasks:
the stepper's facts of every assessment at once (`progress.workflow_facts_of`), and each
assessment's (or department's) hours and cost as sums the database makes (`task_sums`). The
sums are `inventory.derive`'s figures written in SQL (`annual_minutes`): the overview derives
each task in Python, which for the 20,000 tasks of fifty assessments would take longer than the
page may; tests/assessments/test_portfolio.py holds the two equal.

What could go to outside providers is the overview's own: the hours of the tasks whose model
(the override's, else the recommendation's) is an outsourcing model; external staffing
(dispatch) is not outsourcing and is not in it (SPEC 4.4). The saving needs vendors' quotes and
a ranking (a package's vendor page): the portfolio gives, honestly named, what the candidates
cost in-house a year."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Context, Decimal
from typing import Any

from django.db import models
from django.db.models import Case, Count, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce, NullIf

from assessments.domain.classification import OUTSOURCED
from assessments.domain.inventory import PERIODS_PER_YEAR
from assessments.domain.workflow import Step, workflow_steps
from assessments.models import Assessment, Task
from assessments.reporting.progress import workflow_facts_of
from outsourcing_advisor.accounts.models import EDITING_ROLES, Organisation

# Sums of minutes × yen reach far beyond an hour's; the inputs have two decimals each, so that
# their products have at most six: SQLite's floating-point sums are brought back to them.
_MINUTES = models.DecimalField(max_digits=40, decimal_places=6)
_EXACT = Decimal("0.000001")
_WIDE = Context(prec=80)
ZERO = Decimal(0)


def annual_minutes() -> models.Expression:
    """A task's annual hours × 60 as SQL, `inventory.derive`'s rule: the hours the sheet states,
    else occurrences × periods a year × minutes × people (daily work: the task's own days a
    year, else its organisation's); NULL without a frequency or minutes. In minutes, so that
    the database only multiplies and adds: the division by 60 is made once, exactly, on the sum."""
    periods = Case(
        When(
            frequency="daily",
            then=Coalesce(
                NullIf(F("days_per_year"), Value(0)), F("assessment__organisation__working_days")
            ),
        ),
        *(
            When(frequency=frequency, then=Value(count))
            for frequency, count in PERIODS_PER_YEAR.items()
            if count is not None
        ),
        default=None,
        output_field=models.IntegerField(),
    )
    computed = models.ExpressionWrapper(
        F("occurrences") * periods * F("minutes") * F("people"), output_field=_MINUTES
    )
    stated = models.ExpressionWrapper(F("annual_hours") * Value(60), output_field=_MINUTES)
    return Coalesce(stated, computed, output_field=_MINUTES)


# `inventory.derive`'s hourly cost: the task's own, else its organisation's.
_HOURLY_COST = Coalesce(
    F("hourly_cost"),
    F("assessment__organisation__hourly_cost"),
    output_field=models.DecimalField(max_digits=9, decimal_places=0),
)
# Without stated hours, a task has none while its frequency or minutes are missing.
_WITHOUT_VOLUME = Q(annual_hours__isnull=True) & (
    Q(minutes__isnull=True) | ~Q(frequency__in=list(PERIODS_PER_YEAR))
)
# The model the task will go with: the consultant's override, else the recommendation.
_FINAL_MODEL = Coalesce(F("override__model"), F("result__model"), Value(""))


@dataclass(frozen=True)
class Sums:
    """Tasks, hours and in-house cost of a set of tasks, and of those among them that are
    outsourcing candidates; exact Decimal, rounded at display."""

    tasks: int = 0
    annual_hours: Decimal = ZERO
    annual_cost: Decimal = ZERO
    candidate_tasks: int = 0
    candidate_hours: Decimal = ZERO
    candidate_cost: Decimal = ZERO
    dependencies: int = 0  # tasks only one person can do (the inventory's 属人化)
    without_volume: int = 0  # tasks without hours yet (no frequency or time)

    def __add__(self, other: Sums) -> Sums:
        return Sums(
            *(getattr(self, name) + getattr(other, name) for name in self.__dataclass_fields__)
        )

    @property
    def candidate_share(self) -> Decimal | None:
        """The candidates' share of the hours, None without hours."""
        return self.candidate_hours / self.annual_hours if self.annual_hours else None

    def fte(self, yearly_hours: int) -> Decimal | None:
        return self.annual_hours / yearly_hours if yearly_hours else None


def total(sums: Iterable[Sums]) -> Sums:
    return sum(sums, Sums())


def task_sums(tasks: models.QuerySet[Task], *keys: str) -> dict[tuple[Any, ...], Sums]:
    """`Sums` of `tasks` grouped by `keys` (e.g. "assessment_id", "department"), in one query:
    the tasks in the trash are not in the inventory."""
    minutes = annual_minutes()
    rows = (
        tasks.filter(deleted_at__isnull=True)
        .alias(final_model=_FINAL_MODEL)
        .order_by()
        .values(*keys)
        .annotate(
            n_tasks=Count("pk"),
            n_minutes=Sum(minutes),
            n_cost=Sum(minutes * _HOURLY_COST, output_field=_MINUTES),
            n_candidates=Count("pk", filter=Q(final_model__in=OUTSOURCED)),
            n_candidate_minutes=Sum(minutes, filter=Q(final_model__in=OUTSOURCED)),
            n_candidate_cost=Sum(
                minutes * _HOURLY_COST, filter=Q(final_model__in=OUTSOURCED), output_field=_MINUTES
            ),
            n_dependencies=Count("pk", filter=Q(people_able__lte=1)),
            n_without_volume=Count("pk", filter=_WITHOUT_VOLUME),
        )
    )
    return {
        tuple(row[key] for key in keys): Sums(
            tasks=row["n_tasks"],
            annual_hours=_per_hour(row["n_minutes"]),
            annual_cost=_per_hour(row["n_cost"]),
            candidate_tasks=row["n_candidates"],
            candidate_hours=_per_hour(row["n_candidate_minutes"]),
            candidate_cost=_per_hour(row["n_candidate_cost"]),
            dependencies=row["n_dependencies"],
            without_volume=row["n_without_volume"],
        )
        for row in rows
    }


def _per_hour(minutes: Decimal | float | int | None) -> Decimal:
    """A sum over minutes as a sum over hours, exact: the inputs' six decimals kept."""
    if minutes is None:
        return ZERO
    # Wide enough for the largest sum the fields allow (10⁷ minutes × 10⁷ occurrences × …).
    return Decimal(str(minutes)).quantize(_EXACT, context=_WIDE) / 60


# --- the portfolio ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One assessment: its steps as the stepper shows them, its check progress and figures."""

    assessment: Assessment
    steps: list[Step]
    tasks: int  # as the stepper counts them
    checked: int  # tasks with a verdict
    sums: Sums

    @property
    def current(self) -> Step | None:
        """The step to do next (the stepper's current one); None once all are done."""
        return next((step for step in self.steps if step.current), None)

    @property
    def done(self) -> int:
        return sum(step.done for step in self.steps)

    @property
    def stage(self) -> int:
        """The number of the step it is at (7 once every step is done)."""
        current = self.current
        return current.number if current else len(self.steps) + 1

    @property
    def checked_percent(self) -> int:
        return round(100 * self.checked / self.tasks) if self.tasks else 0

    @property
    def can_edit(self) -> bool:
        return self.assessment.can_edit


@dataclass(frozen=True)
class OrganisationEntries:
    organisation: Organisation  # annotated with the reader's `role`
    entries: list[Entry]

    @property
    def sums(self) -> Sums:
        return total(entry.sums for entry in self.entries)

    @property
    def tasks(self) -> int:
        return sum(entry.tasks for entry in self.entries)

    @property
    def checked(self) -> int:
        return sum(entry.checked for entry in self.entries)

    @property
    def can_edit(self) -> bool:
        return getattr(self.organisation, "role", None) in EDITING_ROLES


@dataclass(frozen=True)
class Portfolio:
    organisations: list[OrganisationEntries]
    entries: list[Entry] = field(default_factory=list)  # every assessment, across them

    @property
    def sums(self) -> Sums:
        return total(entry.sums for entry in self.entries)

    @property
    def next_entry(self) -> Entry | None:
        """The assessment to go on with: the most recently changed one not finished, among
        those the reader may change (else among all, for a viewer); None when all are done."""
        unfinished = [entry for entry in self.entries if entry.current is not None]
        mine = [entry for entry in unfinished if entry.can_edit] or unfinished
        return max(mine, key=lambda entry: entry.assessment.updated_at, default=None)

    @property
    def to_start(self) -> Organisation | None:
        """With no assessment at all, the first organisation where the reader may start one."""
        if self.entries:
            return None
        return next((o.organisation for o in self.organisations if o.can_edit), None)


def _by_updated(entry: Entry) -> tuple[Any, ...]:
    return (-entry.assessment.updated_at.timestamp(), entry.assessment.pk)


# How the assessments of an organisation may be ordered: most recently changed first (the
# default), the furthest behind first, the most candidate hours first, by name.
SORTS: dict[str, Callable[[Entry], tuple[Any, ...]]] = {
    "updated": _by_updated,
    "stage": lambda entry: (entry.stage, entry.checked_percent, *_by_updated(entry)),
    "candidates": lambda entry: (-entry.sums.candidate_hours, *_by_updated(entry)),
    "name": lambda entry: (entry.assessment.name.casefold(), entry.assessment.pk),
}


def portfolio(
    organisations: Sequence[Organisation],
    assessments: Sequence[Assessment],
    sort: str = "updated",
) -> Portfolio:
    """The assessments of `assessments` (those the reader may see, annotated with the reader's
    `role`) under their organisations of `organisations`, each ordered by `sort` (a key of
    SORTS): the stepper's facts and the task sums of all of them in a fixed number of queries."""
    pks = [assessment.pk for assessment in assessments]
    facts = workflow_facts_of(assessments)
    sums = task_sums(Task.objects.filter(assessment_id__in=pks), "assessment_id")
    by_organisation: dict[int, list[Entry]] = {o.pk: [] for o in organisations}
    entries = []
    for assessment in assessments:
        counted = facts[assessment.pk]
        entry = Entry(
            assessment,
            workflow_steps(counted),
            counted.tasks,
            counted.tasks_with_verdict,
            sums.get((assessment.pk,), Sums()),
        )
        entries.append(entry)
        by_organisation.setdefault(assessment.organisation_id, []).append(entry)
    key = SORTS.get(sort, _by_updated)
    return Portfolio(
        [
            OrganisationEntries(organisation, sorted(by_organisation[organisation.pk], key=key))
            for organisation in organisations
        ],
        entries,
    )


# --- the departments of one organisation -----------------------------------------------------


@dataclass(frozen=True)
class Department:
    """A department as the assessment that counts it has it (the latest to list it, or the one
    chosen)."""

    name: str
    assessment: Assessment
    sums: Sums
    fte: Decimal | None

    @property
    def candidate_share(self) -> Decimal | None:
        return self.sums.candidate_share


def departments(
    organisation: Organisation, assessments: Sequence[Assessment], chosen: Assessment | None
) -> list[Department]:
    """Every department of the organisation's inventories, most hours first: each from the
    assessment most recently changed among those that list it (a department assessed again
    is counted once, as it stands now), or only those of `chosen`. One query."""
    if chosen is not None:
        assessments = [chosen]
    order = {assessment.pk: rank for rank, assessment in enumerate(_latest_first(assessments))}
    by_pk = {assessment.pk: assessment for assessment in assessments}
    found: dict[str, tuple[int, Sums]] = {}  # department -> (its assessment, sums)
    tasks = Task.objects.filter(assessment_id__in=list(by_pk))
    for (assessment_id, name), sums in task_sums(tasks, "assessment_id", "department").items():
        kept = found.get(name)
        if kept is None or order[assessment_id] < order[kept[0]]:
            found[name] = (assessment_id, sums)
    rows = [
        Department(name, by_pk[pk], sums, sums.fte(organisation.yearly_hours))
        for name, (pk, sums) in found.items()
    ]
    return sorted(rows, key=lambda row: (-row.sums.annual_hours, -row.sums.tasks, row.name))


def _latest_first(assessments: Iterable[Assessment]) -> list[Assessment]:
    return sorted(assessments, key=lambda a: (a.updated_at, a.pk), reverse=True)
