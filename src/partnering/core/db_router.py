"""Read replicas: the read-only public pages and API reads go to a PostgreSQL replica, every
write and everything else to the primary (docs/operations.md, "PostgreSQL primary with read
replicas").

On only when ``DATABASE_REPLICA_URL`` is set: the settings then add a ``replica`` alias and
``ReplicaRouter``. ``ReplicaReadMiddleware`` (last in ``MIDDLEWARE``) decides, per request, whether
its reads may go to the replica and keeps that in a context variable the router reads:

- only GET, HEAD and OPTIONS, and only for a page seen without signing in or an API read (a
  signed-in person's pages show unpublished work and the forms they are about to change, so
  they read the primary: a form must never be filled from a lagging copy);
- never inside a transaction (``atomic``), never once the request has written anything (the
  router's ``db_for_write`` was asked), never for the tables sign-in and the limits depend on
  (sessions, users and API keys, django-axes, the cache that counts rate limits, the task queue);
- never for a client that wrote in the last ``REPLICA_PIN_SECONDS`` (read-your-writes): every
  write request answers with a short-lived ``replica_pin`` cookie holding the time until which
  that browser reads the primary, and an API key that wrote is pinned the same way in the shared
  cache (integrators rarely keep cookies). This is the pattern of Rails' ``DatabaseSelector``
  (the time of the last write, then a fixed delay before reads may use a replica again), kept in
  a cookie rather than the session so an anonymous resident who just sent a report sees it, and
  so pinning writes nothing to the database.

Writes always go to the primary (``db_for_write``), and migrations run only there. A GET that
reads a row and then writes from what it read does both inside ``transaction.atomic()``, so the
read is the primary's.
"""

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connections, router
from django.http import HttpRequest, HttpResponse

from .middleware import UNSAFE_METHODS, is_api
from .ratelimit import bearer_token_id

logger = logging.getLogger(__name__)

PRIMARY = "default"
REPLICA = "replica"
PIN_COOKIE = "replica_pin"
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# What sign-in, lock-out, rate limits and the task queue read: a lagging copy of these would
# sign a person out, miss a lock-out or under-count (app labels; the cache's is Django's own).
PRIMARY_ONLY_APPS = frozenset({"sessions", "auth", "axes", "django_cache", "django_tasks_db"})
PRIMARY_ONLY_MODELS = frozenset({("core", "user"), ("core", "apikey"), ("core", "idempotencykey")})


@dataclass
class ReadScope:
    """One request's routing: may its reads use the replica, and has it written yet."""

    replica_allowed: bool
    wrote: bool = False


_scope: ContextVar[ReadScope | None] = ContextVar("partnering_read_scope", default=None)


@contextmanager
def read_scope(replica_allowed: bool) -> Iterator[ReadScope]:
    scope = ReadScope(replica_allowed)
    token = _scope.set(scope)
    try:
        yield scope
    finally:
        _scope.reset(token)


def replica_configured() -> bool:
    return REPLICA in connections.settings


def primary_only(model: Any) -> bool:
    meta = model._meta
    return meta.app_label in PRIMARY_ONLY_APPS or (meta.app_label, meta.model_name) in (
        PRIMARY_ONLY_MODELS
    )


class ReplicaRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str:
        scope = _scope.get()
        if (
            scope is None
            or not scope.replica_allowed
            or scope.wrote
            or primary_only(model)
            or connections[PRIMARY].in_atomic_block
            or not replica_configured()
        ):
            return PRIMARY
        return REPLICA

    def db_for_write(self, model: Any, **hints: Any) -> str:
        scope = _scope.get()
        if scope is not None and not primary_only(model):
            # From now on this request reads what it wrote. Bookkeeping on the primary-only
            # tables (an API key's last use, a session) does not count: those are read there.
            scope.wrote = True
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == PRIMARY


def router_active() -> bool:
    return any(isinstance(r, ReplicaRouter) for r in router.routers)


def _pin_key(request: HttpRequest) -> str | None:
    token = bearer_token_id(request.headers.get("Authorization", ""))
    return f"replica-pin:{token}" if token else None


def pinned(request: HttpRequest, now: float) -> bool:
    try:
        if float(request.COOKIES.get(PIN_COOKIE, "0")) > now:
            return True
    except ValueError:
        pass
    key = _pin_key(request)
    if key is None:
        return False
    try:
        return float(cache.get(key) or 0) > now
    except Exception:
        return True  # the cache failed: the primary is always right


def pin(request: HttpRequest, response: HttpResponse, now: float) -> None:
    seconds = int(settings.REPLICA_PIN_SECONDS)
    until = str(int(now) + seconds + 1)
    response.set_cookie(
        PIN_COOKIE,
        until,
        max_age=seconds,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    key = _pin_key(request)
    if key is not None:
        try:
            cache.set(key, until, timeout=seconds + 1)
        except Exception:
            logger.warning("Replica pin not kept: the cache failed", exc_info=True)


def replica_allowed(request: HttpRequest, now: float) -> bool:
    if request.method not in READ_METHODS or pinned(request, now):
        return False
    user = getattr(request, "user", None)
    return is_api(request) or not getattr(user, "is_authenticated", False)


class ReplicaReadMiddleware:
    """Last in ``MIDDLEWARE``: after authentication, around the view and its template."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not router_active():
            return self.get_response(request)
        now = time.time()
        with read_scope(replica_allowed(request, now)) as scope:
            response = self.get_response(request)
        if request.method in UNSAFE_METHODS or scope.wrote:
            pin(request, response, now)
        return response
