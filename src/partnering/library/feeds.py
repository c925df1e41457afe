"""Atom feeds of what is new or updated in the library: everything, or any filter (kind,
audience, service area), built with Django's own Atom 1.0 generator."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from . import selectors
from .models import KIND_PLURALS, Kind, Status


def atom_response(request: HttpRequest, filters: selectors.DocumentFilters) -> HttpResponse:
    parts = []
    if filters.kind:
        parts.append(KIND_PLURALS[Kind(filters.kind)].lower())
    if filters.audience:
        parts.append(f"for {filters.audience}")
    if filters.service_area:
        parts.append(f"LGSL {filters.service_area}")
    title = "Strategic partnering library" + (f": {', '.join(parts)}" if parts else "")
    feed = Atom1Feed(
        title=title,
        link=request.build_absolute_uri(reverse("library:home")),
        description="New and updated toolkits, model documents, guidance, case studies and training",
        language="en-GB",
        feed_url=request.build_absolute_uri(request.get_full_path()),
        feed_guid=request.build_absolute_uri(request.get_full_path()),
    )
    for document in selectors.feed_items(filters):
        notes = list(document.change_notes.all())
        latest = notes[0].note if notes else ""
        if document.status == Status.WITHDRAWN:
            latest = f"Withdrawn: {document.withdrawn_reason}"
        url = request.build_absolute_uri(document.get_absolute_url())
        feed.add_item(
            title=document.title,
            link=url,
            description=f"{document.summary}" + (f" Change: {latest}" if latest else ""),
            unique_id=f"{url}#{document.last_updated_at:%Y%m%dT%H%M%S}",
            updateddate=document.withdrawn_at or document.last_updated_at,
            pubdate=document.first_published_at,
            categories=[document.get_kind_display()],
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response
