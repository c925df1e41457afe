"""Benchmark of the procurement room's open contracting output on PostgreSQL: with 5,000
procurements (45,000 releases), a process's OCDS record package (p95, goal <= 100 ms) beside
the health check as the floor, and the bulk release package streamed (rate and peak Python
memory, for all of it and for a tenth of it: constant memory means the two peaks are close).

Run ``uv run python bench/procurement_bench.py`` (``--quick``: 500 procurements). ``run()``
(used by ``bench/run.py``) runs it in a child process on its own database
(``BENCH_PROCUREMENT_DB``, default ``bench_procurement``, dropped afterwards) and returns a
Markdown section for ``docs/benchmarks.md``. Requests go through Django's test client in one
process (test settings, DEBUG off). One procurement is run through the services (so its
releases are the real ones); the others are bulk copies of it with their own ids.
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
DB = os.environ.get("BENCH_PROCUREMENT_DB", "bench_procurement")
PREFIX = "ocds-b3nch0"
GOAL_MS = 100.0


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql)


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _seed(n: int) -> list[str]:
    from django.db import connection

    from partnering.organisations.models import Kind, Organisation
    from partnering.procurement.models import (
        Award,
        Bidder,
        Contract,
        Procurement,
        Release,
        StageRecord,
    )  # fmt: skip
    from partnering.procurement.tests.factories import run_to_award

    council = Organisation.objects.create(name="Bench County Council", slug="bench-county",
                                          kind=Kind.COUNTY, org_id="GB-LAE-BCH")  # fmt: skip
    other = Organisation.objects.create(name="Bench District Council", slug="bench-district",
                                        kind=Kind.DISTRICT)  # fmt: skip
    from datetime import date

    from partnering.partnerships.services import membership_add, partnership_create

    p = partnership_create(name="Bench partnership", reference="B-1", purpose="Bench",
                           lead_organisation=council, start_date=date(2002, 6, 1),
                           joined_on=date(2002, 6, 1), is_published=True, actor=None)  # fmt: skip
    membership_add(partnership=p, organisation=other, role="partner", joined_on=date(2002, 6, 1),
                   actor=None)  # fmt: skip
    template, _ = run_to_award(p, bidders=3)
    stages = list(template.stages.all())
    bidders = list(template.bidders.all())
    award, contract = template.award, template.contract
    releases = list(template.releases.all())
    ids = []
    for start in range(1, n, 500):
        chunk = range(start, min(n, start + 500))
        procs = Procurement.objects.bulk_create([
            Procurement(partnership=p, process_id=f"B-1-P{i + 1}", title=f"Bench procurement {i}",
                        route=template.route, buyer=council, department="ICT",
                        estimated_value=template.estimated_value, last_stage=template.last_stage)
            for i in chunk
        ])  # fmt: skip
        StageRecord.objects.bulk_create([StageRecord(procurement=q, stage=s.stage, on=s.on)
                                         for q in procs for s in stages])  # fmt: skip
        Bidder.objects.bulk_create([Bidder(procurement=q, organisation=b.organisation,
                                           companies_house_number=b.companies_house_number)
                                    for q in procs for b in bidders])  # fmt: skip
        awards = Award.objects.bulk_create([Award(procurement=q, supplier=award.supplier,
                                                  value=award.value, term_months=120,
                                                  decided_on=award.decided_on) for q in procs])  # fmt: skip
        Contract.objects.bulk_create([Contract(procurement=q, award=a, title=contract.title,
                                               starts_on=contract.starts_on,
                                               ends_on=contract.ends_on, value=contract.value,
                                               signed_on=contract.signed_on)
                                      for q, a in zip(procs, awards, strict=True)])  # fmt: skip
        batch = []
        for q in procs:
            for r in releases:
                text = json.dumps(r.data).replace(template.process_id + "-", q.process_id + "-")
                batch.append(Release(procurement=q, local_id=r.local_id, tag=r.tag, date=r.date,
                                     data=json.loads(text)))  # fmt: skip
        Release.objects.bulk_create(batch, batch_size=2000)
        ids += [q.process_id for q in procs]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return [template.process_id, *ids]


def _time(client, url: str, repeats: int) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        response = client.get(url)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
        out.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, url
    return out


def _stream(client, url: str) -> dict[str, float]:  # type: ignore[no-untyped-def]
    import tracemalloc

    tracemalloc.start()
    t0 = time.perf_counter()
    response = client.get(url)
    size = 0
    for chunk in response.streaming_content:
        size += len(chunk)
    seconds = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"seconds": seconds, "bytes": size, "peak_mib": peak / 2**20}


def child(quick: bool) -> dict[str, object]:
    os.environ["DATABASE_URL"] = f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnering.config.settings.test")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    settings.OCDS_OCID_PREFIX = PREFIX
    call_command("migrate", verbosity=0)
    n = 500 if quick else 5000
    t0 = time.perf_counter()
    ids = _seed(n)
    seed_s = time.perf_counter() - t0
    from partnering.procurement.models import Release

    client = Client()
    repeats = 50 if quick else 200
    import random

    rng = random.Random(11)
    _time(client, "/healthz", 5)
    floor = _time(client, "/healthz", repeats)
    record_urls = [
        f"/open-data/ocds/records/{PREFIX}-{rng.choice(ids)}.json" for _ in range(repeats)
    ]
    for url in record_urls[:5]:
        client.get(url)
    record = []
    for url in record_urls:
        record += _time(client, url, 1)
    api = [f"/api/v1/procurement/ocds/records/{PREFIX}-{rng.choice(ids)}" for _ in range(repeats)]
    api_times = []
    for url in api:
        api_times += _time(client, url, 1)
    total = Release.objects.count()
    full = _stream(client, "/open-data/ocds/releases.json")
    tenth = _stream(client, f"/open-data/ocds/releases.json?page=1&per_page={total // 10}")
    return {
        "procurements": len(ids), "releases": total, "seed_s": seed_s, "repeats": repeats,
        "floor": {"p50": _p(floor, 0.5), "p95": _p(floor, 0.95)},
        "record": {"p50": _p(record, 0.5), "p95": _p(record, 0.95)},
        "api": {"p50": _p(api_times, 0.5), "p95": _p(api_times, 0.95)},
        "full": full, "tenth": tenth, "load": os.getloadavg(),
    }  # fmt: skip


def render(data: dict[str, object]) -> str:
    f, r, a = data["floor"], data["record"], data["api"]  # type: ignore[index]
    full, tenth = data["full"], data["tenth"]  # type: ignore[index]
    load = ", ".join(f"{x:.1f}" for x in data["load"])  # type: ignore[union-attr]
    rate = data["releases"] / full["seconds"]  # type: ignore[index,operator]
    mb = full["bytes"] / 2**20 / full["seconds"]  # type: ignore[index]
    lines = [
        "## Procurement: OCDS records and the bulk release package",
        "",
        f"{data['procurements']:,} procurements ({data['releases']:,} releases) on PostgreSQL "
        f"(seeded in {data['seed_s']:.0f} s); {data['repeats']} requests each through Django's "
        "test client in one process (test settings, DEBUG off), on a machine shared with other "
        f"sessions (load average {load} on 2 cores). Goal: a record's p95 <= {GOAL_MS:.0f} ms.",
        "",
        "| Request | p50 (ms) | p95 (ms) | p50 / floor | Goal met |",
        "|---------|---------:|---------:|------------:|----------|",
        f"| Floor: `/healthz` | {f['p50']:.1f} | {f['p95']:.1f} | 1.0 | |",  # type: ignore[index]
        f"| Record package, `/open-data/ocds/records/<ocid>.json` | {r['p50']:.1f} | "  # type: ignore[index]
        f"{r['p95']:.1f} | {r['p50'] / f['p50']:.1f} | "  # type: ignore[index]
        f"{'yes' if r['p95'] <= GOAL_MS else 'no'} |",  # type: ignore[index]
        f"| Record through the API | {a['p50']:.1f} | {a['p95']:.1f} | "  # type: ignore[index]
        f"{a['p50'] / f['p50']:.1f} | {'yes' if a['p95'] <= GOAL_MS else 'no'} |",  # type: ignore[index]
        "",
        f"Bulk release package (`/open-data/ocds/releases.json`, every release, streamed): "
        f"{full['bytes'] / 2**20:.1f} MiB in {full['seconds']:.1f} s, {rate:,.0f} releases/s "  # type: ignore[index]
        f"({mb:.1f} MiB/s); peak Python memory while streaming {full['peak_mib']:.1f} MiB, "  # type: ignore[index]
        f"against {tenth['peak_mib']:.1f} MiB for a page of a tenth of the releases "  # type: ignore[index]
        f"({tenth['bytes'] / 2**20:.1f} MiB): memory does not grow with the package.",  # type: ignore[index]
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
