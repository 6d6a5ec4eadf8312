"""The evaluation panel of a sourcing package (SPEC 4.6): who scores, how far each member is, how
they scored (leniency, agreement, who is far from the rest) and the consensus scores the lead
consultant records with a reason.

Anyone who may see the assessment reads the panel page; its scores and statistics only once the
sealing rule lets them (vendors/services/sealing.py). Choosing the panel and recording a
consensus are the consultant's, as the quotes are."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assessments.domain.choices import VendorCriterion
from assessments.models import Assessment, Package
from assessments.web.access import get_assessment_for_user, get_package_for_user
from outsourcing_advisor.common.stamps import (
    atomic_post,
    conflict_message,
    posted_stale,
    restamped,
    stamp,
    stored_moment,
)
from outsourcing_advisor.history import display as history_display
from outsourcing_advisor.history.models import SubjectType
from vendors.models import Bid, Consensus
from vendors.services import panel, sealing
from vendors.web import panel_words
from vendors.web.access import get_bid_for_user
from vendors.web.panel_forms import ConsensusForm, PanelForm

FIRST = VendorCriterion.values[0]


def _consultant(request: HttpRequest, pk: int) -> Assessment:
    """The panel and its consensus are the lead consultant's, as the quotes are."""
    assessment = get_assessment_for_user(request, pk, write=True)
    if not assessment.can_override:
        raise PermissionDenied
    return assessment


def _panel_url(assessment: Assessment, package: Package, anchor: str = "") -> str:
    url = reverse("package_panel", args=[assessment.pk, package.pk])
    return url + (f"#{anchor}" if anchor else "")


@login_required
@require_GET
def package_panel(request: HttpRequest, pk: int, package_pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request, pk)
    package = get_package_for_user(request, assessment, package_pk)
    return _panel_page(request, assessment, package)


def _panel_page(
    request: HttpRequest, assessment: Assessment, package: Package, form: PanelForm | None = None
) -> HttpResponse:
    """The panel page; `form`: the panel as posted when its save was refused."""
    seen = panel.overview(request.user, assessment, package)
    if form is None and assessment.can_override:
        form = PanelForm(panel.candidates(assessment), initial={"members": seen.members})
    bid_ids = [scores.bid.pk for scores in seen.bids] or list(
        package.bids.values_list("pk", flat=True)
    )
    events = history_display.assessment_events(assessment).filter(
        Q(subject_type=SubjectType.PANEL, subject_id=package.pk)
        | Q(subject_type=SubjectType.CONSENSUS, details__bid__in=bid_ids)
    )[:50]
    context = {
        "assessment": assessment,
        "package": package,
        "overview": seen,
        "panel_form": form,
        "words": panel_words.statistics_words(seen.statistics, seen.names),
        "criteria": VendorCriterion.choices,
        "history": history_display.shown(events, assessment, request.user),
    }
    return render(request, "vendors/package_panel.html", context)


@login_required
@require_POST
def package_panel_members(request: HttpRequest, pk: int, package_pk: int) -> HttpResponse:
    assessment = _consultant(request, pk)
    package = get_package_for_user(request, assessment, package_pk)
    form = PanelForm(panel.candidates(assessment), request.POST)
    if not form.is_valid():
        return _panel_page(request, assessment, package, form)
    if panel.set_panel(package, form.cleaned_data["members"], request.user):
        messages.success(request, _("The evaluation panel is saved."))
    return redirect(_panel_url(assessment, package, "members"))


@login_required
@atomic_post
def bid_consensus(request: HttpRequest, pk: int, package_pk: int, bid_pk: int) -> HttpResponse:
    """One criterion's consensus score of a vendor (`?criterion=`, else the first): record,
    change or remove it, with the evaluators' scores and comments of that criterion beside the
    form. Only once the consultant may see those scores (sealing): a consensus is agreed on
    scores one has seen."""
    assessment = _consultant(request, pk)
    package = get_package_for_user(request, assessment, package_pk)
    bid = get_bid_for_user(request, package, bid_pk)
    criterion = request.POST.get("criterion") or request.GET.get("criterion") or FIRST
    if criterion not in VendorCriterion.values:
        raise Http404
    sealed = bool(sealing.to_submit(request.user, assessment, [bid]))
    agreed = _agreed(bid, criterion)
    form = ConsensusForm(request.POST or None, initial=_initial(criterion, agreed))
    if request.method == "POST":
        if sealed:
            raise PermissionDenied
        form = _post_consensus(request, assessment, bid, criterion, agreed, form)
        if form is None:
            return redirect(_panel_url(assessment, package, f"bid-{bid.pk}"))
        agreed = _agreed(bid, criterion)
    context = _consensus_context(assessment, package, bid, criterion, agreed, form, sealed)
    context["history"] = history_display.shown(context.pop("events"), assessment, request.user)
    return render(request, "vendors/bid_consensus.html", context)


def _agreed(bid: Bid, criterion: str) -> Consensus | None:
    return Consensus.objects.filter(bid=bid, criterion=criterion).select_related("author").first()


def _post_consensus(
    request: HttpRequest,
    assessment: Assessment,
    bid: Bid,
    criterion: str,
    agreed: Consensus | None,
    form: ConsensusForm,
) -> ConsensusForm | None:
    """Save or remove the posted consensus (None: done), or the form again with why not: the
    reason missing, or a save over someone else's newer one (the input kept, stamped anew, so
    that saving again replaces theirs deliberately)."""
    stored = stored_moment(agreed) if agreed else None  # locks it until the save commits
    if posted_stale(request.POST, stored):
        again = ConsensusForm(restamped(request.POST, stamp(stored)))
        again.is_valid()
        what = _("the consensus score of “%(criterion)s”") % {
            "criterion": panel.criterion_label(criterion)
        }
        again.add_error(None, conflict_message(what, []))
        return again
    if request.POST.get("action") == "remove":
        if panel.remove_consensus(bid, criterion, request.user, assessment):
            messages.success(request, _("The consensus score is removed."))
        return None
    if not form.is_valid():
        return form
    data = form.cleaned_data
    panel.save_consensus(bid, criterion, data["score"], data["reason"], request.user, assessment)
    messages.success(request, _("The consensus score is saved."))
    return None


def _initial(criterion: str, agreed: Consensus | None) -> dict[str, Any]:
    if agreed is None:
        return {"criterion": criterion, "seen": ""}
    return {
        "criterion": criterion,
        "score": agreed.score,
        "reason": agreed.reason,
        "seen": stamp(agreed.updated_at),
    }


def _consensus_context(
    assessment: Assessment,
    package: Package,
    bid: Bid,
    criterion: str,
    agreed: Consensus | None,
    form: ConsensusForm,
    sealed: bool,
) -> dict[str, Any]:
    """The evaluators' submitted scores of the criterion, none while they are sealed for the
    consultant; the history of the bid's consensus scores."""
    evaluations = (
        []
        if sealed
        else list(bid.evaluations.filter(submitted_at__isnull=False).select_related("evaluator"))
    )
    events = history_display.assessment_events(assessment).filter(
        subject_type=SubjectType.CONSENSUS, details__bid=bid.pk, details__criterion=criterion
    )
    return {
        "assessment": assessment,
        "package": package,
        "bid": bid,
        "criterion": criterion,
        "label": panel.criterion_label(criterion),
        "agreed": agreed,
        "form": form,
        "sealed": sealed,
        "given": [(e, e.scores.get(criterion), e.comments.get(criterion, "")) for e in evaluations],
        "events": events,  # shown in words for the reader by the view
    }
