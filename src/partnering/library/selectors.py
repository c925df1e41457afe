"""Every read of the library room that needs more than ``.get()``, at a fixed number of queries."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from . import search
from .models import (
    PUBLIC_STATUSES,
    Attachment,
    ChangeNote,
    Document,
    DocumentVersion,
    Status,
)
from .permissions import documents_visible_to
from .rendering import Rendered, render


@dataclass
class DocumentFilters:
    q: str = ""
    kind: str = ""
    service_area: int | None = None  # an LGSL code
    audience: str = ""
    updated_from: date | None = None
    updated_to: date | None = None
    status: str = ""  # editors only: drafts, in review, ...
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_search(self) -> bool:
        return bool(self.q.strip())


def _start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _filtered(viewer: Any, filters: DocumentFilters, *, public_only: bool) -> QuerySet[Document]:
    qs = documents_visible_to(viewer)
    if public_only or not filters.status:
        qs = qs.filter(status__in=PUBLIC_STATUSES)
    else:
        qs = qs.filter(status=filters.status)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.service_area is not None:
        qs = qs.filter(service_areas__lgsl_code=filters.service_area)
    if filters.audience:
        # JSON list membership, the same on SQLite and PostgreSQL
        qs = (
            qs.filter(audiences__contains=filters.audience)
            if _json_contains()
            else qs.filter(audiences__icontains=f'"{filters.audience}"')
        )
    if filters.updated_from:
        qs = qs.filter(last_updated_at__gte=_start(filters.updated_from))
    if filters.updated_to:
        qs = qs.filter(last_updated_at__lt=_start(filters.updated_to) + timedelta(days=1))
    return qs


def _json_contains() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


def document_list(
    *, viewer: Any, filters: DocumentFilters, public_only: bool = True
) -> QuerySet[Document]:
    """Browse: newest updated first (no search words)."""
    return _filtered(viewer, filters, public_only=public_only).order_by(
        "-last_updated_at", "title", "pk"
    )


def document_search(
    *, viewer: Any, filters: DocumentFilters, offset: int = 0, limit: int = 20,
    public_only: bool = True,
) -> search.SearchPage:  # fmt: skip
    """Search: exact title first, current before withdrawn, then by relevance (``search.py``)."""
    base = _filtered(viewer, filters, public_only=public_only)
    return search.search(base, filters.q, offset=offset, limit=limit)


@dataclass(frozen=True)
class DocumentPage:
    document: Document
    rendered: Rendered
    attachments: list[Attachment]
    related: list[Document]
    change_notes: list[ChangeNote]
    service_areas: list[Any]


def document_get(viewer: Any, slug: str) -> Document:
    return (
        documents_visible_to(viewer).select_related("partnership", "superseded_by").get(slug=slug)
    )


def document_page(document: Document) -> DocumentPage:
    """What the public page shows, in a fixed number of queries."""
    attachments = list(document.attachments.defer("content").order_by("position", "pk"))
    related = list(
        document.related.filter(status__in=PUBLIC_STATUSES).only("title", "slug", "kind", "status")
    )
    notes = list(document.change_notes.order_by("-published_at", "-pk"))
    areas = list(document.service_areas.order_by("label"))
    return DocumentPage(
        document=document,
        rendered=render(document.body),
        attachments=attachments,
        related=related,
        change_notes=notes,
        service_areas=areas,
    )


def editor_queue(*, viewer: Any) -> dict[str, list[Document]]:
    """Editors' work: drafts, in review, scheduled; each list ready for a table."""
    qs = (
        documents_visible_to(viewer)
        .filter(status__in=[Status.DRAFT, Status.IN_REVIEW, Status.SCHEDULED])
        .select_related("created_by", "submitted_by")
        .order_by("-modified_at", "pk")
    )
    queue: dict[str, list[Document]] = {
        Status.DRAFT: [],
        Status.IN_REVIEW: [],
        Status.SCHEDULED: [],
    }
    for d in qs:
        queue[d.status].append(d)
    return queue


def versions_of(document: Document) -> list[DocumentVersion]:
    return list(document.versions.select_related("created_by").order_by("-number"))


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "added", "removed"
    text: str


@dataclass(frozen=True)
class VersionDiff:
    old: DocumentVersion
    new: DocumentVersion
    title_changed: bool
    summary_changed: bool
    lines: list[DiffLine]


def version_diff(document: Document, old_number: int, new_number: int) -> VersionDiff:
    """The body of two versions compared line by line (difflib), as additions and removals."""
    versions = {v.number: v for v in document.versions.filter(number__in=[old_number, new_number])}
    old, new = versions[old_number], versions[new_number]
    lines = []
    for line in difflib.ndiff(old.body.splitlines(), new.body.splitlines()):
        tag, text = line[:1], line[2:]
        if tag == "?":
            continue
        lines.append(DiffLine({"+": "added", "-": "removed"}.get(tag, "same"), text))
    return VersionDiff(
        old=old,
        new=new,
        title_changed=old.title != new.title,
        summary_changed=old.summary != new.summary,
        lines=lines,
    )


def feed_items(filters: DocumentFilters, *, limit: int = 50) -> list[Document]:
    """The Atom feed: what is new or updated (published or withdrawn), newest first."""
    return list(
        _filtered(None, filters, public_only=True)
        .filter(last_updated_at__isnull=False)
        .prefetch_related(
            Prefetch("change_notes", queryset=ChangeNote.objects.order_by("-published_at", "-pk"))
        )
        .order_by("-last_updated_at", "-pk")[:limit]
    )


def kind_counts() -> dict[str, int]:
    from django.db.models import Count

    rows = (
        Document.objects.filter(status__in=PUBLIC_STATUSES)
        .values("kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {r["kind"]: r["n"] for r in rows}


def public_q() -> Q:
    return Q(status__in=PUBLIC_STATUSES)
