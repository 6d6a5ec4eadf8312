"""Small writers for the corpus: each makes a whole file in memory, in the format a back office
would send it. They only lay out cells; every sheet's content is in `sheets.py`.

- `.xlsx` / `.xlsm`: openpyxl (real merged cells, hidden rows and sheets, formulas *without* a
  cached value) or xlsxwriter (formulas *with* a cached value, `[h]:mm` number formats, tables
  with a total row).
- `.xls`: xlwt (Excel 97–2003).
- `.ods`: odfpy (LibreOffice Calc).
- CSV / TSV / TXT: plain bytes in the encoding Excel or the system export uses.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import openpyxl
import xlsxwriter
import xlwt
from odf.opendocument import OpenDocumentSpreadsheet
from odf.style import Style, TableRowProperties
from odf.table import CoveredTableCell, Table, TableCell, TableRow
from odf.text import P
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

Rows = Sequence[Sequence[Any]]

# A fixed timestamp, so that the document properties do not change from one build to the next.
CREATED = dt.datetime(2026, 4, 10, 9, 0, 0)

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
EXAMPLE_FILL = PatternFill("solid", fgColor="EEEEEE")
BOLD = Font(bold=True)


# --- openpyxl -----------------------------------------------------------------------------------


def new_workbook(creator: str = "総務部") -> openpyxl.Workbook:
    workbook = openpyxl.Workbook()
    workbook.properties.creator = creator
    workbook.properties.created = CREATED
    workbook.properties.modified = CREATED
    return workbook


def put(worksheet: Worksheet, rows: Rows, top: int = 1, left: int = 1) -> None:
    """Write `rows` with their first cell at (top, left); None leaves a cell empty."""
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                worksheet.cell(row=top + r, column=left + c, value=value)


def style_header(worksheet: Worksheet, row: int, first: int, last: int) -> None:
    """The look of a header row in a home-made sheet: bold, shaded, wrapped."""
    for column in range(first, last + 1):
        cell = worksheet.cell(row=row, column=column)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def widths(worksheet: Worksheet, **columns: float) -> None:
    for letter, width in columns.items():
        worksheet.column_dimensions[letter].width = width


def save(workbook: openpyxl.Workbook) -> bytes:
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


XLSX_MAIN = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
XLSM_MAIN = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"


def as_xlsm(data: bytes) -> bytes:
    """The same workbook with the macro-enabled content type Excel gives a `.xlsm` file (a
    macro-enabled workbook need not contain a macro; the product reads only the cells)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                assert XLSX_MAIN in content
                content = content.replace(XLSX_MAIN, XLSM_MAIN)
            target.writestr(info, content)
    return stream.getvalue()


# --- xlsxwriter ---------------------------------------------------------------------------------


def new_xlsxwriter() -> tuple[xlsxwriter.Workbook, io.BytesIO]:
    stream = io.BytesIO()
    workbook = xlsxwriter.Workbook(stream, {"in_memory": True})
    workbook.set_properties({"author": "経理部", "created": CREATED})
    return workbook, stream


# --- xlwt (.xls) --------------------------------------------------------------------------------


@dataclass
class XlsSheet:
    """One sheet of an .xls file. Rows and columns are 0-based, as in xlwt."""

    name: str
    rows: Rows
    top: int = 0
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1, r2, c1, c2
    hidden_rows: set[int] = field(default_factory=set)
    bold_rows: set[int] = field(default_factory=set)


def xls(sheets: Iterable[XlsSheet]) -> bytes:
    workbook = xlwt.Workbook(encoding="utf-8")
    bold = xlwt.easyxf("font: bold on; pattern: pattern solid, fore_colour pale_blue;")
    plain = xlwt.easyxf("")
    for sheet in sheets:
        worksheet = workbook.add_sheet(sheet.name, cell_overwrite_ok=True)
        merged_away = set()
        for r1, r2, c1, c2 in sheet.merges:
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    if (r, c) != (r1, c1):
                        merged_away.add((r, c))
        for r, row in enumerate(sheet.rows):
            index = sheet.top + r
            style = bold if index in sheet.bold_rows else plain
            for c, value in enumerate(row):
                if value is not None and (index, c) not in merged_away:
                    worksheet.write(index, c, value, style)
        for r1, r2, c1, c2 in sheet.merges:
            value = sheet.rows[r1 - sheet.top][c1]
            style = bold if r1 in sheet.bold_rows else plain
            worksheet.write_merge(r1, r2, c1, c2, value, style)
        for index in sheet.hidden_rows:
            worksheet.row(index).hidden = True
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


# --- odfpy (.ods) -------------------------------------------------------------------------------


@dataclass
class OdsSheet:
    """One sheet of an .ods file. Rows and columns are 0-based; a merge is (row, column,
    rows spanned, columns spanned), its covered cells being left out of `rows` (None)."""

    name: str
    rows: Rows
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    hidden_rows: set[int] = field(default_factory=set)


def ods(sheets: Iterable[OdsSheet]) -> bytes:
    document = OpenDocumentSpreadsheet()
    collapsed = Style(name="ro-hidden", family="table-row")
    collapsed.addElement(TableRowProperties(rowheight="0.452cm"))
    document.automaticstyles.addElement(collapsed)
    for sheet in sheets:
        table = Table(name=sheet.name)
        spans = {(r, c): (rs, cs) for r, c, rs, cs in sheet.merges}
        covered = {
            (r + i, c + j)
            for r, c, rs, cs in sheet.merges
            for i in range(rs)
            for j in range(cs)
            if (i, j) != (0, 0)
        }
        width = max((len(row) for row in sheet.rows), default=0)
        for r, row in enumerate(sheet.rows):
            if r in sheet.hidden_rows:
                table_row = TableRow(stylename=collapsed, visibility="collapse")
            else:
                table_row = TableRow()
            for c in range(width):
                value = row[c] if c < len(row) else None
                if (r, c) in covered:
                    table_row.addElement(CoveredTableCell())
                    continue
                attributes: dict[str, Any] = {}
                if (r, c) in spans:
                    rows_spanned, columns_spanned = spans[(r, c)]
                    attributes["numberrowsspanned"] = rows_spanned
                    attributes["numbercolumnsspanned"] = columns_spanned
                table_row.addElement(_ods_cell(value, attributes))
            table.addElement(table_row)
        document.spreadsheet.addElement(table)
    stream = io.BytesIO()
    document.write(stream)
    return stream.getvalue()


def _ods_cell(value: Any, attributes: dict[str, Any]) -> TableCell:
    if value is None:
        return TableCell(**attributes)
    if isinstance(value, bool):
        cell = TableCell(
            valuetype="boolean", booleanvalue="true" if value else "false", **attributes
        )
        cell.addElement(P(text="TRUE" if value else "FALSE"))
        return cell
    if isinstance(value, int | float):
        cell = TableCell(valuetype="float", value=value, **attributes)
        cell.addElement(P(text=f"{value:g}"))
        return cell
    cell = TableCell(valuetype="string", **attributes)
    cell.addElement(P(text=str(value)))
    return cell


# --- text files ---------------------------------------------------------------------------------


def delimited(rows: Rows, encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    """Rows as Excel writes them: CRLF line ends, quotes only where needed. `encoding` may be
    "utf-8-sig" (UTF-8 with BOM), "cp932" or "utf-16" (Python writes the BOM, little-endian
    on this platform: Excel's 「Unicode テキスト」)."""
    stream = io.StringIO()
    writer = csv.writer(stream, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    text = stream.getvalue()
    if encoding == "utf-16":
        return b"\xff\xfe" + text.encode("utf-16-le")
    return text.encode(encoding)
