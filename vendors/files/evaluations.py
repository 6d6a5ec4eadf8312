"""Reading a vendor evaluation file (SPEC 6.3): one row per vendor, package and evaluator, with the
eight scores and the vendor's quote. `.xlsx` or `.csv`, Japanese or English headers, read by the
inventory importer's `read_sheet` (size limits, zip bombs, encodings) and reported with its
`Problem`s, so the browser and the command line show the same row-level messages.

Either the whole file parses or nothing does: `parse_evaluations` returns the rows or raises
`ImportRejected` with every problem found (at most `MAX_PROBLEMS`). Pure: no database, no request.

What belongs to whom: the scores and the comment to the row (one evaluator); the quote (pricing
model, fees, unit price, volume) to the vendor and package; the services and certifications to the
vendor. A value given on one row of its vendor (and package) applies to all of them, so a quote
need not be repeated; two different non-empty values are a problem naming both rows."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any, Literal, cast

from django.db import models
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.domain.choices import Outcome, VendorCriterion
from assessments.domain.columns import Column
from assessments.files.importing import (
    CellError,
    Sheet,
    normalise,
    parse_cell,
    read_sheet,
)
from assessments.files.problems import (
    MAX_PROBLEMS,
    ImportRejected,
    Problem,
    column_name,
    reject,
)
from assessments.files.words import label_variants
from outsourcing_advisor.common.wording import japanese
from vendors.models import CertificationKind, PricingModel

Kind = Literal["text", "package", "services", "certifications", "score", "pricing", "amount"]

SCORE_KEYS: tuple[str, ...] = tuple(VendorCriterion.values)
QUOTE_KEYS = ("pricing_model", "initial_fee", "monthly_fee", "unit_price", "annual_volume")
VENDOR_KEYS = ("services", "certifications")  # facts about the vendor, whatever the package
MAX_AMOUNT = Decimal("999999999999.99")  # what the quote's DecimalField(14, 2) holds


@dataclass(frozen=True)
class EvaluationColumn:
    key: str  # the English header
    label: Promise  # English label, also accepted as a header
    japanese: tuple[str, ...]  # accepted Japanese headers; the first is the template's
    kind: Kind
    required: bool = False
    max_length: int = 200

    def header(self) -> str:
        """The column as the user's template names it: Japanese, or the English key."""
        return self.japanese[0] if japanese(translation.get_language() or "") else self.key


_SCORE_JAPANESE = {
    "track_record": ("実績",),
    "team": ("体制",),
    "security": ("セキュリティ",),
    "sla_quality": ("SLA・品質管理", "SLA/品質管理", "品質管理"),
    "improvement": ("改善提案力", "改善提案"),
    "bcp": ("BCP", "事業継続"),
    "cost_breakdown": ("費用の内訳", "費用内訳"),
    "contract_terms": ("契約条件",),
}

EVALUATION_COLUMNS: tuple[EvaluationColumn, ...] = (
    EvaluationColumn(
        "package", gettext_lazy("Package"), ("パッケージ", "委託モデル", "モデル"), "package"
    ),
    EvaluationColumn(
        "vendor",
        gettext_lazy("Vendor"),
        ("ベンダー", "ベンダー名", "委託先", "会社名"),
        "text",
        required=True,
    ),
    EvaluationColumn(
        "services",
        gettext_lazy("Services offered"),
        ("提供サービス", "サービス", "対応モデル"),
        "services",
    ),
    EvaluationColumn(
        "certifications",
        gettext_lazy("Certifications"),
        ("認証", "取得認証", "認証・資格", "資格・認証"),
        "certifications",
    ),
    EvaluationColumn(
        "evaluator",
        gettext_lazy("Evaluator"),
        ("評価者",),
        "text",
        required=True,
        max_length=150,  # a user name
    ),
    *(
        EvaluationColumn(
            criterion.value,
            cast(Promise, criterion.label),  # lazy, though the stubs say str
            _SCORE_JAPANESE[criterion.value],
            "score",
            True,
        )
        for criterion in VendorCriterion
    ),
    EvaluationColumn(
        "pricing_model",
        gettext_lazy("Pricing model"),
        ("料金体系", "料金モデル", "価格モデル", "料金形態"),
        "pricing",
    ),
    EvaluationColumn(
        "initial_fee",
        gettext_lazy("Initial fee (yen)"),
        ("初期費用(円)", "初期費用"),
        "amount",
    ),
    EvaluationColumn(
        "monthly_fee",
        gettext_lazy("Monthly fee (yen)"),
        ("月額費用(円)", "月額費用", "月額料金(円)", "月額料金", "月額"),
        "amount",
    ),
    EvaluationColumn(
        "unit_price", gettext_lazy("Unit price (yen)"), ("単価(円)", "単価"), "amount"
    ),
    EvaluationColumn(
        "annual_volume",
        gettext_lazy("Annual volume"),
        ("年間件数", "年間数量", "年間ボリューム", "年間処理件数"),
        "amount",
    ),
    EvaluationColumn(
        "comment", gettext_lazy("Comment"), ("コメント", "所見", "備考"), "text", max_length=2000
    ),
)
COLUMNS_BY_KEY = {column.key: column for column in EVALUATION_COLUMNS}


@dataclass(frozen=True)
class EvaluationRow:
    source_row: int  # as the spreadsheet shows it: the header is row 1
    package: str | None  # a model key; None when the file has no package column
    vendor: str
    services: tuple[str, ...]  # model keys, in the order of the models
    certifications: tuple[str, ...]  # CertificationKind values, in their order
    evaluator: str
    scores: dict[str, int]  # every criterion, 1–5, in the criteria's order
    pricing_model: str  # a PricingModel value, or ""
    initial_fee: Decimal | None
    monthly_fee: Decimal | None
    unit_price: Decimal | None
    annual_volume: Decimal | None
    comment: str


class ParsedEvaluations(list[EvaluationRow]):
    """The rows of a file that parsed, and what was noticed without refusing it."""

    def __init__(
        self,
        rows: Iterable[EvaluationRow],
        *,
        filename: str = "",
        sha256: str = "",
        columns: frozenset[str] = frozenset(),
        column_names: dict[str, str] | None = None,
        ignored_headers: list[str] | None = None,
        warnings: list[Problem] | None = None,
    ) -> None:
        super().__init__(rows)
        self.filename = filename
        self.sha256 = sha256
        self.columns = columns  # the keys of the columns the file has
        self.column_names = column_names or {}  # key -> "A (パッケージ)", as problems name them
        self.ignored_headers = ignored_headers or []
        self.warnings = warnings or []  # one per ignored column, naming it


# --- values ------------------------------------------------------------------------------------


def _fold(text: str) -> str:
    """normalise() and no middle dots: SLA・品質管理 matches SLA品質管理."""
    return normalise(text).replace("・", "")


@cache
def header_aliases() -> dict[str, str]:
    """Every accepted header (key, English label, Japanese headers) -> column key."""
    aliases: dict[str, str] = {}
    for column in EVALUATION_COLUMNS:
        names = {
            _fold(column.key),
            *label_variants(column.label, _fold),
            *map(_fold, column.japanese),
        }
        for name in names:
            aliases[name] = column.key
    return aliases


_MODEL_WORDS = {
    "bpo": ("ビジネス・プロセス・アウトソーシング", "business process outsourcing"),
    "ito": ("ITアウトソーシング", "IT outsourcing"),
    "kpo": ("ナレッジ・プロセス・アウトソーシング", "knowledge process outsourcing"),
    "dispatch": ("人材派遣", "派遣", "temporary staff"),
    "crowdsourcing": ("クラウドソーシング",),
    "subcontract": ("外注",),
    "in_house": ("内製",),
}
_CERTIFICATION_WORDS = {
    "isms": ("ISO 27001", "ISO/IEC 27001", "JIS Q 27001"),
    "pmark": ("Pマーク", "プライバシーマーク", "Privacy Mark", "P mark"),
    "iso9001": ("ISO 9001", "JIS Q 9001"),
    "sharoushi": ("社労士", "社会保険労務士"),
    "other": ("その他",),
}
_PRICING_WORDS = {
    "volume": ("業務委託型", "業務委託", "volume-based", "volume based"),
    "outcome": ("成果報酬型", "成果報酬", "outcome-based", "outcome based"),
    "subscription": ("サブスク型", "サブスクリプション", "サブスク", "定額"),
    "hourly": ("時間単価", "時給", "派遣", "hourly rate", "per hour"),
}


@cache
def _aliases(kind: str) -> dict[str, str]:
    choices: dict[str, type[models.TextChoices]] = {
        "model": Outcome,
        "certification": CertificationKind,
        "pricing": PricingModel,
    }
    words = {"model": _MODEL_WORDS, "certification": _CERTIFICATION_WORDS}.get(kind, _PRICING_WORDS)
    aliases: dict[str, str] = {}
    for value, label in choices[kind].choices:
        for name in {
            _fold(value),
            *label_variants(label, _fold),
            *map(_fold, words.get(value, ())),
        }:
            aliases[name] = value
    return aliases


def _certification_pattern(folded: str) -> str | None:
    """Spellings with years and prefixes: ISO/IEC 27001:2022, ISMS認証, プライバシーマーク取得."""
    found = set()
    if "27001" in folded or folded.startswith("isms"):
        found.add("isms")
    if "9001" in folded:
        found.add("iso9001")
    if any(word in folded for word in ("プライバシーマーク", "privacymark", "pマーク", "pmark")):
        found.add("pmark")
    return found.pop() if len(found) == 1 else None


_LIST_SEPARATORS = re.compile(r"[,、;\n]")
_PART_SEPARATORS = re.compile(r"[・/]")


def _parse_list(
    text: str, kind: str, pattern: Callable[[str], str | None] | None = None
) -> tuple[str, ...]:
    """Keys joined by `,` or `、` (or `;`, a line break); "ISMS・Pマーク" is two as well."""
    aliases = _aliases(kind)

    def one(token: str) -> str | None:
        folded = _fold(token)
        return aliases.get(folded) or (pattern(folded) if pattern else None)

    found: set[str] = set()
    for token in _LIST_SEPARATORS.split(unicodedata.normalize("NFKC", text)):
        if not token.strip():
            continue
        key = aliases.get(_fold(token))
        if key is not None:
            found.add(key)
            continue
        parts = [one(part) for part in _PART_SEPARATORS.split(token) if part.strip()]
        if len(parts) > 1 and all(parts):
            found.update(part for part in parts if part)
            continue
        key = one(token)
        if key is None:
            raise CellError(
                _("“%(value)s” is not one of: %(allowed)s.")
                % {"value": _shorten(token.strip()), "allowed": _allowed(kind)}
            )
        found.add(key)
    return tuple(key for key in _keys(kind) if key in found)


def _keys(kind: str) -> list[str]:
    return {
        "model": Outcome.values,
        "certification": CertificationKind.values,
        "pricing": PricingModel.values,
    }[kind]


def _allowed(kind: str) -> str:
    return " / ".join(_keys(kind))


def _parse_choice(text: str, kind: str) -> str:
    value = _aliases(kind).get(_fold(text))
    if value is None:
        raise CellError(
            _("“%(value)s” is not one of: %(allowed)s.")
            % {"value": _shorten(text), "allowed": _allowed(kind)}
        )
    return value


@cache
def _cell_column(key: str) -> Column:
    """The inventory importer's column for the text and number cells: same messages."""
    column = COLUMNS_BY_KEY[key]
    if column.kind == "score":
        one, five = Decimal(1), Decimal(5)
        return Column(column.key, column.label, "int", True, minimum=one, maximum=five)
    if column.kind == "amount":
        return Column(column.key, column.label, "decimal", minimum=Decimal(0), maximum=MAX_AMOUNT)
    return Column(column.key, column.label, "text", column.required, max_length=column.max_length)


def parse_value(column: EvaluationColumn, cell: Any) -> Any:
    """The cell's value, or the empty value of its kind; raises CellError with a message."""
    if column.kind in ("text", "score", "amount"):
        value = parse_cell(_cell_column(column.key), cell)
        return "" if value is None and column.kind == "text" else value
    text = _cell_text(cell)
    if not text:
        if column.kind == "package":  # present but empty: the rows would bid for nothing
            raise CellError(_("A value is required."))
        return "" if column.kind == "pricing" else ()
    if column.kind == "package":
        return _parse_choice(text, "model")
    if column.kind == "pricing":
        return _parse_choice(text, "pricing")
    if column.kind == "services":
        return _parse_list(text, "model")
    return _parse_list(text, "certification", _certification_pattern)


def _cell_text(cell: Any) -> str:
    if cell is None or (isinstance(cell, float) and cell != cell):
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def same_text(text: str) -> str:
    """Width, case and runs of spaces do not make two names different."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


# --- the file ----------------------------------------------------------------------------------


def _read(data: bytes, filename: str) -> Sheet:
    try:
        return read_sheet(data, filename)
    except ImportRejected as error:
        if [p.message for p in error.problems] == [_("The file has column headers but no tasks.")]:
            raise reject(_("The file has column headers but no evaluations.")) from None
        raise


def map_headers(headers: list[str]) -> tuple[dict[int, str], list[int], list[Problem]]:
    """Column index -> key, the indices of unknown headers, and the problems: a missing required
    column, or two columns for the same key."""
    aliases = header_aliases()
    mapping: dict[int, str] = {}
    unknown: list[int] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for index, header in enumerate(headers):
        name = _fold(header)
        if not name:
            continue
        key = aliases.get(name)
        if key is None:
            unknown.append(index)
        elif key in seen:
            problems.append(
                Problem(
                    None,
                    None,
                    _("Columns %(first)s and %(second)s are both mapped to “%(field)s”.")
                    % {
                        "first": column_name(seen[key], headers[seen[key]]),
                        "second": column_name(index, header),
                        "field": COLUMNS_BY_KEY[key].header(),
                    },
                )
            )
        else:
            seen[key] = index
            mapping[index] = key
    for column in EVALUATION_COLUMNS:
        if column.required and column.key not in seen:
            problems.append(
                Problem(
                    None,
                    None,
                    _("The required column “%(field)s” is missing.") % {"field": column.header()},
                )
            )
    return mapping, unknown, problems


def _matcher(known: set[str] | None) -> dict[str, str] | None:
    return None if known is None else {same_text(name): name for name in sorted(known)}


@dataclass
class _Seen:
    value: Any
    text: str  # as the file has it
    row: int


@dataclass
class _Checks:
    """The checks across rows: duplicates, and one value per vendor (services, certifications)
    and per vendor and package (the quote)."""

    headers: list[str]
    mapping: dict[int, str]
    first_row: dict[tuple[Any, ...], int] = field(default_factory=dict)
    given: dict[tuple[Any, ...], _Seen] = field(default_factory=dict)  # (key, *group) -> first

    def column(self, key: str) -> str:
        index = self.index(key)
        return column_name(index, self.headers[index])

    def index(self, key: str) -> int:
        return next(index for index, mapped in self.mapping.items() if mapped == key)

    def has(self, key: str) -> bool:
        return key in self.mapping.values()

    def groups(self, values: dict[str, Any]) -> tuple[tuple[Any, ...], tuple[Any, ...]] | None:
        """(vendor,) and (package, vendor), or None when the row names neither clearly."""
        if not values.get("vendor") or (self.has("package") and "package" not in values):
            return None
        vendor = (same_text(values["vendor"]),)
        return vendor, (values.get("package"), *vendor)

    def duplicate(self, number: int, values: dict[str, Any]) -> list[Problem]:
        groups = self.groups(values)
        if groups is None or not values.get("evaluator"):
            return []
        key = (*groups[1], same_text(values["evaluator"]))
        if key not in self.first_row:
            self.first_row[key] = number
            return []
        message = (
            _("Same package, vendor and evaluator as row %(row)s (a duplicate row).")
            if self.has("package")
            else _("Same vendor and evaluator as row %(row)s (a duplicate row).")
        )
        return [Problem(number, None, message % {"row": self.first_row[key]})]

    def conflicts(self, number: int, values: dict[str, Any], cells: list[Any]) -> list[Problem]:
        groups = self.groups(values)
        if groups is None:
            return []
        vendor_message = _("“%(value)s” here but “%(other)s” in row %(row)s for the same vendor.")
        quote_message = _(
            "“%(value)s” here but “%(other)s” in row %(row)s: a vendor has one quote per package."
        )
        problems = []
        for keys, group, message in (
            (VENDOR_KEYS, groups[0], vendor_message),
            (QUOTE_KEYS, groups[1], quote_message),
        ):
            for key in keys:
                value = values.get(key)
                if value is None or value in ("", ()):
                    continue
                text = _shorten(_cell_text(cells[self.index(key)]))
                seen = self.given.setdefault((key, *group), _Seen(value, text, number))
                if seen.value != value:
                    parts = {"value": text, "other": seen.text, "row": seen.row}
                    problems.append(Problem(number, self.column(key), message % parts))
        return problems

    def shared(self, values: dict[str, Any], key: str, empty: Any) -> Any:
        """The row's value, or the one another row of its vendor (and package) gave."""
        groups = self.groups(values)
        seen = None
        if groups is not None:
            seen = self.given.get((key, *groups[0 if key in VENDOR_KEYS else 1]))
        return seen.value if seen is not None else values.get(key, empty)


def parse_evaluations(
    data: bytes,
    filename: str,
    *,
    known_packages: set[str] | None = None,
    known_evaluators: set[str] | None = None,
    known_vendors: set[str] | None = None,
) -> ParsedEvaluations:
    """Read and validate a whole file. `known_*`, when given, are what the rows may name: the
    model keys of the assessment's packages, the user names of its evaluators, the registry's
    vendor names (matched ignoring case, width and spaces; the rows carry the known spelling)."""
    sheet = _read(data, filename)
    mapping, unknown, problems = map_headers(sheet.headers)
    if problems:
        raise ImportRejected(problems)
    checks = _Checks(sheet.headers, mapping)
    columns = [(index, COLUMNS_BY_KEY[key]) for index, key in sorted(mapping.items())]
    names = {"vendor": _matcher(known_vendors), "evaluator": _matcher(known_evaluators)}
    parsed: list[tuple[int, dict[str, Any]]] = []
    for number, cells in sheet.rows:
        values: dict[str, Any] = {}
        row_problems: list[Problem] = []
        for index, column in columns:
            try:
                values[column.key] = parse_value(column, cells[index])
            except CellError as error:
                row_problems.append(
                    Problem(number, column_name(index, sheet.headers[index]), str(error))
                )
        package = values.get("package")
        if package is not None and known_packages is not None and package not in known_packages:
            message = _unknown_package(package, known_packages)
            row_problems.append(Problem(number, checks.column("package"), message))
        for key, known in names.items():
            if not values.get(key) or known is None:
                continue
            if same_text(values[key]) in known:
                values[key] = known[same_text(values[key])]  # the known spelling
            else:
                message = _unknown_name(key) % {"value": _shorten(values[key])}
                row_problems.append(Problem(number, checks.column(key), message))
        row_problems += checks.duplicate(number, values)
        row_problems += checks.conflicts(number, values, cells)
        problems += row_problems
        if len(problems) >= MAX_PROBLEMS:
            break
        parsed.append((number, values))
    if problems:
        raise ImportRejected(problems[:MAX_PROBLEMS])
    rows = [_row(number, values, checks) for number, values in parsed]
    problems = _incomplete_quotes(rows, checks)
    if problems:
        raise ImportRejected(problems[:MAX_PROBLEMS])
    return ParsedEvaluations(
        rows,
        filename=filename,
        sha256=hashlib.sha256(data).hexdigest(),
        columns=frozenset(mapping.values()),
        column_names={
            key: column_name(index, sheet.headers[index]) for index, key in mapping.items()
        },
        ignored_headers=[sheet.headers[index] for index in unknown],
        warnings=[
            Problem(None, column_name(index, sheet.headers[index]), _("Unknown column, ignored."))
            for index in unknown
        ],
    )


def _incomplete_quotes(rows: list[EvaluationRow], checks: _Checks) -> list[Problem]:
    """A unit price without the annual volume cannot be costed (reading the volume as 0 would
    understate the cost): one problem per vendor and package, on its first row."""
    problems, seen = [], set()
    for row in rows:
        key = (row.package, row.vendor)
        if row.unit_price and row.annual_volume is None and key not in seen:
            seen.add(key)
            message = _(
                "A unit price needs the annual volume (on this row or another of the vendor)."
            )
            problems.append(Problem(row.source_row, checks.column("unit_price"), message))
    return problems


def _unknown_name(key: str) -> str:
    if key == "vendor":
        return _("“%(value)s” is not in the vendor registry.")
    return _("“%(value)s” is not an evaluator of this assessment.")


def _unknown_package(package: str, known: set[str]) -> str:
    if not known:
        return _("Unknown package “%(value)s”: this assessment has no packages yet.") % {
            "value": package
        }
    return _("Unknown package “%(value)s”: the packages of this assessment are %(allowed)s.") % {
        "value": package,
        "allowed": " / ".join(key for key in Outcome.values if key in known),
    }


def _row(number: int, values: dict[str, Any], checks: _Checks) -> EvaluationRow:
    return EvaluationRow(
        source_row=number,
        package=values.get("package"),
        vendor=values["vendor"],
        services=checks.shared(values, "services", ()),
        certifications=checks.shared(values, "certifications", ()),
        evaluator=values["evaluator"],
        scores={key: values[key] for key in SCORE_KEYS},
        pricing_model=checks.shared(values, "pricing_model", ""),
        initial_fee=checks.shared(values, "initial_fee", None),
        monthly_fee=checks.shared(values, "monthly_fee", None),
        unit_price=checks.shared(values, "unit_price", None),
        annual_volume=checks.shared(values, "annual_volume", None),
        comment=values.get("comment", ""),
    )
