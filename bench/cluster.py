"""Faults under load on a two-server deployment (issue 16, part 3). ``make faults``.

Starts the production topology on this machine, all on 127.0.0.1:

- PostgreSQL: a throw-away database ``faults`` (``FAULTS_DB_NAME``) on the server at
  ``BENCH_PG_ADMIN_URL``, migrated, with the real organisations and the demo;
- two gunicorn app servers (production settings, 2 sync workers each, their own ports);
- HAProxy (Debian's) in front, round robin, health checks on ``GET /healthz`` every second
  (3 s to answer; down after 3 failures, up after 2);
- one ``manage.py db_worker`` (django-tasks' database backend) with a stable worker id;
- an SMTP server of the script's own that records every message it accepts, and answers the
  ``DATA`` command after a pause (a slow mail relay), so a task can be caught mid-send.

Under a loopback load (writer threads and a reader thread through HAProxy) it injects, in turn:
kill -9 of one app worker; kill -9 of a whole app server (master and workers), restarted 5 s
later; a PostgreSQL restart (``pg_ctlcluster``; skipped with ``--no-db-restart``: the server is
shared); kill -9 of the task worker while a task is sending its email, then the worker's restart.

Writes: Open311 service requests (with the resident's email, so each queues an email task),
partnerships registered, memberships, strategic aims, advisers' advice records and claims against
a funded award's milestone added through the JSON API, each with an ``Idempotency-Key``. A client retries a failed write (no answer, 5xx, 429) with the same key
and body, as an integrator would. Afterwards every acknowledged (2xx) write is looked up in the
database by its key or reference: found once, not found (lost), or more than once (duplicated);
every email task's update is emailed exactly once (the SMTP server's messages) and no task is left
running or failed.

Usage: ``python bench/cluster.py [--no-db-restart] [--seconds-per-fault N] [--markdown FILE]``.
Only 127.0.0.1 is contacted; every loop is bounded in time.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import importlib.util
import itertools
import json
import os
import shutil
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
DB_NAME = os.environ.get("FAULTS_DB_NAME", "faults")
APP_WORKERS = 2
WRITERS, READERS = 3, 1
SMTP_DATA_DELAY_S = 0.6
WORKER_ID = "faults-worker-1"
#: The writes of the load, in turn: a resident's service request (Open311), a partnership, a
#: membership, a strategic aim, an adviser's advice record and a claim against a funded award's
#: milestone (the JSON API, each with its own Idempotency-Key).
EVIDENCE = "TWlsZXN0b25lIHJlYWNoZWQ6IHNlZSB0aGUgYm9hcmQgbWludXRlcy4="  # a plain-text note, base64
WRITE_KINDS = ("open311", "partnership", "membership", "aim", "advice", "claim")
RETRY_PAUSE_S = 0.25
RETRYABLE = {0, 429, 500, 502, 503, 504}


def _log(message: str) -> None:
    print(f"[faults] {message}", flush=True)


def _web():  # type: ignore[no-untyped-def]
    os.environ["BENCH_DB_NAME"] = DB_NAME
    spec = importlib.util.spec_from_file_location(
        "bench_web_for_faults", ROOT / "bench" / "web_bench.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    module.BENCH_DB = DB_NAME
    return module


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- a slow SMTP server that counts what it accepts -----------------------------------------


class MailSink(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.subjects: list[str] = []
        self.sending = threading.Event()  # a client is waiting for the 354 (mid-send)
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _SmtpHandler)


class _SmtpHandler(socketserver.StreamRequestHandler):
    server: MailSink

    def _say(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self) -> None:
        try:
            self._say("220 faults sink")
            while True:
                line = self.rfile.readline()
                if not line:
                    return
                verb = line.decode(errors="replace").strip().split(" ", 1)[0].upper()
                if verb in ("EHLO", "HELO"):
                    self._say("250 faults sink")
                elif verb == "DATA":
                    self.server.sending.set()
                    time.sleep(self.server.delay)  # a slow relay: the task is mid-send here
                    self.server.sending.clear()
                    self._say("354 go ahead")
                    lines = []
                    while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                        lines.append(chunk.decode(errors="replace"))
                    if not chunk:
                        return  # the client went away: nothing delivered
                    subject = next((x[9:].strip() for x in lines if x.startswith("Subject: ")), "")
                    with self.server.lock:
                        self.server.subjects.append(subject)
                    self._say("250 accepted")
                elif verb == "QUIT":
                    self._say("221 bye")
                    return
                else:
                    self._say("250 ok")
        except OSError:
            return


# --- processes ------------------------------------------------------------------------------


@dataclass
class Proc:
    name: str
    cmd: list[str]
    env: dict[str, str]
    log: Path
    popen: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        handle = self.log.open("ab")
        self.popen = subprocess.Popen(
            self.cmd, cwd=ROOT, env=self.env, stdout=handle, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    @property
    def pid(self) -> int:
        assert self.popen is not None
        return self.popen.pid

    def children(self) -> list[int]:
        out = subprocess.run(["pgrep", "-P", str(self.pid)], capture_output=True, text=True)
        return [int(x) for x in out.stdout.split()]

    def kill_all(self) -> None:
        """kill -9 the process and everything in its session (a server that dies at once)."""
        if self.popen is None or self.popen.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGKILL)
        self.popen.wait(timeout=10)

    def stop(self) -> None:
        if self.popen is None or self.popen.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGTERM)
        try:
            self.popen.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill_all()


def _get(port: int, path: str, timeout: float = 5) -> int:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        conn.request("GET", path, headers={"Host": "127.0.0.1"})
        status = conn.getresponse().status
        conn.close()
        return status
    except OSError:
        return 0


def _wait_healthy(port: int, seconds: float = 90) -> float:
    t0 = time.monotonic()
    while time.monotonic() - t0 < seconds:
        if _get(port, "/healthz") == 200:
            return time.monotonic() - t0
        time.sleep(0.2)
    raise RuntimeError(f"nothing healthy on port {port} after {seconds:.0f} s")


HAPROXY_CFG = """\
global
    maxconn 512
defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    timeout check 3s
    retries 3
    option redispatch
    option forwardfor
frontend web
    bind 127.0.0.1:{lb}
    default_backend app
backend app
    balance roundrobin
    option httpchk
    http-check send meth GET uri /healthz ver HTTP/1.1 hdr Host 127.0.0.1
    http-check expect status 200
    default-server inter 1s fall 3 rise 2
    server app1 127.0.0.1:{p1} check
    server app2 127.0.0.1:{p2} check
"""


# --- the load -------------------------------------------------------------------------------


@dataclass
class Attempt:
    t0: float
    t1: float
    kind: str
    status: int


@dataclass
class Write:
    kind: str
    key: str
    lookup: str
    acked: bool = False
    final_status: int = 0
    attempts: int = 0


@dataclass
class Load:
    port: int
    plans: dict[str, object]
    stop: threading.Event = field(default_factory=threading.Event)
    attempts: list[Attempt] = field(default_factory=list)
    writes: list[Write] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    counter: itertools.count = field(default_factory=itertools.count)  # type: ignore[type-arg]

    def _send(
        self, method: str, path: str, body: bytes, headers: dict[str, str], kind: str
    ) -> tuple[int, bytes]:
        t0 = time.monotonic()
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
            conn.request(method, path, body=body or None, headers={"Host": "127.0.0.1", **headers})
            response = conn.getresponse()
            status, data = response.status, response.read()
            conn.close()
        except OSError:
            status, data = 0, b""
        with self.lock:
            self.attempts.append(Attempt(t0, time.monotonic(), kind, status))
        return status, data

    def _request(self, n: int) -> tuple[Write, str, bytes, dict[str, str]]:
        plans = self.plans
        kind = WRITE_KINDS[n % len(WRITE_KINDS)]
        key = f"faults-{plans['run']}-{n}"
        api = {"Authorization": f"Bearer {plans['api_key']}", "Content-Type": "application/json",
               "Idempotency-Key": key}  # fmt: skip
        if kind == "open311":
            body = urlencode({"api_key": plans["open311_key"], "service_code": "557", "lat": "52.0925",
                              "long": "-1.9470", "description": f"Fault test pothole {key}",
                              "attribute[size]": "small", "email": f"resident{n}@example.org"}).encode()  # fmt: skip
            headers = {"Content-Type": "application/x-www-form-urlencoded", "Idempotency-Key": key}
            return (
                Write(kind, key, f"o311:{plans['open311_pk']}:{key}"),
                "/open311/v2/requests.json",
                body,
                headers,
            )
        if kind == "partnership":
            reference = f"FT-{plans['run']}-{n}"
            body = json.dumps({"name": f"Fault test partnership {n}", "reference": reference,
                               "purpose": "Faults under load", "lead_organisation": plans["lead"]}).encode()  # fmt: skip
            return Write(kind, key, reference), "/api/v1/partnerships/", body, api
        slugs: list[str] = plans["partnerships"]  # type: ignore[assignment]
        slug = slugs[n % len(slugs)]
        if kind == "membership":
            pairs: Iterator[tuple[str, str]] = plans["pairs"]  # type: ignore[assignment]
            with self.lock:
                slug, organisation = next(pairs)
            body = json.dumps({"organisation": organisation, "role": "partner",
                               "joined_on": datetime.now(UTC).date().isoformat()}).encode()  # fmt: skip
            return (
                Write(kind, key, f"{slug}|{organisation}"),
                f"/api/v1/partnerships/{slug}/members",
                body,
                api,
            )
        today = datetime.now(UTC).date().isoformat()
        if kind == "advice":
            summary = f"Fault test advice {key}"
            body = json.dumps({"advice_type": "procurement", "given_on": today,
                               "summary": summary}).encode()  # fmt: skip
            return (
                Write(kind, key, summary),
                f"/api/v1/programme/partnerships/{slug}/advice",
                body,
                api,
            )
        if kind == "claim":
            award, milestone = plans["claim_on"]  # type: ignore[misc]
            description = f"Fault test claim {key}"
            body = json.dumps({"amount": "1.00", "milestone": milestone, "claimed_on": today,
                               "description": description,
                               "evidence": [{"filename": "evidence.txt",
                                             "content_base64": EVIDENCE}]}).encode()  # fmt: skip
            return (
                Write(kind, key, description),
                f"/api/v1/funding/awards/{award}/claims",
                body,
                api,
            )
        title = f"Fault test aim {key}"
        body = json.dumps({"title": title}).encode()
        return Write(kind, key, f"{slug}|{title}"), f"/api/v1/partnerships/{slug}/aims", body, api

    def writer(self) -> None:
        while not self.stop.is_set():
            write, path, body, headers = self._request(next(self.counter))
            with self.lock:
                self.writes.append(write)
            give_up = time.monotonic() + 60  # a client keeps retrying for a minute
            while time.monotonic() < give_up:
                write.attempts += 1
                status, _ = self._send("POST", path, body, headers, write.kind)
                write.final_status = status
                if 200 <= status < 300:
                    write.acked = True
                    break
                if status not in RETRYABLE:
                    break  # refused (4xx): not acknowledged, and not retried
                time.sleep(RETRY_PAUSE_S)

    def reader(self) -> None:
        paths = ["/api/v1/partnerships/", "/open311/v2/requests.json?service_code=557",
                 f"/api/v1/partnerships/{self.plans['partnerships'][0]}/members", "/healthz"]  # type: ignore[index]  # fmt: skip
        for i in itertools.count():
            if self.stop.is_set():
                return
            status, _ = self._send("GET", paths[i % len(paths)], b"", {}, "read")
            if status in RETRYABLE:
                time.sleep(RETRY_PAUSE_S)  # a client pauses before trying again


# --- the run --------------------------------------------------------------------------------


@dataclass
class Fault:
    name: str
    started: float = 0.0
    ended: float = 0.0
    note: str = ""


def _ensure_seed(web, reseed: bool) -> str:  # type: ignore[no-untyped-def]
    """The migrated database with the real organisations and the demo, made once (several
    minutes on a shared machine) and kept as ``<name>_seed``; each run clones it."""
    import psycopg

    seed = f"{DB_NAME}_seed"
    with psycopg.connect(web.PG_ADMIN_URL, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [seed]).fetchone()
        if exists and not reseed:
            return "reused"
        conn.execute(f'DROP DATABASE IF EXISTS "{seed}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{seed}"')
    env = {**os.environ, "DATABASE_URL": web.PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{seed}",
           "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}  # fmt: skip
    for cmd in (
        ["migrate", "--no-input", "-v", "0"],
        ["import_organisations", "--no-progress"],
        ["load_demo"],
    ):
        subprocess.run(
            [sys.executable, "manage.py", *cmd], cwd=ROOT, env=env, check=True, capture_output=True
        )
    with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:
        conn.execute("DELETE FROM django_tasks_database_dbtaskresult")  # the demo's queued mail
    return "made"


def _clone(web) -> None:  # type: ignore[no-untyped-def]
    web.drop_database()
    web._admin_sql(f'CREATE DATABASE "{DB_NAME}" TEMPLATE "{DB_NAME}_seed"')


def _seed() -> dict[str, object]:
    import django

    django.setup()
    from django.db import connections

    from partnering.core.models import User
    from partnering.core.services import api_key_create
    from partnering.frontdoor.services import MAX_KEY_ALLOWANCE, open311_key_create
    from partnering.organisations.models import Organisation
    from partnering.partnerships.services import partnership_create

    staff = User.objects.get(username="staff")
    _, raw = api_key_create(name="faults", actor=staff)
    okey, oraw = open311_key_create(
        name="Faults", actor=staff, requests_per_minute=MAX_KEY_ALLOWANCE
    )
    orgs = list(
        Organisation.objects.filter(is_demo=False, end_date__isnull=True)
        .order_by("slug")
        .values_list("slug", flat=True)
    )
    leads, members = orgs[:4], orgs[4:]
    slugs = []
    for i, lead in enumerate(leads):
        p = partnership_create(name=f"Faults host {i}", reference=f"FH-{i}", purpose="Faults under load",
                               lead_organisation=Organisation.objects.get(slug=lead), is_published=True,
                               actor=staff)  # fmt: skip
        slugs.append(p.slug)
    claim_on = _claimable()
    connections.close_all()  # none kept open across the PostgreSQL restart
    return {
        "claim_on": claim_on,
        "run": str(int(time.time())),
        "api_key": raw,
        "open311_key": oraw,
        "open311_pk": okey.pk,
        "lead": leads[0],
        "partnerships": slugs,
        "pairs": iter([(s, o) for o in members for s in slugs]),
    }


def _claimable() -> tuple[int, int]:
    """A demo award's milestone that has fallen due with the most left to claim: the load's
    claims take £1 each (staff claim on the partnership's behalf)."""
    from django.db.models import Q, Sum
    from django.utils import timezone

    from partnering.funding.models import Award, AwardStatus, ClaimStatus, Milestone

    active = Award.objects.filter(status=AwardStatus.ACTIVE).values("application_id")
    best = (
        Milestone.objects.filter(application__in=active, due_on__lte=timezone.localdate())
        .annotate(claimed=Sum("claims__amount", filter=~Q(claims__status=ClaimStatus.REJECTED)))
        .select_related("application__award")
        .order_by("-amount")
    )
    for m in best:
        if m.amount - (m.claimed or 0) >= 10_000:
            return m.application.award.pk, m.number
    raise SystemExit("the demo has no active award with a milestone due and £10,000 left")


def _count(writes: list[Write]) -> dict[str, dict[str, int]]:
    from django.db.models import Count

    from partnering.frontdoor.models import ServiceRequest
    from partnering.partnerships.models import Membership, Partnership, StrategicAim

    def counts(kind: str) -> Counter[str]:
        found: Counter[str] = Counter()
        if kind == "open311":
            rows = ServiceRequest.objects.filter(idempotency_key__contains=":faults-").values(
                "idempotency_key"
            )
            found.update(r["idempotency_key"] for r in rows)
        elif kind == "partnership":
            found.update(
                Partnership.objects.filter(reference__startswith="FT-").values_list(
                    "reference", flat=True
                )
            )
        elif kind == "membership":
            rows = Membership.objects.filter(partnership__reference__startswith="FH-").values(
                "partnership__slug", "organisation__slug").annotate(n=Count("id"))  # fmt: skip
            for r in rows:
                found[f"{r['partnership__slug']}|{r['organisation__slug']}"] = r["n"]
            # the lead's own membership of each host partnership is not a write of the run
        elif kind == "advice":
            from partnering.programme.models import Advice

            found.update(
                Advice.objects.filter(summary__startswith="Fault test advice ").values_list(
                    "summary", flat=True
                )
            )
        elif kind == "claim":
            from partnering.funding.models import Claim

            found.update(
                Claim.objects.filter(description__startswith="Fault test claim ").values_list(
                    "description", flat=True
                )
            )
        else:
            rows = StrategicAim.objects.filter(title__startswith="Fault test aim").values(
                "partnership__slug", "title"
            )
            found.update(f"{r['partnership__slug']}|{r['title']}" for r in rows)
        return found

    result: dict[str, dict[str, int]] = {}
    for kind in WRITE_KINDS:
        found = counts(kind)
        mine = [w for w in writes if w.kind == kind]
        acked = [w for w in mine if w.acked]
        result[kind] = {
            "sent": len(mine),
            "acknowledged": len(acked),
            "found_once": sum(1 for w in acked if found[w.lookup] == 1),
            "lost": sum(1 for w in acked if found[w.lookup] == 0),
            "duplicated": sum(1 for w in mine if found[w.lookup] > 1),
            "unacknowledged_but_stored": sum(
                1 for w in mine if not w.acked and found[w.lookup] >= 1
            ),
            "refused": sum(1 for w in mine if not w.acked and w.final_status not in RETRYABLE),
            "retried": sum(1 for w in mine if w.attempts > 1),
        }
    return result


def _tasks(sink: MailSink) -> dict[str, object]:
    from django_tasks_db.models import DBTaskResult

    from partnering.frontdoor.models import RequestUpdate

    updates = list(
        RequestUpdate.objects.filter(request__idempotency_key__contains=":faults-")
        .values_list("request__reference", "emailed_at")
    )  # fmt: skip
    mails = Counter(s.split(":")[0].removeprefix("Your request ").strip() for s in sink.subjects)
    statuses = Counter(DBTaskResult.objects.values_list("status", flat=True))
    refs = [ref for ref, _ in updates]
    return {
        "updates": len(updates),
        "marked_sent": sum(1 for _, at in updates if at is not None),
        "emailed_once": sum(1 for r in refs if mails[r] == 1),
        "not_emailed": sum(1 for r in refs if mails[r] == 0),
        "emailed_twice_or_more": sum(1 for r in refs if mails[r] > 1),
        "task_statuses": dict(statuses),
        "runs_per_task": Counter(
            len(ids) for ids in DBTaskResult.objects.values_list("worker_ids", flat=True)
        ),
    }


def _window(load: Load, fault: Fault) -> dict[str, object]:
    inside = [a for a in load.attempts if fault.started <= a.t0 < fault.ended]
    errors = [a for a in inside if a.status in RETRYABLE]
    last_error = max((a.t1 for a in errors), default=None)
    ok_after = [
        a.t1 for a in inside if 200 <= a.status < 300 and (last_error is None or a.t0 >= last_error)
    ]
    recovered = (min(ok_after) - fault.started) if ok_after else float("nan")
    return {
        "requests": len(inside),
        "errors": len(errors),
        "by_status": dict(Counter(a.status for a in errors)),
        "error_span_s": (last_error - min(a.t0 for a in errors)) if errors else 0.0,
        "recovered_s": recovered,
    }


def run(no_db_restart: bool, seconds: float, reseed: bool = False) -> dict[str, object]:
    web = _web()
    if web.postgres_available() is None:
        raise SystemExit("PostgreSQL is not reachable (BENCH_PG_ADMIN_URL)")
    haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
    if not Path(haproxy).exists():
        raise SystemExit("HAProxy is not installed: apt-get install -y haproxy (make faults does)")
    var = ROOT / "var" / "faults"
    shutil.rmtree(var, ignore_errors=True)
    var.mkdir(parents=True)
    sink = MailSink(SMTP_DATA_DELAY_S)
    threading.Thread(target=sink.serve_forever, daemon=True).start()
    env = web.configure_environment(var)
    env.update({
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(sink.server_address[1]), "PROXY_COUNT": "1", "LOG_LEVEL": "WARNING",
    })  # fmt: skip
    os.environ.update(env)
    full_env = {**os.environ, **env}
    sys.path.insert(0, str(ROOT / "src"))
    t0 = time.monotonic()
    _log(f"seed database {_ensure_seed(web, reseed)} in {time.monotonic() - t0:.0f} s")
    _clone(web)
    procs: list[Proc] = []
    try:
        plans = _seed()
        p1, p2, lb = _free_port(), _free_port(), _free_port()
        apps = [
            Proc(
                f"app{i}",
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "partnering.config.wsgi:application",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    str(APP_WORKERS),
                    "--timeout",
                    "30",
                    "--graceful-timeout",
                    "5",
                    "--access-logfile",
                    "/dev/null",
                    "--log-level",
                    "warning",
                ],
                full_env,
                var / f"app{i}.log",
            )
            for i, port in ((1, p1), (2, p2))
        ]
        worker = Proc("worker", [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay",
                                 "--interval", "0.2", "--worker-id", WORKER_ID, "-v", "0"], full_env, var / "worker.log")  # fmt: skip
        cfg = var / "haproxy.cfg"
        cfg.write_text(HAPROXY_CFG.format(lb=lb, p1=p1, p2=p2))
        balancer = Proc("haproxy", [haproxy, "-db", "-f", str(cfg)], full_env, var / "haproxy.log")
        procs = [*apps, worker, balancer]
        for p in procs:
            p.start()
        for port in (p1, p2):
            _wait_healthy(port)
        _wait_healthy(lb)
        time.sleep(1.5)  # both servers marked up by the health checks
        supervising = threading.Event()
        restarts = [0]

        def supervise() -> None:
            """Like systemd's Restart=always with ExecStartPre=requeue_interrupted_tasks: db_worker
            exits when it loses the database."""
            while not supervising.wait(0.5):
                if worker.popen is not None and worker.popen.poll() is not None:
                    _requeue(full_env)
                    worker.start()
                    restarts[0] += 1

        load = Load(lb, plans)
        threads = [threading.Thread(target=load.writer) for _ in range(WRITERS)]
        threads += [threading.Thread(target=load.reader) for _ in range(READERS)]
        for t in threads:
            t.start()
        threading.Thread(target=supervise, daemon=True).start()
        faults: list[Fault] = []
        baseline = Fault("no fault (baseline)", time.monotonic())
        time.sleep(seconds / 2)
        baseline.ended = time.monotonic()
        faults.append(baseline)

        f = Fault("kill -9 of one app worker", time.monotonic())
        victim = apps[0].children()[0]
        os.kill(victim, signal.SIGKILL)
        f.note = "gunicorn's master starts a new worker"
        time.sleep(seconds)
        f.ended = time.monotonic()
        faults.append(f)

        f = Fault("kill -9 of a whole app server, restarted 5 s later", time.monotonic())
        apps[1].kill_all()
        time.sleep(5)
        apps[1].start()
        back = _wait_healthy(p2)
        f.note = f"restarted server healthy {5 + back:.1f} s after the kill"
        time.sleep(seconds)
        f.ended = time.monotonic()
        faults.append(f)

        if not no_db_restart:
            f = Fault("PostgreSQL restart", time.monotonic())
            out = subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", "15", "main", "restart"],
                                 capture_output=True, text=True, timeout=60)  # fmt: skip
            f.note = f"pg_ctlcluster restart took {time.monotonic() - f.started:.1f} s" + (
                f" (exit {out.returncode}: {out.stderr.strip()[:200]})" if out.returncode else ""
            )
            time.sleep(seconds)
            f.ended = time.monotonic()
            faults.append(f)

        f = Fault("kill -9 of the task worker mid-task, restarted 3 s later", time.monotonic())
        caught = sink.sending.wait(timeout=20)
        supervising.set()
        worker.kill_all()
        f.note = (
            "killed while a task waited on the mail server" if caught else "no task was mid-send"
        )
        time.sleep(3)
        f.note += f"; before the restart: {_requeue(full_env)}"
        worker.start()
        supervising.clear()
        threading.Thread(target=supervise, daemon=True).start()
        time.sleep(seconds)
        f.ended = time.monotonic()
        faults.append(f)

        load.stop.set()
        for t in threads:
            t.join(timeout=90)
        drained = _drain(sink, 60)
        supervising.set()
        _log(f"load stopped; task queue drained: {drained}")
        from django.db import connections

        connections.close_all()
        writes = _count(load.writes)
        tasks = _tasks(sink)
        windows = [(fault, _window(load, fault)) for fault in faults]
        total = {
            "requests": len(load.attempts),
            "reads": sum(1 for a in load.attempts if a.kind == "read"),
            "read_errors": sum(
                1 for a in load.attempts if a.kind == "read" and a.status in RETRYABLE
            ),
            "seconds": max(a.t1 for a in load.attempts) - min(a.t0 for a in load.attempts),
        }
        return {"writes": writes, "tasks": tasks, "windows": windows, "total": total, "drained": drained,
                "db_restart": not no_db_restart, "worker_restarts": restarts[0], "seconds": seconds}  # fmt: skip
    finally:
        for p in reversed(procs):
            p.stop()
        sink.shutdown()
        from django.db import connections

        connections.close_all()
        if os.environ.get("BENCH_KEEP_DB"):
            _log(f"kept database {DB_NAME}")
        else:
            web.drop_database()


def _requeue(env: dict[str, str]) -> str:
    out = subprocess.run([sys.executable, "manage.py", "requeue_interrupted_tasks", "--worker-id", WORKER_ID],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)  # fmt: skip
    return (out.stdout or out.stderr).strip()[:200]


def _drain(sink: MailSink, seconds: float) -> bool:
    """Wait for the task queue to empty while it is still going down: ``seconds`` after the
    last task finished (a worker that has stopped working), not a fixed time. One worker sends
    an email in about ``SMTP_DATA_DELAY_S`` (the slow relay), so a load that queued 500 emails
    needs five minutes; a fixed 240 s wait once called a working queue stuck."""
    from django.db import connections
    from django_tasks_db.models import DBTaskResult

    connections.close_all()  # a connection from before the PostgreSQL restart is gone
    pending = DBTaskResult.objects.filter(status__in=["READY", "RUNNING"])
    left = pending.count()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if left == 0:
            connections.close_all()
            return True
        time.sleep(0.5)
        now_left = pending.count()
        if now_left < left:
            deadline = time.monotonic() + seconds
        left = now_left
    return False


def render(result: dict[str, object]) -> str:
    def fmt(x: float) -> str:
        return "–" if x != x else f"{x:.1f}"

    lines = [
        "| fault | requests in window | errors seen by clients | error statuses | errors span s | "
        "recovered s | notes |",
        "| --- | ---: | ---: | --- | ---: | ---: | --- |",
    ]
    for fault, w in result["windows"]:  # type: ignore[attr-defined]
        statuses = (
            ", ".join(
                f"{'no answer' if k == 0 else k}: {v}" for k, v in sorted(w["by_status"].items())
            )
            or "–"
        )
        lines.append(f"| {fault.name} | {w['requests']} | {w['errors']} | {statuses} | {fmt(w['error_span_s'])} | "
                     f"{fmt(w['recovered_s'])} | {fault.note} |")  # fmt: skip
    lines += ["", "| write | sent | acknowledged (2xx) | found once | lost | duplicated | retried | refused (4xx) | "
              "stored, client gave up |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]  # fmt: skip
    for kind, c in result["writes"].items():  # type: ignore[attr-defined]
        lines.append(f"| {kind} | {c['sent']} | {c['acknowledged']} | {c['found_once']} | {c['lost']} | "
                     f"{c['duplicated']} | {c['retried']} | {c['refused']} | {c['unacknowledged_but_stored']} |")  # fmt: skip
    t = result["tasks"]
    total = result["total"]
    lines += [
        "",
        f"Tasks: {t['updates']} request updates queued an email; {t['emailed_once']} emailed exactly once, "  # type: ignore[index]
        f"{t['not_emailed']} not emailed, {t['emailed_twice_or_more']} emailed twice or more; "  # type: ignore[index]
        f"{t['marked_sent']} marked sent. Task results by status: {t['task_statuses']}; runs per task "  # type: ignore[index]
        f"(workers that claimed it): {dict(t['runs_per_task'])}. Queue drained afterwards: {result['drained']}; "
        f"the worker restarted by the supervisor (it exits when it loses the database): {result['worker_restarts']} times.",  # type: ignore[index]
        "",
        f"Load: {total['requests']} requests in {total['seconds']:.0f} s ({total['reads']} reads, "  # type: ignore[index]
        f"{total['read_errors']} of them errors), {WRITERS} writer and {READERS} reader threads.",  # type: ignore[index]
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--no-db-restart", action="store_true", help="skip the PostgreSQL restart (shared server)"
    )
    parser.add_argument("--seconds-per-fault", type=float, default=10.0)
    parser.add_argument("--reseed", action="store_true", help="rebuild the kept seed database")
    parser.add_argument("--markdown", type=Path, help="also write the tables to this file")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop every process started, too
    started = time.monotonic()
    result = run(args.no_db_restart, args.seconds_per_fault, args.reseed)
    text = render(result)
    text += f"\nThe run took {time.monotonic() - started:.0f} s.\n"
    print(text)
    if args.markdown:
        args.markdown.write_text(text)
    lost = sum(c["lost"] + c["duplicated"] for c in result["writes"].values())  # type: ignore[attr-defined]
    t = result["tasks"]
    bad = lost + t["not_emailed"] + t["emailed_twice_or_more"] + (0 if result["drained"] else 1)  # type: ignore[index,operator]
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
