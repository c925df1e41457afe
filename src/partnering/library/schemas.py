"""Shapes of the library API (ninja schemas): shape and type only; services check the rules."""

from datetime import date, datetime
from typing import Any, Literal

from ninja import Field, Schema

KindIn = Literal["toolkit", "model", "guidance", "case_study", "training"]
AudienceIn = Literal["officers", "councillors", "finance", "legal", "procurement"]
PartnershipKindIn = Literal["public_public", "public_private", "public_voluntary"]


class LibraryDocumentIn(Schema):
    kind: KindIn
    title: str = Field(..., min_length=1, max_length=200)
    summary: str = Field(..., min_length=1, max_length=600)
    body: str = Field(..., max_length=200_000, description="Markdown")
    audiences: list[AudienceIn] = Field(default_factory=list)
    partnership_kinds: list[PartnershipKindIn] = Field(default_factory=list)
    service_areas: list[int] = Field(default_factory=list, description="LGSL codes")
    related: list[str] = Field(default_factory=list, description="Slugs of related documents")
    how_to_take: str = Field("", max_length=5000)


class DocumentPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    summary: str | None = Field(None, min_length=1, max_length=600)
    body: str | None = Field(None, max_length=200_000)
    audiences: list[AudienceIn] | None = None
    partnership_kinds: list[PartnershipKindIn] | None = None
    service_areas: list[int] | None = None
    related: list[str] | None = None
    how_to_take: str | None = Field(None, max_length=5000)
    is_major: bool = False
    change_note: str = Field("", max_length=1000)


class ApproveIn(Schema):
    publish_at: datetime | None = Field(
        None, description="Omit to publish now; must be in the future"
    )


class ReasonIn(Schema):
    reason: str = Field(..., min_length=1, max_length=2000)


class AttachmentOut(Schema):
    title: str
    filename: str
    file_kind: str
    content_type: str
    size_bytes: int
    page_count: int | None
    url: str


class ChangeNoteOut(Schema):
    note: str
    published_at: datetime


class DocumentSummaryOut(Schema):
    slug: str
    kind: str
    title: str
    summary: str
    status: str
    first_published_at: datetime | None
    last_updated_at: datetime | None
    url: str

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return obj["url"] if isinstance(obj, dict) else obj.get_absolute_url()


class DocumentOut(DocumentSummaryOut):
    body: str = Field(..., description="Markdown")
    body_html: str = Field(..., description="The body rendered and sanitised")
    audiences: list[str]
    partnership_kinds: list[str]
    service_areas: list[int]
    withdrawn_at: datetime | None
    withdrawn_reason: str
    publish_at: datetime | None
    partner_approved_at: datetime | None
    attachments: list[AttachmentOut]
    change_notes: list[ChangeNoteOut]
    related: list[str]


class SearchHitOut(DocumentSummaryOut):
    excerpt_html: str = Field(..., description="Escaped text with the matched words in <mark>")


class SearchOut(Schema):
    query: str
    total: int
    suggestion: str | None
    results: list[SearchHitOut]


class DocumentFiltersIn(Schema):
    kind: KindIn | None = None
    audience: AudienceIn | None = None
    service_area: int | None = Field(None, ge=1, le=999_999)
    updated_from: date | None = None
    updated_to: date | None = None
