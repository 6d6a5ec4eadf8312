"""The working figures an organisation starts with (SPEC 4.2): its own settings replace them.
Here, below every app, because the organisation record (accounts) and the pure calculations
(assessments.domain.inventory, which also serves the command line without an organisation)
both use them."""

from decimal import Decimal

WORKING_DAYS = 240
YEARLY_HOURS = 1920
HOURLY_COST = Decimal(3000)
