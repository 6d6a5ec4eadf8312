"""The vendor's page behind its link (SPEC 4.6, "Vendors answer by link"): outside the signed-in
area, without an account or a session. The vendor reads the package's request, answers, saves a
draft and comes back, submits, and gets a receipt.

This is a door to the outside, so every page goes through `portal_page`: a limit of requests
per address (vendors/web/throttle.py), the same plain 404 for a token that is unknown, expired,
revoked or malformed, and headers that keep the token (in the URL) out of other sites'
referrers, caches and search engines. The app's Content-Security-Policy applies as everywhere.
Everything a page shows or changes is found from the link (`portal_link`); the forms carry no
id."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments.domain import inventory
from outsourcing_advisor.common.wording import language_codes
from vendors.models import Submission, SubmissionStatus, VendorLink
from vendors.services import links, portal
from vendors.web import throttle
from vendors.web.portal_brief import brief
from vendors.web.portal_forms import VendorAnswers, readable

# The vendor's own choice of language: a cookie of these pages only, never the session's.
LANGUAGE_COOKIE = "vendor_language"
LANGUAGE_COOKIE_AGE = 90 * 24 * 60 * 60
REFERRER_POLICY = "same-origin"


def portal_link(token: str) -> VendorLink:
    """The working link of the token, with its bid, vendor, package and organisation; Http404
    for any other token, whatever the reason."""
    link = links.find(token)
    if link is None:
        raise Http404
    return link


def portal_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page of the vendor's door: limited per address, a plain 404 (counted as a miss) for a
    token that finds no link, and never cached, indexed or sent on as a referrer."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        wait = throttle.limited(request)
        if wait:
            response = _plain(request, "portal/429.html", 429)
            response["Retry-After"] = str(wait)
        else:
            try:
                response = view(request, *args, **kwargs)
            except Http404:
                throttle.missed(request)
                response = _plain(request, "portal/404.html", 404)
        patch_cache_control(response, no_store=True, private=True)
        response["X-Robots-Tag"] = "noindex, nofollow"
        # The token never goes to another site in a Referer. Not "no-referrer": with it the
        # browser sends "Origin: null" with the form, which the CSRF check rightly refuses.
        response["Referrer-Policy"] = REFERRER_POLICY
        response["Content-Language"] = translation.get_language()
        return response

    return wrapper


def _plain(request: HttpRequest, template: str, status: int) -> HttpResponse:
    """The 404 and 429 pages: the same text whatever the reason, in both languages."""
    return render(request, template, status=status)


def _language(request: HttpRequest, link: VendorLink) -> str:
    """The vendor's choice (?lang=, then its cookie), else the language the link was issued in."""
    for wanted in (request.GET.get("lang"), request.COOKIES.get(LANGUAGE_COOKIE), link.language):
        if wanted in language_codes():
            return wanted
    return settings.LANGUAGE_CODE


def _open(request: HttpRequest, token: str) -> VendorLink:
    """The token's link, the page in its vendor's language."""
    link = portal_link(token)
    translation.activate(_language(request, link))
    return link


def _remember_language(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """A language chosen with ?lang= is kept for the vendor's next pages (posts included)."""
    wanted = request.GET.get("lang")
    if wanted in language_codes():
        response.set_cookie(
            LANGUAGE_COOKIE,
            wanted,
            max_age=LANGUAGE_COOKIE_AGE,
            path="/v/",
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    return response


@portal_page
@require_http_methods(["GET", "POST"])
def page(request: HttpRequest, token: str) -> HttpResponse:
    """The request and the vendor's answers: a form while they can change them, else what was
    sent. POST: save a draft."""
    link = _open(request, token)
    submission = portal.current(link)
    if request.method == "POST":
        return _store(request, link, token, submission, submit=False)
    portal.opened(link)
    answers = _answers(request, link, submission)
    context = {"saved": request.GET.get("saved") == "1" and submission is not None}
    return _remember_language(request, _render(request, link, token, submission, answers, context))


@portal_page
@require_POST
def submit(request: HttpRequest, token: str) -> HttpResponse:
    """Submit the answers: all required parts valid, else nothing is saved."""
    link = _open(request, token)
    return _store(request, link, token, portal.current(link), submit=True)


@portal_page
@require_GET
def receipt(request: HttpRequest, token: str) -> HttpResponse:
    """What was sent, when, and its reference: to print or keep."""
    link = _open(request, token)
    submission = portal.current(link)
    if submission is None or submission.status not in (
        SubmissionStatus.SUBMITTED,
        SubmissionStatus.ACCEPTED,
    ):
        return redirect(reverse("vendor_portal", args=[token]))
    staffing = link.bid.package.is_staffing
    context = {
        **_frame(link, token, here="vendor_portal_receipt"),
        "submission": submission,
        "reference": portal.reference(submission),
        "shown": readable(portal.Answers.of(submission), staffing=staffing),
    }
    return _remember_language(request, render(request, "portal/receipt.html", context))


@portal_page
def missing(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Any other address under /v/: the same 404 as a token that finds nothing."""
    raise Http404


def _store(
    request: HttpRequest,
    link: VendorLink,
    token: str,
    submission: Submission | None,
    *,
    submit: bool,
) -> HttpResponse:
    """Save the posted answers as a draft, or submit them: refused (nothing saved) when they
    are not valid, or when what was sent can no longer change."""
    if not portal.editable(submission):
        return _closed(request, link, token, submission)
    answers = _answers(request, link, submission, data=request.POST, submit=submit)
    if not answers.is_valid():
        context = {"problems": answers.problems(), "submitting": submit}
        return _render(request, link, token, submission, answers, context, status=400)
    try:
        store = portal.submit if submit else portal.save_draft
        store(link, answers.answers())
    except portal.Closed as refused:
        return _closed(request, link, token, refused.submission)
    except portal.LinkClosed:
        raise Http404 from None
    if submit:
        return redirect(reverse("vendor_portal_receipt", args=[token]))
    return redirect(reverse("vendor_portal", args=[token]) + "?saved=1")


def _closed(
    request: HttpRequest, link: VendorLink, token: str, submission: Submission | None
) -> HttpResponse:
    """A post to answers already sent (another tab, the back button): the page as it is, with
    why nothing changed."""
    message = _("Your answers were already submitted: nothing was changed.")
    answers = _answers(request, link, submission)
    return _render(request, link, token, submission, answers, {"refused": message}, status=409)


def _answers(
    request: HttpRequest,
    link: VendorLink,
    submission: Submission | None,
    *,
    data: Any = None,
    submit: bool = False,
) -> VendorAnswers:
    """The vendor's form: bound to a post, or showing what was saved (for a new round, the
    answers last accepted)."""
    package = link.bid.package
    shown = submission or portal.latest(link)
    return VendorAnswers(
        data,
        saved=portal.Answers.of(shown) if shown is not None else None,
        staffing=package.is_staffing,
        hours=_hours(link) if package.is_staffing else None,
        submit=submit,
    )


def _hours(link: VendorLink) -> Any:
    """A staffing package's hours a year by the inventory: the quote's hours to start from."""
    assessment = link.bid.package.assessment
    rows = assessment.task_rows(package=link.bid.package)
    return inventory.totals(assessment.as_summary_rows(rows)).annual_hours


def _frame(link: VendorLink, token: str, *, here: str) -> dict[str, Any]:
    """What every page of the link shows around its content: whom it is for, until when, and
    the language switch (back to the same page)."""
    bid = link.bid
    return {
        "link": link,
        "vendor": bid.vendor,
        "package": bid.package,
        "organisation": bid.package.assessment.organisation,
        "urls": {
            "page": reverse("vendor_portal", args=[token]),
            "submit": reverse("vendor_portal_submit", args=[token]),
            "receipt": reverse("vendor_portal_receipt", args=[token]),
            "here": reverse(here, args=[token]),
        },
    }


def _render(
    request: HttpRequest,
    link: VendorLink,
    token: str,
    submission: Submission | None,
    answers: VendorAnswers,
    extra: dict[str, Any],
    status: int = 200,
) -> HttpResponse:
    package = link.bid.package
    editable = portal.editable(submission)
    context = {
        **_frame(link, token, here="vendor_portal"),
        "brief": brief(package),
        "submission": submission,
        "earlier": portal.latest(link) if submission is None else None,
        "editable": editable,
        **answers.context(),
        "reference": portal.reference(submission) if submission else "",
        "shown": None
        if editable or submission is None
        else readable(portal.Answers.of(submission), staffing=package.is_staffing),
        **extra,
    }
    return render(request, "portal/page.html", context, status=status)
