"""API authentication: a per-user key as a bearer token, or the browser session.

Public endpoints use ``optional_auth``: no credentials means the public role, a bad key is a 401.
Write endpoints use ``required_auth``.
"""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import APIKeyHeader, HttpBearer, SessionAuth

from .models import ApiKey


class ApiKeyBearer(HttpBearer):
    openapi_description = "A personal API key from your account page: `Authorization: Bearer sp_…`"

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        key = ApiKey.lookup(token)
        if key is None or not key.is_active or not key.user.is_active:
            raise AuthenticationError(message="The API key is not valid or has been revoked.")
        key.mark_used()
        request.user = key.user
        return key.user


class Anonymous(APIKeyHeader):
    """Lets a request through as the public when it carries no credentials at all."""

    param_name = "X-Anonymous"
    openapi_description = "No credentials: the public role"

    def __call__(self, request: HttpRequest) -> Any:
        if request.headers.get("Authorization"):
            return None
        return request.user if request.user.is_authenticated else AnonymousUser()

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:  # pragma: no cover
        return None


class SignedInSession(SessionAuth):
    """The browser session, with Django's CSRF check for a signed-in person's writes.

    Without a signed-in session there is nothing to forge, so no CSRF check: the write falls
    through to a 401 "Unauthorized" (as docs/api.md says) instead of a 403 "CSRF check Failed"."""

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)


optional_auth = [ApiKeyBearer(), Anonymous()]
required_auth = [ApiKeyBearer(), SignedInSession()]


def api_user(request: HttpRequest) -> Any:
    """The user an API request acts as (anonymous for the public)."""
    auth = getattr(request, "auth", None)
    return auth if auth is not None else request.user
