"""The fast table's bulk edit (issue 18): the rows selected get one attribute or one answer of
the check, all or nothing, each validated as editing it alone would be; or they go to the trash
together. The table, its count and totals (and the stepper) are updated in place."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from assessments.models import Assessment, Task
from assessments.models.assessment import TRASH_DAYS
from assessments.web.access import form_id, get_assessment_for_user
from assessments.web.inventory_forms import (
    BULK_ATTRIBUTES,
    SET,
    TRASH,
    BulkEditForm,
    answer_error,
    row_errors,
)
from assessments.web.views import inventory_context
from outsourcing_advisor.common.stamps import atomic_post, locking, shown

# A refusal names this many rows; beyond, it gives how many more there are.
NAMED_ROWS = 20


@dataclass
class Notice:
    """What the bulk edit says above the table: a Bootstrap alert's level, its sentence, the
    rows it names, and whether it links to the trash."""

    level: str
    text: str
    problems: list[str] = field(default_factory=list)
    trash: bool = False


@login_required
@require_POST
@atomic_post
def inventory_bulk(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request, pk, write=True)
    form = BulkEditForm(assessment.criteria(), request.POST)
    wanted = {form_id(value) for value in request.POST.getlist("tasks")} - {0}
    tasks = list(
        locking(assessment.tasks.filter(pk__in=wanted)).select_related("result", "override")
    )
    notice, changed = _apply(request, assessment, form, tasks, wanted)
    refused = notice.level == "danger"
    keep = wanted if refused or request.POST.get("action") == SET else set()
    if not request.htmx:
        level = messages.ERROR if refused else messages.SUCCESS
        for text in (notice.text, *notice.problems):  # the rows that refuse, each named
            messages.add_message(request, level, text)
        query = request.GET.urlencode()
        return redirect(reverse("inventory", args=[assessment.pk]) + (f"?{query}" if query else ""))
    context = inventory_context(
        request, assessment, selected=frozenset(keep), bulk=form if refused else None
    )
    context.update({"notices": [notice], "stepper": bool(changed)})
    return render(request, "assessments/_inventory_update.html", context)


def _apply(
    request: HttpRequest,
    assessment: Assessment,
    form: BulkEditForm,
    tasks: list[Task],
    wanted: set[int],
) -> tuple[Notice, list[Task]]:
    """The change asked for, made through its owner, or why nothing was changed."""
    if not wanted:
        return Notice("danger", _("Select the tasks to change first: nothing was changed.")), []
    if len(tasks) < len(wanted):
        gone = len(wanted) - len(tasks)
        return Notice(
            "danger",
            ngettext(
                "%(count)s of the selected tasks is no longer in the inventory (moved to the "
                "trash or deleted meanwhile): nothing was changed. Select again.",
                "%(count)s of the selected tasks are no longer in the inventory (moved to the "
                "trash or deleted meanwhile): nothing was changed. Select again.",
                gone,
            )
            % {"count": gone},
        ), []
    action = request.POST.get("action")
    if action == TRASH:
        moved = assessment.trash_tasks(tasks, request.user)
        text = ngettext(
            "%(count)s task moved to the trash: you can restore it from there for %(days)s days.",
            "%(count)s tasks moved to the trash: you can restore them from there for %(days)s "
            "days.",
            len(moved),
        ) % {"count": len(moved), "days": TRASH_DAYS}
        return Notice("success", text, trash=True), moved
    name = request.POST.get("field", "")
    if action != SET or not (name in BULK_ATTRIBUTES or name in form.criteria):
        return Notice("danger", _("Choose what to set: nothing was changed.")), []
    raw = request.POST.get(f"value-{name}", "")
    order = assessment.tasks.values_list("pk", flat=True)  # the rows' numbers in the inventory
    rows = {pk: number for number, pk in enumerate(order, start=1)}
    tasks.sort(key=lambda task: rows[task.pk])
    if name in form.criteria:
        return _answer(request, assessment, form, tasks, rows, name, raw)
    return _attribute(request, assessment, form, tasks, rows, name, raw)


def _answer(
    request: HttpRequest,
    assessment: Assessment,
    form: BulkEditForm,
    tasks: list[Task],
    rows: dict[int, int],
    code: str,
    raw: str,
) -> tuple[Notice, list[Task]]:
    """One answer of the check for every selected task (Assessment.save_answers)."""
    error = answer_error(raw)
    if error:
        problems = [
            _("Row %(row)s “%(task)s”, %(code)s: %(error)s")
            % {"row": rows[task.pk], "task": task.task, "code": code, "error": error}
            for task in tasks
        ]
        return _refusal(problems, len(tasks), len(tasks)), []
    changed = assessment.save_answers([(task, {code: raw}) for task in tasks], request.user)
    value = shown(form.fields[f"value-{code}"], raw)
    return _done(str(form.criteria[code]), value, len(tasks), len(changed)), changed


def _attribute(
    request: HttpRequest,
    assessment: Assessment,
    form: BulkEditForm,
    tasks: list[Task],
    rows: dict[int, int],
    name: str,
    raw: str,
) -> tuple[Notice, list[Task]]:
    """One attribute for every selected task, each checked by the form that edits it alone
    (Assessment.save_tasks)."""
    problems: list[str] = []
    values: dict[int, Any] = {}
    failing = 0
    for task in tasks:
        errors, values[task.pk] = row_errors(task, name, raw)
        failing += bool(errors)
        for label, error in errors:
            words = {"row": rows[task.pk], "task": task.task, "field": label, "error": error}
            if label:
                problems.append(_("Row %(row)s “%(task)s”, %(field)s: %(error)s") % words)
            else:
                problems.append(_("Row %(row)s “%(task)s”: %(error)s") % words)
    if problems:
        return _refusal(problems, failing, len(tasks)), []
    edited = []
    for task in tasks:
        before = {name: getattr(task, name)}
        setattr(task, name, values[task.pk])
        edited.append((task, before))
    changed = assessment.save_tasks(edited, [name], request.user)
    value = shown(form.fields[f"value-{name}"], values[tasks[0].pk] if tasks else raw)
    return _done(form.label(name), value, len(tasks), len(changed)), changed


def _refusal(problems: list[str], failing: int, selected: int) -> Notice:
    text = ngettext(
        "Nothing was changed: %(count)s of the %(selected)s selected tasks cannot take this value.",
        "Nothing was changed: %(count)s of the %(selected)s selected tasks cannot take this value.",
        failing,
    ) % {"count": failing, "selected": selected}
    named = problems[:NAMED_ROWS]
    if len(problems) > NAMED_ROWS:
        more = len(problems) - NAMED_ROWS
        named.append(_("…and %(count)s more.") % {"count": more})
    return Notice("danger", text, named)


def _done(label: str, value: str, selected: int, changed: int) -> Notice:
    text = ngettext(
        "“%(field)s” is now “%(value)s” for the %(selected)s selected task (%(changed)s changed).",
        "“%(field)s” is now “%(value)s” for the %(selected)s selected tasks (%(changed)s changed).",
        selected,
    ) % {"field": label, "value": value, "selected": selected, "changed": changed}
    return Notice("success", text)
