"""Being written: the vendor selection of a package."""

from django.http import Http404, HttpRequest, HttpResponse


def _todo(request: HttpRequest, **kwargs: int) -> HttpResponse:
    raise Http404


assessment_overhead = package_vendors = package_invite = bid_quote = bid_remove = bid_score = _todo
