from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from outsourcing_advisor.common.wording import language_codes


class UserLanguageMiddleware:
    """Japanese unless the signed-in user chose otherwise (or, before sign-in, the language cookie).

    The browser's Accept-Language is deliberately ignored: the product is Japanese first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, settings.LANGUAGE_CODE)
        if request.user.is_authenticated:
            profile = getattr(request.user, "profile", None)
            if profile is not None:
                language = profile.language
        if language not in language_codes():
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
