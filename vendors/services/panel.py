"""A package's evaluation panel (SPEC 4.6): who scores its vendors, how they scored, and the
consensus the lead consultant records where they split.

- **The panel** (`set_panel`): the members of the organisation who manage or consult, chosen by a
  consultant; empty, whoever scores (as before there were panels). A member of the panel scores
  without seeing prices until every member has submitted (vendors/services/sealing.py).
- **A consensus score** (`save_consensus`, `remove_consensus`): per bid and criterion, 1–5 with a
  written reason, kept beside the evaluators' own scores, which stay as they are. It stands for
  every evaluator's score of that criterion in the vendor's quality (`scoring.with_consensus`).
- **What the panel page shows** (`overview`): the panel and each member's progress, the scores of
  every vendor with their consensus, and the panel's statistics (vendors/domain/panel.py) — the
  scores only to a reader the sealing rule lets see them.

Each change is made, and recorded in the assessment's history, in one transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from assessments.domain.choices import VendorCriterion
from assessments.models import Assessment, Package
from outsourcing_advisor.accounts.models import EDITING_ROLES, person_name
from outsourcing_advisor.common.stamps import locking
from outsourcing_advisor.common.wording import listing
from outsourcing_advisor.history import record as history
from outsourcing_advisor.history.models import Action, SubjectType
from vendors.domain import panel as statistics
from vendors.domain import scoring
from vendors.models import Bid, Consensus, Evaluation
from vendors.services import sealing, selection

User = get_user_model()

REASON_LENGTH = 2000


class PanelRefused(ValueError):
    """A change the panel's owner refuses; the message says why, in the reader's language."""


# --- the panel -------------------------------------------------------------------------------


def candidates(assessment: Assessment) -> Any:
    """Who may sit on a panel of the assessment: its organisation's managers and consultants,
    by user name (one query when read)."""
    return (
        User.objects.filter(
            memberships__organisation_id=assessment.organisation_id,
            memberships__role__in=EDITING_ROLES,
        )
        .distinct()
        .order_by("username")
    )


def _names(users: Iterable[Any]) -> str:
    return listing(sorted(person_name(user) for user in users))


@transaction.atomic(savepoint=False)
def set_panel(package: Package, users: Iterable[Any], actor: Any) -> bool:
    """The package's panel becomes `users` (empty: whoever scores), recorded in the history
    with the members before and after. Refuses anyone who does not manage or consult for the
    organisation. Returns whether it changed."""
    assessment = package.assessment
    chosen = {user.pk: user for user in users}
    allowed = set(candidates(assessment).filter(pk__in=chosen).values_list("pk", flat=True))
    if set(chosen) - allowed:
        raise PanelRefused(_("Only managers and consultants of the organisation score."))
    locking(Package.objects.filter(pk=package.pk)).first()  # two saves at once: one after the other
    before = list(package.panel.order_by("username"))
    if {user.pk for user in before} == set(chosen):
        return False
    package.panel.set(list(chosen.values()))
    history.record(
        actor,
        SubjectType.PANEL,
        package,
        Action.CHANGED,
        changes=[{"field": "panel", "old": _names(before), "new": _names(chosen.values())}],
        assessment=assessment,
    )
    return True


# --- consensus -------------------------------------------------------------------------------


def criterion_label(criterion: str) -> str:
    return str(dict(VendorCriterion.choices).get(criterion, criterion))


def _consensus_values(agreed: Consensus | None) -> dict[str, Any]:
    if agreed is None:
        return {"score": None, "reason": ""}
    return {"score": agreed.score, "reason": agreed.reason}


@transaction.atomic(savepoint=False)
def save_consensus(
    bid: Bid, criterion: str, score: int, reason: str, actor: Any, assessment: Assessment
) -> Consensus:
    """Record (or change) the consensus score of one criterion of a bid, with its reason, and
    record it in the history (created, or changed with the score and reason before and after)."""
    reason = reason.strip()
    if criterion not in VendorCriterion.values:
        raise PanelRefused(_("Choose one of the evaluation criteria."))
    if not scoring.LOWEST_SCORE <= score <= scoring.HIGHEST_SCORE:
        raise PanelRefused(_("A consensus score is from 1 to 5."))
    if not reason:
        raise PanelRefused(_("Write the reason for the consensus score."))
    agreed = locking(Consensus.objects.filter(bid=bid, criterion=criterion)).first()
    before = _consensus_values(agreed)
    created = agreed is None
    if agreed is None:
        agreed = Consensus(bid=bid, criterion=criterion)
    agreed.score, agreed.reason, agreed.author = score, reason[:REASON_LENGTH], actor
    agreed.save()
    history.record(
        actor,
        SubjectType.CONSENSUS,
        agreed,
        Action.CREATED if created else Action.CHANGED,
        changes=history.field_changes(before, _consensus_values(agreed)),
        details={"bid": bid.pk, "criterion": criterion},
        assessment=assessment,
        subject_repr=f"{bid.vendor.name}: {criterion_label(criterion)}",
    )
    return agreed


@transaction.atomic(savepoint=False)
def remove_consensus(bid: Bid, criterion: str, actor: Any, assessment: Assessment) -> bool:
    """Remove the consensus score of a criterion: the evaluators' own scores count again.
    Recorded with the score and reason removed. Returns whether there was one."""
    agreed = locking(Consensus.objects.filter(bid=bid, criterion=criterion)).first()
    if agreed is None:
        return False
    before = _consensus_values(agreed)
    subject_id = agreed.pk
    agreed.delete()
    agreed.pk = subject_id  # the event names what was removed
    history.record(
        actor,
        SubjectType.CONSENSUS,
        agreed,
        Action.DELETED,
        changes=history.field_changes(before, _consensus_values(None)),
        details={"bid": bid.pk, "criterion": criterion},
        assessment=assessment,
        subject_repr=f"{bid.vendor.name}: {criterion_label(criterion)}",
    )
    return True


# --- the panel page --------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """How far one member of the panel is: the eligible vendors they have submitted scores for."""

    member: Any
    submitted: int
    of: int

    @property
    def done(self) -> bool:
        return self.submitted >= self.of


@dataclass(frozen=True)
class CriterionRow:
    criterion: str
    label: str
    weight: Any
    scores: list[tuple[int | None, str]]  # (score, comment) per evaluator, in column order
    consensus: Consensus | None
    author: str = ""  # who recorded the consensus, as the pages name people


@dataclass(frozen=True)
class BidScores:
    """One vendor's submitted scores, criterion by criterion, with the consensus beside them."""

    bid: Bid
    excluded: bool
    evaluations: list[Evaluation]  # the columns
    rows: list[CriterionRow]
    # An excluded vendor the reader has still to score: its scores stay sealed (the others'
    # are shown once they have submitted their own, as on the score page).
    sealed: bool = False


@dataclass(frozen=True)
class Overview:
    members: list[Any]  # the panel; empty: whoever scores
    progress: list[Progress]  # of each member (without a panel: of each who has scored)
    prices: sealing.PriceSeal  # for the reader
    sealed: list[Bid]  # the vendors left in the reader has still to score: no scores while any
    bids: list[BidScores]  # empty while sealed
    statistics: statistics.PanelStatistics | None  # None while sealed
    names: dict[str, str]  # user name -> how the page names the person


def overview(user: Any, assessment: Assessment, package: Package) -> Overview:
    """Everything the panel page shows, for `user`: a fixed number of queries whatever the
    number of vendors or evaluators."""
    bids = selection.bids_of(package)
    members = sealing.panels([package.pk]).get(package.pk, {})
    excluded = sealing.excluded_bids(package, bids)
    prices = sealing.price_seal(user, package, bids, excluded=excluded, panel=members)
    own = {bid.pk for bid in sealing.to_submit(user, assessment, bids)}
    sealed = [bid for bid in bids if bid.pk in own and bid.pk not in excluded]
    eligible = [bid for bid in bids if bid.pk not in excluded]
    scorers = list(members.values()) or _scorers(bids)
    progress = [
        Progress(member, len(eligible) - len(sealing.pending(member, eligible)), len(eligible))
        for member in scorers
    ]
    names = {
        e.evaluator.get_username(): person_name(e.evaluator)
        for bid in bids
        for e in bid.evaluations.all()
    }
    names.update({member.get_username(): person_name(member) for member in scorers})
    if sealed:
        return Overview(list(members.values()), progress, prices, sealed, [], None, names)
    weights = selection.weights_for(assessment)
    return Overview(
        members=list(members.values()),
        progress=progress,
        prices=prices,
        sealed=[],
        bids=[_bid_scores(bid, bid.pk in excluded, weights, sealed=bid.pk in own) for bid in bids],
        # Over the vendors whose scores the reader may see.
        statistics=statistics.panel_statistics(
            panel_scores([bid for bid in bids if bid.pk not in own]), weights
        ),
        names=names,
    )


def _scorers(bids: Sequence[Bid]) -> list[Any]:
    """Without a panel: everyone who has scored a vendor of the package, drafts included."""
    found = {e.evaluator_id: e.evaluator for bid in bids for e in bid.evaluations.all()}
    return sorted(found.values(), key=lambda user: user.get_username())


def panel_scores(bids: Sequence[Bid]) -> dict[str, dict[str, dict[str, int | None]]]:
    """The submitted scores of the bids (prefetched), as the statistics read them: vendor ->
    evaluator -> criterion -> score. The evaluators' own: a consensus is not theirs."""
    return {
        bid.vendor.name: {
            e.evaluator.get_username(): dict(e.scores) for e in bid.evaluations.all() if e.submitted
        }
        for bid in bids
    }


def _bid_scores(
    bid: Bid, excluded: bool, weights: dict[str, Any], *, sealed: bool = False
) -> BidScores:
    evaluations = [] if sealed else [e for e in bid.evaluations.all() if e.submitted]
    agreed = {c.criterion: c for c in bid.consensus.all()}
    rows = [
        CriterionRow(
            key,
            str(label),
            weights.get(key),
            [(e.scores.get(key), e.comments.get(key, "")) for e in evaluations],
            agreed.get(key),
            _author(agreed.get(key)),
        )
        for key, label in VendorCriterion.choices
    ]
    return BidScores(bid, excluded, evaluations, rows, sealed)


def _author(agreed: Consensus | None) -> str:
    return person_name(agreed.author) if agreed is not None and agreed.author else ""
