"""The simple table reader of the vendor evaluation file (SPEC 6.3): the workbook's first sheet
(any format, read by `files.workbook` within its limits), row 1 its headers, every cell checked
by row and column. The inventory is read by the pipeline of `assessments/files/` instead, which
takes the sheets people keep; this reader serves a file of our own layout.

Pure functions over bytes: no database, no request."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from assessments.domain.columns import Column, unneutralised
from assessments.files.problems import plain, reject, shorten
from assessments.files.workbook import read_workbook

_CENT = Decimal("0.01")


@dataclass
class Sheet:
    headers: list[str]
    rows: list[tuple[int, list[Any]]]  # (row number as shown in the spreadsheet, cells)


# --- reading bytes into a sheet -------------------------------------------------------------


def read_sheet(data: bytes, filename: str = "") -> Sheet:
    """The workbook's first sheet with row 1 as its headers, whatever the format."""
    sheets = read_workbook(data).sheets
    if not sheets:
        return _to_sheet([])
    first = sheets[0]
    # Back to the spreadsheet's own grid: empty rows above the used block, empty cells left of it.
    top, left = first.origin
    return _to_sheet([[] for _ in range(top - 1)] + [[""] * left + row for row in first.rows])


def _is_nan(cell: Any) -> bool:
    return isinstance(cell, float) and cell != cell


def _to_sheet(table: list[list[Any]]) -> Sheet:
    if not table or not any(_text(cell) for cell in table[0]):
        raise reject(_("The file is empty: row 1 must hold the column headers."))
    headers = [_text(cell) for cell in table[0]]
    while headers and not headers[-1]:
        headers.pop()
    width = len(headers)
    rows = []
    for index, cells in enumerate(table[1:], start=2):
        cells = (list(cells) + [None] * width)[:width]
        if any(_text(cell) for cell in cells):
            rows.append((index, cells))
    if not rows:
        raise reject(_("The file has column headers but no tasks."))
    if len(rows) > settings.MAX_IMPORT_ROWS:
        raise reject(
            _("The file has %(rows)s tasks; at most %(limit)s can be imported at once.")
            % {"rows": len(rows), "limit": settings.MAX_IMPORT_ROWS}
        )
    return Sheet(headers, rows)


def _text(cell: Any) -> str:
    if cell is None or _is_nan(cell):
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


# --- headers ---------------------------------------------------------------------------------


def normalise(value: str) -> str:
    """Fold width, case, spaces, `_` and `-`: 所要時間（分） matches 所要時間(分), Ad hoc ad_hoc."""
    folded = unicodedata.normalize("NFKC", value).casefold()
    return "".join(ch for ch in folded if not ch.isspace() and ch not in "_-")


# --- cells -----------------------------------------------------------------------------------


class CellError(ValueError):
    pass


def parse_cell(column: Column, cell: Any) -> Any:
    """The cell's value for `column`, or None when empty; raises CellError with a message."""
    if isinstance(cell, str):
        cell = cell.strip()
    if cell is None or cell == "":
        if column.required:
            raise CellError(_("A value is required."))
        return None
    if column.kind == "text":
        text = _text(cell)
        text = unneutralised(text)  # the export's apostrophe: round trips exactly
        if len(text) > column.max_length:
            raise CellError(
                _("Longer than %(limit)s characters (%(length)s).")
                % {"limit": column.max_length, "length": len(text)}
            )
        return text
    return _parse_number(column, cell)


def _parse_number(column: Column, cell: Any) -> Decimal | int:
    if isinstance(cell, bool):
        raise CellError(_("“%(value)s” is not a number.") % {"value": cell})
    raw = str(cell) if isinstance(cell, int | float | Decimal) else _number_text(str(cell))
    try:
        number = Decimal(raw)
    except InvalidOperation:
        raise CellError(
            _("“%(value)s” is not a number.") % {"value": shorten(_text(cell))}
        ) from None
    if not number.is_finite():
        raise CellError(_("“%(value)s” is not a number.") % {"value": shorten(_text(cell))})
    if column.minimum is not None and number < column.minimum:
        raise CellError(
            _("Must be at least %(minimum)s (got %(value)s).")
            % {"minimum": column.minimum, "value": plain(number)}
        )
    if column.maximum is not None and number > column.maximum:
        raise CellError(
            _("Must be at most %(maximum)s (got %(value)s).")
            % {"maximum": column.maximum, "value": plain(number)}
        )
    if column.kind == "int":
        if number != number.to_integral_value():
            raise CellError(_("Must be a whole number (got %(value)s).") % {"value": plain(number)})
        return int(number)
    return number.quantize(_CENT, rounding=ROUND_HALF_UP)


_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


def _number_text(text: str) -> str:
    """Full-width digits and signs folded; ¥, 円 and thousands separators dropped. A comma that
    is not a thousands separator (1,5) stays, so the cell is refused rather than read as 15."""
    folded = unicodedata.normalize("NFKC", text).strip().replace("−", "-")
    folded = folded.replace("¥", "").replace("円", "").replace(" ", "")
    return folded.replace(",", "") if _THOUSANDS.match(folded) else folded
