"""Benchmark of the programme room's optimisers (selection and mentor matching).

Run ``uv run python bench/programme_bench.py`` (``--quick`` for fewer repeats). ``run()`` returns a
Markdown section headed ``## Programme optimisers`` for ``docs/benchmarks.md``, with the
programme dashboard's p50/p95 and query counts at 1x and 10x data on PostgreSQL (a child
process on its own database ``BENCH_PROGRAMME_DB``, default ``bench_programme``, dropped
afterwards) beside a floor page measured in the same run. The instances are
generated from a fixed seed: scores on a 0-100 scale with one decimal, costs of £50k-£400k, the
seed programme's quotas (at least a third e-government, at least a fifth two-tier, each kind and
region capped) scaled to the number of places.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from partnering.programme.maths import matching, selection

KINDS = ["public_public", "public_private", "public_voluntary", "shared_service"]
REGIONS = [
    "North East", "North West", "Yorkshire and The Humber", "East Midlands", "West Midlands",
    "East of England", "London", "South East", "South West",
]  # fmt: skip
SIZES = ["small", "medium", "large"]
DISCIPLINES = ["procurement", "project_management", "finance", "legal"]


def selection_instance(n: int, places: int, seed: int = 1) -> dict[str, object]:
    rng = random.Random(seed)
    apps = []
    for i in range(n):
        tags = [f"kind:{rng.choice(KINDS)}", f"region:{rng.choice(REGIONS)}"]
        tags.append(f"size:{rng.choice(SIZES)}")
        if rng.random() < 0.35:
            tags.append("egov")
        if rng.random() < 0.3:
            tags.append("two_tier")
        apps.append(
            {
                "id": f"APP-{i:05d}",
                "score": round(rng.uniform(35, 95), 1),
                "cost": rng.randint(50, 400) * 1000,
                "tags": tags,
            }
        )
    quotas: list[dict[str, object]] = [
        {"tag": "egov", "min": places // 3},
        {"tag": "two_tier", "min": places // 5},
    ]
    quotas += [{"tag": f"kind:{k}", "min": max(1, places // 12)} for k in KINDS]
    quotas += [{"tag": f"region:{r}", "max": max(2, places // 5)} for r in REGIONS]
    quotas += [{"tag": f"size:{s}", "min": max(1, places // 6)} for s in SIZES]
    return {
        "select": places,
        "budget": places * 230_000,
        "applications": apps,
        "quotas": quotas,
    }


def matching_instance(partnerships: int, advisers: int, seed: int = 2) -> dict[str, object]:
    rng = random.Random(seed)
    advs = [
        {
            "id": f"ADV-{i:03d}",
            "capacity": rng.randint(1, 3),
            "disciplines": rng.sample(DISCIPLINES, rng.randint(1, 3)),
        }
        for i in range(advisers)
    ]
    ships = [
        {"id": f"PSHIP-{i:03d}", "requires": [rng.choice(DISCIPLINES)], "mentors": 1}
        for i in range(partnerships)
    ]
    suitability = [
        {"adviser": a["id"], "partnership": p["id"], "score": round(rng.random(), 3)}
        for a in advs
        for p in ships
        if rng.random() < 0.6
    ]
    conflicts = [
        {"adviser": a["id"], "partnership": p["id"]}
        for a in advs
        for p in ships
        if rng.random() < 0.02
    ]
    return {
        "advisers": advs,
        "partnerships": ships,
        "suitability": suitability,
        "conflicts": conflicts,
    }


def _best(fn, repeat: int):  # type: ignore[no-untyped-def]
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


# --- the programme dashboard at 1x and 10x data (PostgreSQL, in a child process) ----------------

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
DB = os.environ.get("BENCH_PROGRAMME_DB", "bench_programme")
DASHBOARD_GOAL_MS = 100.0


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql)


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _seed(scale: int, tag: str) -> None:
    """One "1x" is the demo programme's size: a call of 60 applications (24 selected, a
    confirmed run), 24 pathfinders, 4 advisers with 10 advised partnerships each, 10 pieces of
    advice with 2 actions each (half overdue), 4 events with 20 bookings each, 4 modules with 2
    cohorts and 10 enrolments each. ``scale`` multiplies all of it (rows bulk-created)."""
    from datetime import date, timedelta
    from decimal import Decimal

    from django.utils import timezone

    from partnering.core.models import User
    from partnering.organisations.models import Organisation
    from partnering.partnerships.models import Partnership
    from partnering.programme.models import (
        Action,
        Advice,
        AdviserProfile,
        Application,
        Booking,
        Call,
        Enrolment,
        Event,
        ModuleSession,
        Quota,
        SelectionRun,
        TrainingModule,
    )  # fmt: skip

    rng = random.Random(scale)
    org, _ = Organisation.objects.get_or_create(
        slug="bench-council", defaults={"name": "Bench Council"}
    )
    stages = ["idea", "scoping", "options_appraisal", "procurement", "agreement", "delivery"]
    n_apps = 60 * scale
    ships = Partnership.objects.bulk_create(
        [Partnership(name=f"Bench {tag} {i:05d}", reference=f"B{tag}-{i:05d}", slug=f"b{tag}-{i:05d}",
                     purpose="Bench", lead_organisation=org, stage=rng.choice(stages),
                     region=rng.choice(REGIONS), kind=rng.choice(KINDS), member_count=rng.randint(2, 9),
                     joins_two_tiers=rng.random() < 0.3, is_pathfinder=i < 24 * scale)
         for i in range(n_apps)], batch_size=2000,
    )  # fmt: skip
    call = Call.objects.create(
        title=f"Bench call {tag}", slug=f"bench-call-{tag}", summary="Bench", opens_on=date(2003, 1, 6),
        closes_on=date(2003, 3, 31), decisions_by=date(2003, 5, 30) + timedelta(days=scale),
        places=24 * scale, status="decided",
    )  # fmt: skip
    Quota.objects.bulk_create([Quota(call=call, tag="egov", minimum=8 * scale, label="E-government"),
                               Quota(call=call, tag="two_tier", minimum=5 * scale, label="Two-tier")]
                              + [Quota(call=call, tag=f"region:{r}", maximum=5 * scale) for r in REGIONS])  # fmt: skip
    apps = Application.objects.bulk_create(
        [Application(call=call, partnership=p, reference=f"APP-{tag}-{i:05d}", title="Bench",
                     themes=["egov"] if rng.random() < 0.4 else ["waste"], requested_amount=Decimal(100000),
                     status="selected" if i < 24 * scale else "not_selected")
         for i, p in enumerate(ships)], batch_size=2000,
    )  # fmt: skip
    SelectionRun.objects.create(call=call, number=1, inputs={}, status="optimal",
                                result={"selected": [a.reference for a in apps[: 24 * scale]]},
                                confirmed_at=timezone.now())  # fmt: skip
    users = User.objects.bulk_create([User(username=f"bench-{tag}-adv-{i}", role="adviser")
                                      for i in range(4 * scale)])  # fmt: skip
    AdviserProfile.objects.bulk_create([AdviserProfile(user=u, disciplines=["finance"], capacity=8)
                                        for u in users])  # fmt: skip
    through = Partnership.advisers.through
    through.objects.bulk_create([through(partnership_id=ships[(i * 10 + k) % len(ships)].pk, user_id=u.pk)
                                 for i, u in enumerate(users) for k in range(10)], ignore_conflicts=True)  # fmt: skip
    today = timezone.localdate()
    advice = Advice.objects.bulk_create([Advice(partnership=ships[i], adviser=users[i % len(users)],
                                                advice_type="legal", given_on=today, summary="Bench")
                                         for i in range(10 * scale)])  # fmt: skip
    Action.objects.bulk_create([Action(advice=a, partnership_id=a.partnership_id,
                                       description="Bench action", owner=a.adviser,
                                       due_on=today + timedelta(days=(-5 if k == 0 else 5)))
                                for a in advice for k in range(2)])  # fmt: skip
    events = Event.objects.bulk_create([Event(title=f"Bench event {tag} {i}", slug=f"be-{tag}-{i}",
                                              summary="Bench", location="Leeds", places=15,
                                              starts_at=timezone.now() + timedelta(days=i + 1),
                                              ends_at=timezone.now() + timedelta(days=i + 1, hours=2))
                                        for i in range(4 * scale)])  # fmt: skip
    people = User.objects.bulk_create([User(username=f"bench-{tag}-p-{i}", role="partner")
                                       for i in range(20 * scale)])  # fmt: skip
    Booking.objects.bulk_create([Booking(event=e, person=people[(j * 7 + k) % len(people)],
                                         status="booked" if k < 15 else "waiting")
                                 for j, e in enumerate(events) for k in range(20)], ignore_conflicts=True)  # fmt: skip
    modules = TrainingModule.objects.bulk_create([
        TrainingModule(title=f"Bench module {tag} {i}", slug=f"bm-{tag}-{i}", summary="Bench",
                       learning_outcomes=["One"], duration_hours=Decimal(3), is_published=True)
        for i in range(4 * scale)])  # fmt: skip
    sessions = ModuleSession.objects.bulk_create([
        ModuleSession(module=m, starts_on=today, ends_on=today, venue="Leeds", places=30)
        for m in modules for _ in range(2)])  # fmt: skip
    Enrolment.objects.bulk_create([
        Enrolment(session=s, person=people[(j * 3 + k) % len(people)], organisation=org,
                  status="completed" if k % 2 else "enrolled", completed_on=today if k % 2 else None)
        for j, s in enumerate(sessions) for k in range(5)], ignore_conflicts=True)  # fmt: skip


def _time(client, url: str, requests: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        assert client.get(url).status_code == 200, url
    times = []
    for _ in range(requests):
        t0 = time.perf_counter()
        assert client.get(url).status_code == 200
        times.append((time.perf_counter() - t0) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return {"p50": _p(times, 0.5), "p95": _p(times, 0.95), "queries": len(queries)}


def child(quick: bool) -> dict[str, object]:
    os.environ["DATABASE_URL"] = f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnering.config.settings.test")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from partnering.core.models import User

    call_command("migrate", verbosity=0)
    staff = User.objects.create(username="bench-staff", role="staff")
    client = Client()
    client.force_login(staff)
    requests = 30 if quick else 100
    pages = {"floor": "/about/data/", "dashboard": "/programme/dashboard/",
             "modules": "/programme/modules/", "events": "/programme/events/"}  # fmt: skip
    from django.urls import reverse

    pages["floor"] = reverse("core:about-data")
    results: dict[str, dict[str, dict[str, float]]] = {}
    for label, scale in (("1x", 1), ("10x", 10)):
        _seed(scale if label == "1x" else scale - 1, label)  # 10x = the 1x rows plus nine more
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        results[label] = {name: _time(client, url, requests) for name, url in pages.items()}
    return {"requests": requests, "results": results}


def dashboard_section(quick: bool) -> list[str]:
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
    r = data["results"]
    lines = [
        "",
        "### Programme dashboard, modules and events pages (PostgreSQL)",
        "",
        f"Django's test client in one process, signed in as staff (test settings, DEBUG off), "
        f"{data['requests']} requests per page after 3 warm-ups. 1x is the demo programme's size "
        "(60 applications, 24 pathfinders, 4 advisers, 20 actions, 4 events, 4 modules); 10x has "
        "ten times each. The floor is a constant page in the base layout, measured in the same "
        f"run. Goal: the dashboard's p95 <= {DASHBOARD_GOAL_MS:.0f} ms at 10x, with the same "
        "number of queries at 1x and 10x. The machine was shared by other sessions' tests.",
        "",
        "| Page | p50 1x (ms) | p95 1x (ms) | p50 10x (ms) | p95 10x (ms) | p50 10x / floor | queries 1x | queries 10x |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    floor = r["10x"]["floor"]["p50"]
    for name, label in (("floor", "Floor: a constant page"), ("dashboard", "Programme dashboard"),
                        ("modules", "Training modules"), ("events", "Events")):  # fmt: skip
        a, b = r["1x"][name], r["10x"][name]
        lines.append(f"| {label} | {a['p50']:.1f} | {a['p95']:.1f} | {b['p50']:.1f} | {b['p95']:.1f} | "
                     f"{b['p50'] / floor:.1f} | {a['queries']} | {b['queries']} |")  # fmt: skip
    d = r["10x"]["dashboard"]
    met = d["p95"] <= DASHBOARD_GOAL_MS and d["queries"] == r["1x"]["dashboard"]["queries"]
    lines += ["", f"Dashboard goal at 10x: {'met' if met else 'not met'} (p95 {d['p95']:.1f} ms, "
                  f"{d['queries']} queries at both sizes)." if met else
              f"Dashboard goal at 10x: not met (p95 {d['p95']:.1f} ms; queries "
              f"{r['1x']['dashboard']['queries']} at 1x, {d['queries']} at 10x)."]  # fmt: skip
    return lines


def run(quick: bool = False) -> str:
    repeat = 1 if quick else 3
    out = [
        "## Programme optimisers",
        "",
        "Balanced selection (`programme/maths/selection.py`, HiGHS through `scipy.optimize.milp`,"
        " gap 0) and mentor matching (`programme/maths/matching.py`). Best of "
        f"{repeat} wall-clock runs; *solve* is the integer programme alone, *full* adds the "
        "binding-quota re-solves and the one-line reasons for every application left out.",
        "",
        "| Case | Solve | Full | Result | Goal |",
        "|---|---|---|---|---|",
    ]
    for n, places in ((60, 24), (500, 24), (5000, 24), (5000, 240)):
        problem = selection.parse_problem(selection_instance(n, places))
        model = selection._Model(problem)
        solve_s, _ = _best(lambda model=model: model.run(model.limits), repeat)
        full_s, result = _best(lambda problem=problem: selection.solve(problem), repeat)
        goal = "proven optimum < 5 s" if n == 5000 else ""
        verdict = ""
        if goal:
            verdict = " (met)" if solve_s < 5 and result.status == "optimal" else " (missed)"
        line = (
            f"| Selection: {n:,} applications, {places} places, {len(problem.quotas)} quotas, "
            f"budget | {solve_s:.2f} s | {full_s:.2f} s | {result.status}, "
            f"{len(result.binding)} binding | {goal}{verdict} |"
        )
        print(line, flush=True)
        out.append(line)
    mproblem = matching.parse_problem(matching_instance(350, 200))
    match_s, mresult = _best(lambda: matching.solve(mproblem), repeat)
    line = (
        f"| Matching: 350 partnerships x 200 advisers | {match_s:.2f} s | {match_s:.2f} s | "
        f"{mresult.status}, {len(mresult.assignments)} assigned | < 2 s "
        f"({'met' if match_s < 2 else 'missed'}) |"
    )
    print(line, flush=True)
    out.append(line)
    out += dashboard_section(quick)
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    if "--child" in sys.argv:
        print(json.dumps(child("--quick" in sys.argv)))
    else:
        print(run(quick="--quick" in sys.argv))
