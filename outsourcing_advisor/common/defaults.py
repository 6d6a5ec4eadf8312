"""The working figures an organisation starts with (SPEC 4.2): its own settings replace them.
Here, below every app, because the organisation record (accounts) and the pure calculations
(assessments.domain.inventory, which also serves the command line without an organisation)
both use them."""

from decimal import Decimal

WORKING_DAYS = 240
YEARLY_HOURS = 1920
HOURLY_COST = Decimal(3000)

# The cost over the horizon and its uncertainty (SPEC 4.5).
HORIZON_YEARS = 3
ESTIMATE_SPREAD = 20  # ± per cent: how far an inventory's minutes and volumes may be off
TAX_UNRECOVERABLE = 0  # per cent of the consumption tax on vendors' fees not recovered
CONSUMPTION_TAX = Decimal("0.10")
PRICE_WEIGHT = 30  # per cent of the combined score given to price (加算方式, SPEC 4.6)
