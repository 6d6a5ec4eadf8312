from django.contrib import admin
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from outsourcing_advisor.history.admin import events_link
from vendors.forms import VendorForm
from vendors.models import Bid, Certification, Evaluation, SecurityCheck, Vendor


class CertificationInline(admin.TabularInline):
    model = Certification
    extra = 0


class SecurityCheckInline(admin.TabularInline):
    model = SecurityCheck
    extra = 0
    max_num = 5


@admin.register(Vendor)
class VendorAdmin(admin.ModelAdmin):
    form = VendorForm  # checkboxes for services and the registry's name check
    list_display = ["name", "industries", "locations", "updated_at"]
    search_fields = ["name", "industries", "locations"]
    inlines = [CertificationInline, SecurityCheckInline]


@admin.register(Bid)
class BidAdmin(admin.ModelAdmin):
    list_display = ["vendor", "package", "pricing_model", "monthly_fee", "unit_price", "updated_at"]
    list_filter = ["pricing_model"]
    search_fields = ["vendor__name", "package__name"]
    list_select_related = ["vendor", "package"]
    raw_id_fields = ["package", "vendor"]
    readonly_fields = ["history"]

    @admin.display(description=_("history"))
    def history(self, obj: Bid) -> SafeString:
        return events_link(["quote"], obj.pk)


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
