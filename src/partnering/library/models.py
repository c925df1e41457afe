"""The library room's tables: published documents of five kinds, their versions, change notes
and attachments (issue 13). Search is kept beside them: a weighted ``tsvector`` column with a GIN
index on PostgreSQL, an FTS5 table on SQLite (``search.py``; created by migration 0002)."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from partnering.core.models import TimeStampedModel


class Kind(models.TextChoices):
    TOOLKIT = "toolkit", "Toolkit"
    MODEL = "model", "Model document"
    GUIDANCE = "guidance", "Best-practice guidance"
    CASE_STUDY = "case_study", "Case study"
    TRAINING = "training", "Training programme"


#: URL words of each kind (``/library/browse/toolkits/``) and their plural labels.
KIND_SLUGS = {
    "toolkits": Kind.TOOLKIT,
    "model-documents": Kind.MODEL,
    "guidance": Kind.GUIDANCE,
    "case-studies": Kind.CASE_STUDY,
    "training": Kind.TRAINING,
}
KIND_PLURALS = {
    Kind.TOOLKIT: "Toolkits",
    Kind.MODEL: "Model documents",
    Kind.GUIDANCE: "Best-practice guidance",
    Kind.CASE_STUDY: "Case studies",
    Kind.TRAINING: "Training programmes",
}


class Audience(models.TextChoices):
    OFFICERS = "officers", "Officers"
    COUNCILLORS = "councillors", "Councillors"
    FINANCE = "finance", "Finance"
    LEGAL = "legal", "Legal"
    PROCUREMENT = "procurement", "Procurement"


class PartnershipKind(models.TextChoices):
    """The kinds of partnership a document is for (the partnerships room's own kinds)."""

    PUBLIC_PUBLIC = "public_public", "Public-public"
    PUBLIC_PRIVATE = "public_private", "Public-private"
    PUBLIC_VOLUNTARY = "public_voluntary", "Public-voluntary"


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    SCHEDULED = "scheduled", "Scheduled"
    PUBLISHED = "published", "Published"
    WITHDRAWN = "withdrawn", "Withdrawn"


#: What the public sees: published documents, and withdrawn ones (never deleted, still readable).
PUBLIC_STATUSES = (Status.PUBLISHED, Status.WITHDRAWN)


class Document(TimeStampedModel):
    """One published (or to-be-published) document: its current content and where it is in the
    workflow. Every content change is also kept as a :class:`DocumentVersion`."""

    kind = models.CharField(max_length=16, choices=Kind.choices)
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=120, unique=True)
    summary = models.TextField(max_length=600, help_text="One or two sentences: shown in lists")
    body = models.TextField(help_text="Markdown")
    service_areas = models.ManyToManyField(
        "partnerships.ServiceArea", blank=True, related_name="library_documents"
    )
    partnership_kinds = models.JSONField(default=list, blank=True)
    audiences = models.JSONField(default=list, blank=True)
    related = models.ManyToManyField("self", blank=True, symmetrical=False, related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    publish_at = models.DateTimeField(null=True, blank=True, help_text="Scheduled publication")
    first_published_at = models.DateTimeField(null=True, blank=True)
    last_updated_at = models.DateTimeField(
        null=True, blank=True, help_text="The last major change the public was told about"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="supersedes"
    )
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="library_documents",
        help_text="The partnership a case study is about",
    )
    partner_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    partner_approved_at = models.DateTimeField(null=True, blank=True)
    source_key = models.CharField(
        max_length=100,
        blank=True,
        help_text="Where a generated document came from, e.g. programme.trainingmodule:3",
    )
    how_to_take = models.TextField(blank=True, help_text="Training programmes: how to take it")
    contact_email = models.EmailField(
        default="library@strategic-partnering.example.gov.uk",
        help_text="Where to ask for an accessible format",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_demo = models.BooleanField(default=False)
    # Search: what the index is built from (plain text of the headings and of the body), and on
    # PostgreSQL the weighted vector itself (title A, headings B, summary C, body D).
    headings_text = models.TextField(blank=True, editable=False)
    body_text = models.TextField(blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)
    history = HistoricalRecords(excluded_fields=["modified_at", "search_vector"])

    class Meta:
        ordering = ["title", "pk"]
        permissions = [("edit_library", "Can write, review and publish library documents")]
        indexes = [
            models.Index(fields=["status", "kind"]),
            models.Index(fields=["status", "-last_updated_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(first_published_at__isnull=False),
                name="library_published_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="withdrawn") | ~Q(withdrawn_reason=""),
                name="library_withdrawn_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="scheduled") | Q(publish_at__isnull=False),
                name="library_scheduled_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("library:document-detail", args=[self.slug])

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    @property
    def is_current(self) -> bool:
        return self.status == Status.PUBLISHED and self.superseded_by_id is None

    def audience_labels(self) -> list[str]:
        return [Audience(a).label for a in self.audiences if a in Audience.values]

    def partnership_kind_labels(self) -> list[str]:
        return [
            PartnershipKind(k).label for k in self.partnership_kinds if k in PartnershipKind.values
        ]


class DocumentVersion(models.Model):
    """One saved state of a document's content (every edit makes one; never changed)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    summary = models.TextField()
    body = models.TextField()
    is_major = models.BooleanField(default=False)
    change_note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="library_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"


class ChangeNote(models.Model):
    """A public change note: "See all updates" lists them, newest first."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="change_notes")
    version = models.ForeignKey(
        DocumentVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField()
    published_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["document", "-published_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.document}: {self.note[:40]}"


class FileKind(models.TextChoices):
    PDF = "pdf", "PDF"
    ODT = "odt", "OpenDocument Text"
    ODS = "ods", "OpenDocument Spreadsheet"
    DOCX = "docx", "MS Word Document"
    XLSX = "xlsx", "MS Excel Spreadsheet"
    CSV = "csv", "CSV"


class Attachment(TimeStampedModel):
    """A file attached to a document, its type checked by its content (``files.py``)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(max_length=200)
    filename = models.CharField(max_length=200)
    file_kind = models.CharField(max_length=8, choices=FileKind.choices)
    content_type = models.CharField(max_length=100)
    size_bytes = models.PositiveIntegerField()
    page_count = models.PositiveIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField(editable=False)
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords(excluded_fields=["modified_at", "content"])

    class Meta:
        ordering = ["document", "position", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("library:attachment-download", args=[self.document.slug, self.pk])


class SearchWord(models.Model):
    """A word of a public document's title, headings or summary, for "did you mean". A
    technical record (a search aid derived from documents), so it keeps no history."""

    word = models.CharField(max_length=40, unique=True)
    first_letter = models.CharField(max_length=1)
    length = models.PositiveSmallIntegerField()

    class Meta:
        indexes = [models.Index(fields=["first_letter", "length"])]

    def __str__(self) -> str:
        return self.word
