"""The vendor's side of a submission (SPEC 4.6): what a vendor saves and submits behind its link,
without an account. The only owner of these changes; the consultant's side (accepting a
submission into the bid, returning it with a comment) is vendors/services/review.py.

Everything is found from the link (`links.find`), never from the URL or the form: the bid, and
through it the vendor, the package and the organisation. A bid has one submission in progress at
a time, whichever of its links it came through: a link re-issued shows the vendor's draft, or
its submission awaiting review, as it is. Once a submission is accepted, a later link starts a
new one, filled in with the accepted answers.

The parts are stored as plain JSON, already validated by the vendor's form
(vendors/web/portal_forms.py):
- contact: {"name", "email", "phone"};
- quote: the consultant's quote fields (`Bid`: "pricing_model", "initial_fee", "monthly_fee",
  "unit_price", "annual_volume", "annual_volume_low", "annual_volume_high", "quote_note"), an
  amount as a plain decimal string ("1200.5"), null when not given; a staffing package's quote
  has only the hourly ones ("pricing_model" "hourly", "unit_price" the rate, "annual_volume" the
  hours, "quote_note");
- security: {item: {"status": "met" | "partly" | "not_met" | "", "note": str}} for each of the
  five items (SecurityItem), "" while a draft leaves it open;
- statements: {item: "yes" | "no"} of the 告示37号 statements (assessments/domain/independence,
  as `Bid.statements`); {} for a staffing package;
- certifications: [{"kind": CertificationKind, "number": str, "expires_on": "YYYY-MM-DD" | null}].
"""

from __future__ import annotations

import base64
import datetime
import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from outsourcing_advisor.common.stamps import lock_parent
from outsourcing_advisor.history import record as history
from outsourcing_advisor.history.models import Action, SubjectType
from vendors.models import Submission, SubmissionStatus, VendorLink
from vendors.services import links, review

PARTS = ("contact", "quote", "security", "statements", "certifications")
# What the vendor may still change: its draft, or a submission the consultant returned.
EDITABLE = frozenset({SubmissionStatus.DRAFT, SubmissionStatus.RETURNED})
_EPOCH = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


@dataclass(frozen=True)
class Answers:
    """The vendor's answers as the form cleaned them, in the JSON shapes of the module's doc."""

    contact: dict[str, str] = field(default_factory=dict)
    quote: dict[str, Any] = field(default_factory=dict)
    security: dict[str, dict[str, str]] = field(default_factory=dict)
    statements: dict[str, str] = field(default_factory=dict)
    certifications: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def of(cls, submission: Submission) -> Answers:
        return cls(**{part: getattr(submission, part) for part in PARTS})


class Closed(Exception):
    """The submission is submitted or accepted: the vendor can no longer change it."""

    def __init__(self, submission: Submission) -> None:
        super().__init__(f"submission {submission.pk} is {submission.status}")
        self.submission = submission


class LinkClosed(Exception):
    """The link was revoked or expired while the vendor was on the page."""


def latest(link: VendorLink) -> Submission | None:
    """The bid's newest submission, through whichever link it came."""
    return Submission.objects.filter(bid=link.bid_id).order_by("-created_at", "-pk").first()


def current(link: VendorLink) -> Submission | None:
    """The submission the link shows: the bid's newest, unless it was accepted through an earlier
    link (a new link asks for new answers). None: nothing yet, the page starts a draft."""
    found = latest(link)
    if found is None or (found.status == SubmissionStatus.ACCEPTED and found.link_id != link.pk):
        return None
    return found


def editable(submission: Submission | None) -> bool:
    return submission is None or submission.status in EDITABLE


def opened(link: VendorLink) -> None:
    """When the vendor last opened its page, for the consultant (one UPDATE, no history)."""
    link.last_opened_at = timezone.now()
    VendorLink.objects.filter(pk=link.pk).update(last_opened_at=link.last_opened_at)


@transaction.atomic
def save_draft(link: VendorLink, answers: Answers) -> Submission:
    """The answers kept as the link's draft (a returned submission stays returned until it is
    submitted again). Recorded when something changed. Raises Closed once submitted."""
    return _store(link, answers, submit=False)


@transaction.atomic
def submit(link: VendorLink, answers: Answers) -> Submission:
    """The answers submitted for review: read-only from now on, until the consultant returns
    them. Recorded. Raises Closed when already submitted (a second tab, a second click)."""
    return _store(link, answers, submit=True)


def _store(link: VendorLink, answers: Answers, *, submit: bool) -> Submission:
    # The bid first: of two saves at the same instant (two tabs), the second waits here, then
    # reads what the first stored and is refused if that was a submission.
    lock_parent(link.bid)
    stored = VendorLink.objects.get(pk=link.pk)
    if not links.working(stored):
        raise LinkClosed
    submission = current(link)
    if submission is not None and submission.status not in EDITABLE:
        raise Closed(submission)
    if submission is None:
        submission = Submission(status=SubmissionStatus.DRAFT)
    submission.bid = link.bid  # the same row, with its vendor and package already read
    before = history.snapshot(submission, PARTS) if submission.pk else {}
    for part in PARTS:
        setattr(submission, part, getattr(answers, part))
    submission.link = link
    if submit:
        submission.status = SubmissionStatus.SUBMITTED
        submission.submitted_at = timezone.now()
    submission.save()
    bid = link.bid
    # Named as the consultant's review names it: the vendor, the link (when it was issued and
    # by whom) and, once submitted, when and the receipt's reference.
    details = review.link_details(submission)
    if submit:
        details["reference"] = reference(submission)
    history.record(
        None,
        SubjectType.SUBMISSION,
        submission,
        Action.SUBMITTED if submit else Action.CHANGED,
        changes=history.field_changes(before, history.snapshot(submission, PARTS)),
        details=details,
        assessment=bid.package.assessment,
        subject_repr=f"{bid.vendor.name} → {bid.package.name}",
    )
    return submission


def reference(submission: Submission) -> str:
    """The receipt's reference of a submitted submission ("" before it is submitted): eight
    characters derived from the submission and the moment it was submitted, the same for the
    vendor and the consultant, another for each submission and each time it is submitted again,
    and not its database id."""
    if submission.submitted_at is None or submission.pk is None:
        return ""
    moments = (submission.created_at, submission.submitted_at)
    micros = [(moment - _EPOCH) // datetime.timedelta(microseconds=1) for moment in moments]
    seed = f"{submission.pk}:{submission.bid_id}:{micros[0]}:{micros[1]}"
    code = base64.b32encode(hashlib.sha256(seed.encode()).digest()).decode()[:8]
    return f"{code[:4]}-{code[4:]}"
