import math
from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from assessments.background.jobs import Job
from assessments.domain import classification as cl
from assessments.models import Assessment, InventoryImport, Override, Package, Task, TaskResult
from assessments.models.drafts import VERSION_SUBJECTS
from assessments.models.versions import (
    ChecklistCriterion,
    ChecklistVersion,
    DecisionRule,
    EvaluationVersion,
    EvaluationWeight,
    ReadinessItem,
    ReadinessVersion,
    RuleTableVersion,
)
from assessments.reporting.version_words import conditions_words
from assessments.web import administration_views
from outsourcing_advisor.common.wording import plain_number
from outsourcing_advisor.history import admin as history_admin

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


class VersionRowInline(admin.options.InlineModelAdmin):
    """A version's rows, as read-only as the version (drafts are edited in the administrators'
    area)."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CriterionInline(VersionRowInline, admin.TabularInline):
    model = ChecklistCriterion
    fields = ["order", "code", "direction", "weight", "text_ja", "text_en", "help_ja", "help_en"]


class RuleInline(VersionRowInline, admin.StackedInline):
    """A rule's conditions in words, as the versions page of an assessment words them (the
    decision table is edited in the administrators' area's rule editor, never as JSON)."""

    model = DecisionRule
    fields = ["order", "code", "conditions_in_words", "outcome", "explanation_ja", "explanation_en"]
    readonly_fields = ["conditions_in_words"]

    @admin.display(description=_("conditions"))
    def conditions_in_words(self, obj: DecisionRule) -> str:
        return conditions_words(obj.conditions)


class EvaluationWeightInline(VersionRowInline, admin.TabularInline):
    model = EvaluationWeight
    fields = ["criterion", "weight"]


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


class VersionAdmin(admin.ModelAdmin):
    """The versions, to look at: drafts are started, edited and published in the
    administrators' area (/administration/), which first shows what publishing would change
    (issue 18). Here every version is read-only, with a link there and its history."""

    list_display = ["__str__", "status", "note", "published_at", "published_by", "area_link"]
    list_filter = ["status"]
    actions = None

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["area_link", *super().get_fields(request, obj), "history"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [*super().get_readonly_fields(request, obj), "area_link", "history"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("administrators' area"))
    def area_link(self, obj: Any) -> SafeString:
        kind = administration_views.KIND_OF[type(obj)]
        if not obj.is_published:
            url, text = (
                administration_views.draft_url(kind, obj),
                gettext("Edit in the administrators' area"),
            )
        elif kind.model is RuleTableVersion:  # the rule editor shows a published table in words
            url, text = (
                administration_views.draft_url(kind, obj),
                gettext("See it in the administrators' area"),
            )
        else:
            url, text = (
                administration_views.kind_url(kind),
                gettext("See it in the administrators' area"),
            )
        return format_html('<a href="{}" data-area-link>{}</a>', url, text)

    @admin.display(description=_("history"))
    def history(self, obj: Any) -> SafeString:
        version_type, row_type = VERSION_SUBJECTS[type(obj)]
        return history_admin.version_history(version_type, row_type, obj.pk)


@admin.register(ChecklistVersion)
class ChecklistVersionAdmin(VersionAdmin):
    inlines = [CriterionInline]
    fields = ["note", "non_core_at", "core_at", "max_unknown", "costly_core_yen", "scoring"]


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
    traceback) is under "Background queue", by the job's task id."""

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
