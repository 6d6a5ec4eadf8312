"""How sure the figures are (SPEC 4.5 "Uncertainty", 4.6 "where evaluators disagree"): a seeded,
vectorised Monte Carlo of a package's saving over the inventory's spread, and the probability that
each vendor ranks first when the evaluators' scores and the weights vary.

Pure: no database, no request. Floats inside (numpy), Decimal at the edges, rounded once here
because these figures exist only as rounded ones. The same seed gives the same figures, so a page,
the ranking CSV and the PDF agree: `seed_for` derives it from what the figures are about.

The saving's model. An inventory's minutes and volumes are estimates: each task's minutes and
volume are drawn from a triangular distribution between its lowest and highest value (the
sheet's 閑散期/繁忙期 or min–max, else ± the organisation's spread) with its estimate as the mode.
The estimates of one inventory err together (the same people, the same method, the same year),
so one draw takes the same quantile for every task: the cautious reading, which keeps the range
as wide as a single task's. Minutes and volumes are drawn independently of each other. The vendor's
variable fee follows the package's volume (volume-based), its hours (hourly staffing quotes) or
the quote's own range of outcomes (outcome-based, when the quote gives one)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from vendors.domain import scoring
from vendors.domain.horizon import Terms
from vendors.domain.scoring import MONTHS, Quote, quote_parts

DRAWS = 10_000
PANEL_DRAWS = 4_000
PERCENTILES = (10, 50, 90)
TWO_PLACES = Decimal("0.01")


def seed_for(*parts: object) -> int:
    """A seed from what the figures are about (an assessment, a package): the same every time."""
    digest = hashlib.sha256("\x1f".join(str(part) for part in parts).encode()).digest()
    return int.from_bytes(digest[:8], "big")


@dataclass(frozen=True)
class TaskRange:
    """A task as the simulation reads it: its estimated annual hours and in-house cost, and the
    factors (lowest, highest) its minutes and its volume may take, 1 being the estimate."""

    hours: Decimal
    cost: Decimal
    minutes: tuple[Decimal, Decimal] = (Decimal(1), Decimal(1))
    volume: tuple[Decimal, Decimal] = (Decimal(1), Decimal(1))


@dataclass(frozen=True)
class InventoryDraws:
    """A package's inventory drawn `draws` times: the in-house annual cost, and the factors of
    its volume and of its hours against the estimate, per draw; and the draws of the outcome
    quantile, shared by every vendor (common random numbers: vendors compare on the same
    draws)."""

    in_house: np.ndarray
    volume: np.ndarray
    hours: np.ndarray
    outcome: np.ndarray

    @property
    def draws(self) -> int:
        return len(self.in_house)


def triangular(u: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """The inverse of the triangular distribution's CDF with mode 1 between `low` ≤ 1 ≤ `high`,
    at quantiles `u` (broadcast); 1 where low = high."""
    width = high - low
    safe = np.where(width > 0, width, 1.0)
    mode_at = np.where(width > 0, (1.0 - low) / safe, 0.5)
    below = low + np.sqrt(np.clip(u * width * (1.0 - low), 0, None))
    above = high - np.sqrt(np.clip((1.0 - u) * width * (high - 1.0), 0, None))
    return np.where(width > 0, np.where(u < mode_at, below, above), 1.0)


def draw_inventory(tasks: Sequence[TaskRange], *, seed: int, draws: int = DRAWS) -> InventoryDraws:
    """The package's tasks drawn `draws` times (see the module's docstring for the model)."""
    rng = np.random.default_rng(seed)
    u_minutes, u_volume, u_outcome = rng.random((3, draws))
    if not tasks:
        ones = np.ones(draws)
        return InventoryDraws(np.zeros(draws), ones, ones, u_outcome)
    # Tasks sharing their factors are drawn as one: most tasks take the organisation's spread.
    table = np.array(
        [[float(v) for v in (*t.minutes, *t.volume, t.hours, t.cost)] for t in tasks], dtype=float
    )
    keys, group = np.unique(table[:, :4], axis=0, return_inverse=True)
    group = group.reshape(-1)
    hours = np.bincount(group, weights=table[:, 4], minlength=len(keys))
    cost = np.bincount(group, weights=table[:, 5], minlength=len(keys))
    total_hours = hours.sum()
    if len(keys) <= EXACT_GROUPS:
        minutes = triangular(u_minutes[:, None], keys[None, :, 0], keys[None, :, 1])
        volume = triangular(u_volume[:, None], keys[None, :, 2], keys[None, :, 3])
        in_house, by_volume, by_hours = (
            (minutes * volume) @ cost,
            volume @ hours,
            (minutes * volume) @ hours,
        )
    else:
        in_house, by_volume, by_hours = _on_grid(keys, hours, cost, u_minutes, u_volume)
    if total_hours > 0:
        return InventoryDraws(in_house, by_volume / total_hours, by_hours / total_hours, u_outcome)
    ones = np.ones(draws)
    return InventoryDraws(in_house, ones, ones, u_outcome)


# Up to this many distinct ranges, every draw evaluates every range. Beyond it (a sheet giving
# each of hundreds of tasks its own 繁忙期/閑散期), the sums are tabulated over a grid of the two
# quantiles and each draw is interpolated in it: as all tasks share a draw's quantiles, the sums
# are smooth functions of two numbers. The grid keeps 10,000 draws of 1,000 ranges to ~20 ms.
EXACT_GROUPS = 16
GRID = 257


def _on_grid(
    keys: np.ndarray,
    hours: np.ndarray,
    cost: np.ndarray,
    u_minutes: np.ndarray,
    u_volume: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    grid = np.linspace(0.0, 1.0, GRID)
    minutes = triangular(grid[:, None], keys[None, :, 0], keys[None, :, 1])  # GRID × ranges
    volume = triangular(grid[:, None], keys[None, :, 2], keys[None, :, 3])
    cost_table = (minutes * cost) @ volume.T  # [i, j]: minutes at grid i, volume at grid j
    hours_table = (minutes * hours) @ volume.T
    by_volume = np.interp(u_volume, grid, volume @ hours)
    return (
        _bilinear(cost_table, grid, u_minutes, u_volume),
        by_volume,
        _bilinear(hours_table, grid, u_minutes, u_volume),
    )


def _bilinear(table: np.ndarray, grid: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    step = grid[1] - grid[0]
    i = np.clip(((x - grid[0]) / step).astype(int), 0, len(grid) - 2)
    j = np.clip(((y - grid[0]) / step).astype(int), 0, len(grid) - 2)
    fx = (x - grid[i]) / step
    fy = (y - grid[j]) / step
    return (
        table[i, j] * (1 - fx) * (1 - fy)
        + table[i + 1, j] * fx * (1 - fy)
        + table[i, j + 1] * (1 - fx) * fy
        + table[i + 1, j + 1] * fx * fy
    )


@dataclass(frozen=True)
class SavingRange:
    draws: int
    annual: tuple[Decimal, Decimal, Decimal]  # P10, P50, P90 of the steady-state annual saving
    horizon: tuple[Decimal, Decimal, Decimal]  # the same over the horizon
    p_positive: Decimal  # the share of draws whose saving over the horizon is positive
    break_even_month: int | None  # the median draw's; None when most draws never break even


def saving_range(
    inventory: InventoryDraws,
    quote: Quote,
    terms: Terms,
    *,
    outcome_range: tuple[Decimal, Decimal] | None = None,
) -> SavingRange:
    """The package's saving with this quote over the draws, as `horizon.horizon` computes it for
    the estimates. `outcome_range`: an outcome-based quote's lowest and highest annual volume."""
    fixed, variable = (float(part) for part in quote_parts(quote))
    variable_draws = variable * _variable_factor(inventory, quote, outcome_range)
    fees = fixed + variable_draws
    initial = float(quote.initial_fee or 0)
    tax, overhead = float(terms.tax), float(terms.overhead_rate)
    released_share, years = float(terms.released_share), terms.years
    in_house = inventory.in_house
    released = in_house * released_share
    vendor = fees * (1 + overhead + tax)
    annual = released - vendor
    parallel = terms.parallel
    outsourced = (
        initial * (1 + tax)
        + vendor * years
        + (in_house - released) * years
        + released * parallel / MONTHS
    )
    over_horizon = in_house * years - outsourced
    return SavingRange(
        draws=inventory.draws,
        annual=_percentiles(annual),
        horizon=_percentiles(over_horizon),
        p_positive=Decimal(float(np.mean(over_horizon > 0))).quantize(TWO_PLACES),
        break_even_month=_median_break_even(
            released / MONTHS, vendor / MONTHS, initial * (1 + tax), parallel
        ),
    )


def _variable_factor(
    inventory: InventoryDraws, quote: Quote, outcome_range: tuple[Decimal, Decimal] | None
) -> np.ndarray:
    if quote.pricing_model == "hourly":
        return inventory.hours
    if quote.pricing_model == "outcome" and outcome_range and quote.annual_volume:
        usual = float(quote.annual_volume)
        low, high = (float(v) / usual for v in outcome_range)
        return triangular(inventory.outcome, np.array(min(low, 1.0)), np.array(max(high, 1.0)))
    if quote.pricing_model == "subscription":
        return np.ones(inventory.draws)
    return inventory.volume


def _percentiles(values: np.ndarray) -> tuple[Decimal, Decimal, Decimal]:
    low, middle, high = np.percentile(values, PERCENTILES)
    return Decimal(round(low)), Decimal(round(middle)), Decimal(round(high))


def _median_break_even(
    released: np.ndarray, vendor: np.ndarray, start_up: float, parallel: int
) -> int | None:
    """`horizon.break_even_month` for every draw; the median, None where it is never."""
    margin = released - vendor
    with np.errstate(divide="ignore", invalid="ignore"):
        months = np.where(
            margin > 0, np.ceil((start_up + parallel * released) / margin - 1e-9), np.inf
        )
    median = float(np.median(np.maximum(months, 1)))
    return None if not np.isfinite(median) else int(median)


# --- the panel: who ranks first when evaluators disagree ------------------------------------

WEIGHT_WOBBLE = 10.0  # points either way a weight may move, as the sensitivity view moves them


def first_probabilities(
    vendors: Sequence[scoring.Vendor],
    weights: Mapping[str, Decimal],
    ranking: Sequence[scoring.RankedVendor],
    price_weight: Decimal,
    *,
    seed: int,
    draws: int = PANEL_DRAWS,
) -> dict[str, Decimal]:
    """The probability that each ranked vendor ranks first when the evaluators' scores and the
    weights vary within their spread: each draw weighs the evaluators of each vendor at random
    (a Bayesian bootstrap, so its quality stays between its lowest and highest evaluator's), and
    moves every criterion weight and the price weight by up to ±10 points. Ties share the draw.
    Empty when no ranked vendor has evaluators who disagree (nothing varies), or one is ranked."""
    ranked = [row for row in ranking if row.rank is not None]
    if len(ranked) < 2 or not any(row.spread for row in ranked):
        return {}
    by_name = {vendor.name: vendor for vendor in vendors}
    rng = np.random.default_rng(seed)
    base = np.array([float(weights[code]) for code in scoring.CRITERIA])
    moved = np.clip(base + rng.uniform(-WEIGHT_WOBBLE, WEIGHT_WOBBLE, (draws, len(base))), 0, None)
    sums = moved.sum(axis=1, keepdims=True)
    moved = np.where(sums > 0, moved / np.where(sums > 0, sums, 1) * 100, base)
    share = np.clip(float(price_weight) + rng.uniform(-WEIGHT_WOBBLE, WEIGHT_WOBBLE, draws), 0, 100)
    share = share / 100
    combined = np.empty((draws, len(ranked)))
    for column, row in enumerate(ranked):
        points = scoring.points_matrix(by_name[row.name])
        scored = ~np.isnan(points)
        weighted = moved @ np.where(scored, points, 0.0).T
        weight_sum = moved @ scored.T.astype(float)
        totals = np.divide(weighted, weight_sum, out=np.zeros_like(weighted), where=weight_sum > 0)
        present = weight_sum > 0
        mix = rng.exponential(1.0, totals.shape) * present  # Dirichlet(1, …) over evaluators
        mix_sum = mix.sum(axis=1)
        quality = np.divide(
            (totals * mix).sum(axis=1), mix_sum, out=np.zeros(draws), where=mix_sum > 0
        )
        price = 0.0 if row.price_points is None else float(row.price_points)
        combined[:, column] = np.where(share < 1, quality * (1 - share), 0.0) + np.where(
            share > 0, price * share, 0.0
        )
    best = combined.max(axis=1, keepdims=True)
    firsts = combined >= best - 1e-9
    wins = (firsts / firsts.sum(axis=1, keepdims=True)).mean(axis=0)
    return {
        row.name: Decimal(float(wins[column])).quantize(TWO_PLACES)
        for column, row in enumerate(ranked)
    }
