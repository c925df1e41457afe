"""Rate limits for every room, counted in Django's cache (shared by every app server in
production: the database cache, ``config/settings/prod.py``).

``RateLimitMiddleware`` counts, in fixed windows:

- every API request (``/api/``), per API key (a hash of the bearer token: no database look-up),
  else per signed-in user, else per client address: ``api_key``, ``api_user``, ``api_anonymous``;
- every page write (POST, PUT, PATCH, DELETE outside ``/api/``; sign-in is django-axes' to
  limit): public submissions per client address (``public_write``), signed-in writes per user
  (``user_write``). Paths a room declares in ``RoomConfig.self_limited_prefixes`` are left to
  the room (the front door's Open311 counts per integrator key, with each key's allowance).

Every API response, and every counted page write, carries the IETF RateLimit headers in both the
current draft's form (``RateLimit-Policy: "api_key";q=600;w=60`` and ``RateLimit:
"api_key";r=599;t=42``) and the earlier, widely read ``RateLimit-Limit``, ``RateLimit-Remaining``
and ``RateLimit-Reset`` (seconds). Over the limit the answer is 429 with ``Retry-After``: JSON
for the API, a GOV.UK page otherwise. Nothing runs: the view is not called, nothing is saved.

A cache that fails (the cache table missing, Redis down) lets the request through with a
warning in the log: a broken limiter must never stop the service.

Limits are ``(requests, window seconds)`` in ``settings.RATE_LIMITS``; a room with a tighter
limit of its own (the front door's report form) keeps it as well, and its headers win.
"""

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse

from .middleware import UNSAFE_METHODS, client_ip, is_api
from .rooms import self_limited_prefixes

logger = logging.getLogger(__name__)

DEFAULT_LIMITS: dict[str, tuple[int, int]] = {
    "api_key": (600, 60),
    "api_user": (600, 60),
    "api_anonymous": (300, 60),
    "public_write": (30, 600),
    "user_write": (120, 60),
}
RATE_LIMITED_CODE = "core.rate_limited"


@dataclass(frozen=True)
class Usage:
    policy: str
    limit: int
    window: int
    count: int
    reset: int  # seconds until the window ends

    @property
    def allowed(self) -> bool:
        return self.count <= self.limit

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.count)

    def headers(self) -> dict[str, str]:
        headers = {
            "RateLimit-Policy": f'"{self.policy}";q={self.limit};w={self.window}',
            "RateLimit": f'"{self.policy}";r={self.remaining};t={self.reset}',
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(self.remaining),
            "RateLimit-Reset": str(self.reset),
        }
        if not self.allowed:
            headers["Retry-After"] = str(self.reset)
        return headers


def limit_for(policy: str) -> tuple[int, int]:
    limits = getattr(settings, "RATE_LIMITS", {})
    limit, window = limits.get(policy, DEFAULT_LIMITS[policy])
    return int(limit), int(window)


def hit(policy: str, who: str, *, now: float | None = None) -> Usage | None:
    """Count one request by ``who`` under ``policy``; None when the cache cannot count."""
    limit, window = limit_for(policy)
    now = time.time() if now is None else now
    bucket = int(now // window)
    key = f"rl:{policy}:{who}:{bucket}"
    cache = caches[getattr(settings, "RATE_LIMIT_CACHE", "default")]
    try:
        cache.add(key, 0, timeout=window + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window + 1)
            count = 1
    except Exception:
        logger.warning("Rate limit not counted: the cache failed", exc_info=True)
        return None
    reset = max(1, int((bucket + 1) * window - now + 0.999))
    return Usage(policy=policy, limit=limit, window=window, count=count, reset=reset)


def bearer_token_id(header: str) -> str | None:
    """A bearer token's hash (no database look-up): who is counted, or pinned to the primary."""
    if not header.lower().startswith("bearer "):
        return None
    token = header[7:].strip()
    return hashlib.sha256(token.encode()).hexdigest()[:32] if token else None


def who_is_asking(request: HttpRequest) -> tuple[str, str] | None:
    """(policy, who) for this request, or None when it is not counted."""
    user = getattr(request, "user", None)
    signed_in = bool(getattr(user, "is_authenticated", False))
    if is_api(request):
        token = bearer_token_id(request.headers.get("Authorization", ""))
        if token:
            return "api_key", f"key:{token}"
        if signed_in:
            return "api_user", f"user:{user.pk}"  # type: ignore[union-attr]
        return "api_anonymous", f"ip:{client_ip(request)}"
    if request.method not in UNSAFE_METHODS or request.path_info == reverse(settings.LOGIN_URL):
        return None
    if request.path_info.startswith(self_limited_prefixes()):
        return None  # the room counts these itself (Open311: per integrator key)
    if signed_in:
        return "user_write", f"user:{user.pk}"  # type: ignore[union-attr]
    return "public_write", f"ip:{client_ip(request)}"


def too_many(request: HttpRequest, usage: Usage) -> HttpResponse:
    minutes = max(1, round(usage.reset / 60))
    wait = f"{minutes} minute{'s' if minutes != 1 else ''}"
    if is_api(request):
        response: HttpResponse = JsonResponse(
            {
                "detail": f"Too many requests: at most {usage.limit} in {usage.window} seconds. "
                f"Try again in {usage.reset} seconds.",
                "code": RATE_LIMITED_CODE,
                "field": None,
            },
            status=429,
        )
    else:
        response = render(request, "429.html", {"wait": wait}, status=429)
    return response


class RateLimitMiddleware:
    """After the authentication middleware (a session user is counted as that user)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        asking = who_is_asking(request)
        usage = hit(*asking) if asking else None
        if usage is not None and not usage.allowed:
            logger.info("Rate limited: %s %s (%s)", request.method, request.path, usage.policy)
            response = too_many(request, usage)
        else:
            response = self.get_response(request)
        # A room's own, tighter limit (the front door's report form) speaks for itself.
        if usage is not None and not any(h.startswith("RateLimit") for h in response.headers):
            for name, value in usage.headers().items():
                response[name] = value
        return response
