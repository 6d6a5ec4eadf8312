"""Sourcing packages (SPEC 4.5): created from the recommendations, one per model; renamed, split,
merged, moved to the trash, and tasks moved between them. Each shows its tasks, hours, FTE,
in-house cost and whether it holds confidential or personal data. A task that no longer fits
its package (its model changed, or it is no longer to be put out) is flagged with a one-step
fix, never left silent."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from assessments.domain import independence, inventory
from assessments.domain import packages as sourcing
from assessments.models import Assessment, Package, Task
from assessments.models.assessment import TRASH_DAYS, Misplaced, PackagesChanged
from assessments.templatetags.labels import TaskLink, model_label
from assessments.web.access import (
    form_id,
    get_assessment_for_user,
    get_package_for_user,
    get_task_for_user,
)
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
from outsourcing_advisor.history.models import Action, SubjectType


@dataclass(frozen=True)
class PackageCard:
    package: Package
    rows: list[tuple[Task, inventory.Derived, bool]]  # (task, figures, holds sensitive data)
    totals: inventory.Totals
    sensitive: bool
    # Its 告示37号 checklist with its tasks on the premises or directed (None: a staffing package)
    review: independence.Review | None = None
    misplaced: frozenset[int] = frozenset()  # its tasks that no longer fit it


@dataclass(frozen=True)
class Packages:
    cards: list[PackageCard]
    waiting: list[Task]  # to be put out, in no package yet
    misplaced: list[Misplaced]  # in a package that no longer fits them, with their fixes


def package_cards(assessment: Assessment) -> Packages:
    """Every package with its tasks and totals, the tasks recommended for a vendor that are in
    no package yet, and the tasks that no longer fit their package: three queries whatever the
    number of tasks. Whether a task holds sensitive data reads its answers: worked out once per
    task here, not again in the page."""
    grouped: dict[int | None, list[tuple[Task, inventory.Derived, bool]]] = {}
    rows = assessment.task_rows()
    for task, derived in rows:
        grouped.setdefault(task.package_id, []).append((task, derived, task.handles_sensitive_data))
    packages = list(assessment.packages.all())
    misplaced = assessment.misplaced_tasks((task for task, _derived in rows), packages)
    cards = []
    for package in packages:
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
                frozenset(m.task.pk for m in misplaced if m.package.pk == package.pk),
            )
        )
    waiting = [
        task
        for task, _derived, _sensitive in grouped.get(None, [])
        if sourcing.is_candidate(task.final_model)
    ]
    return Packages(cards, waiting, misplaced)


@login_required
def packages(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request, pk)
    found = package_cards(assessment)
    cards = found.cards
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
        "waiting": found.waiting,
        "misplaced": found.misplaced,
        "fix_all_seen": sourcing.fixes_stamp(m.flag for m in found.misplaced),
        "check_link": TaskLink("task_check", assessment.pk),  # one reverse() for every task
    }
    return render(request, "assessments/packages.html", context)


def _back(assessment: Assessment, package: Package | None = None, anchor: str = "") -> HttpResponse:
    """The packages page, at the package's card or at `anchor`."""
    anchor = f"package-{package.pk}" if package else anchor
    return redirect(reverse("packages", args=[assessment.pk]) + (f"#{anchor}" if anchor else ""))


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


# --- tasks that no longer fit their package --------------------------------------------------


FIXES_CHANGED = gettext_lazy(
    "The packages changed since the page was shown (a task was moved, overridden or checked "
    "again meanwhile): nothing was changed. Check the suggestions below, then fix again."
)


@login_required
@require_POST
def package_fix(request: HttpRequest, pk: int) -> HttpResponse:
    """The one-step fix of one task that no longer fits its package, as the page suggested it
    (`seen`): refused when the suggestion is another now."""
    assessment = get_assessment_for_user(request, pk, write=True)
    task = get_task_for_user(request, assessment, form_id(request.POST.get("task")))
    try:
        fixed = assessment.fix_packages(request.user, task_id=task.pk, seen=_seen(request))
    except PackagesChanged:
        messages.error(request, FIXES_CHANGED)
        return _back(assessment, None, "misplaced")
    if fixed:
        messages.success(request, _fixed_message(fixed[0]))
    else:  # a post without a stamp, for a task that fits
        messages.info(
            request, _("“%(task)s” fits its package: nothing to fix.") % {"task": task.task}
        )
    return _back(assessment, None, "misplaced")


@login_required
@require_POST
def packages_fix_all(request: HttpRequest, pk: int) -> HttpResponse:
    """Every task that no longer fits its package fixed as the page suggested, all or nothing."""
    assessment = get_assessment_for_user(request, pk, write=True)
    try:
        fixed = assessment.fix_packages(request.user, seen=_seen(request))
    except PackagesChanged:
        messages.error(request, FIXES_CHANGED)
        return _back(assessment, None, "misplaced")
    messages.success(
        request,
        ngettext("%(count)d task fixed.", "%(count)d tasks fixed.", len(fixed))
        % {"count": len(fixed)},
    )
    return _back(assessment)


def _seen(request: HttpRequest) -> str | None:
    """The stamp a form posted; None for a post without one (a script), which is not checked."""
    return request.POST.get("seen", "") if "seen" in request.POST else None


def _fixed_message(fixed: Misplaced) -> str:
    words = {"task": fixed.task.task, "package": fixed.package.name}
    action = fixed.flag.fix.action
    if action == sourcing.Action.REMOVE:
        return _("“%(task)s” taken out of “%(package)s”.") % words
    if action == sourcing.Action.CREATE:
        return _("“%(task)s” moved to a new %(model)s package.") % {
            **words,
            "model": model_label(fixed.flag.fix.model),
        }
    target = fixed.target.name if fixed.target else ""
    return _("“%(task)s” moved to “%(target)s”.") % {**words, "target": target}


# --- moving a package to the trash ------------------------------------------------------------


@login_required
@atomic_post
def package_delete(request: HttpRequest, pk: int, package_pk: int) -> HttpResponse:
    """Move a package to the trash (restorable for 30 days): one step when it holds nothing;
    else after a page that says what happens (its tasks back to "not in a package", its invited
    vendors kept with it but their links closed, its RFP draft kept; its KPIs stay, tied to no
    package), whose form carries what it showed: refused, and shown again, when the package
    holds something else by then."""
    write = request.method == "POST"
    assessment = get_assessment_for_user(request, pk, write=True)
    if write:  # as a merge does: of a trash and a merge at once, the second finds the first's
        lock_parent(assessment)
        package = assessment.packages.filter(pk=package_pk).first()
        if package is None and _deleted(assessment, package_pk):  # a second click
            messages.error(
                request,
                _(
                    "This package is no longer here (merged, or moved to the trash): nothing "
                    "was changed."
                ),
            )
            return _back(assessment)
        if package is None:
            raise Http404
        try:
            package.trash(request.user, seen=request.POST.get("seen"))
        except PackagesChanged:
            if "seen" in request.POST:
                messages.error(
                    request,
                    _(
                        "What the package holds changed since the page was shown: nothing was "
                        "moved. Check what happens to it, then move it to the trash again."
                    ),
                )
            return redirect("package_delete", pk=assessment.pk, package_pk=package.pk)
        messages.success(
            request,
            _(
                "Package “%(name)s” moved to the trash: you can restore it from there for "
                "%(days)s days."
            )
            % {"name": package.name, "days": TRASH_DAYS},
        )
        return _back(assessment)
    package = get_package_for_user(request, assessment, package_pk)
    context = {"assessment": assessment, "package": package, "contents": package.contents()}
    context["trash_days"] = TRASH_DAYS
    return render(request, "assessments/package_delete.html", context)


def _deleted(assessment: Assessment, package_pk: int) -> bool:
    """Whether the assessment's history has this package gone (merged, trashed or deleted)."""
    events = history_display.subject_events(assessment, SubjectType.PACKAGE, [package_pk])
    return events.filter(action__in=[Action.DELETED, Action.TRASHED]).exists()
