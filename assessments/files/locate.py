"""Step 1 of reading a sheet: where the table is (SPEC 4.2.1).

Title rows, an author/date block, a margin (the table at B2), a cover or 記入要領 sheet or a
hidden master sheet before the data, two header rows (大分類/中分類/小分類, or 件数 over
通常期/繁忙期/閑散期): the sheet and header row that best match the known columns win, visible
sheets first, the header within the first 30 rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from assessments.files import words
from assessments.files.problems import reject
from assessments.files.workbook import RawSheet, Workbook

HEADER_SEARCH_ROWS = 30
# Keys that make a row a header; a title or a remark matching one word is not enough.
_CORE = frozenset({"department", "process", "task", words.MAJOR_PROCESS})


@dataclass(frozen=True)
class Column:
    index: int  # 0-based, as the spreadsheet counts (A = 0), not within the table
    header: str  # as the file writes it; two header rows joined with a space
    meaning: words.Header | None  # None: not a known column


@dataclass(frozen=True)
class Located:
    sheet: RawSheet
    header_rows: tuple[int, ...]  # row numbers as the spreadsheet shows them (one or two)
    columns: tuple[Column, ...]
    department: str | None  # 「部署名：人事部」 in the block above the table, if any

    @property
    def first_data_row(self) -> int:
        return self.header_rows[-1] + 1


def locate(workbook: Workbook, sheet_name: str | None = None) -> Located:
    """The best-matching header of the first visible sheets (then hidden ones), or of the named
    sheet. Raises ImportRejected when no sheet has a header the import knows."""
    sheets = [s for s in workbook.sheets if sheet_name is None or s.name == sheet_name]
    ordered = [s for s in sheets if s.visible] + [s for s in sheets if not s.visible]
    best: tuple[int, int, Located] | None = None
    for order, sheet in enumerate(ordered):
        if best is not None and not sheet.visible and best[2].sheet.visible:
            break  # a visible sheet with a table wins over any hidden one
        found = _best_header(sheet)
        if found is not None and (best is None or found[0] > best[0]):
            best = (found[0], -order, found[1])
    if best is None:
        raise reject(
            _(
                "No sheet of the file has a header row the import knows (部署, 業務, 作業 or "
                "their English names) within its first %(rows)s rows. Put the column headers "
                "above the tasks and upload it again."
            )
            % {"rows": HEADER_SEARCH_ROWS}
        )
    return best[2]


def _best_header(sheet: RawSheet) -> tuple[int, Located] | None:
    best: tuple[int, Located] | None = None
    first_row, _first_col = sheet.origin
    search = sheet.rows[: max(0, HEADER_SEARCH_ROWS - first_row + 1)]
    for offset, cells in enumerate(search):
        number = first_row + offset
        single = _columns(sheet, [cells])
        candidates: list[tuple[tuple[Column, ...], tuple[int, ...]]] = [(single, (number,))]
        below = sheet.rows[offset + 1] if offset + 1 < len(sheet.rows) else None
        if below is not None and _is_subheader(below):
            joined = _columns(sheet, [cells, below], parent_row=number)
            # Two rows only when together they say more than the lower one alone: a title
            # above a header is not a parent header.
            if _score(joined) > _score(_columns(sheet, [below])):
                candidates.append((joined, (number, number + 1)))
        for columns, rows in candidates:
            score = _score(columns)
            if score and (best is None or score > best[0]):
                above = sheet.rows[:offset]
                department = next((d for row in above if (d := words.title_department(row))), None)
                best = (score, Located(sheet, rows, columns, department))
    return best


def _score(columns: tuple[Column, ...]) -> int:
    """How many distinct known columns; 0 unless at least two, one of them a name column."""
    keys = {c.meaning.key for c in columns if c.meaning is not None}
    keys.discard(words.ROW_NUMBER)
    if len(keys) < 2 or not keys & _CORE:
        return 0
    return len(keys)


def _is_subheader(cells: list[Any]) -> bool:
    """A second header row holds text only, mostly words of headers (大分類, 通常期) or of a
    range (最小/最大 under 件数)."""
    texts = [c for c in cells if c not in ("", None)]
    if not texts or any(not isinstance(c, str) for c in texts):
        return False
    known = sum(1 for c in texts if words.header(c) is not None or words.is_bound_word(c))
    return known * 2 >= len(texts)


def _columns(
    sheet: RawSheet, header_rows: list[list[Any]], parent_row: int | None = None
) -> tuple[Column, ...]:
    first_col = sheet.origin[1]
    width = max(len(row) for row in header_rows)
    top = [_text(c) for c in header_rows[0]] + [""] * width
    if len(header_rows) == 2 and parent_row is not None:
        top = _spread_parents(sheet, top[:width], header_rows[1], parent_row)
    columns = []
    for offset in range(width):
        parent = top[offset]
        child = (
            _text(header_rows[1][offset])
            if len(header_rows) == 2 and offset < len(header_rows[1])
            else ""
        )
        text = " ".join(part for part in (parent, child) if part)
        if not text:
            continue
        meaning = _meaning(parent, child)
        columns.append(Column(first_col + offset, text, meaning))
    return tuple(columns)


def _spread_parents(
    sheet: RawSheet, top: list[str], below: list[Any], parent_row: int
) -> list[str]:
    """A parent header (件数) over several children (通常期, 繁忙期, 閑散期): merged across them,
    or written once over the first. It spreads right while the parent row is blank and the row
    below has a child."""
    first_col = sheet.origin[1]
    spread = list(top)
    for first_row, first_column, last_row, last_column in sheet.merged:
        if first_row == parent_row and last_row == parent_row:
            value = spread[first_column - first_col] if first_column >= first_col else ""
            for column in range(first_column, last_column + 1):
                if 0 <= column - first_col < len(spread):
                    spread[column - first_col] = value
    for offset in range(1, len(spread)):
        has_child = offset < len(below) and _text(below[offset])
        if not spread[offset] and has_child and spread[offset - 1]:
            spread[offset] = spread[offset - 1]
    return spread


def _meaning(parent: str, child: str) -> words.Header | None:
    """The child alone (大分類, 通常期), else parent and child together (件数 通常期), else the
    parent alone (a header merged over both rows). A child that qualifies its parent (通常期,
    最大) is read with it: 月間件数 over 通常期 is a count a month, 所要時間 over 最長 the
    longest minutes."""
    if child and words.is_bound_word(child):
        joined = words.header(parent + child)
        if joined is None and words.header(parent) is None:
            return words.header(child)  # under a title the import does not know: alone
        return joined  # None for 所要時間 over 繁忙期: not a column the import keeps
    if child:
        return (
            words.header(child)
            or words.header(parent + child)
            or (words.header(parent) if parent else None)
        )
    return words.header(parent) if parent else None


def _text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()
