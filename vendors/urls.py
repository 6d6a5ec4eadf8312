from django.urls import path

from vendors import views

urlpatterns = [
    path("", views.vendor_list, name="vendor_list"),
    path("new/", views.vendor_create, name="vendor_create"),
    path("<int:vendor_pk>/", views.vendor_detail, name="vendor_detail"),
    path("<int:vendor_pk>/edit/", views.vendor_edit, name="vendor_edit"),
]
