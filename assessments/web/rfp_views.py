"""A package's RFP draft (SPEC 4.7, step 3): generated from the inventory, edited section by
section, downloaded as PDF. The text is drafted by `rfp.draft` (pure); this module gathers its facts
and stores the edits."""

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

from assessments.domain import choices, inventory, rfp
from assessments.domain.choices import Outcome
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
            sections = rfp.draft(rfp_facts(assessment, package))
        RfpDraft.generate(package, sections, language, request.user)
        messages.success(request, _("RFP draft generated from the inventory."))
        return redirect("package_rfp", assessment.pk, package.pk)
    form = RfpForm(request.POST if action == "save" else None, draft=draft, initial={"seen": seen})
    theirs: dict[str, str] = {}
    if action == "save" and draft and form.is_valid():
        if not posted_stale(request.POST, draft.updated_at):
            draft.edit(form.sections(), request.user)
            messages.success(request, _("RFP draft saved."))
            return redirect("package_rfp", assessment.pk, package.pk)
        form, theirs = _refused(request, draft, form, seen)
    context = {
        "assessment": assessment,
        "package": package,
        "draft": draft,
        "form": form,
        "seen": seen,
        # Each section's field, with the text saved meanwhile where it differs from the input.
        "sections": [(form[key], theirs.get(key)) for key in rfp.SECTION_KEYS],
    }
    return render(request, "assessments/rfp.html", context)


def _who(draft: RfpDraft) -> str:
    return person_name(draft.updated_by) if draft.updated_by else _("someone")


def _refused(
    request: HttpRequest, draft: RfpDraft, form: RfpForm, seen: str
) -> tuple[RfpForm, dict[str, str]]:
    """After a save over a newer one: the input again, stamped with the draft as stored, with
    the message naming the sections whose stored text differs from it (their text is shown
    beside each); saving again is a deliberate choice to replace it."""
    theirs = {
        key: draft.sections.get(key, "")
        for key in rfp.SECTION_KEYS
        if draft.sections.get(key, "") != form.cleaned_data.get(key, "")
    }
    labels = dict(rfp.SECTIONS)
    again = RfpForm(restamped(request.POST, seen), draft=draft)
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
