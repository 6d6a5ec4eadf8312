"""Reading the sheets people keep, step by step (SPEC 4.2.1): where the table is, which rows are
tasks, what the columns and cells mean, and the tasks they make. Table tests over sheets built
as python-calamine gives them (files/workbook.py turns bytes into these)."""

from __future__ import annotations

import datetime
from decimal import Decimal as D
from typing import Any

import pytest
from django.utils import translation

from assessments.domain import inventory
from assessments.files import words
from assessments.files.clean import Skip
from assessments.files.decisions import Decisions
from assessments.files.reading import Reading, read_book
from assessments.files.workbook import RawSheet, Workbook

HEADER = ["部署", "業務", "作業", "頻度", "回数", "所要時間(分)", "人数"]


def sheet(rows: list[list[Any]], *, name: str = "棚卸し", origin=(1, 0), **facts) -> RawSheet:
    return RawSheet(
        name=name, visible=facts.pop("visible", True), origin=origin, rows=rows, **facts
    )


def read(*sheets: RawSheet, decisions: Decisions | None = None, **org) -> Reading:
    return read_book(
        Workbook("xlsx", tuple(sheets)), "棚卸し.xlsx", decisions, inventory.OrgSettings(**org)
    )


def hours(reading: Reading) -> dict[tuple[str, str, str], D]:
    org = inventory.OrgSettings()
    found = {}
    for row in reading.rows:
        volume = inventory.Volume(
            frequency=row["frequency"],
            occurrences=row["occurrences"],
            minutes=row["minutes"],
            people=row["people"],
            days_per_year=row["days_per_year"],
            stated_hours=row["annual_hours"],
        )
        derived = inventory.derive(volume, org)
        found[row["department"], row["process"], row["task"]] = (
            derived.annual_hours.quantize(D("0.01")) if derived.annual_hours is not None else None
        )
    return found


# --- where the table is ----------------------------------------------------------------------


def test_title_rows_author_block_and_a_margin():
    """The table starts at B5 under a title and an author/date block."""
    rows = [
        ["2026年度 業務棚卸し調査票", "", "", "", "", "", ""],
        ["記入者：山田花子", "", "記入日：2026/10/01", "", "", "", ""],
        ["", "", "", "", "", "", ""],
        HEADER,
        ["人事部", "給与計算", "勤怠集計", "月次", 1, 120, 2],
    ]
    reading = read(sheet(rows, origin=(2, 1)))
    assert (reading.sheet, reading.header_rows, reading.columns[0].letter) == ("棚卸し", (5,), "B")
    assert hours(reading) == {("人事部", "給与計算", "勤怠集計"): D(48)}
    assert reading.rows[0]["source_row"] == 6


def test_cover_and_instructions_sheets_and_a_hidden_master_come_first():
    cover = sheet([["業務棚卸し", ""], ["株式会社さくら商事", ""]], name="表紙")
    guide = sheet([["記入要領"], ["部署：部署名を記入"], ["頻度：月次など"]], name="記入要領")
    master = sheet([["頻度", "業務区分"], ["月次", "人事"]], name="選択肢", visible=False)
    data = sheet([HEADER, ["総務部", "受付", "来客対応", "日次", 10, 5, 1]], name="調査票")
    reading = read(master, cover, guide, data)
    assert reading.sheet == "調査票"
    assert hours(reading) == {("総務部", "受付", "来客対応"): D(200)}


def test_two_header_rows_major_middle_minor_and_busy_quiet_counts():
    rows = [
        ["部署", "業務分類", "", "", "頻度", "件数", "", "", "所要時間(分)"],
        ["", "大分類", "中分類", "小分類", "", "通常期", "繁忙期", "閑散期", ""],
        ["経理部", "財務会計", "月次決算", "仕訳入力", "月次", 200, 300, 150, 3],
    ]
    merged = ((1, 1, 1, 3), (1, 5, 1, 7), (1, 0, 2, 0))
    reading = read(sheet(rows, merged=merged))
    assert reading.header_rows == (1, 2)
    assert [c.key for c in reading.columns] == [
        "department",
        words.MAJOR_PROCESS,
        "process",
        "task",
        "frequency",
        "occurrences",
        "occurrences_high",
        "occurrences_low",
        "minutes",
    ]
    # 200 × 12 × 3 / 60: the normal period's count; the busy and quiet ones are its range.
    assert hours(reading) == {("経理部", "月次決算", "仕訳入力"): D(120)}
    assert (reading.rows[0]["occurrences_low"], reading.rows[0]["occurrences_high"]) == (150, 300)


def test_a_table_whose_header_is_beyond_thirty_rows_is_not_found():
    rows = [[""] * 3 for _ in range(30)] + [["部署", "業務", "作業"], ["人事部", "給与", "集計"]]
    with pytest.raises(Exception, match="header row"):
        read(sheet(rows))


# --- rows that are not tasks ----------------------------------------------------------------


def test_rows_that_are_not_tasks_are_skipped_with_the_reason():
    rows = [
        HEADER,
        ["例）人事部", "給与計算", "勤怠データの集計", "月次", 1, 60, 1],
        ["■ 給与関連", "", "", "", "", "", ""],
        ["人事部", "給与計算", "勤怠集計", "月次", 1, 120, 1],
        ["", "", "", "", "", "", ""],
        ["人事部", "給与計算", "振込データ作成", "月次", 1, 60, 1],
        ["小計", "", "", "", "", 180, ""],
        HEADER,
        ["人事部", "採用", "面接調整", "週次", 2, 30, 1],
        ["人事部", "採用", "求人票更新（廃止）", "月次", 1, 30, 1],
        ["合計", "", "", "", "", 240, ""],
        ["", "", "", "", "", "=SUM", ""],
    ]
    reading = read(sheet(rows, hidden_rows=frozenset({10}), subtotal_rows=frozenset({12})))
    assert [(s.row, s.reason) for s in reading.skipped] == [
        (2, Skip.EXAMPLE),
        (3, Skip.HEADING),
        (5, Skip.BLANK),
        (7, Skip.SUBTOTAL),
        (8, Skip.HEADER),
        (10, Skip.HIDDEN),
        (11, Skip.SUBTOTAL),
        (12, Skip.SUBTOTAL),
    ]
    assert {task for _d, _p, task in hours(reading)} == {"勤怠集計", "振込データ作成", "面接調整"}


def test_a_task_named_like_a_total_is_still_a_task():
    rows = [HEADER, ["経理部", "決算", "合計残高試算表の作成", "月次", 1, 60, 1]]
    assert len(read(sheet(rows)).rows) == 1


def test_merged_department_cells_and_the_fill_down_habit():
    rows = [
        HEADER,
        ["人事部", "給与計算", "勤怠集計", "月次", 1, 120, 1],
        ["", "", "振込データ作成", "月次", 1, 60, 1],
        ["", "社会保険", "算定基礎届", "年次", 1, 600, 1],
        ["経理部", "決算", "仕訳入力", "月次", 1, 300, 1],
        ["", "", "残高照合", "月次", 1, 120, 1],
    ]
    reading = read(sheet(rows, merged=((2, 0, 4, 0),)))
    assert list(hours(reading)) == [
        ("人事部", "給与計算", "勤怠集計"),
        ("人事部", "給与計算", "振込データ作成"),
        ("人事部", "社会保険", "算定基礎届"),
        ("経理部", "決算", "仕訳入力"),
        ("経理部", "決算", "残高照合"),
    ]
    assert reading.filled_down == {"department": 3, "process": 2}


def test_a_department_written_as_a_heading_names_the_rows_below():
    rows = [
        HEADER,
        ["【人事部】", "", "", "", "", "", ""],
        ["", "給与計算", "勤怠集計", "月次", 1, 120, 1],
    ]
    assert list(hours(read(sheet(rows)))) == [("人事部", "給与計算", "勤怠集計")]


def test_a_formula_without_a_saved_value_names_its_cell():
    rows = [HEADER, ["人事部", "給与", "集計", "月次", 1, "", 1]]
    reading = read(sheet(rows, uncached=frozenset({(2, 5)})))
    with translation.override("en"):
        problems = [str(p) for p in reading.problems]
    assert problems == [
        "Row 2, column F (所要時間(分)): The cell F2 holds a formula whose result was not saved "
        "with the file. Open the file in Excel, let it calculate, save it and upload it again."
    ]


# --- units -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "cells", "expected"),
    [
        # monthly: the annual hours are 12 × the duration in hours
        ("所要時間(h)", [1.5, 0.5], [D(18), D(6)]),
        ("作業時間（時間）", [2, 8], [D(24), D(96)]),
        ("リードタイム(秒)", [90, 3600], [D("0.3"), D(12)]),
        ("所要時間", ["30分", "1.5時間"], [D(6), D(18)]),
        ("所要時間", ["2時間30分", "0:45"], [D(30), D(9)]),
        ("所要時間", [datetime.time(0, 45), datetime.timedelta(hours=26)], [D(9), D(312)]),
        ("所要時間", [30, 120], [D(6), D(24)]),  # plainly minutes
    ],
)
def test_durations_with_units_in_the_header_or_the_cell(header, cells, expected):
    rows = [["部署", "業務", "作業", "頻度", header]] + [
        ["人事部", "給与", f"作業{i}", "月次", cell] for i, cell in enumerate(cells)
    ]
    reading = read(sheet(rows))
    assert reading.ready
    assert list(hours(reading).values()) == expected


def test_a_duration_column_without_unit_holding_hours_is_asked_about():
    rows = [["部署", "業務", "作業", "頻度", "所要時間"]] + [
        ["人事部", "給与", f"作業{i}", "月次", value] for i, value in enumerate([0.5, 1.5, 2, 8])
    ]
    reading = read(sheet(rows))
    assert [(q.kind, q.header, q.samples) for q in reading.questions] == [
        ("unit", "E (所要時間)", ("0.5", "1.5", "2", "8"))
    ]
    assert not reading.ready
    decided = read(sheet(rows), decisions=Decisions(units={"所要時間": words.HOUR}))
    assert decided.ready
    assert sum(hours(decided).values()) == D(144)  # 12 × (0.5 + 1.5 + 2 + 8)


def test_a_year_end_closing_and_a_call_centre_are_real_work():
    rows = [
        HEADER,
        ["経理部", "決算", "年度末決算", "年次", 1, 4800, 1],
        ["CS部", "コールセンター", "電話受付", "日次", 2000, 6, 1],
    ]
    reading = read(sheet(rows))
    assert reading.ready
    assert list(hours(reading).values()) == [D(80), D(48000)]


# --- words -----------------------------------------------------------------------------------


def test_frequencies_yes_no_and_levels_as_people_write_them():
    rows = [
        ["部署", "業務", "作業", "頻度", "所要時間(分)", "人数", "マニュアル", "標準化", "繁閑差"],
        ["人事部", "採用", "面接調整", "週2回", 30, "0.5人", "○", "△", "大"],
        ["人事部", "給与", "振込", "毎月末", 60, "2名", "×", "可", "小"],
    ]
    reading = read(sheet(rows))
    assert reading.ready
    first, second = reading.rows
    assert (first["frequency"], first["occurrences"], first["people"]) == ("weekly", D(2), D("0.5"))
    assert (first["manual"], first["standardizable"], first["seasonality"]) == (
        "yes",
        "partly",
        "high",
    )
    assert (second["frequency"], second["people"], second["manual"]) == ("monthly", D(2), "no")


def test_an_unknown_word_is_asked_once_then_mapped():
    rows = [["部署", "業務", "作業", "頻度", "所要時間(分)"]] + [
        ["人事部", "給与", f"作業{i}", "締め後", 30] for i in range(3)
    ]
    reading = read(sheet(rows))
    assert [(q.kind, q.key, q.value, q.rows) for q in reading.questions] == [
        ("value", "frequency", "締め後", (2, 3, 4))
    ]
    decided = read(sheet(rows), decisions=Decisions(values={"frequency": {"締め後": "monthly"}}))
    assert decided.ready
    assert {row["frequency"] for row in decided.rows} == {"monthly"}


# --- stated hours -----------------------------------------------------------------------------


def test_stated_hours_alone_agreeing_or_disagreeing_with_the_parts():
    rows = [
        ["部署", "業務", "作業", "頻度", "所要時間(分)", "年間時間", "月間時間"],
        ["経理部", "決算", "予算策定", "", "", 300, ""],  # stated only
        ["経理部", "決算", "月次報告", "", "", "", 10],  # monthly × 12
        ["経理部", "決算", "仕訳", "月次", 60, 12.3, ""],  # within 5% of 12: parts kept
        ["経理部", "決算", "照合", "月次", 60, 20, ""],  # disagree
    ]
    reading = read(sheet(rows))
    assert [(d.row, d.stated, d.computed) for d in reading.assembled.disagreements] == [
        (5, D(20), D(12))
    ]
    assert not reading.ready
    stated = read(sheet(rows), decisions=Decisions(prefer="stated"))
    assert list(hours(stated).values()) == [D(300), D(120), D(12), D(20)]
    computed = read(sheet(rows), decisions=Decisions(prefer_rows={"5": "computed"}))
    assert list(hours(computed).values()) == [D(300), D(120), D(12), D(12)]


def test_days_per_year_for_work_every_day():
    rows = [
        ["部署", "業務", "作業", "頻度", "所要時間(分)", "稼働日数"],
        ["総務部", "警備", "巡回記録", "日次", 30, 365],
        ["総務部", "受付", "来客対応", "日次", 30, ""],
    ]
    assert list(hours(read(sheet(rows))).values()) == [D("182.5"), D(120)]


# --- names, people, categories -----------------------------------------------------------------


def test_names_are_normalised_and_similar_departments_offered_for_merging():
    rows = [
        ["部署", "業務", "作業", "頻度", "所要時間(分)"],
        ["人事部　", "給与", "集計", "月次", 60],
        [" 人事部", "給与", "振込", "月次", 60],
        ["人事", "採用", "面接", "月次", 60],
        ["人事課", "労務", "勤怠", "月次", 60],
    ]
    reading = read(sheet(rows))
    assert {row["department"] for row in reading.rows} == {"人事部", "人事", "人事課"}
    assert reading.assembled.similar == [("人事", "人事課", "人事部")]
    merged = read(sheet(rows), decisions=Decisions(merge={"人事": "人事部", "人事課": "人事部"}))
    assert {row["department"] for row in merged.rows} == {"人事部"}


def test_rows_of_one_task_from_several_people_are_added_together():
    rows = [
        ["部署", "業務", "作業", "頻度", "所要時間(分)", "担当者"],
        ["経理部", "支払", "請求書チェック", "月次", 120, "佐藤"],
        ["経理部", "支払", "請求書チェック", "月次", 60, "鈴木"],
        ["経理部", "支払", "請求書チェック", "週次", 30, "高橋"],
    ]
    reading = read(sheet(rows))
    assert reading.ready
    assert [c.rows for c in reading.assembled.combined] == [(2, 3, 4)]
    # 12 × 120 + 12 × 60 + 52 × 30 minutes = 3,720 minutes = 62 hours
    assert hours(reading) == {("経理部", "支払", "請求書チェック"): D(62)}
    assert reading.rows[0]["interviewee"] == "佐藤、鈴木、高橋"


def test_rows_sharing_the_volume_add_up_their_people():
    rows = [
        ["部署", "業務", "作業", "頻度", "所要時間(分)", "担当者"],
        ["経理部", "支払", "請求書チェック", "月次", 120, "佐藤"],
        ["経理部", "支払", "請求書チェック", "月次", 60, "鈴木"],
    ]
    row = read(sheet(rows)).rows[0]
    assert (row["people"], row["minutes"], row["annual_hours"]) == (D(2), D(90), None)


@pytest.mark.parametrize(
    ("department", "process", "task", "category"),
    [
        ("人事部", "給与計算", "勤怠集計", "hr"),
        ("経理部", "月次決算", "仕訳入力", "accounting"),
        ("情報システム部", "ヘルプデスク", "パスワード再設定", "it"),
        ("総務部", "受付", "来客対応", "general_affairs"),
        ("CS部", "問い合わせ対応", "メール返信", "customer_support"),
        ("管理部", "データ入力", "伝票入力", "data_entry"),
        ("人事部", "給与計算", "勤怠データ入力", "hr"),  # the process decides first
        ("管理部", "キッティング", "PC設定", "it"),
        ("広報室", "Editing", "校正", None),  # no "it" in "editing"
    ],
)
def test_categories_are_inferred_from_the_names(department, process, task, category):
    from assessments.files.assemble import infer_category

    assert infer_category(process, task, department) == category


def test_tasks_no_word_places_are_asked_for_a_default_category():
    rows = [
        ["部署", "業務", "作業", "頻度", "所要時間(分)"],
        ["人事部", "給与", "集計", "月次", 60],
        ["広報室", "社内イベント", "会場手配", "年次", 600],
    ]
    reading = read(sheet(rows))
    assert [(q.kind, q.rows, q.samples) for q in reading.questions] == [
        ("category", (3,), ("広報室",))
    ]
    decided = read(sheet(rows), decisions=Decisions(categories={"広報室": "planning"}))
    assert [row["category"] for row in decided.rows] == ["hr", "planning"]
    assert decided.assembled.inferred == {2: "hr"}
    assert decided.assembled.defaulted == {3: "planning"}


def test_a_sheet_without_department_column_takes_it_from_the_title_block():
    rows = [
        ["部署名：人事部", "", ""],
        ["業務", "作業", "所要時間(分)", "頻度"],
        ["給与計算", "勤怠集計", 120, "月次"],
    ]
    reading = read(sheet(rows))
    assert reading.ready
    assert list(hours(reading)) == [("人事部", "給与計算", "勤怠集計")]


def test_a_sheet_without_any_department_asks_for_one():
    rows = [["業務", "作業", "所要時間(分)", "頻度"], ["給与計算", "勤怠集計", 120, "月次"]]
    reading = read(sheet(rows))
    assert [q.kind for q in reading.questions] == ["department"]
    decided = read(sheet(rows), decisions=Decisions(department="人事部"))
    assert decided.ready
    assert decided.rows[0]["department"] == "人事部"


def test_a_sheet_of_one_level_names_process_and_task_alike():
    rows = [["部署", "業務名", "頻度", "所要時間(分)"], ["総務部", "郵便物の仕分け", "日次", 15]]
    reading = read(sheet(rows))
    assert list(hours(reading)) == [("総務部", "郵便物の仕分け", "郵便物の仕分け")]


def test_a_monthly_count_becomes_the_frequency_when_none_is_given():
    rows = [
        ["部署", "業務", "作業", "月間件数", "1件あたり処理時間(分)"],
        ["経理部", "支払", "請求書処理", 150, 6],
    ]
    assert list(hours(read(sheet(rows))).values()) == [D(180)]  # 150 × 12 × 6 / 60
