"""Files the app writes for people and scripts: the blank inventory template (.xlsx), the export of
an inventory (.xlsx, re-importable as it is) and the results CSV of `manage.py assess` (SPEC 6.2).

The layout comes from `columns.FILE_COLUMNS`, so the importer reads back what is written here.
Every text cell goes through `neutralise` so that no exported cell can run as a formula."""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import IO, Any, TypeVar

import xlsxwriter
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from assessments.classification import OUTSOURCED
from assessments.columns import (
    ANSWER_COLUMNS,
    DERIVED_COLUMNS,
    FILE_COLUMNS,
    INVENTORY_COLUMNS,
    Column,
)
from assessments.inventory import Derived
from assessments.models import Assessment, Task, TaskResult

T = TypeVar("T")

# Characters that make Excel or a CSV reader treat a cell as a formula (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
TEMPLATE_ROWS = 5000  # rows below the header that get the dropdowns and number checks
LISTS_SHEET = "lists"  # hidden; holds the dropdown values, which may exceed 255 characters inline
FREEZE_COLUMNS = 3  # department, process and task stay visible when scrolling right
_SHEET_NAME_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})

# Display formats of the export's derived columns (key -> Excel number format).
DERIVED_FORMATS = {
    "annual_occurrences": "General",  # may be fractional; "#,##0.##" would show "240."
    "annual_hours": "#,##0.0",
    "fte": "0.00",
    "annual_cost": "#,##0",
}
INPUT_FORMATS = {"hourly_cost": "#,##0"}


def neutralise(value: T) -> T:
    """Prefix text that would start a formula with an apostrophe; leave anything else alone."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value  # type: ignore[return-value]
    return value


# --- workbooks -------------------------------------------------------------------------------


def template_workbook(language: str) -> bytes:
    """The blank import template in `language`: headers, dropdowns, notes and guidance."""
    with translation.override(language):
        return _build_workbook(tasks=None)


def export_workbook(assessment: Assessment, language: str) -> bytes:
    """The assessment's inventory in the template's layout plus the derived columns."""
    org = assessment.organisation.volume_settings
    tasks = [(task, task.derive(org)) for task in _tasks(assessment)]
    with translation.override(language):
        return _build_workbook(tasks=tasks)


def _tasks(assessment: Assessment) -> list[Task]:
    return list(assessment.tasks.order_by("position", "id"))


def _build_workbook(tasks: list[tuple[Task, Derived]] | None) -> bytes:
    """The template when `tasks` is None, otherwise the export. The inventory sheet comes first
    because the importer reads the first sheet."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            # Belt and braces: text is written with write_string anyway.
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    styles = _Styles.create(workbook)
    sheet = workbook.add_worksheet(_sheet_name(_("Inventory")))
    _write_guidance(workbook.add_worksheet(_sheet_name(_("How to fill in"))), styles)
    sources = _write_lists(workbook)
    rows = tasks or []
    _write_headers(sheet, styles, derived=tasks is not None)
    for number, (task, derived) in enumerate(rows, start=1):
        _write_task(sheet, number, task, styles)
        _write_derived(sheet, number, task, derived, styles)
    last_row = max(TEMPLATE_ROWS, len(rows))
    _add_validations(sheet, sources, last_row)
    _set_widths(sheet, styles, rows)
    sheet.freeze_panes(1, FREEZE_COLUMNS)
    if tasks is not None:
        sheet.autofilter(0, 0, len(rows), len(FILE_COLUMNS) + len(DERIVED_COLUMNS) - 1)
    workbook.close()
    return buffer.getvalue()


def _sheet_name(name: str) -> str:
    """Excel refuses some characters and names over 31 characters; a translation might use them."""
    return name.translate(_SHEET_NAME_FORBIDDEN).strip()[:31] or "Sheet"


@dataclass(frozen=True)
class _Styles:
    required_header: Format
    optional_header: Format
    derived_header: Format
    text: Format
    inputs: dict[str, Format]  # column key -> number format of an input column
    derived: dict[str, Format]  # derived key -> its number format
    title: Format
    wrap: Format
    # Column key -> stored value -> label in the active language; translated once, not per cell.
    choice_labels: dict[str, dict[str, str]]

    @classmethod
    def create(cls, workbook: Workbook) -> _Styles:
        header = {"bold": True, "text_wrap": True, "valign": "top", "border": 1}
        return cls(
            # Required columns stand out by colour; the header text itself must stay as it is
            # because the importer recognises columns by their header.
            required_header=workbook.add_format({**header, "bg_color": "#F4B183"}),
            optional_header=workbook.add_format({**header, "bg_color": "#DDEBF7"}),
            derived_header=workbook.add_format({**header, "bg_color": "#D9D9D9", "italic": True}),
            text=workbook.add_format({"num_format": "@"}),  # keeps "001" or "=x" typed as text
            inputs={k: workbook.add_format({"num_format": f}) for k, f in INPUT_FORMATS.items()},
            derived={k: workbook.add_format({"num_format": f}) for k, f in DERIVED_FORMATS.items()},
            title=workbook.add_format({"bold": True, "font_size": 14}),
            wrap=workbook.add_format({"text_wrap": True, "valign": "top"}),
            choice_labels={
                column.key: {value: str(label) for value, label in column.choices.choices}
                for column in FILE_COLUMNS
                if column.choices is not None
            },
        )


def _write_headers(sheet: Worksheet, styles: _Styles, *, derived: bool) -> None:
    sheet.set_row(0, 36)
    for index, column in enumerate(FILE_COLUMNS):
        style = styles.required_header if column.required else styles.optional_header
        sheet.write_string(0, index, str(column.label), style)
        _comment(sheet, index, header_note(column))
    if not derived:
        return
    note = _("Calculated by the app; ignored when the file is imported.")
    for offset, (_key, label) in enumerate(DERIVED_COLUMNS):
        index = len(FILE_COLUMNS) + offset
        sheet.write_string(0, index, str(label), styles.derived_header)
        _comment(sheet, index, note)


def _comment(sheet: Worksheet, column: int, text: str) -> None:
    # Grow the note box with the text so that long lists of allowed values stay readable.
    lines = sum(1 + _display_width(line) // 40 for line in text.splitlines())
    sheet.write_comment(0, column, text, {"x_scale": 2, "y_scale": max(1.0, lines / 4)})


def header_note(column: Column) -> str:
    """What a header's note says: required or not, meaning, allowed values or range."""
    parts = [_("Required.") if column.required else _("Optional.")]
    if column.help_text:
        parts.append(str(column.help_text))
    if column.choices is not None:
        values = " / ".join(str(label) for label in column.choices.labels)
        parts.append(_("Choose one of: %(values)s.") % {"values": values})
    elif column.kind in ("int", "decimal"):
        parts.append(_range_text(column))
    else:
        parts.append(_("Text, up to %(limit)s characters.") % {"limit": column.max_length})
    return "\n".join(parts)


def _range_text(column: Column) -> str:
    bounds = {"minimum": _plain(column.minimum), "maximum": _plain(column.maximum)}
    if column.kind == "int":
        return _("A whole number from %(minimum)s to %(maximum)s.") % bounds
    return _("A number from %(minimum)s to %(maximum)s.") % bounds


def _plain(number: Decimal | None) -> str:
    return "" if number is None else f"{number.normalize():,f}"


ANSWER_KEYS = frozenset(column.key for column in ANSWER_COLUMNS)


def _write_task(sheet: Worksheet, row: int, task: Task, styles: _Styles) -> None:
    for index, column in enumerate(FILE_COLUMNS):
        value = _input_value(column, task_value(task, column), styles)
        if isinstance(value, str):
            sheet.write_string(row, index, value)
        elif value is not None:
            sheet.write_number(row, index, value, styles.inputs.get(column.key))


def task_value(task: Task, column: Column) -> Any:
    """A task's value for a file column: a field, or one of its explicit check answers
    (pre-filled answers are derived from the attributes, so they are not written)."""
    if column.key in ANSWER_KEYS:
        return task.answers.get(column.key.upper())
    return getattr(task, column.key)


def _input_value(column: Column, value: Any, styles: _Styles) -> str | float | None:
    """A task's field as the cell shows it: enum labels in the active language, numbers as
    numbers, blanks as None."""
    if value is None or value == "":
        return None
    if column.kind in ("int", "decimal"):
        return float(value)
    label = styles.choice_labels.get(column.key, {}).get(value)
    return label if label is not None else neutralise(str(value))


def _write_derived(
    sheet: Worksheet, row: int, task: Task, derived: Derived, styles: _Styles
) -> None:
    for offset, (key, _label) in enumerate(DERIVED_COLUMNS, start=len(FILE_COLUMNS)):
        if key == "single_person_dependency":
            # Unknown when nobody said how many staff can do it: blank rather than "No".
            if task.people_able is not None:
                sheet.write_string(row, offset, _yes_no(derived.single_person_dependency))
            continue
        value = getattr(derived, key)
        if value is not None:
            sheet.write_number(row, offset, float(value), styles.derived[key])


def _yes_no(value: bool) -> str:
    return pgettext("boolean", "Yes") if value else pgettext("boolean", "No")


# --- dropdowns and number checks ---------------------------------------------------------


def _write_lists(workbook: Workbook) -> dict[str, str]:
    """Write each enumeration's labels to a hidden sheet; return column key -> range formula."""
    sheet = workbook.add_worksheet(LISTS_SHEET)
    sources: dict[str, str] = {}
    enum_columns = [column for column in FILE_COLUMNS if column.choices is not None]
    for index, column in enumerate(enum_columns):
        assert column.choices is not None
        labels = [str(label) for label in column.choices.labels]
        for row, label in enumerate(labels):
            sheet.write_string(row, index, label)
        letter = xl_col_to_name(index)
        sources[column.key] = f"={LISTS_SHEET}!${letter}$1:${letter}${len(labels)}"
    sheet.hide()
    return sources


def _add_validations(sheet: Worksheet, sources: dict[str, str], last_row: int) -> None:
    for index, column in enumerate(FILE_COLUMNS):
        rule = _validation(column, sources)
        if rule is not None:
            sheet.data_validation(1, index, last_row, index, rule)


def _validation(column: Column, sources: dict[str, str]) -> dict[str, Any] | None:
    if column.key in sources:
        # A warning, not a stop: the importer also accepts the English key or label.
        return {
            "validate": "list",
            "source": sources[column.key],
            "error_type": "warning",
            "error_title": _("Not in the list")[:32],
            "error_message": _("Choose a value from the dropdown list.")[:255],
        }
    if column.kind in ("int", "decimal") and column.minimum is not None:
        number: Callable[[Decimal], int | float] = int if column.kind == "int" else float
        return {
            "validate": "integer" if column.kind == "int" else "decimal",
            "criteria": "between",
            "minimum": number(column.minimum),
            "maximum": number(column.maximum or Decimal(10) ** 9),
            "error_title": _("Out of range")[:32],
            "error_message": _range_text(column)[:255],
        }
    return None


# --- widths ----------------------------------------------------------------------------------


def _display_width(text: str) -> int:
    """Width in Excel character units: full-width (Japanese) characters count double."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _set_widths(sheet: Worksheet, styles: _Styles, rows: list[tuple[Task, Derived]]) -> None:
    sample = rows[:200]  # enough to size the columns without measuring 10,000 rows
    for index, column in enumerate(FILE_COLUMNS):
        widths = [_display_width(str(column.label)) // 2 + 4]  # the header wraps onto two lines
        if column.choices is not None:
            widths += [_display_width(str(label)) + 3 for label in column.choices.labels]
        elif column.kind == "text":
            widths.append(40 if column.max_length > 200 else 16)
        for task, _derived in sample:
            value = _input_value(column, task_value(task, column), styles)
            if isinstance(value, str):
                widths.append(_display_width(value) + 2)
        style = styles.text if column.kind == "text" else styles.inputs.get(column.key)
        sheet.set_column(index, index, _clamp(max(widths)), style)
    for offset, (_key, label) in enumerate(DERIVED_COLUMNS):
        index = len(FILE_COLUMNS) + offset
        sheet.set_column(index, index, _clamp(_display_width(str(label)) // 2 + 4))


def _clamp(width: int) -> int:
    return min(max(width, 8), 50)


# --- guidance sheet --------------------------------------------------------------------------


def _write_guidance(sheet: Worksheet, styles: _Styles) -> None:
    sheet.set_column(0, 0, 100, styles.wrap)
    sheet.write_string(0, 0, _("How to fill in the work inventory"), styles.title)
    for row, text in enumerate(guidance_lines(), start=2):
        sheet.write_string(row, 0, text, styles.wrap)


def guidance_lines() -> list[str]:
    """The guidance in the active language, naming the columns by their headers."""
    labels = {column.key: str(column.label) for column in INVENTORY_COLUMNS}
    required = " / ".join(str(column.label) for column in INVENTORY_COLUMNS if column.required)
    return [
        _(
            "1. One row per unit of work: a task one person carries out from start to finish "
            "(e.g. “Check timesheets”), not a whole process (e.g. “Payroll”). Write the process "
            "in the “%(process)s” column and the unit of work in the “%(task)s” column."
        )
        % labels,
        _(
            "2. “%(frequency)s” and “%(occurrences)s”: choose how often the work recurs and enter "
            "how many times per period (e.g. weekly and 2 = twice a week). For ad hoc work, "
            "enter the number of times per year."
        )
        % labels,
        _("3. “%(minutes)s”: the minutes one occurrence takes, per person.") % labels,
        _("4. “%(people)s”: how many people take part in each occurrence.") % labels,
        _(
            "5. Ask the staff who actually do the work (an interview) rather than estimating; "
            "write whom you asked in the “%(interviewee)s” column."
        )
        % labels,
        _(
            "6. Only the first four columns (%(required)s) are required; their headers are "
            "coloured. Fill in the others as far as you can: the more you fill in, the better "
            "the recommendation."
        )
        % {"required": required},
        _(
            "7. Pick values from the dropdowns. Point at a header to read what it means and "
            "which values or range it accepts."
        ),
        _(
            "8. Keep the header row as it is and the inventory on the first sheet: the import "
            "recognises the columns by their headers and reads the first sheet only."
        ),
    ]


# --- results CSV (SPEC 6.2) ------------------------------------------------------------------


@dataclass(frozen=True)
class ResultRow:
    """Everything a results column may read about one task: the task (with its result and
    override, fetched with it), its hours and cost."""

    task: Task
    derived: Derived


ResultGetter = Callable[[ResultRow], object]


def _field(name: str) -> ResultGetter:
    return lambda result: getattr(result.task, name)


def _rounded(name: str, places: str) -> ResultGetter:
    """A derived value rounded half up to `places` ("0.01", "1"); None stays None."""

    def get(result: ResultRow) -> Decimal | None:
        value = getattr(result.derived, name)
        return None if value is None else value.quantize(Decimal(places), ROUND_HALF_UP)

    return get


def _checked(get: Callable[[Task, TaskResult], object]) -> ResultGetter:
    """A value of the stored check and recommendation; None (an empty cell) until there is one."""

    def getter(row: ResultRow) -> object:
        result = row.task.current_result
        return None if result is None else get(row.task, result)

    return getter


def _codes(key: str) -> ResultGetter:
    return _checked(lambda _task, result: ";".join(result.detail.get(key, [])))


def _pilot(task: Task, result: TaskResult) -> bool:
    # Follows the model that will be used, as the warnings do: an override to in-house or
    # dispatch leaves nothing to pilot.
    return result.verdict == "borderline" and task.final_model in OUTSOURCED


# Extend by appending (key, getter): keys are the CSV header, English always (a machine format);
# values are keys too, never translated labels.
RESULT_COLUMNS: list[tuple[str, ResultGetter]] = [
    ("row", _field("source_row")),
    ("department", _field("department")),
    ("process", _field("process")),
    ("task", _field("task")),
    ("annual_hours", _rounded("annual_hours", "0.01")),
    ("fte", _rounded("fte", "0.001")),
    ("annual_cost", _rounded("annual_cost", "1")),
    ("suitability", _checked(lambda _task, result: result.suitability)),
    ("verdict", _checked(lambda _task, result: result.verdict)),
    ("model", _checked(lambda task, _result: task.final_model)),
    ("runner_up", _checked(lambda _task, result: result.detail.get("runner_up", ""))),
    ("pilot", _checked(_pilot)),
    ("reasons", _codes("reasons")),
    ("warnings", _codes("warnings")),
]


def result_rows(assessment: Assessment) -> list[ResultRow]:
    """Every task with its result and override, in inventory order, in one query."""
    org = assessment.organisation.volume_settings
    tasks = assessment.tasks.select_related("result", "override").order_by("position", "id")
    return [ResultRow(task, task.derive(org)) for task in tasks]


def write_results_csv(
    assessment: Assessment, stream: IO[str], rows: list[ResultRow] | None = None
) -> None:
    """One line per task in inventory order; open `stream` with newline="". Pass `rows` when
    the caller already has them (the command line also prints a summary from them)."""
    writer = csv.writer(stream)
    writer.writerow([key for key, _getter in RESULT_COLUMNS])
    rows = result_rows(assessment) if rows is None else rows
    writer.writerows(_csv_line(result) for result in rows)


def _csv_line(result: ResultRow) -> list[str]:
    return [_csv_cell(getter(result)) for _key, getter in RESULT_COLUMNS]


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return neutralise(value)
    return str(value)
