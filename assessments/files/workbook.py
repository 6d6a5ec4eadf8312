"""Bytes -> the workbook's sheets as cells: every format recognised by its content, never by its
name, and read within limits so that no upload can take the server down.

- `.xlsx`, `.xlsm` and `.ods` are zips: every member is inflated here first, counting the bytes
  really produced (zip bombs, headers that lie about sizes); each worksheet's XML is then scanned
  with compiled regexes for the extent of its values, hidden rows, subtotal rows and formulas never
  calculated, so a stray value at XFD1048576 is refused by name instead of making the reader
  allocate the whole grid;
- python-calamine reads `.xlsx`, `.xlsm`, `.xls` and `.ods`. All of that runs in a forked child
  under memory and CPU limits: a file crafted to explode, or a bug in the reader, costs a refusal
  rather than the worker;
- anything else is text: CSV, TSV or TXT in UTF-8, Shift_JIS (CP932) or UTF-16."""

from __future__ import annotations

import codecs
import contextlib
import csv
import gc
import io
import logging
import os
import pickle
import posixpath
import re
import resource
import select
import signal
import struct
import time
import traceback
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, partial
from typing import Any

import xlrd
from defusedxml import ElementTree
from django.conf import settings
from django.utils.translation import gettext as _
from python_calamine import (
    CalamineError,
    CalamineWorkbook,
    PasswordError,
    SheetTypeEnum,
    SheetVisibleEnum,
)

from assessments.files.problems import ImportRejected, Problem, column_letters, megabytes, reject

logger = logging.getLogger(__name__)

Range = tuple[int, int, int, int]  # first row number, first column index, last row, last column


@dataclass(frozen=True)
class RawSheet:
    name: str
    visible: bool  # False for hidden and very hidden sheets
    # (row number as the spreadsheet shows it, 1-based; column index, 0-based) of rows[0][0]
    origin: tuple[int, int]
    # The dense block from origin to the last used row and column, values as python-calamine
    # gives them; "" for an empty cell.
    rows: list[list[Any]]
    # merged ranges: (first row number, first column index, last row number, last column index)
    merged: tuple[Range, ...] = ()
    hidden_rows: frozenset[int] = frozenset()  # row numbers of hidden rows
    # rows with a SUBTOTAL/AGGREGATE formula, or an Excel table's totals row
    subtotal_rows: frozenset[int] = frozenset()
    # (row number, column index) of formula cells that have no cached value
    uncached: frozenset[tuple[int, int]] = frozenset()


@dataclass(frozen=True)
class Workbook:
    kind: str  # "xlsx", "xlsm", "xls", "ods" or "csv" (CSV, TSV and TXT)
    sheets: tuple[RawSheet, ...]  # in workbook order (a CSV has one visible sheet named "")


def read_workbook(data: bytes) -> Workbook:
    """The workbook in `data`, or ImportRejected with a message that says what to do."""
    limit = settings.MAX_UPLOAD_BYTES
    if len(data) > limit:
        raise reject(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": megabytes(len(data)), "limit": megabytes(limit, round_up=False)}
        )
    if not data.strip():
        raise reject(_("The file is empty."))
    if data.startswith((_ZIP_MAGIC, _OLE_MAGIC)):
        return _isolated(_read_binary, data)
    return _read_text(data)


# --- limits and messages ---------------------------------------------------------------------

SPARE_ROWS = 1000  # rows beyond MAX_IMPORT_ROWS a sheet may spend on titles, notes and blanks
_MAX_MARKS = 300_000  # merged ranges or uncalculated formulas in one sheet: more is not a table
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MAX_PARTS = 10_000


def _row_limit() -> int:
    return settings.MAX_IMPORT_ROWS + SPARE_ROWS


def _workbook_cells() -> int:
    """Every sheet is read whole, so the sheets together get twice one sheet's allowance."""
    return 2 * settings.MAX_SHEET_CELLS


def _damaged() -> ImportRejected:
    return reject(_("The file looks like .xlsx but is damaged and cannot be read."))


def _unreadable() -> ImportRejected:
    return reject(_("The workbook cannot be read. Save it again from Excel as .xlsx."))


def _password() -> ImportRejected:
    return reject(
        _("The workbook is password-protected: save it without a password and upload it again.")
    )


def _too_complex() -> ImportRejected:
    return reject(
        _(
            "The workbook is too large or too complex to read within the server's limits. "
            "Delete the sheets, rows and columns you do not need (or save the table as .csv) "
            "and upload it again."
        )
    )


def _check_extent(
    sheet: str | None,
    top: int,
    left: int,
    bottom: int,
    right: int,
    used_rows: int,
    far: Callable[[], tuple[int, int]],
) -> None:
    """Refuse a sheet (None: a CSV file) whose values span too many rows or cells. Bounds are
    0-based and inclusive; `used_rows` counts the rows holding a value; `far()` finds the cell
    to name."""
    height, width = bottom - top + 1, right - left + 1
    if used_rows > _row_limit():
        raise reject(
            _(
                "The sheet “%(sheet)s” has more than %(rows)s rows; at most %(limit)s tasks can "
                "be imported at once."
            )
            % {
                "sheet": sheet,
                "rows": f"{_row_limit():,}",
                "limit": f"{settings.MAX_IMPORT_ROWS:,}",
            }
        )
    if height > _row_limit() or height * width > settings.MAX_SHEET_CELLS:
        row, column = far()
        values = {
            "sheet": sheet,
            "cell": f"{column_letters(column)}{row + 1}",
            "cells": f"{height * width:,}",
        }
        if sheet is None:
            raise reject(
                _(
                    "Cell %(cell)s holds a value far outside the table (the table would span "
                    "%(cells)s cells). Delete that cell (or everything right of and below the "
                    "table) and upload again."
                )
                % values
            )
        raise reject(
            _(
                "Sheet “%(sheet)s”: cell %(cell)s holds a value far outside the table (the table "
                "would span %(cells)s cells). Delete that cell (or everything right of and below "
                "the table) and upload again."
            )
            % values
        )


# --- running the reader in a child process ---------------------------------------------------


def _isolated(work: Callable[[bytes], Workbook], data: bytes) -> Workbook:
    """`work(data)` in a forked child limited in memory and CPU time; its answer comes back
    pickled through a pipe. A child that dies or overruns is a refusal, never a dead worker."""
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        raise
    if pid == 0:
        _child(work, data, read_end, write_end)  # never returns
    os.close(write_end)
    payload, complete = b"", False
    try:
        payload, complete = _drain(read_end, time.monotonic() + 2 * settings.READER_SECONDS)
    finally:  # whatever happens here, the child neither outlives the read nor stays a zombie
        os.close(read_end)
        if not complete:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        status = _reap(pid)
    outcome = _load(payload) if complete else None
    if outcome is None:
        logger.warning("The workbook reader stopped (status %s, %s bytes).", status, len(payload))
        raise _too_complex()
    kind, value = outcome
    if kind == "ok" and isinstance(value, Workbook):
        return value
    if kind == "rejected":
        raise ImportRejected([Problem(*problem) for problem in value])
    if kind == "failed":
        logger.error("The workbook reader failed:\n%s", value)
        raise _unreadable()
    raise _too_complex()


def _child(work: Callable[[bytes], Workbook], data: bytes, read_end: int, write_end: int) -> None:
    """The child's whole life. It leaves through os._exit: no atexit handlers, no finalisers,
    nothing that could touch the parent's database connection or files."""
    status = 1
    try:
        os.close(read_end)
        _limit_child()
        outcome: tuple[str, Any]
        try:
            outcome = ("ok", work(data))
        except ImportRejected as rejected:
            outcome = ("rejected", [(p.row, p.column, p.message) for p in rejected.problems])
        except MemoryError:
            outcome = ("memory", None)
        except Exception:
            outcome = ("failed", traceback.format_exc()[-4000:])
        try:
            payload = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            outcome = ("memory", None)
            payload = pickle.dumps(outcome)
        view = memoryview(payload)
        while view:
            view = view[os.write(write_end, view) :]
        status = 0
    finally:
        os._exit(status)


def _limit_child() -> None:
    # Short-lived: a collection would only walk (and so copy) every page shared with the parent.
    gc.disable()
    # The web server's handlers (graceful shutdown and the like) are the parent's business.
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1):
        with contextlib.suppress(OSError, ValueError):
            signal.signal(signum, signal.SIG_DFL)
    _lower(resource.RLIMIT_CORE, 0)  # an aborted reader must not leave core files behind
    seconds = settings.READER_SECONDS
    _lower(resource.RLIMIT_CPU, seconds, seconds + 1)  # SIGXCPU, then SIGKILL a second later
    _lower(resource.RLIMIT_AS, _virtual_size() + settings.READER_MEMORY_BYTES)


def _lower(limit: int, soft: int, hard: int | None = None) -> None:
    _soft, current_hard = resource.getrlimit(limit)
    hard = soft if hard is None else hard
    if current_hard != resource.RLIM_INFINITY:
        hard = min(hard, current_hard)
    try:
        resource.setrlimit(limit, (min(soft, hard), hard))
    except (OSError, ValueError):
        logger.warning("Could not limit the workbook reader (resource %s).", limit)


def _virtual_size() -> int:
    """The process's address space now: the forked child starts with all of the parent's."""
    with open("/proc/self/statm", "rb") as statm:
        return int(statm.read().split()[0]) * resource.getpagesize()


def _drain(fd: int, deadline: float) -> tuple[bytes, bool]:
    """Everything the child writes, read before waiting for it (a full pipe would block it).
    Not complete if the deadline passed or the child sent more than it could have made."""
    chunks: list[bytes] = []
    size, cap = 0, settings.READER_MEMORY_BYTES
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLHUP)
    while (remaining := deadline - time.monotonic()) > 0:
        if not poller.poll(remaining * 1000):
            continue
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks), True
        chunks.append(chunk)
        size += len(chunk)
        if size > cap:
            break
    return b"".join(chunks), False


def _reap(pid: int) -> int | None:
    try:
        return os.waitpid(pid, 0)[1]
    except ChildProcessError:  # SIGCHLD ignored: the kernel reaped it already
        return None


class _Unpickler(pickle.Unpickler):
    """Only the types a workbook is made of: what the child sends came from hostile input."""

    ALLOWED = frozenset(
        {
            ("datetime", "date"),
            ("datetime", "datetime"),
            ("datetime", "time"),
            ("datetime", "timedelta"),
            (__name__, "Workbook"),
            (__name__, "RawSheet"),
        }
    )

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in self.ALLOWED:
            raise pickle.UnpicklingError(f"unexpected {module}.{name} from the workbook reader")
        return super().find_class(module, name)


def _load(payload: bytes) -> tuple[str, Any] | None:
    try:
        outcome = _Unpickler(io.BytesIO(payload)).load()
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, IndexError):
        return None
    if isinstance(outcome, tuple) and len(outcome) == 2 and isinstance(outcome[0], str):
        return outcome
    return None


# --- binary workbooks (in the child) ---------------------------------------------------------


def _read_binary(data: bytes) -> Workbook:
    if data.startswith(_OLE_MAGIC):
        if _is_encrypted_ole(data):
            raise _password()
        return Workbook("xls", tuple(_calamine_sheets(data, _xls_marks(data))))
    archive = _Archive(data)
    archive.verify()
    book = _office_document(archive)
    if archive.has(book):
        return _read_xlsx(archive, book)
    if (archive.read("mimetype") or b"").strip() in _ODS_MIMETYPES:
        return _read_ods(archive)
    if archive.has("xl/workbook.bin"):
        raise reject(_("This is a binary workbook (.xlsb). Save it as .xlsx and upload it again."))
    raise reject(_("This file is a zip archive, not an Excel workbook."))


def _xls_marks(data: bytes) -> dict[int | str, _Marks]:
    """The hidden rows of a legacy .xls (discontinued work, often), by sheet name: python-
    calamine reads the cells but not the rows' flags, which xlrd reads from the ROW records.
    A file xlrd cannot read is left to calamine's verdict."""
    try:
        book = xlrd.open_workbook(
            file_contents=data, formatting_info=True, on_demand=True, logfile=io.StringIO()
        )
    except Exception:  # xlrd raises many kinds for damaged files; calamine decides those
        return {}
    marks: dict[int | str, _Marks] = {}
    for index in range(book.nsheets):
        try:
            sheet = book.sheet_by_index(index)
        except Exception:
            continue
        hidden = {row + 1 for row, info in sheet.rowinfo_map.items() if info.hidden}
        if hidden:
            marks[sheet.name] = _Marks(hidden_rows=hidden)
        book.unload_sheet(index)
    return marks


def _is_encrypted_ole(data: bytes) -> bool:
    """An OLE2 file holding an encrypted .xlsx (an EncryptedPackage stream), or an .xls whose
    workbook stream starts with a FILEPASS record. Both sit in plain sight, so no full
    compound-file parser is needed to see them."""
    entry = "EncryptedPackage".encode("utf-16-le") + b"\0\0"
    position = data.find(entry)
    while position != -1:
        # a directory entry: 128-byte aligned, the name's byte length (34) at offset 64
        if position % 128 == 0 and data[position + 64 : position + 66] == b"\x22\x00":
            return True
        position = data.find(entry, position + 1)
    position = data.find(b"\x09\x08\x10\x00\x00\x06\x05\x00")  # BIFF8 BOF of the globals
    for _record in range(12):  # FILEPASS follows the BOF within the first few records
        if position < 0 or position + 4 > len(data):
            break
        kind, length = struct.unpack_from("<HH", data, position)
        if kind == 0x002F:
            return True
        position += 4 + length
    return False


def _calamine_sheets(data: bytes, marks: dict[int | str, _Marks]) -> list[RawSheet]:
    """Every worksheet as python-calamine reads it, with what the scan found (`marks`, by the
    sheet's index in the workbook, or by its name)."""
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets, total = [], 0
        for index, meta in enumerate(workbook.sheets_metadata):
            if meta.typ != SheetTypeEnum.WorkSheet:
                continue  # charts and dialogs hold no cells
            sheet = workbook.get_sheet_by_index(index)
            visible = meta.visible == SheetVisibleEnum.Visible
            start, end = sheet.start, sheet.end
            if start is None or end is None or not sheet.height:
                sheets.append(RawSheet(meta.name, visible, (1, 0), []))
                continue
            # xlsx was checked before the reader ran; xls and ods only can be checked here.
            used = _used_rows(sheet) if sheet.height > _row_limit() else sheet.height
            _check_extent(meta.name, *start, *end, used, partial(_far_cell, sheet))
            total += sheet.height * sheet.width
            if total > _workbook_cells():
                raise _too_many_cells()
            rows = sheet.to_python()
            merged = [(a[0], a[1], b[0], b[1]) for a, b in sheet.merged_cell_ranges or ()]
            found = marks.get(index) or marks.get(meta.name)
            sheets.append(_sheet(meta.name, visible, start, rows, merged, found))
            del sheet, rows
    except PasswordError:
        raise _password() from None
    except (CalamineError, OSError, ValueError, TypeError):
        raise _unreadable() from None
    except BaseException as error:  # a panic in the Rust reader arrives as a BaseException
        if type(error).__name__ != "PanicException":
            raise
        raise _unreadable() from None
    return sheets


def _too_many_cells() -> ImportRejected:
    return reject(
        _(
            "The workbook's sheets hold more than %(limit)s cells together. Delete the sheets "
            "you do not need and upload it again."
        )
        % {"limit": f"{_workbook_cells():,}"}
    )


def _used_rows(sheet: Any) -> int:
    """Rows holding a value, counted only for a range too tall (xls and ods have no scan)."""
    used = 0
    for row in sheet.iter_rows():
        if any(cell != "" for cell in row):
            used += 1
            if used > _row_limit():
                break
    return used


def _far_cell(sheet: Any) -> tuple[int, int]:
    """The cell to name when an xls or ods range is too big: the last cell of its last row when
    it is too tall, else the lowest cell of its last column. The reader trims empty rows and
    columns, so both hold a value."""
    (top, left), (bottom, right) = sheet.start, sheet.end
    tall = bottom - top + 1 > _row_limit()
    found = (bottom, right)
    for number, row in enumerate(sheet.iter_rows()):  # from row 0, not from the range's top
        if tall and number == bottom:
            return bottom, left + max(
                (i for i, cell in enumerate(row) if cell != ""), default=right - left
            )
        if not tall and row and row[-1] != "":
            found = (number, right)
    return found


def _sheet(
    name: str,
    visible: bool,
    start: tuple[int, int],
    rows: list[list[Any]],
    merged: Iterable[Range],
    marks: _Marks | None,
) -> RawSheet:
    """A RawSheet from calamine's 0-based range and the scan's marks, kept to the used block."""
    top, left = start[0] + 1, start[1]
    bottom, right = top + len(rows) - 1, left + (len(rows[0]) if rows else 0) - 1
    marks = marks or _Marks()
    spans = [
        (first_row + 1, first_column, last_row + 1, last_column)
        for first_row, first_column, last_row, last_column in merged
    ] + marks.merged
    spans = sorted(
        {s for s in spans if s[0] <= bottom and s[2] >= top and s[1] <= right and s[3] >= left}
    )
    if len(spans) > _MAX_MARKS:
        raise _too_complex()
    hidden = {row for row in marks.hidden_rows if top <= row <= bottom}
    for first, last in marks.hidden_ranges:
        hidden.update(range(max(first, top), min(last, bottom) + 1))
    return RawSheet(
        name=name,
        visible=visible,
        origin=(top, left),
        rows=rows,
        merged=tuple(spans),
        hidden_rows=frozenset(hidden),
        subtotal_rows=frozenset(row for row in marks.subtotal_rows if top <= row <= bottom),
        uncached=frozenset(
            (row, column)
            for row, column in marks.uncached
            if top <= row <= bottom and left <= column <= right
        ),
    )


@dataclass
class _Marks:
    """What a scan found in one sheet, in the spreadsheet's numbering (rows from 1)."""

    hidden_rows: set[int] = field(default_factory=set)
    hidden_ranges: list[tuple[int, int]] = field(default_factory=list)  # ods: repeated rows
    subtotal_rows: set[int] = field(default_factory=set)
    uncached: set[tuple[int, int]] = field(default_factory=set)
    merged: list[Range] = field(default_factory=list)  # ods (calamine gives none)


# --- zips: counting what really inflates ------------------------------------------------------

_LOCAL_HEADER = struct.Struct("<4sHHHHHIIIHH")
_IN, _OUT = 1 << 16, 1 << 20  # bytes fed to zlib at a time, bytes taken out at a time


def _part_key(name: str) -> str:
    """Part names as the reader looks them up: any case, either slash."""
    return name.replace("\\", "/").lower()


class _Archive:
    """A zip whose members are inflated here from their raw streams, never trusting the sizes
    its headers declare: the reader would inflate the real stream whatever they say."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        try:
            infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
        except (
            zipfile.BadZipFile,
            zipfile.LargeZipFile,
            OSError,
            EOFError,
            ValueError,
            NotImplementedError,  # e.g. "zip file version 11.8"
        ):
            raise _damaged() from None
        if len(infos) > _MAX_PARTS:
            raise reject(_("The workbook holds too many parts to be a plain spreadsheet."))
        self.members: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            key = _part_key(info.filename)
            if key in self.members:  # the reader and this check could each pick another one
                raise _damaged()
            self.members[key] = info

    def verify(self) -> None:
        """Inflate every member, counting the bytes produced against MAX_UNCOMPRESSED_BYTES."""
        budget = settings.MAX_UNCOMPRESSED_BYTES
        if sum(info.file_size for info in self.members.values()) > budget:
            raise self._bomb()
        for info in self.members.values():
            for piece in self._inflate(info):
                budget -= len(piece)
                if budget < 0:
                    raise self._bomb()

    def has(self, name: str) -> bool:
        return _part_key(name) in self.members

    def read(self, name: str) -> bytes | None:
        """A member already verified, inflated again (only the small ones and the sheets)."""
        info = self.members.get(_part_key(name))
        return None if info is None else b"".join(self._inflate(info))

    def _inflate(self, info: zipfile.ZipInfo) -> Iterator[bytes]:
        try:
            magic, _version, flags, method, *_rest, name_length, extra_length = (
                _LOCAL_HEADER.unpack_from(self.data, info.header_offset)
            )
        except struct.error:
            raise _damaged() from None
        encrypted = (flags | info.flag_bits) & 0x1
        if magic != _ZIP_MAGIC or encrypted or method != info.compress_type:
            raise _damaged()
        start = info.header_offset + _LOCAL_HEADER.size + name_length + extra_length
        stream = memoryview(self.data)[start : start + info.compress_size]
        if len(stream) != info.compress_size:
            raise _damaged()
        if method == zipfile.ZIP_STORED:
            pieces: Iterator[bytes] = (
                bytes(stream[i : i + _OUT]) for i in range(0, len(stream), _OUT)
            )
        elif method == zipfile.ZIP_DEFLATED:
            pieces = _inflate_raw(stream)
        else:  # deflate64, bzip2, LZMA, AES...: neither Excel's nor the reader's
            raise _damaged()
        size, crc = 0, 0
        for piece in pieces:
            size += len(piece)
            if size > info.file_size:  # more than declared: a lie, or damage
                raise _damaged()
            crc = zlib.crc32(piece, crc)
            yield piece
        if size != info.file_size or crc != info.CRC:
            raise _damaged()

    @staticmethod
    def _bomb() -> ImportRejected:
        return reject(
            _("The workbook decompresses to more than %(limit)s MB and was refused.")
            % {"limit": megabytes(settings.MAX_UNCOMPRESSED_BYTES, round_up=False)}
        )


def _inflate_raw(stream: memoryview) -> Iterator[bytes]:
    """A raw deflate stream, a bounded piece at a time, to its real end."""
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    position = 0
    try:
        while not inflater.eof:
            if inflater.unconsumed_tail:
                chunk: bytes | memoryview = inflater.unconsumed_tail
            else:
                chunk = stream[position : position + _IN]
                position += len(chunk)
            piece = inflater.decompress(chunk, _OUT)
            if piece:
                yield piece
            elif not chunk:
                break  # the stream ends before its end marker
    except zlib.error:
        raise _damaged() from None
    if not inflater.eof:
        raise _damaged()


def _xml(data: bytes | None) -> Any:
    """A small XML part (workbook, relationships, tables), parsed safely; None if absent."""
    if data is None:
        return None
    try:
        return ElementTree.fromstring(data)
    except Exception:  # ParseError, DefusedXmlException (entities, DTDs) and the like
        raise _unreadable() from None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


def _attribute(element: Any, name: str) -> str | None:
    """An attribute by its local name, whatever its namespace (as the reader matches r:id)."""
    for key, value in element.attrib.items():
        if _local(key) == name:
            return str(value)
    return None


def _relationships(archive: _Archive, part: str) -> list[tuple[str, str, str]]:
    """(Id, Type, Target as written) of the part's relationships ("" for the package's)."""
    folder, name = posixpath.split(part)
    root = _xml(archive.read(posixpath.join(folder, "_rels", name + ".rels")))
    return [
        (element.get("Id") or "", element.get("Type") or "", element.get("Target") or "")
        for element in (root.iter() if root is not None else ())
        if _local(element.tag) == "Relationship"
    ]


def _target(folder: str, target: str) -> str:
    """A target as the reader resolves a workbook's: absolute, or appended to the folder."""
    return target[1:] if target.startswith("/") else posixpath.join(folder, target)


def _office_document(archive: _Archive) -> str:
    """The workbook part, found as the reader finds it: the folder of the package's
    officeDocument target, and workbook.xml in it whatever the target's own name."""
    folder = "xl"
    try:
        for _id, kind, target in _relationships(archive, ""):
            if kind.endswith("/officeDocument"):
                folder = posixpath.dirname(_target("", target))
    except ImportRejected:
        pass  # no usable package relationships: the reader's default
    return posixpath.join(folder, "workbook.xml")


# --- xlsx ------------------------------------------------------------------------------------


def _read_xlsx(archive: _Archive, book: str) -> Workbook:
    content_types = archive.read("[Content_Types].xml") or b""
    folder = posixpath.dirname(book)
    macros = b"macroEnabled" in content_types or archive.has(
        posixpath.join(folder, "vbaProject.bin")
    )
    root = _xml(archive.read(book))
    targets = {
        rid: (kind, _target(folder, target)) for rid, kind, target in _relationships(archive, book)
    }
    marks: dict[int | str, _Marks] = {}
    sheets = [element for element in root.iter() if _local(element.tag) == "sheet"]
    for index, element in enumerate(sheets):
        kind, part = targets.get(_attribute(element, "id") or "", ("", ""))
        xml = archive.read(part) if kind.endswith("/worksheet") else None
        if xml is not None:
            marks[index] = _scan_worksheet(element.get("name") or "", xml)
            for first, last in _totals_rows(archive, part):
                marks[index].subtotal_rows.update(range(first, last + 1))
    return Workbook("xlsm" if macros else "xlsx", tuple(_calamine_sheets(archive.data, marks)))


def _totals_rows(archive: _Archive, part: str) -> Iterator[tuple[int, int]]:
    """(first, last) row numbers of the totals rows of the sheet's Excel tables."""
    folder = posixpath.dirname(part)
    for _id, kind, target in _relationships(archive, part):
        path = posixpath.normpath(_target(folder, target))  # "../tables/table1.xml"
        table = _xml(archive.read(path)) if kind.endswith("/table") else None
        if table is None:
            continue
        declared = table.get("totalsRowCount") or ""
        count = int(declared) if declared.isdigit() else 0
        bounds = re.fullmatch(
            r"\$?[A-Za-z]{1,3}\$?(\d+):\$?[A-Za-z]{1,3}\$?(\d+)", table.get("ref") or ""
        )
        if count > 0 and bounds:
            last = int(bounds.group(2))
            yield max(int(bounds.group(1)), last - count + 1), last


_P = rb"(?:[A-Za-z_][\w.-]*:)?"  # any namespace prefix: the reader matches local names
_SHEET_DATA = re.compile(rb"<(" + _P + rb")sheetData(?=[\s/>])[^>]*?(/?)>")
_VALUE = re.compile(rb"<" + _P + rb"(?:v(?=[\s>])[^>]*?(?<!/)>(?!</)|is(?=[\s/>]))")
_ANY_VALUE = re.compile(rb"<" + _P + rb"v(?=[\s/>])")
# Result types whose empty <v/> the reader still keeps, as an empty string (t="str" and the like).
_TEXT_TYPE = re.compile(rb"""(?:^|\s)t\s*=\s*["'](?!(?:n|s|b|e|inlineStr|is)["'])""")
_FORMULA = re.compile(rb"<" + _P + rb"f(?=[\s/>])([^>]*?)(?:/>|>(.*?)</" + _P + rb"f\s*>)", re.S)
_CACHED = re.compile(rb"<" + _P + rb"v(?=[\s/>])[^>]*?(?:/>|>(.*?)</" + _P + rb"v\s*>)", re.S)
_STRING_RESULT = re.compile(rb"""(?:^|\s)t\s*=\s*["']str["']""")
_SUBTOTAL = re.compile(rb"\b(?:SUBTOTAL|AGGREGATE)\s*\(", re.I)
_ATTRIBUTE = re.compile(rb"""(?:^|\s)([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_REFERENCE = re.compile(rb"([A-Za-z]{1,3})([0-9]{1,7})")
_CHUNK = 4 << 20  # the sheet is scanned a few MB at a time, so its match lists stay small


class _Fast:
    """Regexes for the form every spreadsheet program writes: each <c> and <row> opens with
    its r attribute, one namespace prefix throughout. They run in C, a few passes per sheet,
    with no Python work per cell."""

    def __init__(self, prefix: bytes) -> None:
        p = re.escape(prefix)
        cell = rb"<" + p + rb'c r="'
        self.cell, self.row = b"<" + prefix + b"c", b"<" + prefix + b"row"
        self.row_r = b"<" + prefix + b'row r="'
        self.letters = re.compile(cell + rb'([A-Z]{1,3})[0-9]{1,7}"')
        self.digits = re.compile(cell + rb'[A-Z]{1,3}([0-9]{1,7})"')
        opening = rb'"[^>]*(?<!/)>'  # the rest of an opening tag that is not self-closing
        self.open_letters = re.compile(cell + rb"([A-Z]{1,3})[0-9]{1,7}" + opening)
        self.open_digits = re.compile(cell + rb"[A-Z]{1,3}([0-9]{1,7})" + opening)
        body = rb"[^<]*(?:<(?!/?" + p + rb"c[\s/>])[^<]*)*"
        self.cells = re.compile(
            cell + rb'([A-Z]{1,3})([0-9]{1,7})"([^>]*?)(?:/>|>(' + body + rb")</" + p + rb"c\s*>)"
        )
        self.hidden = re.compile(rb"<" + p + rb'row r="([0-9]{1,7})"[^>]*?\shidden="(?:1|true)"')
        self.formula = b"<" + prefix + b"f"
        self.formula_tags = (b"<" + prefix + b"f>", b"<" + prefix + b"f ", b"<" + prefix + b"f/>")
        self.formulas = re.compile(
            cell + rb'([A-Z]{1,3})([0-9]{1,7})"([^>]*?)(?<!/)>\s*'
            rb"<" + p + rb"f(?=[\s/>])([^>]*?)(?:/>|>([^<]*)</" + p + rb"f\s*>)\s*"
            rb"(?:(<" + p + rb"v(?=[\s/>])[^>]*?(?:/>|>([^<]*)</" + p + rb"v\s*>))\s*)?"
            rb"</" + p + rb"c\s*>"
        )


@cache
def _fast(prefix: bytes) -> _Fast:
    return _Fast(prefix)


_fast(b"")  # compiled once in the parent, not again in every child


@cache
def _column(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number - 1


class _Extent:
    """Bounds (0-based) of the cells seen, their distinct rows, and the far cells to name."""

    def __init__(self) -> None:
        self.top = self.left = 1 << 30
        self.bottom = self.right = -1
        self.rows: set[int] = set()
        self.lowest = (-1, -1)  # (row, column) of the bottom-most cell, right-most in its row
        self.rightmost = (-1, -1)  # (column, row) of the right-most cell, lowest in its column

    def add_sets(self, letters: set[bytes], digits: set[bytes]) -> None:
        if letters:
            columns = [_column(letter) for letter in letters]
            self.left, self.right = min(self.left, *columns), max(self.right, *columns)
        if digits:
            rows = [int(digit) - 1 for digit in digits]
            self.top, self.bottom = min(self.top, *rows), max(self.bottom, *rows)
            self.rows.update(rows)

    def add(self, row: int, column: int) -> None:
        self.top, self.bottom = min(self.top, row), max(self.bottom, row)
        self.left, self.right = min(self.left, column), max(self.right, column)
        self.rows.add(row)
        self.lowest = max(self.lowest, (row, column))
        self.rightmost = max(self.rightmost, (column, row))

    @property
    def empty(self) -> bool:
        return self.bottom < 0

    def fits(self) -> bool:
        height, width = self.bottom - self.top + 1, self.right - self.left + 1
        return self.empty or (
            len(self.rows) <= _row_limit()
            and height <= _row_limit()
            and height * width <= settings.MAX_SHEET_CELLS
        )

    def check(self, sheet: str) -> None:
        if not self.empty:
            _check_extent(
                sheet, self.top, self.left, self.bottom, self.right, len(self.rows), self.far
            )

    def far(self) -> tuple[int, int]:
        if self.bottom - self.top + 1 > _row_limit():
            return self.lowest
        return self.rightmost[1], self.rightmost[0]

    def holds(self, row: int, column: int) -> bool:
        """Whether the 0-based cell lies in the bounds."""
        return self.top <= row <= self.bottom and self.left <= column <= self.right


class _Shared:
    """Shared formulas: the copies (<f t="shared" si="3"/>) hold no text, so a copy is a
    SUBTOTAL when its group's anchor is."""

    def __init__(self) -> None:
        self.copies: dict[bytes, set[int]] = {}
        self.subtotals: set[bytes] = set()

    def resolve(self, marks: _Marks, sheet: str) -> None:
        for group in self.subtotals:
            marks.subtotal_rows.update(self.copies.get(group, ()))
        if len(marks.uncached) > _MAX_MARKS:
            raise reject(
                _(
                    "The sheet “%(sheet)s” has more than %(limit)s formulas that were never "
                    "calculated. Open the file in Excel, let it calculate, save it and upload "
                    "it again."
                )
                % {"sheet": sheet, "limit": f"{_MAX_MARKS:,}"}
            )


def _holds_value(attributes: bytes, body: bytes) -> bool:
    """Whether the reader keeps the cell: an inline string, a <v> with content, or even an
    empty <v/> when the result type is text. A formula alone, <v/> or <c></c> it drops."""
    if _VALUE.search(body):
        return True
    return _TEXT_TYPE.search(attributes) is not None and _ANY_VALUE.search(body) is not None


def _scan_worksheet(name: str, xml: bytes) -> _Marks:
    """Refuse a sheet whose values spread too far; find its hidden rows, subtotal rows and
    uncalculated formulas. Only cells holding a value count, as the reader counts them: a
    styled empty cell far away (<c r="XFD1048576" s="1"/>) does not."""
    found = _SHEET_DATA.search(xml)
    if not found or found.group(2):
        return _Marks()
    start = found.end()
    end = xml.rfind(b"sheetData", start)
    end = end if end > 0 else len(xml)
    fast = _fast(found.group(1))
    extent = _extent_fast(xml, start, end, fast)
    if extent is None:
        return _scan_any(name, xml, start, end)
    extent.check(name)
    marks = _Marks()
    shared = _Shared()
    formulas = xml.find(fast.formula, start, end) >= 0
    for chunk in _chunks(xml, start, end, fast.row):
        for digits in fast.hidden.findall(chunk):
            if extent.top <= int(digits) - 1 <= extent.bottom:
                marks.hidden_rows.add(int(digits))
        if formulas:
            _formulas_fast(chunk, fast, extent, marks, shared)
    shared.resolve(marks, name)
    return marks


def _chunks(xml: bytes, start: int, end: int, row_tag: bytes) -> Iterator[bytes]:
    """xml[start:end] in pieces of about _CHUNK bytes, each cut just before a <row>."""
    while start < end:
        cut = xml.find(row_tag, start + _CHUNK, end)
        if cut < 0:
            yield xml[start:end]
            return
        yield xml[start:cut]
        start = cut


def _extent_fast(xml: bytes, start: int, end: int, fast: _Fast) -> _Extent | None:
    """The bounds of the used cells, from the cheapest estimate that settles it: every cell,
    then the cells that are not self-closing, then exactly the cells holding a value. None
    when the sheet is not in the usual form."""
    if xml.count(fast.row, start, end) != xml.count(fast.row_r, start, end):
        return None
    cells = xml.count(fast.cell, start, end)
    for letters, digits in ((fast.letters, fast.digits), (fast.open_letters, fast.open_digits)):
        extent, seen = _Extent(), 0
        for chunk in _chunks(xml, start, end, fast.row):
            found = letters.findall(chunk)
            seen += len(found)
            extent.add_sets(set(found), set(digits.findall(chunk)))
        if letters is fast.letters and seen != cells:
            return None  # some <c> without r, or r not in capitals, or other spacing
        if extent.fits():
            return extent
    extent = _Extent()
    for chunk in _chunks(xml, start, end, fast.row):
        for letters, digits, attributes, body in fast.cells.findall(chunk):
            if body and _holds_value(attributes, body):
                extent.add(int(digits) - 1, _column(letters))
    return extent


def _formulas_fast(
    chunk: bytes, fast: _Fast, extent: _Extent, marks: _Marks, shared: _Shared
) -> None:
    found = fast.formulas.findall(chunk)
    if len(found) != sum(chunk.count(tag) for tag in fast.formula_tags):
        # a formula cell of another shape: read every cell of this chunk whole
        for letters, digits, attributes, body in fast.cells.findall(chunk):
            row, column = int(digits) - 1, _column(letters)
            if body and extent.holds(row, column):
                _formula_body(marks, row, column, attributes, body, shared)
        return
    for letters, digits, attributes, f_attributes, formula, cached, value in found:
        row, column = int(digits) - 1, _column(letters)
        if extent.holds(row, column):
            _mark_formula(
                marks, row, column, attributes, f_attributes, formula, cached, value, shared
            )


def _formula_body(
    marks: _Marks, row: int, column: int, attributes: bytes, body: bytes, shared: _Shared
) -> None:
    """A cell whose markup is not of the usual shape: find its <f> and <v> by search."""
    formula = _FORMULA.search(body)
    if formula is None:
        return
    cached = _CACHED.search(body)
    _mark_formula(
        marks,
        row,
        column,
        attributes,
        formula.group(1),
        formula.group(2) or b"",
        cached.group(0) if cached else b"",
        (cached.group(1) or b"") if cached else b"",
        shared,
    )


def _mark_formula(
    marks: _Marks,
    row: int,
    column: int,
    attributes: bytes,
    f_attributes: bytes,
    formula: bytes,
    cached: bytes,
    value: bytes,
    shared: _Shared,
) -> None:
    # An empty <v/> is a cached empty string when the result type is str (=IF(A1="","",A1)).
    if not value and not (cached and _STRING_RESULT.search(attributes)):
        marks.uncached.add((row + 1, column))
    group = _attributes(f_attributes).get(b"si") if b"si" in f_attributes else None
    if formula.strip():
        if _SUBTOTAL.search(formula):
            marks.subtotal_rows.add(row + 1)
            if group is not None:
                shared.subtotals.add(group)
    elif group is not None:
        shared.copies.setdefault(group, set()).add(row + 1)


_TAGS = re.compile(rb"<(/?)" + _P + rb"(row|c)(?=[\s/>])([^>]*?)(/?)>")


def _walk(xml: bytes, start: int, end: int) -> Iterator[tuple[int, int, bytes, bytes | None]]:
    """Every <row> (column -1) and <c> of any form, placed as the reader places them: a <row>
    without r is the row after the previous one, a <c> without r the column after the previous
    cell. Yields (row, column, attributes, body); the body is None for a self-closing cell."""
    row = column = 0
    cell: tuple[int, int, bytes, int] | None = None  # an open <c>: row, column, tag, body start
    for tag in _TAGS.finditer(xml, start, end):
        closing, kind, attributes, empty = tag.groups()
        if kind == b"row":
            if closing:
                row, column = row + 1, 0
                continue
            number = _attributes(attributes).get(b"r", b"")
            if number.isdigit() and int(number) > 0:
                row = int(number) - 1
            yield row, -1, attributes, None
            if empty:
                row, column = row + 1, 0
        elif closing:
            if cell is not None:
                yield cell[0], cell[1], cell[2], xml[cell[3] : tag.start()]
                cell = None
                column += 1
        else:
            reference = _REFERENCE.fullmatch(_attributes(attributes).get(b"r", b""))
            if reference:
                column = _column(reference.group(1))
                position = (int(reference.group(2)) - 1, column)
            else:
                position = (row, column)
            if empty:
                yield *position, attributes, None
                column += 1
            else:
                cell = (*position, attributes, tag.end())


def _scan_any(name: str, xml: bytes, start: int, end: int) -> _Marks:
    """Any other form (cells or rows without r, other prefixes or spacing), walked tag by tag:
    slower, and only for unusual writers."""
    extent = _Extent()
    for row, column, attributes, body in _walk(xml, start, end):
        if column >= 0 and body and _holds_value(attributes, body):
            extent.add(row, column)
    extent.check(name)
    marks = _Marks()
    shared = _Shared()
    for row, column, attributes, body in _walk(xml, start, end):
        if column < 0:
            hidden = _attributes(attributes).get(b"hidden") in (b"1", b"true")
            if hidden and extent.top <= row <= extent.bottom:
                marks.hidden_rows.add(row + 1)
        elif body and extent.holds(row, column):
            _formula_body(marks, row, column, attributes, body, shared)
    shared.resolve(marks, name)
    return marks


def _attributes(attributes: bytes) -> dict[bytes, bytes]:
    return {key: double or single for key, double, single in _ATTRIBUTE.findall(attributes)}


# --- ods -------------------------------------------------------------------------------------

_ODS_MIMETYPES = (
    b"application/vnd.oasis.opendocument.spreadsheet",
    b"application/vnd.oasis.opendocument.spreadsheet-template",
)
_ODS_TABLE = re.compile(rb"<table:table(?=[\s/>])([^>]*?)(/?)>")
_ODS_ROW = re.compile(
    rb"<table:table-row(?=[\s/>])([^>]*?)(?:/>|>(.*?)</table:table-row\s*>)", re.S
)
_ODS_CELL = re.compile(rb"<table:(?:covered-)?table-cell(?=[\s/>])([^>]*?)/?>")
_ODS_SUBTOTAL = re.compile(rb'table:formula="[^"]*?\b(?:SUBTOTAL|AGGREGATE)\s*\(', re.I)
_ODS_MAX_ROWS = 1_048_576  # the reader stops counting there too


def _read_ods(archive: _Archive) -> Workbook:
    if b"encryption-data" in (archive.read("META-INF/manifest.xml") or b""):
        raise _password()
    marks: dict[int | str, _Marks] = dict(enumerate(_scan_ods(archive.read("content.xml") or b"")))
    return Workbook("ods", tuple(_calamine_sheets(archive.data, marks)))


def _scan_ods(content: bytes) -> Iterator[_Marks]:
    """Per table, in order: hidden rows (collapsed or filtered), SUBTOTAL rows and merged
    cells, counting repeated rows and columns as the reader does."""
    for table in _ODS_TABLE.finditer(content):
        if table.group(2):
            yield _Marks()
            continue
        end = content.find(b"</table:table>", table.end())
        yield _scan_ods_table(content[table.end() : end if end >= 0 else len(content)])


def _scan_ods_table(body: bytes) -> _Marks:
    marks = _Marks()
    row = 1
    for match in _ODS_ROW.finditer(body):
        values = _attributes(match.group(1))
        repeat = _count(values.get(b"table:number-rows-repeated"))
        last = row + repeat - 1
        if values.get(b"table:visibility") in (b"collapse", b"filter"):
            marks.hidden_ranges.append((row, last))
        cells = match.group(2) or b""
        if b"table:formula" in cells and _ODS_SUBTOTAL.search(cells):
            marks.subtotal_rows.update(range(row, min(last, row + _row_limit()) + 1))
        if b"-spanned" in cells:
            _ods_merges(cells, row, min(repeat, 1000), marks)
        row = last + 1
        if row > _ODS_MAX_ROWS:
            break
    return marks


def _ods_merges(cells: bytes, row: int, repeat: int, marks: _Marks) -> None:
    column = 0
    for cell in _ODS_CELL.finditer(cells):
        values = _attributes(cell.group(1))
        across = _count(values.get(b"table:number-columns-spanned"))
        down = _count(values.get(b"table:number-rows-spanned"))
        if across > 1 or down > 1:
            for offset in range(repeat):
                first = row + offset
                marks.merged.append((first, column, first + down - 1, column + across - 1))
            if len(marks.merged) > _MAX_MARKS:
                raise _too_complex()
        column += _count(values.get(b"table:number-columns-repeated"))


def _count(value: bytes | None) -> int:
    return max(1, min(int(value), _ODS_MAX_ROWS)) if value and value.isdigit() else 1


# --- text ------------------------------------------------------------------------------------


def _read_text(data: bytes) -> Workbook:
    """One sheet named "", trimmed like the reader trims a worksheet: from the first to the last
    non-empty row and column, every row padded to the same width."""
    rows = _read_csv(_decode(data))
    spans = {
        number: (min(used), max(used))
        for number, row in enumerate(rows)
        if (used := [i for i, cell in enumerate(row) if cell != ""])
    }
    if not spans:
        return Workbook("csv", (RawSheet("", True, (1, 0), []),))
    top, bottom = min(spans), max(spans)
    left = min(first for first, _last in spans.values())
    right = max(last for _first, last in spans.values())
    if bottom - top + 1 > _row_limit():
        raise reject(
            _(
                "The file has more than %(rows)s rows; at most %(limit)s tasks can be imported "
                "at once."
            )
            % {"rows": f"{_row_limit():,}", "limit": f"{settings.MAX_IMPORT_ROWS:,}"}
        )
    # Checked before padding: one very long line must not make every row that wide.
    widest = max(spans, key=lambda number: (spans[number][1], number))
    _check_extent(None, top, left, bottom, right, len(spans), lambda: (widest, right))
    width = right - left + 1
    block = [(row[left : right + 1] + [""] * width)[:width] for row in rows[top : bottom + 1]]
    return Workbook("csv", (RawSheet("", True, (top + 1, left), block),))


def _read_csv(text: str) -> list[list[str]]:
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    # Long cells are reported by row and column by the length check, not by the csv module.
    csv.field_size_limit(max(settings.MAX_UPLOAD_BYTES, 131072))
    # strict: a quotation mark left open runs to the end of the file, and would otherwise
    # swallow every row after it into one cell (reported as missing values, far from the cause).
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        return [list(row) for row in reader]
    except csv.Error:
        raise reject(
            _("The CSV file cannot be read near line %(line)s: check its quotation marks.")
            % {"line": reader.line_num}
        ) from None


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text saved without its byte-order mark: every line break, comma or tab (and any
    ASCII) has a zero byte beside it, on the same side each time. Binary data has zeros
    anywhere."""
    if len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    for encoding, zeros, others in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if zeros and not others:
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                return None
            controls = sum(1 for ch in text if ch < " " and ch not in "\t\r\n")
            if "\n" in text and not controls:
                return encoding
    return None


def _decode(data: bytes) -> str:
    """UTF-16 with a BOM (Excel's "Unicode text"), else UTF-8, else Shift_JIS (CP932)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings: tuple[str, ...] = ("utf-16",)
    elif b"\x00" in data:
        utf16 = _utf16_without_bom(data)
        if utf16 is None:
            raise reject(_("This file is not a spreadsheet. Upload an .xlsx or .csv file."))
        encodings = (utf16,)
    else:
        encodings = ("utf-8-sig", "cp932")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:  # binary data, and PostgreSQL refuses NUL in text anyway
            raise reject(_("This file is not a spreadsheet. Upload an .xlsx or .csv file."))
        return text
    raise reject(_("The CSV file is neither UTF-8 nor Shift_JIS (CP932). Save it as UTF-8."))
