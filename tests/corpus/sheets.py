"""The cases of the corpus: realistic 業務棚卸し / 業務量調査 sheets (SPEC 4.2.1) and what each
must give.

Every expected figure is worked out by hand from the sheet's content, never by the product's code,
with the arithmetic in a comment beside it. The rules (SPEC 4.2): annual occurrences =
occurrences per period × periods per year (daily × 240 working days unless the task's 稼働日数
says otherwise, weekly × 52, monthly × 12, quarterly × 4, semiannual × 2, yearly × 1; ad hoc: the
occurrences are per year; occurrences default to 1, people to 1); annual hours = annual
occurrences × minutes × people / 60. Stated hours (年間時間, or 月間時間 × 12) replace that; when a
row has both and they agree within 5 %, the parts are kept.

Names in `tasks` are as normalised: NFKC, trimmed, runs of spaces made one.

`ranges` gives, where a case states it, each task's range as stored (SPEC 4.5): occurrences per
the period of the task's frequency (a count a month of daily work is × 12 / 240 working days) and
minutes per occurrence, at their lowest and highest; None where the sheet gives none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from tests.corpus import writers as w
from tests.corpus.writers import OdsSheet, XlsSheet

D = Decimal
Key = tuple[str, str, str]
# (occurrences lowest, occurrences highest, minutes lowest, minutes highest)
Bounds = tuple[Decimal | None, Decimal | None, Decimal | None, Decimal | None]


@dataclass(frozen=True)
class Case:
    name: str  # short id
    about: str  # which conventions of SPEC 4.2.1 it exercises
    filename: str
    build: Callable[[], bytes]  # makes the file in memory
    # (department, process, task) -> annual hours, 2 decimals, names as normalised.
    tasks: dict[Key, Decimal] | None = None
    # Expected category keys, only where the words make it unambiguous.
    categories: dict[Key, str] | None = None
    args: tuple[str, ...] = ()  # extra command-line options
    # For a file the command line must refuse: substrings the error output must contain.
    refused: tuple[str, ...] = ()
    # Each task's range as stored, for the tasks listed (see the module's docstring).
    ranges: dict[Key, Bounds] | None = None


CASES: list[Case] = []


def case(
    name: str,
    about: str,
    filename: str,
    tasks: dict[Key, Decimal] | None = None,
    categories: dict[Key, str] | None = None,
    args: tuple[str, ...] = (),
    refused: tuple[str, ...] = (),
    ranges: dict[Key, Bounds] | None = None,
) -> Callable[[Callable[[], bytes]], Callable[[], bytes]]:
    """Register the decorated builder as a case (in the order of this file)."""

    def register(build: Callable[[], bytes]) -> Callable[[], bytes]:
        CASES.append(Case(name, about, filename, build, tasks, categories, args, refused, ranges))
        return build

    return register


def hours(department: str, *tasks: tuple[str, str, str]) -> dict[Key, Decimal]:
    """{(department, process, task): annual hours} from (process, task, "hours") triples."""
    return {(department, process, task): D(value) for process, task, value in tasks}


def bounds(department: str, *tasks: tuple[Any, ...]) -> dict[Key, Bounds]:
    """{(department, process, task): range} from (process, task, occurrences lowest, highest,
    minutes lowest, highest) rows, the figures as text or None."""
    return {
        (department, process, task): tuple(None if v is None else D(v) for v in figures)  # type: ignore[misc]
        for process, task, *figures in tasks
    }


def kinds(department: str, *tasks: tuple[str, str, str]) -> dict[Key, str]:
    """{(department, process, task): category key} from (process, task, key) triples."""
    return {(department, process, task): key for process, task, key in tasks}


STANDARD = ["部署", "業務", "作業", "頻度", "回数", "所要時間(分)", "人数"]
TITLE = Font(bold=True, size=14)


def _hhmm(hours: int, minutes: int) -> float:
    """An Excel time or duration value: a fraction of a day."""
    return (hours * 60 + minutes) / 1440


# =================================================================================================
# Where the table is
# =================================================================================================


@case(
    name="jma_taikeihyo_title_block",
    about=(
        "title rows and an author/date block above the header; two header rows (業務体系 over "
        "大分類/中分類/小分類: process is 中分類, task is 小分類) with merged header cells; "
        "月次/日次/年次/随時/週次"
    ),
    filename="gyomu_taikeihyo_2026.xlsx",
    tasks={
        **hours(
            "人事部",
            ("給与計算", "勤怠データ集計", "72.00"),  # 12 × 1 × 180 × 2 / 60
            ("給与計算", "給与明細の配布", "9.00"),  # 12 × 1 × 45 / 60
            ("給与計算", "振込データ作成", "12.00"),  # 12 × 1 × 60 / 60
            ("社会保険手続き", "資格取得届の作成", "12.00"),  # 24 × 30 / 60
            ("社会保険手続き", "算定基礎届", "32.00"),  # 1 × 960 × 2 / 60
            ("勤怠管理", "打刻漏れの確認", "60.00"),  # 240 × 1 × 15 / 60
            ("勤怠管理", "残業申請の承認確認", "34.67"),  # 52 × 1 × 40 / 60
        ),
        **hours(
            "経理部",
            ("月次決算", "仕訳入力", "240.00"),  # 240 × 3 × 20 / 60
            ("月次決算", "残高照合", "48.00"),  # 12 × 1 × 240 / 60
            ("請求書発行", "請求書の作成・送付", "120.00"),  # 12 × 120 × 5 / 60
            ("支払業務", "支払予定表の作成", "78.00"),  # 52 × 1 × 90 / 60
        ),
    },
    categories={
        **kinds(
            "人事部",
            ("給与計算", "給与明細の配布", "hr"),
        ),
        **kinds(
            "経理部",
            ("月次決算", "残高照合", "accounting"),
        ),
    },
)
def jma_taikeihyo_title_block() -> bytes:
    workbook = w.new_workbook("佐藤 花子")
    sheet = workbook.active
    sheet.title = "業務体系表"
    sheet["A1"] = "2026年度 業務棚卸し調査票（業務体系表）"
    sheet["A1"].font = TITLE
    sheet.merge_cells("A1:I1")
    sheet["A3"] = "会社名：株式会社さくら商事"
    sheet["F3"] = "記入者：佐藤 花子"
    sheet["A4"] = "対象期間：2025年4月～2026年3月"
    sheet["F4"] = "記入日：2026年4月10日"
    w.put(
        sheet,
        [
            ["部署", "業務体系", None, None, "頻度", "回数", "所要時間(分)", "人数", "備考"],
            [None, "大分類", "中分類", "小分類"],
        ],
        top=6,
    )
    w.style_header(sheet, 6, 1, 9)
    w.style_header(sheet, 7, 1, 9)
    for cells in ("A6:A7", "B6:D6", "E6:E7", "F6:F7", "G6:G7", "H6:H7", "I6:I7"):
        sheet.merge_cells(cells)
    rows = [
        ["人事部", "人事労務", "給与計算", "勤怠データ集計", "月次", 1, 180, 2, "締め日翌日に集中"],
        ["人事部", "人事労務", "給与計算", "給与明細の配布", "月次", 1, 45, 1, None],
        ["人事部", "人事労務", "給与計算", "振込データ作成", "月次", 1, 60, 1, None],
        ["人事部", "人事労務", "社会保険手続き", "資格取得届の作成", "随時", 24, 30, 1, "入社数"],
        ["人事部", "人事労務", "社会保険手続き", "算定基礎届", "年次", 1, 960, 2, "7月"],
        ["人事部", "人事労務", "勤怠管理", "打刻漏れの確認", "日次", 1, 15, 1, None],
        ["人事部", "人事労務", "勤怠管理", "残業申請の承認確認", "週次", 1, 40, 1, None],
        ["経理部", "経理財務", "月次決算", "仕訳入力", "日次", 3, 20, 1, None],
        ["経理部", "経理財務", "月次決算", "残高照合", "月次", 1, 240, 1, None],
        ["経理部", "経理財務", "請求書発行", "請求書の作成・送付", "月次", 120, 5, 1, "120社"],
        ["経理部", "経理財務", "支払業務", "支払予定表の作成", "週次", 1, 90, 1, None],
    ]
    w.put(sheet, rows, top=8)
    w.widths(sheet, A=12, B=12, C=16, D=22, I=20)
    return w.save(workbook)


@case(
    name="block_department_no_column",
    about=(
        "no 部署 column: 「部署名：人事部」 in the author/date block above the header gives every "
        "task's department; title row; 都度/毎年/毎月/毎日/毎週"
    ),
    filename="jinji_gyomuryo_chosa.xlsx",
    tasks=hours(
        "人事部",
        ("入退社手続き", "入社書類の回収", "24.00"),  # 36 × 40 / 60
        ("入退社手続き", "雇用契約書の作成", "15.00"),  # 36 × 25 / 60
        ("入退社手続き", "退職者の離職票作成", "15.00"),  # 18 × 50 / 60
        ("年末調整", "扶養控除申告書の回収・確認", "80.00"),  # 1 × 2400 × 2 / 60
        ("年末調整", "源泉徴収票の発行", "10.00"),  # 1 × 600 / 60
        ("給与計算", "給与計算ソフトへの入力", "60.00"),  # 12 × 1 × 300 / 60
        ("勤怠管理", "出勤簿の確認", "80.00"),  # 240 × 1 × 20 / 60
        ("採用", "面接日程の調整", "39.00"),  # 52 × 3 × 15 / 60
        ("研修", "新人研修の準備", "32.00"),  # 2 × 480 × 2 / 60
    ),
    categories=kinds(
        "人事部",
        ("年末調整", "源泉徴収票の発行", "hr"),
        ("入退社手続き", "雇用契約書の作成", "hr"),
    ),
)
def block_department_no_column() -> bytes:
    workbook = w.new_workbook("山田 太郎")
    sheet = workbook.active
    sheet.title = "業務量調査票"
    sheet["A1"] = "業務量調査票"
    sheet["A1"].font = TITLE
    sheet["A3"] = "会社名：株式会社さくら商事"
    sheet["A4"] = "部署名：人事部"
    sheet["A5"] = "記入者：山田 太郎"
    sheet["D5"] = "記入日：2026/04/15"
    header = ["業務", "作業", "頻度", "回数", "所要時間(分)", "人数", "備考"]
    rows = [
        ["入退社手続き", "入社書類の回収", "都度", 36, 40, 1, "年間入社36名"],
        ["入退社手続き", "雇用契約書の作成", "都度", 36, 25, 1, None],
        ["入退社手続き", "退職者の離職票作成", "都度", 18, 50, 1, None],
        ["年末調整", "扶養控除申告書の回収・確認", "毎年", 1, 2400, 2, "11月〜12月"],
        ["年末調整", "源泉徴収票の発行", "毎年", 1, 600, 1, None],
        ["給与計算", "給与計算ソフトへの入力", "毎月", 1, 300, 1, None],
        ["勤怠管理", "出勤簿の確認", "毎日", 1, 20, 1, None],
        ["採用", "面接日程の調整", "毎週", 3, 15, 1, None],
        ["研修", "新人研修の準備", "毎年", 2, 480, 2, "4月・10月入社"],
    ]
    w.put(sheet, [header, *rows], top=7)
    w.style_header(sheet, 7, 1, len(header))
    w.widths(sheet, A=16, B=28, G=18)
    return w.save(workbook)


@case(
    name="cover_instructions_margin_b2",
    about=(
        "a cover sheet (表紙) and an instructions sheet (記入要領, with its own little 項目/説明 "
        "table) before the data; the table starts at B2; 日次/月次/四半期/週次/半期; ○/× and ○/△/×"
    ),
    filename="somu_tanaoroshi.xlsx",
    tasks=hours(
        "総務部",
        ("受付", "来客対応", "320.00"),  # 240 × 8 × 10 / 60
        ("受付", "電話の一次取次ぎ", "300.00"),  # 240 × 25 × 3 / 60
        ("備品管理", "文房具の発注", "12.00"),  # 12 × 2 × 30 / 60
        ("備品管理", "備品台帳の更新", "8.00"),  # 4 × 1 × 120 / 60
        ("郵便物", "郵便物の仕分け・配布", "100.00"),  # 240 × 1 × 25 / 60
        ("郵便物", "郵便物の発送", "60.00"),  # 240 × 1 × 15 / 60
        ("社用車管理", "車両予約の管理", "26.00"),  # 52 × 1 × 30 / 60
        ("施設管理", "会議室の予約調整", "80.00"),  # 240 × 5 × 4 / 60
        ("施設管理", "消防設備点検の立会い", "12.00"),  # 2 × 1 × 180 × 2 / 60
    ),
    categories=kinds(
        "総務部",
        ("受付", "来客対応", "general_affairs"),
        ("備品管理", "文房具の発注", "general_affairs"),
    ),
)
def cover_instructions_margin_b2() -> bytes:
    workbook = w.new_workbook()
    cover = workbook.active
    cover.title = "表紙"
    cover["B3"] = "2026年度 業務棚卸し調査"
    cover["B3"].font = TITLE
    cover["B5"] = "株式会社さくら商事 総務部"
    cover["B7"] = "提出期限：2026年5月15日"
    cover["B8"] = "提出先：経営企画部 業務改革推進室"

    guide = workbook.create_sheet("記入要領")
    lines = [
        ["記入要領"],
        [],
        ["1. 1行に1つの作業を記入してください（「給与計算」ではなく「勤怠データの集計」の粒度）。"],
        ["2. 部署：所属する部署名を記入してください。"],
        ["3. 頻度：日次／週次／月次／四半期／半期／年次／随時 から選択してください。"],
        ["4. 回数：頻度1回あたりの件数を記入してください（随時は年間の回数）。"],
        ["5. 所要時間(分)：1回あたりの作業時間を分単位で記入してください。"],
        ["6. マニュアル：あれば○、なければ×。標準化：できる○、一部△、できない×。"],
        [],
        ["項目", "説明"],
        ["部署", "例：総務部"],
        ["業務", "例：受付"],
        ["作業", "例：来客対応"],
        ["頻度", "例：日次"],
        ["回数", "例：8"],
        ["所要時間(分)", "例：10"],
    ]
    w.put(guide, lines)

    data = workbook.create_sheet("業務一覧")
    header = [*STANDARD, "マニュアル", "標準化"]
    rows = [
        ["総務部", "受付", "来客対応", "日次", 8, 10, 1, "○", "○"],
        ["総務部", "受付", "電話の一次取次ぎ", "日次", 25, 3, 1, "○", "○"],
        ["総務部", "備品管理", "文房具の発注", "月次", 2, 30, 1, "×", "○"],
        ["総務部", "備品管理", "備品台帳の更新", "四半期", 1, 120, 1, "×", "△"],
        ["総務部", "郵便物", "郵便物の仕分け・配布", "日次", 1, 25, 1, "○", "○"],
        ["総務部", "郵便物", "郵便物の発送", "日次", 1, 15, 1, "○", "○"],
        ["総務部", "社用車管理", "車両予約の管理", "週次", 1, 30, 1, "×", "△"],
        ["総務部", "施設管理", "会議室の予約調整", "日次", 5, 4, 1, "×", "○"],
        ["総務部", "施設管理", "消防設備点検の立会い", "半期", 1, 180, 2, "×", "×"],
    ]
    w.put(data, [header, *rows], top=2, left=2)
    w.style_header(data, 2, 2, 1 + len(header))
    w.widths(data, A=2, B=10, C=12, D=22)
    workbook.active = 2
    return w.save(workbook)


@case(
    name="hidden_master_sheet_first",
    about=(
        "a hidden master sheet (選択肢リスト, whose first row reads 頻度/部署/マニュアル) is the "
        "first sheet; the data sheet's dropdowns refer to it; title row; 毎週/毎月/毎日/四半期/毎年"
    ),
    filename="keiri_tanaoroshi_2026.xlsx",
    tasks=hours(
        "経理部",
        ("経費精算", "経費精算書の確認", "156.00"),  # 52 × 2 × 90 / 60
        ("経費精算", "仮払金の精算", "16.00"),  # 12 × 4 × 20 / 60
        ("月次決算", "試算表の作成", "192.00"),  # 12 × 1 × 960 / 60
        ("債権管理", "入金消込", "180.00"),  # 240 × 1 × 45 / 60
        ("債権管理", "督促状の送付", "18.00"),  # 12 × 6 × 15 / 60
        ("固定資産", "固定資産台帳の更新", "10.00"),  # 4 × 1 × 150 / 60
        ("税務", "消費税申告資料の作成", "40.00"),  # 1 × 1200 × 2 / 60
        ("請求書発行", "請求書の発行", "96.00"),  # 12 × 80 × 6 / 60
    ),
    categories=kinds(
        "経理部",
        ("月次決算", "試算表の作成", "accounting"),
        ("経費精算", "仮払金の精算", "accounting"),
    ),
)
def hidden_master_sheet_first() -> bytes:
    workbook = w.new_workbook()
    master = workbook.active
    master.title = "選択肢リスト"
    w.put(
        master,
        [
            ["頻度", "部署", "マニュアル"],
            ["毎日", "人事部", "有"],
            ["毎週", "経理部", "無"],
            ["毎月", "総務部", None],
            ["四半期", "情報システム部", None],
            ["半期", None, None],
            ["毎年", None, None],
            ["不定期", None, None],
        ],
    )
    master.sheet_state = "hidden"

    data = workbook.create_sheet("業務棚卸し")
    data["A1"] = "経理部 業務棚卸し（2026年4月時点）"
    data["A1"].font = TITLE
    header = [*STANDARD, "マニュアル"]
    rows = [
        ["経理部", "経費精算", "経費精算書の確認", "毎週", 2, 90, 1, "有"],
        ["経理部", "経費精算", "仮払金の精算", "毎月", 4, 20, 1, "無"],
        ["経理部", "月次決算", "試算表の作成", "毎月", 1, 960, 1, "有"],
        ["経理部", "債権管理", "入金消込", "毎日", 1, 45, 1, "有"],
        ["経理部", "債権管理", "督促状の送付", "毎月", 6, 15, 1, "無"],
        ["経理部", "固定資産", "固定資産台帳の更新", "四半期", 1, 150, 1, "無"],
        ["経理部", "税務", "消費税申告資料の作成", "毎年", 1, 1200, 2, "無"],
        ["経理部", "請求書発行", "請求書の発行", "毎月", 80, 6, 1, "有"],
    ]
    w.put(data, [header, *rows], top=3)
    w.style_header(data, 3, 1, len(header))
    last = 3 + len(rows)
    for formula, column in (
        ("'選択肢リスト'!$B$2:$B$5", "A"),
        ("'選択肢リスト'!$A$2:$A$8", "D"),
        ("'選択肢リスト'!$C$2:$C$3", "H"),
    ):
        validation = DataValidation(type="list", formula1=formula, allow_blank=True)
        validation.add(f"{column}4:{column}{last + 50}")
        data.add_data_validation(validation)
    w.widths(data, A=10, B=12, C=22)
    workbook.active = 1
    return w.save(workbook)


@case(
    name="busy_season_two_header_rows",
    about=(
        "two header rows: 件数 spanning 通常期/繁忙期/閑散期 (the 通常期 figure is the "
        "occurrences), the other headers merged over both rows; title and note rows; 日次/週次/月次"
    ),
    filename="cs_gyomuryo_2025.xlsx",
    tasks=hours(
        "カスタマーサポート部",
        ("問い合わせ対応", "電話問い合わせ対応", "3840.00"),  # 240 × 120 × 8 / 60
        ("問い合わせ対応", "メール問い合わせ対応", "2880.00"),  # 240 × 60 × 12 / 60
        ("問い合わせ対応", "チャット対応", "1120.00"),  # 240 × 40 × 7 / 60
        ("クレーム対応", "二次対応(エスカレーション)", "234.00"),  # 52 × 6 × 45 / 60
        ("FAQ管理", "FAQの更新", "48.00"),  # 12 × 4 × 60 / 60
        ("応対品質", "通話モニタリング", "130.00"),  # 52 × 10 × 15 / 60
        ("報告", "月次応対レポート作成", "48.00"),  # 12 × 1 × 240 / 60
    ),
    categories=kinds(
        "カスタマーサポート部",
        ("問い合わせ対応", "電話問い合わせ対応", "customer_support"),
    ),
    # 閑散期 and 繁忙期 are the lowest and highest counts, per the frequency's period as written.
    ranges=bounds(
        "カスタマーサポート部",
        ("問い合わせ対応", "電話問い合わせ対応", "80", "200", None, None),
        ("クレーム対応", "二次対応(エスカレーション)", "3", "10", None, None),
        ("報告", "月次応対レポート作成", "1", "1", None, None),
    ),
)
def busy_season_two_header_rows() -> bytes:
    workbook = w.new_workbook()
    sheet = workbook.active
    sheet.title = "業務量調査"
    sheet["A1"] = "カスタマーサポート部 業務量調査（2025年度）"
    sheet["A1"].font = TITLE
    sheet["A2"] = "※件数は頻度1回（1日・1週・1月）あたり。繁忙期は12月〜1月、閑散期は8月。"
    per_call = "1件あたり時間(分)"
    w.put(
        sheet,
        [
            ["部署", "業務", "作業", "頻度", "件数", None, None, per_call, "人数", "備考"],
            [None, None, None, None, "通常期", "繁忙期", "閑散期"],
        ],
        top=4,
    )
    w.style_header(sheet, 4, 1, 10)
    w.style_header(sheet, 5, 1, 10)
    for cells in ("A4:A5", "B4:B5", "C4:C5", "D4:D5", "E4:G4", "H4:H5", "I4:I5", "J4:J5"):
        sheet.merge_cells(cells)
    cs = "カスタマーサポート部"
    rows = [
        [cs, "問い合わせ対応", "電話問い合わせ対応", "日次", 120, 200, 80, 8, 1, None],
        [cs, "問い合わせ対応", "メール問い合わせ対応", "日次", 60, 90, 40, 12, 1, None],
        [cs, "問い合わせ対応", "チャット対応", "日次", 40, 70, 25, 7, 1, "平日9時〜18時"],
        [cs, "クレーム対応", "二次対応（エスカレーション）", "週次", 6, 10, 3, 45, 1, None],
        [cs, "FAQ管理", "FAQの更新", "月次", 4, 6, 2, 60, 1, None],
        [cs, "応対品質", "通話モニタリング", "週次", 10, 10, 10, 15, 1, None],
        [cs, "報告", "月次応対レポート作成", "月次", 1, 1, 1, 240, 1, None],
    ]
    w.put(sheet, rows, top=6)
    w.widths(sheet, A=20, B=16, C=28, H=12)
    return w.save(workbook)


@case(
    name="monthly_counts_by_season",
    about=(
        "月間件数 spanning 通常期/繁忙期/閑散期 in two header rows: counts a month, put per the "
        "frequency's period (日次: × 12 / 240 days; 週次 that does not divide evenly: ad hoc, "
        "a year) with their range; a yearly task with no count and no range"
    ),
    filename="keiri_gekkan_kensu.xlsx",
    tasks=hours(
        "経理部",
        ("経費精算", "経費精算書の点検", "120.00"),  # 200 × 12 × 3 / 60
        ("支払業務", "請求書の受付・仕訳", "400.00"),  # 400 × 12 × 5 / 60
        ("支払業務", "振込データ作成", "48.00"),  # 4 × 12 × 60 / 60
        ("月次決算", "月次決算仕訳", "240.00"),  # 150 × 12 × 4 × 2 / 60
        ("売掛金管理", "入金消込", "96.00"),  # 240 × 12 × 2 / 60
        ("固定資産管理", "固定資産台帳の更新", "30.00"),  # 10 × 12 × 15 / 60
        ("年次決算", "決算資料の作成", "160.00"),  # 1 × 4800 × 2 / 60
    ),
    ranges=bounds(
        "経理部",
        ("経費精算", "経費精算書の点検", "6", "16", None, None),  # 120, 320 × 12 / 240
        ("支払業務", "請求書の受付・仕訳", "15", "30", None, None),  # 300, 600 × 12 / 240
        ("支払業務", "振込データ作成", "48", "72", None, None),  # ad hoc: 4, 6 × 12 a year
        ("月次決算", "月次決算仕訳", "150", "250", None, None),  # monthly: as written
        ("売掛金管理", "入金消込", "9", "18", None, None),  # 180, 360 × 12 / 240
        ("固定資産管理", "固定資産台帳の更新", "5", "30", None, None),
        ("年次決算", "決算資料の作成", None, None, None, None),
    ),
)
def monthly_counts_by_season() -> bytes:
    workbook = w.new_workbook("経理部 鈴木")
    sheet = workbook.active
    sheet.title = "業務量調査票"
    sheet["A1"] = "経理部 業務量調査票（2026年度）"
    sheet["A1"].font = TITLE
    sheet["A2"] = "※件数は1か月あたり。繁忙期は3月・9月（決算期）、閑散期は8月。"
    per_item = "1件あたり所要時間(分)"
    w.put(
        sheet,
        [
            ["部署", "業務", "作業", "頻度", "月間件数", None, None, per_item, "人数"],
            [None, None, None, None, "通常期", "繁忙期", "閑散期"],
        ],
        top=4,
    )
    w.style_header(sheet, 4, 1, 9)
    w.style_header(sheet, 5, 1, 9)
    for cells in ("A4:A5", "B4:B5", "C4:C5", "D4:D5", "E4:G4", "H4:H5", "I4:I5"):
        sheet.merge_cells(cells)
    k = "経理部"
    rows = [
        [k, "経費精算", "経費精算書の点検", "日次", 200, 320, 120, 3, 1],
        [k, "支払業務", "請求書の受付・仕訳", "日次", 400, 600, 300, 5, 1],
        [k, "支払業務", "振込データ作成", "週次", 4, 6, 4, 60, 1],
        [k, "月次決算", "月次決算仕訳", "月次", 150, 250, 150, 4, 2],
        [k, "売掛金管理", "入金消込", "日次", 240, 360, 180, 2, 1],
        [k, "固定資産管理", "固定資産台帳の更新", "月次", 10, 30, 5, 15, 1],
        [k, "年次決算", "決算資料の作成", "年次", None, None, None, 4800, 2],
    ]
    w.put(sheet, rows, top=6)
    w.widths(sheet, B=14, C=22, H=14)
    return w.save(workbook)


@case(
    name="shortest_and_longest_times",
    about=(
        "所要時間 spanning 標準/最短/最長 in two header rows, a No. column; durations written "
        "「20分」「1.5時間」「2時間30分」, as h:mm time cells, and as plain minutes; a task with "
        "no range"
    ),
    filename="joushis_shoyou_jikan.xlsx",
    tasks=hours(
        "情報システム部",
        ("ヘルプデスク", "PCトラブル一次対応", "480.00"),  # 240 × 6 × 20 / 60
        ("ヘルプデスク", "パスワードリセット", "80.00"),  # 240 × 4 × 5 / 60
        ("アカウント管理", "入社時アカウント発行", "27.00"),  # 12 × 3 × 45 / 60
        ("PC管理", "PCキッティング", "96.00"),  # 12 × 4 × 120 / 60
        ("サーバ運用", "バックアップ確認", "60.00"),  # 240 × 1 × 15 / 60
        ("ライセンス管理", "ライセンス棚卸し", "20.00"),  # 4 × 1 × 150 × 2 / 60
        ("セキュリティ", "ログ点検", "52.00"),  # 52 × 1 × 60 / 60
        ("ヘルプデスク", "問い合わせ記録の集計", "12.00"),  # 12 × 1 × 60 / 60
    ),
    ranges=bounds(
        "情報システム部",
        ("ヘルプデスク", "PCトラブル一次対応", None, None, "5", "60"),
        ("ヘルプデスク", "パスワードリセット", None, None, "3", "10"),
        ("アカウント管理", "入社時アカウント発行", None, None, "30", "90"),
        ("PC管理", "PCキッティング", None, None, "90", "240"),
        ("サーバ運用", "バックアップ確認", None, None, "10", "15"),
        ("ライセンス管理", "ライセンス棚卸し", None, None, "120", "240"),
        ("セキュリティ", "ログ点検", None, None, "30", "120"),
        ("ヘルプデスク", "問い合わせ記録の集計", None, None, None, None),
    ),
)
def shortest_and_longest_times() -> bytes:
    workbook = w.new_workbook("情報システム部")
    sheet = workbook.active
    sheet.title = "業務棚卸し"
    sheet["A1"] = "情報システム部 業務棚卸し（所要時間は標準・最短・最長を記入）"
    sheet["A1"].font = TITLE
    w.put(
        sheet,
        [
            ["No.", "部署", "業務", "作業", "頻度", "回数", "所要時間", None, None, "人数", "備考"],
            [None, None, None, None, None, None, "標準", "最短", "最長"],
        ],
        top=3,
    )
    w.style_header(sheet, 3, 1, 11)
    w.style_header(sheet, 4, 1, 11)
    for cells in ("A3:A4", "B3:B4", "C3:C4", "D3:D4", "E3:E4", "F3:F4", "G3:I3", "J3:J4"):
        sheet.merge_cells(cells)
    sheet.merge_cells("K3:K4")
    j = "情報システム部"
    half_hour, three_quarters = dt.time(0, 30), dt.time(0, 45)
    rows = [
        [1, j, "ヘルプデスク", "PCトラブル一次対応", "日次", 6, "20分", "5分", "1時間", 1],
        [2, j, "ヘルプデスク", "パスワードリセット", "日次", 4, "5分", "3分", "10分", 1],
        [3, j, "アカウント管理", "入社時アカウント発行", "月次", 3, three_quarters, half_hour],
        [4, j, "PC管理", "PCキッティング", "月次", 4, "2時間", "1.5時間", "4時間", 1],
        [5, j, "サーバ運用", "バックアップ確認", "日次", 1, "15分", "10分", "15分", 1],
        [6, j, "ライセンス管理", "ライセンス棚卸し", "四半期", 1, "2時間30分", "2時間", "4時間", 2],
        [7, j, "セキュリティ", "ログ点検", "週次", 1, 60, 30, 120, 1, "分で記入"],
        [8, j, "ヘルプデスク", "問い合わせ記録の集計", "月次", 1, "1時間", None, None, 1],
    ]
    rows[2] += ["1.5時間", 1, "4月は多い"]
    w.put(sheet, rows, top=5)
    for row in range(5, 5 + len(rows)):
        for column in (7, 8):
            cell = sheet.cell(row=row, column=column)
            if isinstance(cell.value, dt.time):
                cell.number_format = "h:mm"
    w.widths(sheet, C=14, D=22, K=14)
    return w.save(workbook)


@case(
    name="header_at_row_25",
    about=(
        "the header is on row 25, under 22 rows of instructions written on the same sheet "
        "(which name the columns) and an author/date line; 随時/日次/月次/半期"
    ),
    filename="joushis_tanaoroshi.xlsx",
    tasks=hours(
        "情報システム部",
        ("ヘルプデスク", "PCトラブル対応", "100.00"),  # 300 × 20 / 60
        ("ヘルプデスク", "パスワードリセット", "40.00"),  # 480 × 5 / 60
        ("アカウント管理", "入社者アカウント発行", "18.00"),  # 36 × 30 / 60
        ("アカウント管理", "退職者アカウント削除", "6.00"),  # 18 × 20 / 60
        ("PC管理", "PCキッティング", "60.00"),  # 40 × 90 / 60
        ("サーバー運用", "バックアップ確認", "40.00"),  # 240 × 1 × 10 / 60
        ("サーバー運用", "セキュリティパッチ適用", "36.00"),  # 12 × 1 × 180 / 60
        ("ライセンス管理", "ライセンス棚卸し", "8.00"),  # 2 × 1 × 240 / 60
    ),
    categories=kinds(
        "情報システム部",
        ("ヘルプデスク", "パスワードリセット", "it"),
        ("サーバー運用", "バックアップ確認", "it"),
    ),
)
def header_at_row_25() -> bytes:
    workbook = w.new_workbook("伊藤 健")
    sheet = workbook.active
    sheet.title = "情報システム部"
    sheet["A1"] = "情報システム部 業務棚卸しシート"
    sheet["A1"].font = TITLE
    notes = [
        "■記入にあたっての注意",
        "1. 現在担当している作業をすべて、1行に1作業で記入してください。",
        "2. 「部署」「業務」「作業」は必ず記入してください。",
        "3. 「頻度」は 日次・週次・月次・四半期・半期・年次・随時 のいずれかを記入します。",
        "4. 「回数」は頻度1回あたりの回数です。随時の作業は年間の回数を記入してください。",
        "5. 「所要時間(分)」は1回あたりの作業時間（分）です。待ち時間は含めません。",
        "6. 「人数」は1回の作業に関わる人数です。",
        "7. 外部ベンダーに委託済みの作業は記入不要です。",
        "8. 不明な点は業務改革推進室（内線 2345）まで。",
        "9. 記入例は別紙を参照してください。",
        "10. 提出期限：2026年5月15日（金）",
        "11. 提出後の修正は、修正箇所に色を付けて再提出してください。",
        "12. 所要時間は直近3か月の平均で構いません。",
        "13. 季節変動が大きい作業は備考に記入してください。",
        "14. 個人情報を扱う作業は備考にその旨を記入してください。",
        "15. 記入にかかる時間の目安は30分です。",
    ]
    for offset, line in enumerate(notes):
        sheet.cell(row=3 + offset, column=1, value=line)
    sheet["A20"] = "■提出先：経営企画部 業務改革推進室"
    sheet["A22"] = "記入者：伊藤 健"
    sheet["E22"] = "記入日：2026/4/20"
    header = [*STANDARD, "備考"]
    system = "情報システム部"
    rows = [
        [system, "ヘルプデスク", "PCトラブル対応", "随時", 300, 20, 1, None],
        [system, "ヘルプデスク", "パスワードリセット", "随時", 480, 5, 1, None],
        [system, "アカウント管理", "入社者アカウント発行", "随時", 36, 30, 1, None],
        [system, "アカウント管理", "退職者アカウント削除", "随時", 18, 20, 1, None],
        [system, "PC管理", "PCキッティング", "随時", 40, 90, 1, "入替含む"],
        [system, "サーバー運用", "バックアップ確認", "日次", 1, 10, 1, None],
        [system, "サーバー運用", "セキュリティパッチ適用", "月次", 1, 180, 1, None],
        [system, "ライセンス管理", "ライセンス棚卸し", "半期", 1, 240, 1, None],
    ]
    w.put(sheet, [header, *rows], top=25)
    w.style_header(sheet, 25, 1, len(header))
    w.widths(sheet, A=16, B=16, C=24)
    return w.save(workbook)


# =================================================================================================
# Rows that are not tasks
# =================================================================================================


@case(
    name="section_headings_subtotals_fill_down",
    about=(
        "section headings alone on a row (「■ 給与関連」 in the 部署 column), 小計/計/合計 rows, "
        "blank rows, 部署 written once per block (fill-down); a 年間時間(h) column that agrees "
        "with the parts (parts kept); 毎月/半期/毎年/不定期/毎週"
    ),
    filename="jinji_tanaoroshi_2026.xlsx",
    tasks=hours(
        "人事部",
        ("給与計算", "勤怠締め処理", "48.00"),  # 12 × 1 × 240 / 60
        ("給与計算", "給与計算結果のチェック", "48.00"),  # 12 × 1 × 120 × 2 / 60
        ("給与計算", "給与振込", "6.00"),  # 12 × 1 × 30 / 60
        ("賞与計算", "賞与計算", "60.00"),  # 2 × 1 × 900 × 2 / 60
        ("社会保険手続き", "月額変更届", "18.00"),  # 12 × 2 × 45 / 60
        ("社会保険手続き", "算定基礎届", "20.00"),  # 1 × 1200 / 60
        ("社会保険手続き", "扶養異動の届出", "15.00"),  # 30 × 30 / 60
        ("労働保険", "労働保険年度更新", "12.00"),  # 1 × 720 / 60
        ("勤怠管理", "有給休暇の残日数管理", "18.00"),  # 12 × 1 × 90 / 60
        ("勤怠管理", "36協定の時間外チェック", "26.00"),  # 52 × 1 × 30 / 60
    ),
    categories=kinds(
        "人事部",
        ("給与計算", "勤怠締め処理", "hr"),
        ("社会保険手続き", "月額変更届", "hr"),
    ),
)
def section_headings_subtotals_fill_down() -> bytes:
    workbook = w.new_workbook()
    sheet = workbook.active
    sheet.title = "人事部"
    sheet["A1"] = "業務棚卸し表（人事部）"
    sheet["A1"].font = TITLE
    header = [*STANDARD, "年間時間(h)"]
    # The 年間時間(h) figures are the sheet's own: 回数 × 所要時間 × 人数 × periods / 60.
    rows = [
        header,  # row 3
        ["■ 給与関連"],  # row 4
        ["人事部", "給与計算", "勤怠締め処理", "毎月", 1, 240, 1, 48],
        [None, "給与計算", "給与計算結果のチェック", "毎月", 1, 120, 2, 48],
        [None, "給与計算", "給与振込", "毎月", 1, 30, 1, 6],
        [None, "賞与計算", "賞与計算", "半期", 1, 900, 2, 60],
        [None, "小計", None, None, None, None, None, 162],  # row 9: 48 + 48 + 6 + 60
        [],  # row 10
        ["■ 社会保険関連"],  # row 11
        ["人事部", "社会保険手続き", "月額変更届", "毎月", 2, 45, 1, 18],
        [None, "社会保険手続き", "算定基礎届", "毎年", 1, 1200, 1, 20],
        [None, "社会保険手続き", "扶養異動の届出", "不定期", 30, 30, 1, 15],
        [None, "労働保険", "労働保険年度更新", "毎年", 1, 720, 1, 12],
        [None, "小計", None, None, None, None, None, 65],  # row 16: 18 + 20 + 15 + 12
        [],  # row 17
        ["■ 勤怠関連"],  # row 18
        ["人事部", "勤怠管理", "有給休暇の残日数管理", "毎月", 1, 90, 1, 18],
        [None, "勤怠管理", "36協定の時間外チェック", "毎週", 1, 30, 1, 26],
        [None, "計", None, None, None, None, None, 44],  # row 21: 18 + 26
        ["合計", None, None, None, None, None, None, 271],  # row 22: 162 + 65 + 44
    ]
    w.put(sheet, rows, top=3)
    w.style_header(sheet, 3, 1, len(header))
    for row in (4, 11, 18):
        sheet.cell(row=row, column=1).font = Font(bold=True)
    w.widths(sheet, A=14, B=16, C=26)
    return w.save(workbook)


@case(
    name="subtotal_formulas_cached",
    about=(
        "Excel SUBTOTAL rows with cached values (two labelled 小計, one grand total with no "
        "label at all), an autofilter, and formula cells in task rows (=2*60) whose cached value "
        "is used; 週次/月次/随時/年次"
    ),
    filename="keiri_gyomu_ichiran.xlsx",
    tasks=hours(
        "経理部",
        ("経費精算", "経費精算の承認処理", "52.00"),  # 52 × 3 × 20 / 60
        ("経費精算", "交通費の精算", "24.00"),  # 12 × 1 × 120 / 60 (=2*60)
        ("支払業務", "振込データの作成", "18.00"),  # 12 × 2 × 45 / 60
        ("支払業務", "支払先マスタの登録", "6.67"),  # 40 × 10 / 60
        ("月次決算", "売上計上の確認", "72.00"),  # 12 × 1 × 180 × 2 / 60
        ("月次決算", "減価償却費の計上", "6.00"),  # 12 × 1 × 30 / 60
        ("月次決算", "月次報告資料の作成", "48.00"),  # 12 × 1 × 240 / 60 (=4*60)
        ("年次決算", "決算整理仕訳", "60.00"),  # 1 × 1800 × 2 / 60
    ),
)
def subtotal_formulas_cached() -> bytes:
    workbook, stream = w.new_xlsxwriter()
    sheet = workbook.add_worksheet("業務一覧")
    bold = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    total = workbook.add_format({"bold": True, "top": 1})
    sheet.write("A1", "経理部 業務一覧", workbook.add_format({"bold": True, "font_size": 14}))
    sheet.write("A2", "※小計はSUBTOTALで集計しています（フィルタ後も正しく集計されます）")
    header = ["部署", "業務", "作業", "頻度", "回数", "所要時間(分)", "人数", "備考"]
    sheet.write_row("A4", header, bold)
    plain = [
        (5, ["経理部", "経費精算", "経費精算の承認処理", "週次", 3, 20, 1]),
        (6, ["経理部", "経費精算", "交通費の精算", "月次", 1, None, 1]),
        (7, ["経理部", "支払業務", "振込データの作成", "月次", 2, 45, 1]),
        (8, ["経理部", "支払業務", "支払先マスタの登録", "随時", 40, 10, 1]),
        (10, ["経理部", "月次決算", "売上計上の確認", "月次", 1, 180, 2]),
        (11, ["経理部", "月次決算", "減価償却費の計上", "月次", 1, 30, 1]),
        (12, ["経理部", "月次決算", "月次報告資料の作成", "月次", 1, None, 1]),
        (13, ["経理部", "年次決算", "決算整理仕訳", "年次", 1, 1800, 2]),
    ]
    for row, values in plain:
        for column, value in enumerate(values):
            if value is not None:
                sheet.write(row - 1, column, value)
    sheet.write_formula("F6", "=2*60", None, 120)
    sheet.write_formula("F12", "=4*60", None, 240)
    # Row 9: E5:E8 = 3 + 1 + 2 + 40 = 46; F5:F8 = 20 + 120 + 45 + 10 = 195.
    sheet.write("C9", "小計", total)
    sheet.write_formula("E9", "=SUBTOTAL(9,E5:E8)", total, 46)
    sheet.write_formula("F9", "=SUBTOTAL(9,F5:F8)", total, 195)
    # Row 14: E10:E13 = 4; F10:F13 = 180 + 30 + 240 + 1800 = 2250.
    sheet.write("C14", "小計", total)
    sheet.write_formula("E14", "=SUBTOTAL(9,E10:E13)", total, 4)
    sheet.write_formula("F14", "=SUBTOTAL(9,F10:F13)", total, 2250)
    # Row 15, no label: SUBTOTAL skips the nested SUBTOTALs: 46 + 4 = 50; 195 + 2250 = 2445.
    sheet.write_formula("E15", "=SUBTOTAL(9,E5:E14)", total, 50)
    sheet.write_formula("F15", "=SUBTOTAL(9,F5:F14)", total, 2445)
    sheet.autofilter("A4:H15")
    sheet.set_column("A:B", 12)
    sheet.set_column("C:C", 22)
    workbook.close()
    return stream.getvalue()


@case(
    name="excel_table_total_row_stated_annual",
    about=(
        "an Excel table (ListObject) with its total row (合計, SUBTOTAL(109) with a cached "
        "value); a 年間時間(h) column only, no frequency or minutes (推定積み上げ)"
    ),
    filename="somu_suitei_tsumiage.xlsx",
    tasks=hours(
        "総務部",
        ("文書管理", "契約書のファイリング", "36.00"),  # stated
        ("文書管理", "文書廃棄の手配", "12.50"),  # stated
        ("庶務", "名刺の発注", "8.00"),  # stated
        ("庶務", "慶弔対応", "15.00"),  # stated
        ("社内行事", "忘年会の準備", "24.00"),  # stated
        ("株主総会", "招集通知の発送準備", "40.00"),  # stated
        ("株主総会", "会場手配", "16.00"),  # stated
    ),
)
def excel_table_total_row_stated_annual() -> bytes:
    workbook, stream = w.new_xlsxwriter()
    sheet = workbook.add_worksheet("年間工数")
    sheet.write("A1", "総務部 業務時間の推定（積み上げ）", workbook.add_format({"bold": True}))
    rows = [
        ["総務部", "文書管理", "契約書のファイリング", 36, "月3時間程度"],
        ["総務部", "文書管理", "文書廃棄の手配", 12.5, None],
        ["総務部", "庶務", "名刺の発注", 8, None],
        ["総務部", "庶務", "慶弔対応", 15, None],
        ["総務部", "社内行事", "忘年会の準備", 24, None],
        ["総務部", "株主総会", "招集通知の発送準備", 40, "6月"],
        ["総務部", "株主総会", "会場手配", 16, None],
    ]
    # Header on row 3, data on rows 4-10, total row 11: 36 + 12.5 + 8 + 15 + 24 + 40 + 16 = 151.5
    sheet.add_table(
        2,
        0,
        2 + len(rows) + 1,
        4,
        {
            "name": "GyomuJikan",
            "data": rows,
            "total_row": True,
            "style": "Table Style Medium 2",
            "columns": [
                {"header": "部署", "total_string": "合計"},
                {"header": "業務"},
                {"header": "作業"},
                {"header": "年間時間(h)", "total_function": "sum", "total_value": 151.5},
                {"header": "備考"},
            ],
        },
    )
    sheet.set_column("A:B", 12)
    sheet.set_column("C:C", 22)
    sheet.set_column("D:E", 14)
    workbook.close()
    return stream.getvalue()


@case(
    name="template_example_row_kinyurei",
    about=(
        "the template's example row (記入例 in the first, No. column, shaded) whose task also "
        "appears as a real row with other figures; title row; 毎日/毎月/毎週/半期"
    ),
    filename="eigyo_suishin_tanaoroshi.xlsx",
    tasks=hours(
        "営業推進部",
        ("受注処理", "受注データ入力", "480.00"),  # 240 × 30 × 4 / 60
        ("受注処理", "納期回答", "240.00"),  # 240 × 10 × 6 / 60
        ("見積", "見積書の作成", "400.00"),  # 240 × 5 × 20 / 60 (not the example's 15)
        ("販促", "販促物の発送", "36.00"),  # 12 × 2 × 90 / 60
        ("売上管理", "売上集計表の作成", "52.00"),  # 52 × 1 × 60 / 60
        ("顧客管理", "顧客マスタのメンテナンス", "24.00"),  # 12 × 1 × 120 / 60
        ("展示会", "展示会の出展準備", "64.00"),  # 2 × 1 × 960 × 2 / 60
    ),
)
def template_example_row_kinyurei() -> bytes:
    workbook = w.new_workbook()
    sheet = workbook.active
    sheet.title = "業務棚卸しシート"
    sheet["A1"] = "業務棚卸しシート（記入用）"
    sheet["A1"].font = TITLE
    header = ["No.", *STANDARD, "備考"]
    dept = "営業推進部"
    rows = [
        ["記入例", dept, "見積", "見積書の作成", "毎日", 5, 15, 1, "この行は記入例です"],
        [1, dept, "受注処理", "受注データ入力", "毎日", 30, 4, 1, None],
        [2, dept, "受注処理", "納期回答", "毎日", 10, 6, 1, None],
        [3, dept, "見積", "見積書の作成", "毎日", 5, 20, 1, None],
        [4, dept, "販促", "販促物の発送", "毎月", 2, 90, 1, None],
        [5, dept, "売上管理", "売上集計表の作成", "毎週", 1, 60, 1, None],
        [6, dept, "顧客管理", "顧客マスタのメンテナンス", "毎月", 1, 120, 1, None],
        [7, dept, "展示会", "展示会の出展準備", "半期", 1, 960, 2, "春・秋"],
    ]
    w.put(sheet, [header, *rows], top=3)
    w.style_header(sheet, 3, 1, len(header))
    for column in range(1, len(header) + 1):
        cell = sheet.cell(row=4, column=column)
        cell.fill = w.EXAMPLE_FILL
        cell.font = Font(italic=True, color="808080")
    w.widths(sheet, A=8, B=12, C=12, D=24, I=20)
    return w.save(workbook)


@case(
    name="example_row_rei_prefix_csv",
    about=(
        "CSV in UTF-8 without BOM; the example row 「例）総務部」 in the first column; frequency "
        "words 毎月末/月1回/年1回/スポット/毎日/毎週, 回数 blank where the word says it"
    ),
    filename="somu_tanaoroshi_utf8.csv",
    tasks=hours(
        "総務部",
        ("備品管理", "消耗品の在庫確認", "6.00"),  # 毎月末: 12 × 1 × 30 / 60
        ("備品管理", "コピー用紙の発注", "2.00"),  # 月1回: 12 × 1 × 10 / 60
        ("契約管理", "賃貸借契約の更新確認", "2.00"),  # 年1回: 1 × 120 / 60
        ("防災", "防災訓練の実施", "12.00"),  # 年1回: 1 × 240 × 3 / 60
        ("移転・レイアウト", "座席レイアウト変更", "30.00"),  # スポット: 3 × 300 × 2 / 60
        ("受付", "宅配便の受取", "72.00"),  # 240 × 6 × 3 / 60
        ("清掃", "清掃業者の手配・立会い", "39.00"),  # 52 × 1 × 45 / 60
    ),
    categories=kinds(
        "総務部",
        ("受付", "宅配便の受取", "general_affairs"),
        ("備品管理", "消耗品の在庫確認", "general_affairs"),
    ),
)
def example_row_rei_prefix_csv() -> bytes:
    return w.delimited(
        [
            [*STANDARD, "備考"],
            ["例）総務部", "備品管理", "コピー用紙の発注", "毎月", 1, 15, 1, None],
            ["総務部", "備品管理", "消耗品の在庫確認", "毎月末", None, 30, 1, None],
            ["総務部", "備品管理", "コピー用紙の発注", "月1回", None, 10, 1, None],
            ["総務部", "契約管理", "賃貸借契約の更新確認", "年1回", None, 120, 1, "本社ビル"],
            ["総務部", "防災", "防災訓練の実施", "年1回", None, 240, 3, None],
            ["総務部", "移転・レイアウト", "座席レイアウト変更", "スポット", 3, 300, 2, None],
            ["総務部", "受付", "宅配便の受取", "毎日", 6, 3, 1, None],
            ["総務部", "清掃", "清掃業者の手配・立会い", "毎週", 1, 45, 1, None],
        ],
        encoding="utf-8",
    )


@case(
    name="pasted_sheets_repeated_headers",
    about=(
        "three people's sheets pasted one below another: the header row repeated, a 「担当：…」 "
        "line and a blank row between blocks; 月次/週次/四半期/日次"
    ),
    filename="keiri_tougou.xlsx",
    tasks=hours(
        "経理部",
        ("債権管理", "売掛金残高の確認", "24.00"),  # 12 × 1 × 120 / 60
        ("債権管理", "入金予定表の更新", "26.00"),  # 52 × 1 × 30 / 60
        ("債権管理", "与信管理表の更新", "12.00"),  # 4 × 1 × 180 / 60
        ("債務管理", "請求書の受領・登録", "240.00"),  # 240 × 12 × 5 / 60
        ("債務管理", "支払承認の回付", "26.00"),  # 52 × 2 × 15 / 60
        ("債務管理", "買掛金の消込", "40.00"),  # 12 × 1 × 200 / 60
        ("出納", "小口現金の管理", "40.00"),  # 240 × 1 × 10 / 60
        ("出納", "銀行残高の確認", "32.00"),  # 240 × 1 × 8 / 60
        ("出納", "現金出納帳の記帳", "48.00"),  # 240 × 1 × 12 / 60
    ),
)
def pasted_sheets_repeated_headers() -> bytes:
    workbook = w.new_workbook()
    sheet = workbook.active
    sheet.title = "統合"
    sheet["A1"] = "経理部 業務棚卸し（各担当の記入シートを統合）"
    rows = [
        ["担当：鈴木"],  # row 2
        STANDARD,  # row 3
        ["経理部", "債権管理", "売掛金残高の確認", "月次", 1, 120, 1],
        ["経理部", "債権管理", "入金予定表の更新", "週次", 1, 30, 1],
        ["経理部", "債権管理", "与信管理表の更新", "四半期", 1, 180, 1],
        [],  # row 7
        ["担当：田中"],
        STANDARD,  # row 9
        ["経理部", "債務管理", "請求書の受領・登録", "日次", 12, 5, 1],
        ["経理部", "債務管理", "支払承認の回付", "週次", 2, 15, 1],
        ["経理部", "債務管理", "買掛金の消込", "月次", 1, 200, 1],
        [],  # row 13
        ["担当：小林"],
        STANDARD,  # row 15
        ["経理部", "出納", "小口現金の管理", "日次", 1, 10, 1],
        ["経理部", "出納", "銀行残高の確認", "日次", 1, 8, 1],
        ["経理部", "出納", "現金出納帳の記帳", "日次", 1, 12, 1],
    ]
    w.put(sheet, rows, top=2)
    for row in (3, 9, 15):
        w.style_header(sheet, row, 1, len(STANDARD))
    w.widths(sheet, A=10, B=12, C=22)
    return w.save(workbook)


@case(
    name="hidden_rows_discontinued",
    about=(
        "hidden rows (discontinued work, 備考「2025年度で廃止」) among the tasks and at the end; "
        "日次/年次/随時/月次/半期"
    ),
    filename="jinji_fukuri_tanaoroshi.xlsx",
    tasks=hours(
        "人事部",
        ("勤怠管理", "勤怠システムのエラー確認", "40.00"),  # 240 × 1 × 10 / 60
        ("福利厚生", "健康診断の予約調整", "25.00"),  # 1 × 1500 / 60
        ("福利厚生", "保養所の申込受付", "5.00"),  # 20 × 15 / 60
        ("福利厚生", "社宅の契約管理", "18.00"),  # 12 × 1 × 90 / 60
        ("人事評価", "評価シートの回収", "20.00"),  # 2 × 1 × 600 / 60
        ("人事評価", "評価結果の集計", "32.00"),  # 2 × 1 × 480 × 2 / 60
        ("給与計算", "Web明細の公開", "3.00"),  # 12 × 1 × 15 / 60
    ),
)
def hidden_rows_discontinued() -> bytes:
    workbook = w.new_workbook()
    sheet = workbook.active
    sheet.title = "人事部"
    gone = "2025年度で廃止"
    rows = [
        [*STANDARD, "備考"],
        ["人事部", "勤怠管理", "タイムカードの回収", "月次", 1, 60, 1, gone],  # row 2, hidden
        ["人事部", "勤怠管理", "勤怠システムのエラー確認", "日次", 1, 10, 1, None],
        ["人事部", "福利厚生", "健康診断の予約調整", "年次", 1, 1500, 1, None],
        ["人事部", "福利厚生", "保養所の申込受付", "随時", 20, 15, 1, None],
        ["人事部", "福利厚生", "社宅の契約管理", "月次", 1, 90, 1, None],
        ["人事部", "福利厚生", "財形貯蓄の手続き", "随時", 10, 30, 1, gone],  # row 7, hidden
        ["人事部", "人事評価", "評価シートの回収", "半期", 1, 600, 1, None],
        ["人事部", "人事評価", "評価結果の集計", "半期", 1, 480, 2, None],
        ["人事部", "給与計算", "紙の給与明細の封入", "月次", 1, 120, 2, gone],  # row 10, hidden
        ["人事部", "給与計算", "Web明細の公開", "月次", 1, 15, 1, "Web明細へ移行"],
        ["人事部", "給与計算", "給与明細の郵送", "月次", 1, 45, 1, gone],  # row 12, hidden
    ]
    w.put(sheet, rows)
    w.style_header(sheet, 1, 1, 8)
    for row in (2, 7, 10, 12):
        sheet.row_dimensions[row].hidden = True
    w.widths(sheet, A=10, B=12, C=24, H=16)
    return w.save(workbook)


@case(
    name="merged_department_and_process_cells",
    about=(
        "vertically merged 部署 and 業務 cells (one value for the whole block); title row; "
        "日次/週次/月次/四半期/随時"
    ),
    filename="joushis_somu_tanaoroshi.xlsx",
    tasks={
        **hours(
            "情報システム部",
            ("ヘルプデスク", "問い合わせ受付・一次回答", "360.00"),  # 240 × 15 × 6 / 60
            ("ヘルプデスク", "ソフトウェアのインストール対応", "69.33"),  # 52 × 4 × 20 / 60
            ("ヘルプデスク", "プリンタ障害対応", "18.00"),  # 12 × 3 × 30 / 60
            ("IT資産管理", "PC台帳の更新", "12.00"),  # 12 × 1 × 60 / 60
            ("IT資産管理", "リース契約の管理", "6.00"),  # 4 × 1 × 90 / 60
            ("IT資産管理", "廃棄PCのデータ消去", "16.67"),  # 25 × 40 / 60
        ),
        **hours(
            "総務部",
            ("受付", "来訪者の入館受付", "200.00"),  # 240 × 10 × 5 / 60
            ("受付", "会議室の準備", "160.00"),  # 240 × 4 × 10 / 60
            ("備品管理", "備品の貸出管理", "17.33"),  # 52 × 1 × 20 / 60
            ("備品管理", "名刺の発注", "8.00"),  # 12 × 4 × 10 / 60
        ),
    },
    categories={
        **kinds(
            "情報システム部",
            ("ヘルプデスク", "プリンタ障害対応", "it"),
        ),
        **kinds(
            "総務部",
            ("受付", "会議室の準備", "general_affairs"),
            ("備品管理", "名刺の発注", "general_affairs"),
        ),
    },
)
def merged_department_and_process_cells() -> bytes:
    workbook = w.new_workbook()
    sheet = workbook.active
    sheet.title = "業務一覧"
    sheet["A1"] = "管理部門 業務棚卸し"
    sheet["A1"].font = TITLE
    rows = [
        STANDARD,  # row 2
        ["情報システム部", "ヘルプデスク", "問い合わせ受付・一次回答", "日次", 15, 6, 1],  # 3
        [None, None, "ソフトウェアのインストール対応", "週次", 4, 20, 1],
        [None, None, "プリンタ障害対応", "月次", 3, 30, 1],
        [None, "IT資産管理", "PC台帳の更新", "月次", 1, 60, 1],  # 6
        [None, None, "リース契約の管理", "四半期", 1, 90, 1],
        [None, None, "廃棄PCのデータ消去", "随時", 25, 40, 1],  # 8
        ["総務部", "受付", "来訪者の入館受付", "日次", 10, 5, 1],  # 9
        [None, None, "会議室の準備", "日次", 4, 10, 1],
        [None, "備品管理", "備品の貸出管理", "週次", 1, 20, 1],  # 11
        [None, None, "名刺の発注", "月次", 4, 10, 1],  # 12
    ]
    w.put(sheet, rows, top=2)
    w.style_header(sheet, 2, 1, len(STANDARD))
    for cells in ("A3:A8", "B3:B5", "B6:B8", "A9:A12", "B9:B10", "B11:B12"):
        sheet.merge_cells(cells)
    w.widths(sheet, A=16, B=14, C=30)
    return w.save(workbook)


@case(
    name="fill_down_csv_cp932",
    about=(
        "CSV in CP932 (Excel's 「CSV（コンマ区切り）」); 部署 and 業務 written once per block and "
        "blank below (fill-down); 月次/日次/随時/年次"
    ),
    filename="kanri_tanaoroshi_sjis.csv",
    tasks={
        **hours(
            "経理部",
            ("請求書発行", "請求書の作成", "120.00"),  # 12 × 150 × 4 / 60
            ("請求書発行", "請求書の郵送", "60.00"),  # 12 × 150 × 2 / 60
            ("請求書発行", "電子請求書の送信", "12.00"),  # 12 × 60 × 1 / 60
            ("入金管理", "入金消込", "160.00"),  # 240 × 1 × 40 / 60
            ("入金管理", "未入金の督促", "30.00"),  # 12 × 10 × 15 / 60
        ),
        **hours(
            "人事部",
            ("入退社手続き", "入社時オリエンテーション", "45.00"),  # 30 × 90 / 60
            ("入退社手続き", "貸与物の回収", "5.00"),  # 20 × 15 / 60
            ("年末調整", "年末調整の計算", "100.00"),  # 1 × 3000 × 2 / 60
            ("年末調整", "還付金の支給処理", "4.00"),  # 1 × 240 / 60
        ),
    },
    categories={
        **kinds(
            "経理部",
            ("請求書発行", "請求書の作成", "accounting"),
        ),
        **kinds(
            "人事部",
            ("年末調整", "年末調整の計算", "hr"),
        ),
    },
)
def fill_down_csv_cp932() -> bytes:
    return w.delimited(
        [
            STANDARD,
            ["経理部", "請求書発行", "請求書の作成", "月次", 150, 4, 1],
            [None, None, "請求書の郵送", "月次", 150, 2, 1],
            [None, None, "電子請求書の送信", "月次", 60, 1, 1],
            [None, "入金管理", "入金消込", "日次", 1, 40, 1],
            [None, None, "未入金の督促", "月次", 10, 15, 1],
            ["人事部", "入退社手続き", "入社時オリエンテーション", "随時", 30, 90, 1],
            [None, None, "貸与物の回収", "随時", 20, 15, 1],
            [None, "年末調整", "年末調整の計算", "年次", 1, 3000, 2],
            [None, None, "還付金の支給処理", "年次", 1, 240, 1],
        ],
        encoding="cp932",
    )


# =================================================================================================
# Formats
# =================================================================================================


@case(
    name="xlsm_macro_enabled",
    about=(
        "a macro-enabled workbook (.xlsm content type); an author line above the header; 時間単価 "
        "as 「3,200円」; 週次/四半期/日次/月次/年次"
    ),
    filename="zaimu_tanaoroshi.xlsm",
    tasks=hours(
        "財務部",
        ("資金管理", "資金繰り表の更新", "52.00"),  # 52 × 1 × 60 / 60
        ("資金管理", "銀行への借入報告", "16.00"),  # 4 × 1 × 240 / 60
        ("資金管理", "日次資金残高の確認", "60.00"),  # 240 × 1 × 15 / 60
        ("予算管理", "予算実績対比表の作成", "60.00"),  # 12 × 1 × 300 / 60
        ("予算管理", "予算編成資料の取りまとめ", "120.00"),  # 1 × 2400 × 3 / 60
        ("税務", "法人税申告書の作成補助", "20.00"),  # 1 × 1200 / 60
        ("税務", "償却資産申告", "8.00"),  # 1 × 480 / 60
    ),
)
def xlsm_macro_enabled() -> bytes:
    workbook = w.new_workbook("中島 誠")
    sheet = workbook.active
    sheet.title = "棚卸し"
    sheet["A1"] = "財務部 業務棚卸し"
    sheet["A1"].font = TITLE
    sheet["A2"] = "記入者：中島 誠　記入日：2026/04/12"
    header = [*STANDARD, "時間単価", "備考"]
    rows = [
        ["財務部", "資金管理", "資金繰り表の更新", "週次", 1, 60, 1, "3,200円", None],
        ["財務部", "資金管理", "銀行への借入報告", "四半期", 1, 240, 1, "4,500円", None],
        ["財務部", "資金管理", "日次資金残高の確認", "日次", 1, 15, 1, "3,200円", None],
        ["財務部", "予算管理", "予算実績対比表の作成", "月次", 1, 300, 1, "3,800円", None],
        ["財務部", "予算管理", "予算編成資料の取りまとめ", "年次", 1, 2400, 3, "4,500円", "1〜2月"],
        ["財務部", "税務", "法人税申告書の作成補助", "年次", 1, 1200, 1, "3,800円", "税理士と連携"],
        ["財務部", "税務", "償却資産申告", "年次", 1, 480, 1, "3,200円", None],
    ]
    w.put(sheet, [header, *rows], top=4)
    w.style_header(sheet, 4, 1, len(header))
    w.widths(sheet, A=10, B=12, C=26)
    return w.as_xlsm(w.save(workbook))


@case(
    name="xls_legacy_merged_cells",
    about=(
        "Excel 97-2003 .xls: merged title, merged 部署 and 業務 cells, 人数 as 「2名」「1名」; "
        "年次/日次/随時/月次/不定期"
    ),
    filename="somu_tanaoroshi_2026.xls",
    tasks=hours(
        "総務部",
        ("株主総会", "招集通知の作成", "40.00"),  # 1 × 1200 × 2 / 60
        ("株主総会", "議事録の作成", "6.00"),  # 1 × 360 × 1 / 60
        ("法務", "契約書の押印管理", "60.00"),  # 240 × 3 × 5 / 60
        ("法務", "印鑑証明書の取得", "12.00"),  # 12 × 60 / 60
        ("車両管理", "車検・点検の手配", "6.00"),  # 8 × 45 / 60
        ("車両管理", "ガソリンカードの精算", "8.00"),  # 12 × 1 × 40 / 60
        ("保険", "損害保険の更新手続き", "6.00"),  # 1 × 2 × 180 / 60
        ("慶弔", "慶弔見舞金の手配", "5.00"),  # 15 × 20 / 60
    ),
)
def xls_legacy_merged_cells() -> bytes:
    # Row indexes are 0-based (xlwt): index 3 is the spreadsheet's row 4.
    rows = [
        ["総務部 業務棚卸し表"],  # 0
        [],  # 1
        [*STANDARD, "備考"],  # 2
        ["総務部", "株主総会", "招集通知の作成", "年次", 1, 1200, "2名", None],  # 3
        [None, None, "議事録の作成", "年次", 1, 360, "1名", None],  # 4
        [None, "法務", "契約書の押印管理", "日次", 3, 5, "1名", None],  # 5
        [None, None, "印鑑証明書の取得", "随時", 12, 60, "1名", None],  # 6
        [None, "車両管理", "車検・点検の手配", "随時", 8, 45, "1名", None],  # 7
        [None, None, "ガソリンカードの精算", "月次", 1, 40, "1名", None],  # 8
        [None, "保険", "損害保険の更新手続き", "年次", 2, 180, "1名", "火災・賠償"],  # 9
        [None, "慶弔", "慶弔見舞金の手配", "不定期", 15, 20, "1名", None],  # 10
    ]
    return w.xls(
        [
            XlsSheet(
                "業務棚卸し",
                rows,
                merges=[(0, 0, 0, 7), (3, 10, 0, 0), (3, 4, 1, 1), (5, 6, 1, 1), (7, 8, 1, 1)],
                bold_rows={2},
            )
        ]
    )


@case(
    name="xls_hidden_rows",
    about=(
        "Excel 97-2003 .xls with hidden rows (discontinued work, 備考「…廃止」): skipped as in "
        ".xlsx and .ods; title row; 週次/月次/日次/四半期"
    ),
    filename="keiri_kyuyoshiki.xls",
    tasks=hours(
        "経理部",
        ("出納", "小口現金の精算", "26.00"),  # 52 × 1 × 30 / 60
        ("債権管理", "入金消込", "140.00"),  # 240 × 1 × 35 / 60
        ("債権管理", "電子請求書の発行", "40.00"),  # 12 × 200 × 1 / 60
        ("決算", "月次試算表の確認", "18.00"),  # 12 × 1 × 90 / 60
        ("決算", "決算短信の数値確認", "20.00"),  # 4 × 1 × 150 × 2 / 60
    ),
)
def xls_hidden_rows() -> bytes:
    # Row indexes are 0-based (xlwt): indexes 4 and 6 are the spreadsheet's rows 5 and 7.
    rows = [
        ["経理部 業務棚卸し（旧様式）"],  # 0
        [],  # 1
        [*STANDARD, "備考"],  # 2
        ["経理部", "出納", "小口現金の精算", "週次", 1, 30, 1, None],  # 3
        ["経理部", "出納", "手形の期日管理", "月次", 1, 60, 1, "2025年度で廃止"],  # 4, hidden
        ["経理部", "債権管理", "入金消込", "日次", 1, 35, 1, None],  # 5
        ["経理部", "債権管理", "請求書の郵送", "月次", 200, 2, 1, "電子化で廃止"],  # 6, hidden
        ["経理部", "債権管理", "電子請求書の発行", "月次", 200, 1, 1, None],  # 7
        ["経理部", "決算", "月次試算表の確認", "月次", 1, 90, 1, None],  # 8
        ["経理部", "決算", "決算短信の数値確認", "四半期", 1, 150, 2, None],  # 9
    ]
    return w.xls([XlsSheet("経理部", rows, hidden_rows={4, 6}, bold_rows={2})])


@case(
    name="ods_merged_hidden_rows",
    about=(
        "LibreOffice .ods: title row, merged 部署 and 業務 cells, a hidden (collapsed) "
        "discontinued row inside a merged block; 四半期/週次/月次/随時"
    ),
    filename="jinji_saiyo_kenshu.ods",
    tasks=hours(
        "人事部",
        ("採用", "求人票の作成", "12.00"),  # 4 × 2 × 90 / 60
        ("採用", "応募者対応", "130.00"),  # 52 × 10 × 15 / 60
        ("採用", "内定者フォロー", "30.00"),  # 12 × 5 × 30 / 60
        ("研修", "階層別研修の運営", "96.00"),  # 4 × 1 × 720 × 2 / 60
        ("研修", "eラーニングの受講管理", "12.00"),  # 12 × 1 × 60 / 60
        ("労務", "労災申請の手続き", "12.00"),  # 4 × 180 / 60
    ),
)
def ods_merged_hidden_rows() -> bytes:
    # Row indexes are 0-based (odfpy): index 6 is the spreadsheet's row 7.
    rows = [
        ["人事部 業務棚卸し（2026年4月）"],  # 0
        [],  # 1
        [*STANDARD, "備考"],  # 2
        ["人事部", "採用", "求人票の作成", "四半期", 2, 90, 1, None],  # 3
        [None, None, "応募者対応", "週次", 10, 15, 1, None],  # 4
        [None, None, "内定者フォロー", "月次", 5, 30, 1, None],  # 5
        [None, None, "合同説明会の出展", "年次", 1, 960, 3, "2025年度で廃止"],  # 6, hidden
        [None, "研修", "階層別研修の運営", "四半期", 1, 720, 2, None],  # 7
        [None, None, "eラーニングの受講管理", "月次", 1, 60, 1, None],  # 8
        [None, "労務", "労災申請の手続き", "随時", 4, 180, 1, None],  # 9
    ]
    return w.ods(
        [
            OdsSheet(
                "採用・研修",
                rows,
                merges=[(3, 0, 7, 1), (3, 1, 4, 1), (7, 1, 2, 1)],
                hidden_rows={6},
            )
        ]
    )


@case(
    name="csv_utf8_bom_yes_no_words",
    about=(
        "CSV in UTF-8 with BOM; yes/no as あり/なし, 有り/無し and ○/△/×; confidentiality "
        "個人情報/社外秘/機密; デイリー/毎週/毎月/四半期"
    ),
    filename="cs_tanaoroshi_bom.csv",
    tasks=hours(
        "カスタマーサポート",
        ("受注窓口", "電話注文の受付", "3200.00"),  # 240 × 80 × 5 × 2 / 60
        ("受注窓口", "注文内容のシステム登録", "960.00"),  # 240 × 80 × 3 / 60
        ("返品対応", "返品受付", "130.00"),  # 52 × 15 × 10 / 60
        ("返品対応", "返金処理", "104.00"),  # 52 × 15 × 8 / 60
        ("問い合わせ対応", "問い合わせ履歴の分析", "48.00"),  # 12 × 1 × 240 / 60
        ("問い合わせ対応", "応対マニュアルの改訂", "20.00"),  # 4 × 1 × 300 / 60
    ),
    categories=kinds(
        "カスタマーサポート",
        ("問い合わせ対応", "応対マニュアルの改訂", "customer_support"),
    ),
)
def csv_utf8_bom_yes_no_words() -> bytes:
    cs = "カスタマーサポート"
    volumes = [
        [cs, "受注窓口", "電話注文の受付", "デイリー", 80, 5, 2],
        [cs, "受注窓口", "注文内容のシステム登録", "デイリー", 80, 3, 1],
        [cs, "返品対応", "返品受付", "毎週", 15, 10, 1],
        [cs, "返品対応", "返金処理", "毎週", 15, 8, 1],
        [cs, "問い合わせ対応", "問い合わせ履歴の分析", "毎月", 1, 240, 1],
        [cs, "問い合わせ対応", "応対マニュアルの改訂", "四半期", 1, 300, 1],
    ]
    # マニュアル, 成果物明確, 機密性, 標準化 of the same rows
    words = [
        ["あり", "有り", "個人情報", "○"],
        ["あり", "有り", "個人情報", "○"],
        ["なし", "有り", "社外秘", "△"],
        ["あり", "無し", "機密", "○"],
        ["なし", "無し", "社外秘", "×"],
        ["なし", "有り", "社外秘", "△"],
    ]
    header = [*STANDARD, "マニュアル", "成果物明確", "機密性", "標準化"]
    rows = [[*volume, *word] for volume, word in zip(volumes, words, strict=True)]
    return w.delimited([header, *rows], encoding="utf-8-sig")


@case(
    name="csv_cp932_halfwidth_kana_call_centre",
    about=(
        "CSV in CP932 from a core system: half-width katakana names (ｶｽﾀﾏｰｻﾎﾟｰﾄ, NFKC), "
        "full-width digits (「１２０」), thousands separators (「2,000」「1,200」), headers "
        "部署名/業務名/作業名/件数/処理時間(分); a call centre taking 2,000 calls × 6 minutes a day"
    ),
    filename="cc_export_sjis.csv",
    tasks=hours(
        "カスタマーサポート",
        ("コールセンター", "着信対応", "48000.00"),  # 240 × 2000 × 6 / 60
        ("コールセンター", "後処理(ACW)", "16000.00"),  # 240 × 2000 × 2 / 60
        ("コールセンター", "折り返し電話", "2400.00"),  # 240 × 120 × 5 / 60
        ("コールセンター", "シフト作成", "240.00"),  # 12 × 1 × 1200 / 60
        ("品質管理", "応対評価", "260.00"),  # 52 × 20 × 15 / 60
        ("品質管理", "VOCレポート作成", "60.00"),  # 12 × 1 × 300 / 60
    ),
    categories=kinds(
        "カスタマーサポート",
        ("コールセンター", "着信対応", "customer_support"),
    ),
)
def csv_cp932_halfwidth_kana_call_centre() -> bytes:
    cs = "ｶｽﾀﾏｰｻﾎﾟｰﾄ"  # NFKC: カスタマーサポート
    cc = "ｺｰﾙｾﾝﾀｰ"  # NFKC: コールセンター
    return w.delimited(
        [
            ["部署名", "業務名", "作業名", "頻度", "件数", "処理時間(分)", "人数"],
            [cs, cc, "着信対応", "毎日", "2,000", 6, 1],
            [cs, cc, "後処理（ACW）", "毎日", "2,000", 2, 1],  # NFKC: 後処理(ACW)
            [cs, cc, "折り返し電話", "毎日", "１２０", "５", 1],
            [cs, cc, "シフト作成", "毎月", 1, "1,200", 1],
            [cs, "品質管理", "応対評価", "毎週", "２０", "１５", 1],
            [cs, "品質管理", "VOCレポート作成", "毎月", 1, "３００", 1],
        ],
        encoding="cp932",
    )


@case(
    name="tsv_days_per_year_365",
    about=(
        "TSV in UTF-8 from a groupware export; 稼働日数 365 for work that runs every day (blank: "
        "240); frequency 「日」 alone, 週次/毎週/月次/半期"
    ),
    filename="joushis_kanshi.tsv",
    tasks=hours(
        "情報システム部",
        ("システム監視", "夜間バッチの結果確認", "91.25"),  # 365 × 1 × 15 / 60
        ("システム監視", "サーバー死活監視", "121.67"),  # 365 × 4 × 5 / 60
        ("ヘルプデスク", "障害一次受付", "240.00"),  # 240 × 6 × 10 / 60
        ("ネットワーク", "VPN接続トラブル対応", "65.00"),  # 52 × 3 × 25 / 60
        ("ネットワーク", "ファイアウォールのログ確認", "39.00"),  # 52 × 1 × 45 / 60
        ("基幹システム", "マスタ登録依頼の対応", "40.00"),  # 12 × 20 × 10 / 60
        ("基幹システム", "ユーザー権限の棚卸し", "12.00"),  # 2 × 1 × 360 / 60
    ),
    categories=kinds(
        "情報システム部",
        ("システム監視", "夜間バッチの結果確認", "it"),
    ),
)
def tsv_days_per_year_365() -> bytes:
    it = "情報システム部"
    return w.delimited(
        [
            [*STANDARD, "稼働日数"],
            [it, "システム監視", "夜間バッチの結果確認", "日", 1, 15, 1, 365],
            [it, "システム監視", "サーバー死活監視", "日", 4, 5, 1, 365],
            [it, "ヘルプデスク", "障害一次受付", "日", 6, 10, 1, None],
            [it, "ネットワーク", "VPN接続トラブル対応", "週次", 3, 25, 1, None],
            [it, "ネットワーク", "ファイアウォールのログ確認", "毎週", 1, 45, 1, None],
            [it, "基幹システム", "マスタ登録依頼の対応", "月次", 20, 10, 1, None],
            [it, "基幹システム", "ユーザー権限の棚卸し", "半期", 1, 360, 1, None],
        ],
        encoding="utf-8",
        delimiter="\t",
    )


@case(
    name="txt_utf16_frequency_with_count",
    about=(
        "a .txt in UTF-16 with BOM, tab-separated (Excel's 「Unicode テキスト」); no 回数 column: "
        "「月3回」「週2回」「年4回」「月1回」 give frequency and occurrences together; 四半期"
    ),
    filename="keiri_unicode.txt",
    tasks=hours(
        "経理部",
        ("支払業務", "支払処理", "36.00"),  # 12 × 3 × 60 / 60
        ("支払業務", "小切手・手形の管理", "34.67"),  # 52 × 2 × 20 / 60
        ("税務", "源泉所得税の納付", "6.00"),  # 12 × 1 × 30 / 60
        ("監査対応", "監査法人への資料提出", "64.00"),  # 4 × 480 × 2 / 60
        ("決算", "四半期決算の開示資料作成", "160.00"),  # 4 × 1 × 1200 × 2 / 60
        ("仕訳", "経費仕訳の入力", "156.00"),  # 52 × 2 × 90 / 60
        ("売掛金", "入金確認", "52.00"),  # 52 × 2 × 30 / 60
    ),
    categories=kinds(
        "経理部",
        ("決算", "四半期決算の開示資料作成", "accounting"),
    ),
)
def txt_utf16_frequency_with_count() -> bytes:
    return w.delimited(
        [
            ["部署", "業務", "作業", "頻度", "所要時間(分)", "人数"],
            ["経理部", "支払業務", "支払処理", "月3回", 60, 1],
            ["経理部", "支払業務", "小切手・手形の管理", "週2回", 20, 1],
            ["経理部", "税務", "源泉所得税の納付", "月1回", 30, 1],
            ["経理部", "監査対応", "監査法人への資料提出", "年4回", 480, 2],
            ["経理部", "決算", "四半期決算の開示資料作成", "四半期", 1200, 2],
            ["経理部", "仕訳", "経費仕訳の入力", "週2回", 90, 1],
            ["経理部", "売掛金", "入金確認", "週2回", 30, 1],
        ],
        encoding="utf-16",
        delimiter="\t",
    )


@case(
    name="formula_without_cached_value_refused",
    about=(
        "a 所要時間(分) formula cell with no cached value (F7, =1.5*60, saved by a tool that does "
        "not calculate): refused, naming the cell"
    ),
    filename="keiri_formula_nocache.xlsx",
    refused=("F7",),
)
def formula_without_cached_value_refused() -> bytes:
    workbook = w.new_workbook()
    sheet = workbook.active
    sheet.title = "経理部"
    rows = [
        STANDARD,
        ["経理部", "仕訳", "仕訳入力", "日次", 5, 6, 1],
        ["経理部", "仕訳", "仕訳の承認", "日次", 1, 20, 1],
        ["経理部", "支払業務", "振込データの作成", "週次", 1, 40, 1],
        ["経理部", "支払業務", "支払明細の送付", "月次", 30, 4, 1],
        ["経理部", "月次決算", "試算表の確認", "月次", 1, 120, 1],
        ["経理部", "月次決算", "月次報告書の作成", "月次", 1, "=1.5*60", 1],  # row 7
        ["経理部", "年次決算", "決算書の作成", "年次", 1, 2400, 2],
    ]
    w.put(sheet, rows)
    assert sheet["F7"].data_type == "f"
    return w.save(workbook)


# =================================================================================================
# Durations
# =================================================================================================


@case(
    name="duration_header_hours_h",
    about="the unit in the header: 所要時間(h), values in hours (6, 8, 2.5, 0.5, 0.75, 1.5, 1.25)",
    filename="jinji_kousu_h.xlsx",
    tasks=hours(
        "人事部",
        ("給与計算", "住民税の更新", "6.00"),  # 1 × 6 h
        ("給与計算", "給与改定の反映", "16.00"),  # 1 × 8 h × 2
        ("勤怠管理", "勤怠の締め確認", "30.00"),  # 12 × 2.5 h
        ("勤怠管理", "休暇申請の確認", "26.00"),  # 52 × 0.5 h
        ("入退社手続き", "社会保険の喪失手続き", "11.25"),  # 15 × 0.75 h
        ("入退社手続き", "退職金の計算", "9.00"),  # 6 × 1.5 h
        ("労務", "労働時間の集計報告", "15.00"),  # 12 × 1.25 h
    ),
)
def duration_header_hours_h() -> bytes:
    workbook = w.new_workbook()
    sheet = workbook.active
    sheet.title = "人事部"
    rows = [
        ["部署", "業務", "作業", "頻度", "回数", "所要時間(h)", "人数"],
        ["人事部", "給与計算", "住民税の更新", "年次", 1, 6, 1],
        ["人事部", "給与計算", "給与改定の反映", "年次", 1, 8, 2],
        ["人事部", "勤怠管理", "勤怠の締め確認", "月次", 1, 2.5, 1],
        ["人事部", "勤怠管理", "休暇申請の確認", "週次", 1, 0.5, 1],
        ["人事部", "入退社手続き", "社会保険の喪失手続き", "随時", 15, 0.75, 1],
        ["人事部", "入退社手続き", "退職金の計算", "随時", 6, 1.5, 1],
        ["人事部", "労務", "労働時間の集計報告", "月次", 1, 1.25, 1],
    ]
    w.put(sheet, rows)
    w.style_header(sheet, 1, 1, 7)
    return w.save(workbook)


@case(
    name="duration_header_jikan_fullwidth_parens",
    about=(
        "the unit in the header with full-width parentheses: 作業時間（時間）; a monthly 月次決算 "
        "of 40 hours and a year-end closing of 80 hours; 月次/年次/四半期/日次"
    ),
    filename="keiri_sagyou_jikan.xlsx",
    tasks=hours(
        "経理部",
        ("決算", "月次決算", "480.00"),  # 12 × 1 × 40 h
        ("決算", "年次決算(年度末締め)", "80.00"),  # 1 × 80 h
        ("決算", "連結パッケージの作成", "64.00"),  # 4 × 1 × 16 h
        ("管理会計", "部門別損益の集計", "72.00"),  # 12 × 1 × 6 h
        ("管理会計", "原価計算", "288.00"),  # 12 × 1 × 12 h × 2
        ("出納", "売上金の入金処理", "120.00"),  # 240 × 1 × 0.5 h
        ("出納", "振込手数料の確認", "12.00"),  # 12 × 1 × 1 h
    ),
    categories=kinds(
        "経理部",
        ("決算", "月次決算", "accounting"),
    ),
)
def duration_header_jikan_fullwidth_parens() -> bytes:
    workbook = w.new_workbook()
    sheet = workbook.active
    sheet.title = "経理部"
    sheet["A1"] = "経理部 作業時間調査"
    header = ["部署", "業務", "作業", "頻度", "回数", "作業時間（時間）", "人数"]
    rows = [
        ["経理部", "決算", "月次決算", "月次", 1, 40, 1],
        ["経理部", "決算", "年次決算（年度末締め）", "年次", 1, 80, 1],  # NFKC: (年度末締め)
        ["経理部", "決算", "連結パッケージの作成", "四半期", 1, 16, 1],
        ["経理部", "管理会計", "部門別損益の集計", "月次", 1, 6, 1],
        ["経理部", "管理会計", "原価計算", "月次", 1, 12, 2],
        ["経理部", "出納", "売上金の入金処理", "日次", 1, 0.5, 1],
        ["経理部", "出納", "振込手数料の確認", "月次", 1, 1, 1],
    ]
    w.put(sheet, [header, *rows], top=2)
    w.style_header(sheet, 2, 1, 7)
    return w.save(workbook)


@case(
    name="duration_header_seconds",
    about=(
        "the unit in the header in seconds: 平均処理時間（秒） (a contact centre's handling "
        "time; not リードタイム, which is elapsed time, not work); 日次/週次"
    ),
    filename="cs_shori_jikan_byou.xlsx",
    tasks=hours(
        "カスタマーサポート部",
        ("入電対応", "注文の電話受付", "4800.00"),  # 240 × 300 × 240 / 3600
        ("入電対応", "住所変更の受付", "480.00"),  # 240 × 40 × 180 / 3600
        ("入電対応", "配送状況の問い合わせ", "720.00"),  # 240 × 120 × 90 / 3600
        ("発信", "督促コール", "216.67"),  # 52 × 50 × 300 / 3600
        ("後処理", "応対履歴の入力", "1380.00"),  # 240 × 460 × 45 / 3600
        ("管理", "日報の作成", "60.00"),  # 240 × 1 × 900 / 3600
    ),
)
def duration_header_seconds() -> bytes:
    workbook = w.new_workbook()
    sheet = workbook.active
    sheet.title = "処理時間"
    cs = "カスタマーサポート部"
    rows = [
        ["部署", "業務", "作業", "頻度", "件数", "平均処理時間（秒）", "人数"],
        [cs, "入電対応", "注文の電話受付", "日次", 300, 240, 1],
        [cs, "入電対応", "住所変更の受付", "日次", 40, 180, 1],
        [cs, "入電対応", "配送状況の問い合わせ", "日次", 120, 90, 1],
        [cs, "発信", "督促コール", "週次", 50, 300, 1],
        [cs, "後処理", "応対履歴の入力", "日次", 460, 45, 1],
        [cs, "管理", "日報の作成", "日次", 1, 900, 1],
    ]
    w.put(sheet, rows)
    w.style_header(sheet, 1, 1, 7)
    return w.save(workbook)


@case(
    name="duration_units_in_cells_xlsx",
    about=(
        "a 所要時間 header without a unit, the unit in each cell: 「40時間」「2時間30分」"
        "「30分」「1.5時間」「0:45」「5分」「20分」「0:20」 (text); a monthly 月次決算 of "
        "40時間; 毎月/毎日/毎週/都度"
    ),
    filename="keiri_tani_tsuki.xlsx",
    tasks=hours(
        "経理部",
        ("月次決算", "月次決算", "480.00"),  # 12 × 1 × 40 h
        ("月次決算", "月次の部門配賦", "30.00"),  # 12 × 1 × 150 / 60
        ("経費精算", "領収書の突合", "120.00"),  # 240 × 1 × 30 / 60
        ("経費精算", "精算データの承認", "78.00"),  # 52 × 1 × 90 / 60
        ("支払業務", "振込の承認", "78.00"),  # 52 × 2 × 45 / 60
        ("支払業務", "支払通知書の送付", "30.00"),  # 12 × 30 × 5 / 60
        ("請求書発行", "請求書の再発行対応", "8.00"),  # 24 × 20 / 60
        ("会計システム", "仕訳データの取込", "80.00"),  # 240 × 1 × 20 / 60
    ),
    categories=kinds(
        "経理部",
        ("月次決算", "月次決算", "accounting"),
    ),
)
def duration_units_in_cells_xlsx() -> bytes:
    workbook = w.new_workbook()
    sheet = workbook.active
    sheet.title = "経理部"
    rows = [
        ["部署", "業務", "作業", "頻度", "回数", "所要時間", "人数"],
        ["経理部", "月次決算", "月次決算", "毎月", 1, "40時間", 1],
        ["経理部", "月次決算", "月次の部門配賦", "毎月", 1, "2時間30分", 1],
        ["経理部", "経費精算", "領収書の突合", "毎日", 1, "30分", 1],
        ["経理部", "経費精算", "精算データの承認", "毎週", 1, "1.5時間", 1],
        ["経理部", "支払業務", "振込の承認", "毎週", 2, "0:45", 1],
        ["経理部", "支払業務", "支払通知書の送付", "毎月", 30, "5分", 1],
        ["経理部", "請求書発行", "請求書の再発行対応", "都度", 24, "20分", 1],
        ["経理部", "会計システム", "仕訳データの取込", "毎日", 1, "0:20", 1],
    ]
    w.put(sheet, rows)
    for row in range(2, len(rows) + 1):
        sheet.cell(row=row, column=6).number_format = "@"  # typed as text
    w.style_header(sheet, 1, 1, 7)
    return w.save(workbook)


@case(
    name="duration_units_in_cells_csv_cp932",
    about=(
        "CSV in CP932; the unit in each 所要時間 cell (「5分」「3時間」「1:30」「1時間15分」) and "
        "people as 「1名」「2名」「3名」; 毎日/毎月/半期"
    ),
    filename="somu_tani_sjis.csv",
    tasks=hours(
        "総務部",
        ("受付", "来客受付", "200.00"),  # 240 × 10 × 5 / 60
        ("受付", "会議室の片付け", "120.00"),  # 240 × 3 × 10 / 60
        ("庶務", "社内報の作成", "72.00"),  # 12 × 1 × 180 × 2 / 60
        ("庶務", "郵便料金の集計", "18.00"),  # 12 × 1 × 90 / 60
        ("備品管理", "備品棚卸し", "7.50"),  # 2 × 1 × 75 × 3 / 60
        ("備品管理", "社用携帯の管理", "9.00"),  # 12 × 1 × 45 / 60
    ),
    categories=kinds(
        "総務部",
        ("受付", "来客受付", "general_affairs"),
    ),
)
def duration_units_in_cells_csv_cp932() -> bytes:
    return w.delimited(
        [
            ["部署", "業務", "作業", "頻度", "回数", "所要時間", "人数"],
            ["総務部", "受付", "来客受付", "毎日", 10, "5分", "1名"],
            ["総務部", "受付", "会議室の片付け", "毎日", 3, "10分", "1名"],
            ["総務部", "庶務", "社内報の作成", "毎月", 1, "3時間", "2名"],
            ["総務部", "庶務", "郵便料金の集計", "毎月", 1, "1:30", "1名"],
            ["総務部", "備品管理", "備品棚卸し", "半期", 1, "1時間15分", "3名"],
            ["総務部", "備品管理", "社用携帯の管理", "毎月", 1, "45分", "1名"],
        ],
        encoding="cp932",
    )


@case(
    name="excel_time_cells_h_mm",
    about=(
        "所要時間 as Excel time cells (number format h:mm: 0:20, 3:00, 4:30, 0:15, 1:40, 2:00); "
        "日次/月次/随時"
    ),
    filename="jinji_jikoku_keishiki.xlsx",
    tasks=hours(
        "人事部",
        ("勤怠管理", "勤怠エラーの修正", "80.00"),  # 240 × 1 × 20 / 60
        ("勤怠管理", "残業時間の集計", "36.00"),  # 12 × 1 × 180 / 60
        ("給与計算", "給与明細の確認", "108.00"),  # 12 × 1 × 270 × 2 / 60
        ("給与計算", "控除額の変更登録", "15.00"),  # 12 × 5 × 15 / 60
        ("社会保険手続き", "出産手当金の申請", "6.67"),  # 4 × 100 / 60
        ("社会保険手続き", "傷病手当金の申請", "6.00"),  # 3 × 120 / 60
    ),
)
def excel_time_cells_h_mm() -> bytes:
    workbook = w.new_workbook()
    sheet = workbook.active
    sheet.title = "人事部"
    rows = [
        ["部署", "業務", "作業", "頻度", "回数", "所要時間", "人数"],
        ["人事部", "勤怠管理", "勤怠エラーの修正", "日次", 1, dt.time(0, 20), 1],
        ["人事部", "勤怠管理", "残業時間の集計", "月次", 1, dt.time(3, 0), 1],
        ["人事部", "給与計算", "給与明細の確認", "月次", 1, dt.time(4, 30), 2],
        ["人事部", "給与計算", "控除額の変更登録", "月次", 5, dt.time(0, 15), 1],
        ["人事部", "社会保険手続き", "出産手当金の申請", "随時", 4, dt.time(1, 40), 1],
        ["人事部", "社会保険手続き", "傷病手当金の申請", "随時", 3, dt.time(2, 0), 1],
    ]
    w.put(sheet, rows)
    for row in range(2, len(rows) + 1):
        sheet.cell(row=row, column=6).number_format = "h:mm"
    w.style_header(sheet, 1, 1, 7)
    return w.save(workbook)


@case(
    name="duration_cells_bracket_h_mm",
    about=(
        "所要時間 as [h]:mm duration cells, some over 24 hours (26:00 for the closing, 30:30); "
        "年次/月次/日次/四半期"
    ),
    filename="keiri_kessan_jikan.xlsx",
    tasks=hours(
        "経理部",
        ("年次決算", "決算書の作成", "52.00"),  # 1 × 26 h × 2
        ("年次決算", "税務申告書の作成", "30.50"),  # 1 × 30.5 h
        ("月次決算", "月次試算表の作成", "144.00"),  # 12 × 12 h
        ("月次決算", "月次の未払計上", "21.00"),  # 12 × 105 / 60
        ("債権管理", "入金消込", "200.00"),  # 240 × 50 / 60
        ("予算管理", "予算実績差異分析", "37.33"),  # 4 × 560 / 60
    ),
)
def duration_cells_bracket_h_mm() -> bytes:
    workbook, stream = w.new_xlsxwriter()
    sheet = workbook.add_worksheet("経理部")
    header = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    duration = workbook.add_format({"num_format": "[h]:mm"})
    sheet.write_row(
        0, 0, ["部署", "業務", "作業", "頻度", "回数", "1回あたり所要時間", "人数"], header
    )
    rows = [
        ["経理部", "年次決算", "決算書の作成", "年次", 1, (26, 0), 2],
        ["経理部", "年次決算", "税務申告書の作成", "年次", 1, (30, 30), 1],
        ["経理部", "月次決算", "月次試算表の作成", "月次", 1, (12, 0), 1],
        ["経理部", "月次決算", "月次の未払計上", "月次", 1, (1, 45), 1],
        ["経理部", "債権管理", "入金消込", "日次", 1, (0, 50), 1],
        ["経理部", "予算管理", "予算実績差異分析", "四半期", 1, (9, 20), 1],
    ]
    for r, (department, process, task, frequency, count, (hours, minutes), people) in enumerate(
        rows, start=1
    ):
        sheet.write_row(r, 0, [department, process, task, frequency, count])
        sheet.write_number(r, 5, _hhmm(hours, minutes), duration)
        sheet.write_number(r, 6, people)
    sheet.set_column("C:C", 20)
    sheet.set_column("F:F", 16)
    workbook.close()
    return stream.getvalue()


@case(
    name="unitless_minutes_plausible",
    about=(
        "a 所要時間 column without a unit whose values are plainly minutes (30, 120, 3, 15, 45, "
        "10, 60, 90): read as minutes; CSV in UTF-8; 毎週/四半期/毎日/随時/毎月"
    ),
    filename="somu_shoyo_jikan.csv",
    tasks=hours(
        "総務部",
        ("文書管理", "稟議書のファイリング", "26.00"),  # 52 × 1 × 30 / 60
        ("文書管理", "社内規程の改定管理", "8.00"),  # 4 × 1 × 120 / 60
        ("受付", "電話取次ぎ", "240.00"),  # 240 × 20 × 3 / 60
        ("庶務", "出張の手配", "15.00"),  # 60 × 15 / 60
        ("庶務", "タクシーチケットの管理", "9.00"),  # 12 × 1 × 45 / 60
        ("施設管理", "空調・照明の不具合連絡", "4.00"),  # 24 × 10 / 60
        ("施設管理", "ビル管理会社との定例会", "24.00"),  # 12 × 1 × 60 × 2 / 60
        ("安全衛生", "衛生委員会の運営", "18.00"),  # 12 × 1 × 90 / 60
    ),
)
def unitless_minutes_plausible() -> bytes:
    return w.delimited(
        [
            ["部署", "業務", "作業", "頻度", "回数", "所要時間", "人数"],
            ["総務部", "文書管理", "稟議書のファイリング", "毎週", 1, 30, 1],
            ["総務部", "文書管理", "社内規程の改定管理", "四半期", 1, 120, 1],
            ["総務部", "受付", "電話取次ぎ", "毎日", 20, 3, 1],
            ["総務部", "庶務", "出張の手配", "随時", 60, 15, 1],
            ["総務部", "庶務", "タクシーチケットの管理", "毎月", 1, 45, 1],
            ["総務部", "施設管理", "空調・照明の不具合連絡", "随時", 24, 10, 1],
            ["総務部", "施設管理", "ビル管理会社との定例会", "毎月", 1, 60, 2],
            ["総務部", "安全衛生", "衛生委員会の運営", "毎月", 1, 90, 1],
        ],
        encoding="utf-8",
    )


@case(
    name="unitless_hours_refused",
    about=(
        "a 所要時間 column without a unit whose values are plainly hours (1.5, 0.5, 2, 8, 0.25, "
        "1, 3): refused, naming the column"
    ),
    filename="keiri_shoyo_jikan.xlsx",
    refused=("所要時間",),
)
def unitless_hours_refused() -> bytes:
    workbook = w.new_workbook()
    sheet = workbook.active
    sheet.title = "経理部"
    rows = [
        ["部署", "業務", "作業", "頻度", "回数", "所要時間", "人数"],
        ["経理部", "仕訳", "伝票の起票", "日次", 1, 1.5, 1],
        ["経理部", "仕訳", "伝票の承認", "日次", 1, 0.5, 1],
        ["経理部", "月次決算", "試算表の作成", "月次", 1, 2, 1],
        ["経理部", "月次決算", "月次決算の締め", "月次", 1, 8, 2],
        ["経理部", "支払業務", "振込の承認", "週次", 2, 0.25, 1],
        ["経理部", "支払業務", "支払予定表の更新", "週次", 1, 1, 1],
        ["経理部", "固定資産", "固定資産台帳の更新", "四半期", 1, 3, 1],
    ]
    w.put(sheet, rows)
    return w.save(workbook)


# =================================================================================================
# Stated hours
# =================================================================================================


@case(
    name="stated_annual_hours_only_csv",
    about=(
        "CSV in UTF-8 with BOM: a 年間時間 column only, no frequency, occurrences or minutes "
        "(推定積み上げ); departments 経営企画部, 法務部, 広報部"
    ),
    filename="honsha_nenkan_jikan.csv",
    tasks={
        **hours(
            "経営企画部",
            ("中期経営計画", "計画策定資料の作成", "320.00"),  # stated
            ("取締役会", "取締役会資料の取りまとめ", "96.00"),  # stated
            ("市場調査", "競合他社の調査", "150.50"),  # stated
        ),
        **hours(
            "法務部",
            ("契約審査", "取引基本契約書のレビュー", "420.00"),  # stated
            ("商標管理", "商標の更新手続き", "18.00"),  # stated
        ),
        **hours(
            "広報部",
            ("プレスリリース", "リリース文の作成", "64.00"),  # stated
            ("Webサイト", "お知らせページの更新", "36.00"),  # stated
            ("社内報", "社内報の編集", "72.00"),  # stated
        ),
    },
)
def stated_annual_hours_only_csv() -> bytes:
    return w.delimited(
        [
            ["部署", "業務", "作業", "年間時間", "備考"],
            ["経営企画部", "中期経営計画", "計画策定資料の作成", 320, "3か年計画の年度更新"],
            ["経営企画部", "取締役会", "取締役会資料の取りまとめ", 96, "月1回×8時間"],
            ["経営企画部", "市場調査", "競合他社の調査", 150.5, None],
            ["法務部", "契約審査", "取引基本契約書のレビュー", 420, "年間約140件"],
            ["法務部", "商標管理", "商標の更新手続き", 18, None],
            ["広報部", "プレスリリース", "リリース文の作成", 64, None],
            ["広報部", "Webサイト", "お知らせページの更新", 36, None],
            ["広報部", "社内報", "社内報の編集", 72, "隔月発行"],
        ],
        encoding="utf-8-sig",
    )


@case(
    name="stated_monthly_hours_only",
    about="a 月間時間(h) column only (比率算出), × 12; title row",
    filename="kanri_gekkan_jikan.xlsx",
    tasks={
        **hours(
            "人事部",
            ("労務管理", "勤怠管理全般", "288.00"),  # 24 × 12
            ("給与計算", "給与計算業務一式", "198.00"),  # 16.5 × 12
            ("社会保険手続き", "社会保険の各種届出", "96.00"),  # 8 × 12
        ),
        **hours(
            "総務部",
            ("庶務", "庶務全般", "480.00"),  # 40 × 12
            ("受付", "受付・電話対応", "720.00"),  # 60 × 12
            ("備品管理", "備品・消耗品の管理", "51.00"),  # 4.25 × 12
            ("文書管理", "文書の保管・廃棄", "30.00"),  # 2.5 × 12
        ),
    },
    categories={
        **kinds(
            "人事部",
            ("給与計算", "給与計算業務一式", "hr"),
        ),
        **kinds(
            "総務部",
            ("受付", "受付・電話対応", "general_affairs"),
        ),
    },
)
def stated_monthly_hours_only() -> bytes:
    workbook = w.new_workbook()
    sheet = workbook.active
    sheet.title = "月間時間"
    sheet["A1"] = "管理部門 業務時間（月平均）"
    sheet["A1"].font = TITLE
    rows = [
        ["部署", "業務", "作業", "月間時間(h)", "備考"],
        ["人事部", "労務管理", "勤怠管理全般", 24, None],
        ["人事部", "給与計算", "給与計算業務一式", 16.5, None],
        ["人事部", "社会保険手続き", "社会保険の各種届出", 8, None],
        ["総務部", "庶務", "庶務全般", 40, "担当者の業務時間の約25%"],
        ["総務部", "受付", "受付・電話対応", 60, None],
        ["総務部", "備品管理", "備品・消耗品の管理", 4.25, None],
        ["総務部", "文書管理", "文書の保管・廃棄", 2.5, None],
    ]
    w.put(sheet, rows, top=3)
    w.style_header(sheet, 3, 1, 5)
    return w.save(workbook)


@case(
    name="stated_and_parts_agree",
    about=(
        "a 年間工数 column alongside frequency × occurrences × minutes that agrees within 5 % "
        "(people round: 85 for 83.33, 9 for 8.67): the parts are kept"
    ),
    filename="joushis_nenkan_kousu.xlsx",
    tasks=hours(
        "情報システム部",
        # parts 240 × 12 × 10 / 60 = 480; stated 480
        ("ヘルプデスク", "問い合わせ対応", "480.00"),  # 240 × 12 × 10 / 60
        # stated 85: |85 - 83.33| / 83.33 = 2.0 %
        ("ヘルプデスク", "PCセットアップ", "83.33"),  # 50 × 100 / 60
        # stated 13
        ("運用", "バックアップテープの交換", "13.00"),  # 52 × 1 × 15 / 60
        # stated 9: |9 - 8.67| / 8.67 = 3.8 %
        ("運用", "ウイルス定義の更新確認", "8.67"),  # 52 × 1 × 10 / 60
        # stated 10
        ("運用", "アクセスログの点検", "10.00"),  # 12 × 1 × 50 / 60
        # stated 33: |33 - 33.33| / 33.33 = 1.0 %
        ("資産管理", "ソフトウェア資産の棚卸し", "33.33"),  # 1 × 1000 × 2 / 60
        # stated 9.5
        ("資産管理", "保守契約の更新", "9.50"),  # 6 × 95 / 60
    ),
    categories=kinds(
        "情報システム部",
        ("ヘルプデスク", "PCセットアップ", "it"),
    ),
)
def stated_and_parts_agree() -> bytes:
    workbook = w.new_workbook()
    sheet = workbook.active
    sheet.title = "情報システム部"
    it = "情報システム部"
    rows = [
        [*STANDARD, "年間工数"],
        [it, "ヘルプデスク", "問い合わせ対応", "日次", 12, 10, 1, 480],
        [it, "ヘルプデスク", "PCセットアップ", "随時", 50, 100, 1, 85],
        [it, "運用", "バックアップテープの交換", "週次", 1, 15, 1, 13],
        [it, "運用", "ウイルス定義の更新確認", "週次", 1, 10, 1, 9],
        [it, "運用", "アクセスログの点検", "月次", 1, 50, 1, 10],
        [it, "資産管理", "ソフトウェア資産の棚卸し", "年次", 1, 1000, 2, 33],
        [it, "資産管理", "保守契約の更新", "随時", 6, 95, 1, 9.5],
    ]
    w.put(sheet, rows)
    w.style_header(sheet, 1, 1, 8)
    return w.save(workbook)


def stated_and_parts_disagree() -> bytes:
    """Rows 14 and 19 disagree by more than 5 % (someone changed 回数 from 10 to 5; the 80-hour
    year-end closing was re-estimated at 100 hours without touching the minutes)."""
    workbook = w.new_workbook("木村 亮")
    sheet = workbook.active
    sheet.title = "経理部"
    sheet["A1"] = "経理部 業務量調査（年間時間つき）"
    sheet["A1"].font = TITLE
    sheet["A2"] = "※年間時間 = 頻度 × 回数 × 所要時間 × 人数 で算出"
    sheet["A3"] = "記入者：木村 亮"
    sheet["A4"] = "記入日：2026/04/18"
    rows = [
        [*STANDARD, "年間時間(h)"],  # row 6
        ["経理部", "経費精算", "経費精算の確認", "週次", 2, 30, 1, 52],  # 7
        ["経理部", "経費精算", "交通費の確認", "月次", 1, 60, 1, 12],  # 8
        ["経理部", "経費精算", "立替金の振込", "週次", 1, 30, 1, 26],  # 9
        ["経理部", "請求書発行", "請求書の作成", "月次", 100, 3, 1, 60],  # 10
        ["経理部", "請求書発行", "請求書の発送", "月次", 100, 2, 1, 40],  # 11
        ["経理部", "入金管理", "入金消込", "日次", 1, 30, 1, 120],  # 12
        ["経理部", "入金管理", "入金予定表の更新", "週次", 1, 15, 1, 13],  # 13
        ["経理部", "入金管理", "未入金の督促", "月次", 5, 20, 1, 40],  # 14: parts 20
        ["経理部", "月次決算", "月次試算表の作成", "月次", 1, 480, 1, 96],  # 15
        ["経理部", "月次決算", "月次報告資料の作成", "月次", 1, 120, 1, 24],  # 16
        ["経理部", "月次決算", "未払費用の計上", "月次", 1, 90, 1, 18],  # 17
        ["経理部", "固定資産", "減価償却の計算", "月次", 1, 45, 1, 9],  # 18
        ["経理部", "年次決算", "決算整理仕訳", "年次", 1, 4800, 1, 100],  # 19: parts 80
        ["経理部", "年次決算", "監査資料の準備", "年次", 1, 1500, 2, 50],  # 20
    ]
    w.put(sheet, rows, top=6)
    w.style_header(sheet, 6, 1, 8)
    assert sheet["C14"].value == "未入金の督促"
    assert sheet["C19"].value == "決算整理仕訳"
    w.widths(sheet, A=10, B=12, C=20)
    return w.save(workbook)


# The rows on which both give the same hours (parts = stated), in both variants below.
_AGREEING: dict[Key, Decimal] = {
    ("経理部", "経費精算", "経費精算の確認"): D("52.00"),  # 52 × 2 × 30 / 60
    ("経理部", "経費精算", "交通費の確認"): D("12.00"),  # 12 × 1 × 60 / 60
    ("経理部", "経費精算", "立替金の振込"): D("26.00"),  # 52 × 1 × 30 / 60
    ("経理部", "請求書発行", "請求書の作成"): D("60.00"),  # 12 × 100 × 3 / 60
    ("経理部", "請求書発行", "請求書の発送"): D("40.00"),  # 12 × 100 × 2 / 60
    ("経理部", "入金管理", "入金消込"): D("120.00"),  # 240 × 1 × 30 / 60
    ("経理部", "入金管理", "入金予定表の更新"): D("13.00"),  # 52 × 1 × 15 / 60
    ("経理部", "月次決算", "月次試算表の作成"): D("96.00"),  # 12 × 1 × 480 / 60
    ("経理部", "月次決算", "月次報告資料の作成"): D("24.00"),  # 12 × 1 × 120 / 60
    ("経理部", "月次決算", "未払費用の計上"): D("18.00"),  # 12 × 1 × 90 / 60
    ("経理部", "固定資産", "減価償却の計算"): D("9.00"),  # 12 × 1 × 45 / 60
    ("経理部", "年次決算", "監査資料の準備"): D("50.00"),  # 1 × 1500 × 2 / 60
}

CASES.append(
    Case(
        name="stated_and_parts_disagree_refused",
        about=(
            "a 年間時間(h) column that disagrees with the parts by more than 5 % on rows 14 "
            "(40 h stated, 20 h computed) and 19 (100 h stated, 80 h computed): refused without "
            "--prefer, naming the rows; title, note and author/date rows above the header"
        ),
        filename="keiri_nenkan_jikan.xlsx",
        build=stated_and_parts_disagree,
        refused=("14", "19"),
    )
)
CASES.append(
    Case(
        name="stated_and_parts_disagree_prefer_stated",
        about="the same file with --prefer stated: the stated hours on rows 14 and 19",
        filename="keiri_nenkan_jikan.xlsx",
        build=stated_and_parts_disagree,
        args=("--prefer", "stated"),
        tasks={
            **_AGREEING,
            ("経理部", "入金管理", "未入金の督促"): D("40.00"),  # stated
            ("経理部", "年次決算", "決算整理仕訳"): D("100.00"),  # stated
        },
    )
)
CASES.append(
    Case(
        name="stated_and_parts_disagree_prefer_computed",
        about="the same file with --prefer computed: the parts on rows 14 and 19",
        filename="keiri_nenkan_jikan.xlsx",
        build=stated_and_parts_disagree,
        args=("--prefer", "computed"),
        tasks={
            **_AGREEING,
            ("経理部", "入金管理", "未入金の督促"): D("20.00"),  # 12 × 5 × 20 / 60
            ("経理部", "年次決算", "決算整理仕訳"): D("80.00"),  # 1 × 4800 / 60
        },
    )
)


# =================================================================================================
# Per-person rows, names
# =================================================================================================


@case(
    name="per_person_rows_jisseki",
    about=(
        "実績記入法: a 担当者 column and each person's own row for the same task (rows grouped by "
        "person, not adjacent): the rows of one task are added together; no 人数 column"
    ),
    filename="jinji_jisseki_kinyu.xlsx",
    tasks=hours(
        "人事部",
        ("給与計算", "勤怠データの集計", "102.00"),  # 12 × 240 / 60 + 12 × 180 / 60 + 12 × 90 / 60
        ("給与計算", "給与計算の実行", "84.00"),  # 12 × 300 / 60 + 12 × 120 / 60
        ("給与計算", "明細の発行", "12.00"),  # 12 × 60 / 60
        ("社会保険手続き", "資格取得・喪失届", "22.00"),  # 20 × 30 / 60 + 16 × 45 / 60
        ("勤怠管理", "打刻修正の対応", "64.00"),  # 240 × 2 × 5 / 60 + 240 × 1 × 6 / 60
        ("年末調整", "申告書の点検", "75.00"),  # 1800 / 60 + 1500 / 60 + 1200 / 60
    ),
    categories=kinds(
        "人事部",
        ("年末調整", "申告書の点検", "hr"),
    ),
)
def per_person_rows_jisseki() -> bytes:
    workbook = w.new_workbook()
    sheet = workbook.active
    sheet.title = "実績"
    sheet["A1"] = "人事部 業務量調査（実績記入）"
    sheet["A1"].font = TITLE
    hr = "人事部"
    rows = [
        ["部署", "業務", "作業", "担当者", "頻度", "回数", "所要時間(分)"],
        [hr, "給与計算", "勤怠データの集計", "佐藤", "月次", 1, 240],
        [hr, "給与計算", "給与計算の実行", "佐藤", "月次", 1, 300],
        [hr, "社会保険手続き", "資格取得・喪失届", "佐藤", "随時", 20, 30],
        [hr, "年末調整", "申告書の点検", "佐藤", "年次", 1, 1800],
        [hr, "給与計算", "勤怠データの集計", "鈴木", "月次", 1, 180],
        [hr, "給与計算", "給与計算の実行", "鈴木", "月次", 1, 120],
        [hr, "勤怠管理", "打刻修正の対応", "鈴木", "日次", 2, 5],
        [hr, "年末調整", "申告書の点検", "鈴木", "年次", 1, 1500],
        [hr, "給与計算", "勤怠データの集計", "高橋", "月次", 1, 90],
        [hr, "給与計算", "明細の発行", "高橋", "月次", 1, 60],
        [hr, "社会保険手続き", "資格取得・喪失届", "高橋", "随時", 16, 45],
        [hr, "勤怠管理", "打刻修正の対応", "高橋", "日次", 1, 6],
        [hr, "年末調整", "申告書の点検", "高橋", "年次", 1, 1200],
    ]
    w.put(sheet, rows, top=3)
    w.style_header(sheet, 3, 1, 7)
    return w.save(workbook)


@case(
    name="per_person_rows_different_frequencies_csv",
    about=(
        "CSV in UTF-8 with BOM, 実績記入法 with a 担当者 column: two people record the same task "
        "with different frequencies (毎日 and 毎週); the hours add up"
    ),
    filename="somu_jisseki_bom.csv",
    tasks=hours(
        "総務部",
        ("受付", "来客対応", "126.00"),  # 240 × 5 × 5 / 60 + 52 × 3 × 10 / 60
        ("受付", "電話取次ぎ", "200.00"),  # 240 × 15 × 2 / 60 + 240 × 10 × 2 / 60
        ("備品管理", "備品の発注", "12.00"),  # 12 × 2 × 30 / 60
        ("備品管理", "在庫の確認", "26.00"),  # 52 × 1 × 15 / 60 + 52 × 1 × 15 / 60
        ("郵便", "郵便物の仕分け", "80.00"),  # 240 × 1 × 20 / 60
    ),
    categories=kinds(
        "総務部",
        ("受付", "来客対応", "general_affairs"),
    ),
)
def per_person_rows_different_frequencies_csv() -> bytes:
    return w.delimited(
        [
            ["部署", "業務", "作業", "担当者", "頻度", "回数", "所要時間(分)"],
            ["総務部", "受付", "来客対応", "山本", "毎日", 5, 5],
            ["総務部", "受付", "電話取次ぎ", "山本", "毎日", 15, 2],
            ["総務部", "備品管理", "在庫の確認", "山本", "毎週", 1, 15],
            ["総務部", "郵便", "郵便物の仕分け", "山本", "毎日", 1, 20],
            ["総務部", "受付", "来客対応", "中村", "毎週", 3, 10],
            ["総務部", "受付", "電話取次ぎ", "中村", "毎日", 10, 2],
            ["総務部", "備品管理", "備品の発注", "中村", "毎月", 2, 30],
            ["総務部", "備品管理", "在庫の確認", "中村", "毎週", 1, 15],
        ],
        encoding="utf-8-sig",
    )


@case(
    name="names_spacing_normalised",
    about=(
        "names normalised: 「人事部」「人事部　」(full-width space)「 人事部」「人事部 」"
        "「　人事部　」 are one department; 「ＰＣ」 (full-width letters) and a run of "
        "full-width spaces inside a task name; a process with a trailing full-width space"
    ),
    filename="jinji_meisho_yure.xlsx",
    tasks=hours(
        "人事部",
        ("入退社手続き", "入社書類の確認", "10.00"),  # 30 × 20 / 60
        ("入退社手続き", "PC貸与の手続き", "7.50"),  # 30 × 15 / 60
        ("福利厚生", "健康診断 結果の管理", "10.00"),  # 1 × 600 / 60
        ("福利厚生", "慶弔金の支給", "6.00"),  # 12 × 30 / 60
        ("給与計算", "給与振込データの送信", "4.00"),  # 12 × 1 × 20 / 60
        ("給与計算", "住民税特別徴収の更新", "8.00"),  # 1 × 480 / 60
        ("勤怠管理", "休日出勤の確認", "21.67"),  # 52 × 1 × 25 / 60
    ),
)
def names_spacing_normalised() -> bytes:
    workbook = w.new_workbook()
    sheet = workbook.active
    sheet.title = "人事部"
    rows = [
        STANDARD,
        ["人事部", "入退社手続き", "入社書類の確認", "随時", 30, 20, 1],
        ["人事部\u3000", "入退社手続き", "ＰＣ貸与の手続き", "随時", 30, 15, 1],
        [" 人事部", "福利厚生", "健康診断\u3000\u3000結果の管理", "年次", 1, 600, 1],
        ["人事部 ", "福利厚生", "慶弔金の支給", "随時", 12, 30, 1],
        ["人事部", "給与計算", "給与振込データの送信", "月次", 1, 20, 1],
        ["\u3000人事部\u3000", "給与計算\u3000", "住民税特別徴収の更新", "年次", 1, 480, 1],
        ["人事部", "勤怠管理", "休日出勤の確認", "週次", 1, 25, 1],
    ]
    w.put(sheet, rows)
    w.style_header(sheet, 1, 1, 7)
    return w.save(workbook)


@case(
    name="department_suffix_variants_separate",
    about=(
        "人事 / 人事部 / 人事課 stay three departments on the command line (the browser offers to "
        "merge them), even where the same process and task appear under two of them; CSV UTF-8"
    ),
    filename="jinji_busho_hyoki.csv",
    tasks={
        **hours(
            "人事",
            ("採用", "求人媒体の管理", "12.00"),  # 12 × 1 × 60 / 60
        ),
        **hours(
            "人事部",
            ("採用", "面接の日程調整", "34.67"),  # 52 × 4 × 10 / 60
        ),
        **hours(
            "人事課",
            ("採用", "面接の日程調整", "17.33"),  # 52 × 2 × 10 / 60
            ("採用", "内定通知の送付", "5.00"),  # 20 × 15 / 60
        ),
        **hours(
            "人事部",
            ("給与計算", "給与計算", "120.00"),  # 12 × 1 × 600 / 60
        ),
        **hours(
            "人事課",
            ("給与計算", "明細の配布", "6.00"),  # 12 × 1 × 30 / 60
        ),
        **hours(
            "人事",
            ("労務", "就業規則の改定", "15.00"),  # 1 × 900 / 60
        ),
    },
)
def department_suffix_variants_separate() -> bytes:
    return w.delimited(
        [
            STANDARD,
            ["人事", "採用", "求人媒体の管理", "毎月", 1, 60, 1],
            ["人事部", "採用", "面接の日程調整", "毎週", 4, 10, 1],
            ["人事課", "採用", "面接の日程調整", "毎週", 2, 10, 1],
            ["人事課", "採用", "内定通知の送付", "随時", 20, 15, 1],
            ["人事部", "給与計算", "給与計算", "毎月", 1, 600, 1],
            ["人事課", "給与計算", "明細の配布", "毎月", 1, 30, 1],
            ["人事", "労務", "就業規則の改定", "年次", 1, 900, 1],
        ],
        encoding="utf-8",
    )


# =================================================================================================
# Words and numbers
# =================================================================================================


@case(
    name="yes_no_level_confidentiality_words",
    about=(
        "yes/no as ✓/blank, ◯/△/✕, Y/N and TRUE/FALSE (real booleans); levels as 高/中/低, "
        "多/中/少, 大/中/小; confidentiality as 特定個人情報/要配慮個人情報/極秘/社外秘/機密/"
        "個人情報; 随時/年次/月次/四半期/半期"
    ),
    filename="jinji_zokusei.xlsx",
    tasks=hours(
        "人事部",
        ("マイナンバー管理", "マイナンバーの収集", "6.67"),  # 40 × 10 / 60
        ("健康管理", "ストレスチェックの実施管理", "16.00"),  # 1 × 960 / 60
        ("健康管理", "産業医面談の調整", "12.00"),  # 12 × 3 × 20 / 60
        ("人事企画", "人員計画の策定", "80.00"),  # 1 × 2400 × 2 / 60
        ("人事企画", "組織図の更新", "4.00"),  # 4 × 1 × 60 / 60
        ("人事異動", "辞令の作成", "10.00"),  # 2 × 1 × 300 / 60
        ("人事異動", "異動者の社内手続き", "16.67"),  # 2 × 25 × 20 / 60
    ),
    categories=kinds(
        "人事部",
        ("健康管理", "ストレスチェックの実施管理", "hr"),
    ),
)
def yes_no_level_confidentiality_words() -> bytes:
    workbook = w.new_workbook()
    sheet = workbook.active
    sheet.title = "人事部"
    header = [
        *STANDARD,
        *("マニュアル", "標準化", "指揮命令", "常駐", "都度判断", "暗黙知", "繁閑差", "機密性"),
    ]
    hr = "人事部"
    volumes = [
        [hr, "マイナンバー管理", "マイナンバーの収集", "随時", 40, 10, 1],
        [hr, "健康管理", "ストレスチェックの実施管理", "年次", 1, 960, 1],
        [hr, "健康管理", "産業医面談の調整", "月次", 3, 20, 1],
        [hr, "人事企画", "人員計画の策定", "年次", 1, 2400, 2],
        [hr, "人事企画", "組織図の更新", "四半期", 1, 60, 1],
        [hr, "人事異動", "辞令の作成", "半期", 1, 300, 1],
        [hr, "人事異動", "異動者の社内手続き", "半期", 25, 20, 1],
    ]
    # マニュアル, 標準化, 指揮命令, 常駐, 都度判断, 暗黙知, 繁閑差, 機密性 of the same rows
    words = [
        ["✓", "◯", "N", False, "低", "少", "大", "特定個人情報"],
        ["✓", "△", "N", False, "中", "中", "小", "要配慮個人情報"],
        [None, "◯", "Y", True, "低", "少", "中", "要配慮個人情報"],
        [None, "✕", "N", False, "高", "多", "小", "極秘"],
        ["✓", "◯", "N", False, "低", "少", "小", "社外秘"],
        ["✓", "◯", "Y", True, "中", "中", "大", "機密"],
        [None, "△", "Y", True, "低", "中", "大", "個人情報"],
    ]
    rows = [[*volume, *word] for volume, word in zip(volumes, words, strict=True)]
    w.put(sheet, [header, *rows])
    w.style_header(sheet, 1, 1, len(header))
    return w.save(workbook)


@case(
    name="real_volumes_old_importer_refused",
    about=(
        "real volumes: a year-end closing of 4,800 minutes (80 h, yearly), a monthly 月次決算 of "
        "2,400 minutes (40 h), a call centre taking 2,000 calls × 6 minutes a day on 365 days "
        "(稼働日数), 「0.5人」 (fractional people), daily work on 365 days"
    ),
    filename="ookina_suuchi.xlsx",
    tasks={
        **hours(
            "経理部",
            ("年次決算", "年度末決算の締め", "80.00"),  # 1 × 4800 / 60
            ("月次決算", "月次決算", "480.00"),  # 12 × 1 × 2400 / 60
        ),
        **hours(
            "コールセンター",
            ("受電", "受電対応", "73000.00"),  # 365 × 2000 × 6 / 60
            ("受電", "夜間受付の転送設定", "15.21"),  # 365 × 1 × 5 × 0.5 / 60
        ),
        **hours(
            "人事部",
            ("給与計算", "給与計算(兼務)", "96.00"),  # 12 × 1 × 960 × 0.5 / 60
            ("年末調整", "年末調整の取りまとめ", "80.00"),  # 1 × 4800 / 60
        ),
        **hours(
            "総務部",
            ("施設管理", "警備会社からの日報確認", "60.83"),  # 365 × 1 × 10 / 60
        ),
    },
    categories=kinds(
        "コールセンター",
        ("受電", "受電対応", "customer_support"),
    ),
)
def real_volumes_old_importer_refused() -> bytes:
    workbook = w.new_workbook()
    sheet = workbook.active
    sheet.title = "業務一覧"
    rows = [
        [*STANDARD, "稼働日数", "備考"],
        ["経理部", "年次決算", "年度末決算の締め", "年次", 1, 4800, 1, None, "3月末〜4月"],
        ["経理部", "月次決算", "月次決算", "月次", 1, 2400, 1, None, "40時間"],
        ["コールセンター", "受電", "受電対応", "日次", 2000, 6, 1, 365, "24時間365日"],
        ["コールセンター", "受電", "夜間受付の転送設定", "日次", 1, 5, "0.5人", 365, None],
        ["人事部", "給与計算", "給与計算（兼務）", "月次", 1, 960, "0.5人", None, "総務と兼務"],
        ["人事部", "年末調整", "年末調整の取りまとめ", "年次", 1, 4800, 1, None, None],
        ["総務部", "施設管理", "警備会社からの日報確認", "日次", 1, 10, 1, 365, "土日も確認"],
    ]
    w.put(sheet, rows)
    w.style_header(sheet, 1, 1, 9)
    return w.save(workbook)


@case(
    name="frequency_words_catalogue",
    about=(
        "every frequency word of SPEC 4.2.1 in one sheet: 日次/毎日/日/デイリー, 週次/毎週, "
        "月次/毎月/月1回/毎月末, 四半期, 半期, 年次/毎年/年1回, 随時/都度/不定期/スポット, and "
        "「週2回」「月3回」「年4回」 with 回数 blank; CSV in UTF-8; 22 tasks of a 管理部"
    ),
    filename="kanribu_hindo.csv",
    tasks=hours(
        "管理部",
        ("売上管理", "売上日報の集計", "120.00"),  # 日次: 240 × 2 × 15 / 60
        ("データ入力", "受注データの入力", "100.00"),  # 毎日: 240 × 1 × 25 / 60
        ("郵便", "郵便物の仕分け", "120.00"),  # 日: 240 × 3 × 10 / 60
        ("問い合わせ対応", "代表メールの振り分け", "160.00"),  # 240 × 1 × 40 / 60
        ("経費精算", "経費精算書の点検", "52.00"),  # 週次: 52 × 2 × 30 / 60
        ("会議", "週次定例の議事録作成", "43.33"),  # 毎週: 52 × 1 × 50 / 60
        ("給与計算", "勤怠の締め", "30.00"),  # 月次: 12 × 1 × 150 / 60
        ("請求書発行", "請求書の発送", "20.00"),  # 毎月: 12 × 4 × 25 / 60
        ("備品管理", "消耗品の発注", "15.00"),  # 月1回: 12 × 1 × 75 / 60
        ("支払業務", "月末支払の振込", "20.00"),  # 毎月末: 12 × 1 × 100 / 60
        ("決算", "四半期報告の数値集計", "18.00"),  # 四半期: 4 × 1 × 270 / 60
        ("税務", "源泉所得税の納付(納期の特例)", "14.00"),  # 半期: 2 × 1 × 420 / 60
        ("年末調整", "年末調整の計算", "25.00"),  # 年次: 1 × 1 × 1500 / 60
        ("棚卸", "実地棚卸の立会い", "11.00"),  # 毎年: 1 × 2 × 330 / 60
        ("労働保険", "年度更新の申告", "9.00"),  # 年1回: 1 × 1 × 540 / 60
        ("入退社手続き", "入社手続き", "7.00"),  # 随時: 30 × 14 / 60
        ("契約管理", "契約書の製本・押印", "20.00"),  # 都度: 48 × 25 / 60
        ("慶弔", "弔電の手配", "5.50"),  # 不定期: 10 × 33 / 60
        ("移転", "事務所レイアウト変更", "13.00"),  # スポット: 2 × 390 / 60
        ("出納", "銀行への入出金", "60.67"),  # 週2回: 52 × 2 × 35 / 60
        ("支払業務", "支払の締め処理", "30.00"),  # 月3回: 12 × 3 × 50 / 60
        ("安全衛生", "避難経路の点検", "14.00"),  # 年4回: 4 × 210 / 60
    ),
    categories=kinds(
        "管理部",
        ("データ入力", "受注データの入力", "data_entry"),
        ("給与計算", "勤怠の締め", "hr"),
        ("年末調整", "年末調整の計算", "hr"),
    ),
)
def frequency_words_catalogue() -> bytes:
    k = "管理部"
    return w.delimited(
        [
            STANDARD,
            [k, "売上管理", "売上日報の集計", "日次", 2, 15, 1],
            [k, "データ入力", "受注データの入力", "毎日", 1, 25, 1],
            [k, "郵便", "郵便物の仕分け", "日", 3, 10, 1],
            [k, "問い合わせ対応", "代表メールの振り分け", "デイリー", 1, 40, 1],
            [k, "経費精算", "経費精算書の点検", "週次", 2, 30, 1],
            [k, "会議", "週次定例の議事録作成", "毎週", 1, 50, 1],
            [k, "給与計算", "勤怠の締め", "月次", 1, 150, 1],
            [k, "請求書発行", "請求書の発送", "毎月", 4, 25, 1],
            [k, "備品管理", "消耗品の発注", "月1回", None, 75, 1],
            [k, "支払業務", "月末支払の振込", "毎月末", None, 100, 1],
            [k, "決算", "四半期報告の数値集計", "四半期", 1, 270, 1],
            [k, "税務", "源泉所得税の納付（納期の特例）", "半期", 1, 420, 1],
            [k, "年末調整", "年末調整の計算", "年次", 1, 1500, 1],
            [k, "棚卸", "実地棚卸の立会い", "毎年", 2, 330, 1],
            [k, "労働保険", "年度更新の申告", "年1回", None, 540, 1],
            [k, "入退社手続き", "入社手続き", "随時", 30, 14, 1],
            [k, "契約管理", "契約書の製本・押印", "都度", 48, 25, 1],
            [k, "慶弔", "弔電の手配", "不定期", 10, 33, 1],
            [k, "移転", "事務所レイアウト変更", "スポット", 2, 390, 1],
            [k, "出納", "銀行への入出金", "週2回", None, 35, 1],
            [k, "支払業務", "支払の締め処理", "月3回", None, 50, 1],
            [k, "安全衛生", "避難経路の点検", "年4回", None, 210, 1],
        ],
        encoding="utf-8",
    )


@case(
    name="units_in_number_cells_fullwidth",
    about=(
        "units in number cells (「150件」「1,200件」「2名」「3名」「0.5人」「2,800円」), "
        "full-width digits (「１２０」「５」「２４０」), thousands separators (「1,080」); "
        "月次/週次/日次/四半期"
    ),
    filename="gyomu_support_suuchi.xlsx",
    tasks=hours(
        "業務サポート部",
        ("データ入力", "アンケート結果の入力", "90.00"),  # 12 × 150 × 3 / 60
        ("データ入力", "名刺データの登録", "34.67"),  # 52 × 40 × 2 × 0.5 / 60
        ("データ入力", "伝票のスキャン・登録", "2400.00"),  # 240 × 1200 × 0.5 / 60
        ("データ入力", "顧客マスタの更新", "120.00"),  # 12 × 120 × 5 / 60
        ("書類管理", "契約書のPDF化", "240.00"),  # 12 × 300 × 2 × 2 / 60
        ("書類管理", "書庫の整理", "48.00"),  # 4 × 1 × 240 × 3 / 60
        ("集計", "月次売上データの集計", "216.00"),  # 12 × 1 × 1080 / 60
    ),
    categories=kinds(
        "業務サポート部",
        ("データ入力", "アンケート結果の入力", "data_entry"),
        ("データ入力", "顧客マスタの更新", "data_entry"),
    ),
)
def units_in_number_cells_fullwidth() -> bytes:
    workbook = w.new_workbook()
    sheet = workbook.active
    sheet.title = "業務サポート部"
    s = "業務サポート部"
    rows = [
        [*STANDARD, "時間単価"],
        [s, "データ入力", "アンケート結果の入力", "月次", "150件", 3, "1名", "2,400円"],
        [s, "データ入力", "名刺データの登録", "週次", "40件", 2, "0.5人", "2,400円"],
        [s, "データ入力", "伝票のスキャン・登録", "日次", "1,200件", 0.5, "1名", "2,400円"],
        [s, "データ入力", "顧客マスタの更新", "月次", "１２０", "５", "1名", "2,800円"],
        [s, "書類管理", "契約書のPDF化", "月次", "300件", 2, "2名", "2,400円"],
        [s, "書類管理", "書庫の整理", "四半期", 1, "２４０", "3名", "2,400円"],
        [s, "集計", "月次売上データの集計", "月次", 1, "1,080", "1名", "3,200円"],
    ]
    w.put(sheet, rows)
    w.style_header(sheet, 1, 1, 8)
    return w.save(workbook)


# =================================================================================================
# More formats combined with the conventions above
# =================================================================================================


@case(
    name="ods_section_headings_fill_down_total",
    about=(
        "LibreOffice .ods: section headings 【日次業務】【月次業務】【年次業務】, 部署 written "
        "once at the top (fill-down across the headings), a 合計 row; 日次/月次/年次"
    ),
    filename="keiri_gyomu_ichiran.ods",
    tasks=hours(
        "経理部",
        ("出納", "現金残高の確認", "40.00"),  # 240 × 1 × 10 / 60
        ("出納", "入出金伝票の起票", "160.00"),  # 240 × 8 × 5 / 60
        ("仕訳", "仕訳の承認", "120.00"),  # 240 × 1 × 30 / 60
        ("月次決算", "売掛金の残高確認", "30.00"),  # 12 × 1 × 150 / 60
        ("月次決算", "経費の計上漏れ確認", "18.00"),  # 12 × 1 × 90 / 60
        ("給与関連", "給与仕訳の計上", "8.00"),  # 12 × 1 × 40 / 60
        ("年次決算", "棚卸資産の評価", "24.00"),  # 1 × 720 × 2 / 60
        ("年次決算", "法人税の申告準備", "24.00"),  # 1 × 1440 / 60
    ),
)
def ods_section_headings_fill_down_total() -> bytes:
    rows = [
        ["経理部 業務一覧"],
        [],
        STANDARD,
        ["【日次業務】"],
        ["経理部", "出納", "現金残高の確認", "日次", 1, 10, 1],
        [None, "出納", "入出金伝票の起票", "日次", 8, 5, 1],
        [None, "仕訳", "仕訳の承認", "日次", 1, 30, 1],
        ["【月次業務】"],
        [None, "月次決算", "売掛金の残高確認", "月次", 1, 150, 1],
        [None, "月次決算", "経費の計上漏れ確認", "月次", 1, 90, 1],
        [None, "給与関連", "給与仕訳の計上", "月次", 1, 40, 1],
        ["【年次業務】"],
        [None, "年次決算", "棚卸資産の評価", "年次", 1, 720, 2],
        [None, "年次決算", "法人税の申告準備", "年次", 1, 1440, 1],
        # 10 + 5 + 30 + 150 + 90 + 40 + 720 + 1440 = 2485
        ["合計", None, None, None, None, 2485, None],
    ]
    return w.ods([OdsSheet("経理部", rows)])


@case(
    name="xls_block_department_two_header_rows_hours",
    about=(
        "Excel 97-2003 .xls: no 部署 column, 「部署名：総務部」 in the block above; two header "
        "rows (業務分類 over 大分類/中分類/小分類); 所要時間(h) in hours; "
        "日次/週次/年次/随時/月次/半期"
    ),
    filename="somu_gyomu_bunrui.xls",
    tasks=hours(
        "総務部",
        ("受付", "来客対応", "360.00"),  # 240 × 6 × 0.25 h
        ("受付", "電話応対", "360.00"),  # 240 × 30 × 0.05 h
        ("備品管理", "消耗品の補充", "52.00"),  # 52 × 2 × 0.5 h
        ("備品管理", "備品の棚卸し", "32.00"),  # 1 × 16 h × 2
        ("施設管理", "入退館カードの発行", "9.00"),  # 45 × 0.2 h
        ("施設管理", "防火設備の点検", "18.00"),  # 12 × 1 × 1.5 h
        ("社内行事", "社内イベントの運営", "72.00"),  # 2 × 1 × 12 h × 3
    ),
    categories=kinds(
        "総務部",
        ("受付", "来客対応", "general_affairs"),
        ("備品管理", "消耗品の補充", "general_affairs"),
    ),
)
def xls_block_department_two_header_rows_hours() -> bytes:
    rows = [
        ["業務棚卸し表"],  # 0
        ["部署名：総務部"],  # 1
        ["記入者：小川 由美", None, None, None, "記入日：2026年4月22日"],  # 2
        [],  # 3
        ["業務分類", None, None, "頻度", "回数", "所要時間(h)", "人数", "備考"],  # 4
        ["大分類", "中分類", "小分類"],  # 5
        ["総務", "受付", "来客対応", "日次", 6, 0.25, 1, None],  # 6
        ["総務", "受付", "電話応対", "日次", 30, 0.05, 1, "1件3分程度"],
        ["総務", "備品管理", "消耗品の補充", "週次", 2, 0.5, 1, None],
        ["総務", "備品管理", "備品の棚卸し", "年次", 1, 16, 2, None],
        ["総務", "施設管理", "入退館カードの発行", "随時", 45, 0.2, 1, None],
        ["総務", "施設管理", "防火設備の点検", "月次", 1, 1.5, 1, None],
        ["庶務", "社内行事", "社内イベントの運営", "半期", 1, 12, 3, "夏祭り・忘年会"],
    ]
    return w.xls(
        [
            XlsSheet(
                "総務部",
                rows,
                merges=[
                    (4, 4, 0, 2),  # 業務分類 over 大分類/中分類/小分類
                    *((4, 5, column, column) for column in range(3, 8)),  # 頻度 … 備考
                ],
                bold_rows={4, 5},
            )
        ]
    )
