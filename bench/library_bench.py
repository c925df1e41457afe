"""Library benchmark: search and the document page over 20,000 documents, on PostgreSQL and on
SQLite, in-process (Django's test client and the search selector; no HTTP server).

    python bench/library_bench.py [--quick]        # or: python bench/run.py --only library

For each database, in a fresh database of its own (``bench_library`` on PostgreSQL, a file under
``var/`` for SQLite), in a subprocess so each has its own Django settings:

1. the 40 demo documents through the services (written, reviewed, published), and the relevance
   set's hit rate on them;
2. 20,000 synthetic documents (``--quick``: 5,000) made from the demo's sentences, bulk-inserted
   and indexed in one pass (benchmark only: no history rows), then the relevance rate again;
3. the search selector for the relevance queries and some misspellings (count, page, excerpts,
   did-you-mean): p50/p95 (goal p95 <= 50 ms on PostgreSQL);
4. the search page and a document page through the test client: p50/p95 (goal document page
   p95 <= 100 ms), beside the floor (``/healthz/`` through the same client) measured in the same
   run. The machine is shared (2 cores, other sessions running): the load average is reported.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN = os.environ.get("BENCH_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PG_DB = "bench_library"
MISSPELT = ["govrnance", "shapely value", "procurment rules", "mediaton", "acessible website"]


def _log(message: str) -> None:
    print(f"[library bench] {message}", file=sys.stderr, flush=True)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def _synthetic(n: int, seed: int = 13) -> list[dict[str, object]]:
    from partnering.library.demo_content import DOCUMENTS

    rng = random.Random(seed)
    sentences = [
        s.strip() + "."
        for spec in DOCUMENTS
        for s in str(spec["body"]).replace("\n", " ").split(".")
        if len(s.strip()) > 20 and "#" not in s
    ]
    headings = [
        line[3:]
        for spec in DOCUMENTS
        for line in str(spec["body"]).splitlines()
        if line.startswith("## ")
    ]
    nouns = ["partnership", "shared service", "contact centre", "joint committee", "cost model",
             "procurement", "risk register", "business case", "agreement", "board", "review"]  # fmt: skip
    places = ["Northshire", "Eastborough", "Westdale", "Southvale", "Midford", "Highcombe",
              "Lowmarsh", "Greenbury", "Stonebridge", "Riverton", "Ashworth", "Kingsmere"]  # fmt: skip
    kinds = ["toolkit", "model", "guidance", "case_study", "training"]
    out = []
    for i in range(n):
        place, noun = rng.choice(places), rng.choice(nouns)
        sections = rng.sample(headings, 3)
        body = "\n\n".join(f"## {h}\n\n" + " ".join(rng.sample(sentences, 3)) for h in sections)
        out.append({
            "kind": kinds[i % len(kinds)],
            "title": f"{place} {noun} note {i}",
            "summary": " ".join(rng.sample(sentences, 1)),
            "body": body,
            "headings": " ".join(sections),
        })  # fmt: skip
    return out


def _seed(n: int) -> float:
    from django.utils import timezone

    from partnering.library import search
    from partnering.library.models import Document, SearchWord, Status
    from partnering.library.rendering import render

    t0 = time.monotonic()
    now = timezone.now()
    rows = []
    words: set[str] = set()
    for i, spec in enumerate(_synthetic(n)):
        rendered = render(str(spec["body"]))
        rows.append(Document(
            kind=spec["kind"], title=spec["title"], slug=f"bench-{i}", summary=spec["summary"],
            body=spec["body"], status=Status.PUBLISHED if i % 20 else Status.WITHDRAWN,
            withdrawn_reason="" if i % 20 else "Replaced.", withdrawn_at=None if i % 20 else now,
            first_published_at=now, last_updated_at=now, headings_text=spec["headings"],
            body_text=rendered.text, audiences=["officers"],
        ))  # fmt: skip
        words |= search.words_of(str(spec["title"]), str(spec["headings"]), str(spec["summary"]))
    Document.objects.bulk_create(rows, batch_size=1000)  # benchmark only: no history rows
    SearchWord.objects.bulk_create(
        [SearchWord(word=w, first_letter=w[0], length=len(w)) for w in sorted(words)],
        ignore_conflicts=True,
        batch_size=1000,
    )
    search.index_documents(None)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE library_document")
    return time.monotonic() - t0


def _time(fn, repeat: int) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def worker(vendor: str, quick: bool) -> dict[str, object]:
    """Runs inside the subprocess, with DATABASE_URL set for ``vendor``."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnering.config.settings.test")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from partnering.library import relevance
    from partnering.library.demo import load_documents
    from partnering.library.models import Document
    from partnering.library.selectors import DocumentFilters, document_search
    from partnering.library.tests.factories import make_editor

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("migrate", interactive=False, verbosity=0)
    load_documents(make_editor("bench-a"), make_editor("bench-b"), is_demo=False)
    demo_rate = relevance.hit_rate(relevance.run())
    n = 5_000 if quick else 20_000
    seed_s = _seed(n)
    total = Document.objects.count()
    big_results = relevance.run()
    big_rate = relevance.hit_rate(big_results)
    queries = [q for q, _ in relevance.RELEVANCE_SET] + MISSPELT
    repeat = 2 if quick else 5
    search_ms: list[float] = []
    for q in queries:
        document_search(viewer=None, filters=DocumentFilters(q=q))  # warm
        search_ms += _time(
            lambda q=q: document_search(viewer=None, filters=DocumentFilters(q=q)), repeat
        )
    client = Client()
    client.get("/healthz")
    floor = _time(lambda: client.get("/healthz"), 60 if quick else 200)
    page_ms: list[float] = []
    rng = random.Random(5)
    slugs = list(Document.objects.values_list("slug", flat=True)[:5000])
    for slug in rng.sample(slugs, 40 if quick else 100):
        url = f"/library/documents/{slug}/"
        assert client.get(url).status_code == 200
        page_ms += _time(lambda url=url: client.get(url), 2)
    search_page_ms: list[float] = []
    for q in queries[:20]:
        url = f"/library/search/?q={q}"
        client.get(url)
        search_page_ms += _time(lambda url=url: client.get(url), 2 if quick else 3)
    return {
        "vendor": vendor,
        "documents": total,
        "seed_s": seed_s,
        "demo_rate": demo_rate,
        "big_rate": big_rate,
        "misses": [(r.query, r.got) for r in big_results if not r.hit],
        "queries": len(queries),
        "relevance_queries": len(relevance.RELEVANCE_SET),
        "search": search_ms,
        "floor": floor,
        "page": page_ms,
        "search_page": search_page_ms,
        "load": os.getloadavg()[0],
    }


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(sql)


def _spawn(vendor: str, quick: bool) -> dict[str, object] | str:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + str(ROOT)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    sqlite_path = ROOT / "var" / "bench-library" / "library.sqlite3"
    if vendor == "postgresql":
        try:
            _admin(f"DROP DATABASE IF EXISTS {PG_DB}")
            _admin(f"CREATE DATABASE {PG_DB}")
        except Exception as exc:  # reported in the section
            return f"PostgreSQL not reachable: {exc}"
        env["DATABASE_URL"] = PG_ADMIN.rsplit("/", 1)[0] + f"/{PG_DB}"
    else:
        sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)
        env["DATABASE_URL"] = f"sqlite:///{sqlite_path}"
    args = [sys.executable, str(Path(__file__)), "--worker", vendor] + (
        ["--quick"] if quick else []
    )
    _log(f"{vendor}: seeding and measuring")
    done = subprocess.run(args, env=env, capture_output=True, text=True, cwd=ROOT)
    try:
        if done.returncode != 0:
            return f"failed: {done.stderr[-1500:]}"
        return json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        if vendor == "postgresql":
            with contextlib.suppress(Exception):  # best effort clean-up
                _admin(f"DROP DATABASE IF EXISTS {PG_DB}")


def _f(value: float) -> str:
    return f"{value:.1f}"


def run(quick: bool = False) -> str:
    results = {v: _spawn(v, quick) for v in ("postgresql", "sqlite")}
    lines = [
        "## Library (search and document pages, PostgreSQL and SQLite)",
        "",
        "In-process (Django's test client and the search selector, test settings, no HTTP server), "
        "each database fresh. The 40 demo documents go through the services; the rest are "
        "synthetic, made from the demo's sentences and bulk-inserted. The search figure is the "
        "whole selector: count, one page of 20, excerpts, and did-you-mean when fewer than three "
        "match. The floor is `/healthz/` through the same client in the same run. The machine "
        "is shared (2 cores, other sessions' tests running): the load average is given.",
        "",
        "| database | documents | relevance (demo only) | relevance (with the others) | search p50 / p95 ms | search page p50 / p95 ms | document page p50 / p95 ms | floor p50 / p95 ms | load |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    notes = []
    for vendor, r in results.items():
        if isinstance(r, str):
            lines.append(
                f"| {vendor} | not run: {r.splitlines()[-1][:200] if r else ''} | | | | | | | |"
            )
            continue
        lines.append(
            f"| {vendor} | {r['documents']:,} | {r['demo_rate']:.0%} of {r['relevance_queries']} | "
            f"{r['big_rate']:.0%} | {_f(_percentile(r['search'], 0.5))} / {_f(_percentile(r['search'], 0.95))} | "
            f"{_f(_percentile(r['search_page'], 0.5))} / {_f(_percentile(r['search_page'], 0.95))} | "
            f"{_f(_percentile(r['page'], 0.5))} / {_f(_percentile(r['page'], 0.95))} | "
            f"{_f(_percentile(r['floor'], 0.5))} / {_f(_percentile(r['floor'], 0.95))} | {r['load']:.1f} |"
        )
        if r["misses"]:
            notes.append(f"- {vendor}: with the synthetic documents, missed: "
                         + "; ".join(f"“{q}” (first: {g})" for q, g in r["misses"]))  # fmt: skip
    lines += ["", *notes, "", "Goals: search p95 <= 50 ms over 20,000 documents on PostgreSQL; "
              "document page p95 <= 100 ms." + (" Quick run: 5,000 documents." if quick else ""), ""]  # fmt: skip
    return "\n".join(lines)


if __name__ == "__main__":
    if "--worker" in sys.argv:
        vendor = sys.argv[sys.argv.index("--worker") + 1]
        sys.path.insert(0, str(ROOT / "src"))
        print(json.dumps(worker(vendor, "--quick" in sys.argv)))
    else:
        print(run(quick="--quick" in sys.argv))
