"""Factories of the library room (factory_boy), with an ``editor`` helper: taskforce staff with
the editor permission."""

import factory
from django.contrib.auth.models import Permission
from django.utils import timezone

from partnering.core.tests.factories import UserFactory
from partnering.library.models import (
    Attachment,
    ChangeNote,
    Document,
    DocumentVersion,
    FileKind,
    Kind,
    SearchWord,
    Status,
)

CSV_BYTES = b"council,share\nWychavon,1200\nMalvern Hills,900\n"


def make_editor(username: str | None = None, **fields):
    user = UserFactory(role="staff", **({"username": username} if username else {}), **fields)
    user.user_permissions.add(
        Permission.objects.get(codename="edit_library", content_type__app_label="library")
    )
    return type(user).objects.get(pk=user.pk)  # fresh: no permission cache


class DocumentFactory(factory.django.DjangoModelFactory):
    """A draft by default; ``published=True`` for a public one (dates set). Not indexed for
    search: use the services (or ``search.index_documents``) for that."""

    class Meta:
        model = Document
        skip_postgeneration_save = True

    class Params:
        published = factory.Trait(
            status=Status.PUBLISHED,
            first_published_at=factory.LazyFunction(timezone.now),
            last_updated_at=factory.LazyFunction(timezone.now),
        )

    kind = Kind.GUIDANCE
    title = factory.Sequence(lambda n: f"Guidance on shared services {n}")
    slug = factory.Sequence(lambda n: f"guidance-on-shared-services-{n}")
    summary = "How councils share a service fairly."
    body = "## Why share\n\nPartners share costs, risks and rewards fairly.\n"
    audiences = factory.LazyFunction(lambda: ["officers"])


class DocumentVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DocumentVersion

    document = factory.SubFactory(DocumentFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.LazyAttribute(lambda v: v.document.title)
    summary = factory.LazyAttribute(lambda v: v.document.summary)
    body = factory.LazyAttribute(lambda v: v.document.body)


class ChangeNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChangeNote

    document = factory.SubFactory(DocumentFactory, published=True)
    note = "Added the model contract schedule."
    published_at = factory.LazyFunction(timezone.now)


class AttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attachment

    document = factory.SubFactory(DocumentFactory)
    title = "Worked example of the shares"
    filename = "shares.csv"
    file_kind = FileKind.CSV
    content_type = "text/csv"
    size_bytes = len(CSV_BYTES)
    sha256 = "0" * 64
    content = CSV_BYTES


class SearchWordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SearchWord
        django_get_or_create = ("word",)

    word = factory.Sequence(lambda n: f"partnering{chr(97 + n % 26)}")
    first_letter = factory.LazyAttribute(lambda w: w.word[0])
    length = factory.LazyAttribute(lambda w: len(w.word))
