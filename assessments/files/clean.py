"""Step 2 of reading a sheet: the rows below the header, cleaned (SPEC 4.2.1).

Vertically merged cells give every row of the block the value; so does the fill-down habit (部署
written once per block). Rows that are not tasks are skipped and listed with the reason: blank,
section headings, subtotals and totals, the template's example row, repeated header rows in
sheets pasted together, hidden rows."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_lazy as _

from assessments.files import words
from assessments.files.locate import Located

# Columns whose blank cell means "as above" (merged or filled down by habit).
FILL_DOWN = ("department", words.MAJOR_PROCESS, "process", "category")
NAME_KEYS = frozenset({"department", words.MAJOR_PROCESS, "process", "task"})
_IGNORED = frozenset({words.ROW_NUMBER, words.DERIVED, words.PERSON})


class Uncached:
    """A formula cell the file saved without its value: nothing to read, and the reader is told
    which cell (never a silent blank)."""

    def __repr__(self) -> str:
        return "Uncached()"


UNCACHED = Uncached()


class Skip(StrEnum):
    BLANK = "blank"
    HEADING = "heading"
    SUBTOTAL = "subtotal"
    EXAMPLE = "example"
    HEADER = "header"
    HIDDEN = "hidden"


SKIP_LABELS = {
    Skip.BLANK: _("blank"),
    Skip.HEADING: _("section heading"),
    Skip.SUBTOTAL: _("subtotal or total"),
    Skip.EXAMPLE: _("example row"),
    Skip.HEADER: _("repeated header"),
    Skip.HIDDEN: _("hidden row"),
}


@dataclass(frozen=True)
class Skipped:
    row: int
    reason: Skip
    text: str  # the row's first words, so that the list can be checked at a glance


@dataclass(frozen=True)
class TableRow:
    number: int  # as the spreadsheet shows it
    cells: tuple[Any, ...]  # one per column of the located header, in its order
    filled: frozenset[str] = frozenset()  # keys whose value came from above


@dataclass(frozen=True)
class Table:
    located: Located
    rows: tuple[TableRow, ...]
    skipped: tuple[Skipped, ...]
    filled_down: dict[str, int]  # key -> rows that took it from above


def clean(located: Located) -> Table:
    sheet = located.sheet
    first_row, first_col = sheet.origin
    grid, merged = _with_merges(located)
    keys = [c.meaning.key if c.meaning else "" for c in located.columns]
    offsets = [c.index - first_col for c in located.columns]
    layout = _Layout.of(keys, [words.fold(c.header.split(" ")[-1]) for c in located.columns])
    rows: list[TableRow] = []
    skipped: list[Skipped] = []
    above: dict[str, Any] = {}
    filled: Counter[str] = Counter()
    for offset in range(located.first_data_row - first_row, len(grid)):
        number = first_row + offset
        raw = grid[offset]
        cells = [_cell(raw, o) for o in offsets]
        for position, column in enumerate(located.columns):
            if (number, column.index) in sheet.uncached:
                cells[position] = UNCACHED
        reason = _skip(cells, layout, number, sheet)
        if reason is not None:
            skipped.append(Skipped(number, reason, _first_words(cells)))
            if reason is Skip.HEADING:
                _remember_heading(cells, keys, above)
            continue
        took = set()
        for position, key in enumerate(keys):
            if key not in FILL_DOWN:
                continue
            if (offset, offsets[position]) in merged:
                took.add(key)
                filled[key] += 1
            if words.is_blank(cells[position]) and key in above:
                cells[position] = above[key]
                took.add(key)
                filled[key] += 1
            elif not words.is_blank(cells[position]):
                above[key] = cells[position]
        rows.append(TableRow(number, tuple(cells), frozenset(took)))
    return Table(located, tuple(rows), tuple(skipped), dict(filled))


def _with_merges(located: Located) -> tuple[list[list[Any]], set[tuple[int, int]]]:
    """The sheet's rows with each vertical merge below the header spread down its block, and
    the (row, column) offsets that took a value so."""
    sheet = located.sheet
    first_row, first_col = sheet.origin
    grid = [list(row) for row in sheet.rows]
    spread: set[tuple[int, int]] = set()
    for top, left, bottom, _right in sheet.merged:
        if bottom <= top or top < located.first_data_row:
            continue
        value = (
            _cell(grid[top - first_row], left - first_col) if top - first_row < len(grid) else ""
        )
        for number in range(top + 1, bottom + 1):
            offset = number - first_row
            if 0 <= offset < len(grid):
                row = grid[offset]
                if left - first_col >= len(row):
                    row.extend([""] * (left - first_col - len(row) + 1))
                row[left - first_col] = value
                spread.add((offset, left - first_col))
    return grid, spread


def _name_column(keys: list[str]) -> int | None:
    """The column that names a task: 作業, else 業務 (a sheet of one level)."""
    for key in ("task", "process"):
        if key in keys:
            return keys.index(key)
    return None


@dataclass(frozen=True)
class _Layout:
    """Which positions of a row hold names, and which hold figures: worked out once."""

    names: tuple[int, ...]
    figures: tuple[int, ...]
    name_index: int | None
    header_texts: tuple[str, ...]

    @classmethod
    def of(cls, keys: list[str], header_texts: list[str]) -> _Layout:
        return cls(
            tuple(p for p, k in enumerate(keys) if k in NAME_KEYS),
            tuple(p for p, k in enumerate(keys) if k and k not in NAME_KEYS | _IGNORED),
            _name_column(keys),
            tuple(header_texts),
        )


def _skip(cells: list[Any], layout: _Layout, number: int, sheet: Any) -> Skip | None:
    named = any(not words.is_blank(cells[p]) for p in layout.names)
    figures = any(_counts(cells[p]) for p in layout.figures)
    texts = [c for c in cells if isinstance(c, str) and not words.is_blank(c)]
    if not named and not figures:
        return Skip.HIDDEN if texts and number in sheet.hidden_rows else Skip.BLANK
    if number in sheet.hidden_rows:
        return Skip.HIDDEN
    # A total's label opens its row (小計, 合計): the first few texts are enough to look at.
    if number in sheet.subtotal_rows or any(_is_total(t) for t in texts[:3]):
        return Skip.SUBTOTAL
    if texts and _is_example(texts[0]):
        return Skip.EXAMPLE
    if _repeats_header(cells, layout.header_texts):
        return Skip.HEADER
    has_task = layout.name_index is not None and not words.is_blank(cells[layout.name_index])
    if not has_task and not figures and len(texts) == 1:
        return Skip.HEADING
    return None


def _counts(cell: Any) -> bool:
    """A figure that says something: not blank, not a dash, not a zero a template formula left."""
    if words.is_blank(cell):
        return False
    if isinstance(cell, Uncached):
        return False
    if isinstance(cell, bool):
        return True
    if isinstance(cell, int | float):
        return cell != 0
    return True


_MARKS = re.compile(r"[■□◆◇●○◎▼▽▲△★☆※【】\[\]()（）「」『』:：・\s]")
_TOTALS = ("小計", "合計", "総計", "計", "累計", "合計時間", "total", "subtotal", "grandtotal")
# 「小計（人事部）」「合計：」 — but not a task named 「合計残高試算表の作成」.
_TOTAL_LABEL = re.compile(r"^[■□◆◇●▼【\[]?(小計|合計|総計|total|subtotal)[(\[【:：\s]")


def _is_total(text: str) -> bool:
    if len(text) > 24:  # a total's label is short; task names are not totals
        return False
    folded = words.fold(text)
    return _MARKS.sub("", folded) in _TOTALS or bool(_TOTAL_LABEL.match(folded))


_EXAMPLE = re.compile(r"^[\[(（【<]?(記入例|例|sample|example|e\.g\.)[\])）】>]?([):：.、\s]|$)")


def _is_example(text: str) -> bool:
    return bool(_EXAMPLE.match(words.fold(text))) or words.fold(text).startswith("記入例")


def _repeats_header(cells: list[Any], header_texts: tuple[str, ...]) -> bool:
    first = next((p for p, h in enumerate(header_texts) if h), None)
    if (
        first is None
        or not isinstance(cells[first], str)
        or words.fold(cells[first]) != (header_texts[first])
    ):
        return False  # a repeated header repeats its first column too
    named = [(c, h) for c, h in zip(cells, header_texts, strict=True) if h]
    same = sum(1 for c, h in named if isinstance(c, str) and words.fold(c) == h)
    return bool(named) and same * 5 >= len(named) * 3


def _remember_heading(cells: list[Any], keys: list[str], above: dict[str, Any]) -> None:
    """A heading that names a department (【人事部】) in the 部署 column names the block below it;
    other headings (【月次業務】) only head it."""
    for cell, key in zip(cells, keys, strict=True):
        if key != "department" or words.is_blank(cell):
            continue
        name = _MARKS.sub(" ", str(cell)).strip()
        if words.fold(name).endswith(_DEPARTMENT_ENDINGS):
            above[key] = name


_DEPARTMENT_ENDINGS = ("部", "課", "室", "本部", "部門", "グループ", "センター", "チーム", "係")


def _cell(row: list[Any], offset: int) -> Any:
    return row[offset] if 0 <= offset < len(row) else ""


def _first_words(cells: list[Any], limit: int = 40) -> str:
    text = " ".join(
        str(c).strip() for c in cells if not isinstance(c, Uncached) and not words.is_blank(c)
    )
    return text if len(text) <= limit else text[: limit - 1] + "…"
