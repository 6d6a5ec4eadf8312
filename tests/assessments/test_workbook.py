"""Reading a workbook's sheets from bytes: every format by its content, the facts around the cells
(origin, merges, hidden rows and sheets, subtotals, formulas never calculated), and the files made
to hurt: far-away cells, zip bombs with honest or lying headers, readers that die."""

from __future__ import annotations

import codecs
import datetime
import io
import json
import os
import pickle
import struct
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlsxwriter
import xlwt
from django.conf import settings as django_settings
from django.utils import translation
from odf.opendocument import OpenDocumentSpreadsheet
from odf.style import Style, TableProperties
from odf.table import CoveredTableCell, Table, TableCell, TableRow
from odf.text import P
from pytest_django.fixtures import SettingsWrapper

from assessments.files import workbook
from assessments.files.problems import ImportRejected
from assessments.files.workbook import RawSheet, Workbook, read_workbook
from tests.assessments.files import (
    DAMAGED_ZIP,
    PNG,
    far_cell_xlsx,
    lying_bomb,
    patched_zip,
    raw_xlsx,
    zip_bomb,
    zip_bytes,
)

TABLE: list[list[Any]] = [
    ["部署", "作業", "分"],
    ["人事", "勤怠集計", 30],
    ["経理", "月次決算", 120],
]

DAMAGED = "The file looks like .xlsx but is damaged and cannot be read."
UNREADABLE = "The workbook cannot be read. Save it again from Excel as .xlsx."
PASSWORD = "The workbook is password-protected: save it without a password and upload it again."
TOO_COMPLEX = (
    "The workbook is too large or too complex to read within the server's limits. Delete the "
    "sheets, rows and columns you do not need (or save the table as .csv) and upload it again."
)
NOT_SPREADSHEET = "This file is not a spreadsheet. Upload an .xlsx or .csv file."


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def problems_of(data: bytes) -> list[str]:
    with pytest.raises(ImportRejected) as rejected:
        read_workbook(data)
    return [str(problem) for problem in rejected.value.problems]


def first(data: bytes) -> RawSheet:
    return read_workbook(data).sheets[0]


# --- building files ----------------------------------------------------------------------------


def openpyxl_bytes(
    rows: list[list[Any]] = TABLE, setup: Callable[[Any], None] | None = None
) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "棚卸し"
    for row in rows:
        sheet.append(row)
    if setup is not None:
        setup(sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsxwriter_bytes(write: Callable[[Any, Any], None]) -> bytes:
    """`write(book, sheet)` fills the first sheet, 棚卸し."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    write(book, book.add_worksheet("棚卸し"))
    book.close()
    return buffer.getvalue()


def xls_bytes(rows: list[list[Any]] = TABLE, setup: Callable[[Any], None] | None = None) -> bytes:
    book = xlwt.Workbook()
    sheet = book.add_sheet("棚卸し")
    for number, row in enumerate(rows):
        for column, value in enumerate(row):
            if value is not None:
                sheet.write(number, column, value)
    if setup is not None:
        setup(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def ods_bytes(*tables: Table, hidden: Style | None = None) -> bytes:
    document = OpenDocumentSpreadsheet()
    if hidden is not None:
        document.automaticstyles.addElement(hidden)
    for table in tables:
        document.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def ods_row(values: list[Any], **attributes: Any) -> TableRow:
    row = TableRow(**attributes)
    for value in values:
        if value is None:
            row.addElement(TableCell())
        elif isinstance(value, int | float):
            row.addElement(TableCell(valuetype="float", value=value))
        else:
            cell = TableCell(valuetype="string")
            cell.addElement(P(text=value))
            row.addElement(cell)
    return row


def ods_table(rows: list[list[Any]] = TABLE, name: str = "棚卸し", **attributes: Any) -> Table:
    table = Table(name=name, **attributes)
    for row in rows:
        table.addElement(ods_row(row))
    return table


def hidden_table_style() -> Style:
    style = Style(name="hidden", family="table")
    style.addElement(TableProperties(display=False))
    return style


# --- formats and encodings ---------------------------------------------------------------------


def _write_table(book: Any, sheet: Any) -> None:
    for number, row in enumerate(TABLE):
        sheet.write_row(number, 0, row)


def _xlsm() -> bytes:
    """An .xlsx with a macro part and the macro-enabled content type, as Excel saves .xlsm."""
    source = zipfile.ZipFile(io.BytesIO(xlsxwriter_bytes(_write_table)))
    members = {name: source.read(name) for name in source.namelist()}
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml"
    )
    members["xl/vbaProject.bin"] = b"\0" * 512
    return zip_bytes({name: content for name, content in members.items()})


def _csv(encoding: str, delimiter: str = ",", newline: str = "\r\n") -> bytes:
    text = newline.join(delimiter.join(str(cell) for cell in row) for row in TABLE) + newline
    return text.encode(encoding)


TEXT_TABLE = [[str(cell) for cell in row] for row in TABLE]


@pytest.mark.parametrize(
    ("data", "kind", "rows"),
    [
        pytest.param(openpyxl_bytes(), "xlsx", TABLE, id="xlsx-openpyxl"),
        pytest.param(xlsxwriter_bytes(_write_table), "xlsx", TABLE, id="xlsx-xlsxwriter"),
        pytest.param(_xlsm(), "xlsm", TABLE, id="xlsm"),
        pytest.param(xls_bytes(), "xls", TABLE, id="xls"),
        pytest.param(ods_bytes(ods_table()), "ods", TABLE, id="ods"),
        pytest.param(_csv("utf-8"), "csv", TEXT_TABLE, id="csv-utf-8"),
        pytest.param(_csv("utf-8-sig"), "csv", TEXT_TABLE, id="csv-utf-8-bom"),
        pytest.param(_csv("cp932"), "csv", TEXT_TABLE, id="csv-shift-jis"),
        pytest.param(_csv("utf-16"), "csv", TEXT_TABLE, id="txt-utf-16-bom"),
        pytest.param(
            codecs.BOM_UTF16_BE + _csv("utf-16-be", "\t"), "csv", TEXT_TABLE, id="utf-16-be-tabs"
        ),
        pytest.param(_csv("utf-8", "\t", "\n"), "csv", TEXT_TABLE, id="tsv"),
        pytest.param(_csv("cp932", ";", "\r"), "csv", TEXT_TABLE, id="semicolons"),
    ],
)
def test_every_format_is_read_by_its_content(data: bytes, kind: str, rows: list[list[Any]]) -> None:
    book = read_workbook(data)

    assert book.kind == kind
    [sheet] = book.sheets
    assert (sheet.name, sheet.visible, sheet.origin) == (
        "" if kind == "csv" else "棚卸し",
        True,
        (1, 0),
    )
    assert sheet.rows == rows


def test_a_workbook_keeps_its_sheets_in_order_and_an_empty_one_reads_empty() -> None:
    def setup(sheet: Any) -> None:
        sheet.parent.create_sheet("空")
        sheet.parent.create_sheet("マスタ").append(["A", "B"])

    book = read_workbook(openpyxl_bytes(setup=setup))

    assert [(s.name, s.origin, s.rows) for s in book.sheets] == [
        ("棚卸し", (1, 0), TABLE),
        ("空", (1, 0), []),
        ("マスタ", (1, 0), [["A", "B"]]),
    ]


def _hidden_openpyxl(state: str) -> bytes:
    def setup(sheet: Any) -> None:
        sheet.parent.create_sheet("隠し").sheet_state = state

    return openpyxl_bytes(setup=setup)


def _hidden_xls(book: Any) -> None:
    book.add_sheet("隠し").visibility = 1


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(_hidden_openpyxl("hidden"), id="xlsx-hidden"),
        pytest.param(_hidden_openpyxl("veryHidden"), id="xlsx-very-hidden"),
        pytest.param(xls_bytes(setup=_hidden_xls), id="xls-hidden"),
        pytest.param(
            ods_bytes(
                ods_table(),
                ods_table([["x"]], "隠し", stylename="hidden"),
                hidden=hidden_table_style(),
            ),
            id="ods-hidden",
        ),
    ],
)
def test_hidden_sheets_are_read_and_marked(data: bytes) -> None:
    assert [(s.name, s.visible) for s in read_workbook(data).sheets] == [
        ("棚卸し", True),
        ("隠し", False),
    ]


# --- where the table is ------------------------------------------------------------------------

TITLED: list[list[Any]] = [
    [None],
    [None, "業務棚卸し表"],
    [None, None],
    [None, "部署", "作業", "分"],
    [None, "人事", "勤怠集計", 30],
]
TITLED_BLOCK: list[list[Any]] = [
    ["業務棚卸し表", "", ""],
    ["", "", ""],
    ["部署", "作業", "分"],
    ["人事", "勤怠集計", 30],
]


@pytest.mark.parametrize(
    ("data", "rows"),
    [
        pytest.param(openpyxl_bytes(TITLED), TITLED_BLOCK, id="xlsx"),
        pytest.param(xls_bytes(TITLED), TITLED_BLOCK, id="xls"),
        pytest.param(ods_bytes(ods_table(TITLED)), TITLED_BLOCK, id="ods"),
        pytest.param(
            "\n,業務棚卸し表\n\n,部署,作業,分\n,人事,勤怠集計,30\n".encode(),
            [[str(cell) for cell in row] for row in TITLED_BLOCK],
            id="csv",
        ),
    ],
)
def test_the_origin_is_the_first_used_row_and_column(data: bytes, rows: list[list[Any]]) -> None:
    sheet = first(data)

    assert sheet.origin == (2, 1)  # B2: the title above the headers
    assert sheet.rows == rows


def test_trailing_empty_cells_and_styled_cells_do_not_widen_the_block() -> None:
    def setup(sheet: Any) -> None:
        sheet.cell(40, 30).number_format = "0.00"  # styled, empty
        sheet.cell(2, 20).value = ""

    sheet = first(openpyxl_bytes(setup=setup))

    assert (sheet.origin, len(sheet.rows), len(sheet.rows[0])) == ((1, 0), 3, 3)


def _merges_openpyxl(sheet: Any) -> None:
    sheet.insert_rows(1)
    sheet["A1"] = "業務一覧"
    sheet.merge_cells("A1:C1")
    sheet.merge_cells("A3:A4")


def _merges_xls(book: Any) -> None:
    sheet = book.get_sheet(0)
    sheet.write_merge(4, 5, 0, 0, "総務")
    sheet.write_merge(4, 4, 1, 2, "備品")


def _merges_ods() -> bytes:
    table = ods_table([["業務一覧"]])
    row = TableRow()
    cell = TableCell(valuetype="string", numbercolumnsspanned=2, numberrowsspanned=2)
    cell.addElement(P(text="人事"))
    row.addElement(cell)
    row.addElement(CoveredTableCell())
    row.addElement(TableCell(valuetype="float", value=30))
    table.addElement(row)
    covered = TableRow()
    covered.addElement(CoveredTableCell(numbercolumnsrepeated=2))
    covered.addElement(TableCell(valuetype="float", value=45))
    table.addElement(covered)
    return ods_bytes(table)


@pytest.mark.parametrize(
    ("data", "merged"),
    [
        pytest.param(
            openpyxl_bytes(setup=_merges_openpyxl), ((1, 0, 1, 2), (3, 0, 4, 0)), id="xlsx"
        ),
        pytest.param(xls_bytes(setup=_merges_xls), ((5, 0, 6, 0), (5, 1, 5, 2)), id="xls"),
        pytest.param(_merges_ods(), ((2, 0, 3, 1),), id="ods"),
    ],
)
def test_merged_ranges_in_the_spreadsheets_coordinates(
    data: bytes, merged: tuple[tuple[int, int, int, int], ...]
) -> None:
    assert first(data).merged == merged


# --- rows that are not tasks -------------------------------------------------------------------


def _hide_rows(sheet: Any) -> None:
    sheet.row_dimensions[2].hidden = True
    sheet.append(["総務", "備品", 15])
    sheet.row_dimensions[4].hidden = True


def _hidden_ods() -> bytes:
    table = ods_table([TABLE[0]])
    table.addElement(ods_row(TABLE[1], visibility="collapse"))
    table.addElement(ods_row(["x", "y", 1], numberrowsrepeated=3, visibility="filter"))
    table.addElement(ods_row(TABLE[2]))
    table.addElement(ods_row([None], numberrowsrepeated=1000, visibility="collapse"))
    return ods_bytes(table)


@pytest.mark.parametrize(
    ("data", "hidden"),
    [
        pytest.param(openpyxl_bytes(setup=_hide_rows), {2, 4}, id="xlsx"),
        pytest.param(_hidden_ods(), {2, 3, 4, 5}, id="ods-collapsed-and-filtered"),
        pytest.param(
            raw_xlsx(
                '<row><c t="inlineStr"><is><t>a</t></is></c></row>'
                '<row hidden="true"><c><v>1</v></c></row><row><c><v>2</v></c></row>'
            ),
            {2},
            id="xlsx-rows-without-r",
        ),
    ],
)
def test_hidden_rows_within_the_table(data: bytes, hidden: set[int]) -> None:
    assert first(data).hidden_rows == hidden


def test_formulas_never_calculated_are_marked() -> None:
    """openpyxl writes formulas without a cached value; Excel writes one for every formula, an
    empty one for an empty text result."""

    def setup(sheet: Any) -> None:
        sheet["D1"] = "倍"  # the block ends at the last value: formulas alone do not widen it
        sheet["D2"] = "=C2*2"
        sheet["D3"] = "=C3*2"

    assert first(openpyxl_bytes(setup=setup)).uncached == {(2, 3), (3, 3)}


@pytest.mark.parametrize(
    ("cell", "uncached"),
    [
        pytest.param('<c r="B2"><f>A2*2</f></c>', {(2, 1)}, id="no-value"),
        pytest.param('<c r="B2"><f>A2*2</f><v></v></c>', {(2, 1)}, id="empty-value"),
        pytest.param('<c r="B2"><f>A2*2</f><v>2</v></c>', set(), id="cached-number"),
        pytest.param('<c r="B2" t="str"><f>""</f><v></v></c>', set(), id="cached-empty-text"),
        pytest.param('<c r="B2" t="e"><f>NA()</f><v>#N/A</v></c>', set(), id="cached-error"),
        pytest.param(
            '<c r="B2">\n  <f>A2*2</f>\n  <v>2</v>\n</c>', set(), id="cached-pretty-printed"
        ),
        pytest.param('<c r="B2"><v>2</v><f>A2*2</f></c>', set(), id="value-before-formula"),
    ],
)
def test_uncached_formula_cells(cell: str, uncached: set[tuple[int, int]]) -> None:
    data = raw_xlsx(
        '<row r="1"><c r="A1"><v>1</v></c><c r="B1"><v>1</v></c></row>'
        f'<row r="2"><c r="A2"><v>1</v></c>{cell}</row><row r="3"><c r="B3"><v>1</v></c></row>'
    )
    assert first(data).uncached == uncached


def _subtotals(book: Any, sheet: Any) -> None:
    _write_table(book, sheet)
    sheet.write_formula("C4", "=SUBTOTAL(9,C2:C3)", None, 150)
    sheet.write_row(4, 0, ["総務", "備品", 15])
    sheet.write_formula("C6", "=_xlfn.AGGREGATE(9,5,C5)", None, 15)
    sheet.write_formula("C7", "=SUM(C2:C3)", None, 150)  # a sum is not marked: the words tell


def _table_with_totals(book: Any, sheet: Any) -> None:
    sheet.add_table(
        "A1:C4",
        {
            "data": TABLE[1:],
            "total_row": True,  # row 4, which only the table's definition marks as totals
            "columns": [
                {"header": "部署", "total_string": "合計"},
                {"header": "作業"},
                {"header": "分"},
            ],
        },
    )


SHARED = (
    '<row r="1"><c r="A1"><v>1</v></c><c r="B1"><v>2</v></c></row>'
    '<row r="2"><c r="A2"><f t="shared" ref="A2:B2" si="0">SUBTOTAL(9,A1:A1)</f><v>1</v></c>'
    '<c r="B2"><f t="shared" si="0"/><v>2</v></c></row>'
    '<row r="3"><c r="A3"><f t="shared" ref="A3:B3" si="1">SUM(A1:A2)</f><v>2</v></c>'
    '<c r="B3"><f t="shared" si="1"/><v>4</v></c></row>'
)


def _subtotal_ods() -> bytes:
    table = ods_table()
    row = ods_row(["計", None])
    cell = TableCell(valuetype="float", value=150, formula="of:=SUBTOTAL(9;[.C2:.C3])")
    row.addElement(cell)
    table.addElement(row)
    return ods_bytes(table)


@pytest.mark.parametrize(
    ("data", "rows"),
    [
        pytest.param(xlsxwriter_bytes(_subtotals), {4, 6}, id="subtotal-and-aggregate"),
        pytest.param(xlsxwriter_bytes(_table_with_totals), {4}, id="table-totals-row"),
        pytest.param(raw_xlsx(SHARED), {2}, id="shared-formula"),
        pytest.param(_subtotal_ods(), {4}, id="ods"),
    ],
)
def test_subtotal_rows(data: bytes, rows: list[list[Any]]) -> None:
    assert first(data).subtotal_rows == rows


# --- values as the reader gives them -----------------------------------------------------------


def _times(book: Any, sheet: Any) -> None:
    sheet.write_row(0, 0, ["所要時間", "開始", "日付"])
    sheet.write_datetime(
        1, 0, datetime.timedelta(hours=30, minutes=15), book.add_format({"num_format": "[h]:mm"})
    )
    sheet.write_datetime(1, 1, datetime.time(1, 30), book.add_format({"num_format": "h:mm"}))
    sheet.write_datetime(
        1, 2, datetime.datetime(2025, 4, 1), book.add_format({"num_format": "yyyy/mm/dd"})
    )
    sheet.write_number(2, 0, 0.25, book.add_format({"num_format": "0%"}))
    sheet.write_boolean(2, 1, True)
    sheet.write_formula(2, 2, "=NA()", None, "#N/A")


def test_durations_times_dates_percentages_and_errors() -> None:
    sheet = first(xlsxwriter_bytes(_times))

    assert sheet.rows[1] == [
        datetime.timedelta(days=1, seconds=22500),  # [h]:mm
        datetime.time(1, 30),  # h:mm
        datetime.date(2025, 4, 1),
    ]
    assert sheet.rows[2] == [0.25, True, ""]  # a percentage is its fraction; #N/A reads ""


# --- the far-away cell, in a process of its own ------------------------------------------------

PROBE = """
import json, os, resource, sys, time
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "outsourcing_advisor.settings")
django.setup()
from assessments.files.problems import ImportRejected
from assessments.files.workbook import read_workbook
from django.utils import translation
translation.activate("en")
data = sys.stdin.buffer.read()
start = time.monotonic()
try:
    book = read_workbook(data)
    shapes = [[s.origin, len(s.rows), len(s.rows[0] if s.rows else [])] for s in book.sheets]
    outcome = ["read", shapes]
except ImportRejected as rejected:
    outcome = ["refused", str(rejected)]
# VmHWM is this program's own peak. ru_maxrss is not: Linux carries it over from the process
# that forked us (a test run grown past 500 MB would be reported as this reader's peak).
try:
    with open("/proc/self/status") as status:
        peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
except (OSError, StopIteration):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"outcome": outcome, "seconds": time.monotonic() - start, "peak_mb": peak / 1024}))
"""


def probe(data: bytes) -> dict[str, Any]:
    """read_workbook(data) in a fresh interpreter: a reader that allocates the whole grid would
    abort that process, not the test run."""
    started = time.monotonic()
    finished = subprocess.run(
        [sys.executable, "-c", PROBE],
        input=data,
        capture_output=True,
        timeout=120,
        cwd=django_settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "outsourcing_advisor.settings"},
    )
    assert finished.returncode == 0, finished.stderr.decode()[-2000:]
    result = json.loads(finished.stdout.decode().strip().splitlines()[-1])
    result["wall"] = time.monotonic() - started
    return result


def far_message(cell: str, cells: str) -> str:
    return (
        f"Sheet “棚卸し”: cell {cell} holds a value far outside the table (the table would span "
        f"{cells} cells). Delete that cell (or everything right of and below the table) and "
        "upload again."
    )


@pytest.mark.parametrize(
    ("cell", "styled", "outcome"),
    [
        pytest.param(
            "XFD1048576", False, ["refused", far_message("XFD1048576", "17,179,869,184")], id="XFD"
        ),
        pytest.param("Z1048576", False, ["refused", far_message("Z1048576", "27,262,976")], id="Z"),
        pytest.param("XFD1048576", True, ["read", [[[1, 0], 2, 2]]], id="XFD-styled-empty"),
        pytest.param("Z1048576", True, ["read", [[[1, 0], 2, 2]]], id="Z-styled-empty"),
    ],
)
def test_a_value_far_outside_the_table_is_refused_before_the_reader_runs(
    cell: str, styled: bool, outcome: list[Any]
) -> None:
    data = far_cell_xlsx(cell, styled)
    assert len(data) < 2048

    result = probe(data)

    assert result["outcome"] == outcome
    assert result["peak_mb"] < 500
    assert result["seconds"] < 5


def test_a_zip_whose_headers_lie_about_sizes_is_refused_as_damaged() -> None:
    data = lying_bomb()
    assert len(data) < 2 * 1024 * 1024

    result = probe(data)

    assert result["outcome"] == ["refused", DAMAGED]
    assert result["peak_mb"] < 500
    assert result["seconds"] < 5


# --- the reader's limits -----------------------------------------------------------------------


def _many_rows(book: Any, sheet: Any) -> None:
    for number in range(5000):
        sheet.write_row(number, 0, [f"作業{number}-{column}" for column in range(20)])


def test_a_reader_killed_for_memory_is_a_clear_refusal(settings: SettingsWrapper) -> None:
    data = xlsxwriter_bytes(_many_rows)
    assert len(first(data).rows) == 5000

    settings.READER_MEMORY_BYTES = 1024 * 1024  # far less than the reader needs
    assert problems_of(data) == [TOO_COMPLEX]


def test_a_refusal_from_the_child_speaks_the_users_language() -> None:
    with translation.override("ja"):
        expected = translation.gettext(DAMAGED)
        with pytest.raises(ImportRejected) as rejected:
            read_workbook(DAMAGED_ZIP)

    assert expected != DAMAGED
    assert [p.message for p in rejected.value.problems] == [expected]


def _abort(data: bytes) -> Workbook:
    os.abort()


def _spin(data: bytes) -> Workbook:
    while True:
        pass


def _sleep(data: bytes) -> Workbook:
    time.sleep(60)
    raise AssertionError("not reached")


def _bug(data: bytes) -> Workbook:
    raise KeyError("a bug in the reader")


def _exit(data: bytes) -> Workbook:
    sys.exit(3)  # even SystemExit must not let the child run on as a copy of the parent


@pytest.mark.parametrize(
    ("work", "expected"),
    [
        pytest.param(_abort, TOO_COMPLEX, id="killed-by-a-signal"),
        pytest.param(_spin, TOO_COMPLEX, id="out-of-cpu-time"),
        pytest.param(_sleep, TOO_COMPLEX, id="out-of-wall-clock-time"),
        pytest.param(_bug, UNREADABLE, id="unexpected-error"),
        pytest.param(_exit, TOO_COMPLEX, id="system-exit"),
    ],
)
def test_a_child_that_dies_or_overruns_is_a_refusal(
    settings: SettingsWrapper, work: Callable[[bytes], Workbook], expected: str
) -> None:
    settings.READER_SECONDS = 1
    started = time.monotonic()

    with pytest.raises(ImportRejected) as rejected:
        workbook._isolated(work, b"")

    assert [p.message for p in rejected.value.problems] == [expected]
    assert time.monotonic() - started < 10


def test_the_child_answers_with_nothing_but_workbook_types() -> None:
    sheet = RawSheet("s", True, (1, 0), [[datetime.date(2025, 4, 1), datetime.timedelta(1)]])

    good = pickle.dumps(("ok", Workbook("xlsx", (sheet,))))
    assert workbook._load(good) == ("ok", Workbook("xlsx", (sheet,)))
    assert workbook._load(pickle.dumps(("ok", Path("/etc/passwd")))) is None
    assert workbook._load(b"garbage") is None


def test_a_sheet_with_too_many_rows_is_refused(settings: SettingsWrapper) -> None:
    settings.MAX_IMPORT_ROWS = 5  # the sheet may hold 1,005 rows
    rows = [["作業", "分"]] + [[f"作業{n}", n] for n in range(1, 1006)]

    for data in (openpyxl_bytes(rows), ods_bytes(ods_table(rows)), xls_bytes(rows)):
        assert problems_of(data) == [
            "The sheet “棚卸し” has more than 1,005 rows; at most 5 tasks can be imported at once."
        ]
    assert problems_of(_text(rows)) == [
        "The file has more than 1,005 rows; at most 5 tasks can be imported at once."
    ]
    assert len(first(openpyxl_bytes(rows[:-1])).rows) == 1005


def _text(rows: list[list[Any]]) -> bytes:
    return "\n".join(",".join(str(cell) for cell in row) for row in rows).encode()


def test_a_far_value_below_a_short_table_is_named_not_counted_as_rows(
    settings: SettingsWrapper,
) -> None:
    settings.MAX_IMPORT_ROWS = 5
    rows = [*TABLE, *[[None]] * 2000, [None, "メモ"]]

    expected = [far_message("B2004", "6,012")]
    assert problems_of(openpyxl_bytes(rows)) == expected
    assert problems_of(xls_bytes(rows)) == expected
    assert problems_of(ods_bytes(ods_table(rows))) == expected


def test_a_sheet_wider_than_the_cell_limit_is_refused(settings: SettingsWrapper) -> None:
    settings.MAX_SHEET_CELLS = 10_000
    rows = [[f"列{n}" for n in range(300)]] + [["x"] * 40 for _ in range(39)]

    expected = [far_message("KN1", "12,000")]
    assert problems_of(openpyxl_bytes(rows)) == expected
    assert problems_of(ods_bytes(ods_table(rows))) == expected
    assert problems_of(xls_bytes([row[:256] for row in rows])) == [far_message("IV1", "10,240")]
    assert problems_of(_text(rows)) == [
        "Cell KN1 holds a value far outside the table (the table would span 12,000 cells). "
        "Delete that cell (or everything right of and below the table) and upload again."
    ]


def test_the_sheets_together_have_a_cell_limit(settings: SettingsWrapper) -> None:
    settings.MAX_SHEET_CELLS = 10_000
    rows = [["x"] * 80 for _ in range(100)]  # 8,000 cells a sheet

    def setup(sheet: Any) -> None:
        for name in ("二", "三"):
            added = sheet.parent.create_sheet(name)
            for row in rows:
                added.append(row)

    assert problems_of(openpyxl_bytes(rows, setup)) == [
        "The workbook's sheets hold more than 20,000 cells together. Delete the sheets you do not "
        "need and upload it again."
    ]


# --- markup of other writers -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sheet_data", "prefix", "origin", "rows"),
    [
        pytest.param(
            '<row><c t="inlineStr"><is><t>a</t></is></c><c><v>2</v></c></row>'
            '<row><c/><c><v>3</v></c></row><row r="5"><c r="C5"><v>9</v></c><c><v>10</v></c></row>',
            "",
            (1, 0),
            [
                ["a", 2, "", ""],
                ["", 3, "", ""],
                ["", "", "", ""],
                ["", "", "", ""],
                ["", "", 9, 10],
            ],
            id="rows-and-cells-without-r",
        ),
        pytest.param(
            '<x:row r="2"><x:c r="B2"><x:v>1</x:v></x:c><x:c r="C2" s="1"/></x:row>',
            "x:",
            (2, 1),
            [[1]],
            id="prefixed",
        ),
        pytest.param(
            '<row r="1">\n  <c r="A1">\n    <v>1</v>\n  </c>\n  <c r="B1" s="2"></c>\n</row>',
            "",
            (1, 0),
            [[1]],
            id="pretty-printed",
        ),
    ],
)
def test_markup_other_writers_produce(
    sheet_data: str, prefix: str, origin: tuple[int, int], rows: list[list[Any]]
) -> None:
    sheet = first(raw_xlsx(sheet_data, prefix=prefix))

    assert (sheet.origin, sheet.rows) == (origin, rows)


@pytest.mark.parametrize(
    ("sheet_data", "cell"),
    [
        pytest.param(
            "<row><c><v>1</v></c></row>"
            '<row r="1048576"><c r="A1048576"/><c/><c/><c><v>1</v></c></row>',
            "D1048576",
            id="cell-without-r",
        ),
        pytest.param(
            '<row r="1"><c r="a1"><v>1</v></c><c r="xfd1"><v>1</v></c></row>',
            "XFD1",
            id="lower-case",
        ),
        pytest.param(
            '<row r="1"><c r="A1"><v>1</v></c><c  r="XFD1"><v>1</v></c></row>', "XFD1", id="spacing"
        ),
        pytest.param(
            '<row r="1"><c r="A1"><v>1</v></c><c r="XFD1"><is><t>x</t></is></c></row>',
            "XFD1",
            id="inline-string",
        ),
        pytest.param(
            '<row r="1"><c r="A1"><v>1</v></c><c r="XFD1" t="str"><v/></c></row>',
            "XFD1",
            id="empty-text-result",  # the reader keeps it, as ""
        ),
    ],
)
def test_far_cells_are_found_in_any_markup(
    settings: SettingsWrapper, sheet_data: str, cell: str
) -> None:
    settings.MAX_SHEET_CELLS = 10_000
    (problem,) = problems_of(raw_xlsx(sheet_data))

    assert f"cell {cell} holds a value far outside the table" in problem


def test_far_empty_cells_in_any_markup_do_not_count(settings: SettingsWrapper) -> None:
    settings.MAX_SHEET_CELLS = 10_000
    data = raw_xlsx(
        '<row r="1"><c r="A1"><v>1</v></c><c r="XFD1"></c><c r="XFD2"><v></v></c>'
        '<c r="XFD3"><f>A1</f></c></row>'
    )

    assert first(data).rows == [[1]]


def test_a_10000_row_sheet_scans_quickly() -> None:
    xml = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + b"".join(
            b'<row r="%d">' % row
            + b"".join(
                b'<c r="%s%d" t="s"><v>%d</v></c>' % (workbook.column_letters(c).encode(), row, c)
                for c in range(30)
            )
            + b"</row>"
            for row in range(1, 10_001)
        )
        + b"</sheetData></worksheet>"
    )
    started = time.perf_counter()
    workbook._scan_worksheet("s", xml)
    assert time.perf_counter() - started < 1  # about 0.1 s; generous for a busy machine


# --- damaged, encrypted and other files --------------------------------------------------------


def _damaged_deflate() -> bytes:
    data = bytearray(zip_bytes({"xl/workbook.xml": b"<workbook/>" * 100}))
    data[30 + len(b"xl/workbook.xml")] = 0xFF  # an invalid block type
    return bytes(data)


def _truncated_deflate() -> bytes:
    """The stream ends early; the sizes in the headers agree with the truncated data."""
    content = os.urandom(5000).hex().encode()
    data = bytearray(zip_bytes({"xl/workbook.xml": content}))
    name = b"xl/workbook.xml"
    size = struct.unpack_from("<I", data, 18)[0]
    start = 30 + len(name)
    cut = size // 2
    del data[start + cut : start + size]
    struct.pack_into("<I", data, 18, cut)
    central = data.find(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 20, cut)
    end = data.find(b"PK\x05\x06")
    struct.pack_into("<I", data, end + 16, central)
    return bytes(data)


def _bad_crc() -> bytes:
    data = bytearray(zip_bytes({"xl/workbook.xml": b"<workbook/>"}, zipfile.ZIP_STORED))
    data[30 + len(b"xl/workbook.xml")] ^= 1
    return bytes(data)


def _duplicate_names() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        archive.writestr("XL/Workbook.xml", b"<workbook/>")
    return buffer.getvalue()


def _bzip2() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_BZIP2) as archive:
        archive.writestr("xl/workbook.xml", b"<workbook/>")
    return buffer.getvalue()


def _encrypted_ooxml() -> bytes:
    """An OLE2 compound file whose directory holds an EncryptedPackage stream, as Excel saves a
    workbook with a password to open."""
    header = bytearray(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    directory = bytearray(512)
    for slot, name in enumerate(("Root Entry", "EncryptionInfo", "EncryptedPackage")):
        encoded = name.encode("utf-16-le") + b"\0\0"
        directory[slot * 128 : slot * 128 + len(encoded)] = encoded
        struct.pack_into("<H", directory, slot * 128 + 64, len(encoded))
    return bytes(header + directory + b"\0" * 1024)


def _encrypted_xls() -> bytes:
    """An .xls whose first record after the BOF is a FILEPASS, as a password-protected one."""
    data = bytearray(xls_bytes())
    bof = data.find(b"\x09\x08\x10\x00\x00\x06\x05\x00")
    struct.pack_into("<H", data, bof + 20, 0x002F)
    return bytes(data)


def _encrypted_ods() -> bytes:
    source = zipfile.ZipFile(io.BytesIO(ods_bytes(ods_table())))
    members = {name: source.read(name) for name in source.namelist()}
    members["META-INF/manifest.xml"] = members["META-INF/manifest.xml"].replace(
        b"</manifest:manifest>",
        b'<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">'
        b'<manifest:encryption-data manifest:checksum-type="SHA1"/></manifest:file-entry>'
        b"</manifest:manifest>",
    )
    return zip_bytes(members)


def _xlsb() -> bytes:
    return zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/workbook.bin": b"\0" * 64})


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(b"", "The file is empty.", id="empty"),
        pytest.param(b" \r\n\t ", "The file is empty.", id="whitespace"),
        pytest.param(PNG, NOT_SPREADSHEET, id="png"),
        pytest.param(bytes(range(256)) * 8, NOT_SPREADSHEET, id="binary"),
        pytest.param(
            b"a,b\ncaf\xe9,\x81\x7f\n",
            "The CSV file is neither UTF-8 nor Shift_JIS (CP932). Save it as UTF-8.",
            id="undecodable",
        ),
        pytest.param(DAMAGED_ZIP, DAMAGED, id="damaged-zip"),
        pytest.param(b"PK\x03\x04", DAMAGED, id="zip-magic-only"),
        pytest.param(patched_zip(flags=0x1), DAMAGED, id="zip-encrypted-member"),
        pytest.param(patched_zip(method=99), DAMAGED, id="zip-aes"),
        pytest.param(_bzip2(), DAMAGED, id="zip-bzip2"),
        pytest.param(_damaged_deflate(), DAMAGED, id="damaged-deflate"),
        pytest.param(_truncated_deflate(), DAMAGED, id="truncated-deflate"),
        pytest.param(_bad_crc(), DAMAGED, id="bad-crc"),
        pytest.param(_duplicate_names(), DAMAGED, id="one-name-twice"),
        pytest.param(
            zip_bytes({"readme.txt": b"hello"}),
            "This file is a zip archive, not an Excel workbook.",
            id="zip-not-workbook",
        ),
        pytest.param(
            _xlsb(),
            "This is a binary workbook (.xlsb). Save it as .xlsx and upload it again.",
            id="xlsb",
        ),
        pytest.param(
            zip_bytes({"xl/workbook.xml": b"not xml", "[Content_Types].xml": b"<"}),
            UNREADABLE,
            id="workbook-shaped-zip",
        ),
        pytest.param(
            zip_bytes(
                {"xl/workbook.xml": b'<!DOCTYPE x [<!ENTITY a "aaaa">]><workbook>&a;</workbook>'}
            ),
            UNREADABLE,
            id="xml-entities",
        ),
        pytest.param(
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504, UNREADABLE, id="ole-not-a-workbook"
        ),
        pytest.param(_encrypted_ooxml(), PASSWORD, id="encrypted-xlsx"),
        pytest.param(_encrypted_xls(), PASSWORD, id="encrypted-xls"),
        pytest.param(_encrypted_ods(), PASSWORD, id="encrypted-ods"),
    ],
)
def test_files_refused(data: bytes, expected: str) -> None:
    assert problems_of(data) == [expected]


def test_a_file_over_the_upload_limit(settings: SettingsWrapper) -> None:
    settings.MAX_UPLOAD_BYTES = 1024 * 1024
    data = b"a,b\n" * (400 * 1024)

    assert problems_of(data) == ["The file is 1.6 MB; the limit is 1.0 MB."]


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(zip_bomb(megabytes=20), id="one-deflated-member"),
        pytest.param(zip_bomb(megabytes=2, members=3), id="the-budget-counts-every-member"),
        pytest.param(
            zip_bytes(
                {"xl/workbook.xml": b"<workbook/>", "big.bin": b"\0" * (6 * 1024 * 1024)},
                zipfile.ZIP_STORED,
            ),
            id="stored-members-count-too",
        ),
    ],
)
def test_zip_bombs_are_refused(settings: SettingsWrapper, data: bytes) -> None:
    settings.MAX_UNCOMPRESSED_BYTES = 5 * 1024 * 1024

    assert problems_of(data) == ["The workbook decompresses to more than 5.0 MB and was refused."]


def test_a_zip_with_too_many_parts() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for number in range(10_001):
            archive.writestr(f"xl/p{number}.xml", "")

    assert problems_of(buffer.getvalue()) == [
        "The workbook holds too many parts to be a plain spreadsheet."
    ]


def test_a_csv_of_blank_cells_is_an_empty_sheet() -> None:
    assert read_workbook(b",,,\n,,,\n") == Workbook("csv", (RawSheet("", True, (1, 0), []),))


# --- text files people save (issue 13) ---------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_text_without_its_byte_order_mark_is_read(encoding: str) -> None:
    """Some tools save “Unicode text” without the BOM: it was called “not a spreadsheet”."""
    data = "部署\t業務\t作業\n人事部\t給与計算\t勤怠集計\n".encode(encoding)
    book = read_workbook(data)
    assert book.sheets[0].rows == [["部署", "業務", "作業"], ["人事部", "給与計算", "勤怠集計"]]


def test_binary_data_with_zero_bytes_is_still_not_a_spreadsheet() -> None:
    with translation.override("en"), pytest.raises(ImportRejected) as rejected:
        read_workbook(b"\x00\x01\x02\x03binary\x00\xff\x00\x10\n\x00")
    assert "not a spreadsheet" in str(rejected.value)


def test_a_quotation_mark_left_open_is_named_not_read_as_missing_values() -> None:
    """An unclosed quote swallowed every later row into one cell, reported as “value
    required” on rows that were fine."""
    data = '部署,業務,作業\n人事部,"給与計算,勤怠集計\n総務部,受付,来客対応\n'.encode()
    with translation.override("en"), pytest.raises(ImportRejected) as rejected:
        read_workbook(data)
    assert str(rejected.value) == (
        "The CSV file cannot be read near line 3: check its quotation marks."
    )
