"""Sign-in brute-force protection with django-axes (settings: AXES_*, README "Running in
production"): failures are counted per username and client address together."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class LockoutBackend(AxesStandaloneBackend):
    """Refuses a locked-out username and address before any password is checked; signs nobody in
    itself (ModelBackend, next in AUTHENTICATION_BACKENDS, does).

    A sign-in over HTTP always comes with its request (the login page and the admin's pass it).
    authenticate() without one is not such an attempt and has no address to count against: the
    test client's login() and code run outside a request. Axes would raise for it; it is left to
    the next backend instead."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or behind our reverse proxy (TRUST_PROXY_HEADERS=true)
    the last X-Forwarded-For entry, the one the proxy itself appended. Earlier entries come from
    the client and could be anything."""
    if settings.TRUST_PROXY_HEADERS:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR")


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """The page a locked-out sign-in gets instead of the login form: 429, with how long the
    lock lasts (None: until an administrator lifts it)."""
    cool_off = settings.AXES_COOLOFF_TIME
    minutes = round(cool_off.total_seconds() / 60) if cool_off else None
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "lockout_minutes": minutes}
    return render(request, "registration/locked_out.html", context, status=429)
