"""Benchmark of the assurance room: the programme risk view, a filtered view and a register
page with 100,000 risks across 5,000 partnerships on PostgreSQL (p95 and queries per page), and
the time to render a review report as PDF.

Run ``uv run python bench/assurance_bench.py`` (``--quick``: 10,000 risks across 500
partnerships). ``run()`` (used by ``bench/run.py``) runs it in a child process on its own
database (``BENCH_ASSURANCE_DB``, default ``bench_assurance``, dropped afterwards) and returns a
Markdown section for ``docs/benchmarks.md``. Pages are requested in-process through Django's test
client (no network, no gunicorn), with the test settings (DEBUG off).

The machine is shared, so each figure has a floor measured in the same run beside it: a constant
page in the base layout for the pages, and a one-paragraph document through the same WeasyPrint
setup for the PDF. The PDF's time is given as wall-clock and as CPU time of the process (what it
costs when it does not wait for a core).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
DB = os.environ.get("BENCH_ASSURANCE_DB", "bench_assurance")
GOAL_MS, PDF_GOAL_S = 100.0, 2.0
FLOOR_LABEL = "Floor: a constant page in the base layout"
PDF_FLOOR_HTML = (
    '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Floor</title></head>'
    "<body><main><h1>Floor</h1><p>One paragraph.</p></main></body></html>"
)


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _seed(partnerships: int, risks_each: int) -> dict[str, object]:
    import random
    from datetime import date

    from django.db import connection

    from partnering.assurance.models import Risk, RiskRegister
    from partnering.assurance.services import matrix_current
    from partnering.core.models import User
    from partnering.organisations.models import Organisation
    from partnering.partnerships.models import Partnership, Stage

    rng = random.Random(7)
    staff = User.objects.create(username="bench-staff", role="staff")
    owners = User.objects.bulk_create(
        [User(username=f"bench-owner-{i}", role="partner") for i in range(200)]
    )
    org = Organisation.objects.create(name="Bench Council", slug="bench-council")
    regions = ["North East", "North West", "Yorkshire and The Humber", "West Midlands", "London",
               "South East", "South West", "East of England", "East Midlands"]  # fmt: skip
    stages = list(Stage.values)
    Partnership.objects.bulk_create(
        [Partnership(name=f"Bench partnership {i:05d}", reference=f"B-{i:05d}",
                     slug=f"bench-{i:05d}", purpose="Bench", lead_organisation=org,
                     stage=rng.choice(stages), region=rng.choice(regions))
         for i in range(partnerships)],
        batch_size=2000,
    )  # fmt: skip
    matrix = matrix_current()
    RiskRegister.objects.bulk_create(
        [RiskRegister(partnership_id=pk, matrix=matrix)
         for pk in Partnership.objects.values_list("pk", flat=True)],
        batch_size=2000,
    )  # fmt: skip
    categories = [c for c, _ in Risk._meta.get_field("category").choices]
    batch: list[Risk] = []
    for register_id in RiskRegister.objects.values_list("pk", flat=True):
        for n in range(1, risks_each + 1):
            cl, ci = rng.randint(1, 5), rng.randint(1, 5)
            batch.append(Risk(
                register_id=register_id, number=n, title=f"Risk {n}", cause="c", event="e",
                effect="f", category=rng.choice(categories), owner=rng.choice(owners),
                proximity=date(2004, 1, 1), inherent_likelihood=5, inherent_impact=5,
                inherent_score=25, current_likelihood=cl, current_impact=ci,
                current_score=cl * ci, target_likelihood=1, target_impact=1, target_score=1,
                is_above_tolerance=cl * ci > matrix.tolerance,
                is_escalated=rng.random() < 0.02,
            ))  # fmt: skip
            if len(batch) >= 5000:
                Risk.objects.bulk_create(batch)
                batch = []
    Risk.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        # As autovacuum would after a bulk load: statistics, and the visibility map the
        # flagged-risk count's index-only scan needs.
        cursor.execute("VACUUM (ANALYZE)")
    return {"staff": staff, "slug": "bench-02500" if partnerships > 2500 else "bench-00250",
            "owner": owners[3].username}  # fmt: skip


def _measure(client, url: str, requests: int) -> tuple[float, float, int]:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        assert client.get(url).status_code == 200, url
    times = []
    for _ in range(requests):
        t0 = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return _p95(times), sorted(times)[len(times) // 2], len(queries)


def child(quick: bool) -> dict[str, object]:
    os.environ["DATABASE_URL"] = f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnering.config.settings.test")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    partnerships, each = (500, 20) if quick else (5000, 20)
    t0 = time.perf_counter()
    seeded = _seed(partnerships, each)
    seed_s = time.perf_counter() - t0
    client = Client()
    client.force_login(seeded["staff"])
    requests = 30 if quick else 100
    from django.urls import reverse

    pages = {
        FLOOR_LABEL: reverse("core:about-data"),
        "Programme risk view": "/assurance/programme/risks/",
        "Programme view, filtered (category, region, stage)":
            "/assurance/programme/risks/?category=financial&region=London&stage=delivery",
        "Programme view, filtered by owner": f"/assurance/programme/risks/?owner={seeded['owner']}",
        "Programme view, page 20": "/assurance/programme/risks/?page=20",
        "Register page (20 risks, heat map)": f"/partnerships/{seeded['slug']}/assurance/risks/",
    }  # fmt: skip
    load_start = os.getloadavg()
    results = {}
    for label, url in pages.items():
        p95, p50, queries = _measure(client, url, requests)
        results[label] = {"p95": p95, "p50": p50, "queries": queries, "url": url}
    pdf = _pdf_time(seeded["staff"], 5 if quick else 10)
    from partnering.assurance.models import Risk

    return {"risks": Risk.objects.count(), "partnerships": partnerships, "seed_s": seed_s,
            "requests": requests, "pages": results, "pdf": pdf,
            "load": [load_start[0], os.getloadavg()[0]],
            "at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}  # fmt: skip


def _timed(renders: dict[str, Callable[[], object]], repeats: int) -> dict[str, dict[str, float]]:
    """Median and slowest wall-clock time (s) and median CPU time of `repeats` calls of each
    render, taken in turns so that a change in the machine's load falls on all of them."""
    wall: dict[str, list[float]] = {name: [] for name in renders}
    cpu: dict[str, list[float]] = {name: [] for name in renders}
    for _ in range(repeats):
        for name, render in renders.items():
            w0, c0 = time.perf_counter(), time.process_time()
            render()
            cpu[name].append(time.process_time() - c0)
            wall[name].append(time.perf_counter() - w0)
    return {name: {"median_s": sorted(wall[name])[repeats // 2], "max_s": max(wall[name]),
                   "cpu_median_s": sorted(cpu[name])[repeats // 2]}
            for name in renders}  # fmt: skip


def _pdf_time(staff: Any, repeats: int) -> dict[str, Any]:
    from datetime import date
    from io import BytesIO

    from pypdf import PdfReader

    from partnering.assurance import services
    from partnering.assurance.report import html_to_pdf, report_pdf
    from partnering.assurance.selectors import review_detail
    from partnering.core.models import User
    from partnering.partnerships.models import Partnership

    p = Partnership.objects.get(slug="bench-00001")
    lead = User.objects.create(username="bench-lead", role="adviser")
    review = services.review_create(partnership=p, gate=0, starts_on=date(2003, 9, 15),
                                    ends_on=date(2003, 9, 18), lead=lead, actor=staff)  # fmt: skip
    for i in range(12):
        services.recommendation_add(review=review, text=f"Recommendation {i} " + "words " * 30,
                                    urgency=["critical", "essential", "recommended"][i % 3],
                                    owner=staff, due_on=date(2004, 1, 1), actor=staff)  # fmt: skip
        services.finding_add(review=review, area="governance", text="Finding " * 40, actor=staff)
    services.review_update(review=review, data={"rating": "amber_red", "summary": "S " * 200},
                           actor=staff)  # fmt: skip
    t0 = time.perf_counter()
    pdf = report_pdf(review_detail(review.pk, p))  # the process's first: loads the fonts
    first_s = time.perf_counter() - t0
    timed = _timed({"report": lambda: report_pdf(review_detail(review.pk, p)),
                    "floor": lambda: html_to_pdf(PDF_FLOOR_HTML)}, repeats)  # fmt: skip
    return {**timed["report"], "first_s": first_s, "bytes": len(pdf), "floor": timed["floor"],
            "pages": len(PdfReader(BytesIO(pdf)).pages), "repeats": repeats}  # fmt: skip


def render(data: dict[str, Any]) -> str:
    pages = data["pages"]
    floor = pages[FLOOR_LABEL]["p50"]
    load = data["load"]
    lines = [
        "## Assurance: programme risk view, register page, review PDF",
        "",
        f"{data['risks']:,} risks across {data['partnerships']:,} partnerships on PostgreSQL "
        f"(seeded in {data['seed_s']:.0f} s, then `VACUUM (ANALYZE)` as autovacuum would after "
        f"a bulk load); {data['requests']} requests per page through "
        "Django's test client in one process, signed in as staff (test settings, DEBUG off). "
        "The machine was shared with other sessions (1-minute load average "
        f"{load[0]:.1f} at the start of the measuring and {load[1]:.1f} at its end, on "
        f"{os.cpu_count()} cores), so each figure has its floor from the same run beside it. "
        f"Goal: p95 <= {GOAL_MS:.0f} ms and a fixed number of queries.",
        "",
        "| Page | p50 (ms) | p95 (ms) | p50 / floor | Queries | Goal met |",
        "|------|---------:|---------:|------------:|--------:|----------|",
    ]
    for label, r in pages.items():
        ok = "" if label == FLOOR_LABEL else ("yes" if r["p95"] <= GOAL_MS else "no")
        lines.append(
            f"| {label} | {r['p50']:.1f} | {r['p95']:.1f} | {r['p50'] / floor:.1f}x | "
            f"{r['queries']} | {ok} |"
        )
    pdf = data["pdf"]
    fl = pdf["floor"]
    met = "met" if pdf["max_s"] < PDF_GOAL_S else "not met"
    repeats = pdf["repeats"]
    lines += [
        "",
        f"Review report PDF (12 recommendations, 12 findings, {pdf['pages']} pages; WeasyPrint, "
        f"tagged PDF/UA-1, {pdf['bytes'] / 1024:.0f} KiB), {repeats} renders of each in turns, "
        f"goal under {PDF_GOAL_S:.0f} s (slowest wall-clock render): {met}.",
        "",
        "| PDF | median wall (s) | slowest wall (s) | median CPU (s) | median wall / floor |",
        "|-----|----------------:|-----------------:|---------------:|--------------------:|",
        f"| Floor: a one-paragraph document | {fl['median_s']:.3f} | {fl['max_s']:.3f} | "
        f"{fl['cpu_median_s']:.3f} | 1.0x |",
        f"| Review report (data read, HTML rendered, PDF laid out) | {pdf['median_s']:.3f} | "
        f"{pdf['max_s']:.3f} | {pdf['cpu_median_s']:.3f} | "
        f"{pdf['median_s'] / fl['median_s']:.1f}x |",
        "",
        f"The process's first report, which imports WeasyPrint and loads the fonts, took "
        f"{pdf['first_s']:.2f} s.",
        "",
        f"Run: `python bench/run.py --only assurance` (`--quick`: 10,000 risks); this run ended "
        f"{data['at']}.",
    ]
    return "\n".join(lines) + "\n"


def run(quick: bool = False) -> str:
    _admin(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{DB}"')
    try:
        args = [sys.executable, __file__, "--child"] + (["--quick"] if quick else [])
        out = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=False)
        if out.returncode != 0:
            raise RuntimeError(out.stderr[-2000:])
        data = json.loads(out.stdout.strip().splitlines()[-1])
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
    return render(data)


if __name__ == "__main__":
    quick = "--quick" in sys.argv
    if "--child" in sys.argv:
        print(json.dumps(child(quick)))
    else:
        print(run(quick))
