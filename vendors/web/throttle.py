"""How often one address may knock on the vendors' door (/v/, SPEC 4.6) and, counted apart, on the
join page of an invitation (/join/, issue 18): REQUESTS_PER_MINUTE requests a minute to the
door's pages, and MISSES lookups of a token that finds no working link or invitation in
MISS_SECONDS (someone guessing or scanning). An address over either limit gets a plain 429
until its window ends. A token is 256 bits: guessing is hopeless anyway; the limits keep a
scanner from costing the database a query per try and from filling the logs.

Counted in fixed windows in Django's cache, by the address `accounts.lockout.client_ip` reads
(the proxy's, only when TRUST_PROXY_HEADERS says so). Without settings.CACHES the cache is
Django's default, one per process: with several server processes each counts its own requests,
so the limits are that many times looser; a shared cache (settings.CACHES) makes them exact."""

from __future__ import annotations

import time

from django.core.cache import cache
from django.http import HttpRequest

from outsourcing_advisor.accounts.lockout import client_ip

REQUESTS_PER_MINUTE = 60
MISSES = 10
MISS_SECONDS = 600
PORTAL = "vendor-portal"


def _key(kind: str, request: HttpRequest, window: int, door: str) -> str:
    address = client_ip(request) or "unknown"
    return f"{door}:{kind}:{address}:{int(time.time() // window)}"


def _count(key: str, window: int) -> int:
    """One more in the window's counter: its count now."""
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1


def limited(request: HttpRequest, door: str = PORTAL) -> int:
    """Counts the request: the seconds the address is to wait when it is over a limit, else 0.
    Each door (the vendors' pages, the join page of an invitation) counts apart."""
    if (cache.get(_key("misses", request, MISS_SECONDS, door)) or 0) >= MISSES:
        return MISS_SECONDS - int(time.time() % MISS_SECONDS)
    if _count(_key("requests", request, 60, door), 60) > REQUESTS_PER_MINUTE:
        return 60 - int(time.time() % 60)
    return 0


def missed(request: HttpRequest, door: str = PORTAL) -> None:
    """A token that found no working link (unknown, expired, revoked or malformed)."""
    _count(_key("misses", request, MISS_SECONDS, door), MISS_SECONDS)
