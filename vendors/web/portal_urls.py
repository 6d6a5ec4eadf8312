"""The vendor's pages behind a link, mounted at /v/ outside the signed-in area (SPEC 4.6). The
token is the only thing taken from the URL; any other address under /v/ gets the same plain 404
as a token that finds no link."""

from django.urls import path, re_path

from vendors.web import portal_views

urlpatterns = [
    path("<str:token>/", portal_views.page, name="vendor_portal"),
    path("<str:token>/submit/", portal_views.submit, name="vendor_portal_submit"),
    path("<str:token>/receipt/", portal_views.receipt, name="vendor_portal_receipt"),
    # Only addresses ending with a slash: without one, Django first adds it (APPEND_SLASH), so
    # that a link whose slash a mail program dropped still opens.
    re_path(r"^(?P<rest>(?:.*/)?)$", portal_views.missing),
]
