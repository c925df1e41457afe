"""Every write of the library room: permission-checked, validated, audited (simple-history with
the actor), one transaction each, the search index written in the same transaction.

The workflow (GOV.UK's): an editor writes a draft and sends it to review; a *second* editor
approves it, to publish now or at a future time (a background task publishes it then); a major
change to a published document needs a public change note and moves "last updated"; a minor
one does not; a withdrawn document stays readable with its notice and reason, never deleted.
Every content change is kept as a numbered version (the diff view compares any two).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from partnering.core.audit import audited_save
from partnering.core.dates import govuk_datetime
from partnering.core.errors import DomainError
from partnering.core.permissions import require
from partnering.partnerships.models import Partnership, ServiceArea

from . import search
from .errors import LibraryError as E
from .files import file_check
from .models import (
    Attachment,
    Audience,
    ChangeNote,
    Document,
    DocumentVersion,
    Kind,
    PartnershipKind,
    Status,
)
from .permissions import (
    can_create_document,
    can_edit_document,
    can_partner_approve,
    can_submit_document,
    can_withdraw_document,
    is_author,
    is_editor,
)
from .rendering import render, unsafe_markup

CONTENT_FIELDS = ("title", "summary", "body")
NOT_EDITOR = "Only library editors (taskforce staff with the editor permission) can do that."


def _now() -> datetime:
    return timezone.now()


def _when(at: datetime | None) -> datetime:
    """When a change happened: now, or (loading a record of the past) an earlier time."""
    now = _now()
    return now if at is None or at > now else at


def _unique_slug(title: str, *, exclude: int | None = None) -> str:
    base = slugify(title)[:100].strip("-") or "document"
    slug, n = base, 2
    taken = Document.objects.exclude(pk=exclude) if exclude else Document.objects.all()
    while taken.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def _check_content(title: str, summary: str, body: str) -> None:
    if not (title or "").strip():
        raise DomainError(E.NO_CHANGE, "Enter a title", "title")
    for field, text in (("title", title), ("summary", summary), ("body", body)):
        found = unsafe_markup(text)
        if found:
            raise DomainError(
                E.UNSAFE_MARKUP,
                f"The {field} contains markup that is not allowed ({', '.join(found)}): use "
                "Markdown for headings, lists, links and tables",
                field,
            )


def _check_choices(values: Sequence[str], allowed: Iterable[str], field: str) -> list[str]:
    allowed = set(allowed)
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise DomainError(E.NO_CHANGE, f"Choose {field.replace('_', ' ')} from the list", field)
    return list(dict.fromkeys(values))


def _prepare(document: Document) -> None:
    """The derived search text: the headings and the plain text of the rendered body."""
    rendered = render(document.body)
    document.headings_text = " ".join(h.text for h in rendered.headings)
    document.body_text = rendered.text


def _version(document: Document, *, is_major: bool, note: str, actor: Any) -> DocumentVersion:
    number = (document.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = DocumentVersion(
        document=document,
        number=number,
        title=document.title,
        summary=document.summary,
        body=document.body,
        is_major=is_major,
        change_note=note,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    version.full_clean()
    audited_save(version, actor=actor, reason=f"Version {number}")
    return version


def _index(document: Document) -> None:
    search.index_documents([document.pk])
    if document.is_public:
        search.remember_words(document)


def _related(document: Document, related: Iterable[Document | int]) -> None:
    ids = [r.pk if isinstance(r, Document) else int(r) for r in related]
    ids = [i for i in dict.fromkeys(ids) if i != document.pk]
    found = list(Document.objects.filter(pk__in=ids))
    if len(found) != len(ids):
        raise DomainError(E.UNKNOWN_RELATED, "Select related documents from the list", "related")
    document.related.set(found)


@transaction.atomic
def document_create(
    *,
    kind: str,
    title: str,
    summary: str,
    body: str,
    service_areas: Iterable[ServiceArea] = (),
    partnership_kinds: Sequence[str] = (),
    audiences: Sequence[str] = (),
    related: Iterable[Document | int] = (),
    partnership: Partnership | None = None,
    how_to_take: str = "",
    source_key: str = "",
    is_demo: bool = False,
    actor: Any,
) -> Document:
    """A new draft (version 1)."""
    require(can_create_document(actor), NOT_EDITOR)
    if kind not in Kind.values:
        raise DomainError(E.NO_CHANGE, "Select the kind of document", "kind")
    _check_content(title, summary, body)
    document = Document(
        kind=kind,
        title=title.strip(),
        slug=_unique_slug(title),
        summary=summary.strip(),
        body=body,
        partnership_kinds=_check_choices(
            partnership_kinds, PartnershipKind.values, "partnership_kinds"
        ),
        audiences=_check_choices(audiences, Audience.values, "audiences"),
        partnership=partnership,
        how_to_take=how_to_take,
        source_key=source_key,
        is_demo=is_demo,
        created_by=actor,
    )
    _prepare(document)
    document.full_clean()
    audited_save(document, actor=actor, reason="Drafted")
    document.service_areas.set(list(service_areas))
    _related(document, related)
    _version(document, is_major=True, note="", actor=actor)
    _index(document)
    return document


@transaction.atomic
def document_update(
    *,
    document: Document,
    data: dict[str, Any],
    is_major: bool = False,
    change_note: str = "",
    at: datetime | None = None,
    actor: Any,
) -> Document:
    """Change a document's content or metadata. A major change to a published document needs
    a change note (published with it, and "last updated" moves); a minor one has none."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    require(can_edit_document(actor, document), "You cannot change this document.")
    change_note = (change_note or "").strip()
    published = document.status == Status.PUBLISHED
    if published and is_major and not change_note:
        raise DomainError(
            E.CHANGE_NOTE_REQUIRED,
            "Enter a change note: a major change tells the public what changed",
            "change_note",
        )
    title = data.get("title", document.title)
    summary = data.get("summary", document.summary)
    body = data.get("body", document.body)
    _check_content(title, summary, body)
    content_changed = (title, summary, body) != (document.title, document.summary, document.body)
    document.title, document.summary, document.body = title.strip(), summary.strip(), body
    if "partnership_kinds" in data:
        document.partnership_kinds = _check_choices(
            data["partnership_kinds"], PartnershipKind.values, "partnership_kinds"
        )
    if "audiences" in data:
        document.audiences = _check_choices(data["audiences"], Audience.values, "audiences")
    if "how_to_take" in data:
        document.how_to_take = data["how_to_take"]
    if "kind" in data and data["kind"] != document.kind:
        if data["kind"] not in Kind.values:
            raise DomainError(E.NO_CHANGE, "Select the kind of document", "kind")
        document.kind = data["kind"]
    now = _when(at)
    if published and is_major:
        document.last_updated_at = now
    _prepare(document)
    document.full_clean()
    audited_save(document, actor=actor, reason="Major change" if is_major else "Minor change")
    if "service_areas" in data:
        document.service_areas.set(list(data["service_areas"]))
    if "related" in data:
        _related(document, data["related"])
    if content_changed or (published and is_major):
        version = _version(
            document, is_major=is_major, note=change_note if published else "", actor=actor
        )
        if published and is_major:
            note = ChangeNote(
                document=document, version=version, note=change_note, published_at=now
            )
            note.full_clean()
            audited_save(note, actor=actor, reason="Change note")
    _index(document)
    return document


@transaction.atomic
def document_submit(*, document: Document, actor: Any) -> Document:
    """Send a draft for review by a second editor."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    require(is_editor(actor), NOT_EDITOR)
    if not can_submit_document(actor, document):
        raise DomainError(E.NOT_DRAFT, "Only a draft can be sent for review")
    document.status = Status.IN_REVIEW
    document.submitted_by = actor
    document.full_clean()
    audited_save(document, actor=actor, reason="Sent for review")
    return document


@transaction.atomic
def document_return(*, document: Document, reason: str, actor: Any) -> Document:
    """A reviewer sends a document back to draft with what to change."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    require(is_editor(actor), NOT_EDITOR)
    if document.status not in (Status.IN_REVIEW, Status.SCHEDULED):
        raise DomainError(
            E.NOT_IN_REVIEW, "Only a document in review or scheduled can go back to draft"
        )
    if not (reason or "").strip():
        raise DomainError(E.REASON_REQUIRED, "Enter what needs to change", "reason")
    document.status = Status.DRAFT
    document.publish_at = None
    document.full_clean()
    audited_save(document, actor=actor, reason=f"Returned to draft: {reason.strip()}"[:100])
    return document


def _publish(document: Document, *, actor: Any, now: datetime) -> None:
    document.status = Status.PUBLISHED
    if document.first_published_at is None:
        document.first_published_at = now
        document.last_updated_at = now
        note = ChangeNote(document=document, note="First published.", published_at=now)
        note.version = document.versions.order_by("-number").first()
        document.full_clean()
        audited_save(document, actor=actor, reason="Published")
        note.full_clean()
        audited_save(note, actor=actor, reason="First published")
    else:
        document.full_clean()
        audited_save(document, actor=actor, reason="Published")
    _index(document)


@transaction.atomic
def document_approve(
    *,
    document: Document,
    publish_at: datetime | None = None,
    at: datetime | None = None,
    actor: Any,
) -> Document:
    """A second editor approves a document in review: published now, or scheduled for
    ``publish_at`` (which must be in the future). A case study needs its partners' approval."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    require(is_editor(actor), NOT_EDITOR)
    if document.status != Status.IN_REVIEW:
        raise DomainError(E.NOT_IN_REVIEW, "Only a document in review can be approved")
    if is_author(actor, document):
        raise DomainError(
            E.SELF_APPROVAL,
            "You wrote or sent this document for review: a second editor must approve it",
        )
    if (
        document.kind == Kind.CASE_STUDY
        and document.partnership_id is not None
        and document.partner_approved_at is None
    ):
        raise DomainError(
            E.PARTNER_APPROVAL_NEEDED,
            "The partnership's partners must approve this case study before it is published",
        )
    now = _when(at)
    document.approved_by = actor
    if publish_at is not None:
        if publish_at <= now:
            raise DomainError(
                E.SCHEDULE_IN_PAST,
                "The publication date and time must be in the future",
                "publish_at",
            )
        document.status = Status.SCHEDULED
        document.publish_at = publish_at
        document.full_clean()
        audited_save(
            document, actor=actor, reason=f"Approved, to publish at {govuk_datetime(publish_at)}"
        )
        transaction.on_commit(partial(_enqueue_publication, publish_at))
        return document
    document.publish_at = None
    _publish(document, actor=actor, now=now)
    return document


def _enqueue_publication(when: datetime) -> None:
    """Ask the task worker to publish at ``when`` (backends that cannot defer rely on the sweep:
    ``manage.py publish_scheduled_documents``, run every few minutes)."""
    from django_tasks import default_task_backend

    from .tasks import publish_scheduled

    if getattr(default_task_backend, "supports_defer", False):
        publish_scheduled.using(run_after=when).enqueue()


@transaction.atomic
def documents_publish_due(*, now: datetime | None = None) -> list[Document]:
    """Publish every scheduled document whose time has come (the task and the sweep call it)."""
    now = now or _now()
    due = list(
        Document.objects.select_for_update()
        .filter(status=Status.SCHEDULED, publish_at__lte=now)
        .order_by("publish_at", "pk")
    )
    for document in due:
        _publish(document, actor=document.approved_by, now=now)
    return due


@transaction.atomic
def document_withdraw(
    *,
    document: Document,
    reason: str,
    superseded_by: Document | None = None,
    at: datetime | None = None,
    actor: Any,
) -> Document:
    """Withdraw a published document: it stays readable, with the notice and the reason."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    require(is_editor(actor), NOT_EDITOR)
    if document.status == Status.WITHDRAWN:
        raise DomainError(E.ALREADY_WITHDRAWN, "This document is already withdrawn")
    if not can_withdraw_document(actor, document):
        raise DomainError(E.NOT_PUBLISHED, "Only a published document can be withdrawn")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(E.REASON_REQUIRED, "Enter why the document is withdrawn", "reason")
    document.status = Status.WITHDRAWN
    document.withdrawn_at = _when(at)
    document.withdrawn_reason = reason
    if superseded_by is not None and superseded_by.pk != document.pk:
        document.superseded_by = superseded_by
    document.full_clean()
    audited_save(document, actor=actor, reason="Withdrawn")
    _index(document)
    return document


@transaction.atomic
def attachment_add(
    *, document: Document, title: str, data: bytes, filename: str, actor: Any
) -> Attachment:
    """Attach a file, its type checked by content and its size limited (``files.file_check``)."""
    require(can_edit_document(actor, document), "You cannot change this document.")
    if not (title or "").strip():
        raise DomainError(E.NO_CHANGE, "Enter a title for the attachment", "title")
    checked = file_check(data, filename)
    position = (document.attachments.aggregate(n=Max("position"))["n"] or 0) + 1
    attachment = Attachment(
        document=document,
        title=title.strip(),
        filename=checked.filename,
        file_kind=checked.kind,
        content_type=checked.content_type,
        size_bytes=checked.size_bytes,
        page_count=checked.page_count,
        sha256=checked.sha256,
        content=data,
        position=position,
    )
    attachment.full_clean()
    audited_save(attachment, actor=actor, reason="Attached")
    return attachment


@transaction.atomic
def case_study_partner_approve(*, document: Document, actor: Any) -> Document:
    """One of the partnership's partners approves its case study for publication."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.kind != Kind.CASE_STUDY:
        raise DomainError(E.NOT_A_CASE_STUDY, "Only a case study needs its partners' approval")
    if not can_partner_approve(actor, document):
        raise DomainError(
            E.NOT_A_PARTNER,
            "Only a member of the partnership can approve its case study, before it is published",
        )
    document.partner_approved_by = actor
    document.partner_approved_at = _now()
    document.full_clean()
    audited_save(document, actor=actor, reason="Approved by the partners")
    return document


@transaction.atomic
def case_study_draft(*, partnership: Partnership, actor: Any, is_demo: bool = False) -> Document:
    """A draft case study written from the partnership's record (``casestudies.py``)."""
    from .casestudies import case_study_text

    require(can_create_document(actor), NOT_EDITOR)
    text = case_study_text(partnership)
    return document_create(
        kind=Kind.CASE_STUDY,
        title=text.title,
        summary=text.summary,
        body=text.body,
        service_areas=list(partnership.service_areas.all()),
        partnership_kinds=[partnership.kind] if partnership.kind in PartnershipKind.values else [],
        audiences=[Audience.OFFICERS, Audience.COUNCILLORS],
        partnership=partnership,
        source_key=f"partnerships.partnership:{partnership.pk}",
        is_demo=is_demo,
        actor=actor,
    )


@transaction.atomic
def training_programmes_import(*, actor: Any, is_demo: bool = False) -> list[Document]:
    """A draft training programme for each of the programme room's training modules not yet
    in the library (none while that room has no training modules: ``training.py``)."""
    from .training import modules

    require(can_create_document(actor), NOT_EDITOR)
    made = []
    existing = set(Document.objects.exclude(source_key="").values_list("source_key", flat=True))
    for module in modules():
        if module.source_key in existing:
            continue
        made.append(
            document_create(
                kind=Kind.TRAINING,
                title=module.title,
                summary=module.summary,
                body=module.body,
                audiences=module.audiences,
                how_to_take=module.how_to_take,
                source_key=module.source_key,
                is_demo=is_demo,
                actor=actor,
            )
        )
    return made
