"""The consultant's side of the vendor links (SPEC 4.6, "Vendors answer by link"): on a package's
vendor page, each invited vendor's link and answer; issuing a link (copied, or mailed when a mail
server is set), revoking it, issuing another; reviewing what the vendor submitted beside what the
package holds of it, and accepting it into the bid or returning it with a comment.

The token is shown in the one response that issues it (never cached) and never again: only its
hash is stored (vendors/services/links.py). Who may do this: a consultant of the organisation, as
for entering quotes; everyone who sees the vendor page sees the links' and answers' states."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from assessments.models import Assessment, Package
from assessments.web.access import get_assessment_for_user, get_package_for_user
from outsourcing_advisor.accounts.models import person_name
from outsourcing_advisor.common.stamps import (
    atomic_post,
    changed_since,
    lock_parent,
    posted_stale,
    restamped,
    stamp,
    stored_moment,
)
from outsourcing_advisor.history import display as history_display
from outsourcing_advisor.history.models import SubjectType
from vendors.models import Bid, Submission, SubmissionStatus, VendorLink
from vendors.services import links, portal, review, sealing, selection
from vendors.web.access import get_bid_for_user, get_link_for_user, get_submission_for_user
from vendors.web.forms import QuoteForm
from vendors.web.link_forms import LinkForm, ReviewForm, contact_email, mail_configured

logger = logging.getLogger(__name__)

NONE, WORKING, EXPIRED, REVOKED = "none", "working", "expired", "revoked"


def _consultant(request: HttpRequest, pk: int) -> Assessment:
    """Links and reviews are the consultant's work, as quotes are (bid_views._consultant)."""
    assessment = get_assessment_for_user(request, pk, write=True)
    if not assessment.can_override:
        raise PermissionDenied
    return assessment


def _back(assessment: Assessment, package: Package, bid: Bid) -> HttpResponse:
    url = reverse("package_vendors", args=[assessment.pk, package.pk])
    return redirect(f"{url}#link-{bid.pk}")


def link_state(link: VendorLink | None, now: datetime.datetime | None = None) -> str:
    if link is None:
        return NONE
    if link.revoked_at is not None:
        return REVOKED
    return WORKING if link.expires_at > (now or timezone.now()) else EXPIRED


@dataclass(frozen=True)
class LinkRow:
    """An invited vendor on the vendor page: its newest link and state, its newest submission,
    and (for a consultant) the form that issues a link."""

    bid: Bid
    link: VendorLink | None
    state: str
    submission: Submission | None
    form: LinkForm | None


def link_rows(assessment: Assessment, package: Package, bids: list[Bid]) -> list[LinkRow]:
    """Each bid's row, in two queries whatever their number."""
    newest_link: dict[int, VendorLink] = {}
    for link in VendorLink.objects.filter(bid__package=package).order_by("-created_at", "-pk"):
        newest_link.setdefault(link.bid_id, link)
    newest: dict[int, Submission] = {}
    for submission in Submission.objects.filter(bid__package=package).order_by(
        "-created_at", "-pk"
    ):
        newest.setdefault(submission.bid_id, submission)
    mail, now = mail_configured(), timezone.now()
    rows = []
    for bid in bids:
        link = newest_link.get(bid.pk)
        form = None
        if assessment.can_override:
            initial = {"seen": _seen(link), "email": contact_email(bid.vendor.contacts)}
            form = LinkForm(prefix=f"link-{bid.pk}", mail=mail, initial=initial)
        rows.append(LinkRow(bid, link, link_state(link, now), newest.get(bid.pk), form))
    return rows


def context(assessment: Assessment, package: Package, bids: list[Bid]) -> dict[str, Any]:
    """What the vendor page's links section (vendors/_links.html) shows."""
    return {"link_rows": link_rows(assessment, package, bids), "max_days": links.MAX_DAYS}


def _seen(link: VendorLink | None) -> str:
    """The stamp of the links a page showed: the newest one's id."""
    return str(link.pk) if link else ""


@login_required
@require_POST
@never_cache
def bid_link_issue(request: HttpRequest, pk: int, package_pk: int, bid_pk: int) -> HttpResponse:
    """Issue a link (revoking the vendor's working one) and show it this once, with its expiry;
    mailed too when asked and a mail server is set. Refused when the page showed other links
    than there are now (a colleague issued one, or this page was reloaded)."""
    assessment = _consultant(request, pk)
    package = get_package_for_user(request, assessment, package_pk)
    bid = get_bid_for_user(request, package, bid_pk)
    bid.package = package
    form = LinkForm(request.POST, prefix=f"link-{bid.pk}", mail=mail_configured())
    if not form.is_valid():
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
        return _back(assessment, package, bid)
    issued = _issue(request, bid, form)
    if issued is None:
        return _back(assessment, package, bid)
    link, token = issued
    url = request.build_absolute_uri(reverse("vendor_portal", args=[token]))
    email = form.cleaned_data.get("email", "") if form.mailing else ""
    language = link.language
    context = {
        "assessment": assessment,
        "package": package,
        "bid": bid,
        "link": link,
        "url": url,
        "language_name": dict(form.fields["language"].choices).get(language, language),
        "email": email,
        "mailed": _mail(request, link, url, email) if email else None,
    }
    return render(request, "vendors/link_issued.html", context)


@transaction.atomic
def _issue(request: HttpRequest, bid: Bid, form: LinkForm) -> tuple[VendorLink, str] | None:
    """The new link and its token; None (with the message why) when the bid's newest link is
    not the one the page showed."""
    lock_parent(bid)  # two issues at once: the second waits, then finds the first's link
    if form.cleaned_data["seen"] != _seen(bid.links.order_by("-created_at", "-pk").first()):
        messages.error(
            request,
            _(
                "The links of %(vendor)s changed since the page was shown (a link was issued "
                "meanwhile): check them, then issue again if you still need to."
            )
            % {"vendor": bid.vendor.name},
        )
        return None
    days, language = form.cleaned_data["days"], form.cleaned_data["language"]
    return links.issue(bid, request.user, days=days, language=language)


def _mail(request: HttpRequest, link: VendorLink, url: str, email: str) -> bool:
    """The invitation as plain text, in the language of the vendor's page; whether it left."""
    bid = link.bid
    with translation.override(link.language):
        context = {
            "vendor": bid.vendor.name,
            "package": bid.package.name,
            "url": url,
            "expires": timezone.localtime(link.expires_at),
            "consultant": person_name(request.user),
            "consultant_email": getattr(request.user, "email", ""),
            "zone": timezone.get_current_timezone_name(),
        }
        subject = _("Request for your quote: %(package)s") % {"package": bid.package.name}
        body = render_to_string("vendors/link_mail.txt", context)
    try:
        send_mail(" ".join(subject.split()), body, None, [email])
    except OSError:  # smtplib's errors are OSErrors: the link stands, it can be copied
        logger.warning("A vendor link's invitation mail could not be sent.", exc_info=True)
        return False
    return True


@login_required
@require_POST
def bid_link_revoke(
    request: HttpRequest, pk: int, package_pk: int, bid_pk: int, link_pk: int
) -> HttpResponse:
    assessment = _consultant(request, pk)
    package = get_package_for_user(request, assessment, package_pk)
    bid = get_bid_for_user(request, package, bid_pk)
    links.revoke(get_link_for_user(request, bid, link_pk), request.user)
    messages.success(
        request,
        _("The link of %(vendor)s no longer works.") % {"vendor": bid.vendor.name},
    )
    return _back(assessment, package, bid)


# --- the review --------------------------------------------------------------------------------


@login_required
@atomic_post
def submission_review(
    request: HttpRequest, pk: int, package_pk: int, bid_pk: int, submission_pk: int
) -> HttpResponse:
    """A submission beside what the package holds of the vendor; accept it or return it with a
    comment (posted with `action`). Refused when the submission or the bid's quote changed
    since the page was shown: the page shows them anew. A consultant on the package's panel,
    still scoring blind, sees no submitted price, and so cannot accept it (as they cannot enter
    a quote); they can return it."""
    assessment = _consultant(request, pk)
    package = get_package_for_user(request, assessment, package_pk)
    bid = get_bid_for_user(request, package, bid_pk)
    submission = get_submission_for_user(request, bid, submission_pk)
    blind = not sealing.prices_shown(request.user, package)
    initial = {"seen": stamp(submission.updated_at), "seen_bid": stamp(bid.updated_at)}
    form = ReviewForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        lock_parent(bid)  # the parent first, then its submission
        if _stale(request, submission, bid):
            submission = get_submission_for_user(request, bid, submission_pk)
            bid = get_bid_for_user(request, package, bid_pk)
            form = _restamped(request, submission, bid)
        elif _decide(request, form, submission, bid, package, blind=blind):
            return _back(assessment, package, bid)
    context = _review_context(assessment, package, bid, submission, form, blind=blind)
    context["history"] = history_display.shown(
        _events(assessment, submission), assessment, request.user
    )
    return render(request, "vendors/submission_review.html", context)


def _stale(request: HttpRequest, submission: Submission, bid: Bid) -> bool:
    post = request.POST
    return posted_stale(post, stored_moment(submission)) or (
        "seen_bid" in post and changed_since(post["seen_bid"], stored_moment(bid))
    )


def _restamped(request: HttpRequest, submission: Submission, bid: Bid) -> ReviewForm:
    data = restamped(request.POST, stamp(submission.updated_at))
    data = restamped(data, stamp(bid.updated_at), "seen_bid")
    form = ReviewForm(data)
    form.is_valid()
    form.add_error(
        None,
        _(
            "The submission or the quote of %(vendor)s changed since the page was shown (the "
            "vendor, or a colleague): nothing was decided. Check what is below, then decide "
            "again."
        )
        % {"vendor": bid.vendor.name},
    )
    return form


def _decide(
    request: HttpRequest,
    form: ReviewForm,
    submission: Submission,
    bid: Bid,
    package: Package,
    *,
    blind: bool,
) -> bool:
    """Accept or return the submission; whether it was done (else the form says why not)."""
    name = {"vendor": bid.vendor.name}
    if blind and not form.returning:
        form.add_error(
            None,
            _(
                "You are on this package's evaluation panel and still score without prices: a "
                "consultant outside the panel accepts the submission (its quote becomes the "
                "bid's), or you do once the whole panel has submitted."
            ),
        )
        return False
    try:
        if form.returning:
            review.return_submission(submission, request.user, form.cleaned_data["comment"])
            messages.success(
                request,
                _(
                    "The submission of %(vendor)s is returned with your comment: the vendor "
                    "can change it and submit again."
                )
                % name,
            )
            return True
        problems = quote_problems(submission, bid, package)
        if problems:
            form.add_error(
                None,
                _("The submitted quote cannot be accepted: %(problems)s")
                % {"problems": " ".join(problems)},
            )
            return False
        review.accept(submission, request.user)
    except review.NotReviewable as refused:
        status = (
            SubmissionStatus(str(refused)).label
            if str(refused) in SubmissionStatus.values
            else refused
        )
        form.add_error(
            None,
            _("This submission is not waiting for review (it is: %(status)s). Nothing was done.")
            % {"status": status},
        )
        return False
    except ValidationError as error:
        form.add_error(
            None,
            _("The submission cannot be accepted: %(problems)s")
            % {"problems": " ".join(error.messages)},
        )
        return False
    messages.success(
        request,
        _(
            "The submission of %(vendor)s is accepted: its quote, security check, certifications "
            "and statements are now this package's record of the vendor."
        )
        % name,
    )
    reasons = selection.knockouts_of(bid)
    if reasons:
        messages.warning(
            request,
            _("The package's knock-outs exclude %(vendor)s: %(reasons)s.")
            % {"vendor": bid.vendor.name, "reasons": "; ".join(reasons)},
        )
    return True


def quote_problems(submission: Submission, bid: Bid, package: Package) -> list[str]:
    """What the rules of a quote typed in (QuoteForm) say of the submitted one; empty: fine."""
    values = review.quote_values(submission)
    data = {name: "" if value is None else str(value) for name, value in values.items()}
    form = QuoteForm(data, instance=Bid.objects.get(pk=bid.pk), staffing=package.is_staffing)
    if form.is_valid():
        return []
    return [
        f"{form.fields[name].label}: {message}" if name in form.fields else message
        for name, errors in form.errors.items()
        for message in errors
    ]


def _review_context(
    assessment: Assessment,
    package: Package,
    bid: Bid,
    submission: Submission,
    form: ReviewForm,
    *,
    blind: bool,
) -> dict[str, Any]:
    prefetch_related_objects([bid.vendor], "certifications", "security_checks")
    bid.package = package
    draft = submission.status == SubmissionStatus.DRAFT  # the vendor's until submitted
    waiting = submission.status == SubmissionStatus.SUBMITTED
    return {
        "assessment": assessment,
        "package": package,
        "bid": bid,
        "submission": submission,
        "link_state": link_state(submission.link),
        "link_by": _name(submission.link.created_by if submission.link else None),
        "reviewed_by": _name(submission.reviewed_by),
        "review": None if draft else review.review(submission, bid, selection.facts_of(package)),
        "contact": review.contact_of(submission),
        "reference": portal.reference(submission),  # as the vendor's receipt says it
        "quote_problems": quote_problems(submission, bid, package) if waiting and not blind else [],
        "waiting": waiting,
        "blind": blind,
        "form": form,
    }


def _events(assessment: Assessment, submission: Submission) -> Any:
    """The submission's own steps and its link's (issued, revoked), newest first."""
    return history_display.assessment_events(assessment).filter(
        Q(subject_type=SubjectType.SUBMISSION, subject_id=submission.pk)
        | Q(subject_type=SubjectType.VENDOR_LINK, subject_id=submission.link_id or 0)
    )


def _name(user: Any) -> str:
    return person_name(user) if user is not None else ""
