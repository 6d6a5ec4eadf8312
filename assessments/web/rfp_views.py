"""A package's RFP draft (SPEC 4.7, step 3): generated from the inventory, edited section by
section, downloaded as PDF. The text is drafted by `rfp.draft` (pure); this module gathers its facts
and stores the edits. A staffing package (dispatch, SPEC 4.4) gets a staffing request (派遣依頼書)
instead, drafted by `staffing.draft`, on the same page and with the same editing."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from assessments.domain import choices, inventory, rfp, staffing
from assessments.domain.choices import Continuity, Outcome, Size
from assessments.models import Assessment, Package
from assessments.models.steps import Goals, RfpDraft
from assessments.web.access import get_assessment_for_user, get_package_for_user
from assessments.web.forms import RfpForm
from assessments.web.report_views import safe_name
from outsourcing_advisor.accounts.models import person_name
from outsourcing_advisor.common.stamps import (
    atomic_post,
    lock_parent,
    posted_stale,
    restamped,
    stamp,
)
from outsourcing_advisor.common.wording import language_codes, listing, reader_language


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
        package=package.document_name,
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
                category=task.category,
                licensed_work=task.licensed_work,
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


def staffing_facts(assessment: Assessment, package: Package) -> staffing.StaffingFacts:
    """What a staffing request says of a staffing package: its tasks (with their seasonality),
    hours and FTE, and the organisation's working calendar. Two queries."""
    rows = assessment.task_rows(package=package)
    totals = inventory.totals(assessment.as_summary_rows(rows))
    org = assessment.volume_settings
    return staffing.StaffingFacts(
        organisation=assessment.organisation.name,
        package=package.document_name,
        tasks=[
            staffing.StaffingTask(
                task.department,
                task.process,
                task.task,
                derived.annual_hours,
                category=task.category_label,
                expertise=task.expertise,
                one_off=task.continuity == Continuity.ONE_OFF,
                seasonal=task.seasonality == Size.HIGH,
            )
            for task, derived in rows
        ],
        annual_hours=totals.annual_hours,
        fte=totals.fte,
        working_days=org.working_days,
        yearly_hours=org.yearly_hours,
        sensitive=any(task.handles_sensitive_data for task, _derived in rows),
    )


def layout(package: Package) -> tuple[tuple[str, object], ...]:
    """The sections of the package's draft: a staffing request's for a staffing package, else
    an RFP's."""
    return staffing.SECTIONS if package.is_staffing else rfp.SECTIONS


def drafted(assessment: Assessment, package: Package) -> dict[str, str]:
    """The package's draft in the active language."""
    if package.is_staffing:
        return staffing.draft(staffing_facts(assessment, package))
    return rfp.draft(rfp_facts(assessment, package))


def fits(draft: RfpDraft | None, package: Package) -> bool:
    """The stored draft has the sections of the package's kind. A staffing package's draft made
    as an RFP (before staffing requests existed) describes a service contract: it is to be
    generated again, never sent."""
    if draft is None:
        return True
    keys = {key for key, _label in layout(package)}
    return bool(keys & set(draft.sections))


def _language(request: HttpRequest) -> str:
    wanted = request.POST.get("language") or reader_language()
    codes = language_codes()
    return wanted if wanted in codes else codes[0]


@login_required
@atomic_post
def package_rfp(request: HttpRequest, pk: int, package_pk: int) -> HttpResponse:
    """The draft of a package: generated (once, or again when the box is ticked) and edited. Both
    forms carry the stamp of the draft's last save: generating or saving over someone else's
    newer draft is refused, the first generation included (the assessment is locked first: a
    draft not generated yet has no row to lock)."""
    write = request.method == "POST"
    assessment = get_assessment_for_user(request, pk, write=write)
    if write:
        lock_parent(assessment)
    package = get_package_for_user(request, assessment, package_pk)
    draft = RfpDraft.objects.filter(package=package).select_related("updated_by").first()
    seen = stamp(draft.updated_at if draft else None)
    action = request.POST.get("action")
    if action == "generate":
        if draft and posted_stale(request.POST, draft.updated_at):
            messages.error(
                request,
                _(
                    "%(who)s generated or saved this package's RFP draft meanwhile: nothing was "
                    "generated. The draft is below as it is now; to replace it, tick the box and "
                    "generate again."
                )
                % {"who": _who(draft)},
            )
            return redirect("package_rfp", assessment.pk, package.pk)
        if draft and request.POST.get("replace") != "yes":
            messages.error(request, _("This package has a draft: tick the box to replace it."))
            return redirect("package_rfp", assessment.pk, package.pk)
        language = _language(request)
        with translation.override(language):
            sections = drafted(assessment, package)
        RfpDraft.generate(package, sections, language, request.user)
        if package.is_staffing:
            messages.success(request, _("Staffing request drafted from the inventory."))
        else:
            messages.success(request, _("RFP draft generated from the inventory."))
        return redirect("package_rfp", assessment.pk, package.pk)
    sections = layout(package)
    form = RfpForm(
        request.POST if action == "save" else None,
        draft=draft,
        initial={"seen": seen},
        layout=sections,
    )
    theirs: dict[str, str] = {}
    fitting = fits(draft, package)
    if action == "save" and draft and not fitting:
        messages.error(request, _("Generate the staffing request first: nothing was saved."))
        return redirect("package_rfp", assessment.pk, package.pk)
    if action == "save" and draft and form.is_valid():
        if not posted_stale(request.POST, draft.updated_at):
            draft.edit(form.sections(), request.user)
            if package.is_staffing:
                messages.success(request, _("Staffing request saved."))
            else:
                messages.success(request, _("RFP draft saved."))
            return redirect("package_rfp", assessment.pk, package.pk)
        form, theirs = _refused(request, draft, form, seen, sections)
    context = {
        "assessment": assessment,
        "package": package,
        "draft": draft if fitting else None,
        "outdated": not fitting,
        "form": form,
        "seen": seen,
        # Each section's field, with the text saved meanwhile where it differs from the input.
        "sections": [(form[key], theirs.get(key)) for key, _label in sections],
    }
    return render(request, "assessments/rfp.html", context)


def _who(draft: RfpDraft) -> str:
    return person_name(draft.updated_by) if draft.updated_by else _("someone")


def _refused(
    request: HttpRequest,
    draft: RfpDraft,
    form: RfpForm,
    seen: str,
    sections: tuple[tuple[str, object], ...],
) -> tuple[RfpForm, dict[str, str]]:
    """After a save over a newer one: the input again, stamped with the draft as stored, with
    the message naming the sections whose stored text differs from it (their text is shown
    beside each); saving again is a deliberate choice to replace it."""
    theirs = {
        key: draft.sections.get(key, "")
        for key, _label in sections
        if draft.sections.get(key, "") != form.cleaned_data.get(key, "")
    }
    labels = dict(sections)
    again = RfpForm(restamped(request.POST, seen), draft=draft, layout=sections)
    again.is_valid()
    again.add_error(
        None,
        _(
            "%(who)s saved the RFP draft while you were editing it; sections that now differ "
            "from yours: %(sections)s (their text is shown under each). Nothing was saved: save "
            "again to replace theirs with what is below."
        )
        % {
            "who": _who(draft),
            "sections": listing([str(labels[key]) for key in theirs]) or "—",
        },
    )
    return again, theirs


@login_required
@require_GET
def package_rfp_pdf(request: HttpRequest, pk: int, package_pk: int) -> HttpResponse:
    from assessments.reporting import pdf  # WeasyPrint loads only when a PDF is made

    assessment = get_assessment_for_user(request, pk)
    package = get_package_for_user(request, assessment, package_pk)
    draft = RfpDraft.objects.filter(package=package).first()
    if draft is None or not fits(draft, package):
        if package.is_staffing:
            messages.error(request, _("Generate the staffing request first."))
        else:
            messages.error(request, _("Generate the RFP draft first."))
        return redirect("package_rfp", assessment.pk, package.pk)
    with translation.override(draft.language):
        html = render_to_string(
            "reports/rfp.html",
            {
                "assessment": assessment,
                "package": package,
                "sections": [
                    (label, draft.sections.get(key, "")) for key, label in layout(package)
                ],
                "lang": draft.language,
                "today": timezone.localdate(),
            },
        )
    response = HttpResponse(pdf.render_pdf(html), content_type="application/pdf")
    day = timezone.localdate().isoformat()
    kind, slug = ("Staffing request", "staffing") if package.is_staffing else ("RFP", "rfp")
    name = f"{kind} {safe_name(package.name)} {day} {draft.language}.pdf"
    response["Content-Disposition"] = (
        f'attachment; filename="{slug}-{package.pk}-{day}-{draft.language}.pdf"; '
        f"filename*=UTF-8''{quote(name, safe='')}"
    )
    response["Cache-Control"] = "private, no-store"
    return response
