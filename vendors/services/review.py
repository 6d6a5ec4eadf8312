"""A vendor's submission reviewed by a consultant (SPEC 4.6, "Vendors answer by link"): read side
by side with what the package holds of the vendor, then accepted into the bid or returned with a
comment. This module is the only owner of both: one transaction each, the bid locked first, every
step recorded in the assessment's history with the link the submission came from.

Accepting makes the submission the vendor's record *for this package*:
- the quote becomes the bid's quote, stamped with the package's scope as a quote typed in is
  (`bids.save_quote`, which records it as the quote's change);
- the security answers, the certifications and the licences become the registry entry the bid
  holds (`Bid.registry`, the shape `Vendor.registry_facts` writes, which the knock-outs read); the
  services offered stay as held, since a vendor does not answer them;
- the 告示37号 statements become the bid's (`Bid.statements`).
The site-wide registry does not change: other packages keep evaluating the entry they hold.

A submission is plain JSON written by the vendor's page (vendors/services/portal.py). It is read
here defensively: a value of another shape reads as not given, never as an error."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from assessments.domain import independence
from outsourcing_advisor.accounts.models import person_name
from outsourcing_advisor.common.stamps import lock_parent
from outsourcing_advisor.history import record as history
from outsourcing_advisor.history.models import Action, SubjectType
from vendors.domain import scoring
from vendors.models import (
    Bid,
    CertificationKind,
    PricingModel,
    SecurityItem,
    SecurityStatus,
    Submission,
    SubmissionStatus,
    validate_registry_facts,
)
from vendors.services import bids, registry, selection

# The quote's fields, as the bid and the vendor's quote name them (the consultant's QuoteForm).
QUOTE_FIELDS = (
    "pricing_model",
    "initial_fee",
    "monthly_fee",
    "unit_price",
    "annual_volume",
    "annual_volume_low",
    "annual_volume_high",
    "quote_note",
)
AMOUNT_FIELDS = frozenset(QUOTE_FIELDS[1:7])
MONEY_FIELDS = frozenset({"initial_fee", "monthly_fee", "unit_price"})
STATEMENT = "statement."  # + item: the vendor's 告示37号 answer, as the history names it

# How a row of the review compares the submission with what the package holds.
SAME, CHANGED, ADDED, MISSING = "same", "changed", "added", "missing"


class NotReviewable(Exception):
    """Only a submitted submission can be accepted or returned (a draft is the vendor's, an
    accepted or returned one was reviewed already)."""


# --- reading a submission ---------------------------------------------------------------------


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def amount(raw: Any) -> Decimal | None:
    """A number the vendor gave (text or number; thousands separators allowed), None if none."""
    if raw is None or isinstance(raw, bool) or raw == "":
        return None
    try:
        value = Decimal(str(raw).replace(",", "").strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def quote_values(submission: Submission) -> dict[str, Any]:
    """The submitted quote by the bid's field names: Decimal amounts (None: not given), the
    pricing model's key and the note as text."""
    given = _dict(submission.quote)
    values: dict[str, Any] = {}
    for name in QUOTE_FIELDS:
        raw = given.get(name)
        if name in AMOUNT_FIELDS:
            values[name] = amount(raw)
        else:
            values[name] = raw.strip() if isinstance(raw, str) else ""
    return values


@dataclass(frozen=True)
class Held:
    """A certification or licence: its kind, number and expiry (None: none)."""

    kind: str
    number: str
    expires_on: datetime.date | None

    @property
    def label(self) -> str:
        return str(CertificationKind(self.kind).label)

    def valid(self, on: datetime.date) -> bool:
        return self.expires_on is None or self.expires_on >= on


def _date(raw: Any) -> datetime.date | None:
    if isinstance(raw, datetime.date):
        return raw
    if not isinstance(raw, str) or not raw:
        return None
    try:
        return datetime.date.fromisoformat(raw[:10])
    except ValueError:
        return None


def certifications_of(submission: Submission) -> list[Held]:
    """The certifications and licences the vendor listed, of the kinds the registry knows."""
    given = submission.certifications if isinstance(submission.certifications, list) else []
    found = []
    for entry in given:
        if not isinstance(entry, dict) or entry.get("kind") not in CertificationKind.values:
            continue
        number = entry.get("number")
        found.append(
            Held(
                str(entry["kind"]),
                number.strip() if isinstance(number, str) else "",
                _date(entry.get("expires_on")),
            )
        )
    return sorted(found, key=lambda c: (CertificationKind.values.index(c.kind), c.number))


def security_of(submission: Submission) -> dict[str, tuple[str, str]]:
    """Each item of the security check: (status, note); "unknown" for an item not answered."""
    given = _dict(submission.security)
    found = {}
    for item in SecurityItem.values:
        entry = _dict(given.get(item))
        status, note = entry.get("status"), entry.get("note")
        found[item] = (
            status if status in SecurityStatus.values else SecurityStatus.UNKNOWN,
            note.strip() if isinstance(note, str) else "",
        )
    return found


def statements_of(submission: Submission) -> dict[str, str]:
    """The vendor's 告示37号 statements: known items answered yes or no, in checklist order."""
    return independence.cleaned(_dict(submission.statements))


def contact_of(submission: Submission) -> dict[str, str]:
    given = _dict(submission.contact)
    return {
        key: given[key].strip() if isinstance(given.get(key), str) else ""
        for key in ("name", "email", "phone")
    }


def facts_of(submission: Submission, bid: Bid) -> dict[str, Any]:
    """The registry entry the bid will hold once the submission is accepted, in the shape
    `Vendor.registry_facts` writes: the services as held now, the submitted certifications and
    licences (kind and expiry) and security answers. Uses the bid's prefetched vendor."""
    held = registry.held(bid)
    answers = security_of(submission)
    return {
        "services": sorted(held["services"]),
        "certifications": sorted(
            [c.kind, c.expires_on.isoformat() if c.expires_on else ""]
            for c in certifications_of(submission)
        ),
        "security": {item: answers[item][0] for item in SecurityItem.values},
    }


def link_details(submission: Submission) -> dict[str, Any]:
    """Which link a submission came from, for the history: when it was issued and by whom
    (words, not ids: a link is not exported with the organisation)."""
    details: dict[str, Any] = {"vendor": submission.bid.vendor.name}
    link = submission.link
    if link is not None:
        details["link_issued"] = link.created_at.isoformat()
        if link.created_by is not None:
            details["link_by"] = person_name(link.created_by)[:150]
    if submission.submitted_at is not None:
        details["submitted"] = submission.submitted_at.isoformat()
    return details


# --- the review, side by side -----------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One line of the review: what the package holds now and what the vendor submitted."""

    label: str
    current: Any
    submitted: Any
    state: str  # SAME, CHANGED, ADDED (only submitted), MISSING (only held)
    kind: str = "text"  # how the page shows the values: money, number or text
    current_note: str = ""
    submitted_note: str = ""
    warning: str = ""  # what the submitted value means for the package (expired, against…)


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def state(current: Any, submitted: Any) -> str:
    if _empty(current) and _empty(submitted):
        return SAME
    if _empty(current):
        return ADDED
    if _empty(submitted):
        return MISSING
    return SAME if current == submitted else CHANGED


def quote_rows(submission: Submission, bid: Bid) -> list[Row]:
    """The bid's quote now against the submitted one, field by field."""
    submitted = quote_values(submission)
    pricing = dict(PricingModel.choices)
    rows = []
    for name in QUOTE_FIELDS:
        label = capfirst(str(Bid._meta.get_field(name).verbose_name))
        current, given = getattr(bid, name), submitted[name]
        if name == "pricing_model":
            rows.append(
                Row(
                    label,
                    str(pricing.get(current, current)),
                    str(pricing.get(given, given)),
                    state(current, given),
                )
            )
            continue
        kind = "money" if name in MONEY_FIELDS else "number" if name in AMOUNT_FIELDS else "text"
        rows.append(Row(label, current, given, state(current, given), kind))
    return rows


def _status_label(status: str) -> str:
    return str(SecurityStatus(status).label) if status in SecurityStatus.values else status


def security_rows(submission: Submission, bid: Bid, *, sensitive: bool) -> list[Row]:
    """Each item of the security check as the package holds it against the vendor's answer.
    `sensitive`: the package holds confidential or personal data, where "not met" excludes."""
    held = registry.held(bid)["security"]
    notes = {check.item: check.note for check in bid.vendor.security_checks.all()}
    answers = security_of(submission)
    rows = []
    for item, label in SecurityItem.choices:
        current = held.get(item, SecurityStatus.UNKNOWN)
        given, note = answers[item]
        warning = ""
        if sensitive and given == SecurityStatus.NOT_MET:
            warning = _("Excludes the vendor from a package with confidential or personal data.")
        rows.append(
            Row(
                str(label),
                _status_label(current),
                _status_label(given),
                SAME if current == given else CHANGED,
                current_note=notes.get(item, ""),
                submitted_note=note,
                warning=warning,
            )
        )
    return rows


def _held_text(number: str, expires: datetime.date | None) -> str:
    until = _("until %(date)s") % {"date": expires.isoformat()} if expires else _("no expiry")
    return f"{number} ({until})" if number else until


def certification_rows(submission: Submission, bid: Bid, *, on: datetime.date) -> list[Row]:
    """Kind by kind, what the package holds (its expiry; the number as the registry has it)
    against what the vendor listed. A kind held several times pairs in order of expiry."""
    numbers = {
        (c.kind, c.expires_on.isoformat() if c.expires_on else ""): c.number
        for c in bid.vendor.certifications.all()
    }
    held: dict[str, list[Held]] = {}
    for kind, expires in registry.held(bid)["certifications"]:
        held.setdefault(kind, []).append(
            Held(kind, numbers.get((kind, expires), ""), _date(expires))
        )
    given: dict[str, list[Held]] = {}
    for c in certifications_of(submission):
        given.setdefault(c.kind, []).append(c)
    rows = []
    for kind, label in CertificationKind.choices:
        mine, theirs = held.get(kind, []), given.get(kind, [])
        for n in range(max(len(mine), len(theirs))):
            old = mine[n] if n < len(mine) else None
            new = theirs[n] if n < len(theirs) else None
            rows.append(_certification_row(str(label), old, new, on))
    return rows


def _certification_row(label: str, old: Held | None, new: Held | None, on: datetime.date) -> Row:
    if old is None or new is None:
        found = ADDED if old is None else MISSING
    else:
        same_number = not old.number or old.number == new.number
        found = SAME if old.expires_on == new.expires_on and same_number else CHANGED
    warning = _("Expired") if new is not None and not new.valid(on) else ""
    return Row(
        label,
        _held_text(old.number, old.expires_on) if old else "",
        _held_text(new.number, new.expires_on) if new else "",
        found,
        warning=warning,
    )


def _answer(value: str | None) -> str:
    if value == independence.YES:
        return pgettext("answer", "Yes")
    if value == independence.NO:
        return pgettext("answer", "No")
    return ""


def statement_rows(submission: Submission, bid: Bid) -> list[Row]:
    """Each 告示37号 statement as accepted before (the bid's) against the vendor's answer now;
    an answer against the vendor's independence is pointed out."""
    submitted = statements_of(submission)
    accepted = independence.cleaned(_dict(bid.statements))
    rows = []
    for item in independence.ITEMS:
        current, given = accepted.get(item.key), submitted.get(item.key)
        warning = str(item.risk) if given is not None and given != item.safe else ""
        rows.append(
            Row(
                str(item.text),
                _answer(current),
                _answer(given),
                state(current, given),
                warning=warning,
            )
        )
    return rows


@dataclass(frozen=True)
class Review:
    quote: list[Row]
    security: list[Row]
    certifications: list[Row]
    statements: list[Row]
    knockouts: list[str]  # what the package's knock-outs would say once it is accepted

    @property
    def changes(self) -> int:
        rows = [*self.quote, *self.security, *self.certifications, *self.statements]
        return sum(row.state != SAME for row in rows)


def review(
    submission: Submission, bid: Bid, facts: scoring.Package, *, on: datetime.date | None = None
) -> Review:
    """The submission side by side with what the package holds of the vendor (the bid with its
    prefetched vendor), and the knock-outs of `facts` (the package's) on the submitted entry."""
    day = on or timezone.localdate()
    judged = registry.scoring_vendor(bid.vendor.name, facts_of(submission, bid))
    return Review(
        quote=quote_rows(submission, bid),
        security=security_rows(submission, bid, sensitive=facts.sensitive),
        certifications=certification_rows(submission, bid, on=day),
        statements=statement_rows(submission, bid),
        knockouts=selection.knockouts_words(scoring.exclusions(judged, facts, on=day)),
    )


# --- the state changes ------------------------------------------------------------------------


def _locked(submission: Submission) -> Submission:
    """The bid locked first (the parent before its children, as everywhere), then the
    submission as stored now, which must be waiting for review."""
    lock_parent(submission.bid)
    stored = Submission.objects.select_for_update(of=("self",)).get(pk=submission.pk)
    if stored.status != SubmissionStatus.SUBMITTED:
        raise NotReviewable(stored.status)
    return stored


@transaction.atomic
def accept(submission: Submission, user: Any) -> Submission:
    """The submission becomes the vendor's record for its package (see the module's docstring):
    the bid's quote (recorded as the quote's change), the registry entry the bid holds and the
    bid's 告示37号 statements; the submission is accepted. Recorded with what changed of the
    entry and the statements, and the link it came from. Raises NotReviewable unless the
    submission is waiting for review, ValidationError when its values do not fit the bid."""
    bid = submission.bid
    stored = _locked(submission)
    bid = (
        Bid.objects.select_related("vendor", "package__assessment")
        .prefetch_related("vendor__certifications", "vendor__security_checks")
        .get(pk=bid.pk)
    )
    stored.bid = bid
    before_quote = history.snapshot(bid, QUOTE_FIELDS)
    before = {
        **registry.flat(registry.held(bid)),
        **statement_values(independence.cleaned(_dict(bid.statements))),
    }
    facts = facts_of(stored, bid)
    validate_registry_facts(facts)
    statements = statements_of(stored)
    for name, value in quote_values(stored).items():
        setattr(bid, name, value)
    bid.registry, bid.statements = facts, statements
    bid.full_clean(exclude=["package", "vendor"], validate_unique=False)
    assessment = bid.package.assessment
    bids.save_quote(user, bid, before_quote, assessment)  # stamps the scope, saves, records
    stored.status = SubmissionStatus.ACCEPTED
    stored.reviewed_by, stored.reviewed_at = user, timezone.now()
    stored.review_comment = ""
    stored.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment"])
    after = {**registry.flat(facts), **statement_values(statements)}
    history.record(
        user,
        SubjectType.SUBMISSION,
        stored,
        Action.ACCEPTED,
        changes=history.field_changes(before, after),
        details=link_details(stored),
        assessment=assessment,
        subject_repr=f"{bid.vendor.name} → {bid.package.name}",
    )
    return stored


@transaction.atomic
def return_submission(submission: Submission, user: Any, comment: str) -> Submission:
    """Back to the vendor with a comment (required): the vendor can edit it and submit again.
    Nothing of the bid changes. Recorded with the comment and the link it came from."""
    comment = comment.strip()
    if not comment:
        raise ValueError("a returned submission needs a comment")
    stored = _locked(submission)
    bid = Bid.objects.select_related("vendor", "package__assessment").get(pk=stored.bid_id)
    stored.bid = bid
    stored.status = SubmissionStatus.RETURNED
    stored.reviewed_by, stored.reviewed_at = user, timezone.now()
    stored.review_comment = comment
    stored.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment"])
    history.record(
        user,
        SubjectType.SUBMISSION,
        stored,
        Action.RETURNED,
        details={**link_details(stored), "comment": comment[:2000]},
        assessment=bid.package.assessment,
        subject_repr=f"{bid.vendor.name} → {bid.package.name}",
    )
    return stored


def statement_values(statements: Mapping[str, str]) -> dict[str, str]:
    """The statements as named values, for `field_changes` (every item, "" for none)."""
    return {STATEMENT + key: statements.get(key, "") for key in independence.KEYS}
