"""The whole reading of an inventory sheet: workbook -> locate -> clean -> interpret -> assemble.

`read()` answers a `Reading`: the tasks when the file is clear; otherwise the problems (the file
must be fixed) and the questions (the person decides in the mapping step; the command line
refuses with `refusal()`, which names each column and the fix). A file that cannot be read at
all (damaged, no header anywhere) raises ImportRejected."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.domain import inventory
from assessments.domain.columns import ANSWER_COLUMNS, COLUMNS_BY_KEY
from assessments.domain.sync import UPDATABLE
from assessments.files import words
from assessments.files.assemble import Assembled, assemble
from assessments.files.clean import Skipped, clean
from assessments.files.decisions import Decisions
from assessments.files.interpret import ColumnUse, Question, interpret
from assessments.files.locate import locate
from assessments.files.problems import MAX_PROBLEMS, ImportRejected, Problem, plain, shorten
from assessments.files.workbook import Workbook, read_workbook
from outsourcing_advisor.common.wording import listing

ANSWER_KEYS = frozenset(c.key for c in ANSWER_COLUMNS)


@dataclass
class Reading:
    filename: str
    sha256: str
    kind: str  # xlsx, xlsm, xls, ods, csv
    sheet: str
    sheets: tuple[str, ...]  # every sheet's name, for choosing another one
    header_rows: tuple[int, ...]
    columns: tuple[ColumnUse, ...]
    skipped: tuple[Skipped, ...]
    filled_down: dict[str, int]
    assembled: Assembled
    problems: list[Problem] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)

    @property
    def rows(self) -> list[dict[str, Any]]:
        return self.assembled.rows

    @property
    def ready(self) -> bool:
        """Nothing left to fix or decide: the tasks can be previewed and imported."""
        return not self.problems and not self.questions and not self.assembled.disagreements

    @property
    def provided(self) -> frozenset[str]:
        """The inventory columns the file speaks about: an import changes these on the tasks it
        matches and leaves the others as they are (sync.plan). A file that gives frequency gives
        the occurrences with it; one that gives the parts of the hours also decides whether
        stated hours remain."""
        keys = {c.key for c in self.columns if c.key}
        given = {key for key in keys if key in UPDATABLE}
        if keys & {"monthly_hours", words.STATED_HOURS}:
            given.add("annual_hours")
        if "frequency" in given:
            given.add("occurrences")
        if "minutes" in given:
            given.add("annual_hours")
        if any(key in keys for key in ANSWER_KEYS):
            given.add("answers")
        return frozenset(given | {"department", "process", "task"})

    @property
    def ignored(self) -> list[ColumnUse]:
        """Columns with a header that are not read (unknown, or a second column of one key)."""
        return [c for c in self.columns if c.ignored]

    @property
    def ignored_headers(self) -> list[str]:
        return [c.header for c in self.ignored]

    def refusal(self) -> list[Problem]:
        """Every problem, and every question worded as a problem with its fix: what the command
        line prints when it cannot ask."""
        found = self.problems + [_question_problem(q, self.columns) for q in self.questions]
        found += [_disagreement_problem(d) for d in self.assembled.disagreements]
        return found[:MAX_PROBLEMS]


def read(
    data: bytes,
    filename: str,
    decisions: Decisions | None = None,
    org: inventory.OrgSettings | None = None,
) -> Reading:
    """Read the file's bytes: see `read_book`."""
    reading = read_book(read_workbook(data), filename, decisions, org)
    reading.sha256 = hashlib.sha256(data).hexdigest()
    return reading


def read_book(
    workbook: Workbook,
    filename: str,
    decisions: Decisions | None = None,
    org: inventory.OrgSettings | None = None,
) -> Reading:
    """The steps after the bytes: locate, clean, interpret, assemble."""
    decisions = decisions or Decisions()
    org = org or inventory.OrgSettings()
    hours_per_day = (
        Decimal(org.yearly_hours) / Decimal(org.working_days) if org.working_days else Decimal(8)
    )
    located = locate(workbook, decisions.sheet if _has_sheet(workbook, decisions.sheet) else None)
    table = clean(located)
    interpreted = interpret(table, decisions, hours_per_day)
    assembled = assemble(interpreted, decisions, org, title_department=located.department)
    if not table.rows:  # nothing under the header is a task: no decision can change that
        raise ImportRejected(
            [_no_tasks(located.sheet.name, located.header_rows[-1], table.skipped)]
        )
    problems = (interpreted.problems + assembled.problems)[:MAX_PROBLEMS]
    return Reading(
        filename=filename,
        sha256="",
        kind=workbook.kind,
        sheet=located.sheet.name,
        sheets=tuple(s.name for s in workbook.sheets),
        header_rows=located.header_rows,
        columns=interpreted.columns,
        skipped=table.skipped,
        filled_down=table.filled_down,
        assembled=assembled,
        problems=sorted(problems, key=_problem_order),
        questions=interpreted.questions + assembled.questions,
    )


def _no_tasks(sheet: str, header_row: int, skipped: tuple[Skipped, ...]) -> Problem:
    if skipped and not sheet:  # a CSV has no sheet to name
        return Problem(
            None,
            None,
            ngettext(
                "The header is in row %(row)s but no task is below it: the %(count)s row under "
                "it is not a task (blank, a heading, a total, an example or hidden).",
                "The header is in row %(row)s but no task is below it: the %(count)s rows "
                "under it are not tasks (blank, headings, totals, examples or hidden).",
                len(skipped),
            )
            % {"row": header_row, "count": len(skipped)},
        )
    if skipped:
        return Problem(
            None,
            None,
            ngettext(
                "The sheet “%(sheet)s” has its header in row %(row)s but no task below it: "
                "the %(count)s row under it is not a task (blank, a heading, a total, an "
                "example or hidden).",
                "The sheet “%(sheet)s” has its header in row %(row)s but no task below it: "
                "the %(count)s rows under it are not tasks (blank, headings, totals, examples "
                "or hidden).",
                len(skipped),
            )
            % {"sheet": sheet, "row": header_row, "count": len(skipped)},
        )
    return Problem(None, None, _("The file has column headers but no tasks."))


def _has_sheet(workbook: Workbook, name: str | None) -> bool:
    return name is not None and any(sheet.name == name for sheet in workbook.sheets)


def _problem_order(problem: Problem) -> tuple[int, int, str]:
    """By row, then by column as the spreadsheet orders them (H before AA)."""
    letters = re.match(r"[A-Z]*", problem.column or "")
    found = letters.group() if letters else ""
    return (problem.row or 0, len(found), found)


# --- questions as problems (the command line) -----------------------------------------------


def _question_problem(question: Question, columns: tuple[ColumnUse, ...]) -> Problem:
    samples = listing(question.samples[:4])
    if question.kind == "unit":
        return Problem(
            None,
            question.header,
            _(
                "The values (%(samples)s) do not say whether they are minutes or hours. Write "
                "the unit in the header, e.g. “所要時間(分)” or “所要時間(時間)”, or map the "
                "file once in the browser and save the mapping, then use --mapping NAME."
            )
            % {"samples": samples},
        )
    if question.kind == "period":
        return Problem(
            None,
            question.header,
            _(
                "Hours per month or per year? Write “月間工数” or “年間工数” in the header, or map "
                "the file once in the browser and save the mapping, then use --mapping NAME."
            ),
        )
    if question.kind == "value":
        parts = {
            "value": shorten(question.value),
            "rows": ", ".join(str(r) for r in question.rows[:10])
            + ("…" if len(question.rows) > 10 else ""),
            "allowed": _allowed(question.key),
        }
        if len(question.rows) == 1:  # the problem names its row
            return Problem(
                question.rows[0],
                question.header,
                _(
                    "“%(value)s” is not a value the import knows%(allowed)s. Write one it "
                    "knows, or map it once in the browser and save the mapping, then use "
                    "--mapping NAME."
                )
                % parts,
            )
        return Problem(
            None,
            question.header,
            _(
                "“%(value)s” (rows %(rows)s) is not a value the import knows%(allowed)s. Write "
                "one it knows, or map it once in the browser and save the mapping, then use "
                "--mapping NAME."
            )
            % parts,
        )
    if question.kind == "columns":
        return Problem(
            None,
            None,
            _(
                "No column says how long the work takes, and the import does not know these "
                "columns: %(columns)s. Give the column of the time a header the import knows "
                "(e.g. “所要時間(分)”), or map the file once in the browser and save the mapping, "
                "then use --mapping NAME."
            )
            % {"columns": shorten(listing(question.samples), 200)},
        )
    if question.kind == "department":
        return Problem(
            None,
            None,
            _(
                "The sheet has no department column and does not name a department above the "
                "table. Add a 部署 column, or write “部署名：…” above the table."
            ),
        )
    return Problem(  # category: the command line sets a default instead of asking
        None,
        str(COLUMNS_BY_KEY["category"].label),
        _("The category of some tasks cannot be inferred from their names."),
    )


def _allowed(key: str) -> str:
    column = COLUMNS_BY_KEY.get(key)
    if column is None or column.choices is None:
        return ""
    labels = " / ".join(str(label) for label in column.choices.labels)
    return _(" (%(allowed)s)") % {"allowed": labels}


def _disagreement_problem(disagreement: Any) -> Problem:
    return Problem(
        disagreement.row,
        None,
        _(
            "The stated annual hours (%(stated)s) and the hours of frequency × minutes × people "
            "(%(computed)s) differ by more than 5%%. Correct one of them, or choose with "
            "--prefer stated or --prefer computed."
        )
        % {"stated": plain(disagreement.stated), "computed": plain(disagreement.computed)},
    )


def source(reading: Reading) -> str:
    """Where the table was found, as the command line says it (the preview shows it too); ""
    when it is where a plain table is: row 1 of the first sheet."""
    rows = reading.header_rows
    if rows == (1,) and (not reading.sheets or reading.sheet == reading.sheets[0]):
        return ""
    where = (
        _("header in rows %(first)s and %(second)s") % {"first": rows[0], "second": rows[1]}
        if len(rows) > 1
        else _("header in row %(row)s") % {"row": rows[0]}
    )
    if not reading.sheet:
        return _("Read the table with its %(where)s.") % {"where": where}
    return _("Read the sheet “%(sheet)s”, %(where)s.") % {"sheet": reading.sheet, "where": where}


def command_line_notices(reading: Reading) -> list[str]:
    """What the preview shows in its own sections, said in lines: categories inferred from the
    names, departments that look like one (the command line keeps them apart)."""
    lines = []
    inferred = len(reading.assembled.inferred)
    if inferred:
        lines.append(
            ngettext(
                "%(count)s task's category was inferred from its names (the CSV's category "
                "column shows it).",
                "%(count)s tasks' categories were inferred from their names (the CSV's category "
                "column shows them).",
                inferred,
            )
            % {"count": inferred}
        )
    for group in reading.assembled.similar:
        lines.append(
            _(
                "These departments look like one and were kept apart: %(names)s. Write one "
                "name, or merge them in the browser's preview."
            )
            % {"names": " / ".join(group)}
        )
    return lines


def notices(reading: Reading) -> list[str]:
    """What the import did that the person should know: skipped rows, rows added together,
    categories inferred, values filled down."""
    lines = list(reading.assembled.notices)
    without = sum(1 for row in reading.rows if not _has_volume(row))
    if without:
        lines.append(
            ngettext(
                "%(count)s task has no hours yet (no frequency and time, nor stated hours): "
                "it is imported and counted as missing volume.",
                "%(count)s tasks have no hours yet (no frequency and time, nor stated hours): "
                "they are imported and counted as missing volume.",
                without,
            )
            % {"count": without}
        )
    if reading.skipped:
        lines.append(
            ngettext(
                "%(count)s row is not a task and was skipped: %(rows)s.",
                "%(count)s rows are not tasks and were skipped: %(rows)s.",
                len(reading.skipped),
            )
            % {"count": len(reading.skipped), "rows": _rows(s.row for s in reading.skipped)}
        )
    for combined in reading.assembled.combined:
        lines.append(
            _("Rows %(rows)s are the same task (%(task)s) and were added together.")
            % {"rows": _rows(combined.rows), "task": combined.task}
        )
    for key, count in reading.filled_down.items():
        label = COLUMNS_BY_KEY[key].label if key in COLUMNS_BY_KEY else key
        lines.append(
            ngettext(
                "%(count)s row took its “%(column)s” from the row above (merged cells or left "
                "blank).",
                "%(count)s rows took their “%(column)s” from the row above (merged cells or "
                "left blank).",
                count,
            )
            % {"count": count, "column": label}
        )
    return lines


def _has_volume(row: dict[str, Any]) -> bool:
    return row.get("annual_hours") is not None or bool(
        row.get("frequency") and row.get("minutes") is not None
    )


def _rows(numbers: Any) -> str:
    numbers = list(numbers)
    shown = ", ".join(str(n) for n in numbers[:15])
    return shown + ("…" if len(numbers) > 15 else "")
