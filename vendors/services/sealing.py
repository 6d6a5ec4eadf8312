"""Who may see what of the vendor scores and prices: the one place of the sealing rule (README
"Vendor selection", SPEC 4.6). Every output that shows scores or prices asks here: the selection
page, the score, quote and panel pages, the PDF report (in the request and in the background, and
the download of one made for someone else) and the history. The Excel export and the results CSV
show no vendor scores or quotes.

Scoring is independent. An evaluator sees the others' submitted scores of a vendor only once they
have submitted their own for it, and a package's ranking (ranks, totals, spread, the winner, its
sensitivity and the saving with it) only once they have submitted for every vendor invited to it.
Who is an evaluator: the package's panel (`Package.panel`) when it has one; otherwise, as before
there were panels, every manager and consultant of the organisation. A viewer, who does not
score, sees them; so does a member left out of the panel (the consultant handling the quotes).

Prices are blind (the DOS rule: price must not influence quality scores). A member of the panel
sees no price of the package (quotes, costs, savings, price points, the combined ranking) until
every member of the panel has submitted scores for every invited vendor the knock-outs leave
in (`price_seal`). Without a panel nothing is blind: no one can tell a future evaluator from the
consultant entering quotes. Without a person (the command line: `assess --vendors`,
`--ranking`, `--pdf`) nothing is sealed: whoever runs it holds the whole evaluation file
already."""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import F
from django.utils import timezone

from assessments.models import Assessment, Package
from outsourcing_advisor.accounts.models import EDITING_ROLES, Membership
from outsourcing_advisor.history.models import Event
from vendors.domain import scoring
from vendors.models import Bid
from vendors.services import registry, selection

User = get_user_model()

# The command line's viewer: no person, nothing sealed.
NO_PERSON = None


def _editing(user: Any, organisation_id: int) -> bool:
    """Whether the user manages or consults for the organisation. Read from the membership
    itself rather than from a `role` annotation, which may have been made for someone else."""
    role = (
        Membership.objects.filter(user=user, organisation_id=organisation_id)
        .values_list("role", flat=True)
        .first()
    )
    return role in EDITING_ROLES


def evaluates(user: Any, assessment: Assessment, panel: Collection[int] = ()) -> bool:
    """Whether the user scores a package of this assessment whose panel is `panel` (its
    members' ids, `panels`): a member of it, or, without a panel, a manager or consultant."""
    if user is NO_PERSON:
        return False
    if panel:
        return user.pk in panel
    return _editing(user, assessment.organisation_id)


def panels(package_ids: Iterable[int]) -> dict[int, dict[int, Any]]:
    """Each package's panel, {member id: user}, in one query: the members who still manage or
    consult for the package's organisation (one whose role changed since no longer scores, and
    is waited for by no one). A package without a panel is absent."""
    through = Package.panel.through
    rows = (
        through.objects.filter(
            package_id__in=list(package_ids),
            user__memberships__organisation_id=F("package__assessment__organisation_id"),
            user__memberships__role__in=EDITING_ROLES,
        )
        .select_related("user")
        .order_by("user__username")
    )
    found: dict[int, dict[int, Any]] = {}
    for row in rows:
        found.setdefault(row.package_id, {})[row.user_id] = row.user
    return found


def pending(user: Any, bids: Iterable[Bid]) -> list[Bid]:
    """The bids the user has no submitted evaluation of (a draft seals as much as nothing)."""
    return [
        bid for bid in bids if not ((own := bid.evaluation_by(user)) is not None and own.submitted)
    ]


def to_submit(user: Any, assessment: Assessment, bids: Iterable[Bid]) -> list[Bid]:
    """The bids whose scores are sealed for the user: those an evaluator has still to submit
    their own scores for; none for a viewer, for a member left out of the package's panel, or
    without a person. A package's ranking is sealed while this holds a bid the knock-outs leave
    in (`selection_seal`); an excluded one is no one's to score, and only its own scores stay
    sealed. Reads the bids' prefetched evaluations if any; two queries (the panels, the role)."""
    bids = list(bids)
    if user is NO_PERSON or not bids:
        return []
    found = panels({bid.package_id for bid in bids})
    editing: bool | None = None  # read once, when a package without a panel needs it
    sealed = []
    for bid in bids:
        panel = found.get(bid.package_id)
        if panel:
            scores = user.pk in panel
        else:
            if editing is None:
                editing = _editing(user, assessment.organisation_id)
            scores = editing
        if scores:
            sealed += pending(user, [bid])
    return sealed


def others_scores_shown(user: Any, assessment: Assessment, bid: Bid) -> bool:
    """Whether the user may see the other evaluators' submitted scores of this bid."""
    return not to_submit(user, assessment, [bid])


def score_changes_shown(actor_id: int | None, viewer_id: int | None) -> bool:
    """The history records drafts too, which stay their evaluator's even once the submitted
    scores are open: a score event's values show to its evaluator only."""
    return viewer_id is not None and actor_id == viewer_id


# --- blind prices --------------------------------------------------------------------------


@dataclass(frozen=True)
class PriceSeal:
    """Whether one person sees a package's prices, and whom its panel still waits for."""

    panel: tuple[Any, ...] = ()  # its members (users) by user name; empty: no panel
    waiting: tuple[Any, ...] = ()  # the members with scores still to submit
    hidden: bool = False  # the person is on the panel, and someone is still waiting

    @property
    def shown(self) -> bool:
        return not self.hidden


OPEN = PriceSeal()  # no panel, or not on it: prices shown


def excluded_bids(
    package: Package, bids: Iterable[Bid], *, on: datetime.date | None = None
) -> set[int]:
    """The ids of the bids the package's knock-outs exclude, on the registry entries the bids
    hold (prefetched vendors): one query for the package's tasks."""
    facts = selection.facts_of(package)
    day = on or timezone.localdate()
    return {
        bid.pk
        for bid in bids
        if scoring.exclusions(
            registry.scoring_vendor(bid.vendor.name, registry.held(bid)), facts, on=day
        )
    }


def price_seal(
    user: Any,
    package: Package,
    bids: Sequence[Bid],
    *,
    excluded: Collection[int] | None = None,
    panel: Mapping[int, Any] | None = None,
) -> PriceSeal:
    """The package's prices for `user` (`bids`: all of the package's, evaluations prefetched).
    Hidden from a member of the panel until every member has submitted scores for every bid not
    excluded (`excluded`: their ids, computed when not given); a bid excluded by the knock-outs
    is no one's to score. `panel`: the package's, when already read (`panels`)."""
    members = panels([package.pk]).get(package.pk, {}) if panel is None else panel
    if not members:
        return OPEN
    if excluded is None:
        excluded = excluded_bids(package, bids)
    eligible = [bid for bid in bids if bid.pk not in excluded]
    waiting = tuple(member for member in members.values() if pending(member, eligible))
    on_panel = user is not NO_PERSON and user.pk in members
    return PriceSeal(tuple(members.values()), waiting, hidden=on_panel and bool(waiting))


def excluded_in(chosen: selection.Selection) -> set[int]:
    """The ids of the bids a selection already computed excludes (its ranking says which)."""
    out = {row.name for row in chosen.ranking if row.excluded}
    return {line.bid.pk for line in chosen.lines if line.bid.vendor.name in out}


def masked(chosen: selection.Selection, bids: Iterable[Bid]) -> selection.Selection:
    """The selection without the scores of `bids` (excluded vendors the reader has still to
    score themselves): their quality, spread and each evaluator's total left out of the
    ranking, whose reasons stay."""
    names = {bid.vendor.name for bid in bids}
    if not names:
        return chosen
    ranking = [
        dataclasses.replace(row, total=None, spread=None, evaluators=0, evaluator_totals=())
        if row.name in names
        else row
        for row in chosen.ranking
    ]
    return dataclasses.replace(chosen, ranking=ranking)


@dataclass(frozen=True)
class SelectionSeal:
    """What one person may see of a package's selection (the vendor page)."""

    sealed: list[Bid]  # the vendors left in they have still to score: the ranking waits
    prices: PriceSeal
    shown: selection.Selection  # the selection with what they may not see of it masked

    @property
    def withheld(self) -> bool:
        """The ranking is left out: sealed, or blind to prices."""
        return bool(self.sealed) or self.prices.hidden


def selection_seal(user: Any, assessment: Assessment, chosen: selection.Selection) -> SelectionSeal:
    """The seal of a selection already computed (its bids' evaluations prefetched)."""
    bids = [line.bid for line in chosen.lines]
    excluded = excluded_in(chosen)
    own = to_submit(user, assessment, bids)
    return SelectionSeal(
        sealed=[bid for bid in own if bid.pk not in excluded],
        prices=price_seal(user, chosen.package, bids, excluded=excluded),
        shown=masked(chosen, [bid for bid in own if bid.pk in excluded]),
    )


def prices_shown(user: Any, package: Package) -> bool:
    """Whether the user may see the package's prices (a quote, a vendor's submission, a cost):
    one query when they are not on its panel, a few more when they are."""
    members = panels([package.pk]).get(package.pk, {})
    if user is NO_PERSON or user.pk not in members:
        return True
    return price_seal(user, package, selection.bids_of(package), panel=members).shown


# --- reports ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportSeal:
    """What a report made for one person shows of the packages' rankings and prices."""

    # package id -> the vendors left in the person has still to score: the ranking waits.
    sealed: Mapping[int, list[Bid]]
    # Equal for two people exactly when the report shows them the same rankings: any report kept
    # or reused for one person may go to another only under the same key.
    key: str
    # package id -> its price seal, where the package's prices are hidden from the person.
    blind: Mapping[int, PriceSeal] = dataclasses.field(default_factory=dict)
    # package id -> the excluded vendors the person has still to score: their scores masked.
    unscored: Mapping[int, list[Bid]] = dataclasses.field(default_factory=dict)

    def pending(self, package_pk: int) -> list[Bid]:
        return list(self.sealed.get(package_pk, []))

    def shown(self, chosen: selection.Selection) -> selection.Selection:
        """A package's selection as the person may see it (`masked`)."""
        return masked(chosen, self.unscored.get(chosen.package.pk, []))

    def prices(self, package_pk: int) -> PriceSeal:
        return self.blind.get(package_pk, OPEN)


def report_seal(
    user: Any, assessment: Assessment, bids_by_package: Mapping[int, Sequence[Bid]]
) -> ReportSeal:
    """The seal of a report from the bids it ranks (`selection.bids_by_package`, evaluations
    prefetched): two queries (the panels, the person's role), then, where the person has
    vendors to score or is on the panel, one for those packages and one each for their tasks
    (the knock-outs say which vendors are left in)."""
    sealed: dict[int, list[Bid]] = {}
    unscored: dict[int, list[Bid]] = {}
    blind: dict[int, PriceSeal] = {}
    if user is not NO_PERSON and bids_by_package:
        own: dict[int, list[Bid]] = {}
        every = [bid for bids in bids_by_package.values() for bid in bids]
        for bid in to_submit(user, assessment, every):
            own.setdefault(bid.package_id, []).append(bid)
        found = panels(bids_by_package)
        mine = {pk for pk, members in found.items() if user.pk in members}
        for package in Package.objects.filter(pk__in=own.keys() | mine):
            package.assessment = assessment  # read already: no query
            bids = bids_by_package[package.pk]
            excluded = excluded_bids(package, bids)
            left_in = [bid for bid in own.get(package.pk, []) if bid.pk not in excluded]
            if left_in:
                sealed[package.pk] = left_in
            elif own.get(package.pk):
                unscored[package.pk] = own[package.pk]
            if package.pk in mine:
                seal = price_seal(user, package, bids, excluded=excluded, panel=found[package.pk])
                if seal.hidden:
                    blind[package.pk] = seal
    # An open ranking is named with its bids: a report made before a vendor was invited or
    # removed is not the ranking that person may see now.
    shown = sorted(
        [package_pk, sorted(bid.pk for bid in bids)]
        for package_pk, bids in bids_by_package.items()
        if package_pk not in sealed and package_pk not in blind
    )
    payload: dict[str, Any] = {"sealed": sorted(sealed), "shown": shown}
    # Absent when empty: the keys of reports made before panels stay as they were.
    if blind:
        payload["blind"] = sorted(blind)
    if unscored:
        payload["unscored"] = sorted(bid.pk for bids in unscored.values() for bid in bids)
    canonical = json.dumps(payload, separators=(",", ":"))
    key = hashlib.sha256(canonical.encode()).hexdigest()[:32]
    return ReportSeal(sealed, key, blind, unscored)


def report_key(user: Any, assessment: Assessment) -> str:
    """The key of the report this person would get of the assessment now (four queries)."""
    return report_seal(user, assessment, selection.bids_by_package(assessment)).key


# --- the history -----------------------------------------------------------------------------


def quote_events_hidden(events: Sequence[Event], viewer_id: int | None) -> set[int]:
    """The quote events (subject: a bid) whose values the viewer may not see: those of the
    packages whose prices are hidden from them. A removed bid's package is unknown: its quote
    stays hidden from a viewer blind to any package of the assessment. A few queries for the
    events shown, whatever their number; one when the viewer is on no panel."""
    if viewer_id is None or not events:
        return set()
    assessments = {event.assessment_id for event in events}
    # A package in the trash too: its quotes stay as hidden as they were.
    mine = list(
        Package.with_trashed.filter(
            assessment_id__in=assessments, panel__pk=viewer_id
        ).select_related("assessment")
    )
    if not mine:
        return set()
    viewer = User.objects.get(pk=viewer_id)
    blind = {
        package.pk: package.assessment_id for package in mine if not prices_shown(viewer, package)
    }
    if not blind:
        return set()
    packages = dict(
        Bid.objects.filter(pk__in={event.subject_id for event in events}).values_list(
            "pk", "package_id"
        )
    )
    blind_assessments = set(blind.values())
    return {
        event.pk
        for event in events
        if (
            packages[event.subject_id] in blind
            if event.subject_id in packages
            else event.assessment_id in blind_assessments
        )
    }


def consensus_events_hidden(events: Sequence[Event], viewer_id: int | None) -> set[int]:
    """The consensus events whose values the viewer may not see: those of a bid whose other
    scores are sealed for them (a consensus is a score the panel agreed). A few queries for the
    events shown, whatever their number."""
    if viewer_id is None or not events:
        return set()
    wanted = {(event.details or {}).get("bid") for event in events}
    bids = {
        bid.pk: bid
        for bid in Bid.objects.filter(pk__in=[pk for pk in wanted if isinstance(pk, int)])
        .select_related("package__assessment")
        .prefetch_related("evaluations")
    }
    if not bids:
        return set()
    viewer = User.objects.get(pk=viewer_id)
    by_assessment: dict[int, list[Bid]] = {}
    for bid in bids.values():
        by_assessment.setdefault(bid.package.assessment_id, []).append(bid)
    sealed = {
        bid.pk
        for group in by_assessment.values()
        for bid in to_submit(viewer, group[0].package.assessment, group)
    }
    return {event.pk for event in events if (event.details or {}).get("bid") in sealed}


# --- who scores ------------------------------------------------------------------------------

OPEN_TO_SCORE, NOT_ON_PANEL, FINAL = "open", "not_on_panel", "final"


def scoring_state(user: Any, package: Package, own_submitted: bool) -> str:
    """Whether the user may score the package's vendors: NOT_ON_PANEL for a member left out of
    its panel (they see the prices, so their scores would not be blind); FINAL for a member of
    the panel once the prices are open to them, their scores submitted (a change now goes
    through a consensus score, with its reason); OPEN_TO_SCORE otherwise."""
    members = panels([package.pk]).get(package.pk, {})
    if not members:
        return OPEN_TO_SCORE
    if user.pk not in members:
        return NOT_ON_PANEL
    if own_submitted and price_seal(user, package, selection.bids_of(package), panel=members).shown:
        return FINAL
    return OPEN_TO_SCORE
