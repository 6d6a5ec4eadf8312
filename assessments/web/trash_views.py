"""An assessment's trash (issue 18): the tasks and packages moved there in the last 30 days,
with who moved them, when, and until when they can be restored; restoring them."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from assessments.models import Assessment, Package, Task
from assessments.models.assessment import TRASH_DAYS
from assessments.web.access import (
    get_assessment_for_user,
    get_trashed_package_for_user,
    get_trashed_task_for_user,
)
from assessments.web.views import task_row_response
from outsourcing_advisor.accounts.models import person_name
from outsourcing_advisor.common.stamps import atomic_post

DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Trashed:
    """A task or a package in the trash, as the page lists it."""

    item: Task | Package
    by: str  # who moved it there ("" for the command line or a person since deleted)
    at: datetime.datetime
    until: datetime.datetime  # restorable until then; deleted for good after
    days_left: int  # whole days, a part of one counting as one
    package: Package | None = None  # a task's package, when it was in one
    vendors: int = 0  # a package's invited vendors


def _trashed(item: Task | Package, now: datetime.datetime, **extra: object) -> Trashed:
    assert item.deleted_at is not None  # the trash holds only these
    until = item.deleted_at + datetime.timedelta(days=TRASH_DAYS)
    return Trashed(
        item,
        person_name(item.deleted_by) if item.deleted_by else "",
        item.deleted_at,
        until,
        max(math.ceil((until - now) / DAY), 1),
        **extra,  # type: ignore[arg-type]
    )


def trash_contents(assessment: Assessment) -> tuple[list[Trashed], list[Trashed]]:
    """The assessment's trash, newest first: (tasks, packages), three queries."""
    now = timezone.now()
    tasks = list(
        Task.with_trashed.filter(assessment=assessment)
        .trashed()
        .restorable(now)
        .select_related("deleted_by")
        .order_by("-deleted_at", "-pk")
    )
    packages = list(
        Package.with_trashed.filter(assessment=assessment)
        .trashed()
        .restorable(now)
        .select_related("deleted_by")
        .annotate(vendors=Count("bids"))
        .order_by("-deleted_at", "-pk")
    )
    held = {task.package_id for task in tasks} - {None} - {package.pk for package in packages}
    named = {package.pk: package for package in packages}
    named.update(Package.with_trashed.in_bulk(held) if held else {})
    return (
        [_trashed(task, now, package=named.get(task.package_id)) for task in tasks],
        [_trashed(package, now, vendors=package.vendors) for package in packages],
    )


@login_required
@require_GET
def assessment_trash(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request, pk)
    tasks, packages = trash_contents(assessment)
    context = {
        "assessment": assessment,
        "tasks": tasks,
        "packages": packages,
        "trash_days": TRASH_DAYS,
    }
    return render(request, "assessments/trash.html", context)


@login_required
@require_POST
@atomic_post
def task_restore(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    """Bring a task back from the trash: from the trash page, back to it; from the inventory's
    row that said it was moved there, that row becomes the task's again."""
    assessment = get_assessment_for_user(request, pk, write=True)
    task = get_trashed_task_for_user(request, assessment, task_pk)
    restored = assessment.restore_tasks([task.pk], request.user)
    if request.htmx and restored:
        return task_row_response(request, assessment, restored[0])
    package = restored[0].package if restored else None
    if package is not None:
        words = _("Task “%(task)s” restored, in the package “%(package)s”.")
        messages.success(request, words % {"task": task.task, "package": package.name})
    else:
        messages.success(request, _("Task “%(task)s” restored.") % {"task": task.task})
    return redirect("assessment_trash", pk=assessment.pk)


@login_required
@require_POST
@atomic_post
def package_restore(request: HttpRequest, pk: int, package_pk: int) -> HttpResponse:
    """Bring a package back from the trash, with the tasks it held that are still free."""
    assessment = get_assessment_for_user(request, pk, write=True)
    package = get_trashed_package_for_user(request, assessment, package_pk)
    held = len(package.trashed_tasks)
    names = package.restore(request.user)
    messages.success(
        request,
        ngettext(
            "Package “%(name)s” restored with %(count)s task.",
            "Package “%(name)s” restored with %(count)s tasks.",
            len(names),
        )
        % {"name": package.name, "count": len(names)},
    )
    if held > len(names):
        messages.info(
            request,
            ngettext(
                "%(count)s task it held was not put back: it is in another package, in "
                "the trash or deleted.",
                "%(count)s tasks it held were not put back: they are in another package, "
                "in the trash or deleted.",
                held - len(names),
            )
            % {"count": held - len(names)},
        )
    return redirect("assessment_trash", pk=assessment.pk)
