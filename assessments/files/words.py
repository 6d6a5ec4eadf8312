"""The words people write in inventory sheets (SPEC 4.2.1): column headers with their units,
frequencies (月次, 週2回), yes/no (○/×), levels (高/中/低), confidentiality (社外秘), durations
(「2時間30分」) and numbers with units (「2名」「3,200円」).

Pure lookups over text: each function answers what a header or a cell says, or None when it does
not know — the caller then asks the user or refuses; nothing here guesses."""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache
from typing import Any

from django.utils import translation

from assessments.domain.columns import (
    COLUMNS_BY_KEY,
    DERIVED_COLUMNS,
    DURATION_KEYS,
    FILE_COLUMNS,
    MONTHLY_HOURS,
)
from outsourcing_advisor.common.wording import language_codes

# Keys a header can mean beyond the stored columns: read to help, never stored as such.
MAJOR_PROCESS = "major_process"  # 大分類: the process when there is no 中分類; helps categories
PERSON = "person"  # 担当者: who wrote the row (per-person sheets add rows of one task together)
ROW_NUMBER = "row_number"  # No. / 項番
# Keys of busy- and quiet-season counts in mappings saved before the ranges were columns: read
# as the highest and lowest occurrences (interpret.LEGACY_KEYS).
BUSY_OCCURRENCES = "busy_occurrences"
QUIET_OCCURRENCES = "quiet_occurrences"
STATED_HOURS = "stated_hours"  # 工数(h): hours, but of which period? The user says.
DERIVED = "derived"  # a column our export writes and the import ignores (FTE, cost)
HELPER_KEYS = (MAJOR_PROCESS, PERSON, ROW_NUMBER, STATED_HOURS, DERIVED)

# Units of a duration (minutes per occurrence) or of stated hours.
MINUTE, HOUR, SECOND, DAY = "minute", "hour", "second", "day"
# Periods of stated hours and of occurrences given "per month" in a header.
MONTHLY, YEARLY = "monthly", "yearly"


@lru_cache(maxsize=65536)  # a sheet repeats its words (月次, ○) thousands of times
def fold(text: str) -> str:
    """Width, case and every space folded away: 「所要時間（分）」 = 「所要時間(分)」, ＡＢ = ab."""
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


_HEADER_PUNCTUATION = str.maketrans("", "", "_-・:")


@lru_cache(maxsize=4096)
def fold_header(text: str) -> str:
    """`fold`, and `_`, `-`, `・` and `:` dropped too: Ad hoc = ad_hoc, 部署名: = 部署名."""
    return fold(text).translate(_HEADER_PUNCTUATION)


def clean_name(text: str) -> str:
    """A name as stored: NFKC (full-width letters and digits, half-width kana), trimmed, runs of
    spaces (full-width ones included) made one."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


# --- headers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Header:
    """What a column header says: the inventory key, and the unit or period written in it."""

    key: str
    unit: str | None = None  # minute / hour / second / day, for durations and hours
    period: str | None = None  # monthly / yearly, for occurrences or hours "per month"


# Written by people, not by our template: base header (folded, unit removed) -> key.
_HEADER_WORDS: dict[str, str] = {
    "department": (
        "部署 部署名 部門 部門名 所属 所属部署 所属部門 担当部署 担当部門 部課 課 部 "
        "課名 組織 dept division"
    ),
    "process": "業務 業務名 業務項目 中分類 業務中分類 プロセス 業務プロセス 主業務",
    MAJOR_PROCESS: "大分類 業務大分類 機能 業務機能 業務領域",
    "task": ("作業 作業名 作業項目 小分類 業務小分類 タスク 作業単位 細目 業務細目 activity"),
    "category": "業務区分 区分 業務カテゴリ カテゴリ カテゴリー 業務種別 種別",
    "description": "内容 業務内容 作業内容 業務の内容 作業の内容 説明 概要 業務概要 詳細",
    "frequency": "頻度 発生頻度 実施頻度 作業頻度 業務頻度 周期 サイクル 実施周期 frequency",
    "occurrences": (
        "回数 発生回数 実施回数 作業回数 件数 処理件数 取扱件数 業務量 件数通常期 "
        "通常期 回数/期間 times"
    ),
    # Alone, the seasons are counts (件数 over 通常期/繁忙期/閑散期 reads the same: _bounded).
    "occurrences_high": "繁忙期 繁忙時",
    "occurrences_low": "閑散期 閑散時",
    "minutes": (
        "所要時間 作業時間 処理時間 対応時間 所要 時間 1回あたり時間 1回あたりの時間 "
        "1回あたり所要時間 1回あたりの所要時間 1回当たり所要時間 1回当たりの所要時間 "
        "1件あたり時間 1件あたりの時間 1件あたり処理時間 1件当たり処理時間 標準時間 "
        "標準作業時間 リードタイム 所要分 所要分数 分数 duration"
    ),
    "people": (
        "人数 担当人数 作業人数 従事人数 関与人数 人員 人員数 要員 要員数 担当者数 headcount"
    ),
    "days_per_year": "稼働日数 年間稼働日数 実施日数 年間日数 稼働日 日数",
    "annual_hours": (
        "年間時間 年間工数 年間作業時間 年間業務時間 年間業務量 年間所要時間 "
        "年間合計時間 年間総時間 業務時間年間"
    ),
    "monthly_hours": (
        "月間時間 月間工数 月間作業時間 月間業務時間 月間業務量 月間所要時間 "
        "月間合計時間 月当たり時間 月あたり時間"
    ),
    STATED_HOURS: "工数 作業工数 業務工数 合計時間 総時間",
    "hourly_cost": "時間単価 単価 人件費単価 時給 人件費/時間",
    "expertise": "専門性 難易度 難度 スキルレベル 専門度 習熟度",
    "standardizable": "標準化 標準化可否 標準化の可否 定型化 定型/非定型 定型",
    "manual": "マニュアル マニュアル有無 マニュアルの有無 手順書 手順書有無",
    "people_able": (
        "対応可能人数 対応可能者数 対応可能者 担当可能人数 代替可能人数 代替要員 "
        "代替要員数 対応できる人数"
    ),
    "seasonality": "繁閑差 繁閑 繁閑の差 季節変動 繁忙差",
    "confidentiality": "機密性 機密区分 情報区分 情報の機密性 機密度 秘密区分 取扱情報 情報種別",
    "continuity": "継続性 継続/単発 定常/非定常 業務種類 定常性",
    "deliverable_clear": "成果物明確 成果物 成果物の明確さ 成果物有無",
    "direct_instruction": "指揮命令 指揮命令の要否 指示の要否 直接指示",
    "judgment": "都度判断 判断 判断の要否 判断業務 判断の多さ",
    "requirement_changes": "要件変更 変更頻度 仕様変更",
    "tacit_knowledge": "暗黙知 ノウハウ 属人的ノウハウ",
    "licensed_work": (
        "士業 士業業務 独占業務 士業の独占業務 資格業務 必要資格 必要な資格 有資格者業務 "
        "業務独占資格"
    ),
    "on_site": "常駐 常駐有無 常駐の有無 常駐要否 客先常駐 社内常駐 オンサイト onsite",
    "interviewee": "ヒアリング先 ヒアリング対象 ヒアリング対象者 回答者",
    "notes": "備考 コメント メモ 特記事項 補足 remarks memo",
    PERSON: "担当者 担当者名 氏名 担当 記入者 作業者 実施者 person",
    ROW_NUMBER: "no no. 番号 項番 # 連番 通番 №",
}

# A unit written at the end of a header: (分), [h], 【時間】, /回 … -> unit; "人" and the like
# are dropped (they only repeat what the column is).
_UNIT_WORDS: dict[str, str | None] = {
    "分": MINUTE,
    "min": MINUTE,
    "mins": MINUTE,
    "minutes": MINUTE,
    "m": MINUTE,
    "分/回": MINUTE,
    "分/件": MINUTE,
    "時間": HOUR,
    "h": HOUR,
    "hr": HOUR,
    "hrs": HOUR,
    "hour": HOUR,
    "hours": HOUR,
    "時間/回": HOUR,
    "時間/件": HOUR,
    "h/回": HOUR,
    "秒": SECOND,
    "sec": SECOND,
    "s": SECOND,
    "秒/回": SECOND,
    "秒/件": SECOND,
    "日": DAY,
    "人日": DAY,
    "日/回": DAY,
    "人": None,
    "名": None,
    "円": None,
    "件": None,
    "回": None,
    "日/年": None,
    "1-5": None,
    "5段階": None,
}
_PERIOD_WORDS: dict[str, str] = {
    "回/月": MONTHLY,
    "件/月": MONTHLY,
    "月": MONTHLY,
    "/月": MONTHLY,
    "月間": MONTHLY,
    "回/年": YEARLY,
    "件/年": YEARLY,
    "年": YEARLY,
    "/年": YEARLY,
    "年間": YEARLY,
}
_BRACKETED = re.compile(r"^(?P<base>.+?)[(\[【<{](?P<unit>[^()\[\]【】<>{}]*)[)\]】>}]$")


def header(text: str) -> Header | None:
    """What a header means, from our template's labels (Japanese and English, and the keys) or
    the words people write; None when it is not known."""
    name = fold_header(text)
    if not name:
        return None
    known = _labels().get(name)
    if known is not None:
        return known
    bounded = _bounded(name)
    if bounded is not None:
        return bounded
    base, unit_word = _split_unit(name)
    key = _words().get(base) or _labels().get(base, Header("")).key or _compound(base)
    if not key:
        return None
    unit = _UNIT_WORDS.get(unit_word) if unit_word is not None else None
    period = _PERIOD_WORDS.get(unit_word) if unit_word is not None else None
    if key == "occurrences" and period is None:
        period = _leading_period(base)
    if key == STATED_HOURS and period is None:
        period = _leading_period(base)
        if period is not None:
            key = "annual_hours" if period == YEARLY else "monthly_hours"
    if key in ("annual_hours", "monthly_hours", STATED_HOURS) and unit is None:
        unit = HOUR  # stated hours are hours unless the header says otherwise
    return Header(key, unit, period)


# Words that make a count or a duration the lowest or highest of its range (SPEC 4.5), or say
# it is the usual figure: 回数(最小), 最大件数, 最短時間, 所要時間(分) 最長, 件数 繁忙期/通常期.
# Busy and quiet seasons are about volume: only counts take them. "min" is not among them: in
# 所要時間(min) it is the unit.
LOW, HIGH, USUAL = "low", "high", "usual"
_BOUND_WORDS: dict[str, tuple[str, bool]] = {  # folded word -> (bound, counts only)
    **{word: (LOW, False) for word in ("最小", "最小値", "最低", "最少", "下限", "最短")},
    **{word: (LOW, False) for word in ("minimum", "lowest")},
    **{word: (HIGH, False) for word in ("最大", "最大値", "最高", "最多", "上限", "最長")},
    **{word: (HIGH, False) for word in ("maximum", "highest", "max")},
    **{word: (LOW, True) for word in ("閑散期", "閑散時")},
    **{word: (HIGH, True) for word in ("繁忙期", "繁忙時")},
    **{word: (USUAL, False) for word in ("通常期", "通常時", "通常", "平常期", "平常時", "平均")},
}
_BRACKETS = (("(", ")"), ("[", "]"), ("【", "】"), ("<", ">"), ("{", "}"))
_RANGED = ("occurrences", "minutes")


def is_bound_word(text: str) -> bool:
    """「最小」「繁忙期」「通常期」: a word of a second header row that qualifies the one above."""
    return fold_header(text) in _BOUND_WORDS


def _bounded(name: str) -> Header | None:
    """A count or a duration qualified by a range word (see _BOUND_WORDS), with the unit and
    period of what is left: 所要時間・最大(分) is the highest minutes, 月間件数 閑散期 the lowest
    occurrences a month. None when no word qualifies a count or a duration."""
    for word, (bound, counts_only) in _BOUND_WORDS.items():
        if word not in name:
            continue
        for rest in _without(name, word):
            found = header(rest) if rest else None
            if found is None or found.key not in _RANGED:
                continue
            if counts_only and found.key != "occurrences":
                continue
            key = found.key if bound == USUAL else f"{found.key}_{bound}"
            return Header(key, found.unit, found.period)
    return None


def _without(name: str, word: str) -> Iterator[str]:
    """The header with the word taken out: before it, after it, in brackets, or before a unit."""
    if name.startswith(word):
        yield name[len(word) :]
    if name.endswith(word):
        yield name[: -len(word)]
    for opening, closing in _BRACKETS:
        bracketed = f"{opening}{word}{closing}"
        if bracketed in name:
            yield name.replace(bracketed, "", 1)
    match = _BRACKETED.match(name)
    if match and match["unit"] != word:
        for rest in _without(match["base"], word):
            yield f"{rest}({match['unit']})"


def _split_unit(name: str) -> tuple[str, str | None]:
    match = _BRACKETED.match(name)
    if match:
        return match["base"], match["unit"]
    for suffix in ("/回", "/件"):  # 時間/回: the time of one occurrence
        if name.endswith(suffix):
            return name[: -len(suffix)], None
    return name, None


def _leading_period(base: str) -> str | None:
    if base.startswith(("月間", "月当", "月あたり", "毎月")):
        return MONTHLY
    if base.startswith(("年間", "年当", "年あたり")):
        return YEARLY
    return None


_COMPOUNDS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), key)
    for pattern, key in (
        (r"^(年間|年)(回数|件数|発生回数|処理件数)$", "occurrences"),
        (r"^(月間|月)(回数|件数|発生回数|処理件数)$", "occurrences"),
        (r"^(1日|日)(あたり|当たり)?(回数|件数)$", "occurrences"),
        (r"^(1回|1件)(あたり|当たり)(の)?.*(時間|分)$", "minutes"),
        (r"^.*(所要|作業|処理|対応)(時間|分数)$", "minutes"),
        (r"^.*年間.*(時間|工数)$", "annual_hours"),
        (r"^.*月間.*(時間|工数)$", "monthly_hours"),
    )
)


def _compound(base: str) -> str:
    for pattern, key in _COMPOUNDS:
        if pattern.match(base):
            return key
    return ""


@cache
def _words() -> dict[str, str]:
    return {fold_header(w): key for key, text in _HEADER_WORDS.items() for w in text.split()}


@cache
def _labels() -> dict[str, Header]:
    """Our own headers: keys, Japanese and English labels (minutes' label carries its unit).
    The derived columns the export writes are recognised so they can be ignored."""
    found: dict[str, Header] = {}
    for column in (*FILE_COLUMNS, MONTHLY_HOURS):
        unit = MINUTE if column.key in DURATION_KEYS else HOUR if "hours" in column.key else None
        for name in {fold_header(column.key), *label_variants(column.label, fold_header)}:
            found[name] = Header(column.key, unit)
    for name in derived_labels():
        # 年間回数 is our export's derived column but, in a sheet people made, the count a year:
        # their meaning wins (a re-imported export reads 回数 first and skips this one).
        if name not in _words() and not _compound(name):
            found.setdefault(name, Header(DERIVED))
    return found


@cache
def derived_labels() -> frozenset[str]:
    """The headers of the columns our export derives (annual occurrences, FTE, cost…)."""
    names: set[str] = set()
    for key, label in DERIVED_COLUMNS:
        names |= {fold_header(key), *label_variants(label, fold_header)}
    return frozenset(names)


def label_variants(label: Any, fold_: Callable[[str], str] = fold_header) -> set[str]:
    """A translatable label as it reads in Japanese and in English, folded for matching."""
    names = set()
    for language in language_codes():
        with translation.override(language):
            names.add(fold_(str(label)))
    return names


# --- title blocks ----------------------------------------------------------------------------

_TITLE_FIELD = re.compile(r"^\s*(?P<label>[^:：]{1,12}?)\s*[:：]\s*(?P<value>.+?)\s*$")


def title_department(cells: Iterable[Any]) -> str | None:
    """「部署名：人事部」 (or 「部署名」 in one cell and 「人事部」 in the next) in an author/date
    block above the table: the department of every row of a sheet without a 部署 column."""
    texts = [str(cell).strip() for cell in cells if isinstance(cell, str) and cell.strip()]
    for index, text in enumerate(texts):
        match = _TITLE_FIELD.match(text)
        if match and _is_department_label(match["label"]):
            return clean_name(match["value"])
        if _is_department_label(text) and index + 1 < len(texts):
            following = texts[index + 1]
            if not _is_department_label(following) and header(following) is None:
                return clean_name(following)
    return None


def _is_department_label(text: str) -> bool:
    return _words().get(fold_header(text)) == "department" and fold_header(text) not in ("課", "部")


# --- values ----------------------------------------------------------------------------------

FREQUENCY_WORDS: dict[str, str] = {
    **dict.fromkeys(
        ("日次", "毎日", "日", "デイリー", "日毎", "日ごと", "毎営業日", "営業日", "daily"),
        "daily",
    ),
    **dict.fromkeys(("週次", "毎週", "週", "ウィークリー", "週毎", "週ごと", "weekly"), "weekly"),
    **dict.fromkeys(
        (
            "月次",
            "毎月",
            "月",
            "マンスリー",
            "月毎",
            "月ごと",
            "月末",
            "毎月末",
            "月初",
            "毎月初",
            "月中",
            "月1",
            "monthly",
        ),
        "monthly",
    ),
    **dict.fromkeys(("四半期", "四半期毎", "四半期ごと", "quarterly", "q"), "quarterly"),
    **dict.fromkeys(
        ("半期", "半期毎", "半期ごと", "半年", "半年毎", "半年ごと", "semiannual", "semiannually"),
        "semiannual",
    ),
    **dict.fromkeys(
        ("年次", "毎年", "年", "年1", "年毎", "年ごと", "年度末", "年末", "annual", "yearly"),
        "yearly",
    ),
    **dict.fromkeys(
        (
            "随時",
            "都度",
            "不定期",
            "スポット",
            "必要時",
            "発生時",
            "適宜",
            "その都度",
            "adhoc",
            "ad_hoc",
            "ad-hoc",
            "asneeded",
        ),
        "ad_hoc",
    ),
}
_PER_PERIOD = re.compile(
    r"^(?:毎|1)?(?P<period>日|週|月|年|四半期|半期)(?:に|当たり|あたり)?"
    r"(?P<times>\d+(?:\.\d+)?)(?:回|件|度)?(?:程度|くらい|ぐらい)?$"
)
_EVERY_N = re.compile(
    r"^(?P<every>\d+)(?P<period>日|週|週間|ヶ月|か月|カ月|ケ月|箇月|月|年)"
    r"(?:に|毎に|ごとに|おきに)?(?P<times>\d+(?:\.\d+)?)?(?:回|度)?$"
)
_PERIOD_KEYS = {
    "日": "daily",
    "週": "weekly",
    "月": "monthly",
    "年": "yearly",
    "四半期": "quarterly",
    "半期": "semiannual",
}


@dataclass(frozen=True)
class Frequency:
    key: str
    occurrences: Decimal | None = None  # given by the same cell (「週2回」), else None


def frequency(text: str) -> Frequency | None:
    """「月次」, 「週2回」, 「2週に1回」, 「隔月」, 「3ヶ月に1回」: the frequency and, where the
    cell says it, the occurrences per period. None when the words are not known."""
    if fold(text) in FREQUENCY_WORDS:
        return Frequency(FREQUENCY_WORDS[fold(text)])
    name = _digits(fold(text))
    if name in ("隔週", "隔月", "隔年"):
        return Frequency(_PERIOD_KEYS[name[1]], Decimal("0.5"))
    match = _PER_PERIOD.match(name)
    if match:
        return Frequency(_PERIOD_KEYS[match["period"]], Decimal(match["times"]))
    match = _EVERY_N.match(name)
    if match:
        every, times = int(match["every"]), Decimal(match["times"] or 1)
        if every == 0:
            return None
        unit = match["period"]
        if unit in ("日",):
            return Frequency("daily", times / every)
        if unit in ("週", "週間"):
            return Frequency("weekly", times / every)
        if unit == "年":
            return Frequency("yearly", times / every)
        months = {1: "monthly", 3: "quarterly", 6: "semiannual", 12: "yearly"}
        if every in months:
            return Frequency(months[every], times)
        return Frequency("monthly", times / every)
    return None


def _digits(text: str) -> str:
    """Kanji numerals people use in frequencies: 週二回, 月一回."""
    return text.translate(str.maketrans("一二三四五六七八九", "123456789"))


YES = ("○", "◯", "〇", "✓", "✔", "☑", "●", "はい", "有", "有り", "あり", "在り", "y", "yes", "true")
NO = ("×", "✕", "✖", "x", "いいえ", "無", "無し", "なし", "n", "no", "false")
# A dash says "not applicable": the cell is read as empty, whatever the column.
BLANKS = frozenset({"-", "ー", "―", "—", "–", "‐", "n/a", "該当なし", "対象外"})


def is_blank(cell: Any) -> bool:
    """Nothing written, or only a dash: the cell says nothing, whatever the column."""
    if cell is None or cell == "":
        return True
    if isinstance(cell, str):
        folded = fold(cell)
        return not folded or folded in BLANKS
    return isinstance(cell, float) and cell != cell  # NaN


PARTLY = ("△", "▲", "一部", "一部可", "一部あり", "部分的", "partly", "partial")

# column key -> folded word -> stored value. Our own labels and keys are added by `value_words`.
_VALUE_WORDS: dict[str, dict[str, str]] = {
    "standardizable": {
        **dict.fromkeys(YES, "yes"),
        **dict.fromkeys(("可", "可能", "できる", "定型", "済", "標準化済"), "yes"),
        **dict.fromkeys(NO, "no"),
        **dict.fromkeys(("不可", "不可能", "できない", "困難", "非定型"), "no"),
        **dict.fromkeys(PARTLY, "partly"),
    },
    "manual": {
        **dict.fromkeys(YES, "yes"),
        **dict.fromkeys(("整備済", "作成済", "済"), "yes"),
        **dict.fromkeys(NO, "no"),
        **dict.fromkeys(("未整備", "未作成", "未"), "no"),
    },
    "deliverable_clear": {
        **dict.fromkeys(YES, "yes"),
        **dict.fromkeys(("明確",), "yes"),
        **dict.fromkeys(NO, "no"),
        **dict.fromkeys(("不明確", "曖昧"), "no"),
    },
    "licensed_work": {
        **dict.fromkeys(("社労士", "社会保険労務士", "社労士業務"), "sharoushi"),
        **dict.fromkeys(("税理士", "税理士業務"), "zeirishi"),
        **dict.fromkeys(("弁護士", "弁護士業務"), "bengoshi"),
        **dict.fromkeys(("司法書士", "司法書士業務"), "shiho_shoshi"),
        **dict.fromkeys(("行政書士", "行政書士業務"), "gyosei_shoshi"),
        # None of them: stored as blank.
        **dict.fromkeys((*NO, "不要", "なし（不要）", "資格不要", "none"), ""),
    },
    "on_site": {
        **dict.fromkeys(YES, "yes"),
        **dict.fromkeys(("常駐", "常駐あり", "要", "必要", "客先常駐", "社内"), "yes"),
        **dict.fromkeys(NO, "no"),
        **dict.fromkeys(("非常駐", "常駐なし", "不要", "リモート", "持ち帰り", "社外"), "no"),
    },
    "direct_instruction": {
        **dict.fromkeys(YES, "yes"),
        **dict.fromkeys(("要", "必要", "あり"), "yes"),
        **dict.fromkeys(NO, "no"),
        **dict.fromkeys(("不要", "不必要"), "no"),
    },
    "seasonality": {
        **dict.fromkeys(("大", "高", "多", "high", "h", "large"), "high"),
        **dict.fromkeys(("中", "medium", "med", "m", "普通"), "medium"),
        **dict.fromkeys(("小", "低", "少", "low", "l", "small", "なし", "無"), "low"),
    },
    "confidentiality": {
        **dict.fromkeys(("公開", "一般", "公開情報", "public", "なし", "無"), "public"),
        **dict.fromkeys(
            ("社内", "社内限", "社内限り", "社外秘", "部外秘", "内部", "社内情報", "internal"),
            "internal",
        ),
        **dict.fromkeys(
            ("機密", "極秘", "厳秘", "秘", "機密情報", "confidential", "secret"), "confidential"
        ),
        **dict.fromkeys(
            (
                "個人情報",
                "要配慮個人情報",
                "特定個人情報",
                "マイナンバー",
                "個人情報あり",
                "personal",
            ),
            "personal",
        ),
    },
    "continuity": {
        **dict.fromkeys(("継続", "定常", "定例", "恒常", "継続的", "ongoing"), "ongoing"),
        **dict.fromkeys(
            ("単発", "スポット", "一時", "臨時", "非定常", "プロジェクト", "one-off", "oneoff"),
            "one_off",
        ),
    },
    "check": {
        **dict.fromkeys(YES, "yes"),
        **dict.fromkeys(("該当",), "yes"),
        **dict.fromkeys(NO, "no"),
        **dict.fromkeys(("非該当",), "no"),
        **dict.fromkeys(PARTLY, "partly"),
        **dict.fromkeys(("不明", "?", "?", "わからない", "分からない", "unknown"), "unknown"),
    },
}
for _amount_key in ("judgment", "requirement_changes", "tacit_knowledge"):
    _VALUE_WORDS[_amount_key] = _VALUE_WORDS["seasonality"]


@cache
def value_words(key: str) -> dict[str, str]:
    """Every word accepted for an enumerated column: its keys, our labels in both languages, and
    the words of 4.2.1."""
    column = COLUMNS_BY_KEY[key]
    assert column.choices is not None
    words: dict[str, str] = {}
    extra = _VALUE_WORDS.get("check" if key.startswith("c") and key[1:].isdigit() else key, {})
    words.update({fold(word): value for word, value in extra.items()})
    for value, label in column.choices.choices:
        for name in {fold(value), fold(value.replace("_", "")), *label_variants(label, fold)}:
            words[name] = value
    return words


def enum_value(key: str, text: str) -> str | None:
    return value_words(key).get(fold(text))


# --- numbers and durations -------------------------------------------------------------------

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_APPROXIMATELY = re.compile(r"^(約|およそ|概ね|ほぼ|平均)|(程度|くらい|ぐらい|前後|ほど)$")
# Units people write after a count: 2名, 150件, 3,200円, 0.5人, 5回, 365日.
_COUNT_UNITS = ("人", "名", "件", "回", "円", "日", "人分", "回/月", "件/月", "度")


def number(text: str, units: tuple[str, ...] = _COUNT_UNITS) -> Decimal | None:
    """「１２０」「1,200」「2名」「3,200円」「約30」 -> Decimal; None when it is not one number.
    A comma that is not a thousands separator (1,5) is not read: 1,5 is not 15."""
    folded = _APPROXIMATELY.sub("", fold(text).replace("¥", "").replace("\\", "").replace("−", "-"))
    for unit in units:
        if folded.endswith(unit) and folded != unit:
            folded = folded[: -len(unit)]
            break
    if _THOUSANDS.match(folded):
        folded = folded.replace(",", "")
    if not _NUMBER.match(folded):
        return None
    try:
        return Decimal(folded)
    except InvalidOperation:  # pragma: no cover - the pattern admits only plain numbers
        return None


_DURATION = re.compile(
    r"^(?:(?P<days>\d+(?:\.\d+)?)(?:日|d|day|days))?"
    r"(?:(?P<hours>\d+(?:\.\d+)?)(?:時間|h|hr|hrs|hour|hours))?"
    r"(?:(?P<minutes>\d+(?:\.\d+)?)(?:分|min|mins|minute|minutes|m))?"
    r"(?:(?P<seconds>\d+(?:\.\d+)?)(?:秒|s|sec|secs|second|seconds))?$"
)
_CLOCK = re.compile(r"^(?P<hours>\d+):(?P<minutes>\d{1,2})(?::(?P<seconds>\d{1,2}))?$")
_EXCEL_EPOCH = datetime.datetime(1899, 12, 30)


@dataclass(frozen=True)
class Duration:
    minutes: Decimal
    unit_given: bool  # the cell said its unit (「30分」, 0:45, a time cell): no column unit needed


def duration(cell: Any, hours_per_day: Decimal = Decimal(8)) -> Duration | None:
    """A duration as the cell writes it: a time or `[h]:mm` cell, 「0:45」, 「30分」, 「1.5時間」,
    「2時間30分」, 「1日」 (a working day); a plain number is returned with unit_given False, in the
    column's unit still to be applied (as minutes here). None when it is not a duration."""
    if isinstance(cell, datetime.timedelta):
        return Duration(Decimal(str(cell.total_seconds())) / 60, True)
    if isinstance(cell, datetime.time):
        seconds = cell.hour * 3600 + cell.minute * 60 + cell.second
        return Duration(Decimal(seconds) / 60, True)
    if isinstance(cell, datetime.datetime) and cell.year < 1901:
        # A duration over 24 hours that the file keeps as a date-time after Excel's epoch.
        return Duration(Decimal(str((cell - _EXCEL_EPOCH).total_seconds())) / 60, True)
    if isinstance(cell, bool | datetime.date):
        return None
    if isinstance(cell, int | float | Decimal):
        return Duration(Decimal(str(cell)), False)
    text = _APPROXIMATELY.sub("", fold(str(cell)))
    plain = number(text, units=())
    if plain is not None:
        return Duration(plain, False)
    clock = _CLOCK.match(text)
    if clock:
        minutes = Decimal(clock["hours"]) * 60 + Decimal(clock["minutes"])
        return Duration(minutes + Decimal(clock["seconds"] or 0) / 60, True)
    match = _DURATION.match(text)
    if match and any(match.groupdict().values()):
        parts = {name: Decimal(value or 0) for name, value in match.groupdict().items()}
        minutes = (
            parts["days"] * hours_per_day * 60
            + parts["hours"] * 60
            + parts["minutes"]
            + parts["seconds"] / 60
        )
        return Duration(minutes, True)
    return None


def unit_minutes(unit: str, hours_per_day: Decimal = Decimal(8)) -> Decimal:
    """Minutes in one of a column's unit."""
    return {
        MINUTE: Decimal(1),
        HOUR: Decimal(60),
        SECOND: Decimal(1) / 60,
        DAY: hours_per_day * 60,
    }[unit]


def is_range(text: str) -> bool:
    """「30〜60分」, 「2-3」: a range, which the import does not average silently."""
    return bool(re.search(r"\d\s*[~〜～\-－ー]\s*\d", unicodedata.normalize("NFKC", text)))
