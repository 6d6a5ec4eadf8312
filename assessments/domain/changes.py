"""What moving an assessment to newer checklist, rule-table, vendor-criteria and readiness-checklist
versions would change (SPEC 4.3 "Versioning", 4.6, 4.7): the criteria, thresholds, rules, weights
and readiness items that differ, the tasks whose verdict or model would differ, and the readiness
entries that would be carried over or dropped. Pure functions over plain records; the caller
shows them before confirming."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal, TypeVar

Kind = Literal["added", "removed", "changed"]
K = TypeVar("K")
V = TypeVar("V")


@dataclass(frozen=True)
class Change:
    code: str
    kind: Kind
    fields: tuple[tuple[str, Any, Any], ...] = ()  # (field, before, after) of a changed record


def diff_records(
    before: Mapping[str, Mapping[str, Any]], after: Mapping[str, Mapping[str, Any]]
) -> list[Change]:
    """Records keyed by code, each a mapping of field -> value; in the order of `after`, then
    the removed ones."""
    changes = []
    for code, new in after.items():
        old = before.get(code)
        if old is None:
            changes.append(Change(code, "added"))
            continue
        fields = tuple(
            (name, old.get(name), value) for name, value in new.items() if old.get(name) != value
        )
        if fields:
            changes.append(Change(code, "changed", fields))
    changes.extend(Change(code, "removed") for code in before if code not in after)
    return changes


@dataclass(frozen=True)
class Outcome:
    verdict: str
    model: str
    suitability: Any = None


@dataclass(frozen=True)
class TaskChange:
    key: Any  # whatever identifies the task to the caller
    before: Outcome
    after: Outcome


def outcome_changes(
    before: Mapping[Any, Outcome], after: Mapping[Any, Outcome]
) -> list[TaskChange]:
    """Tasks whose verdict or model would change (a score that moves within its verdict does
    not count: it changes nothing the client acts on)."""
    return [
        TaskChange(key, before[key], new)
        for key, new in after.items()
        if key in before and (before[key].verdict, before[key].model) != (new.verdict, new.model)
    ]


@dataclass(frozen=True)
class WeightChange:
    criterion: str
    before: Decimal | None  # None: the version has no weight for the criterion
    after: Decimal | None


def weight_changes(
    before: Mapping[str, Decimal], after: Mapping[str, Decimal]
) -> list[WeightChange]:
    """Criteria whose weight differs, in the order of `after`, then those only in `before`."""
    criteria = [*after, *(criterion for criterion in before if criterion not in after)]
    return [
        WeightChange(criterion, before.get(criterion), after.get(criterion))
        for criterion in criteria
        if before.get(criterion) != after.get(criterion)
    ]


def carry_over(entries: Mapping[K, str], records: Mapping[str, V]) -> tuple[dict[K, V], list[K]]:
    """Entries (key -> the code of the record each belongs to) moved to the new version's
    `records` (code -> record): {key: the record with the same code}, and the keys of the entries
    whose code the new version no longer has (dropped), in the order of `entries`."""
    carried = {key: records[code] for key, code in entries.items() if code in records}
    return carried, [key for key, code in entries.items() if code not in records]
