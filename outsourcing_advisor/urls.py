from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("outsourcing_advisor.accounts.urls")),
    path("vendors/", include("vendors.urls")),
    path("", include("assessments.urls")),
]
