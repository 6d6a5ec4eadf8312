from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from assessments.models import Assessment, InventoryImport, Override, Task, TaskResult
from assessments.versions import (
    ChecklistCriterion,
    ChecklistVersion,
    DecisionRule,
    RuleTableVersion,
    Status,
)


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


@admin.register(InventoryImport)
class InventoryImportAdmin(admin.ModelAdmin):
    list_display = ["filename", "assessment", "rows", "imported_by", "created_at"]
    readonly_fields = [f.name for f in InventoryImport._meta.fields]


class CriterionInline(admin.TabularInline):
    model = ChecklistCriterion
    extra = 0
    fields = ["order", "code", "direction", "weight", "text_ja", "text_en", "help_ja", "help_en"]


class RuleInline(admin.StackedInline):
    model = DecisionRule
    extra = 0
    fields = ["order", "code", "conditions", "outcome", "explanation_ja", "explanation_en"]


class VersionAdmin(admin.ModelAdmin):
    """Drafts are edited, then published with the action; a published version is read-only,
    so no result that was computed with it can change."""

    list_display = ["__str__", "status", "note", "published_at", "published_by"]
    list_filter = ["status"]
    actions = ["publish"]

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
                self.message_user(request, _("Published %(version)s.") % {"version": version})


@admin.register(ChecklistVersion)
class ChecklistVersionAdmin(VersionAdmin):
    inlines = [CriterionInline]
    fields = ["note", "non_core_at", "core_at", "max_unknown", "costly_core_yen"]


@admin.register(RuleTableVersion)
class RuleTableVersionAdmin(VersionAdmin):
    inlines = [RuleInline]
    fields = ["note"]


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
