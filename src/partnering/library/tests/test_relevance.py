"""The relevance set on whichever database runs the tests (CI runs both): every query's
expected document comes first. The rate is printed so a run records it."""

import pytest

from partnering.library.demo import load_documents
from partnering.library.relevance import RELEVANCE_SET, hit_rate, run

from .factories import make_editor

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(db):
    return load_documents(make_editor("rel-a"), make_editor("rel-b"), is_demo=False)


def test_the_relevance_set_has_at_least_30_queries_of_documents_that_exist(library):
    titles = {d.title for d in library}
    assert len(RELEVANCE_SET) >= 30
    assert {expected for _, expected in RELEVANCE_SET} <= titles


def test_every_relevance_query_finds_its_document_first(library, capsys):
    from django.db import connection

    results = run()
    rate = hit_rate(results)
    with capsys.disabled():
        print(f"\nrelevance hit rate on {connection.vendor}: {rate:.0%} of {len(results)} queries")
    misses = [(r.query, r.got) for r in results if not r.hit]
    assert not misses, misses


def test_withdrawn_guidance_comes_below_the_current_one(library):
    from partnering.library.selectors import DocumentFilters, document_search

    page = document_search(
        viewer=None, filters=DocumentFilters(q="Implementing Electronic Government statements")
    )
    statuses = [h.document.status for h in page.hits]
    assert statuses[0] == "published"
    assert "withdrawn" in statuses
    assert statuses.index("withdrawn") > statuses.index("published")
