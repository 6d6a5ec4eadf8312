from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from outsourcing_advisor.history.admin import events_link
from outsourcing_advisor.history.models import Action
from vendors.models import Bid, Certification, Evaluation, SecurityCheck, Vendor
from vendors.services import registry
from vendors.web.forms import VendorForm


class CertificationInline(admin.TabularInline):
    model = Certification
    extra = 0


class SecurityCheckInline(admin.TabularInline):
    model = SecurityCheck
    extra = 0
    max_num = 5


@admin.register(Vendor)
class VendorAdmin(admin.ModelAdmin):
    """Staff may change any vendor (vendors.services.registry.may_change); each change, its inlines
    included, is recorded like one made on the registry's pages, and a bid keeps evaluating
    the registry entry it holds."""

    form = VendorForm  # checkboxes for services and the registry's name check
    list_display = ["name", "industries", "locations", "updated_at"]
    search_fields = ["name", "industries", "locations"]
    inlines = [CertificationInline, SecurityCheckInline]
    readonly_fields = ["history"]

    def save_model(self, request: HttpRequest, obj: Vendor, form: Any, change: bool) -> None:
        # The entry as stored before, recorded against the saved one once the inlines are in.
        form.registry_before = (
            registry.entry(registry.stored(obj.pk)) if change else registry.blank_entry()
        )
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        after = registry.entry(registry.stored(form.instance.pk))
        action = Action.CHANGED if change else Action.CREATED
        registry.record_edit(request.user, form.instance, action, form.registry_before, after)

    def delete_model(self, request: HttpRequest, obj: Vendor) -> None:
        registry.delete_vendor(request.user, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Vendor]) -> None:
        for vendor in queryset:
            registry.delete_vendor(request.user, vendor)

    @admin.display(description=_("history"))
    def history(self, obj: Vendor) -> SafeString:
        return events_link(["vendor"], obj.pk)


@admin.register(Bid)
class BidAdmin(admin.ModelAdmin):
    list_display = ["vendor", "package", "pricing_model", "monthly_fee", "unit_price", "updated_at"]
    list_filter = ["pricing_model"]
    search_fields = ["vendor__name", "package__name"]
    list_select_related = ["vendor", "package"]
    raw_id_fields = ["package", "vendor"]
    # What the package evaluates changes only through vendors.services.registry (invite, confirm).
    readonly_fields = ["registry", "history"]

    @admin.display(description=_("history"))
    def history(self, obj: Bid) -> SafeString:
        return events_link(["quote", "registry"], obj.pk)


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ["bid", "evaluator", "submitted_at", "updated_at"]
    list_filter = ["submitted_at"]
    search_fields = ["bid__vendor__name", "evaluator__username"]
    list_select_related = ["bid__vendor", "bid__package", "evaluator"]
    raw_id_fields = ["bid", "evaluator"]
    readonly_fields = ["history"]

    @admin.display(description=_("history"))
    def history(self, obj: Evaluation) -> SafeString:
        return events_link(["score"], obj.pk)
