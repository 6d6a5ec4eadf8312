"""The browser import of a vendor evaluation file (SPEC 6.3) for an assessment: one row per vendor,
package and evaluator, with the eight scores and the quote. Checked whole before anything is
written and reported by row and column like the inventory import: every row is imported or none.

Consultants only: they keep the vendor registry and the selection (inviting, quoting). Managers
and viewers get 403, outsiders 404."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assessments.files.problems import ImportRejected, Problem
from assessments.models import Assessment, Package
from assessments.web.access import get_assessment_for_user
from vendors.files.evaluations import EVALUATION_COLUMNS, parse_evaluations
from vendors.models import CertificationKind, PricingModel, Vendor
from vendors.services import selection
from vendors.web.forms import EvaluationUploadForm


@login_required
@require_http_methods(["GET", "POST"])
def evaluations_import(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request, pk, write=True)
    if not assessment.can_override:  # the registry and the invitations are the consultants'
        raise PermissionDenied
    form = EvaluationUploadForm(request.POST or None, request.FILES or None)
    evaluators = selection.evaluators_of(assessment)
    problems: list[Problem] = []
    if request.method == "POST" and form.is_valid():
        try:
            summary = _import(request, assessment, form.cleaned_data["file"], evaluators)
        except ImportRejected as rejected:
            problems = rejected.problems
        else:
            _report(request, summary)
            return redirect("packages", pk=assessment.pk)
    context = {"assessment": assessment, "form": form, "problems": problems}
    context |= {"packages": packages_by_model(assessment), "guide": column_guide()}
    context["evaluators"] = sorted(evaluators)
    status = 400 if problems or form.errors else 200  # as the inventory import answers
    return render(request, "vendors/evaluations_import.html", context, status=status)


def _import(
    request: HttpRequest, assessment: Assessment, upload: UploadedFile, evaluators: dict[str, Any]
) -> selection.ImportSummary:
    """Parse against what the rows may name, then write; either raises ImportRejected having
    written nothing."""
    registry = Vendor.objects.for_user(request.user).values_list("name", flat=True)
    parsed = parse_evaluations(
        upload.read(),
        upload.name or "",
        known_packages=set(assessment.packages.values_list("model", flat=True)),
        known_evaluators=set(evaluators),
        known_vendors=set(registry),
    )
    return selection.import_evaluations(assessment, parsed, evaluators, actor=request.user)


def _report(request: HttpRequest, summary: selection.ImportSummary) -> None:
    counts = {
        "evaluations": summary.evaluations,
        "invited": len(summary.invited),
        "quotes": summary.quotes,
    }
    message = _(
        "Evaluations imported: %(evaluations)s. Vendors newly invited: %(invited)s. "
        "Quotes set: %(quotes)s."
    )
    messages.success(request, message % counts)
    for warning in summary.warnings:
        messages.warning(request, str(warning))


@dataclass(frozen=True)
class PackageKey:
    package: Package
    shared: bool  # another package has the same model: a file cannot name this one


def packages_by_model(assessment: Assessment) -> list[PackageKey]:
    packages = list(assessment.packages.all())
    models = [package.model for package in packages]
    return [PackageKey(package, models.count(package.model) > 1) for package in packages]


@dataclass(frozen=True)
class GuideRow:
    japanese: str  # the template's Japanese headers
    english: str  # the keys, also accepted as headers
    required: bool
    values: str


def column_guide() -> list[GuideRow]:
    """The columns of SPEC 6.3 as the page explains them; the eight scores on one line."""
    values = {
        "package": _(
            "The model key of one of the packages listed here. Without this column, every row "
            "goes to the package with the most annual hours."
        ),
        "vendor": _("The vendor's name as in the vendor registry."),
        "services": _("Model keys joined by , or 、 (for example bpo、ito)."),
        "certifications": _("%(keys)s, joined by , or 、.")
        % {"keys": " / ".join(CertificationKind.values)},
        "evaluator": _("The user name of one of the evaluators listed here."),
        "score": _("A whole number from 1 to 5."),
        "pricing_model": _(
            "%(keys)s, or their Japanese names (業務委託型 / 成果報酬型 / サブスク型)."
        )
        % {"keys": " / ".join(PricingModel.values)},
        "annual_volume": _("Cases a year; needed with a unit price."),
        "amount": _("In yen; ¥, 円 and thousands separators are allowed."),
        "comment": _("Free text, kept as the evaluator's overall comment."),
    }
    rows: list[GuideRow] = []
    scores = [column for column in EVALUATION_COLUMNS if column.kind == "score"]
    for column in EVALUATION_COLUMNS:
        if column.kind == "score" and column is not scores[0]:
            continue
        group = scores if column.kind == "score" else [column]
        rows.append(
            GuideRow(
                "、".join(c.japanese[0] for c in group),
                ", ".join(c.key for c in group),
                column.required,
                values.get(column.key) or values[column.kind],
            )
        )
    return rows
