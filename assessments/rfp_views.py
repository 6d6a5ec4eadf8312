"""A package's RFP draft (SPEC 4.7, step 3): generated from the inventory, edited section by
section, downloaded as PDF. The text is drafted by `rfp.draft` (pure); this module gathers its facts
and stores the edits."""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from assessments import choices, inventory, rfp
from assessments.access import get_assessment_for_user, get_package_for_user
from assessments.forms import RfpForm
from assessments.models import Assessment, Package
from assessments.report_views import safe_name
from assessments.steps import Goals, RfpDraft
from assessments.versions import Outcome


def rfp_facts(assessment: Assessment, package: Package) -> rfp.PackageFacts:
    """The package's tasks and figures, the tasks of its departments kept in-house (the
    exclusions), the assessment's goals and the KPIs recorded for the package: five queries."""
    rows = assessment.task_rows(package=package)
    totals = inventory.totals(assessment.as_summary_rows(rows))
    departments = {task.department for task, _derived in rows}
    kept = [
        f"{task.department} / {task.process} / {task.task}"
        for task, _derived in assessment.task_rows(department__in=departments)
        if task.final_model == Outcome.IN_HOUSE
    ]
    goals = Goals.objects.filter(assessment=assessment).first()
    return rfp.PackageFacts(
        organisation=assessment.organisation.name,
        package=package.name,
        model=package.model,
        model_label=choices.label(Outcome, package.model),
        tasks=[
            rfp.TaskLine(
                task.department,
                task.process,
                task.task,
                derived.annual_hours,
                task.people,
                single_person=bool(derived.single_person_dependency),
            )
            for task, derived in rows
        ],
        annual_hours=totals.annual_hours,
        fte=totals.fte,
        annual_cost=totals.annual_cost,
        confidentiality=frozenset(task.confidentiality for task, _derived in rows),
        kept_in_house=kept,
        goals=[label for _rank, label, _note in goals.ranking()] if goals else (),
        kpis=[f"{kpi.name} {kpi.target_text}" for kpi in package.kpis.all()],
    )


def _language(request: HttpRequest) -> str:
    wanted = request.POST.get("language") or translation.get_language() or "ja"
    codes = [code for code, _name in settings.LANGUAGES]
    return wanted if wanted in codes else codes[0]


@login_required
def package_rfp(request: HttpRequest, pk: int, package_pk: int) -> HttpResponse:
    write = request.method == "POST"
    assessment = get_assessment_for_user(request, pk, write=write)
    package = get_package_for_user(request, assessment, package_pk)
    draft = RfpDraft.objects.filter(package=package).first()
    action = request.POST.get("action")
    if action == "generate":
        if draft and request.POST.get("replace") != "yes":
            messages.error(request, _("This package has a draft: tick the box to replace it."))
            return redirect("package_rfp", assessment.pk, package.pk)
        language = _language(request)
        with translation.override(language):
            sections = rfp.draft(rfp_facts(assessment, package))
        RfpDraft.generate(package, sections, language, request.user)
        messages.success(request, _("RFP draft generated from the inventory."))
        return redirect("package_rfp", assessment.pk, package.pk)
    form = RfpForm(request.POST if action == "save" else None, draft=draft)
    if action == "save" and draft and form.is_valid():
        draft.edit(form.sections(), request.user)
        messages.success(request, _("RFP draft saved."))
        return redirect("package_rfp", assessment.pk, package.pk)
    context = {"assessment": assessment, "package": package, "draft": draft, "form": form}
    return render(request, "assessments/rfp.html", context)


@login_required
@require_GET
def package_rfp_pdf(request: HttpRequest, pk: int, package_pk: int) -> HttpResponse:
    from assessments import pdf  # WeasyPrint loads only when a PDF is made

    assessment = get_assessment_for_user(request, pk)
    package = get_package_for_user(request, assessment, package_pk)
    draft = RfpDraft.objects.filter(package=package).first()
    if draft is None:
        messages.error(request, _("Generate the RFP draft first."))
        return redirect("package_rfp", assessment.pk, package.pk)
    with translation.override(draft.language):
        html = render_to_string(
            "reports/rfp.html",
            {
                "assessment": assessment,
                "package": package,
                "sections": [(label, draft.sections.get(key, "")) for key, label in rfp.SECTIONS],
                "lang": draft.language,
                "today": timezone.localdate(),
            },
        )
    response = HttpResponse(pdf.render_pdf(html), content_type="application/pdf")
    day = timezone.localdate().isoformat()
    name = f"RFP {safe_name(package.name)} {day} {draft.language}.pdf"
    response["Content-Disposition"] = (
        f'attachment; filename="rfp-{package.pk}-{day}-{draft.language}.pdf"; '
        f"filename*=UTF-8''{quote(name, safe='')}"
    )
    response["Cache-Control"] = "private, no-store"
    return response
