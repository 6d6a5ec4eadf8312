"""Sourcing packages (SPEC 4.5): created from the recommendations, one per model; renamed, split,
merged, and tasks moved between them. Each shows its tasks, hours, FTE, in-house cost and whether
it holds confidential or personal data."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from assessments.domain import independence, inventory
from assessments.domain.choices import Outcome
from assessments.models import Assessment, Package, Task
from assessments.templatetags.labels import TaskLink
from assessments.web.access import form_id, get_assessment_for_user, get_package_for_user
from assessments.web.forms import (
    KINDS_APART,
    IndependenceForm,
    PackageMergeForm,
    PackageNameForm,
    PackageTasksForm,
)
from outsourcing_advisor.common.stamps import (
    atomic_post,
    conflict_message,
    differences,
    lock_parent,
    locking,
    restamped,
)
from outsourcing_advisor.common.wording import listing
from outsourcing_advisor.history import display as history_display
from outsourcing_advisor.history.models import SubjectType


@dataclass(frozen=True)
class PackageCard:
    package: Package
    rows: list[tuple[Task, inventory.Derived, bool]]  # (task, figures, holds sensitive data)
    totals: inventory.Totals
    sensitive: bool
    # Its 告示37号 checklist with its tasks on the premises or directed (None: a staffing package)
    review: independence.Review | None = None


def package_cards(assessment: Assessment) -> tuple[list[PackageCard], list[Task]]:
    """Every package with its tasks and totals, and the tasks recommended for a vendor that are
    in no package yet: three queries whatever the number of tasks. Whether a task holds
    sensitive data reads its answers: worked out once per task here, not again in the page."""
    grouped: dict[int | None, list[tuple[Task, inventory.Derived, bool]]] = {}
    for task, derived in assessment.task_rows():
        grouped.setdefault(task.package_id, []).append((task, derived, task.handles_sensitive_data))
    cards = []
    for package in assessment.packages.all():
        rows = grouped.get(package.pk, [])
        cards.append(
            PackageCard(
                package,
                rows,
                inventory.derived_totals(derived for _task, derived, _sensitive in rows),
                any(sensitive for _task, _derived, sensitive in rows),
                package.independence_review(task for task, _derived, _sensitive in rows)
                if independence.applies(package.model)
                else None,
            )
        )
    waiting = [
        task
        for task, _derived, _sensitive in grouped.get(None, [])
        if task.final_model and task.final_model != Outcome.IN_HOUSE
    ]
    return cards, waiting


@login_required
def packages(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request, pk)
    cards, waiting = package_cards(assessment)
    events = history_display.subject_events(
        assessment, SubjectType.PACKAGE, [card.package.pk for card in cards]
    )
    by_package: dict[int, list[history_display.Row]] = {}
    for row in history_display.shown(events, assessment, request.user):
        by_package.setdefault(row.event.subject_id, []).append(row)
    for card in cards:  # one query for every package's history
        card.package.history = by_package.get(card.package.pk, [])
    context = {
        "assessment": assessment,
        "cards": cards,
        "waiting": waiting,
        "check_link": TaskLink("task_check", assessment.pk),  # one reverse() for every task
    }
    return render(request, "assessments/packages.html", context)


def _back(assessment: Assessment, package: Package | None = None) -> HttpResponse:
    anchor = f"#package-{package.pk}" if package else ""
    return redirect(reverse("packages", args=[assessment.pk]) + anchor)


@login_required
@require_POST
def packages_create(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request, pk, write=True)
    touched = assessment.create_packages(request.user)
    if not touched:
        messages.info(request, _("Every task recommended for a vendor is already in a package."))
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d package filled from the recommendations.",
                "%(count)d packages filled from the recommendations.",
                len(touched),
            )
            % {"count": len(touched)},
        )
    return _back(assessment)


@login_required
@require_POST
def package_rename(request: HttpRequest, pk: int, package_pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request, pk, write=True)
    package = get_package_for_user(request, assessment, package_pk)
    form = PackageNameForm(request.POST)
    if form.is_valid():
        package.rename(form.cleaned_data["name"], request.user)
        messages.success(request, _("Package renamed."))
    else:
        messages.error(request, " ".join(form.errors["name"]))
    return _back(assessment, package)


@login_required
@require_POST
def package_tasks(request: HttpRequest, pk: int, package_pk: int) -> HttpResponse:
    """Split picked tasks off into a new package, move them, or take them out."""
    assessment = get_assessment_for_user(request, pk, write=True)
    package = get_package_for_user(request, assessment, package_pk)
    form = PackageTasksForm(package, request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return _back(assessment, package)
    tasks, action = list(form.cleaned_data["tasks"]), form.cleaned_data["action"]
    if action == "split":
        target = package.split(tasks, form.cleaned_data["name"], request.user)
    else:
        target = form.cleaned_data["target"] if action == "move" else None
        names = [task.task for task in tasks]
        assessment.assign(
            [task.pk for task in tasks], target, request.user, source=package, names=names
        )
    messages.success(
        request,
        ngettext("%(count)d task moved.", "%(count)d tasks moved.", len(tasks))
        % {"count": len(tasks)},
    )
    return _back(assessment, target or package)


@login_required
@require_POST
@atomic_post
def package_merge(request: HttpRequest, pk: int, package_pk: int) -> HttpResponse:
    """Merge another package into this one. The assessment is locked before its packages are
    read, so that of two merges at the same instant (even of two packages into each other) the
    second waits, then finds the packages as the first left them: one that is gone is said so,
    and nothing is changed."""
    assessment = get_assessment_for_user(request, pk, write=True)
    lock_parent(assessment)
    package = assessment.packages.filter(pk=package_pk).first()
    if package is None:
        messages.error(
            request,
            _(
                "This package no longer exists: it was merged into another one or deleted "
                "meanwhile. Nothing was changed."
            ),
        )
        return redirect("packages", pk=assessment.pk)
    form = PackageMergeForm(package, request.POST)
    if not form.is_valid():
        other_id = form_id(request.POST.get("other"))
        if other_id and other_id != package.pk:  # a package the page showed, gone since
            messages.error(
                request,
                _(
                    "The package to merge with no longer exists: it was merged into another one "
                    "or deleted meanwhile. Nothing was changed."
                ),
            )
        else:
            messages.error(request, _("Choose another package of this assessment to merge."))
        return _back(assessment, package)
    other = form.cleaned_data["other"]
    if other.is_staffing != package.is_staffing:
        messages.error(request, str(KINDS_APART))
        return _back(assessment, package)
    shared = package.shared_vendors(other)
    if shared:
        messages.error(
            request,
            _("Both packages have invited %(vendors)s: remove one of the invitations first.")
            % {"vendors": listing(shared)},
        )
        return _back(assessment, package)
    package.merge(other, request.user)
    messages.success(request, _("“%(other)s” merged into this package.") % {"other": other.name})
    return _back(assessment, package)


@login_required
@require_POST
def packages_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Put tasks that are in no package into one."""
    assessment = get_assessment_for_user(request, pk, write=True)
    package = get_package_for_user(request, assessment, form_id(request.POST.get("package")))
    task_ids = [form_id(value) for value in request.POST.getlist("tasks")]
    moved = assessment.assign(task_ids, package, request.user)
    messages.success(
        request,
        ngettext("%(count)d task moved.", "%(count)d tasks moved.", moved) % {"count": moved},
    )
    return _back(assessment, package)


@login_required
@atomic_post
def package_independence(request: HttpRequest, pk: int, package_pk: int) -> HttpResponse:
    """A package's 告示37号 checklist (SPEC 4.4): consultants and managers answer it, viewers read
    it. The form carries the answers as read: a save over answers someone else changed meanwhile
    is refused, naming what is stored now, and the user's input is shown again."""
    write = request.method == "POST"
    assessment = get_assessment_for_user(request, pk, write=write)
    package = get_package_for_user(request, assessment, package_pk)
    if write:  # locked until the save is committed: check and save are one step
        package = locking(type(package).objects.filter(pk=package.pk)).get()
        package.assessment = assessment
    applies = independence.applies(package.model)
    seen = package.independence_stamp
    form = IndependenceForm(
        request.POST if write and applies else None,
        initial={"seen": seen, **independence.cleaned(package.independence or {})},
    )
    if write and applies and form.is_valid():
        # A post without any stamp (a script) is not checked, as elsewhere.
        if "seen" not in request.POST or form.cleaned_data["seen"] == seen:
            package.save_independence(form.answers(), request.user)
            messages.success(request, _("The checklist is saved."))
            return redirect("package_independence", pk=assessment.pk, package_pk=package.pk)
        answered = independence.cleaned(package.independence or {})
        stored = {key: answered.get(key, "") for key in independence.KEYS}
        changes = differences(form, stored, form.cleaned_data, _short_labels())
        form = IndependenceForm(restamped(request.POST, seen))
        form.is_valid()
        form.add_error(None, conflict_message(_("this checklist"), changes))
    tasks = list(package.tasks.only("assessment", "task", "on_site", "direct_instruction"))
    context = {
        "assessment": assessment,
        "package": package,
        "applies": applies,
        "form": form,
        "review": package.independence_review(tasks),
    }
    return render(request, "assessments/package_independence.html", context)


def _short_labels() -> dict[str, str]:
    return {item.key: str(item.short) for item in independence.ITEMS}
