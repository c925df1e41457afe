"""Fixed-window rate limits on public submissions (per IP for the form, per key for Open311),
with the standard headers: RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, and
Retry-After when refused. Counts are kept in Django's cache."""

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

# The client's address behind PROXY_COUNT proxies (else every resident behind the load balancer
# would share the load balancer's allowance).
from partnering.core.middleware import client_ip

LIMITS = {  # scope -> (requests, per seconds); settings.FRONTDOOR_RATE_LIMITS overrides
    "form": (10, 60),
    "open311": (600, 1),
}


def check(
    request: HttpRequest, *, scope: str, key: str | None = None
) -> tuple[bool, dict[str, str]]:
    """(allowed, headers) for one more submission in ``scope`` by ``key`` (default: the IP)."""
    limit, window = getattr(settings, "FRONTDOOR_RATE_LIMITS", {}).get(scope, LIMITS[scope])
    now = time.time()
    bucket = int(now // window)
    name = f"frontdoor:rl:{scope}:{key or client_ip(request)}:{bucket}"
    cache.add(name, 0, timeout=window + 1)
    try:
        count = cache.incr(name)
    except ValueError:
        cache.set(name, 1, timeout=window + 1)
        count = 1
    reset = max(1, int((bucket + 1) * window - now + 0.999))
    headers = {
        "RateLimit-Limit": str(limit),
        "RateLimit-Remaining": str(max(0, limit - count)),
        "RateLimit-Reset": str(reset),
    }
    if count > limit:
        headers["Retry-After"] = str(reset)
        return False, headers
    return True, headers
