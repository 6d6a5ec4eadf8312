"""Step 3 of reading a sheet: what each column means and what each cell says (SPEC 4.2.1).

Columns: the header's meaning and unit, or the person's decision for it. Cells: words
(月次, 週2回, ○/×, 高/中/低, 社外秘), durations with their unit (「2時間30分」, 0:45, [h]:mm cells,
a unit in the header), numbers as people write them (「１２０」「1,200」「2名」). What the import
cannot be sure of becomes a question (a duration column without a unit whose values do not look
like minutes, a word it does not know), never a guess."""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.domain.columns import (
    COLUMNS_BY_KEY,
    DURATION_KEYS,
    MONTHLY_HOURS,
    Column,
    unneutralised,
)
from assessments.files import words
from assessments.files.clean import Table, Uncached
from assessments.files.decisions import Decisions
from assessments.files.locate import Column as HeaderColumn
from assessments.files.problems import Problem, column_letters, column_name, plain, shorten

CENT = Decimal("0.01")
# Keys a column can be given in the mapping step, beyond the stored ones.
EXTRA_KEYS = ("monthly_hours", words.STATED_HOURS, words.MAJOR_PROCESS, words.PERSON)
# Keys a mapping saved earlier may hold, and what they are read as now.
LEGACY_KEYS = {
    words.BUSY_OCCURRENCES: "occurrences_high",
    words.QUIET_OCCURRENCES: "occurrences_low",
}
NOT_READ = frozenset({words.ROW_NUMBER, words.DERIVED})
HOURS_KEYS = frozenset({"annual_hours", "monthly_hours", words.STATED_HOURS})
VOLUME_KEYS = HOURS_KEYS | {"minutes"}  # a column saying how long the work takes
DURATION_UNITS = (words.MINUTE, words.HOUR, words.SECOND, words.DAY)
PERIODS = (words.MONTHLY, words.YEARLY)


@dataclass(frozen=True)
class ColumnUse:
    """One column of the table: what the import reads it as (key None: not read)."""

    index: int
    header: str
    signature: str  # the folded header (with #2 for a repeated one): how decisions name it
    key: str | None
    unit: str | None = None  # durations: minute/hour/second/day; hours: hour or minute
    period: str | None = None  # stated hours of unknown period: monthly / yearly once decided
    decided: bool = False  # the person chose the key (else the header said it)
    duplicate_of: str | None = None  # the header of the column already read as this key
    samples: tuple[str, ...] = ()
    not_read: bool = False  # known and not read on purpose: No., the export's FTE and cost

    @property
    def ignored(self) -> bool:
        """A column the person may want to look at: unknown, or a second one of a key."""
        return self.key is None and not self.not_read

    @property
    def name(self) -> str:
        return column_name(self.index, self.header)

    @property
    def letter(self) -> str:
        return column_letters(self.index)


@dataclass(frozen=True)
class Question:
    """Something the person must decide before the file can be read (the CLI refuses instead,
    naming the column and the fix)."""

    kind: str  # unit / period / value / category / prefer / department
    column: str = ""  # signature of the column it is about
    header: str = ""  # the column as the spreadsheet names it: "F (所要時間)"
    key: str = ""
    value: str = ""  # the word to map, as the file writes it
    rows: tuple[int, ...] = ()
    samples: tuple[str, ...] = ()


@dataclass
class RowValues:
    number: int
    values: dict[str, Any]
    filled: frozenset[str] = frozenset()
    refused: set[str] = field(default_factory=set)  # keys whose cell is a problem already


@dataclass
class Interpreted:
    columns: tuple[ColumnUse, ...]
    rows: list[RowValues]
    problems: list[Problem] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)


def signatures(columns: tuple[HeaderColumn, ...]) -> list[str]:
    """The folded headers, a repeated one numbered (備考, 備考#2)."""
    seen: dict[str, int] = defaultdict(int)
    names = []
    for column in columns:
        name = words.fold_header(column.header) or column_letters(column.index).lower()
        seen[name] += 1
        names.append(name if seen[name] == 1 else f"{name}#{seen[name]}")
    return names


def allowed_keys() -> tuple[str, ...]:
    return (*COLUMNS_BY_KEY, *EXTRA_KEYS)


def interpret(table: Table, decisions: Decisions, hours_per_day: Decimal) -> Interpreted:
    columns = _columns(table, decisions)
    result = Interpreted(columns, [])
    units = _duration_units(columns, table, result)
    undecided = [c for c in columns if c.ignored and c.signature not in decisions.columns]
    if undecided and not {c.key for c in columns} & VOLUME_KEYS:
        # No column says how long the work takes, and some column is unknown: it may be the
        # one (作業分数, Mins). Asked rather than importing tasks without hours.
        result.questions.append(Question("columns", samples=tuple(c.name for c in undecided)))
    unknown: dict[tuple[str, str], list[int]] = defaultdict(list)
    readers = [
        (position, column, _reader(column, decisions, units.get(column.signature), hours_per_day))
        for position, column in enumerate(columns)
        if column.key
    ]
    for row in table.rows:
        values: dict[str, Any] = {}
        refused: set[str] = set()
        for position, column, reader in readers:
            cell = row.cells[position]
            if isinstance(cell, Uncached):
                result.problems.append(
                    Problem(row.number, column.name, uncached(column, row.number))
                )
                refused.add(column.key or "")
                continue
            try:
                value = reader(cell)
            except CellError as error:
                result.problems.append(Problem(row.number, column.name, str(error)))
                refused.add(column.key or "")
                continue
            except UnknownWord as word:
                unknown[column.signature, word.text].append(row.number)
                continue
            if value is None:
                continue
            if column.key == "frequency":
                values["frequency"], given = value
                if given is not None:
                    values["frequency_occurrences"] = given
            else:
                values[column.key] = value  # type: ignore[index]
        result.rows.append(RowValues(row.number, values, row.filled, refused))
    by_signature = {column.signature: column for column in columns}
    for (signature, text), rows in unknown.items():
        column = by_signature[signature]
        result.questions.append(
            Question("value", signature, column.name, column.key or "", text, tuple(rows))
        )
    return result


# --- columns ---------------------------------------------------------------------------------


def _columns(table: Table, decisions: Decisions) -> tuple[ColumnUse, ...]:
    located = table.located
    taken: dict[str, str] = {}
    uses = []
    allowed = set(allowed_keys())
    for position, (column, signature) in enumerate(
        zip(located.columns, signatures(located.columns), strict=True)
    ):
        meaning = column.meaning
        decided = signature in decisions.columns
        key = decisions.columns[signature] if decided else (meaning.key if meaning else None)
        key = LEGACY_KEYS.get(key or "", key)
        not_read = not decided and meaning is not None and meaning.key in NOT_READ
        if key not in allowed:
            key = None
        unit = meaning.unit if meaning and not decided else None
        if meaning and decided and meaning.key == key:
            unit = meaning.unit
        if key in HOURS_KEYS and unit is None:
            unit = words.HOUR
        period = meaning.period if meaning else None
        chosen = decisions.units.get(signature)
        if chosen in DURATION_UNITS:
            unit = chosen
        elif chosen in PERIODS:
            period = chosen
        duplicate = None
        if key is not None and key in taken:
            duplicate, key = taken[key], None
            # Our export's derived 年間回数 beside its 回数: expected, not worth a mention.
            not_read = not_read or words.fold_header(column.header) in words.derived_labels()
        elif key is not None:
            taken[key] = column.header
        uses.append(
            ColumnUse(
                column.index,
                column.header,
                signature,
                key,
                unit=unit,
                period=period,
                decided=decided,
                duplicate_of=duplicate,
                samples=_samples(table, position),
                not_read=not_read,
            )
        )
    return tuple(uses)


def _samples(table: Table, position: int, limit: int = 4) -> tuple[str, ...]:
    found: list[str] = []
    for row in table.rows[:200]:
        cell = row.cells[position]
        text = display(cell)
        if text and text not in found:
            found.append(text)
            if len(found) == limit:
                break
    return tuple(found)


def display(cell: Any) -> str:
    """A cell as a person reads it: 0:45 for a time, 26:00 for [h]:mm, 1.5 not 1.5000."""
    if cell is None or isinstance(cell, Uncached):
        return ""
    if isinstance(cell, datetime.timedelta):
        minutes = int(cell.total_seconds() // 60)
        return f"{minutes // 60}:{minutes % 60:02d}"
    if isinstance(cell, datetime.time):
        return f"{cell.hour}:{cell.minute:02d}"
    if isinstance(cell, float):
        return format(Decimal(str(cell)).normalize(), "f") if cell == cell else ""
    return str(cell).strip()


def _duration_units(
    columns: tuple[ColumnUse, ...], table: Table, result: Interpreted
) -> dict[str, str | None]:
    """The unit of each duration column: the header's or the person's; else minutes when the
    plain numbers look like minutes; else a question. Stated hours of unknown period likewise."""
    units: dict[str, str | None] = {}
    for position, column in enumerate(columns):
        if column.key == words.STATED_HOURS and column.period is None:
            result.questions.append(
                Question(
                    "period", column.signature, column.name, column.key, "", (), column.samples
                )
            )
        if column.key not in DURATION_KEYS:
            continue
        if column.unit is not None:
            units[column.signature] = column.unit
            continue
        plain = []
        for row in table.rows:
            found = words.duration(row.cells[position]) if _readable(row.cells[position]) else None
            if found is not None and not found.unit_given:
                plain.append(found.minutes)
        if not plain or _look_like_minutes(plain):
            units[column.signature] = words.MINUTE
        else:
            units[column.signature] = None
            result.questions.append(
                Question("unit", column.signature, column.name, column.key, "", (), column.samples)
            )
    return units


def _look_like_minutes(values: list[Decimal]) -> bool:
    """Whole numbers, typically ten or more: 30, 45, 120. Values such as 0.5, 1.5 or 2 are
    more likely hours, and a wrong guess makes every figure 60 times off: ask instead."""
    if any(value != value.to_integral_value() for value in values):
        return False
    positive = [value for value in values if value > 0]
    return not positive or statistics.median(positive) >= 10


def _readable(cell: Any) -> bool:
    return not isinstance(cell, Uncached) and not words.is_blank(cell)


# --- cells -----------------------------------------------------------------------------------


class CellError(ValueError):
    pass


class UnknownWord(Exception):
    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def _reader(
    column: ColumnUse, decisions: Decisions, unit: str | None, hours_per_day: Decimal
) -> Callable[[Any], Any]:
    """The function that reads the column's cells: the cell's value for the column's key, None
    when empty; it raises CellError or UnknownWord. Chosen once per column, and remembering
    what it read: a sheet writes 月次 or ○ thousands of times."""
    key = column.key
    assert key is not None
    definition = _definition(key)
    parse: Callable[[Any], Any]
    if key in (words.PERSON, words.MAJOR_PROCESS) or definition.kind == "text":
        parse = partial(_text, definition)
    elif key == "frequency":
        parse = partial(_frequency, decisions=decisions)
    elif key in DURATION_KEYS:
        parse = partial(_minutes, column, unit=unit, hours_per_day=hours_per_day)
    elif key in HOURS_KEYS:
        parse = partial(_hours, column, hours_per_day=hours_per_day)
    elif definition.kind == "enum":
        parse = partial(_enum, key, decisions=decisions)
    else:
        parse = partial(_number, definition, decisions=decisions)
    seen: dict[tuple[type, Any], Any] = {}

    def read(cell: Any) -> Any:
        if words.is_blank(cell):
            return None
        memo = (type(cell), cell)  # 1, 1.0 and True are equal keys otherwise
        if memo not in seen:
            try:
                seen[memo] = parse(cell)
            except (CellError, UnknownWord) as error:
                seen[memo] = error
        found = seen[memo]
        if isinstance(found, CellError | UnknownWord):
            raise found
        return found

    return read


def uncached(column: ColumnUse, row: int) -> str:
    return _(
        "The cell %(cell)s holds a formula whose result was not saved with the file. Open the "
        "file in Excel, let it calculate, save it and upload it again."
    ) % {"cell": f"{column.letter}{row}"}


def _definition(key: str) -> Column:
    if key == "monthly_hours":
        return MONTHLY_HOURS
    if key == words.STATED_HOURS:
        return COLUMNS_BY_KEY["annual_hours"]
    if key in (words.PERSON, words.MAJOR_PROCESS):
        return COLUMNS_BY_KEY["process"]
    return COLUMNS_BY_KEY[key]


def _text(column: Column, cell: Any) -> str:
    text = display(cell)
    text = unneutralised(text)  # the export's apostrophe: a round trip is exact
    # Names are compared and grouped: folded as stored. Free text keeps its line breaks.
    free = column.key in ("description", "notes")
    text = text.strip() if free else words.clean_name(text)
    if len(text) > column.max_length:
        raise CellError(
            _("Longer than %(limit)s characters (%(length)s).")
            % {"limit": column.max_length, "length": len(text)}
        )
    return text


def _frequency(cell: Any, *, decisions: Decisions) -> tuple[str, Decimal | None]:
    text = display(cell)
    found = words.frequency(text)
    if found is not None:
        return found.key, found.occurrences
    mapped = decisions.values.get("frequency", {}).get(words.fold(text))
    if mapped is not None and mapped in words.FREQUENCY_WORDS.values():
        return mapped, None
    raise UnknownWord(text)


# Columns whose unknown words are refused rather than asked about: a licence cannot be guessed
# (弁理士 is not one the product knows, and mapping it to another would mislead).
STRICT_ENUMS: dict[str, Any] = {
    "licensed_work": gettext_lazy(
        "“%(value)s” is not a licence the product knows: write 社労士, 税理士, 弁護士, 司法書士 "
        "or 行政書士, or leave the cell blank."
    ),
}


def _enum(key: str, cell: Any, *, decisions: Decisions) -> str:
    text = display(cell)
    if isinstance(cell, bool):
        text = "true" if cell else "false"
    value = words.enum_value(key, text)
    if value is None and key in STRICT_ENUMS:
        raise CellError(STRICT_ENUMS[key] % {"value": shorten(text)})
    if value is None:
        value = decisions.values.get(key, {}).get(words.fold(text))
        column = COLUMNS_BY_KEY[key]
        assert column.choices is not None
        if value not in column.choices.values:
            raise UnknownWord(text)
    return value


def _number(column: Column, cell: Any, *, decisions: Decisions) -> Decimal | int:
    if isinstance(cell, bool):
        raise CellError(_("“%(value)s” is not a number.") % {"value": cell})
    if isinstance(cell, int | float):
        if isinstance(cell, float) and not cell == cell:
            raise CellError(_("“%(value)s” is not a number.") % {"value": cell})
        number = Decimal(str(cell))
    else:
        text = display(cell)
        if words.is_range(text):
            raise CellError(
                _("“%(value)s” is a range: write one figure, the usual one.")
                % {"value": shorten(text)}
            )
        found = words.number(text)
        if found is None:
            mapped = decisions.values.get(column.key, {}).get(words.fold(text))
            if mapped is not None and words.number(mapped) is not None:
                found = words.number(mapped)
            elif column.key == "expertise":
                raise UnknownWord(text)
            else:
                raise CellError(_("“%(value)s” is not a number.") % {"value": shorten(text)})
        assert found is not None
        number = found
    return _bounded(column, number)


def _bounded(column: Column, number: Decimal) -> Decimal | int:
    if not number.is_finite():
        raise CellError(_("“%(value)s” is not a number.") % {"value": number})
    if column.minimum is not None and number < column.minimum:
        raise CellError(
            _("Must be at least %(minimum)s (got %(value)s).")
            % {"minimum": plain(column.minimum), "value": plain(number)}
        )
    if column.maximum is not None and number > column.maximum:
        raise CellError(
            _("Must be at most %(maximum)s (got %(value)s).")
            % {"maximum": plain(column.maximum), "value": plain(number)}
        )
    if column.kind == "int":
        if number != number.to_integral_value():
            raise CellError(_("Must be a whole number (got %(value)s).") % {"value": plain(number)})
        return int(number)
    return number.quantize(CENT, rounding=ROUND_HALF_UP)


def _minutes(
    column: ColumnUse, cell: Any, *, unit: str | None, hours_per_day: Decimal
) -> Decimal | None:
    if isinstance(cell, datetime.date) and not isinstance(cell, datetime.datetime):
        raise CellError(_("“%(value)s” is a date, not a duration.") % {"value": cell})
    text = display(cell)
    if isinstance(cell, str) and words.is_range(text) and words.duration(cell) is None:
        raise CellError(
            _("“%(value)s” is a range: write one figure, the usual one.") % {"value": shorten(text)}
        )
    found = words.duration(cell, hours_per_day)
    if found is None:
        raise CellError(
            _(
                "“%(value)s” is not a duration: write minutes (30), or give the unit "
                "(30分, 1.5時間, 0:45)."
            )
            % {"value": shorten(text)}
        )
    minutes = found.minutes
    if not found.unit_given:
        if unit is None:
            return None  # the column's unit is still to be decided (a question)
        minutes *= words.unit_minutes(unit, hours_per_day)
    bounded = _bounded(COLUMNS_BY_KEY[column.key or "minutes"], minutes)
    assert isinstance(bounded, Decimal)  # a decimal column
    return bounded


def _hours(column: ColumnUse, cell: Any, *, hours_per_day: Decimal) -> Decimal:
    """Stated hours: a number in the column's unit (hours unless its header says 分), or a
    duration cell (「120時間」, 26:00)."""
    found = words.duration(cell, hours_per_day)
    if found is None:
        raise CellError(
            _("“%(value)s” is not a number of hours.") % {"value": shorten(display(cell))}
        )
    if found.unit_given:
        hours = found.minutes / 60
    else:
        hours = found.minutes * words.unit_minutes(column.unit or words.HOUR, hours_per_day) / 60
    definition = MONTHLY_HOURS if column.key == "monthly_hours" else COLUMNS_BY_KEY["annual_hours"]
    bounded = _bounded(definition, hours)
    assert isinstance(bounded, Decimal)
    return bounded
