"""Cost comparison of a sourcing package and the scoring, knock-outs, ranking and sensitivity of its
vendors (SPEC 4.5, 4.6).

Pure, typed functions over plain data: quotes, weights, scores, certifications. No database, no
request; the views, the vendor import and the command line all call these. Money and totals are
Decimal and never rounded here: they are rounded once, where they are shown. Bad input raises
`InvalidInput` (a ValueError) with a message that says what is wrong."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

import numpy as np

from assessments.domain.classification import SENSITIVE_DATA


class InvalidInput(ValueError):
    """A quote, a weight or a score the functions cannot use; the message says why."""


# --- criteria and weights --------------------------------------------------------------------

CRITERIA: tuple[str, ...] = (
    "track_record",
    "team",
    "security",
    "sla_quality",
    "improvement",
    "bcp",
    "cost_breakdown",
    "contract_terms",
)
WEIGHT_TOTAL = Decimal(100)
# Security and SLA/quality weigh most: a vendor that leaks data or misses its service levels costs
# more than any saving; a proven track record comes next. The same figures as the published
# version 1 (assessments migration 0006); administrators change them through later versions.
DEFAULT_WEIGHTS: dict[str, Decimal] = {
    "track_record": Decimal(15),
    "team": Decimal(10),
    "security": Decimal(20),
    "sla_quality": Decimal(15),
    "improvement": Decimal(10),
    "bcp": Decimal(10),
    "cost_breakdown": Decimal(10),
    "contract_terms": Decimal(10),
}
LOWEST_SCORE, HIGHEST_SCORE = 1, 5
POINTS_PER_STEP = Decimal(25)  # (score − 1) / 4 × 100: each step above 1 is 25 points


def validate_weights(weights: Mapping[str, Decimal]) -> list[str]:
    """Every reason the weights cannot be used; empty when they can."""
    problems = [f"unknown_criterion:{code}" for code in weights if code not in CRITERIA]
    problems += [f"missing_criterion:{code}" for code in CRITERIA if code not in weights]
    problems += [f"negative_weight:{code}" for code, weight in weights.items() if weight < 0]
    total = sum(weights.values(), Decimal(0))
    if total != WEIGHT_TOTAL:
        problems.append(f"weights_sum_to:{total}")
    return problems


def _require_valid(weights: Mapping[str, Decimal]) -> None:
    problems = validate_weights(weights)
    if problems:
        raise InvalidInput(f"the criterion weights cannot be used: {'; '.join(problems)}")


# --- cost comparison (SPEC 4.5) ----------------------------------------------------------------

PricingModel = Literal["volume", "outcome", "subscription", "hourly"]
# "hourly": a staffing package's quote (dispatch): the unit price is the hourly rate and the
# annual volume the hours, so the same formula gives hourly rate × hours (SPEC 4.5).
PRICING_MODELS: tuple[str, ...] = ("volume", "outcome", "subscription", "hourly")
DEFAULT_OVERHEAD_RATE = Decimal("0.15")
MONTHS = 12


@dataclass(frozen=True)
class Quote:
    """A vendor's quote in yen; None (or 0) where the pricing model has no such part. The formula
    is the same for every model: outcome-based pricing quotes a unit price per outcome."""

    pricing_model: PricingModel | Literal[""] = ""  # "": not stated
    initial_fee: Decimal | None = None
    monthly_fee: Decimal | None = None
    unit_price: Decimal | None = None
    annual_volume: Decimal | None = None


def quote_parts(quote: Quote) -> tuple[Decimal, Decimal]:
    """The fixed (12 monthly fees) and the variable (unit price × volume) annual parts."""
    if quote.pricing_model not in ("", *PRICING_MODELS):
        raise InvalidInput(
            f"pricing model {quote.pricing_model!r} is not one of {', '.join(PRICING_MODELS)}"
        )
    for name in ("initial_fee", "monthly_fee", "unit_price", "annual_volume"):
        amount = getattr(quote, name)
        if amount is not None and amount < 0:
            raise InvalidInput(f"{name} must not be negative (got {amount})")
    unit_price = quote.unit_price or Decimal(0)
    if unit_price and quote.annual_volume is None:
        # Reading a missing volume as 0 would understate the cost and overstate the saving.
        raise InvalidInput("a quote with a unit price needs the annual volume")
    fixed = MONTHS * (quote.monthly_fee or Decimal(0))
    return fixed, unit_price * (quote.annual_volume or Decimal(0))


def _require_rate(overhead_rate: Decimal) -> None:
    if overhead_rate < 0:
        raise InvalidInput(f"the overhead rate must not be negative (got {overhead_rate})")


def annual_vendor_cost(quote: Quote, overhead_rate: Decimal = DEFAULT_OVERHEAD_RATE) -> Decimal:
    """Steady-state annual cost: (12 × monthly fee + unit price × annual volume) × (1 + overhead).
    The initial fee is apart (see `compare`)."""
    _require_rate(overhead_rate)
    fixed, variable = quote_parts(quote)
    return (fixed + variable) * (1 + overhead_rate)


@dataclass(frozen=True)
class CostComparison:
    in_house_cost: Decimal  # annual, of the package's tasks
    fixed_cost: Decimal  # 12 × monthly fee
    variable_cost: Decimal  # unit price × annual volume
    quote_cost: Decimal  # fixed + variable: the vendor's annual charge before overhead
    overhead: Decimal  # the client's own management cost, quote_cost × overhead rate
    annual_cost: Decimal  # quote_cost + overhead
    initial_fee: Decimal  # one-off, not in annual_cost
    annual_saving: Decimal  # in-house − annual_cost; negative is a loss
    monthly_saving: Decimal  # annual_saving / 12
    payback_months: Decimal | None  # initial fee / monthly saving; 0: no fee; None: never
    # The fixed-to-variable shift. The in-house cost counts as wholly fixed (salaried staff are paid
    # whatever the volume), so the share of the quote that follows the volume is also the share of
    # the cost that moves from fixed to variable. None when the quote is 0.
    variable_share: Decimal | None


def compare(
    in_house_annual_cost: Decimal,
    quote: Quote,
    overhead_rate: Decimal = DEFAULT_OVERHEAD_RATE,
) -> CostComparison:
    """The in-house annual cost of a package against a vendor's quote plus management overhead."""
    if in_house_annual_cost < 0:
        raise InvalidInput(f"the in-house cost must not be negative (got {in_house_annual_cost})")
    annual_cost = annual_vendor_cost(quote, overhead_rate)
    fixed, variable = quote_parts(quote)
    quote_cost = fixed + variable
    saving = in_house_annual_cost - annual_cost
    monthly_saving = saving / MONTHS
    initial_fee = quote.initial_fee or Decimal(0)
    if not initial_fee:
        payback: Decimal | None = Decimal(0)  # nothing to pay back, whatever the saving
    elif monthly_saving > 0:
        payback = initial_fee / monthly_saving
    else:
        payback = None  # without a saving the fee is never paid back
    return CostComparison(
        in_house_cost=in_house_annual_cost,
        fixed_cost=fixed,
        variable_cost=variable,
        quote_cost=quote_cost,
        overhead=annual_cost - quote_cost,
        annual_cost=annual_cost,
        initial_fee=initial_fee,
        annual_saving=saving,
        monthly_saving=monthly_saving,
        payback_months=payback,
        variable_share=variable / quote_cost if quote_cost else None,
    )


# --- scores (SPEC 4.6) -----------------------------------------------------------------------


def _require_score(criterion: str, score: object) -> int:
    # bool is an int in Python; True is not a score of 1.
    if isinstance(score, bool) or not isinstance(score, int):
        raise InvalidInput(f"the score for {criterion} must be a whole number, not {score!r}")
    if not LOWEST_SCORE <= score <= HIGHEST_SCORE:
        raise InvalidInput(
            f"the score for {criterion} must be from {LOWEST_SCORE} to {HIGHEST_SCORE}, not {score}"
        )
    return score


def evaluator_total(
    scores: Mapping[str, int | None], weights: Mapping[str, Decimal]
) -> Decimal | None:
    """Σ weight × (score − 1) / 4 × 100 / Σ weight: 1 everywhere is 0, 5 everywhere is 100.

    A criterion left unscored (absent or None) is left out of both sums, so the total is over what
    the evaluator did score, as the check treats unanswered questions. None when nothing with a
    weight was scored."""
    weighted = weight_sum = Decimal(0)
    for criterion, score in scores.items():
        if criterion not in weights:
            raise InvalidInput(f"{criterion!r} is not an evaluation criterion")
        if score is None:
            continue
        score = _require_score(criterion, score)
        weighted += weights[criterion] * (score - LOWEST_SCORE)
        weight_sum += weights[criterion]
    if not weight_sum:
        return None
    return weighted * POINTS_PER_STEP / weight_sum  # one division, at the end


def with_consensus(
    scores: Mapping[str, int | None], consensus: Mapping[str, int]
) -> dict[str, int | None]:
    """An evaluator's scores with the panel's consensus in place of their own for each criterion
    it covers, whether they had scored it or not: the consensus is the panel's agreed score, so
    it counts in every evaluator's total alike. The evaluator's own scores stay as they are
    wherever no consensus was recorded."""
    for criterion, score in consensus.items():
        _require_score(criterion, score)
    return {**scores, **consensus}


# --- knock-outs ------------------------------------------------------------------------------
#
# SPEC 4.6, per package, in this order (a vendor may fail several):
#   service_not_offered    the vendor does not offer the package's model (its subject);
#   licence_missing        a staffing (dispatch) package: no valid 労働者派遣事業 licence; any other
#                          package: no valid registration for a licensed work its tasks hold
#                          (社労士, 税理士, 弁護士, 司法書士, 行政書士), one missing is enough;
#   certification_missing  confidential or personal data: neither ISMS/ISO 27001 nor the Privacy
#                          Mark valid on the day;
#   security_check_failed  confidential or personal data: an item of the five-item security
#                          check answered "not met" ("partly" and "not checked" do not exclude).
# A staffing package is external staffing, not outsourcing: the dispatched workers work under
# the client's own direction, on its premises and systems, so the client's data does not leave
# it (SPEC 4.4 "Dispatch is not outsourcing"). Its knock-outs are the model and the dispatch
# licence; the two data knock-outs and the registrations of licensed work (the client files its
# own documents through its own staff) do not apply to it.
# Warnings, which exclude no one:
#   privacy_mark_only      the package holds confidential business data and the vendor's only
#                          valid security certification is the Privacy Mark, which covers
#                          personal information only.

# Either certification is enough for confidential or personal data.
SECURITY_CERTIFICATIONS = frozenset({"isms", "pmark"})
PRIVACY_MARK = "pmark"
STAFFING_MODEL = "dispatch"  # the package kind of external staffing (人材派遣)
DISPATCH_LICENCE = "dispatch"  # 労働者派遣事業 許可 (派XX-XXXXXX)
# The registrations of licensed work: the keys of a task's `licensed_work` and of the licence kinds.
REGISTRATIONS = frozenset({"sharoushi", "zeirishi", "bengoshi", "shiho_shoshi", "gyosei_shoshi"})
NOT_MET = "not_met"  # a security check item's answer that excludes
KNOCKOUT_CODES: tuple[str, ...] = (
    "service_not_offered",
    "licence_missing",
    "certification_missing",
    "security_check_failed",
)
PRIVACY_MARK_ONLY = "privacy_mark_only"


@dataclass(frozen=True)
class Certification:
    """A certification (isms, pmark, iso9001, other) or a licence (dispatch, or one of the
    REGISTRATIONS); a licence is recorded only with its number (the registry's form sees to it)."""

    kind: str
    expires_on: datetime.date | None = None  # None: no expiry known

    def valid_on(self, on: datetime.date) -> bool:
        """Valid through its expiry day; expired (expiry before `on`) counts as missing."""
        return self.expires_on is None or self.expires_on >= on


@dataclass(frozen=True)
class Evaluation:
    evaluator: str
    scores: Mapping[str, int | None]  # criterion -> 1..5; absent or None: not scored


@dataclass(frozen=True)
class Vendor:
    name: str
    services: Collection[str] = frozenset()  # model keys of SPEC 4.4
    certifications: tuple[Certification, ...] = ()
    evaluations: tuple[Evaluation, ...] = ()
    # The five-item security check: item -> met, partly, not_met or unknown; absent: not checked.
    security: Mapping[str, str] = dataclasses.field(default_factory=dict)
    # The panel's consensus (SPEC 4.6): criterion -> the score the lead consultant recorded with
    # a reason. It stands for every evaluator's score of that criterion (`with_consensus`).
    consensus: Mapping[str, int] = dataclasses.field(default_factory=dict)

    def holds(self, kind: str, on: datetime.date) -> bool:
        """Whether a certification or licence of the kind is valid on the day."""
        return any(c.kind == kind and c.valid_on(on) for c in self.certifications)


@dataclass(frozen=True)
class Package:
    """What the knock-outs look at, all of it from the package's tasks: the model, the
    confidentiality of its tasks' data and the registrations its licensed work needs."""

    model: str
    confidentiality: Collection[str] = frozenset()  # levels of its tasks (SPEC 6.1)
    licences: Collection[str] = frozenset()  # REGISTRATIONS its tasks' licensed work needs

    @property
    def sensitive(self) -> bool:
        return any(level in SENSITIVE_DATA for level in self.confidentiality)

    @property
    def staffing(self) -> bool:
        return self.model == STAFFING_MODEL

    @property
    def confidential_business(self) -> bool:
        """Confidential business data (not only personal data)."""
        return "confidential" in self.confidentiality


def package_facts(model: str, tasks: Iterable[tuple[str, bool, str]]) -> Package:
    """The package as the knock-outs read it, from each of its tasks given as (confidentiality,
    whether it handles confidential or personal data — by its level or by its answer to C6 —,
    its licensed work or ""). A task sensitive by its answer alone counts as confidential
    business data: the inventory does not say which data it is, and the stricter reading holds."""
    levels: set[str] = set()
    licences: set[str] = set()
    for confidentiality, sensitive, licensed_work in tasks:
        if sensitive:
            levels.add(confidentiality if confidentiality in SENSITIVE_DATA else "confidential")
        if licensed_work:
            licences.add(licensed_work)
    return Package(model, frozenset(levels), frozenset(licences))


@dataclass(frozen=True)
class Knockout:
    """Why a vendor is excluded: the code, and what it concerns (the model not offered, the
    licences missing, the security items not met; empty for the other codes)."""

    code: str
    subjects: tuple[str, ...] = ()


def exclusions(vendor: Vendor, package: Package, *, on: datetime.date) -> tuple[Knockout, ...]:
    """Every knock-out of the vendor for the package, in KNOCKOUT_CODES order; empty if none."""
    found = []
    if package.model not in vendor.services:
        found.append(Knockout("service_not_offered", (package.model,)))
    if package.staffing:
        if not vendor.holds(DISPATCH_LICENCE, on):
            found.append(Knockout("licence_missing", (DISPATCH_LICENCE,)))
        return tuple(found)
    missing = tuple(
        kind
        for kind in sorted(package.licences, key=_registration_order)
        if not vendor.holds(kind, on)
    )
    if missing:
        found.append(Knockout("licence_missing", missing))
    if package.sensitive:
        if not any(vendor.holds(kind, on) for kind in SECURITY_CERTIFICATIONS):
            found.append(Knockout("certification_missing"))
        failed = tuple(item for item, status in vendor.security.items() if status == NOT_MET)
        if failed:
            found.append(Knockout("security_check_failed", failed))
    return tuple(found)


def _registration_order(kind: str) -> tuple[int, str]:
    order = ("sharoushi", "zeirishi", "bengoshi", "shiho_shoshi", "gyosei_shoshi")
    return (order.index(kind) if kind in order else len(order), kind)


def knockouts(vendor: Vendor, package: Package, *, on: datetime.date) -> tuple[str, ...]:
    """Why the vendor is excluded from the package (several reasons can apply): the codes of
    `exclusions`; empty if it is not excluded."""
    return tuple(knockout.code for knockout in exclusions(vendor, package, on=on))


def cautions(vendor: Vendor, package: Package, *, on: datetime.date) -> tuple[str, ...]:
    """Warnings about the vendor for the package that exclude no one: `privacy_mark_only` when
    the package holds confidential business data and the Privacy Mark is the vendor's only
    valid security certification."""
    if package.staffing or not package.confidential_business:
        return ()
    held = {kind for kind in SECURITY_CERTIFICATIONS if vendor.holds(kind, on)}
    return (PRIVACY_MARK_ONLY,) if held == {PRIVACY_MARK} else ()


# --- ranking ---------------------------------------------------------------------------------

# Decimal division leaves the last of its 28 digits to rounding: totals that agree to ten decimal
# places are a tie, so two vendors equal in exact arithmetic never rank apart by a rounding.
TIE_PLACES = Decimal("1e-10")


@dataclass(frozen=True)
class RankedVendor:
    name: str
    # 1..n among the scored, non-excluded vendors, competition style: ties share a rank and the
    # next rank skips (1, 1, 3). None for an excluded vendor and for one nobody has scored.
    rank: int | None
    total: Decimal | None  # mean of the evaluators' totals; None when nobody scored it
    spread: Decimal | None  # highest − lowest evaluator's total; 0 for one evaluator
    evaluators: int  # evaluators with a total
    evaluator_totals: tuple[tuple[str, Decimal], ...] = ()  # (evaluator, total)
    excluded: bool = False
    exclusion_reasons: tuple[str, ...] = ()  # the knock-outs' codes
    knockouts: tuple[Knockout, ...] = ()  # the same, with what each concerns
    cautions: tuple[str, ...] = ()  # warnings that exclude no one (`cautions`)
    # Price and quality together (SPEC 4.6, 加算方式): what the vendor is paid over the horizon,
    # its price points (100 for the lowest price among the vendors left in) and the combined
    # score the rank follows. None where the vendor has no price (no quote, or excluded).
    price: Decimal | None = None
    price_points: Decimal | None = None
    combined: Decimal | None = None
    # Why a vendor left in is not ranked: "scores" (nobody has scored it), "quote" (no price,
    # and price weighs). Empty for a ranked or an excluded vendor.
    waiting_for: tuple[str, ...] = ()


PRICE = "price"  # the price weight, where sensitivity names the weight moved


def rank(
    vendors: Sequence[Vendor],
    weights: Mapping[str, Decimal],
    package: Package,
    *,
    on: datetime.date,
    prices: Mapping[str, Decimal | None] | None = None,
    price_weight: Decimal = Decimal(0),
) -> list[RankedVendor]:
    """The vendors of a package best first by the combined score: the ranked ones, then the
    ones left in that cannot be ranked yet (no scores, or no price while price weighs), then the
    excluded ones with their reasons and totals.

    `prices`: each vendor's price over the horizon (`horizon.vendor_price`), None or absent for a
    vendor without a quote; `price_weight`: the points of 100 that price weighs (SPEC 4.6,
    default 30 in the product). Without prices, price weighs nothing and the combined score is
    the quality score."""
    _require_valid(weights)
    _require_price_weight(price_weight)
    return _rank(vendors, weights, package, on, prices, price_weight)


def _require_price_weight(price_weight: Decimal) -> None:
    if not 0 <= price_weight <= WEIGHT_TOTAL:
        raise InvalidInput(f"the price weight must be from 0 to 100 (got {price_weight})")


def price_points(prices: Mapping[str, Decimal | None]) -> dict[str, Decimal | None]:
    """100 × the lowest price / each price (SPEC 4.6), over the prices given (the vendors left
    in). A price of 0 gets 100, and makes every dearer vendor's 0. None stays None."""
    given = [price for price in prices.values() if price is not None]
    if any(price < 0 for price in given):
        raise InvalidInput("a price must not be negative")
    lowest = min(given, default=None)
    points: dict[str, Decimal | None] = {}
    for name, price in prices.items():
        if price is None or lowest is None:
            points[name] = None
        elif price == lowest:
            points[name] = Decimal(100)
        else:
            points[name] = Decimal(100) * lowest / price
    return points


def combined_score(
    quality: Decimal | None, points: Decimal | None, price_weight: Decimal
) -> Decimal | None:
    """quality × (1 − w) + price points × w, w = price_weight / 100 (加算方式). A part that
    weighs nothing is not needed: price weight 0 is the quality alone, 100 the price alone."""
    if price_weight and points is None:
        return None
    if price_weight < WEIGHT_TOTAL and quality is None:
        return None
    total = Decimal(0)
    if price_weight < WEIGHT_TOTAL:
        total += (quality or Decimal(0)) * (WEIGHT_TOTAL - price_weight)
    if price_weight:
        total += (points or Decimal(0)) * price_weight
    return total / WEIGHT_TOTAL


def _rank(
    vendors: Sequence[Vendor],
    weights: Mapping[str, Decimal],
    package: Package,
    on: datetime.date,
    prices: Mapping[str, Decimal | None] | None = None,
    price_weight: Decimal = Decimal(0),
) -> list[RankedVendor]:
    rows = [_score(vendor, weights, package, on) for vendor in vendors]
    if prices is None:
        price_weight = Decimal(0)
    given = prices or {}
    points = price_points({r.name: given.get(r.name) for r in rows if not r.excluded})
    rows = [_priced(row, given.get(row.name), points, price_weight) for row in rows]
    ranked = sorted(
        (r for r in rows if not r.excluded and r.combined is not None),
        key=lambda r: (-_tie_key(r.combined), r.name),
    )
    result: list[RankedVendor] = []
    for position, row in enumerate(ranked, start=1):
        tied = bool(result) and _tie_key(result[-1].combined) == _tie_key(row.combined)
        result.append(dataclasses.replace(row, rank=result[-1].rank if tied else position))
    result += sorted(
        (r for r in rows if not r.excluded and r.combined is None),
        key=lambda r: (r.total is None, -_tie_key(r.total), r.name),
    )
    result += sorted(
        (r for r in rows if r.excluded),
        key=lambda r: (r.total is None, -_tie_key(r.total), r.name),
    )
    return result


def _priced(
    row: RankedVendor,
    price: Decimal | None,
    points: Mapping[str, Decimal | None],
    price_weight: Decimal,
) -> RankedVendor:
    if row.excluded:  # excluded vendors are out of the price comparison
        return dataclasses.replace(row, price=price)
    own = points.get(row.name)
    combined = combined_score(row.total, own, price_weight)
    waiting: tuple[str, ...] = ()
    if combined is None:
        waiting = tuple(
            part
            for part, missing in (
                ("scores", row.total is None and price_weight < WEIGHT_TOTAL),
                ("quote", own is None and bool(price_weight)),
            )
            if missing
        )
    return dataclasses.replace(
        row, price=price, price_points=own, combined=combined, waiting_for=waiting
    )


def _score(
    vendor: Vendor, weights: Mapping[str, Decimal], package: Package, on: datetime.date
) -> RankedVendor:
    totals = tuple(
        (e.evaluator, total)
        for e in vendor.evaluations
        if (total := evaluator_total(with_consensus(e.scores, vendor.consensus), weights))
        is not None
    )
    values = [total for _evaluator, total in totals]
    found = exclusions(vendor, package, on=on)
    reasons = tuple(knockout.code for knockout in found)
    return RankedVendor(
        name=vendor.name,
        rank=None,
        total=sum(values, Decimal(0)) / len(values) if values else None,
        spread=max(values) - min(values) if values else None,
        evaluators=len(values),
        evaluator_totals=totals,
        excluded=bool(reasons),
        exclusion_reasons=reasons,
        knockouts=found,
        cautions=cautions(vendor, package, on=on),
    )


def _tie_key(total: Decimal | None) -> Decimal:
    return Decimal(0) if total is None else total.quantize(TIE_PLACES)


def winners(ranking: Sequence[RankedVendor]) -> tuple[str, ...]:
    """The vendors ranked first: several on a tie, none when no vendor is ranked."""
    return tuple(r.name for r in ranking if r.rank == 1)


# --- sensitivity -----------------------------------------------------------------------------

SENSITIVITY_STEP = Decimal(10)


def shift_weights(
    weights: Mapping[str, Decimal], criterion: str, delta: Decimal
) -> dict[str, Decimal] | None:
    """The weights with `criterion` moved by `delta` points, clamped to 0..total, and the others
    rescaled in proportion so the total is unchanged. None when the clamp leaves the weight where
    it was (nothing to test). When the others are all 0 there is no proportion to keep: the points
    freed are shared equally among them."""
    total = sum(weights.values(), Decimal(0))
    old = weights[criterion]
    new = min(max(old + delta, Decimal(0)), total)
    if new == old:
        return None
    others = [code for code in weights if code != criterion]
    remaining = total - new
    others_total = sum((weights[code] for code in others), Decimal(0))
    moved = {
        code: weights[code] * remaining / others_total if others_total else remaining / len(others)
        for code in others
    }
    # The divisions may leave the sum a last digit off the total; the largest weight absorbs it.
    residual = remaining - sum(moved.values(), Decimal(0))
    if residual and others:
        largest = max(others, key=lambda code: moved[code])
        moved[largest] += residual
    moved[criterion] = new
    return {code: moved[code] for code in weights}


@dataclass(frozen=True)
class Flip:
    """One weight move that changes the winner: a criterion's weight (the others rescaled) or,
    when `criterion` is PRICE, the price weight."""

    criterion: str
    delta: Decimal  # the move: ±10 for `flips`; the smallest that flips for `smallest`
    weights: dict[str, Decimal]  # the criterion weights tried
    winners: tuple[str, ...]  # the first-ranked vendors under them
    price_weight: Decimal = Decimal(0)  # the price weight tried


@dataclass(frozen=True)
class Sensitivity:
    winners: tuple[str, ...]  # first-ranked under the given weights; () when no vendor is ranked
    # True: no single ±step move changes the winners; None: nothing to test (no vendor ranked).
    stable: bool | None
    flips: tuple[Flip, ...] = ()  # every ±step move that changes them, criteria, then price
    # The smallest single move, in whole points up to 100, that changes the winners (criteria
    # in order, then price; + before − among equals); None when no move does.
    smallest: Flip | None = None


def sensitivity(
    vendors: Sequence[Vendor],
    weights: Mapping[str, Decimal],
    package: Package,
    *,
    on: datetime.date,
    step: Decimal = SENSITIVITY_STEP,
    prices: Mapping[str, Decimal | None] | None = None,
    price_weight: Decimal = Decimal(0),
) -> Sensitivity:
    """Whether the winner changes when any one criterion's weight moves by ±`step` points (the
    others rescaled so the total stays 100), or the price weight does (when there are prices),
    and the smallest such move that changes it. The winner is the set of first-ranked vendors:
    a tie appearing, or one being broken, counts as a change."""
    _require_valid(weights)
    _require_price_weight(price_weight)
    if prices is None:
        price_weight = Decimal(0)

    def leaders_under(moved: Mapping[str, Decimal], weight: Decimal) -> tuple[str, ...]:
        return winners(_rank(vendors, moved, package, on, prices, weight))

    leaders = leaders_under(weights, price_weight)
    if not leaders:
        return Sensitivity((), None)
    flips = []
    for move in _moves(weights, price_weight, step, with_price=prices is not None):
        now = leaders_under(move.weights, move.price_weight)
        if now != leaders:
            flips.append(dataclasses.replace(move, winners=now))
    smallest = None
    for move in _smallest_candidates(vendors, weights, package, on, prices, price_weight):
        now = leaders_under(move.weights, move.price_weight)
        if now != leaders:  # the float search's answer, confirmed in Decimal
            smallest = dataclasses.replace(move, winners=now)
            break
    return Sensitivity(leaders, not flips, tuple(flips), smallest)


def _moves(
    weights: Mapping[str, Decimal], price_weight: Decimal, step: Decimal, *, with_price: bool
) -> list[Flip]:
    """Every ±step move, criteria in order then the price weight, + before −; a move the clamp
    leaves where it was is not tried."""
    moves = []
    for criterion in CRITERIA:
        for delta in (step, -step):
            moved = shift_weights(weights, criterion, delta)
            if moved is not None:
                moves.append(Flip(criterion, delta, moved, (), price_weight))
    if with_price:
        for delta in (step, -step):
            weight = min(max(price_weight + delta, Decimal(0)), WEIGHT_TOTAL)
            if weight != price_weight:
                moves.append(Flip(PRICE, delta, dict(weights), (), weight))
    return moves


def _smallest_candidates(
    vendors: Sequence[Vendor],
    weights: Mapping[str, Decimal],
    package: Package,
    on: datetime.date,
    prices: Mapping[str, Decimal | None] | None,
    price_weight: Decimal,
) -> list[Flip]:
    """The first move of each direction that changes the winner, smallest first, found by a
    search over whole points in floating point (the 100 steps of a direction at once). The
    caller confirms each in Decimal: the float search only says where to look."""
    rows = _rank(vendors, weights, package, on, prices, price_weight)
    eligible = [r for r in rows if not r.excluded]
    if not eligible:
        return []
    by_name = {vendor.name: vendor for vendor in vendors}
    scores = [points_matrix(by_name[row.name]) for row in eligible]
    points = [np.nan if r.price_points is None else float(r.price_points) for r in eligible]
    base = np.array([float(weights[code]) for code in CRITERIA])
    steps = np.arange(1, int(WEIGHT_TOTAL) + 1)
    weight_now = float(price_weight)
    leaders = _float_leaders(base[None, :], np.array([weight_now]), scores, points)[0]
    found: list[tuple[int, int, Flip]] = []
    for order, (criterion, sign) in enumerate(
        (criterion, sign) for criterion in CRITERIA for sign in (1, -1)
    ):
        matrix = _shifted(base, CRITERIA.index(criterion), sign * steps)
        tried = _float_leaders(matrix, np.full(len(steps), weight_now), scores, points)
        first = next((i for i, now in enumerate(tried) if now != leaders), None)
        moved = (
            None
            if first is None
            else shift_weights(weights, criterion, Decimal(sign * int(steps[first])))
        )
        if first is not None and moved is not None:
            flip = Flip(criterion, Decimal(sign * int(steps[first])), moved, (), price_weight)
            found.append((int(steps[first]), order, flip))
    if prices is not None:
        for order, sign in enumerate((1, -1), start=2 * len(CRITERIA)):
            tried_weights = np.clip(weight_now + sign * steps, 0, float(WEIGHT_TOTAL))
            matrix = np.repeat(base[None, :], len(steps), axis=0)
            tried = _float_leaders(matrix, tried_weights, scores, points)
            first = next((i for i, now in enumerate(tried) if now != leaders), None)
            if first is not None:
                weight = Decimal(int(tried_weights[first]))
                flip = Flip(PRICE, weight - price_weight, dict(weights), (), weight)
                found.append((abs(int(weight - price_weight)), order, flip))
    return [flip for _size, _order, flip in sorted(found, key=lambda item: item[:2])]


def points_matrix(vendor: Vendor) -> np.ndarray:
    """The vendor's evaluators' points per criterion, (score − 1) × 25, the consensus in place
    of their own scores where there is one; NaN where not scored."""
    sheets = [with_consensus(e.scores, vendor.consensus) for e in vendor.evaluations]
    return np.array(
        [
            [
                np.nan
                if (score := sheet.get(code)) is None
                else float((score - LOWEST_SCORE) * POINTS_PER_STEP)
                for code in CRITERIA
            ]
            for sheet in sheets
        ],
        dtype=float,
    ).reshape(-1, len(CRITERIA))


def _shifted(base: np.ndarray, index: int, deltas: np.ndarray) -> np.ndarray:
    """`shift_weights` for many moves of one criterion at once, in floating point: one row of
    criterion weights per move."""
    total = base.sum()
    new = np.clip(base[index] + deltas, 0.0, total)
    others = base.copy()
    others[index] = 0.0
    others_total = others.sum()
    remaining = total - new
    if others_total:
        matrix = others[None, :] * (remaining / others_total)[:, None]
    else:
        share = np.where(np.arange(len(base)) == index, 0.0, 1.0 / (len(base) - 1))
        matrix = share[None, :] * remaining[:, None]
    matrix[:, index] = new
    return matrix


def _float_leaders(
    matrix: np.ndarray, price_weights: np.ndarray, scores: list[np.ndarray], points: list[float]
) -> list[frozenset[int]]:
    """The first-ranked eligible vendors (by index) under each row of criterion weights and its
    price weight, as `_rank` ranks them, in floating point."""
    share = price_weights / float(WEIGHT_TOTAL)
    columns = []
    for vendor_scores, price in zip(scores, points, strict=True):
        scored = ~np.isnan(vendor_scores)
        weighted = matrix @ np.where(scored, vendor_scores, 0.0).T  # moves × evaluators
        weight_sum = matrix @ scored.T.astype(float)
        totals = np.divide(
            weighted, weight_sum, out=np.full_like(weighted, np.nan), where=weight_sum > 0
        )
        counts = (~np.isnan(totals)).sum(axis=1)
        quality = np.divide(
            np.nansum(totals, axis=1),
            counts,
            out=np.full(len(matrix), np.nan),
            where=counts > 0,
        )
        # A part that weighs nothing is not needed (`combined_score`).
        quality_part = np.where(share < 1, quality * (1 - share), 0.0)
        price_part = np.where(share > 0, price * share, 0.0)
        columns.append(quality_part + price_part)
    table = np.column_stack(columns)
    leaders = []
    for row in table:
        if np.all(np.isnan(row)):
            leaders.append(frozenset[int]())
            continue
        best = np.nanmax(row)
        leaders.append(frozenset(np.flatnonzero(row >= best - 1e-9).tolist()))
    return leaders
