"""The ranking CSV (SPEC 6.4): the pure lines of `vendors.reporting.ranking`, and
`manage.py assess INVENTORY --vendors FILE --ranking OUT.csv` run as a script user would,
with files on disk."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from assessments.management.commands import assess
from assessments.models import Assessment, Package, Task
from outsourcing_advisor.accounts.models import Organisation
from tests.assessments.files import csv_bytes
from tests.factories import make_user
from vendors.domain import horizon, scoring, uncertainty
from vendors.files.evaluations import SCORE_KEYS, EvaluationRow
from vendors.models import Bid, Certification, Evaluation, Vendor
from vendors.reporting.ranking import (
    RANKING_COLUMNS,
    Costing,
    PackageFigures,
    costing_of,
    quotes_from_rows,
    rank_package,
    ranking_lines,
    vendors_from_rows,
    write_ranking_csv,
)
from vendors.services.selection import package_selection, weights_for

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples"
INVENTORY = SAMPLES / "inventory_sample_ja.csv"
EVALUATIONS = SAMPLES / "vendor_evaluations_sample.csv"
TODAY = datetime.date(2026, 4, 1)

# SPEC 6.4, in this order.
SPEC_HEADER = [
    *("package", "rank", "vendor", "total", "spread", "evaluators", "price_points", "combined"),
    *("excluded", "exclusion_reasons", "annual_cost", "annual_saving", "horizon_cost"),
    *("horizon_saving", "saving_p10", "saving_p50", "saving_p90", "p_saving_positive", "stable"),
]


# --- the lines, from a ranking ------------------------------------------------------------------


def evaluation(evaluator: str, score: int) -> scoring.Evaluation:
    return scoring.Evaluation(evaluator, dict.fromkeys(SCORE_KEYS, score))


def vendor(name: str, *scores: int, services: str = "bpo", certifications: str = "isms") -> Any:
    return scoring.Vendor(
        name,
        frozenset(services.split()),
        tuple(scoring.Certification(kind) for kind in certifications.split()),
        tuple(evaluation(f"e{i}", score) for i, score in enumerate(scores)),
    )


def costed(in_house: str | int, quote: scoring.Quote) -> Costing | None:
    """A quote costed as `rank_package` costs it, with no task to vary (the range is a point)."""
    draws = uncertainty.draw_inventory([], seed=0)
    return costing_of(D(in_house), quote, horizon.DEFAULT_TERMS, draws)


def lines_of(
    vendors: list[scoring.Vendor],
    comparisons: dict[str, Costing | None] | None = None,
    sensitive: bool = False,
) -> list[dict[str, str]]:
    package = scoring.Package("bpo", {"personal"} if sensitive else set())
    weights = scoring.DEFAULT_WEIGHTS
    ranking = scoring.rank(vendors, weights, package, on=TODAY)
    sensitivity = scoring.sensitivity(vendors, weights, package, on=TODAY)
    return ranking_lines("bpo", ranking, sensitivity, comparisons or {})


def column(lines: list[dict[str, str]], key: str) -> list[str]:
    return [line[key] for line in lines]


def test_every_line_has_the_spec_columns_as_strings() -> None:
    [line] = lines_of([vendor("A", 4)])
    assert list(RANKING_COLUMNS) == SPEC_HEADER
    assert list(line) == SPEC_HEADER
    assert (
        line
        == {
            "package": "bpo",
            "rank": "1",
            "vendor": "A",
            "total": "75.0",
            "spread": "0.0",
            "evaluators": "1",
            "price_points": "",  # without prices the combined score is the quality
            "combined": "75.0",
            "excluded": "false",
            "exclusion_reasons": "",
            **dict.fromkeys(SPEC_HEADER[10:18], ""),  # no quote: no cost cells
            "stable": "true",
        }
    )


def test_tied_winners_share_the_rank_and_each_carries_stable() -> None:
    lines = lines_of([vendor("B", 4, 2), vendor("A", 3), vendor("C", 2)])
    assert column(lines, "vendor") == ["A", "B", "C"]
    assert column(lines, "rank") == ["1", "1", "3"]  # competition style: 1, 1, 3
    assert column(lines, "stable") == ["true", "true", ""]
    assert column(lines, "spread") == ["0.0", "50.0", "0.0"]


@pytest.mark.parametrize(
    ("services", "certifications", "reasons"),
    [
        pytest.param("ito", "isms", "service_not_offered", id="service"),
        pytest.param("bpo", "iso9001", "certification_missing", id="certification"),
        pytest.param("ito", "", "service_not_offered;certification_missing", id="both"),
    ],
)
def test_an_excluded_vendor_has_no_rank_and_says_why(
    services: str, certifications: str, reasons: str
) -> None:
    shut_out = vendor("Best", 5, services=services, certifications=certifications)
    lines = lines_of([shut_out, vendor("Other", 3)], sensitive=True)
    assert lines[1] == {
        **lines[1],
        "vendor": "Best",
        "rank": "",
        "total": "100.0",  # still scored and shown
        "excluded": "true",
        "exclusion_reasons": reasons,
        "stable": "",
    }
    assert (lines[0]["rank"], lines[0]["excluded"], lines[0]["stable"]) == ("1", "false", "true")


def test_an_unscored_vendor_has_no_rank_total_or_spread() -> None:
    lines = lines_of([vendor("Scored", 3), vendor("Waiting")])
    assert lines[1] == {
        **lines[1],
        "vendor": "Waiting",
        "rank": "",
        "total": "",
        "spread": "",
        "evaluators": "0",
        "excluded": "false",
        "stable": "",
    }


def test_nobody_ranked_leaves_stable_empty_everywhere() -> None:
    lines = lines_of([vendor("Out", 5, services="ito"), vendor("Waiting")])
    assert column(lines, "rank") == ["", ""]
    assert column(lines, "stable") == ["", ""]


def test_a_winner_that_one_weight_change_unseats_is_not_stable() -> None:
    # B wins 65 to 60, but A is far ahead on security: at 30 points instead of 20 (the others
    # rescaled to 70) A wins 65 to 60.
    a = scoring.Vendor("A", {"bpo"}, (), (scoring.Evaluation("e", {**_all(3), "security": 5}),))
    b = scoring.Vendor("B", {"bpo"}, (), (scoring.Evaluation("e", {**_all(4), "security": 2}),))
    lines = lines_of([a, b])
    assert column(lines, "vendor") == ["B", "A"]
    assert column(lines, "total") == ["65.0", "60.0"]
    assert column(lines, "stable") == ["false", ""]


def _all(score: int) -> dict[str, int]:
    return dict.fromkeys(SCORE_KEYS, score)


def ranked(total: str | None, spread: str | None = "0") -> scoring.RankedVendor:
    return scoring.RankedVendor(
        name="A",
        rank=1,
        total=None if total is None else D(total),
        spread=None if spread is None else D(spread),
        evaluators=0 if total is None else 2,
    )


@pytest.mark.parametrize(
    ("total", "spread", "expected"),
    [
        pytest.param("81.875", "1.25", ("81.9", "1.3"), id="half-up"),
        pytest.param("81.849999", "1.2499", ("81.8", "1.2"), id="below-half"),
        pytest.param("100", "0", ("100.0", "0.0"), id="whole"),
        pytest.param("0.05", "0.04", ("0.1", "0.0"), id="small"),
        pytest.param("1E+1", "0E-28", ("10.0", "0.0"), id="no-exponent"),
        pytest.param(None, None, ("", ""), id="nobody-scored"),
    ],
)
def test_total_and_spread_have_one_decimal_rounded_half_up(
    total: str | None, spread: str | None, expected: tuple[str, str]
) -> None:
    sensitivity = scoring.Sensitivity(("A",), True)
    [line] = ranking_lines("bpo", [ranked(total, spread)], sensitivity, {})
    assert (line["total"], line["spread"]) == expected


@pytest.mark.parametrize(
    ("in_house", "monthly_fee", "expected"),
    [
        # 12 × 10,000 × 1.15 = 138,000
        pytest.param("200000", "10000", ("138000", "62000"), id="saving"),
        pytest.param("100000", "10000", ("138000", "-38000"), id="loss"),
        # 12 × 72.5 × 1.15 = 1,000.5: half up, the loss away from zero, so cost − saving agree
        pytest.param("1000", "72.5", ("1001", "-1"), id="half-yen"),
        pytest.param("1000.4", "72.5", ("1001", "0"), id="no-minus-zero"),
    ],
)
def test_cost_and_saving_are_whole_yen(
    in_house: str, monthly_fee: str, expected: tuple[str, str]
) -> None:
    comparison = costed(in_house, scoring.Quote("subscription", None, D(monthly_fee)))
    [line] = lines_of([vendor("A", 4)], {"A": comparison})
    assert (line["annual_cost"], line["annual_saving"]) == expected


def test_a_vendor_without_a_quote_has_empty_cost_cells() -> None:
    comparison = costed(200000, scoring.Quote("volume", None, D(10000)))
    lines = ranking_lines(
        "bpo",
        scoring.rank(
            [vendor("Quoted", 4), vendor("Silent", 3), vendor("Failed", 2)],
            scoring.DEFAULT_WEIGHTS,
            scoring.Package("bpo"),
            on=TODAY,
        ),
        scoring.Sensitivity(("Quoted",), True),
        {"Quoted": comparison, "Failed": None},  # Failed: a quote that cannot be costed
    )
    assert [(x["annual_cost"], x["annual_saving"]) for x in lines] == [
        ("138000", "62000"),
        ("", ""),
        ("", ""),
    ]


# --- the lines, from the rows of a file ---------------------------------------------------------


def row(vendor: str, evaluator: str, score: int = 3, **values: Any) -> EvaluationRow:
    defaults: dict[str, Any] = {
        "source_row": 2,
        "package": "bpo",
        "services": ("bpo",),
        "certifications": ("isms",),
        "pricing_model": "",
        "initial_fee": None,
        "monthly_fee": None,
        "unit_price": None,
        "annual_volume": None,
        "comment": "",
    }
    return EvaluationRow(
        vendor=vendor, evaluator=evaluator, scores=_all(score), **{**defaults, **values}
    )


def test_vendors_from_rows_groups_each_vendors_evaluations() -> None:
    rows = [
        row("Acme BPO", "manager", 5, certifications=("isms", "pmark")),
        row("Other", "manager", 2, services=("bpo", "ito"), certifications=()),
        row("ＡＣＭＥ  bpo", "consultant", 4, certifications=("isms", "pmark")),  # the same vendor
    ]
    acme, other = vendors_from_rows(rows)
    assert acme.name == "Acme BPO"  # the first spelling
    assert acme.services == frozenset({"bpo"})
    assert acme.certifications == (scoring.Certification("isms"), scoring.Certification("pmark"))
    assert all(c.expires_on is None for c in acme.certifications)
    assert [(e.evaluator, e.scores["team"]) for e in acme.evaluations] == [
        ("manager", 5),
        ("consultant", 4),
    ]
    assert (other.services, other.certifications) == (frozenset({"bpo", "ito"}), ())


def test_quotes_from_rows_skip_a_vendor_without_fee_or_unit_price() -> None:
    rows = [
        row("Monthly", "m", pricing_model="volume", initial_fee=D(5), monthly_fee=D(100)),
        row("Monthly", "c", pricing_model="volume", initial_fee=D(5), monthly_fee=D(100)),
        row("Unit", "m", pricing_model="outcome", unit_price=D(300), annual_volume=D(4)),
        row("Initial only", "m", pricing_model="subscription", initial_fee=D(1000)),
        row("Nothing", "m"),
    ]
    assert quotes_from_rows(rows) == {
        "Monthly": scoring.Quote("volume", D(5), D(100), None, None),
        "Unit": scoring.Quote("outcome", None, None, D(300), D(4)),
    }


def test_rank_package_puts_rows_costs_and_knockouts_together() -> None:
    figures = PackageFigures("kpo", "kpo", D(1_000_000), True, D(300))
    rows = [
        row("Research", "m", 5, package="kpo", services=("kpo",), monthly_fee=D(50_000)),
        row("Payroll", "m", 5, package="kpo", services=("bpo",), monthly_fee=D(10_000)),
        row("No cert", "m", 4, package="kpo", services=("kpo",), certifications=()),
    ]
    result = rank_package(figures, rows, scoring.DEFAULT_WEIGHTS, overhead_rate=D("0.2"), on=TODAY)
    assert [
        (x["vendor"], x["rank"], x["exclusion_reasons"], x["annual_cost"], x["annual_saving"])
        for x in result.lines
    ] == [
        ("Research", "1", "", "720000", "280000"),  # 12 × 50,000 × 1.2
        ("Payroll", "", "service_not_offered", "144000", "856000"),
        ("No cert", "", "certification_missing", "", ""),
    ]


def test_the_csv_is_plain_utf8_with_formula_text_neutralised() -> None:
    comparison = costed(100000, scoring.Quote("volume", None, D(10000)))
    lines = lines_of([vendor("=HYPERLINK(1)", 4), vendor("-Minus", 3)], {"-Minus": comparison})
    stream = io.StringIO(newline="")
    write_ranking_csv(stream, lines)
    text = stream.getvalue()
    assert text.startswith(",".join(SPEC_HEADER) + "\r\n"), "header first, no BOM"
    rows = list(csv.DictReader(io.StringIO(text)))
    assert column(rows, "vendor") == ["'=HYPERLINK(1)", "'-Minus"]
    assert rows[1]["annual_saving"] == "-38000", "a negative number stays a number"


# --- the command --------------------------------------------------------------------------------


def run(*args: str) -> tuple[str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("assess", *args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def run_failing(*args: str) -> tuple[str, str]:
    stderr = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("assess", *args, stdout=io.StringIO(), stderr=stderr)
    return str(error.value), stderr.getvalue()


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def sample_rows() -> list[dict[str, str]]:
    with EVALUATIONS.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def write_evaluations(path: Path, rows: list[dict[str, str]]) -> Path:
    path.write_bytes(csv_bytes([list(rows[0]), *(list(r.values()) for r in rows)]))
    return path


def counts() -> tuple[int, int, int, int]:
    return (
        Organisation.objects.count(),
        Assessment.objects.count(),
        Task.objects.count(),
        Package.objects.count(),
    )


JA_CRITERIA = {
    "track_record": "実績",
    "team": "体制",
    "security": "セキュリティ",
    "sla_quality": "SLA・品質管理",
    "improvement": "改善提案力",
    "bcp": "BCP",
    "cost_breakdown": "費用の内訳",
    "contract_terms": "契約条件",
}


def hand_total(rows: list[dict[str, str]]) -> D:
    """SPEC 4.6 by hand: each evaluator's Σ w × (s − 1) / 4 × 100 / Σ w, then their mean."""
    weights = scoring.DEFAULT_WEIGHTS  # the published version 1, which a new assessment pins
    totals = [
        sum(
            (weights[key] * (int(r[header]) - 1) / 4 * 100 for key, header in JA_CRITERIA.items()),
            D(0),
        )
        / sum(weights.values(), D(0))
        for r in rows
    ]
    return sum(totals, D(0)) / len(totals)


def test_sample_files_give_the_spec_ranking(tmp_path: Path) -> None:
    ranking, results = tmp_path / "ranking.csv", tmp_path / "results.csv"
    stdout, stderr = run(
        str(INVENTORY),
        *("--vendors", str(EVALUATIONS), "--ranking", str(ranking), "--csv", str(results)),
        *("--lang", "en"),
    )

    raw = ranking.read_bytes()
    assert raw.startswith(",".join(SPEC_HEADER).encode() + b"\r\n"), "exact header, no BOM"
    lines = read_csv(ranking)
    assert [(x["package"], x["rank"], x["vendor"], x["excluded"]) for x in lines] == [
        ("bpo", "1", "社会保険労務士法人みなとパートナーズ", "false"),
        ("bpo", "", "株式会社みらいアウトソーシング", "true"),
        ("bpo", "", "株式会社さくらビジネスサービス", "true"),
        ("bpo", "", "株式会社ネクストオペレーションズ", "true"),
        ("ito", "1", "株式会社あおばITサービス", "false"),
        ("ito", "2", "株式会社みらいアウトソーシング", "false"),
        ("kpo", "1", "株式会社東西リサーチ", "false"),
        ("kpo", "2", "株式会社みらいアウトソーシング", "false"),
        ("kpo", "", "株式会社さくらビジネスサービス", "true"),
    ]
    # The BPO package holds 社労士 work (the sample's social-insurance filings, 士業業務 = 社労士):
    # only the 社会保険労務士法人 holds the registration, so the three others are excluded, the
    # best scored among them too. Payroll holds personal data: ISO 9001 alone is not enough.
    # Sakura offers no KPO.
    assert column(lines, "exclusion_reasons") == [
        *("", "licence_missing", "licence_missing", "licence_missing;certification_missing"),
        *("", "", "", "", "service_not_offered"),
    ]
    assert column(lines, "stable") == ["true", "", "", "", "true", "", "true", "", ""]
    assert set(column(lines, "evaluators")) == {"2"}

    # One vendor recomputed by hand from the sample file.
    mirai = [
        r
        for r in sample_rows()
        if r["パッケージ"] == "bpo" and r["ベンダー"] == "株式会社みらいアウトソーシング"
    ]
    assert hand_total(mirai) == D("81.875")  # manager 81.25, consultant 82.5
    excluded = lines[1]  # still scored and costed, without a rank
    assert (excluded["total"], excluded["spread"]) == ("81.9", "1.3")  # both rounded half up
    # 12 × 450,000 × (1 + 15% overhead); the saving against the BPO tasks of the results CSV
    # (株主総会の運営準備 is KPO under the revised rules: general affairs, expertise 4, partly
    # standardisable).
    assert excluded["annual_cost"] == "6210000"
    in_house = sum(int(r["annual_cost"]) for r in read_csv(results) if r["model"] == "bpo")
    assert excluded["annual_saving"] == str(in_house - 6_210_000) == "2008000"
    # The winner: 12 × 520,000 × (1 + 15%).
    winner = lines[0]
    assert (winner["total"], winner["annual_cost"]) == ("65.6", "7176000")
    assert winner["annual_saving"] == str(in_house - 7_176_000) == "1042000"
    # Unit price × volume: 380,000 × 12 + 150 × 5,040 = 5,316,000, plus 15%.
    assert lines[2]["annual_cost"] == "6113400"

    assessment = Assessment.objects.get()
    assert weights_for(assessment) == scoring.DEFAULT_WEIGHTS, "the weights hand_total uses"
    assert [p.model for p in assessment.packages.all()][:3] == ["bpo", "ito", "kpo"]
    # Price and quality together (SPEC 4.6), price weight 30%. ITO: あおば's price over the
    # horizon is 3 × 2,484,000 + its initial fee, みらい's 3 × 3,036,000 + its initial fee;
    # あおば is the lowest: 100 points, みらい 80.7. Combined: 82.5 × .7 + 100 × .3 = 87.75 →
    # 87.8; 71.875 × .7 + 80.7… × .3 = 74.5.
    ito = [line for line in lines if line["package"] == "ito"]
    assert [(x["price_points"], x["combined"]) for x in ito] == [
        ("100.0", "87.8"),
        ("80.7", "74.5"),
    ]
    # The BPO winner over 3 years: in-house 8,218,000 a year (24,654,000). Outsourced: the
    # initial fee 300,000, 3 × 7,176,000 and a parallel run of two months of the in-house cost
    # (1,369,667): 23,197,667; the saving 1,456,333.
    assert (winner["horizon_cost"], winner["horizon_saving"]) == ("23197667", "1456333")
    # The range brackets the annual saving; seeded by the assessment, so a second read agrees.
    low, middle, high = (int(winner[key]) for key in ("saving_p10", "saving_p50", "saving_p90"))
    assert low < 1_042_000 < high and low < middle < high
    assert D("0") < D(winner["p_saving_positive"]) < D("1")
    assert stderr == ""
    assert (
        "bpo: winner 社会保険労務士法人みなとパートナーズ, combined 75.9 (quality 65.6, price "
        "weight 30%)" in stdout
    )


def test_vendors_without_ranking_checks_the_file_and_prints_the_winners(tmp_path: Path) -> None:
    stdout, _stderr = run(str(INVENTORY), "--vendors", str(EVALUATIONS), "--lang", "en")
    assert stdout.splitlines()[1:] == [
        "bpo: winner 社会保険労務士法人みなとパートナーズ, combined 75.9 (quality 65.6, price "
        "weight 30%); no ±10-point weight change alters the winner.",
        "ito: winner 株式会社あおばITサービス, combined 87.8 (quality 82.5, price weight 30%); "
        "no ±10-point weight change alters the winner.",
        "kpo: winner 株式会社東西リサーチ, combined 83.4 (quality 76.3, price weight 30%); no "
        "±10-point weight change alters the winner.",
    ]
    assert Assessment.objects.count() == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_file_without_a_package_column_bids_for_the_largest_package(tmp_path: Path) -> None:
    rows = [{k: v for k, v in r.items() if k != "パッケージ"} for r in sample_rows()[:4]]
    source = write_evaluations(tmp_path / "no_package.csv", rows)
    ranking = tmp_path / "ranking.csv"
    stdout, _stderr = run(
        str(INVENTORY), "--vendors", str(source), "--ranking", str(ranking), "--lang", "en"
    )
    # BPO: 2,828 of the inventory's 6,060 hours, the most of any package. Its 社労士 work
    # excludes both vendors of these rows (neither holds the registration): no rank.
    assert "no_package.csv has no package column" in stdout and "for bpo" in stdout
    assert [(x["package"], x["rank"], x["exclusion_reasons"]) for x in read_csv(ranking)] == [
        ("bpo", "", "licence_missing"),
        ("bpo", "", "licence_missing"),
    ]


def bad(row: int, header: str, value: str) -> list[dict[str, str]]:
    """The sample file with one cell changed; `row` as the spreadsheet shows it."""
    rows = sample_rows()
    rows[row - 2][header] = value
    return rows


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param(
            bad(2, "実績", "6"), "Row 2, column F (実績): Must be at most 5 (got 6).", id="score-6"
        ),
        pytest.param(
            bad(4, "初期費用(円)", "-1"),
            "Row 4, column O (初期費用(円)): Must be at least 0 (got -1).",
            id="negative-fee",
        ),
        pytest.param(
            bad(8, "パッケージ", "in_house"),
            "Row 8, column A (パッケージ): Unknown package “in_house”: the packages of this "
            "assessment are bpo / ito / kpo / dispatch / crowdsourcing / subcontract.",
            id="unknown-package",
        ),
        pytest.param(
            bad(14, "単価(円)", "90"),
            "Row 14, column Q (単価(円)): A unit price needs the annual volume",
            id="unit-price-without-volume",
        ),
    ],
)
def test_a_bad_vendor_file_names_the_row_and_column_and_changes_nothing(
    tmp_path: Path, rows: list[dict[str, str]], expected: str
) -> None:
    source = write_evaluations(tmp_path / "vendors.csv", rows)
    ranking, results = tmp_path / "ranking.csv", tmp_path / "results.csv"
    before = counts()

    error, stderr = run_failing(
        str(INVENTORY),
        *("--vendors", str(source), "--ranking", str(ranking), "--csv", str(results)),
        *("--org", "New Co", "--lang", "en"),
    )

    assert expected in stderr
    assert len(stderr.splitlines()) == 1
    assert error == "vendors.csv: 1 problem; nothing was imported."
    assert counts() == before
    assert Assessment.objects.count() == 0
    assert not Organisation.objects.filter(name="New Co").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["vendors.csv"], "no output written"


def test_every_vendor_problem_is_listed_one_per_line(tmp_path: Path) -> None:
    rows = bad(2, "実績", "6")
    rows[2]["初期費用(円)"] = "-1"
    rows[6]["パッケージ"] = "in_house"
    source = write_evaluations(tmp_path / "vendors.csv", rows)
    error, stderr = run_failing(str(INVENTORY), "--vendors", str(source), "--lang", "en")
    assert [line.split(":")[0] for line in stderr.splitlines()] == [
        "Row 2, column F (実績)",
        "Row 4, column O (初期費用(円))",
        "Row 8, column A (パッケージ)",
    ]
    assert error == "vendors.csv: 3 problems; nothing was imported."
    assert counts() == (0, 0, 0, 0)


def test_a_previous_ranking_file_is_kept_when_the_vendor_file_is_bad(tmp_path: Path) -> None:
    ranking = tmp_path / "ranking.csv"
    ranking.write_text("previous ranking\n", encoding="utf-8")
    source = write_evaluations(tmp_path / "vendors.csv", bad(2, "実績", "6"))
    run_failing(str(INVENTORY), "--vendors", str(source), "--ranking", str(ranking))
    assert ranking.read_text(encoding="utf-8") == "previous ranking\n"


def test_an_inventory_without_packages_cannot_rank_vendors(tmp_path: Path) -> None:
    headers = ["部署", "業務", "作業", "業務区分", "C1", "C2"]
    # Core (C1 and C2 yes): kept in-house, so no package.
    inventory = tmp_path / "core.csv"
    inventory.write_bytes(
        csv_bytes([headers, ["営業部", "商談", "価格交渉", "営業・マーケティング", "はい", "はい"]])
    )
    error, stderr = run_failing(str(inventory), "--vendors", str(EVALUATIONS), "--lang", "en")
    # After the import's notices (this inventory has no hours), the refusal.
    assert stderr.splitlines()[-1].startswith(
        "No task of the inventory is recommended for a vendor"
    )
    assert error == "vendor_evaluations_sample.csv: 1 problem; nothing was imported."
    assert counts() == (0, 0, 0, 0)


def test_ranking_without_vendors_is_refused_before_any_work(tmp_path: Path) -> None:
    ranking = tmp_path / "ranking.csv"
    # The inventory does not even exist: the option check comes first.
    nowhere = str(tmp_path / "nowhere.csv")
    error, _stderr = run_failing(nowhere, "--ranking", str(ranking), "--lang", "en")
    assert error == "--ranking needs --vendors: the ranking is of the vendors in that file."
    error, _stderr = run_failing(nowhere, "--ranking", str(ranking))  # Japanese by default
    assert error.startswith("--ranking には --vendors が必要です。")
    assert counts() == (0, 0, 0, 0)
    assert not ranking.exists()


def test_a_missing_vendor_file_fails_before_importing(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.csv"
    error, _stderr = run_failing(str(INVENTORY), "--vendors", str(missing), "--lang", "en")
    assert error == f"No such file: {missing}"
    assert counts() == (0, 0, 0, 0)


@pytest.mark.parametrize(
    ("ranking", "expected"),
    [
        pytest.param("no/ranking.csv", "No such folder", id="missing-folder"),
        pytest.param("results.csv", "--csv and --ranking name the same file", id="same-as-csv"),
    ],
)
def test_a_bad_ranking_path_fails_before_importing(
    tmp_path: Path, ranking: str, expected: str
) -> None:
    error, _stderr = run_failing(
        str(INVENTORY),
        *("--vendors", str(EVALUATIONS), "--ranking", str(tmp_path / ranking)),
        *("--csv", str(tmp_path / "results.csv"), "--lang", "en"),
    )
    assert error.startswith(expected)
    assert counts() == (0, 0, 0, 0)


def test_a_failure_writing_the_ranking_writes_neither_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(stream: Any, lines: Any) -> None:
        stream.write("package,rank\n")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(assess, "write_ranking_csv", disk_full)
    ranking, results = tmp_path / "ranking.csv", tmp_path / "results.csv"
    error, _stderr = run_failing(
        str(INVENTORY),
        *("--vendors", str(EVALUATIONS), "--ranking", str(ranking), "--csv", str(results)),
        *("--lang", "en"),
    )
    assert error == f"Cannot write {ranking}: No space left on device"
    assert counts() == (0, 0, 0, 0)
    assert list(tmp_path.iterdir()) == [], "no results CSV, no temporary file"


def _inventory_with_front_desk(path: Path) -> Path:
    """The sample inventory and one more task directed day to day by the client: a staffing
    (dispatch) package of its own."""
    text = INVENTORY.read_text(encoding="utf-8-sig").rstrip("\r\n")
    front_desk = (
        "総務部,受付,来客受付（繁忙期の増員）,総務・受付,来客対応と会議室案内,毎日,1,240,1,2000,"
        "1,可,有,3,大,社内,継続,有,必要,少,少,少,,総務部 佐藤,,"
        "いいえ,いいえ,はい,いいえ,いいえ,いいえ,いいえ,はい,いいえ,いいえ"
    )
    path.write_text(f"{text}\r\n{front_desk}\r\n", encoding="utf-8")
    return path


def _dispatch_row(pricing: str, **cells: str) -> dict[str, str]:
    row = dict(sample_rows()[0])
    row.update(
        {"パッケージ": "dispatch", "ベンダー": "株式会社ホシスタッフ", "提供サービス": "dispatch"},
        料金体系=pricing,
        **cells,
    )
    return row


def test_the_command_line_refuses_a_staffing_quote_not_by_the_hour(tmp_path: Path) -> None:
    """As the browser's import does: a dispatch package is quoted by the hour, with a rate."""
    inventory = _inventory_with_front_desk(tmp_path / "inventory.csv")
    source = write_evaluations(
        tmp_path / "vendors.csv",
        [*sample_rows(), _dispatch_row("業務委託型", **{"月額費用(円)": "300000"})],
    )
    error, stderr = run_failing(str(inventory), "--vendors", str(source), "--lang", "en")
    assert error == "vendors.csv: 1 problem; nothing was imported."
    assert stderr.startswith(f"Row {len(sample_rows()) + 2}, column N (料金体系): ")
    assert "quoted by the hour" in stderr
    assert counts() == (0, 0, 0, 0)


def test_the_command_line_ranks_an_hourly_staffing_quote(tmp_path: Path) -> None:
    inventory = _inventory_with_front_desk(tmp_path / "inventory.csv")
    hourly = _dispatch_row(
        "時間単価",
        **{"初期費用(円)": "", "月額費用(円)": "", "単価(円)": "2400", "年間件数": "960"},
    )
    source = write_evaluations(tmp_path / "vendors.csv", [*sample_rows(), hourly])
    ranking = tmp_path / "ranking.csv"
    run(str(inventory), "--vendors", str(source), "--ranking", str(ranking), "--lang", "en")
    staffing = [line for line in read_csv(ranking) if line["package"] == "dispatch"]
    assert [line["vendor"] for line in staffing] == ["株式会社ホシスタッフ"]
    # 2,400 yen × 960 hours, plus the 15% management overhead.
    assert staffing[0]["annual_cost"] == "2649600"


def test_the_csv_and_the_packages_page_show_the_same_range(tmp_path: Path) -> None:
    """The Monte Carlo is seeded by the assessment and the package: the ranking CSV and the
    package's page (and the PDF, which reads the same selection) give the same figures for the
    same quote."""
    ranking = tmp_path / "ranking.csv"
    run(str(INVENTORY), "--vendors", str(EVALUATIONS), "--ranking", str(ranking))
    line = next(x for x in read_csv(ranking) if x["package"] == "ito" and x["rank"] == "1")
    quote = next(
        r for r in sample_rows() if r["ベンダー"] == line["vendor"] and r["パッケージ"] == "ito"
    )
    assessment = Assessment.objects.get()
    package = assessment.packages.get(model="ito")
    # The same vendor and quote entered in the browser, scored by one evaluator.
    vendor = Vendor.objects.create(name=line["vendor"], services=["ito"])
    Certification.objects.create(vendor=vendor, kind="isms")
    bid = Bid.invite(package, vendor)[0]
    for key, header in (
        ("initial_fee", "初期費用(円)"),
        ("monthly_fee", "月額費用(円)"),
        ("unit_price", "単価(円)"),
        ("annual_volume", "年間件数"),
    ):
        setattr(bid, key, D(quote[header]) if quote[header] else None)
    bid.pricing_model = "volume"  # 業務委託型
    bid.save()
    Evaluation.objects.create(
        bid=bid,
        evaluator=make_user("hanako"),
        scores=dict.fromkeys(SCORE_KEYS, 4),
        submitted_at=timezone.now(),
    )
    outlook = package_selection(package).outlook
    assert outlook is not None and outlook.range is not None
    assert [str(value) for value in outlook.range.annual] == [
        line["saving_p10"],
        line["saving_p50"],
        line["saving_p90"],
    ]
    assert str(outlook.horizon.saving.quantize(D(1))) == line["horizon_saving"]
