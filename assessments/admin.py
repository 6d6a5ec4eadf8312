import itertools
import json
import math
from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from assessments.background.jobs import Job
from assessments.domain import classification as cl
from assessments.domain.choices import VendorCriterion
from assessments.models import Assessment, InventoryImport, Override, Package, Task, TaskResult
from assessments.models.versions import (
    ChecklistCriterion,
    ChecklistVersion,
    DecisionRule,
    EvaluationVersion,
    EvaluationWeight,
    ReadinessItem,
    ReadinessVersion,
    RuleTableVersion,
    Status,
    conditions_from_json,
)
from outsourcing_advisor.common.wording import plain_number
from outsourcing_advisor.history import admin as history_admin
from outsourcing_advisor.history.models import Action, SubjectType
from outsourcing_advisor.history.record import record, record_many

# Above this many input combinations the coverage check would keep an admin page waiting.
MAX_COVERAGE_COMBINATIONS = 1_000_000


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "created_by", "updated_at"]
    list_filter = ["organisation"]
    search_fields = ["name", "organisation__name"]
    raw_id_fields = ["created_by"]


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["task", "process", "department", "category", "frequency", "assessment"]
    list_filter = ["category", "frequency", "assessment__organisation"]
    search_fields = ["task", "process", "department"]
    list_select_related = ["assessment"]
    raw_id_fields = ["assessment"]
    readonly_fields = ["history"]

    @admin.display(description=_("history"))
    def history(self, obj: Task) -> SafeString:
        return history_admin.events_link(("task", "answers", "override"), obj.pk)


@admin.register(Package)
class PackageAdmin(admin.ModelAdmin):
    list_display = ["name", "model", "assessment"]
    list_filter = ["model", "assessment__organisation"]
    search_fields = ["name"]
    list_select_related = ["assessment"]
    raw_id_fields = ["assessment"]
    readonly_fields = ["history"]

    @admin.display(description=_("history"))
    def history(self, obj: Package) -> SafeString:
        return history_admin.events_link(["package"], obj.pk)


@admin.register(InventoryImport)
class InventoryImportAdmin(admin.ModelAdmin):
    list_display = ["filename", "assessment", "rows", "imported_by", "created_at"]
    readonly_fields = [f.name for f in InventoryImport._meta.fields]


def condition_errors(groups: Iterable[Iterable[cl.Condition]]) -> list[str]:
    """What is wrong with each condition, in words that name the attribute and value."""
    errors = []
    for condition in itertools.chain.from_iterable(groups):
        for problem in cl._condition_problems("", condition):
            errors.append(_problem_message(problem, condition))
    return errors


def _problem_message(problem: str, condition: cl.Condition) -> str:
    kind = problem.split(":", 1)[0]
    domain = cl.ATTRIBUTES.get(condition.attribute) or ()
    names = {
        "attribute": condition.attribute,
        "operator": condition.operator,
        "values": problem.removeprefix(f"{kind}::{condition.attribute}:"),
        "attributes": ", ".join(cl.ATTRIBUTES),
        "operators": ", ".join(cl.OPERATORS),
        "known": ", ".join(domain),
        "example": json.dumps(domain[:2], ensure_ascii=False),
    }
    messages_by_kind = {
        "unknown_attribute": gettext(
            "Unknown attribute “%(attribute)s”. Use one of: %(attributes)s."
        ),
        "unknown_operator": gettext(
            "Unknown operator “%(operator)s” on “%(attribute)s”. Use one of: %(operators)s."
        ),
        "not_a_number": gettext(
            "“%(attribute)s” is a number: compare it with one number (eq, ne, lt, le, gt, ge)."
        ),
        "ordering_on_enumeration": gettext(
            "“%(attribute)s” has no order: use eq, ne, in or not_in, not “%(operator)s”."
        ),
        "needs_a_list": gettext(
            "“%(operator)s” on “%(attribute)s” needs a list of values, e.g. %(example)s."
        ),
        "unknown_value": gettext(
            "Unknown value “%(values)s” for “%(attribute)s”. Use one of: %(known)s."
        ),
    }
    return messages_by_kind[kind] % names if kind in messages_by_kind else problem


class DecisionRuleForm(forms.ModelForm):
    def clean_conditions(self) -> Any:
        data = self.cleaned_data["conditions"]
        if data is None:  # an emptied box: the catch-all
            return []
        try:
            groups = conditions_from_json(data)
        except ValueError as error:
            raise ValidationError(str(error)) from error
        errors = condition_errors(groups)
        if errors:
            raise ValidationError(errors)
        return data


class ChecklistCriterionForm(forms.ModelForm):
    def clean_weight(self) -> Any:
        weight = self.cleaned_data["weight"]
        if weight is not None and weight < 0:
            raise ValidationError(
                _(
                    "A weight cannot be negative (%(weight)s): use 0 for a criterion that should "
                    "not count, more than 1 for one that should count more."
                ),
                params={"weight": weight},
                code="negative_weight",
            )
        return weight


class ChecklistVersionForm(forms.ModelForm):
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        core, non_core = cleaned.get("core_at"), cleaned.get("non_core_at")
        if core is not None and non_core is not None and not (0 <= core < non_core <= 100):
            field = ChecklistVersion._meta.get_field
            raise ValidationError(
                _(
                    "The thresholds overlap: “%(core_label)s” (%(core)s) must be lower than "
                    "“%(non_core_label)s” (%(non_core)s), and both between 0 and 100."
                ),
                params={
                    "core_label": field("core_at").verbose_name,
                    "core": core,
                    "non_core_label": field("non_core_at").verbose_name,
                    "non_core": non_core,
                },
                code="thresholds_overlap",
            )
        return cleaned


class EvaluationWeightForm(forms.ModelForm):
    """One row per criterion: the criterion is fixed (a disabled field, so a new row takes it
    from its initial value), only the weight is edited."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "criterion" in self.fields:  # absent on a published version's read-only rows
            self.fields["criterion"].disabled = True

    def clean_weight(self) -> Any:
        weight = self.cleaned_data["weight"]
        if weight is not None and weight < 0:
            raise ValidationError(
                _(
                    "A weight cannot be negative (%(weight)s): use 0 for a criterion that should "
                    "not count."
                ),
                params={"weight": weight},
                code="negative_weight",
            )
        return weight

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        criterion = self.cleaned_data.get("criterion")
        if criterion in VendorCriterion.values:  # rows keep the criteria's order
            self.instance.order = VendorCriterion.values.index(criterion)
        return cleaned


class VersionRowInline(admin.options.InlineModelAdmin):
    """The rows of a published version are as read-only as the version."""

    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not (obj is not None and obj.is_published) and super().has_add_permission(
            request, obj
        )

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not (obj is not None and obj.is_published) and super().has_change_permission(
            request, obj
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not (obj is not None and obj.is_published) and super().has_delete_permission(
            request, obj
        )


class CriterionInline(VersionRowInline, admin.TabularInline):
    model = ChecklistCriterion
    form = ChecklistCriterionForm
    fields = ["order", "code", "direction", "weight", "text_ja", "text_en", "help_ja", "help_en"]


class RuleInline(VersionRowInline, admin.StackedInline):
    model = DecisionRule
    form = DecisionRuleForm
    fields = ["order", "code", "conditions", "outcome", "explanation_ja", "explanation_en"]


class EvaluationWeightInline(VersionRowInline, admin.TabularInline):
    model = EvaluationWeight
    form = EvaluationWeightForm
    fields = ["criterion", "weight"]
    # Every version weighs all eight criteria: a criterion stops counting with a weight of 0.
    can_delete = False
    max_num = len(VendorCriterion.values)

    def get_extra(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> int:
        """A blank row for each criterion the version has no weight for (all on a new one)."""
        return len((obj or EvaluationVersion()).missing_criteria())


def weights_report(version: EvaluationVersion) -> SafeString:
    """The total of the saved weights and, while it cannot be published, why not."""
    if version.pk is None:
        return format_html("{}", gettext("Save the draft to see the total of its weights."))
    total = format_html("<p>{}</p>", plain_number(version.total()))
    problems = version.problems()
    if not problems:
        return total
    return total + format_html(
        "<p>{}</p><ul>{}</ul>",
        gettext("It cannot be published until this is fixed:"),
        format_html_join("", "<li>{}</li>", ((version.problem_message(p),) for p in problems)),
    )


def rule_coverage(rules: list[DecisionRule], *, examples: int = 5) -> cl.Coverage | list[str]:
    """SPEC 4.4: which input combinations no rule decides and which rules never fire; or, for a
    table that cannot be evaluated, why not."""
    try:
        table = cl.RuleTable(tuple(rule.as_domain() for rule in rules))
        problems = [p for p in cl.validate_rules(table) if p != "no_catch_all"]
        if problems:
            return problems
        combinations = _combinations(table)
        if combinations > MAX_COVERAGE_COMBINATIONS:
            return [
                gettext("Too many input combinations to check here (%(count)s).")
                % {"count": number_format(combinations, force_grouping=True)}
            ]
        return cl.coverage(table, limit=examples)
    except (ValueError, TypeError, ArithmeticError) as error:
        return [str(error)]


def _combinations(table: cl.RuleTable) -> int:
    """How many input combinations `cl.coverage` would try."""
    attributes = {c.attribute for r in table.rules for g in r.any_of for c in g} | {"verdict"}
    return math.prod(len(cl._domain(attribute, table)) for attribute in attributes)


def coverage_report(version: RuleTableVersion) -> SafeString:
    if version.pk is None:
        return format_html("{}", gettext("Save the draft to see what its rules cover."))
    rules = list(version.rules.all())
    result = rule_coverage(rules)
    if isinstance(result, list):
        return format_html(
            "<p>{}</p><ul>{}</ul>",
            gettext("Coverage cannot be checked until this is fixed:"),
            format_html_join("", "<li>{}</li>", ((problem,) for problem in result)),
        )
    if result.uncovered_count:
        uncovered = format_html(
            "<p>{}</p><ul>{}</ul>",
            ngettext(
                "%(count)s input combination is decided by no rule, for example:",
                "%(count)s input combinations are decided by no rule, for example:",
                result.uncovered_count,
            )
            % {"count": number_format(result.uncovered_count, force_grouping=True)},
            format_html_join(
                "",
                "<li>{}</li>",
                (
                    (", ".join(f"{name}={value}" for name, value in facts.items()),)
                    for facts in result.uncovered
                ),
            ),
        )
    else:
        uncovered = format_html(
            "<p>{}</p>", gettext("Every input combination is decided by a rule.")
        )
    if result.never_fire:
        order = {rule.code: rule.order for rule in rules}
        never = format_html(
            "<p>{}</p><ul>{}</ul>",
            gettext("Rules that can never fire (earlier rules always decide first):"),
            format_html_join("", "<li>{}. {}</li>", ((order[c], c) for c in result.never_fire)),
        )
    else:
        never = format_html("<p>{}</p>", gettext("Every rule can fire."))
    return uncovered + never


# What the history calls each kind of version, and its rows.
VERSION_SUBJECTS = {
    ChecklistVersion: (SubjectType.CHECKLIST, SubjectType.CRITERION),
    RuleTableVersion: (SubjectType.RULE_TABLE, SubjectType.RULE),
    EvaluationVersion: (SubjectType.VENDOR_CRITERIA, SubjectType.WEIGHT),
    ReadinessVersion: (SubjectType.READINESS, SubjectType.READINESS_ITEM),
}


class VersionAdmin(admin.ModelAdmin):
    """Drafts are edited, then published with the action; a published version is read-only,
    so no result that was computed with it can change. Every change of a draft, its rows
    included, and every publication is recorded in the history (shown on the page)."""

    list_display = ["__str__", "status", "note", "published_at", "published_by"]
    list_filter = ["status"]
    actions = ["publish", "copy_as_draft"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [*super().get_fields(request, obj), "history"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [*super().get_readonly_fields(request, obj), "history"]

    @admin.display(description=_("history"))
    def history(self, obj: Any) -> SafeString:
        version_type, row_type = VERSION_SUBJECTS[type(obj)]
        return history_admin.version_history(version_type, row_type, obj.pk)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        version_type, _rows = VERSION_SUBJECTS[type(obj)]
        history_admin.record_form(request, version_type, form, created=not change)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        _version, row_type = VERSION_SUBJECTS[type(form.instance)]
        details = {"version": form.instance.pk}
        gone = history_admin.deleted_rows(request, row_type, formset, details)
        new = {id(f) for f in formset.forms if f.instance._state.adding}
        super().save_formset(request, form, formset, change)
        saved = [f for f in formset.forms if f.has_changed() and f not in formset.deleted_forms]
        for row_form in saved:
            history_admin.record_form(
                request, row_type, row_form, created=id(row_form) in new, details=details
            )
        record_many(gone)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        record(request.user, VERSION_SUBJECTS[type(obj)][0], obj, Action.DELETED)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            record(request.user, VERSION_SUBJECTS[type(obj)][0], obj, Action.DELETED)
        super().delete_queryset(request, queryset)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_published:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_published:
            return False
        return super().has_delete_permission(request, obj)

    @admin.action(description=_("Publish the selected drafts"))
    def publish(self, request: HttpRequest, queryset: Any) -> None:
        for version in queryset.filter(status=Status.DRAFT):
            try:
                version.publish(request.user)
            except ValidationError as error:
                for message in error.messages:
                    self.message_user(request, f"{version}: {message}", messages.ERROR)
            else:
                record(request.user, VERSION_SUBJECTS[type(version)][0], version, Action.PUBLISHED)
                self.message_user(request, gettext("Published %(version)s.") % {"version": version})

    @admin.action(description=_("Copy as a new draft"), permissions=["add"])
    def copy_as_draft(self, request: HttpRequest, queryset: Any) -> HttpResponseRedirect | None:
        drafts = []
        for version in queryset:
            drafts.append(version.copy_as_draft())
            record(
                request.user,
                VERSION_SUBJECTS[type(version)][0],
                drafts[-1],
                Action.CREATED,
                details={"copy_of": str(version)},
            )
            self.message_user(
                request,
                gettext("Copied %(version)s as a new draft: edit it, then publish it.")
                % {"version": version},
            )
        if len(drafts) == 1:  # straight to the one to edit
            opts = self.opts
            return HttpResponseRedirect(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[drafts[0].pk])
            )
        return None


@admin.register(ChecklistVersion)
class ChecklistVersionAdmin(VersionAdmin):
    form = ChecklistVersionForm
    inlines = [CriterionInline]
    fields = ["note", "non_core_at", "core_at", "max_unknown", "costly_core_yen"]


@admin.register(RuleTableVersion)
class RuleTableVersionAdmin(VersionAdmin):
    inlines = [RuleInline]
    fields = ["note", "coverage"]
    readonly_fields = ["coverage"]

    @admin.display(description=_("coverage"))
    def coverage(self, obj: RuleTableVersion) -> SafeString:
        return coverage_report(obj)


@admin.register(EvaluationVersion)
class EvaluationVersionAdmin(VersionAdmin):
    """The weights of the vendor criteria (SPEC 4.6). A draft may be saved while its weights do
    not yet add up to 100, like a rule table without its catch-all; publishing refuses it."""

    inlines = [EvaluationWeightInline]
    fields = ["note", "total_report"]
    readonly_fields = ["total_report"]
    list_display = [*VersionAdmin.list_display, "total"]

    def get_formset_kwargs(
        self, request: HttpRequest, obj: Any, inline: Any, prefix: str
    ) -> dict[str, Any]:
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, EvaluationWeightInline):  # the blank rows' criteria
            missing = (obj or EvaluationVersion()).missing_criteria()
            kwargs["initial"] = [{"criterion": criterion} for criterion in missing]
        return kwargs

    @admin.display(description=_("total"))
    def total(self, obj: EvaluationVersion) -> str:
        return plain_number(obj.total())

    @admin.display(description=_("total of the weights"))
    def total_report(self, obj: EvaluationVersion) -> SafeString:
        return weights_report(obj)


class ReadinessItemInline(VersionRowInline, admin.TabularInline):
    model = ReadinessItem
    fields = ["order", "code", "area", "text_ja", "text_en", "help_ja", "help_en"]


def readiness_report(version: ReadinessVersion) -> SafeString:
    """How many items the version has and, while it cannot be published, why not."""
    if version.pk is None:
        return format_html("{}", gettext("Save the draft to check its items."))
    count = format_html(
        "<p>{}</p>",
        ngettext("%(count)d item", "%(count)d items", version.items.count())
        % {"count": version.items.count()},
    )
    problems = version.problems()
    if not problems:
        return count
    return count + format_html(
        "<p>{}</p><ul>{}</ul>",
        gettext("It cannot be published until this is fixed:"),
        format_html_join("", "<li>{}</li>", ((version.problem_message(p),) for p in problems)),
    )


@admin.register(ReadinessVersion)
class ReadinessVersionAdmin(VersionAdmin):
    """The pre-introduction readiness checklist (SPEC 4.7): items and their wording in both
    languages. Assessments keep the version they started with; their entries point at its items."""

    inlines = [ReadinessItemInline]
    fields = ["note", "items_report"]
    readonly_fields = ["items_report"]

    @admin.display(description=_("items"))
    def items_report(self, obj: ReadinessVersion) -> SafeString:
        return readiness_report(obj)


@admin.register(TaskResult)
class TaskResultAdmin(admin.ModelAdmin):
    list_display = ["task", "verdict", "model", "suitability", "computed_at"]
    list_filter = ["verdict", "model"]
    list_select_related = ["task"]
    raw_id_fields = ["task"]
    readonly_fields = [f.name for f in TaskResult._meta.fields]


@admin.register(Override)
class OverrideAdmin(admin.ModelAdmin):
    list_display = ["task", "model", "author", "created_at"]
    list_select_related = ["task", "author"]
    raw_id_fields = ["task"]


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Background jobs, for looking into one that failed; the queue's own record (with the
    traceback) is under "Tasks Database Backend", by the job's task id."""

    list_display = ["pk", "kind", "status", "stage", "percent", "assessment", "created_by"]
    list_display += ["created_at", "attempts"]
    list_filter = ["kind", "status"]
    list_select_related = ["assessment", "created_by"]
    search_fields = ["filename", "task_id", "assessment__name"]
    exclude = ["input", "output"]
    readonly_fields = [f.name for f in Job._meta.fields if f.name not in ("input", "output")]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
