"""The six steps of an assessment (SPEC 3) as a stepper: which are done, which is next and what
is missing. Pure: `workflow_steps(facts)` reads counts that `steps.workflow_facts` gathers in a
fixed number of queries, so its rules are table-tested without a database.

A step is done when:

1. Goals — the four goals (cost, quality, speed, de-personalisation) are ranked.
2. Scope — the inventory has tasks, every task has a verdict, sourcing packages exist, and every
   task in a package still fits it (its model is the package's, and it is still to be put out).
3. RFP — every package has an RFP draft (`RfpDraft`, generated on the package's RFP page).
4. Vendor selection — every package has a submitted evaluation of a vendor that is not knocked
   out (a count, not the ranking itself), and no evaluated vendor's quote or submitted scores
   were given for another scope of its package ("scope changed since the quote").
5. Transition — every applicable readiness item is done (“not applicable” items do not count;
   a checklist with nothing applicable is not done).
6. Operation — at least one KPI has a monthly actual.

The current step is the first one not done; a later step may already be done (a KPI recorded
before the RFP), and shows so. Also here: the small pure rules of the step pages (goal ranks,
readiness completion, KPI met or missed, how a month and a figure may be typed)."""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from django.db import models
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from outsourcing_advisor.common.wording import listing


class StepState(StrEnum):
    DONE = "done"
    CURRENT = "current"  # the first step not done: what to do next
    TODO = "todo"


@dataclass(frozen=True)
class Facts:
    """What the stepper looks at, as counts."""

    goals_ranked: bool = False
    tasks: int = 0
    tasks_with_verdict: int = 0  # a verdict other than “incomplete”
    packages: int = 0
    rfp_drafts: int = 0  # packages with an RFP draft
    packages_with_vendor: int = 0  # packages with a submitted evaluation of an eligible vendor
    misplaced_tasks: int = 0  # tasks in a package that no longer fits them (domain.packages)
    # Evaluated vendors whose quote or submitted scores were given for another scope of the
    # package: "scope changed since the quote" until a consultant confirms them.
    stale_quotes: int = 0
    readiness_items: int = 0
    readiness_done: int = 0
    readiness_not_applicable: int = 0
    kpis: int = 0
    kpis_with_actual: int = 0

    @property
    def readiness(self) -> Completion:
        return Completion(self.readiness_done, self.readiness_items, self.readiness_not_applicable)


@dataclass(frozen=True)
class Step:
    number: int
    key: str
    title: str
    state: StepState
    missing: str  # what is left to do, in words; empty when done
    url_name: str  # the page of the step, reversed with the assessment's pk
    # What went out of true since it was done: tasks that no longer fit their package (scope),
    # quotes and scores given for another scope (vendor selection).
    warnings: int = 0

    @property
    def done(self) -> bool:
        return self.state == StepState.DONE

    @property
    def current(self) -> bool:
        return self.state == StepState.CURRENT


STEPS = (
    (1, "goals", _("Goals"), "workflow_goals"),
    (2, "scope", _("Scope"), "check_grid"),
    (3, "rfp", _("RFP"), "packages"),
    (4, "vendors", _("Vendor selection"), "packages"),
    (5, "transition", _("Transition"), "workflow_readiness"),
    (6, "operation", _("Operation"), "workflow_operation"),
)


def workflow_steps(facts: Facts) -> list[Step]:
    """The six steps in order, each done, current (the first not done) or to do."""
    missing = {
        "goals": _goals_missing(facts),
        "scope": _scope_missing(facts),
        "rfp": _rfp_missing(facts),
        "vendors": _vendors_missing(facts),
        "transition": _transition_missing(facts),
        "operation": _operation_missing(facts),
    }
    # Tasks that no longer fit their package are fixed on the packages page.
    if facts.misplaced_tasks and facts.tasks_with_verdict >= facts.tasks:
        urls = {"scope": "packages"}
    else:
        urls = {}
    steps, current_found = [], False
    for number, key, title, url_name in STEPS:
        url_name = urls.get(key, url_name)
        if not missing[key]:
            state = StepState.DONE
        elif not current_found:
            state, current_found = StepState.CURRENT, True
        else:
            state = StepState.TODO
        warnings = {"scope": facts.misplaced_tasks, "vendors": facts.stale_quotes}.get(key, 0)
        steps.append(Step(number, key, str(title), state, missing[key], url_name, warnings))
    return steps


def _goals_missing(facts: Facts) -> str:
    return "" if facts.goals_ranked else gettext("Rank the four goals")


def _scope_missing(facts: Facts) -> str:
    if not facts.tasks:
        return gettext("Add tasks to the work inventory")
    missing = []
    unchecked = facts.tasks - facts.tasks_with_verdict
    if unchecked > 0:
        missing.append(
            ngettext(
                "%(count)d task has no verdict yet",
                "%(count)d tasks have no verdict yet",
                unchecked,
            )
            % {"count": unchecked}
        )
    elif not facts.packages:
        missing.append(gettext("Create the sourcing packages"))
    if facts.misplaced_tasks:
        missing.append(
            ngettext(
                "%(count)d task no longer fits its package",
                "%(count)d tasks no longer fit their packages",
                facts.misplaced_tasks,
            )
            % {"count": facts.misplaced_tasks}
        )
    return listing(missing)


def _rfp_missing(facts: Facts) -> str:
    if facts.packages and facts.rfp_drafts >= facts.packages:
        return ""
    return gettext("Generate an RFP draft per package")


def _vendors_missing(facts: Facts) -> str:
    if not facts.packages:
        return gettext("Create the sourcing packages first")
    missing = []
    waiting = facts.packages - facts.packages_with_vendor
    if waiting > 0:
        missing.append(
            ngettext(
                "%(count)d package has no eligible vendor scored yet",
                "%(count)d packages have no eligible vendor scored yet",
                waiting,
            )
            % {"count": waiting}
        )
    if facts.stale_quotes:
        missing.append(
            ngettext(
                "%(count)d vendor was quoted or scored before its package's tasks changed",
                "%(count)d vendors were quoted or scored before their packages' tasks changed",
                facts.stale_quotes,
            )
            % {"count": facts.stale_quotes}
        )
    return listing(missing)


def _transition_missing(facts: Facts) -> str:
    completion = facts.readiness
    if completion.complete:
        return ""
    return gettext("%(done)d / %(total)d readiness items done") % {
        "done": completion.done,
        "total": completion.applicable,
    }


def _operation_missing(facts: Facts) -> str:
    if facts.kpis_with_actual:
        return ""
    if not facts.kpis:
        return gettext("Set KPI/SLA targets")
    return gettext("Record a first monthly actual")


# --- step 1: goals -------------------------------------------------------------------------


class Goal(models.TextChoices):
    """What the organisation wants to improve (SPEC 3, step 1), ranked 1 (first) to 4."""

    COST = "cost", _("Cost")
    QUALITY = "quality", _("Quality")
    SPEED = "speed", _("Speed")
    DEPERSONALISATION = "depersonalisation", _("De-personalisation (属人化の解消)")


class Alternative(models.TextChoices):
    """What could be done instead of outsourcing, considered before deciding."""

    PROCESS_IMPROVEMENT = "process_improvement", _("Process improvement")
    TOOLS = "tools", _("Tools or systems")
    REASSIGNMENT = "reassignment", _("Reassigning staff")


def rank_problems(ranks: Mapping[str, int | None]) -> list[tuple[int, list[str]]]:
    """(rank, goals) for each rank given to more than one goal, lowest rank first."""
    by_rank: dict[int, list[str]] = {}
    for goal, rank in ranks.items():
        if rank is not None:
            by_rank.setdefault(rank, []).append(goal)
    return sorted((rank, goals) for rank, goals in by_rank.items() if len(goals) > 1)


# --- step 5: readiness ---------------------------------------------------------------------


@dataclass(frozen=True)
class Completion:
    """Readiness items done out of those that apply (“not applicable” ones left out)."""

    done: int
    items: int
    not_applicable: int = 0

    @property
    def applicable(self) -> int:
        return self.items - self.not_applicable

    @property
    def complete(self) -> bool:
        return self.applicable > 0 and self.done >= self.applicable

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.applicable) if self.applicable else 0


# --- step 6: KPIs --------------------------------------------------------------------------


class KpiDirection(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


def kpi_met(value: Decimal, target: Decimal, direction: str) -> bool:
    """Whether a month's actual meets the target: at or above it when higher is better, at or
    below it when lower is better."""
    return value >= target if direction == KpiDirection.HIGHER else value <= target


_MONTH = re.compile(r"^\s*(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*月?\s*$")


def parse_month(text: str) -> datetime.date | None:
    """“2026-04”, “2026/4” or “2026年4月” -> 1 April 2026; None for anything else."""
    match = _MONTH.match(unicodedata.normalize("NFKC", text or ""))
    if not match:
        return None
    year, month = int(match[1]), int(match[2])
    if not (1 <= month <= 12 and 1900 <= year <= 2999):
        return None
    return datetime.date(year, month, 1)


def parse_number(text: str) -> Decimal | None:
    """A figure as people type it (full-width digits, thousands commas) -> Decimal; None when it
    is not a finite number."""
    cleaned = unicodedata.normalize("NFKC", text or "").replace(",", "").strip()
    if not cleaned:
        return None
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None
