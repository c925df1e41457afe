"""Open311 GeoReport v2 at /open311/v2/ (shared/standards/open311/GeoReport_v2.md, field by field).

Every resource in XML and JSON (``.xml`` / ``.json``); errors in the spec's format (an array of
``{code, description}``, XML ``<errors><error>``) with 404 for unknown resources, 403 for a
missing or invalid api_key, 400 otherwise, 429 over the rate limit. Jurisdictions: one per
council (its slug) and one per joined-up partnership (its slug); ``jurisdiction_id`` is optional.
Public responses carry no personal data (no email, names or phone).
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db.models import CharField, F, Func
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt

from partnering.core.errors import DomainError
from partnering.organisations.models import Organisation
from partnering.partnerships.models import Partnership

from . import reference, selectors
from .maths.attributes import REPORTABLE, Reportable
from .models import CLOSED_STATUSES, OPEN_STATUSES, Open311Key, ServiceRequest, Source
from .ratelimit import check as rate_check
from .services import RequestSpec, request_create

SPEC = "http://wiki.open311.org/GeoReport_v2"
MAX_RESULTS = 1000
MAX_DAYS = 90
PLURALS = {
    "services": "service",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "service_requests": "request",
    "errors": "error",
}
CONTENT_TYPES = {"xml": "text/xml; charset=utf-8", "json": "application/json"}


class Open311Error(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


# Rendering ------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


#: What XML 1.0 cannot carry, not even as a character reference: control characters other than
#: tab and newlines, unpaired surrogates, U+FFFE and U+FFFF.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _escape(text: str) -> str:
    """Character data as ElementTree escapes it (``&``, ``<``, ``>``), and what XML cannot
    carry (a control character a resident or a client sent) as U+FFFD, so the document stays
    well-formed."""
    if NOT_XML.search(text):
        text = NOT_XML.sub("\ufffd", text)
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _xml_into(out: list[str], name: str, value: Any) -> None:
    """One element, written as ElementTree writes it (``<name />`` when empty), as strings."""
    if isinstance(value, list | dict):
        if not value:
            out.append(f"<{name} />")
            return
        out.append(f"<{name}>")
        items = (
            value.items()
            if isinstance(value, dict)
            else ((PLURALS.get(name, "item"), v) for v in value)
        )
        for key, inner in items:
            if type(inner) is str:  # the common case, without another call
                out.append(f"<{key}>{_escape(inner)}</{key}>" if inner else f"<{key} />")
            elif inner is None:
                out.append(f"<{key} />")
            else:
                _xml_into(out, key, inner)
        out.append(f"</{name}>")
    else:
        text = _text(value)
        out.append(f"<{name}>{_escape(text)}</{name}>" if text else f"<{name} />")


def xml_body(root: str, data: Any) -> bytes:
    """The document ``xml.etree.ElementTree`` would write for ``data`` (lists of ``PLURALS``
    items, dicts of elements), byte for byte, without building a tree: a list of 1,000 requests
    is 17,000 elements."""
    out: list[str] = []
    _xml_into(out, root, data)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + "".join(out).encode(
        "utf-8", "xmlcharrefreplace"
    )


def render(fmt: str, root: str, data: Any, status: int = 200) -> HttpResponse:
    if fmt == "json":
        return JsonResponse(
            data, status=status, safe=False, json_dumps_params={"ensure_ascii": False}
        )
    return HttpResponse(xml_body(root, data), status=status, content_type=CONTENT_TYPES["xml"])


def error_response(fmt: str, status: int, description: str) -> HttpResponse:
    return render(
        fmt if fmt in CONTENT_TYPES else "xml",
        "errors",
        [{"code": status, "description": description}],
        status,
    )


def guard_error(request: HttpRequest, status: int, description: str) -> HttpResponse:
    """Core's request guards' refusals under /open311/ (a null byte, a body too large, a method
    pages do not take) in the spec's error format: JSON when the resource asked for .json, XML
    (the required format) otherwise."""
    fmt = "json" if request.path_info.endswith(".json") else "xml"
    return error_response(fmt, status, description)


def open311_view(view: Any) -> Any:
    """Check the format, turn Open311Error and DomainError into the spec's error format."""

    @csrf_exempt
    def wrapper(request: HttpRequest, *args: Any, fmt: str, **kwargs: Any) -> HttpResponse:
        if fmt not in CONTENT_TYPES:
            return error_response("xml", 404, f"Unknown format “{fmt[:10]}”: use .xml or .json")
        try:
            return view(request, *args, fmt=fmt, **kwargs)
        except Open311Error as exc:
            return error_response(fmt, exc.status, exc.description)
        except DomainError as exc:
            status = 404 if exc.code == "frontdoor.service_unknown" else 400
            where = f"{exc.field}: " if exc.field else ""
            return error_response(fmt, status, f"{where}{exc.message}")

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


# Jurisdictions --------------------------------------------------------------------------------


def jurisdiction(
    request: HttpRequest, data: Any = None
) -> tuple[Organisation | None, Partnership | None]:
    value = ((data or request.GET).get("jurisdiction_id") or "").strip()
    if not value:
        return None, None
    partnership = selectors.joined_up_partnerships().filter(slug=value).first()
    if partnership is not None:
        return None, partnership
    council = Organisation.objects.filter(
        slug=value, gss_code__isnull=False, end_date__isnull=True
    ).first()
    if council is not None:
        return council, None
    raise Open311Error(404, f"Unknown jurisdiction_id “{value[:60]}”")


def _services_for(council: Organisation | None) -> list[Reportable]:
    services = list(REPORTABLE.values())
    if council is None or council.tier not in ("county", "district"):
        return services
    catalogue = reference.catalogue()
    return [
        s
        for s in services
        if (found := catalogue.get(s.lgsl_code)) is not None
        and found.two_tier_provider in (council.tier, "both")
    ]


# Resources ------------------------------------------------------------------------------------


@open311_view
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    url = request.build_absolute_uri(reverse("open311:root"))
    changeset = "2026-12-01T00:00:00+00:00"
    return render(
        fmt,
        "discovery",
        {
            "changeset": changeset,
            "contact": "Through the contact page of this service: "
            + request.build_absolute_uri("/contact/"),
            "key_service": "Ask the taskforce for an Open311 api_key through the contact page; keys are issued to integrators.",
            "endpoints": [
                {
                    "specification": SPEC,
                    "url": url.rstrip("/"),
                    "changeset": changeset,
                    "type": "production",
                    "formats": ["text/xml", "application/json"],
                }
            ],
        },
    )


@open311_view
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    council, _ = jurisdiction(request)
    return render(
        fmt,
        "services",
        [
            {
                "service_code": s.service_code,
                "service_name": s.name,
                "description": s.description,
                "metadata": bool(s.attributes),
                "type": "realtime",
                "keywords": ",".join(s.keywords),
                "group": s.group,
            }
            for s in _services_for(council)
        ],
    )


@open311_view
def service_definition(request: HttpRequest, fmt: str, service_code: str) -> HttpResponse:
    council, _ = jurisdiction(request)
    found = next((s for s in _services_for(council) if s.service_code == service_code), None)
    if found is None:
        raise Open311Error(404, f"Unknown service_code “{service_code[:20]}”")
    return render(
        fmt,
        "service_definition",
        {
            "service_code": found.service_code,
            "attributes": [
                {
                    "variable": a.variable,
                    "code": a.code,
                    "datatype": a.datatype,
                    "required": a.required,
                    "datatype_description": a.datatype_description,
                    "order": a.order,
                    "description": a.description,
                    **(
                        {"values": [{"key": k, "name": n} for k, n in a.values]} if a.values else {}
                    ),
                }
                for a in found.attributes
            ],
        },
    )


class UtcIso(Func):
    """A date-time as ``iso`` writes it (W3C, to the second, ``+00:00``), formatted by the
    database: parsing 2,000 timestamps of a page into Python and formatting them again was
    most of the time a list of 1,000 took."""

    output_field = CharField()
    template = "to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"+00:00\"')"

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="strftime('%%%%Y-%%%%m-%%%%dT%%%%H:%%%%M:%%%%S+00:00', %(expressions)s)",
            **extra,
        )


#: The columns a public request is written from (no personal data: no email, names or phone).
PUBLIC_COLUMNS = (
    "reference",
    "status",
    "status_notes",
    "service_name",
    "lgsl_code",
    "description",
    "council__name",
    "requested",
    "updated",
    "expected",
    "address",
    "postcode",
    "lat",
    "long",
    "photo_type",
    "media_url",
)


def public_rows(rows: Any) -> Any:
    """``rows`` as tuples of ``PUBLIC_COLUMNS`` (no model instances: a page is 1,000 rows)."""
    return rows.annotate(
        requested=UtcIso(F("created_at")),
        updated=UtcIso(F("modified_at")),
        expected=UtcIso(F("expected_at")),
    ).values_list(*PUBLIC_COLUMNS)


def requests_out(request: HttpRequest, rows: Any) -> list[dict[str, Any]]:
    """The spec's ``request`` for each tuple of ``PUBLIC_COLUMNS``."""
    photo_url = None
    out = []
    for (
        ref,
        status,
        notes,
        service_name,
        lgsl_code,
        description,
        council,
        created,
        modified,
        expected,
        address,
        postcode,
        lat,
        long,
        photo_type,
        media_url,
    ) in rows:
        if photo_type:
            if photo_url is None:  # reversed once: the reference is the only part that varies
                photo_url = request.build_absolute_uri(
                    reverse("frontdoor:photo", kwargs={"reference": "REFERENCE"})
                )
            media_url = photo_url.replace("REFERENCE", ref)
        out.append(
            {
                "service_request_id": ref,
                "status": "open" if status in OPEN_STATUSES else "closed",
                "status_notes": notes,
                "service_name": service_name,
                "service_code": str(lgsl_code),
                "description": description,
                "agency_responsible": council,
                "service_notice": "",
                "requested_datetime": created,
                "updated_datetime": modified,
                "expected_datetime": expected,
                "address": address,
                "address_id": "",
                "zipcode": postcode,
                "lat": lat,
                "long": long,
                "media_url": media_url,
            }
        )
    return out


def _date(value: str, name: str) -> datetime:
    parsed = None
    try:
        parsed = parse_datetime(value.strip().replace(" ", "+"))
    except ValueError:
        parsed = None
    if parsed is not None:
        parsed = parsed if parsed.tzinfo else timezone.make_aware(parsed, UTC)
        try:  # in UTC: PostgreSQL takes offsets up to 15:59 only, the w3 note up to 23:59
            parsed = parsed.astimezone(UTC)
        except OverflowError:
            parsed = None
    # the 90-day window around it must stay within the years 1 to 9999
    if parsed is None or not 1 < parsed.year < 9999:
        raise Open311Error(400, f"{name} must be a w3 date-time such as 2026-11-25T09:00:00Z")
    return parsed


@open311_view
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _post_request(request, fmt)
    if request.method != "GET":
        raise Open311Error(405, "Use GET or POST")
    council, partnership = jurisdiction(request)
    rows = ServiceRequest.objects.all()
    if council is not None:
        rows = rows.filter(council=council)
    if partnership is not None:
        rows = rows.filter(partnership=partnership)
    ids = [
        i.strip().upper() for i in request.GET.get("service_request_id", "").split(",") if i.strip()
    ]
    if ids:
        if len(ids) > MAX_RESULTS:
            raise Open311Error(400, f"At most {MAX_RESULTS} service_request_id values")
        rows = rows.filter(reference__in=ids)
    else:
        codes = [c.strip() for c in request.GET.get("service_code", "").split(",") if c.strip()]
        if codes:
            if any(not c.isdigit() or int(c) not in REPORTABLE for c in codes):
                raise Open311Error(404, "Unknown service_code")
            rows = rows.filter(lgsl_code__in=[int(c) for c in codes])
        statuses = [
            s.strip().lower() for s in request.GET.get("status", "").split(",") if s.strip()
        ]
        if any(s not in ("open", "closed") for s in statuses):
            raise Open311Error(400, "status must be open, closed or both (comma-separated)")
        if statuses and set(statuses) != {"open", "closed"}:
            rows = rows.filter(
                status__in=OPEN_STATUSES if statuses == ["open"] else CLOSED_STATUSES
            )
        end = _date(request.GET["end_date"], "end_date") if request.GET.get("end_date") else None
        start = (
            _date(request.GET["start_date"], "start_date")
            if request.GET.get("start_date")
            else None
        )
        if start is None and end is None:
            end = timezone.now()
        if start is None:
            start = end - timedelta(days=MAX_DAYS)  # type: ignore[operator]
        if end is None:
            end = min(start + timedelta(days=MAX_DAYS), timezone.now() + timedelta(days=1))
        if end < start:
            raise Open311Error(400, "end_date must be after start_date")
        if end - start > timedelta(days=MAX_DAYS):
            raise Open311Error(400, f"start_date and end_date may be at most {MAX_DAYS} days apart")
        rows = rows.filter(created_at__gte=start, created_at__lte=end)
    found = public_rows(rows.order_by("-created_at", "-id"))[:MAX_RESULTS]
    return render(fmt, "service_requests", requests_out(request, found))


@open311_view
def request_detail(request: HttpRequest, fmt: str, service_request_id: str) -> HttpResponse:
    council, partnership = jurisdiction(request)
    rows = ServiceRequest.objects.filter(reference=service_request_id.strip().upper())
    if council is not None:
        rows = rows.filter(council=council)
    if partnership is not None:
        rows = rows.filter(partnership=partnership)
    found = requests_out(request, public_rows(rows)[:1])
    if not found:
        raise Open311Error(404, f"Unknown service_request_id “{service_request_id[:30]}”")
    return render(fmt, "service_requests", found)


@open311_view
def token_detail(request: HttpRequest, fmt: str, token: str) -> HttpResponse:
    raise Open311Error(
        404, "Every service here is realtime: POST requests returns the service_request_id at once"
    )


def _form(request: HttpRequest) -> Any:
    content_type = request.content_type or ""
    if content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError):
            raise Open311Error(400, "The body is not valid JSON") from None
        if not isinstance(data, dict):
            raise Open311Error(400, "The body must be a JSON object")
        try:
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:  # "\ud800": an escape JSON allows but UTF-8 cannot carry
            raise Open311Error(
                400, "The body has an unpaired surrogate (\\ud800 to \\udfff)"
            ) from None
        return _Flat(data)
    if content_type not in ("application/x-www-form-urlencoded", "multipart/form-data", ""):
        raise Open311Error(400, "Send the request form-encoded (application/x-www-form-urlencoded)")
    return request.POST


class _Flat(dict[str, Any]):
    """A JSON object read like a QueryDict (get / getlist)."""

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        value = super().get(key, default)
        return value if not isinstance(value, list | dict) else default

    def getlist(self, key: str) -> list[str]:
        value = super().get(key)
        if value is None:
            return []
        return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _attributes(data: Any) -> dict[str, list[str]]:
    """``attribute[code]=value`` (repeated, or ``attribute[code][]``, for multivaluelists)."""
    out: dict[str, list[str]] = {}
    for name in data:
        if name.startswith("attribute[") and name.endswith("]"):
            code = name[len("attribute[") : -1].removesuffix("][")
            out.setdefault(code, []).extend(data.getlist(name))
    nested = dict.get(data, "attribute") if isinstance(data, _Flat) else None
    if isinstance(nested, dict):
        for code, value in nested.items():
            out.setdefault(str(code), []).extend(
                str(v) for v in (value if isinstance(value, list) else [value])
            )
    return out


def _api_key(data: Any) -> Open311Key:
    supplied = str(data.get("api_key") or "").strip()
    if not supplied:
        raise Open311Error(403, "api_key is required to POST requests")
    found = selectors.open311_key_active(supplied)
    if found is None:
        raise Open311Error(403, "api_key is not valid")
    return found


def _post_request(request: HttpRequest, fmt: str) -> HttpResponse:
    data = _form(request)
    key = _api_key(data)
    allowed, limits = rate_check(
        request,
        scope="open311",
        key=f"key:{key.pk}",
        allowance=(key.requests_per_minute, 60) if key.requests_per_minute else None,
    )
    if not allowed:
        response = error_response(
            fmt, 429, "Too many requests: slow down and retry after the time in Retry-After"
        )
        for header, value in limits.items():
            response[header] = value
        return response
    if not str(data.get("service_code") or "").strip():
        raise Open311Error(400, "service_code is required")
    if not any(
        str(data.get(f) or "").strip() for f in ("lat", "long", "address_string", "address_id")
    ):
        raise Open311Error(400, "A location is required: lat and long, or address_string")
    council, partnership = jurisdiction(request, data)
    idempotency = request.headers.get("Idempotency-Key", "").strip()
    spec = RequestSpec(
        lgsl_code=data.get("service_code"),
        description=str(data.get("description") or ""),
        attributes=_attributes(data),
        lat=data.get("lat"),
        long=data.get("long"),
        address=str(data.get("address_string") or ""),
        postcode=str(data.get("zipcode") or ""),
        email=str(data.get("email") or ""),
        first_name=str(data.get("first_name") or ""),
        last_name=str(data.get("last_name") or ""),
        phone=str(data.get("phone") or ""),
        media_url=str(data.get("media_url") or ""),
        source=Source.OPEN311,
        api_key=key,
        idempotency_key=f"o311:{key.pk}:{idempotency[:80]}" if idempotency else None,
    )
    # Its own transaction, committed before the answer is sent.
    row, created = request_create(spec=spec, actor=None, partnership=partnership, council=council)
    notice = "" if created else "A retry of an earlier request: the same request is returned"
    response = render(
        fmt,
        "service_requests",
        [{"service_request_id": row.reference, "service_notice": notice, "account_id": ""}],
        status=201 if created else 200,
    )
    for header, value in limits.items():
        response[header] = value
    return response


def root(request: HttpRequest) -> HttpResponse:
    """The endpoint's root: where discovery lives."""
    return JsonResponse(
        {
            "specification": SPEC,
            "discovery": request.build_absolute_uri(
                reverse("open311:discovery", kwargs={"fmt": "json"})
            ),
        }
    )
