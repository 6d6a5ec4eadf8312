"""Placeholder: the browser import of a vendor evaluation file is being written."""

from django.http import Http404, HttpRequest, HttpResponse


def evaluations_import(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404
