from django.contrib import admin
from django.urls import include, path

from assessments.web import join_views
from vendors.web import urls as vendor_urls

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("outsourcing_advisor.accounts.urls")),
    path("vendors/", include("vendors.web.urls")),
    path("assessments/<int:pk>/", include(vendor_urls.assessment_urlpatterns)),
    # A vendor's pages behind its link, outside the signed-in area (SPEC 4.6).
    path("v/", include("vendors.web.portal_urls")),
    # The join page of an invitation to an organisation, outside the signed-in area (issue 18).
    path("join/<str:token>/", join_views.join, name="join"),
    # The administrators' area (issue 18): checklists, rules and weights in the product's look.
    path("administration/", include("assessments.web.administration_urls")),
    path("", include("assessments.web.urls")),
]
