"""Pure: what importing a file changes in an inventory (SPEC 4.2.1, "no silent replacement").

A file's task is the same task as one of the inventory when department, process and task match
(width, case and runs of spaces aside). Matched tasks are updated in the columns the file gives —
what the file does not speak about (a column it lacks, an answer someone gave in the browser)
stays —; the file's other tasks are added; the inventory's tasks that are not in the file are
kept when adding and removed when replacing. The preview shows this plan; the import applies it."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from assessments.domain.columns import INVENTORY_COLUMNS

Key = tuple[str, str, str]
UPDATABLE = tuple(c.key for c in INVENTORY_COLUMNS)
# A range belongs to the figures it was given with (SPEC 4.5): a file that changes them without
# giving the range clears the range the task held. Range -> the fields it goes with.
RANGE_FOLLOWS = {
    "occurrences_low": ("frequency", "occurrences"),
    "occurrences_high": ("frequency", "occurrences"),
    "minutes_low": ("minutes",),
    "minutes_high": ("minutes",),
}


def same_key(department: str, process: str, task: str) -> Key:
    """Two names are the same task when they differ only in width, case or spacing."""
    return (_same(department), _same(process), _same(task))


def _same(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


@dataclass(frozen=True)
class Existing:
    """A task of the inventory, as the plan needs it."""

    id: int
    values: dict[str, Any]  # the inventory columns (SPEC 6.1) as stored
    answers: dict[str, str] = field(default_factory=dict)
    answer_sources: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> Key:
        return same_key(self.values["department"], self.values["process"], self.values["task"])


@dataclass(frozen=True)
class Change:
    id: int
    values: dict[str, Any]  # the fields to set (answers and answer_sources included)
    fields: tuple[str, ...]  # the inventory columns that change, for the preview


@dataclass
class Plan:
    add: list[dict[str, Any]] = field(default_factory=list)  # rows of the file
    change: list[Change] = field(default_factory=list)
    same: list[int] = field(default_factory=list)  # matched, nothing to change
    remove: list[int] = field(default_factory=list)  # replace: not in the file
    keep: list[int] = field(default_factory=list)  # add: not in the file, kept

    @property
    def empty(self) -> bool:
        return not (self.add or self.change or self.remove)


def plan(
    existing: list[Existing], rows: list[dict[str, Any]], provided: frozenset[str], replace: bool
) -> Plan:
    """`provided`: the inventory columns the file gives (its other columns leave tasks as they
    are); "answers" when it gives any of C1–C10."""
    waiting: dict[Key, list[Existing]] = defaultdict(list)
    for task in existing:
        waiting[task.key].append(task)
    result = Plan()
    for row in rows:
        matches = waiting.get(same_key(row["department"], row["process"], row["task"]))
        if not matches:
            result.add.append(row)
            continue
        task = matches.pop(0)
        change = _change(task, row, provided)
        if change is None:
            result.same.append(task.id)
        else:
            result.change.append(change)
    left = [task.id for tasks in waiting.values() for task in tasks]
    if replace:
        result.remove = left
    else:
        result.keep = left
    return result


def _change(task: Existing, row: dict[str, Any], provided: frozenset[str]) -> Change | None:
    values: dict[str, Any] = {}
    for name in UPDATABLE:
        if name in provided and row.get(name) != task.values.get(name):
            values[name] = row.get(name)
    for name, follows in RANGE_FOLLOWS.items():
        if (
            name not in provided
            and task.values.get(name) is not None
            and set(follows) & set(values)
        ):
            values[name] = None
    changed = tuple(values)
    answers, sources = merge_file_answers(task.answers, task.answer_sources, row.get("answers", {}))
    if "answers" in provided and (answers != task.answers or sources != task.answer_sources):
        values["answers"], values["answer_sources"] = answers, sources
        changed += ("answers",)
    if not values:
        return None
    values["source_row"] = row.get("source_row")
    return Change(task.id, values, changed)


def merge_file_answers(
    answers: dict[str, str], sources: dict[str, str], given: dict[str, str]
) -> tuple[dict[str, str], dict[str, str]]:
    """The file's answers replace those that came from a file before; an answer a person gave
    in the browser stays (it was made knowing the task)."""
    merged, origins = dict(answers), dict(sources)
    for code, answer in given.items():
        if origins.get(code) == "user":
            continue
        merged[code], origins[code] = answer, "file"
    return merged, origins
