"""The cost of a package over the horizon (SPEC 4.5): the initial fee, the parallel run, the steady
state, the consumption tax the organisation cannot recover and the share of the in-house cost that
is actually released, against keeping the work in-house; the month the switch breaks even; and
the vendor price that price points compare (SPEC 4.6).

Pure and typed, money in Decimal, never rounded here (it is rounded once, where it is shown).

The outsourced side pays, over `years`:
    the initial fee (+ its unrecoverable tax),
    the vendor's fees (12 × monthly fee + unit price × volume) + their unrecoverable tax,
    the client's own management overhead (a share of the fees; staff time, so no tax),
    the in-house cost that is not released (people kept, not redeployed), every year,
    the released in-house cost during the parallel run (both are paid while the vendor starts).
The in-house side pays the in-house annual cost every year."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from outsourcing_advisor.common import defaults
from vendors.domain.scoring import MONTHS, InvalidInput, Quote, annual_vendor_cost, quote_parts

# Months of in-house cost still paid while the vendor starts, by model (SPEC 4.5: two for BPO and
# ITO, one for KPO and subcontract). Dispatch: one, while the dispatched worker learns the work
# beside the staff; crowdsourcing: none, piece-work starts on a trial batch.
PARALLEL_MONTHS: dict[str, int] = {
    "bpo": 2,
    "ito": 2,
    "kpo": 1,
    "subcontract": 1,
    "dispatch": 1,
    "crowdsourcing": 0,
}
MAX_YEARS = 10


def default_parallel_months(model: str) -> int:
    return PARALLEL_MONTHS.get(model, 0)


@dataclass(frozen=True)
class Terms:
    """The decision's terms: the horizon, the parallel run, the share of the FTE released, the
    consumption tax not recoverable and the management overhead, all as fractions (0.15 = 15%)."""

    years: int = defaults.HORIZON_YEARS
    parallel_months: int = 0
    released_share: Decimal = Decimal(1)
    tax_unrecoverable: Decimal = Decimal(0)
    overhead_rate: Decimal = Decimal("0.15")
    tax_rate: Decimal = defaults.CONSUMPTION_TAX

    def __post_init__(self) -> None:
        if not 1 <= self.years <= MAX_YEARS:
            raise InvalidInput(f"the horizon must be 1 to {MAX_YEARS} years (got {self.years})")
        if self.parallel_months < 0:
            raise InvalidInput(f"the parallel run must not be negative ({self.parallel_months})")
        for name in ("released_share", "tax_unrecoverable"):
            value = getattr(self, name)
            if not 0 <= value <= 1:
                raise InvalidInput(f"{name} must be from 0 to 1 (got {value})")
        if self.overhead_rate < 0:
            raise InvalidInput(f"the overhead rate must not be negative ({self.overhead_rate})")

    @property
    def months(self) -> int:
        return self.years * MONTHS

    @property
    def parallel(self) -> int:
        """The parallel run, never longer than the horizon."""
        return min(self.parallel_months, self.months)

    @property
    def tax(self) -> Decimal:
        """The tax paid on a yen of fees and not recovered."""
        return self.tax_rate * self.tax_unrecoverable


DEFAULT_TERMS = Terms()


@dataclass(frozen=True)
class Horizon:
    years: int
    in_house_annual: Decimal
    status_quo: Decimal  # in-house annual × years
    initial_fee: Decimal  # before tax
    parallel_run: Decimal  # released in-house cost during the parallel run
    vendor_fees: Decimal  # the fees over the horizon, before tax
    overhead: Decimal  # the client's management cost over the horizon
    tax: Decimal  # unrecoverable consumption tax on the initial fee and the fees
    retained: Decimal  # the in-house cost not released, over the horizon
    total: Decimal  # the outsourced side over the horizon: all of the above
    saving: Decimal  # status quo − total; negative is a loss
    annual_saving: Decimal  # steady state, a year: released in-house − (fees + overhead + tax)
    break_even_month: int | None  # the first month the cumulative saving is ≥ 0; None: never
    vendor_price: Decimal  # initial fee + (fees + overhead) × years: what price points compare

    initial_tax: Decimal = Decimal(0)  # the part of `tax` on the initial fee

    @property
    def start_up(self) -> Decimal:
        """What it costs to start: the initial fee with its tax, and the parallel run."""
        return self.initial_fee + self.initial_tax + self.parallel_run


def vendor_price(quote: Quote, overhead_rate: Decimal, years: int) -> Decimal:
    """What the vendor is paid over the horizon, as price points compare vendors (SPEC 4.6):
    the initial fee plus the steady-state annual vendor cost, overhead included, × the years.
    The client's own parallel run is the same for every vendor and stays out."""
    return (quote.initial_fee or Decimal(0)) + annual_vendor_cost(quote, overhead_rate) * years


def horizon(in_house_annual: Decimal, quote: Quote, terms: Terms) -> Horizon:
    """The package's cost over the horizon with this quote, against keeping it in-house."""
    if in_house_annual < 0:
        raise InvalidInput(f"the in-house cost must not be negative (got {in_house_annual})")
    fixed, variable = quote_parts(quote)
    fees = fixed + variable
    initial = quote.initial_fee or Decimal(0)
    years = terms.years
    released = in_house_annual * terms.released_share
    retained = in_house_annual - released
    overhead = fees * terms.overhead_rate
    tax = (initial + fees * years) * terms.tax
    parallel_run = released * terms.parallel / MONTHS
    total = initial + fees * years + overhead * years + tax + retained * years + parallel_run
    status_quo = in_house_annual * years
    annual_saving = released - fees * (1 + terms.overhead_rate + terms.tax)
    return Horizon(
        years=years,
        in_house_annual=in_house_annual,
        status_quo=status_quo,
        initial_fee=initial,
        parallel_run=parallel_run,
        vendor_fees=fees * years,
        overhead=overhead * years,
        tax=tax,
        retained=retained * years,
        total=total,
        saving=status_quo - total,
        annual_saving=annual_saving,
        break_even_month=break_even_month(
            released / MONTHS,
            fees * (1 + terms.overhead_rate + terms.tax) / MONTHS,
            initial * (1 + terms.tax),
            terms.parallel,
        ),
        vendor_price=initial + (fees + overhead) * years,
        initial_tax=initial * terms.tax,
    )


def break_even_month(
    released_monthly: Decimal, vendor_monthly: Decimal, start_up: Decimal, parallel: int
) -> int | None:
    """The first month m at which the cumulative saving (m − parallel) × released − m × vendor −
    start-up is no longer negative; None when the vendor costs as much as it releases or more.
    Month 1 at the earliest: a saving is made by working, not by signing."""
    margin = released_monthly - vendor_monthly
    if margin <= 0:
        return None
    months = (start_up + parallel * released_monthly) / margin
    return max(1, int(months.to_integral_value(rounding=ROUND_CEILING)))


@dataclass(frozen=True)
class Month:
    month: int  # 0: the day of signing
    in_house: Decimal  # cumulative cost of keeping the work
    outsourced: Decimal  # cumulative cost of the switch


def path(in_house_annual: Decimal, quote: Quote, terms: Terms) -> list[Month]:
    """The cumulative cost of both sides month by month, 0 to the horizon's last month: what the
    cost-over-horizon chart draws. Its last month's figures are `horizon`'s totals."""
    fixed, variable = quote_parts(quote)
    fees = fixed + variable
    initial = (quote.initial_fee or Decimal(0)) * (1 + terms.tax)
    in_house = in_house_annual / MONTHS
    released = in_house * terms.released_share
    vendor = fees * (1 + terms.overhead_rate + terms.tax) / MONTHS
    return [
        Month(
            month,
            in_house * month,
            initial
            + (vendor + in_house - released) * month
            + released * min(month, terms.parallel),
        )
        for month in range(terms.months + 1)
    ]
