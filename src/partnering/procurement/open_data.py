"""The public open data pages: OCDS release and record packages (JSON) and the Local
Government Transparency Code 2015 contracts register of each council (a page and a CSV, both
from the same rows). Published procurements are those of published partnerships."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from partnering.core.exports import about_lines, csv_response, figures_by_row
from partnering.core.paging import paginate
from partnering.organisations.models import Organisation

from . import ocds, selectors
from .models import Procurement, Release

MAX_PER_PAGE = 10_000


def published_procurements() -> Any:
    return Procurement.objects.filter(partnership__is_published=True)


def _not_publishing() -> JsonResponse:
    return JsonResponse(
        {"detail": "Open contracting data is not published yet: the taskforce's ocid prefix "
                   "(OCDS_OCID_PREFIX) is not set."}, status=404,
    )  # fmt: skip


def _process(ocid: str) -> Procurement:
    process_id = ocds.process_id_of(ocid)
    if process_id is None:
        raise Http404("No such contracting process")
    try:
        return published_procurements().get(process_id=process_id)
    except Procurement.DoesNotExist:
        raise Http404("No such contracting process") from None


def ocds_index_view(request: HttpRequest) -> HttpResponse:
    qs = published_procurements().select_related("buyer", "partnership").order_by("process_id")
    context = paginate(request, qs, per_page=50) if ocds.is_publishing() else {}
    return render(request, "procurement/ocds_index.html", {
        "publishing": ocds.is_publishing(), "prefix": ocds.ocid_prefix(), **context,
    })  # fmt: skip


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value not in (None, "") else default  # type: ignore[arg-type]
    except ValueError:
        return -1


def bulk_releases_view(request: HttpRequest) -> HttpResponse:
    """Every published release in one streamed package (constant memory). ``?page=N`` with
    ``per_page`` (at most 10,000) gives one page, with RFC 8288 ``Link`` headers (first, prev,
    next) since OCDS 1.1 packages have no links field."""
    if not ocds.is_publishing():
        return _not_publishing()
    releases = Release.objects.filter(procurement__partnership__is_published=True).order_by("pk")
    uri = request.build_absolute_uri()
    links = []
    if "page" in request.GET or "per_page" in request.GET:
        page = _int(request.GET.get("page"), 1)
        per_page = _int(request.GET.get("per_page"), 1000)
        if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
            return JsonResponse({"detail": "page must be a whole number from 1, and per_page "
                                 f"from 1 to {MAX_PER_PAGE:,}"}, status=400)  # fmt: skip
        base = request.build_absolute_uri(reverse("procurement_open_data:ocds-bulk"))
        total = releases.count()
        last = max(1, -(-total // per_page))
        releases = releases[(page - 1) * per_page : page * per_page]
        links.append(f'<{base}?page=1&per_page={per_page}>; rel="first"')
        if page > 1:
            links.append(f'<{base}?page={page - 1}&per_page={per_page}>; rel="prev"')
        if page < last:
            links.append(f'<{base}?page={page + 1}&per_page={per_page}>; rel="next"')
        links.append(f'<{base}?page={last}&per_page={per_page}>; rel="last"')
    response = StreamingHttpResponse(ocds.stream_release_package(uri, releases),
                                     content_type="application/json")  # fmt: skip
    if links:
        response["Link"] = ", ".join(links)
    return response


def release_package_view(request: HttpRequest, ocid: str) -> HttpResponse:
    if not ocds.is_publishing():
        return _not_publishing()
    procurement = _process(ocid)
    releases = [ocds.release_json(r, procurement.process_id) for r in procurement.releases.all()]
    if not releases:
        raise Http404("Nothing published for this process yet")
    return JsonResponse(ocds.release_package(request.build_absolute_uri(), releases),
                        json_dumps_params={"indent": 1})  # fmt: skip


def record_package_view(request: HttpRequest, ocid: str) -> HttpResponse:
    if not ocds.is_publishing():
        return _not_publishing()
    procurement = _process(ocid)
    if not procurement.releases.exists():
        raise Http404("Nothing published for this process yet")
    return JsonResponse(ocds.record_package(request.build_absolute_uri(), [procurement]),
                        json_dumps_params={"indent": 1})  # fmt: skip


def register_index_view(request: HttpRequest) -> HttpResponse:
    return render(request, "procurement/register_index.html",
                  {"councils": list(selectors.register_councils())})  # fmt: skip


def _council(slug: str) -> Organisation:
    return get_object_or_404(selectors.register_councils(), slug=slug)


def register_view(request: HttpRequest, org: str) -> HttpResponse:
    council = _council(org)
    return render(request, "procurement/register.html", {
        "council": council, "rows": list(selectors.register_rows(council)),
        "header": selectors.REGISTER_HEADER,
    })  # fmt: skip


def register_csv_view(request: HttpRequest, org: str) -> HttpResponse:
    council = _council(org)
    rows = (r.cells() for r in selectors.register_rows(council))
    about = about_lines(
        f"Strategic Partnering Platform: contracts register of {council.name} (contracts over "
        f"£{selectors.REGISTER_THRESHOLD:,} of published partnerships)",
        figures_by_row("Illustrative", "Yes"),
    )
    return csv_response(
        f"contracts-register-{council.slug}.csv", selectors.REGISTER_HEADER, rows, about=about
    )
