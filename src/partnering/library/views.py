"""Thin views of the library room: parse (form) -> permission check -> selector or service."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from partnering.core.dates import govuk_datetime
from partnering.core.errors import DomainError
from partnering.core.forms import add_domain_error
from partnering.core.paging import paginate
from partnering.core.permissions import require
from partnering.partnerships.models import ServiceArea
from partnering.programme.selectors import published_modules

from . import selectors, services
from .feeds import atom_response
from .files import human_size
from .forms import (
    ApproveForm,
    AttachmentForm,
    CaseStudyForm,
    DocumentChangeForm,
    DocumentForm,
    ReasonForm,
    SearchForm,
)
from .models import KIND_PLURALS, KIND_SLUGS, Attachment, Audience, Document, Kind, Status
from .permissions import (
    can_create_document,
    can_edit_document,
    can_partner_approve,
    can_review_document,
    can_see_versions,
    can_submit_document,
    can_withdraw_document,
    is_author,
    is_editor,
)

PER_PAGE = 20
KIND_SLUG_OF = {kind: slug for slug, kind in KIND_SLUGS.items()}


def _document(request: HttpRequest, slug: str) -> Document:
    try:
        return selectors.document_get(request.user, slug)
    except Document.DoesNotExist:
        raise Http404("No such document") from None


def _filters(form: SearchForm, **fixed: Any) -> selectors.DocumentFilters:
    data = form.cleaned_data if form.is_valid() else {}
    return selectors.DocumentFilters(
        q=fixed.get("q", data.get("q") or ""),
        kind=fixed.get("kind", data.get("kind") or ""),
        audience=fixed.get("audience", data.get("audience") or ""),
        service_area=fixed.get("service_area", data.get("service_area")),
        updated_from=data.get("updated_from"),
        updated_to=data.get("updated_to"),
    )


class _LazyHits:
    """A sequence the paginator can count and slice: each slice is one search query."""

    def __init__(self, viewer: Any, filters: selectors.DocumentFilters) -> None:
        self.viewer, self.filters = viewer, filters
        self.first = selectors.document_search(viewer=viewer, filters=filters, limit=PER_PAGE)
        self.suggestion = self.first.suggestion

    def count(self) -> int:
        return self.first.total

    def __len__(self) -> int:
        return self.first.total

    def __getitem__(self, index: slice) -> list[Any]:
        start = index.start or 0
        if start == 0 and (index.stop or 0) - start <= PER_PAGE:
            return self.first.hits
        page = selectors.document_search(
            viewer=self.viewer, filters=self.filters, offset=start, limit=index.stop - start
        )
        return page.hits


def _results(request: HttpRequest, filters: selectors.DocumentFilters) -> dict[str, Any]:
    if filters.is_search:
        hits = _LazyHits(request.user, filters)
        paginator = Paginator(hits, PER_PAGE)  # type: ignore[arg-type]
        page_obj = paginator.get_page(request.GET.get("page"))
        params = request.GET.copy()
        params.pop("page", None)
        encoded = params.urlencode()
        return {
            "page_obj": page_obj,
            "page_range": paginator.get_elided_page_range(
                page_obj.number, on_each_side=2, on_ends=1
            ),
            "querystring_without_page": f"{encoded}&" if encoded else "",
            "items": [{"document": h.document, "excerpt": h.excerpt} for h in page_obj],
            "total": hits.first.total,
            "suggestion": hits.suggestion,
        }
    context = paginate(
        request, selectors.document_list(viewer=request.user, filters=filters), PER_PAGE
    )
    context["items"] = [{"document": d, "excerpt": None} for d in context["page_obj"]]
    context["total"] = context["page_obj"].paginator.count
    context["suggestion"] = None
    return context


def _feed_query(filters: selectors.DocumentFilters) -> str:
    from urllib.parse import urlencode

    params = {
        k: v
        for k, v in (
            ("kind", filters.kind),
            ("audience", filters.audience),
            ("service_area", filters.service_area or ""),
        )
        if v
    }
    return f"{reverse('library:feed')}?{urlencode(params)}" if params else reverse("library:feed")


def library_home_view(request: HttpRequest) -> HttpResponse:
    latest = selectors.document_list(viewer=request.user, filters=selectors.DocumentFilters())[:8]
    counts = selectors.kind_counts()
    kinds = [
        {
            "label": KIND_PLURALS[k],
            "url": reverse("library:browse-kind", args=[KIND_SLUG_OF[k]]),
            "count": counts.get(k, 0),
        }
        for k in Kind
    ]
    audiences = [
        {"label": a.label, "url": reverse("library:browse-audience", args=[a.value])}
        for a in Audience
    ]
    return render(
        request,
        "library/home.html",
        {
            "form": SearchForm(),
            "latest": list(latest),
            "kinds": kinds,
            "audiences": audiences,
            "is_editor": is_editor(request.user),
        },
    )


def search_view(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    filters = _filters(form)
    context = _results(request, filters)
    return render(
        request,
        "library/search.html",
        {**context, "form": form, "filters": filters, "feed_url": _feed_query(filters),
         "heading": "Search the library", "query": filters.q},
    )  # fmt: skip


def _browse(request: HttpRequest, heading: str, caption: str, **fixed: Any) -> HttpResponse:
    form = SearchForm(request.GET or None)
    filters = _filters(form, **fixed)
    context = _results(request, filters)
    return render(
        request,
        "library/search.html",
        {**context, "form": form, "filters": filters, "feed_url": _feed_query(filters),
         "heading": heading, "caption": caption, "query": filters.q, "browsing": True},
    )  # fmt: skip


def browse_kind_view(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in KIND_SLUGS:
        raise Http404("No such kind")
    value = KIND_SLUGS[kind]
    return _browse(request, KIND_PLURALS[value], "Browse by kind", kind=value)


def browse_audience_view(request: HttpRequest, audience: str) -> HttpResponse:
    if audience not in Audience.values:
        raise Http404("No such audience")
    return _browse(
        request, f"For {Audience(audience).label.lower()}", "Browse by audience", audience=audience
    )


def browse_service_area_view(request: HttpRequest, lgsl: int) -> HttpResponse:
    area = ServiceArea.objects.filter(lgsl_code=lgsl).first()
    if area is None:
        raise Http404("No such service")
    return _browse(request, area.label, "Browse by service area", service_area=lgsl)


def feed_view(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    filters = _filters(form, q="")
    return atom_response(request, filters)


def document_detail_view(request: HttpRequest, slug: str) -> HttpResponse:
    document = _document(request, slug)
    page = selectors.document_page(document)
    user = request.user
    return render(
        request,
        "library/document_detail.html",
        {
            "document": document,
            "page": page,
            "kind_url": reverse("library:browse-kind", args=[KIND_SLUG_OF[document.kind]]),
            "kind_plural": KIND_PLURALS[document.kind],
            "attachments": [{"a": a, "size": human_size(a.size_bytes)} for a in page.attachments],
            "can_edit": can_edit_document(user, document),
            "can_submit": can_submit_document(user, document),
            "can_review": can_review_document(user, document),
            "can_withdraw": can_withdraw_document(user, document),
            "can_partner_approve": can_partner_approve(user, document),
            "can_see_versions": can_see_versions(user, document),
            "is_editor": is_editor(user),
        },
    )


def attachment_download_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    document = _document(request, slug)
    attachment = Attachment.objects.filter(document=document, pk=pk).first()
    if attachment is None:
        raise Http404("No such attachment")
    response = HttpResponse(bytes(attachment.content), content_type=attachment.content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{attachment.filename.replace(chr(34), "")}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- editors ----------------------------------------------------------------------------------


@login_required
def editor_queue_view(request: HttpRequest) -> HttpResponse:
    require(is_editor(request.user), services.NOT_EDITOR)
    return render(
        request,
        "library/editor_queue.html",
        {
            "queue": selectors.editor_queue(viewer=request.user),
            "has_training_modules": published_modules().exists(),
        },
    )


def _form_data(form: DocumentForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data.pop("change", None)
    data.pop("change_note", None)
    return data


@login_required
def document_create_view(request: HttpRequest) -> HttpResponse:
    require(can_create_document(request.user), services.NOT_EDITOR)
    form = DocumentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            document = services.document_create(actor=request.user, **_form_data(form))
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"Draft “{document.title}” saved")
            return redirect(document)
    return render(request, "library/document_form.html", {"form": form, "heading": "New document"})


@login_required
def document_edit_view(request: HttpRequest, slug: str) -> HttpResponse:
    document = _document(request, slug)
    require(can_edit_document(request.user, document), "You cannot change this document.")
    published = document.status == Status.PUBLISHED
    form = DocumentChangeForm(
        request.POST or None, initial=DocumentForm.initial_for(document), published=published
    )
    if request.method == "POST" and form.is_valid():
        data = _form_data(form)
        if not is_editor(request.user):  # partners change the words, editors the metadata
            data = {k: data[k] for k in ("title", "summary", "body")}
        try:
            services.document_update(
                document=document,
                data=data,
                is_major=form.cleaned_data.get("change") == "major",
                change_note=form.cleaned_data.get("change_note", ""),
                actor=request.user,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Changes saved")
            return redirect(document)
    return render(
        request,
        "library/document_form.html",
        {"form": form, "document": document, "heading": f"Edit “{document.title}”"},
    )


@login_required
@require_POST
def document_submit_view(request: HttpRequest, slug: str) -> HttpResponse:
    document = _document(request, slug)
    require(is_editor(request.user), services.NOT_EDITOR)
    try:
        services.document_submit(document=document, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Sent for review: a second editor must approve it")
    return redirect(document)


@login_required
def document_review_view(request: HttpRequest, slug: str) -> HttpResponse:
    document = _document(request, slug)
    require(is_editor(request.user), services.NOT_EDITOR)
    require(can_review_document(request.user, document), "This document is not in review.")
    form = ApproveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_approve(
                document=document, publish_at=form.cleaned_data["publish_at"], actor=request.user
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            document.refresh_from_db()
            if document.status == Status.SCHEDULED:
                messages.success(
                    request,
                    f"Approved: it will be published on {govuk_datetime(document.publish_at)}",
                )
            else:
                messages.success(request, "Approved and published")
            return redirect(document)
    return render(
        request,
        "library/review.html",
        {"form": form, "document": document, "is_author": is_author(request.user, document),
         "page": selectors.document_page(document)},
    )  # fmt: skip


@login_required
def document_return_view(request: HttpRequest, slug: str) -> HttpResponse:
    document = _document(request, slug)
    require(is_editor(request.user), services.NOT_EDITOR)
    form = ReasonForm(request.POST or None, label="What needs to change")
    if request.method == "POST" and form.is_valid():
        try:
            services.document_return(
                document=document, reason=form.cleaned_data["reason"], actor=request.user
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Returned to draft")
            return redirect(document)
    return render(
        request, "library/reason_form.html",
        {"form": form, "document": document, "heading": "Return to draft", "button": "Return to draft"},
    )  # fmt: skip


@login_required
def document_withdraw_view(request: HttpRequest, slug: str) -> HttpResponse:
    document = _document(request, slug)
    require(
        can_withdraw_document(request.user, document), "Only editors withdraw published documents."
    )
    form = ReasonForm(
        request.POST or None,
        label="Why is it withdrawn?",
        hint="Shown to the public on the page, for example “Replaced by the 2004 toolkit”",
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.document_withdraw(
                document=document, reason=form.cleaned_data["reason"], actor=request.user
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Withdrawn: the page stays readable with the notice")
            return redirect(document)
    return render(
        request, "library/reason_form.html",
        {"form": form, "document": document, "heading": "Withdraw this document", "button": "Withdraw"},
    )  # fmt: skip


@login_required
def attachment_create_view(request: HttpRequest, slug: str) -> HttpResponse:
    document = _document(request, slug)
    require(can_edit_document(request.user, document), "You cannot change this document.")
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.attachment_add(
                document=document,
                title=form.cleaned_data["title"],
                data=upload.read(),
                filename=upload.name,
                actor=request.user,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Attachment added")
            return redirect(document)
    return render(request, "library/attachment_form.html", {"form": form, "document": document})


@login_required
@require_POST
def partner_approve_view(request: HttpRequest, slug: str) -> HttpResponse:
    document = _document(request, slug)
    try:
        services.case_study_partner_approve(document=document, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "You approved the case study for publication")
    return redirect(document)


@login_required
def version_list_view(request: HttpRequest, slug: str) -> HttpResponse:
    document = _document(request, slug)
    require(can_see_versions(request.user, document), "Only editors see the versions.")
    return render(
        request, "library/versions.html",
        {"document": document, "versions": selectors.versions_of(document)},
    )  # fmt: skip


@login_required
def version_diff_view(request: HttpRequest, slug: str, old: int, new: int) -> HttpResponse:
    document = _document(request, slug)
    require(can_see_versions(request.user, document), "Only editors see the versions.")
    try:
        diff = selectors.version_diff(document, old, new)
    except KeyError:
        raise Http404("No such version") from None
    return render(request, "library/version_diff.html", {"document": document, "diff": diff})


@login_required
def case_study_create_view(request: HttpRequest) -> HttpResponse:
    require(can_create_document(request.user), services.NOT_EDITOR)
    form = CaseStudyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            document = services.case_study_draft(
                partnership=form.cleaned_data["partnership"], actor=request.user
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Case study drafted from the partnership's record")
            return redirect(document)
    return render(request, "library/case_study_form.html", {"form": form})


@login_required
@require_POST
def training_import_view(request: HttpRequest) -> HttpResponse:
    require(can_create_document(request.user), services.NOT_EDITOR)
    made = services.training_programmes_import(actor=request.user)
    messages.success(
        request, f"{len(made)} training programme(s) drafted from the training modules"
    )
    return redirect("library:editor-queue")
