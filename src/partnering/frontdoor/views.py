"""Front door pages: find who provides a service where you live; report; track."""

import uuid

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from partnering.core.errors import DomainError
from partnering.core.exports import about_lines, csv_response, figures_by_row
from partnering.core.forms import add_domain_error
from partnering.organisations.models import Organisation

from . import reference, selectors, services
from .forms import FinderForm, PassOnForm, ReportForm, StatusForm, TrackForm
from .links import front_door_url
from .maths.attributes import REPORTABLE
from .maths.catalogue import SPLIT_NOTES
from .maths.svgmap import SvgMap
from .maths.svgmap import draw as svg_draw
from .models import OPEN_STATUSES, ServiceRequest, Status
from .permissions import can_handle_request, can_view_queue
from .ratelimit import check as rate_check


def _choices(answer: selectors.RouteAnswer) -> list[dict[str, object]]:
    """The council areas of an ambiguous place, most likely first, for the resident to choose."""
    from . import reference

    directory = reference.directory()
    out = []
    for area in answer.route.place.areas:
        council = directory.get(area.lad_gss)
        if council is not None:
            out.append(
                {"gss": area.lad_gss, "name": council.name, "percent": round(area.share * 100, 1)}
            )
    return out


def start(request: HttpRequest) -> HttpResponse:
    form = FinderForm(request.GET or None)
    answer = None
    providers: list[dict[str, object]] = []
    if form.is_bound and form.is_valid():
        try:
            answer = selectors.route_find(
                need=form.cleaned_data["need"],
                place=form.cleaned_data["place"],
                area=form.cleaned_data.get("area") or None,
            )
        except DomainError as exc:
            add_domain_error(form, exc)
    if answer is not None:
        for provider in answer.route.providers:
            door = answer.front_doors.get(provider.gss_code)
            providers.append(
                {
                    "provider": provider,
                    "percent": round(provider.share * 100, 1),
                    "council": answer.councils.get(provider.gss_code),
                    "door": door,
                    "door_url": front_door_url(door, answer.service.lgsl_code) if door else "",
                    "online": answer.online.get(provider.gss_code),
                }
            )
    return render(
        request,
        "frontdoor/start.html",
        {
            "form": form,
            "answer": answer,
            "providers": providers,
            "choices": _choices(answer)
            if answer and answer.route.place.is_ambiguous and answer.route.place.kind != "point"
            else [],
            "examples": [
                "bins",
                "pothole",
                "council tax",
                "school place",
                "blue badge",
                "fly tipping",
            ],
            "has_split_note": bool(answer and answer.service.lgsl_code in SPLIT_NOTES),
        },
    )


# Report, track, queue -------------------------------------------------------------------------


QUEUE_LIMIT = 200


@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, slug: str, lgsl_code: int) -> HttpResponse:
    partnership = selectors.joined_up_partnerships().filter(slug=slug).first()
    service = REPORTABLE.get(lgsl_code)
    if partnership is None or service is None:
        raise Http404("No such front door or service")
    duplicates: list[ServiceRequest] = []
    limits: dict[str, str] = {}
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES, service=service)
        allowed, limits = rate_check(request, scope="form")
        if not allowed:
            return _with_headers(render(request, "frontdoor/slow_down.html", status=429), limits)
        if form.is_valid():
            data = form.cleaned_data
            if data["website"]:  # the honeypot: people never see it, robots fill it in
                return redirect("frontdoor:track-find")
            upload = data.get("photo")
            spec = services.RequestSpec(
                lgsl_code=lgsl_code,
                description=data["description"],
                attributes={
                    code: (
                        v
                        if isinstance(v := data.get(f"attribute_{code}"), list)
                        else [v]
                        if v
                        else []
                    )
                    for code in form.attribute_codes
                },
                lat=data["lat"] or None,
                long=data["long"] or None,
                postcode=data["postcode"],
                address=data["address"],
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                phone=data["phone"],
                photo=upload.read(services_photo_limit()) if upload else None,
                idempotency_key=f"web:{data['form_token'][:60]}",
            )
            done = ServiceRequest.objects.filter(idempotency_key=spec.idempotency_key).first()
            if done is not None:  # the same form sent twice: one request
                return redirect(done.get_absolute_url() + "?new=1")
            try:
                lat, long, _, _ = services.locate(spec)
                if "confirm" not in request.POST:
                    duplicates = selectors.possible_duplicates(
                        lgsl_code=lgsl_code, lat=lat, long=long
                    )
                if not duplicates:
                    created, _ = services.request_create(
                        spec=spec, actor=request.user, partnership=partnership
                    )
                    return _with_headers(redirect(created.get_absolute_url() + "?new=1"), limits)
            except DomainError as exc:
                field = exc.field or ""
                if field.startswith("attribute["):
                    field = "attribute_" + field[len("attribute[") : -1]
                add_domain_error(form, DomainError(exc.code, exc.message, field or None))
    else:
        form = ReportForm(service=service, initial={"form_token": uuid.uuid4().hex})
    response = render(
        request,
        "frontdoor/report.html",
        {"form": form, "partnership": partnership, "service": service, "duplicates": duplicates},
    )
    return _with_headers(response, limits)


def _with_headers(response: HttpResponse, headers: dict[str, str]) -> HttpResponse:
    for header, value in headers.items():
        response[header] = value
    return response


def services_photo_limit() -> int:
    from .photos import MAX_PHOTO_BYTES

    return MAX_PHOTO_BYTES + 1


def track_find(request: HttpRequest) -> HttpResponse:
    form = TrackForm(request.GET or None)
    if form.is_bound and form.is_valid():
        found = selectors.request_get(form.cleaned_data["reference"])
        if found is not None:
            return redirect(found.get_absolute_url())
        form.add_error(
            "reference", "We could not find a request with that reference: check it and try again"
        )
        form.mark_errors()
    return render(request, "frontdoor/track_find.html", {"form": form})


def track(request: HttpRequest, reference: str) -> HttpResponse:
    found = selectors.request_get(reference)
    if found is None:
        raise Http404("No request with that reference")
    return render(
        request,
        "frontdoor/track.html",
        {
            "req": found,
            "updates": list(found.updates.all()),
            "new": request.GET.get("new") == "1",
            "can_handle": can_handle_request(request.user, found),
        },
    )


def photo(request: HttpRequest, reference: str) -> HttpResponse:
    found = (
        ServiceRequest.objects.filter(reference=reference.upper())
        .only("photo", "photo_type")
        .first()
    )
    if found is None or not found.photo:
        raise Http404("No photo")
    return HttpResponse(bytes(found.photo), content_type=found.photo_type or "image/jpeg")


def _queue_rows(
    request: HttpRequest, council: Organisation
) -> tuple[list[ServiceRequest], dict[str, str]]:
    rows = ServiceRequest.objects.filter(council=council)
    filters = {k: request.GET.get(k, "") for k in ("status", "service", "age")}
    if filters["status"] == "open" or not filters["status"]:
        rows = rows.filter(status__in=OPEN_STATUSES)
    elif filters["status"] in Status.values:
        rows = rows.filter(status=filters["status"])
    if filters["service"].isdigit():
        rows = rows.filter(lgsl_code=int(filters["service"]))
    if filters["age"].isdigit():
        rows = rows.filter(
            created_at__lte=timezone.now() - timezone.timedelta(days=int(filters["age"][:4]))
        )
    return list(rows.order_by("created_at")[:QUEUE_LIMIT]), filters


def _queue_map(council: Organisation, rows: list[ServiceRequest]) -> SvgMap | None:
    """Where the listed requests are, on the council's area (a county: its districts')."""
    located = [
        (r.lat, r.long, r.reference) for r in rows if r.lat is not None and r.long is not None
    ]
    if not located:
        return None
    codes = [council.gss_code] if council.gss_code else []
    areas = reference.boundaries().areas(codes)
    if not areas:
        districts = council.districts.exclude(gss_code__isnull=True).values_list(
            "gss_code", flat=True
        )
        areas = reference.boundaries().areas(districts)
    return svg_draw(areas, located)


@login_required
@require_http_methods(["GET", "POST"])
def queue(request: HttpRequest, slug: str) -> HttpResponse:
    council = get_object_or_404(Organisation, slug=slug)
    if not can_view_queue(request.user, council):
        raise PermissionDenied("Only the council's staff see its queue")
    form = StatusForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        chosen = ServiceRequest.objects.filter(
            council=council, reference__in=request.POST.getlist("requests")
        )
        try:
            services.requests_bulk_status(
                requests=list(chosen),
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
            return redirect(request.get_full_path())
        except DomainError as exc:
            add_domain_error(form, exc)
    rows, filters = _queue_rows(request, council)
    return render(
        request,
        "frontdoor/queue.html",
        {
            "council": council,
            "rows": rows,
            "map": _queue_map(council, rows),
            "filters": filters,
            "form": form,
            "statuses": Status.choices,
            "services": sorted(REPORTABLE.values(), key=lambda s: s.name),
            "now": timezone.now(),
        },
    )


@login_required
def queue_csv(request: HttpRequest, slug: str) -> HttpResponse:
    council = get_object_or_404(Organisation, slug=slug)
    if not can_view_queue(request.user, council):
        raise PermissionDenied("Only the council's staff see its queue")
    rows, filters = _queue_rows(request, council)
    header = ["reference", "service", "status", "received", "postcode", "lat", "long",
              "description", "is_demo"]  # fmt: skip
    cells = (
        [r.reference, r.service_name, r.get_status_display(), r.created_at, r.postcode, r.lat,
         r.long, r.description, "yes" if r.is_demo else "no"]
        for r in rows
    )  # fmt: skip
    about = about_lines(
        f"Strategic Partnering Platform: service requests to {council.name}",
        figures_by_row("is_demo"),
        ("Filters", _queue_filters_words(filters)),
    )
    return csv_response(f"{council.slug}-requests.csv", header, cells, about=about)


def _queue_filters_words(filters: dict[str, str]) -> str:
    status = filters["status"]
    if status in ("", "open"):
        words = ["Status: open"]
    else:
        words = [f"Status: {dict(Status.choices).get(status, 'any')}"]
    service = REPORTABLE.get(int(filters["service"])) if filters["service"].isdigit() else None
    if service is not None:
        words.append(f"Service: {service.name}")
    if filters["age"].isdigit():
        words.append(f"Received at least {int(filters['age'][:4])} days ago")
    return "; ".join(words) + f" (the oldest {QUEUE_LIMIT:,} at most)"


@login_required
@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, reference: str) -> HttpResponse:
    found = selectors.request_get(reference)
    if found is None:
        raise Http404("No request with that reference")
    if not can_handle_request(request.user, found):
        raise PermissionDenied("Only the handling council's staff can change this request")
    choices = services.pass_on_choices(found)
    status_form = StatusForm(request.POST if request.POST.get("action") == "status" else None)
    pass_form = PassOnForm(
        request.POST if request.POST.get("action") == "pass" else None, choices=choices
    )
    if request.method == "POST":
        try:
            if status_form.is_bound and status_form.is_valid():
                services.request_status_change(
                    request=found,
                    status=status_form.cleaned_data["status"],
                    note=status_form.cleaned_data["note"],
                    actor=request.user,
                )
                return redirect("frontdoor:manage", reference=found.reference)
            if pass_form.is_bound and pass_form.is_valid():
                to = Organisation.objects.get(pk=int(pass_form.cleaned_data["to_council"]))
                services.request_pass_on(
                    request=found,
                    to_council=to,
                    reason=pass_form.cleaned_data["reason"],
                    actor=request.user,
                )
                return redirect("frontdoor:track", reference=found.reference)
        except DomainError as exc:
            add_domain_error(pass_form if pass_form.is_bound else status_form, exc)
    return render(
        request,
        "frontdoor/manage.html",
        {
            "req": found,
            "updates": list(found.updates.all()),
            "status_form": status_form,
            "pass_form": pass_form,
            "choices": choices,
        },
    )
