"""The core/non-core check in the browser: the guided check of one task, the answer grid and the
consultant's override (SPEC 4.3, 4.4). Moving to other versions: version_views.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from assessments.domain.choices import Verdict
from assessments.models import Assessment, Task
from assessments.reporting.explain import explain_task
from assessments.web import collaboration_views
from assessments.web.access import get_assessment_for_user, get_task_for_user
from assessments.web.forms import ANSWER_CHOICES, AnswerGridForm, CheckForm, OverrideForm
from outsourcing_advisor.common.stamps import (
    atomic_post,
    conflict_message,
    differences,
    posted_stale,
    stamp,
    stored_moment,
)

GRID_PAGE_SIZE = 50

# The inventory attribute each pre-filled answer follows (SPEC 4.3).
PREFILLED_FROM = {
    "C3": "standardizable",
    "C4": "expertise",
    "C6": "confidentiality",
    "C8": "seasonality",
    "C9": "people_able",
}


@login_required
@atomic_post
def task_check(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    """The guided check of one task: ten questions, its result, and the override."""
    assessment = get_assessment_for_user(request, pk, write=request.method == "POST")
    task = get_task_for_user(request, assessment, task_pk)
    form = CheckForm(assessment.criteria(), request.POST or None, initial=task.effective_answers())
    if request.method == "POST" and form.is_valid():
        if not posted_stale(request.POST, stored_moment(task)):
            assessment.save_answers([(task, form.cleaned_data)], request.user)
            return _after_check(request, assessment, task)
        # Someone changed the task (its answers or the inventory they follow) meanwhile: the
        # user's answers stay on the page, now stamped with what is stored.
        stored = task.effective_answers()
        stored = {code: stored.get(code, "") for code in form.fields}
        changes = differences(form, stored, form.cleaned_data, labels={c: c for c in form.fields})
        form.add_error(None, conflict_message(_("the answers of this task"), changes))
    checked, total = assessment.check_progress()
    before, after = task.neighbours()
    override = getattr(task, "override", None)
    context = {
        "assessment": assessment,
        "task": task,
        "questions": _questions(form, task),
        "form": form,
        "seen": stamp(task.updated_at),
        "explanation": explain_task(task),
        "override": override,
        "override_form": _override_form(assessment, task, override),
        "checked": checked,
        "total": total,
        "number": assessment.tasks.filter(position__lt=task.position).count() + 1,
        "previous": before,
        "next": after,
        # Working together (issue 18): who has the check, and the comments on the task.
        **collaboration_views.assignment_context(assessment, task),
        **collaboration_views.comments_context(request, assessment, task=task),
    }
    return render(request, "assessments/task_check.html", context)


def _questions(form: CheckForm, task: Task) -> list[dict[str, Any]]:
    origins = task.answer_origins()
    return [
        {
            "field": form[code],
            "code": code,
            "origin": origins.get(code, ""),
            "prefilled_from": _prefill_source(task, code),
        }
        for code in form.fields
    ]


def _prefill_source(task: Task, code: str) -> str:
    """“Standardisable: Partly”: the attribute a pre-filled answer follows, as shown."""
    attribute = PREFILLED_FROM.get(code)
    if attribute is None or getattr(task, attribute) in (None, ""):
        return ""
    field = Task._meta.get_field(attribute)
    display = getattr(task, f"get_{attribute}_display", None)
    value = display() if field.choices and display else getattr(task, attribute)
    return f"{field.verbose_name}: {value}"


def _after_check(request: HttpRequest, assessment: Assessment, task: Task) -> HttpResponse:
    """Saved: go where the button said, or stay."""
    go = request.POST.get("go", "")
    before, after = task.neighbours()
    target = {"previous": before, "next": after}.get(go)
    if go == "next_incomplete":
        target = _next_incomplete(assessment, task)
    if go == "later" or (go in ("previous", "next", "next_incomplete") and target is None):
        if go != "later":
            messages.info(request, _("There is no further task to check."))
        messages.success(request, _("Answers saved. You can continue where you left off."))
        return redirect("check_grid", pk=assessment.pk)
    messages.success(request, _("Answers for “%(task)s” saved.") % {"task": task.task})
    return redirect("task_check", pk=assessment.pk, task_pk=(target or task).pk)


def _next_incomplete(assessment: Assessment, task: Task) -> Task | None:
    """The next task (wrapping round) that has no verdict yet."""
    pending = (
        assessment.tasks.filter(result__verdict=Verdict.INCOMPLETE)
        .exclude(pk=task.pk)
        .only("pk", "position")
    )
    return (
        pending.filter(position__gte=task.position).order_by("position", "id").first()
        or pending.order_by("position", "id").first()
    )


def _override_form(
    assessment: Assessment, task: Task, override: Any, data: Any = None
) -> OverrideForm | None:
    if not assessment.can_override:
        return None
    result = task.current_result
    computed = result.model if result else ""
    return OverrideForm(data, instance=override, computed=computed, prefix="override")


@login_required
@require_POST
def task_override(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    """A consultant sets, changes or removes the model to use for a task."""
    assessment = get_assessment_for_user(request, pk, write=True)
    if not assessment.can_override:
        raise PermissionDenied
    task = get_task_for_user(request, assessment, task_pk)
    if "remove" in request.POST:
        assessment.clear_override(task, request.user)
        messages.success(request, _("Override removed: the recommendation applies again."))
        return redirect("task_check", pk=assessment.pk, task_pk=task.pk)
    # Without the stored override: validating would write the input to it, and its owner
    # records what it was.
    form = _override_form(assessment, task, None, request.POST)
    assert form is not None
    if form.is_valid():
        model, justification = form.cleaned_data["model"], form.cleaned_data["justification"]
        assessment.override_task(task, model, justification, request.user)
        messages.success(request, _("Override saved."))
        return redirect("task_check", pk=assessment.pk, task_pk=task.pk)
    for error in form.errors.values():
        messages.error(request, " ".join(error))
    return redirect("task_check", pk=assessment.pk, task_pk=task.pk)


@login_required
@atomic_post
def check_grid(request: HttpRequest, pk: int) -> HttpResponse:
    """Answers of many tasks at once, a page at a time, with each task's verdict and model."""
    assessment = get_assessment_for_user(request, pk, write=request.method == "POST")
    criteria = assessment.criteria()
    tasks = assessment.tasks.select_related("result", "override")
    page = Paginator(tasks, GRID_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page)
    initial = {
        AnswerGridForm.name(task, code): answer
        for task in rows
        for code, answer in task.effective_answers().items()
    }
    form = AnswerGridForm(
        rows, criteria, request.POST or None, initial=initial, first_row=page.start_index()
    )
    stale = form.changed_rows() if request.method == "POST" and form.is_valid() else []
    if stale:
        # Someone changed tasks on this page meanwhile: nothing is saved, the user's answers
        # stay on the page, now stamped with what is stored.
        form = AnswerGridForm(
            rows, criteria, form.restamped(), initial=initial, first_row=page.start_index()
        )
        form.is_valid()
        form.add_error(None, conflict_message(_("answers on this page"), stale))
    elif request.method == "POST" and form.is_valid():
        changed = assessment.save_answers(
            [(task, form.answers(task)) for task in rows], request.user
        )
        messages.success(
            request,
            ngettext(
                "Answers saved for %(count)d task.",
                "Answers saved for %(count)d tasks.",
                len(changed),
            )
            % {"count": len(changed)},
        )
        return redirect(reverse("check_grid", args=[assessment.pk]) + f"?page={page.number}")
    checked, total = assessment.check_progress()
    first_incomplete = assessment.tasks.filter(result__verdict=Verdict.INCOMPLETE).first()
    grid = [
        (task, _grid_cells(form, task, criteria), form[AnswerGridForm.stamp_name(task)])
        for task in rows
    ]
    context = {
        "assessment": assessment,
        "criteria": criteria,
        "page": page,
        "grid": grid,
        # Which kinds of answer the page shows: its legend names only those (QA 10).
        "origins_shown": {cell["origin"] for _task, cells, _seen in grid for cell in cells},
        "form": form,
        "conflict": form.non_field_errors() if form.is_bound else [],
        "problems": form.problems() if form.is_bound else [],
        "answer_choices": ANSWER_CHOICES,
        "checked": checked,
        "total": total,
        "start": first_incomplete or (rows[0] if rows else None),
    }
    return render(request, "assessments/check_grid.html", context)


def _grid_cells(form: AnswerGridForm, task: Task, criteria: list[Any]) -> list[dict[str, Any]]:
    origins = task.answer_origins()
    return [
        {
            "name": form.add_prefix(AnswerGridForm.name(task, c.code)),
            "value": form[AnswerGridForm.name(task, c.code)].value() or "",
            "code": c.code,
            "origin": origins.get(c.code, ""),
            "error": AnswerGridForm.name(task, c.code) in form.errors,
        }
        for c in criteria
    ]
