"""Web benchmark: the registry and partnerships pages on PostgreSQL under gunicorn.

What it does, in order:

1. creates a throw-away PostgreSQL database ``bench`` (dropped again at the end);
2. migrates it, imports the real organisations, loads the demo;
3. seeds partnerships at 1x (500 partnerships, 5,000 memberships) and counts the queries of every
   page in-process (Django's test client + ``CaptureQueriesContext``);
4. grows the registry to 10x with synthetic copies of the real councils and the partnerships to
   5,000 with 50,000 memberships, and counts the queries again (they must not grow);
5. serves the project with gunicorn (production settings, 2 workers) on 127.0.0.1 and measures
   p50/p95 latency and requests per second with a small threaded HTTP client on the same machine.

Only 127.0.0.1 is contacted, and every request loop is bounded in count and time.

Environment: ``BENCH_PG_ADMIN_URL`` (default ``postgres://postgres@127.0.0.1:5432/postgres``) is
the server to use, ``BENCH_DB_NAME`` (default ``bench``) the database to create and drop,
``BENCH_KEEP_DB=1`` keeps it afterwards for a look with psql, ``BENCH_ACCESS_LOG=1`` prints
gunicorn's access log.
"""

from __future__ import annotations

import contextlib
import http.client
import io
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
BENCH_DB = os.environ.get("BENCH_DB_NAME", "bench")
WORKERS = 2
P95_GOAL_MS = 100.0
FLOOR_RATIO_GOAL = 8.0  # every page's p50 at most 8 times the floor page's p50
FLOOR_LABEL = "Floor: a constant page in the base layout"

SYNTHETIC_COPIES = 9  # the registry grows to 10x: the real organisations plus nine copies
COPY_LETTERS = "-ABCDFGHJK"  # a synthetic copy's GSS code: the real one with E replaced
PARTNERSHIPS_1X, MEMBERS_PER_PARTNERSHIP = 500, 10
PARTNERSHIPS_10X = 5_000


def _log(message: str) -> None:
    print(f"[web] {message}", flush=True)


# --- database lifecycle ---------------------------------------------------------------------


def _bench_url() -> str:
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    return f"{base}/{BENCH_DB}"


def postgres_available() -> str | None:
    """The server's version string, or None when PostgreSQL cannot be reached."""
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, connect_timeout=5) as conn:
            return str(conn.execute("SHOW server_version").fetchone()[0])
    except Exception as exc:
        _log(f"PostgreSQL not reachable at {PG_ADMIN_URL}: {exc}")
        return None


def _admin_sql(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql)


def create_database() -> None:
    _admin_sql(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
    _admin_sql(f'CREATE DATABASE "{BENCH_DB}"')


def drop_database() -> None:
    _admin_sql(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')


def configure_environment(var_dir: Path) -> dict[str, str]:
    """Production settings pointed at the bench database; returned for the gunicorn process too."""
    env = {
        "DJANGO_SETTINGS_MODULE": "partnering.config.settings.prod",
        "DATABASE_URL": _bench_url(),
        "SECRET_KEY": secrets.token_urlsafe(64),
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DEBUG": "false",
        "PARTNERING_VAR_DIR": str(var_dir),
        "STATIC_ROOT": str(var_dir / "staticfiles"),
        "LOG_LEVEL": "WARNING",
        # The load generator is one address sending thousands of requests: the API's per-address
        # limit would answer most of them 429 (cheap) and flatter the figures.
        "RATE_LIMIT_API_PER_MINUTE": "1000000",
        "RATE_LIMIT_API_ANONYMOUS_PER_MINUTE": "1000000",
    }
    os.environ.update(env)
    return env


# --- seeding ---------------------------------------------------------------------------------


def grow_registry(copies: int) -> int:
    """Add ``copies`` synthetic copies of every real organisation (bulk; is_demo=True)."""
    from django.db import transaction

    from partnering.organisations.models import Organisation

    real = list(Organisation.objects.filter(is_demo=False).order_by("pk"))
    through = Organisation.replaced_by.through
    real_links = list(through.objects.values_list("from_organisation_id", "to_organisation_id"))
    created = 0
    with transaction.atomic():
        for k in range(1, copies + 1):
            copies_of: dict[int, Organisation] = {}
            batch = []
            for org in real:
                copy = Organisation(
                    name=f"Synthetic copy {k} of {org.name}"[:200],
                    short_name=f"{org.short_name or org.name} ({k})"[:120],
                    slug=f"{org.slug[:100]}-copy-{k}",
                    sector=org.sector,
                    kind=org.kind,
                    tier=org.tier,
                    gss_code=f"{COPY_LETTERS[k]}{org.gss_code[1:]}" if org.gss_code else None,
                    org_id=f"{org.org_id}-COPY-{k}"[:64] if org.org_id else None,
                    region=org.region,
                    start_date=org.start_date,
                    end_date=org.end_date,
                    existed_2003=org.existed_2003,
                    population=org.population,
                    population_year=org.population_year,
                    source="synthetic (benchmark)",
                    is_demo=True,
                )
                copies_of[org.pk] = copy
                batch.append((org, copy))
            Organisation.objects.bulk_create([c for _, c in batch], batch_size=1000)
            created += len(batch)
            fixed = []
            for org, copy in batch:
                changed = False
                if org.parent_county_id and org.parent_county_id in copies_of:
                    copy.parent_county = copies_of[org.parent_county_id]
                    changed = True
                if org.combined_authority_id and org.combined_authority_id in copies_of:
                    copy.combined_authority = copies_of[org.combined_authority_id]
                    changed = True
                if changed:
                    fixed.append(copy)
            Organisation.objects.bulk_update(
                fixed, ["parent_county", "combined_authority"], batch_size=1000
            )
            through.objects.bulk_create(
                [
                    through(
                        from_organisation_id=copies_of[a].pk, to_organisation_id=copies_of[b].pk
                    )
                    for a, b in real_links
                    if a in copies_of and b in copies_of
                ],
                batch_size=1000,
            )
    return created


def seed_partnerships(target_total: int, seed: int) -> tuple[int, int]:
    """Bulk-create synthetic partnerships (10 members each) until there are ``target_total``
    synthetic ones (the demo's partnerships come on top).

    The derived fields (kind, member count, region, two tiers) are set directly: this is bulk
    data, not a journey through the services.
    """
    from django.db import transaction

    from partnering.organisations.models import Organisation, Sector
    from partnering.partnerships.models import (
        MemberRole,
        Membership,
        Partnership,
        PartnershipKind,
        Stage,
    )

    rng = random.Random(seed)  # synthetic data
    existing = Partnership.objects.filter(reference__startswith="BENCH-").count()
    wanted = max(0, target_total - existing)
    if not wanted:
        return 0, 0
    orgs = list(Organisation.objects.values_list("pk", "sector", "region", "tier", "kind"))
    public = [o for o in orgs if o[1] == Sector.PUBLIC]
    others = [o for o in orgs if o[1] != Sector.PUBLIC] or public
    stages = list(Stage.values)
    start = existing
    partnerships = []
    members_of: list[list[tuple]] = []
    for i in range(start, start + wanted):
        members = [*rng.sample(public, MEMBERS_PER_PARTNERSHIP - 1), rng.choice(others)]
        if rng.random() < 0.7:  # most partnerships are public-public
            members[-1] = rng.choice([o for o in public if o not in members][:50] or public)
        sectors = {m[1] for m in members}
        if sectors == {Sector.PUBLIC}:
            kind = PartnershipKind.PUBLIC_PUBLIC
        elif sectors == {Sector.PUBLIC, Sector.PRIVATE}:
            kind = PartnershipKind.PUBLIC_PRIVATE
        elif sectors == {Sector.PUBLIC, Sector.VOLUNTARY}:
            kind = PartnershipKind.PUBLIC_VOLUNTARY
        else:
            kind = PartnershipKind.MIXED
        tiers = {m[3] for m in members}
        partnerships.append(
            Partnership(
                name=f"Synthetic partnership {i + 1:05d}",
                reference=f"BENCH-{i + 1:06d}",
                slug=f"synthetic-partnership-{i + 1:05d}",
                purpose="Synthetic partnership made by the benchmark (bulk data).",
                lead_organisation_id=members[0][0],
                start_date=date(2002, 1, 1) + timedelta(days=rng.randrange(0, 3650)),
                stage=rng.choice(stages),
                is_pathfinder=rng.random() < 0.05,
                is_published=True,
                is_demo=True,
                kind=kind,
                joins_two_tiers="county" in tiers and "district" in tiers,
                member_count=len(members),
                region=members[0][2],
            )
        )
        members_of.append(members)
    roles = [MemberRole.PARTNER] * 6 + [MemberRole.OBSERVER]
    with transaction.atomic():
        Partnership.objects.bulk_create(partnerships, batch_size=1000)
        memberships = []
        for partnership, members in zip(partnerships, members_of, strict=True):
            for n, (org_pk, sector, *_rest) in enumerate(members):
                if n == 0:
                    role = MemberRole.LEAD
                elif sector == Sector.PRIVATE:
                    role = MemberRole.PRIVATE_PARTNER
                elif sector == Sector.VOLUNTARY:
                    role = MemberRole.VOLUNTARY_PARTNER
                else:
                    role = rng.choice(roles)
                memberships.append(
                    Membership(
                        partnership=partnership,
                        organisation_id=org_pk,
                        role=role,
                        joined_on=partnership.start_date,
                    )
                )
        Membership.objects.bulk_create(memberships, batch_size=5000)
    return len(partnerships), len(memberships)


# --- pages -----------------------------------------------------------------------------------


@dataclass
class Page:
    label: str
    path: str | None  # None: not available yet
    note: str = ""
    as_staff: bool = False
    queries: dict[str, int] = field(default_factory=dict)
    slowest: tuple[float, str] = (0.0, "")  # at 10x: milliseconds and SQL
    size_kb: float = 0.0  # response body at 10x, uncompressed
    latency: dict[str, float] = field(default_factory=dict)


def _try_reverse(name: str, candidates: list[dict]) -> str | None:
    from django.urls import NoReverseMatch, reverse

    for kwargs in candidates:
        try:
            return reverse(name, kwargs=kwargs) if kwargs else reverse(name)
        except NoReverseMatch:
            continue
    return None


def _url_names(namespace: str) -> list[str]:
    from django.urls import get_resolver

    resolver = get_resolver()
    names: list[str] = []
    for ns_key, (_prefix, sub) in resolver.namespace_dict.items():
        if ns_key != namespace:
            continue
        names += [f"{namespace}:{n}" for n in sub.reverse_dict if isinstance(n, str)]
    return sorted(set(names))


def _object_kwargs(obj) -> list[dict]:  # type: ignore[no-untyped-def]
    slug = getattr(obj, "slug", None)
    out = []
    if slug:
        out += [{"slug": slug}, {"partnership_slug": slug}, {"partnership": slug}]
    out += [{"pk": obj.pk}, {"partnership_pk": obj.pk}, {"partnership_id": obj.pk}, {"id": obj.pk}]
    return out


def _shares_object():  # type: ignore[no-untyped-def]
    """The newest object of the sharing room that hangs off a partnership and has a page of its
    own (a cost model version, whose page is the shares page), preferring the real demo."""
    from django.apps import apps
    from django.db.models import ForeignKey, OneToOneField

    from partnering.partnerships.models import Partnership

    try:
        config = apps.get_app_config("sharing")
    except LookupError:
        return None
    for model in config.get_models():
        if not hasattr(model, "get_absolute_url"):
            continue
        for f in model._meta.get_fields():
            if isinstance(f, ForeignKey | OneToOneField) and f.related_model is Partnership:
                qs = model.objects.select_related(f.name).order_by("-pk")
                return (
                    qs.filter(**{f"{f.name}__name__icontains": "North Yorkshire"}).first()
                    or qs.first()
                )
    return None


def discover_pages() -> list[Page]:
    """The pages to measure, found by URL name; missing ones become "not available yet" rows."""
    from django.db.models import Count

    from partnering.organisations.models import Organisation
    from partnering.partnerships.models import Partnership

    pages: list[Page] = [
        Page(
            FLOOR_LABEL,
            _try_reverse("core:about-data", [{}]),
            note="what every page costs before its own work: middleware, session, base layout",
        )
    ]
    org_list = _try_reverse("organisations:organisation-list", [{}])
    region = (
        Organisation.objects.filter(tier="district", end_date__isnull=False)
        .exclude(region="")
        .values("region")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("region", flat=True)
        .first()
    ) or "Yorkshire and The Humber"
    county = (
        Organisation.objects.filter(kind="county", is_demo=False)
        .annotate(n=Count("districts"))
        .order_by("-n")
        .first()
    )
    pages.append(Page("Organisations list", org_list))
    pages.append(
        Page(
            "Organisations, filtered",
            org_list
            and f"{org_list}?{urlencode({'tier': 'district', 'status': 'abolished', 'region': region})}",
            note=f"tier=district, abolished, {region}",
        )
    )
    pages.append(
        Page(
            "Organisation detail",
            county and county.get_absolute_url(),
            note=county.name if county else "",
        )
    )
    pages.append(Page("API organisations list", "/api/v1/organisations/"))

    partnership = (
        Partnership.objects.filter(is_demo=True, reference__startswith="BENCH-")
        .order_by("reference")
        .first()
    )
    p_list = _try_reverse("partnerships:partnership-list", [{}])
    if p_list and Partnership.objects.exists():
        from django.test import Client

        # The placeholder list (before the partnerships room lands) renders the 404 template.
        probe = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False).get(p_list)
        if probe.status_code == 200 and b"Page not found" in probe.content:
            p_list = None
    pages.append(Page("Partnerships list", p_list))
    first_region = partnership.region if partnership else ""
    pages.append(
        Page(
            "Partnerships, filtered",
            p_list
            and f"{p_list}?{urlencode({'kind': 'public_public', 'stage': 'delivery', 'region': first_region})}",
            note=f"kind=public-public, stage=delivery, {first_region}",
        )
    )
    detail = (
        _try_reverse("partnerships:partnership-detail", _object_kwargs(partnership))
        if partnership
        else None
    )
    pages.append(Page("Partnership detail", detail, note="10 members"))

    shares_object = _shares_object()
    shares, shares_note = None, "no cost model in the demo yet"
    if shares_object is not None:
        try:
            shares = shares_object.get_absolute_url()
            shares_note = str(shares_object)
        except Exception as exc:  # a page still being built
            shares_note = f"{type(exc).__name__}: {exc}"
    pages.append(Page("Shares page of a partnership", shares, note=shares_note))
    return pages


def _staff_client():  # type: ignore[no-untyped-def]
    from django.test import Client

    from partnering.core.models import User

    user = User.objects.filter(role="staff").order_by("pk").first()
    if user is None:
        user = User.objects.create_user("bench-staff", role="staff", password=secrets.token_hex(8))
    client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
    client.force_login(user)
    return client


def count_queries(pages: list[Page], scale: str) -> None:
    """Queries per page with Django's test client (in-process) at the current data size."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    anonymous = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
    staff = None
    for page in pages:
        if not page.path:
            continue
        response = anonymous.get(page.path)
        if response.status_code in (302, 403, 404) and page.path:
            staff = staff or _staff_client()
            response = staff.get(page.path)
            page.as_staff = response.status_code == 200
        client = staff if page.as_staff else anonymous
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(page.path)
        if response.status_code != 200:
            page.note = f"not available yet: HTTP {response.status_code} at `{page.path}`"
            page.path = None
            continue
        page.queries[scale] = len(ctx.captured_queries)
        page.size_kb = len(response.content) / 1024
        if ctx.captured_queries:
            worst = max(ctx.captured_queries, key=lambda q: float(q["time"]))
            page.slowest = (float(worst["time"]) * 1000, worst["sql"])


# --- load ------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def gunicorn(env: dict[str, str], workers: int = WORKERS) -> Iterator[int]:
    port = _free_port()
    cmd = [
        sys.executable, "-m", "gunicorn", "partnering.config.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
        "--access-logfile", "-" if os.environ.get("BENCH_ACCESS_LOG") else "/dev/null",
        "--error-logfile", "-", "--log-level", "warning", "--timeout", "60",
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **env})
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {proc.returncode}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/", headers={"Host": "127.0.0.1"})
                conn.getresponse().read()
                break
            except OSError:
                time.sleep(0.3)
        else:
            raise RuntimeError("gunicorn did not answer within 60 s")
        yield port
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def _get(port: int, path: str, headers: dict[str, str]) -> tuple[bool, float]:
    """One GET on a new connection: (answered 200, milliseconds)."""
    t0 = time.perf_counter()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        ok = response.status == 200
        conn.close()
    except OSError:
        ok = False
    return ok, (time.perf_counter() - t0) * 1000


def _stats(latencies: list[float]) -> dict[str, float]:
    return {
        "p50": _percentile(latencies, 0.50),
        "p95": _percentile(latencies, 0.95),
        "mean": statistics.fmean(latencies) if latencies else float("nan"),
    }


def load(
    port: int,
    path: str,
    *,
    requests: int,
    concurrency: int,
    cookie: str = "",
    budget_s: float = 30.0,
    peer: str | None = None,
) -> dict[str, float]:
    """Send up to ``requests`` GETs from ``concurrency`` threads, stopping after ``budget_s``
    seconds (bounded in count and time); latency in ms and requests/s.

    ``peer``: a path requested (without the cookie) before each request to ``path``, in turn,
    so both are measured in the same moments of a shared, noisy machine; its p50 is returned as
    ``peer_p50`` (the floor page measured beside each page)."""
    headers = {"Host": "127.0.0.1", "Accept-Encoding": "gzip"}
    peer_headers = dict(headers)
    if cookie:
        headers["Cookie"] = cookie
    latencies: list[float] = []
    peer_latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    remaining = [requests]
    deadline = time.perf_counter() + budget_s

    def worker() -> None:
        nonlocal errors
        while True:
            with lock:
                if remaining[0] <= 0 or time.perf_counter() > deadline:
                    return
                remaining[0] -= 1
            if peer is not None:
                peer_ok, peer_elapsed = _get(port, peer, peer_headers)
                with lock:
                    if peer_ok:
                        peer_latencies.append(peer_elapsed)
            ok, elapsed = _get(port, path, headers)
            with lock:
                if ok:
                    latencies.append(elapsed)
                else:
                    errors += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    return {
        **_stats(latencies),
        "peer_p50": _stats(peer_latencies)["p50"],
        "rps": len(latencies) / wall if wall else 0.0,
        "errors": float(errors),
        "n": float(len(latencies)),
    }


# --- report ----------------------------------------------------------------------------------


def _fmt(value: float, digits: int = 1) -> str:
    return "–" if value != value else f"{value:.{digits}f}"  # NaN check


def _floor_beside(latency: dict[str, float], floor_p50: float) -> float:
    """The floor's p50 measured beside a page (NaN compares false: then the floor alone)."""
    beside = latency.get("peer_p50", float("nan"))
    return beside if beside == beside else floor_p50


def render(pages: list[Page], facts: dict[str, str], settings_used: dict[str, object]) -> str:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    lines = [
        "## Web pages on PostgreSQL under gunicorn",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on commit "
        f"`{commit or 'unknown'}`, 1-minute load average {os.getloadavg()[0]:.1f} at the end.",
        "",
        f"Data at 10x: {facts['organisations_10x']} organisations "
        f"({facts['organisations_1x']} real or demo, the rest synthetic copies), "
        f"{facts['partnerships_10x']} partnerships, {facts['memberships_10x']} memberships. "
        f"At 1x: {facts['organisations_1x']} organisations, {facts['partnerships_1x']} "
        f"partnerships, {facts['memberships_1x']} memberships.",
        "",
        f"Server: gunicorn, {WORKERS} sync workers, production settings (DEBUG off, "
        "`CONN_MAX_AGE=60`), on 127.0.0.1. Load: a threaded Python HTTP client on the same "
        "machine, a new connection per request; **the load generator shares the 2 cores with "
        "the server and PostgreSQL**, so these figures are a floor, not a capacity estimate. "
        f"Latency at concurrency 1 (up to {settings_used['latency_requests']} requests or "
        f"{settings_used['budget_s']:.0f} s, after {settings_used['warmup']} warm-up requests); "
        f"requests/s at concurrency {settings_used['concurrency']} (up to "
        f"{settings_used['throughput_requests']} requests or {settings_used['budget_s']:.0f} s). "
        "Gzip accepted, as browsers do. `n=…` in the notes: fewer latency samples fitted in the "
        "time budget.",
        "",
        f"Goals: p95 <= {P95_GOAL_MS:.0f} ms at concurrency 1; p50 <= {FLOOR_RATIO_GOAL:.0f}x "
        "the floor page's p50 (the floor: a constant page in the base layout, so the ratio "
        "is what a page costs on top of the service itself, whatever else the machine is "
        "doing). The floor is measured beside each page: during a page's latency run every "
        "request to the page follows one to the floor page, so both meet the same moments of "
        "the shared machine, and the ratio is the page's p50 over that floor's p50 (the "
        "`floor beside` column). Queries per page the same at 1x and 10x. Size: the page's "
        "HTML or JSON at 10x, before compression.",
        "",
        "| page | p50 ms | p95 ms | floor beside, p50 ms | p50 / floor | req/s | p95 goal | "
        "floor goal | queries 1x | queries 10x | queries constant | size KB | notes |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: | ---: | --- | ---: | --- |",
    ]
    floor = next((p for p in pages if p.label == FLOOR_LABEL and p.latency), None)
    floor_p50 = floor.latency.get("p50", float("nan")) if floor else float("nan")
    for page in pages:
        if not page.path:
            reason = page.note or "not available yet"
            if "HTTP" not in reason:
                reason = f"not available yet (no URL yet){'; ' + page.note if page.note else ''}"
            lines.append(f"| {page.label} | – | – | – | – | – | – | – | – | – | – | – | {reason} |")
            continue
        lat = page.latency
        p95_met = "met" if lat.get("p95", float("inf")) <= P95_GOAL_MS else "**not met**"
        beside = _floor_beside(lat, floor_p50)
        ratio = lat.get("p50", float("nan")) / beside if beside == beside else float("nan")
        ratio_met = (
            "–" if ratio != ratio else ("met" if ratio <= FLOOR_RATIO_GOAL else "**not met**")
        )
        q1, q10 = page.queries.get("1x"), page.queries.get("10x")
        constant = "–" if q1 is None or q10 is None else ("yes" if q1 == q10 else "**no**")
        note = "; ".join(
            x
            for x in (
                f"`{page.path}`",
                page.note,
                "signed in as staff" if page.as_staff else "",
                f"{int(lat.get('errors', 0))} errors" if lat.get("errors") else "",
                f"n={int(lat['n'])}" if lat.get("n", 0) < settings_used["latency_requests"] else "",
            )
            if x
        )
        lines.append(
            f"| {page.label} | {_fmt(lat.get('p50', float('nan')))} | "
            f"{_fmt(lat.get('p95', float('nan')))} | {_fmt(beside)} | {_fmt(ratio)} | "
            f"{_fmt(lat.get('rps', float('nan')), 0)} | {p95_met} | {ratio_met} | {q1 if q1 is not None else '–'} | {q10 if q10 is not None else '–'} | "
            f"{constant} | {page.size_kb:.0f} | {note} |"
        )
    measured = [p for p in pages if p.path and p.latency]
    met = sum(1 for p in measured if p.latency["p95"] <= P95_GOAL_MS)
    ratio_ok = sum(
        1
        for p in measured
        if p.latency["p50"] <= FLOOR_RATIO_GOAL * _floor_beside(p.latency, floor_p50)
    )
    constant = sum(1 for p in measured if p.queries.get("1x") == p.queries.get("10x"))
    missing = [p.label for p in pages if not p.path]
    slow = [p for p in measured if p.latency["p95"] > P95_GOAL_MS]
    if slow:
        lines += ["", "Slowest query of each page that misses the goal (in-process, at 10x):", ""]
        for page in slow:
            ms, sql = page.slowest
            lines.append(
                f"- {page.label}: {ms:.0f} ms: `{sql[:400]}{'…' if len(sql) > 400 else ''}`"
            )
    lines += [
        "",
        f"Summary: p95 goal met on {met} of {len(measured)} measured pages; p50 within "
        f"{FLOOR_RATIO_GOAL:.0f}x the floor beside it (the floor alone: {_fmt(floor_p50)} ms) "
        f"on {ratio_ok} of "
        f"{len(measured)}; queries constant on "
        f"{constant} of {len(measured)}."
        + (f" Not measured (not available yet): {', '.join(missing)}." if missing else ""),
        "",
        f"Demo data: {facts['demo']}.",
        "",
        f"Seeding took {facts['seed_seconds']} s (then `VACUUM (ANALYZE)`, as autovacuum would "
        f"after a bulk load); the web part took {facts['total_seconds']} s.",
    ]
    return "\n".join(lines) + "\n"


def _load_demo(out: io.StringIO) -> str:
    """Load the demo (for the shares page). A failure must not stop the benchmark: it is noted."""
    from django.core.management import call_command

    try:
        call_command("load_demo", stdout=out)
    except Exception as exc:  # noted in the report rather than stopping the run
        return f"the demo failed to load ({type(exc).__name__}: {exc})"
    return "the demo loaded"


def run(quick: bool = False, facts_out: dict[str, str] | None = None) -> str:
    """Run the web benchmark; returns its Markdown section (also printed as it goes)."""
    started = time.monotonic()
    if postgres_available() is None:
        return (
            "## Web pages on PostgreSQL under gunicorn\n\nNot run: PostgreSQL was not reachable "
            f"at `{PG_ADMIN_URL}` (set `BENCH_PG_ADMIN_URL`).\n"
        )
    var_dir = ROOT / "var" / "bench"
    var_dir.mkdir(parents=True, exist_ok=True)
    env = configure_environment(var_dir)
    sys.path.insert(0, str(ROOT / "src"))
    create_database()
    _log(f"created database {BENCH_DB}")
    try:
        return _run(quick, env, started, facts_out)
    finally:
        from django.db import connections

        connections.close_all()
        if os.environ.get("BENCH_KEEP_DB"):
            _log(f"kept database {BENCH_DB} (BENCH_KEEP_DB is set)")
        else:
            drop_database()
            _log(f"dropped database {BENCH_DB}")


def _synthetic_and_demo(model, reference_field: str) -> str:  # type: ignore[no-untyped-def]
    synthetic = model.objects.filter(**{f"{reference_field}__startswith": "BENCH-"}).count()
    other = model.objects.count() - synthetic
    return f"{synthetic:,} synthetic + {other:,} demo"


def _run(quick: bool, env: dict[str, str], started: float, facts_out: dict[str, str] | None) -> str:
    import django

    django.setup()
    from django.core.management import call_command

    from partnering.organisations.models import Organisation
    from partnering.partnerships.models import Membership, Partnership

    quiet = io.StringIO()
    t0 = time.monotonic()
    call_command("migrate", interactive=False, verbosity=0, stdout=quiet)
    call_command("collectstatic", interactive=False, verbosity=0, clear=True, stdout=quiet)
    call_command("import_organisations", no_progress=True, stdout=quiet)
    demo_note = _load_demo(quiet)
    _log(demo_note)

    facts: dict[str, str] = {"demo": demo_note}
    seed_partnerships(PARTNERSHIPS_1X, seed=1)
    # Bulk rows send no signals: work out "Partnerships like this one" as the worker would.
    call_command("refresh_similar_partnerships", stdout=quiet)
    facts["organisations_1x"] = f"{Organisation.objects.count():,}"
    facts["partnerships_1x"] = _synthetic_and_demo(Partnership, "reference")
    facts["memberships_1x"] = _synthetic_and_demo(Membership, "partnership__reference")
    _log(
        f"1x: {facts['organisations_1x']} organisations, {facts['partnerships_1x']} partnerships, "
        f"{facts['memberships_1x']} memberships"
    )
    pages = discover_pages()
    count_queries(pages, "1x")

    grow_registry(SYNTHETIC_COPIES)
    seed_partnerships(PARTNERSHIPS_10X, seed=10)
    call_command("refresh_similar_partnerships", stdout=quiet)
    from django.db import connection

    with connection.cursor() as cursor:
        # The state a live database is in once autovacuum has been by after a bulk load:
        # statistics, and the visibility map index-only scans need.
        cursor.execute("VACUUM (ANALYZE)")
    facts["organisations_10x"] = f"{Organisation.objects.count():,}"
    facts["partnerships_10x"] = _synthetic_and_demo(Partnership, "reference")
    facts["memberships_10x"] = _synthetic_and_demo(Membership, "partnership__reference")
    facts["seed_seconds"] = f"{time.monotonic() - t0:.0f}"
    _log(
        f"10x: {facts['organisations_10x']} organisations, {facts['partnerships_10x']} "
        f"partnerships, {facts['memberships_10x']} memberships ({facts['seed_seconds']} s)"
    )
    count_queries(pages, "10x")
    for page in pages:
        if page.path:
            _log(
                f"queries {page.label}: 1x {page.queries.get('1x')}, 10x {page.queries.get('10x')}"
            )

    staff_cookie = ""
    if any(p.as_staff for p in pages):
        from django.conf import settings

        client = _staff_client()
        staff_cookie = (
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )
    from django.db import connections

    connections.close_all()

    used = {
        "warmup": 5 if quick else 20,
        "latency_requests": 40 if quick else 200,
        "throughput_requests": 60 if quick else 300,
        "concurrency": 4,
        "budget_s": 8.0 if quick else 20.0,
    }
    floor_path = next((p.path for p in pages if p.label == FLOOR_LABEL), None)
    with gunicorn(env) as port:
        _log(f"gunicorn serving on 127.0.0.1:{port}")
        for page in pages:
            if not page.path:
                continue
            cookie = staff_cookie if page.as_staff else ""
            load(
                port, page.path, requests=used["warmup"], concurrency=2, cookie=cookie, budget_s=10
            )
            latency = load(
                port,
                page.path,
                requests=used["latency_requests"],
                concurrency=1,
                cookie=cookie,
                budget_s=used["budget_s"],
                peer=floor_path if page.label != FLOOR_LABEL else None,
            )
            throughput = load(
                port,
                page.path,
                requests=used["throughput_requests"],
                concurrency=used["concurrency"],
                cookie=cookie,
                budget_s=used["budget_s"],
            )
            page.latency = {**latency, "rps": throughput["rps"], "n": latency["n"]}
            if page.label == FLOOR_LABEL:
                page.latency["peer_p50"] = latency["p50"]
            page.latency["errors"] = latency["errors"] + throughput["errors"]
            _log(
                f"{page.label}: p50 {latency['p50']:.1f} ms (floor beside it "
                f"{page.latency['peer_p50']:.1f} ms), p95 {latency['p95']:.1f} ms, "
                f"{throughput['rps']:.0f} req/s at concurrency {used['concurrency']}"
            )
    facts["total_seconds"] = f"{time.monotonic() - started:.0f}"
    if facts_out is not None:
        facts_out.update(facts)
    return render(pages, facts, used)


def _main() -> None:
    quick = "--quick" in sys.argv
    print(run(quick=quick))


if __name__ == "__main__":
    _main()
