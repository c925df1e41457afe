"""Writes of the front door: requests made, updated, passed on; emails; retention; API keys."""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from partnering.core.audit import audited_save
from partnering.core.errors import DomainError
from partnering.core.models import EmailState
from partnering.core.services import (
    SEND_ERRORS,
    Email,
    email_send_once,
    emails_given_up,
    emails_unsent,
)
from partnering.organisations.models import Organisation
from partnering.partnerships.models import Partnership

from . import reference, selectors
from .errors import FrontdoorError as E
from .maths.attributes import REPORTABLE, AttributeError_, Reportable, clean_attributes
from .maths.geometry import PointError
from .maths.places import FULL_POSTCODE, CouncilDirectory, PlaceError, resolve_place
from .maths.routing import providers_for_area
from .models import (
    CLOSED_STATUSES,
    MAX_DESCRIPTION,
    Open311Key,
    RequestUpdate,
    ServiceRequest,
    Source,
    Status,
    new_reference,
)
from .permissions import can_handle_request
from .photos import photo_clean

logger = logging.getLogger(__name__)
RETENTION_DAYS = getattr(settings, "FRONTDOOR_RETENTION_DAYS", 365)
MAX_KEY_ALLOWANCE = 600_000  # requests a minute for one key (10,000 a second)
POSTCODE_IN_TEXT = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2})\b", re.IGNORECASE)
STATUS_WORDS = {
    Status.RECEIVED: "We have received your request",
    Status.IN_PROGRESS: "We are working on it",
    Status.SCHEDULED: "The work is scheduled",
    Status.DONE: "Done",
    Status.CLOSED: "Closed",
}


@dataclass
class RequestSpec:
    lgsl_code: Any
    description: str = ""
    attributes: dict[str, list[str]] = field(default_factory=dict)
    lat: Any = None
    long: Any = None
    address: str = ""
    postcode: str = ""
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    photo: bytes | None = None
    media_url: str = ""
    source: str = Source.WEB
    api_key: Open311Key | None = None
    idempotency_key: str | None = None


def _text(value: str, *, name: str, limit: int) -> str:
    text = (value or "").strip()
    if "\x00" in text:
        raise DomainError(E.TEXT_INVALID, "Remove the special characters", name)
    if len(text) > limit:
        raise DomainError(E.TEXT_INVALID, f"Enter {limit} characters or fewer", name)
    return text


def _service(code: Any) -> Reportable:
    try:
        number = int(str(code).strip())
    except (TypeError, ValueError):
        number = -1
    service = REPORTABLE.get(number)
    if service is None:
        raise DomainError(
            E.SERVICE_UNKNOWN,
            f"There is no service with the code “{str(code)[:20]}”",
            "service_code",
        )
    return service


def _description(value: str) -> str:
    text = (value or "").strip()
    if "\x00" in text:
        raise DomainError(
            E.TEXT_INVALID, "Remove the special characters from the description", "description"
        )
    if not text:
        raise DomainError(E.DESCRIPTION_REQUIRED, "Describe the problem", "description")
    if len(text) > MAX_DESCRIPTION:
        raise DomainError(
            E.DESCRIPTION_TOO_LONG,
            f"The description must be {MAX_DESCRIPTION:,} characters or fewer",
            "description",
        )
    return text


def _coordinate(value: Any, name: str) -> float:
    try:
        number = float(str(value).strip())
    except (TypeError, ValueError):
        number = math.nan
    if not math.isfinite(number):
        raise DomainError(
            E.POINT_INVALID,
            f"Enter the {'latitude' if name == 'lat' else 'longitude'} as a number",
            name,
        )
    return number


def locate(
    spec: RequestSpec, directory: CouncilDirectory | None = None
) -> tuple[float | None, float | None, str, str]:
    """(lat, long, postcode, lower-tier area GSS) from a point, a postcode or an address."""
    has_lat, has_long = spec.lat not in (None, ""), spec.long not in (None, "")
    if has_lat or has_long:
        if not (has_lat and has_long):
            raise DomainError(
                E.POINT_INCOMPLETE,
                "Give both a latitude and a longitude",
                "lat" if not has_lat else "long",
            )
        lat, long = _coordinate(spec.lat, "lat"), _coordinate(spec.long, "long")
        try:
            found = reference.boundaries().locate(lat, long)
        except PointError as exc:
            raise DomainError(f"frontdoor.{exc.code}", exc.message, exc.field) from exc
        return lat, long, spec.postcode.strip().upper(), found.lad_gss
    postcode = spec.postcode.strip().upper()
    if not postcode:
        match = POSTCODE_IN_TEXT.search(spec.address or "")
        postcode = match.group(1).upper() if match else ""
    if not postcode:
        raise DomainError(
            E.LOCATION_REQUIRED,
            "Give the location: a postcode, or a point on the map (latitude and longitude)",
            "postcode",
        )
    try:
        place = resolve_place(
            postcode,
            outward=reference.outward_codes(),
            directory=directory or reference.directory(),
        )
    except PlaceError as exc:
        raise DomainError(f"frontdoor.{exc.code}", exc.message, "postcode") from exc
    if place.kind not in ("postcode", "outward_code"):
        raise DomainError(E.LOCATION_REQUIRED, "Enter a postcode, such as WR11 4AA", "postcode")
    compact = postcode.replace(" ", "")
    pretty = f"{compact[:-3]} {compact[-3:]}" if FULL_POSTCODE.match(compact) else compact
    return None, None, pretty, place.areas[0].lad_gss


def _contact(spec: RequestSpec) -> dict[str, str]:
    email = _text(spec.email, name="email", limit=254)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise DomainError(
                E.CONTACT_INVALID, "Enter an email address like name@example.com", "email"
            ) from None
    return {
        "email": email,
        "first_name": _text(spec.first_name, name="first_name", limit=100),
        "last_name": _text(spec.last_name, name="last_name", limit=100),
        "phone": _text(spec.phone, name="phone", limit=40),
    }


def provider_for(
    service: Reportable, area_gss: str, councils: reference.Councils | None = None
) -> Organisation:
    """The council providing ``service`` in the area, from the directory in memory (no query)."""
    councils = councils or reference.councils()
    area = councils.directory.get(area_gss)
    catalogue_service = reference.catalogue().get(service.lgsl_code)
    council = None
    if area is not None and catalogue_service is not None:
        providers = providers_for_area(catalogue_service, area, councils.directory)
        council = councils.row(providers[0].gss_code)
    if council is None:
        raise DomainError(
            E.PLACE_NO_COUNCIL, "We could not find the council for that location", "postcode"
        )
    return council


def request_create(
    *,
    spec: RequestSpec,
    actor: Any,
    partnership: Partnership | None = None,
    council: Organisation | None = None,
) -> tuple[ServiceRequest, bool]:
    """Make a request; it is routed to the council that provides the service at the location.

    ``partnership`` / ``council``: the front door (jurisdiction) it came through; the providing
    council must be one of its councils. Without either, any joined-up partnership's council is
    accepted. Returns (request, created): a retried submission with the same idempotency key
    returns the first request (a retry is checked like a new request, then found by the key's
    unique constraint). Everything is checked before anything is written; the request,
    its first update, their history and the email task are written in one transaction,
    committed before this returns when the caller has no transaction of its own.
    """
    key = _text(spec.idempotency_key or "", name="idempotency_key", limit=100) or None
    # A retry is found by the key's unique constraint when the request is written (the
    # IntegrityError below), not by a read first: a new key, the usual case, costs no query.
    service = _service(spec.lgsl_code)
    description = _description(spec.description)
    try:
        answers = clean_attributes(service, spec.attributes)
    except AttributeError_ as exc:
        raise DomainError(f"frontdoor.{exc.code}", exc.message, exc.field) from exc
    loaded = reference.councils()
    lat, long, postcode, area_gss = locate(spec, loaded.directory)
    address = _text(spec.address, name="address", limit=300)
    contact = _contact(spec)
    media_url = _text(spec.media_url, name="media_url", limit=500)
    photo, photo_type = photo_clean(spec.photo) if spec.photo else (None, "")
    provider = provider_for(service, area_gss, loaded)
    door = _front_door(provider, loaded, partnership=partnership, council=council)
    request = ServiceRequest(
        reference=new_reference(),
        lgsl_code=service.lgsl_code,
        service_name=service.name,
        council=provider,
        partnership=door,
        description=description,
        attributes=answers,
        lat=lat,
        long=long,
        address=address,
        postcode=postcode,
        photo=photo,
        photo_type=photo_type,
        media_url=media_url,
        source=spec.source,
        api_key=spec.api_key,
        idempotency_key=key,
        **contact,
    )
    # The council, front door and key are rows just read: no query to check they exist.
    try:
        request.full_clean(
            exclude=["reference", "idempotency_key", "photo", "council", "partnership", "api_key"]
        )
    except ValidationError as error:  # e.g. an Open311 media_url that is not a web address
        name, messages = next(iter(error.message_dict.items()))
        raise DomainError(E.FIELD_INVALID, messages[0], name) from error
    reason = f"Request made through {door.name if door else provider.name}"
    draws = 5  # a reference already taken (1 in 10^11): draw another
    while True:
        try:
            with transaction.atomic():
                audited_save(request, actor=actor, reason=reason)
                _update(
                    request,
                    status=Status.RECEIVED,
                    note=f"Sent to {provider.name}",
                    actor=actor,
                    to_council=provider,
                )
            return request, True
        except IntegrityError:
            if key and (existing := _retried(key)) is not None:  # a retry, or a race: first wins
                return existing, False
            draws -= 1
            if draws == 0:
                raise
            request.pk = None
            request._state.adding = True
            request.reference = new_reference()


def _retried(key: str) -> ServiceRequest | None:
    """The request an earlier submission with this idempotency key made, if any."""
    return ServiceRequest.objects.filter(idempotency_key=key).first()


def _front_door(
    provider: Organisation,
    councils: reference.Councils,
    *,
    partnership: Partnership | None,
    council: Organisation | None,
) -> Partnership | None:
    """The joined-up front door the request goes through (from memory: no query)."""
    gss = str(provider.gss_code)
    door = councils.front_door(gss)
    if partnership is not None:
        if partnership.pk not in {p.pk for p in councils.doors.get(gss, ())}:
            raise DomainError(
                E.NOT_HERE,
                f"{provider.name} provides this service there and is not part of {partnership.name}: contact {provider.name} directly",
                "postcode",
            )
        return partnership
    if council is not None:
        if provider.pk != council.pk:
            raise DomainError(
                E.NOT_HERE,
                f"{provider.name}, not {council.name}, provides this service there",
                "jurisdiction_id",
            )
        return door
    if door is None:
        raise DomainError(
            E.NOT_HERE,
            f"{provider.name} provides this service there and does not take requests through this front door: contact them directly",
            "postcode",
        )
    return door


def _update(
    request: ServiceRequest,
    *,
    status: str,
    note: str,
    actor: Any,
    from_council: Organisation | None = None,
    to_council: Organisation | None = None,
) -> RequestUpdate:
    update = RequestUpdate(
        request=request,
        status=status,
        note=note[:500],
        from_council=from_council,
        to_council=to_council,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    update.full_clean(exclude=["request", "actor", "from_council", "to_council"])
    audited_save(update, actor=actor, reason=note[:100] or status)
    if request.email:  # queued in the change's own transaction: both are kept, or neither
        from .tasks import email_update

        email_update.enqueue(update.pk)
    return update


def _check_handler(request: ServiceRequest, actor: Any) -> None:
    if not can_handle_request(actor, request):
        raise DomainError(
            E.NOT_A_PROVIDER, f"Only {request.council.name}’s staff can change this request", None
        )


def request_status_change(
    *, request: ServiceRequest, status: str, note: str = "", actor: Any
) -> ServiceRequest:
    """Acknowledge, update or close a request; the resident sees it by reference and is emailed."""
    _check_handler(request, actor)
    if status not in STATUS_WORDS:
        raise DomainError(E.STATUS_INVALID, "Choose a status", "status")
    note = _text(note, name="note", limit=500)
    with transaction.atomic():
        locked = ServiceRequest.objects.select_for_update().get(pk=request.pk)
        locked.status = status
        locked.status_notes = note or STATUS_WORDS[status]
        locked.closed_at = timezone.now() if status in CLOSED_STATUSES else None
        audited_save(locked, actor=actor, reason=f"Status: {status}")
        _update(locked, status=status, note=note or STATUS_WORDS[status], actor=actor)
    return locked


def requests_bulk_status(
    *, requests: list[ServiceRequest], status: str, note: str = "", actor: Any
) -> int:
    """One status for many requests, all or none."""
    if not requests:
        raise DomainError(E.STATUS_INVALID, "Select at least one request", "requests")
    with transaction.atomic():
        for request in requests:
            request_status_change(request=request, status=status, note=note, actor=actor)
    return len(requests)


def pass_on_choices(request: ServiceRequest) -> list[Organisation]:
    """The councils a request can be passed to: the partnership's other councils."""
    if request.partnership is None:
        return []
    return [
        o for o in selectors.partnership_councils(request.partnership) if o.pk != request.council_id
    ]


def request_pass_on(
    *, request: ServiceRequest, to_council: Organisation, reason: str, actor: Any
) -> ServiceRequest:
    """Not ours: pass the request to the right partner in one step, reason and history kept."""
    _check_handler(request, actor)
    reason = _text(reason, name="reason", limit=400)
    if not reason:
        raise DomainError(E.REASON_REQUIRED, "Say why it is being passed on", "reason")
    if to_council.pk == request.council_id:
        raise DomainError(E.SAME_COUNCIL, "Choose another council", "to_council")
    if to_council.pk not in {o.pk for o in pass_on_choices(request)}:
        raise DomainError(
            E.NOT_HERE, f"{to_council.name} is not part of this front door", "to_council"
        )
    with transaction.atomic():
        locked = ServiceRequest.objects.select_for_update().get(pk=request.pk)
        previous = locked.council
        locked.council = to_council
        locked.status = Status.RECEIVED
        locked.status_notes = f"Passed to {to_council.name}: {reason}"
        locked.closed_at = None
        audited_save(
            locked, actor=actor, reason=f"Passed from {previous.name} to {to_council.name}"
        )
        _update(
            locked,
            status=Status.PASSED_ON,
            note=f"Not ours: passed to {to_council.name}. {reason}",
            actor=actor,
            from_council=previous,
            to_council=to_council,
        )
    return locked


EMAIL_KEY_PREFIX = "frontdoor.update:"


def email_key(update_id: int) -> str:
    """The key an update's email is sent once by (``partnering.core.services.email_send_once``)."""
    return f"{EMAIL_KEY_PREFIX}{update_id}"


def update_email_send(*, update_id: int) -> str:
    """Send one update's email once: claimed first, sent holding no lock, then marked sent
    (``emailed_at``). Returns "sent", "already sent", "claimed elsewhere" (another attempt is
    sending it), "no email" or "gone"; a failed send is raised (the task fails, a sweep
    re-queues it: ``emails_unsent_requeue``)."""
    update = RequestUpdate.objects.select_related("request").filter(pk=update_id).first()
    if update is None:
        return "gone"
    if update.emailed_at is not None:
        return "already sent"
    request = update.request
    if not request.email:
        return "no email"

    def mark_sent() -> None:
        update.emailed_at = timezone.now()
        update.save(update_fields=["emailed_at"])

    try:
        return email_send_once(
            key=email_key(update.pk), email=_email(request, update), on_sent=mark_sent
        )
    except SEND_ERRORS as exc:  # released: a sweep or a retry sends it
        logger.warning("Update %s of %s not emailed: %s", update.pk, request.reference, exc)
        raise


def _email(request: ServiceRequest, update: RequestUpdate) -> Email:
    site = getattr(settings, "SITE_URL", "")
    return Email(
        subject=f"Your request {request.reference}: {update.get_status_display()}",
        body=(
            f"{request.service_name} ({request.reference})\n\n{update.note}\n\n"
            f"See its progress with your reference at {site}{request.get_absolute_url()}\n"
        ),
        to=[request.email],
    )


def emails_unsent_requeue() -> dict[str, int]:
    """The sweep: queue again the email of each update whose send failed (up to
    ``EMAIL_MAX_ATTEMPTS`` sends) or whose claim went stale without being sent (a crashed
    attempt: logged, and the one case a message can go twice). Returns counts."""
    from .tasks import email_update

    unsent = {
        int(u.key.removeprefix(EMAIL_KEY_PREFIX)): u for u in emails_unsent(prefix=EMAIL_KEY_PREFIX)
    }
    pending = sorted(
        RequestUpdate.objects.filter(pk__in=unsent, emailed_at__isnull=True)
        .exclude(request__email="")  # its personal data removed since: nothing to send
        .values_list("pk", flat=True)
    )
    for pk in pending:
        email_update.enqueue(pk)
    return {
        "requeued": len(pending),
        "stale": sum(1 for pk in pending if unsent[pk].state == EmailState.CLAIMED),
        "given_up": len(emails_given_up(prefix=EMAIL_KEY_PREFIX)),
    }


def personal_data_expire(*, now: Any = None, actor: Any = None) -> int:
    """Remove contact details (and photos) from requests closed more than RETENTION_DAYS ago."""
    cutoff = (now or timezone.now()) - timedelta(days=RETENTION_DAYS)
    expired = ServiceRequest.objects.filter(
        closed_at__lt=cutoff, personal_data_removed_at__isnull=True, status__in=CLOSED_STATUSES
    )
    count = 0
    for request in expired.iterator():
        request.email = request.first_name = request.last_name = request.phone = ""
        request.photo = None
        request.photo_type = ""
        request.personal_data_removed_at = timezone.now()
        audited_save(
            request, actor=actor, reason=f"Personal data removed after {RETENTION_DAYS} days"
        )
        count += 1
    return count


def open311_key_create(
    *, name: str, actor: Any, is_demo: bool = False, requests_per_minute: int | None = None
) -> tuple[Open311Key, str]:
    """A new integrator key; the key itself is returned once and only its hash stored.

    ``requests_per_minute``: the key's own allowance of POST requests (a council's back-office
    integration sends far more than an app); None gives it the standard allowance."""
    name = _text(name, name="name", limit=200)
    if not name:
        raise DomainError(E.TEXT_INVALID, "Enter the integrator's name", "name")
    if requests_per_minute is not None and not 1 <= requests_per_minute <= MAX_KEY_ALLOWANCE:
        raise DomainError(
            E.ALLOWANCE_INVALID,
            f"Give an allowance from 1 to {MAX_KEY_ALLOWANCE:,} requests a minute",
            "requests_per_minute",
        )
    key = Open311Key.generate()
    row = Open311Key(
        name=name,
        prefix=key[:9],
        key_hash=Open311Key.hash(key),
        is_demo=is_demo,
        requests_per_minute=requests_per_minute,
    )
    row.full_clean()
    audited_save(row, actor=actor, reason="Open311 key issued")
    return row, key
