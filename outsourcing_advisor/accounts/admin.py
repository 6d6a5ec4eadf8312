from django.contrib import admin

from outsourcing_advisor.accounts.models import Membership, Organisation, Profile


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "industry", "employee_count", "indirect_headcount", "hourly_cost"]
    search_fields = ["name", "industry"]
    inlines = [MembershipInline]
    # Changed on the organisation's settings page, which recomputes its assessments' results.
    readonly_fields = ["hourly_cost", "working_days", "yearly_hours"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role"]
    list_filter = ["role", "organisation"]
    search_fields = ["user__username", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "language"]
