"""Front door benchmark: PostgreSQL under gunicorn (the web benchmark's helpers).

1. routing and search: ``GET /api/v1/frontdoor/route`` and ``/services`` for everyday words and
   places, p50/p95 (goal p95 <= 50 ms);
2. Open311 ``POST requests.json`` sustained for a fixed time from several threads (against a
   gunicorn of its own with ``POST_WORKERS`` workers) with a
   back-office integrator's key (its own allowance, ``Open311Key.requests_per_minute``, as a
   council's back-office system would have; an ordinary key gets 600 a minute), each POST with
   a resident's email (so the email task is queued) and its own ``Idempotency-Key``:
   requests/s, and that every 201 answered is a row in the database (0 lost);
3. Open311 ``GET requests.json`` with filters on 1,000,000 stored requests (``--quick``: 100,000),
   generated in bulk with PostgreSQL ``COPY`` (benchmark only) in the order they were made, as a
   live table fills, p50/p95 (goal p95 <= 100 ms).

The load generator runs on the same machine as gunicorn and PostgreSQL (2 cores shared); the
section says the machine's load average at its start and end.
"""

from __future__ import annotations

import http.client
import importlib.util
import io
import os
import random
import secrets
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
BENCH_DB = "bench_frontdoor"
BENCH_KEY_PER_MINUTE = 60_000  # the benchmark integrator's own allowance: 1,000 a second
POST_THREADS = 8
#: Sync workers serving the POST load (the other sections: the web benchmark's 2; operations.md
#: suggests 2 x cores + 1). Each POST holds its worker while PostgreSQL writes and commits (the
#: WAL flush), so with 2 the cores sat idle part of the time: at load 3.3, 4 workers did 133 a
#: second against 109 with 2 (10 s each); at load 5.5-6 (two other sessions' pytest on the 2
#: cores, 2026-12-06, bench_postprofile's database) both did 126-141, the CPU being full anyway.
POST_WORKERS = 4
#: The peer measured beside every figure (the web benchmark's floor: a constant page in the
#: base layout): the machine is shared and its speed changes from hour to hour.
FLOOR = "/about-the-data/"
FLOOR_NOTE = (
    "Each request follows one to the floor page (`/about-the-data/`, a constant page in the base "
    "layout), so both meet the same moments of the shared machine: `floor beside` is that "
    "page's p50, and the ratio is what the request costs on top of the service itself."
)


def _table(rows):  # type: ignore[no-untyped-def]
    out = [
        "| request | p50 ms | p95 ms | floor beside, p50 ms | p50 / floor | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for path, r in rows:
        ratio = r["p50"] / r["peer_p50"] if r["peer_p50"] else float("nan")
        out.append(
            f"| `{path}` | {r['p50']:.1f} | {r['p95']:.1f} | {r['peer_p50']:.1f} | "
            f"{ratio:.1f} | {r['errors']:.0f} |"
        )
    return out


def _web(db: str = BENCH_DB):  # type: ignore[no-untyped-def]
    """The web benchmark's module, pointed at the database ``db``."""
    os.environ.setdefault("BENCH_DB_NAME", db)
    spec = importlib.util.spec_from_file_location(
        "bench_web_for_frontdoor", ROOT / "bench" / "web_bench.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    module.BENCH_DB = db
    return module


def _log(message: str) -> None:
    print(f"[frontdoor bench] {message}", flush=True)


def _synthetic_reference_body(i: int, alphabet: str) -> str:
    """Eight characters of ``alphabet`` spelling ``i`` (unique for i < 31**8): random draws
    collided about once in a million rows and the COPY failed on the unique reference."""
    digits = []
    for _ in range(8):
        i, digit = divmod(i, len(alphabet))
        digits.append(alphabet[digit])
    return "".join(reversed(digits))


def generate_requests(total: int) -> float:
    """``total`` synthetic requests with COPY (spread over 180 days, over the Worcestershire
    councils and the reportable services, 70 % open), written oldest first as a live table
    fills (rows written in random time order would put every row of a page of results on a
    page of its own, which no real table does). Returns seconds taken."""
    from django.db import connection

    from partnering.frontdoor.maths.attributes import REPORTABLE
    from partnering.frontdoor.models import REFERENCE_ALPHABET
    from partnering.organisations.models import Organisation

    councils = list(
        Organisation.objects.filter(gss_code__in=["E10000034", "E07000234", "E07000235", "E07000236",
                                                  "E07000237", "E07000238", "E07000239"]).values_list("pk", flat=True)
    )  # fmt: skip
    codes = [(s.lgsl_code, s.name) for s in REPORTABLE.values()]
    statuses = ["received", "in_progress", "scheduled", "received", "in_progress", "scheduled", "received",
                "done", "closed", "done"]  # fmt: skip
    rng = random.Random(12)
    now = datetime.now(UTC)
    columns = (
        "created_at, modified_at, reference, lgsl_code, service_name, council_id, status, status_notes, "
        "description, attributes, lat, long, address, postcode, photo_type, media_url, email, first_name, "
        "last_name, phone, source, is_demo"
    )
    t0 = time.monotonic()
    ages = sorted((rng.uniform(0, 180 * 86400) for _ in range(total)), reverse=True)
    with connection.cursor() as cursor:
        with cursor.copy(f"COPY frontdoor_servicerequest ({columns}) FROM STDIN") as copy:
            for i in range(total):
                code, name = codes[i % len(codes)]
                created = now - timedelta(seconds=ages[i])
                body = _synthetic_reference_body(i, REFERENCE_ALPHABET)
                copy.write_row((
                    created, created, f"FB-{body[:4]}-{body[4:]}", code, name, councils[i % len(councils)],
                    statuses[i % len(statuses)], "", "Synthetic request for the benchmark", "{}",
                    52.0 + rng.uniform(0, 0.4), -2.4 + rng.uniform(0, 0.6), "", "WR11 4AA", "", "", "", "", "",
                    "", "open311", True,
                ))  # fmt: skip
        cursor.execute("ANALYZE frontdoor_servicerequest")
    return time.monotonic() - t0


def _post_load(web, port: int, key: str, *, seconds: float, concurrency: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """POST requests.json from ``concurrency`` threads for ``seconds``; keep-alive connections."""
    ok: list[str] = []
    failures = [0]
    statuses: dict[int, int] = {}
    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds
    run = secrets.token_hex(4)  # each load's own idempotency keys
    form = {"api_key": key, "service_code": "557", "lat": "52.0925", "long": "-1.9470",
            "description": "Benchmark pothole", "attribute[size]": "small",
            "email": "resident@example.com"}  # fmt: skip
    headers = {"Host": "127.0.0.1", "Content-Type": "application/x-www-form-urlencoded"}

    def worker(n: int) -> None:
        import json

        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        i = 0
        while time.perf_counter() < deadline:
            i += 1
            body = urlencode({**form, "description": f"Benchmark pothole {n}-{i}"})
            sent = {**headers, "Idempotency-Key": f"bench-{run}-{n}-{i}"}
            t0 = time.perf_counter()
            try:
                conn.request("POST", "/open311/v2/requests.json", body=body, headers=sent)
                response = conn.getresponse()
                data = response.read()
                status = response.status
            except OSError:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                status, data = 0, b""
            elapsed = (time.perf_counter() - t0) * 1000
            with lock:
                if status == 201:
                    ok.append(json.loads(data)[0]["service_request_id"])
                    latencies.append(elapsed)
                else:
                    failures[0] += 1
                    statuses[status] = statuses.get(status, 0) + 1
        conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    return {"ok": float(len(ok)), "refs": ok, "failures": float(failures[0]), "rps": len(ok) / wall,  # type: ignore[dict-item]
            "p50": web._percentile(latencies, 0.50), "p95": web._percentile(latencies, 0.95),
            "wall": wall, "statuses": statuses}  # fmt: skip


def run(quick: bool = False) -> str:
    web = _web()
    if web.postgres_available() is None:
        return "## Front door\n\nNot run: PostgreSQL was not reachable.\n"
    var_dir = ROOT / "var" / "bench-frontdoor"
    var_dir.mkdir(parents=True, exist_ok=True)
    env = web.configure_environment(var_dir)
    web.create_database()
    try:
        return _run(web, env, quick)
    finally:
        from django.db import connections

        connections.close_all()
        web.drop_database()


def _run(web, env: dict[str, str], quick: bool) -> str:  # type: ignore[no-untyped-def]
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections
    from django_tasks_db.models import DBTaskResult

    from partnering.frontdoor.models import ServiceRequest
    from partnering.frontdoor.services import open311_key_create

    quiet = io.StringIO()
    call_command("migrate", interactive=False, verbosity=0, stdout=quiet)
    call_command("collectstatic", interactive=False, verbosity=0, clear=True, stdout=quiet)
    call_command("import_organisations", no_progress=True, stdout=quiet)
    from django.conf import settings

    # The seeding process sends no mail (demo loaders email reminders); gunicorn keeps its own.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("load_demo", stdout=quiet)
    # A council's back-office integration: a key with its own allowance (ordinary keys: 600 a
    # minute, which this load would spend in two seconds).
    _, bench_secret = open311_key_create(
        name="Benchmark back office", actor=None, requests_per_minute=BENCH_KEY_PER_MINUTE
    )
    stored = 100_000 if quick else 1_000_000
    copy_s = generate_requests(stored)
    total_rows = ServiceRequest.objects.count()
    _log(f"{total_rows:,} requests stored ({copy_s:.0f} s to COPY {stored:,})")
    connections.close_all()

    route_paths = [
        "/api/v1/frontdoor/route?" + urlencode({"need": need, "place": place})
        for need, place in [("bins", "WR11 4AA"), ("pothole", "WR11"), ("council tax", "Harrogate"),
                            ("blue badge", "Worcester"), ("fly tipping", "Evesham"), ("school place", "B60")]
    ] + ["/api/v1/frontdoor/route?need=street+light&lat=52.0925&long=-1.947",
         "/api/v1/frontdoor/services?q=rubbish"]  # fmt: skip
    now = datetime.now(UTC)
    get_paths = [
        "/open311/v2/requests.json",
        "/open311/v2/requests.json?status=open&service_code=557",
        "/open311/v2/requests.json?" + urlencode({"start_date": (now - timedelta(days=150)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                                                   "end_date": (now - timedelta(days=120)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                                                   "status": "closed"}),
        "/open311/v2/requests.json?jurisdiction_id=wychavon-district-council&status=open",
        "/open311/v2/requests.xml?service_code=524,564",
    ]  # fmt: skip
    n = 60 if quick else 200
    lines = ["## Front door (routing, Open311) on PostgreSQL under gunicorn", ""]
    load_start = os.getloadavg()
    with web.gunicorn(env) as port:
        _log(f"gunicorn on {port}")
        rows = []
        latencies_all: list[float] = []
        for path in route_paths:
            web.load(port, path, requests=5, concurrency=1, budget_s=10, peer=FLOOR)
            result = web.load(port, path, requests=n // 4, concurrency=1, budget_s=15, peer=FLOOR)
            rows.append((path, result))
        latencies_all.extend(result["p95"] for _, result in rows)
        route_p95 = max(latencies_all)
        get_rows = []
        for path in get_paths:
            web.load(port, path, requests=3, concurrency=1, budget_s=10, peer=FLOOR)
            get_rows.append(
                (
                    path,
                    web.load(port, path, requests=n // 4, concurrency=1, budget_s=20, peer=FLOOR),
                )
            )
    seconds = 10.0 if quick else 30.0
    with web.gunicorn(env, workers=POST_WORKERS) as port:
        _log(f"gunicorn with {POST_WORKERS} workers on {port} for the POST load")
        # Each new worker loads the council directory and the boundaries on its first POST.
        _post_load(web, port, bench_secret, seconds=2.0, concurrency=POST_THREADS)
        before = ServiceRequest.objects.count()
        tasks_before = DBTaskResult.objects.count()
        connections.close_all()
        posted = _post_load(web, port, bench_secret, seconds=seconds, concurrency=POST_THREADS)
        # The peer: the floor page from the same threads against the same workers, just after.
        floor_load = web.load(
            port, FLOOR, requests=1_000_000, concurrency=POST_THREADS, budget_s=seconds / 3
        )
    load_end = os.getloadavg()
    stored_after = ServiceRequest.objects.filter(reference__in=posted["refs"]).count()  # type: ignore[misc]
    lost = int(posted["ok"]) - stored_after
    added = ServiceRequest.objects.count() - before
    queued = DBTaskResult.objects.count() - tasks_before
    get_p95 = max(r["p95"] for _, r in get_rows)
    refused = ", ".join(
        f"{n:,} answered {code or 'no answer'}" for code, n in sorted(posted["statuses"].items())
    )  # type: ignore[union-attr]
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    lines += [
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on commit `{commit or 'unknown'}`.",
        "",
        f"Server: gunicorn, {web.WORKERS} sync workers for search, routing and GET requests, and "
        f"{POST_WORKERS} for the POST load (a POST holds its worker while PostgreSQL writes and commits: "
        "with 2 the cores sat idle part of the time), production settings; PostgreSQL; the load generator "
        "(Python threads) on the same 2 cores. The machine's 1-minute load average was "
        f"{load_start[0]:.1f} when the measuring started and {load_end[0]:.1f} when it ended (other "
        "sessions share it).",
        "",
        f"Stored requests: {total_rows:,} ({stored:,} generated with COPY in {copy_s:.0f} s, plus the demo).",
        "",
        "### Search and routing (goal p95 <= 50 ms)",
        "",
        FLOOR_NOTE,
        "",
        *_table(rows),
        "",
        f"Worst p95: {route_p95:.1f} ms ({'meets' if route_p95 <= 50 else 'misses'} the goal).",
        "",
        f"### Open311 GET requests with filters, {total_rows:,} stored (goal p95 <= 100 ms)",
        "",
        *_table(get_rows),
        "",
        f"Worst p95: {get_p95:.1f} ms ({'meets' if get_p95 <= 100 else 'misses'} the goal).",
        "",
        "### Open311 POST requests sustained (goal >= 300 per second, 0 lost)",
        "",
        f"{POST_THREADS} client threads for {posted['wall']:.0f} s (after 2 s to warm up) against "
        f"{POST_WORKERS} gunicorn workers, with a back-office integrator's key "
        f"(its own allowance: {BENCH_KEY_PER_MINUTE:,} a minute), each POST with a resident's email and "
        f"its own Idempotency-Key: {posted['ok']:,.0f} answered 201 ({posted['rps']:.0f} per second, "
        f"p50 {posted['p50']:.0f} ms, p95 {posted['p95']:.0f} ms), {posted['failures']:,.0f} not "
        f"({refused or 'none'}); rows added {added:,}; email tasks queued {queued:,}; answered but "
        f"not stored (lost): {lost} ({'meets' if posted['rps'] >= 300 and lost == 0 else 'misses'} the goal).",
        "",
        f"The peer, measured on the same server right after: the floor page (`{FLOOR}`, a constant "
        f"page in the base layout) from the same {POST_THREADS} threads answered "
        f"{floor_load['rps']:.0f} a second, so a POST costs about "
        f"{floor_load['rps'] / posted['rps']:.1f} times what the service itself costs a request; "
        "on a slower or busier machine both move together.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    print(run(quick="--quick" in sys.argv))
