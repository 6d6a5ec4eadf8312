"""Small helpers that build inventory files in memory, as users would upload them: CSV in UTF-8,
UTF-8 with BOM, CP932 or UTF-16; .xlsx written by openpyxl, .xls by xlwt, .ods by odfpy; and the
hostile kinds (zip bombs, damaged or encrypted archives, binaries)."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from typing import Any

import openpyxl
import xlwt

from tests.corpus import writers

# Two tasks in CP932 with Japanese headers and labels, as a Japanese spreadsheet saves them.
GOOD_CSV = (
    "部署,業務,作業,業務区分,頻度,回数,所要時間(分),人数\n"
    "人事部,給与計算,勤怠データ集計,人事・労務,毎月,1,120,2\n"
    "総務部,受付,来客対応,総務・受付,毎日,4,15,1\n"
).encode("cp932")

# Five tasks in UTF-8 with the English headers and codes.
FIVE_TASKS = (
    b"department,process,task,category,frequency,occurrences,minutes,people\n"
    b"HR,Payroll,Collect timesheets,hr,monthly,1,90,2\n"
    b"HR,Payroll,Check overtime,hr,monthly,1,60,1\n"
    b"IT,Helpdesk,Reset passwords,it,daily,5,10,1\n"
    b"IT,Helpdesk,Set up laptops,it,monthly,4,120,1\n"
    b"Accounting,Invoices,Send invoices,accounting,monthly,1,240,1\n"
)

# The column order of the standard test file: minutes is column F, as in the brief's example.
KEYS = [
    "department",  # A
    "process",  # B
    "task",  # C
    "category",  # D
    "frequency",  # E
    "minutes",  # F
    "occurrences",  # G
    "people",  # H
    "expertise",  # I
    "standardizable",  # J
    "hourly_cost",  # K
    "people_able",  # L
    "notes",  # M
]
JA_HEADERS = [
    "部署",
    "業務",
    "作業",
    "業務区分",
    "頻度",
    "所要時間(分)",
    "回数",
    "人数",
    "専門性",
    "標準化",
    "時間単価(円)",
    "対応可能人数",
    "備考",
]
EN_LABELS = [
    "Department",
    "Process",
    "Task",
    "Category",
    "Frequency",
    "Minutes per occurrence",
    "Occurrences",
    "People",
    "Expertise",
    "Standardisable",
    "Hourly cost (yen)",
    "Staff able to do it",
    "Notes",
]

GOOD = {
    "department": "HR",
    "process": "Payroll",
    "task": "Collect timesheets",
    "category": "hr",
    "frequency": "monthly",
    "minutes": "120",
    "occurrences": "1",
    "people": "2",
    "expertise": "2",
    "standardizable": "yes",
    "hourly_cost": "",
    "people_able": "1",
    "notes": "",
}
GOOD_JA = {
    **GOOD,
    "department": "人事部",
    "process": "給与計算",
    "task": "勤怠集計",
    "category": "人事・労務",
    "frequency": "毎月",
    "standardizable": "可",
}


def task(number: int = 0, base: dict[str, str] = GOOD, **changes: Any) -> list[Any]:
    """One task row in KEYS order; `number` makes the task name unique."""
    values = {**base, **changes}
    if number and "task" not in changes:
        values["task"] = f"{values['task']} {number}"
    return [values[key] for key in KEYS]


def csv_bytes(
    rows: Iterable[Sequence[Any]],
    encoding: str = "utf-8",
    delimiter: str = ",",
    newline: str = "\n",
) -> bytes:
    """Rows joined by hand, so a test controls every byte; quote cells holding the delimiter."""
    lines = []
    for row in rows:
        cells = []
        for cell in row:
            text = "" if cell is None else str(cell)
            if delimiter in text or '"' in text or "\n" in text:
                text = '"' + text.replace('"', '""') + '"'
            cells.append(text)
        lines.append(delimiter.join(cells))
    return (newline.join(lines) + newline).encode(encoding)


def inventory_csv(*rows: Sequence[Any], headers: Sequence[str] = KEYS, **options: Any) -> bytes:
    """A CSV with `headers` and `rows` (one good task when none are given)."""
    return csv_bytes([list(headers), *(rows or [task()])], **options)


def xlsx_bytes(rows: Iterable[Sequence[Any]], setup: Any = None) -> bytes:
    """A workbook with `rows` on its first sheet; `setup(sheet)` may change it further."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    if setup is not None:
        setup(sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xls_bytes(rows: Iterable[Sequence[Any]], sheet: str = "Sheet1") -> bytes:
    """An Excel 97-2003 workbook (xlwt) with `rows` on its one sheet; None leaves a cell empty."""
    workbook = xlwt.Workbook(encoding="utf-8")
    worksheet = workbook.add_sheet(sheet)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                worksheet.write(r, c, value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def ods_bytes(rows: Sequence[Sequence[Any]], sheet: str = "Sheet1") -> bytes:
    """A LibreOffice Calc spreadsheet (odfpy) with `rows` on its one sheet."""
    return writers.ods([writers.OdsSheet(sheet, rows)])


def xlsm_bytes(rows: Iterable[Sequence[Any]]) -> bytes:
    """A macro-enabled workbook (.xlsm): an .xlsx with Excel's macro-enabled content type."""
    return writers.as_xlsm(xlsx_bytes(rows))


def zip_bytes(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def zip_bomb(megabytes: int, members: int = 1) -> bytes:
    """A valid workbook-shaped zip whose members inflate to `megabytes` MB of zeros each,
    written in chunks so the test never holds the inflated bytes."""
    chunk = b"\0" * (1024 * 1024)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        for number in range(members):
            with archive.open(f"xl/worksheets/sheet{number + 1}.xml", "w") as member:
                for _ in range(megabytes):
                    member.write(chunk)
    return buffer.getvalue()


def many_part_zip(parts: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        for number in range(parts):
            archive.writestr(f"xl/p{number}.xml", "")
    return buffer.getvalue()


def patched_zip(*, flags: int | None = None, method: int | None = None) -> bytes:
    """A one-member workbook-shaped zip with its header fields patched, in both the local and the
    central header: flags=1 marks the member encrypted, method=99 is AES (unsupported)."""
    data = bytearray(zip_bytes({"xl/workbook.xml": b"<workbook/>"}, zipfile.ZIP_STORED))
    central = data.find(b"PK\x01\x02")
    if flags is not None:
        data[6:8] = data[central + 8 : central + 10] = struct.pack("<H", flags)
    if method is not None:
        data[8:10] = data[central + 10 : central + 12] = struct.pack("<H", method)
    return bytes(data)


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
OLE_XLS = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
DAMAGED_ZIP = b"PK\x03\x04" + b"\x14\x00garbage, not a zip at all" * 20


# --- hostile workbooks (issue 12): written byte by byte -------------------------------------


def raw_xlsx(sheet_data: str, *, prefix: str = "", extra: dict[str, str] | None = None) -> bytes:
    """A minimal workbook around one sheet's <sheetData> content, written by hand so a test
    controls every byte of the markup."""
    namespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    relationships = "http://schemas.openxmlformats.org/package/2006/relationships"
    office = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    declaration = f"xmlns:{prefix[:-1]}" if prefix else "xmlns"
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{relationships}"><Relationship Id="rId1" '
            f'Type="{office}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{namespace}" xmlns:r="{office}"><sheets>'
            '<sheet name="棚卸し" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{relationships}"><Relationship Id="rId1" '
            f'Type="{office}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": (
            f'<{prefix}worksheet {declaration}="{namespace}"><{prefix}sheetData>{sheet_data}'
            f"</{prefix}sheetData></{prefix}worksheet>"
        ),
        **(extra or {}),
    }
    return zip_bytes({name: content.encode() for name, content in parts.items()})


def far_cell_xlsx(cell: str, styled: bool) -> bytes:
    """Two rows of table and one far cell: a value, or only a style (~1 KB either way)."""
    far = (
        f'<c r="{cell}" s="1"/>' if styled else f'<c r="{cell}" t="inlineStr"><is><t>x</t></is></c>'
    )
    row = "".join(ch for ch in cell if ch.isdigit())
    return raw_xlsx(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>部署</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>分</t></is></c></row>'
        '<row r="2"><c r="A2" t="inlineStr"><is><t>人事</t></is></c><c r="B2"><v>30</v></c></row>'
        f'<row r="{row}">{far}</row>'
    )


def zip_by_hand(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip whose headers say what the test wants: (name, deflated stream, CRC, declared
    uncompressed size) per member, the same in the local and the central header."""
    body, central = bytearray(), bytearray()
    for name, stream, crc, size in members:
        encoded, offset = name.encode(), len(body)
        fields = (zipfile.ZIP_DEFLATED, 0, 0, crc, len(stream), size, len(encoded))
        body += struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, *fields, 0) + encoded + stream
        central += struct.pack(
            "<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, *fields, 0, 0, 0, 0, 0, offset
        )
        central += encoded
    count = len(members)
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, count, count, len(central), len(body), 0)
    return bytes(body + central + end)


def deflate(content: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(content) + compressor.flush()


def lying_bomb() -> bytes:
    """A worksheet whose headers declare 2,000 bytes, with the CRC of those 2,000 bytes, while
    its deflate stream really inflates to 512 MB of rows (under 2 MB uploaded)."""
    cells = b"".join(b'<c r="%s1"><v>1</v></c>' % letter for letter in (b"A", b"B", b"C", b"D"))
    block = b"<row>" + cells + b"</row>"
    block *= (1 << 20) // len(block)
    head = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    head += b"<sheetData>"
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    stream = compressor.compress(head) + b"".join(compressor.compress(block) for _ in range(512))
    stream += compressor.flush()
    declared = (head + block)[:2000]
    with zipfile.ZipFile(io.BytesIO(raw_xlsx(""))) as honest:
        members = [
            (name, deflate(content), zlib.crc32(content), len(content))
            for name in honest.namelist()
            if name != "xl/worksheets/sheet1.xml"
            for content in [honest.read(name)]
        ]
    members.append(("xl/worksheets/sheet1.xml", stream, zlib.crc32(declared), len(declared)))
    return zip_by_hand(members)
