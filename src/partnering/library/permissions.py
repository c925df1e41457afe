"""Who may see and change library documents: one rule per verb, as a queryset and a predicate.

- the public: published documents, and withdrawn ones (still readable, with the notice);
- editors (taskforce staff with the ``library.edit_library`` permission): every document; they
  write, submit, approve (never their own: a second editor approves), schedule, publish, update
  and withdraw;
- a case study's partners (people who may edit its partnership, as the partnerships room says)
  also see its drafts, edit them and approve them for publication;
- other staff, advisers and partner members see what the public sees.
"""

from typing import Any

from django.db.models import Q, QuerySet

from partnering.core.permissions import is_partner_member, is_signed_in, is_taskforce_staff
from partnering.partnerships.permissions import partnerships_editable_by

from .models import PUBLIC_STATUSES, Document, Kind, Status

EDITOR_PERMISSION = "library.edit_library"


def is_editor(user: Any) -> bool:
    return is_taskforce_staff(user) and user.has_perm(EDITOR_PERMISSION)


def _partner_case_studies(user: Any) -> Q:
    return Q(kind=Kind.CASE_STUDY, partnership__in=partnerships_editable_by(user))


def documents_visible_to(user: Any) -> QuerySet[Document]:
    qs = Document.objects.all()
    if is_editor(user):
        return qs
    public = Q(status__in=PUBLIC_STATUSES)
    if is_partner_member(user):
        return qs.filter(public | _partner_case_studies(user))
    return qs.filter(public)


def documents_public() -> QuerySet[Document]:
    return Document.objects.filter(status__in=PUBLIC_STATUSES)


def can_view_document(user: Any, document: Document) -> bool:
    return documents_visible_to(user).filter(pk=document.pk).exists()


def is_case_study_partner(user: Any, document: Document) -> bool:
    return (
        is_partner_member(user)
        and document.kind == Kind.CASE_STUDY
        and document.partnership_id is not None
        and partnerships_editable_by(user).filter(pk=document.partnership_id).exists()
    )


def can_create_document(user: Any) -> bool:
    return is_editor(user)


def can_edit_document(user: Any, document: Document) -> bool:
    if document.status == Status.WITHDRAWN:
        return False
    if is_editor(user):
        return True
    return document.status == Status.DRAFT and is_case_study_partner(user, document)


def can_submit_document(user: Any, document: Document) -> bool:
    return is_editor(user) and document.status == Status.DRAFT


def can_review_document(user: Any, document: Document) -> bool:
    """May see the approve form (the service refuses the author's own approval with a message)."""
    return is_editor(user) and document.status == Status.IN_REVIEW


def is_author(user: Any, document: Document) -> bool:
    return is_signed_in(user) and user.pk in {document.created_by_id, document.submitted_by_id}


def can_withdraw_document(user: Any, document: Document) -> bool:
    return is_editor(user) and document.status == Status.PUBLISHED


def can_partner_approve(user: Any, document: Document) -> bool:
    return document.status in (Status.DRAFT, Status.IN_REVIEW) and is_case_study_partner(
        user, document
    )


def can_see_versions(user: Any, document: Document) -> bool:
    return is_editor(user) or is_case_study_partner(user, document)
