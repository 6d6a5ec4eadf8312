"""Step 4 of reading a sheet: the rows become tasks (SPEC 4.2.1).

Names are normalised and departments merged as decided; occurrences and their range given per
month or per year are put per the frequency's period; a range must hold its usual figure
(lowest ≤ usual ≤ highest); per-person rows of one task are added together; stated hours are
compared with the parts (kept when they agree within 5%, asked about when they do not);
categories come from the file, from the names, or from the defaults the person set; departments
that differ only in suffix or spacing are listed for merging."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from assessments.domain import inventory
from assessments.domain.columns import ANSWER_COLUMNS, COLUMNS_BY_KEY, INVENTORY_COLUMNS
from assessments.domain.ranges import RangeIssue, range_issues
from assessments.domain.sync import same_key
from assessments.files import words
from assessments.files.decisions import PREFER_COMPUTED, PREFER_STATED, Decisions
from assessments.files.interpret import ColumnUse, Interpreted, Question, RowValues
from assessments.files.problems import Problem, plain

CENT = Decimal("0.01")
AGREEMENT = Decimal("0.05")  # stated hours within 5% of the parts: the parts are kept
ROUNDING = Decimal("0.01")
NAMES = ("department", "process", "task")


@dataclass(frozen=True)
class Combined:
    """Rows of one task (one per person, 実績記入法) added together into one."""

    department: str
    process: str
    task: str
    rows: tuple[int, ...]


@dataclass(frozen=True)
class Disagreement:
    row: int
    task: str
    stated: Decimal
    computed: Decimal


@dataclass
class Assembled:
    rows: list[dict[str, Any]]  # a task's fields each, ready to be saved
    combined: list[Combined] = field(default_factory=list)
    inferred: dict[int, str] = field(default_factory=dict)  # first source row -> category
    defaulted: dict[int, str] = field(default_factory=dict)  # category from a default
    disagreements: list[Disagreement] = field(default_factory=list)
    similar: list[tuple[str, ...]] = field(default_factory=list)  # departments to merge?
    notices: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)


def assemble(
    interpreted: Interpreted,
    decisions: Decisions,
    org: inventory.OrgSettings,
    *,
    title_department: str | None = None,
) -> Assembled:
    columns = {c.key: c for c in interpreted.columns if c.key}
    result = Assembled([])
    department_source = _department_source(columns, title_department, decisions, result)
    names = _name_sources(columns, result)
    if names is None:
        return result
    groups: dict[tuple[str, str, str], list[tuple[RowValues, dict[str, Any]]]] = {}
    for row in interpreted.rows:
        values = _row(row, columns, names, department_source, decisions, result)
        if values is None:
            continue
        written = {key: values.get(key) for key in ("occurrences", *_RANGE_KEYS)}
        if "occurrences" in columns and columns["occurrences"].period:
            _per_period(values, columns["occurrences"].period, org, result)
        _ranges_per_period(values, columns, org)
        if not _ranges_hold(values, written, row, columns, result):
            continue
        key = same_key(values["department"], values["process"], values["task"])
        groups.setdefault(key, []).append((row, values))
    limit = settings.MAX_IMPORT_ROWS
    if len(groups) > limit:
        result.problems.append(
            Problem(
                None,
                None,
                _("The file has %(rows)s tasks; at most %(limit)s can be imported at once.")
                % {"rows": len(groups), "limit": limit},
            )
        )
        return result
    for members in groups.values():
        values = _combine(members, org, result) if len(members) > 1 else members[0][1]
        _settle_hours(values, org, decisions, result)
        result.rows.append(values)
    _categories(result, decisions)
    result.similar = similar_departments(sorted({row["department"] for row in result.rows}))
    for values in result.rows:
        _finish(values)
    return result


# --- names -----------------------------------------------------------------------------------


def _department_source(
    columns: dict[str, ColumnUse],
    title_department: str | None,
    decisions: Decisions,
    result: Assembled,
) -> str | None:
    """None when each row names its department; else the department of every row."""
    if "department" in columns:
        return None
    if decisions.department.strip():
        return words.clean_name(decisions.department)
    if title_department:
        result.notices.append(
            _(
                "The sheet has no department column: every task is in “%(department)s”, as "
                "written above the table."
            )
            % {"department": title_department}
        )
        return title_department
    result.questions.append(Question("department"))
    return ""


def _name_sources(columns: dict[str, ColumnUse], result: Assembled) -> dict[str, str] | None:
    """Which column gives each task's process and task: a sheet of one level (業務 only, or 作業
    only) names both with it; a 大分類 stands in for a missing 中分類."""
    process = "process" if "process" in columns else None
    if process is None and words.MAJOR_PROCESS in columns:
        process = words.MAJOR_PROCESS
    task = "task" if "task" in columns else None
    if task is None and process is None:
        result.problems.append(
            Problem(
                None,
                None,
                _(
                    "The required column “%(field)s” is missing: no column says what each task "
                    "is (作業, 業務 or their English names)."
                )
                % {"field": COLUMNS_BY_KEY["task"].label},
            )
        )
        return None
    if task is None:
        assert process is not None
        result.notices.append(
            _("The sheet has no task column: each “%(column)s” is read as one task.")
            % {"column": columns[process].header}
        )
        task = process
    if process is None:
        result.notices.append(
            _("The sheet has no process column: each task is also its own process.")
        )
        process = task
    return {"process": process, "task": task}


def _row(
    row: RowValues,
    columns: dict[str, ColumnUse],
    names: dict[str, str],
    department: str | None,
    decisions: Decisions,
    result: Assembled,
) -> dict[str, Any] | None:
    values = dict(row.values)
    values["source_row"] = row.number
    values["department"] = department if department is not None else values.get("department", "")
    values["process"] = values.get(names["process"], "")
    values["task"] = values.get(names["task"], "")
    values["department"] = decisions.merge.get(values["department"], values["department"])
    missing = False
    for name in NAMES:
        if not values[name]:
            column = columns.get(name) or columns.get(names.get(name, ""))
            if name == "department" and department == "":
                continue  # asked once for the whole file
            if column is not None and column.key in row.refused:
                missing = True  # its cell is a problem already (too long, say)
                continue
            result.problems.append(
                Problem(row.number, column.name if column else None, _("A value is required."))
            )
            missing = True
    given = values.pop("frequency_occurrences", None)
    if given is not None:
        stated = values.get("occurrences")
        if stated is not None and stated != given:
            column = columns.get("frequency")
            result.problems.append(
                Problem(
                    row.number,
                    column.name if column else None,
                    _(
                        "The frequency says %(given)s times a period but the occurrences "
                        "column says %(stated)s: keep one of them."
                    )
                    % {"given": plain(given), "stated": plain(stated)},
                )
            )
            missing = True
        values["occurrences"] = given
    if "monthly_hours" in values:
        monthly = values.pop("monthly_hours")
        values.setdefault("annual_hours", monthly * 12)
    if words.STATED_HOURS in values:
        hours = values.pop(words.STATED_HOURS)
        period = columns[words.STATED_HOURS].period
        if period is not None:
            values.setdefault("annual_hours", hours * (12 if period == words.MONTHLY else 1))
    values.pop(words.MAJOR_PROCESS, None)
    return None if missing else values


def _per_period(
    values: dict[str, Any], period: str, org: inventory.OrgSettings, result: Assembled
) -> None:
    """Occurrences a header gives per month or per year (月間件数, 年間回数): per the row's
    frequency period, or the frequency itself when the row has none."""
    given = values.get("occurrences")
    frequency = values.get("frequency")
    if given is None:
        return
    if not frequency:
        values["frequency"] = period
        return
    per_year = given * (12 if period == words.MONTHLY else 1)
    if frequency == period or (frequency == "ad_hoc" and period == words.YEARLY):
        return
    volume = inventory.Volume(frequency=frequency, days_per_year=values.get("days_per_year"))
    periods = inventory.annual_occurrences(volume, org)
    per_period = per_year / periods if periods else None
    if per_period is not None and per_period == per_period.quantize(CENT):
        values["occurrences"] = per_period
        return
    values["frequency"], values["occurrences"] = "ad_hoc", per_year
    result.notices.append(
        _(
            "Row %(row)s: %(count)s times a year do not divide evenly into its frequency's "
            "periods; read as ad hoc work, %(count)s times a year."
        )
        % {"row": values["source_row"], "count": plain(per_year)}
    )


def _ranges_per_period(
    values: dict[str, Any], columns: dict[str, ColumnUse], org: inventory.OrgSettings
) -> None:
    """The lowest and highest occurrences a header gives per month or per year (月間件数 閑散期),
    per the period of the row's frequency, as the usual occurrences are: the three compare."""
    frequency = values.get("frequency")
    for key in ("occurrences_low", "occurrences_high"):
        column, given = columns.get(key), values.get(key)
        if column is None or column.period is None or given is None or not frequency:
            continue
        if frequency == column.period or (frequency == "ad_hoc" and column.period == words.YEARLY):
            continue
        per_year = given * (12 if column.period == words.MONTHLY else 1)
        volume = inventory.Volume(frequency=frequency, days_per_year=values.get("days_per_year"))
        periods = inventory.annual_occurrences(volume, org)
        if periods:
            values[key] = (per_year / periods).quantize(CENT, ROUND_HALF_UP)


# (usual, lowest, highest): a range holds its usual figure (SPEC 4.5).
RANGES = (
    ("occurrences", "occurrences_low", "occurrences_high"),
    ("minutes", "minutes_low", "minutes_high"),
)


def _ranges_hold(
    values: dict[str, Any],
    written: dict[str, Any],
    row: RowValues,
    columns: dict[str, ColumnUse],
    result: Assembled,
) -> bool:
    """Lowest ≤ usual ≤ highest, and no lowest or highest without the usual figure: else a
    problem naming the row and the column of the lowest or highest, with the figures as the
    file `written` them (before a count a month is put per day), and False."""
    holds = True
    for usual, lowest, highest in RANGES:
        if usual in row.refused:
            continue  # the usual figure's cell is a problem already
        figure = values.get(usual)
        for issue in range_issues(figure, values.get(lowest), values.get(highest)):
            key = highest if issue == RangeIssue.HIGH_BELOW_USUAL else lowest
            if issue == RangeIssue.NO_USUAL and values.get(key) is None:
                key = highest
            column = columns.get(key)
            shown = written.get(key), written.get(usual, figure)
            result.problems.append(
                Problem(
                    row.number,
                    column.name if column else None,
                    _range_message(issue, *shown, _header(usual, columns)),
                )
            )
            holds = False
    return holds


def _header(key: str, columns: dict[str, ColumnUse]) -> str:
    column = columns.get(key)
    return column.header if column is not None else str(COLUMNS_BY_KEY[key].label)


def _range_message(issue: RangeIssue, value: Any, figure: Any, usual: str) -> str:
    if issue == RangeIssue.NO_USUAL:
        return _(
            "A lowest or highest figure needs the usual one, from which the hours are "
            "computed: fill in “%(usual)s” in this row too, or clear this cell."
        ) % {"usual": usual}
    numbers = {"value": plain(value), "figure": plain(figure), "usual": usual}
    if issue == RangeIssue.LOW_ABOVE_USUAL:
        return (
            _(
                "The lowest figure (%(value)s) is above the usual one in “%(usual)s” "
                "(%(figure)s): correct one of them, so that the lowest is at most the usual."
            )
            % numbers
        )
    return (
        _(
            "The highest figure (%(value)s) is below the usual one in “%(usual)s” "
            "(%(figure)s): correct one of them, so that the highest is at least the usual."
        )
        % numbers
    )


# --- one task from several rows ----------------------------------------------------------------


# Rows share their volume when these are the same (a range with them: it is per period).
_VOLUME = ("frequency", "occurrences", "days_per_year", "occurrences_low", "occurrences_high")
_RANGE_KEYS = frozenset(key for _usual, *bounds in RANGES for key in bounds)


def _combine(
    members: list[tuple[RowValues, dict[str, Any]]],
    org: inventory.OrgSettings,
    result: Assembled,
) -> dict[str, Any]:
    """Each person's row of the same task, added together: the hours add up. When the rows
    share frequency and occurrences, people add up and minutes are their weighted mean (exact
    hours kept as stated hours if the mean had to be rounded); otherwise the task keeps the sum
    as stated hours."""
    rows = [values for _row, values in members]
    first = dict(rows[0])
    for values in rows[1:]:
        for name, value in values.items():
            # A range is the first row's own, which it was checked against (or worked out below).
            if name in _RANGE_KEYS:
                continue
            if first.get(name) in (None, "") and value not in (None, ""):
                first[name] = value
    persons = [str(v[words.PERSON]) for v in rows if v.get(words.PERSON)]
    if persons and not first.get("interviewee"):
        first["interviewee"] = "、".join(dict.fromkeys(persons))[:100]
    hours = [_annual_hours(values, org) for values in rows]
    same_volume = all(
        all(values.get(name) == rows[0].get(name) for name in _VOLUME) for values in rows
    )
    if all(h is not None for h in hours) and any(v.get("annual_hours") for v in rows):
        same_volume = False  # some rows state their hours: add the hours
    if same_volume and all(v.get("minutes") is not None for v in rows):
        people = sum((_people(v) for v in rows), Decimal(0))
        person_minutes = sum((v["minutes"] * _people(v) for v in rows), Decimal(0))
        mean = (person_minutes / people).quantize(CENT, ROUND_HALF_UP) if people else Decimal(0)
        first["people"], first["minutes"] = people, mean
        if mean * people != person_minutes:
            first["annual_hours"] = _sum(hours)
        for bound in ("minutes_low", "minutes_high"):
            # Weighted like the minutes when every person gave it; else the spread applies.
            first[bound] = None
            if people and all(v.get(bound) is not None for v in rows):
                weighted = sum((v[bound] * _people(v) for v in rows), Decimal(0))
                first[bound] = (weighted / people).quantize(CENT, ROUND_HALF_UP)
    elif all(h is not None for h in hours):
        first["annual_hours"] = _sum(hours)
        # Only the sum of the hours is left: no usual minutes or occurrences for a range.
        for name in ("minutes", "minutes_low", "minutes_high"):
            first.pop(name, None)
        if not same_volume:
            first.pop("occurrences_low", None)
            first.pop("occurrences_high", None)
    notes = [v.get("notes") for v in rows if v.get("notes")]
    if len(set(notes)) > 1:
        first["notes"] = " / ".join(dict.fromkeys(notes))[:2000]  # type: ignore[arg-type]
    result.combined.append(
        Combined(
            first["department"],
            first["process"],
            first["task"],
            tuple(v["source_row"] for v in rows),
        )
    )
    return first


def _people(values: dict[str, Any]) -> Decimal:
    people = values.get("people")
    return Decimal(people) if people is not None else Decimal(1)


def _sum(hours: list[Decimal | None]) -> Decimal:
    return sum((h for h in hours if h is not None), Decimal(0)).quantize(CENT, ROUND_HALF_UP)


def _annual_hours(values: dict[str, Any], org: inventory.OrgSettings) -> Decimal | None:
    if values.get("annual_hours") is not None:
        return Decimal(values["annual_hours"])
    return _computed(values, org)


def _computed(values: dict[str, Any], org: inventory.OrgSettings) -> Decimal | None:
    volume = _volume(values)
    return inventory.computed_hours(volume, inventory.annual_occurrences(volume, org))


def _volume(values: dict[str, Any]) -> inventory.Volume:
    occurrences = values.get("occurrences")
    people = values.get("people")
    return inventory.Volume(
        frequency=values.get("frequency", ""),
        occurrences=occurrences if occurrences is not None else Decimal(1),
        minutes=values.get("minutes"),
        people=people if people is not None else Decimal(1),
        days_per_year=values.get("days_per_year"),
    )


# --- stated hours ------------------------------------------------------------------------------


def _settle_hours(
    values: dict[str, Any],
    org: inventory.OrgSettings,
    decisions: Decisions,
    result: Assembled,
) -> None:
    """Stated hours and the parts: agreeing within 5%, the parts are kept; disagreeing, the
    person's choice for the row (or for all rows) keeps one; else it is asked."""
    stated = values.get("annual_hours")
    if stated is None:
        return
    computed = _computed(values, org)
    if computed is None:
        return  # stated hours only (推定積み上げ): they are the task's hours
    # Within 5%, or within the rounding of hours written to two decimals (our export does).
    if abs(stated - computed) <= max(AGREEMENT * max(stated, computed), ROUNDING):
        values["annual_hours"] = None
        return
    row = values["source_row"]
    choice = decisions.prefer_rows.get(str(row)) or decisions.prefer
    if choice == PREFER_COMPUTED:
        values["annual_hours"] = None
    elif choice == PREFER_STATED:
        # The stated hours count; parts that disagree would mislead, and so would their range.
        values["minutes"] = values["minutes_low"] = values["minutes_high"] = None
    else:
        result.disagreements.append(
            Disagreement(row, values["task"], stated, computed.quantize(CENT, ROUND_HALF_UP))
        )


# --- categories --------------------------------------------------------------------------------

# Words of each category, most specific first: a process named ヘルプデスク is IT wherever it
# sits. Matched against process, task, then department (SPEC 4.2.1).
_CATEGORY_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "it",
        (
            "情報システム",
            "情シス",
            "ヘルプデスク",
            "システム",
            "it",
            "pc",
            "パソコン",
            "サーバ",
            "ネットワーク",
            "アカウント",
            "キッティング",
            "セキュリティ",
            "インフラ",
        ),
    ),
    (
        "legal_expert",
        (
            "法務",
            "契約書",
            "契約審査",
            "特許",
            "知財",
            "知的財産",
            "コンプライアンス",
            "登記",
            "訴訟",
            "規程",
        ),
    ),
    (
        "customer_support",
        (
            "カスタマー",
            "コールセンター",
            "コンタクトセンター",
            "問い合わせ",
            "問合せ",
            "お問い合わせ",
            "クレーム",
            "顧客対応",
            "お客様",
            "サポート",
        ),
    ),
    ("analysis", ("分析", "調査", "リサーチ", "統計", "市場調査", "レポーティング")),
    (
        "creative",
        (
            "デザイン",
            "制作",
            "パンフレット",
            "広報誌",
            "動画",
            "ライティング",
            "web",
            "ホームページ",
            "撮影",
        ),
    ),
    ("sales_marketing", ("営業", "マーケティング", "販促", "広告", "展示会", "見積", "受注")),
    ("planning", ("経営企画", "企画", "戦略", "中期計画", "事業計画", "予算策定")),
    (
        "data_entry",
        ("データ入力", "入力作業", "転記", "スキャン", "ファイリング", "伝票入力", "データ整備"),
    ),
    (
        "hr",
        (
            "人事",
            "労務",
            "給与",
            "賞与",
            "社会保険",
            "社保",
            "勤怠",
            "採用",
            "入社",
            "退社",
            "入退社",
            "年末調整",
            "研修",
            "教育",
            "福利厚生",
            "健康診断",
            "人材",
            "退職",
            "雇用",
            "評価",
        ),
    ),
    (
        "accounting",
        (
            "経理",
            "財務",
            "会計",
            "仕訳",
            "決算",
            "請求",
            "支払",
            "入金",
            "出金",
            "経費",
            "精算",
            "債権",
            "債務",
            "売掛",
            "買掛",
            "税務",
            "資金",
            "振込",
            "伝票",
            "固定資産",
            "記帳",
        ),
    ),
    (
        "general_affairs",
        (
            "総務",
            "受付",
            "備品",
            "庶務",
            "郵便",
            "来客",
            "社用車",
            "ファシリティ",
            "文書管理",
            "消耗品",
            "施設",
            "清掃",
            "電話応対",
            "株主総会",
        ),
    ),
)


def infer_category(*texts: str) -> str | None:
    """The category the names point to: the first text (process, task, department) holding a
    category's word decides; None when none does."""
    for text in texts:
        folded = words.fold(text)
        if not folded:
            continue
        for category, category_words in _CATEGORY_WORDS:
            if any(_has_word(folded, word) for word in category_words):
                return category
    return None


def _has_word(text: str, word: str) -> bool:
    if word.isascii():  # "it" in "kitting" is not IT
        return re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", text) is not None
    return word in text


def _categories(result: Assembled, decisions: Decisions) -> None:
    unknown: list[dict[str, Any]] = []
    for values in result.rows:
        if values.get("category"):
            continue
        found = infer_category(values["process"], values["task"], values["department"])
        if found is not None:
            values["category"] = found
            result.inferred[values["source_row"]] = found
            continue
        default = decisions.categories.get(values["department"]) or decisions.category
        if default:
            values["category"] = default
            result.defaulted[values["source_row"]] = default
        else:
            unknown.append(values)
    if unknown:
        departments = tuple(dict.fromkeys(v["department"] for v in unknown))
        result.questions.append(
            Question("category", rows=tuple(v["source_row"] for v in unknown), samples=departments)
        )


# --- departments -------------------------------------------------------------------------------

_SUFFIXES = ("本部", "部門", "グループ", "センター", "チーム", "部", "課", "室", "係", "g", "gr")


def department_stem(name: str) -> str:
    folded = words.fold(name)
    for suffix in _SUFFIXES:
        if folded.endswith(suffix) and len(folded) > len(suffix):
            return folded[: -len(suffix)]
    return folded


def similar_departments(departments: list[str]) -> list[tuple[str, ...]]:
    """Departments that differ only in suffix or spacing (人事 / 人事部 / 人事課), to offer a
    merge; each group once, in name order."""
    groups: dict[str, list[str]] = defaultdict(list)
    for name in departments:
        groups[department_stem(name)].append(name)
    return [tuple(group) for group in groups.values() if len(group) > 1]


# --- defaults ----------------------------------------------------------------------------------


def _finish(values: dict[str, Any]) -> None:
    """The values a task is saved with: the file's answers to the check, defaults for what the
    file left empty, nothing the model does not know."""
    given = {c.key.upper(): values.pop(c.key, None) for c in ANSWER_COLUMNS}
    answers = {code: answer for code, answer in given.items() if answer}
    values["answers"] = answers
    values["answer_sources"] = dict.fromkeys(answers, "file")
    values.pop(words.PERSON, None)
    for column in INVENTORY_COLUMNS:
        if values.get(column.key) is not None:
            continue
        if column.key in ("occurrences", "people"):
            values[column.key] = Decimal(1)
        elif column.kind in ("text", "enum"):
            values[column.key] = ""
        else:
            values[column.key] = None
