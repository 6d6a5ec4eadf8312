"""Files the app writes for people and scripts: the blank inventory template (.xlsx), the export of
an inventory (.xlsx) and the results CSV of `manage.py assess` (SPEC 6.2).

The export is one workbook in the reader's language:
1. the inventory in the template's layout (`columns.FILE_COLUMNS`) followed by the derived columns,
   re-importable as it is: the importer finds it (its headers match best) and skips the derived
   headers.
   Each task's annual hours go in the input column `annual_hours` (its stated hours, else those
   of its parts, to 2 decimals), where a re-import finds them agreeing with the parts;
2. the results: one row per task, in the inventory's order (row N is the task of row N of the
   first sheet), with its hours and cost, verdict, computed recommendation, runner-up, pilot, the
   consultant's override with its author and justification, the model to use, the reasons and
   warnings in words and the sourcing package;
3. a summary: every task, then by department, by model to use and by verdict.

Every text cell of every CSV and Excel file goes through `neutralise`, so that no exported cell can
run as a formula; numbers are written as numbers (a negative one stays a number)."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import IO, Any, TypeVar

import xlsxwriter
from django.utils import translation
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from assessments.domain import choices, inventory
from assessments.domain.choices import Outcome, Verdict
from assessments.domain.classification import OUTSOURCED
from assessments.domain.columns import (
    ANSWER_COLUMNS,
    COLUMNS_BY_KEY,
    DERIVED_COLUMNS,
    FILE_COLUMNS,
    INVENTORY_COLUMNS,
    MONTHLY_HOURS,
    Column,
    starts_a_formula,
)
from assessments.domain.inventory import Derived
from assessments.models import Assessment, Task, TaskResult, TaskView
from assessments.models.versions import ChecklistVersion, RuleTableVersion
from assessments.reporting.explain import Explanation, explain, version_texts
from outsourcing_advisor.accounts.models import person_name

T = TypeVar("T")

# Characters that make Excel or a CSV reader treat a cell as a formula (OWASP "CSV injection").
TEMPLATE_ROWS = 5000  # rows below the header that get the dropdowns and number checks
LISTS_SHEET = "lists"  # hidden; holds the dropdown values, which may exceed 255 characters inline
FREEZE_COLUMNS = 3  # department, process and task stay visible when scrolling right
_SHEET_NAME_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})

# Display formats of the export's derived columns (key -> Excel number format).
DERIVED_FORMATS = {
    "annual_occurrences": "General",  # may be fractional; "#,##0.##" would show "240."
    "fte": "0.00",
    "annual_cost": "#,##0",
}
HOURS_FORMAT = "#,##0.0"  # annual hours on the results and summary sheets, as the pages show them
# The input columns are written as people write them ("General": 0.5, 40, 12.25), but for yen.
INPUT_FORMATS = {"hourly_cost": "#,##0"}
EXPORTED_HOURS = Decimal("0.01")  # the annual hours written in the input column
EXCEL_CELL_LIMIT = 32_767  # characters a cell holds; XlsxWriter would cut longer text silently


def neutralise(value: T) -> T:
    """Prefix text that would start a formula with an apostrophe; leave anything else alone.

    The one guard of every CSV and Excel export (OWASP "CSV injection"): text starting with
    = + - @, a tab or a carriage return gets a leading ', so that neither Excel nor a CSV reader
    runs it, even when a user re-enters the cell. Numbers are not text and pass unchanged, so a
    negative amount stays a number; write numbers as numbers, never as their text."""
    if isinstance(value, str) and starts_a_formula(value):
        return "'" + value  # type: ignore[return-value]
    return value


def excel_text(value: str) -> str:
    """Text as an export cell holds it: neutralised, and visibly cut at Excel's limit rather than
    silently (a justification may be longer than a cell; the PDF report shows it in full)."""
    text = neutralise(value)
    if len(text) <= EXCEL_CELL_LIMIT:
        return text
    marker = _("… (cut: an Excel cell holds at most 32,767 characters)")
    return text[: EXCEL_CELL_LIMIT - len(marker)] + marker


def write_cell(
    sheet: Worksheet, row: int, column: int, value: object, cell_format: Format | None = None
) -> None:
    """The one way the export's result sheets write a value: text as a neutralised string
    (XlsxWriter never turns it into a formula), numbers as numbers, True/False as yes/no in the
    active language, None and "" as an empty cell."""
    if value is None or value == "":
        return
    if isinstance(value, bool):
        sheet.write_string(row, column, _yes_no(value), cell_format)
    elif isinstance(value, str):
        sheet.write_string(row, column, excel_text(value), cell_format)
    elif isinstance(value, int | float | Decimal):
        sheet.write_number(row, column, float(value), cell_format)
    else:
        sheet.write_string(row, column, excel_text(str(value)), cell_format)


# --- workbooks -------------------------------------------------------------------------------


def template_workbook(language: str) -> bytes:
    """The blank import template in `language`: headers, dropdowns, notes and guidance."""
    with translation.override(language):
        return _build_workbook(tasks=None)


def export_workbook(assessment: Assessment, language: str) -> bytes:
    """The assessment's inventory in the template's layout plus the derived columns, then its
    results and a summary (see the module's docstring). One query for the tasks with their
    results, overrides and packages, one each for the checklist and rule-table versions the
    results were computed with, and two per pair of them (usually one): the query count does not
    grow with the tasks."""
    org = assessment.volume_settings
    tasks = [(task, task.derive(org)) for task in _tasks(assessment)]
    with translation.override(language):
        return _build_workbook(tasks=tasks)


def _tasks(assessment: Assessment) -> list[Task]:
    return list(
        # The versions are read once each (see `result_lines`), not joined onto every row.
        assessment.tasks.select_related("result", "override__author", "package").order_by(
            "position", "id"
        )
    )


def _build_workbook(tasks: list[tuple[Task, Derived]] | None) -> bytes:
    """The template when `tasks` is None, otherwise the export. The inventory sheet comes first:
    the importer takes the sheet whose headers match best, the first of equals."""
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
    if tasks is not None:
        lines = result_lines(tasks)
        _write_results(workbook, workbook.add_worksheet(_sheet_name(_("Results"))), lines)
        _write_summary(workbook, workbook.add_worksheet(_sheet_name(_("Summary"))), lines)
    _write_guidance(workbook.add_worksheet(_sheet_name(_("How to fill in"))), styles)
    sources = _write_lists(workbook)
    rows = tasks or []
    _write_headers(sheet, styles, derived=tasks is not None)
    for number, (task, derived) in enumerate(rows, start=1):
        _write_task(sheet, number, task, derived, styles)
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


def _write_task(sheet: Worksheet, row: int, task: Task, derived: Derived, styles: _Styles) -> None:
    for index, column in enumerate(FILE_COLUMNS):
        raw = exported_hours(derived) if column.key == "annual_hours" else task_value(task, column)
        value = _input_value(column, raw, styles)
        if isinstance(value, str):
            sheet.write_string(row, index, value)
        elif value is not None:
            sheet.write_number(row, index, value, styles.inputs.get(column.key))


def exported_hours(derived: Derived) -> Decimal | None:
    """The annual hours the export writes for a task: its stated hours when it has them (exactly:
    they are stored to 2 decimals), else those of its parts rounded to 2 decimals, so that a
    re-import finds the two agreeing and keeps the parts (SPEC 4.2)."""
    if derived.annual_hours is None:
        return None
    return derived.annual_hours.quantize(EXPORTED_HOURS, ROUND_HALF_UP)


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


_YES_NO: dict[str, tuple[str, str]] = {}  # language -> its labels: two cells per row need them


def _yes_no(value: bool) -> str:
    language = translation.get_language() or ""
    labels = _YES_NO.get(language)
    if labels is None:
        labels = _YES_NO[language] = (pgettext("boolean", "Yes"), pgettext("boolean", "No"))
    return labels[0] if value else labels[1]


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
    """The guidance in the active language, naming the columns by their headers; numbered here,
    so that a line added in between leaves the others' translations as they are."""
    labels = {column.key: str(column.label) for column in INVENTORY_COLUMNS}
    labels["monthly_hours"] = str(MONTHLY_HOURS.label)
    labels["frequencies"] = " / ".join(str(label) for label in choices.Frequency.labels)
    required = " / ".join(str(column.label) for column in INVENTORY_COLUMNS if column.required)
    lines = [
        _(
            "One row per unit of work: a task one person carries out from start to finish "
            "(e.g. “Check timesheets”), not a whole process (e.g. “Payroll”). Write the process "
            "in the “%(process)s” column and the unit of work in the “%(task)s” column."
        )
        % labels,
        _(
            "“%(frequency)s” (%(frequencies)s) and “%(occurrences)s”: choose how often the work "
            "recurs and enter how many times per period (e.g. weekly and 2 = twice a week). For "
            "ad hoc work, enter the number of times per year."
        )
        % labels,
        _("“%(minutes)s”: the minutes one occurrence takes, per person.") % labels,
        _(
            "“%(people)s”: how many people take part in each occurrence; 0.5 for a person who "
            "shares the time with other work."
        )
        % labels,
        _(
            "“%(days_per_year)s”: for daily work only, the days a year it runs, e.g. 365 for "
            "work done every day including weekends and holidays. Leave it blank for the "
            "organisation's working days."
        )
        % labels,
        _(
            "“%(annual_hours)s”: only if you know a task's hours a year rather than how often and "
            "how long (an earlier survey, time records); frequency, times and minutes may then "
            "stay blank. A column “%(monthly_hours)s” is also read, × 12. When the hours and "
            "the parts are both given they must agree within 5%%, or the import asks which to "
            "keep. An exported inventory has every task's hours here: when you change a task's "
            "frequency, times, minutes or people, clear its hours."
        )
        % labels,
        _(
            "“%(occurrences_low)s”, “%(occurrences_high)s”, “%(minutes_low)s” and "
            "“%(minutes_high)s”: optional, for figures that vary (a busy and a quiet season, a "
            "quick and a slow case). Write the usual figures in “%(occurrences)s” and "
            "“%(minutes)s” and the lowest and highest here, in the same units. The hours are "
            "computed from the usual figures; the range widens the estimate of the saving. "
            "Left blank, the organisation's estimate spread applies."
        )
        % labels,
        _(
            "Ask the staff who actually do the work (an interview) rather than estimating; "
            "write whom you asked in the “%(interviewee)s” column."
        )
        % labels,
        _(
            "Only %(required)s are required; their headers are coloured. “%(category)s” may be "
            "left blank: it is inferred from the names, and you confirm it. Fill in the others "
            "as far as you can: the more you fill in, the better the recommendation."
        )
        % {"required": required, "category": labels["category"]},
        _(
            "Pick values from the dropdowns. Point at a header to read what it means and "
            "which values or range it accepts."
        ),
        _(
            "Keep the header row as it is: the import recognises the columns by their headers "
            "(title rows above the table and other sheets are fine)."
        ),
    ]
    return [f"{number}. {line}" for number, line in enumerate(lines, start=1)]


# --- results CSV (SPEC 6.2) ------------------------------------------------------------------


@dataclass(frozen=True)
class ResultRow:
    """Everything a results column may read about one task: the task (with its result and
    override, fetched with it), its hours and cost."""

    task: Task | TaskView
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
    ("category", _field("category")),  # as the file gave it or as inferred from the names
    ("suitability", _checked(lambda _task, result: result.suitability)),
    ("verdict", _checked(lambda _task, result: result.verdict)),
    ("model", _checked(lambda task, _result: task.final_model)),
    ("runner_up", _checked(lambda _task, result: result.detail.get("runner_up", ""))),
    ("pilot", _checked(_pilot)),
    ("reasons", _codes("reasons")),
    ("warnings", _codes("warnings")),
]


# What the results CSV and the command line's summary read of a task, its result and override.
RESULT_FIELDS = (
    *("source_row", "department", "process", "task", "category"),
    *("frequency", "occurrences", "minutes", "people", "hourly_cost", "people_able"),
    *("days_per_year", "annual_hours"),
    *("result__suitability", "result__verdict", "result__model", "result__detail"),
    "override__model",
)


def result_rows(assessment: Assessment) -> list[ResultRow]:
    """Every task with its result and override, in inventory order, in one query of the columns
    the results read (plain values: a 10,000-task file's CSV is written a second sooner)."""
    return [
        ResultRow(task, derived) for task, derived in assessment.task_views(columns=RESULT_FIELDS)
    ]


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


# --- the export's results and summary sheets -------------------------------------------------


@dataclass(frozen=True)
class Explained:
    """A result in words, as the results sheet shows it."""

    explanation: Explanation
    reasons: str
    warnings: str


@dataclass(frozen=True)
class ResultLine:
    """One task of the results sheet: the task (with its result, override and package, fetched
    with it), its hours and cost, and its result in words (None until it has been checked)."""

    task: Task
    derived: Derived
    explained: Explained | None

    @property
    def explanation(self) -> Explanation | None:
        return None if self.explained is None else self.explained.explanation


def result_lines(rows: list[tuple[Task, Derived]]) -> list[ResultLine]:
    """Explain each task's result with the texts of the versions it was computed with. Each
    version and its texts are read once; and since a result's words depend on the result
    alone, tasks with the same result share them (a large inventory repeats a few patterns)."""
    results = [task.current_result for task, _derived in rows]
    checklists = ChecklistVersion.objects.in_bulk(
        {result.checklist_version_id for result in results if result is not None}
    )
    rule_tables = RuleTableVersion.objects.in_bulk(
        {result.rule_version_id for result in results if result is not None}
    )
    texts: dict[tuple[int, int], tuple[dict[str, str], dict[str, str]]] = {}
    explained: dict[tuple[object, ...], Explained] = {}
    lines = []
    for (task, derived), result in zip(rows, results, strict=True):
        if result is None:
            lines.append(ResultLine(task, derived, None))
            continue
        versions = (result.checklist_version_id, result.rule_version_id)
        detail = json.dumps(result.detail, sort_keys=True)
        key = (*versions, result.verdict, result.model, result.suitability, detail)
        words = explained.get(key)
        if words is None:
            result.checklist_version = checklists[versions[0]]
            result.rule_version = rule_tables[versions[1]]
            if versions not in texts:
                texts[versions] = version_texts(result.checklist_version, result.rule_version)
            explanation = explain(result, *texts[versions])
            words = explained[key] = Explained(
                explanation, reasons_text(explanation), warnings_text(explanation)
            )
        lines.append(ResultLine(task, derived, words))
    return lines


def reasons_text(explanation: Explanation) -> str:
    """Why the task got its verdict and model, one line per reason, as the task's page says it."""
    lines = [explanation.verdict_reason, explanation.rule_text]
    if explanation.pilot:
        lines.append(
            _("Borderline: outsource part of the work first and widen it in steps once it works.")
        )
    if explanation.security_required:
        lines.append(
            _(
                "The data is confidential or personal: ISMS / ISO 27001 or the Privacy Mark is "
                "required of vendors."
            )
        )
    if explanation.factors:
        factors = ", ".join(f"{f.code} {f.answer} ({f.points:+.1f})" for f in explanation.factors)
        lines.append(_("Answers that moved the score") + f": {factors}")
    if explanation.missing:
        missing = ", ".join(code for code, _question in explanation.missing)
        lines.append(_("Not answered or “don't know”") + f": {missing}")
    return "\n".join(line for line in lines if line)


def warnings_text(explanation: Explanation) -> str:
    """Each warning's title and what to do about it, one per line."""
    return "\n".join(
        f"{warning.title}: {warning.advice}" if warning.advice else warning.title
        for warning in explanation.warnings
    )


def _override_author(task: Task) -> str:
    override = getattr(task, "override", None)
    if override is None:
        return ""
    author = override.author
    if author is None:
        return _("a former user")
    return person_name(author)


def _explained(get: Callable[[Explanation], object]) -> Callable[[ResultLine], object]:
    """A value of the result in words; an empty cell until the task has been checked."""
    return lambda line: None if line.explanation is None else get(line.explanation)


def _derived_value(key: str) -> Callable[[ResultLine], object]:
    if key == "single_person_dependency":
        # Unknown when nobody said how many staff can do it: blank rather than "No".
        return lambda line: (
            None if line.task.people_able is None else line.derived.single_person_dependency
        )
    return lambda line: getattr(line.derived, key)


def _result_pilot(line: ResultLine) -> bool | None:
    result = line.task.current_result
    return None if result is None else _pilot(line.task, result)


def _override_model(line: ResultLine) -> str:
    override = getattr(line.task, "override", None)
    return "" if override is None else choices.label(Outcome, override.model)


def _package_name(line: ResultLine) -> str:
    return line.task.package.name if line.task.package is not None else ""


def _reasons(line: ResultLine) -> str:
    return _("Not checked yet.") if line.explained is None else line.explained.reasons


def _warnings(line: ResultLine) -> str | None:
    return None if line.explained is None else line.explained.warnings


@dataclass(frozen=True)
class SheetColumn:
    key: str
    label: Promise
    get: Callable[[Any], object]  # of a ResultLine, or a SummaryRow
    number_format: str | None = None
    wrap: bool = False  # long text: a wide column whose cells wrap


WRAP_WIDTH = 60
# The derived figures of a task on the results sheet, its hours among them (on the inventory sheet
# they are an input column, see `exported_hours`).
RESULT_FIGURES = (
    "annual_occurrences",
    "annual_hours",
    "fte",
    "annual_cost",
    "single_person_dependency",
)
FIGURE_LABELS = {**dict(DERIVED_COLUMNS), "annual_hours": COLUMNS_BY_KEY["annual_hours"].label}
FIGURE_FORMATS = {**DERIVED_FORMATS, "annual_hours": HOURS_FORMAT}
# Extend by appending; labels are the pages' own, so the sheet reads like the task's page.
RESULT_SHEET_COLUMNS: tuple[SheetColumn, ...] = (
    *(
        SheetColumn(key, COLUMNS_BY_KEY[key].label, _field(key))
        for key in ("department", "process", "task")
    ),
    SheetColumn(
        "category", COLUMNS_BY_KEY["category"].label, lambda line: line.task.category_label
    ),
    *(
        SheetColumn(key, FIGURE_LABELS[key], _derived_value(key), FIGURE_FORMATS.get(key))
        for key in RESULT_FIGURES
    ),
    SheetColumn(
        "suitability", gettext_lazy("Suitability"), _explained(lambda e: e.suitability), "0.0"
    ),
    SheetColumn("verdict", gettext_lazy("Verdict"), _explained(lambda e: e.verdict_label)),
    SheetColumn(
        "recommended_model", gettext_lazy("Recommended model"), _explained(lambda e: e.model_label)
    ),
    SheetColumn("runner_up", gettext_lazy("Runner-up"), _explained(lambda e: e.runner_up_label)),
    SheetColumn("pilot", gettext_lazy("Pilot first"), _result_pilot),
    SheetColumn("override", gettext_lazy("Consultant's override"), _override_model),
    SheetColumn(
        "override_author", gettext_lazy("Overridden by"), lambda line: _override_author(line.task)
    ),
    SheetColumn(
        "justification",
        capfirst(gettext_lazy("justification")),
        lambda line: getattr(getattr(line.task, "override", None), "justification", ""),
        wrap=True,
    ),
    SheetColumn("model", gettext_lazy("Model to use"), lambda line: line.task.model_label),
    SheetColumn("reasons", gettext_lazy("Why"), _reasons, wrap=True),
    SheetColumn("warnings", gettext_lazy("Warnings"), _warnings, wrap=True),
    SheetColumn("package", capfirst(gettext_lazy("sourcing package")), _package_name),
)


def _column_formats(workbook: Workbook, columns: Sequence[SheetColumn]) -> list[Format]:
    """Top-aligned, so a row whose reasons wrap onto several lines still reads across."""
    formats = []
    for column in columns:
        properties: dict[str, Any] = {"valign": "top"}
        if column.number_format:
            properties["num_format"] = column.number_format
        if column.wrap:
            properties["text_wrap"] = True
        formats.append(workbook.add_format(properties))
    return formats


def _header_format(workbook: Workbook) -> Format:
    return workbook.add_format(
        {"bold": True, "text_wrap": True, "valign": "top", "border": 1, "bg_color": "#DDEBF7"}
    )


def _write_table(
    workbook: Workbook,
    sheet: Worksheet,
    columns: Sequence[SheetColumn],
    rows: Sequence[Any],
    *,
    freeze_columns: int,
) -> None:
    """A header row, one row per item, then the formatting: frozen header, filters, widths
    fitted to the header and the first rows (Japanese characters count double), printing."""
    header = _header_format(workbook)
    formats = _column_formats(workbook, columns)
    sheet.set_row(0, 36)  # two lines: long headers wrap
    for index, column in enumerate(columns):
        sheet.write_string(0, index, str(column.label), header)
    widths = [_display_width(str(column.label)) // 2 + 4 for column in columns]
    for number, row in enumerate(rows, start=1):
        for index, column in enumerate(columns):
            value = column.get(row)
            write_cell(sheet, number, index, value, formats[index])
            if number <= 200 and isinstance(value, str) and not column.wrap:
                widths[index] = max(widths[index], _display_width(value) + 2)
    for index, column in enumerate(columns):
        width = WRAP_WIDTH if column.wrap else _clamp(max(widths[index], 10))
        sheet.set_column(index, index, width)
    sheet.freeze_panes(1, freeze_columns)
    sheet.autofilter(0, 0, len(rows), len(columns) - 1)
    sheet.repeat_rows(0)
    sheet.set_landscape()


def _write_results(workbook: Workbook, sheet: Worksheet, lines: list[ResultLine]) -> None:
    _write_table(workbook, sheet, RESULT_SHEET_COLUMNS, lines, freeze_columns=FREEZE_COLUMNS)


# --- the summary sheet ---


@dataclass(frozen=True)
class SummaryRow:
    breakdown: str  # what the rows are grouped by, e.g. "Department"
    item: str  # the group, e.g. "人事部"
    totals: inventory.Totals
    share: Decimal | None  # of all annual hours


def summary_rows(lines: list[ResultLine]) -> list[SummaryRow]:
    """Every task, then by department, by the model to use and by verdict; within each, the most
    annual hours first. Hours, FTE and cost add up the tasks whose volume is known."""
    rows = [
        (line, inventory.Row(line.task.department, line.task.category_label, line.derived))
        for line in lines
    ]
    everything = inventory.totals(row for _line, row in rows)

    def share(totals: inventory.Totals) -> Decimal | None:
        hours = everything.annual_hours
        return totals.annual_hours / hours if hours else None

    summary = [SummaryRow(_("All tasks"), "", everything, share(everything))]
    breakdowns: list[tuple[str, Callable[[ResultLine], str]]] = [
        (str(COLUMNS_BY_KEY["department"].label), lambda line: line.task.department),
        (_("Model to use"), lambda line: line.task.model_label or "—"),
        (
            _("Verdict"),
            lambda line: (
                choices.label(Verdict, line.task.verdict) if line.task.verdict else _("Not checked")
            ),
        ),
    ]
    for title, group_of in breakdowns:
        groups: dict[str, list[inventory.Row]] = {}
        for line, row in rows:
            groups.setdefault(group_of(line), []).append(row)
        group_totals = [(name, inventory.totals(members)) for name, members in groups.items()]
        group_totals.sort(key=lambda item: (-item[1].annual_hours, -item[1].tasks))
        summary += [SummaryRow(title, name, totals, share(totals)) for name, totals in group_totals]
    return summary


SUMMARY_COLUMNS: tuple[SheetColumn, ...] = (
    SheetColumn("breakdown", gettext_lazy("Breakdown"), lambda row: row.breakdown),
    SheetColumn("item", gettext_lazy("Item"), lambda row: row.item),
    SheetColumn("tasks", gettext_lazy("Tasks"), lambda row: row.totals.tasks, "#,##0"),
    SheetColumn(
        "annual_hours",
        COLUMNS_BY_KEY["annual_hours"].label,
        lambda row: row.totals.annual_hours,
        HOURS_FORMAT,
    ),
    SheetColumn(
        "fte", dict(DERIVED_COLUMNS)["fte"], lambda row: row.totals.fte, DERIVED_FORMATS["fte"]
    ),
    SheetColumn(
        "annual_cost",
        dict(DERIVED_COLUMNS)["annual_cost"],
        lambda row: row.totals.annual_cost,
        DERIVED_FORMATS["annual_cost"],
    ),
    SheetColumn("share", gettext_lazy("Share of hours"), lambda row: row.share, "0.0%"),
    SheetColumn(
        "single_person_dependencies",
        dict(DERIVED_COLUMNS)["single_person_dependency"],
        lambda row: row.totals.single_person_dependencies,
        "#,##0",
    ),
)


def _write_summary(workbook: Workbook, sheet: Worksheet, lines: list[ResultLine]) -> None:
    _write_table(workbook, sheet, SUMMARY_COLUMNS, summary_rows(lines), freeze_columns=2)
