"""The Excel export (SPEC 4.8) with its results and summary sheets, downloaded in the browser and
written by `manage.py assess --xlsx`; and the neutralising of formula-like cells in every CSV and
Excel export (SPEC 5.2)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlsxwriter
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from openpyxl.worksheet.worksheet import Worksheet

from assessments.domain.columns import DERIVED_COLUMNS, FILE_COLUMNS
from assessments.files.reading import read
from assessments.models import Assessment, Task
from assessments.reporting.spreadsheets import (
    EXCEL_CELL_LIMIT,
    RESULT_SHEET_COLUMNS,
    SUMMARY_COLUMNS,
    export_workbook,
    write_cell,
    write_results_csv,
)
from outsourcing_advisor.accounts.models import Organisation, Profile
from tests.assessments.files import csv_bytes
from tests.factories import NON_CORE, build_task, make_task

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples"
INVENTORY = SAMPLES / "inventory_sample_ja.csv"
EVALUATIONS = SAMPLES / "vendor_evaluations_sample.csv"

FORMULAS = ['=HYPERLINK("http://x")', "-1+2", "@SUM(A1)", "+81 3 1234", "\tTab", "\rReturn"]
JUSTIFICATION = (
    "-顧客との関係上、社内に残す。\n"
    + "理由の詳細: 取引先ごとの例外処理が多く、判断を伴う。" * 150
    + "\n最後の行まで省略しない。"
)


def result_keys() -> list[str]:
    return [column.key for column in RESULT_SHEET_COLUMNS]


@pytest.fixture
def checked(company_a: Organisation, consultant: Any) -> Assessment:
    """Three checked tasks: payroll (BPO, overridden to in-house with a long justification),
    reception (BPO) and a task without minutes (no hours); all answered non-core."""
    assessment = Assessment.objects.start(organisation=company_a, name="Export")
    common = {
        "category": "hr",
        "continuity": "ongoing",
        "direct_instruction": "no",
        "judgment": "low",
        "requirement_changes": "low",
        "tacit_knowledge": "low",
        "confidentiality": "internal",
        "expertise": 2,
        "answers": NON_CORE,
    }
    rows = [
        ("人事部", "給与計算", "勤怠集計", "monthly", Decimal(120), 2, 1),
        ("総務部", "受付", "来客対応", "daily", Decimal(15), 1, 3),
        ("人事部", "採用", "面接調整", "", None, 1, None),
    ]
    for position, (department, process, task, frequency, minutes, people, able) in enumerate(rows):
        make_task(
            assessment,
            position=position,
            source_row=position + 2,
            department=department,
            process=process,
            task=task,
            frequency=frequency,
            minutes=minutes,
            people=people,
            people_able=able,
            **common,
        )
    assessment.recompute_results()
    payroll = assessment.tasks.get(task="勤怠集計")
    payroll.set_override("in_house", JUSTIFICATION, consultant)
    assessment.recompute_results([payroll])
    return Assessment.objects.select_related("organisation").get(pk=assessment.pk)


def open_workbook(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def headers(sheet: Worksheet) -> list[Any]:
    return [cell.value for cell in sheet[1]]


def records(sheet: Worksheet, keys: list[str]) -> list[dict[str, Any]]:
    """The data rows as dictionaries by key (values as the cells hold them)."""
    return [
        dict(zip(keys, (cell.value for cell in row), strict=False))
        for row in sheet.iter_rows(min_row=2)
    ]


def cells(sheet: Worksheet, keys: list[str]) -> list[dict[str, Any]]:
    return [dict(zip(keys, row, strict=False)) for row in sheet.iter_rows(min_row=2)]


# --- the workbook ----------------------------------------------------------------------------


def test_sheets_inventory_first_then_results_summary_and_guidance(checked: Assessment) -> None:
    workbook = open_workbook(export_workbook(checked, "ja"))
    with translation.override("ja"):
        expected = [gettext(name) for name in ("Inventory", "Results", "Summary")]
        expected += [gettext("How to fill in"), "lists"]
    assert workbook.sheetnames == expected
    assert workbook.sheetnames[0] == "業務棚卸し"
    assert [sheet.sheet_state for sheet in workbook.worksheets][:4] == ["visible"] * 4


def test_results_and_summary_are_formatted(checked: Assessment) -> None:
    workbook = open_workbook(export_workbook(checked, "ja"))
    results, summary = workbook.worksheets[1], workbook.worksheets[2]
    # Frozen header (and department, process, task), filters over the whole table.
    assert results.freeze_panes == "D2"
    assert results.auto_filter.ref == f"A1:U{1 + 3}"
    assert len(RESULT_SHEET_COLUMNS) == 21
    assert summary.freeze_panes == "C2"
    assert summary.auto_filter.ref == f"A1:H{summary.max_row}"
    assert all(cell.font.b for cell in results[1])
    assert results.print_title_rows == "$1:$1"
    # Widths: Japanese text counts double; long text wraps in a wide column.
    row = cells(results, result_keys())[0]
    assert results.column_dimensions["C"].width >= 2 * len("勤怠集計")
    assert row["reasons"].alignment.wrap_text
    assert row["justification"].alignment.wrap_text
    assert results.column_dimensions[row["reasons"].column_letter].width == pytest.approx(60, abs=1)
    assert row["annual_hours"].number_format == "#,##0.0"
    assert row["fte"].number_format == "0.00"
    assert row["annual_cost"].number_format == "#,##0"
    assert row["suitability"].number_format == "0.0"
    assert row["annual_hours"].data_type == "n"


def test_headers_are_japanese_by_default_and_english_on_request(checked: Assessment) -> None:
    ja = open_workbook(export_workbook(checked, "ja")).worksheets[1]
    assert headers(ja)[:4] == ["部署", "業務", "作業", "業務区分"]
    assert {
        "年間工数（時間）",  # full-width in Japanese (QA 21)
        "判定",
        "推奨区分",
        "採用する委託形態",
        "上書きの理由",
    } <= set(headers(ja))
    ja_row = records(ja, result_keys())[0]
    assert (ja_row["verdict"], ja_row["model"], ja_row["pilot"]) == ("ノンコア", "内製", "いいえ")

    en = open_workbook(export_workbook(checked, "en"))
    assert en.sheetnames[:3] == ["Inventory", "Results", "Summary"]
    results = en.worksheets[1]
    assert headers(results)[:4] == ["Department", "Process", "Task", "Category"]
    assert {"Verdict", "Recommended model", "Model to use", "Justification", "Warnings"} <= set(
        headers(results)
    )
    en_row = records(results, result_keys())[0]
    assert en_row["verdict"] == "Non-core"
    assert en_row["reasons"].startswith("Suitability 69.4 is at or above")
    assert headers(en.worksheets[2])[:3] == ["Breakdown", "Item", "Tasks"]


def test_results_have_each_tasks_verdict_recommendation_and_override(
    checked: Assessment, consultant: Any
) -> None:
    sheet = open_workbook(export_workbook(checked, "en")).worksheets[1]
    payroll, reception, no_minutes = records(sheet, result_keys())
    assert (payroll["department"], payroll["process"], payroll["task"]) == (
        "人事部",
        "給与計算",
        "勤怠集計",
    )
    assert payroll["category"] == "HR and labour"
    assert payroll["suitability"] == pytest.approx(69.44)
    assert payroll["recommended_model"] == "BPO", "the computed recommendation stays"
    assert payroll["override"] == "In-house"
    assert payroll["override_author"] == consultant.get_username()
    assert payroll["model"] == "In-house", "the model to use is the override"
    assert payroll["single_person_dependency"] == "Yes"
    assert "Only one person can do it" in payroll["warnings"]
    assert "Only one person can do it" not in (reception["warnings"] or "")
    assert reception["model"] == reception["recommended_model"] == "BPO"
    assert reception["override"] is reception["justification"] is None
    assert reception["single_person_dependency"] == "No"
    assert "Answers that moved the score: C3 Yes (+5.6)" in reception["reasons"]
    # No minutes: no figures, rather than zeros; never checked would say so in the reasons.
    assert no_minutes["annual_hours"] is no_minutes["annual_cost"] is None
    assert no_minutes["single_person_dependency"] is None


def test_an_overrides_justification_appears_in_full(checked: Assessment) -> None:
    for language in ("ja", "en"):
        sheet = open_workbook(export_workbook(checked, language)).worksheets[1]
        payroll = records(sheet, result_keys())[0]
        # Neutralised (it starts with "-"), otherwise every character and line break.
        assert payroll["justification"] == "'" + JUSTIFICATION
        assert len(JUSTIFICATION) > 3000


def test_text_beyond_an_excel_cell_is_cut_visibly(checked: Assessment, consultant: Any) -> None:
    task = checked.tasks.get(task="来客対応")
    task.set_override("in_house", "あ" * (EXCEL_CELL_LIMIT + 10), consultant)
    sheet = open_workbook(export_workbook(checked, "en")).worksheets[1]
    text = records(sheet, result_keys())[1]["justification"]
    assert len(text) == EXCEL_CELL_LIMIT
    assert text.startswith("ああ") and text.endswith("at most 32,767 characters)")


def test_derived_figures_equal_the_inventorys(checked: Assessment) -> None:
    workbook = open_workbook(export_workbook(checked, "ja"))
    inventory_sheet, results, summary = workbook.worksheets[:3]
    derived_keys = [key for key, _label in DERIVED_COLUMNS]
    start = len(FILE_COLUMNS)
    for number, row in enumerate(records(results, result_keys()), start=2):
        on_inventory = [
            inventory_sheet.cell(number, start + 1 + offset).value
            for offset in range(len(derived_keys))
        ]
        assert [row[key] for key in derived_keys] == on_inventory
        assert row["task"] == inventory_sheet.cell(number, 3).value, "same order"
    # 1 × 120 min × 2 people × 12 months = 48 h; 15 min × 240 days = 60 h.
    assert [row["annual_hours"] for row in records(results, result_keys())] == [48, 60, None]
    keys = [column.key for column in SUMMARY_COLUMNS]
    total, *groups = records(summary, keys)
    assert (total["tasks"], total["annual_hours"], total["annual_cost"]) == (3, 108, 324_000)
    assert total["share"] == 1
    assert total["single_person_dependencies"] == 1
    by_department = [(g["item"], g["tasks"], g["annual_hours"]) for g in groups[:2]]
    assert by_department == [("総務部", 1, 60), ("人事部", 2, 48)], "most hours first"
    by_model = {
        g["item"]: g["annual_hours"] for g in groups if g["breakdown"] == "採用する委託形態"
    }
    assert by_model == {"BPO": 60, "内製": 48}
    by_verdict = {g["item"]: g["tasks"] for g in groups if g["breakdown"] == "判定"}
    assert by_verdict == {"ノンコア": 3}


@pytest.fixture
def new_fields(company_a: Organisation) -> Assessment:
    """A reception desk open every day of the year by half a person, a task known only by its
    stated hours, one whose stated hours win over its parts, and a semiannual one."""
    assessment = Assessment.objects.create(organisation=company_a, name="New fields")
    common = {"department": "総務部", "process": "受付", "category": "general_affairs"}
    rows = [
        ("来客対応", {"frequency": "daily", "minutes": Decimal(30), "people": Decimal("0.5")}),
        ("電話対応", {"annual_hours": Decimal("1234.56")}),
        ("郵便仕分け", {"frequency": "monthly", "minutes": Decimal(60), "annual_hours": 13}),
        ("備品棚卸し", {"frequency": "semiannual", "minutes": Decimal(240), "people": 2}),
    ]
    for position, (task, values) in enumerate(rows):
        make_task(assessment, position=position, task=task, **common, **values)
    assessment.tasks.filter(task="来客対応").update(days_per_year=365)
    return Assessment.objects.select_related("organisation").get(pk=assessment.pk)


def test_fractional_people_days_per_year_and_stated_hours_are_written(
    new_fields: Assessment,
) -> None:
    workbook = open_workbook(export_workbook(new_fields, "en"))
    keys = [column.key for column in FILE_COLUMNS]
    reception, phone, post, stock = records(workbook.worksheets[0], keys)
    with translation.override("en"):
        labels = [str(column.label) for column in FILE_COLUMNS]
    assert {"People", "Working days per year", "Annual hours"} <= set(labels)
    assert headers(workbook.worksheets[0])[: len(labels)] == labels
    # 365 days × 30 min × 0.5 people = 91.25 h, written in the input column, not derived.
    assert (reception["people"], reception["days_per_year"]) == (0.5, 365)
    assert reception["annual_hours"] == 91.25
    assert phone["annual_hours"] == 1234.56, "stated hours alone, exactly"
    assert phone["frequency"] is phone["minutes"] is phone["days_per_year"] is None
    assert (post["annual_hours"], post["minutes"]) == (13, 60), "stated hours win over the parts"
    assert (stock["frequency"], stock["annual_hours"]) == ("Semiannual", 16)  # 2 × 4 h × 2
    assert "Annual hours" not in headers(workbook.worksheets[0])[len(labels) :]

    results = records(workbook.worksheets[1], result_keys())
    assert [row["annual_hours"] for row in results] == [91.25, 1234.56, 13, 16]
    assert [row["annual_occurrences"] for row in results] == [365, None, 12, 2]
    summary = records(workbook.worksheets[2], [column.key for column in SUMMARY_COLUMNS])
    assert summary[0]["annual_hours"] == pytest.approx(91.25 + 1234.56 + 13 + 16)


def test_the_results_csv_keeps_its_columns_and_uses_stated_hours(new_fields: Assessment) -> None:
    stream = io.StringIO(newline="")
    write_results_csv(new_fields, stream)
    rows = list(csv.DictReader(io.StringIO(stream.getvalue(), newline="")))
    assert list(rows[0])[:7] == [
        *("row", "department", "process", "task", "annual_hours", "fte", "annual_cost"),
    ]
    assert [row["annual_hours"] for row in rows] == ["91.25", "1234.56", "13.00", "16.00"]


def test_an_unchecked_task_says_so(db: Any) -> None:
    organisation = Organisation.objects.create(name="Unchecked Co")
    assessment = Assessment.objects.create(organisation=organisation, name="Never checked")
    make_task(assessment, department="D", process="P", task="T")
    workbook = open_workbook(export_workbook(assessment, "en"))
    row = records(workbook.worksheets[1], result_keys())[0]
    assert row["reasons"] == "Not checked yet."
    assert row["verdict"] is row["model"] is row["pilot"] is None
    keys = [column.key for column in SUMMARY_COLUMNS]
    verdicts = [
        r["item"] for r in records(workbook.worksheets[2], keys) if r["breakdown"] == "Verdict"
    ]
    assert verdicts == ["Not checked"]


def test_the_export_still_round_trips_through_the_importer(checked: Assessment) -> None:
    parsed = read(export_workbook(checked, "ja"), "inventory.xlsx")
    assert parsed.ready
    assert [row["task"] for row in parsed.rows] == ["勤怠集計", "来客対応", "面接調整"]
    assert parsed.ignored_headers == []


def test_the_export_reads_a_constant_number_of_queries(
    checked: Assessment, consultant: Any, django_assert_max_num_queries: Any
) -> None:
    Task.objects.bulk_create(
        build_task(checked, position=10 + n, department="D", process="P", task=f"T{n}")
        for n in range(50)
    )
    checked.recompute_results()
    for task in checked.tasks.filter(department="D")[:10]:
        task.set_override("kpo", "x", consultant)
    assessment = Assessment.objects.select_related("organisation").get(pk=checked.pk)
    # The tasks with results, overrides, authors and packages; the checklist and rule-table
    # versions of the results; their questions and rules.
    with django_assert_max_num_queries(5):
        export_workbook(assessment, "ja")


# --- neutralising ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "data_type", "expected"),
    [
        ('=HYPERLINK("http://x")', "s", '\'=HYPERLINK("http://x")'),
        ("-1+2", "s", "'-1+2"),
        ("@SUM(A1)", "s", "'@SUM(A1)"),
        ("+81 3", "s", "'+81 3"),
        ("\tx", "s", "'\tx"),
        ("\rx", "s", "'\rx"),
        ("-5", "s", "'-5"),  # text that looks like a number is still text
        # What a Japanese IME types, DDE's pipes, and an invisible character in front (issue 13).
        ("＝SUM(A1)", "s", "'＝SUM(A1)"),
        ("＋1", "s", "'＋1"),
        ("－1", "s", "'－1"),
        ("＠SUM(A1)", "s", "'＠SUM(A1)"),
        ('|cmd /c calc"!A1', "s", "'|cmd /c calc\"!A1"),
        (";x", "s", "';x"),
        ("\u200b=1+1", "s", "'\u200b=1+1"),
        ("\ufeff@x", "s", "'\ufeff@x"),
        ("給与計算", "s", "給与計算"),
        ("a=b", "s", "a=b"),
        (-5, "n", -5),
        (Decimal("-1.5"), "n", -1.5),
        (0, "n", 0),
        (True, "s", "Yes"),
        (None, "n", None),
        ("", "n", None),
    ],
)
def test_write_cell_neutralises_text_and_keeps_numbers(
    value: Any, data_type: str, expected: Any
) -> None:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    with translation.override("en"):
        write_cell(workbook.add_worksheet(), 0, 0, value)
    workbook.close()
    cell = open_workbook(buffer.getvalue()).worksheets[0]["A1"]
    if isinstance(cell.value, str):  # openpyxl leaves the file's escape of a carriage return
        cell.value = cell.value.replace("_x000D_", "\r")
    assert (cell.data_type, cell.value) == (data_type, expected)


def named_like_formulas(assessment: Assessment) -> None:
    for task, name in zip(assessment.tasks.order_by("position"), FORMULAS, strict=False):
        task.task = name
        task.save()
    assessment.tasks.filter(task="@SUM(A1)").update(department="=1+1")


def test_formula_like_names_are_neutralised_in_every_sheet(checked: Assessment) -> None:
    named_like_formulas(checked)
    workbook = open_workbook(export_workbook(checked, "en"))
    every_cell = [
        cell
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]
    assert all(cell.data_type != "f" for cell in every_cell)
    texts = [cell.value for cell in every_cell if isinstance(cell.value, str)]
    assert not [text for text in texts if text.startswith(("=", "+", "-", "@", "\t", "\r"))]
    results = records(workbook.worksheets[1], result_keys())
    assert [row["task"] for row in results] == ['\'=HYPERLINK("http://x")', "'-1+2", "'@SUM(A1)"]
    summary = records(workbook.worksheets[2], [column.key for column in SUMMARY_COLUMNS])
    assert "'=1+1" in [row["item"] for row in summary]
    # Numbers stay numbers.
    assert all(isinstance(row["annual_hours"], int | float) for row in results[:2])


def test_formula_like_names_are_neutralised_in_the_results_csv(checked: Assessment) -> None:
    named_like_formulas(checked)
    stream = io.StringIO(newline="")
    write_results_csv(checked, stream)
    rows = list(csv.DictReader(io.StringIO(stream.getvalue(), newline="")))
    assert [row["task"] for row in rows] == ['\'=HYPERLINK("http://x")', "'-1+2", "'@SUM(A1)"]
    assert rows[2]["department"] == "'=1+1"
    assert rows[0]["annual_cost"] == "144000", "numbers are written as they are"


# --- in the browser --------------------------------------------------------------------------


def test_a_viewer_downloads_the_export_in_the_users_language(
    viewer_client: Any, viewer: Any, assessment: Assessment
) -> None:
    url = reverse("export_xlsx", args=[assessment.pk])
    response = viewer_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="inventory-' in response["Content-Disposition"]
    workbook = open_workbook(response.content)
    assert workbook.sheetnames[:3] == ["Inventory", "Results", "Summary"]
    tasks = [row["task"] for row in records(workbook.worksheets[1], result_keys())]
    assert tasks == ["Collect timesheets", "Greet visitors"]

    Profile.objects.filter(user=viewer).update(language="ja")
    japanese = open_workbook(viewer_client.get(url).content)
    assert japanese.sheetnames[0] == "業務棚卸し"
    assert headers(japanese.worksheets[1])[:3] == ["部署", "業務", "作業"]


# --- manage.py assess --xlsx -----------------------------------------------------------------


def run(*args: str) -> tuple[str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("assess", *args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def test_assess_writes_the_same_workbook(tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    run(str(INVENTORY), "--xlsx", str(out))
    workbook = openpyxl.load_workbook(out)
    assert workbook.sheetnames[0] == "業務棚卸し", "Japanese by default"
    assessment = Assessment.objects.select_related("organisation").get()
    expected = open_workbook(export_workbook(assessment, "ja"))
    assert workbook.sheetnames == expected.sheetnames
    for written, downloaded in zip(workbook.worksheets, expected.worksheets, strict=True):
        assert list(written.values) == list(downloaded.values)
    assert workbook.worksheets[1].max_row == 1 + assessment.tasks.count()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out.xlsx"], "no temporary left"

    english = tmp_path / "en.xlsx"
    run(str(INVENTORY), "--xlsx", str(english), "--lang", "en")
    assert openpyxl.load_workbook(english).sheetnames[:3] == ["Inventory", "Results", "Summary"]


def test_assess_writes_nothing_for_a_bad_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([["部署", "業務", "作業", "業務区分"], ["人事部", "", "", "宇宙"]]))
    out, kept = tmp_path / "out.xlsx", tmp_path / "kept.xlsx"
    kept.write_bytes(b"previous")
    for target in (out, kept):
        with pytest.raises(CommandError):
            call_command(
                "assess",
                str(bad),
                "--xlsx",
                str(target),
                stdout=io.StringIO(),
                stderr=io.StringIO(),
            )
    assert not out.exists()
    assert kept.read_bytes() == b"previous"
    assert Assessment.objects.count() == 0
    assert sorted(path.name for path in tmp_path.iterdir()) == ["bad.csv", "kept.xlsx"]


def test_assess_refuses_the_same_file_for_two_outputs(tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    with pytest.raises(CommandError, match="--csv and --xlsx name the same file"):
        call_command(
            "assess", str(INVENTORY), "--csv", str(out), "--xlsx", str(out), "--lang", "en"
        )
    assert Assessment.objects.count() == 0


def test_every_output_neutralises_formula_like_names(tmp_path: Path) -> None:
    """Tasks and vendors named like formulas, through the command: the workbook, the results CSV
    and the ranking CSV; a negative saving stays a number."""
    with INVENTORY.open(encoding="utf-8-sig", newline="") as stream:
        inventory = list(csv.reader(stream))
    for row, name in zip(inventory[1:4], FORMULAS, strict=False):
        row[2] = name
    source = tmp_path / "inventory.csv"
    source.write_bytes(csv_bytes(inventory))

    with EVALUATIONS.open(encoding="utf-8-sig", newline="") as stream:
        evaluations = list(csv.reader(stream))
    vendor, fee = evaluations[0].index("ベンダー"), evaluations[0].index("月額費用(円)")
    renamed = {
        "株式会社みらいアウトソーシング": FORMULAS[0],
        "株式会社さくらビジネスサービス": FORMULAS[1],
        "株式会社ネクストオペレーションズ": FORMULAS[2],
    }
    for row in evaluations[1:]:
        if row[vendor] == "株式会社ネクストオペレーションズ":
            row[fee] = "99000000"  # far dearer than doing it in-house: a negative saving
        row[vendor] = renamed.get(row[vendor], row[vendor])
    vendors = tmp_path / "vendors.csv"
    vendors.write_bytes(csv_bytes(evaluations))

    xlsx, results, ranking = (tmp_path / name for name in ("o.xlsx", "r.csv", "k.csv"))
    run(
        str(source),
        *("--vendors", str(vendors), "--xlsx", str(xlsx)),
        *("--csv", str(results), "--ranking", str(ranking)),
    )

    neutralised = ['\'=HYPERLINK("http://x")', "'-1+2", "'@SUM(A1)"]
    workbook = openpyxl.load_workbook(xlsx)
    for sheet in workbook.worksheets[:2]:
        assert [sheet.cell(row, 3).value for row in (2, 3, 4)] == neutralised
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    with results.open(encoding="utf-8", newline="") as stream:
        assert [row["task"] for row in csv.DictReader(stream)][:3] == neutralised
    with ranking.open(encoding="utf-8", newline="") as stream:
        lines = list(csv.DictReader(stream))
    assert {line["vendor"] for line in lines} >= set(neutralised)
    assert not [line for line in lines if line["vendor"].startswith(("=", "-", "@", "+"))]
    dear = next(line for line in lines if line["vendor"] == "'@SUM(A1)")
    assert dear["annual_saving"].startswith("-") and int(dear["annual_saving"]) < 0


def test_text_a_spreadsheet_could_run_round_trips_exactly(checked: Assessment) -> None:
    """Neutralised on the way out (full-width signs, pipes, an invisible character in front),
    read back as typed (notes: free text, kept as written; names are normalised)."""
    notes = ["＝SUM(A1)", "|cmd", "\u200b=1+1"]
    for task, note in zip(checked.tasks.order_by("position"), notes, strict=True):
        task.notes = note
        task.save()
    workbook = open_workbook(export_workbook(checked, "en"))
    texts = [cell.value for row in workbook.worksheets[0].iter_rows(min_row=2) for cell in row]
    assert {"'＝SUM(A1)", "'|cmd", "'\u200b=1+1"} <= set(texts)
    parsed = read(export_workbook(checked, "en"), "inventory.xlsx")
    assert [row["notes"] for row in parsed.rows] == notes
