"""Hostile input (issue 6): random and malformed inventory and vendor evaluation files fed to the
importers, as a careless or malicious user could upload them. For every file, whatever it holds,
a clean import, a clean question or a clean rejection:

- reading either returns or raises `ImportRejected` (never another exception, never a message
  that spells out a million digits); an inventory reading that is not ready says why, each
  problem and question worded as a problem with its fix (what the command line prints);
- when it is ready, the write step completes, or refuses with `ImportRejected`;
- when anything is refused or asked, the database is as it was (tasks, imports, bids,
  evaluations): nothing is ever half-written;
- the browser's import pages (upload, preview, mapping, the confirmed import) answer 200, 302
  or 400, never 500.

Each example runs in a savepoint that is rolled back, so the examples share the function-scoped
fixtures (the assessment, the registry) without seeing each other's writes: that is why the
function-scoped-fixture health check is suppressed. No example database (`database=None`): a
failure prints the falsifying file instead; hypothesis's .hypothesis/ cache git-ignores itself.
The example counts keep the whole file well under a minute on a slow two-core machine."""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlsxwriter
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from assessments.files import uploads, words
from assessments.files.decisions import Decisions
from assessments.files.interpret import allowed_keys
from assessments.files.problems import ImportRejected, Problem
from assessments.files.reading import Reading, read
from assessments.models import Assessment, InventoryImport, PendingUpload, Task
from outsourcing_advisor.accounts.models import Role
from outsourcing_advisor.operations.management.commands.seed_demo import VENDORS
from tests.assessments.files import inventory_csv, task, zip_bomb, zip_bytes
from tests.factories import make_member, make_package
from tests.helpers import client_for
from vendors.files.evaluations import ParsedEvaluations, parse_evaluations
from vendors.models import Bid, Evaluation, Vendor
from vendors.services import selection

pytestmark = pytest.mark.django_db

SAMPLES = Path(django_settings.BASE_DIR) / "docs" / "samples"


def _sample(name: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO((SAMPLES / name).read_text(encoding="utf-8-sig"))))


INVENTORY_JA = _sample("inventory_sample_ja.csv")
INVENTORY_EN = _sample("inventory_sample_en.csv")
EVALUATIONS = _sample("vendor_evaluations_sample.csv")
EVALUATION_EN = [
    "package",
    "vendor",
    "services",
    "certifications",
    "evaluator",
    "track_record",
    "team",
    "security",
    "sla_quality",
    "improvement",
    "bcp",
    "cost_breakdown",
    "contract_terms",
    "pricing_model",
    "initial_fee",
    "monthly_fee",
    "unit_price",
    "annual_volume",
    "comment",
]

FUZZ = settings(
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


# --- what a hostile cell holds -----------------------------------------------------------------

HOSTILE_TEXT = [
    "",
    " ",
    "\u3000",  # an ideographic space
    "-1",
    "-0",
    "0",
    "0.0000001",
    "1e999999999",  # beyond Decimal's exponent: normalize() overflows
    "1E+400",
    "-1e999999999",
    "0e999999999",
    "99999999999999999999999999999999",
    "NaN",
    "nan",
    "sNaN",
    "inf",
    "-Infinity",
    "１２０",  # full-width digits
    "１，２００",
    "¥1,200",
    "1,200円",
    "1,5",
    "=1+1",
    "+1",
    "-1+1",
    "@SUM(A1)",
    "'=1+1",
    '=HYPERLINK("http://example.com")',
    "\x01\x02\x7f",
    "\x1b[31mred",
    "\t",
    "\r",
    "line\nbreak",
    '"',
    'a "quoted" cell',
    "a" * 5000,
    "😀" * 300,
    "𠮷野家",
    "\u202eevil",  # right-to-left override
    "\ufeffBOM",
    "0:30",
    "12:00:00",
    "TRUE",
    "毎月",
    "daily",
    "可",
    "はい",
    "bpo",
    "manager",
    "株式会社みらいアウトソーシング",
]
HOSTILE_VALUES: list[Any] = [
    0,
    -1,
    2**63,
    10**30,
    1e308,
    -1e308,
    0.1,
    1440.0001,
    float("nan"),
    float("inf"),
    True,
    None,
]

cell_text = st.one_of(
    st.sampled_from(HOSTILE_TEXT),
    st.text(max_size=30),
    st.from_regex(
        r"[-+]?[0-9０-９]{1,25}([.,][0-9]{0,10})?([eE][-+]?[0-9]{1,12})?", fullmatch=True
    ),
)
cell_value = st.one_of(cell_text, st.sampled_from(HOSTILE_VALUES))


# --- tables built from the samples, then damaged ----------------------------------------------


@st.composite
def tables(draw: st.DrawFn, samples: list[list[list[str]]], *, typed: bool = False) -> list[list]:
    """A sample's header and a few of its rows, with cells replaced, columns dropped, duplicated
    or shuffled, and rows added. `typed`: cells may be numbers, booleans, None (for .xlsx)."""
    sample = draw(st.sampled_from(samples))
    header, body = sample[0], sample[1:]
    picked = draw(st.lists(st.sampled_from(body), min_size=0, max_size=6))
    rows = [list(header)] + [list(row) for row in picked]
    width = len(header)
    values = cell_value if typed else cell_text
    for _ in range(draw(st.integers(0, 8))):
        row = draw(st.integers(0, len(rows) - 1))
        rows[row][draw(st.integers(0, width - 1))] = draw(values)
    operations = draw(
        st.lists(st.sampled_from(["drop", "duplicate", "shuffle", "extra", "ragged"]), max_size=3)
    )
    for operation in operations:
        width = len(rows[0])
        if not width:  # a ragged header of no cells: nothing left to rearrange
            break
        if operation == "drop" and width > 1:
            column = draw(st.integers(0, width - 1))
            rows = [row[:column] + row[column + 1 :] for row in rows]
        elif operation == "duplicate":
            column = draw(st.integers(0, width - 1))
            rows = [[*row, row[column] if column < len(row) else ""] for row in rows]
        elif operation == "shuffle":
            order = draw(st.permutations(range(width)))
            rows = [[row[i] if i < len(row) else "" for i in order] for row in rows]
        elif operation == "extra":
            rows += draw(
                st.lists(st.lists(values, min_size=0, max_size=width + 2), min_size=1, max_size=4)
            )
        elif operation == "ragged":  # one row shorter or longer than the header
            row = draw(st.integers(0, len(rows) - 1))
            rows[row] = rows[row][: draw(st.integers(0, width + 1))] + draw(
                st.lists(values, max_size=3)
            )
    return rows


ENCODINGS = ["utf-8", "utf-8-sig", "cp932", "utf-16", "utf-16-le", "mixed"]


@st.composite
def csv_files(draw: st.DrawFn, samples: list[list[list[str]]]) -> bytes:
    rows = draw(tables(samples))
    out = io.StringIO()
    delimiter = draw(st.sampled_from([",", ",", "\t", ";"]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    csv.writer(out, delimiter=delimiter, lineterminator=newline).writerows(rows)
    text = out.getvalue()
    encoding = draw(st.sampled_from(ENCODINGS))
    if encoding == "mixed":  # the header in UTF-8, the rest in Shift_JIS
        head, _, rest = text.partition(newline)
        data = (head + newline).encode("utf-8") + rest.encode("cp932", "replace")
    else:
        data = text.encode(encoding, "replace")
    if draw(st.booleans()) and data:  # and a few bytes damaged
        damaged = bytearray(data)
        for _ in range(draw(st.integers(1, 4))):
            damaged[draw(st.integers(0, len(damaged) - 1))] = draw(st.integers(0, 255))
        data = bytes(damaged)
    return data


def _openpyxl_bytes(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        cells = []
        for cell in row:
            if isinstance(cell, str):
                cell = ILLEGAL_CHARACTERS_RE.sub("", cell)  # openpyxl refuses to write them
            elif isinstance(cell, int) and not isinstance(cell, bool) and abs(cell) > 2**53:
                cell = float(cell)
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsxwriter_bytes(rows: list[list]) -> bytes:
    """XlsxWriter writes "=1+1" as a formula and escapes control characters, as Excel does."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "nan_inf_to_errors": True})
    sheet = workbook.add_worksheet()
    with contextlib.suppress(Exception), _quiet():
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                if isinstance(cell, int) and not isinstance(cell, bool):
                    cell = float(cell)
                sheet.write(r, c, cell)
    workbook.close()
    return buffer.getvalue()


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """XlsxWriter warns about strings over Excel's limit; the file is what matters."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


@st.composite
def xlsx_files(draw: st.DrawFn, samples: list[list[list[str]]]) -> bytes:
    rows = draw(tables(samples, typed=True))
    writer = draw(st.sampled_from([_openpyxl_bytes, _xlsxwriter_bytes]))
    return writer(rows)


VALID_XLSX = _openpyxl_bytes(INVENTORY_EN[:4])
VALID_EVALUATIONS_XLSX = _openpyxl_bytes(EVALUATIONS[:4])


@st.composite
def damaged_xlsx(draw: st.DrawFn) -> bytes:
    """A real workbook truncated, with bytes flipped or garbage appended, or rebuilt with one
    part replaced by garbage; and zips of zeros that inflate a lot."""
    data = draw(st.sampled_from([VALID_XLSX, VALID_EVALUATIONS_XLSX]))
    how = draw(st.sampled_from(["truncate", "flip", "append", "garbage_part", "bomb"]))
    if how == "truncate":
        return data[: draw(st.integers(4, len(data) - 1))]
    if how == "flip":
        damaged = bytearray(data)
        for _ in range(draw(st.integers(1, 20))):
            damaged[draw(st.integers(4, len(damaged) - 1))] = draw(st.integers(0, 255))
        return bytes(damaged)
    if how == "append":
        return data + draw(st.binary(min_size=1, max_size=200))
    if how == "garbage_part":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = {name: archive.read(name) for name in archive.namelist()}
        victim = draw(st.sampled_from(sorted(members)))
        members[victim] = draw(
            st.one_of(
                st.binary(max_size=300),
                st.sampled_from([b"", b"<", b"<?xml version='1.0'?><worksheet>", b"\0" * 1000]),
            )
        )
        if draw(st.booleans()):
            del members[victim]
        return zip_bytes(members)
    return draw(st.sampled_from(BOMBS))


BOMBS = [zip_bomb(2), zip_bomb(1, members=3)]


# Files a user could well send: the sample's rows, each once, with their values written in
# another valid way and free text replaced. Most of these import, so the write step is fuzzed too.
INVENTORY_TEXT = (4, 22, 23)  # description, interviewee, notes
INVENTORY_NUMBERS = (6, 7, 8, 9, 13)  # occurrences, minutes, people, hourly_cost, people_able
INVENTORY_YEN = (9,)
EVALUATION_TEXT = (18,)  # comment
EVALUATION_NUMBERS = (*range(5, 13), 14, 15, 16, 17)  # the scores, the fees, the volume
EVALUATION_YEN = (14, 15, 16)
FREE_TEXT = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=120),
    st.sampled_from(
        [
            "=1+1",
            "'=1+1",
            "@SUM(A1)",
            "+81 3",
            "😀👍🏽",
            "𠮷野家",
            "\u202eevil",
            "a, b; c\td",
            "x" * 200,
        ]
    ),
)


def _fullwidth(text: str) -> str:
    return text.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789.,-"})


@st.composite
def spelling(draw: st.DrawFn, value: str, yen: bool) -> Any:
    """The same number written another valid way."""
    if not value:
        return value
    ways: list[Any] = [value, _fullwidth(value), f" {value}\u3000"]
    if value.isdigit():
        ways += [int(value), f"{value}.0"]
        if yen:
            ways += [f"¥{int(value):,}", f"{int(value):,}円"]
    return draw(st.sampled_from(ways))


@st.composite
def plausible_tables(
    draw: st.DrawFn, samples: list[list[list[str]]], text: tuple, numbers: tuple, yen: tuple
) -> list[list]:
    sample = draw(st.sampled_from(samples))
    indices = draw(st.lists(st.integers(1, len(sample) - 1), min_size=1, max_size=8, unique=True))
    rows = [list(sample[0])] + [list(sample[i]) for i in indices]
    for row in rows[1:]:
        for column in text:
            if draw(st.booleans()):
                row[column] = draw(FREE_TEXT)
        for column in numbers:
            row[column] = draw(spelling(row[column], column in yen))
    if draw(st.booleans()):  # the columns in another order
        order = draw(st.permutations(range(len(rows[0]))))
        rows = [[row[i] for i in order] for row in rows]
    return rows


@st.composite
def plausible_files(draw: st.DrawFn, samples: list[list[list[str]]], **columns: tuple) -> bytes:
    rows = draw(plausible_tables(samples, **columns))
    if draw(st.booleans()):
        return draw(st.sampled_from([_openpyxl_bytes, _xlsxwriter_bytes]))(rows)
    out = io.StringIO()
    delimiter = draw(st.sampled_from([",", "\t"]))
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    text = out.getvalue()
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp932", "utf-16"]))
    try:
        return text.encode(encoding)
    except UnicodeEncodeError:  # an emoji has no Shift_JIS
        return text.encode("utf-8")


def random_bytes() -> st.SearchStrategy[bytes]:
    prefixes = [
        b"",
        b"PK\x03\x04",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        codecs.BOM_UTF8,
        codecs.BOM_UTF16_LE,
        codecs.BOM_UTF16_BE,
        b"\x89PNG\r\n\x1a\n",
        b"%PDF-1.7\n",
    ]
    return st.builds(
        lambda prefix, rest: prefix + rest, st.sampled_from(prefixes), st.binary(max_size=600)
    )


def inventory_files() -> st.SearchStrategy[bytes]:
    samples = [INVENTORY_JA, INVENTORY_EN]
    plausible = plausible_files(
        samples, text=INVENTORY_TEXT, numbers=INVENTORY_NUMBERS, yen=INVENTORY_YEN
    )
    return st.one_of(
        plausible,
        plausible,
        plausible,
        csv_files(samples),
        csv_files(samples),
        xlsx_files(samples),
        random_bytes(),
        damaged_xlsx(),
    )


def evaluation_files() -> st.SearchStrategy[bytes]:
    english = [EVALUATION_EN, *EVALUATIONS[1:]]
    samples = [EVALUATIONS, english]
    plausible = plausible_files(
        samples, text=EVALUATION_TEXT, numbers=EVALUATION_NUMBERS, yen=EVALUATION_YEN
    )
    return st.one_of(
        plausible,
        plausible,
        plausible,
        csv_files(samples),
        csv_files(samples),
        xlsx_files(samples),
        random_bytes(),
        damaged_xlsx(),
    )


FILENAMES = st.sampled_from(["inventory.csv", "inventory.xlsx", "棚卸し.CSV", "x.txt", ""])


# --- checks ------------------------------------------------------------------------------------


def check_rejection(rejected: ImportRejected) -> None:
    """A clean refusal: at least one problem, each one a short, printable message."""
    assert rejected.problems
    for problem in rejected.problems:
        assert isinstance(problem, Problem)
        assert problem.message
        assert len(problem.message) <= 1000, problem.message[:200]
        str(problem)  # the page and the command print every problem
    str(rejected)


def check_reading(reading: Reading) -> None:
    """A ready reading holds rows that can be written; any other says why, cleanly."""
    if reading.ready:
        check_strings(reading.rows)
    else:
        check_rejection(ImportRejected(reading.refusal()))


def check_strings(values: Any) -> None:
    """What is about to be written holds no NUL (PostgreSQL refuses it in text)."""
    if isinstance(values, str):
        assert "\x00" not in values
    elif isinstance(values, dict):
        for value in values.values():
            check_strings(value)
    elif isinstance(values, list | tuple):
        for value in values:
            check_strings(value)


def inventory_counts() -> tuple[int, int]:
    return Task.objects.count(), InventoryImport.objects.count()


def vendor_snapshot() -> list[Any]:
    bids = list(
        Bid.objects.order_by("pk").values_list(
            "pk", "package_id", "vendor_id", "pricing_model", "initial_fee", "monthly_fee"
        )
    )
    evaluations = list(
        Evaluation.objects.order_by("pk").values_list("pk", "bid_id", "evaluator_id", "scores")
    )
    return [bids, evaluations, Vendor.objects.count()]


@contextlib.contextmanager
def rolled_back() -> Iterator[None]:
    """One example's writes, undone at its end so the next example starts from the fixtures."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


# --- fixtures ----------------------------------------------------------------------------------


@pytest.fixture
def ready(assessment, consultant) -> Assessment:
    """Company A's assessment with the sample's packages, evaluators and vendors."""
    names = {"bpo": "BPO: 人事・経理", "kpo": "KPO: 調査", "ito": "ITO: ヘルプデスク"}
    for position, (model, name) in enumerate(names.items()):
        make_package(assessment, model, name, position=position)
    for username, role in (("manager", Role.MANAGER), ("consultant", Role.CONSULTANT)):
        make_member(username, assessment.organisation, role)
    for demo in VENDORS:
        Vendor.objects.create(name=demo.name, services=list(demo.services))
    return assessment


# --- the inventory -----------------------------------------------------------------------------


@settings(FUZZ, max_examples=120)
@given(data=random_bytes())
@example(data=b"")
@example(data=b"\0" * 64)
@example(data=b"PK\x03\x04")
def test_random_bytes_are_read_or_cleanly_rejected(data):
    try:
        check_reading(read(data, "random.csv"))
    except ImportRejected as rejected:
        check_rejection(rejected)
    try:
        parse_evaluations(data, "random.csv")
    except ImportRejected as rejected:
        check_rejection(rejected)


@settings(FUZZ, max_examples=150)
@given(data=inventory_files(), filename=FILENAMES, replace=st.booleans())
def test_an_inventory_file_imports_whole_or_not_at_all(
    assessment, manager, data, filename, replace
):
    with rolled_back():
        before = inventory_counts()
        try:
            reading = read(data, filename)
        except ImportRejected as rejected:
            event("rejected")
            check_rejection(rejected)
            assert inventory_counts() == before
            return
        check_reading(reading)
        if not reading.ready:
            event("to fix" if reading.problems else "asked")
            assert inventory_counts() == before
            return
        event("imported")
        shown = uploads.preview(assessment, reading, replace=replace)
        record = assessment.import_tasks(
            reading.rows,
            filename=filename,
            sha256=reading.sha256,
            user=manager,
            replace=replace,
            provided=reading.provided,
        )
        assert record.rows == len(reading.rows)
        assert (record.added, record.changed, record.removed) == (
            len(shown.added),
            len(shown.changed),
            len(shown.removed),
        )
        assert inventory_counts() == (
            before[0] + len(shown.added) - len(shown.removed),
            before[1] + 1,
        )
        assert assessment.tasks.filter(result__isnull=True).count() == 0


# What the mapping step records, by the columns' folded headers (signatures): the sample's, a
# repeated one, and some the file does not have.
SIGNATURES = st.one_of(
    st.sampled_from(
        sorted({words.fold_header(h) for h in INVENTORY_JA[0] + INVENTORY_EN[0]} | {"備考#2"})
    ),
    st.text(max_size=8),
)
WORDS = st.one_of(st.sampled_from(["毎月", "monthly", "○", "2", "", "0:30"]), st.text(max_size=8))
UNITS = st.sampled_from(["minute", "hour", "second", "day", "monthly", "yearly", "", "bogus"])
ANY_KEY = st.sampled_from([*allowed_keys(), "", "bogus", "source_row", "answers"])
JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8)),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)


@st.composite
def decisions(draw: st.DrawFn) -> Decisions:
    """Anything the mapping form or a saved profile can hold, valid or not; and a profile as a
    hand-edited or older JSON of any shape (`Decisions.from_json`)."""
    if draw(st.integers(0, 3)) == 0:
        profile = draw(st.dictionaries(st.sampled_from(list(Decisions().as_json())), JSON))
        return Decisions.from_json(profile)
    return Decisions(
        sheet=draw(st.one_of(st.none(), st.sampled_from(["", "Sheet", "棚卸し"]))),
        columns=draw(st.dictionaries(SIGNATURES, ANY_KEY, max_size=20)),
        units=draw(st.dictionaries(SIGNATURES, UNITS, max_size=4)),
        values=draw(
            st.dictionaries(ANY_KEY, st.dictionaries(WORDS, WORDS, max_size=3), max_size=3)
        ),
        category=draw(st.sampled_from(["", "hr", "other", "bogus"])),
        categories=draw(st.dictionaries(WORDS, st.sampled_from(["it", "bogus"]), max_size=2)),
        department=draw(st.sampled_from(["", " ", "人事部", "x" * 150])),
        prefer=draw(st.sampled_from(["", "stated", "computed", "bogus"])),
        prefer_rows=draw(
            st.dictionaries(st.sampled_from(["2", "3", "x"]), st.sampled_from(["stated", "x"]))
        ),
        merge=draw(st.dictionaries(WORDS, WORDS, max_size=3)),
    )


@settings(FUZZ, max_examples=60)
@given(
    data=st.one_of(csv_files([INVENTORY_EN, INVENTORY_JA]), xlsx_files([INVENTORY_JA])),
    decided=decisions(),
)
def test_any_decisions_never_break_the_reader(data, decided):
    """The mapping page lets the user map any column of the file to any field, any word to any
    value; a saved profile may be old or edited by hand."""
    try:
        reading = read(data, "mapped.csv", decided)
    except ImportRejected as rejected:
        check_rejection(rejected)
    else:
        check_reading(reading)


# --- the vendor evaluations --------------------------------------------------------------------


def _write_evaluations(assessment: Assessment, data: bytes, known: bool) -> None:
    evaluators = selection.evaluators_of(assessment)
    before = vendor_snapshot()
    try:
        if known:  # as the browser parses: against the assessment's names
            parsed = parse_evaluations(
                data,
                "evaluations.csv",
                known_packages=set(assessment.packages.values_list("model", flat=True)),
                known_evaluators=set(evaluators),
                known_vendors=set(Vendor.objects.values_list("name", flat=True)),
            )
        else:  # as the command line parses: any names, checked later
            parsed = parse_evaluations(data, "evaluations.csv")
    except ImportRejected as rejected:
        event("rejected when parsed")
        check_rejection(rejected)
        assert vendor_snapshot() == before
        return
    assert isinstance(parsed, ParsedEvaluations)
    check_strings([row.__dict__ for row in parsed])
    if not known:
        return  # the command line matches the names itself; only the parse is fuzzed here
    try:
        summary = selection.import_evaluations(assessment, parsed, evaluators)
    except ImportRejected as rejected:
        event("rejected when written")
        check_rejection(rejected)
        assert vendor_snapshot() == before
        return
    event("imported")
    assert summary.evaluations == len(parsed)
    assert Evaluation.objects.count() >= len(before[1])


@settings(FUZZ, max_examples=150)
@given(data=evaluation_files(), known=st.sampled_from([True, True, True, False]))
def test_an_evaluation_file_imports_whole_or_not_at_all(ready, data, known):
    with rolled_back():
        _write_evaluations(ready, data, known)


# --- through the browser -----------------------------------------------------------------------


@settings(FUZZ, max_examples=30)
@given(
    data=inventory_files(),
    name=st.sampled_from(["inventory.csv", "inventory.xlsx"]),
    replace=st.sampled_from(["0", "1"]),
)
def test_the_inventory_import_pages_never_fail(manager, assessment, data, name, replace):
    """Upload, then the preview (or the mapping step when something must be decided), then the
    import the preview confirms; a file that cannot be read is refused on the upload page."""
    client = client_for(manager)
    with rolled_back():
        before = inventory_counts()
        response = client.post(
            reverse("import_upload", args=[assessment.pk]), {"file": SimpleUploadedFile(name, data)}
        )
        # 400: the file cannot be read at all; 200: the form refused it before (an empty file).
        assert response.status_code in (200, 302, 400)
        if response.status_code != 302:
            event(f"refused on upload ({response.status_code})")
            assert response.context["problems"] or response.context["form"].errors
            assert not PendingUpload.objects.exists()
            assert inventory_counts() == before
            return
        upload = PendingUpload.objects.get()
        preview_url = reverse("import_preview", args=[assessment.pk, upload.pk])
        assert response.url == preview_url
        preview = client.get(preview_url)
        assert preview.status_code in (200, 302)
        if preview.status_code == 302:
            event("asked")
            assert preview.url == reverse("import_mapping", args=[assessment.pk, upload.pk])
            assert client.get(preview.url).status_code == 200
            assert inventory_counts() == before
            return
        answer = client.post(preview_url, {"replace": replace})
        if answer.status_code == 400:  # removing tasks needs the confirmation
            assert replace == "1"
            assert inventory_counts() == before
            answer = client.post(preview_url, {"replace": replace, "confirm": "on"})
        event("imported")
        assert answer.status_code == 302
        assert answer.url == reverse("assessment_detail", args=[assessment.pk])
        assert InventoryImport.objects.count() == before[1] + 1
        assert not PendingUpload.objects.exists()


@settings(FUZZ, max_examples=30)
@given(data=evaluation_files())
def test_the_evaluation_upload_page_never_fails(consultant, ready, data):
    client = client_for(consultant)
    url = reverse("evaluations_import", args=[ready.pk])
    with rolled_back():
        before = vendor_snapshot()
        file = SimpleUploadedFile("evaluations.csv", data, content_type="text/csv")
        response = client.post(url, {"file": file})
        event(f"status {response.status_code}")
        assert response.status_code in (200, 302, 400)
        if response.status_code != 302:
            assert vendor_snapshot() == before


# --- what the fuzzing found, kept as plain tests -----------------------------------------------


@pytest.mark.parametrize(
    "value", ["1e999999999", "-1e999999999", "1E+400", "1e99999", "0e999999999"]
)
@pytest.mark.parametrize("key", ["minutes", "occurrences", "people", "hourly_cost", "expertise"])
def test_a_number_beyond_decimals_exponent_is_a_row_level_problem(key, value):
    """Decimal("1e999999999") overflowed in the message (normalize()), a 500; 1e99999 spelt
    out a hundred thousand digits in it. The value is named as the file writes it."""
    reading = read(inventory_csv(task(**{key: value})), "big.csv")
    [problem] = reading.refusal()
    assert problem.row == 2
    assert problem.column is not None and key in problem.column
    assert len(problem.message) < 300
    assert value in problem.message


def test_a_huge_exponent_in_a_vendor_score_or_fee_is_a_row_level_problem():
    rows = [list(row) for row in EVALUATIONS[:2]]
    rows[1][5] = "1e999999999"  # 実績
    rows[1][14] = "9e999999999"  # 初期費用(円)
    data = "\n".join(",".join(row) for row in rows).encode()
    with pytest.raises(ImportRejected) as rejected:
        parse_evaluations(data, "evaluations.csv")
    assert [p.row for p in rejected.value.problems] == [2, 2]
    assert all(len(p.message) < 200 for p in rejected.value.problems)


@pytest.mark.parametrize("column", ["所要時間(分)", "備考"], ids=["minutes", "notes"])
def test_any_column_may_be_mapped_to_hours_of_either_period(column):
    """The mapping step offers every column every key, stated hours of unknown period too."""
    reading = read(
        _csv(INVENTORY_JA[:3]), "mapped.csv", Decisions(columns={column: "stated_hours"})
    )
    check_reading(reading)


@pytest.mark.parametrize(
    "rows",
    [
        pytest.param(
            [["部署", "業務", "作業", "頻度"], ["人事部", "給与", "集計", "a" * 5000]], id="word"
        ),
        pytest.param(
            [["部署", "業務", "作業", "a" * 5000], ["人事部", "給与", "集計", "x"]], id="header"
        ),
    ],
)
def test_a_long_cell_or_header_is_shortened_in_the_refusal(rows):
    """A value the import does not know, or a column it does not know while none gives the
    time, is a question; the command line prints it with the cell or header shortened."""
    reading = read(_csv(rows), "long.csv")
    assert reading.questions
    check_reading(reading)


def test_the_import_pages_show_a_huge_exponent_as_a_cell_to_fix(manager_client, assessment):
    """The file reads, so it is kept for the mapping step, which names the cell; nothing is
    imported."""
    before = inventory_counts()
    file = SimpleUploadedFile("big.csv", inventory_csv(task(minutes="1e999999999")))
    response = manager_client.post(reverse("import_upload", args=[assessment.pk]), {"file": file})
    upload = PendingUpload.objects.get()
    preview = manager_client.get(response.url)
    mapping = manager_client.get(preview.url)
    assert preview.url == reverse("import_mapping", args=[assessment.pk, upload.pk])
    assert mapping.status_code == 200
    assert "Row 2, column F (minutes): “1e999999999” is not a duration" in mapping.content.decode()
    assert inventory_counts() == before


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


@pytest.mark.parametrize("sample", [INVENTORY_JA, INVENTORY_EN], ids=["japanese", "english"])
def test_the_fuzzing_starts_from_inventory_samples_that_read(sample):
    """Guard on the strategies: unmutated, every sample reads with nothing to fix or decide, so
    the mutations start from files that work."""
    reading = read(_csv(sample), "sample.csv")
    assert reading.refusal() == []
    assert len(reading.rows) == len(sample) - 1


def test_the_fuzzing_starts_from_evaluation_samples_that_parse():
    for sample in (EVALUATIONS, [EVALUATION_EN, *EVALUATIONS[1:]]):
        assert len(parse_evaluations(_csv(sample), "sample.csv")) == len(sample) - 1


def _damaged_deflate() -> bytes:
    """A workbook-shaped zip whose deflated member starts with an invalid block type (0b11)."""
    name = b"xl/workbook.xml"
    data = bytearray(zip_bytes({name.decode(): b"<workbook/>" * 100}))
    data[30 + len(name)] = 0xFF  # the first byte of the compressed data, after the local header
    return bytes(data)


@pytest.mark.parametrize("parse", [read, parse_evaluations], ids=["inventory", "evaluations"])
def test_a_damaged_compressed_part_is_refused_as_a_damaged_workbook(parse):
    """zlib.error (not an OSError) escaped the reader: a 500 on the upload pages."""
    with pytest.raises(ImportRejected) as rejected:
        parse(_damaged_deflate(), "damaged.xlsx")
    [problem] = rejected.value.problems
    assert "damaged" in problem.message


def test_the_evaluation_page_answers_400_for_a_damaged_workbook(consultant, ready):
    before = vendor_snapshot()
    file = SimpleUploadedFile("evaluations.xlsx", _damaged_deflate())
    response = client_for(consultant).post(
        reverse("evaluations_import", args=[ready.pk]), {"file": file}
    )
    assert response.status_code == 400
    assert vendor_snapshot() == before
