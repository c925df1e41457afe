"""Benchmark of the assurance room: the programme risk view, a filtered view and a register
page with 100,000 risks across 5,000 partnerships on PostgreSQL (p95 and queries per page), and
the time to render a review report as PDF.

Run ``uv run python bench/assurance_bench.py`` (``--quick``: 10,000 risks across 500
partnerships). ``run()`` (used by ``bench/run.py``) runs it in a child process on its own
database (``BENCH_ASSURANCE_DB``, default ``bench_assurance``, dropped afterwards) and returns a
Markdown section for ``docs/benchmarks.md``. Pages are requested in-process through Django's test
client (no network, no gunicorn), with the test settings (DEBUG off).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
DB = os.environ.get("BENCH_ASSURANCE_DB", "bench_assurance")
GOAL_MS, PDF_GOAL_S = 100.0, 2.0


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
        cursor.execute("ANALYZE")
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
    pages = {
        "Programme risk view": "/assurance/programme/risks/",
        "Programme view, filtered (category, region, stage)":
            "/assurance/programme/risks/?category=financial&region=London&stage=delivery",
        "Programme view, filtered by owner": f"/assurance/programme/risks/?owner={seeded['owner']}",
        "Programme view, page 20": "/assurance/programme/risks/?page=20",
        "Register page (20 risks, heat map)": f"/partnerships/{seeded['slug']}/assurance/risks/",
    }  # fmt: skip
    results = {}
    for label, url in pages.items():
        p95, p50, queries = _measure(client, url, requests)
        results[label] = {"p95": p95, "p50": p50, "queries": queries, "url": url}
    pdf = _pdf_time(seeded["staff"], 5 if quick else 10)
    from partnering.assurance.models import Risk

    return {"risks": Risk.objects.count(), "partnerships": partnerships, "seed_s": seed_s,
            "requests": requests, "pages": results, "pdf": pdf}  # fmt: skip


def _pdf_time(staff, repeats: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    from datetime import date

    from partnering.assurance import services
    from partnering.assurance.report import report_pdf
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
    times = []
    for _ in range(repeats + 1):
        t0 = time.perf_counter()
        pdf = report_pdf(review_detail(review.pk, p))
        times.append(time.perf_counter() - t0)
    times = times[1:]  # the first render loads fonts
    return {"max_s": max(times), "median_s": sorted(times)[len(times) // 2], "bytes": len(pdf),
            "first_s": times[0]}  # fmt: skip


def render(data: dict[str, object]) -> str:
    pages = data["pages"]  # type: ignore[index]
    lines = [
        "## Assurance: programme risk view, register page, review PDF",
        "",
        f"{data['risks']:,} risks across {data['partnerships']:,} partnerships on PostgreSQL "
        f"(seeded in {data['seed_s']:.0f} s); {data['requests']} requests per page through "
        "Django's test client in one process, signed in as staff (test settings, DEBUG off). "
        f"Goal: p95 <= {GOAL_MS:.0f} ms and a fixed number of queries.",
        "",
        "| Page | p50 (ms) | p95 (ms) | Queries | Goal met |",
        "|------|---------:|---------:|--------:|----------|",
    ]
    for label, r in pages.items():  # type: ignore[union-attr]
        ok = "yes" if r["p95"] <= GOAL_MS else "no"
        lines.append(f"| {label} | {r['p50']:.1f} | {r['p95']:.1f} | {r['queries']} | {ok} |")
    pdf = data["pdf"]  # type: ignore[index]
    lines += [
        "",
        f"Review report PDF (12 recommendations, 12 findings; WeasyPrint, tagged PDF/UA-1): "
        f"median {pdf['median_s']:.2f} s, slowest {pdf['max_s']:.2f} s, {pdf['bytes'] / 1024:.0f} KiB "  # type: ignore[index]
        f"(goal under {PDF_GOAL_S:.0f} s: {'met' if pdf['max_s'] < PDF_GOAL_S else 'not met'}).",  # type: ignore[index]
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
