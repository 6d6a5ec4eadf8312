"""The ranking CSV (SPEC 6.4): one line per package and vendor, from a ranking, its sensitivity and
the vendors' cost comparisons.

Pure: no database, no request. The command line ranks the vendors of an evaluation file with
`rank_file`; a page may build the same lines from the database's ranking with `ranking_lines`,
which does not care where the ranking came from. Totals and money arrive as unrounded Decimals
(see `scoring`) and are rounded here, once, half up."""

from __future__ import annotations

import csv
import dataclasses
import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import IO

from assessments.reporting.spreadsheets import neutralise
from vendors.domain import horizon, scoring, uncertainty
from vendors.files.evaluations import EvaluationRow, same_text

RANKING_COLUMNS: tuple[str, ...] = (
    "package",
    "rank",
    "vendor",
    "total",
    "spread",
    "evaluators",
    "price_points",
    "combined",
    "excluded",
    "exclusion_reasons",
    "annual_cost",
    "annual_saving",
    "horizon_cost",
    "horizon_saving",
    "saving_p10",
    "saving_p50",
    "saving_p90",
    "p_saving_positive",
    "stable",
)
# Cells that hold user text; the others are numbers, booleans or codes, and a negative saving
# must stay a number, so only these are neutralised against formulas.
TEXT_COLUMNS = frozenset({"package", "vendor"})
ONE_DECIMAL = Decimal("0.1")
YEN = Decimal(1)


@dataclass(frozen=True)
class PackageFigures:
    """What ranking a package needs from its tasks."""

    key: str  # how the package is named in the CSV: its model key
    model: str  # for the knock-out `service_not_offered`
    in_house_cost: Decimal  # annual, of the package's tasks
    sensitive: bool  # holds confidential or personal data
    annual_hours: Decimal  # picks the package of a file without a package column (SPEC 6.3)
    # What the knock-outs read of the package's tasks (data, licensed work); None: only
    # `sensitive` is known, read as confidential data.
    facts: scoring.Package | None = None
    # The decision's terms (SPEC 4.5, 4.6): the horizon, parallel run, released share and tax
    # (the overhead comes from `rank_file`), the price weight, and what the saving's range
    # draws: the tasks and the seed the package's page uses, so both show the same figures.
    terms: horizon.Terms = horizon.DEFAULT_TERMS
    price_weight: Decimal = Decimal(0)
    tasks: tuple[uncertainty.TaskRange, ...] = ()
    seed: int = 0

    def domain(self) -> scoring.Package:
        if self.facts is not None:
            return self.facts
        return scoring.Package(self.model, {"confidential"} if self.sensitive else frozenset())


@dataclass(frozen=True)
class PackageRanking:
    figures: PackageFigures
    ranking: list[scoring.RankedVendor]
    sensitivity: scoring.Sensitivity
    lines: list[dict[str, str]]


@dataclass(frozen=True)
class Costing:
    """A vendor's quote costed: the annual comparison (SPEC 4.5), the cost over the horizon and
    the saving's range."""

    comparison: scoring.CostComparison
    horizon: horizon.Horizon
    saving: uncertainty.SavingRange


# --- from the rows of an evaluation file --------------------------------------------------------


def _by_vendor(rows: Iterable[EvaluationRow]) -> dict[str, list[EvaluationRow]]:
    """Rows grouped by vendor in file order, under the first spelling: the parser already treats
    names differing only in width, case or spaces as one vendor, and so must the ranking."""
    names: dict[str, str] = {}
    groups: dict[str, list[EvaluationRow]] = {}
    for row in rows:
        name = names.setdefault(same_text(row.vendor), row.vendor)
        groups.setdefault(name, []).append(row)
    return groups


def vendors_from_rows(rows: Sequence[EvaluationRow]) -> list[scoring.Vendor]:
    """One package's rows as vendors, services and certifications as the file gives them (the
    parser has already made them one value per vendor); a file gives no expiry dates."""
    vendors = []
    for name, group in _by_vendor(rows).items():
        services = next((r.services for r in group if r.services), ())
        certifications = next((r.certifications for r in group if r.certifications), ())
        vendors.append(
            scoring.Vendor(
                name=name,
                services=frozenset(services),
                certifications=tuple(scoring.Certification(kind) for kind in certifications),
                evaluations=tuple(scoring.Evaluation(r.evaluator, r.scores) for r in group),
            )
        )
    return vendors


def quotes_from_rows(rows: Sequence[EvaluationRow]) -> dict[str, scoring.Quote]:
    """One package's quotes by vendor. As for a bid, a quote needs a monthly fee or a unit price:
    a vendor without one is absent (its cost cells stay empty)."""
    quotes = {}
    for name, group in _by_vendor(rows).items():
        row = next(
            (r for r in group if r.monthly_fee is not None or r.unit_price is not None), None
        )
        if row is not None:
            quotes[name] = scoring.Quote(
                pricing_model=row.pricing_model,  # type: ignore[arg-type]
                initial_fee=row.initial_fee,
                monthly_fee=row.monthly_fee,
                unit_price=row.unit_price,
                annual_volume=row.annual_volume,
            )
    return quotes


def largest_package(packages: Sequence[PackageFigures]) -> PackageFigures | None:
    """The most annual hours; the first of equals, as the browser's import picks."""
    return max(packages, key=lambda p: p.annual_hours, default=None)


def rows_by_package(
    rows: Iterable[EvaluationRow], packages: Sequence[PackageFigures]
) -> dict[str, list[EvaluationRow]]:
    """Rows by package key; a row without a package (no such column) goes to the largest."""
    fallback = largest_package(packages)
    grouped: dict[str, list[EvaluationRow]] = {}
    for row in rows:
        key = row.package if row.package is not None else (fallback.key if fallback else None)
        if key is not None:
            grouped.setdefault(key, []).append(row)
    return grouped


def rank_package(
    figures: PackageFigures,
    rows: Sequence[EvaluationRow],
    weights: Mapping[str, Decimal],
    *,
    overhead_rate: Decimal,
    on: datetime.date,
) -> PackageRanking:
    """Ranking by the combined score, sensitivity, costs and CSV lines of one package's rows."""
    vendors = vendors_from_rows(rows)
    package = figures.domain()
    terms = dataclasses.replace(figures.terms, overhead_rate=overhead_rate)
    draws = uncertainty.draw_inventory(figures.tasks, seed=figures.seed)
    costings = {
        name: costing_of(figures.in_house_cost, quote, terms, draws)
        for name, quote in quotes_from_rows(rows).items()
    }
    prices = {
        vendor.name: None if (c := costings.get(vendor.name)) is None else c.horizon.vendor_price
        for vendor in vendors
    }
    priced = {"prices": prices, "price_weight": figures.price_weight}
    ranking = scoring.rank(vendors, weights, package, on=on, **priced)
    sensitivity = scoring.sensitivity(vendors, weights, package, on=on, **priced)
    lines = ranking_lines(figures.key, ranking, sensitivity, costings)
    return PackageRanking(figures, ranking, sensitivity, lines)


def rank_file(
    rows: Iterable[EvaluationRow],
    packages: Sequence[PackageFigures],
    weights: Mapping[str, Decimal],
    *,
    overhead_rate: Decimal,
    on: datetime.date,
) -> list[PackageRanking]:
    """Every package the file bids for, in the order of `packages`."""
    grouped = rows_by_package(rows, packages)
    return [
        rank_package(figures, grouped[figures.key], weights, overhead_rate=overhead_rate, on=on)
        for figures in packages
        if figures.key in grouped
    ]


def costing_of(
    in_house: Decimal,
    quote: scoring.Quote,
    terms: horizon.Terms,
    draws: uncertainty.InventoryDraws,
) -> Costing | None:
    try:
        comparison = scoring.compare(in_house, quote, terms.overhead_rate)
    except scoring.InvalidInput:
        return None  # a quote that cannot be costed shows no cost, as on the package's page
    return Costing(
        comparison,
        horizon.horizon(in_house, quote, terms),
        uncertainty.saving_range(draws, quote, terms),
    )


# --- the lines ----------------------------------------------------------------------------------


def ranking_lines(
    package_key: str,
    ranking: Sequence[scoring.RankedVendor],
    sensitivity: scoring.Sensitivity,
    costings: Mapping[str, Costing | None],
) -> list[dict[str, str]]:
    """The CSV lines of one package, in ranking order, every cell a string (empty: no value)."""
    return [_line(package_key, row, sensitivity, costings.get(row.name)) for row in ranking]


def _line(
    package_key: str,
    row: scoring.RankedVendor,
    sensitivity: scoring.Sensitivity,
    costing: Costing | None,
) -> dict[str, str]:
    # Stability is a property of the winner, so it sits on the first-ranked rows only.
    stable = "" if row.rank != 1 or sensitivity.stable is None else _bool(sensitivity.stable)
    line = {
        "package": package_key,
        "rank": "" if row.rank is None else str(row.rank),
        "vendor": row.name,
        "total": _rounded(row.total, ONE_DECIMAL),
        "spread": _rounded(row.spread, ONE_DECIMAL),
        "evaluators": str(row.evaluators),
        "price_points": _rounded(row.price_points, ONE_DECIMAL),
        "combined": _rounded(row.combined, ONE_DECIMAL),
        "excluded": _bool(row.excluded),
        "exclusion_reasons": ";".join(row.exclusion_reasons),
        "stable": stable,
    }
    line.update(dict.fromkeys(COST_COLUMNS, ""))
    if costing is not None:
        saving = costing.saving
        low, middle, high = saving.annual
        line.update(
            annual_cost=_rounded(costing.comparison.annual_cost, YEN),
            annual_saving=_rounded(costing.comparison.annual_saving, YEN),
            horizon_cost=_rounded(costing.horizon.total, YEN),
            horizon_saving=_rounded(costing.horizon.saving, YEN),
            saving_p10=_rounded(low, YEN),
            saving_p50=_rounded(middle, YEN),
            saving_p90=_rounded(high, YEN),
            p_saving_positive=_rounded(saving.p_positive, TWO_DECIMALS),
        )
    return {key: line[key] for key in RANKING_COLUMNS}


COST_COLUMNS = (
    "annual_cost",
    "annual_saving",
    "horizon_cost",
    "horizon_saving",
    "saving_p10",
    "saving_p50",
    "saving_p90",
    "p_saving_positive",
)
TWO_DECIMALS = Decimal("0.01")


def _rounded(value: Decimal | None, places: Decimal) -> str:
    if value is None:
        return ""
    rounded = value.quantize(places, ROUND_HALF_UP)
    # "f": never an exponent; + 0 turns a rounded −0 into 0.
    return f"{rounded + 0 if rounded.is_zero() else rounded:f}"


def _bool(value: bool) -> str:
    return "true" if value else "false"


def write_ranking_csv(stream: IO[str], lines: Iterable[Mapping[str, str]]) -> None:
    """UTF-8 without BOM, comma-separated, English header, as the results CSV; open `stream` with
    newline="". Text cells that would start a formula are neutralised."""
    writer = csv.writer(stream)
    writer.writerow(RANKING_COLUMNS)
    for line in lines:
        writer.writerow(
            neutralise(line[key]) if key in TEXT_COLUMNS else line[key] for key in RANKING_COLUMNS
        )
