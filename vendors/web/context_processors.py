"""`can_see_vendors` for the navbar: whether the signed-in user may open the vendor registry."""

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from vendors.web.access import can_see_registry


def registry(request: HttpRequest) -> dict[str, Any]:
    """Lazy: the one query runs only when a template asks, and never for an anonymous visitor."""
    user = getattr(request, "user", None)
    return {
        "can_see_vendors": SimpleLazyObject(lambda: user is not None and can_see_registry(user))
    }
