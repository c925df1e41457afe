"""The JSON API: one NinjaAPI, one router per room, errors as JSON with a clear message."""

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja.errors import AuthenticationError, ValidationError

from partnering.core.api_guards import (
    HardenedNinjaAPI,
    ServiceSwagger,
    StrictJsonParser,
    finite_numbers_only,
    install_error_handlers,
)
from partnering.core.errors import DomainError
from partnering.core.rooms import api_mounts

api = HardenedNinjaAPI(
    title="Strategic Partnering Platform API",
    version="1",
    description=(
        "Read the organisations registry and partnerships; integrators write with a personal API "
        "key (`Authorization: Bearer sp_…`, created on your account page). Errors are JSON: "
        '`{"detail": "…"}`; bad parameters are 422.'
    ),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    parser=StrictJsonParser(),
    docs=ServiceSwagger(),
)
api.add_decorator(finite_numbers_only)
install_error_handlers(api)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, exc.as_dict(), status=422)


@api.exception_handler(DjangoValidationError)
def model_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    detail = "; ".join(
        f"{k}: {' '.join(v)}" if k != "__all__" else " ".join(v) for k, v in errors.items()
    )
    field = next((k for k in errors if k != "__all__"), None)
    body = {"detail": detail, "code": "core.invalid", "field": field, "errors": errors}
    return api.create_response(request, body, status=422)


@api.exception_handler(ValidationError)
def request_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    messages, fields = [], []
    for error in exc.errors:
        where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("query", "body", "path"))
        messages.append(f"{where}: {error.get('msg')}" if where else str(error.get("msg")))
        fields.append(where)
    # The same keys as a DomainError's 422 (code, field), so one error schema fits every 422.
    body = {"detail": "; ".join(messages) or "Invalid request", "code": "core.invalid_request",
            "field": next((f for f in fields if f), None), "errors": exc.errors}  # fmt: skip
    return api.create_response(request, body, status=422)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(
        request, {"detail": str(exc) or "You do not have permission to do that."}, status=403
    )


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    message = (
        str(exc.message)
        if getattr(exc, "message", None)
        else "Authentication required: send an API key."
    )
    return api.create_response(request, {"detail": message}, status=401)


@api.exception_handler(Http404)
@api.exception_handler(ObjectDoesNotExist)
def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "Not found"}, status=404)


# Each room's router, at the prefix its AppConfig declares (core.rooms.RoomConfig).
for prefix, router in api_mounts():
    api.add_router(prefix, router)
