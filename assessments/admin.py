from django.contrib import admin

from assessments.models import Assessment, InventoryImport, Task


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
