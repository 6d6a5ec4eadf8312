"""Reading a vendor evaluation file (SPEC 6.3) as users upload it: every problem is named by row
(the header is row 1), column (letter and header as in the file) and reason, with the inventory
importer's messages; a file imports whole or not at all. Pure functions over bytes: no database."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from assessments.files.problems import MAX_PROBLEMS, ImportRejected
from tests.assessments.files import DAMAGED_ZIP, OLE_XLS, PNG, csv_bytes, xls_bytes, xlsx_bytes
from vendors.files.evaluations import (
    EVALUATION_COLUMNS,
    QUOTE_KEYS,
    SCORE_KEYS,
    EvaluationRow,
    map_headers,
    parse_evaluations,
)

SAMPLE = Path(__file__).resolve().parents[2] / "docs" / "samples" / "vendor_evaluations_sample.csv"

# The column order of the standard test file: the scores are F to M, the quote N to R.
KEYS = [
    "package",  # A
    "vendor",  # B
    "services",  # C
    "certifications",  # D
    "evaluator",  # E
    "track_record",  # F
    "team",  # G
    "security",  # H
    "sla_quality",  # I
    "improvement",  # J
    "bcp",  # K
    "cost_breakdown",  # L
    "contract_terms",  # M
    "pricing_model",  # N
    "initial_fee",  # O
    "monthly_fee",  # P
    "unit_price",  # Q
    "annual_volume",  # R
    "comment",  # S
]
JA_HEADERS = [
    "パッケージ",
    "ベンダー",
    "提供サービス",
    "認証",
    "評価者",
    "実績",
    "体制",
    "セキュリティ",
    "SLA・品質管理",
    "改善提案力",
    "BCP",
    "費用の内訳",
    "契約条件",
    "料金体系",
    "初期費用(円)",
    "月額費用(円)",
    "単価(円)",
    "年間件数",
    "コメント",
]
EN_LABELS = [
    "Package",
    "Vendor",
    "Services offered",
    "Certifications",
    "Evaluator",
    "Track record",
    "Team and backup",
    "Security",
    "SLA and quality management",
    "Improvement proposals",
    "Business continuity (BCP)",
    "Cost breakdown",
    "Contract terms (liability, exit, transfer)",
    "Pricing model",
    "Initial fee (yen)",
    "Monthly fee (yen)",
    "Unit price (yen)",
    "Annual volume",
    "Comment",
]
SCORES = dict(zip(SCORE_KEYS, ["5", "4", "3", "4", "2", "3", "4", "5"], strict=True))
GOOD = {
    "package": "bpo",
    "vendor": "Acme BPO",
    "services": "bpo, ito",
    "certifications": "isms",
    "evaluator": "manager",
    **SCORES,
    "pricing_model": "volume",
    "initial_fee": "500000",
    "monthly_fee": "300000",
    "unit_price": "",
    "annual_volume": "",
    "comment": "",
}
EXPECTED = EvaluationRow(
    source_row=2,
    package="bpo",
    vendor="Acme BPO",
    services=("bpo", "ito"),
    certifications=("isms",),
    evaluator="manager",
    scores={key: int(value) for key, value in SCORES.items()},
    pricing_model="volume",
    initial_fee=D("500000.00"),
    monthly_fee=D("300000.00"),
    unit_price=None,
    annual_volume=None,
    comment="",
)
MODELS = "bpo / ito / kpo / dispatch / crowdsourcing / subcontract / in_house"


def row(base: dict[str, str] = GOOD, keys: list[str] = KEYS, **changes: Any) -> list[Any]:
    values = {**base, **changes}
    return [values[key] for key in keys]


def evaluations_csv(*rows: list[Any], headers: list[str] = KEYS, **options: Any) -> bytes:
    return csv_bytes([headers, *(rows or [row()])], **options)


def parsed(data: bytes, language: str = "en", **known: Any):
    with translation.override(language):
        return parse_evaluations(data, "evaluations.csv", **known)


def rejection(data: bytes, language: str = "en", **known: Any) -> ImportRejected:
    with translation.override(language), pytest.raises(ImportRejected) as caught:
        parse_evaluations(data, "evaluations.csv", **known)
    return caught.value


def problems_of(data: bytes, language: str = "en", **known: Any) -> list[str]:
    """What the user reads: every problem, formatted, in English unless told."""
    with translation.override(language):
        return [str(problem) for problem in rejection(data, language, **known).problems]


def only_row(data: bytes, **known: Any) -> EvaluationRow:
    (result,) = parsed(data, **known)
    return result


# --- headers -----------------------------------------------------------------------------------

FULL_WIDTH = [h.replace("(", "（").replace(")", "）") for h in JA_HEADERS]


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param(JA_HEADERS, id="japanese"),
        pytest.param(KEYS, id="english-keys"),
        pytest.param(EN_LABELS, id="english-labels"),
        pytest.param([h.upper() for h in KEYS], id="upper-case-keys"),
        pytest.param([h.replace("_", " ").title() for h in KEYS], id="keys-as-words"),
        pytest.param(FULL_WIDTH, id="full-width-parentheses"),
        pytest.param([f" {h}\u3000" for h in JA_HEADERS], id="surrounding-spaces"),
        pytest.param(["ＰＡＣＫＡＧＥ", "ｖｅｎｄｏｒ", *KEYS[2:]], id="full-width-latin"),
        pytest.param([*JA_HEADERS[:9], *KEYS[9:]], id="japanese-and-english-mixed"),
        pytest.param(
            [
                "モデル",
                "ベンダー名",
                "サービス",
                "取得認証",
                "評価者",
                *JA_HEADERS[5:8],
                "SLA/品質管理",
                "改善提案",
                "bcp",
                "費用内訳",
                "契約条件",
                "料金モデル",
                "初期費用",
                "月額料金",
                "単価",
                "年間数量",
                "所見",
            ],
            id="japanese-variants",
        ),
    ],
)
def test_headers_accepted(headers):
    result = parsed(evaluations_csv(row(), headers=headers))

    assert result.warnings == []
    assert result.ignored_headers == []
    assert result.columns == frozenset(KEYS)
    assert list(result) == [EXPECTED]


def _header_forms():
    for column in EVALUATION_COLUMNS:
        with translation.override("en"):
            english = str(column.label)
        forms = [("key", column.key), ("en", english)]
        forms += [(f"ja{number}", header) for number, header in enumerate(column.japanese)]
        for form, header in forms:
            yield pytest.param(header, column.key, id=f"{column.key}-{form}")


@pytest.mark.parametrize(("header", "key"), list(_header_forms()))
def test_every_column_is_recognised_by_key_english_label_and_japanese_headers(header, key):
    mapping, unknown, _problems = map_headers([header])

    assert (mapping, unknown) == ({0: key}, [])


def test_the_template_headers_are_japanese_or_the_keys():
    with translation.override("ja"):
        assert [c.header() for c in EVALUATION_COLUMNS] == JA_HEADERS
    with translation.override("en"):
        assert [c.header() for c in EVALUATION_COLUMNS] == KEYS


def test_without_a_package_column_the_package_is_left_to_the_caller():
    keys = [key for key in KEYS if key != "package"]

    result = parsed(evaluations_csv(row(keys=keys), headers=keys))

    assert result[0].package is None
    assert "package" not in result.columns
    assert result[0].vendor == "Acme BPO"


def test_optional_columns_may_be_left_out():
    keys = ["vendor", "evaluator", *SCORE_KEYS]

    result = only_row(evaluations_csv(row(keys=keys), headers=keys))

    assert result == EvaluationRow(
        source_row=2,
        package=None,
        vendor="Acme BPO",
        services=(),
        certifications=(),
        evaluator="manager",
        scores=EXPECTED.scores,
        pricing_model="",
        initial_fee=None,
        monthly_fee=None,
        unit_price=None,
        annual_volume=None,
        comment="",
    )


def test_unknown_headers_are_ignored_and_listed_as_warnings():
    headers = [*KEYS, "Owner", "", "担当者"]
    result = parsed(evaluations_csv([*row(), "Sato", "x", "佐藤"], headers=headers))

    assert list(result) == [EXPECTED]
    assert result.ignored_headers == ["Owner", "担当者"]
    with translation.override("en"):
        warnings = [str(w) for w in result.warnings]
    assert warnings == [
        "Column T (Owner): Unknown column, ignored.",
        "Column V (担当者): Unknown column, ignored.",
    ]


@pytest.mark.parametrize(
    ("drop", "language", "expected"),
    [
        pytest.param(["vendor"], "en", ["The required column “vendor” is missing."], id="en"),
        pytest.param(["vendor"], "ja", ["必須の列「ベンダー」がありません。"], id="ja"),
        pytest.param(
            ["evaluator", "bcp"],
            "en",
            [
                "The required column “evaluator” is missing.",
                "The required column “bcp” is missing.",
            ],
            id="two-missing",
        ),
        pytest.param(
            SCORE_KEYS,
            "ja",
            [f"必須の列「{header}」がありません。" for header in JA_HEADERS[5:13]],
            id="every-score-ja",
        ),
    ],
)
def test_a_missing_required_column_is_named(drop, language, expected):
    keys = [key for key in KEYS if key not in drop]

    problems = rejection(evaluations_csv(row(keys=keys), headers=keys), language).problems

    assert [(p.row, p.column) for p in problems] == [(None, None)] * len(expected)
    with translation.override(language):
        assert [str(p) for p in problems] == expected


def test_the_same_column_twice_is_refused():
    data = evaluations_csv([*row(), "Other Co"], headers=[*KEYS, "ベンダー"])

    assert problems_of(data) == ["Columns B (vendor) and T (ベンダー) are both mapped to “vendor”."]


# --- cells -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"track_record": "6"}, "Row 2, column F (track_record): Must be at most 5 (got 6)."),
        ({"team": "0"}, "Row 2, column G (team): Must be at least 1 (got 0)."),
        ({"security": "3.5"}, "Row 2, column H (security): Must be a whole number (got 3.5)."),
        ({"bcp": "good"}, "Row 2, column K (bcp): “good” is not a number."),
        ({"contract_terms": ""}, "Row 2, column M (contract_terms): A value is required."),
        ({"vendor": ""}, "Row 2, column B (vendor): A value is required."),
        ({"evaluator": " "}, "Row 2, column E (evaluator): A value is required."),
        ({"package": ""}, "Row 2, column A (package): A value is required."),
        (
            {"vendor": "x" * 201},
            "Row 2, column B (vendor): Longer than 200 characters (201).",
        ),
        ({"initial_fee": "-1"}, "Row 2, column O (initial_fee): Must be at least 0 (got -1)."),
        ({"monthly_fee": "abc"}, "Row 2, column P (monthly_fee): “abc” is not a number."),
        ({"unit_price": "1,5"}, "Row 2, column Q (unit_price): “1,5” is not a number."),
        (
            {"annual_volume": "-1,000"},
            "Row 2, column R (annual_volume): Must be at least 0 (got -1000).",
        ),
        (
            {"monthly_fee": "1000000000000"},
            "Row 2, column P (monthly_fee): Must be at most 999999999999.99 (got 1000000000000).",
        ),
        ({"package": "rpa"}, f"Row 2, column A (package): “rpa” is not one of: {MODELS}."),
        (
            {"services": "bpo, rpa"},
            f"Row 2, column C (services): “rpa” is not one of: {MODELS}.",
        ),
        (
            {"certifications": "ISMS、ISO 14001"},
            "Row 2, column D (certifications): “ISO 14001” is not one of: "
            "isms / pmark / iso9001 / dispatch / sharoushi / zeirishi / bengoshi / shiho_shoshi / "
            "gyosei_shoshi / other.",
        ),
        (
            {"pricing_model": "一括"},
            "Row 2, column N (pricing_model): “一括” is not one of: "
            "volume / outcome / subscription / hourly.",
        ),
    ],
)
def test_a_bad_cell_is_named_by_row_and_column(changes, expected):
    assert problems_of(evaluations_csv(row(**changes))) == [expected]


def test_every_bad_cell_of_every_row_is_reported():
    data = evaluations_csv(
        row(),
        row(evaluator="consultant", team="9", monthly_fee="-5"),
        row(vendor="Beta", package="xyz"),
    )

    assert problems_of(data) == [
        "Row 3, column G (team): Must be at most 5 (got 9).",
        "Row 3, column P (monthly_fee): Must be at least 0 (got -5).",
        f"Row 4, column A (package): “xyz” is not one of: {MODELS}.",
    ]


def test_messages_follow_the_language_and_the_file_headers():
    data = evaluations_csv(row(track_record="6"), headers=JA_HEADERS)

    assert problems_of(data, "ja") == ["2行目、F (実績)列: 5以下で入力してください(入力値: 6)。"]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("bpo", ("bpo",)),
        ("BPO、ITO", ("bpo", "ito")),
        ("kpo,bpo, bpo", ("bpo", "kpo")),  # the models' order, once each
        ("ｂｐｏ，ｉｔｏ", ("bpo", "ito")),
        ("in house; Dispatch", ("dispatch", "in_house")),
        ("人材派遣、外注、内製", ("dispatch", "subcontract", "in_house")),
        ("ビジネス・プロセス・アウトソーシング", ("bpo",)),
        ("BPO・ITO", ("bpo", "ito")),
        ("Crowdsourcing\nSubcontract", ("crowdsourcing", "subcontract")),
        ("", ()),
    ],
)
def test_services(cell, expected):
    assert only_row(evaluations_csv(row(services=cell))).services == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("isms, pmark", ("isms", "pmark")),
        ("ISMS", ("isms",)),
        ("ISO27001", ("isms",)),
        ("ISO/IEC 27001:2022", ("isms",)),
        ("ISMS / ISO 27001", ("isms",)),
        ("ISMS認証", ("isms",)),
        ("Pマーク", ("pmark",)),
        ("Ｐマーク", ("pmark",)),
        ("プライバシーマーク", ("pmark",)),
        ("Privacy Mark", ("pmark",)),
        ("ISMS・Pマーク", ("isms", "pmark")),
        ("iso9001、プライバシーマーク、ISMS", ("isms", "pmark", "iso9001")),
        ("ISO 9001", ("iso9001",)),
        ("その他", ("other",)),
        ("", ()),
    ],
)
def test_certifications(cell, expected):
    assert only_row(evaluations_csv(row(certifications=cell))).certifications == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("volume", "volume"),
        ("業務委託型", "volume"),
        ("Outcome-based", "outcome"),
        ("成果報酬型", "outcome"),
        ("SUBSCRIPTION", "subscription"),
        ("サブスク型", "subscription"),
        ("", ""),
    ],
)
def test_pricing_model(cell, expected):
    assert only_row(evaluations_csv(row(pricing_model=cell))).pricing_model == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1200000", D("1200000.00")),
        ("1,200,000", D("1200000.00")),
        ("¥1,200,000", D("1200000.00")),
        ("1,200,000円", D("1200000.00")),
        ("１２０００００", D("1200000.00")),
        ("1234.567", D("1234.57")),
        ("0", D("0.00")),
        ("", None),
    ],
)
def test_amounts(cell, expected):
    result = only_row(evaluations_csv(row(initial_fee=cell, annual_volume=cell)))

    assert (result.initial_fee, result.annual_volume) == (expected, expected)


@pytest.mark.parametrize(
    ("cell", "expected"), [("1", 1), ("5", 5), ("３", 3), (" 4 ", 4), ("4.0", 4)]
)
def test_scores_are_whole_numbers_from_one_to_five(cell, expected):
    assert only_row(evaluations_csv(row(bcp=cell))).scores["bcp"] == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('=HYPERLINK("http://evil.example")', '=HYPERLINK("http://evil.example")'),
        ("'=SUM(A1:A9)", "=SUM(A1:A9)"),
        ("+81 3 1234 5678", "+81 3 1234 5678"),
        ("-", "-"),
        ("@admin", "@admin"),
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),
    ],
)
def test_text_that_looks_like_a_formula_is_kept_as_text(cell, expected):
    result = only_row(evaluations_csv(row(vendor=cell, comment=cell)))

    assert (result.vendor, result.comment) == (expected, expected)


# --- what the rows may name --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "known", "expected"),
    [
        (
            {"package": "kpo"},
            {"known_packages": {"bpo", "ito"}},
            "Row 2, column A (package): Unknown package “kpo”: "
            "the packages of this assessment are bpo / ito.",
        ),
        (
            {},
            {"known_packages": set()},
            "Row 2, column A (package): Unknown package “bpo”: "
            "this assessment has no packages yet.",
        ),
        (
            {"evaluator": "nobody"},
            {"known_evaluators": {"manager", "consultant"}},
            "Row 2, column E (evaluator): “nobody” is not an evaluator of this assessment.",
        ),
        (
            {"vendor": "Unknown Co"},
            {"known_vendors": {"Acme BPO"}},
            "Row 2, column B (vendor): “Unknown Co” is not in the vendor registry.",
        ),
    ],
)
def test_names_outside_what_is_known_are_refused(changes, known, expected):
    assert problems_of(evaluations_csv(row(**changes)), **known) == [expected]


def test_known_names_match_ignoring_case_width_and_spaces_and_keep_the_known_spelling():
    data = evaluations_csv(row(vendor=" ＡＣＭＥ   bpo ", evaluator="Manager"))

    result = only_row(
        data,
        known_packages={"bpo"},
        known_evaluators={"manager"},
        known_vendors={"Acme BPO", "Beta"},
    )

    assert (result.package, result.vendor, result.evaluator) == ("bpo", "Acme BPO", "manager")


def test_package_keys_are_checked_against_what_is_known_only_when_the_column_is_there():
    keys = [key for key in KEYS if key != "package"]

    result = only_row(evaluations_csv(row(keys=keys), headers=keys), known_packages=set())

    assert result.package is None


# --- across rows -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("second", "expected"),
    [
        ({}, "Row 3: Same package, vendor and evaluator as row 2 (a duplicate row)."),
        (
            {"vendor": "ACME　BPO", "evaluator": "MANAGER"},
            "Row 3: Same package, vendor and evaluator as row 2 (a duplicate row).",
        ),
        (
            {"package": "BPO"},
            "Row 3: Same package, vendor and evaluator as row 2 (a duplicate row).",
        ),
    ],
)
def test_duplicate_rows(second, expected):
    assert problems_of(evaluations_csv(row(), row(**second))) == [expected]


def test_duplicate_rows_without_a_package_column():
    keys = [key for key in KEYS if key != "package"]
    data = evaluations_csv(row(keys=keys), row(keys=keys, comment="again"), headers=keys)

    assert problems_of(data) == ["Row 3: Same vendor and evaluator as row 2 (a duplicate row)."]


def test_one_vendor_in_several_packages_and_by_several_evaluators_is_fine():
    data = evaluations_csv(
        row(),
        row(evaluator="consultant"),
        row(package="ito", monthly_fee="150000"),
        row(package="ito", monthly_fee="150000", evaluator="consultant"),
    )

    result = parsed(data)

    assert [(r.package, r.evaluator, r.monthly_fee) for r in result] == [
        ("bpo", "manager", D("300000.00")),
        ("bpo", "consultant", D("300000.00")),
        ("ito", "manager", D("150000.00")),
        ("ito", "consultant", D("150000.00")),
    ]


@pytest.mark.parametrize(
    ("second", "expected"),
    [
        (
            {"monthly_fee": "350,000"},
            "Row 3, column P (monthly_fee): “350,000” here but “300000” in row 2: "
            "a vendor has one quote per package.",
        ),
        (
            {"pricing_model": "サブスク型"},
            "Row 3, column N (pricing_model): “サブスク型” here but “volume” in row 2: "
            "a vendor has one quote per package.",
        ),
        (
            {"services": "bpo"},
            "Row 3, column C (services): “bpo” here but “bpo, ito” in row 2 for the same vendor.",
        ),
        (
            {"certifications": "isms, pmark"},
            "Row 3, column D (certifications): “isms, pmark” here but “isms” in row 2 "
            "for the same vendor.",
        ),
    ],
)
def test_conflicting_values_for_one_vendor_name_both_rows(second, expected):
    data = evaluations_csv(row(), row(evaluator="consultant", **second))

    assert problems_of(data) == [expected]


def test_services_and_certifications_belong_to_the_vendor_whatever_the_package():
    data = evaluations_csv(row(), row(package="ito", services="ito"))

    assert problems_of(data) == [
        "Row 3, column C (services): “ito” here but “bpo, ito” in row 2 for the same vendor."
    ]


def test_the_same_values_written_differently_agree():
    data = evaluations_csv(
        row(),
        row(
            evaluator="consultant",
            services="ITO、BPO",
            certifications="ISO 27001",
            pricing_model="業務委託型",
            initial_fee="¥500,000",
            monthly_fee="300000.00",
        ),
    )

    first, second = parsed(data)

    assert second == EvaluationRow(**{**vars(first), "source_row": 3, "evaluator": "consultant"})


def test_a_value_given_on_one_row_of_its_vendor_applies_to_all_of_them():
    blank = dict.fromkeys(["services", "certifications", *QUOTE_KEYS], "")
    data = evaluations_csv(
        row(evaluator="consultant", **blank),
        row(unit_price="200", annual_volume="1000"),
        row(evaluator="third", **blank),
        row(package="ito", **blank),
    )

    rows = parsed(data)

    assert [r.evaluator for r in rows[:3]] == ["consultant", "manager", "third"]
    for r in rows[:3]:
        assert (r.services, r.certifications) == (("bpo", "ito"), ("isms",))
        assert (r.pricing_model, r.initial_fee, r.monthly_fee, r.unit_price) == (
            "volume",
            D("500000.00"),
            D("300000.00"),
            D("200.00"),
        )
        assert r.annual_volume == D("1000.00")
    ito = rows[3]
    assert (ito.services, ito.certifications) == (("bpo", "ito"), ("isms",))  # the vendor's
    assert (ito.pricing_model, ito.monthly_fee) == ("", None)  # the ito quote is not given


def test_a_unit_price_without_an_annual_volume_is_refused_once_per_vendor_and_package():
    data = evaluations_csv(
        row(unit_price="200"),
        row(evaluator="consultant"),  # the same quote, shared: not reported again
        row(package="ito", unit_price="50", annual_volume="10"),  # complete
    )

    assert problems_of(data) == [
        "Row 2, column Q (unit_price): A unit price needs the annual volume (on this row or "
        "another of the vendor)."
    ]


# --- the file as a whole -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(b"", "The file is empty.", id="empty"),
        pytest.param(b"\r\n \r\n", "The file is empty.", id="blank-lines"),
        pytest.param(
            csv_bytes([KEYS]), "The file has column headers but no evaluations.", id="headers"
        ),
        pytest.param(
            csv_bytes([JA_HEADERS, [""] * len(KEYS), [" "] * 3]),
            "The file has column headers but no evaluations.",
            id="headers-and-blank-rows",
        ),
        pytest.param(
            csv_bytes([[""] * 3, row()]),
            "The file is empty: row 1 must hold the column headers.",
            id="no-headers",
        ),
        pytest.param(
            DAMAGED_ZIP,
            "The file looks like .xlsx but is damaged and cannot be read.",
            id="damaged-xlsx",
        ),
        pytest.param(
            OLE_XLS, "The workbook cannot be read. Save it again", id="ole-but-no-workbook"
        ),
        pytest.param(PNG, "This file is not a spreadsheet", id="binary"),
    ],
)
def test_files_that_cannot_be_read_are_refused_clearly(data, expected):
    (problem,) = rejection(data).problems

    assert problem.row is None
    assert problem.message.startswith(expected)


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.MAX_UPLOAD_BYTES = 2048

    (problem,) = rejection(evaluations_csv(*[row(evaluator=f"e{n}") for n in range(30)])).problems

    assert problem.message.endswith("the limit is 0.0 MB.")


def test_all_or_nothing_one_bad_row_refuses_the_whole_file():
    data = evaluations_csv(
        row(),
        row(evaluator="consultant"),
        row(vendor="Beta", security="7"),
        row(vendor="Beta", evaluator="consultant"),
    )

    assert problems_of(data) == ["Row 4, column H (security): Must be at most 5 (got 7)."]


def test_problems_are_capped():
    rows = [row(evaluator=f"e{n}", team="9", bcp="0") for n in range(MAX_PROBLEMS)]

    problems = problems_of(evaluations_csv(*rows))

    assert len(problems) == MAX_PROBLEMS
    assert problems[-1] == (
        f"Row {MAX_PROBLEMS // 2 + 1}, column K (bcp): Must be at least 1 (got 0)."
    )


def test_blank_rows_keep_the_spreadsheet_row_numbers():
    data = evaluations_csv(row(), [""] * len(KEYS), row(evaluator="consultant", team="x"))

    assert problems_of(data) == ["Row 4, column G (team): “x” is not a number."]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_csv_encodings(encoding):
    data = evaluations_csv(row(vendor="株式会社テスト"), headers=JA_HEADERS, encoding=encoding)

    assert only_row(data).vendor == "株式会社テスト"


def test_xlsx_with_numbers_as_numbers():
    cells = row()
    numeric = [int(cell) if cell.isdigit() else cell for cell in cells]
    numeric[KEYS.index("bcp")] = 3.0
    numeric[KEYS.index("unit_price")] = None

    result = only_row(xlsx_bytes([JA_HEADERS, numeric]))

    assert result == EvaluationRow(**{**vars(EXPECTED), "scores": {**EXPECTED.scores, "bcp": 3}})


def test_an_xls_workbook_is_read_like_any_other():
    """Excel 97-2003 files are read by their content (python-calamine), numbers as numbers."""
    cells = row()
    numeric = [int(cell) if cell.isdigit() else cell for cell in cells]
    numeric[KEYS.index("unit_price")] = None

    assert only_row(xls_bytes([JA_HEADERS, numeric], sheet="評価")) == EXPECTED


def test_xls_problems_are_named_like_csv_ones():
    data = xls_bytes([KEYS, row(), row(evaluator="consultant", security=3.5, initial_fee=-1)])

    assert problems_of(data) == [
        "Row 3, column H (security): Must be a whole number (got 3.5).",
        "Row 3, column O (initial_fee): Must be at least 0 (got -1).",
    ]


def test_xlsx_problems_are_named_like_csv_ones():
    data = xlsx_bytes([KEYS, row(), row(evaluator="consultant", security=3.5, initial_fee=-1)])

    assert problems_of(data) == [
        "Row 3, column H (security): Must be a whole number (got 3.5).",
        "Row 3, column O (initial_fee): Must be at least 0 (got -1).",
    ]


# --- the sample file ---------------------------------------------------------------------------


def test_the_sample_file_parses_cleanly():
    data = SAMPLE.read_bytes()
    assert data.startswith("\ufeff".encode())  # UTF-8 with BOM: Excel opens it in Japanese

    rows = parsed(
        data,
        known_packages={"bpo", "ito", "kpo"},
        known_evaluators={"manager", "consultant"},
    )

    assert rows.warnings == []
    assert len(rows) == 18
    assert {r.package for r in rows} == {"bpo", "kpo", "ito"}
    assert {r.evaluator for r in rows} == {"manager", "consultant"}
    assert all(r.monthly_fee is not None and r.pricing_model for r in rows)
    bids = {(r.package, r.vendor): r for r in rows}
    assert len(bids) == 9 and len(rows) == 2 * len(bids)  # both evaluators score every bid
    uncertified = [
        (package, vendor)
        for (package, vendor), r in bids.items()
        if not {"isms", "pmark"} & set(r.certifications)
    ]
    assert uncertified == [("bpo", "株式会社ネクストオペレーションズ")]
    # The 社労士法人's registration is read from the sheet too (社労士 in its 認証 cell).
    registered = [key for key, r in bids.items() if "sharoushi" in r.certifications]
    assert registered == [("bpo", "社会保険労務士法人みなとパートナーズ")]
    not_offered = [key for key, r in bids.items() if key[0] not in r.services]
    assert not_offered == [("kpo", "株式会社さくらビジネスサービス")]


def test_the_sample_file_reads_the_same_as_xlsx():
    data = SAMPLE.read_bytes()
    table = [line.split(",") for line in data.decode("utf-8-sig").splitlines()]

    assert list(parsed(xlsx_bytes(table))) == list(parsed(data))
