"""Vendor links (SPEC 4.6): a consultant issues one to an invited vendor, who answers through it
without an account. This module is the only one that makes, finds or revokes a link.

The token is 256 bits from `secrets`, shown once when it is issued and stored only as its
SHA-256. A link is found by the hash of the token presented, then compared in constant time; an
unknown, expired or revoked token finds nothing, and the caller answers all three with the same
plain 404. Every object the vendor's page touches is reached from the link it returns."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from outsourcing_advisor.common.stamps import lock_parent
from outsourcing_advisor.history import record as history
from outsourcing_advisor.history.models import Action, SubjectType
from vendors.models import Bid, VendorLink

DEFAULT_DAYS = 14
MAX_DAYS = 90
TOKEN_BYTES = 32  # 256 bits; SPEC asks for at least 128
# A token as it appears in a URL: token_urlsafe(32) gives 43 characters of [A-Za-z0-9_-].
TOKEN_LENGTH = 43


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def issue(
    bid: Bid, user: Any, *, days: int = DEFAULT_DAYS, language: str = "ja"
) -> tuple[VendorLink, str]:
    """A new link for the bid, valid `days` days: (the link, its token). The bid's earlier links
    that still work are revoked: a vendor has one working link at a time. Recorded."""
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"a link lasts 1 to {MAX_DAYS} days (got {days})")
    # Two consultants issuing at once: the second waits, then revokes the first's link, so the
    # bid never has two working links.
    lock_parent(bid)
    now = timezone.now()
    for earlier in bid.links.filter(revoked_at__isnull=True, expires_at__gt=now):
        _revoke(earlier, user, now)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    link = VendorLink.objects.create(
        bid=bid,
        token_hash=digest(token),
        created_by=user,
        expires_at=now + datetime.timedelta(days=days),
        language=language,
    )
    history.record(
        user,
        SubjectType.VENDOR_LINK,
        link,
        Action.ISSUED,
        details={"vendor": bid.vendor.name, "expires": link.expires_at.isoformat()},
        assessment=bid.package.assessment,
        subject_repr=f"{bid.vendor.name} → {bid.package.name}",
    )
    return link, token


@transaction.atomic
def revoke(link: VendorLink, user: Any) -> None:
    """The link stops working now (nothing when it already has). Recorded."""
    locked = VendorLink.objects.select_for_update().get(pk=link.pk)
    if locked.revoked_at is None:
        _revoke(locked, user, timezone.now())
    link.refresh_from_db()


def _revoke(link: VendorLink, user: Any, now: datetime.datetime) -> None:
    link.revoked_at, link.revoked_by = now, user
    link.save(update_fields=["revoked_at", "revoked_by"])
    bid = link.bid
    history.record(
        user,
        SubjectType.VENDOR_LINK,
        link,
        Action.REVOKED,
        details={"vendor": bid.vendor.name},
        assessment=bid.package.assessment,
        subject_repr=f"{bid.vendor.name} → {bid.package.name}",
    )


def find(token: str) -> VendorLink | None:
    """The working link of a token: None when it is malformed, unknown, expired or revoked, or
    its package is in the trash (the caller answers each the same way; restored, the package's
    links work again until they expire). The bid, its vendor, package and assessment come with
    it, so the vendor's page needs no other lookup."""
    if len(token) != TOKEN_LENGTH or not all(c.isalnum() or c in "-_" for c in token):
        return None
    hashed = digest(token)
    link = (
        VendorLink.objects.select_related("bid__vendor", "bid__package__assessment__organisation")
        .filter(token_hash=hashed)
        .first()
    )
    if link is None or not hmac.compare_digest(link.token_hash, hashed):
        return None
    if link.revoked_at is not None or link.expires_at <= timezone.now():
        return None
    if link.bid.package.deleted_at is not None:
        return None
    return link


def working(link: VendorLink) -> bool:
    return link.revoked_at is None and link.expires_at > timezone.now()
