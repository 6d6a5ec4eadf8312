from django.contrib import admin
from django.urls import include, path

from vendors.web import urls as vendor_urls

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("outsourcing_advisor.accounts.urls")),
    path("vendors/", include("vendors.web.urls")),
    path("assessments/<int:pk>/", include(vendor_urls.assessment_urlpatterns)),
    # A vendor's pages behind its link, outside the signed-in area (SPEC 4.6).
    path("v/", include("vendors.web.portal_urls")),
    path("", include("assessments.web.urls")),
]
