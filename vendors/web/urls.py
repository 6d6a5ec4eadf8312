from django.urls import path

from vendors.web import bid_views, import_views, link_views, panel_views, views

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
    # The evaluation panel (SPEC 4.6): its members, statistics and consensus scores.
    path(
        "packages/<int:package_pk>/vendors/panel/",
        panel_views.package_panel,
        name="package_panel",
    ),
    path(
        "packages/<int:package_pk>/vendors/panel/members/",
        panel_views.package_panel_members,
        name="package_panel_members",
    ),
    path(
        "packages/<int:package_pk>/bids/<int:bid_pk>/consensus/",
        panel_views.bid_consensus,
        name="bid_consensus",
    ),
    # Vendors answer by link (SPEC 4.6): the consultant's side.
    path(
        "packages/<int:package_pk>/bids/<int:bid_pk>/links/",
        link_views.bid_link_issue,
        name="bid_link_issue",
    ),
    path(
        "packages/<int:package_pk>/bids/<int:bid_pk>/links/<int:link_pk>/revoke/",
        link_views.bid_link_revoke,
        name="bid_link_revoke",
    ),
    path(
        "packages/<int:package_pk>/bids/<int:bid_pk>/submissions/<int:submission_pk>/",
        link_views.submission_review,
        name="submission_review",
    ),
]
