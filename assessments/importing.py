"""Reading an inventory file (SPEC 6.1): `.xlsx` or `.csv` (UTF-8 or Shift_JIS/CP932), Japanese or
English headers, every problem reported by row and column. Either the whole file parses or nothing
does: `parse_file` returns validated rows or raises `ImportRejected` with every problem found.

Pure functions over bytes: no database, no request. Saving is `Assessment.import_tasks`."""

from __future__ import annotations

import datetime
import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from assessments.columns import (
    ANSWER_COLUMNS,
    COLUMNS_BY_KEY,
    DERIVED_COLUMNS,
    FILE_COLUMNS,
    INVENTORY_COLUMNS,
    Column,
)
from assessments.files.problems import (
    MAX_PROBLEMS,
    ImportRejected,
    Problem,
    column_name,
    reject,
)
from assessments.files.workbook import read_workbook

Mapping = dict[int, str]  # column index in the file -> column key
_CENT = Decimal("0.01")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Sheet:
    headers: list[str]
    rows: list[tuple[int, list[Any]]]  # (row number as shown in the spreadsheet, cells)


@dataclass
class ParsedInventory:
    filename: str
    sha256: str
    rows: list[dict[str, Any]]
    ignored_headers: list[str] = field(default_factory=list)


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


def label_variants(label: Any, fold: Callable[[str], str] = normalise) -> set[str]:
    """A translatable label as it reads in Japanese and in English, folded for matching."""
    names = set()
    for language in ("ja", "en"):
        with translation.override(language):
            names.add(fold(str(label)))
    return names


@cache
def header_aliases() -> dict[str, str]:
    """Every accepted header (key, Japanese label, English label) -> column key."""
    aliases: dict[str, str] = {}
    for column in FILE_COLUMNS:
        for name in {normalise(column.key), *label_variants(column.label)}:
            aliases[name] = column.key
    return aliases


@cache
def derived_aliases() -> frozenset[str]:
    names: set[str] = set()
    for key, label in DERIVED_COLUMNS:
        names |= {normalise(key), *label_variants(label)}
    return frozenset(names)


@cache
def enum_aliases(key: str) -> dict[str, str]:
    column = COLUMNS_BY_KEY[key]
    assert column.choices is not None
    aliases: dict[str, str] = {}
    for value, label in column.choices.choices:
        for name in {normalise(value), *label_variants(label)}:
            aliases[name] = value
    return aliases


def auto_mapping(headers: list[str]) -> tuple[Mapping, list[int]]:
    """Map recognised headers to column keys; return the mapping and the unrecognised indices.

    Columns the export adds (annual hours and the like) are recognised and ignored."""
    aliases, derived = header_aliases(), derived_aliases()
    mapping: Mapping = {}
    unknown: list[int] = []
    for index, header in enumerate(headers):
        name = normalise(header)
        if not name or name in derived:
            continue
        if name in aliases and aliases[name] not in mapping.values():
            mapping[index] = aliases[name]
        else:
            unknown.append(index)
    return mapping, unknown


def check_mapping(headers: list[str], mapping: Mapping) -> list[Problem]:
    problems = []
    seen: dict[str, int] = {}
    for index, key in sorted(mapping.items()):
        if key not in COLUMNS_BY_KEY or index >= len(headers):
            problems.append(Problem(None, None, _("Unknown column in the mapping.")))
        elif key in seen:
            problems.append(
                Problem(
                    None,
                    None,
                    _("Columns %(first)s and %(second)s are both mapped to “%(field)s”.")
                    % {
                        "first": column_name(seen[key], headers[seen[key]]),
                        "second": column_name(index, headers[index]),
                        "field": COLUMNS_BY_KEY[key].label,
                    },
                )
            )
        else:
            seen[key] = index
    for column in INVENTORY_COLUMNS:
        if column.required and column.key not in seen:
            problems.append(
                Problem(
                    None,
                    None,
                    _("The required column “%(field)s” is missing.") % {"field": column.label},
                )
            )
    return problems


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
        if text[:1] == "'" and text[1:2] in FORMULA_STARTS:
            text = text[1:]  # undo the export's neutralising apostrophe: round trips exactly
        if len(text) > column.max_length:
            raise CellError(
                _("Longer than %(limit)s characters (%(length)s).")
                % {"limit": column.max_length, "length": len(text)}
            )
        return text
    if column.kind == "enum":
        value = enum_aliases(column.key).get(normalise(_text(cell)))
        if value is None:
            assert column.choices is not None
            allowed = " / ".join(str(label) for label in column.choices.labels)
            raise CellError(
                _("“%(value)s” is not one of: %(allowed)s.")
                % {"value": _shorten(_text(cell)), "allowed": allowed}
            )
        return value
    return _parse_number(column, cell)


def _parse_number(column: Column, cell: Any) -> Decimal | int:
    if isinstance(cell, bool):
        raise CellError(_("“%(value)s” is not a number.") % {"value": cell})
    if isinstance(cell, datetime.time) and column.key == "minutes":
        cell = cell.hour * 60 + cell.minute + Decimal(cell.second) / 60  # Excel's 0:30
    raw = str(cell) if isinstance(cell, int | float | Decimal) else _number_text(str(cell))
    try:
        number = Decimal(raw)
    except InvalidOperation:
        raise CellError(
            _("“%(value)s” is not a number.") % {"value": _shorten(_text(cell))}
        ) from None
    if not number.is_finite():
        raise CellError(_("“%(value)s” is not a number.") % {"value": _shorten(_text(cell))})
    if column.minimum is not None and number < column.minimum:
        raise CellError(
            _("Must be at least %(minimum)s (got %(value)s).")
            % {"minimum": column.minimum, "value": _plain(number)}
        )
    if column.maximum is not None and number > column.maximum:
        if column.key == "minutes":
            raise CellError(
                _("More than 24 hours (1,440 minutes) for one occurrence (got %(value)s).")
                % {"value": _plain(number)}
            )
        raise CellError(
            _("Must be at most %(maximum)s (got %(value)s).")
            % {"maximum": column.maximum, "value": _plain(number)}
        )
    if column.kind == "int":
        if number != number.to_integral_value():
            raise CellError(
                _("Must be a whole number (got %(value)s).") % {"value": _plain(number)}
            )
        return int(number)
    return number.quantize(_CENT, rounding=ROUND_HALF_UP)


_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


def _number_text(text: str) -> str:
    """Full-width digits and signs folded; ¥, 円 and thousands separators dropped. A comma that
    is not a thousands separator (1,5) stays, so the cell is refused rather than read as 15."""
    folded = unicodedata.normalize("NFKC", text).strip().replace("−", "-")
    folded = folded.replace("¥", "").replace("円", "").replace(" ", "")
    return folded.replace(",", "") if _THOUSANDS.match(folded) else folded


def _plain(number: Decimal) -> str:
    """The number in a message: plain digits, or 1e+400 when that would be long. normalize()
    overflows past the context's exponent (1e999999999) and "f" would spell out every digit."""
    if number.is_zero():
        return "0"
    if abs(number.adjusted()) > 20:
        return format(number, ".6g")
    return format(number.normalize(), "f")


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- rows ------------------------------------------------------------------------------------


def parse_rows(sheet: Sheet, mapping: Mapping) -> list[dict[str, Any]]:
    """Validate every row; return the task values, or raise with every problem found."""
    problems = check_mapping(sheet.headers, mapping)
    if problems:
        raise ImportRejected(problems)
    names = {index: column_name(index, sheet.headers[index]) for index in mapping}
    columns = [(index, COLUMNS_BY_KEY[key]) for index, key in sorted(mapping.items())]
    minutes_index = next((i for i, key in mapping.items() if key == "minutes"), None)
    first_seen: dict[tuple[str, str, str], int] = {}
    parsed: list[dict[str, Any]] = []
    for number, cells in sheet.rows:
        values: dict[str, Any] = {"source_row": number}
        row_problems = []
        for index, column in columns:
            try:
                values[column.key] = parse_cell(column, cells[index])
            except CellError as error:
                row_problems.append(Problem(number, names[index], str(error)))
        row_problems += _row_checks(values, number, names.get(minutes_index), first_seen)
        problems += row_problems
        if len(problems) >= MAX_PROBLEMS:
            break
        parsed.append(_with_defaults(values))
    if problems:
        raise ImportRejected(problems[:MAX_PROBLEMS])
    return parsed


def _row_checks(
    values: dict[str, Any],
    number: int,
    minutes_column: str | None,
    first_seen: dict[tuple[str, str, str], int],
) -> list[Problem]:
    problems = []
    key = tuple(_same_text(values.get(name) or "") for name in ("department", "process", "task"))
    if not all(key):
        pass  # a missing part is reported as a required value
    elif key in first_seen:
        problems.append(
            Problem(
                number,
                None,
                _("Same department, process and task as row %(row)s (a duplicate row).")
                % {"row": first_seen[key]},
            )
        )
    else:
        first_seen[key] = number  # type: ignore[index]
    minutes, occurrences = values.get("minutes"), values.get("occurrences")
    daily = values.get("frequency") == "daily" and minutes is not None and occurrences is not None
    if daily and minutes * occurrences > 1440:
        problems.append(
            Problem(
                number,
                minutes_column,
                _("%(times)s times a day × %(minutes)s minutes is more than 24 hours a day.")
                % {"times": _plain(occurrences), "minutes": _plain(minutes)},
            )
        )
    return problems


def _same_text(text: str) -> str:
    """Width, case and runs of spaces do not make two tasks different; "T-1" and "T1" do."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _with_defaults(values: dict[str, Any]) -> dict[str, Any]:
    given = {c.key.upper(): values.pop(c.key, None) for c in ANSWER_COLUMNS}
    answers = {code: answer for code, answer in given.items() if answer}
    values["answers"] = answers
    values["answer_sources"] = dict.fromkeys(answers, "file")
    for column in INVENTORY_COLUMNS:
        value = values.get(column.key)
        if value is None:
            if column.key == "occurrences":
                values[column.key] = Decimal(1)
            elif column.key == "people":
                values[column.key] = 1
            elif column.kind in ("text", "enum"):
                values[column.key] = ""
            else:
                values[column.key] = None
    return values


def parse_file(data: bytes, filename: str = "", mapping: Mapping | None = None) -> ParsedInventory:
    """Read, map (automatically unless a mapping is given) and validate a whole file."""
    sheet = read_sheet(data, filename)
    ignored: Iterable[int]
    if mapping is None:
        mapping, ignored = auto_mapping(sheet.headers)
    else:
        ignored = [i for i, h in enumerate(sheet.headers) if h and i not in mapping]
    rows = parse_rows(sheet, mapping)
    return ParsedInventory(
        filename=filename,
        sha256=hashlib.sha256(data).hexdigest(),
        rows=rows,
        ignored_headers=[sheet.headers[i] for i in ignored],
    )
