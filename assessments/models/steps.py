"""What the workflow records beyond the inventory (SPEC 3): the goals of step 1, the readiness
checklist of step 5 (SPEC 4.7), the KPI/SLA targets and monthly actuals of step 6; and
`workflow_facts`, the handful of queries the stepper reads (`workflow.workflow_steps`).

Imported at the end of models.py, which registers these models with the app."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from assessments.domain.workflow import (
    Alternative,
    Completion,
    Goal,
    KpiDirection,
    kpi_met,
)
from assessments.models.versions import ReadinessItem, ReadinessVersion

if TYPE_CHECKING:
    from assessments.models.assessment import Assessment, Package

User = settings.AUTH_USER_MODEL
RANKS = [MinValueValidator(1), MaxValueValidator(len(Goal.values))]
NOTE_LENGTH = 1000


# --- step 1: goals -------------------------------------------------------------------------


class GoalsQuerySet(models.QuerySet["Goals"]):
    def ranked(self) -> GoalsQuerySet:
        """Those with every goal ranked."""
        return self.filter(**{f"{goal}_rank__isnull": False for goal in Goal.values})


class Goals(models.Model):
    """Step 1 of an assessment: the four goals ranked 1 (first) to 4, each with an optional
    note, and the alternatives to outsourcing that were considered."""

    assessment = models.OneToOneField(
        "assessments.Assessment", on_delete=models.CASCADE, related_name="goals"
    )
    cost_rank = models.PositiveSmallIntegerField(
        _("cost: rank"), null=True, blank=True, validators=RANKS
    )
    cost_note = models.TextField(_("cost: note"), max_length=NOTE_LENGTH, blank=True)
    quality_rank = models.PositiveSmallIntegerField(
        _("quality: rank"), null=True, blank=True, validators=RANKS
    )
    quality_note = models.TextField(_("quality: note"), max_length=NOTE_LENGTH, blank=True)
    speed_rank = models.PositiveSmallIntegerField(
        _("speed: rank"), null=True, blank=True, validators=RANKS
    )
    speed_note = models.TextField(_("speed: note"), max_length=NOTE_LENGTH, blank=True)
    depersonalisation_rank = models.PositiveSmallIntegerField(
        _("de-personalisation: rank"), null=True, blank=True, validators=RANKS
    )
    depersonalisation_note = models.TextField(
        _("de-personalisation: note"), max_length=NOTE_LENGTH, blank=True
    )
    process_improvement = models.BooleanField(_("process improvement considered"), default=False)
    process_improvement_note = models.TextField(
        _("process improvement: note"), max_length=NOTE_LENGTH, blank=True
    )
    tools = models.BooleanField(_("tools or systems considered"), default=False)
    tools_note = models.TextField(_("tools or systems: note"), max_length=NOTE_LENGTH, blank=True)
    reassignment = models.BooleanField(_("reassigning staff considered"), default=False)
    reassignment_note = models.TextField(
        _("reassigning staff: note"), max_length=NOTE_LENGTH, blank=True
    )
    alternatives_note = models.TextField(
        _("other alternatives and conclusion"), max_length=2000, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")

    objects = GoalsQuerySet.as_manager()

    class Meta:
        verbose_name = _("goals")
        verbose_name_plural = _("goals")

    def __str__(self) -> str:
        return f"{self.assessment}: {_('goals')}"

    @classmethod
    def record(cls, assessment: Assessment, values: dict[str, Any], user: Any) -> Goals:
        """Save step 1 from validated form values (the model's field names)."""
        fields = {name: values[name] for name in GOAL_FIELDS if name in values}
        goals, _new = cls.objects.update_or_create(
            assessment=assessment, defaults={**fields, "updated_by": user}
        )
        return goals

    def ranking(self) -> list[tuple[int, str, str]]:
        """(rank, goal label, note) of the ranked goals, first rank first."""
        rows = [
            (getattr(self, f"{goal}_rank"), str(label), getattr(self, f"{goal}_note"))
            for goal, label in Goal.choices
        ]
        return sorted(row for row in rows if row[0] is not None)

    def alternatives(self) -> list[tuple[str, bool, str]]:
        """(label, considered, note) of each alternative, in order."""
        return [
            (str(label), getattr(self, key), getattr(self, f"{key}_note"))
            for key, label in Alternative.choices
        ]


GOAL_FIELDS = [
    *(name for goal in Goal.values for name in (f"{goal}_rank", f"{goal}_note")),
    *(name for key in Alternative.values for name in (key, f"{key}_note")),
    "alternatives_note",
]


# --- step 5: readiness ---------------------------------------------------------------------


class ReadinessStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


def readiness_version_of(assessment: Assessment) -> ReadinessVersion | None:
    """The version the assessment is pinned to; the latest published until its first save."""
    return assessment.readiness_version or ReadinessVersion.objects.latest_published()


@dataclass(frozen=True)
class ReadinessValues:
    owner: str
    status: str
    note: str


class ReadinessEntryQuerySet(models.QuerySet["ReadinessEntry"]):
    def of(self, assessment: Assessment, version: ReadinessVersion) -> ReadinessEntryQuerySet:
        return self.filter(assessment=assessment, item__version=version)

    def by_item(self) -> dict[int, ReadinessEntry]:
        return {entry.item_id: entry for entry in self.select_related("item", "updated_by")}

    def completion(self, items: int) -> Completion:
        counts = self.aggregate(
            done=Count("id", filter=Q(status=ReadinessStatus.DONE)),
            na=Count("id", filter=Q(status=ReadinessStatus.NOT_APPLICABLE)),
        )
        return Completion(counts["done"], items, counts["na"])

    def last_change(self) -> datetime.datetime | None:
        return self.aggregate(last=Max("updated_at"))["last"]


class ReadinessEntry(models.Model):
    """An assessment's answer to one readiness item: who owns it, how far it is, a note. An item
    without an entry has not been started."""

    assessment = models.ForeignKey(
        "assessments.Assessment", on_delete=models.CASCADE, related_name="readiness_entries"
    )
    item = models.ForeignKey(ReadinessItem, on_delete=models.PROTECT, related_name="entries")
    owner = models.CharField(_("owner"), max_length=100, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ReadinessStatus.choices,
        default=ReadinessStatus.NOT_STARTED,
    )
    note = models.TextField(_("note"), max_length=NOTE_LENGTH, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")

    objects = ReadinessEntryQuerySet.as_manager()

    class Meta:
        ordering = ["item__order", "item__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "item"], name="one_readiness_entry_per_item"
            )
        ]
        verbose_name = _("readiness entry")
        verbose_name_plural = _("readiness entries")

    def __str__(self) -> str:
        return f"{self.assessment}: {self.item.code} {self.status}"

    @property
    def values(self) -> ReadinessValues:
        return ReadinessValues(self.owner, self.status, self.note)

    @classmethod
    @transaction.atomic
    def record(
        cls,
        assessment: Assessment,
        version: ReadinessVersion,
        values: dict[int, ReadinessValues],
        user: Any,
    ) -> int:
        """Save the whole grid (item id -> values, validated), all or nothing, and pin the
        assessment to the version on its first save. Only changed rows are written, so each
        keeps who changed it last. Returns how many rows changed."""
        if assessment.readiness_version_id is None:
            assessment.readiness_version = version
            assessment.save(update_fields=["readiness_version", "updated_at"])
        existing = cls.objects.of(assessment, version).by_item()
        blank = ReadinessValues("", ReadinessStatus.NOT_STARTED, "")
        now = timezone.now()
        changed = [
            cls(
                assessment=assessment,
                item_id=item_id,
                owner=new.owner,
                status=new.status,
                note=new.note,
                updated_at=now,
                updated_by=user,
            )
            for item_id, new in values.items()
            if new != (existing[item_id].values if item_id in existing else blank)
        ]
        ReadinessEntry.objects.bulk_create(
            changed,
            update_conflicts=True,
            unique_fields=["assessment", "item"],
            update_fields=["owner", "status", "note", "updated_at", "updated_by"],
        )
        return len(changed)


# --- step 6: KPI/SLA targets and monthly actuals -------------------------------------------


class FigureOptions(TypedDict):
    """The DecimalField arguments of a KPI's target and actuals."""

    max_digits: int
    decimal_places: int


FIGURE: FigureOptions = {"max_digits": 18, "decimal_places": 4}


def figure(value: Decimal) -> str:
    """A stored figure as people write it, grouped: 1234.5000 -> 1,234.5."""
    return number_format(value.normalize() + 0, force_grouping=True)


class Kpi(models.Model):
    """A KPI or SLA target agreed with the vendor (SPEC 3, step 6), reviewed month by month."""

    assessment = models.ForeignKey(
        "assessments.Assessment", on_delete=models.CASCADE, related_name="kpis"
    )
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    target = models.DecimalField(_("target"), **FIGURE)
    direction = models.CharField(
        _("direction"), max_length=10, choices=KpiDirection.choices, default=KpiDirection.HIGHER
    )
    package = models.ForeignKey(
        "assessments.Package",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="kpis",
        verbose_name=_("sourcing package"),
    )
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)  # the stamp of its form (stamps.py)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "name"], name="one_kpi_name_per_assessment"
            )
        ]
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")

    def __str__(self) -> str:
        return self.name

    @property
    def target_text(self) -> str:
        sign = "≥" if self.direction == KpiDirection.HIGHER else "≤"
        return f"{sign} {figure(self.target)}{' ' + self.unit if self.unit else ''}"

    def met(self, value: Decimal) -> bool:
        return kpi_met(value, self.target, self.direction)

    @classmethod
    @transaction.atomic
    def record_month(
        cls, assessment: Assessment, month: datetime.date, values: dict[int, Decimal], user: Any
    ) -> int:
        """A month's actuals (KPI id -> value, already checked to be new), all or nothing; a
        month recorded meanwhile by someone else fails on the unique constraint."""
        kpis = set(assessment.kpis.filter(pk__in=values).values_list("pk", flat=True))
        KpiActual.objects.bulk_create(
            KpiActual(kpi_id=pk, month=month, value=value, recorded_by=user)
            for pk, value in values.items()
            if pk in kpis
        )
        return len(kpis)

    @staticmethod
    def delete_month(assessment: Assessment, month: datetime.date) -> int:
        """Every actual of the month, to enter it again."""
        deleted, _detail = KpiActual.objects.filter(
            kpi__assessment=assessment, month=month
        ).delete()
        return deleted


class KpiActual(models.Model):
    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="actuals")
    month = models.DateField(_("month"))  # the first day of the month
    value = models.DecimalField(_("actual"), **FIGURE)
    recorded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["month", "kpi"]
        constraints = [
            models.UniqueConstraint(fields=["kpi", "month"], name="one_actual_per_kpi_and_month")
        ]
        verbose_name = _("KPI actual")
        verbose_name_plural = _("KPI actuals")

    def __str__(self) -> str:
        return f"{self.kpi} {self.month:%Y-%m}: {self.value}"


@dataclass(frozen=True)
class KpiCell:
    value: Decimal
    text: str
    met: bool


@dataclass(frozen=True)
class KpiTable:
    """Months (newest first) × KPIs, each cell the actual and whether it met the target."""

    kpis: list[Kpi]
    rows: list[tuple[datetime.date, list[KpiCell | None]]]

    def met_counts(self) -> list[tuple[int, int]]:
        """(months met, months recorded) per KPI, in the KPIs' order."""
        counts = []
        for column in range(len(self.kpis)):
            cells = [cell for _month, row in self.rows if (cell := row[column]) is not None]
            counts.append((sum(cell.met for cell in cells), len(cells)))
        return counts


def kpi_table(assessment: Assessment) -> KpiTable:
    """Two queries whatever the number of KPIs and months."""
    kpis = list(assessment.kpis.select_related("package"))
    by_month: dict[datetime.date, dict[int, Decimal]] = {}
    for kpi_id, month, value in KpiActual.objects.filter(kpi__assessment=assessment).values_list(
        "kpi_id", "month", "value"
    ):
        by_month.setdefault(month, {})[kpi_id] = value
    rows = []
    for month in sorted(by_month, reverse=True):
        values = by_month[month]
        rows.append(
            (
                month,
                [
                    KpiCell(values[kpi.pk], figure(values[kpi.pk]), kpi.met(values[kpi.pk]))
                    if kpi.pk in values
                    else None
                    for kpi in kpis
                ],
            )
        )
    return KpiTable(kpis, rows)


# --- step 3: the RFP -------------------------------------------------------------------------


class RfpDraft(models.Model):
    """A package's request for proposal (SPEC 4.7): generated from the inventory in one language,
    then edited section by section (`rfp.SECTION_KEYS`) before it is sent."""

    package = models.OneToOneField(
        "assessments.Package", on_delete=models.CASCADE, related_name="rfp"
    )
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    sections = models.JSONField(_("sections"), default=dict)  # key -> text
    generated_at = models.DateTimeField(_("generated"))
    updated_at = models.DateTimeField(_("last edited"), auto_now=True)
    updated_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("RFP draft")
        verbose_name_plural = _("RFP drafts")

    def __str__(self) -> str:
        return f"RFP: {self.package}"

    @classmethod
    def generate(
        cls, package: Package, sections: dict[str, str], language: str, user: Any
    ) -> RfpDraft:
        """A new draft, replacing the package's (the caller has asked the user first)."""
        draft, _created = cls.objects.update_or_create(
            package=package,
            defaults={
                "language": language,
                "sections": sections,
                "generated_at": timezone.now(),
                "updated_by": user,
            },
        )
        return draft

    def edit(self, sections: dict[str, str], user: Any) -> None:
        self.sections = sections
        self.updated_by = user
        self.save(update_fields=["sections", "updated_by", "updated_at"])
