"""Who may see what of the vendor scores: the one place of the sealing rule (README "Vendor
selection", SPEC 4.6). Every output that shows scores asks here: the selection page, the score
page, the PDF report (in the request and in the background, and the download of one made for
someone else) and the history. The Excel export and the results CSV show no vendor scores.

Scoring is independent. An evaluator (a manager or consultant of the assessment's organisation)
sees the others' submitted scores of a vendor only once they have submitted their own for it, and
a package's ranking (ranks, totals, spread, the winner, its sensitivity and the saving with it)
only once they have submitted for every vendor invited to it. A viewer, who does not score, sees
them. Without a person (the command line: `assess --vendors`, `--ranking`, `--pdf`) nothing is
sealed: whoever runs it holds the whole evaluation file already."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from outsourcing_advisor.accounts.models import EDITING_ROLES, Membership
from vendors.models import Bid
from vendors.services import selection

if TYPE_CHECKING:
    from assessments.models import Assessment

# The command line's viewer: no person, nothing sealed.
NO_PERSON = None


def evaluates(user: Any, assessment: Assessment) -> bool:
    """Whether the user scores this assessment's vendors. Read from the membership itself rather
    than from a `role` annotation, which may have been made for someone else."""
    if user is NO_PERSON:
        return False
    role = (
        Membership.objects.filter(user=user, organisation_id=assessment.organisation_id)
        .values_list("role", flat=True)
        .first()
    )
    return role in EDITING_ROLES


def _pending(user: Any, bids: Iterable[Bid]) -> list[Bid]:
    """The bids the user has no submitted evaluation of (a draft seals as much as nothing)."""
    return [
        bid for bid in bids if not ((own := bid.evaluation_by(user)) is not None and own.submitted)
    ]


def to_submit(user: Any, assessment: Assessment, bids: Iterable[Bid]) -> list[Bid]:
    """The bids whose scores are sealed for the user: those an evaluator has still to submit
    their own scores for; none for a viewer or without a person. A package's ranking is sealed
    while this is not empty for its bids. Reads the bids' prefetched evaluations if any."""
    return _pending(user, bids) if evaluates(user, assessment) else []


def others_scores_shown(user: Any, assessment: Assessment, bid: Bid) -> bool:
    """Whether the user may see the other evaluators' submitted scores of this bid."""
    return not to_submit(user, assessment, [bid])


def score_changes_shown(actor_id: int | None, viewer_id: int | None) -> bool:
    """The history records drafts too, which stay their evaluator's even once the submitted
    scores are open: a score event's values show to its evaluator only."""
    return viewer_id is not None and actor_id == viewer_id


@dataclass(frozen=True)
class ReportSeal:
    """What a report made for one person shows of the packages' rankings."""

    sealed: Mapping[int, list[Bid]]  # package id -> its bids the person has still to submit
    # Equal for two people exactly when the report shows them the same rankings: any report kept
    # or reused for one person may go to another only under the same key.
    key: str

    def pending(self, package_pk: int) -> list[Bid]:
        return list(self.sealed.get(package_pk, []))


def report_seal(
    user: Any, assessment: Assessment, bids_by_package: Mapping[int, Sequence[Bid]]
) -> ReportSeal:
    """The seal of a report from the bids it ranks (`selection.bids_by_package`, evaluations
    prefetched): one query for the person's role, none per package."""
    evaluator = evaluates(user, assessment)
    sealed = {
        package_pk: pending
        for package_pk, bids in bids_by_package.items()
        if evaluator and (pending := _pending(user, bids))
    }
    # An open ranking is named with its bids: a report made before a vendor was invited or
    # removed is not the ranking that person may see now.
    shown = sorted(
        [package_pk, sorted(bid.pk for bid in bids)]
        for package_pk, bids in bids_by_package.items()
        if package_pk not in sealed
    )
    canonical = json.dumps({"sealed": sorted(sealed), "shown": shown}, separators=(",", ":"))
    return ReportSeal(sealed, hashlib.sha256(canonical.encode()).hexdigest()[:32])


def report_key(user: Any, assessment: Assessment) -> str:
    """The key of the report this person would get of the assessment now (four queries)."""
    return report_seal(user, assessment, selection.bids_by_package(assessment)).key
