"""CPU per Open311 ``POST requests.json`` in process, on PostgreSQL: where the front door's POST
time goes, and before/after comparisons of two source trees on the same database.

    .venv/bin/python bench/frontdoor_post_profile.py                  # this tree, 500 POSTs x 3
    .venv/bin/python bench/frontdoor_post_profile.py --profile        # and cProfile's top entries
    .venv/bin/python bench/frontdoor_post_profile.py --compare /tmp/base/src --rounds 4
    # A/B: this tree's src/ and another (e.g. ``git archive <commit> src | tar -x -C /tmp/base``),
    # alternated round by round (the machine is shared and noisy), same database
    BENCH_KEEP_DB=1 .venv/bin/python bench/frontdoor_post_profile.py   # keep the database, then
    .venv/bin/python bench/frontdoor_post_profile.py --reuse          # skip the 2 minutes' seeding
    # --queries prints one POST's SQL; --profile writes var/bench-postprofile/<tree>.prof too

It creates a throw-away database (``BENCH_DB_NAME``, default ``bench_postprofile``, on
``BENCH_PG_ADMIN_URL`` as the web benchmark does), migrates it, imports the real councils, loads
the demo and issues a back-office key, as ``frontdoor_bench.py`` does; then each round is a
child process (production settings, DEBUG off, the database task backend) that sends ``--posts``
POSTs (default 500, after 50 to warm up) straight to Django's WSGI application (no HTTP server,
no load generator), each with the benchmark's body: a pothole at a point in Wychavon, an
attribute, a resident's email (so the email task is queued) and its own ``Idempotency-Key``.
It reports per POST: the CPU of the Django process (``time.process_time``), the CPU of its
PostgreSQL backend (``/proc/<pid>/stat`` of ``pg_backend_pid()``: the server must be local) and
the wall time, with the machine's 1-minute load average. The database is dropped at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DB = "bench_postprofile"
WARMUP = 50
FORM = {"service_code": "557", "lat": "52.0925", "long": "-1.9470",
        "description": "Benchmark pothole", "attribute[size]": "small",
        "email": "resident@example.com"}  # fmt: skip


def _web():  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(ROOT / "bench"))
    from frontdoor_bench import _web as frontdoor_web

    return frontdoor_web(os.environ.get("BENCH_DB_NAME", DEFAULT_DB))


def _seed() -> str:
    """Migrate, import, demo; returns a back-office key's secret."""
    import io

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    from partnering.frontdoor.services import open311_key_create

    quiet = io.StringIO()
    call_command("migrate", interactive=False, verbosity=0, stdout=quiet)
    call_command("import_organisations", no_progress=True, stdout=quiet)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("load_demo", stdout=quiet)
    _, secret = open311_key_create(
        name="Profile back office", actor=None, requests_per_minute=600_000
    )
    connections.close_all()
    return secret


def _backend_cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def child(key: str, posts: int, profile: bool, label: str, queries: bool = False) -> None:
    """One round in this process: WARMUP then ``posts`` POSTs; prints one JSON line."""
    import io

    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection

    app = WSGIHandler()
    run = os.urandom(4).hex()

    def post(i: int) -> None:
        from urllib.parse import urlencode

        body = urlencode({**FORM, "api_key": key, "description": f"Profile pothole {i}"}).encode()
        environ = {
            "REQUEST_METHOD": "POST", "PATH_INFO": "/open311/v2/requests.json", "QUERY_STRING": "",
            "CONTENT_TYPE": "application/x-www-form-urlencoded", "CONTENT_LENGTH": str(len(body)),
            "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "127.0.0.1", "HTTP_IDEMPOTENCY_KEY": f"profile-{run}-{i}",
            "REMOTE_ADDR": "127.0.0.1", "wsgi.input": io.BytesIO(body), "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr, "wsgi.multithread": False, "wsgi.multiprocess": True,
            "wsgi.run_once": False, "wsgi.version": (1, 0),
        }  # fmt: skip
        statuses: list[str] = []
        chunks = app(environ, lambda status, headers, exc_info=None: statuses.append(status))
        b"".join(chunks)
        if hasattr(chunks, "close"):
            chunks.close()
        if not statuses[0].startswith("201"):
            raise SystemExit(f"POST {i} answered {statuses[0]}")

    for i in range(WARMUP):
        post(-1 - i)
    if queries:
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            post(-WARMUP - 1)
        for q in captured.captured_queries:
            print(q["sql"][:300], file=sys.stderr)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = int(cursor.fetchone()[0])
    load = os.getloadavg()[0]
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile(time.process_time)  # CPU, not waits
        profiler.enable()
    db0, cpu0, wall0 = _backend_cpu_s(backend), time.process_time(), time.perf_counter()
    for i in range(posts):
        post(i)
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    db = _backend_cpu_s(backend) - db0
    if profiler is not None:
        import pstats

        profiler.disable()
        out = io.StringIO()
        profiler.dump_stats(ROOT / "var" / "bench-postprofile" / f"{label}.prof")
        stats = pstats.Stats(profiler, stream=out).strip_dirs()
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(30)
        print(out.getvalue(), file=sys.stderr)
    load = max(load, os.getloadavg()[0])
    print(json.dumps({"label": label, "posts": posts, "cpu_ms": cpu * 1000 / posts,
                      "db_ms": db * 1000 / posts, "wall_ms": wall * 1000 / posts, "load": load}))  # fmt: skip


def _round(
    src: Path, key: str, posts: int, profile: bool, label: str, queries: bool = False
) -> dict[str, float]:
    # One connection for the whole round (its backend's CPU is read), however long it takes.
    env = {**os.environ, "PYTHONPATH": str(src), "CONN_MAX_AGE": "3600"}
    cmd = [sys.executable, __file__, "--child", key, "--posts", str(posts), "--label", label]
    if profile:
        cmd.append("--profile")
    if queries:
        cmd.append("--queries")
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"round {label} failed:\n{done.stderr[-3000:]}")
    if profile or queries:
        print(done.stderr, file=sys.stderr)
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="cProfile one round of each tree")
    parser.add_argument("--queries", action="store_true", help="print the SQL of one POST")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="use the database a BENCH_KEEP_DB=1 run kept (no seeding)",
    )
    parser.add_argument("--compare", type=Path, help="another src/ to alternate with this one")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--label", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.posts, args.profile, args.label, args.queries)
        return
    web = _web()
    if web.postgres_available() is None:
        raise SystemExit("PostgreSQL is not reachable")
    var_dir = ROOT / "var" / "bench-postprofile"
    var_dir.mkdir(parents=True, exist_ok=True)
    web.configure_environment(var_dir)
    key_file = var_dir / "key"
    sys.path.insert(0, str(ROOT / "src"))
    if not (args.reuse and key_file.exists()):
        web.create_database()
    try:
        if args.reuse and key_file.exists():
            key = key_file.read_text().strip()
        else:
            key = _seed()
            key_file.write_text(key)
        trees = [("this", ROOT / "src")]
        if args.compare:
            trees.insert(0, ("compare", args.compare.resolve()))
        results: dict[str, list[dict[str, float]]] = {label: [] for label, _ in trees}
        for n in range(args.rounds):
            for label, src in trees if n % 2 == 0 else trees[::-1]:
                r = _round(
                    src, key, args.posts, args.profile and n == 0, label, args.queries and n == 0
                )
                results[label].append(r)
                print(f"round {n + 1} {label:8} Django CPU {r['cpu_ms']:.2f} ms, PostgreSQL CPU "
                      f"{r['db_ms']:.2f} ms, wall {r['wall_ms']:.2f} ms a POST (load {r['load']:.1f})",
                      flush=True)  # fmt: skip
        for label, src in trees:
            rows = results[label]
            best = min(rows, key=lambda r: r["cpu_ms"])
            print(f"{label} ({src}): best Django CPU {best['cpu_ms']:.2f} ms, its PostgreSQL "
                  f"{best['db_ms']:.2f} ms, wall {best['wall_ms']:.2f} ms; median Django CPU "
                  f"{sorted(r['cpu_ms'] for r in rows)[len(rows) // 2]:.2f} ms; loads "
                  f"{', '.join(format(r['load'], '.1f') for r in rows)}")  # fmt: skip
    finally:
        from django.db import connections

        connections.close_all()
        if not (os.environ.get("BENCH_KEEP_DB") or args.reuse):
            web.drop_database()


if __name__ == "__main__":
    main()
