"""The vendor selection of a sourcing package: the database read into `scoring`'s pure types (a
handful of queries whatever the number of vendors), and an evaluation file written to the database
all or nothing. The arithmetic stays in `scoring`; the queries stay here."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.domain import choices, inventory, ranges
from assessments.domain import packages as sourcing
from assessments.domain.choices import LicensedWork, Outcome
from assessments.files.problems import ImportRejected, Problem
from assessments.models import Assessment, Package, Task
from assessments.models.versions import EvaluationVersion
from outsourcing_advisor.accounts.models import EDITING_ROLES
from outsourcing_advisor.common.stamps import stamp
from outsourcing_advisor.common.wording import listing
from outsourcing_advisor.history import record as history
from outsourcing_advisor.history.models import Action, SubjectType
from vendors.domain import horizon, scoring, uncertainty
from vendors.files.evaluations import QUOTE_KEYS, EvaluationRow, ParsedEvaluations
from vendors.models import LICENCE_KINDS, Bid, Consensus, Evaluation, SecurityItem, Vendor
from vendors.services import registry

User = get_user_model()

GENERAL_COMMENT = "general"

EXCLUSION_REASONS = {
    "service_not_offered": gettext_lazy("does not offer this package's model"),
    "certification_missing": gettext_lazy(
        "no valid ISMS/ISO 27001 or Privacy Mark, and the package holds confidential or personal "
        "data"
    ),
    "licence_missing": gettext_lazy("no valid licence or registration that the package needs"),
    "security_check_failed": gettext_lazy(
        "an item of the security check is not met, and the package holds confidential or "
        "personal data"
    ),
}
CAUTIONS = {
    scoring.PRIVACY_MARK_ONLY: gettext_lazy(
        "holds the Privacy Mark only: it covers personal information, not the confidential "
        "business data this package holds (ISMS/ISO 27001 would)"
    ),
}


def _capital(text: str) -> str:
    """A reason shown on a line of its own starts with a capital (English; Japanese as it is)."""
    return text[:1].upper() + text[1:]


def knockout_words(knockout: scoring.Knockout, *, data_said: bool = False) -> str:
    """One knock-out in words, naming the model not offered, the licences missing or the items
    not met. `data_said`: an earlier reason of the same vendor already says the package holds
    confidential or personal data, so a security check not met does not say it again."""
    if knockout.code == "service_not_offered" and knockout.subjects:
        return _("does not offer this model: %(model)s") % {
            "model": choices.label(Outcome, knockout.subjects[0])
        }
    if knockout.code == "licence_missing" and knockout.subjects == (scoring.DISPATCH_LICENCE,):
        return _(
            "no valid worker dispatching licence (労働者派遣事業 許可番号), which a staffing "
            "package requires"
        )
    if knockout.code == "licence_missing" and knockout.subjects:
        return _("no valid registration for the package's licensed work: %(licences)s") % {
            "licences": listing([choices.label(LicensedWork, kind) for kind in knockout.subjects])
        }
    if knockout.code == "security_check_failed":
        items = dict(SecurityItem.choices)
        named = {"items": listing([str(items.get(item, item)) for item in knockout.subjects])}
        if data_said:
            if knockout.subjects:
                return _("security check not met (%(items)s)") % named
            return _("an item of the security check is not met")
        if knockout.subjects:
            return (
                _(
                    "security check not met (%(items)s), and the package holds confidential or "
                    "personal data"
                )
                % named
            )
    return str(EXCLUSION_REASONS.get(knockout.code, knockout.code))


# The knock-outs whose words say that the package holds confidential or personal data.
DATA_KNOCKOUTS = frozenset({"certification_missing", "security_check_failed"})


def knockouts_words(knockouts: Iterable[scoring.Knockout]) -> list[str]:
    """A vendor's knock-outs in words, one reason each, shown one per line; that the package
    holds confidential or personal data is said once."""
    words = []
    data_said = False
    for knockout in knockouts:
        words.append(_capital(knockout_words(knockout, data_said=data_said)))  # a line each
        data_said = data_said or knockout.code in DATA_KNOCKOUTS
    return words


def exclusions(row: scoring.RankedVendor) -> list[str]:
    """The knock-out reasons of a ranked vendor, in words."""
    if row.knockouts:
        return knockouts_words(row.knockouts)
    return [_capital(str(EXCLUSION_REASONS.get(code, code))) for code in row.exclusion_reasons]


def cautions(row: scoring.RankedVendor) -> list[str]:
    """The warnings about a ranked vendor that exclude no one, in words."""
    return [_capital(str(CAUTIONS.get(code, code))) for code in row.cautions]


def package_facts(package: Package, rows: list[tuple[Task, inventory.Derived]]) -> scoring.Package:
    """What the knock-outs read of the package, from its task rows already read: the model, the
    data its tasks handle, the registrations their licensed work needs."""
    return scoring.package_facts(
        package.model,
        (
            (task.confidentiality, task.handles_sensitive_data, task.licensed_work)
            for task, _derived in rows
        ),
    )


def weights_for(assessment: Assessment) -> dict[str, Decimal]:
    """The criteria weights the assessment is pinned to (the latest published if it predates
    pinning)."""
    version = assessment.evaluation_version or EvaluationVersion.objects.latest_published()
    return version.as_domain() if version else dict(scoring.DEFAULT_WEIGHTS)


def quote_of(bid: Bid) -> scoring.Quote:
    return scoring.Quote(
        pricing_model=bid.pricing_model,  # type: ignore[arg-type]
        initial_fee=bid.initial_fee,
        monthly_fee=bid.monthly_fee,
        unit_price=bid.unit_price,
        annual_volume=bid.annual_volume,
    )


def domain_vendor(bid: Bid, *, submitted_only: bool = True) -> scoring.Vendor:
    """Uses the bid's prefetched vendor and evaluations. The services, certifications, licences
    and security check are the registry entry the bid holds (services/registry.py), not the
    registry as another organisation may have changed it since. Only submitted evaluations
    count: a draft is its evaluator's own until they submit it. The panel's consensus scores
    (the bid's prefetched `consensus`) stand for the evaluators' own of their criteria."""
    return registry.scoring_vendor(
        bid.vendor.name,
        registry.held(bid),
        tuple(
            scoring.Evaluation(e.evaluator.get_username(), e.scores)
            for e in bid.evaluations.all()
            if e.submitted or not submitted_only
        ),
        {agreed.criterion: agreed.score for agreed in bid.consensus.all()},
    )


NO_FACTS = scoring.Package("")  # a Selection made without them (tests, the report's copies)


@dataclass(frozen=True)
class BidLine:
    bid: Bid
    comparison: scoring.CostComparison | None  # None: no quote yet, or one that cannot be costed
    quote_problem: str  # why a quote that was entered cannot be costed
    # How the registry changed since the package took what it evaluates: (label, held, now).
    drift: tuple[tuple[str, str, str], ...] = ()
    registry_seen: str = ""  # the stamp of the vendor's last change, for confirming the drift
    # The cost over the horizon with this quote, and the saving's range (SPEC 4.5); None
    # without a costed quote.
    horizon: horizon.Horizon | None = None
    saving: uncertainty.SavingRange | None = None
    # Given for another scope of the package than its tasks now (SPEC 4.5): the quote, and the
    # submitted scores of these evaluators. "Scope changed since the quote" until a consultant
    # confirms them (bids.confirm_scope); a quote or score given before scopes were stamped is
    # never flagged.
    scope_changed: bool = False
    stale_evaluators: tuple[str, ...] = ()
    scope: str = ""  # the package's scope now, for the confirmation's form

    @property
    def stale(self) -> bool:
        return self.scope_changed or bool(self.stale_evaluators)

    @property
    def price(self) -> Decimal | None:
        """What the vendor is paid over the horizon: what price points compare (SPEC 4.6)."""
        return None if self.horizon is None else self.horizon.vendor_price


@dataclass(frozen=True)
class Outlook:
    """The recommended vendor's economics: the cost over the horizon, its month-by-month path
    for the chart, and the saving's range."""

    line: BidLine
    horizon: horizon.Horizon
    path: list[horizon.Month]
    range: uncertainty.SavingRange | None


@dataclass(frozen=True)
class Selection:
    package: Package
    totals: inventory.Totals  # of the package's tasks: hours, FTE, in-house annual cost
    sensitive: bool  # holds confidential or personal data
    overhead_rate: Decimal
    weights: dict[str, Decimal]
    lines: list[BidLine]
    ranking: list[scoring.RankedVendor]
    sensitivity: scoring.Sensitivity
    # What the knock-outs read of the package (its model, data and licensed work).
    facts: scoring.Package = NO_FACTS
    terms: horizon.Terms = horizon.DEFAULT_TERMS
    price_weight: Decimal = Decimal(0)  # points of 100 (SPEC 4.6)
    # The probability that each ranked vendor ranks first, where evaluators disagree.
    first_probabilities: dict[str, Decimal] = dataclasses.field(default_factory=dict)

    @property
    def in_house_cost(self) -> Decimal:
        return self.totals.annual_cost

    @property
    def recommended(self) -> BidLine | None:
        """The first-ranked vendor's line (the first by name on a tie); None when no vendor is
        ranked."""
        first = next((row.name for row in self.ranking if row.rank == 1), None)
        return None if first is None else self.line_for(first)

    @property
    def outlook(self) -> Outlook | None:
        """The recommended vendor's economics; None without a ranked, costed vendor."""
        line = self.recommended
        if line is None or line.horizon is None:
            return None
        quote = quote_of(line.bid)
        path = horizon.path(self.in_house_cost, quote, self.terms)
        return Outlook(line, line.horizon, path, line.saving)

    @property
    def ties(self) -> bool:
        return len(scoring.winners(self.ranking)) > 1

    def line_for(self, vendor_name: str) -> BidLine | None:
        return next((line for line in self.lines if line.bid.vendor.name == vendor_name), None)

    @property
    def excluded(self) -> dict[str, list[str]]:
        """The knock-outs of each excluded vendor in words, by name (not sealed: a knock-out is
        no one's score)."""
        return {row.name: exclusions(row) for row in self.ranking if row.excluded}

    @property
    def cautioned(self) -> dict[str, list[str]]:
        """The warnings about each vendor that exclude no one, in words, by name."""
        return {row.name: cautions(row) for row in self.ranking if row.cautions}

    @property
    def drift(self) -> dict[str, tuple[tuple[str, str, str], ...]]:
        """The vendors whose registry entry changed since the package took it, by name."""
        return {line.bid.vendor.name: line.drift for line in self.lines if line.drift}


def _bids_with_facts(bids: Any) -> Any:
    """What ranking needs of each bid: its vendor, its registry entry now (to tell whether it
    changed since the bid took it), evaluations and the panel's consensus scores (5 queries)."""
    return bids.select_related("vendor").prefetch_related(
        "vendor__certifications",
        "vendor__security_checks",
        Prefetch("evaluations", Evaluation.objects.select_related("evaluator")),
        Prefetch("consensus", Consensus.objects.select_related("author")),
    )


def bids_of(package: Package) -> list[Bid]:
    """The package's bids with everything ranking needs: four queries."""
    return list(_bids_with_facts(package.bids.all()))


def bids_by_package(assessment: Assessment) -> dict[int, list[Bid]]:
    """Every package's bids at once (the report): four queries whatever the packages."""
    grouped: dict[int, list[Bid]] = {}
    live = Bid.objects.filter(package__assessment=assessment, package__deleted_at__isnull=True)
    for bid in _bids_with_facts(live):
        grouped.setdefault(bid.package_id, []).append(bid)
    return grouped


def package_selection(package: Package, *, on: datetime.date | None = None) -> Selection:
    """Cost comparison, ranking and sensitivity of one package, as of `on` (today) for the
    certifications' expiry."""
    assessment = package.assessment
    rows = assessment.task_rows(package=package)
    return selection_of(
        package, rows, bids_of(package), weights_for(assessment), on or timezone.localdate()
    )


def selection_of(
    package: Package,
    rows: list[tuple[Task, inventory.Derived]],
    bids: list[Bid],
    weights: dict[str, Decimal],
    on: datetime.date,
) -> Selection:
    """`package_selection` from the package's task rows and bids already read."""
    assessment = package.assessment
    totals = inventory.totals(assessment.as_summary_rows(rows))
    domain = package_facts(package, rows)
    terms = terms_of(package)
    draws = uncertainty.draw_inventory(
        task_ranges(rows, assessment.organisation.estimate_spread),
        seed=uncertainty.seed_for(assessment.pk, package.pk),
    )
    scope = sourcing.scope_stamp(task.pk for task, _derived in rows)
    lines = [_with_scope(_line(bid, totals.annual_cost, terms, draws), scope) for bid in bids]
    vendors = [domain_vendor(bid) for bid in bids]
    prices = {line.bid.vendor.name: line.price for line in lines}
    price_weight = Decimal(package.price_weight)
    ranking = scoring.rank(
        vendors, weights, domain, on=on, prices=prices, price_weight=price_weight
    )
    return Selection(
        package=package,
        totals=totals,
        sensitive=domain.sensitive,
        overhead_rate=assessment.overhead_rate,
        weights=weights,
        lines=lines,
        ranking=ranking,
        sensitivity=scoring.sensitivity(
            vendors, weights, domain, on=on, prices=prices, price_weight=price_weight
        ),
        facts=domain,
        terms=terms,
        price_weight=price_weight,
        first_probabilities=uncertainty.first_probabilities(
            vendors,
            weights,
            ranking,
            price_weight,
            seed=uncertainty.seed_for(assessment.pk, package.pk, "panel"),
        ),
    )


PERCENT = Decimal(100)


def terms_of(package: Package) -> horizon.Terms:
    """The terms the package's cost over the horizon is computed on (SPEC 4.5): the assessment's
    horizon and overhead, the organisation's unrecoverable tax, the package's parallel run (its
    model's default unless set) and released share."""
    assessment = package.assessment
    months = package.parallel_months
    return horizon.Terms(
        years=assessment.horizon_years,
        parallel_months=horizon.default_parallel_months(package.model)
        if months is None
        else months,
        released_share=Decimal(package.released_share) / PERCENT,
        tax_unrecoverable=Decimal(assessment.organisation.tax_unrecoverable) / PERCENT,
        overhead_rate=assessment.overhead_rate,
    )


def task_ranges(
    rows: list[tuple[Task, inventory.Derived]], spread: int
) -> list[uncertainty.TaskRange]:
    """The package's tasks as the saving's simulation reads them: hours, cost and the range of
    their minutes and volume (the sheet's, else ± the organisation's spread)."""
    drawn = []
    for task, derived in rows:
        if derived.annual_hours is None or derived.annual_cost is None:
            continue  # a task without hours has no cost to vary
        factors = ranges.task_range_of(task, spread)
        minutes = (factors.minutes_low, factors.minutes_high)
        volume = (factors.volume_low, factors.volume_high)
        drawn.append(
            uncertainty.TaskRange(derived.annual_hours, derived.annual_cost, minutes, volume)
        )
    return drawn


def facts_of(package: Package) -> scoring.Package:
    """What the knock-outs read of the package, from its tasks (one query)."""
    return package_facts(package, package.assessment.task_rows(package=package))


def knockouts_of(bid: Bid, *, on: datetime.date | None = None) -> list[str]:
    """The knock-outs of an invited vendor for its package, in words (empty: eligible), on the
    registry entry the bid holds."""
    held = Bid.objects.select_related("vendor").prefetch_related(
        "vendor__certifications", "vendor__security_checks"
    )
    fresh = held.get(pk=bid.pk)
    judged = registry.scoring_vendor(fresh.vendor.name, registry.held(fresh))
    found = scoring.exclusions(judged, facts_of(bid.package), on=on or timezone.localdate())
    return knockouts_words(found)


@dataclass(frozen=True)
class Candidate:
    """A vendor of the registry not yet invited, as the package's knock-outs would judge it now
    (the registry as it is: a bid holds its entry only once invited)."""

    vendor: Vendor
    reasons: list[str]  # the knock-outs in words; empty: eligible
    cautions: list[str]  # warnings that exclude no one

    @property
    def excluded(self) -> bool:
        return bool(self.reasons)


def candidates(
    facts: scoring.Package, vendors: Any, *, on: datetime.date | None = None
) -> list[Candidate]:
    """The invite list: each vendor with what the knock-outs would say before it is invited
    (two queries for the vendors, their certifications and checks, whatever their number)."""
    day = on or timezone.localdate()
    listed = []
    for vendor in vendors.prefetch_related("certifications", "security_checks"):
        judged = registry.scoring_vendor(vendor.name, vendor.registry_facts())
        listed.append(
            Candidate(
                vendor,
                knockouts_words(scoring.exclusions(judged, facts, on=day)),
                [
                    _capital(str(CAUTIONS.get(c, c)))
                    for c in scoring.cautions(judged, facts, on=day)
                ],
            )
        )
    return listed


def _line(
    bid: Bid, in_house: Decimal, terms: horizon.Terms, draws: uncertainty.InventoryDraws
) -> BidLine:
    drift = tuple(registry.worded(change) for change in registry.drift(bid))
    seen = stamp(bid.vendor.updated_at)
    if not bid.has_quote:
        return BidLine(bid, None, "", drift, seen)
    quote = quote_of(bid)
    try:
        comparison = scoring.compare(in_house, quote, terms.overhead_rate)
    except scoring.InvalidInput:
        return BidLine(bid, None, _("A unit price needs the annual volume."), drift, seen)
    return BidLine(
        bid,
        comparison,
        "",
        drift,
        seen,
        horizon=horizon.horizon(in_house, quote, terms),
        saving=uncertainty.saving_range(draws, quote, terms, outcome_range=outcome_range(bid)),
    )


def _with_scope(line: BidLine, scope: str) -> BidLine:
    """The line with what its bid was given for another scope than `scope`: the quote, and the
    submitted scores by evaluator (from the bid's prefetched evaluations)."""
    bid = line.bid
    stale = tuple(
        e.evaluator.get_username()
        for e in bid.evaluations.all()
        if e.submitted and sourcing.scope_changed(e.scope_stamp, scope)
    )
    changed = bid.has_quote and sourcing.scope_changed(bid.scope_stamp, scope)
    return dataclasses.replace(line, scope_changed=changed, stale_evaluators=stale, scope=scope)


def outcome_range(bid: Bid) -> tuple[Decimal, Decimal] | None:
    """An outcome-based quote's own range of outcomes a year, when it gives both ends."""
    low, high = bid.annual_volume_low, bid.annual_volume_high
    if bid.pricing_model != "outcome" or low is None or high is None:
        return None
    return (low, high)


# --- evaluators ------------------------------------------------------------------------------


def evaluators_of(assessment: Assessment) -> dict[str, Any]:
    """Who may score the assessment's vendors, by every name a sheet may give them: the members
    with an editing role, by user name, and by full name where no one else has it."""
    users = User.objects.filter(
        memberships__organisation=assessment.organisation,
        memberships__role__in=EDITING_ROLES,
    ).distinct()
    names: dict[str, Any] = {}
    full_names: dict[str, list[Any]] = {}
    for user in users:
        names[user.get_username()] = user
        if full := user.get_full_name().strip():
            full_names.setdefault(full, []).append(user)
    for full, holders in full_names.items():
        if len(holders) == 1 and full not in names:
            names[full] = holders[0]
    return names


# --- the evaluation file ---------------------------------------------------------------------


@dataclass(frozen=True)
class ImportSummary:
    evaluations: int  # rows written (created or replaced)
    invited: list[str]  # vendors newly invited to a package
    quotes: int  # bids whose quote the file set
    warnings: list[Problem]


def package_targets(assessment: Assessment) -> tuple[dict[str, Package], dict[str, list[str]]]:
    """The package each model key names, and the models with several packages (ambiguous: the
    file names a package by its model), with their package names."""
    by_model: dict[str, list[Package]] = {}
    for package in assessment.packages.all():
        by_model.setdefault(package.model, []).append(package)
    single = {model: packages[0] for model, packages in by_model.items() if len(packages) == 1}
    several = {
        model: [p.name for p in packages]
        for model, packages in by_model.items()
        if len(packages) > 1
    }
    return single, several


def package_hours(package: Package) -> Decimal:
    """The package's annual hours by the inventory: what a staffing quote's hours default to."""
    assessment = package.assessment
    rows = assessment.task_rows(package=package)
    return inventory.totals(assessment.as_summary_rows(rows)).annual_hours


def largest_package(assessment: Assessment) -> Package | None:
    """Where rows go when the file has no package column (SPEC 6.3): the most annual hours."""
    best: tuple[Decimal, Package] | None = None
    for package in assessment.packages.all():
        hours = inventory.totals(
            assessment.as_summary_rows(assessment.task_rows(package=package))
        ).annual_hours
        if best is None or hours > best[0]:
            best = (hours, package)
    return best[1] if best else None


@transaction.atomic
def import_evaluations(
    assessment: Assessment,
    parsed: ParsedEvaluations,
    evaluators: dict[str, Any],
    *,
    actor: Any = None,
) -> ImportSummary:
    """Write a parsed file: invite each vendor to its package if it is not yet, set the quotes the
    file gives, and store each row as its evaluator's submitted evaluation (replacing theirs);
    one event in the history for the whole file, by `actor` (None: the command line).
    The registry stays as it is: services or certifications that differ from it are warnings.
    Raises ImportRejected, having written nothing, when a row's package is ambiguous, when there
    is no package at all, or when two rows give one person's scores of one bid under two names
    (user name and full name): the second would silently overwrite the first."""
    targets, several = package_targets(assessment)
    fallback = largest_package(assessment) if "package" not in parsed.columns else None
    if "package" not in parsed.columns and fallback is None:  # once, not on every row
        raise ImportRejected([Problem(None, None, _("This assessment has no packages yet."))])
    problems: list[Problem] = []
    placed: list[tuple[EvaluationRow, Package]] = []
    first: dict[tuple[int, str, Any], EvaluationRow] = {}  # (package, vendor, user) -> row
    for row in parsed:
        package = targets.get(row.package) if row.package else fallback
        if package is None:
            problems.append(
                Problem(
                    row.source_row, parsed.column_names.get("package"), _no_package(row, several)
                )
            )
            continue
        hourly = hourly_problem(row, staffing=package.is_staffing)
        if hourly is not None:
            column, message = hourly
            problems.append(Problem(row.source_row, parsed.column_names.get(column), message))
        scored = (package.pk, row.vendor, evaluators[row.evaluator].pk)
        if scored in first:
            problems.append(Problem(row.source_row, None, _same_person(row, first[scored])))
        first.setdefault(scored, row)
        placed.append((row, package))
    if problems:
        raise ImportRejected(problems)
    vendors_by_name = {
        v.name: v
        for v in Vendor.objects.filter(name__in={r.vendor for r in parsed}).prefetch_related(
            "certifications"
        )
    }
    warnings = list(parsed.warnings) + _registry_differences(parsed, vendors_by_name)
    bids: dict[tuple[int, int], Bid] = {}
    invited: list[str] = []
    quoted: set[int] = set()
    now = timezone.now()
    # The quotes and scores are given for the packages' tasks as they are now.
    scopes = {pk: Package.scope_of(pk) for pk in {package.pk for _row, package in placed}}
    for row, package in placed:
        vendor = vendors_by_name[row.vendor]
        key = (package.pk, vendor.pk)
        if key not in bids:
            bid, created = Bid.invite(package, vendor)  # holding the registry as it is
            bids[key] = bid
            if created:
                invited.append(f"{vendor.name} → {package.name}")
        bid = bids[key]
        if _set_quote(bid, row, scopes[package.pk]):
            quoted.add(bid.pk)
        Evaluation.objects.update_or_create(
            bid=bid,
            evaluator=evaluators[row.evaluator],
            defaults={
                "scores": row.scores,
                "comments": {GENERAL_COMMENT: row.comment} if row.comment else {},
                "submitted_at": now,
                "scope_stamp": scopes[package.pk],
            },
        )
    # One event for the file, as for an inventory import: what came in, never row by row.
    filename = parsed.filename[:255]
    history.record(
        actor,
        SubjectType.EVALUATIONS,
        None,
        Action.IMPORTED,
        details={
            "filename": filename,
            "sha256": parsed.sha256,
            "rows": len(parsed),
            "evaluations": len(placed),
        },
        assessment=assessment,
        subject_repr=filename,
    )
    return ImportSummary(len(placed), invited, len(quoted), warnings)


def _no_package(row: EvaluationRow, several: dict[str, list[str]]) -> str:
    names = several.get(row.package or "")
    if not names:
        return _("This assessment has no packages yet.")
    message = _(
        "This assessment has several %(model)s packages (%(names)s) and a file names a "
        "package by its model: merge them, or enter these scores in the browser."
    )
    return message % {"model": row.package, "names": listing(names)}


def _same_person(row: EvaluationRow, earlier: EvaluationRow) -> str:
    message = _(
        "“%(name)s” is the same person as “%(other)s” in row %(row)s, for the same package and "
        "vendor (a duplicate row)."
    )
    return message % {"name": row.evaluator, "other": earlier.evaluator, "row": earlier.source_row}


def hourly_problem(row: EvaluationRow, *, staffing: bool) -> tuple[str, str] | None:
    """(column, message) when a row's quote does not fit its package: a staffing package is
    quoted by the hour (an hourly rate and the hours), and only a staffing package is. The
    browser's import and the command line (`assess --vendors`) both ask this."""
    if not any(getattr(row, key) not in (None, "") for key in QUOTE_KEYS):
        return None
    if not staffing:
        if row.pricing_model == "hourly":
            return "pricing_model", _(
                "An hourly rate is a staffing package's quote (dispatch); this package is quoted "
                "by volume, outcome or subscription."
            )
        return None
    if row.pricing_model not in ("", "hourly"):
        return "pricing_model", _(
            "A staffing package is quoted by the hour: the pricing model is “hourly”."
        )
    if row.unit_price is None:  # a rate without its hours is refused by the file's reading
        return "unit_price", _(
            "Hourly rate: a staffing package is quoted by the hour; enter the rate in yen."
        )
    return None


def _set_quote(bid: Bid, row: EvaluationRow, scope: str) -> bool:
    given = {key: getattr(row, key) for key in QUOTE_KEYS if getattr(row, key) not in (None, "")}
    if not given:
        return False
    if bid.package.is_staffing:  # checked by hourly_problem: an hourly rate and its hours
        given["pricing_model"] = "hourly"
    for key in QUOTE_KEYS:  # the file's quote replaces the whole quote
        setattr(bid, key, given.get(key, "" if key == "pricing_model" else None))
    bid.scope_stamp = scope
    bid.save()
    return True


def _registry_differences(parsed: ParsedEvaluations, vendors: dict[str, Vendor]) -> list[Problem]:
    """The registry is the site's and is kept by hand: a sheet does not rewrite it."""
    warnings: list[Problem] = []
    seen: set[str] = set()
    today = timezone.localdate()
    for row in parsed:
        vendor = vendors[row.vendor]
        if vendor.name in seen:
            continue
        seen.add(vendor.name)
        parts = {"vendor": vendor.name}
        if row.services and set(row.services) != set(vendor.services):
            message = _(
                "The services differ from the registry's for %(vendor)s; the registry's are used."
            )
            warnings.append(
                Problem(row.source_row, parsed.column_names.get("services"), message % parts)
            )
        held = vendor.valid_certifications(today)
        if not LICENCE_KINDS & set(row.certifications):  # a sheet silent on licences
            held -= LICENCE_KINDS
        if row.certifications and set(row.certifications) != held:
            message = _(
                "The certifications differ from the registry's valid ones for %(vendor)s; the "
                "registry's are used."
            )
            warnings.append(
                Problem(row.source_row, parsed.column_names.get("certifications"), message % parts)
            )
    return warnings
