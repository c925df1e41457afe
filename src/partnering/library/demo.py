"""The library's demo: 40 documents of every kind (``demo_content.py``), published through the
workflow (written by one editor, approved by another) with their change notes, one withdrawn,
attachments of each file kind, and case studies drafted from the North Yorkshire and
Worcestershire partnerships' records, approved by their partners and published. Idempotent."""

from __future__ import annotations

from datetime import datetime, time

from django.contrib.auth.models import Permission
from django.utils import timezone

from partnering.core.management.commands.load_demo import DEMO_PASSWORD
from partnering.core.models import Role, User
from partnering.partnerships.models import Partnership

from . import services
from .demo_content import DOCUMENTS, RELATED, WITHDRAWN
from .models import Document, Status
from .samples import csv_bytes, docx_bytes, odt_bytes, pdf_bytes, xlsx_bytes

WORCS, NORTH_YORKS = "worcestershire-partnership", "north-yorkshire-ict-partnership"
SECOND_EDITOR = ("editor", ("Robin", "Ashworth"))


def _aware(day: datetime, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day.date(), time(hour, 30)))


def editors() -> tuple[User, User]:
    """The demo's two editors: ``staff`` and a second, ``editor`` (both with the permission)."""
    permission = Permission.objects.get(codename="edit_library", content_type__app_label="library")
    staff, _ = User.objects.get_or_create(
        username="staff",
        defaults={"role": Role.STAFF, "first_name": "Sam", "last_name": "Okafor",
                  "email": "staff@example.gov.uk"},
    )  # fmt: skip
    username, (first, last) = SECOND_EDITOR
    second, created = User.objects.get_or_create(
        username=username,
        defaults={"role": Role.STAFF, "first_name": first, "last_name": last,
                  "email": f"{username}@example.gov.uk"},
    )  # fmt: skip
    if created:
        second.set_password(DEMO_PASSWORD)
        second.save()
    for user in (staff, second):
        user.user_permissions.add(permission)
    return (
        User.objects.get(pk=second.pk),  # fresh objects: no cached permissions
        User.objects.get(pk=staff.pk),
    )


def load_documents(author: User, approver: User, *, is_demo: bool = True) -> list[Document]:
    """Write, review, publish and update the documents of ``demo_content`` (the relevance test
    uses this too). The author writes and sends for review; the approver publishes."""
    made: dict[str, Document] = {}
    for spec in DOCUMENTS:
        document = services.document_create(
            kind=spec["kind"],
            title=spec["title"],
            summary=spec["summary"],
            body=spec["body"],
            audiences=spec["audiences"],
            partnership_kinds=spec["partnership_kinds"],
            how_to_take=spec["how_to_take"],
            is_demo=is_demo,
            actor=author,
        )
        services.document_submit(document=document, actor=author)
        services.document_approve(document=document, at=_aware(spec["published"]), actor=approver)
        for day, note, extra in spec["changes"]:
            document.refresh_from_db()
            services.document_update(
                document=document,
                data={"body": f"{document.body}\n\n{extra}"},
                is_major=True,
                change_note=note,
                at=_aware(datetime.fromisoformat(day)),
                actor=author,
            )
        made[spec["title"]] = document
    for title, related in RELATED.items():
        services.document_update(
            document=made[title], data={"related": [made[t] for t in related]}, actor=author
        )
    title, reason, day, replaced_by = WITHDRAWN
    old = made[title]
    old.refresh_from_db()
    services.document_withdraw(
        document=old,
        reason=reason,
        superseded_by=made[replaced_by],
        at=_aware(datetime.fromisoformat(day), 10),
        actor=approver,
    )
    return list(made.values())


ATTACHMENTS = [
    ("Model partnership agreement for shared ICT services",
     "Model partnership agreement (editable)", "model-partnership-agreement.odt", "odt"),
    ("Model partnership agreement for shared ICT services",
     "Model partnership agreement (print version)", "model-partnership-agreement.pdf", "pdf"),
    ("Cost-sharing model for multi-authority partnerships",
     "Cost-sharing model spreadsheet", "cost-sharing-model.xlsx", "xlsx"),
    ("Sharing costs fairly: a guide to the Shapley value for finance officers",
     "Worked example: three districts share a revenues system", "shapley-worked-example.csv", "csv"),
    ("Model output specification for a joint contact centre",
     "Output specification template", "output-specification.docx", "docx"),
    ("Gateway reviews for partnerships", "Gateway review workbook", "gateway-workbook.pdf", "pdf"),
]  # fmt: skip


def _sample(kind: str, title: str) -> bytes:
    if kind == "pdf":
        return pdf_bytes(12 if "workbook" in title.lower() else 24)
    if kind == "xlsx":
        return xlsx_bytes(
            [["Component", "Fixed cost (£)"], ["Data centre", 250000], ["CRM", 400000]]
        )
    if kind == "csv":
        return csv_bytes([["Coalition", "Cost (£)"], ["A", 400000], ["B", 400000], ["C", 400000],
                          ["A+B", 650000], ["A+C", 650000], ["B+C", 650000], ["A+B+C", 900000]])  # fmt: skip
    if kind == "odt":
        return odt_bytes(title)
    return docx_bytes(title)


def _case_study(slug: str, partner: str, author: User, approver: User) -> bool:
    partnership = Partnership.objects.filter(slug=slug).first()
    partner_user = User.objects.filter(username=partner).first()
    if partnership is None:
        return False
    document = services.case_study_draft(partnership=partnership, actor=author, is_demo=True)
    if partner_user is None:
        return True
    try:
        services.case_study_partner_approve(document=document, actor=partner_user)
    except Exception:
        return True
    services.document_submit(document=document, actor=author)
    services.document_approve(document=document, actor=approver)
    return True


def load() -> str:
    if Document.objects.filter(is_demo=True).exists():
        return "already loaded"
    author, approver = editors()
    documents = load_documents(author, approver)
    by_title = {d.title: d for d in documents}
    for title, label, filename, kind in ATTACHMENTS:
        services.attachment_add(
            document=by_title[title], title=label, data=_sample(kind, label), filename=filename,
            actor=author,
        )  # fmt: skip
    studies = sum(
        _case_study(slug, partner, author, approver)
        for slug, partner in ((NORTH_YORKS, "northyorks"), (WORCS, "worcs"))
    )
    withdrawn = Document.objects.filter(status=Status.WITHDRAWN, is_demo=True).count()
    return (
        f"{len(documents)} documents ({withdrawn} withdrawn), {len(ATTACHMENTS)} attachments, "
        f"{studies} case studies from partnerships' records; editors: staff and editor"
    )
