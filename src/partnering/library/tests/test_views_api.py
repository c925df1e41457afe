"""Pages and API: what a person and an integrator see, bad input answered with a message and
nothing saved, list pages at a fixed number of queries."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from partnering.core.services import api_key_create
from partnering.library import services
from partnering.library.models import Attachment, Document, Status
from partnering.library.samples import pdf_bytes

from .factories import make_editor

pytestmark = pytest.mark.django_db


@pytest.fixture
def editors(db):
    return make_editor("v-one"), make_editor("v-two")


def publish(
    a, b, title="Gateway reviews for partnerships", body="## The gates\n\nGate 0 to gate 5."
):
    d = services.document_create(kind="guidance", title=title, summary="Reviews at each gate.",
                                 body=body, audiences=["officers"], actor=a)  # fmt: skip
    services.document_submit(document=d, actor=a)
    return services.document_approve(document=d, actor=b)


def bearer(user):
    return {"Authorization": f"Bearer {api_key_create(name='t', actor=user)[1]}"}


def test_the_public_page_has_contents_metadata_attachments_and_updates(client, editors):
    a, b = editors
    d = publish(a, b, body="## The gates\n\nSix gates.\n\n## Ratings\n\nGreen to red.")
    services.attachment_add(document=d, title="Gateway workbook", data=pdf_bytes(12),
                            filename="workbook.pdf", actor=a)  # fmt: skip
    services.document_update(document=d, data={"body": d.body + "\n\n## Preparing\n\nBe ready."},
                             is_major=True, change_note="Added how to prepare.", actor=a)  # fmt: skip
    html = client.get(d.get_absolute_url()).content.decode()
    assert 'aria-label="Contents"' in html and 'href="#ratings"' in html
    assert "Published" in html and "Last updated" in html and "See all updates" in html
    assert "Gateway workbook" in html and "PDF</abbr>, " in html and "12 pages" in html
    assert "Request an accessible format" in html
    assert "Added how to prepare." in html and "First published." in html
    assert 'aria-label="Breadcrumb"' in html or "govuk-breadcrumbs" in html


def test_a_withdrawn_page_stays_readable_with_the_notice(client, editors):
    a, b = editors
    d = publish(a, b)
    services.document_withdraw(document=d, reason="Replaced by the 2004 review guide", actor=a)
    response = client.get(d.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "was withdrawn on" in html and "Replaced by the 2004 review guide" in html


def test_the_feed_is_atom_and_filters(client, editors):
    a, b = editors
    publish(a, b)
    response = client.get("/library/feed/", {"kind": "guidance"})
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert "<feed" in body and "Gateway reviews for partnerships" in body
    assert (
        "Gateway reviews" not in client.get("/library/feed/", {"kind": "toolkit"}).content.decode()
    )


def test_search_page_highlights_and_suggests(client, editors):
    a, b = editors
    publish(a, b)
    html = client.get("/library/search/", {"q": "gates"}).content.decode()
    assert "1 result" in html and "<mark>" in html
    html = client.get("/library/search/", {"q": "gatway"}).content.decode()
    assert "Did you mean" in html and "gateway" in html


def test_self_approval_on_the_page_is_an_error_and_nothing_changes(client, editors):
    a, _ = editors
    d = services.document_create(kind="toolkit", title="A toolkit", summary="S.", body="B", actor=a)
    services.document_submit(document=d, actor=a)
    client.force_login(a)
    response = client.post(f"/library/documents/{d.slug}/review/", {"when": "now"})
    assert response.status_code == 200
    assert "a second editor must approve it" in response.content.decode()
    d.refresh_from_db()
    assert d.status == Status.IN_REVIEW


def test_a_past_schedule_on_the_page_is_an_error(client, editors):
    a, b = editors
    d = services.document_create(kind="toolkit", title="A toolkit", summary="S.", body="B", actor=a)
    services.document_submit(document=d, actor=a)
    client.force_login(b)
    past = timezone.localdate() - timedelta(days=3)
    response = client.post(f"/library/documents/{d.slug}/review/", {
        "when": "later", "publish_on_day": past.day, "publish_on_month": past.month,
        "publish_on_year": past.year, "publish_time": "9:00"})  # fmt: skip
    assert response.status_code == 200
    html = response.content.decode()
    assert "must be in the future" in html, html[html.find("govuk-error-summary") :][:1500]
    d.refresh_from_db()
    assert d.status == Status.IN_REVIEW


def test_script_in_the_body_on_the_page_is_refused(client, editors):
    a, _ = editors
    client.force_login(a)
    response = client.post("/library/editor/new/", {
        "kind": "guidance", "title": "Bad", "summary": "S.", "body": "<script>alert(1)</script>"})  # fmt: skip
    assert response.status_code == 200
    assert "markup that is not allowed" in response.content.decode()
    assert not Document.objects.exists()


def test_a_wrong_file_uploaded_on_the_page_is_refused(client, editors):
    a, _ = editors
    d = services.document_create(kind="toolkit", title="A toolkit", summary="S.", body="B", actor=a)
    client.force_login(a)
    upload = SimpleUploadedFile(
        "agreement.pdf", b"<html><script>x</script></html>", "application/pdf"
    )
    response = client.post(
        f"/library/documents/{d.slug}/attachments/new/", {"title": "Agreement", "file": upload}
    )
    assert response.status_code == 200
    assert "must be a PDF, ODT, ODS, DOCX, XLSX or CSV file" in response.content.decode()
    assert not Attachment.objects.exists()


def test_the_api_reads_and_searches_published_documents(client, editors):
    a, b = editors
    d = publish(a, b)
    listed = client.get("/api/v1/library/documents").json()
    assert [x["slug"] for x in listed["items"]] == [d.slug]
    found = client.get("/api/v1/library/search", {"q": "gates"}).json()
    assert found["total"] == 1 and "<mark>" in found["results"][0]["excerpt_html"]
    one = client.get(f"/api/v1/library/documents/{d.slug}").json()
    assert one["body_html"].startswith('<h2 id="the-gates">')


@pytest.mark.parametrize(
    "query, message",
    [
        ({"page": str(10**30)}, "page: Input should be less than or equal to 1000000"),
        ({"page_size": "101"}, "page_size: Input should be less than or equal to 100"),
    ],
)
def test_the_api_list_answers_a_page_out_of_bounds_with_a_message(client, query, message):
    # With ninja's own pagination a huge page overflowed the database's OFFSET and was answered
    # as somebody else's save ("core.conflict"), and any page_size was taken.
    response = client.get("/api/v1/library/documents", query)

    assert response.status_code == 422
    assert response.json()["detail"] == message


def test_the_api_workflow_and_its_refusals(client, editors):
    a, b = editors
    new = {
        "kind": "model",
        "title": "Model exit plan",
        "summary": "Leaving.",
        "body": "## Triggers",
    }
    created = client.post(
        "/api/v1/library/documents", new, content_type="application/json", headers=bearer(a)
    )
    assert created.status_code == 201
    slug = created.json()["slug"]
    bad = client.post("/api/v1/library/documents", {**new, "body": "<script>x</script>"},
                      content_type="application/json", headers=bearer(a))  # fmt: skip
    assert bad.status_code == 422 and bad.json()["code"] == "library.unsafe_markup"
    assert Document.objects.count() == 1
    wrong_kind = client.post("/api/v1/library/documents", {**new, "kind": "poem"},
                             content_type="application/json", headers=bearer(a))  # fmt: skip
    assert wrong_kind.status_code == 422
    client.post(f"/api/v1/library/documents/{slug}/submit", headers=bearer(a))
    own = client.post(
        f"/api/v1/library/documents/{slug}/approve",
        {},
        content_type="application/json",
        headers=bearer(a),
    )
    assert own.status_code == 422 and own.json()["code"] == "library.self_approval"
    past = (timezone.now() - timedelta(hours=1)).isoformat()
    late = client.post(f"/api/v1/library/documents/{slug}/approve", {"publish_at": past},
                       content_type="application/json", headers=bearer(b))  # fmt: skip
    assert late.status_code == 422 and late.json()["code"] == "library.schedule_in_past"
    ok = client.post(
        f"/api/v1/library/documents/{slug}/approve",
        {},
        content_type="application/json",
        headers=bearer(b),
    )
    assert ok.status_code == 201 and ok.json()["status"] == "published"
    patched = client.patch(f"/api/v1/library/documents/{slug}", {"body": "## Triggers\n\nNotice.", "is_major": True},
                           content_type="application/json", headers=bearer(a))  # fmt: skip
    assert patched.status_code == 422 and patched.json()["code"] == "library.change_note_required"


def test_search_and_browse_pages_run_a_fixed_number_of_queries(
    client, editors, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    a, b = editors
    for n in range(3):
        publish(a, b, title=f"Gate guide {n}", body="## Gates\n\ngates")

    def counts():
        out = []
        for url in ("/library/search/?q=gates", "/library/browse/guidance/", "/library/"):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            out.append(len(ctx.captured_queries))
        return out

    few = counts()
    for n in range(3, 28):
        publish(a, b, title=f"Gate guide {n}", body="## Gates\n\ngates")
    assert counts() == few


def test_a_document_links_its_partnership_only_for_viewers_who_may_see_it(client):
    """A published document about an unpublished partnership names it for the public without a
    link (the link would be a 404); a staff editor, who may see it, gets the link."""
    from partnering.library.tests.factories import DocumentFactory
    from partnering.partnerships.tests.factories import make_partnership

    hidden = make_partnership(2, name="Quietshire Connect", is_published=False)
    document = DocumentFactory(published=True, partnership=hidden)
    link = f'href="{hidden.get_absolute_url()}"'
    html = client.get(document.get_absolute_url()).content.decode()
    assert "About Quietshire Connect" in html and link not in html
    client.force_login(make_editor())
    assert link in client.get(document.get_absolute_url()).content.decode()
