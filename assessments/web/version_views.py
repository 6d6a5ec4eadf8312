"""The checklist and rule versions an assessment uses (SPEC 4.3 "Versioning", issue 18): what
moving it to the newest would change, in words, confirmed with a stamp of what was shown; its
latest move, and moving it back while nothing else has changed since."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from assessments.models import Assessment
from assessments.models.assessment import PinnedVersions, VersionsChanged
from assessments.models.steps import readiness_version_of
from assessments.models.versions import (
    ChecklistVersion,
    EvaluationVersion,
    ReadinessVersion,
    RuleTableVersion,
)
from assessments.reporting.version_words import move_words, version_name
from assessments.web.access import get_assessment_for_user
from outsourcing_advisor.common.stamps import atomic_post
from outsourcing_advisor.common.wording import listing
from outsourcing_advisor.history import display as history_display


def newest_versions() -> PinnedVersions:
    return PinnedVersions(
        ChecklistVersion.objects.latest_published(),
        RuleTableVersion.objects.latest_published(),
        EvaluationVersion.objects.latest_published(),
        ReadinessVersion.objects.latest_published(),
    )


def pinned_versions(assessment: Assessment) -> PinnedVersions:
    """The assessment's versions; its readiness checklist the newest until its first entry."""
    pinned = assessment.pinned_versions()
    return PinnedVersions(
        pinned.checklist, pinned.rules, pinned.evaluation, readiness_version_of(assessment)
    )


@login_required
@atomic_post
def assessment_versions(request: HttpRequest, pk: int) -> HttpResponse:
    """The versions used; for a consultant, what the newest would change and the move (a POST
    carrying the stamp of the changes shown: refused when anything of them is other by then)."""
    assessment = get_assessment_for_user(request, pk, write=request.method == "POST")
    newest, pinned = newest_versions(), pinned_versions(assessment)
    newer = newest != pinned and newest.checklist is not None and newest.rules is not None
    if request.method == "POST":
        if not assessment.can_override:
            raise PermissionDenied
        if not newer:
            messages.error(request, _("This assessment already uses the newest versions."))
            return redirect("assessment_versions", pk=assessment.pk)
        try:
            event = assessment.move_to_versions(
                *_targets(newest), user=request.user, seen=request.POST.get("seen", "")
            )
        except VersionsChanged:
            messages.error(request, CHANGED_MEANWHILE)
            return redirect("assessment_versions", pk=assessment.pk)
        messages.success(request, _moved_message(newest, event.details if event else {}))
        return redirect("assessment_versions", pk=assessment.pk)
    return render(request, "assessments/versions.html", _context(assessment, pinned, newest, newer))


@login_required
@require_POST
@atomic_post
def assessment_versions_back(request: HttpRequest, pk: int) -> HttpResponse:
    """Move the assessment back to the versions before its latest move (`Assessment.move_back`):
    the move the page offered (`move`), while nothing else has changed since."""
    assessment = get_assessment_for_user(request, pk, write=True)
    if not assessment.can_override:
        raise PermissionDenied
    move = request.POST.get("move", "")
    try:
        assessment.move_back(request.user, seen=int(move) if move.isdigit() else 0)
    except VersionsChanged:
        messages.error(
            request,
            _(
                "The move can no longer be undone: something changed since it was made, or it "
                "was already moved back. Nothing was changed."
            ),
        )
    else:
        messages.success(
            request,
            _(
                "The assessment uses the versions it used before the move again; every result "
                "was recomputed with them. Answers and overrides are as they were."
            ),
        )
    return redirect("assessment_versions", pk=assessment.pk)


CHANGED_MEANWHILE = gettext_lazy(
    "The assessment or the versions changed since the changes were shown: nothing was moved. "
    "Review the changes below, then confirm again."
)


def _targets(newest: PinnedVersions) -> tuple[Any, Any, Any, Any]:
    return newest.checklist, newest.rules, newest.evaluation, newest.readiness


def _moved_message(newest: PinnedVersions, details: dict[str, Any]) -> str:
    return _(
        "The assessment now uses %(versions)s. Tasks whose verdict changed: %(verdicts)s; whose "
        "recommended model changed: %(models)s. You can move back while nothing else changes."
    ) % {
        "versions": listing(version_name(v) for v in _targets(newest) if v is not None),
        "verdicts": details.get("verdicts", 0),
        "models": details.get("models", 0),
    }


def _context(
    assessment: Assessment, pinned: PinnedVersions, newest: PinnedVersions, newer: bool
) -> dict[str, Any]:
    context: dict[str, Any] = {
        "assessment": assessment,
        "used": [version_name(v) for v in _targets(pinned)],
        "newer": newer,
        "last_move": _last_move(assessment),
    }
    if newer:
        changes = assessment.version_changes(*_targets(newest))
        context["stamp"] = changes.stamp
        context["words"] = move_words(changes, pinned, newest, assessment.volume_settings)
        context["dropped_readiness"] = changes.dropped_readiness
    return context


def _last_move(assessment: Assessment) -> dict[str, Any] | None:
    """The latest move as the page tells it: when, who, the versions on both sides (as the
    history words them), and whether it can be moved back."""
    move = assessment.last_version_move()
    if move is None:
        return None
    return {
        "move": move,
        "row": history_display.rows([move.event])[0],
        "later": move.later,
    }
