from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from assessments.domain import changes, choices, inventory, sync
from assessments.domain import classification as cl
from assessments.domain import independence as kokuji37  # Package.independence is a field
from assessments.domain import packages as sourcing  # Assessment.packages is a relation
from assessments.domain.choices import Direction, Outcome, Verdict
from assessments.domain.columns import INVENTORY_COLUMNS

# The versioned checklist and rule-table models live in versions.py; importing it registers them.
from assessments.models import collaboration, steps
from assessments.models.versions import (
    ChecklistCriterion,
    ChecklistVersion,
    EvaluationVersion,
    ReadinessVersion,
    RuleTableVersion,
)
from outsourcing_advisor.accounts.models import (
    EDITING_ROLES,
    Membership,
    Organisation,
    Role,
    person_name,
)
from outsourcing_advisor.common import defaults
from outsourcing_advisor.common.wording import language_codes, listing
from outsourcing_advisor.history import record as history
from outsourcing_advisor.history.models import Action, Event, SubjectType

if TYPE_CHECKING:
    from django.contrib.auth.models import User as AuthUser

User = settings.AUTH_USER_MODEL
CENT = Decimal("0.01")
# How long a task or package moved to the trash can be restored; then it is deleted for good
# (`purge_trash`, run daily; until then it is neither listed nor restorable).
TRASH_DAYS = 30


def trash_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    """The moment before which what went to the trash is past restoring."""
    return (now or timezone.now()) - datetime.timedelta(days=TRASH_DAYS)


class AssessmentQuerySet(models.QuerySet["Assessment"]):
    def start(self, **fields: Any) -> Assessment:
        """A new assessment, pinned to the latest published checklist and rule table."""
        return self.create(
            checklist_version=ChecklistVersion.objects.latest_published(),
            rule_version=RuleTableVersion.objects.latest_published(),
            evaluation_version=EvaluationVersion.objects.latest_published(),
            readiness_version=ReadinessVersion.objects.latest_published(),
            **fields,
        )

    def recompute_results(self) -> None:
        """Recompute every task's result of these assessments (e.g. after the organisation's
        working days or hourly cost changed)."""
        for assessment in self.select_related("organisation", "checklist_version", "rule_version"):
            assessment.recompute_results()

    def for_user(self, user: AuthUser) -> AssessmentQuerySet:
        """What the user may see, each row annotated with the user's `role` in its organisation."""
        role = Membership.objects.filter(user=user, organisation=OuterRef("organisation"))
        return self.filter(organisation__memberships__user=user).annotate(
            role=Subquery(role.values("role")[:1])
        )


class Assessment(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="assessments"
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # Pinned when the assessment starts; publishing newer versions never changes it.
    checklist_version = models.ForeignKey(
        ChecklistVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checklist version"),
    )
    rule_version = models.ForeignKey(
        RuleTableVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rule table version"),
    )
    # The client's own cost of managing a vendor (communication, contracts, quality checks), as a
    # share of the quote: the source's "limits of cost saving" (SPEC 4.5).
    overhead_rate = models.DecimalField(
        _("management overhead"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.15"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
        help_text=_("Share of the vendor's quote, e.g. 0.15 for 15%."),
    )
    # The years the cost over the horizon covers (SPEC 4.5).
    horizon_years = models.PositiveSmallIntegerField(
        _("horizon (years)"),
        default=defaults.HORIZON_YEARS,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("The years the cost comparison covers, from the start of the transition."),
    )
    evaluation_version = models.ForeignKey(
        EvaluationVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vendor criteria version"),
    )
    readiness_version = models.ForeignKey(
        ReadinessVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("readiness checklist version"),
    )
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self) -> str:
        return self.name

    @property
    def volume_settings(self) -> inventory.OrgSettings:
        """The organisation's working figures that hours and costs are computed with."""
        return inventory.OrgSettings.of(self.organisation)

    @property
    def indirect_ratio(self) -> inventory.IndirectRatio:
        org = self.organisation
        return inventory.indirect_ratio(org.indirect_headcount, org.employee_count)

    @property
    def can_edit(self) -> bool:
        """Only on an assessment fetched through `for_user`, which annotates `role`."""
        return getattr(self, "role", None) in EDITING_ROLES

    @property
    def can_override(self) -> bool:
        """Consultants override recommendations and move assessments to newer versions."""
        return getattr(self, "role", None) == Role.CONSULTANT

    def set_overhead_rate(self, rate: Decimal) -> None:
        """The client's own management cost, as a share of the vendor's quote (SPEC 4.5)."""
        self.overhead_rate = rate
        self.save(update_fields=["overhead_rate", "updated_at"])

    @transaction.atomic(savepoint=False)
    def set_horizon(self, years: int, user: Any) -> None:
        """The years the cost over the horizon covers (SPEC 4.5), recorded when it changes."""
        before = history.snapshot(self, ["horizon_years"])
        self.horizon_years = years
        self.save(update_fields=["horizon_years", "updated_at"])
        history.record_change(user, SubjectType.ASSESSMENT, self, before, assessment=self)

    def check_progress(self) -> tuple[int, int]:
        """(tasks with a verdict, all tasks)."""
        counts = self.tasks.aggregate(
            total=Count("id"),
            checked=Count(
                "id", filter=Q(result__isnull=False) & ~Q(result__verdict=Verdict.INCOMPLETE)
            ),
        )
        return counts["checked"], counts["total"]

    def criteria(self) -> list[ChecklistCriterion]:
        """The questions of the pinned checklist, in order."""
        if self.checklist_version is None:
            return []
        return list(self.checklist_version.criteria.all())

    def version_changes(
        self,
        checklist: ChecklistVersion,
        rules: RuleTableVersion,
        evaluation: EvaluationVersion | None = None,
        readiness: ReadinessVersion | None = None,
    ) -> VersionChanges:
        """What moving to these versions would change, computed in memory; nothing is saved.
        Without `evaluation`, the vendor-criteria weights stay as pinned; without `readiness`,
        the readiness checklist does."""
        tasks = {task.pk: task for task in self.tasks.select_related("result")}
        org = self.volume_settings
        overrides = dict(
            Override.objects.filter(task__assessment=self).values_list("task_id", "model")
        )
        # Read the stored results first: building a new result caches it on the task.
        stored = {pk: t.result for pk, t in tasks.items() if t.current_result is not None}
        before = {
            pk: changes.Outcome(r.verdict, r.model, r.suitability) for pk, r in stored.items()
        }
        criteria, table, now = checklist.as_domain(), rules.as_domain(), timezone.now()
        after, computed = {}, {}
        for pk, task in tasks.items():
            result = task.assess(
                criteria, table, org, checklist, rules, now, override=overrides.get(pk)
            )
            after[pk] = changes.Outcome(result.verdict, result.model, result.suitability)
            computed[pk] = result
        old_checklist, old_rules = self.checklist_version, self.rule_version
        old_readiness = steps.readiness_version_of(self)
        new_readiness = readiness or old_readiness
        dropped = self._readiness_carry_over(new_readiness)[1]
        moved = changes.outcome_changes(before, after)
        # What the page shows depends on the versions on both sides and on the assessment as it
        # is (its tasks, results, readiness entries and latest recorded change): the stamp of
        # the confirmation, refused when any of it is other by then.
        target = [checklist.pk, rules.pk, getattr(evaluation, "pk", None)]
        target.append(getattr(readiness, "pk", None))
        last_event = Event.objects.filter(assessment=self).aggregate(last=Max("id"))["last"]
        seen = json.dumps([self.version_state(), target, last_event])
        return VersionChanges(
            criteria=changes.diff_records(
                _criteria_records(old_checklist), _criteria_records(checklist)
            ),
            thresholds=changes.diff_records(
                _threshold_record(old_checklist), _threshold_record(checklist)
            ),
            rules=changes.diff_records(_rule_records(old_rules), _rule_records(rules)),
            weights=changes.weight_changes(
                _weight_records(self.evaluation_version),
                _weight_records(evaluation or self.evaluation_version),
            ),
            tasks=[(tasks[change.key], change) for change in moved],
            readiness=changes.diff_records(
                _readiness_records(old_readiness), _readiness_records(new_readiness)
            ),
            dropped_readiness=dropped,
            results={change.key: (stored[change.key], computed[change.key]) for change in moved},
            stamp=hashlib.sha256(seen.encode()).hexdigest()[:16],
        )

    def version_state(self) -> str:
        """A stamp of what a move to other versions reads and writes: the versions pinned, the
        tasks as last saved, their results and overrides, the readiness entries. It stays the
        same while none of them changes; a result recomputed (with other working figures, say)
        changes it, since that rewrites when it was computed."""
        results = TaskResult.objects.filter(task__assessment=self).order_by("task_id")
        overrides = Override.objects.filter(task__assessment=self).order_by("task_id")
        seen = [
            [getattr(self, f"{name}_version_id") for name in VERSION_FIELDS],
            list(self.tasks.order_by("pk").values_list("pk", "updated_at")),
            list(
                results.values_list(
                    "task_id",
                    "checklist_version_id",
                    "rule_version_id",
                    "verdict",
                    "model",
                    "suitability",
                    "computed_at",
                )
            ),
            list(overrides.values_list("task_id", "model", "created_at")),
            list(
                self.readiness_entries.order_by("pk").values_list(
                    "pk", "item_id", "owner", "status", "note", "updated_at"
                )
            ),
        ]
        return hashlib.sha256(json.dumps(seen, default=str).encode()).hexdigest()[:16]

    def pinned_versions(self) -> PinnedVersions:
        return PinnedVersions(
            self.checklist_version,
            self.rule_version,
            self.evaluation_version,
            self.readiness_version,
        )

    def last_version_move(self) -> VersionMove | None:
        """The latest move of this assessment to other versions, unless it was moved back:
        with the first change recorded after it, if any, and whether anything else changed
        since (what `move_back` needs to be allowed)."""
        events = Event.objects.filter(assessment=self)
        move = events.filter(subject_type=SubjectType.VERSIONS).order_by("-id").first()
        if move is None or move.action != Action.CHANGED:
            return None
        later = events.filter(pk__gt=move.pk).select_related("actor").order_by("pk").first()
        changed = later is None and move.details.get("state") != self.version_state()
        return VersionMove(move, later, changed)

    def _readiness_carry_over(
        self, version: ReadinessVersion | None
    ) -> tuple[list[steps.ReadinessEntry], list[steps.ReadinessEntry]]:
        """The readiness entries not yet on `version`: those it has an item with the same code
        for, each with its `item` set to that item (unsaved), and those it has none for."""
        if version is None:
            return [], []
        entries = {
            entry: entry.item.code
            for entry in self.readiness_entries.exclude(item__version=version).select_related(
                "item", "updated_by"
            )
        }
        items = {item.code: item for item in version.items.all()}
        carried, dropped = changes.carry_over(entries, items)
        for entry, item in carried.items():
            entry.item = item
        return list(carried), dropped

    @transaction.atomic
    def create_packages(self, user: Any = None) -> list[FilledPackage]:
        """One package per model (SPEC 4.5) for the tasks recommended for a vendor that are in
        no package yet; a model that already has a package gets them added to it. Returns each
        package made or added to, with the tasks it was given. Recorded on each package (made
        or given tasks) as the browser's "create packages"; `user` None: the command line."""
        waiting: dict[str, list[Task]] = {}
        for task in self.tasks.select_related("result", "override").filter(package=None):
            if sourcing.is_candidate(task.final_model):
                waiting.setdefault(task.final_model, []).append(task)
        existing = {package.model: package for package in self.packages.order_by("-position")}
        position = len(existing)
        filled = []
        for model in cl.MODELS:
            if model not in waiting:
                continue
            package = existing.get(model)
            created = package is None
            if package is None:
                package = Package.objects.create(
                    assessment=self,
                    model=model,
                    name=Package.default_name(model, waiting[model]),
                    position=position,
                )
                position += 1
            Task.objects.filter(pk__in=[t.pk for t in waiting[model]]).update(package=package)
            filled.append(FilledPackage(package, created, [t.task for t in waiting[model]]))
        for made in filled:
            created_package = made.package if made.created else None
            record_moved(user, self, made.tasks, None, made.package, created=created_package)
        return filled

    @transaction.atomic(savepoint=False)
    def assign(
        self,
        task_ids: list[int],
        package: Package | None,
        user: Any = None,
        *,
        source: Package | None = None,
        names: list[str] | None = None,
    ) -> int:
        """Move this assessment's tasks into `package` (None: out of every package) from
        `source` (None: from no package), recorded on each package they left or joined when
        any moved. `names`: the tasks' names, when the caller has them (else read first)."""
        if names is None:
            names = list(self.tasks.filter(pk__in=task_ids).values_list("task", flat=True))
        moved = self.tasks.filter(pk__in=task_ids).update(package=package)
        if moved:
            record_moved(user, self, names, source, package)
        return moved

    def misplaced_tasks(
        self, tasks: Iterable[Task] | None = None, packages: Iterable[Package] | None = None
    ) -> list[Misplaced]:
        """Every task in a package that no longer fits it (SPEC 4.5: its model changed, or it is
        no longer to be put out), with its one-step fix, package by package in their order: two
        queries, none when the caller passes the tasks it read (with their results and
        overrides) and the packages."""
        packages = list(self.packages.all() if packages is None else packages)
        if tasks is None:
            tasks = (
                self.tasks.filter(package__isnull=False)
                .select_related("result", "override")
                .only("assessment", "package", "task", "department", *MISFIT_COLUMNS)
            )
        by_id = {package.pk: package for package in packages}
        placed = {
            task.pk: (task, package_id)
            for task in tasks
            if (package_id := task.package_id) is not None and package_id in by_id
        }
        found = sourcing.flags(
            (
                sourcing.Placed(task.pk, package_id, task.final_model, task.verdict)
                for task, package_id in placed.values()
            ),
            [(package.pk, package.model) for package in packages],
        )
        order = {pk: index for index, pk in enumerate(by_id)}
        misplaced = [
            Misplaced(
                placed[flag.task_id][0],
                by_id[flag.package_id],
                flag,
                None if flag.fix.target is None else by_id[flag.fix.target],
            )
            for flag in found
        ]
        return sorted(misplaced, key=lambda m: order[m.package.pk])  # stable: tasks keep order

    @transaction.atomic
    def fix_packages(
        self, user: Any = None, *, task_id: int | None = None, seen: str | None = None
    ) -> list[Misplaced]:
        """Apply the suggested fix to the misplaced task `task_id`, or to every misplaced task,
        all or nothing: move it to the package of its model, create that package first when
        there is none (one for all the tasks of a model), or take it out of its package.
        Recorded on each package the tasks left or joined, a new one as created. `seen`: the
        fixes the page offered (`sourcing.fixes_stamp`); when those found now are others (a
        task moved, overridden or checked meanwhile), PackagesChanged is raised and nothing is
        changed. Returns the tasks fixed."""
        # The assessment first, as a merge locks it: of two fixes at once the second waits.
        Assessment.objects.select_for_update().filter(pk=self.pk).first()
        found = [m for m in self.misplaced_tasks() if task_id is None or m.task.pk == task_id]
        if seen is not None and sourcing.fixes_stamp(m.flag for m in found) != seen:
            raise PackagesChanged
        made: dict[str, Package] = {}
        for misplaced in found:
            fix = misplaced.flag.fix
            if fix.action == sourcing.Action.CREATE and fix.model not in made:
                joining = [m.task for m in found if m.flag.fix == fix]
                made[fix.model] = Package.objects.create(
                    assessment=self,
                    model=fix.model,
                    name=Package.default_name(fix.model, joining),
                    position=self.packages.count(),
                )
        moves: dict[tuple[Package, Package | None], list[Task]] = {}
        for misplaced in found:
            fix = misplaced.flag.fix
            target = made[fix.model] if fix.action == sourcing.Action.CREATE else misplaced.target
            moves.setdefault((misplaced.package, target), []).append(misplaced.task)
        announced: set[int] = set()  # the new packages whose creation is recorded
        for (source, target), tasks in moves.items():
            Task.objects.filter(pk__in=[task.pk for task in tasks]).update(package=target)
            created = None
            if target is not None and target in made.values() and target.pk not in announced:
                created = target
                announced.add(target.pk)
            record_moved(user, self, [task.task for task in tasks], source, target, created=created)
        return found

    # --- the inventory's state changes: each saves, recomputes the results that depend on it
    # and records the history, in one transaction (savepoint=False: within a page's own
    # transaction it adds no query). Pages, the command line and the admin all go through them.

    @transaction.atomic(savepoint=False)
    def add_task(self, task: Task, user: Any) -> Task:
        """A new task of this assessment (unsaved), placed last, checked and recorded."""
        task.position = self.next_position()
        task.save()
        self.recompute_results([task])
        history.record(user, SubjectType.TASK, task, Action.CREATED, assessment=self)
        return task

    @transaction.atomic(savepoint=False)
    def save_task(self, task: Task, before: dict[str, Any], user: Any) -> Task:
        """A task of this assessment edited in memory, saved, checked again and recorded as
        it differs from `before` (its `history.snapshot` before the edit)."""
        task.save()
        self.recompute_results([task])
        history.record_change(user, SubjectType.TASK, task, before, assessment=self)
        return task

    @transaction.atomic(savepoint=False)
    def duplicate_task(self, original: Task, user: Any) -> Task:
        """A copy of `original` placed right after it, checked and recorded as created."""
        Task.objects.filter(assessment_id=self.pk, position__gt=original.position).update(
            position=models.F("position") + 1
        )
        copy = Task.objects.get(pk=original.pk)
        copy.pk = None
        copy.position = original.position + 1
        copy.source_row = None
        copy.save()
        self.recompute_results([copy])
        history.record(
            user,
            SubjectType.TASK,
            copy,
            Action.CREATED,
            details={"copy_of": str(original)},
            assessment=self,
        )
        return copy

    @transaction.atomic(savepoint=False)
    def save_tasks(
        self, edited: Iterable[tuple[Task, dict[str, Any]]], fields: Iterable[str], user: Any
    ) -> list[Task]:
        """Tasks of this assessment edited in memory, each with its `history.snapshot` before
        the edit, saved together (the fast table's bulk edit): `fields` written in one query,
        the results recomputed once, and one event per task whose fields changed, as
        `save_task` records it. The caller has validated every task. Returns those changed."""
        changed = [
            (task, gone)
            for task, before in edited
            if (gone := history.field_changes(before, history.snapshot(task, before)))
        ]
        if not changed:
            return []
        now = timezone.now()
        tasks = [task for task, _changes in changed]
        for task in tasks:
            task.updated_at = now  # bulk_update skips auto_now
        Task.objects.bulk_update(tasks, [*fields, "updated_at"], batch_size=500)
        self.recompute_results(tasks)
        history.record_many(
            history.event(
                user, SubjectType.TASK, task, Action.CHANGED, changes=changes, assessment=self
            )
            for task, changes in changed
        )
        return tasks

    @transaction.atomic(savepoint=False)
    def trash_tasks(self, tasks: Iterable[Task], user: Any) -> list[Task]:
        """Move tasks of this assessment to the trash, restorable for TRASH_DAYS days: at once
        they leave every page, count and total, their package (its scope is without them) and
        the report. Each keeps its place and its package, which it rejoins if restored while
        that package is not in the trash itself. Recorded as moved to the trash, one event
        each. Returns those moved (a task trashed meanwhile by someone else is not)."""
        wanted = {task.pk: task for task in tasks}
        found = list(
            Task.objects.select_for_update()
            .filter(assessment=self, pk__in=list(wanted))
            .values_list("pk", flat=True)
        )
        if not found:
            return []
        now = timezone.now()
        by = user if getattr(user, "is_authenticated", False) else None
        Task.objects.filter(pk__in=found).update(deleted_at=now, deleted_by=by)
        moved = [wanted[pk] for pk in found]
        for task in moved:
            task.deleted_at, task.deleted_by = now, by
        history.record_many(
            history.event(user, SubjectType.TASK, task, Action.TRASHED, assessment=self)
            for task in moved
        )
        return moved

    def trash_task(self, task: Task, user: Any) -> bool:
        """One task to the trash (`trash_tasks`); False when it was there already."""
        return bool(self.trash_tasks([task], user))

    @transaction.atomic(savepoint=False)
    def restore_tasks(self, task_ids: Iterable[int], user: Any) -> list[Task]:
        """Bring tasks of this assessment back from the trash, those still restorable: each to
        its place, and to its package unless that package is in the trash itself or gone
        (then to no package); their results computed again with the assessment's pinned
        versions (it may have moved to others meanwhile). Recorded as restored, one event
        each. Returns the tasks restored."""
        found = list(
            Task.with_trashed.select_for_update()
            .filter(assessment=self, pk__in=list(task_ids))
            .trashed()
            .restorable()
        )
        if not found:
            return []
        packages = {task.package_id for task in found} - {None}
        live = set(self.packages.filter(pk__in=packages).values_list("pk", flat=True))
        now = timezone.now()
        for task in found:
            task.deleted_at, task.deleted_by, task.updated_at = None, None, now
            if task.package_id not in live:
                task.package = None
        Task.with_trashed.bulk_update(found, ["deleted_at", "deleted_by", "package", "updated_at"])
        self.recompute_results(found)
        history.record_many(
            history.event(user, SubjectType.TASK, task, Action.RESTORED, assessment=self)
            for task in found
        )
        return found

    @transaction.atomic(savepoint=False)
    def save_answers(
        self, submitted: Iterable[tuple[Task, dict[str, str]]], user: Any
    ) -> list[Task]:
        """A person's answers (task -> code -> answer, "" for none) to tasks of this
        assessment: the tasks whose answers change are saved, checked again and recorded, one
        event each. Returns those tasks."""
        before: dict[int, dict[str, str]] = {}
        changed = []
        for task, answers in submitted:
            was = task.effective_answers()
            if task.set_answers(answers):
                before[task.pk] = was
                changed.append(task)
        if not changed:
            return []
        now = timezone.now()
        for task in changed:
            task.updated_at = now  # bulk_update skips auto_now
        Task.objects.bulk_update(changed, ["answers", "answer_sources", "updated_at"])
        self.recompute_results(changed)
        history.record_many(
            history.event(
                user,
                SubjectType.ANSWERS,
                task,
                Action.CHANGED,
                changes=history.answer_changes(before[task.pk], task.effective_answers()),
                assessment=self,
            )
            for task in changed
        )
        return changed

    @transaction.atomic(savepoint=False)
    def override_task(self, task: Task, model: str, justification: str, user: Any) -> None:
        """A consultant's choice of model for a task (set or changed), the result's warnings
        recomputed for it and the override recorded with its model and justification."""
        before = _override_values(getattr(task, "override", None))
        task.set_override(model, justification, user)
        self.recompute_results([task])
        _record_override(user, self, task, before, {"model": model, "justification": justification})

    @transaction.atomic(savepoint=False)
    def clear_override(self, task: Task, user: Any) -> None:
        """The recommendation applies again; recorded when there was an override."""
        before = _override_values(getattr(task, "override", None))
        task.clear_override()
        self.recompute_results([task])
        _record_override(user, self, task, before, {})

    def assign_check(self, task: Task, assignee: Any, user: Any, *, link: str = "") -> bool:
        """Give the check of a task of this assessment to `assignee` (None: to nobody): a
        member of the organisation with an editing role, who can save its answers (else
        collaboration.AssigneeRefused, before anything is written). Recorded (Action.ASSIGNED,
        the names before and after); the new assignee, if not `user`, is told by mail at `link`
        (the check page) once committed. False when the check was theirs already. The task's
        stamp is left alone: someone answering its questions meanwhile is not refused for it."""
        editors = Membership.objects.filter(
            organisation_id=self.organisation_id, role__in=EDITING_ROLES
        )
        if assignee is not None and not editors.filter(user=assignee).exists():
            if task.check_assignee_id == assignee.pk:
                return False  # theirs already, since made a viewer: nothing to change
            raise collaboration.AssigneeRefused(
                translation.gettext(
                    "%(name)s cannot be given the check: only managers and consultants of "
                    "%(organisation)s can save its answers."
                )
                % {"name": person_name(assignee), "organisation": self.organisation.name}
            )
        with transaction.atomic(savepoint=False):
            current = (
                Task.objects.select_for_update(of=("self",))
                .select_related("check_assignee")
                .get(pk=task.pk, assessment=self)
            )
            if current.check_assignee_id == getattr(assignee, "pk", None):
                return False
            before = person_name(current.check_assignee) if current.check_assignee else ""
            Task.objects.filter(pk=task.pk).update(check_assignee=assignee)
            task.check_assignee = assignee
            after = person_name(assignee) if assignee is not None else ""
            change = {"field": "check_assignee", "old": before, "new": after}
            history.record(
                user, SubjectType.TASK, task, Action.ASSIGNED, changes=[change], assessment=self
            )
            if assignee is not None and assignee.pk != getattr(user, "pk", None):
                collaboration.send_after_commit(
                    [collaboration.assignment_notice(task, assignee, user, link)]
                )
        return True

    @transaction.atomic
    def move_to_versions(
        self,
        checklist: ChecklistVersion,
        rules: RuleTableVersion,
        evaluation: EvaluationVersion | None = None,
        readiness: ReadinessVersion | None = None,
        *,
        user: Any = None,
        seen: str | None = None,
    ) -> Event | None:
        """Pin other versions and recompute every result with them (answers and overrides are
        kept). The weights need no recomputing: vendor totals are computed from them when shown.
        Each readiness entry moves to the new version's item with the same code, keeping its
        owner, status, note and who changed it when; the entries of items the new version no
        longer has are deleted (`version_changes` lists them first; the history keeps them, so
        that `move_back` restores them). Without `evaluation` or `readiness`, those stay as
        pinned. Recorded as one event with the versions on both sides and the tasks whose
        verdict or model changed. `seen`: the stamp of the changes the person confirmed
        (`VersionChanges.stamp`); when what moving changes is other now, VersionsChanged is
        raised and nothing is changed (None: not checked, for the command line)."""
        # The assessment before its readiness entries, as the readiness page locks them.
        Assessment.objects.select_for_update().filter(pk=self.pk).first()
        self.refresh_from_db(fields=[f"{name}_version" for name in VERSION_FIELDS])
        found = self.version_changes(checklist, rules, evaluation, readiness)
        if seen is not None and seen != found.stamp:
            raise VersionsChanged
        before = self.pinned_versions()
        target = PinnedVersions(
            checklist,
            rules,
            evaluation or before.evaluation,
            readiness or before.readiness,
        )
        dropped = [_dropped_entry(entry) for entry in found.dropped_readiness]
        self._pin_versions(target)
        return self._record_versions(user, Action.CHANGED, before, found, dropped_readiness=dropped)

    @transaction.atomic
    def move_back(self, user: Any = None, *, seen: int | None = None) -> Event:
        """Undo the latest move to other versions while nothing else has changed since
        (`last_version_move`): pin the versions it left, recompute every result with them
        (answers and overrides are kept: the results are those before the move), carry the
        readiness entries back to the items with the same code and restore those it dropped.
        Recorded as undone. `seen`: the id of the move the page offered to undo; when it is not
        the latest move, or anything changed since, VersionsChanged is raised and nothing is
        changed."""
        Assessment.objects.select_for_update().filter(pk=self.pk).first()
        self.refresh_from_db(fields=[f"{name}_version" for name in VERSION_FIELDS])
        last = self.last_version_move()
        if last is None or not last.reversible or seen not in (None, last.event.pk):
            raise VersionsChanged
        details = last.event.details
        target = PinnedVersions.numbered(details.get("versions_from") or {})
        if target is None or target.checklist is None or target.rules is None:
            raise VersionsChanged
        found = self.version_changes(target.checklist, target.rules, None, target.readiness)
        before = self.pinned_versions()
        self._pin_versions(target)
        restored = self._restore_entries(target.readiness, details.get("dropped_readiness") or [])
        event = self._record_versions(
            user, Action.UNDONE, before, found, restored_readiness=restored
        )
        assert event is not None  # an undo is recorded even without a field change
        return event

    def _pin_versions(self, target: PinnedVersions) -> None:
        """Pin exactly these versions, carry the readiness entries over and recompute."""
        if target.readiness is not None:
            carried, dropped = self._readiness_carry_over(target.readiness)
            steps.ReadinessEntry.objects.filter(pk__in=[entry.pk for entry in dropped]).delete()
            # bulk_update leaves updated_at (auto_now) as it was.
            steps.ReadinessEntry.objects.bulk_update(carried, ["item"])
        self.checklist_version, self.rule_version = target.checklist, target.rules
        self.evaluation_version, self.readiness_version = target.evaluation, target.readiness
        self.save(update_fields=[*(f"{name}_version" for name in VERSION_FIELDS), "updated_at"])
        self.recompute_results()

    def _restore_entries(
        self, version: ReadinessVersion | None, dropped: list[dict[str, Any]]
    ) -> list[str]:
        """The readiness entries a move dropped (`_dropped_entry`), again on `version`'s items
        of their codes, as they were: owner, status, note, who changed them last and when.
        Returns the codes restored."""
        if version is None or not dropped:
            return []
        items = {item.code: item for item in version.items.all()}
        names = {row.get("updated_by") for row in dropped} - {None, ""}
        people = {u.get_username(): u for u in get_user_model().objects.filter(username__in=names)}
        entries = [
            steps.ReadinessEntry(
                assessment=self,
                item=items[row["code"]],
                owner=row.get("owner", ""),
                status=row.get("status", ""),
                note=row.get("note", ""),
                updated_by=people.get(row.get("updated_by") or ""),
            )
            for row in dropped
            if row.get("code") in items
        ]
        steps.ReadinessEntry.objects.bulk_create(entries)
        moments = [datetime.datetime.fromisoformat(row["updated_at"]) for row in dropped]
        for entry, moment in zip(entries, moments, strict=False):
            entry.updated_at = moment
        # Created, they were stamped now: bulk_update writes when they last changed.
        steps.ReadinessEntry.objects.bulk_update(entries, ["updated_at"])
        return [entry.item.code for entry in entries]

    def _record_versions(
        self,
        user: Any,
        action: Action,
        before: PinnedVersions,
        found: VersionChanges,
        **details: Any,
    ) -> Event | None:
        """One event for a move (or a move back): the versions on both sides by number, how
        many tasks changed verdict and model, and the stamp `move_back` compares."""
        after = self.pinned_versions()
        names = [task.task for task, _change in found.tasks]
        return history.record(
            user,
            SubjectType.VERSIONS,
            self,
            action,
            changes=history.field_changes(before.names(), after.names()),
            details={
                "versions_from": before.numbers(),
                "versions_to": after.numbers(),
                "verdicts": sum(c.before.verdict != c.after.verdict for _t, c in found.tasks),
                "models": sum(c.before.model != c.after.model for _t, c in found.tasks),
                "tasks": names[:NAMED_TASKS],
                "count": len(names),
                "state": self.version_state(),
                **details,
            },
            assessment=self,
        )

    @transaction.atomic
    def import_tasks(
        self,
        rows: list[dict[str, Any]],
        *,
        filename: str,
        sha256: str,
        user: AuthUser | None,
        replace: bool = True,
        provided: frozenset[str] | None = None,
    ) -> InventoryImport:
        """Apply a file's tasks (SPEC 4.2.1) in one transaction, all or nothing: tasks matching
        one of the inventory are updated in the columns the file gives (`provided`; None: all),
        the others added; with `replace`, the inventory's tasks not in the file are removed.
        The inventory as it was is kept on the import so that it can be undone."""
        Assessment.objects.select_for_update().filter(pk=self.pk).first()  # one import at a time
        change = sync.plan(
            self.existing_tasks(),
            rows,
            frozenset(sync.UPDATABLE) | {"answers"} if provided is None else provided,
            replace,
        )
        before = self.snapshot_inventory()
        self.tasks.filter(pk__in=change.remove).delete()
        changed = self._apply_changes(change.change)
        start = self.next_position()
        added = Task.objects.bulk_create(
            [Task(assessment=self, position=start + i, **row) for i, row in enumerate(change.add)],
            batch_size=1000,
        )
        self.recompute_results(changed + added)
        self.save(update_fields=["updated_at"])
        self.imports.filter(before__isnull=False).update(before=None)  # only the latest undoes
        imported = InventoryImport.objects.create(
            assessment=self,
            filename=filename[:255],
            sha256=sha256,
            rows=len(rows),
            replaced=replace,
            added=len(added),
            changed=len(changed),
            removed=len(change.remove),
            before=before,
            imported_by=user,
        )
        # One event for the whole file, here so that the page, the background job and the
        # command line all record it (bulk writes have no per-row hook).
        history.record(
            user,
            SubjectType.INVENTORY,
            imported,
            Action.IMPORTED,
            details={
                "filename": imported.filename,
                "sha256": sha256,
                "rows": len(rows),
                "added": len(added),
                "changed": len(changed),
                "removed": len(change.remove),
            }
            | ({"replaced": True} if replace else {}),
            assessment=self,
        )
        return imported

    def existing_tasks(self) -> list[sync.Existing]:
        """The inventory as `sync.plan` compares it with a file."""
        names = ("pk", "answers", "answer_sources", *sync.UPDATABLE)
        return [
            sync.Existing(
                values["pk"],
                {name: values[name] for name in sync.UPDATABLE},
                values["answers"],
                values["answer_sources"],
            )
            for values in self.tasks.values(*names)
        ]

    def _apply_changes(self, changes: list[sync.Change]) -> list[Task]:
        tasks = self.tasks.in_bulk([change.id for change in changes])
        fields: set[str] = set()
        for change in changes:
            for name, value in change.values.items():
                setattr(tasks[change.id], name, value)
            fields |= set(change.values)
        if fields:
            Task.objects.bulk_update(list(tasks.values()), sorted(fields), batch_size=500)
        return list(tasks.values())

    def snapshot_inventory(self) -> dict[str, Any]:
        """Every task and override as plain JSON: what undoing an import restores."""
        task_fields = [
            f.attname for f in Task._meta.concrete_fields if f.attname != "assessment_id"
        ]
        override_fields = [f.attname for f in Override._meta.concrete_fields if f.attname != "id"]
        return {
            "tasks": [_json_safe(row) for row in self.tasks.values(*task_fields)],
            "overrides": [
                _json_safe(row)
                for row in Override.objects.filter(
                    task__assessment=self, task__deleted_at__isnull=True
                ).values(*override_fields)
            ],
        }

    @transaction.atomic
    def undo_import(self, imported: InventoryImport, user: AuthUser | None) -> int:
        """Put the inventory back exactly as it was before `imported` (tasks with their ids,
        answers, overrides, packages); changes made after it are lost. Returns the task count."""
        Assessment.objects.select_for_update().filter(pk=self.pk).first()
        imported = InventoryImport.objects.select_for_update().get(pk=imported.pk)
        if not imported.can_undo:
            raise ValueError("This import cannot be undone.")
        before = imported.before or {}
        packages = set(self.packages.values_list("pk", flat=True))
        self.tasks.all().delete()
        # A task moved to the trash since stays there (restorable from it): never twice.
        trashed = set(
            Task.with_trashed.filter(assessment=self).trashed().values_list("pk", flat=True)
        )
        tasks = []
        for row in before.get("tasks", []):
            if row.get("id") in trashed:
                continue
            values = dict(row)
            if values.get("package_id") not in packages:
                values["package_id"] = None
            tasks.append(Task(assessment=self, **values))
        restored = Task.objects.bulk_create(tasks, batch_size=1000)
        kept = {task.pk for task in restored}
        users = set(get_user_model().objects.values_list("pk", flat=True))
        Override.objects.bulk_create(
            [
                Override(
                    **(
                        row
                        | {"author_id": row["author_id"] if row.get("author_id") in users else None}
                    )
                )
                for row in before.get("overrides", [])
                if row.get("task_id") in kept
            ]
        )
        self.recompute_results()
        self.save(update_fields=["updated_at"])
        imported.before, imported.undone_at, imported.undone_by = None, timezone.now(), user
        imported.save(update_fields=["before", "undone_at", "undone_by"])
        history.record(
            user,
            SubjectType.INVENTORY,
            imported,
            Action.UNDONE,
            details={"filename": imported.filename, "rows": len(restored)},
            assessment=self,
        )
        return len(restored)

    def recompute_results(self, tasks: list[Task] | None = None) -> None:
        """Check and recommend every task (or the given ones) with the pinned versions, and
        store the results. Overrides are kept: only computed fields are written."""
        if self.checklist_version is None or self.rule_version is None:
            return
        criteria = self.checklist_version.as_domain()
        rules = self.rule_version.as_domain()
        org = self.volume_settings
        now = timezone.now()
        overrides = dict(
            Override.objects.filter(task__assessment=self).values_list("task_id", "model")
        )
        results = [
            task.assess(
                criteria,
                rules,
                org,
                self.checklist_version,
                self.rule_version,
                now,
                override=overrides.get(task.pk),
            )
            for task in (self.tasks.all() if tasks is None else tasks)
        ]
        TaskResult.objects.bulk_create(
            results,
            batch_size=500,
            update_conflicts=True,
            unique_fields=["task"],
            update_fields=COMPUTED_RESULT_FIELDS,
        )

    def task_rows(
        self, *query: Q, only: tuple[str, ...] = (), **filters: Any
    ) -> list[tuple[Task, inventory.Derived]]:
        """Every task (or those matching the filters) with its result, hours and cost, in one
        query. `only`: the columns the caller reads, when it reads few: loading every column of a
        thousand tasks and their results, JSON included, takes longer than the rest of a page."""
        org = self.volume_settings
        tasks = self.tasks.select_related("result", "override").filter(*query, **filters)
        if only:
            # The related manager reads each task's assessment_id, to attach this assessment.
            tasks = tasks.only("assessment", *only)
        return [(task, task.derive(org)) for task in tasks]

    def task_views(
        self, *query: Q, columns: tuple[str, ...]
    ) -> list[tuple[TaskView, inventory.Derived]]:
        """`task_rows(*query, only=columns)` as plain objects rather than model instances: a
        third of the time for the thousand rows of the inventory page. `columns`: Task's fields,
        and `result__…` and `override__…` for the result's and the override's."""
        own = ("pk", *(name for name in columns if "__" not in name))
        related = {
            relation: (
                "pk",
                *(name.split("__", 1)[1] for name in columns if name.startswith(f"{relation}__")),
            )
            for relation in ("result", "override")
        }
        names = [*own, *(f"{r}__{name}" for r, fields in related.items() for name in fields)]
        org = self.volume_settings
        rows = []
        for values in self.tasks.filter(*query).values_list(*names):
            view = TaskView(zip(own, values, strict=False))
            start = len(own)
            for relation, fields in related.items():
                loaded = values[start : start + len(fields)]
                start += len(fields)
                # No result or override: every column None, its primary key included.
                setattr(view, relation, None if loaded[0] is None else _Loaded(fields, loaded))
            rows.append((view, view.derive(org)))
        return rows

    def summary_rows(self) -> list[inventory.Row]:
        """`as_summary_rows(task_rows())` of every task, from the few columns the rows read and
        without building a thousand tasks, results and overrides (a fifth of the time; the
        overview page shows these). The same rules as Task's `volume`, `final_model`, `verdict`
        and `effective_answers()["C3"]`; test_aggregates.py holds the two ways equal."""
        org = self.volume_settings
        categories: dict[str, str] = {}
        models_: dict[str, str] = {}
        rows = []
        for (
            department,
            category,
            frequency,
            occurrences,
            minutes,
            people,
            hourly_cost,
            people_able,
            days_per_year,
            stated_hours,
            standardizable,
            answers,
            verdict,
            model,
            override,
        ) in self.tasks.values_list(
            *("department", "category", "frequency", "occurrences", "minutes", "people"),
            *("hourly_cost", "people_able", "days_per_year", "annual_hours"),
            *("standardizable", "answers"),
            *("result__verdict", "result__model", "override__model"),
        ):
            volume = inventory.Volume(
                frequency=frequency,
                occurrences=occurrences,
                minutes=minutes,
                people=people,
                hourly_cost=Decimal(hourly_cost) if hourly_cost is not None else None,
                people_able=people_able,
                days_per_year=days_per_year,
                stated_hours=stated_hours,
            )
            final = override if override is not None else model or ""
            if category not in categories:
                categories[category] = choices.label(choices.Category, category)
            if final and final not in models_:
                models_[final] = choices.label(Outcome, final)
            prefilled = cl.prefill({"standardizable": standardizable})  # C3 follows from it alone
            rows.append(
                inventory.Row(
                    department,
                    categories[category],
                    inventory.derive(volume, org),
                    models_[final] if final else "",
                    verdict or "",
                    {**prefilled, **answers}.get("C3", ""),
                    model_key=final,
                )
            )
        return rows

    @staticmethod
    def as_summary_rows(rows: list[tuple[Task, inventory.Derived]]) -> list[inventory.Row]:
        return [
            inventory.Row(
                task.department,
                task.category_label,
                derived,
                task.model_label,
                task.verdict,
                task.effective_answers().get("C3", ""),
                model_key=task.final_model,
            )
            for task, derived in rows
        ]

    def next_position(self) -> int:
        last = self.tasks.aggregate(models.Max("position"))["position__max"]
        return 0 if last is None else last + 1


@dataclasses.dataclass(frozen=True)
class FilledPackage:
    """A package `Assessment.create_packages` made (`created`) or added tasks to."""

    package: Package
    created: bool
    tasks: list[str]  # the names of the tasks it was given


# What telling whether a task fits its package reads of its result and override.
MISFIT_COLUMNS = ("result__verdict", "result__model", "override__model")


class PackagesChanged(Exception):
    """What a page offered to change of the packages is no longer what it would change (a
    task moved, overridden or checked, a vendor invited meanwhile): nothing was changed."""


@dataclasses.dataclass(frozen=True)
class PackageContents:
    """What deleting a package lets go of or takes with it (`Package.contents`)."""

    tasks: list[str]  # back to "not in a package"
    vendors: list[str]  # invitations deleted, with their quotes and evaluations
    quotes: int
    evaluations: int
    rfp: bool  # its RFP draft (or staffing request) is deleted
    kpis: list[str]  # kept, tied to no package
    stamp: str  # of all the above, for the confirmation's form

    @property
    def empty(self) -> bool:
        """Nothing goes with it: deleted in one step."""
        return not (self.tasks or self.vendors or self.rfp or self.kpis)


@dataclasses.dataclass(frozen=True)
class Misplaced:
    """A task that no longer fits its package (`Assessment.misplaced_tasks`), with its fix."""

    task: Task
    package: Package
    flag: sourcing.Flag
    target: Package | None  # the package a move goes to

    @property
    def reason(self) -> str:
        return sourcing.misfit_words(self.flag.misfit)

    @property
    def remedy(self) -> str:
        return sourcing.fix_words(self.flag.fix, self.target.name if self.target else "")

    @property
    def stamp(self) -> str:
        """The fix as the page offers it (see `Assessment.fix_packages`)."""
        return sourcing.fixes_stamp([self.flag])


@dataclasses.dataclass(frozen=True)
class VersionChanges:
    criteria: list[changes.Change]
    thresholds: list[changes.Change]
    rules: list[changes.Change]
    weights: list[changes.WeightChange]  # each criterion named by its label
    tasks: list[tuple[Task, changes.TaskChange]]  # tasks whose verdict or model changes
    readiness: list[changes.Change]  # readiness items, matched by code
    # The readiness entries whose item the new version no longer has: deleted by the move.
    dropped_readiness: list[steps.ReadinessEntry]
    # The stored and the new result of each task whose verdict or model changes, by its id:
    # what the page words (why it changes).
    results: dict[Any, tuple[TaskResult, TaskResult]] = dataclasses.field(default_factory=dict)
    stamp: str = ""  # of what the page shows: the confirmation's (`move_to_versions`)


# An assessment's versions, as its fields name them (`<name>_version`).
VERSION_FIELDS = ("checklist", "rule", "evaluation", "readiness")


class VersionsChanged(Exception):
    """What moving to other versions would change is no longer what the page showed (a version
    was published, a task changed meanwhile), or a move can no longer be moved back (something
    else changed since): nothing was changed."""


@dataclasses.dataclass(frozen=True)
class PinnedVersions:
    """The four versions an assessment is pinned to (None: not pinned yet)."""

    checklist: ChecklistVersion | None
    rules: RuleTableVersion | None
    evaluation: EvaluationVersion | None
    readiness: ReadinessVersion | None

    def _pairs(self) -> list[tuple[str, Any]]:
        versions = (self.checklist, self.rules, self.evaluation, self.readiness)
        return list(zip(VERSION_FIELDS, versions, strict=True))

    def numbers(self) -> dict[str, int | None]:
        """By number, as the history keeps them: a number names the same published version on
        any installation the organisation is restored to."""
        return {name: getattr(version, "number", None) for name, version in self._pairs()}

    def names(self) -> dict[str, str]:
        """As the history shows them: the assessment's fields, each "v2" ("" for none)."""
        return {f"{name}_version": str(v) if v else "" for name, v in self._pairs()}

    @classmethod
    def numbered(cls, numbers: dict[str, Any]) -> PinnedVersions | None:
        """The published versions of these numbers (`numbers`); None when one of them is no
        longer there."""
        kinds: tuple[type[Any], ...] = (
            ChecklistVersion,
            RuleTableVersion,
            EvaluationVersion,
            ReadinessVersion,
        )
        found = []
        for name, kind in zip(VERSION_FIELDS, kinds, strict=True):
            number = numbers.get(name)
            published = kind.objects.published()
            version = None if number is None else published.filter(number=number).first()
            if number is not None and version is None:
                return None
            found.append(version)
        return cls(*found)


@dataclasses.dataclass(frozen=True)
class VersionMove:
    """An assessment's latest move to other versions (`Assessment.last_version_move`)."""

    event: Event
    later: Event | None  # the first change recorded after it: why it cannot be moved back
    changed: bool  # changed since without a record (results recomputed, readiness entries)

    @property
    def reversible(self) -> bool:
        return self.later is None and not self.changed


def _dropped_entry(entry: steps.ReadinessEntry) -> dict[str, Any]:
    """A readiness entry a move deletes, as the move's event keeps it for `move_back`: by its
    item's code and its author's user name, which mean the same after a restore."""
    return {
        "code": entry.item.code,
        "owner": entry.owner,
        "status": entry.status,
        "note": entry.note,
        "updated_by": entry.updated_by.get_username() if entry.updated_by else "",
        "updated_at": entry.updated_at.isoformat(),
    }


# What a task's history keeps of it: the columns of the inventory (the task form's fields).
TASK_FIELDS = [column.key for column in INVENTORY_COLUMNS]
# The history names at most this many tasks of a move; beyond, it gives their number.
NAMED_TASKS = 100


def record_moved(
    user: Any,
    assessment: Assessment,
    tasks: list[str],
    source: Package | None,
    target: Package | None,
    *,
    created: Package | None = None,
) -> None:
    """One event on each package the tasks left or joined (`created`: the one made for them)."""
    details = {
        "tasks": tasks[:NAMED_TASKS],
        "count": len(tasks),
        "from": source.name if source else "",
        "to": target.name if target else "",
    }
    history.record_many(
        history.event(
            user,
            SubjectType.PACKAGE,
            package,
            Action.CREATED if package == created else Action.TASKS_MOVED,
            details=details,
            assessment=assessment,
        )
        for package in (source, target)
        if package is not None
    )


def _override_values(override: Override | None) -> dict[str, str]:
    if override is None:
        return {}
    return {"model": override.model, "justification": override.justification}


def _record_override(
    user: Any,
    assessment: Assessment,
    task: Task,
    before: dict[str, str],
    after: dict[str, str],
) -> None:
    """Set (created), changed or cleared (deleted), with the model and the justification."""
    action = Action.DELETED if not after else Action.CHANGED if before else Action.CREATED
    if action == Action.DELETED and not before:
        return  # there was nothing to clear
    history.record(
        user,
        SubjectType.OVERRIDE,
        task,
        action,
        changes=history.field_changes(before, after),
        assessment=assessment,
    )


def _criteria_records(version: ChecklistVersion | None) -> dict[str, dict[str, Any]]:
    if version is None:
        return {}
    return {
        c.code: {
            "text": c.text,
            "help": c.help,
            "direction": choices.label(Direction, c.direction),
            "weight": c.weight,
            "order": c.order,
        }
        for c in version.criteria.all()
    }


def _threshold_record(version: ChecklistVersion | None) -> dict[str, dict[str, Any]]:
    if version is None:
        return {}
    thresholds = {}
    for name in ["non_core_at", "core_at", "max_unknown", "costly_core_yen", "scoring"]:
        field = ChecklistVersion._meta.get_field(name)
        assert isinstance(field, models.Field)  # a column of the version's own, no relation
        value = getattr(version, name)
        if name == "scoring":
            value = choices.label(choices.Scoring, value)  # in words, as the page shows it
        thresholds[str(field.verbose_name)] = value
    return {str(_("Thresholds")): thresholds}


def _rule_records(version: RuleTableVersion | None) -> dict[str, dict[str, Any]]:
    if version is None:
        return {}
    return {
        r.code: {
            "order": r.order,
            "conditions": r.conditions,
            "outcome": choices.label(Outcome, r.outcome),
            "explanation": r.explanation,
        }
        for r in version.rules.all()
    }


def _weight_records(version: EvaluationVersion | None) -> dict[str, Decimal]:
    if version is None:
        return {}
    return {w.get_criterion_display(): w.weight for w in version.weights.all()}


def _readiness_records(version: ReadinessVersion | None) -> dict[str, dict[str, Any]]:
    if version is None:
        return {}
    return {
        item.code: {
            "text": item.text,
            "help": item.help,
            "area": item.get_area_display(),
        }
        for item in version.items.all()
    }


def versions_diff(before: PinnedVersions, after: PinnedVersions) -> VersionChanges:
    """What differs between the versions themselves, as `version_changes` finds it, without any
    assessment's tasks: what the administrators' publish page says a draft changes (issue 18)."""
    return VersionChanges(
        criteria=changes.diff_records(
            _criteria_records(before.checklist), _criteria_records(after.checklist)
        ),
        thresholds=changes.diff_records(
            _threshold_record(before.checklist), _threshold_record(after.checklist)
        ),
        rules=changes.diff_records(_rule_records(before.rules), _rule_records(after.rules)),
        weights=changes.weight_changes(
            _weight_records(before.evaluation), _weight_records(after.evaluation)
        ),
        tasks=[],
        readiness=changes.diff_records(
            _readiness_records(before.readiness), _readiness_records(after.readiness)
        ),
        dropped_readiness=[],
    )


TrashedModel = TypeVar("TrashedModel", bound=models.Model)


class TrashQuerySet(models.QuerySet[TrashedModel]):
    """The trash of tasks and packages (`with_trashed`: the default managers have none)."""

    def trashed(self) -> Self:
        return self.filter(deleted_at__isnull=False)

    def restorable(self, now: datetime.datetime | None = None) -> Self:
        """In the trash for less than TRASH_DAYS days: listed there, and restorable."""
        return self.filter(deleted_at__gte=trash_cutoff(now))

    def expired(self, now: datetime.datetime | None = None) -> Self:
        """In the trash for TRASH_DAYS days or more: deleted for good (`purge_trash`)."""
        return self.filter(deleted_at__lt=trash_cutoff(now))


class TaskQuerySet(TrashQuerySet["Task"]):
    def for_user(self, user: AuthUser) -> TaskQuerySet:
        return self.filter(assessment__organisation__memberships__user=user)


_TaskManager = models.Manager.from_queryset(TaskQuerySet)


class LiveTasks(_TaskManager):
    """Task's default manager: the tasks not in the trash. Every `assessment.tasks`,
    `package.tasks` and `Task.objects` reads through it (a related manager filters as the
    default manager does); a foreign key to a task and the deletion cascades use the base
    manager and still reach a trashed one. `Task.with_trashed` holds them all: the trash page,
    restoring and purging."""

    def get_queryset(self) -> TaskQuerySet:  # type: ignore[override]
        return cast(TaskQuerySet, super().get_queryset().filter(deleted_at__isnull=True))


class Task(models.Model):
    """One row of the work inventory (SPEC 6.1). Hours and cost are derived, never stored."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="tasks")
    position = models.PositiveIntegerField(default=0)
    source_row = models.PositiveIntegerField(_("source row"), null=True, blank=True)

    department = models.CharField(_("Department"), max_length=100)
    process = models.CharField(_("Process"), max_length=200)
    task = models.CharField(_("Task"), max_length=200)
    category = models.CharField(_("Category"), max_length=20, choices=choices.Category.choices)
    description = models.TextField(_("Description"), max_length=2000, blank=True)

    frequency = models.CharField(
        _("Frequency"), max_length=10, choices=choices.Frequency.choices, blank=True
    )
    occurrences = models.DecimalField(
        _("Occurrences"),
        max_digits=12,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(10_000_000))],
    )
    # Person-time per occurrence, with no bound on the work (SPEC 4.2): the validator is what the
    # column holds.
    minutes = models.DecimalField(
        _("Minutes per occurrence"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(10_000_000))],
    )
    people = models.DecimalField(
        _("People"),
        max_digits=8,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal(100_000))],
    )
    days_per_year = models.PositiveSmallIntegerField(
        _("Working days per year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(366)],
    )
    # Hours the sheet states instead of frequency × minutes × people (SPEC 4.2); they win.
    annual_hours = models.DecimalField(
        _("Annual hours"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100_000_000))],
    )
    hourly_cost = models.PositiveIntegerField(
        _("Hourly cost (yen)"), null=True, blank=True, validators=[MaxValueValidator(1_000_000)]
    )
    # The range the sheet gave (通常期/繁忙期/閑散期, or min–max): occurrences per frequency period
    # and minutes per occurrence at their lowest and highest. The saving's range uses them
    # instead of the organisation's spread (SPEC 4.5); hours are computed from the usual values.
    occurrences_low = models.DecimalField(
        _("Occurrences (lowest)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(10_000_000))],
    )
    occurrences_high = models.DecimalField(
        _("Occurrences (highest)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(10_000_000))],
    )
    minutes_low = models.DecimalField(
        _("Minutes (lowest)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(10_000_000))],
    )
    minutes_high = models.DecimalField(
        _("Minutes (highest)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(10_000_000))],
    )

    expertise = models.PositiveSmallIntegerField(
        _("Expertise"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    standardizable = models.CharField(
        _("Standardisable"), max_length=10, choices=choices.Standardizable.choices, blank=True
    )
    manual = models.CharField(
        _("Manual"), max_length=10, choices=choices.Presence.choices, blank=True
    )
    people_able = models.PositiveIntegerField(
        _("Staff able to do it"), null=True, blank=True, validators=[MaxValueValidator(10000)]
    )
    seasonality = models.CharField(
        _("Seasonality"), max_length=10, choices=choices.Size.choices, blank=True
    )
    confidentiality = models.CharField(
        _("Confidentiality"), max_length=15, choices=choices.Confidentiality.choices, blank=True
    )
    continuity = models.CharField(
        _("Continuity"), max_length=10, choices=choices.Continuity.choices, blank=True
    )
    deliverable_clear = models.CharField(
        _("Clear deliverable"), max_length=10, choices=choices.Presence.choices, blank=True
    )
    direct_instruction = models.CharField(
        _("Direct instruction"), max_length=10, choices=choices.Need.choices, blank=True
    )
    # Work only a registered professional may do for others, and work done at the client's
    # premises (常駐): both bear on whether, and to whom, it may be put out (SPEC 4.4).
    licensed_work = models.CharField(
        _("Licensed work"), max_length=15, choices=choices.LicensedWork.choices, blank=True
    )
    on_site = models.CharField(
        _("On the client's premises"), max_length=10, choices=choices.Presence.choices, blank=True
    )
    judgment = models.CharField(
        _("Case-by-case judgment"), max_length=10, choices=choices.Amount.choices, blank=True
    )
    requirement_changes = models.CharField(
        _("Requirement changes"), max_length=10, choices=choices.Amount.choices, blank=True
    )
    tacit_knowledge = models.CharField(
        _("Tacit knowledge"), max_length=10, choices=choices.Amount.choices, blank=True
    )
    interviewee = models.CharField(_("Interviewee"), max_length=100, blank=True)
    notes = models.TextField(_("Notes"), max_length=2000, blank=True)

    package = models.ForeignKey(
        "Package",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("sourcing package"),
    )

    # The ten-item check: {"C1": "yes", …}; where each answer came from: prefill, file or user.
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    answer_sources = models.JSONField(_("answer sources"), default=dict, blank=True)

    # Whose check this is (issue 18: 「自分の担当」); nobody's by default.
    check_assignee = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("check assigned to"),
    )
    # In the trash since (restorable for TRASH_DAYS days); by whom.
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LiveTasks()  # the default: never a task in the trash
    with_trashed = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["assessment", "position"])]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")

    def __str__(self) -> str:
        return f"{self.department} / {self.process} / {self.task}"

    @property
    def category_label(self) -> str:
        return choices.label(choices.Category, self.category)

    @property
    def frequency_label(self) -> str:
        return choices.label(choices.Frequency, self.frequency) if self.frequency else ""

    @property
    def current_result(self) -> TaskResult | None:
        return getattr(self, "result", None)  # None until the task has been checked

    @property
    def final_model(self) -> str:
        """The consultant's override if there is one, else the recommendation."""
        override = getattr(self, "override", None)
        if override is not None:
            return override.model
        result = self.current_result
        return result.model if result is not None else ""

    @property
    def model_label(self) -> str:
        model = self.final_model
        return choices.label(Outcome, model) if model else ""

    @property
    def verdict(self) -> str:
        result = self.current_result
        return result.verdict if result is not None else ""

    @property
    def verdict_label(self) -> str:
        result = self.current_result
        return choices.label(Verdict, result.verdict) if result is not None else ""

    @property
    def volume(self) -> inventory.Volume:
        return inventory.Volume(
            frequency=self.frequency,
            occurrences=self.occurrences,
            minutes=self.minutes,
            people=self.people,
            hourly_cost=Decimal(self.hourly_cost) if self.hourly_cost is not None else None,
            people_able=self.people_able,
            days_per_year=self.days_per_year,
            stated_hours=self.annual_hours,
        )

    def derive(self, org: inventory.OrgSettings) -> inventory.Derived:
        return inventory.derive(self.volume, org)

    @property
    def attributes(self) -> dict[str, Any]:
        """What the check and the rules look at, as plain data."""
        return {name: getattr(self, name) for name in cl.TASK_ATTRIBUTES}

    def effective_answers(self) -> dict[str, str]:
        """Answers pre-filled from the attributes, overridden by those given in a file or by
        a person."""
        return {**cl.prefill(self.attributes), **self.answers}

    def assess(
        self,
        criteria: cl.CriteriaVersion,
        rules: cl.RuleTable,
        org: inventory.OrgSettings,
        checklist_version: ChecklistVersion,
        rule_version: RuleTableVersion,
        now: datetime.datetime,
        *,
        override: str | None = None,
    ) -> TaskResult:
        """An unsaved result of checking and recommending this task; the warnings are about
        the model that will be used (the consultant's `override`, if any)."""
        derived = self.derive(org)
        outcome = cl.assess_task(
            self.attributes,
            self.effective_answers(),
            criteria,
            rules,
            annual_hours=derived.annual_hours,
            annual_cost=derived.annual_cost,
            override=override,
        )
        recommendation = outcome.recommendation
        suitability = outcome.check.suitability
        return TaskResult(
            task=self,
            checklist_version=checklist_version,
            rule_version=rule_version,
            suitability=None if suitability is None else suitability.quantize(CENT),
            verdict=outcome.check.verdict,
            model=recommendation.model or "" if recommendation else "",
            detail={
                "runner_up": recommendation.runner_up or "" if recommendation else "",
                "rule": recommendation.rule or "" if recommendation else "",
                "pilot": bool(recommendation and recommendation.pilot),
                "security_required": bool(recommendation and recommendation.security_required),
                "reasons": list(outcome.reasons),
                "warnings": list(outcome.warnings),
                "contributions": [
                    [c.code, c.answer, str(c.points.quantize(CENT))]
                    for c in outcome.check.contributions
                ],
                "missing": list(outcome.check.missing),
                # How the score was computed, where not as first published (explain.py words
                # it): results computed before there was a choice keep their detail as it was.
                **({"scoring": criteria.scoring} if criteria.scoring != "answered" else {}),
            },
            computed_at=now,
        )

    def answer_origins(self) -> dict[str, str]:
        """Where each effective answer comes from: "file", "user" or "prefill"."""
        return cl.answer_origins(self.answers, self.answer_sources, cl.prefill(self.attributes))

    def set_answers(self, submitted: dict[str, str]) -> bool:
        """Merge a person's answers (code -> answer, "" for none) in memory; True when anything
        changed. A step of `Assessment.save_answers`, which saves, recomputes and records."""
        answers, sources = cl.merge_answers(
            self.answers, self.answer_sources, cl.prefill(self.attributes), submitted
        )
        if answers == self.answers and sources == self.answer_sources:
            return False
        self.answers, self.answer_sources = answers, sources
        return True

    def set_override(self, model: str, justification: str, author: AbstractBaseUser) -> None:
        """The consultant's choice of model, stored. A step of `Assessment.override_task`, which
        recomputes the result (its warnings follow the model that will be used) and records."""
        self.override, _created = Override.objects.update_or_create(
            task=self, defaults={"model": model, "justification": justification, "author": author}
        )

    def clear_override(self) -> None:
        """A step of `Assessment.clear_override`, which recomputes and records."""
        Override.objects.filter(task=self).delete()
        self.override = None  # forgets the one it may have read

    @property
    def handles_sensitive_data(self) -> bool:
        """Confidential or personal data, by the inventory or by the answer to C6."""
        return self.confidentiality in cl.SENSITIVE_DATA or self.effective_answers().get("C6") in (
            "yes",
            "partly",
        )

    def neighbours(self) -> tuple[Task | None, Task | None]:
        """The tasks before and after this one in the inventory."""
        siblings = Task.objects.filter(assessment_id=self.assessment_id).only("pk", "task")
        before = siblings.filter(position__lt=self.position).order_by("-position", "-id").first()
        after = siblings.filter(position__gt=self.position).order_by("position", "id").first()
        return before, after

    def move(self, offset: int) -> None:
        """Swap places with the neighbouring task above (-1) or below (+1)."""
        siblings = Task.objects.filter(assessment_id=self.assessment_id)
        if offset < 0:
            neighbour = siblings.filter(position__lt=self.position).order_by("-position").first()
        else:
            neighbour = siblings.filter(position__gt=self.position).order_by("position").first()
        if neighbour is None:
            return
        self.position, neighbour.position = neighbour.position, self.position
        Task.objects.bulk_update([self, neighbour], ["position"])


class InventoryImportQuerySet(models.QuerySet["InventoryImport"]):
    def listed(self) -> InventoryImportQuerySet:
        """For a list of imports: who, and whether each can be undone, without loading the
        inventory each keeps to undo it."""
        return (
            self.select_related("imported_by", "undone_by")
            .defer("before")
            .annotate(
                keeps_before=models.ExpressionWrapper(
                    Q(before__isnull=False), output_field=models.BooleanField()
                )
            )
        )


class InventoryImport(models.Model):
    """One import of a file into an assessment: what came in, from which file, by whom, what it
    changed, and (for the latest import only) the inventory as it was before, to undo it."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="imports")
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField()
    replaced = models.BooleanField(default=True)
    added = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    removed = models.PositiveIntegerField(default=0)
    # The tasks and overrides before this import (snapshot_inventory); cleared by the next one.
    before = models.JSONField(null=True, blank=True, editable=False)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    imported_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InventoryImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("inventory import")
        verbose_name_plural = _("inventory imports")

    def __str__(self) -> str:
        # The history names the file; its rows are said in the event's note ("35 rows").
        return self.filename

    @property
    def can_undo(self) -> bool:
        keeps = getattr(self, "keeps_before", None)  # annotated by listed()
        return (self.before is not None if keeps is None else keeps) and self.undone_at is None


class MappingProfile(models.Model):
    """An organisation's saved decisions for a kind of sheet (SPEC 4.2.1): which column is
    which, units, words, default categories. The next upload with the same headers uses it
    without asking; `manage.py assess --mapping NAME` uses it on the command line."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="mapping_profiles"
    )
    name = models.CharField(_("name"), max_length=100)
    # The folded headers it was made for, joined by "|": how an upload finds its profile.
    headers = models.TextField()
    decisions = models.JSONField(default=dict)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="unique_mapping_profile_name"
            )
        ]
        verbose_name = _("mapping profile")
        verbose_name_plural = _("mapping profiles")

    def __str__(self) -> str:
        return self.name


class PendingUpload(models.Model):
    """An uploaded file on its way in: read with the decisions taken so far (the mapping step),
    previewed, then imported and deleted."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    replace = models.BooleanField(default=False)
    decisions = models.JSONField(default=dict)
    profile = models.ForeignKey(
        MappingProfile, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.filename


COMPUTED_RESULT_FIELDS = [
    "checklist_version",
    "rule_version",
    "suitability",
    "verdict",
    "model",
    "detail",
    "computed_at",
]


class TaskResult(models.Model):
    """The check and recommendation of one task, with the versions they were computed with.

    Recomputed when the task's attributes or answers change. Few columns on purpose: a 10,000-task
    import writes them all, and what is only read back together lives in `detail`."""

    task = models.OneToOneField(Task, on_delete=models.CASCADE, related_name="result")
    checklist_version = models.ForeignKey(
        ChecklistVersion, on_delete=models.PROTECT, related_name="+"
    )
    rule_version = models.ForeignKey(RuleTableVersion, on_delete=models.PROTECT, related_name="+")
    suitability = models.DecimalField(max_digits=6, decimal_places=2, null=True)
    verdict = models.CharField(max_length=12, choices=Verdict.choices)
    model = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    # runner_up, rule, pilot, security_required, reasons, warnings, contributions, missing
    detail = models.JSONField(default=dict)
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("task result")
        verbose_name_plural = _("task results")

    def __str__(self) -> str:
        return f"{self.task_id}: {self.verdict} {self.model}"

    @property
    def shown_suitability(self) -> Decimal | None:
        """The score pages show: none while the task is incomplete (cl.shown_suitability)."""
        return cl.shown_suitability(self.verdict, self.suitability)


class Override(models.Model):
    """A consultant's choice of model for a task, with the reason; the computed result stays."""

    task = models.OneToOneField(Task, on_delete=models.CASCADE, related_name="override")
    model = models.CharField(_("model"), max_length=20, choices=Outcome.choices)
    justification = models.TextField(_("justification"))
    author = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("override")
        verbose_name_plural = _("overrides")

    def __str__(self) -> str:
        return f"{self.task_id}: {self.model}"


class PackageQuerySet(TrashQuerySet["Package"]):
    pass


_PackageManager = models.Manager.from_queryset(PackageQuerySet)


class LivePackages(_PackageManager):
    """Package's default manager: the packages not in the trash (as `LiveTasks` for tasks).
    A bid's, an RFP draft's or a KPI's `package` still reaches a trashed one: what reads
    packages through another model's join filters on `package__deleted_at` itself."""

    def get_queryset(self) -> PackageQuerySet:  # type: ignore[override]
        return cast(PackageQuerySet, super().get_queryset().filter(deleted_at__isnull=True))


class Package(models.Model):
    """A sourcing package (SPEC 4.5): tasks put out to vendors together under one model. The RFP,
    the cost comparison and the vendor selection are per package."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="packages")
    name = models.CharField(_("name"), max_length=200)
    model = models.CharField(_("model"), max_length=20, choices=Outcome.choices)
    position = models.PositiveIntegerField(default=0)
    # The consultant's answers to the 告示37号 checklist of an outsourcing package (SPEC 4.4):
    # {item: "yes" | "no"}; an item not answered is absent. Dispatch packages have none.
    independence = models.JSONField(_("independence checklist"), default=dict, blank=True)
    # The consultant's terms of the decision (SPEC 4.5, 4.6): how much price weighs against
    # quality, the months of in-house cost still paid while the vendor starts (None: the
    # model's default), and the share of the package's FTE actually released.
    price_weight = models.PositiveSmallIntegerField(
        _("price weight (%)"),
        default=defaults.PRICE_WEIGHT,
        validators=[MaxValueValidator(100)],
        help_text=_("The share of the combined score given to price; quality has the rest."),
    )
    parallel_months = models.PositiveSmallIntegerField(
        _("parallel run (months)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(24)],
        help_text=_("Months of in-house cost still paid while the vendor starts."),
    )
    # The evaluation panel (SPEC 4.6): the members who score this package's vendors. Prices stay
    # hidden from them until every one of them has submitted; empty: whoever scores.
    panel: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        User, blank=True, related_name="+", verbose_name=_("evaluation panel")
    )
    released_share = models.PositiveSmallIntegerField(
        _("FTE released (%)"),
        default=100,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "The share of the package's FTE redeployed or not replaced: only that part of the "
            "in-house cost is saved."
        ),
    )
    # In the trash since (restorable for TRASH_DAYS days), by whom, and the ids of the tasks it
    # held then: restoring puts back those still free.
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    trashed_tasks = models.JSONField(default=list, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LivePackages()  # the default: never a package in the trash
    with_trashed = PackageQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("sourcing package")
        verbose_name_plural = _("sourcing packages")

    def __str__(self) -> str:
        return self.name

    @property
    def is_staffing(self) -> bool:
        """A staffing package (dispatch, SPEC 4.4): it asks for people with a staffing request
        and hourly quotes, and is counted apart from outsourcing. Derived from the model, so a
        package can never be of one kind and hold the other's model."""
        return choices.is_staffing(self.model)

    @staticmethod
    def default_name(model: str, tasks: list[Task]) -> str:
        """The model and the departments whose tasks it holds, as a full name (never cut with
        “…”, which the rename box would show): all of them up to three (“BPO: HR, Accounting”,
        「BPO：人事部、経理部」), else the first two and how many more (「BPO：人事部、経理部
        ほか2部署」); fewer named when long names would pass the field's length."""
        departments = list(dict.fromkeys(task.department for task in tasks))
        label = choices.label(Outcome, model)
        longest = Package._meta.get_field("name").max_length or 200
        first = len(departments) if len(departments) <= 3 else 2
        for named in range(first, -1, -1):
            shown = listing(departments[:named])
            more = len(departments) - named
            if more and named:
                shown = ngettext(
                    "%(departments)s and %(count)d other department",
                    "%(departments)s and %(count)d other departments",
                    more,
                ) % {"departments": shown, "count": more}
            elif more:
                shown = ngettext("%(count)d department", "%(count)d departments", more) % {
                    "count": more
                }
            name = _("%(model)s: %(departments)s") % {"model": label, "departments": shown}
            if len(name) <= longest:
                return str(name)
        return str(label)[:longest]

    @property
    def document_name(self) -> str:
        """The name as documents (the RFP, the staffing request, the report) print it: never
        shortened. The name is shown as stored, except a default name cut short with “…” (the
        cards keep it short on purpose; “BPO: 人事部、経理部、総務部…”, the model's label in any
        language): its departments are listed in full from the package's tasks, after the same
        label (one query, none when the tasks are prefetched). A name the consultant chose is
        theirs, printed as it is."""
        label, colon, _shown = self.name.partition(": ")
        if not (colon and self.name.endswith("…")):
            return self.name
        labels = set()
        for code in language_codes():
            with translation.override(code):
                labels.add(str(choices.label(Outcome, self.model)))
        departments = list(dict.fromkeys(task.department for task in self.tasks.all()))
        if label not in labels or not departments:
            return self.name
        return f"{label}: {listing(departments)}"

    @transaction.atomic(savepoint=False)
    def rename(self, name: str, user: Any = None) -> None:
        """Renamed and recorded (nothing when the name is the same)."""
        before = history.snapshot(self, ["name"])
        self.name = name
        self.save(update_fields=["name"])
        history.record_change(user, SubjectType.PACKAGE, self, before, assessment=self.assessment)

    TERMS_FIELDS = ("price_weight", "parallel_months", "released_share")

    @transaction.atomic(savepoint=False)
    def save_terms(
        self, price_weight: int, parallel_months: int | None, released_share: int, user: Any = None
    ) -> None:
        """The consultant's terms of the decision (SPEC 4.5, 4.6), recorded as the fields that
        change (nothing when none does). `parallel_months` None: the model's default."""
        for name, value, top in (
            ("price_weight", price_weight, 100),
            ("parallel_months", parallel_months, 24),
            ("released_share", released_share, 100),
        ):
            if value is not None and not 0 <= value <= top:
                raise ValueError(f"{name} must be from 0 to {top} (got {value})")
        before = history.snapshot(self, self.TERMS_FIELDS)
        self.price_weight = price_weight
        self.parallel_months = parallel_months
        self.released_share = released_share
        self.save(update_fields=list(self.TERMS_FIELDS))
        history.record_change(user, SubjectType.PACKAGE, self, before, assessment=self.assessment)

    @property
    def terms_stamp(self) -> str:
        """The terms as read, for a form's stamp: a package has no time of last change, so a
        save is refused when the stored terms are no longer those the form showed."""
        return json.dumps([getattr(self, name) for name in self.TERMS_FIELDS])

    @transaction.atomic
    def split(self, tasks: list[Task], name: str, user: Any = None) -> Package:
        """A new package of the same model holding `tasks` (taken from this one), recorded on
        both."""
        new = Package.objects.create(
            assessment=self.assessment,
            model=self.model,
            name=name,
            position=self.assessment.packages.count(),
        )
        Task.objects.filter(package=self, pk__in=[t.pk for t in tasks]).update(package=new)
        record_moved(user, self.assessment, [t.task for t in tasks], self, new, created=new)
        return new

    @transaction.atomic
    def merge(self, other: Package, user: Any = None) -> None:
        """Take `other`'s tasks and invited vendors, then delete it; recorded as merged on this
        package and deleted on the other. The caller makes sure no vendor is invited to both
        (its evaluations would otherwise be lost)."""
        names = list(other.tasks.values_list("task", flat=True))
        # Its tasks in the trash too: restored, they join this package.
        Task.with_trashed.filter(package=other).update(package=self)
        other.bids.update(package=self)
        other.delete()
        details = {"merged": other.name, "tasks": names[:NAMED_TASKS], "count": len(names)}
        history.record_many(
            [
                history.event(
                    user,
                    SubjectType.PACKAGE,
                    self,
                    Action.MERGED,
                    details=details,
                    assessment=self.assessment,
                ),
                history.event(
                    user,
                    SubjectType.PACKAGE,
                    other,
                    Action.DELETED,
                    details={"to": self.name},
                    assessment=self.assessment,
                    subject_repr=other.name,
                ),
            ]
        )

    @transaction.atomic(savepoint=False)
    def save_independence(self, answers: dict[str, object], user: Any = None) -> None:
        """The consultant's answers to the package's 告示37号 checklist (SPEC 4.4), stored as
        `kokuji37.cleaned` keeps them (an item left blank is unanswered), and recorded as one
        change per item whose answer differs (field "independence.<item>"). A staffing
        (dispatch) package has no checklist: refused."""
        if not kokuji37.applies(self.model):
            raise ValueError("A staffing package has no independence checklist.")
        stored = dict(self.independence or {})
        # An answer stored under an earlier wording counts as what it means now.
        before, after = kokuji37.cleaned(stored), kokuji37.cleaned(answers)
        if stored != after:
            self.independence = after
            self.save(update_fields=["independence"])
        if before == after:
            return
        keys = [f"independence.{key}" for key in kokuji37.KEYS]
        history.record(
            user,
            SubjectType.PACKAGE,
            self,
            Action.CHANGED,
            changes=history.field_changes(
                dict(zip(keys, (before.get(k) for k in kokuji37.KEYS), strict=True)),
                dict(zip(keys, (after.get(k) for k in kokuji37.KEYS), strict=True)),
            ),
            assessment=self.assessment,
        )

    def independence_review(self, tasks: Iterable[Any]) -> kokuji37.Review:
        """The package's checklist as answered, with its tasks (`tasks`, already read) done on the
        client's premises or needing day-to-day instructions from the client's staff."""
        tasks = list(tasks)
        return kokuji37.review(
            self.independence or {},
            on_site_tasks=[t.task for t in tasks if t.on_site == choices.Presence.YES],
            instructed_tasks=[t.task for t in tasks if t.direct_instruction == choices.Need.YES],
        )

    @property
    def independence_stamp(self) -> str:
        """The answers as read, for a form's stamp: a package has no time of last change, so a
        save is refused when the stored answers are no longer those the form showed."""
        return json.dumps(self.independence or {}, sort_keys=True, separators=(",", ":"))

    def shared_vendors(self, other: Package) -> list[str]:
        mine = set(self.bids.values_list("vendor_id", flat=True))
        return list(other.bids.filter(vendor_id__in=mine).values_list("vendor__name", flat=True))

    def misplaced_tasks(self) -> list[Misplaced]:
        """Its tasks that no longer fit it, each with its fix (two queries; for every package at
        once, `Assessment.misplaced_tasks`)."""
        return [m for m in self.assessment.misplaced_tasks() if m.package.pk == self.pk]

    @staticmethod
    def scope_of(package_id: int) -> str:
        """The package's scope as its tasks are now (`sourcing.scope_stamp`): what a quote or a
        score is stamped with when it is given (one query)."""
        return sourcing.scope_stamp(
            Task.objects.filter(package_id=package_id).values_list("pk", flat=True)
        )

    def contents(self) -> PackageContents:
        """What deleting the package would let go of or take with it (four queries, five with
        invited vendors)."""
        tasks = list(self.tasks.values_list("pk", "task"))
        # A quote is a monthly fee or a unit price (Bid.has_quote).
        bids = list(self.bids.values_list("pk", "vendor__name", "monthly_fee", "unit_price"))
        evaluations = self.bids.aggregate(n=Count("evaluations"))["n"] if bids else 0
        rfp = steps.RfpDraft.objects.filter(package=self).exists()
        kpis = list(steps.Kpi.objects.filter(package=self).values_list("pk", "name"))
        quotes = sum(1 for _pk, _name, fee, price in bids if fee is not None or price is not None)
        seen = [[pk for pk, _ in tasks], [row[0] for row in bids], quotes, evaluations, rfp]
        seen.append([pk for pk, _ in kpis])
        return PackageContents(
            tasks=[name for _pk, name in tasks],
            vendors=[name for _pk, name, _fee, _price in bids],
            quotes=quotes,
            evaluations=evaluations,
            rfp=rfp,
            kpis=[name for _pk, name in kpis],
            stamp=hashlib.sha256(json.dumps(seen).encode()).hexdigest()[:16],
        )

    @transaction.atomic
    def trash(self, user: Any = None, *, seen: str | None = None) -> PackageContents:
        """Move the package to the trash (SPEC 4.5), restorable for TRASH_DAYS days: its tasks
        go back to "not in a package" (their ids are kept: restoring gives back those still
        free); its invited vendors stay with it, their quotes and evaluations, and its RFP
        draft, but their links stop working while it is there; its KPIs stay, tied to no
        package. Recorded as moved to the trash, with what it held. A package that holds
        anything goes only with `seen`, the stamp of its contents as the confirmation showed
        them: when they are others now, or without it, PackagesChanged is raised and nothing
        is changed."""
        # The assessment first, as a merge locks it: a merge or fix at the same time waits.
        Assessment.objects.select_for_update().filter(pk=self.assessment_id).first()
        if not Package.objects.filter(pk=self.pk).exists():
            raise PackagesChanged  # in the trash already (a second click)
        contents = self.contents()
        if not contents.empty and seen != contents.stamp:
            raise PackagesChanged
        details: dict[str, Any] = {"vendors": contents.vendors}
        if contents.tasks:  # "From <package> to no package"
            details.update(
                {
                    "tasks": contents.tasks[:NAMED_TASKS],
                    "count": len(contents.tasks),
                    "from": self.name,
                    "to": "",
                }
            )
        history.record(
            user,
            SubjectType.PACKAGE,
            self,
            Action.TRASHED,
            details=details,
            assessment=self.assessment,
        )
        held = list(Task.objects.filter(package=self).values_list("pk", flat=True))
        Task.objects.filter(pk__in=held).update(package=None)
        steps.Kpi.objects.filter(package=self).update(package=None)
        self.deleted_at = timezone.now()
        self.deleted_by = user if getattr(user, "is_authenticated", False) else None
        self.trashed_tasks = held
        self.save(update_fields=["deleted_at", "deleted_by", "trashed_tasks"])
        return contents

    @transaction.atomic
    def restore(self, user: Any = None) -> list[str]:
        """Bring the package back from the trash while it is restorable (else ValueError), in
        its place, with its invited vendors (their links work again until they expire), and
        with those of the tasks it held that are still free: in the inventory (not in the
        trash) and in no other package. Recorded as restored, naming the tasks put back.
        Returns their names."""
        Assessment.objects.select_for_update().filter(pk=self.assessment_id).first()
        stored = Package.with_trashed.trashed().restorable().filter(pk=self.pk).first()
        if stored is None:
            raise ValueError("This package is not in the trash, or no longer restorable.")
        free = Task.objects.filter(
            assessment_id=self.assessment_id, pk__in=stored.trashed_tasks, package=None
        )
        names = list(free.values_list("task", flat=True))
        free.update(package=self)
        self.deleted_at, self.deleted_by, self.trashed_tasks = None, None, []
        self.save(update_fields=["deleted_at", "deleted_by", "trashed_tasks"])
        details: dict[str, Any] = {"held": len(stored.trashed_tasks)}
        if names:  # "From no package to <package>"
            details.update(
                {"tasks": names[:NAMED_TASKS], "count": len(names), "from": "", "to": self.name}
            )
        history.record(
            user,
            SubjectType.PACKAGE,
            self,
            Action.RESTORED,
            details=details,
            assessment=self.assessment,
        )
        return names


def purge_trash(now: datetime.datetime | None = None) -> tuple[int, int]:
    """Delete for good the tasks and packages in the trash for TRASH_DAYS days or more (the
    command `purge_trash`, run daily): a package with its invited vendors, their quotes and
    evaluations, and its RFP draft; a task with its result and override. Each recorded as
    deleted, by nobody, with what it held (a task's fields, as the history kept a deleted
    task's). Returns (tasks, packages) deleted."""
    with transaction.atomic():
        tasks = list(Task.with_trashed.expired(now).select_related("assessment"))
        packages = list(Package.with_trashed.expired(now).select_related("assessment"))
        events = [
            history.event(
                None,
                SubjectType.TASK,
                task,
                Action.DELETED,
                changes=history.field_changes(history.snapshot(task, TASK_FIELDS), {}),
                details={"purged": TRASH_DAYS},
                assessment=task.assessment,
            )
            for task in tasks
        ]
        for package in packages:
            contents = package.contents()
            events.append(
                history.event(
                    None,
                    SubjectType.PACKAGE,
                    package,
                    Action.DELETED,
                    details={
                        "purged": TRASH_DAYS,
                        "vendors": contents.vendors,
                        "quotes": contents.quotes,
                        "evaluations": contents.evaluations,
                        "rfp": contents.rfp,
                    },
                    assessment=package.assessment,
                )
            )
        history.record_many(events)
        # The base manager: the default one would find none of them.
        Task.with_trashed.filter(pk__in=[task.pk for task in tasks]).delete()
        Package.with_trashed.filter(pk__in=[package.pk for package in packages]).delete()
    return len(tasks), len(packages)


def _json_safe(row: dict[str, Any]) -> dict[str, Any]:
    """A row of values as JSON keeps them: decimals as text (exact), moments as ISO text."""
    return {
        name: str(value)
        if isinstance(value, Decimal)
        else value.isoformat()
        if isinstance(value, datetime.datetime | datetime.date)
        else value
        for name, value in row.items()
    }


class TaskView:
    """Some columns of a task (`Assessment.task_views`), its result's and its override's, without
    model instances. Task's own properties read it (the same rules, in one place); a column not
    loaded is an AttributeError, not a query."""

    current_result = Task.current_result
    final_model = Task.final_model
    verdict = Task.verdict
    verdict_label = Task.verdict_label
    model_label = Task.model_label
    category_label = Task.category_label
    frequency_label = Task.frequency_label
    volume = Task.volume
    # Task's method, run on a TaskView: it reads only what the view holds.
    derive = cast("Callable[[TaskView, inventory.OrgSettings], inventory.Derived]", Task.derive)

    def __init__(self, columns: Iterable[tuple[str, Any]]) -> None:
        self.__dict__.update(columns)


class _Loaded:
    """The loaded columns of a task's result or override."""

    def __init__(self, names: tuple[str, ...], values: tuple[Any, ...]) -> None:
        self.__dict__.update(zip(names, values, strict=True))


def save_organisation_settings(
    form: forms.ModelForm[Organisation], user: Any = None
) -> Organisation:
    """Save an organisation's settings (its OrganisationForm) and recompute every result of its
    assessments, since hours and costs feed the recommendation (small one-off jobs): the one way
    these settings change (the admin shows them read-only). The change is recorded: the form's
    initial values are the settings as they were (validating it has already set the new ones)."""
    fields = form._meta.fields or ()
    before = {name: form.initial.get(name) for name in fields}
    with transaction.atomic():
        organisation = form.save()
        Assessment.objects.filter(organisation=organisation).recompute_results()
        history.record_change(
            user, SubjectType.ORGANISATION, organisation, before, organisation=organisation
        )
    return organisation
