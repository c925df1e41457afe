"""Guards every room's API gets from ``config/api.py``: what pydantic lets through by default.

- ``StrictJsonParser``: the literals ``NaN``/``Infinity`` are refused (Python's ``json``
  accepts them), and so is an unpaired surrogate anywhere in the body (``"\ud800"``: valid
  JSON, but no text UTF-8 or the database can carry), a 400 like a null byte's
  (``core.middleware``). A bare string or array where an object is expected is pydantic's 422.
- ``finite_numbers_only``: after validation, any float or Decimal that is NaN, sNaN or
  infinite (``"NaN"`` as a string passes pydantic's float) is a 422 naming its field, and so
  is a whole number past 64 bits (pydantic's int has no bound; the database driver raised
  OverflowError, a 500), ``core.out_of_range``.
- ``install_error_handlers``: every error is JSON, 500 and 503 included; a lost race on a
  unique constraint is a 422; the OpenAPI document declares the errors each operation can give.
"""

import functools
import json
import logging
import math
from collections.abc import Callable
from decimal import Decimal
from typing import Any, cast

from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.openapi.docs import Swagger
from ninja.parser import Parser
from pydantic import BaseModel

from .errors import DomainError
from .middleware import CONFLICT_MESSAGE, is_outage, unavailable_response

logger = logging.getLogger(__name__)

NOT_FINITE = "Enter a number (not NaN or infinity)"
# SQLite's INTEGER and PostgreSQL's bigint: a larger whole number fails in the database driver.
INT_MIN, INT_MAX = -(2**63), 2**63 - 1
OUT_OF_RANGE = f"Enter a whole number from {INT_MIN:,} to {INT_MAX:,}"


class NotFiniteError(ValueError):
    pass


def _refuse_constant(name: str) -> Any:
    raise NotFiniteError(name)


SURROGATE_MESSAGE = (
    "The body has an unpaired surrogate (\\ud800 to \\udfff), which is no character: "
    "send the text as UTF-8, or each surrogate with its pair."
)


class UnpairedSurrogateError(ValueError):
    pass


class StrictJsonParser(Parser):
    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = json.loads(request.body, parse_constant=_refuse_constant)
        try:  # a key or value anywhere, read or not by the operation
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise UnpairedSurrogateError(SURROGATE_MESSAGE) from None
        return cast(dict[str, Any], data)


def _unstorable(value: Any, path: tuple[str, ...]) -> tuple[tuple[str, ...], str, str] | None:
    """The path, code and message of the first number inside ``value`` no column can store: a
    NaN or infinite float or Decimal, or a whole number past 64 bits; or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return None if INT_MIN <= value <= INT_MAX else (path, "core.out_of_range", OUT_OF_RANGE)
    if isinstance(value, float | Decimal):
        finite = math.isfinite(value) if isinstance(value, float) else value.is_finite()
        return None if finite else (path, "core.not_finite", NOT_FINITE)
    if isinstance(value, BaseModel):
        items: Any = ((name, getattr(value, name, None)) for name in type(value).model_fields)
    elif isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list | tuple | set):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        found = _unstorable(item, (*path, str(key)))
        if found is not None:
            return found
    return None


def finite_numbers_only(view: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        for name, value in kwargs.items():
            found = _unstorable(value, ())
            if found is not None:
                path, code, message = found
                field = ".".join(path) or name
                raise DomainError(code, f"{field}: {message}", field)
        return view(request, *args, **kwargs)

    return wrapper


ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "detail": {"type": "string", "description": "For people; may be reworded"},
        "code": {"type": "string", "description": "Stable, for programs"},
        "field": {"type": "string", "nullable": True, "description": "The input at fault"},
    },
    "required": ["detail"],
}
ERROR_RESPONSES = {
    "400": "The request cannot be read (a null byte, or a body that is not JSON)",
    "401": "No valid API key (or signed-in session) was sent",
    "403": "Signed in, but your role may not do this to this object",
    "404": "No such object (in the path, or named in the body), or one you may not see",
    "422": "A bad parameter or body, or a rule of the domain is broken; nothing was saved",
    "429": "Too many requests for this API key (or address): wait Retry-After seconds",
    "503": "The database cannot be reached; try again after Retry-After seconds",
}


def declare_error_responses(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the error responses each operation can give to an OpenAPI document."""
    schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            # ninja keys an operation's own responses by int: one key per code, as text, so a
            # room's own 422 and ours do not become two "422" keys in the JSON document.
            operation["responses"] = {str(k): v for k, v in operation["responses"].items()}
            # A bad key is a 401 even where none is needed; a list may be for some roles only
            # (403); every operation is rate-limited (429).
            codes = {"400", "401", "403", "422", "429", "503"}
            if "{" in path or method != "get":
                # An object in the path, or one a write names in its body, may not exist.
                codes.add("404")
            for code in sorted(codes):
                operation["responses"].setdefault(
                    code,
                    {
                        "description": ERROR_RESPONSES[code],
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                        },
                    },
                )
    return schema


class ServiceSwagger(Swagger):
    """Swagger UI with a way back to the service (and a language, a header and a main)."""

    template = "core/swagger.html"


class HardenedNinjaAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        return declare_error_responses(cast(dict[str, Any], schema))


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        cause = exc.__cause__
        if isinstance(cause, NotFiniteError):
            body = {"detail": NOT_FINITE, "code": "core.not_finite", "field": None}
            return api.create_response(request, body, status=422)
        if isinstance(cause, UnpairedSurrogateError):
            body = {"detail": SURROGATE_MESSAGE, "code": "core.unpaired_surrogate", "field": None}
            return api.create_response(request, body, status=400)
        detail = exc.message if exc.status_code != 400 else "The body is not valid JSON"
        return api.create_response(request, {"detail": detail}, status=exc.status_code)

    @api.exception_handler(IntegrityError)
    def lost_race(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
        logger.warning("Lost a race on %s: %s", request.path, exc)
        body = {"detail": CONFLICT_MESSAGE, "code": "core.conflict", "field": None}
        return api.create_response(request, body, status=422)

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        if is_outage(exc):
            return unavailable_response(request)
        logger.exception("API error on %s %s", request.method, request.path, exc_info=exc)
        body = {
            "detail": "Sorry, there is a problem with the service. Nothing was saved.",
            "code": "core.server_error",
        }
        return api.create_response(request, body, status=500)
