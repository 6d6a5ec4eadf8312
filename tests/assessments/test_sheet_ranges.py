"""The ranges people write in their sheets (SPEC 4.2.1, 4.5): 通常期/繁忙期/閑散期 counts and
min–max columns, read into the task's lowest and highest occurrences and minutes; a range that
does not hold its usual figure is a problem naming the row and the column. Sheets built as
python-calamine gives them (files/workbook.py turns bytes into these)."""

from __future__ import annotations

import datetime
from decimal import Decimal as D
from typing import Any

import pytest
from django.utils import translation

from assessments.domain import inventory
from assessments.files import words
from assessments.files.decisions import Decisions
from assessments.files.reading import Reading, read_book
from assessments.files.workbook import RawSheet, Workbook

NAMES = ["部署", "業務", "作業", "頻度"]
FIELDS = ("occurrences", "occurrences_low", "occurrences_high")
MINUTES = ("minutes", "minutes_low", "minutes_high")


def read(rows: list[list[Any]], decisions: Decisions | None = None, **facts: Any) -> Reading:
    sheet = RawSheet(name="棚卸し", visible=True, origin=(1, 0), rows=rows, **facts)
    org = inventory.OrgSettings()
    with translation.override("en"):
        return read_book(Workbook("xlsx", (sheet,)), "棚卸し.xlsx", decisions, org)


def figures(reading: Reading, names: tuple[str, ...]) -> list[tuple[Any, ...]]:
    return [tuple(row[name] for name in names) for row in reading.rows]


def problems(reading: Reading) -> list[str]:
    with translation.override("en"):
        return [str(problem) for problem in reading.problems]


# --- counts ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param(["回数", "回数(最小)", "回数(最大)"], id="回数(最小)/回数(最大)"),
        pytest.param(["件数", "最小件数", "最大件数"], id="最小件数/最大件数"),
        pytest.param(["回数", "閑散期", "繁忙期"], id="閑散期/繁忙期-alone"),
        pytest.param(["occurrences", "occurrences_low", "occurrences_high"], id="english-keys"),
        pytest.param(
            ["Occurrences", "Occurrences (lowest)", "Occurrences (highest)"], id="our-labels"
        ),
    ],
)
def test_the_lowest_and_highest_counts_as_people_head_them(headers: list[str]) -> None:
    rows = [[*NAMES, *headers], ["経理部", "支払", "請求書処理", "月次", 100, "60件", 150]]
    reading = read(rows)
    assert reading.ready, problems(reading)
    assert figures(reading, FIELDS) == [(D(100), D(60), D(150))]


def test_counts_under_one_header_over_usual_lowest_and_highest() -> None:
    rows = [
        [*NAMES, "件数", "", "", "所要時間(分)"],
        ["", "", "", "", "通常", "最小", "最大", ""],
        ["経理部", "支払", "請求書処理", "週次", 20, 12, 35, 6],
    ]
    reading = read(rows, merged=((1, 4, 1, 6),))
    assert reading.header_rows == (1, 2)
    assert [c.key for c in reading.columns][4:7] == list(FIELDS)
    assert figures(reading, FIELDS) == [(D(20), D(12), D(35))]


def test_season_counts_a_month_are_put_per_the_frequencys_period() -> None:
    """月間件数 over 通常期/繁忙期/閑散期: a count a month of daily work is a count a day."""
    rows = [
        [*NAMES, "月間件数", "", "", "所要時間(分)"],
        ["", "", "", "", "通常期", "繁忙期", "閑散期", ""],
        ["経理部", "経費精算", "点検", "日次", 200, 320, 120, 3],
        ["経理部", "決算", "仕訳", "月次", 150, 250, 100, 4],
    ]
    reading = read(rows, merged=((1, 4, 1, 6),))
    assert reading.ready, problems(reading)
    # 200, 120, 320 a month × 12 / 240 working days; monthly work as written.
    assert figures(reading, FIELDS) == [(D(10), D(6), D(16)), (D(150), D(100), D(250))]


def test_a_mapping_saved_before_the_ranges_reads_busy_and_quiet_counts() -> None:
    """A saved mapping that named columns 繁忙期 and 閑散期 counts (their keys before ranges
    were columns) reads them as the highest and lowest."""
    rows = [
        [*NAMES, "回数", "ピーク時", "底"],
        ["経理部", "支払", "請求書処理", "月次", 100, 150, 60],
    ]
    columns = {"ピーク時": words.BUSY_OCCURRENCES, "底": words.QUIET_OCCURRENCES}
    reading = read(rows, Decisions(columns=columns))
    assert [c.key for c in reading.columns][5:] == ["occurrences_high", "occurrences_low"]
    assert figures(reading, FIELDS) == [(D(100), D(60), D(150))]


# --- minutes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "cells", "expected"),
    [
        pytest.param(
            ["所要時間(分)", "所要時間(最小)", "所要時間(最大)"],
            [30, "20分", "1.5時間"],
            (D(30), D(20), D(90)),
            id="units-in-the-cells",
        ),
        pytest.param(
            ["所要時間(分)", "最短時間", "最長時間"],
            [45, datetime.time(0, 30), datetime.timedelta(hours=2)],
            (D(45), D(30), D(120)),
            id="excel-times",
        ),
        pytest.param(
            ["所要時間(h)", "最短時間(h)", "最長時間(h)"],
            [1.5, 1, 2.5],
            (D(90), D(60), D(150)),
            id="hours-in-the-headers",
        ),
        pytest.param(
            ["所要時間(分)", "所要時間・最小(分)", "所要時間・最大(分)"],
            [60, 40, 120],
            (D(60), D(40), D(120)),
            id="our-japanese-headers",
        ),
        pytest.param(
            ["minutes", "minutes_low", "minutes_high"],
            [60, "0:45", "2時間30分"],
            (D(60), D(45), D(150)),
            id="english-keys",
        ),
    ],
)
def test_the_shortest_and_longest_times_are_durations(headers, cells, expected) -> None:
    rows = [[*NAMES, "回数", *headers], ["人事部", "給与", "集計", "月次", 1, *cells]]
    reading = read(rows)
    assert reading.ready, problems(reading)
    assert figures(reading, MINUTES) == [expected]


def test_busy_season_times_are_not_taken_for_counts() -> None:
    """件数 and 所要時間 each over 通常期/繁忙期: the busy season's count is the highest; its
    time is a column the import does not keep (the seasons are about volume), listed for the
    person to map rather than read as a count."""
    rows = [
        [*NAMES, "件数", "", "所要時間(分)", ""],
        ["", "", "", "", "通常期", "繁忙期", "通常期", "繁忙期"],
        ["経理部", "支払", "請求書処理", "月次", 100, 150, 6, 9],
    ]
    reading = read(rows, merged=((1, 4, 1, 5), (1, 6, 1, 7)))
    assert reading.header_rows == (1, 2)
    keys = [c.key for c in reading.columns][4:]
    assert keys == ["occurrences", "occurrences_high", "minutes", None]
    assert reading.ignored_headers == ["所要時間(分) 繁忙期"]
    assert figures(reading, (*FIELDS, *MINUTES)) == [(D(100), None, D(150), D(6), None, None)]


def test_a_shortest_time_without_a_unit_that_looks_like_hours_is_asked_about() -> None:
    rows = [[*NAMES, "所要時間(h)", "最短時間", "最長時間"]] + [
        ["人事部", "給与", f"作業{i}", "月次", usual, low, high]
        for i, (usual, low, high) in enumerate([(1, 0.5, 2), (2, 1.5, 3)])
    ]
    reading = read(rows)
    assert [(q.kind, q.key, q.header) for q in reading.questions] == [
        ("unit", "minutes_low", "F (最短時間)"),
        ("unit", "minutes_high", "G (最長時間)"),
    ]
    assert not reading.ready
    units = {"最短時間": words.HOUR, "最長時間": words.HOUR}
    decided = read(rows, Decisions(units=units))
    assert decided.ready
    assert figures(decided, MINUTES) == [(D(60), D(30), D(120)), (D(120), D(90), D(180))]


def test_the_times_of_several_people_are_averaged_as_their_minutes() -> None:
    rows = [
        [*NAMES, "所要時間(分)", "最短時間(分)", "最長時間(分)", "人数", "担当者"],
        ["経理部", "支払", "請求書チェック", "月次", 120, 90, 180, 1, "佐藤"],
        ["経理部", "支払", "請求書チェック", "月次", 60, 30, 60, 2, "鈴木"],
    ]
    reading = read(rows)
    assert reading.ready, problems(reading)
    # People-weighted: (120 + 2 × 60) / 3 = 80; (90 + 60) / 3 = 50; (180 + 120) / 3 = 100.
    assert figures(reading, (*MINUTES, "people")) == [(D(80), D(50), D(100), D(3))]


def test_stated_hours_kept_over_the_parts_drop_the_times_range() -> None:
    rows = [
        [*NAMES, "所要時間(分)", "最短時間(分)", "最長時間(分)", "年間時間"],
        ["経理部", "決算", "照合", "月次", 60, 30, 90, 20],  # the parts give 12 h
    ]
    reading = read(rows, Decisions(prefer="stated"))
    assert reading.ready
    assert figures(reading, (*MINUTES, "annual_hours")) == [(None, None, None, D(20))]


# --- ranges that do not hold ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "row", "expected"),
    [
        pytest.param(
            ["回数", "閑散期", "繁忙期"],
            [100, 120, 150],
            "Row 2, column F (閑散期): The lowest figure (120) is above the usual one in “回数” "
            "(100): correct one of them, so that the lowest is at most the usual.",
            id="quiet-above-usual",
        ),
        pytest.param(
            ["回数", "閑散期", "繁忙期"],
            [100, 60, 80],
            "Row 2, column G (繁忙期): The highest figure (80) is below the usual one in “回数” "
            "(100): correct one of them, so that the highest is at least the usual.",
            id="busy-below-usual",
        ),
        pytest.param(
            ["所要時間(分)", "最短時間(分)", "最長時間(分)"],
            ["", 20, 60],
            "Row 2, column F (最短時間(分)): A lowest or highest figure needs the usual one, "
            "from which the hours are computed: fill in “所要時間(分)” in this row too, or clear "
            "this cell.",
            id="times-without-the-usual-time",
        ),
        pytest.param(
            ["最小件数", "最大件数"],
            [60, 150],
            "Row 2, column E (最小件数): A lowest or highest figure needs the usual one, from "
            "which the hours are computed: fill in “Occurrences” in this row too, or clear "
            "this cell.",
            id="counts-without-a-usual-count-column",
        ),
    ],
)
def test_a_range_that_does_not_hold_is_a_problem_naming_row_and_column(header, row, expected):
    rows = [
        [*NAMES, *header],
        ["経理部", "支払", "請求書処理", "月次", *row],
        ["経理部", "支払", "振込", "月次", *([""] * len(row))],  # fine: no range
    ]
    reading = read(rows)
    assert problems(reading) == [expected]
    assert not reading.ready, "all or nothing"


def test_a_problem_quotes_the_counts_a_month_as_written() -> None:
    rows = [
        [*NAMES, "月間件数", "", "所要時間(分)"],
        ["", "", "", "", "通常期", "閑散期", ""],
        ["経理部", "経費精算", "点検", "日次", 200, 240, 3],
    ]
    assert problems(read(rows, merged=((1, 4, 1, 5),))) == [
        "Row 3, column F (月間件数 閑散期): The lowest figure (240) is above the usual one in "
        "“月間件数 通常期” (200): correct one of them, so that the lowest is at most the usual."
    ]


def test_every_row_whose_range_does_not_hold_is_reported_at_once() -> None:
    rows = [
        [*NAMES, "回数", "回数(最小)", "回数(最大)", "所要時間(分)", "所要時間(最小)"],
        ["経理部", "支払", "A", "月次", 10, 12, 8, 30, 40],
        ["経理部", "支払", "B", "月次", 10, 5, 20, 30, 20],
        ["経理部", "支払", "C", "月次", 10, 5, 20, 30, 31],
    ]
    found = problems(read(rows))
    assert [text.split(":")[0] for text in found] == [
        "Row 2, column F (回数(最小))",
        "Row 2, column G (回数(最大))",
        "Row 2, column I (所要時間(最小))",
        "Row 4, column I (所要時間(最小))",
    ]
