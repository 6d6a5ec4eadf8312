"""The template, the export and the results CSV, opened as a user's Excel or a script would."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.utils import translation
from django.utils.translation import gettext, pgettext
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from assessments.domain.columns import (
    COLUMNS_BY_KEY,
    DERIVED_COLUMNS,
    FILE_COLUMNS,
    INVENTORY_COLUMNS,
)
from assessments.files.decisions import Decisions
from assessments.files.problems import ImportRejected
from assessments.files.reading import read
from assessments.models import Assessment, Override, Task
from assessments.models.versions import ChecklistVersion, RuleTableVersion
from assessments.reporting.spreadsheets import (
    export_workbook,
    neutralise,
    template_workbook,
    write_results_csv,
)
from outsourcing_advisor.accounts.models import Organisation
from tests.factories import build_task, make_task

KEYS = [column.key for column in INVENTORY_COLUMNS]
JA_HEADERS = ["部署", "業務", "作業", "業務区分", "内容", "頻度", "回数", "所要時間(分)", "人数"]
EN_HEADERS = ["Department", "Process", "Task", "Category", "Description", "Frequency"]

FULL_TASK: dict[str, Any] = {
    "department": "人事部",
    "process": "給与計算",
    "task": "勤怠集計",
    "category": "hr",
    "description": "タイムカードを集計し、\n残業時間を確認する",
    "frequency": "monthly",
    "occurrences": Decimal("2.5"),
    "minutes": Decimal("90.25"),
    "people": 3,
    # Its range (SPEC 4.5): a quiet and a busy month, a quick and a slow run.
    "occurrences_low": Decimal("1.5"),
    "occurrences_high": Decimal(4),
    "minutes_low": Decimal(60),
    "minutes_high": Decimal("150.5"),
    "hourly_cost": 4500,
    "expertise": 3,
    "standardizable": "partly",
    "manual": "yes",
    "people_able": 1,
    "seasonality": "high",
    "confidentiality": "personal",
    "continuity": "ongoing",
    "deliverable_clear": "yes",
    "direct_instruction": "no",
    "judgment": "medium",
    "requirement_changes": "low",
    "tacit_knowledge": "high",
    "interviewee": "山田 花子",
    "notes": "締め日に集中",
}
MINIMAL_TASK = {"department": "総務部", "process": "受付", "task": "来客対応", "category": "other"}
DAILY_TASK = {
    "department": "経理部",
    "process": "日次処理",
    "task": "伝票入力",
    "category": "accounting",
    "frequency": "daily",
    "occurrences": Decimal(2),
    "minutes": Decimal(30),
    "people": 1,
    "people_able": 2,
}
FORMULA_TASK = {
    "department": "営業部",
    "process": "請求",
    "task": "=cmd|' /C calc'!A0",
    "category": "sales_marketing",
    "description": "+1",
    "frequency": "ad_hoc",
    "occurrences": Decimal(10),
    "minutes": Decimal(30),
    "notes": "@SUM(1)",
}


@pytest.fixture
def varied(db) -> Assessment:
    organisation = Organisation.objects.create(name="Spreadsheet Co")
    assessment = Assessment.objects.create(organisation=organisation, name="Inventory")
    for position, values in enumerate([FULL_TASK, MINIMAL_TASK, DAILY_TASK, FORMULA_TASK]):
        make_task(assessment, position=position, source_row=position + 2, **values)
    return assessment


def open_workbook(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def header_row(sheet: Worksheet) -> list[str]:
    return [cell.value for cell in sheet[1] if cell.value is not None]


def task_values(assessment: Assessment) -> list[dict[str, Any]]:
    """The stored inventory as the importer returns it: every column, blanks as ""/None."""
    return list(assessment.tasks.order_by("position").values(*KEYS, "answers", "answer_sources"))


def without_source_row(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{key: value for key, value in row.items() if key != "source_row"} for row in rows]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+81 3", "'+81 3"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("給与計算", "給与計算"),
        ("a=b", "a=b"),
        ("", ""),
        (-5, -5),
        (Decimal("-1.5"), Decimal("-1.5")),
        (None, None),
    ],
)
def test_neutralise_prefixes_only_text_that_starts_a_formula(value: Any, expected: Any) -> None:
    assert neutralise(value) == expected


# --- the blank template ----------------------------------------------------------------------


@pytest.mark.parametrize(("language", "first_headers"), [("ja", JA_HEADERS), ("en", EN_HEADERS)])
def test_template_has_the_headers_in_the_users_language(
    language: str, first_headers: list[str]
) -> None:
    workbook = open_workbook(template_workbook(language))
    sheet = workbook.worksheets[0]
    with translation.override(language):
        expected = [str(column.label) for column in FILE_COLUMNS]
        new = [str(COLUMNS_BY_KEY[key].label) for key in ("days_per_year", "annual_hours")]
    assert header_row(sheet) == expected
    assert expected[: len(first_headers)] == first_headers
    people = expected.index(first_headers[-1] if language == "ja" else "People")
    assert expected[people + 1 : people + 3] == new, "after the people, before the hourly cost"
    assert sheet.max_row == 1, "the template holds no tasks"
    assert sheet.freeze_panes is not None and sheet.freeze_panes.endswith("2")


def test_template_sheets_inventory_first_then_guidance_and_hidden_lists() -> None:
    workbook = open_workbook(template_workbook("en"))
    assert workbook.sheetnames == ["Inventory", "How to fill in", "lists"]
    assert [sheet.sheet_state for sheet in workbook.worksheets] == ["visible", "visible", "hidden"]
    guidance = " ".join(str(c.value) for row in workbook["How to fill in"].iter_rows() for c in row)
    for words in ("unit of work", "times per year", "minutes", "Interviewee", "interview"):
        assert words in guidance
    assert "Only Department / Process / Task are required" in guidance
    assert "“Category” may be left blank" in guidance, "it is inferred"
    assert "Daily / Weekly / Monthly / Quarterly / Semiannual / Yearly / Ad hoc" in guidance
    assert "0.5 for a person who shares" in guidance
    assert "“Working days per year”: for daily work only" in guidance and "365" in guidance
    assert "“Annual hours”: only if you know" in guidance and "“Monthly hours”" in guidance
    assert "within 5%" in guidance and "%%" not in guidance
    lines = [row[0].value for row in workbook["How to fill in"].iter_rows(min_row=3)]
    assert "“Occurrences (lowest)”, “Occurrences (highest)”" in guidance, "the range columns"
    assert "the range widens the estimate of the saving" in guidance
    assert [line.split(".")[0] for line in lines] == [str(n) for n in range(1, 12)], "in order"


def test_template_guidance_names_the_japanese_columns() -> None:
    guidance = open_workbook(template_workbook("ja")).worksheets[1]
    text = " ".join(str(cell.value) for row in guidance.iter_rows() for cell in row)
    assert "部署 / 業務 / 作業" in text
    assert "ヒアリング先" in text
    with translation.override("ja"):
        for key in ("days_per_year", "annual_hours"):
            assert f"「{COLUMNS_BY_KEY[key].label}」" in text
        assert str(pgettext("frequency", "Semiannual")) in text


def test_template_marks_required_columns_without_changing_their_text() -> None:
    sheet = open_workbook(template_workbook("ja")).worksheets[0]
    fills = {cell.value: cell.fill.fgColor.rgb for cell in sheet[1]}
    required = {fills[label] for label in ("部署", "業務", "作業")}
    optional = {fills[label] for label in ("業務区分", "内容", "頻度", "備考")}
    assert len(required) == 1 and len(optional) == 1 and required != optional
    assert all(cell.font.bold for cell in sheet[1])


def test_template_headers_carry_notes_with_allowed_values_and_ranges() -> None:
    sheet = open_workbook(template_workbook("ja")).worksheets[0]
    notes = {cell.value: cell.comment.text for cell in sheet[1]}
    assert all(notes.values())
    assert "人事・労務" in notes["業務区分"] and "その他" in notes["業務区分"]
    assert "0" in notes["所要時間(分)"] and "10,000,000" in notes["所要時間(分)"]
    assert "1" in notes["専門性"] and "5" in notes["専門性"]
    assert "不定期" in notes["回数"], "the column's help text, in Japanese"
    with translation.override("ja"):
        assert notes["部署"].startswith(gettext("Required."))
        assert notes["内容"].startswith(gettext("Optional."))


def test_template_notes_explain_the_new_columns() -> None:
    sheet = open_workbook(template_workbook("en")).worksheets[0]
    notes = {cell.value: cell.comment.text for cell in sheet[1]}
    assert "0.5 for a person shared" in notes["People"]
    assert "A number from 0.01 to 100,000." in notes["People"]
    assert "365 for work done every day" in notes["Working days per year"]
    assert "A whole number from 1 to 366." in notes["Working days per year"]
    assert "instead of frequency × minutes × people" in notes["Annual hours"]
    assert "Semiannual" in notes["Frequency"]


def validations(sheet: Worksheet) -> dict[str, Any]:
    """Data validations keyed by the header of the column they cover."""
    headers = {cell.column_letter: cell.value for cell in sheet[1]}
    found = {}
    for rule in sheet.data_validations.dataValidation:
        letter = re.match(r"[A-Z]+", str(rule.sqref)).group()
        found[headers[letter]] = rule
    return found


def list_values(workbook: openpyxl.Workbook, formula: str) -> list[str]:
    sheet_name, cells = formula.lstrip("=").split("!")
    return [row[0].value for row in workbook[sheet_name.strip("'")][cells.replace("$", "")]]


@pytest.mark.parametrize("language", ["ja", "en"])
def test_template_offers_dropdowns_for_every_enumerated_column(language: str) -> None:
    workbook = open_workbook(template_workbook(language))
    rules = validations(workbook.worksheets[0])
    with translation.override(language):
        for column in FILE_COLUMNS:
            if column.choices is None:
                continue
            rule = rules[str(column.label)]
            assert rule.type == "list"
            assert re.fullmatch(r"(?P<col>[A-Z]+)2:(?P=col)5001", str(rule.sqref))
            assert list_values(workbook, rule.formula1) == [
                str(label) for label in column.choices.labels
            ]


def test_template_checks_numbers_against_the_column_bounds() -> None:
    rules = validations(open_workbook(template_workbook("en")).worksheets[0])
    minutes, expertise = rules["Minutes per occurrence"], rules["Expertise"]
    assert (minutes.type, float(minutes.formula1), float(minutes.formula2)) == (
        "decimal",
        0,
        10_000_000,
    ), "a year-end closing of 4,800 minutes is real work: only what the database holds"
    people, days, stated = (
        rules[name] for name in ("People", "Working days per year", "Annual hours")
    )
    assert (people.type, float(people.formula1), float(people.formula2)) == (
        "decimal",
        0.01,
        100_000,
    ), "0.5 of a person is allowed"
    assert (days.type, int(days.formula1), int(days.formula2)) == ("whole", 1, 366)
    assert (stated.type, float(stated.formula1)) == ("decimal", 0)
    assert (expertise.type, float(expertise.formula1), float(expertise.formula2)) == (
        "whole",
        1,
        5,
    )
    assert "Department" not in rules, "free text has no validation"


def test_blank_template_is_refused_as_having_no_tasks() -> None:
    with translation.override("en"):
        try:
            problems = read(template_workbook("en"), "template.xlsx").refusal()
        except ImportRejected as rejected:
            problems = rejected.problems
    assert any("no tasks" in str(problem) for problem in problems), problems


@pytest.mark.parametrize("language", ["ja", "en"])
def test_template_filled_in_from_its_dropdowns_imports(language: str) -> None:
    workbook = open_workbook(template_workbook(language))
    sheet = workbook.worksheets[0]
    with translation.override(language):
        category = str(COLUMNS_BY_KEY["category"].choices("accounting").label)
        frequency = str(COLUMNS_BY_KEY["frequency"].choices("daily").label)
    sheet.append(["経理部", "支払", "振込処理", category, "", frequency, 3, 20])
    buffer = io.BytesIO()
    workbook.save(buffer)
    reading = read(buffer.getvalue(), "filled.xlsx")
    assert reading.ready and reading.sheet == workbook.worksheets[0].title
    [row] = reading.rows
    assert (row["category"], row["frequency"]) == ("accounting", "daily")
    assert (row["occurrences"], row["minutes"], row["people"]) == (3, 20, 1)


# --- the export ------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["ja", "en"])
def test_export_round_trips_through_the_importer(varied: Assessment, language: str) -> None:
    reading = read(export_workbook(varied, language), "x.xlsx")
    assert reading.ready, [str(problem) for problem in reading.refusal()]
    expected = task_values(varied)
    # Formula-like text is neutralised in the file; the importer removes that apostrophe again.
    # The export states each task's annual hours; they agree with the parts, so the parts are
    # kept and no stated hours come back (annual_hours None, as stored).
    assert without_source_row(reading.rows) == expected
    assert [row["source_row"] for row in reading.rows] == [2, 3, 4, 5]
    assert reading.ignored_headers == [], "derived columns are recognised and skipped"
    assert not reading.assembled.disagreements and not reading.questions
    assert reading.provided >= {"department", "category", "minutes", "annual_hours", "answers"}


def test_export_round_trip_is_stable_after_the_first_trip(varied: Assessment) -> None:
    first = read(export_workbook(varied, "ja"), "x.xlsx")
    copy = Assessment.objects.create(organisation=varied.organisation, name="Copy")
    copy.import_tasks(
        first.rows, filename="x.xlsx", sha256=first.sha256, user=None, provided=first.provided
    )
    second = read(export_workbook(copy, "en"), "y.xlsx")
    assert second.rows == first.rows, "no second apostrophe, nothing drifts"


def test_reimporting_the_export_changes_nothing(varied: Assessment) -> None:
    """Export → import into the same assessment: every task matches itself, nothing to add,
    update or remove, and the ids stay."""
    before = list(varied.tasks.order_by("position").values("pk", *KEYS, "answers"))
    reading = read(export_workbook(varied, "en"), "x.xlsx")
    record = varied.import_tasks(
        reading.rows,
        filename="x.xlsx",
        sha256=reading.sha256,
        user=None,
        replace=True,
        provided=reading.provided,
    )
    assert (record.added, record.changed, record.removed) == (0, 0, 0)
    assert list(varied.tasks.order_by("position").values("pk", *KEYS, "answers")) == before


def test_stated_hours_that_agree_with_the_parts_keep_the_parts_and_others_are_asked(
    varied: Assessment,
) -> None:
    """SPEC 4.2: the export's hours agree with the parts (within 5%): the parts are kept. Edit
    the minutes in Excel and they no longer agree: the import asks, and keeps what is chosen."""
    workbook = openpyxl.load_workbook(io.BytesIO(export_workbook(varied, "en")))
    sheet = workbook.worksheets[0]
    minutes = KEYS.index("minutes") + 1
    assert sheet.cell(4, KEYS.index("annual_hours") + 1).value == 240  # 伝票入力, daily
    sheet.cell(4, minutes).value = 31  # 248 hours: within 5% of the stated 240
    sheet.cell(2, minutes).value = 120  # 勤怠集計: 180 hours against the stated 135.38
    buffer = io.BytesIO()
    workbook.save(buffer)
    reading = read(buffer.getvalue(), "edited.xlsx")
    assert not reading.ready
    [disagreement] = reading.assembled.disagreements
    assert (disagreement.row, disagreement.stated, disagreement.computed) == (
        2,
        Decimal("135.38"),
        Decimal("180.00"),
    )
    daily = next(row for row in reading.rows if row["task"] == "伝票入力")
    assert (daily["minutes"], daily["annual_hours"]) == (31, None), "agreeing: the parts"
    for prefer, expected in (("computed", (120, None)), ("stated", (None, Decimal("135.38")))):
        decided = read(buffer.getvalue(), "edited.xlsx", Decisions(prefer_rows={"2": prefer}))
        assert decided.ready
        [row] = [row for row in decided.rows if row["task"] == "勤怠集計"]
        assert (row["minutes"], row["annual_hours"]) == expected


@pytest.mark.parametrize("language", ["ja", "en"])
def test_export_writes_labels_numbers_and_blanks(varied: Assessment, language: str) -> None:
    sheet = open_workbook(export_workbook(varied, language)).worksheets[0]
    with translation.override(language):
        headers = [str(column.label) for column in FILE_COLUMNS]
        headers += [str(label) for _key, label in DERIVED_COLUMNS]
        hr_label = str(COLUMNS_BY_KEY["category"].choices("hr").label)
    assert header_row(sheet) == headers
    full, minimal = (dict(zip(KEYS, (c.value for c in row), strict=False)) for row in sheet[2:3])
    assert full["category"] == hr_label
    assert full["minutes"] == 90.25 and full["people"] == 3
    assert minimal["description"] is None and minimal["minutes"] is None
    assert minimal["occurrences"] == 1, "the default occurrences is a real value"
    last = get_column_letter(len(FILE_COLUMNS) + len(DERIVED_COLUMNS))
    assert sheet.auto_filter.ref == f"A1:{last}{1 + 4}"
    assert sheet.freeze_panes is not None


def derived_cells(sheet: Worksheet, row: int) -> dict[str, Any]:
    start = len(FILE_COLUMNS) + 1
    cells = [sheet.cell(row, start + offset) for offset in range(len(DERIVED_COLUMNS))]
    return {key: cell for (key, _label), cell in zip(DERIVED_COLUMNS, cells, strict=True)}


@pytest.mark.parametrize("language", ["ja", "en"])
def test_export_derived_columns(varied: Assessment, language: str) -> None:
    sheet = open_workbook(export_workbook(varied, language)).worksheets[0]
    with translation.override(language):
        yes, no = pgettext("boolean", "Yes"), pgettext("boolean", "No")
    # Daily, 2 times × 30 minutes × 1 person, 240 working days, 3,000 yen/hour.
    daily = derived_cells(sheet, 4)
    assert daily["annual_occurrences"].value == 480
    assert daily["fte"].value == 0.125
    assert daily["annual_cost"].value == 720_000
    assert daily["single_person_dependency"].value == no
    assert daily["fte"].number_format == "0.00"
    assert daily["annual_cost"].number_format == "#,##0"
    full = derived_cells(sheet, 2)
    assert full["single_person_dependency"].value == yes
    assert full["annual_cost"].value == pytest.approx(2.5 * 12 * 90.25 * 3 / 60 * 4500)
    minimal = derived_cells(sheet, 3)
    assert [cell.value for cell in minimal.values()] == [None] * len(DERIVED_COLUMNS)


def test_export_writes_each_tasks_hours_in_the_annual_hours_column(varied: Assessment) -> None:
    """Not a derived column any more: the input column, where a re-import finds them agreeing
    with the parts (within 5%) and keeps the parts."""
    sheet = open_workbook(export_workbook(varied, "en")).worksheets[0]
    assert "Annual hours" not in [str(label) for _key, label in DERIVED_COLUMNS]
    assert header_row(sheet).count("Annual hours") == 1
    column = KEYS.index("annual_hours") + 1
    full, minimal, daily, ad_hoc = (sheet.cell(row, column) for row in range(2, 6))
    # 2.5 × 12 × 90.25 min × 3 people / 60 = 135.375 h, to 2 decimals, half up.
    assert (full.value, full.data_type) == (135.38, "n")
    assert minimal.value is None, "no minutes: no hours, rather than 0"
    assert daily.value == 240  # 2 × 30 min × 240 days
    assert ad_hoc.value == 5  # 10 × 30 min a year
    assert daily.number_format == "General", "as people write it: 240, not 240.00"


def test_export_keeps_the_templates_dropdowns(varied: Assessment) -> None:
    workbook = open_workbook(export_workbook(varied, "ja"))
    rules = validations(workbook.worksheets[0])
    assert list_values(workbook, rules["頻度"].formula1)[0] == "毎日"
    assert rules["所要時間(分)"].type == "decimal"


def test_export_never_writes_formulas(varied: Assessment) -> None:
    sheet = open_workbook(export_workbook(varied, "en")).worksheets[0]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert sheet["C5"].value == "'=cmd|' /C calc'!A0"


def test_export_reads_the_tasks_in_one_query(
    varied: Assessment, django_assert_max_num_queries: Any
) -> None:
    Task.objects.bulk_create(
        build_task(varied, position=10 + n, department="D", process="P", task=f"T{n}")
        for n in range(50)
    )
    assessment = Assessment.objects.select_related("organisation").get(pk=varied.pk)
    with django_assert_max_num_queries(1):
        export_workbook(assessment, "ja")


# --- the results CSV -------------------------------------------------------------------------


def results(assessment: Assessment) -> tuple[list[str], list[dict[str, str]]]:
    stream = io.StringIO(newline="")
    write_results_csv(assessment, stream)
    reader = csv.DictReader(io.StringIO(stream.getvalue(), newline=""))
    return list(reader.fieldnames or []), list(reader)


RESULT_KEYS = ["suitability", "verdict", "model", "runner_up", "pilot", "reasons", "warnings"]


def test_results_csv_columns_and_values(varied: Assessment) -> None:
    header, rows = results(varied)
    assert header == [
        *("row", "department", "process", "task", "annual_hours", "fte", "annual_cost"),
        "category",  # SPEC 6.2: as given or inferred
        *RESULT_KEYS,
    ]
    assert [row["row"] for row in rows] == ["2", "3", "4", "5"]
    # Never checked (no pinned versions): the check's columns are empty.
    assert rows[2] == {
        "row": "4",
        "department": "経理部",
        "process": "日次処理",
        "task": "伝票入力",
        "annual_hours": "240.00",
        "fte": "0.125",
        "annual_cost": "720000",
        "category": "accounting",
        **dict.fromkeys(RESULT_KEYS, ""),
    }
    # No minutes: nothing can be computed, so the cells are empty rather than 0.
    assert (rows[1]["annual_hours"], rows[1]["fte"], rows[1]["annual_cost"]) == ("", "", "")


def test_results_csv_neutralises_formula_like_text(varied: Assessment) -> None:
    _header, rows = results(varied)
    assert rows[3]["task"] == "'=cmd|' /C calc'!A0"
    assert all(not value.startswith(("=", "+", "-", "@")) for row in rows for value in row.values())


# A borderline accounting task (C3 yes, C10 partly, C7 partly: 55.56) that goes to BPO with a pilot.
BORDERLINE_ANSWERS = dict(
    zip(
        [f"C{n}" for n in range(1, 11)],
        ["no", "no", "yes", "no", "no", "no", "partly", "no", "no", "partly"],
        strict=True,
    )
)


def test_results_csv_model_is_the_override_and_the_pilot_follows_it(varied: Assessment) -> None:
    varied.checklist_version = ChecklistVersion.objects.latest_published()
    varied.rule_version = RuleTableVersion.objects.latest_published()
    varied.save()
    varied.tasks.update(answers=BORDERLINE_ANSWERS)
    varied.recompute_results()
    _header, computed = results(varied)
    assert [(r["verdict"], r["model"], r["pilot"]) for r in computed] == [
        ("borderline", "in_house", "false"),  # much tacit knowledge: keep it (rule 2)
        ("borderline", "bpo", "true"),
        ("borderline", "bpo", "true"),
        ("borderline", "bpo", "true"),
    ]
    daily = varied.tasks.get(task="伝票入力")
    Override.objects.create(task=daily, model="in_house", justification="Closing needs it")
    Override.objects.create(task=varied.tasks.get(process="受付"), model="ito", justification="x")
    _header, overridden = results(varied)
    assert [(r["model"], r["pilot"]) for r in overridden] == [
        ("in_house", "false"),
        ("ito", "true"),  # another outsourced model: still partial first
        ("in_house", "false"),  # nothing to pilot once kept in-house
        ("bpo", "true"),
    ]
    assert overridden[2]["runner_up"] == computed[2]["runner_up"]


def test_results_csv_reads_tasks_results_and_overrides_in_one_query(
    varied: Assessment, django_assert_num_queries: Any
) -> None:
    varied.checklist_version = ChecklistVersion.objects.latest_published()
    varied.rule_version = RuleTableVersion.objects.latest_published()
    varied.save()
    varied.recompute_results()
    Override.objects.create(task=varied.tasks.first(), model="bpo", justification="x")
    assessment = Assessment.objects.select_related("organisation").get(pk=varied.pk)
    with django_assert_num_queries(1):
        results(assessment)


def test_results_csv_rounds_half_up(db) -> None:
    organisation = Organisation.objects.create(name="Rounding Co")
    assessment = Assessment.objects.create(organisation=organisation, name="Rounding")
    # Once a year, 7.5 minutes: 0.125 hours; at 4 yen/hour, 0.5 yen.
    make_task(
        assessment,
        department="D",
        process="P",
        task="T",
        category="other",
        frequency="yearly",
        minutes=Decimal("7.5"),
        hourly_cost=4,
    )
    _header, [row] = results(assessment)
    assert (row["row"], row["annual_hours"], row["fte"], row["annual_cost"]) == (
        "",
        "0.13",
        "0.000",
        "1",
    )


@pytest.mark.parametrize("language", ["ja", "en"])
def test_check_answers_survive_export_and_reimport(varied: Assessment, language: str) -> None:
    task = varied.tasks.order_by("position").first()
    task.answers = {"C1": "no", "C2": "partly", "C10": "unknown"}
    task.save()
    (row, *_rest) = read(export_workbook(varied, language), "x.xlsx").rows
    assert row["answers"] == {"C1": "no", "C2": "partly", "C10": "unknown"}
