"""The administrators' area (issue 18): the checklist, the decision table, the vendor criteria
and the readiness list, edited as drafts and published with a preview. Site operations stay in
Django admin (/admin/)."""

from django.urls import path

from assessments.web import administration_views

urlpatterns = [
    path("", administration_views.administration_home, name="administration_home"),
]
