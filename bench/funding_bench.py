"""Benchmark of the funding room at 10x the fund: 640 projects, 20,000 claims (most paid) and an
e-enablement record for every service of every council, on PostgreSQL: the money view and the
national e-enablement view (p95, queries per page) beside a floor page measured in the same run,
and the time to build the 360Giving package of every grant.

Run ``uv run python bench/funding_bench.py`` (``--quick``: 64 projects, 2,000 claims). ``run()``
(used by ``bench/run.py``) runs it in a child process on its own database (``BENCH_FUNDING_DB``,
default ``bench_funding``, dropped afterwards) and returns a Markdown section for
``docs/benchmarks.md``. Pages are requested in-process through Django's test client (test
settings, DEBUG off). The machine is shared: the floor row is the yardstick.
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
DB = os.environ.get("BENCH_FUNDING_DB", "bench_funding")
GOAL_MS = 100.0


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _seed(projects: int, claims: int) -> dict[str, object]:
    import random
    from datetime import date, timedelta
    from decimal import Decimal

    from django.db import connection

    from partnering.core.models import User
    from partnering.funding import models as m
    from partnering.funding.maths.money import split_largest_remainder
    from partnering.funding.selectors import SERVICE_COUNCIL_KINDS, catalogue, provided_by
    from partnering.funding.services import award_totals_refresh, e_enablement_tallies_refresh
    from partnering.organisations.models import Organisation
    from partnering.partnerships.models import Partnership, PartnershipKind

    rng = random.Random(14)
    staff = User.objects.create(username="bench-staff", role="staff")
    councils = list(Organisation.objects.filter(kind__in=SERVICE_COUNCIL_KINDS, existed_2003=True))
    budget = Decimal(50_000_000) * projects / 64
    programme = m.FundingProgramme.objects.create(
        title="Bench fund",
        slug="bench-fund",
        aim="Bench",
        total_budget=budget,
        starts_on=date(2002, 4, 1),
        ends_on=date(2006, 3, 31),
        target_date=date(2005, 12, 31),
    )
    rounds = [
        m.Round.objects.create(
            programme=programme,
            number=i + 1,
            title=f"Round {i + 1}",
            slug=f"bench-round-{i + 1}",
            budget=budget / 4,
            opens_on=date(2002 + i // 2, 4, 1),
            closes_on=date(2002 + i // 2, 6, 30),
            decisions_by=date(2002 + i // 2, 9, 1),
            status="decided",
        )
        for i in range(4)
    ]
    kinds = list(PartnershipKind.values)
    Partnership.objects.bulk_create(
        [
            Partnership(
                name=f"Bench partnership {i:04d}",
                reference=f"BF-{i:04d}",
                slug=f"bench-{i:04d}",
                purpose="Bench",
                lead_organisation=rng.choice(councils),
                region=rng.choice(councils).region,
                kind=rng.choice(kinds),
            )
            for i in range(projects)
        ],
        batch_size=1000,
    )
    partnerships = list(Partnership.objects.filter(reference__startswith="BF-").order_by("pk"))
    m.Application.objects.bulk_create(
        [
            m.Application(
                round=rounds[i % 4],
                partnership=p,
                reference=f"BF-APP-{i:04d}",
                title=f"Project {i}",
                summary="Bench",
                status="awarded",
            )
            for i, p in enumerate(partnerships)
        ],
        batch_size=1000,
    )
    apps = list(m.Application.objects.order_by("pk"))
    per_round = {r.pk: [a for a in apps if a.round_id == r.pk] for r in rounds}
    amounts: dict[int, Decimal] = {}
    for r in rounds:
        split = split_largest_remainder(
            r.budget, {str(a.pk): rng.randint(3, 12) for a in per_round[r.pk]}
        )
        amounts.update({int(k): v for k, v in split.items()})
    milestones = []
    for a in apps:
        parts = split_largest_remainder(amounts[a.pk], {"1": 1, "2": 1, "3": 1, "4": 1})
        milestones.extend(
            m.Milestone(
                application=a,
                number=n,
                title=f"Step {n}",
                amount=parts[str(n)],
                due_on=date(2003, 1, 1) + timedelta(days=rng.randint(0, 1000)),
            )
            for n in range(1, 5)
        )
    m.Milestone.objects.bulk_create(milestones, batch_size=5000)
    m.Award.objects.bulk_create(
        [
            m.Award(
                application=a,
                round_id=a.round_id,
                recipient_id=a.partnership.lead_organisation_id,
                amount=amounts[a.pk],
                conditions="Bench",
                awarded_on=date(2002, 12, 1),
                agreement_starts_on=date(2003, 1, 1),
                agreement_ends_on=date(2006, 3, 31),
            )
            for a in m.Application.objects.select_related("partnership")
        ],
        batch_size=1000,
    )
    awards = {a.application_id: a for a in m.Award.objects.all()}
    all_milestones = list(m.Milestone.objects.all())
    claim_rows = []
    for i in range(claims):
        ms = all_milestones[i % len(all_milestones)]
        claim_rows.append(
            m.Claim(
                award=awards[ms.application_id],
                milestone=ms,
                amount=(ms.amount / 8).quantize(Decimal("0.01")),
                claimed_on=ms.due_on,
                description="Bench",
                status="paid" if i % 4 else "submitted",
            )
        )
    m.Claim.objects.bulk_create(claim_rows, batch_size=5000)
    m.Payment.objects.bulk_create(
        [
            m.Payment(
                claim=c,
                award_id=c.award_id,
                amount=c.amount,
                paid_on=c.claimed_on + timedelta(days=14),
                reference=f"BP-{c.pk}",
            )
            for c in m.Claim.objects.filter(status="paid")
        ],
        batch_size=5000,
    )
    first = next(iter(awards.values()))
    m.Recovery.objects.create(
        award=first, kind="withhold", amount=Decimal("1.00"), reason="Bench", on=date(2004, 6, 1)
    )
    award_totals_refresh()  # bulk_create skips the services that keep the awards' totals
    services = list(catalogue())
    records = []
    for council in councils:
        for svc in provided_by(council.tier, services):
            enabled = rng.random() < 0.8
            records.append(
                m.EEnablement(
                    organisation=council,
                    service=svc,
                    e_enabled_on=date(2000, 1, 1) + timedelta(days=rng.randint(0, 2200))
                    if enabled
                    else None,
                    route=rng.choice(["funded_project", "front_door", "own_site"])
                    if enabled
                    else "",
                )
            )
    m.EEnablement.objects.bulk_create(records, batch_size=5000)
    e_enablement_tallies_refresh()  # bulk_create skips the services that keep the tallies
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"staff": staff, "records": len(records), "councils": len(councils)}


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
    call_command("import_organisations", verbosity=0)
    from partnering.partnerships.importer import import_service_areas

    import_service_areas()
    projects, claims = (64, 2000) if quick else (640, 20000)
    t0 = time.perf_counter()
    seeded = _seed(projects, claims)
    seed_s = time.perf_counter() - t0
    client = Client()
    requests = 20 if quick else 60
    pages = {
        "Floor: the open-data page (one count query)": "/funding/360giving/",
        "Money view (page)": "/funding/money/",
        "Money view (API)": "/api/v1/funding/money",
        "E-enablement, national (page)": "/funding/e-enablement/",
        "E-enablement, national (API)": "/api/v1/funding/e-enablement",
    }
    results = {}
    for label, url in pages.items():
        p95, p50, queries = _measure(client, url, requests)
        results[label] = {"p95": p95, "p50": p50, "queries": queries, "url": url}
    from partnering.funding import open_data

    times, size = [], 0
    for _ in range(3 if quick else 5):
        t0 = time.perf_counter()
        package = open_data.package(base_url="https://example.org")
        body = json.dumps(package)
        times.append(time.perf_counter() - t0)
        size = len(body)
    from partnering.funding.models import Claim, Payment

    return {
        "projects": projects,
        "claims": Claim.objects.count(),
        "payments": Payment.objects.count(),
        "records": seeded["records"],
        "councils": seeded["councils"],
        "seed_s": seed_s,
        "requests": requests,
        "pages": results,
        "package": {
            "grants": len(package["grants"]),
            "median_s": sorted(times)[len(times) // 2],
            "max_s": max(times),
            "bytes": size,
        },
    }


def render(data: dict[str, object]) -> str:
    pages = data["pages"]  # type: ignore[index]
    floor = pages["Floor: the open-data page (one count query)"]["p50"]  # type: ignore[index]
    load = os.getloadavg()[0]
    lines = [
        "## Funding: money view, national e-enablement, 360Giving package",
        "",
        f"{data['projects']:,} projects, {data['claims']:,} claims ({data['payments']:,} paid) and "
        f"{data['records']:,} e-enablement records (every service of {data['councils']} councils) on "
        f"PostgreSQL (seeded in {data['seed_s']:.0f} s); {data['requests']} requests per page through "
        "Django's test client in one process, as the public (test settings, DEBUG off). The machine "
        f"was shared with other sessions (1-minute load average {load:.1f} on 2 cores at the end), so "
        "each page's p50 is also given as a multiple of the floor page measured in the same run. "
        f"Goal: p95 <= {GOAL_MS:.0f} ms and a fixed number of queries.",
        "",
        "| Page | p50 (ms) | p95 (ms) | p50 / floor | Queries | Goal met |",
        "|------|---------:|---------:|------------:|--------:|----------|",
    ]
    for label, r in pages.items():  # type: ignore[union-attr]
        ok = "yes" if r["p95"] <= GOAL_MS else "no"
        lines.append(
            f"| {label} | {r['p50']:.1f} | {r['p95']:.1f} | {r['p50'] / floor:.1f}x | "
            f"{r['queries']} | {ok} |"
        )
    pkg = data["package"]  # type: ignore[index]
    lines += [
        "",
        f"360Giving package of all {pkg['grants']} grants (built and serialised to JSON, "  # type: ignore[index]
        f"{pkg['bytes'] / 1024:.0f} KiB, 3 queries): median {pkg['median_s'] * 1000:.0f} ms, slowest "  # type: ignore[index]
        f"{pkg['max_s'] * 1000:.0f} ms.",  # type: ignore[index]
        "",
        "Run: `uv run python bench/run.py --only funding` (`--quick` for 64 projects).",
    ]
    return "\n".join(lines) + "\n"


def run(quick: bool = False) -> str:
    _admin(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{DB}"')
    try:
        args = [sys.executable, __file__, "--child"] + (["--quick"] if quick else [])
        out = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=False)
        if out.returncode != 0:
            raise RuntimeError(out.stderr[-3000:])
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
