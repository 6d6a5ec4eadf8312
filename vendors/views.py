"""The vendor registry in the browser: the list, a vendor's page, and the form that edits a vendor
with its certifications and security check in one go (SPEC 4.6). Consultants only: everyone else
gets 404 on every URL here (see vendors.access)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from vendors.access import get_registry_for_user, get_vendor_for_user
from vendors.forms import CertificationFormSet, SecurityCheckForm, VendorForm
from vendors.models import (
    Certification,
    CertificationKind,
    SecurityCheck,
    SecurityItem,
    SecurityStatus,
    Vendor,
)

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
    return render(request, "vendors/vendor_detail.html", {"vendor": vendor, "facts": facts})


@login_required
def vendor_create(request: HttpRequest) -> HttpResponse:
    get_registry_for_user(request)
    return _vendor_form(request, Vendor())


@login_required
def vendor_edit(request: HttpRequest, vendor_pk: int) -> HttpResponse:
    return _vendor_form(request, get_vendor_for_user(request, vendor_pk))


def _vendor_form(request: HttpRequest, vendor: Vendor) -> HttpResponse:
    """The vendor, its certifications and its security check: all saved, or none of it."""
    creating, name = vendor.pk is None, vendor.name  # the name as saved, for the heading
    data = request.POST if request.method == "POST" else None
    form = VendorForm(data, instance=vendor)
    certifications = CertificationFormSet(data, instance=vendor, prefix="certifications")
    checks = SecurityCheckForm(data, vendor=vendor, prefix="security")
    if data is not None and all([form.is_valid(), certifications.is_valid(), checks.is_valid()]):
        try:
            with transaction.atomic():
                vendor = form.save()
                certifications.instance = vendor
                certifications.save()
                checks.save(vendor)
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
