"""Versioned checklists and rule tables (SPEC 4.3 "Versioning", 4.4).

A version is edited as a draft and published once; a published version never changes, and an
assessment stays pinned to the versions it started with."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, Self, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assessments.domain import classification as cl
from assessments.domain import rule_editing
from assessments.domain.choices import (
    Direction,
    Outcome,
    ReadinessArea,
    Scoring,
    VendorCriterion,
)
from outsourcing_advisor.common.wording import japanese, plain_number


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class VersionQuerySet(models.QuerySet):
    def published(self) -> VersionQuerySet:
        return self.filter(status=Status.PUBLISHED).order_by("-number")

    def latest_published(self) -> Any:
        return self.published().first()


# The notes of the versions the migrations publish (stored as they were written, since a
# version's content never changes), in words for the pages.
SHIPPED_NOTES = {
    "SPEC 4.3 defaults": _("The standard checklist (first edition)"),
    "SPEC 4.4 defaults": _("The standard decision table (first edition)"),
    "SPEC 4.4 revised: dispatch before unsuited, KPO widened, deliverable, public data only": _(
        "Revised: dispatch decided first, KPO for more knowledge work, a clear deliverable "
        "and public data only where they matter"
    ),
    "SPEC 4.6 defaults": _("The standard vendor criteria and weights (first edition)"),
    "SPEC 4.7 defaults": _("The standard readiness checklist (first edition)"),
    "個人情報保護法の義務（R21–R24）": _(
        "Duties under the Act on the Protection of Personal Information (R21–R24)"
    ),
    "採点の分母を全設問に（未回答は0点）": _(
        "Scored over every question (an unanswered question adds no points)"
    ),
}


class Version(models.Model):
    number = models.PositiveIntegerField(_("version"), null=True, blank=True, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    objects = VersionQuerySet.as_manager()
    rows_name: str  # the related name of the version's rows (criteria, rules)

    class Meta:
        abstract = True
        ordering = ["-number", "-created_at"]

    def __str__(self) -> str:
        if self.number is None:
            return (
                f"{_('Draft')} ({self.created_at:%Y-%m-%d})" if self.created_at else str(_("Draft"))
            )
        return f"v{self.number}"

    @property
    def shown_note(self) -> str:
        """The note in the reader's language: the versions this product shipped (published by
        its migrations) carry a fixed note, worded here; an administrator's note as written."""
        shipped = SHIPPED_NOTES.get(self.note)
        return str(shipped) if shipped is not None else self.note

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    def problems(self) -> list[str]:
        raise NotImplementedError

    def problem_message(self, problem: str) -> str:
        """A problem code in words, for whoever publishes; the code itself where a kind of
        version has no words for it (yet)."""
        return problem

    @transaction.atomic
    def publish(self, user: Any = None) -> None:
        """Freeze the draft as the next version number; refuse a definition that cannot run."""
        if self.is_published:
            raise ValidationError(_("This version is already published."))
        problems = self.problems()
        if problems:
            raise ValidationError(
                [
                    _("Cannot publish: %(problem)s") % {"problem": self.problem_message(p)}
                    for p in problems
                ]
            )
        last = type(self).objects.select_for_update().aggregate(models.Max("number"))["number__max"]
        self.number = (last or 0) + 1
        self.status = Status.PUBLISHED
        self.published_at = timezone.now()
        self.published_by = user
        self.save()

    @transaction.atomic
    def copy_as_draft(self) -> Self:
        """A new draft with this version's settings and rows: how the next version is started,
        since a published version itself never changes."""
        related = getattr(self, self.rows_name)
        rows = list(related.all())
        # The stubs' plugin types `type(self).objects` with Version, not Self.
        draft = cast(Self, type(self).objects.get(pk=self.pk))
        draft.pk = None
        draft._state.adding = True
        draft.number, draft.status, draft.note = None, Status.DRAFT, ""
        draft.published_at = draft.published_by = None
        draft.save()
        for row in rows:
            row.pk, row.version = None, draft
        related.model.objects.bulk_create(rows)
        return draft


def localised(ja: str, en: str) -> str:
    return ja if japanese() or not en else en


class ChecklistVersion(Version):
    non_core_at = models.DecimalField(
        _("non-core at or above"), max_digits=5, decimal_places=2, default=Decimal(60)
    )
    core_at = models.DecimalField(
        _("core at or below"), max_digits=5, decimal_places=2, default=Decimal(40)
    )
    max_unknown = models.PositiveSmallIntegerField(
        _("most “don't know” answers before a task is incomplete"), default=2
    )
    costly_core_yen = models.DecimalField(
        _("warn when a core task costs at least (yen)"),
        max_digits=12,
        decimal_places=0,
        default=Decimal(5_000_000),
    )
    # What the points are divided by (README, "The check, as computed"): the versions published
    # before there was a choice score over the questions answered, and keep doing so.
    scoring = models.CharField(
        _("score over"), max_length=10, choices=Scoring.choices, default=Scoring.ANSWERED
    )
    rows_name = "criteria"

    class Meta(Version.Meta):
        verbose_name = _("checklist version")
        verbose_name_plural = _("checklist versions")

    def as_domain(self) -> cl.CriteriaVersion:
        return cl.CriteriaVersion(
            criteria=tuple(
                # A CharField is typed str whatever its choices (Direction's values).
                cl.Criterion(c.code, cast(cl.Direction, c.direction), c.weight)
                for c in self.criteria.all()
            ),
            thresholds=cl.Thresholds(
                self.non_core_at, self.core_at, self.max_unknown, self.costly_core_yen
            ),
            # A CharField is typed str whatever its choices (Scoring's values).
            scoring=cast(cl.Scoring, self.scoring),
        )

    def problems(self) -> list[str]:
        return cl.validate_criteria(self.as_domain())

    def problem_message(self, problem: str) -> str:
        """`cl.validate_criteria`'s codes in words, naming the questions (issue 18)."""
        kind, _sep, code = problem.partition(":")
        if kind == "duplicate_code":
            codes = [c.code for c in self.criteria.all()]
            twice = sorted({c for c in codes if codes.count(c) > 1})
            return gettext("Each question needs its own code; used more than once: %(codes)s.") % {
                "codes": ", ".join(twice)
            }
        if kind == "unknown_direction":
            return gettext(
                "%(code)s has no direction: choose outsource, keep in-house or caution."
            ) % {"code": code}
        if kind == "negative_weight":
            return gettext("The weight of %(code)s cannot be negative.") % {"code": code}
        if kind == "no_scoring_criterion":
            return gettext(
                "No question counts in the suitability: give at least one question that points "
                "to outsourcing or to keeping in-house a weight above 0."
            )
        if kind == "thresholds_overlap":
            core, non_core = (self._meta.get_field(n) for n in ("core_at", "non_core_at"))
            assert isinstance(core, models.Field) and isinstance(non_core, models.Field)
            return gettext(
                "The thresholds overlap: “%(core_label)s” (%(core)s) must be lower than "
                "“%(non_core_label)s” (%(non_core)s), and both between 0 and 100."
            ) % {
                "core_label": core.verbose_name,
                "core": plain_number(self.core_at),
                "non_core_label": non_core.verbose_name,
                "non_core": plain_number(self.non_core_at),
            }
        return problem


class ChecklistCriterion(models.Model):
    version = models.ForeignKey(ChecklistVersion, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField(_("code"), max_length=10)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text_ja = models.CharField(_("question (Japanese)"), max_length=300)
    text_en = models.CharField(_("question (English)"), max_length=300)
    help_ja = models.TextField(_("help (Japanese)"), blank=True)
    help_en = models.TextField(_("help (English)"), blank=True)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    weight = models.DecimalField(
        _("weight"),
        max_digits=6,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal(0))],
    )

    class Meta:
        ordering = ["order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "code"], name="one_criterion_code_per_version"
            )
        ]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self) -> str:
        return f"{self.code}: {self.text}"

    @property
    def text(self) -> str:
        return localised(self.text_ja, self.text_en)

    @property
    def help(self) -> str:
        return localised(self.help_ja, self.help_en)


class RuleTableVersion(Version):
    rows_name = "rules"

    class Meta(Version.Meta):
        verbose_name = _("rule table version")
        verbose_name_plural = _("rule table versions")

    def as_domain(self) -> cl.RuleTable:
        return cl.RuleTable(tuple(rule.as_domain() for rule in self.rules.all()))

    def problems(self) -> list[str]:
        try:
            return cl.validate_rules(self.as_domain())
        except (TypeError, ValueError, KeyError) as error:
            return [f"malformed_conditions:{error}"]

    def problem_message(self, problem: str) -> str:
        """`cl.validate_rules`'s codes in words, naming the rule and the field (issue 18)."""
        kind, _sep, rest = problem.partition(":")
        code, _sep, detail = rest.partition(":")
        field = rule_editing.FIELDS.get(detail.partition(":")[0])
        names = {
            "code": code,
            "field": field.label if field else detail.partition(":")[0],
            "value": detail.partition(":")[2],
            "detail": rest,
        }
        if kind == "duplicate_code":
            codes = [rule.code for rule in self.rules.all()]
            names["code"] = ", ".join(sorted({c for c in codes if codes.count(c) > 1}))
        words = {
            "no_catch_all": _(
                "The last rule must have no conditions, so that every task gets a model: "
                "add a rule without conditions at the end."
            ),
            "duplicate_code": _("Each rule needs its own code; used more than once: %(code)s."),
            "unknown_outcome": _("Rule “%(code)s” has no valid model: choose one of the seven."),
            "unknown_attribute": _("Rule “%(code)s” looks at a field the tasks do not have."),
            "unknown_operator": _("Rule “%(code)s” compares in a way the table does not know."),
            "not_a_number": _("Rule “%(code)s” compares %(field)s with something not a number."),
            "ordering_on_enumeration": _(
                "Rule “%(code)s” compares %(field)s as a number, but it is a choice."
            ),
            "needs_a_list": _("Rule “%(code)s” needs a list of values for %(field)s."),
            "unknown_value": _("Rule “%(code)s”: “%(value)s” is not a value of %(field)s."),
            "malformed_conditions": _("The conditions of a rule cannot be read: %(detail)s"),
        }
        return str(words[kind]) % names if kind in words else problem


class DecisionRule(models.Model):
    """One row of the decision table. `conditions` is a list of groups; the rule fires when every
    condition of any group holds: [[["category", "in", ["analysis"]], ["expertise", "ge", 3]]].
    An empty list fires for every task (the catch-all, last)."""

    version = models.ForeignKey(RuleTableVersion, on_delete=models.CASCADE, related_name="rules")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    code = models.SlugField(_("code"), max_length=60)
    conditions = models.JSONField(_("conditions"), default=list, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    explanation_ja = models.TextField(_("explanation (Japanese)"))
    explanation_en = models.TextField(_("explanation (English)"))

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="one_rule_code_per_version")
        ]
        verbose_name = _("decision rule")
        verbose_name_plural = _("decision rules")

    def __str__(self) -> str:
        return f"{self.order}. {self.code} → {self.outcome}"

    @property
    def explanation(self) -> str:
        return localised(self.explanation_ja, self.explanation_en)

    def as_domain(self) -> cl.Rule:
        return cl.Rule(self.code, self.outcome, conditions_from_json(self.conditions))


def conditions_from_json(data: Any) -> tuple[tuple[cl.Condition, ...], ...]:
    """[[["expertise", "ge", 3], …], …] -> condition groups; raises ValueError on a bad shape."""
    if not isinstance(data, list):
        raise ValueError(gettext("The conditions must be a list of groups: [[…], […]]."))
    groups = []
    for group in data:
        if not isinstance(group, list) or not group:
            raise ValueError(gettext("Each group must be a non-empty list of conditions."))
        conditions = []
        for item in group:
            if not isinstance(item, list) or len(item) != 3:
                raise ValueError(
                    gettext("Each condition must be [attribute, operator, value], not %(item)s.")
                    % {"item": json.dumps(item, ensure_ascii=False)}
                )
            attribute, operator, value = item
            if not isinstance(attribute, str) or not isinstance(operator, str):
                raise ValueError(
                    gettext("The attribute and the operator must be text, not %(item)s.")
                    % {"item": json.dumps(item, ensure_ascii=False)}
                )
            if isinstance(value, list):
                value = tuple(value)
            elif isinstance(value, int | float) and not isinstance(value, bool):
                value = Decimal(str(value))
            # Any text: an unknown operator is the rule's DefinitionError when it is checked.
            conditions.append(cl.Condition(attribute, cast(cl.Operator, operator), value))
        groups.append(tuple(conditions))
    return tuple(groups)


def conditions_to_json(groups: tuple[tuple[cl.Condition, ...], ...]) -> list[Any]:
    return [
        [
            [c.attribute, c.operator, list(c.value) if isinstance(c.value, tuple) else c.value]
            for c in group
        ]
        for group in groups
    ]


class EvaluationVersion(Version):
    """The weights of the vendor criteria; an assessment is pinned to one like the checklist."""

    rows_name = "weights"

    class Meta(Version.Meta):
        verbose_name = _("vendor criteria version")
        verbose_name_plural = _("vendor criteria versions")

    def as_domain(self) -> dict[str, Decimal]:
        return {w.criterion: w.weight for w in self.weights.all()}

    def problems(self) -> list[str]:
        weights = self.as_domain()
        problems = []
        missing = [c for c in VendorCriterion.values if c not in weights]
        if missing:
            problems.append(f"missing_criteria:{','.join(missing)}")
        if any(weight < 0 for weight in weights.values()):
            problems.append("negative_weight")
        if sum(weights.values(), Decimal(0)) != 100:
            problems.append(f"weights_sum_to:{sum(weights.values(), Decimal(0))}")
        return problems

    def problem_message(self, problem: str) -> str:
        kind, _sep, detail = problem.partition(":")
        if kind == "weights_sum_to":
            return gettext("The weights add up to %(total)s, not 100.") % {
                "total": plain_number(Decimal(detail))
            }
        if kind == "missing_criteria":
            labels = [str(VendorCriterion(code).label) for code in detail.split(",")]
            return gettext("Every criterion needs a weight; missing: %(criteria)s.") % {
                "criteria": ", ".join(labels)
            }
        if kind == "negative_weight":
            negative = [
                f"{w.get_criterion_display()} ({plain_number(w.weight)})"
                for w in self.weights.all()
                if w.weight < 0
            ]
            return gettext("A weight cannot be negative: %(weights)s.") % {
                "weights": ", ".join(negative)
            }
        return problem

    def total(self) -> Decimal:
        return sum(self.as_domain().values(), Decimal(0))

    def missing_criteria(self) -> list[str]:
        """The criteria this version has no weight for, in their order (all before it is saved)."""
        weights = self.as_domain() if self.pk else {}
        return [c for c in VendorCriterion.values if c not in weights]


class EvaluationWeight(models.Model):
    version = models.ForeignKey(EvaluationVersion, on_delete=models.CASCADE, related_name="weights")
    criterion = models.CharField(_("criterion"), max_length=20, choices=VendorCriterion.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "criterion"], name="one_weight_per_criterion_and_version"
            )
        ]
        verbose_name = _("vendor criterion weight")
        verbose_name_plural = _("vendor criterion weights")

    def __str__(self) -> str:
        return f"{self.get_criterion_display()}: {self.weight}"


class ReadinessVersion(Version):
    """The pre-introduction readiness checklist (SPEC 4.7): its items and their wording. An
    assessment is pinned to one like the core check; its entries point at this version's items."""

    rows_name = "items"

    class Meta(Version.Meta):
        verbose_name = _("readiness checklist version")
        verbose_name_plural = _("readiness checklist versions")

    def as_domain(self) -> tuple[tuple[str, str], ...]:
        """(code, area) of each item in order: what defaults.READINESS holds."""
        return tuple((item.code, item.area) for item in self.items.all())

    def problems(self) -> list[str]:
        items = list(self.items.all())
        if not items:
            return ["no_items"]
        problems = []
        seen: dict[str, str] = {}
        duplicates = []
        for item in items:
            key = item.code.strip().casefold()
            if key in seen:
                duplicates.append(f"{seen[key]}={item.code}")
            seen.setdefault(key, item.code)
        if duplicates:
            problems.append(f"duplicate_codes:{','.join(duplicates)}")
        untranslated = [item.code for item in items if not item.text_ja or not item.text_en]
        if untranslated:
            problems.append(f"missing_text:{','.join(untranslated)}")
        return problems

    def problem_message(self, problem: str) -> str:
        kind, _sep, detail = problem.partition(":")
        if kind == "no_items":
            return gettext("The checklist has no items: add at least one.")
        if kind == "duplicate_codes":
            return gettext(
                "Each item needs its own code; the same code is used twice: %(codes)s."
            ) % {"codes": ", ".join(pair.replace("=", " / ") for pair in detail.split(","))}
        if kind == "missing_text":
            return gettext("Every item needs its text in Japanese and in English: %(codes)s.") % {
                "codes": ", ".join(detail.split(","))
            }
        return problem


class ReadinessItem(models.Model):
    version = models.ForeignKey(ReadinessVersion, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("code"), max_length=10)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    area = models.CharField(_("area"), max_length=20, choices=ReadinessArea.choices)
    text_ja = models.CharField(_("item (Japanese)"), max_length=300)
    text_en = models.CharField(_("item (English)"), max_length=300)
    help_ja = models.TextField(_("help (Japanese)"), blank=True)
    help_en = models.TextField(_("help (English)"), blank=True)

    class Meta:
        ordering = ["order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "code"], name="one_readiness_code_per_version"
            )
        ]
        verbose_name = _("readiness item")
        verbose_name_plural = _("readiness items")

    def __str__(self) -> str:
        return f"{self.code}: {self.text}"

    @property
    def text(self) -> str:
        return localised(self.text_ja, self.text_en)

    @property
    def help(self) -> str:
        return localised(self.help_ja, self.help_en)
