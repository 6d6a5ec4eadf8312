from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from assessments.background.jobs import Job
from assessments.domain import choices, columns, inventory
from assessments.domain import classification as cl
from assessments.domain.choices import STAFFING_MODELS, Verdict
from assessments.domain.classification import OUTSOURCED
from assessments.models import Assessment, Task
from assessments.models.assessment import TRASH_DAYS
from assessments.reporting import spreadsheets
from assessments.reporting.explain import undecided_labels
from assessments.web.access import (
    form_id,
    get_assessment_for_user,
    get_package_for_user,
    get_task_for_user,
)
from assessments.web.forms import (
    AssessmentForm,
    HorizonForm,
    TaskAddForm,
    TaskForm,
    TaskRowForm,
)
from assessments.web.inventory_forms import BulkEditForm, InventoryFilter
from outsourcing_advisor.accounts.access import get_organisation_for_user
from outsourcing_advisor.common.stamps import atomic_post
from outsourcing_advisor.history import display as history_display
from outsourcing_advisor.history import record as history

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@login_required
def assessment_create(request: HttpRequest, org_pk: int) -> HttpResponse:
    organisation = get_organisation_for_user(request, org_pk, write=True)
    form = AssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        assessment = Assessment.objects.start(
            organisation=organisation, created_by=request.user, **form.cleaned_data
        )
        return redirect("inventory", pk=assessment.pk)
    return render(
        request, "assessments/assessment_form.html", {"form": form, "organisation": organisation}
    )


SHOWN_LONG_OCCURRENCES = 5


@login_required
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The overview: totals, warnings about implausible figures, hours and cost by department and
    by category, indirect ratio."""
    assessment = get_assessment_for_user(request, pk)
    rows = assessment.summary_rows()
    quadrant = inventory.quadrant(rows)
    totals = inventory.totals(rows)
    organisation = assessment.organisation
    warnings = inventory.plausibility(
        assessment.tasks.order_by("position", "id").values_list("task", "minutes"),
        totals.annual_hours,
        organisation.indirect_headcount,
        assessment.volume_settings,
    )
    long = [w for w in warnings if w.code == inventory.Plausibility.LONG_OCCURRENCE]
    by_model = inventory.model_breakdown(rows, **undecided_labels())
    context = {
        "assessment": assessment,
        "totals": totals,
        # SPEC 4.2: implausible figures are warned about, never refused. A file in seconds could
        # make every task too long: the first few say it.
        "long_occurrences": long[:SHOWN_LONG_OCCURRENCES],
        "more_long_occurrences": max(len(long) - SHOWN_LONG_OCCURRENCES, 0),
        "headcount_warning": next(
            (w for w in warnings if w.code != inventory.Plausibility.LONG_OCCURRENCE), None
        ),
        "by_department": inventory.breakdown(rows, "department"),
        "by_category": inventory.breakdown(rows, "category"),
        # Every task, those without a model too: the table adds up to the inventory's total.
        "by_model": by_model,
        "undecided_tasks": sum(group.tasks for group in by_model if group.undecided),
        # Outsourcing and external staffing (dispatch) counted apart, never added up (SPEC 4.4).
        "sourcing": inventory.sourcing(rows, OUTSOURCED, STAFFING_MODELS),
        "quadrant": quadrant,
        "quadrant_rows": [
            (verdict, choices.label(Verdict, verdict), quadrant.row(verdict))
            for verdict in inventory.QUADRANT_VERDICTS
        ],
        "indirect": assessment.indirect_ratio,
        "imports": assessment.imports.listed()[:5],
        # Large reports are made in the background, with a progress page.
        "background_report": len(rows) > settings.BACKGROUND_REPORT_TASKS,
        "jobs": Job.objects.of(assessment).recent()[:5],
    }
    return render(request, "assessments/assessment_detail.html", context)


@login_required
@require_POST
def assessment_horizon(request: HttpRequest, pk: int) -> HttpResponse:
    """The years the cost comparison covers: set where the management overhead is, by those who
    may set it, and back to the package it was set on (else the assessment)."""
    assessment = get_assessment_for_user(request, pk, write=True)
    posted = request.POST.get("package")
    package = get_package_for_user(request, assessment, form_id(posted)) if posted else None
    form = HorizonForm(request.POST)
    if form.is_valid():
        assessment.set_horizon(form.cleaned_data["horizon_years"], request.user)
        messages.success(request, _("Horizon saved."))
    else:
        messages.error(request, " ".join(str(error) for error in form.errors["horizon_years"]))
    if package is None:
        return redirect("assessment_detail", pk=assessment.pk)
    return redirect(reverse("package_vendors", args=[assessment.pk, package.pk]) + "#costs")


# What the inventory table reads of each task: the cells of _task_row.html, what Task.derive and
# the sorting of InventoryFilter (inventory_forms.py) read. Loaded as plain values
# (Assessment.task_views), not model instances: a third of the time for a thousand tasks; one
# missing is an AttributeError.
INVENTORY_COLUMNS = (
    *("department", "process", "task", "category"),
    *("frequency", "occurrences", "minutes", "people", "hourly_cost", "people_able"),
    *("days_per_year", "annual_hours"),
    *("result__verdict", "result__model", "result__suitability", "override__model"),
    "check_assignee_id",  # who has the check (issue 18): a name beside the verdict
)


@login_required
def inventory_table(request: HttpRequest, pk: int) -> HttpResponse:
    """The fast table of every task, editable in place, with its search and filters (in the
    query string: a link shows the same tasks); a new search or filter updates the table, its
    count and totals in place."""
    assessment = get_assessment_for_user(request, pk)
    context = inventory_context(request, assessment)
    if request.htmx and request.htmx.target == "inventory-results":
        response = render(request, "assessments/_inventory_update.html", context)
        # The address says only the conditions in use: a link to share.
        query = context["query"]
        response["HX-Push-Url"] = request.path + (f"?{query}" if query else "")
        return response
    return render(request, "assessments/inventory.html", context)


def inventory_context(
    request: HttpRequest,
    assessment: Assessment,
    *,
    selected: frozenset[int] = frozenset(),
    bulk: BulkEditForm | None = None,
) -> dict[str, object]:
    """What the inventory's table shows: the tasks the search and filters find, in their
    order, their count among all and their totals; when none is found, how many each filter
    taken away would give. For editors the add row and the bar that changes the rows selected
    (`selected`, kept after a refused change, with its form `bulk`). A few queries, whatever
    the number of tasks."""
    departments = InventoryFilter.departments(assessment.tasks.all())
    filters = InventoryFilter(request.GET, departments=departments, user=request.user)
    rows = filters.order(assessment.task_views(filters.query(), columns=INVENTORY_COLUMNS))
    active = filters.active
    context: dict[str, object] = {
        "assessment": assessment,
        "filters": filters,
        "active": active,
        "query": filters.query_string,
        "rows": rows,
        "shown": len(rows),
        "total": assessment.tasks.count() if active else len(rows),
        "totals": inventory.derived_totals(derived for _task, derived in rows),
        # Escaped once here, not in each of a thousand rows.
        **{name: conditional_escape(label) for name, label in row_labels().items()},
        "selected": selected,
        "trash_days": TRASH_DAYS,
    }
    if active and not rows:  # what to loosen: how many each filter taken away would give
        context["loosen"] = [
            (found, assessment.tasks.filter(filters.query(without=found.name)).count())
            for found in active
        ]
    if assessment.can_edit:
        context["add_form"] = TaskAddForm(autofocus=None)
        context["bulk_form"] = bulk or BulkEditForm(assessment.criteria())
    return context


@login_required
@require_GET
def inventory_totals(request: HttpRequest, pk: int) -> HttpResponse:
    """The totals strip, refreshed in place after an inline edit, and the count above the table
    with it (out of band)."""
    assessment = get_assessment_for_user(request, pk)
    departments = InventoryFilter.departments(assessment.tasks.all())
    filters = InventoryFilter(request.GET, departments=departments, user=request.user)
    rows = assessment.as_summary_rows(assessment.task_rows(filters.query()))
    active = filters.active
    context = {
        "assessment": assessment,
        "totals": inventory.totals(rows),
        "filters": filters,
        "active": active,
        "shown": len(rows),
        "total": assessment.tasks.count() if active else len(rows),
    }
    return render(request, "assessments/_totals_refresh.html", context)


# What "Save and add another" carries over to the next task: the next one is usually in the same
# department and process.
KEPT_FOR_THE_NEXT_TASK = ("department", "process", "category")


@login_required
def task_create(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request, pk, write=True)
    kept = {name: request.GET[name] for name in KEPT_FOR_THE_NEXT_TASK if name in request.GET}
    form = TaskForm(request.POST or None, instance=Task(assessment=assessment), initial=kept)
    if request.method == "POST" and form.is_valid():
        task = assessment.add_task(form.save(commit=False), request.user)
        messages.success(request, _("Task “%(task)s” added.") % {"task": task.task})
        if "add_another" in request.POST:
            carried = {name: getattr(task, name) for name in KEPT_FOR_THE_NEXT_TASK}
            return redirect(reverse("task_create", args=[assessment.pk]) + "?" + urlencode(carried))
        return redirect(reverse("inventory", args=[assessment.pk]) + f"#task-{task.pk}")
    context = {"assessment": assessment, "form": form, "kept": bool(kept)}
    return render(request, "assessments/task_form.html", context)


@login_required
@atomic_post
def task_edit(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request, pk, write=request.method == "POST")
    task = get_task_for_user(request, assessment, task_pk)
    before = history.snapshot(task, TaskForm.Meta.fields)  # is_valid() writes to the task
    form = TaskForm(request.POST or None, instance=task)
    if request.method == "POST" and form.is_valid():
        if not form.is_stale():
            assessment.save_task(form.save(commit=False), before, request.user)
            messages.success(request, _("Task “%(task)s” saved.") % {"task": task.task})
            return redirect(reverse("inventory", args=[assessment.pk]) + f"#task-{task.pk}")
        task, form = form.refused(_("this task"))
    derived = task.derive(assessment.volume_settings)
    context = {"assessment": assessment, "form": form, "task": task, "derived": derived}
    context["needed"] = attributes_needed(assessment, task, derived)
    # Beside stated hours, what the parts give: a gap shows one of them is out of date.
    context["parts_hours"] = inventory.computed_hours(task.volume, derived.annual_occurrences)
    events = history_display.task_events(assessment, task.pk)
    context["history"] = history_display.shown(events, assessment, request.user)
    return render(request, "assessments/task_form.html", context)


def row_labels() -> dict[str, str]:
    """Translated once per page, not once per row: the table has a thousand rows."""
    return {
        "edit_label": _("Edit"),
        "select_label": _("Select:"),
        "dependency_label": _("1 person"),
        "dependency_hint": _("Only one person can do it"),
        "check_label": _("Check"),
        "assignee_label": _("Check assigned to"),
        "stated_label": _("stated"),
        "stated_hint": _(
            "Annual hours entered for the task: they are used instead of times × minutes × "
            "people. Change them in the guided form."
        ),
    }


def attributes_needed(
    assessment: Assessment, task: Task, derived: inventory.Derived | None = None
) -> list[str]:
    """The attributes the task's recommendation does without, by their labels in the forms:
    blank, they give the "attributes missing" warning (a task not yet checked is taken as
    non-core, so it is said before the warning appears)."""
    if assessment.rule_version is None:
        return []
    derived = derived or task.derive(assessment.volume_settings)
    result = task.current_result
    verdict = result.verdict if result and result.verdict != Verdict.INCOMPLETE else "non_core"
    names = cl.attributes_needed(
        task.attributes,
        assessment.rule_version.as_domain(),
        annual_hours=derived.annual_hours,
        verdict=verdict,
    )
    return [columns.label(name) for name in names]


def _row(request: HttpRequest, assessment: Assessment, task: Task, **extra: object) -> HttpResponse:
    """The task's row; after a change, with the stepper (its counts) swapped in place too."""
    derived = task.derive(assessment.volume_settings)
    context = {"assessment": assessment, "task": task, "derived": derived, **row_labels(), **extra}
    context["stepper"] = request.method == "POST"
    response = render(request, "assessments/_task_row.html", context)
    response["HX-Trigger"] = "inventory-changed"
    return response


def task_row_response(request: HttpRequest, assessment: Assessment, task: Task) -> HttpResponse:
    """The task's row as htmx swaps it in (a task brought back from the trash, say)."""
    return _row(request, assessment, task)


@login_required
def task_row(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    """GET: the row as text (cancel an edit). Used by htmx."""
    assessment = get_assessment_for_user(request, pk)
    return _row(request, assessment, get_task_for_user(request, assessment, task_pk))


@login_required
@atomic_post
def task_row_edit(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    """The row as inputs (GET) and its save (POST): Enter saves, Escape cancels."""
    assessment = get_assessment_for_user(request, pk, write=True)
    task = get_task_for_user(request, assessment, task_pk)
    row_form = f"row-form-{task.pk}"
    before = history.snapshot(task, TaskRowForm.Meta.fields)  # is_valid() writes to the task
    form = TaskRowForm(request.POST or None, instance=task, form_id=row_form)
    if request.method == "POST" and form.is_valid():
        if not form.is_stale():
            assessment.save_task(form.save(commit=False), before, request.user)
            return _row(request, assessment, task)
        task, form = form.refused(_("this task"), form_id=row_form)
    context = {"assessment": assessment, "task": task, "form": form}
    return render(request, "assessments/_task_row_form.html", context)


@login_required
@require_POST
def task_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Quick add from the last row of the table."""
    assessment = get_assessment_for_user(request, pk, write=True)
    form = TaskAddForm(request.POST, instance=Task(assessment=assessment))
    if not form.is_valid():
        if not request.htmx:
            messages.error(request, _("The task was not added: check the highlighted fields."))
            return redirect("inventory", pk=assessment.pk)
        return render(
            request, "assessments/_add_row.html", {"assessment": assessment, "add_form": form}
        )
    task = assessment.add_task(form.save(commit=False), request.user)
    if not request.htmx:
        return redirect("inventory", pk=assessment.pk)
    # The next task is usually in the same department and process: the cursor goes to its name.
    kept = {name: getattr(task, name) for name in KEPT_FOR_THE_NEXT_TASK}
    return _row(
        request,
        assessment,
        task,
        next_add_form=TaskAddForm(initial=kept, autofocus="task"),
        added=task,
        needed=attributes_needed(assessment, task),
    )


@login_required
@require_POST
def task_duplicate(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request, pk, write=True)
    original = get_task_for_user(request, assessment, task_pk)
    copy = assessment.duplicate_task(original, request.user)
    messages.success(request, _("Task duplicated."))
    return redirect(reverse("inventory", args=[assessment.pk]) + f"#task-{copy.pk}")


@login_required
@require_POST
def task_delete(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    """Move a task to the trash (the row's menu): in the table, its row says so, with a button
    that brings it back; the stepper's counts change with it."""
    assessment = get_assessment_for_user(request, pk, write=True)
    task = get_task_for_user(request, assessment, task_pk)
    assessment.trash_task(task, request.user)
    if request.htmx:
        context = {"assessment": assessment, "task": task, "trash_days": TRASH_DAYS}
        response = render(request, "assessments/_task_trashed_row.html", context)
        response["HX-Trigger"] = "inventory-changed"
        return response
    messages.success(
        request,
        _("Task “%(task)s” moved to the trash: you can restore it from there for %(days)s days.")
        % {"task": task.task, "days": TRASH_DAYS},
    )
    return redirect("inventory", pk=assessment.pk)


@login_required
@require_POST
def task_move(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request, pk, write=True)
    task = get_task_for_user(request, assessment, task_pk)
    task.move(-1 if request.POST.get("direction") == "up" else 1)
    return redirect(reverse("inventory", args=[assessment.pk]) + f"#task-{task.pk}")


@login_required
@never_cache  # the client's inventory: no copy in a shared or browser cache
def export_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request, pk)
    content = spreadsheets.export_workbook(assessment, get_language())
    response = HttpResponse(content, content_type=XLSX)
    filename = f"inventory-{assessment.pk}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def template_xlsx(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(spreadsheets.template_workbook(get_language()), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="inventory-template.xlsx"'
    return response
