"""The vendor registry that no organisation can bend (issue 13): what each package evaluates of a
vendor, who may change a vendor, and the history of every change.

- **Held, not live.** A bid holds its vendor's registry entry as it stood when the vendor was
  accepted for the package (`Bid.registry`, taken by `Bid.invite`: services, certifications with
  their expiry, the answers of the security check). The package's knock-outs read what the bid
  holds (`held`), never the live registry, so an edit made for one organisation never changes
  another's ranking. A later edit shows on the package as a drift (`drift`) until a consultant
  of the package's organisation confirms it (`confirm`, recorded in its history).
- **Who may change a vendor** (`may_change`): site staff, and a consultant when every package
  that invited the vendor belongs to an organisation where they are a consultant (a vendor
  invited nowhere: any consultant). Any consultant may add a vendor.
- **Every change is recorded** (`save_vendor`, `delete_vendor`): one event on the vendor's own
  page (site-wide, no organisation) and one in the history of each assessment that invited it.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from assessments.domain.choices import Outcome
from assessments.models import Assessment
from outsourcing_advisor.accounts.models import Membership, Role
from outsourcing_advisor.common.wording import listing
from outsourcing_advisor.history.models import Action, SubjectType
from outsourcing_advisor.history.record import Change, event, field_changes, record, record_many
from vendors.domain import scoring
from vendors.models import (
    Bid,
    CertificationKind,
    SecurityItem,
    SecurityStatus,
    Vendor,
    parsed_registry_facts,
)

# The vendor's own fields, as its form edits them.
VENDOR_FIELDS = (
    "name",
    "corporate_number",
    "services",
    "industries",
    "locations",
    "track_record",
    "contacts",
    "notes",
)
STATUS = "security."  # + item: the item's answer
NOTE = "security_note."  # + item: what was found


# --- what a package evaluates ------------------------------------------------------------------


def held(bid: Bid) -> dict[str, Any]:
    """The registry entry the bid's package evaluates: the one it holds, else (nothing held) the
    registry as it is. Uses the bid's prefetched vendor."""
    return parsed_registry_facts(bid.registry) or bid.vendor.registry_facts()


def domain_facts(
    facts: Mapping[str, Any],
) -> tuple[frozenset[str], tuple[scoring.Certification, ...]]:
    """The services and certifications of held facts, as `scoring` reads them."""
    certifications = tuple(
        scoring.Certification(kind, _date(expires)) for kind, expires in facts["certifications"]
    )
    return frozenset(facts["services"]), certifications


def scoring_vendor(
    name: str,
    facts: Mapping[str, Any],
    evaluations: tuple[scoring.Evaluation, ...] = (),
    consensus: Mapping[str, int] | None = None,
) -> scoring.Vendor:
    """A vendor as `scoring` reads it: its name, and the services, certifications and licences,
    and security check answers of registry facts (held by a bid, or the registry's now); its
    evaluations and the panel's consensus scores (criterion -> score) when it is scored."""
    services, certifications = domain_facts(facts)
    return scoring.Vendor(
        name=name,
        services=services,
        certifications=certifications,
        evaluations=evaluations,
        security=dict(facts["security"]),
        consensus=dict(consensus or {}),
    )


def _date(text: str) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


def flat(facts: Mapping[str, Any]) -> dict[str, Any]:
    """Registry facts as named values, for `field_changes`."""
    values = {"services": facts["services"], "certifications": facts["certifications"]}
    for item in SecurityItem.values:
        values[STATUS + item] = facts["security"].get(item, SecurityStatus.UNKNOWN)
    return values


def drift(bid: Bid) -> list[Change]:
    """How the registry changed since the bid's package took what it evaluates (old: held, new:
    the registry now); empty when nothing is held. Uses the prefetched vendor."""
    facts = parsed_registry_facts(bid.registry)
    if facts is None:
        return []
    return field_changes(flat(facts), flat(bid.vendor.registry_facts()))


@transaction.atomic
def confirm(actor: Any, bid: Bid, assessment: Assessment) -> list[Change]:
    """The package evaluates the registry as it is now: the bid holds it, and the assessment's
    history says what changed. Leaves the bid's `updated_at` alone: it stamps the quote, which
    this does not change. Returns the changes (empty: nothing to confirm)."""
    vendor = Vendor.objects.prefetch_related("certifications", "security_checks").get(
        pk=bid.vendor_id
    )
    now = vendor.registry_facts()
    # As stored now, not as read before the caller locked the vendor: a confirmation made
    # meanwhile (another tab) is not recorded twice.
    stored_now = Bid.objects.filter(pk=bid.pk).values_list("registry", flat=True).first()
    before = parsed_registry_facts(stored_now)
    changes = field_changes(flat(before), flat(now)) if before else []
    Bid.objects.filter(pk=bid.pk).update(registry=now)
    bid.registry = now
    if changes or before is None:  # a second click on the same drift records nothing
        record(
            actor,
            SubjectType.REGISTRY,
            bid,
            Action.CONFIRMED,
            changes=changes,
            assessment=assessment,
        )
    return changes


# --- who may change a vendor ---------------------------------------------------------------------


def may_change(user: Any, vendor: Vendor) -> bool:
    """Staff always; a consultant when no package of an organisation where they are not a
    consultant has invited the vendor (one query). The answer says only that the vendor is in
    use elsewhere, never where."""
    if user.is_staff:
        return True
    theirs = Membership.objects.filter(user=user, role=Role.CONSULTANT).values("organisation")
    return not (
        Bid.objects.filter(vendor=vendor)
        .exclude(package__assessment__organisation__in=theirs)
        .exists()
    )


# --- every change, in the history ----------------------------------------------------------------


def entry(vendor: Vendor) -> dict[str, Any]:
    """Everything the registry's form edits of a saved vendor, as the history compares it."""
    values: dict[str, Any] = {name: getattr(vendor, name) for name in VENDOR_FIELDS}
    values["certifications"] = sorted(
        [c.kind, c.number, c.expires_on.isoformat() if c.expires_on else ""]
        for c in vendor.certifications.all()
    )
    checks = {check.item: check for check in vendor.security_checks.all()}
    for item in SecurityItem.values:
        check = checks.get(item)
        values[STATUS + item] = check.status if check else SecurityStatus.UNKNOWN
        values[NOTE + item] = check.note if check else ""
    return values


def blank_entry() -> dict[str, Any]:
    """`entry` of a vendor before it exists or once it is deleted: only what is set shows."""
    values: dict[str, Any] = {name: "" for name in VENDOR_FIELDS}
    values.update(services=[], certifications=[])
    for item in SecurityItem.values:
        values[STATUS + item] = SecurityStatus.UNKNOWN
        values[NOTE + item] = ""
    return values


def stored(pk: int) -> Vendor:
    """The vendor as stored now, with its certifications and checks."""
    return Vendor.objects.prefetch_related("certifications", "security_checks").get(pk=pk)


@transaction.atomic
def save_vendor(actor: Any, form: Any, certifications: Any, checks: Any) -> Vendor:
    """Save a vendor with its certifications and security check (the three valid forms of its
    page), all or none, and record what changed. Raises IntegrityError (nothing saved) when the
    name was taken meanwhile."""
    creating = form.instance.pk is None
    before = blank_entry() if creating else entry(stored(form.instance.pk))
    vendor = form.save()
    certifications.instance = vendor
    certifications.save()
    checks.save(vendor)
    after = entry(stored(vendor.pk))
    record_edit(actor, vendor, Action.CREATED if creating else Action.CHANGED, before, after)
    return vendor


@transaction.atomic
def delete_vendor(actor: Any, vendor: Vendor) -> None:
    """Delete a vendor no package invited (a bid protects its vendor), recorded."""
    before = entry(stored(vendor.pk))
    record_edit(actor, vendor, Action.DELETED, before, blank_entry())
    vendor.delete()


def record_edit(
    actor: Any, vendor: Vendor, action: Action, before: dict[str, Any], after: dict[str, Any]
) -> None:
    """One event on the vendor's page (site-wide) and one in each assessment that invited it,
    naming its packages there; an unchanged save records nothing. In an organisation the
    person is not a member of, the event names them but does not link their account, so that
    the organisation's export carries no one else's account (transfer exports the actors)."""
    changes = field_changes(before, after)
    if action == Action.CHANGED and not changes:
        return
    packages: dict[Assessment, list[str]] = {}
    invited = Bid.objects.filter(vendor=vendor, package__deleted_at__isnull=True)
    for bid in invited.select_related("package__assessment"):
        packages.setdefault(bid.package.assessment, []).append(bid.package.name)
    theirs = set(
        Membership.objects.filter(user_id=getattr(actor, "pk", None)).values_list(
            "organisation_id", flat=True
        )
    )
    events = [event(actor, SubjectType.VENDOR, vendor, action, changes=changes)]
    for assessment, names in packages.items():
        copy = event(
            actor,
            SubjectType.VENDOR,
            vendor,
            action,
            changes=changes,
            details={"packages": sorted(names)},
            assessment=assessment,
        )
        if assessment.organisation_id not in theirs:
            copy.actor = None  # actor_name still says who
        events.append(copy)
    record_many(events)


# --- in words ------------------------------------------------------------------------------------


def worded(change: Mapping[str, str]) -> tuple[str, str, str]:
    """(label, old, new) of a change of the registry, in the reader's language: a vendor's field,
    its certifications, a security item's answer or note."""
    name, old, new = change.get("field", ""), change.get("old", ""), change.get("new", "")
    items = dict(SecurityItem.choices)
    if name.startswith(STATUS) and name.removeprefix(STATUS) in items:
        label = _("%(item)s: status") % {"item": items[name.removeprefix(STATUS)]}
        return label, _status(old), _status(new)
    if name.startswith(NOTE) and name.removeprefix(NOTE) in items:
        label = _("%(item)s: note") % {"item": items[name.removeprefix(NOTE)]}
        return label, old or "—", new or "—"
    if name == "services":
        return _("Services"), _services(old), _services(new)
    if name == "certifications":
        return _("Certifications and licences"), _certifications(old), _certifications(new)
    if name in VENDOR_FIELDS:
        label = capfirst(str(getattr(Vendor._meta.get_field(name), "verbose_name", name)))
        return label, old or "—", new or "—"
    return name, old or "—", new or "—"


def _loaded(text: str) -> list[Any]:
    try:
        value = json.loads(text) if text else []
    except ValueError:
        return []
    return value if isinstance(value, list) else []


def _status(value: str) -> str:
    return str(SecurityStatus(value).label) if value in SecurityStatus.values else value or "—"


def _services(text: str) -> str:
    labels = dict(Outcome.choices)
    return listing([str(labels.get(str(key), key)) for key in _loaded(text)]) or "—"


def _certifications(text: str) -> str:
    """Each certification: its kind, its number if the history has it, and its expiry."""
    kinds = dict(CertificationKind.choices)
    words = []
    for held_one in _loaded(text):
        if not isinstance(held_one, list) or not held_one:
            continue
        kind, *number, expires = held_one if len(held_one) > 1 else [*held_one, ""]
        word = str(kinds.get(str(kind), kind))
        if number and number[0]:
            word += f" {number[0]}"
        if expires:
            word += " " + _("until %(date)s") % {"date": expires}
        words.append(word)
    return listing(words) or "—"
