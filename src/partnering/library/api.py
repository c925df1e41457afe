"""Library JSON API: public reads of published (and withdrawn) documents and search; editors
write; a second editor approves. The same selectors, permissions and services as the pages."""

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import paginate

from partnering.core.api_auth import api_user, optional_auth, required_auth
from partnering.core.api_paging import PageNumberPagination
from partnering.core.errors import DomainError
from partnering.core.permissions import require
from partnering.partnerships.models import ServiceArea

from . import selectors, services
from .errors import LibraryError as E
from .models import Document
from .permissions import can_edit_document, is_editor
from .schemas import (
    ApproveIn,
    DocumentFiltersIn,
    DocumentOut,
    DocumentPatch,
    DocumentSummaryOut,
    LibraryDocumentIn,
    ReasonIn,
    SearchOut,
)

router = Router(tags=["library"])


def _document(user: Any, slug: str) -> Document:
    try:
        return selectors.document_get(user, slug)
    except Document.DoesNotExist:
        raise Http404("No such document") from None


def _summary(d: Document) -> dict[str, Any]:
    return {
        "slug": d.slug,
        "kind": d.kind,
        "title": d.title,
        "summary": d.summary,
        "status": d.status,
        "first_published_at": d.first_published_at,
        "last_updated_at": d.last_updated_at,
        "url": d.get_absolute_url(),
    }


def _out(d: Document) -> dict[str, Any]:
    page = selectors.document_page(d)
    return {
        **_summary(d),
        "body": d.body,
        "body_html": page.rendered.html,
        "audiences": d.audiences,
        "partnership_kinds": d.partnership_kinds,
        "service_areas": [s.lgsl_code for s in page.service_areas],
        "withdrawn_at": d.withdrawn_at,
        "withdrawn_reason": d.withdrawn_reason,
        "publish_at": d.publish_at,
        "partner_approved_at": d.partner_approved_at,
        "attachments": [
            {
                "title": a.title,
                "filename": a.filename,
                "file_kind": a.file_kind,
                "content_type": a.content_type,
                "size_bytes": a.size_bytes,
                "page_count": a.page_count,
                "url": a.get_absolute_url(),
            }
            for a in page.attachments
        ],
        "change_notes": [
            {"note": n.note, "published_at": n.published_at} for n in page.change_notes
        ],
        "related": [r.slug for r in page.related],
    }


def _filters(f: DocumentFiltersIn, q: str = "") -> selectors.DocumentFilters:
    return selectors.DocumentFilters(
        q=q,
        kind=f.kind or "",
        audience=f.audience or "",
        service_area=f.service_area,
        updated_from=f.updated_from,
        updated_to=f.updated_to,
    )


@router.get(
    "/documents", response=list[DocumentSummaryOut], auth=optional_auth,
    summary="Published and withdrawn documents, newest updated first",
)  # fmt: skip
@paginate(PageNumberPagination, page_size=50)
def document_list_endpoint(request: HttpRequest, filters: Query[DocumentFiltersIn]):  # type: ignore[no-untyped-def]
    qs = selectors.document_list(viewer=api_user(request), filters=_filters(filters))
    return qs.only(
        "slug", "kind", "title", "summary", "status", "first_published_at", "last_updated_at"
    )


@router.get("/search", response=SearchOut, auth=optional_auth, summary="Search the library")
def search_endpoint(
    request: HttpRequest, filters: Query[DocumentFiltersIn], q: str = "", page: int = 1
):  # type: ignore[no-untyped-def]
    page = max(1, min(page, 500))
    found = selectors.document_search(
        viewer=api_user(request),
        filters=_filters(filters, q[:200]),
        offset=(page - 1) * 20,
        limit=20,
    )
    return {
        "query": q[:200],
        "total": found.total,
        "suggestion": found.suggestion,
        "results": [{**_summary(h.document), "excerpt_html": str(h.excerpt)} for h in found.hits],
    }


@router.get("/documents/{slug}", response=DocumentOut, auth=optional_auth, summary="One document")
def document_detail_endpoint(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    return _out(_document(api_user(request), slug))


def _areas(codes: list[int]) -> list[ServiceArea]:
    found = list(ServiceArea.objects.filter(lgsl_code__in=codes))
    missing = sorted(set(codes) - {s.lgsl_code for s in found})
    if missing:
        raise DomainError(
            E.NO_CHANGE, f"There is no LGSL service with code {missing[0]}", "service_areas"
        )
    return found


def _related(slugs: list[str]) -> list[Document]:
    found = list(Document.objects.filter(slug__in=slugs))
    if len(found) != len(set(slugs)):
        raise DomainError(
            E.UNKNOWN_RELATED, "There is no library document with one of those slugs", "related"
        )
    return found


@router.post(
    "/documents",
    response={201: DocumentOut},
    auth=required_auth,
    summary="Draft a document (editors)",
)
def document_create_endpoint(request: HttpRequest, payload: LibraryDocumentIn):  # type: ignore[no-untyped-def]
    user = api_user(request)
    require(is_editor(user), services.NOT_EDITOR)
    data = payload.dict()
    data["service_areas"] = _areas(data["service_areas"])
    data["related"] = _related(data["related"])
    document = services.document_create(actor=user, **data)
    return Status(201, _out(document))


@router.patch(
    "/documents/{slug}", response=DocumentOut, auth=required_auth, summary="Change a document"
)
def document_update_endpoint(request: HttpRequest, slug: str, payload: DocumentPatch):  # type: ignore[no-untyped-def]
    user = api_user(request)
    document = _document(user, slug)
    require(can_edit_document(user, document), "You cannot change this document.")
    data = payload.dict(exclude_unset=True)
    is_major = data.pop("is_major", False)
    note = data.pop("change_note", "")
    data = {k: v for k, v in data.items() if v is not None}
    if "service_areas" in data:
        data["service_areas"] = _areas(data["service_areas"])
    if "related" in data:
        data["related"] = _related(data["related"])
    document = services.document_update(
        document=document, data=data, is_major=is_major, change_note=note, actor=user
    )
    return _out(document)


@router.post(
    "/documents/{slug}/submit", response={201: DocumentOut}, auth=required_auth,
    summary="Send a draft for review (editors)",
)  # fmt: skip
def document_submit_endpoint(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    user = api_user(request)
    document = _document(user, slug)
    require(is_editor(user), services.NOT_EDITOR)
    return Status(201, _out(services.document_submit(document=document, actor=user)))


@router.post(
    "/documents/{slug}/approve", response={201: DocumentOut}, auth=required_auth,
    summary="Approve a document in review: publish now or at a future time (a second editor)",
)  # fmt: skip
def document_approve_endpoint(request: HttpRequest, slug: str, payload: ApproveIn):  # type: ignore[no-untyped-def]
    user = api_user(request)
    document = _document(user, slug)
    require(is_editor(user), services.NOT_EDITOR)
    done = services.document_approve(document=document, publish_at=payload.publish_at, actor=user)
    return Status(201, _out(done))


@router.post(
    "/documents/{slug}/withdraw", response={201: DocumentOut}, auth=required_auth,
    summary="Withdraw a published document (it stays readable)",
)  # fmt: skip
def document_withdraw_endpoint(request: HttpRequest, slug: str, payload: ReasonIn):  # type: ignore[no-untyped-def]
    user = api_user(request)
    document = _document(user, slug)
    require(is_editor(user), services.NOT_EDITOR)
    done = services.document_withdraw(document=document, reason=payload.reason, actor=user)
    return Status(201, _out(done))


@router.post(
    "/documents/{slug}/partner-approval", response={201: DocumentOut}, auth=required_auth,
    summary="A partner approves their partnership's case study",
)  # fmt: skip
def partner_approve_endpoint(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    user = api_user(request)
    document = _document(user, slug)
    done = services.case_study_partner_approve(document=document, actor=user)
    return Status(201, _out(done))
