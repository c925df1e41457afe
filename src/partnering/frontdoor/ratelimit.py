"""Fixed-window rate limits on public submissions: per address on the report form, per
integrator key on Open311 ``POST requests`` (a key may carry its own allowance,
``Open311Key.requests_per_minute``, for a council's back-office integration), with core's
standard headers (``RateLimit-Policy``, ``RateLimit``, ``RateLimit-Limit``, ``-Remaining``,
``-Reset``, and ``Retry-After`` when refused).

Each window's count is one row of ``RateCount``, bumped by one atomic upsert (``INSERT … ON
CONFLICT DO UPDATE … RETURNING``): exact under concurrency, shared by every app server, one round
trip, and outside the request's own transaction. Django's database cache (the production cache)
would take eight statements and a committed write per count, and its ``incr`` (a read then a
write) loses counts under concurrency. On PostgreSQL the table is UNLOGGED (migration 0002): a
count is not worth a WAL flush, and a crash forgetting a minute's counts is harmless. Windows
that have ended are deleted when a new window starts. The address is stored hashed.
"""

from __future__ import annotations

import hashlib
import logging
import time

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest

from partnering.core.middleware import client_ip  # the client behind PROXY_COUNT proxies
from partnering.core.ratelimit import Usage

from .models import RateCount

logger = logging.getLogger(__name__)

LIMITS = {  # scope -> (requests, per seconds); settings.FRONTDOOR_RATE_LIMITS overrides
    "form": (10, 60),
    "open311": (600, 60),  # an ordinary integrator key: the platform API's allowance per key
}
_TABLE = connection.ops.quote_name(RateCount._meta.db_table)
_BUMP = (
    f"INSERT INTO {_TABLE} (name, count, expires) VALUES (%s, 1, %s) "  # noqa: S608 - our table
    f"ON CONFLICT (name) DO UPDATE SET count = {_TABLE}.count + 1 RETURNING count"
)
_SWEEP = f"DELETE FROM {_TABLE} WHERE expires <= %s"  # noqa: S608


def limit_for(scope: str) -> tuple[int, int]:
    limit, window = getattr(settings, "FRONTDOOR_RATE_LIMITS", {}).get(scope, LIMITS[scope])
    return int(limit), int(window)


def _bump(name: str, expires: int, now: float) -> int | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute(_BUMP, [name, expires])
            count = int(cursor.fetchone()[0])
            if count == 1:  # a new window: forget the ones that have ended
                cursor.execute(_SWEEP, [int(now)])
    except DatabaseError:
        if connection.in_atomic_block:
            raise
        logger.warning("Front door rate limit not counted: the database failed", exc_info=True)
        return None
    return count


def check(
    request: HttpRequest,
    *,
    scope: str,
    key: str | None = None,
    allowance: tuple[int, int] | None = None,
    now: float | None = None,
) -> tuple[bool, dict[str, str]]:
    """(allowed, headers) for one more submission in ``scope`` by ``key`` (default: the
    client's address); ``allowance`` (requests, window seconds) instead of the scope's."""
    limit, window = allowance or limit_for(scope)
    now = time.time() if now is None else now
    bucket = int(now // window)
    who = hashlib.sha256((key or f"ip:{client_ip(request)}").encode()).hexdigest()[:32]
    count = _bump(f"{scope}:{window}:{who}:{bucket}", (bucket + 1) * window, now)
    if count is None:  # a broken limiter never stops the service
        return True, {}
    reset = max(1, int((bucket + 1) * window - now + 0.999))
    usage = Usage(policy=f"frontdoor_{scope}", limit=limit, window=window, count=count, reset=reset)
    return usage.allowed, usage.headers()
