"""Full-text search behind one interface, so nothing else cares which database runs it.

- PostgreSQL: a weighted ``tsvector`` column (title A, headings B, summary C, body D, English
  configuration) with a GIN index; the query is ``websearch_to_tsquery`` (quotes for phrases,
  ``or``, ``-word``); ranked by ``ts_rank``; excerpts by ``ts_headline``.
- SQLite: an FTS5 table (Porter stemmer) with the same four columns; the websearch syntax is
  translated to an FTS5 expression with every word quoted (so nothing a visitor types is FTS5
  syntax); ranked by ``bm25`` with the same weights; excerpts by ``snippet``.

Both order exact title matches first, then current documents before withdrawn or superseded
ones, then by relevance. The index is written in the same transaction as the document
(``index_document``), so results are current on commit. "Did you mean" uses the words of public
documents' titles, headings and summaries (``SearchWord``).
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When, Window
from django.db.models.functions import Lower
from django.utils.safestring import SafeString, mark_safe

from .models import Document, SearchWord, Status

FTS_TABLE = "library_document_fts"
WEIGHTS = (10.0, 5.0, 2.5, 1.0)  # title, headings, summary, body
START, STOP = "\x02", "\x03"  # excerpt markers, replaced by <mark> after escaping the text

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "from",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "our",
        "so",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "was",
        "we",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "will",
        "with",
        "you",
        "your",
    ]
)
WORD = re.compile(r"\w+", re.UNICODE)


def vendor() -> str:
    return connection.vendor


# --- the query language (websearch syntax) ----------------------------------------------------


@dataclass(frozen=True)
class ParsedQuery:
    """The visitor's words: groups of alternatives (``or``), each a phrase of words, and the
    phrases to leave out (``-word``)."""

    groups: tuple[tuple[tuple[str, ...], ...], ...]
    excluded: tuple[tuple[str, ...], ...]

    @property
    def words(self) -> list[str]:
        return [w for group in self.groups for phrase in group for w in phrase]


def parse(text: str) -> ParsedQuery:
    """Parse websearch syntax: ``"a phrase"``, ``or``, ``-excluded``; other punctuation splits."""
    tokens = re.findall(r'(-?)"([^"]*)"|(-?)(\S+)', text or "")
    groups: list[list[tuple[str, ...]]] = []
    excluded: list[tuple[str, ...]] = []
    join_next = False
    for neg_q, quoted, neg_w, word in tokens:
        if not quoted and word.lower() == "or" and groups:
            join_next = True
            continue
        negative = bool(neg_q or neg_w)
        raw = quoted if quoted else word
        words = tuple(w.lower() for w in WORD.findall(raw))
        if not quoted:
            words = tuple(w for w in words if w not in STOPWORDS)
        if not words:
            continue
        if negative:
            excluded.append(words)
        elif join_next:
            groups[-1].append(words)
        else:
            groups.append([words])
        join_next = False
    return ParsedQuery(tuple(tuple(g) for g in groups), tuple(excluded))


def fts5_expression(parsed: ParsedQuery) -> str:
    """An FTS5 MATCH expression; every word is double-quoted, so it is never FTS5 syntax."""

    def phrase(words: Sequence[str]) -> str:
        return '"' + " ".join(words) + '"'

    parts = []
    for group in parsed.groups:
        alternatives = [phrase(p) for p in group]
        parts.append(
            alternatives[0] if len(alternatives) == 1 else f"({' OR '.join(alternatives)})"
        )
    expression = " AND ".join(parts)
    for words in parsed.excluded:
        expression += f" NOT {phrase(words)}"
    return expression


# --- results ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    document: Document
    excerpt: SafeString


@dataclass(frozen=True)
class SearchPage:
    hits: list[Hit]
    total: int
    suggestion: str | None  # "did you mean" the corrected query


def excerpt_html(raw: str | None) -> SafeString:
    """The excerpt with its text escaped and the matched words in ``<mark>``."""
    text = html.escape(raw or "", quote=False)
    text = text.replace(START, "<mark>").replace(STOP, "</mark>")
    return mark_safe(text)


def _order_flags(query_text: str) -> dict[str, Case]:
    return {
        "exact_title": Case(
            When(title_lower=query_text.strip().lower(), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        ),
        "is_current_flag": Case(
            When(Q(status=Status.PUBLISHED, superseded_by__isnull=True), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        ),
    }


class PostgresSearch:
    def index(self, pks: Iterable[int] | None = None) -> None:
        vector = (
            SearchVector("title", weight="A", config="english")
            + SearchVector("headings_text", weight="B", config="english")
            + SearchVector("summary", weight="C", config="english")
            + SearchVector("body_text", weight="D", config="english")
        )
        qs = Document.objects.all() if pks is None else Document.objects.filter(pk__in=list(pks))
        qs.update(search_vector=vector)

    def search(
        self, base: QuerySet[Document], text: str, parsed: ParsedQuery, offset: int, limit: int
    ) -> tuple[list[int], int]:
        if not parsed.groups:
            return [], 0
        query = SearchQuery(text, search_type="websearch", config="english")
        matched = base.filter(search_vector=query)
        ranked = (
            matched.annotate(title_lower=Lower("title"))
            .annotate(
                rank=SearchRank(F("search_vector"), query),
                total=Window(expression=Count("pk")),  # the count in the same pass
                **_order_flags(text),
            )
            .order_by("-exact_title", "-is_current_flag", "-rank", "title", "pk")
        )
        rows = list(ranked.values_list("pk", "total")[offset : offset + limit])
        if rows:
            return [pk for pk, _ in rows], rows[0][1]
        return [], matched.count() if offset else 0

    def excerpts(self, pks: list[int], text: str) -> dict[int, str]:
        if not pks:
            return {}
        query = SearchQuery(text, search_type="websearch", config="english")
        rows = Document.objects.filter(pk__in=pks).annotate(
            excerpt=SearchHeadline(
                "body_text",
                query,
                config="english",
                start_sel=START,
                stop_sel=STOP,
                max_words=30,
                min_words=12,
                max_fragments=2,
                fragment_delimiter=" … ",
            )
        )
        return dict(rows.values_list("pk", "excerpt"))


class SqliteSearch:
    def index(self, pks: Iterable[int] | None = None) -> None:
        with connection.cursor() as cursor:
            if pks is None:
                cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608 - constants and Django's own parametrised SQL
                cursor.execute(
                    f"INSERT INTO {FTS_TABLE} (rowid, title, headings, summary, body) "  # noqa: S608 - constants and Django's own parametrised SQL
                    "SELECT id, title, headings_text, summary, body_text FROM library_document"
                )
                return
            for pk in pks:
                cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [pk])  # noqa: S608 - constants and Django's own parametrised SQL
                cursor.execute(
                    f"INSERT INTO {FTS_TABLE} (rowid, title, headings, summary, body) "  # noqa: S608 - constants and Django's own parametrised SQL
                    "SELECT id, title, headings_text, summary, body_text FROM library_document "
                    "WHERE id = %s",
                    [pk],
                )

    def search(
        self, base: QuerySet[Document], text: str, parsed: ParsedQuery, offset: int, limit: int
    ) -> tuple[list[int], int]:
        if not parsed.groups:
            return [], 0
        expression = fts5_expression(parsed)
        base_sql, base_params = base.order_by().values("pk").query.sql_with_params()
        weights = ", ".join(str(w) for w in WEIGHTS)
        where = f"{FTS_TABLE} MATCH %s AND d.id IN ({base_sql})"
        params = [expression, *base_params]
        with connection.cursor() as cursor:
            # bm25() must sit in the SELECT that has the MATCH; the count (a window over all
            # the matches) and the ordering are taken outside it, in the same statement.
            cursor.execute(
                "SELECT id, count(*) OVER () FROM ("  # noqa: S608 - constants and Django's own parametrised SQL
                f"SELECT d.id AS id, (lower(d.title) = %s) AS exact, "
                "(d.status = 'published' AND d.superseded_by_id IS NULL) AS current, "
                f"bm25({FTS_TABLE}, {weights}) AS score, d.title AS title "
                f"FROM {FTS_TABLE} JOIN library_document d ON d.id = {FTS_TABLE}.rowid "
                f"WHERE {where}) "
                "ORDER BY exact DESC, current DESC, score ASC, title ASC, id ASC LIMIT %s OFFSET %s",
                [text.strip().lower(), *params, limit, offset],
            )
            rows = cursor.fetchall()
            if rows:
                return [row[0] for row in rows], rows[0][1]
            if not offset:
                return [], 0
            cursor.execute(
                f"SELECT count(*) FROM {FTS_TABLE} JOIN library_document d ON d.id = {FTS_TABLE}.rowid "  # noqa: S608 - constants and Django's own parametrised SQL
                f"WHERE {where}",
                params,
            )
            return [], cursor.fetchone()[0]

    def excerpts(self, pks: list[int], text: str) -> dict[int, str]:
        parsed = parse(text)
        if not pks or not parsed.groups:
            return {}
        marks = ", ".join(["%s"] * len(pks))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, snippet({FTS_TABLE}, 3, %s, %s, ' … ', 24) FROM {FTS_TABLE} "  # noqa: S608 - constants and Django's own parametrised SQL
                f"WHERE {FTS_TABLE} MATCH %s AND rowid IN ({marks})",
                [START, STOP, fts5_expression(parsed), *pks],
            )
            return dict(cursor.fetchall())


def backend() -> PostgresSearch | SqliteSearch:
    return PostgresSearch() if vendor() == "postgresql" else SqliteSearch()


# --- what the rest of the room calls ----------------------------------------------------------


def index_documents(pks: Iterable[int] | None = None) -> None:
    """Bring the index up to date for these documents (every document when None)."""
    backend().index(pks)


def words_of(*texts: str) -> set[str]:
    return {
        w
        for text in texts
        for w in WORD.findall((text or "").lower())
        if len(w) >= 3 and w.isalpha() and w not in STOPWORDS and len(w) <= 40
    }


def remember_words(document: Document) -> None:
    """Add a public document's title, heading and summary words to the did-you-mean words."""
    words = words_of(document.title, document.headings_text, document.summary)
    SearchWord.objects.bulk_create(
        [SearchWord(word=w, first_letter=w[0], length=len(w)) for w in sorted(words)],
        ignore_conflicts=True,
        batch_size=500,
    )


def suggest(text: str) -> str | None:
    """The query with each unknown word replaced by the closest known one, or None."""
    parsed = parse(text)
    words = sorted(set(parsed.words))
    if not words:
        return None
    known = set(SearchWord.objects.filter(word__in=words).values_list("word", flat=True))
    unknown = [w for w in words if w not in known and w.isalpha() and len(w) >= 3]
    if not unknown:
        return None
    filters = Q()
    for w in unknown:
        filters |= Q(first_letter=w[0], length__gte=len(w) - 2, length__lte=len(w) + 2)
    candidates: dict[str, list[str]] = {}
    for word, first in SearchWord.objects.filter(filters).values_list("word", "first_letter"):
        candidates.setdefault(first, []).append(word)
    replacements = {}
    for w in unknown:
        close = difflib.get_close_matches(w, candidates.get(w[0], []), n=1, cutoff=0.75)
        if close:
            replacements[w] = close[0]
    if not replacements:
        return None

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        return replacements.get(word.lower(), word)

    corrected = WORD.sub(fix, text.strip())
    return corrected if corrected.lower() != text.strip().lower() else None


def search(base: QuerySet[Document], text: str, *, offset: int = 0, limit: int = 20) -> SearchPage:
    """One page of documents in ``base`` matching ``text``, best first, with excerpts."""
    parsed = parse(text)
    engine = backend()
    pks, total = engine.search(base, text, parsed, offset, limit)
    documents = Document.objects.in_bulk(pks)
    excerpts = engine.excerpts(pks, text)
    hits = [
        Hit(documents[pk], excerpt_html(excerpts.get(pk) or documents[pk].summary))
        for pk in pks
        if pk in documents
    ]
    suggestion = suggest(text) if total < 3 else None
    return SearchPage(hits=hits, total=total, suggestion=suggestion)
