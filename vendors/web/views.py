"""The vendor registry in the browser: the list, a vendor's page, and the form that edits a vendor
with its certifications and security check in one go (SPEC 4.6). Consultants only: everyone else
gets 404 on every URL here (see vendors.web.access). Who may change a vendor invited by several
organisations, and the history of every change: vendors.services.registry."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from outsourcing_advisor.common.stamps import (
    atomic_post,
    conflict_message,
    differences,
    restamped,
    stamp,
    stored_values,
)
from outsourcing_advisor.history import display as history_display
from outsourcing_advisor.history.models import Event, SubjectType
from vendors.models import (
    Certification,
    CertificationKind,
    SecurityCheck,
    SecurityItem,
    SecurityStatus,
    Vendor,
)
from vendors.services import registry
from vendors.web.access import get_registry_for_user, get_vendor_for_user
from vendors.web.forms import CertificationFormSet, SecurityCheckForm, VendorForm

KIND_ORDER = {kind: index for index, kind in enumerate(CertificationKind.values)}


@dataclass(frozen=True)
class HeldCertification:
    certification: Certification
    valid: bool  # an expired certification counts as missing


@dataclass(frozen=True)
class VendorFacts:
    """A vendor as the registry shows it, from its prefetched certifications and checks."""

    vendor: Vendor
    certifications: list[HeldCertification]
    checks: list[tuple[str, SecurityCheck | None]]  # each of the five items, in order

    @classmethod
    def of(cls, vendor: Vendor, today: datetime.date) -> VendorFacts:
        held = sorted(
            vendor.certifications.all(),
            key=lambda c: (KIND_ORDER.get(c.kind, 0), c.expires_on or datetime.date.max),
        )
        found = {check.item: check for check in vendor.security_checks.all()}
        return cls(
            vendor,
            [HeldCertification(c, c.is_valid(today)) for c in held],
            [(str(label), found.get(item)) for item, label in SecurityItem.choices],
        )

    @property
    def met(self) -> int:
        return sum(1 for _label, c in self.checks if c and c.status == SecurityStatus.MET)

    @property
    def total(self) -> int:
        return len(self.checks)


@login_required
def vendor_list(request: HttpRequest) -> HttpResponse:
    """Every vendor with its services, certifications, locations and security check; a fixed
    number of queries however many vendors there are."""
    vendors = get_registry_for_user(request).prefetch_related("certifications", "security_checks")
    search = request.GET.get("q", "").strip()
    if search:
        vendors = vendors.filter(name__icontains=search)
    today = timezone.localdate()
    context = {"rows": [VendorFacts.of(v, today) for v in vendors], "search": search}
    return render(request, "vendors/vendor_list.html", context)


@login_required
def vendor_detail(request: HttpRequest, vendor_pk: int) -> HttpResponse:
    vendor = get_vendor_for_user(request, vendor_pk)
    facts = VendorFacts.of(vendor, timezone.localdate())
    # The registry's own record of the vendor: the site-wide events, not the assessments' copies.
    events = Event.objects.filter(
        subject_type=SubjectType.VENDOR, subject_id=vendor.pk, organisation__isnull=True
    )
    context = {
        "vendor": vendor,
        "facts": facts,
        "may_change": registry.may_change(request.user, vendor),
        "history": history_display.rows(events[:50]),
    }
    return render(request, "vendors/vendor_detail.html", context)


@login_required
@atomic_post
def vendor_create(request: HttpRequest) -> HttpResponse:
    get_registry_for_user(request)
    return _vendor_form(request, Vendor())


@login_required
@atomic_post
def vendor_edit(request: HttpRequest, vendor_pk: int) -> HttpResponse:
    return _vendor_form(request, get_vendor_for_user(request, vendor_pk, write=True))


def _vendor_form(request: HttpRequest, vendor: Vendor) -> HttpResponse:
    """The vendor, its certifications and its security check: all saved, or none of it; over
    someone else's newer save, none of it, with what they changed (the vendor's row is locked
    from the check to the save, see `atomic_post`)."""
    creating, name = vendor.pk is None, vendor.name  # the name as saved, for the heading
    data = request.POST if request.method == "POST" else None
    form = VendorForm(data, instance=vendor)
    certifications = CertificationFormSet(data, instance=vendor, prefix="certifications")
    checks = SecurityCheckForm(data, vendor=vendor, prefix="security")
    valid = data is not None and all(
        [form.is_valid(), certifications.is_valid(), checks.is_valid()]
    )
    # Checked first: a page read before someone else's save may no longer fit the vendor (a
    # certification they removed), and is refused for that reason, not as an error of the user.
    if data is not None and "seen" in form.cleaned_data and form.is_stale():
        form, certifications, checks = _refused(form, certifications, checks)
    elif valid:
        try:
            vendor = registry.save_vendor(request.user, form, certifications, checks)
        except IntegrityError:  # the same name saved by someone else a moment ago
            form.add_error("name", _("This name was just taken by another vendor."))
        else:
            messages.success(request, _("“%(name)s” saved.") % {"name": vendor.name})
            return redirect("vendor_detail", vendor_pk=vendor.pk)
    context = {
        "form": form,
        "certifications": certifications,
        "checks": checks,
        "vendor": None if creating else vendor,
        "name": name,
        "failed": data is not None,
    }
    return render(request, "vendors/vendor_form.html", context)


def _refused(
    form: VendorForm, certifications: Any, checks: SecurityCheckForm
) -> tuple[VendorForm, Any, SecurityCheckForm]:
    """The page again after a save over someone else's newer one: the posted input, stamped
    with what is stored now (saving again replaces it), and what they changed."""
    current = registry.stored(form.instance.pk)
    now = registry.entry(current)
    plain = [name for name in form.fields if name not in ("seen", "services")]
    changes = differences(form, stored_values(current, plain), form.cleaned_data)
    posted = {
        "services": form.cleaned_data.get("services", []),
        "certifications": sorted(
            [
                row["kind"],
                row.get("number", ""),
                row["expires_on"].isoformat() if row.get("expires_on") else "",
            ]
            for row in (f.cleaned_data for f in certifications.forms)
            if row.get("kind") and not row.get("DELETE")
        ),
    }
    for name, yours in posted.items():
        if sorted(yours) != sorted(now[name]):
            label, theirs, mine = registry.worded(
                {"field": name, "old": json.dumps(now[name]), "new": json.dumps(yours)}
            )
            changes.append(
                _("%(label)s: now “%(theirs)s” (yours: “%(yours)s”)")
                % {"label": label, "theirs": theirs, "yours": mine}
            )
    # The security check as stored, in the form's own terms (item-status, item-note).
    checks_stored = {
        f"{item}-{part}": now[prefix + item]
        for item in SecurityItem.values
        for part, prefix in (("status", registry.STATUS), ("note", registry.NOTE))
    }
    changes += differences(checks, checks_stored, checks.cleaned_data)
    data = _rebased(restamped(cast(QueryDict, form.data), stamp(current.updated_at)), current)
    again = VendorForm(data, instance=current)
    again.is_valid()
    what = _("the vendor %(name)s") % {"name": current.name}
    again.add_error(None, conflict_message(what, changes))
    certifications = CertificationFormSet(data, instance=current, prefix="certifications")
    certifications.is_valid()
    checks = SecurityCheckForm(data, vendor=current, prefix="security")
    checks.is_valid()
    return again, certifications, checks


CERTIFICATION_INPUTS = ("id", "vendor", "kind", "number", "expires_on", "DELETE")


def _rebased(data: QueryDict, current: Vendor) -> QueryDict:
    """The posted certifications against what is stored now: a row someone else removed
    meanwhile comes back as a new row (saving again keeps it), so that the page can be saved
    again; one the user removed stays removed."""
    prefix = "certifications"
    try:
        total = min(int(data.get(f"{prefix}-TOTAL_FORMS", "")), CertificationFormSet.absolute_max)
    except ValueError:
        return data  # not the page's own post: the formset says what is wrong
    stored_ids = {str(pk) for pk in current.certifications.values_list("pk", flat=True)}
    rows = [
        {name: data.get(f"{prefix}-{n}-{name}") for name in CERTIFICATION_INPUTS}
        for n in range(total)
    ]
    kept = [row for row in rows if row["id"] in stored_ids]  # saved rows come first
    readded = [{**row, "id": None} for row in rows if row["id"] not in stored_ids]
    restored = kept + [row for row in readded if not row["DELETE"]]
    rebased = data.copy()
    for n in range(total):
        for name in CERTIFICATION_INPUTS:
            rebased.pop(f"{prefix}-{n}-{name}", None)
    for n, row in enumerate(restored):
        for name, value in row.items():
            if value is not None:
                rebased[f"{prefix}-{n}-{name}"] = value
    rebased[f"{prefix}-TOTAL_FORMS"] = str(len(restored))
    rebased[f"{prefix}-INITIAL_FORMS"] = str(len(kept))
    return rebased
