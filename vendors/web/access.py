"""Access to the vendor registry: every query starts from `Vendor.objects.for_user`.

The registry is the site's and only consultants (and staff) see it. Anyone else gets 404 on every
registry URL, the list and the new-vendor form included: like an outsider on an assessment, a
manager or viewer learns nothing, not even that the registry exists.

Changing a vendor that packages of other organisations invited is site staff's (see
vendors.services.registry.may_change): a consultant gets 403 on its edit page."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models.query import EmptyQuerySet
from django.http import Http404, HttpRequest

from assessments.models import Package
from vendors.models import Bid, Submission, Vendor, VendorLink, VendorQuerySet
from vendors.services import registry


def can_see_registry(user: Any) -> bool:
    """One query at most (staff need none); `for_user` answers `none()` to everyone else."""
    if not user.is_authenticated:
        return False
    return not isinstance(Vendor.objects.for_user(user), EmptyQuerySet)


def get_registry_for_user(request: HttpRequest) -> VendorQuerySet:
    """The whole registry, or 404 for anyone who may not see it."""
    vendors = Vendor.objects.for_user(request.user)
    if isinstance(vendors, EmptyQuerySet):
        raise Http404
    return vendors


def get_vendor_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> Vendor:
    """A vendor of the registry (404 for anyone who may not see it); to change it, 403 unless
    `registry.may_change`."""
    vendor = (
        Vendor.objects.for_user(request.user)
        .prefetch_related("certifications", "security_checks")
        .filter(pk=pk)
        .first()
    )
    if vendor is None:
        raise Http404
    if write and not registry.may_change(request.user, vendor):
        raise PermissionDenied
    return vendor


def get_bid_for_user(request: HttpRequest, package: Package, pk: int) -> Bid:
    """A bid of a package already fetched through `get_package_for_user`."""
    bid = Bid.objects.select_related("vendor").filter(package=package, pk=pk).first()
    if bid is None:
        raise Http404
    return bid


def get_link_for_user(request: HttpRequest, bid: Bid, pk: int) -> VendorLink:
    """A link of a bid already fetched through `get_bid_for_user`."""
    link = VendorLink.objects.filter(bid=bid, pk=pk).first()
    if link is None:
        raise Http404
    return link


def get_submission_for_user(request: HttpRequest, bid: Bid, pk: int) -> Submission:
    """A submission of a bid already fetched through `get_bid_for_user`, with its link."""
    submission = (
        Submission.objects.select_related("link__created_by", "reviewed_by")
        .filter(bid=bid, pk=pk)
        .first()
    )
    if submission is None:
        raise Http404
    submission.bid = bid
    return submission
