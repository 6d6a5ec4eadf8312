"""The vendor selection of a sourcing package (SPEC 4.5, 4.6): invite vendors, enter their quotes
against the in-house cost, score them independently, and see the ranking with its sensitivity.

Who does what: consultants (who keep the registry) invite vendors and enter quotes; managers and
consultants score; anyone who may see the assessment sees the quotes and, once their own scores
are in, the ranking. An evaluator sees the others' scores of a vendor only after submitting their
own, so that no one anchors on another's numbers (the rule: vendors/services/sealing.py)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments.domain.choices import VendorCriterion
from assessments.models import Assessment, Package
from assessments.web import collaboration_views
from assessments.web.access import form_id, get_assessment_for_user, get_package_for_user
from outsourcing_advisor.accounts.models import person_name
from outsourcing_advisor.common.stamps import (
    atomic_post,
    conflict_message,
    differences,
    lock_parent,
    locking,
    posted_stale,
    restamped,
    stamp,
    stored_moment,
)
from outsourcing_advisor.history import display as history_display
from outsourcing_advisor.history import record as history
from outsourcing_advisor.history.models import SubjectType
from vendors.domain import scoring
from vendors.models import Bid, Evaluation, Vendor
from vendors.services import bids, registry, sealing, selection
from vendors.web import economics, link_views
from vendors.web.access import get_bid_for_user
from vendors.web.forms import InviteForm, OverheadForm, PackageTermsForm, QuoteForm, ScoreForm


def _consultant(request: HttpRequest, pk: int) -> Assessment:
    """Inviting vendors and entering quotes is the consultant's work (the registry is theirs)."""
    assessment = get_assessment_for_user(request, pk, write=True)
    if not assessment.can_override:
        raise PermissionDenied
    return assessment


def _back(assessment: Assessment, package: Package, anchor: str = "") -> HttpResponse:
    url = reverse("package_vendors", args=[assessment.pk, package.pk])
    return redirect(url + (f"#{anchor}" if anchor else ""))


def ranking_table(chosen: selection.Selection) -> dict[str, Any]:
    """The ranking with one column per evaluator, and the sensitivity in words."""
    names = sorted({name for row in chosen.ranking for name, _total in row.evaluator_totals})
    rows = [
        (row, [dict(row.evaluator_totals).get(name) for name in names], selection.exclusions(row))
        for row in chosen.ranking
    ]
    # The totals are keyed by user name; the column headers name the people (佐藤 健二).
    people = {
        e.evaluator.get_username(): person_name(e.evaluator)
        for line in chosen.lines
        for e in line.bid.evaluations.all()
    }
    return {"evaluator_names": [people.get(name, name) for name in names], "ranking_rows": rows}


def invitable(request: HttpRequest, package: Package) -> Any:
    return Vendor.objects.for_user(request.user).exclude(bids__package=package)


@login_required
def package_vendors(request: HttpRequest, pk: int, package_pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request, pk)
    package = get_package_for_user(request, assessment, package_pk)
    return vendors_page(request, assessment, package)


def vendors_page(
    request: HttpRequest,
    assessment: Assessment,
    package: Package,
    terms_form: PackageTermsForm | None = None,
) -> HttpResponse:
    """The package's vendor page; `terms_form`: its terms as posted when their save was
    refused. The cost over the horizon of another quote (`?bid=`) comes alone to htmx."""
    percent = assessment.overhead_rate * 100
    # Sealed: the ranking waits for the reader's own scores. Blind prices (SPEC 4.6): a member
    # of the panel sees none, nor the combined ranking, until every member has submitted.
    seal = sealing.selection_seal(request.user, assessment, selection.package_selection(package))
    chosen, sealed, prices, withheld = seal.shown, seal.sealed, seal.prices, seal.withheld
    context = {
        "assessment": assessment,
        "package": package,
        "selection": chosen,
        "sealed": sealed,
        "prices": prices,
        "panel_waiting": [person_name(member) for member in prices.waiting],
        "lines": [(line, line.bid.evaluation_by(request.user)) for line in chosen.lines],
        # Quoted or scored for another scope of the package: marked in the ranking too.
        "stale_names": {line.bid.vendor.name for line in chosen.lines if line.stale},
        # Sealed: not even handed to the template.
        **(ranking_table(chosen) if not withheld else {"evaluator_names": [], "ranking_rows": []}),
        "weights": [(label, chosen.weights.get(key)) for key, label in VendorCriterion.choices],
        "invite_form": InviteForm(invitable(request, package)) if assessment.can_override else None,
        # The registry against the package's knock-outs, before anyone is invited (SPEC 4.6).
        **_invite_list(request, assessment, package, chosen),
        "overhead_form": OverheadForm(initial={"percent": percent.normalize()}),
        **economics.context(
            request, chosen, sealed=withheld, prices_hidden=prices.hidden, terms_form=terms_form
        ),
        # Each invited vendor's link and answer (SPEC 4.6, "Vendors answer by link").
        **link_views.context(assessment, package, [line.bid for line in chosen.lines]),
        # The members' comments on the package (issue 18).
        **collaboration_views.comments_context(request, assessment, package=package),
    }
    if request.htmx and "bid" in request.GET:
        return render(request, "vendors/_outlook.html", context)
    return render(request, "vendors/package_vendors.html", context)


def _invite_list(
    request: HttpRequest, assessment: Assessment, package: Package, chosen: selection.Selection
) -> dict[str, Any]:
    """Each vendor not yet invited with what the knock-outs would say (the consultant's only),
    and the same grouped for the invite form: eligible first, then those it would exclude."""
    if not assessment.can_override:
        return {"candidates": [], "invite_groups": []}
    candidates = selection.candidates(chosen.facts, invitable(request, package))
    groups = [
        (_("Eligible"), [c for c in candidates if not c.excluded]),
        (
            _("Would be excluded (can be invited, marked)"),
            [c for c in candidates if c.excluded],
        ),
    ]
    return {"candidates": candidates, "invite_groups": [g for g in groups if g[1]]}


@login_required
@require_POST
def package_invite(request: HttpRequest, pk: int, package_pk: int) -> HttpResponse:
    assessment = _consultant(request, pk)
    package = get_package_for_user(request, assessment, package_pk)
    form = InviteForm(invitable(request, package), request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a vendor of the registry that is not invited yet."))
        return _back(assessment, package)
    bid, _created = Bid.invite(package, form.cleaned_data["vendor"])
    messages.success(request, _("%(vendor)s invited.") % {"vendor": bid.vendor.name})
    reasons = selection.knockouts_of(bid)
    if reasons:  # invited all the same, marked: the ranking keeps it apart with the reasons
        messages.warning(
            request,
            _("The package's knock-outs exclude %(vendor)s: %(reasons)s.")
            % {"vendor": bid.vendor.name, "reasons": "; ".join(reasons)},
        )
    return _back(assessment, package, f"bid-{bid.pk}")


@login_required
@atomic_post
def bid_quote(request: HttpRequest, pk: int, package_pk: int, bid_pk: int) -> HttpResponse:
    assessment = _consultant(request, pk)
    package = get_package_for_user(request, assessment, package_pk)
    bid = get_bid_for_user(request, package, bid_pk)
    if not sealing.prices_shown(request.user, package):
        # On the panel, still scoring blind: a notice, no figures, and no quote to enter (whoever
        # types a quote has seen it). The quote is for the consultants outside the panel, or for
        # everyone once the whole panel has submitted.
        if request.method == "POST":
            raise PermissionDenied
        context = {"assessment": assessment, "package": package, "bid": bid, "blind": True}
        return render(request, "vendors/bid_quote.html", context)
    before = history.snapshot(bid, QuoteForm.Meta.fields)  # is_valid() writes to the bid
    staffing = package.is_staffing  # quoted by the hour, for the package's hours by default
    hours = selection.package_hours(package) if staffing and request.method != "POST" else None
    form = QuoteForm(request.POST or None, instance=bid, staffing=staffing, hours=hours)
    if request.method == "POST" and form.is_valid():
        if not form.is_stale():
            bids.save_quote(request.user, form.save(commit=False), before, assessment)
            messages.success(request, _("Quote of %(vendor)s saved.") % {"vendor": bid.vendor.name})
            return _back(assessment, package, f"bid-{bid.pk}")
        what = _("the quote of %(vendor)s") % {"vendor": bid.vendor.name}
        bid, form = form.refused(what, staffing=staffing)
    context = {"assessment": assessment, "package": package, "bid": bid, "form": form}
    events = history_display.subject_events(assessment, SubjectType.QUOTE, [bid.pk])
    context["history"] = history_display.shown(events, assessment, request.user)
    return render(request, "vendors/bid_quote.html", context)


@login_required
@require_POST
def bid_remove(request: HttpRequest, pk: int, package_pk: int, bid_pk: int) -> HttpResponse:
    assessment = _consultant(request, pk)
    package = get_package_for_user(request, assessment, package_pk)
    bid = get_bid_for_user(request, package, bid_pk)
    scored = bid.evaluations.count()
    if scored and request.POST.get("confirm") != "yes":
        messages.error(
            request,
            _("%(vendor)s has %(count)s evaluations: tick the box to remove them too.")
            % {"vendor": bid.vendor.name, "count": scored},
        )
        return _back(assessment, package, f"bid-{bid.pk}")
    bid.delete()
    messages.success(request, _("%(vendor)s removed.") % {"vendor": bid.vendor.name})
    return _back(assessment, package)


@login_required
@atomic_post
def bid_score(request: HttpRequest, pk: int, package_pk: int, bid_pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request, pk, write=True)
    package = get_package_for_user(request, assessment, package_pk)
    bid = get_bid_for_user(request, package, bid_pk)
    own = Evaluation.objects.filter(bid=bid, evaluator=request.user).first()
    if own is None and request.method == "POST":
        # A first save has no evaluation to lock: the bid stands in, so that of two first saves
        # at once (two tabs) the second waits, then finds the first's scores and is refused.
        lock_parent(bid)
        own = Evaluation.objects.filter(bid=bid, evaluator=request.user).first()
    own = own or Evaluation(bid=bid, evaluator=request.user)
    # With a panel, its members score, and a member's submitted scores are final once the prices
    # are open to them (sealing.scoring_state): a page without the form says why.
    state = sealing.scoring_state(request.user, package, own.submitted)
    if state != sealing.OPEN_TO_SCORE:
        if request.method == "POST":
            raise PermissionDenied
        form = ScoreForm(initial=ScoreForm.initial_from(own.scores, own.comments))
        context = {**_score_context(assessment, package, bid, own, form), "closed": state}
        return render(request, "vendors/bid_score.html", context)
    submit = request.POST.get("action") == "submit"
    initial = ScoreForm.initial_from(own.scores, own.comments)
    form = ScoreForm(request.POST or None, initial=initial, submit=submit)
    if request.method == "POST" and form.is_valid():
        if not posted_stale(request.POST, stored_moment(own)):
            bids.save_scores(
                request.user,
                own,
                form.scores(),
                form.comments(),
                submit=submit,
                assessment=assessment,
            )
            done = _("Scores submitted.") if own.submitted else _("Draft saved.")
            messages.success(request, done)
            return redirect("bid_score", assessment.pk, package.pk, bid.pk)
        # Saved meanwhile in another tab or by a file: the input stays, stamped anew.
        changes = differences(form, initial, form.cleaned_data, labels=_score_labels())
        form.add_error(None, conflict_message(_("these scores"), changes))
    context = _score_context(assessment, package, bid, own, form)
    return render(request, "vendors/bid_score.html", context)


def _score_labels() -> dict[str, str]:
    """Each comment named by its criterion: their own labels all say “Comment”."""
    return {
        f"comment_{key}": _("Comment on “%(criterion)s”") % {"criterion": label}
        for key, label in VendorCriterion.choices
    }


def _score_context(
    assessment: Assessment, package: Package, bid: Bid, own: Evaluation, form: ScoreForm
) -> dict[str, Any]:
    """The others' submitted scores are shown only once the user's own are submitted."""
    others = (
        list(bid.evaluations.filter(submitted_at__isnull=False).select_related("evaluator"))
        if sealing.others_scores_shown(own.evaluator, assessment, bid)
        else []
    )
    weights = selection.weights_for(assessment)
    # Only the evaluator's own scores: the others' are sealed (their events say so, no more).
    events = history_display.subject_events(
        assessment, SubjectType.SCORE, [own.pk] if own.pk else []
    )
    return {
        "history": history_display.shown(events, assessment, own.evaluator_id),
        "assessment": assessment,
        "package": package,
        "bid": bid,
        "own": own,
        "form": form,
        "seen": stamp(own.updated_at),
        "weights": weights,
        "evaluations": others,
        "criteria": VendorCriterion.choices,
        "totals": {e.pk: scoring.evaluator_total(e.scores, weights) for e in others},
        # The panel's consensus scores of the vendor, beside the evaluators' own (shown with
        # them: once the others' scores are).
        "consensus": [
            (agreed, person_name(agreed.author) if agreed.author else "")
            for agreed in (bid.consensus.select_related("author") if others else [])
        ],
        "panel_names": [
            person_name(member)
            for member in sealing.panels([package.pk]).get(package.pk, {}).values()
        ],
    }


@login_required
@require_POST
def assessment_overhead(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request, pk, write=True)
    package = get_package_for_user(request, assessment, form_id(request.POST.get("package")))
    form = OverheadForm(request.POST)
    if form.is_valid():
        assessment.set_overhead_rate(form.rate())
        messages.success(request, _("Management overhead saved."))
    else:
        messages.error(request, " ".join(form.errors["percent"]))
    return _back(assessment, package, "costs")


@login_required
@require_POST
@atomic_post
def package_terms(request: HttpRequest, pk: int, package_pk: int) -> HttpResponse:
    """The package's terms (price weight, parallel run, FTE released): the consultant's, as the
    quotes are. Refused, with the input kept, when someone saved other terms since the page
    was shown (`seen`: the terms it showed) or when a value is out of range."""
    assessment = _consultant(request, pk)
    package = get_package_for_user(request, assessment, package_pk)
    package = locking(Package.objects.filter(pk=package.pk)).get()  # until the save commits
    package.assessment = assessment
    form = PackageTermsForm.of(package, request.POST)
    if not form.is_valid():
        return vendors_page(request, assessment, package, form)
    if "seen" in request.POST and form.cleaned_data["seen"] != package.terms_stamp:
        stored = {name: getattr(package, name) for name in Package.TERMS_FIELDS}
        changes = differences(form, stored, form.cleaned_data)
        form = PackageTermsForm.of(package, restamped(request.POST, package.terms_stamp))
        form.is_valid()
        form.add_error(None, conflict_message(_("the package's terms"), changes))
        return vendors_page(request, assessment, package, form)
    package.save_terms(*form.terms(), user=request.user)
    messages.success(request, _("The package's terms are saved."))
    return _back(assessment, package, "terms")


@login_required
@require_POST
@atomic_post
def bid_registry(request: HttpRequest, pk: int, package_pk: int, bid_pk: int) -> HttpResponse:
    """“Use the registry as it is now”: a consultant of the package's organisation lets the
    package evaluate the vendor's registry entry as changed since
    (vendors.services.registry.confirm).
    Refused when it changed again after the page was shown: they confirm what they saw."""
    assessment = _consultant(request, pk)
    package = get_package_for_user(request, assessment, package_pk)
    bid = get_bid_for_user(request, package, bid_pk)
    if posted_stale(request.POST, stored_moment(bid.vendor)):  # locks the vendor until saved
        messages.error(
            request,
            _(
                "The registry entry of %(vendor)s changed again since the page was shown: check "
                "what changed, then confirm again."
            )
            % {"vendor": bid.vendor.name},
        )
        return _back(assessment, package, f"bid-{bid.pk}")
    registry.confirm(request.user, bid, assessment)
    messages.success(
        request,
        _("%(vendor)s is now evaluated as the registry has it.") % {"vendor": bid.vendor.name},
    )
    return _back(assessment, package, f"bid-{bid.pk}")


@login_required
@require_POST
@atomic_post
def bid_scope(request: HttpRequest, pk: int, package_pk: int, bid_pk: int) -> HttpResponse:
    """“Confirm for the tasks as they are now”: a consultant confirms a quote and scores given
    before the package's tasks changed (vendors.services.bids.confirm_scope). Refused when the
    tasks changed again after the page was shown (`seen`: the scope it showed): they confirm
    what they saw."""
    assessment = _consultant(request, pk)
    package = get_package_for_user(request, assessment, package_pk)
    bid = get_bid_for_user(request, package, bid_pk)
    bid.package = package  # which knows its assessment: no query
    if "seen" in request.POST and request.POST["seen"] != Package.scope_of(package.pk):
        messages.error(
            request,
            _(
                "The package's tasks changed again since the page was shown: check the quote "
                "and the scores, then confirm again."
            ),
        )
    elif bids.confirm_scope(bid, request.user):
        messages.success(
            request,
            _(
                "The quote and scores of %(vendor)s are confirmed for the package's tasks as "
                "they are now."
            )
            % {"vendor": bid.vendor.name},
        )
    return _back(assessment, package, f"bid-{bid.pk}")
