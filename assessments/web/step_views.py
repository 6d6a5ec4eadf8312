"""The workflow's own pages (SPEC 3): goals (step 1), the readiness checklist (step 5, SPEC 4.7)
and KPI/SLA targets with monthly actuals (step 6). Everyone in the organisation reads them;
managers and consultants write. Every save is all or nothing, and a page saved over someone
else's newer change is refused rather than silently overwriting it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from assessments.domain.workflow import Completion, parse_month
from assessments.models import Assessment
from assessments.models.steps import (
    Goals,
    Kpi,
    ReadinessEntry,
    kpi_table,
    readiness_version_of,
)
from assessments.models.versions import ReadinessVersion
from assessments.web.access import form_id, get_assessment_for_user
from assessments.web.step_forms import (
    ActualsForm,
    GoalsForm,
    KpiForm,
    ReadinessForm,
    month_label,
)
from outsourcing_advisor.accounts.models import Membership, person_name
from outsourcing_advisor.common.stamps import (
    atomic_post,
    changed_since,
    lock_parent,
    locking,
    restamped,
    seen_moment,
    stamp,
    stored_moment,
)
from outsourcing_advisor.common.wording import listing


def _who(user: Any) -> str:
    return person_name(user) if user else _("someone")


# --- step 1 --------------------------------------------------------------------------------


@login_required
@atomic_post
def goals(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request, pk, write=request.method == "POST")
    if request.method == "POST":
        lock_parent(assessment)  # the first save too: the second of two at once is refused
    current = Goals.objects.filter(assessment=assessment).select_related("updated_by").first()
    seen = stamp(current.updated_at if current else None)
    form = GoalsForm(request.POST or None, instance=current, initial={"seen": seen})
    if request.method == "POST" and form.is_valid():
        if not changed_since(form.cleaned_data["seen"], current and stored_moment(current)):
            Goals.record(assessment, form.cleaned_data, request.user)
            messages.success(request, _("Goals saved."))
            return redirect("workflow_goals", pk=assessment.pk)
        form = GoalsForm(restamped(request.POST, seen), instance=current)
        form.is_valid()
        form.add_error(None, _conflict_message(current))
    context = {"assessment": assessment, "form": form, "goals": current}
    return render(request, "assessments/goals.html", context)


def _conflict_message(current: Goals | None) -> str:
    ranking = (
        listing([f"{rank}. {label}" for rank, label, _note in current.ranking()]) if current else ""
    )
    return _(
        "%(who)s saved the goals while you were editing them (their ranking: %(ranking)s). "
        "Nothing was saved: save again to replace theirs with what is below."
    ) % {"who": _who(current.updated_by if current else None), "ranking": ranking or "—"}


# --- step 5 --------------------------------------------------------------------------------


@login_required
@atomic_post
def readiness(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request, pk, write=request.method == "POST")
    version = readiness_version_of(assessment)
    if version is None:
        return render(request, "assessments/readiness.html", {"assessment": assessment})
    items = list(version.items.all())
    if request.method == "POST":
        lock_parent(assessment)  # an item saved for the first time has no entry to lock
    entries = locking(ReadinessEntry.objects.of(assessment, version)).by_item()
    seen = stamp(max((e.updated_at for e in entries.values()), default=None))
    initial = {"seen": seen, **_initial(entries)}
    form = ReadinessForm(items, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        since = seen_moment(form.cleaned_data["seen"])
        changed = [e for e in entries.values() if since is None or e.updated_at > since]
        if not changed:
            count = ReadinessEntry.record(assessment, version, form.values(), request.user)
            if count:
                messages.success(
                    request,
                    ngettext("%(count)d item updated.", "%(count)d items updated.", count)
                    % {"count": count},
                )
            else:
                messages.info(request, _("Nothing had changed."))
            return redirect("workflow_readiness", pk=assessment.pk)
        form = ReadinessForm(items, restamped(request.POST, seen))
        form.is_valid()
        form.add_error(None, _readiness_conflict(changed))
    context = _readiness_context(assessment, version, form, entries)
    return render(request, "assessments/readiness.html", context)


def _initial(entries: dict[int, ReadinessEntry]) -> dict[str, str]:
    initial = {}
    for item_id, entry in entries.items():
        initial |= {
            f"owner_{item_id}": entry.owner,
            f"status_{item_id}": entry.status,
            f"note_{item_id}": entry.note,
        }
    return initial


def _readiness_conflict(changed: list[ReadinessEntry]) -> str:
    return _(
        "Someone changed these items while you were editing: %(items)s. Nothing was saved: "
        "check them, then save again to keep what is below."
    ) % {
        "items": listing(
            [
                f"{e.item.code} ({e.get_status_display()}, {_who(e.updated_by)})"
                for e in sorted(changed, key=lambda e: (e.item.order, e.item.code))
            ]
        )
    }


def _readiness_context(
    assessment: Assessment,
    version: ReadinessVersion,
    form: ReadinessForm,
    entries: dict[int, ReadinessEntry],
) -> dict[str, Any]:
    statuses = [entry.status for entry in entries.values()]
    completion = Completion(
        statuses.count("done"), len(form.items), statuses.count("not_applicable")
    )
    members = Membership.objects.filter(organisation=assessment.organisation).select_related("user")
    return {
        "assessment": assessment,
        "version": version,
        "form": form,
        "rows": [(item, fields, entries.get(item.pk)) for item, fields in form.rows()],
        "problems": form.problems() if form.is_bound else [],
        "completion": completion,
        "members": sorted({_who(m.user) for m in members}),
    }


# --- step 6 --------------------------------------------------------------------------------


def _kpi(assessment: Assessment, value: str | None) -> Kpi | None:
    """The assessment's KPI named by a posted or linked id; none asked: None; another's: 404."""
    if not value:
        return None
    kpi = assessment.kpis.filter(pk=form_id(value)).first()
    if kpi is None:
        raise Http404
    return kpi


@login_required
@atomic_post
def operation(request: HttpRequest, pk: int) -> HttpResponse:
    """KPI/SLA targets (added and edited here) and the months × KPIs table of actuals. A KPI
    edited from a page read before someone else's save of it is refused, as everywhere."""
    assessment = get_assessment_for_user(request, pk, write=request.method == "POST")
    if request.method == "POST":
        # Two KPIs added at once under one name: the second waits, then is told it is taken.
        lock_parent(assessment)
    editing = _kpi(assessment, request.POST.get("kpi") or request.GET.get("edit"))
    name = editing.name if editing else ""  # as stored: validating writes the input to it
    form = KpiForm(request.POST or None, instance=editing, prefix="kpi", assessment=assessment)
    if request.method == "POST" and form.is_valid():
        if not form.is_stale():
            kpi = form.save()
            messages.success(request, _("KPI “%(name)s” saved.") % {"name": kpi.name})
            return redirect("workflow_operation", pk=assessment.pk)
        editing, form = form.refused(
            _("the KPI “%(name)s”") % {"name": name}, assessment=assessment
        )
    return _operation_page(request, assessment, kpi_form=form, editing=editing)


def _operation_page(
    request: HttpRequest,
    assessment: Assessment,
    *,
    kpi_form: KpiForm | None = None,
    actuals_form: ActualsForm | None = None,
    editing: Kpi | None = None,
) -> HttpResponse:
    table = kpi_table(assessment)
    actuals_form = actuals_form or ActualsForm(table.kpis, prefix="actuals")
    context = {
        "assessment": assessment,
        "table": table,
        "summary": list(zip(table.kpis, table.met_counts(), strict=True)),
        "kpi_form": kpi_form or KpiForm(prefix="kpi", assessment=assessment),
        "editing": editing,
        "actuals_form": actuals_form,
        "problems": actuals_form.problems() if actuals_form.is_bound else [],
    }
    return render(request, "assessments/operation.html", context)


@login_required
@require_POST
def operation_actuals(request: HttpRequest, pk: int) -> HttpResponse:
    """One month's actuals, all or nothing."""
    assessment = get_assessment_for_user(request, pk, write=True)
    form = ActualsForm(list(assessment.kpis.all()), request.POST, prefix="actuals")
    if form.is_valid():
        month = form.cleaned_data["month"]
        try:
            count = Kpi.record_month(assessment, month, form.values(), request.user)
        except IntegrityError:  # the same month recorded by someone else a moment ago
            messages.error(
                request,
                _("%(month)s was recorded by someone else meanwhile; nothing was saved.")
                % {"month": month_label(month)},
            )
            return redirect("workflow_operation", pk=assessment.pk)
        messages.success(
            request,
            ngettext(
                "%(month)s: %(count)d figure recorded.",
                "%(month)s: %(count)d figures recorded.",
                count,
            )
            % {"month": month_label(month), "count": count},
        )
        return redirect("workflow_operation", pk=assessment.pk)
    return _operation_page(request, assessment, actuals_form=form)


@login_required
@require_POST
def operation_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a KPI (with its actuals) or every actual of one month, to enter it again."""
    assessment = get_assessment_for_user(request, pk, write=True)
    kpi = _kpi(assessment, request.POST.get("kpi"))
    if kpi is not None:
        kpi.delete()
        messages.success(request, _("KPI “%(name)s” deleted.") % {"name": kpi.name})
        return redirect("workflow_operation", pk=assessment.pk)
    month = parse_month(request.POST.get("month", ""))
    if month is None:
        messages.error(request, _("Choose a KPI or a month to delete."))
    elif Kpi.delete_month(assessment, month):
        messages.success(
            request,
            _("The figures of %(month)s were deleted.") % {"month": month_label(month)},
        )
    return redirect("workflow_operation", pk=assessment.pk)
