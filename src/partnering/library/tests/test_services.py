"""The publishing workflow and its rules, with the bad input the issue names: nothing saved,
a clear message, nothing unsafe rendered."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from partnering.core.errors import DomainError
from partnering.core.tests.factories import UserFactory
from partnering.library import services
from partnering.library.errors import LibraryError as E
from partnering.library.models import ChangeNote, Document, DocumentVersion, Status
from partnering.library.samples import csv_bytes, docx_bytes, odt_bytes, pdf_bytes, xlsx_bytes
from partnering.library.selectors import (
    DocumentFilters,
    document_page,
    document_search,
    version_diff,
)
from partnering.library.tasks import publish_scheduled
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.tests.factories import make_partnership

from .factories import make_editor

pytestmark = pytest.mark.django_db


@pytest.fixture
def editors(db):
    return make_editor("ed-one"), make_editor("ed-two")


def draft(editor, **fields):
    return services.document_create(
        kind=fields.pop("kind", "guidance"),
        title=fields.pop("title", "Governance of strategic partnerships"),
        summary="Boards, scrutiny and accountability.",
        body=fields.pop(
            "body", "## Boards\n\nOne member from each council.\n\n## Scrutiny\n\nCommittees."
        ),
        actor=editor,
        **fields,
    )


def published(a, b, **fields):
    d = draft(a, **fields)
    services.document_submit(document=d, actor=a)
    return services.document_approve(document=d, actor=b)


class TestWorkflow:
    def test_draft_review_and_a_second_editor_publishes(self, editors):
        a, b = editors
        d = draft(a)
        assert d.status == Status.DRAFT and d.versions.count() == 1
        services.document_submit(document=d, actor=a)
        d = services.document_approve(document=d, actor=b)
        assert d.status == Status.PUBLISHED
        assert d.first_published_at == d.last_updated_at
        assert [n.note for n in d.change_notes.all()] == ["First published."]
        assert d.history.filter(history_user=b).exists()

    def test_the_author_cannot_approve_their_own_document(self, editors):
        a, _ = editors
        d = draft(a)
        services.document_submit(document=d, actor=a)
        with pytest.raises(DomainError) as error:
            services.document_approve(document=d, actor=a)
        assert error.value.code == E.SELF_APPROVAL
        d.refresh_from_db()
        assert d.status == Status.IN_REVIEW and d.first_published_at is None

    def test_staff_without_the_editor_permission_cannot_write(self, db):
        staff = UserFactory(role="staff", username="not-editor")
        with pytest.raises(PermissionDenied):
            draft(staff)
        assert not Document.objects.exists()

    def test_a_major_change_needs_a_note_and_moves_last_updated(self, editors):
        a, b = editors
        d = published(a, b)
        first = d.last_updated_at
        with pytest.raises(DomainError) as error:
            services.document_update(document=d, data={"body": "## New"}, is_major=True, actor=a)
        assert error.value.code == E.CHANGE_NOTE_REQUIRED
        d.refresh_from_db()
        assert d.body.startswith("## Boards") and d.versions.count() == 1
        d = services.document_update(
            document=d, data={"body": d.body + "\n\n## Joint committees\n\nUnder the 1972 Act."},
            is_major=True, change_note="Added joint committees.", actor=a,
        )  # fmt: skip
        assert d.last_updated_at > first
        assert d.change_notes.first().note == "Added joint committees."
        assert d.versions.count() == 2

    def test_a_minor_change_has_no_note_and_keeps_last_updated(self, editors):
        a, b = editors
        d = published(a, b)
        first = d.last_updated_at
        d = services.document_update(document=d, data={"summary": "Boards and scrutiny."}, actor=a)
        assert d.last_updated_at == first
        assert d.change_notes.count() == 1  # "First published." only
        assert d.versions.count() == 2

    def test_withdrawn_stays_readable_with_its_reason(self, editors):
        a, b = editors
        d = published(a, b)
        with pytest.raises(DomainError) as error:
            services.document_withdraw(document=d, reason="  ", actor=a)
        assert error.value.code == E.REASON_REQUIRED
        d = services.document_withdraw(document=d, reason="Replaced by the 2004 guidance", actor=a)
        assert d.status == Status.WITHDRAWN and Document.objects.filter(pk=d.pk).exists()
        from partnering.library.permissions import documents_visible_to

        assert documents_visible_to(None).filter(pk=d.pk).exists()
        with pytest.raises(DomainError) as error:
            services.document_withdraw(document=d, reason="Again", actor=a)
        assert error.value.code == E.ALREADY_WITHDRAWN

    def test_scheduled_publication_happens_when_due(self, editors):
        a, b = editors
        d = draft(a)
        services.document_submit(document=d, actor=a)
        when = timezone.now() + timedelta(hours=2)
        d = services.document_approve(document=d, publish_at=when, actor=b)
        assert d.status == Status.SCHEDULED
        assert services.documents_publish_due() == []
        published_now = services.documents_publish_due(now=when + timedelta(minutes=1))
        assert [x.pk for x in published_now] == [d.pk]
        d.refresh_from_db()
        assert d.status == Status.PUBLISHED and d.approved_by == b

    def test_the_task_publishes_what_is_due(self, editors):
        a, b = editors
        d = draft(a)
        services.document_submit(document=d, actor=a)
        d = services.document_approve(
            document=d, publish_at=timezone.now() + timedelta(seconds=5), actor=b
        )
        Document.objects.filter(pk=d.pk).update(publish_at=timezone.now() - timedelta(seconds=1))
        publish_scheduled.call()
        d.refresh_from_db()
        assert d.status == Status.PUBLISHED

    def test_a_schedule_in_the_past_is_refused(self, editors):
        a, b = editors
        d = draft(a)
        services.document_submit(document=d, actor=a)
        with pytest.raises(DomainError) as error:
            services.document_approve(
                document=d, publish_at=timezone.now() - timedelta(days=1), actor=b
            )
        assert error.value.code == E.SCHEDULE_IN_PAST and error.value.field == "publish_at"
        d.refresh_from_db()
        assert d.status == Status.IN_REVIEW and d.publish_at is None

    def test_every_version_is_kept_and_diffed(self, editors):
        a, _ = editors
        d = draft(a, body="one\ntwo\nthree")
        services.document_update(document=d, data={"body": "one\n2\nthree"}, actor=a)
        diff = version_diff(d, 1, 2)
        assert [(x.kind, x.text) for x in diff.lines if x.kind != "same"] == [
            ("removed", "two"), ("added", "2"),
        ]  # fmt: skip
        assert DocumentVersion.objects.filter(document=d).count() == 2


class TestBadInput:
    @pytest.mark.parametrize(
        "body",
        [
            "Hello <script>alert(1)</script>",
            "[click](javascript:alert(1))",
            '<img src="x" onerror="alert(1)">',
            "<iframe src='https://evil.example'></iframe>",
            '<a href="#" style="position:fixed">x</a>',
        ],
    )
    def test_script_or_html_injection_is_refused_and_nothing_saved(self, editors, body):
        a, _ = editors
        with pytest.raises(DomainError) as error:
            draft(a, body=body)
        assert error.value.code == E.UNSAFE_MARKUP and error.value.field == "body"
        assert not Document.objects.exists()

    def test_what_is_rendered_never_carries_a_script(self, editors):
        from partnering.library.rendering import render

        html = render(
            "x <script>alert(1)</script> [a](javascript:alert(2)) <b onclick=x>b</b>"
        ).html
        assert "<script" not in html and "javascript:" not in html and "onclick" not in html

    def test_an_attachment_of_the_wrong_type_by_content_is_refused(self, editors):
        a, _ = editors
        d = draft(a)
        exe = b"MZ\x90\x00" + b"\x00" * 200
        with pytest.raises(DomainError) as error:
            services.attachment_add(
                document=d, title="Model", data=exe, filename="model.pdf", actor=a
            )
        assert error.value.code == E.FILE_TYPE
        fake_pdf = b"%PDF-1.4 this is not really a pdf"
        with pytest.raises(DomainError):
            services.attachment_add(
                document=d, title="Model", data=fake_pdf, filename="m.pdf", actor=a
            )
        assert d.attachments.count() == 0

    def test_an_attachment_over_the_size_limit_is_refused(self, editors):
        a, _ = editors
        d = draft(a)
        big = b"a,b\n" * (3 * 1024 * 1024)
        with pytest.raises(DomainError) as error:
            services.attachment_add(document=d, title="Big", data=big, filename="big.csv", actor=a)
        assert error.value.code == E.FILE_TOO_LARGE
        assert d.attachments.count() == 0

    @pytest.mark.parametrize(
        ("data", "kind", "pages"),
        [
            (pdf_bytes(3), "pdf", 3),
            (xlsx_bytes([["a", 1]]), "xlsx", None),
            (csv_bytes([["a", "b"], [1, 2]]), "csv", None),
            (odt_bytes("Model"), "odt", None),
            (docx_bytes("Model"), "docx", None),
        ],
    )
    def test_accepted_files_are_told_apart_by_content(self, editors, data, kind, pages):
        a, _ = editors
        d = draft(a)
        att = services.attachment_add(
            document=d, title="File", data=data, filename="x.bin", actor=a
        )
        assert (att.file_kind, att.page_count, att.size_bytes) == (kind, pages, len(data))


class TestCaseStudies:
    def test_drafted_from_the_record_and_approved_by_the_partners(self, editors):
        a, b = editors
        org = OrganisationFactory(name="Hambleton District Council")
        p = make_partnership(3, lead=org, name="Hambleton ICT Partnership")
        d = services.case_study_draft(partnership=p, actor=a)
        assert d.status == Status.DRAFT and d.partnership == p
        assert "Hambleton District Council" in d.body and "## Who is in it" in d.body
        services.document_submit(document=d, actor=a)
        with pytest.raises(DomainError) as error:
            services.document_approve(document=d, actor=b)
        assert error.value.code == E.PARTNER_APPROVAL_NEEDED
        outsider = UserFactory(role="partner", organisations=[OrganisationFactory()])
        with pytest.raises(DomainError) as error:
            services.case_study_partner_approve(document=d, actor=outsider)
        assert error.value.code == E.NOT_A_PARTNER
        partner = UserFactory(role="partner", organisations=[org])
        services.case_study_partner_approve(document=d, actor=partner)
        d = services.document_approve(document=d, actor=b)
        assert d.status == Status.PUBLISHED and d.partner_approved_by == partner


class TestTraining:
    def test_each_published_training_module_becomes_one_draft_programme_once(self, editors):
        from partnering.programme.tests.factories import ModuleFactory

        a, _ = editors
        published = ModuleFactory(title="Leading a strategic partnership", audience="all")
        ModuleFactory(title="Not ready yet", is_published=False)
        made = services.training_programmes_import(actor=a)
        assert [d.title for d in made] == [published.title]  # a draft module stays out
        (programme,) = made
        assert programme.kind == "training" and programme.status == Status.DRAFT
        assert "Agree how costs are shared" in programme.body
        assert services.training_programmes_import(actor=a) == []


class TestSearchIndex:
    def test_results_are_current_on_commit_and_drafts_stay_out(self, editors):
        a, b = editors
        d = draft(
            a, title="Setting up a joint committee", body="## Standing orders\n\nQuorum rules."
        )
        found = document_search(viewer=None, filters=DocumentFilters(q="quorum"))
        assert found.total == 0
        services.document_submit(document=d, actor=a)
        services.document_approve(document=d, actor=b)
        found = document_search(viewer=None, filters=DocumentFilters(q="quorum"))
        assert [h.document.pk for h in found.hits] == [d.pk]
        assert "<mark>" in found.hits[0].excerpt

    def test_excerpts_escape_the_document_text(self, editors):
        a, b = editors
        published(a, b, body="Write `<b>quorum</b>` & more.")
        hit = document_search(viewer=None, filters=DocumentFilters(q="quorum")).hits[0]
        # escaped on SQLite, dropped by ts_headline on PostgreSQL: never markup either way
        assert "<b>" not in hit.excerpt and "&amp; more" in hit.excerpt

    def test_did_you_mean_a_misspelling(self, editors):
        a, b = editors
        published(a, b, title="Governance of strategic partnerships")
        found = document_search(viewer=None, filters=DocumentFilters(q="govrnance"))
        assert found.total == 0 and found.suggestion == "governance"

    def test_exact_title_first(self, editors):
        a, b = editors
        published(a, b, title="Business case", body="Short.")
        published(a, b, title="Writing a business case for a partnership project",
                  body="## Business case\n\nBusiness case business case business case.")  # fmt: skip
        found = document_search(viewer=None, filters=DocumentFilters(q="Business case"))
        assert found.hits[0].document.title == "Business case"

    def test_filters_by_kind_and_audience(self, editors):
        a, b = editors
        published(a, b, title="Quorum toolkit", kind="toolkit", audiences=["legal"], body="quorum")
        published(a, b, title="Quorum guide", kind="guidance", audiences=["finance"], body="quorum")
        by_kind = document_search(viewer=None, filters=DocumentFilters(q="quorum", kind="toolkit"))
        assert [h.document.title for h in by_kind.hits] == ["Quorum toolkit"]
        by_audience = document_search(
            viewer=None, filters=DocumentFilters(q="quorum", audience="finance")
        )
        assert [h.document.title for h in by_audience.hits] == ["Quorum guide"]

    def test_websearch_syntax_never_errors(self, editors):
        a, b = editors
        published(a, b)
        for q in [
            '"unclosed',
            "-",
            "OR OR",
            "a AND NOT",
            "*",
            "NEAR(a b)",
            "col:x",
            "''",
            '""',
            "governance -scrutiny",
            "boards or committees",
        ]:
            document_search(viewer=None, filters=DocumentFilters(q=q))
        assert (
            document_search(viewer=None, filters=DocumentFilters(q="governance -scrutiny")).total
            == 0
        )
        assert (
            document_search(
                viewer=None, filters=DocumentFilters(q="boards or nothingmatches")
            ).total
            == 1
        )


def test_the_page_shows_contents_from_the_headings(editors):
    a, b = editors
    d = published(a, b)
    page = document_page(d)
    assert [h.text for h in page.rendered.contents] == ["Boards", "Scrutiny"]
    assert ChangeNote.objects.filter(document=d).count() == 1
