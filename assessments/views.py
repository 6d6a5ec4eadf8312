from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assessments import choices, importing, inventory, jobs, spreadsheets
from assessments.access import get_assessment_for_user, get_task_for_user, get_upload_for_user
from assessments.forms import (
    AssessmentForm,
    InventoryFilter,
    MappingForm,
    TaskForm,
    TaskRowForm,
    UploadForm,
)
from assessments.jobs import Job, JobKind
from assessments.models import Assessment, PendingUpload, Task, Verdict
from assessments.stamps import atomic_post
from outsourcing_advisor.accounts.access import get_organisation_for_user
from outsourcing_advisor.accounts.models import Organisation
from outsourcing_advisor.history import display as history_display
from outsourcing_advisor.history import record as history
from outsourcing_advisor.history.models import Action, SubjectType

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The organisations the user belongs to, each with its assessments."""
    organisations = Organisation.objects.with_role(request.user).prefetch_related(
        Prefetch("assessments", queryset=Assessment.objects.order_by("-updated_at"))
    )
    return render(request, "assessments/home.html", {"organisations": organisations})


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


@login_required
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The overview: totals, hours and cost by department and by category, indirect ratio."""
    assessment = get_assessment_for_user(request, pk)
    rows = assessment.summary_rows()
    quadrant = inventory.quadrant(rows)
    context = {
        "assessment": assessment,
        "totals": inventory.totals(rows),
        "by_department": inventory.breakdown(rows, "department"),
        "by_category": inventory.breakdown(rows, "category"),
        "by_model": inventory.breakdown([row for row in rows if row.model], "model"),
        "quadrant": quadrant,
        "quadrant_rows": [
            (verdict, choices.label(Verdict, verdict), quadrant.row(verdict))
            for verdict in inventory.QUADRANT_VERDICTS
        ],
        "indirect": assessment.organisation.indirect_ratio,
        "imports": assessment.imports.select_related("imported_by")[:5],
        # Large reports are made in the background, with a progress page.
        "background_report": len(rows) > settings.BACKGROUND_REPORT_TASKS,
        "jobs": Job.objects.of(assessment).recent()[:5],
    }
    return render(request, "assessments/assessment_detail.html", context)


# What the inventory table reads of each task: the cells of _task_row.html, what Task.derive and
# the sorting of InventoryFilter read. Loaded as plain values (Assessment.task_views), not model
# instances: a third of the time for a thousand tasks; one missing is an AttributeError.
INVENTORY_COLUMNS = (
    *("department", "process", "task", "category"),
    *("frequency", "occurrences", "minutes", "people", "hourly_cost", "people_able"),
    *("result__verdict", "result__model", "result__suitability", "override__model"),
)


@login_required
def inventory_table(request: HttpRequest, pk: int) -> HttpResponse:
    """The fast table of every task, editable in place."""
    assessment = get_assessment_for_user(request, pk)
    filters = InventoryFilter(request.GET or None)
    rows = filters.order(assessment.task_views(filters.query(), columns=INVENTORY_COLUMNS))
    context = {
        "assessment": assessment,
        "filters": filters,
        "rows": rows,
        "totals": inventory.derived_totals(derived for _task, derived in rows),
        # Escaped once here, not in each of a thousand rows.
        **{name: conditional_escape(label) for name, label in row_labels().items()},
        "add_form": (
            TaskRowForm(form_id="add-task", autofocus=False) if assessment.can_edit else None
        ),
    }
    return render(request, "assessments/inventory.html", context)


@login_required
@require_GET
def inventory_totals(request: HttpRequest, pk: int) -> HttpResponse:
    """The totals strip, refreshed in place after an inline edit."""
    assessment = get_assessment_for_user(request, pk)
    filters = InventoryFilter(request.GET or None)
    rows = assessment.as_summary_rows(assessment.task_rows(filters.query()))
    context = {"assessment": assessment, "totals": inventory.totals(rows), "filters": filters}
    return render(request, "assessments/_totals.html", context)


@login_required
def task_create(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request, pk, write=True)
    form = TaskForm(request.POST or None, instance=Task(assessment=assessment))
    if request.method == "POST" and form.is_valid():
        task = form.save(commit=False)
        task.position = assessment.next_position()
        task.save()
        assessment.recompute_results([task])
        history.record(request.user, SubjectType.TASK, task, Action.CREATED, assessment=assessment)
        messages.success(request, _("Task “%(task)s” added.") % {"task": task.task})
        if "add_another" in request.POST:
            return redirect("task_create", pk=assessment.pk)
        return redirect(reverse("inventory", args=[assessment.pk]) + f"#task-{task.pk}")
    return render(request, "assessments/task_form.html", {"assessment": assessment, "form": form})


@login_required
@atomic_post
def task_edit(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request, pk, write=request.method == "POST")
    task = get_task_for_user(request, assessment, task_pk)
    before = history.snapshot(task, TaskForm.Meta.fields)  # is_valid() writes to the task
    form = TaskForm(request.POST or None, instance=task)
    if request.method == "POST" and form.is_valid():
        if not form.is_stale():
            assessment.recompute_results([form.save()])
            history.record_change(
                request.user, SubjectType.TASK, task, before, assessment=assessment
            )
            messages.success(request, _("Task “%(task)s” saved.") % {"task": task.task})
            return redirect(reverse("inventory", args=[assessment.pk]) + f"#task-{task.pk}")
        task, form = form.refused(_("this task"))
    derived = task.derive(assessment.organisation.volume_settings)
    context = {"assessment": assessment, "form": form, "task": task, "derived": derived}
    events = history_display.task_events(assessment, task.pk)
    context["history"] = history_display.shown(events, assessment, request.user)
    return render(request, "assessments/task_form.html", context)


def row_labels() -> dict[str, str]:
    """Translated once per page, not once per row: the table has a thousand rows."""
    return {
        "edit_label": _("Edit"),
        "dependency_label": _("1 person"),
        "dependency_hint": _("Only one person can do it"),
        "check_label": _("Check"),
    }


def _row(request: HttpRequest, assessment: Assessment, task: Task, **extra: object) -> HttpResponse:
    derived = task.derive(assessment.organisation.volume_settings)
    context = {"assessment": assessment, "task": task, "derived": derived, **row_labels(), **extra}
    response = render(request, "assessments/_task_row.html", context)
    response["HX-Trigger"] = "inventory-changed"
    return response


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
            assessment.recompute_results([form.save()])
            history.record_change(
                request.user, SubjectType.TASK, task, before, assessment=assessment
            )
            return _row(request, assessment, task)
        task, form = form.refused(_("this task"), form_id=row_form)
    context = {"assessment": assessment, "task": task, "form": form}
    return render(request, "assessments/_task_row_form.html", context)


@login_required
@require_POST
def task_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Quick add from the last row of the table."""
    assessment = get_assessment_for_user(request, pk, write=True)
    form = TaskRowForm(request.POST, instance=Task(assessment=assessment), form_id="add-task")
    if not form.is_valid():
        if not request.htmx:
            messages.error(request, _("The task was not added: check the highlighted fields."))
            return redirect("inventory", pk=assessment.pk)
        return render(
            request, "assessments/_add_row.html", {"assessment": assessment, "add_form": form}
        )
    task = form.save(commit=False)
    task.position = assessment.next_position()
    task.save()
    assessment.recompute_results([task])
    history.record(request.user, SubjectType.TASK, task, Action.CREATED, assessment=assessment)
    if not request.htmx:
        return redirect("inventory", pk=assessment.pk)
    return _row(request, assessment, task, next_add_form=TaskRowForm(form_id="add-task"))


@login_required
@require_POST
def task_duplicate(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request, pk, write=True)
    original = get_task_for_user(request, assessment, task_pk)
    copy = original.duplicate()
    assessment.recompute_results([copy])
    details = {"copy_of": str(original)}
    history.record(
        request.user, SubjectType.TASK, copy, Action.CREATED, details=details, assessment=assessment
    )
    messages.success(request, _("Task duplicated."))
    return redirect(reverse("inventory", args=[assessment.pk]) + f"#task-{copy.pk}")


@login_required
@require_POST
def task_delete(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request, pk, write=True)
    task = get_task_for_user(request, assessment, task_pk)
    # Recorded first: delete() forgets the id. What it held stays readable in the history.
    gone = history.field_changes(history.snapshot(task, TaskForm.Meta.fields), {})
    history.record(
        request.user, SubjectType.TASK, task, Action.DELETED, changes=gone, assessment=assessment
    )
    task.delete()
    if request.htmx:
        response = HttpResponse("")
        response["HX-Trigger"] = "inventory-changed"
        return response
    messages.success(request, _("Task “%(task)s” deleted.") % {"task": task.task})
    return redirect("inventory", pk=assessment.pk)


@login_required
@require_POST
def task_move(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request, pk, write=True)
    task = get_task_for_user(request, assessment, task_pk)
    task.move(-1 if request.POST.get("direction") == "up" else 1)
    return redirect(reverse("inventory", args=[assessment.pk]) + f"#task-{task.pk}")


@login_required
def import_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a file: import it at once when its headers are known, else ask for the mapping."""
    assessment = get_assessment_for_user(request, pk, write=True)
    form = UploadForm(request.POST or None, request.FILES or None)
    problems: list[importing.Problem] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data, replace = upload.read(), form.cleaned_data["replace"]
        try:
            sheet = importing.read_sheet(data, upload.name)
            mapping, unknown = importing.auto_mapping(sheet.headers)
            if unknown or importing.check_mapping(sheet.headers, mapping):
                # One file waiting for its mapping per person and assessment: an abandoned
                # one is replaced, not kept forever.
                PendingUpload.objects.filter(
                    assessment=assessment, uploaded_by=request.user
                ).delete()
                pending = PendingUpload.objects.create(
                    assessment=assessment,
                    uploaded_by=request.user,
                    filename=upload.name,
                    content=data,
                    replace=replace,
                )
                return redirect("import_mapping", pk=assessment.pk, upload_pk=pending.pk)
            return _import(request, assessment, sheet, data, upload.name, mapping, replace)
        except importing.ImportRejected as rejected:
            problems = rejected.problems
    context = {
        "assessment": assessment,
        "form": form,
        "problems": problems,
        "jobs": Job.objects.of(assessment).filter(kind=JobKind.IMPORT).recent()[:5],
    }
    return render(request, "assessments/import.html", context, status=400 if problems else 200)


@login_required
def import_mapping(request: HttpRequest, pk: int, upload_pk: int) -> HttpResponse:
    """The column-mapping step for a file whose headers differ from the template's."""
    assessment = get_assessment_for_user(request, pk, write=True)
    upload = get_upload_for_user(request, assessment, upload_pk)
    data = bytes(upload.content)
    try:
        sheet = importing.read_sheet(data, upload.filename)
    except importing.ImportRejected as rejected:  # e.g. the limits were lowered meanwhile
        upload.delete()
        for problem in rejected.problems:
            messages.error(request, str(problem))
        return redirect("import_upload", pk=assessment.pk)
    initial, _unknown = importing.auto_mapping(sheet.headers)
    form = MappingForm(request.POST or None, headers=sheet.headers, initial_mapping=initial)
    problems: list[importing.Problem] = []
    if request.method == "POST" and form.is_valid():
        try:
            response = _import(
                request, assessment, sheet, data, upload.filename, form.mapping, upload.replace
            )
            upload.delete()
            return response
        except importing.ImportRejected as rejected:
            problems = rejected.problems
    context = {"assessment": assessment, "form": form, "upload": upload, "problems": problems}
    return render(
        request, "assessments/import_mapping.html", context, status=400 if problems else 200
    )


def _import(
    request: HttpRequest,
    assessment: Assessment,
    sheet: importing.Sheet,
    data: bytes,
    filename: str,
    mapping: importing.Mapping,
    replace: bool,
) -> HttpResponse:
    """Import at once, or, for a file with many rows, in the background with a progress page."""
    if len(sheet.rows) > settings.BACKGROUND_IMPORT_ROWS:
        job = jobs.start_import(
            assessment,
            request.user,
            data=data,
            filename=filename,
            mapping=mapping,
            replace=replace,
            lang=get_language() or settings.LANGUAGE_CODE,
        )
        return redirect("job_detail", pk=assessment.pk, job_pk=job.pk)
    parsed = importing.parse_file(data, filename, mapping)
    record = assessment.import_tasks(
        parsed.rows, filename=filename, sha256=parsed.sha256, user=request.user, replace=replace
    )
    message = ngettext(
        "Imported %(rows)s task from %(file)s.",
        "Imported %(rows)s tasks from %(file)s.",
        record.rows,
    )
    messages.success(request, message % {"rows": record.rows, "file": filename})
    return redirect("assessment_detail", pk=assessment.pk)


@login_required
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
