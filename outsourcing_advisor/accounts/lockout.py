"""Sign-in brute-force protection with django-axes (settings: AXES_*, README "Running in
production"): failures are counted per username and client address together, and per address
over every username (LOGIN_FAILURE_LIMIT_PER_ADDRESS, higher: an office behind one address has
many people who mistype)."""

from __future__ import annotations

from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
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


class AddressLimitHandler(AxesDatabaseHandler):
    """Axes' database handler, whose count of failures also reaches the limit when one address
    has failed LOGIN_FAILURE_LIMIT_PER_ADDRESS times over all usernames (trying one password on
    many accounts). Axes compares one count with one limit, so the address's failures are
    scaled to it: the per-address limit counts as the per-user one."""

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        per_user = super().get_failures(request, credentials)
        address = getattr(request, "axes_ip_address", None)
        if not address:
            return per_user
        attempts = AccessAttempt.objects.filter(ip_address=address)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
        scaled = failures * settings.AXES_FAILURE_LIMIT // settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS
        return max(per_user, scaled)


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
