"""Per-client-IP limits on the public forms, counted in Django's cache.

Fixed windows: the counter for (scope, ip, window number) is created with the window as its
lifetime and incremented atomically (`add` + `incr` are atomic in LocMem and in Redis), so the
limit holds across processes whenever the cache is shared (Redis in production).

The client IP is REMOTE_ADDR. Only when REMOTE_ADDR is one of GONGKAI_TRUSTED_PROXIES is
X-Forwarded-For consulted, and then from the right: the first address not itself a trusted
proxy is the client (anything further left was written by the client and proves nothing).

Settings:
    GONGKAI_RATE_LIMITS      {"apply": (5, 3600), "track": (20, 600)}: (count, seconds) per scope
    GONGKAI_TRUSTED_PROXIES  ["127.0.0.1", "10.0.0.0/8"]: addresses or networks of reverse proxies
"""

from __future__ import annotations

import ipaddress
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

log = logging.getLogger(__name__)

DEFAULT_LIMITS = {"apply": (5, 3600), "track": (20, 600)}


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int


def limit_for(scope: str) -> Limit:
    limits = {**DEFAULT_LIMITS, **getattr(settings, "GONGKAI_RATE_LIMITS", {})}
    count, seconds = limits[scope]
    return Limit(int(count), int(seconds))


def _networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    out = []
    for entry in getattr(settings, "GONGKAI_TRUSTED_PROXIES", ()):
        try:
            out.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            log.warning("GONGKAI_TRUSTED_PROXIES: ignoring %r (not an address or network)", entry)
    return out


def _address(text: str):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_ip(request) -> str:
    """The address the limits apply to (see the module docstring for the proxy rule)."""
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    trusted = _networks()
    here = _address(remote)
    if not trusted or here is None or not any(here in n for n in trusted):
        return remote
    hops = [h for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    for hop in reversed(hops):
        addr = _address(hop)
        if addr is None:
            break  # garbage in the header: stop trusting it here
        if not any(addr in n for n in trusted):
            return str(addr)
    return remote


def _key(scope: str, ip: str, limit: Limit) -> str:
    window = int(time.time()) // limit.seconds
    return f"gongkai:rl:{scope}:{ip}:{window}"


def _used(scope: str, ip: str, limit: Limit) -> int:
    return int(cache.get(_key(scope, ip, limit), 0))


def exceeded(request, scope: str) -> bool:
    """True when this client has already used up `scope` in the current window."""
    limit = limit_for(scope)
    return _used(scope, client_ip(request), limit) >= limit.count


def hit(request, scope: str) -> int:
    """Count one use of `scope` by this client; returns the count in this window."""
    limit = limit_for(scope)
    key = _key(scope, client_ip(request), limit)
    cache.add(key, 0, timeout=limit.seconds + 1)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=limit.seconds + 1)
        return 1


def retry_after(scope: str) -> int:
    """Seconds until the current window ends."""
    limit = limit_for(scope)
    return limit.seconds - int(time.time()) % limit.seconds
