"""The administrators' area (issue 18): what site administrators edit, in the product's look."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from assessments.web.access import administrators_only


@administrators_only
def administration_home(request: HttpRequest) -> HttpResponse:
    return render(request, "administration/home.html", {})
