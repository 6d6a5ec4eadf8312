"""The words people write in inventory sheets (SPEC 4.2.1): table tests of files/words.py."""

import datetime
from decimal import Decimal as D

import pytest

from assessments.files import words


@pytest.mark.parametrize(
    ("text", "key", "unit", "period"),
    [
        ("部署", "department", None, None),
        ("部署名", "department", None, None),
        ("所属", "department", None, None),
        ("Department", "department", None, None),
        ("業務", "process", None, None),
        ("中分類", "process", None, None),
        ("大分類", words.MAJOR_PROCESS, None, None),
        ("小分類", "task", None, None),
        ("作業名", "task", None, None),
        ("業務区分", "category", None, None),
        ("頻度", "frequency", None, None),
        ("発生頻度", "frequency", None, None),
        ("回数", "occurrences", None, None),
        ("件数（月）", "occurrences", None, words.MONTHLY),
        ("月間件数", "occurrences", None, words.MONTHLY),
        ("年間回数", "occurrences", None, words.YEARLY),
        ("件数 通常期", "occurrences", None, None),
        ("繁忙期", "occurrences_high", None, None),
        ("閑散期", "occurrences_low", None, None),
        ("件数 繁忙期", "occurrences_high", None, None),
        ("月間件数 閑散期", "occurrences_low", None, words.MONTHLY),
        ("回数(最小)", "occurrences_low", None, None),
        ("回数（最大）", "occurrences_high", None, None),
        ("最小件数", "occurrences_low", None, None),
        ("最大件数(月)", "occurrences_high", None, words.MONTHLY),
        ("件数 最小", "occurrences_low", None, None),
        ("Occurrences (max)", "occurrences_high", None, None),
        ("occurrences_low", "occurrences_low", None, None),
        ("Occurrences (highest)", "occurrences_high", None, None),
        ("所要時間(最小)", "minutes_low", None, None),
        ("所要時間・最大(分)", "minutes_high", words.MINUTE, None),
        ("所要時間(分) 最長", "minutes_high", words.MINUTE, None),
        ("最短時間", "minutes_low", None, None),
        ("最長時間(h)", "minutes_high", words.HOUR, None),
        ("minutes_low", "minutes_low", words.MINUTE, None),
        ("Minutes (highest)", "minutes_high", words.MINUTE, None),
        ("平均所要時間", "minutes", None, None),
        ("所要時間 通常期", "minutes", None, None),
        ("所要時間(min)", "minutes", words.MINUTE, None),
        ("所要時間(分)", "minutes", words.MINUTE, None),
        ("所要時間（分）", "minutes", words.MINUTE, None),
        ("所要時間", "minutes", None, None),
        ("所要時間(h)", "minutes", words.HOUR, None),
        ("所要時間(H)", "minutes", words.HOUR, None),
        ("作業時間（時間）", "minutes", words.HOUR, None),
        ("リードタイム(秒)", "minutes", words.SECOND, None),
        ("1回あたりの所要時間", "minutes", None, None),
        ("1件あたり処理時間(分)", "minutes", words.MINUTE, None),
        ("時間/回", "minutes", None, None),
        ("Minutes per occurrence", "minutes", words.MINUTE, None),
        ("minutes", "minutes", words.MINUTE, None),
        ("人数", "people", None, None),
        ("人数(人)", "people", None, None),
        ("稼働日数", "days_per_year", None, None),
        ("年間時間", "annual_hours", words.HOUR, None),
        ("年間工数(h)", "annual_hours", words.HOUR, None),
        ("月間時間", "monthly_hours", words.HOUR, None),
        ("月間作業時間（時間）", "monthly_hours", words.HOUR, None),
        ("工数(h)", words.STATED_HOURS, words.HOUR, None),
        ("時間単価(円)", "hourly_cost", None, None),
        ("難易度", "expertise", None, None),
        ("マニュアル有無", "manual", None, None),
        ("担当者", words.PERSON, None, None),
        ("No.", words.ROW_NUMBER, None, None),
        ("FTE", words.DERIVED, None, None),
        ("C3", "c3", None, None),
        ("備考", "notes", None, None),
        ("士業", "licensed_work", None, None),
        ("必要資格", "licensed_work", None, None),
        ("常駐", "on_site", None, None),
        ("常駐の有無", "on_site", None, None),
    ],
)
def test_headers_people_write(text, key, unit, period):
    found = words.header(text)
    assert found is not None
    assert (found.key, found.unit, found.period) == (key, unit, period)


@pytest.mark.parametrize(
    "text",
    ["", "2026年度 業務棚卸し調査票", "記入者：山田", "合計", "x", "最大", "通常業務", "最高"],
)
def test_titles_and_words_are_not_headers(text):
    assert words.header(text) is None


@pytest.mark.parametrize(
    ("text", "key", "occurrences"),
    [
        ("月次", "monthly", None),
        ("毎月", "monthly", None),
        ("月1回", "monthly", D(1)),
        ("毎月末", "monthly", None),
        ("日次", "daily", None),
        ("毎日", "daily", None),
        ("デイリー", "daily", None),
        ("週次", "weekly", None),
        ("毎週", "weekly", None),
        ("週2回", "weekly", D(2)),
        ("週２回", "weekly", D(2)),
        ("週二回", "weekly", D(2)),
        ("月3回", "monthly", D(3)),
        ("年4回", "yearly", D(4)),
        ("1日5回", "daily", D(5)),
        ("隔週", "weekly", D("0.5")),
        ("2週に1回", "weekly", D("0.5")),
        ("3ヶ月に1回", "quarterly", D(1)),
        ("半年に1回", None, None),
        ("四半期", "quarterly", None),
        ("半期", "semiannual", None),
        ("年次", "yearly", None),
        ("年1回", "yearly", D(1)),
        ("随時", "ad_hoc", None),
        ("都度", "ad_hoc", None),
        ("不定期", "ad_hoc", None),
        ("スポット", "ad_hoc", None),
        ("Monthly", "monthly", None),
        ("ad hoc", "ad_hoc", None),
        ("月末締め後", None, None),
    ],
)
def test_frequencies_as_people_write_them(text, key, occurrences):
    found = words.frequency(text)
    if key is None:
        assert found is None
    else:
        assert found == words.Frequency(key, occurrences)


@pytest.mark.parametrize(
    ("key", "text", "value"),
    [
        ("manual", "○", "yes"),
        ("manual", "◯", "yes"),
        ("manual", "×", "no"),
        ("manual", "✕", "no"),
        ("manual", "あり", "yes"),
        ("manual", "無し", "no"),
        ("manual", "有り", "yes"),
        ("manual", "Y", "yes"),
        ("manual", "FALSE", "no"),
        ("manual", "✓", "yes"),
        ("manual", "有", "yes"),
        ("manual", "△", None),
        ("standardizable", "△", "partly"),
        ("standardizable", "○", "yes"),
        ("standardizable", "可", "yes"),
        ("standardizable", "一部", "partly"),
        ("standardizable", "不可", "no"),
        ("direct_instruction", "要", "yes"),
        ("direct_instruction", "不要", "no"),
        ("seasonality", "大", "high"),
        ("seasonality", "高", "high"),
        ("seasonality", "中", "medium"),
        ("seasonality", "小", "low"),
        ("judgment", "多", "high"),
        ("judgment", "少", "low"),
        ("tacit_knowledge", "低", "low"),
        ("confidentiality", "社外秘", "internal"),
        ("confidentiality", "極秘", "confidential"),
        ("confidentiality", "機密", "confidential"),
        ("confidentiality", "要配慮個人情報", "personal"),
        ("confidentiality", "特定個人情報", "personal"),
        ("confidentiality", "個人情報", "personal"),
        ("confidentiality", "公開", "public"),
        ("continuity", "定常", "ongoing"),
        ("continuity", "単発", "one_off"),
        ("category", "人事・労務", "hr"),
        ("category", "HR", "hr"),
        ("licensed_work", "社労士", "sharoushi"),
        ("licensed_work", "社会保険労務士", "sharoushi"),
        ("licensed_work", "税理士", "zeirishi"),
        ("licensed_work", "弁護士", "bengoshi"),
        ("licensed_work", "司法書士", "shiho_shoshi"),
        ("licensed_work", "行政書士", "gyosei_shoshi"),
        ("licensed_work", "なし", ""),
        ("licensed_work", "×", ""),
        ("licensed_work", "弁理士", None),
        ("on_site", "常駐", "yes"),
        ("on_site", "○", "yes"),
        ("on_site", "はい", "yes"),
        ("on_site", "×", "no"),
        ("on_site", "いいえ", "no"),
        ("on_site", "非常駐", "no"),
        ("c1", "はい", "yes"),
        ("c1", "○", "yes"),
        ("c1", "不明", "unknown"),
        ("c1", "△", "partly"),
    ],
)
def test_values_as_people_write_them(key, text, value):
    assert words.enum_value(key, text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("120", D(120)),
        ("１２０", D(120)),
        ("1,200", D(1200)),
        ("2名", D(2)),
        ("150件", D(150)),
        ("0.5人", D("0.5")),
        ("3,200円", D(3200)),
        ("¥3,200", D(3200)),
        ("約30", D(30)),
        ("1,5", None),
        ("二", None),
        ("abc", None),
    ],
)
def test_numbers_as_people_write_them(text, value):
    assert words.number(text) == value


@pytest.mark.parametrize(
    ("cell", "minutes", "unit_given"),
    [
        ("30分", D(30), True),
        ("1.5時間", D(90), True),
        ("2時間30分", D(150), True),
        ("0:45", D(45), True),
        ("1:30:30", D("90.5"), True),
        ("90min", D(90), True),
        ("1.5h", D(90), True),
        ("30秒", D("0.5"), True),
        ("1日", D(480), True),
        ("約30分", D(30), True),
        ("30", D(30), False),
        (30, D(30), False),
        (1.5, D("1.5"), False),
        (datetime.time(0, 45), D(45), True),
        (datetime.timedelta(hours=26), D(1560), True),
        (datetime.datetime(1899, 12, 31, 2, 0), D(1560), True),
        ("よく分からない", None, None),
        (True, None, None),
        (datetime.date(2026, 4, 1), None, None),
    ],
)
def test_durations_as_people_write_them(cell, minutes, unit_given):
    found = words.duration(cell)
    if minutes is None:
        assert found is None
    else:
        assert found == words.Duration(minutes, unit_given)


@pytest.mark.parametrize(
    ("cells", "department"),
    [
        (["部署名：人事部"], "人事部"),
        (["部署名: 人事部　"], "人事部"),
        (["所属", "経理部"], "経理部"),
        (["記入者：山田", "部署：総務部"], "総務部"),
        (["2026年度 業務棚卸し"], None),
        (["部署", "業務", "作業"], None),
    ],
)
def test_the_department_in_a_title_block(cells, department):
    assert words.title_department(cells) == department
