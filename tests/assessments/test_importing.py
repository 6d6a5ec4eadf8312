"""Reading whole inventory files (SPEC 4.2, 4.2.1, 6.1) as users upload them, through
`assessments.files.reading.read`: bytes in; the tasks, the problems (cells to fix, named by row and
column as the spreadsheet shows them, with the reason) and the questions (what the browser asks,
the command line refuses with the fix) out. A file that cannot be read at all is refused with
`ImportRejected`; otherwise nothing is imported until nothing is left to fix or decide.

Pure: no database. Each step has its own table tests (test_workbook, test_sheet_words,
test_sheet_reading); these are about the file as a whole."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal as D
from typing import Any

import pytest
from django.utils import translation

from assessments.domain import inventory
from assessments.domain.columns import ANSWER_COLUMNS, FILE_COLUMNS
from assessments.files.clean import Skip
from assessments.files.decisions import Decisions
from assessments.files.problems import MAX_PROBLEMS, ImportRejected, Problem
from assessments.files.reading import Reading, notices, read
from tests.assessments.files import (
    DAMAGED_ZIP,
    EN_LABELS,
    GOOD_JA,
    JA_HEADERS,
    KEYS,
    OLE_XLS,
    PNG,
    csv_bytes,
    inventory_csv,
    many_part_zip,
    ods_bytes,
    patched_zip,
    task,
    xls_bytes,
    xlsm_bytes,
    xlsx_bytes,
    zip_bomb,
    zip_bytes,
)

MB = 1024 * 1024
ENGLISH_WORDS = r"[A-Za-z]+ [A-Za-z]+ [A-Za-z]+"
ANSWER_KEYS = {column.key for column in ANSWER_COLUMNS}
FREQUENCIES_EN = "Daily / Weekly / Monthly / Quarterly / Semiannual / Yearly / Ad hoc"
FREQUENCIES_JA = "毎日 / 毎週 / 毎月 / 四半期 / 半期 / 毎年 / 不定期"
FIX_A_WORD = (
    "Write one it knows, or map it once in the browser and save the mapping, then use "
    "--mapping NAME."
)


def not_a_duration(value: str) -> str:
    return (
        f"“{value}” is not a duration: write minutes (30), or give the unit (30分, 1.5時間, 0:45)."
    )


def reading_of(
    data: bytes,
    decisions: Decisions | None = None,
    language: str = "en",
    filename: str = "inventory.csv",
) -> Reading:
    with translation.override(language):
        return read(data, filename, decisions)


def rows_of(data: bytes, **options: Any) -> list[dict[str, Any]]:
    """The tasks of a file that has nothing left to fix or decide."""
    reading = reading_of(data, **options)
    with translation.override("en"):
        assert [str(p) for p in reading.refusal()] == []
    assert reading.ready
    return reading.rows


def only_row(data: bytes, **options: Any) -> dict[str, Any]:
    (row,) = rows_of(data, **options)
    return row


def problems_of(data: bytes, **options: Any) -> list[str]:
    """The cells to fix, as the user reads them (English unless told)."""
    reading = reading_of(data, **options)
    with translation.override(options.get("language", "en")):
        return [str(problem) for problem in reading.problems]


def refusal_of(data: bytes, **options: Any) -> list[str]:
    """Problems and questions worded with their fix: what the command line prints."""
    reading = reading_of(data, **options)
    with translation.override(options.get("language", "en")):
        return [str(problem) for problem in reading.refusal()]


def rejection(data: bytes, language: str = "en") -> ImportRejected:
    with translation.override(language), pytest.raises(ImportRejected) as caught:
        read(data, "inventory.csv")
    return caught.value


def refused(data: bytes, language: str = "en") -> list[str]:
    """Why a file that cannot be read at all was refused."""
    rejected = rejection(data, language)
    with translation.override(language):
        return [str(problem) for problem in rejected.problems]


def csv_with(**changes: Any) -> bytes:
    """The standard CSV (English keys, minutes in column F) with one task, changed."""
    return inventory_csv(task(**changes))


def without(*keys: str, base: dict[str, str] | None = None) -> bytes:
    """The standard CSV with one task and without the named columns."""
    row = task(base=base) if base else task()
    keep = [i for i, key in enumerate(KEYS) if key not in keys]
    return csv_bytes([[KEYS[i] for i in keep], [row[i] for i in keep]])


# --- headers ---------------------------------------------------------------------------------

FULL_WIDTH = [h.replace("(", "（").replace(")", "）") for h in JA_HEADERS]


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param(JA_HEADERS, id="japanese-labels"),
        pytest.param(KEYS, id="english-keys"),
        pytest.param(EN_LABELS, id="english-labels"),
        pytest.param([h.upper() for h in EN_LABELS], id="upper-case"),
        pytest.param([h.swapcase() for h in KEYS], id="mixed-case-keys"),
        pytest.param(FULL_WIDTH, id="full-width-parentheses"),
        pytest.param([f" {h}\u3000" for h in JA_HEADERS], id="surrounding-spaces"),
        pytest.param(["部　署", *JA_HEADERS[1:]], id="ideographic-space-inside"),
        pytest.param([h.replace("_", "-") for h in KEYS], id="hyphen-keys"),
        pytest.param(["ＤＥＰＡＲＴＭＥＮＴ", *KEYS[1:]], id="full-width-latin"),
        pytest.param([*JA_HEADERS[:6], *EN_LABELS[6:]], id="japanese-and-english-mixed"),
    ],
)
def test_headers_accepted(headers):
    reading = reading_of(inventory_csv(task(), headers=headers))

    assert reading.ignored_headers == []
    assert reading.ready
    assert reading.rows == [
        {
            "source_row": 2,
            "answers": {},
            "answer_sources": {},
            "department": "HR",
            "process": "Payroll",
            "task": "Collect timesheets",
            "category": "hr",
            "description": "",
            "frequency": "monthly",
            "occurrences": D("1.00"),
            "minutes": D("120.00"),
            "people": D("2.00"),
            "days_per_year": None,
            "annual_hours": None,
            "occurrences_low": None,
            "occurrences_high": None,
            "minutes_low": None,
            "minutes_high": None,
            "hourly_cost": None,
            "expertise": 2,
            "standardizable": "yes",
            "manual": "",
            "people_able": 1,
            "seasonality": "",
            "confidentiality": "",
            "continuity": "",
            "deliverable_clear": "",
            "direct_instruction": "",
            "judgment": "",
            "requirement_changes": "",
            "tacit_knowledge": "",
            "licensed_work": "",
            "on_site": "",
            "interviewee": "",
            "notes": "",
        }
    ]


NAMES = {
    "department": ("部署", "人事部"),
    "process": ("業務", "給与計算"),
    "task": ("作業", "勤怠集計"),
}


def _header_forms():
    for column in FILE_COLUMNS:
        with translation.override("ja"):
            japanese = str(column.label)
        with translation.override("en"):
            english = str(column.label)
        for form, header in (("key", column.key), ("ja", japanese), ("en", english)):
            yield pytest.param(header, column.key, id=f"{column.key}-{form}")


@pytest.mark.parametrize(("header", "key"), list(_header_forms()))
def test_every_column_is_recognised_by_key_and_both_labels(header, key):
    others = [(h, value) for name, (h, value) in NAMES.items() if name != key]
    cell = NAMES[key][1] if key in NAMES else ""
    data = csv_bytes([[*(h for h, _v in others), header], [*(v for _h, v in others), cell]])

    reading = reading_of(data)

    assert [c.key for c in reading.columns][-1] == key
    assert reading.ignored_headers == []


def test_unknown_headers_are_ignored_and_reported():
    headers = ["社員番号", *KEYS[:6], "Owner", *KEYS[6:]]
    reading = reading_of(csv_bytes([headers, ["1024", *task()[:6], "Sato", *task()[6:]]]))

    assert reading.ignored_headers == ["社員番号", "Owner"]
    assert reading.rows[0]["minutes"] == D(120)


@pytest.mark.parametrize(
    ("derived", "values"),
    [
        pytest.param(
            [
                "年間工数(時間)",
                "年間回数",
                "FTE(常勤換算)",
                "年間コスト(円)",
                "属人化(1人のみ対応可)",
            ],
            ["48", "12", "0.025", "144000", "有"],
            id="japanese",
        ),
        pytest.param(
            [
                "Annual hours",
                "Annual occurrences",
                "FTE",
                "Annual cost (yen)",
                "Single-person dependency",
            ],
            ["48", "12", "0.025", "144000", "yes"],
            id="english",
        ),
        pytest.param(
            ["annual_hours", "annual_occurrences", "fte", "annual_cost"],
            ["48.00", "12", "0.03", "144000"],
            id="keys",
        ),
    ],
)
def test_what_the_export_adds_reimports_as_it_is(derived, values):
    """The derived columns are not read; the annual hours agree with the parts (12 × 120 × 2 / 60
    = 48), so the parts are kept (SPEC 4.2)."""
    reading = reading_of(csv_bytes([[*KEYS, *derived], [*task(), *values]]))

    assert reading.ready
    assert reading.ignored_headers == []
    (row,) = reading.rows
    assert (row["minutes"], row["people"], row["annual_hours"]) == (D(120), D(2), None)


def test_the_same_field_twice_uses_the_first_and_reports_the_second():
    reading = reading_of(csv_bytes([[*KEYS, "Department"], [*task(), "Accounting"]]))

    assert reading.rows[0]["department"] == "HR"
    assert reading.ignored_headers == ["Department"]
    assert reading.columns[-1].duplicate_of == "department"


def test_the_header_row_keeps_its_headers_as_the_file_writes_them():
    reading = reading_of(inventory_csv(task(base=GOOD_JA, minutes="abc"), headers=FULL_WIDTH))

    assert [column.header for column in reading.columns] == FULL_WIDTH
    assert [(p.row, p.column) for p in reading.problems] == [(2, "F (所要時間（分）)")]


@pytest.mark.parametrize(
    ("above", "row"),
    [
        pytest.param([], 2, id="row-1"),
        pytest.param([[]], 3, id="row-2-under-a-blank-line"),
        pytest.param(
            [["2026年度 業務棚卸し調査票"], ["記入者：山田", "", "記入日：2026/10/01"], []],
            5,
            id="under-a-title-and-an-author-block",
        ),
    ],
)
def test_the_header_need_not_be_on_row_1_and_rows_are_numbered_as_the_sheet_shows(above, row):
    data = csv_bytes([*above, KEYS, task(minutes="abc")])

    assert problems_of(data) == [f"Row {row}, column F (minutes): {not_a_duration('abc')}"]


def test_the_table_is_found_on_a_later_sheet():
    def data_sheet(sheet):
        data = sheet.parent.create_sheet("Data")
        data.append(KEYS)
        data.append(task())

    reading = reading_of(xlsx_bytes([["業務棚卸し 記入要領"]], setup=data_sheet))

    assert (reading.sheet, reading.sheets) == ("Data", ("Sheet", "Data"))
    assert [row["task"] for row in reading.rows] == ["Collect timesheets"]


# --- the columns a person maps (the mapping step) ---------------------------------------------

MAPPED_HEADERS = ["部署", "業務", "作業", "Kind", "How often", "Mins", "Extra"]
MAPPED = csv_bytes([MAPPED_HEADERS, ["人事部", "給与計算", "勤怠集計", "hr", "毎月", "15", "x"]])


def test_columns_the_import_does_not_know_are_ignored_until_mapped():
    reading = reading_of(MAPPED)

    assert reading.ignored_headers == ["Kind", "How often", "Mins", "Extra"]
    assert [(c.signature, c.key) for c in reading.columns][3:] == [
        ("kind", None),
        ("howoften", None),
        ("mins", None),
        ("extra", None),
    ]


def test_unknown_columns_when_none_gives_the_time_are_asked_about():
    """One of them may be the time (Mins): asked, rather than tasks imported without hours."""
    reading = reading_of(MAPPED)

    assert [(q.kind, q.samples) for q in reading.questions] == [
        ("columns", ("D (Kind)", "E (How often)", "F (Mins)", "G (Extra)"))
    ]
    assert refusal_of(MAPPED) == [
        "No column says how long the work takes, and the import does not know these columns: "
        "D (Kind), E (How often), F (Mins), G (Extra). Give the column of the time a header the "
        "import knows (e.g. “所要時間(分)”), or map the file once in the browser and save the "
        "mapping, then use --mapping NAME."
    ]


def test_a_mapping_by_header_signature_reads_the_columns_it_names():
    decisions = Decisions(columns={"kind": "category", "howoften": "frequency", "mins": "minutes"})

    reading = reading_of(MAPPED, decisions)

    assert reading.ready
    assert reading.ignored_headers == ["Extra"]
    (row,) = reading.rows
    assert (row["category"], row["frequency"], row["minutes"]) == ("hr", "monthly", D(15))


def test_a_column_mapped_to_nothing_is_not_read():
    reading = reading_of(csv_with(notes="Only Sato knows"), Decisions(columns={"notes": ""}))

    assert reading.rows[0]["notes"] == ""
    assert reading.ignored_headers == ["notes"]


def test_a_second_column_mapped_to_a_key_already_read_is_not_read():
    data = csv_bytes([[*KEYS, "Dept"], [*task(), "Accounting"]])

    reading = reading_of(data, Decisions(columns={"dept": "department"}))

    assert reading.rows[0]["department"] == "HR"
    assert (reading.columns[-1].key, reading.columns[-1].duplicate_of) == (None, "department")
    assert reading.ignored_headers == ["Dept"]


@pytest.mark.parametrize(
    "columns",
    [
        pytest.param({"kind": "nonsense"}, id="unknown-key"),
        pytest.param({"not-in-the-file": "category"}, id="header-the-file-lacks"),
        pytest.param({"kind": "source_row"}, id="a-field-no-column-gives"),
    ],
)
def test_a_mapping_naming_no_known_key_or_no_column_of_the_file_is_harmless(columns):
    reading = reading_of(MAPPED, Decisions(columns=columns))

    assert reading.ignored_headers == ["Kind", "How often", "Mins", "Extra"]
    assert [row["task"] for row in reading.rows] == ["勤怠集計"]


# --- required columns and values ----------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(without("category", base=GOOD_JA), id="no-category-column"),
        pytest.param(csv_with(base=GOOD_JA, category=""), id="empty-category-cell"),
    ],
)
def test_a_missing_category_is_inferred_from_the_names(data):
    reading = reading_of(data)

    assert reading.ready
    assert reading.rows[0]["category"] == "hr"  # 人事部 / 給与計算
    assert reading.assembled.inferred == {2: "hr"}


def test_a_category_no_name_points_to_is_asked_then_set_from_a_default():
    data = csv_with(category="")  # HR / Payroll / Collect timesheets: no word it knows

    reading = reading_of(data)
    decided = reading_of(data, Decisions(category="hr"))

    assert [(q.kind, q.rows, q.samples) for q in reading.questions] == [("category", (2,), ("HR",))]
    assert refusal_of(data) == [
        "Column Category: The category of some tasks cannot be inferred from their names."
    ]
    assert decided.ready
    assert (decided.rows[0]["category"], decided.assembled.defaulted) == ("hr", {2: "hr"})


def test_a_file_without_a_department_column_asks_for_the_department():
    data = without("department")

    reading = reading_of(data)
    decided = reading_of(data, Decisions(department="人事部"))

    assert [q.kind for q in reading.questions] == ["department"]
    assert refusal_of(data) == [
        "The sheet has no department column and does not name a department above the table. "
        "Add a 部署 column, or write “部署名：…” above the table."
    ]
    assert decided.ready
    assert decided.rows[0]["department"] == "人事部"


@pytest.mark.parametrize(
    ("drop", "process", "task_name"),
    [
        pytest.param("process", "Collect timesheets", "Collect timesheets", id="no-process"),
        pytest.param("task", "Payroll", "Payroll", id="no-task"),
    ],
)
def test_a_file_of_one_level_names_process_and_task_alike(drop, process, task_name):
    row = only_row(without(drop))

    assert (row["process"], row["task"]) == (process, task_name)


def test_a_file_without_process_or_task_column_is_refused_naming_the_column():
    reading = reading_of(without("process", "task"))

    assert [(p.row, p.column, p.message) for p in reading.problems] == [
        (
            None,
            None,
            "The required column “Task” is missing: no column says what each task is (作業, 業務 "
            "or their English names).",
        )
    ]
    assert reading.rows == []


# --- enumerations ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "cell", "expected"),
    [
        pytest.param("frequency", "毎月", "monthly", id="frequency-ja-label"),
        pytest.param("frequency", "月次", "monthly", id="frequency-ja-variant"),
        pytest.param("frequency", "monthly", "monthly", id="frequency-key"),
        pytest.param("frequency", "Monthly", "monthly", id="frequency-en-label"),
        pytest.param("frequency", "MONTHLY", "monthly", id="frequency-upper"),
        pytest.param("frequency", "  weekly ", "weekly", id="frequency-spaces"),
        pytest.param("frequency", "ｍｏｎｔｈｌｙ", "monthly", id="frequency-full-width"),
        pytest.param("frequency", "不定期", "ad_hoc", id="ad-hoc-ja"),
        pytest.param("frequency", "随時", "ad_hoc", id="ad-hoc-ja-variant"),
        pytest.param("frequency", "Ad hoc", "ad_hoc", id="ad-hoc-en-label"),
        pytest.param("frequency", "AD_HOC", "ad_hoc", id="ad-hoc-key-upper"),
        pytest.param("frequency", "ad-hoc", "ad_hoc", id="ad-hoc-hyphen"),
        pytest.param("frequency", "", "", id="frequency-empty"),
        pytest.param("category", "人事・労務", "hr", id="category-ja"),
        pytest.param("category", "HR and labour", "hr", id="category-en-label"),
        pytest.param("category", "HR", "hr", id="category-key-upper"),
        pytest.param("category", "IT運用・保守・ヘルプデスク", "it", id="category-it-ja"),
        pytest.param("standardizable", "可", "yes", id="standardizable-ja-yes"),
        pytest.param("standardizable", "一部", "partly", id="standardizable-ja-partly"),
        pytest.param("standardizable", "不可", "no", id="standardizable-ja-no"),
        pytest.param("standardizable", "△", "partly", id="standardizable-triangle"),
        pytest.param("standardizable", "Partly", "partly", id="standardizable-en"),
        pytest.param("standardizable", "NO", "no", id="standardizable-key-upper"),
    ],
)
def test_enumerations_in_a_file(key, cell, expected):
    assert only_row(csv_with(**{key: cell}))[key] == expected


def _enum_forms():
    for column in FILE_COLUMNS:
        if column.choices is None:
            continue
        for value, label in column.choices.choices:
            with translation.override("ja"):
                japanese = str(label)
            with translation.override("en"):
                english = str(label)
            for form, cell in (("key", value), ("ja", japanese), ("en", english.lower())):
                yield pytest.param(column.key, cell, value, id=f"{column.key}-{value}-{form}")


@pytest.mark.parametrize(("key", "cell", "expected"), list(_enum_forms()))
def test_every_choice_is_accepted_by_key_and_both_labels(key, cell, expected):
    data = csv_bytes([["部署", "業務", "作業", key], ["人事部", "給与計算", "勤怠集計", cell]])

    row = only_row(data)

    assert (row["answers"].get(key.upper()) if key in ANSWER_KEYS else row[key]) == expected


@pytest.mark.parametrize(
    ("cells", "shown", "prefix"),
    [
        pytest.param(["biweekly"], "biweekly", "Row 2, column E (frequency): ", id="word"),
        pytest.param(["2"], "2", "Row 2, column E (frequency): ", id="number"),
        pytest.param(
            ["biweekly", "biweekly"], "biweekly", "Column E (frequency): ", id="on-two-rows"
        ),
        pytest.param(
            ["x" * 60],
            "x" * 39 + "…",
            "Row 2, column E (frequency): ",
            id="shortened",
        ),
    ],
)
def test_an_unknown_word_is_a_question_naming_the_column_the_rows_and_the_allowed_values(
    cells, shown, prefix
):
    data = inventory_csv(*(task(n, frequency=cell) for n, cell in enumerate(cells, start=1)))
    numbers = tuple(range(2, 2 + len(cells)))
    rows_text = ", ".join(str(n) for n in numbers)

    reading = reading_of(data)

    assert [(q.kind, q.header, q.key, q.value, q.rows) for q in reading.questions] == [
        ("value", "E (frequency)", "frequency", cells[0], numbers)
    ]
    # One row: the problem names it, the message need not say it again.
    where = "" if len(cells) == 1 else f" (rows {rows_text})"
    assert refusal_of(data) == [
        f"{prefix}“{shown}”{where} is not a value the import knows ({FREQUENCIES_EN}). {FIX_A_WORD}"
    ]


def test_a_word_mapped_once_is_read_on_every_row():
    data = inventory_csv(task(1, frequency="締め後"), task(2, frequency="締め後"))

    rows = rows_of(data, decisions=Decisions(values={"frequency": {"締め後": "monthly"}}))

    assert [row["frequency"] for row in rows] == ["monthly", "monthly"]


# --- numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "cell", "expected"),
    [
        pytest.param("minutes", "120", D("120.00"), id="int"),
        pytest.param("minutes", "7.5", D("7.50"), id="float"),
        pytest.param("minutes", "0.125", D("0.13"), id="rounded-half-up-to-cents"),
        pytest.param("minutes", "1,200", D(1200), id="thousands-comma"),
        pytest.param("minutes", "１２０", D(120), id="full-width-digits"),
        pytest.param("minutes", "１，２００", D(1200), id="full-width-comma"),
        pytest.param("minutes", " 45 ", D(45), id="spaces"),
        pytest.param("minutes", "0", D(0), id="zero"),
        pytest.param("minutes", "1441", D(1441), id="more-than-24-hours"),
        pytest.param("minutes", "4800", D(4800), id="year-end-closing"),
        pytest.param("minutes", "30分", D(30), id="unit-in-the-cell"),
        pytest.param("minutes", "1.5時間", D(90), id="hours-in-the-cell"),
        pytest.param("minutes", "2時間30分", D(150), id="hours-and-minutes"),
        pytest.param("minutes", "0:45", D(45), id="clock"),
        pytest.param("minutes", "", None, id="empty"),
        pytest.param("occurrences", "", D(1), id="occurrences-default-1"),
        pytest.param("occurrences", "2.5", D("2.5"), id="occurrences-decimal"),
        pytest.param("occurrences", "150件", D(150), id="occurrences-with-unit"),
        pytest.param("people", "", D(1), id="people-default-1"),
        pytest.param("people", "1,200", D(1200), id="people-thousands"),
        pytest.param("people", "3.0", D(3), id="people-whole-decimal"),
        pytest.param("people", "0.5", D("0.5"), id="half-a-person"),
        pytest.param("people", "2名", D(2), id="people-with-unit"),
        pytest.param("hourly_cost", "3,000円", 3000, id="yen-suffix"),
        pytest.param("hourly_cost", "¥3,000", 3000, id="yen-sign"),
        pytest.param("hourly_cost", "￥３０００", 3000, id="full-width-yen"),
        pytest.param("expertise", "5", 5, id="expertise-5"),
        pytest.param("people_able", "0", 0, id="nobody-able"),
    ],
)
def test_numbers_accepted(key, cell, expected):
    value = only_row(csv_with(**{key: cell}))[key]

    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(
    ("key", "cell", "expected"),
    [
        pytest.param("minutes", "abc", "F (minutes): " + not_a_duration("abc"), id="letters"),
        pytest.param("minutes", "1.2.3", "F (minutes): " + not_a_duration("1.2.3"), id="dots"),
        pytest.param("minutes", "NaN", "F (minutes): " + not_a_duration("NaN"), id="nan"),
        pytest.param("minutes", "Infinity", "F (minutes): " + not_a_duration("Infinity"), id="inf"),
        pytest.param("minutes", "1e5", "F (minutes): " + not_a_duration("1e5"), id="exponent"),
        pytest.param(
            "minutes",
            "30〜60",
            "F (minutes): “30〜60” is a range: write one figure, the usual one.",
            id="range",
        ),
        pytest.param(
            "occurrences",
            "10000001",
            "G (occurrences): Must be at most 10000000 (got 10000001).",
            id="occurrences-beyond-what-is-stored",
        ),
        pytest.param(
            "occurrences", "abc", "G (occurrences): “abc” is not a number.", id="occurrences-abc"
        ),
        pytest.param("people", "0", "H (people): Must be at least 0.01 (got 0).", id="no-people"),
        pytest.param(
            "expertise", "6", "I (expertise): Must be at most 5 (got 6).", id="expertise-6"
        ),
        pytest.param(
            "expertise", "0", "I (expertise): Must be at least 1 (got 0).", id="expertise-0"
        ),
        pytest.param(
            "expertise",
            "2.5",
            "I (expertise): Must be a whole number (got 2.5).",
            id="expertise-2.5",
        ),
        pytest.param(
            "hourly_cost", "abc円", "K (hourly_cost): “abc円” is not a number.", id="cost-letters"
        ),
        pytest.param(
            "hourly_cost",
            "1500.5",
            "K (hourly_cost): Must be a whole number (got 1500.5).",
            id="cost-fraction",
        ),
    ],
)
def test_numbers_refused(key, cell, expected):
    assert problems_of(csv_with(**{key: cell})) == [f"Row 2, column {expected}"]


@pytest.mark.parametrize("cell", ["-30", "－３０"], ids=["ascii-minus", "full-width-minus"])
def test_negative_number_in_csv_is_refused(cell):
    assert problems_of(csv_with(minutes=cell)) == [
        "Row 2, column F (minutes): Must be at least 0 (got -30)."
    ]


def test_negative_number_in_xlsx_is_refused():
    data = xlsx_bytes([KEYS, task(minutes=-30)])

    assert problems_of(data) == ["Row 2, column F (minutes): Must be at least 0 (got -30)."]


def test_decimal_comma_is_not_read_as_ten_times_the_value():
    reading = reading_of(inventory_csv(task(minutes="1,5"), delimiter=";"))

    if reading.problems:
        return  # refusing "1,5" is fine too
    assert reading.rows[0]["minutes"] == D("1.5")


@pytest.mark.parametrize(
    ("frequency", "occurrences", "minutes"),
    [
        pytest.param("yearly", "1", "4800", id="year-end-closing-80-hours"),
        pytest.param("daily", "2000", "6", id="call-centre-200-hours-a-day"),
        pytest.param("daily", "3", "500", id="daily-1500-minutes"),
        pytest.param("毎日", "2.5", "600", id="daily-ja-fractional"),
        pytest.param("daily", "", "1441", id="daily-once-more-than-a-day"),
    ],
)
def test_long_occurrences_and_busy_days_are_real_work(frequency, occurrences, minutes):
    """SPEC 4.2: no bound on minutes or on daily totals (person-time, many people)."""
    row = only_row(csv_with(frequency=frequency, occurrences=occurrences, minutes=minutes))

    assert (row["occurrences"], row["minutes"]) == (D(occurrences or 1), D(minutes))


def test_implausible_figures_are_warnings_after_the_import_not_refusals():
    """An occurrence longer than a person's working year (1,920 h = 115,200 minutes) reads; the
    preview and the overview warn about it."""
    (row,) = rows_of(csv_with(frequency="yearly", minutes="200000"))

    warnings = inventory.plausibility(
        [(row["task"], row["minutes"])], D(6667), None, inventory.OrgSettings()
    )

    assert [(w.code, w.task) for w in warnings] == [
        (inventory.Plausibility.LONG_OCCURRENCE, "Collect timesheets")
    ]


# --- required cells, text ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        pytest.param(
            {"department": ""}, ["Row 2, column A (department): A value is required."], id="empty"
        ),
        pytest.param(
            {"process": "   "}, ["Row 2, column B (process): A value is required."], id="spaces"
        ),
        pytest.param(
            {"task": "\u3000"}, ["Row 2, column C (task): A value is required."], id="ideographic"
        ),
        pytest.param(
            {"department": "x" * 101},
            ["Row 2, column A (department): Longer than 100 characters (101)."],
            id="department-101",
        ),
        pytest.param(
            {"task": "作" * 201},
            ["Row 2, column C (task): Longer than 200 characters (201)."],
            id="task-201-japanese",
        ),
        pytest.param(
            {"notes": "n" * 2001},
            ["Row 2, column M (notes): Longer than 2000 characters (2001)."],
            id="notes-2001",
        ),
        pytest.param(
            {"department": "", "minutes": "abc", "expertise": "9"},
            [
                "Row 2, column A (department): A value is required.",
                "Row 2, column F (minutes): " + not_a_duration("abc"),
                "Row 2, column I (expertise): Must be at most 5 (got 9).",
            ],
            id="every-problem-of-a-row-in-column-order",
        ),
    ],
)
def test_cells_refused(changes, expected):
    assert problems_of(csv_with(**changes)) == expected


def test_a_rows_problems_are_in_column_order_beyond_column_z():
    headers = [*KEYS[:8], *(f"x{n}" for n in range(18)), "expertise"]  # expertise is AA
    data = csv_bytes([headers, [*task(people="abc")[:8], *[""] * 18, "9"]])

    assert problems_of(data) == [
        "Row 2, column H (people): “abc” is not a number.",
        "Row 2, column AA (expertise): Must be at most 5 (got 9).",
    ]


@pytest.mark.parametrize(
    ("changes", "value"),
    [
        pytest.param({"department": "x" * 100}, "x" * 100, id="department-100"),
        pytest.param({"department": "  人事部 "}, "人事部", id="trimmed"),
        pytest.param({"department": "ＨＲ　本部"}, "HR 本部", id="full-width-folded"),
        pytest.param({"task": "勤怠   集計"}, "勤怠 集計", id="repeated-spaces"),
        pytest.param({"notes": "n" * 2000}, "n" * 2000, id="notes-2000"),
        pytest.param({"notes": "1行目\n2行目"}, "1行目\n2行目", id="notes-keep-line-breaks"),
        pytest.param({"task": "'=SUM(A1)"}, "=SUM(A1)", id="the-exports-apostrophe"),
    ],
)
def test_text_accepted(changes, value):
    (key,) = changes
    assert only_row(csv_with(**changes))[key] == value


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
@pytest.mark.parametrize("text", ["None", "null", "NaN"])
def test_text_that_pandas_would_read_as_missing_is_kept(kind, text):
    row = task(task=text)
    data = inventory_csv(row) if kind == "csv" else xlsx_bytes([KEYS, row])

    assert only_row(data)["task"] == text


def test_a_dash_or_n_a_in_an_optional_column_reads_as_not_applicable():
    row = only_row(csv_with(notes="N/A", standardizable="-", expertise="－"))

    assert (row["notes"], row["standardizable"], row["expertise"]) == ("", "", None)


# --- rows of one task ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("second", "people", "minutes"),
    [
        pytest.param(task(), D(4), D(120), id="identical"),
        pytest.param(task(department="hr", task="COLLECT TIMESHEETS"), D(4), D(120), id="case"),
        pytest.param(task(department="ＨＲ", process="Ｐａｙｒｏｌｌ"), D(4), D(120), id="width"),
        pytest.param(task(department=" HR ", minutes="30"), D(4), D(75), id="other-minutes"),
        pytest.param(task(people="1", minutes="30"), D(3), D(90), id="other-people"),
    ],
)
def test_rows_of_one_task_are_added_together(second, people, minutes):
    """Per-person sheets (実績記入法) list each person's time: one task, the people added and
    the minutes their weighted mean, so the hours add up (SPEC 4.2.1)."""
    data = inventory_csv(task(), task(task="Other"), [""] * len(KEYS), second)

    reading = reading_of(data)

    assert reading.ready
    assert [(r["task"], r["source_row"]) for r in reading.rows] == [
        ("Collect timesheets", 2),
        ("Other", 3),
    ]
    assert (reading.rows[0]["people"], reading.rows[0]["minutes"]) == (people, minutes)
    assert [c.rows for c in reading.assembled.combined] == [(2, 5)]
    with translation.override("en"):
        assert "Rows 2, 5 are the same task (Collect timesheets) and were added together." in (
            notices(reading)
        )


@pytest.mark.parametrize(
    "second",
    [
        pytest.param(task(department="Accounting"), id="other-department"),
        pytest.param(task(process="Bonus"), id="other-process"),
        pytest.param(task(task="Check timesheets"), id="other-task"),
    ],
)
def test_rows_differing_in_one_part_are_separate_tasks(second):
    reading = reading_of(inventory_csv(task(), second))

    assert len(reading.rows) == 2
    assert reading.assembled.combined == []


# --- files -----------------------------------------------------------------------------------

NOT_SPREADSHEET = "This file is not a spreadsheet. Upload an .xlsx or .csv file."
DAMAGED = "The file looks like .xlsx but is damaged and cannot be read."
UNREADABLE = "The workbook cannot be read. Save it again from Excel as .xlsx."
NOT_UTF8_OR_CP932 = "The CSV file is neither UTF-8 nor Shift_JIS (CP932). Save it as UTF-8."
NO_HEADER = (
    "No sheet of the file has a header row the import knows (部署, 業務, 作業 or their English "
    "names) within its first 30 rows. Put the column headers above the tasks and upload it again."
)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(b"", "The file is empty.", id="empty"),
        pytest.param(b" \r\n\t\n  ", "The file is empty.", id="whitespace"),
        pytest.param(b"\xef\xbb\xbf", NO_HEADER, id="bom-only"),
        pytest.param("\u3000\n".encode(), NO_HEADER, id="ideographic-space-only"),
        pytest.param(b",,,\n,,,\n", NO_HEADER, id="commas-only"),
        pytest.param(csv_bytes([["a", "b"], ["1", "2"]]), NO_HEADER, id="no-header-it-knows"),
        pytest.param(
            csv_bytes([["担当者", "備考"], ["佐藤", "x"]]), NO_HEADER, id="no-name-column"
        ),
        pytest.param(
            b"department,process,task,category\nHR,Payroll,caf\xe9\n",
            NOT_UTF8_OR_CP932,
            id="latin-1",
        ),
        pytest.param(b"department,process\n\x81\x7f\x81\x7f\n", NOT_UTF8_OR_CP932, id="bad-cp932"),
        pytest.param(PNG, NOT_SPREADSHEET, id="png"),
        pytest.param(bytes(range(256)) * 8, NOT_SPREADSHEET, id="binary-with-nul"),
        pytest.param(OLE_XLS, UNREADABLE, id="ole-but-no-workbook"),
        pytest.param(DAMAGED_ZIP, DAMAGED, id="damaged-zip"),
        pytest.param(b"PK\x03\x04", DAMAGED, id="zip-magic-only"),
        pytest.param(patched_zip(flags=0x1), DAMAGED, id="encrypted-member"),
        pytest.param(patched_zip(method=99), DAMAGED, id="aes-compression"),
        pytest.param(
            zip_bytes({"readme.txt": b"hello"}),
            "This file is a zip archive, not an Excel workbook.",
            id="zip-not-workbook",
        ),
        pytest.param(
            zip_bytes({"xl/workbook.xml": b"not xml", "[Content_Types].xml": b"<"}),
            UNREADABLE,
            id="workbook-shaped-zip",
        ),
    ],
)
def test_files_refused(data, expected):
    assert refused(data) == [expected]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(
            csv_bytes([KEYS]), "The file has column headers but no tasks.", id="header-only"
        ),
        pytest.param(
            xlsx_bytes([KEYS, task(department="記入例）人事部"), ["小計"]]),
            "The sheet “Sheet” has its header in row 1 but no task below it: the 2 rows under "
            "it are not tasks (blank, headings, totals, examples or hidden).",
            id="only-the-example-row-and-a-subtotal",
        ),
    ],
)
def test_a_sheet_with_headers_and_no_tasks_is_refused(data, expected):
    """Most likely the wrong sheet, or a template never filled in: imported, it would add
    nothing, or with “replace” remove every task."""
    assert refused(data) == [expected]


def test_a_csv_with_headers_and_only_blank_rows_is_refused_without_naming_a_sheet():
    data = csv_bytes([KEYS, [""] * len(KEYS), [" "] * len(KEYS)])

    (message,) = refused(data)

    assert "The header is in row 1 but no task is below it" in message
    assert "“”" not in message


def test_bytes_that_are_valid_cp932_are_read_as_cp932():
    """b"\\x80\\xff" decodes as CP932 (U+0080, U+F8F3): a one-cell sheet without a header, not an
    undecodable file."""
    assert refused(b"\x80\xff\n") == [NO_HEADER]


GOOD_JA_TSV = [JA_HEADERS, task(base=GOOD_JA)]


@pytest.mark.parametrize(
    ("data", "name"),
    [
        pytest.param(inventory_csv(task(base=GOOD_JA), headers=JA_HEADERS), "勤怠集計", id="utf-8"),
        pytest.param(
            inventory_csv(task(base=GOOD_JA), headers=JA_HEADERS, encoding="utf-8-sig"),
            "勤怠集計",
            id="utf-8-bom",
        ),
        pytest.param(
            inventory_csv(task(base=GOOD_JA), headers=JA_HEADERS, encoding="cp932", newline="\r\n"),
            "勤怠集計",
            id="cp932-crlf",
        ),
        pytest.param(
            inventory_csv(
                task(base=GOOD_JA, task="髙橋さん分①"), headers=JA_HEADERS, encoding="cp932"
            ),
            "髙橋さん分1",  # 髙 decoded; ① is 1 once the name is normalised (NFKC)
            id="cp932-vendor-characters",
        ),
        pytest.param(
            csv_bytes(GOOD_JA_TSV, encoding="utf-16", delimiter="\t", newline="\r\n"),
            "勤怠集計",
            id="utf-16-unicode-text",
        ),
        pytest.param(
            b"\xfe\xff" + csv_bytes(GOOD_JA_TSV, encoding="utf-16-be", delimiter="\t"),
            "勤怠集計",
            id="utf-16-big-endian",
        ),
        pytest.param(
            inventory_csv(task(base=GOOD_JA), headers=JA_HEADERS, delimiter="\t"),
            "勤怠集計",
            id="tab-separated",
        ),
        pytest.param(
            inventory_csv(task(base=GOOD_JA), headers=JA_HEADERS, delimiter=";"),
            "勤怠集計",
            id="semicolon",
        ),
        pytest.param(
            inventory_csv(task(base=GOOD_JA, notes="a; b; c"), headers=JA_HEADERS),
            "勤怠集計",
            id="comma-with-semicolons-in-a-cell",
        ),
        pytest.param(
            inventory_csv(task(base=GOOD_JA, notes="1行目\n2行目, 続き"), headers=JA_HEADERS),
            "勤怠集計",
            id="quoted-newline-and-comma",
        ),
        pytest.param(
            inventory_csv(task(base=GOOD_JA), headers=JA_HEADERS, newline="\r"),
            "勤怠集計",
            id="old-mac-line-ends",
        ),
    ],
)
def test_text_files_accepted(data, name):
    row = only_row(data)

    assert (row["department"], row["task"]) == ("人事部", name)
    assert (row["category"], row["frequency"], row["standardizable"]) == ("hr", "monthly", "yes")
    assert row["minutes"] == D(120)


TYPED = [JA_HEADERS, ["人事部", "給与計算", "勤怠集計", "人事・労務", "毎月", 120, 1, 2, 2, "可"]]


@pytest.mark.parametrize(
    ("data", "filename", "kind"),
    [
        pytest.param(xlsx_bytes(TYPED), "inventory.xlsx", "xlsx", id="xlsx"),
        pytest.param(xlsm_bytes(TYPED), "inventory.xlsm", "xlsm", id="xlsm"),
        pytest.param(xls_bytes(TYPED), "inventory.xls", "xls", id="xls"),
        pytest.param(ods_bytes(TYPED), "inventory.ods", "ods", id="ods"),
        pytest.param(xls_bytes(TYPED), "inventory.csv", "xls", id="xls-named-csv"),
        pytest.param(csv_bytes(TYPED), "inventory.xlsx", "csv", id="csv-named-xlsx"),
        pytest.param(csv_bytes(TYPED), "", "csv", id="no-name"),
    ],
)
def test_every_format_is_read_by_its_content(data, filename, kind):
    reading = reading_of(data, filename=filename)

    assert reading.kind == kind
    assert reading.ready
    (row,) = reading.rows
    assert (row["task"], row["category"], row["frequency"]) == ("勤怠集計", "hr", "monthly")
    assert (row["minutes"], row["people"], row["standardizable"]) == (D(120), D(2), "yes")


def test_blank_lines_are_skipped_and_listed_but_counted():
    data = csv_bytes(
        [KEYS, task(1), [], task(2), [""] * len(KEYS), ["  "] * 3, task(3, minutes="abc")]
    )
    fixed = reading_of(data.replace(b"abc", b"15"))

    assert problems_of(data) == [f"Row 7, column F (minutes): {not_a_duration('abc')}"]
    assert [row["source_row"] for row in fixed.rows] == [2, 4, 7]
    assert [(s.row, s.reason) for s in fixed.skipped] == [
        (3, Skip.BLANK),
        (5, Skip.BLANK),
        (6, Skip.BLANK),
    ]


def test_quoted_newlines_count_as_one_spreadsheet_row():
    data = inventory_csv(task(1, notes="line 1\nline 2"), task(2, minutes="abc"))

    assert problems_of(data) == [f"Row 3, column F (minutes): {not_a_duration('abc')}"]


def test_nul_bytes_after_the_first_8_kb_do_not_reach_the_rows():
    good = [task(number) for number in range(1, 201)]
    data = inventory_csv(*good, task(999, notes="a\x00b"))
    assert len(data) > 8192

    try:
        rows = reading_of(data).rows
    except ImportRejected:
        return  # refusing the file is fine
    assert not any("\x00" in str(value) for row in rows for value in row.values())


def test_file_over_the_upload_limit(settings):
    settings.MAX_UPLOAD_BYTES = MB
    data = inventory_csv() + b"\n" * (MB + MB // 2 - len(inventory_csv()))

    assert refused(data) == ["The file is 1.5 MB; the limit is 1.0 MB."]


def test_upload_limit_is_inclusive(settings):
    data = inventory_csv()
    settings.MAX_UPLOAD_BYTES = len(data)
    assert len(rows_of(data)) == 1

    settings.MAX_UPLOAD_BYTES = len(data) - 1
    (problem,) = refused(data)
    assert problem.startswith("The file is ") and "the limit is" in problem


def test_too_many_tasks(settings):
    settings.MAX_IMPORT_ROWS = 3
    blank = [""] * len(KEYS)

    assert len(rows_of(inventory_csv(task(1), blank, task(2), blank, task(3)))) == 3
    assert len(rows_of(inventory_csv(task(1), task(2), task(3), task(3), task(1)))) == 3
    assert problems_of(inventory_csv(*(task(n) for n in range(1, 5)))) == [
        "The file has 4 tasks; at most 3 can be imported at once."
    ]


def test_too_many_rows_are_refused_before_they_are_read(settings):
    """Beyond the tasks allowed and 1,000 rows for titles, notes and blanks."""
    settings.MAX_IMPORT_ROWS = 3

    assert refused(inventory_csv(*(task(n) for n in range(1, 1006)))) == [
        "The file has more than 1,003 rows; at most 3 tasks can be imported at once."
    ]


def test_zip_bomb_is_refused(settings):
    settings.MAX_UNCOMPRESSED_BYTES = 5 * MB
    bomb = zip_bomb(megabytes=20)
    assert len(bomb) < MB  # it passes the upload limit: only inflating reveals it

    assert refused(bomb) == ["The workbook decompresses to more than 5.0 MB and was refused."]


def test_zip_bomb_budget_counts_every_part(settings):
    settings.MAX_UNCOMPRESSED_BYTES = 5 * MB

    assert refused(zip_bomb(megabytes=2, members=3)) == [
        "The workbook decompresses to more than 5.0 MB and was refused."
    ]


def test_zip_with_too_many_parts():
    assert refused(many_part_zip(10_000)) == [
        "The workbook holds too many parts to be a plain spreadsheet."
    ]


# --- xlsx ------------------------------------------------------------------------------------


def _english_workbook(setup=None, minutes_of_row_5: Any = 7.5) -> bytes:
    return xlsx_bytes(
        [
            EN_LABELS,
            task(1, minutes=120, occurrences=1, people=2, expertise=3, hourly_cost=3000),
            task(2, minutes=45, occurrences=4, people=0.5, expertise=1, hourly_cost=None),
            [None] * len(KEYS),
            task(3, minutes=minutes_of_row_5, occurrences=2.5, people=1, expertise=None),
        ],
        setup,
    )


def test_xlsx_with_english_labels_and_real_numbers():
    rows = rows_of(_english_workbook(), filename="inventory.xlsx")

    assert [row["source_row"] for row in rows] == [2, 3, 5]
    assert [row["minutes"] for row in rows] == [D(120), D(45), D("7.5")]
    assert [row["occurrences"] for row in rows] == [D(1), D(4), D("2.5")]
    assert [row["people"] for row in rows] == [D(2), D("0.5"), D(1)]
    assert [row["hourly_cost"] for row in rows] == [3000, None, None]
    assert [row["expertise"] for row in rows] == [3, 1, None]


def test_xlsx_row_numbers_after_a_blank_row_match_the_spreadsheet():
    assert problems_of(_english_workbook(minutes_of_row_5="abc")) == [
        "Row 5, column F (Minutes per occurrence): " + not_a_duration("abc")
    ]


def _trailing_junk(sheet):
    sheet.cell(1, 20).value = "   "  # a header of spaces far to the right
    sheet.cell(40, 30).number_format = "0.00"  # a formatted empty cell stretches the range
    sheet.cell(41, 2).value = ""


def test_xlsx_trailing_empty_columns_and_rows_are_ignored():
    reading = reading_of(_english_workbook(_trailing_junk))

    assert reading.ignored_headers == []
    assert [row["source_row"] for row in reading.rows] == [2, 3, 5]


def test_xlsx_starting_in_column_b_keeps_the_column_letters():
    data = xlsx_bytes([[None, *KEYS], [None, *task(minutes="abc")]])

    assert problems_of(data) == ["Row 2, column G (minutes): " + not_a_duration("abc")]


def test_xlsx_with_japanese_headers_under_japanese():
    data = xlsx_bytes([FULL_WIDTH, task(base=GOOD_JA, minutes=-5)])

    (problem,) = reading_of(data, language="ja").problems

    assert (problem.row, problem.column) == (2, "F (所要時間（分）)")
    assert problem.message == "0以上で入力してください(入力値: -5)。"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        pytest.param(True, not_a_duration("True"), id="bool"),
        pytest.param(-5, "Must be at least 0 (got -5).", id="negative"),
        pytest.param(
            datetime.datetime(2026, 4, 1), "“2026-04-01” is a date, not a duration.", id="date"
        ),
    ],
)
def test_xlsx_cells_refused(cell, expected):
    data = xlsx_bytes([KEYS, task(minutes=cell)])

    assert problems_of(data) == [f"Row 2, column F (minutes): {expected}"]


@pytest.mark.parametrize(
    ("cell", "minutes"),
    [
        pytest.param(datetime.time(0, 30), D(30), id="time"),
        pytest.param(datetime.time(1, 15, 30), D("75.5"), id="time-with-seconds"),
        pytest.param(1441.5, D("1441.5"), id="more-than-a-day"),
        pytest.param(4800, D(4800), id="year-end-closing"),
    ],
)
def test_xlsx_durations_accepted(cell, minutes):
    assert only_row(xlsx_bytes([KEYS, task(minutes=cell)]))["minutes"] == minutes


def test_xlsx_bool_in_a_number_column():
    assert problems_of(xlsx_bytes([KEYS, task(people=False)])) == [
        "Row 2, column H (people): “False” is not a number."
    ]


def test_xlsx_formula_without_cached_value_names_its_cell():
    data = xlsx_bytes([KEYS, task(minutes=60), task(2, minutes="=F2*2")])

    assert problems_of(data) == [
        "Row 3, column F (minutes): The cell F3 holds a formula whose result was not saved with "
        "the file. Open the file in Excel, let it calculate, save it and upload it again."
    ]


# --- stated hours, units: the command line's wording -----------------------------------------


def test_a_duration_column_without_unit_holding_hours_is_refused_with_the_fix():
    headers = ["部署", "業務", "作業", "頻度", "所要時間"]
    data = csv_bytes([headers, *(["人事部", "給与", f"作業{n}", "月次", n / 2] for n in (1, 3))])

    assert refusal_of(data) == [
        "Column E (所要時間): The values (0.5, 1.5) do not say whether they are minutes or hours. "
        "Write the unit in the header, e.g. “所要時間(分)” or “所要時間(時間)”, or map the file "
        "once in the browser and save the mapping, then use --mapping NAME."
    ]


def test_hours_of_unknown_period_are_asked_about_then_read():
    data = csv_bytes([["部署", "業務", "作業", "工数(h)"], ["経理部", "予算", "予算策定", 25]])

    reading = reading_of(data)
    decided = rows_of(data, decisions=Decisions(units={"工数(h)": "monthly"}))

    assert [(q.kind, q.header) for q in reading.questions] == [("period", "D (工数(h))")]
    assert refusal_of(data) == [
        "Column D (工数(h)): Hours per month or per year? Write “月間工数” or “年間工数” in the "
        "header, or map the file once in the browser and save the mapping, then use "
        "--mapping NAME."
    ]
    assert decided[0]["annual_hours"] == D(300)


def test_stated_hours_that_disagree_with_the_parts_are_refused_with_the_choice():
    headers = ["部署", "業務", "作業", "頻度", "所要時間(分)", "年間時間"]
    data = csv_bytes([headers, ["経理部", "決算", "照合", "月次", 60, 20]])

    assert refusal_of(data) == [
        "Row 2: The stated annual hours (20) and the hours of frequency × minutes × people (12) "
        "differ by more than 5%. Correct one of them, or choose with --prefer stated or "
        "--prefer computed."
    ]
    assert only_row(data, decisions=Decisions(prefer="stated"))["annual_hours"] == D(20)


# --- all or nothing --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_one_bad_row_among_fifty_holds_back_the_whole_file(kind):
    rows = [task(number) for number in range(1, 51)]
    rows.insert(28, task(99, expertise="7"))  # spreadsheet row 30
    data = inventory_csv(*rows) if kind == "csv" else xlsx_bytes([KEYS, *rows])

    reading = reading_of(data)

    assert not reading.ready
    with translation.override("en"):
        assert [str(p) for p in reading.problems] == [
            "Row 30, column I (expertise): Must be at most 5 (got 7)."
        ]


def test_every_problem_and_question_is_reported_in_one_go():
    data = inventory_csv(
        task(1, minutes="abc", category=""), task(2, frequency="締め後"), task(3, people="0")
    )

    assert refusal_of(data) == [
        "Row 2, column F (minutes): " + not_a_duration("abc"),
        "Row 4, column H (people): Must be at least 0.01 (got 0).",
        f"Row 3, column E (frequency): “締め後” is not a value the import knows "
        f"({FREQUENCIES_EN}). {FIX_A_WORD}",
        "Column Category: The category of some tasks cannot be inferred from their names.",
    ]


def test_problems_are_capped():
    rows = [task(number, minutes="abc", expertise="9") for number in range(1, 400)]

    problems = reading_of(inventory_csv(*rows)).problems

    assert len(problems) == MAX_PROBLEMS
    assert (problems[0].row, problems[1].row, problems[-1].row) == (2, 2, 251)


def test_a_good_file_after_a_bad_one_is_unaffected():
    reading_of(csv_with(minutes="abc", frequency="締め後"))

    assert only_row(csv_with())["minutes"] == D(120)


# --- the problem as the user reads it ---------------------------------------------------------


@pytest.mark.parametrize(
    ("problem", "expected"),
    [
        pytest.param(
            Problem(2, "F (minutes)", "“abc” is not a number."),
            "Row 2, column F (minutes): “abc” is not a number.",
            id="row-and-column",
        ),
        pytest.param(
            Problem(5, None, "The stated annual hours (20) and the hours … differ."),
            "Row 5: The stated annual hours (20) and the hours … differ.",
            id="row-only",
        ),
        pytest.param(
            Problem(None, "C (作業)", "Too long."), "Column C (作業): Too long.", id="column-only"
        ),
        pytest.param(
            Problem(None, None, "The file is empty."), "The file is empty.", id="file-level"
        ),
    ],
)
def test_problem_as_text(problem, expected):
    with translation.override("en"):
        assert str(problem) == expected
    with translation.override("ja"):  # the message itself was made in the active language
        text = str(problem)
    assert problem.message in text
    assert problem.column is None or problem.column in text
    assert problem.row is None or str(problem.row) in text


def test_a_refusal_summarises_the_first_three_problems():
    rows = [task(number, minutes="abc") for number in range(1, 6)]

    reading = reading_of(inventory_csv(*rows))
    with translation.override("en"):
        text = str(ImportRejected(reading.refusal()))

    assert text == "; ".join(
        f"Row {n}, column F (minutes): {not_a_duration('abc')}" for n in (2, 3, 4)
    )


@pytest.mark.parametrize(
    ("data", "japanese"),
    [
        pytest.param(csv_with(department=""), "値を入力してください。", id="required"),
        pytest.param(csv_with(expertise="9"), "5以下で入力してください(入力値: 9)。", id="bounds"),
        pytest.param(b"", "ファイルが空です。", id="empty-file"),
        pytest.param(inventory_csv(*(task(n) for n in range(1, 5))), "", id="too-many-tasks"),
        pytest.param(csv_with(minutes="abc"), "", id="not-a-duration"),
        pytest.param(
            inventory_csv(task(base=GOOD_JA, frequency="隔々週"), headers=JA_HEADERS),
            FREQUENCIES_JA,
            id="unknown-word-with-the-choices",
        ),
        pytest.param(csv_with(category=""), "", id="category-question"),
        pytest.param(without("department"), "", id="department-question"),
        pytest.param(without("process", "task"), "", id="no-task-column"),
        pytest.param(csv_bytes([["a", "b"]]), "", id="no-header"),
    ],
)
def test_messages_in_japanese(settings, data, japanese):
    """What a Japanese user reads is Japanese: no English phrase (three words in a row; a file
    name or “--mapping NAME” may stay), and the Japanese words the test names."""
    settings.MAX_IMPORT_ROWS = 3

    def messages(language: str) -> list[str]:
        try:
            reading = reading_of(data, language=language)
        except ImportRejected as rejected:
            return [problem.message for problem in rejected.problems]
        with translation.override(language):  # questions are worded when asked
            return [problem.message for problem in reading.refusal()]

    (message,) = messages("ja")

    assert not re.search(ENGLISH_WORDS, message), message
    assert japanese in message


# --- answers to the check ------------------------------------------------------------------------


def test_check_answers_in_c1_to_c10_columns_become_file_answers():
    headers = [*KEYS, "C1", "c2", "C10"]
    row = only_row(csv_bytes([headers, [*task(), "はい", "partly", "不明"]]))

    assert row["answers"] == {"C1": "yes", "C2": "partly", "C10": "unknown"}
    assert row["answer_sources"] == {"C1": "file", "C2": "file", "C10": "file"}
    assert "c1" not in row


def test_an_answer_outside_the_allowed_values_is_asked_naming_row_and_column():
    data = csv_bytes([[*KEYS, "C3"], [*task(), "maybe"]])

    reading = reading_of(data)
    with translation.override("en"):
        (problem,) = reading.refusal()

    assert (problem.row, problem.column) == (2, f"{chr(65 + len(KEYS))} (C3)")
    assert "“maybe”" in problem.message
