from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from outsourcing_advisor.accounts.models import Profile
from outsourcing_advisor.common.wording import language_codes


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the UI language: kept on the user's profile, and in a cookie before sign-in."""
    language = request.POST.get("language", "")
    response = redirect(_back_to(request.POST.get("next", "")))
    if language not in language_codes():
        return response
    if request.user.is_authenticated:
        Profile.objects.update_or_create(user=request.user, defaults={"language": language})
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        samesite="Lax",
        max_age=365 * 24 * 3600,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=True,
    )
    return response


def _back_to(next_url: str) -> str:
    """Back to the page the switch was on: a path of this site only. Not a full URL, even of
    this host: http://this-host/ from an HTTPS page would leave HTTPS."""
    if next_url.startswith("/") and url_has_allowed_host_and_scheme(next_url, allowed_hosts=set()):
        return next_url
    return "/"
