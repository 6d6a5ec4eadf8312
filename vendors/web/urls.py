from django.urls import path

from vendors.web import bid_views, import_views, views

urlpatterns = [
    path("", views.vendor_list, name="vendor_list"),
    path("new/", views.vendor_create, name="vendor_create"),
    path("<int:vendor_pk>/", views.vendor_detail, name="vendor_detail"),
    path("<int:vendor_pk>/edit/", views.vendor_edit, name="vendor_edit"),
]

# The vendor selection of an assessment's packages, mounted under assessments/<pk>/.
assessment_urlpatterns = [
    path("overhead/", bid_views.assessment_overhead, name="assessment_overhead"),
    path("evaluations/import/", import_views.evaluations_import, name="evaluations_import"),
    path(
        "packages/<int:package_pk>/vendors/",
        bid_views.package_vendors,
        name="package_vendors",
    ),
    path(
        "packages/<int:package_pk>/vendors/terms/",
        bid_views.package_terms,
        name="package_terms",
    ),
    path(
        "packages/<int:package_pk>/vendors/invite/",
        bid_views.package_invite,
        name="package_invite",
    ),
    path(
        "packages/<int:package_pk>/bids/<int:bid_pk>/quote/",
        bid_views.bid_quote,
        name="bid_quote",
    ),
    path(
        "packages/<int:package_pk>/bids/<int:bid_pk>/remove/",
        bid_views.bid_remove,
        name="bid_remove",
    ),
    path(
        "packages/<int:package_pk>/bids/<int:bid_pk>/score/",
        bid_views.bid_score,
        name="bid_score",
    ),
    path(
        "packages/<int:package_pk>/bids/<int:bid_pk>/registry/",
        bid_views.bid_registry,
        name="bid_registry",
    ),
    path(
        "packages/<int:package_pk>/bids/<int:bid_pk>/scope/",
        bid_views.bid_scope,
        name="bid_scope",
    ),
]
