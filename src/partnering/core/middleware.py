"""Platform-wide request hardening, in one place for every room.

- ``NullByteMiddleware``: a null byte in the path, the query, form text or JSON is refused with
  400 before any view or database sees it (PostgreSQL cannot store one and would answer 500).
- ``RequestSizeMiddleware``: a body larger than its limit (by its Content-Length) is refused
  with 413 before anything reads it, on every route: ``MAX_REQUEST_BYTES`` for a multipart form
  (files), ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (2.5 MB) for anything else (JSON, plain forms).
- ``SecurityHeadersMiddleware``: ``Permissions-Policy`` on every response; ``Cache-Control:
  no-store`` on every response to a signed-in or key-authenticated request.
- ``SessionTimeoutMiddleware``: signs a person out after 30 minutes without activity and 12
  hours after signing in, whatever they do.
- ``ApiWriteMiddleware``: every API write runs in one transaction that is rolled back when the
  answer is an error (so a write that committed never answers 500); ``Idempotency-Key`` replays
  the first answer of a retried POST; a database outage is a 503 JSON with ``Retry-After``.
- ``PageMethodsMiddleware``: pages (everything but the API) answer GET, HEAD, OPTIONS and POST;
  PUT, PATCH and DELETE, which no form sends, are a 405 before any view sees them (a view that
  renders for anything but POST would otherwise answer them like a GET).
- ``IntegrityErrorMiddleware``: a page write that loses a race on a unique constraint shows a
  GOV.UK page (422) instead of a server error.
"""

import hashlib
import json
import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.db import DatabaseError, IntegrityError, InterfaceError, OperationalError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render, resolve_url

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
NULL_BYTE_MESSAGE = "The request contains a null byte (\\0), which cannot be stored. Remove it."
RETRY_AFTER_SECONDS = 30
UNAVAILABLE_MESSAGE = "The service cannot reach its database just now. Try again in a minute."
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}

GetResponse = Callable[[HttpRequest], HttpResponse]


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def refusal(request: HttpRequest, status: int, message: str, code: str) -> HttpResponse:
    """A request guard's refusal in the format its client reads: JSON for the API, a room's own
    format where it declares one (``RoomConfig.error_formats``), else a GOV.UK page."""
    from .rooms import error_formats

    if is_api(request):
        return JsonResponse({"detail": message, "code": code, "field": None}, status=status)
    for prefix, render_error in error_formats():
        if request.path_info.startswith(prefix):
            response: HttpResponse = render_error(request, status, message)
            return response
    return render(request, "400.html", {"message": message}, status=status)


def is_outage(exc: BaseException | None) -> bool:
    """A lost or refused database connection (not a broken query)."""
    return isinstance(exc, OperationalError | InterfaceError) and not isinstance(
        exc, IntegrityError
    )


def unavailable_response(request: HttpRequest) -> HttpResponse:
    if is_api(request):
        response: HttpResponse = JsonResponse(
            {"detail": UNAVAILABLE_MESSAGE, "code": "core.database_unavailable"}, status=503
        )
    else:
        response = render(request, "503.html", status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


# --- request size -------------------------------------------------------------------------


def body_limit(request: HttpRequest) -> int:
    """Files may come only in a multipart form; any other body is read into memory whole."""
    if (request.content_type or "") == "multipart/form-data":
        return int(settings.MAX_REQUEST_BYTES)
    return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE or settings.MAX_REQUEST_BYTES)


def too_large_message(limit: int) -> str:
    return f"What you sent is too large: at most {limit / (1024 * 1024):.3g} MB in one go."


class RequestSizeMiddleware:
    """Before anything reads the body (the null-byte check does)."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = body_limit(request)
        if length > limit:
            return refusal(request, 413, too_large_message(limit), "core.too_large")
        return self.get_response(request)


# --- null bytes ---------------------------------------------------------------------------


def _contains_null(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_contains_null(k) or _contains_null(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_contains_null(v) for v in value)
    return False


def request_has_null_byte(request: HttpRequest) -> bool:
    if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
        return True
    if any(_contains_null(k) or _contains_null(request.GET.getlist(k)) for k in request.GET):
        return True
    if request.method not in UNSAFE_METHODS:
        return False
    content_type = request.content_type or ""
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return any(
            _contains_null(k) or _contains_null(request.POST.getlist(k)) for k in request.POST
        )
    if content_type.endswith("json") or not content_type or content_type == "text/plain":
        body = request.body
        if b"\x00" in body:
            return True
        if b"\\u0000" in body:
            try:
                return _contains_null(json.loads(body))
            except ValueError:
                return False  # not JSON: the view reports the parse error
    return False


class NullByteMiddleware:
    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request_has_null_byte(request):
            return refusal(request, 400, NULL_BYTE_MESSAGE, "core.null_byte")
        return self.get_response(request)


class PageMethodsMiddleware:
    PAGE_METHODS = ("GET", "HEAD", "OPTIONS", "POST")

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_api(request) or request.method in self.PAGE_METHODS:
            return self.get_response(request)
        message = f"Pages take GET and POST, not {str(request.method)[:10]}. Nothing was saved."
        response = refusal(request, 405, message, "core.method_not_allowed")
        response["Allow"] = ", ".join(self.PAGE_METHODS)
        return response


# --- headers ------------------------------------------------------------------------------

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
        "interest-cohort",
    )
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        downloaded = "attachment" in response.get("Content-Disposition", "")
        if (
            downloaded
            or request.headers.get("Authorization")
            or getattr(user, "is_authenticated", False)
        ):
            # Nothing a signed-in person or an integrator sees may stay in a shared cache, nor
            # a downloaded file (a CSV or XLSX says what it holds as of the moment it was made).
            response["Cache-Control"] = "no-store"
        return response


def client_ip(request: HttpRequest) -> str:
    """The client's address for the sign-in lock-out: behind ``PROXY_COUNT`` proxies, the address
    the outermost of them saw (the right-most ones in X-Forwarded-For are the proxies' own)."""
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [a for a in forwarded if a]
    if settings.PROXY_COUNT and len(forwarded) >= settings.PROXY_COUNT:
        return forwarded[-settings.PROXY_COUNT]
    return str(request.META.get("REMOTE_ADDR", ""))


# --- sessions -----------------------------------------------------------------------------

SIGNED_IN_AT = "core.signed_in_at"
LAST_SEEN = "core.last_seen"


def session_started(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """``user_logged_in`` receiver: the clock of the 12-hour limit starts now."""
    now = int(time.time())
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN] = now


class SessionTimeoutMiddleware:
    """After AuthenticationMiddleware and MessageMiddleware."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            signed_in_at = request.session.get(SIGNED_IN_AT, now)
            last_seen = request.session.get(LAST_SEEN, now)
            idle = settings.SESSION_IDLE_TIMEOUT_SECONDS
            if now - last_seen > idle or now - signed_in_at > settings.SESSION_COOKIE_AGE:
                reason = (
                    f"after {idle // 60} minutes without activity"
                    if now - last_seen > idle
                    else f"{settings.SESSION_COOKIE_AGE // 3600} hours after you signed in"
                )
                logout(request)
                if not is_api(request):
                    messages.info(request, f"You were signed out {reason}. Sign in again.")
                    if request.method == "GET":
                        return redirect(f"{resolve_url(settings.LOGIN_URL)}?next={request.path}")
            else:
                request.session.setdefault(SIGNED_IN_AT, signed_in_at)
                if now - last_seen >= 60 or LAST_SEEN not in request.session:
                    request.session[LAST_SEEN] = now
        return self.get_response(request)


# --- API writes ---------------------------------------------------------------------------


def _api_user(request: HttpRequest) -> Any:
    """Who an API write acts as, before the API authenticates it (for the idempotency key)."""
    from .models import ApiKey

    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        key = ApiKey.lookup(header[7:].strip())
        if key is None or not key.is_active or not key.user.is_active:
            return None
        return key.user
    return request.user if request.user.is_authenticated else None


def _fingerprint(request: HttpRequest) -> str:
    return hashlib.sha256(
        request.method.encode() + request.path.encode() + request.body
    ).hexdigest()


class ApiWriteMiddleware:
    """After the authentication middleware (the key belongs to a user)."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_api(request):
            return self.get_response(request)
        try:
            if request.method not in UNSAFE_METHODS:
                return self.get_response(request)
            return self._write(request)
        except DatabaseError as error:
            if not is_outage(error):
                raise
            logger.warning(
                "Database unavailable for %s %s: %s", request.method, request.path, error
            )
            return unavailable_response(request)

    def _write(self, request: HttpRequest) -> HttpResponse:
        from .models import IdempotencyKey

        key = request.headers.get("Idempotency-Key", "").strip()
        if len(key) > IdempotencyKey.KEY_LENGTH:
            return JsonResponse(
                {
                    "detail": f"The Idempotency-Key header must be at most {IdempotencyKey.KEY_LENGTH} characters",
                    "code": "core.idempotency_key_too_long",
                    "field": "Idempotency-Key",
                },
                status=422,
            )
        with transaction.atomic():
            record = None
            user = _api_user(request) if key and request.method == "POST" else None
            if user is not None:
                fingerprint = _fingerprint(request)
                try:
                    # On PostgreSQL a concurrent retry waits here until the first one commits
                    # (the unique index), then finds its answer.
                    with transaction.atomic():
                        record = IdempotencyKey.objects.create(
                            user=user, key=key, fingerprint=fingerprint
                        )
                except IntegrityError:
                    return IdempotencyKey.objects.get(user=user, key=key).replay(fingerprint)
            response = self.get_response(request)
            if response.status_code >= 400:
                transaction.set_rollback(True)  # nothing saved, the key forgotten
            elif record is not None:
                record.store(response)
        return response


# --- races on pages -----------------------------------------------------------------------


class IntegrityErrorMiddleware:
    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, IntegrityError):
            logger.warning("Lost a race on %s: %s", request.path, exception)
            if is_api(request):
                return JsonResponse(
                    {"detail": CONFLICT_MESSAGE, "code": "core.conflict", "field": None},
                    status=422,
                )
            return render(request, "409.html", {"message": CONFLICT_MESSAGE}, status=422)
        if is_outage(exception):
            return unavailable_response(request)
        return None


CONFLICT_MESSAGE = (
    "Someone else saved the same thing at the same moment, so nothing was saved. "
    "Check what is there now and try again."
)
