"""The role × route matrix, generated (issue 16, part 2): every route of every room, for nine
roles, in one world, with the status each must get; refused writes change nothing; another
organisation's objects are a 404.

**Routes** are found, not listed: every pattern of Django's URL resolver (GET and POST: pages
take no other method) and every operation of the ninja API (``each_api_operation``). A route
that nothing below gives an expectation fails ``test_every_route_has_an_expectation``, by name.

**Roles**: the public; a partner member of organisation A (Worcestershire County Council, whose
partnerships own the world) and of organisation B (Warwickshire County Council); an adviser
assigned to A's partnerships and one not; the assessor (an adviser on every panel: the
programme call's and the funding round's assessors, the procurement's evaluation panel, and the
lead of the partnership's gateway review); the library's editor (taskforce staff with the
``library.edit_library`` permission); a finance officer (taskforce staff named in
``funding.FinanceOfficer``); taskforce staff with neither. See ``matrix_world.py``.

**Expectations** come from the rooms' own permission matrices (``<room>/tests/
test_permission_matrix.py``): each row (route, target, body, statuses by the room's roles) runs
here unchanged, in this one world, for each of the nine roles as the room role ``AS`` names
(an assessor is programme's "assessor", assurance's "reviewer", procurement's "panel" and an
adviser not assigned elsewhere). Where a room's matrix has no column for a role (an assigned
adviser in programme and funding, any adviser in funding), ``LIKE`` says whose column it follows
and where it differs. Rows give one method of a page; the other is generated: a page's POST
answers as its GET does (a refused reader is a refused writer; a form sent empty comes back with
its errors, 200), except the pages in ``READ_ONLY`` (POST is 405 for everyone) and a page
whose only rows are POSTs (``POST_ONLY``: GET is 405 for everyone). ``OTHER`` gives the routes
that are in no room's matrix: the Django admin and the API's own documents.

**No insecure direct object reference**: every row whose route names a partnership or an
application (``routes.TAKES_A_PARTNERSHIP``) is sent again with every path parameter pointing at
A's unpublished partnership H and its children of every kind: B's partner member gets 404 (405
where the method is refused to everyone), and the public 404 too unless the route sends it to
sign in first (302 / 401, as for A's published one: nothing about H is told).

**Writes change nothing unless allowed**: every write (POST, PUT, PATCH, DELETE) that is refused
or rejected (any status but a 2xx of the API or a page's redirect after saving) is checked
against the database: each table the request wrote to (its SQL, seen by a connection wrapper)
must have the same row digest (``core.backup.table_digest``) after as before. Left out, with
reason: the session table (a signed-in request stamps its last activity there), an API key's
``last_used_at`` (stamped by every request with the key), the sign-in lock-out's logs (a refused
sign-in is recorded on purpose), the front door's rate-limit counters (every submission counts,
valid or not) and the idempotency store.

Each check runs in a savepoint rolled back after it, so no check sees another's writes and the
world is built once for the module.

    .venv/bin/pytest -q -p no:randomly src/partnering/tests/reliability/test_role_route_matrix.py
"""

import json
import os
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import reverse

from partnering.core.backup import table_digest, tables
from partnering.core.tests import matrix as kit

from . import matrix_world
from .routes import TAKES_A_PARTNERSHIP, each_api_operation, fill, page_patterns

ROLES = matrix_world.ROLES
pytestmark = [pytest.mark.django_db, pytest.mark.fake_engine]

# --- Whose column of each room's matrix a role follows ------------------------------------------

_SIGNED_IN = {"public": "public", "partner_a": "partner_own", "partner_b": "partner_other",
              "adviser_assigned": "adviser_assigned", "adviser_other": "adviser_other",
              "assessor": "adviser_other", "editor": "staff", "finance": "staff",
              "staff": "staff"}  # fmt: skip
AS: dict[str, dict[str, str | None]] = {
    "core": {
        "public": "public",
        "partner_a": "partner",
        "partner_b": "partner",
        "adviser_assigned": "adviser",
        "adviser_other": "adviser",
        "assessor": "adviser",
        "editor": "staff",
        "finance": "staff",
        "staff": "staff",
    },
    "organisations": {
        **_SIGNED_IN,
        "adviser_assigned": "adviser",
        "adviser_other": "adviser",
        "assessor": "adviser",
    },
    "partnerships": _SIGNED_IN,
    "sharing": _SIGNED_IN,
    "programme": {**_SIGNED_IN, "adviser_assigned": None, "assessor": "assessor"},
    "assurance": {**_SIGNED_IN, "assessor": "reviewer"},
    "procurement": {**_SIGNED_IN, "assessor": "panel"},
    "funding": {
        **_SIGNED_IN,
        "partner_a": "applicant",
        "adviser_assigned": None,
        "adviser_other": None,
        "assessor": "assessor",
        "finance": "finance",
    },
    "frontdoor": _SIGNED_IN,
    "library": {
        **_SIGNED_IN,
        "adviser_assigned": "adviser",
        "adviser_other": "adviser",
        "assessor": "adviser",
        "editor": "editor2",
    },
}


@dataclass(frozen=True)
class Like:
    """A role the room's matrix has no column for: it follows ``column``, or on the rows whose
    target is in ``targets`` that target's column, except on the rows (by their test id) in
    ``differs``, where it follows another column (a str) or gets a status (an int)."""

    column: str
    targets: Mapping[str, str] = field(default_factory=dict)
    differs: Mapping[str, str | int] = field(default_factory=dict)


#: An assigned adviser may edit the partnership (partnerships room's rule): programme and funding
#: treat it as the partnership's applicant (partner_own / applicant) on the applications of A's
#: partnership P, and programme lets it read and record advice and mentoring sessions and mark
#: their actions done (as staff); elsewhere it is an adviser like any other. Funding has no adviser column: an adviser not on
#: the panel may apply for nothing (no partnership of its own: the assessor's 403) and sees what
#: another organisation's member sees.
_ADVISER_OF_P = {
    "programme:application-create-c-get": "partner_own",
    **{f"programme:{page}-pa-{method}": "staff" for page in ("advice", "sessions")
       for method in ("get", "post")},
    **{f"/api/v1/programme/partnerships/{{slug}}/{log}-pa-{method}": "staff"
       for log in ("advice", "sessions") for method in ("get", "post")},
    # an adviser of the partnership marks its follow-up actions done
    "programme:action-complete-act-post": "staff",
    "/api/v1/programme/actions/{action_id}/complete-act_api-post": "staff",
    # it mentors three partnerships: a capacity of 2 is refused (the form comes back, 200)
    "programme:adviser-edit-self-post": 200,
}  # fmt: skip
LIKE: dict[str, dict[str, Like]] = {
    # "a": the application of A's partnership P
    "programme": {"adviser_assigned": Like("adviser_other", {"a": "partner_own"}, _ADVISER_OF_P)},
    "funding": {
        "adviser_assigned": Like("partner_other", {"a": "applicant"}),
        "adviser_other": Like("partner_other", differs={
            "funding:application-create-r-get": "assessor",
            "/api/v1/funding/applications-post": "assessor",
        }),
    },
}  # fmt: skip

# --- Pages whose other method no row gives --------------------------------------------------------

#: Pages that only show something (``require_safe``): a POST is 405, after sending the public
#: to sign in where the page does. (Other pages that only show something answer a POST as a
#: GET, which is harmless: nothing is written, and every write is watched.)
READ_ONLY = {
    "assurance:overview", "assurance:recommendation-download", "assurance:review-detail",
    "assurance:review-pdf", "assurance:review-report", "assurance:risk-detail",
    "assurance:risk-download", "assurance:risk-register",
    "core:about-data",
    "funding:application-detail", "funding:partnership-e-enablement",
    "organisations:organisation-by-code",
    "procurement:appraisal-detail", "procurement:arrangement", "procurement:overview",
    "procurement:procurement-detail", "procurement:scope",
    "programme:application-detail", "programme:partnerships-like",
    "sharing:agreement-download", "sharing:agreement-list", "sharing:compare",
    "sharing:download", "sharing:history", "sharing:overview", "sharing:shares",
}  # fmt: skip
#: Forms whose fields are all optional, or a button: sent empty, they are accepted (302) by
#: whoever may open them.
SAVES_EMPTY = {
    "procurement:scope-edit",  # the scope's fields are all optional
    "procurement:evaluation",  # a grid of scores, any of them blank
    "programme:moderate",  # moderated scores, any of them blank
    "programme:selection",  # "Run the selection"
}
#: Pages anyone may read whose form only some may send: who may write, by role.
WRITES = {
    # running a risk scenario: the partnership's editors (the form comes back with its errors)
    "sharing:risk": {**dict.fromkeys(ROLES, 403), **dict.fromkeys(
        ("partner_a", "adviser_assigned", "editor", "finance", "staff"), 200)},
}  # fmt: skip
#: A page whose only rows are POSTs is a button: a GET is 405 (after sending the public to sign
#: in where it does).

# --- Routes in no room's matrix -------------------------------------------------------------------

ADMIN_LOGIN = "/admin/login/?next="


#: sharing/urls.py: every method, whoever asks, is sent on (permanently) to the page's new address.
LEGACY_REDIRECTS = {
    "sharing/<slug:slug>/<path:rest>": "/partnerships/1/sharing/1",
    "sharing/<slug:slug>/": "/partnerships/1/sharing/",
}


def _admin_redirect(url: str) -> str:
    return ADMIN_LOGIN + url


# --- Checks ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """One request, sent as each role of ``expected``."""

    route: str  # the route's key: a URL name, a resolver route, or "METHOD /api/path"
    method: str
    expected: Mapping[str, int]
    source: str  # where the expectation comes from, for the failure message
    url: Callable[[str, Any], str]  # (role, big) -> the URL
    data: Callable[[str, Any], Any] = lambda role, big: None
    is_api: bool = False
    redirect_to: Callable[[Any], str | None] | None = None


def _room(module_name: str) -> str:
    return module_name.split(".")[1]


def _row_expected(room: str, row: kit.Row) -> dict[str, int]:
    out = {}
    for role in ROLES:
        column = AS[room][role]
        if column is None:
            like = LIKE[room][role]
            column = like.targets.get(row.target or "", like.column)
            column = like.differs.get(row.test_id, column)
        out[role] = column if isinstance(column, int) else row.expected[column]
    return out


def _user(big: Any, role: str) -> Any:
    return big.users[role]


def _row_check(room: str, row: kit.Row) -> Check:
    def world(big: Any) -> kit.World:
        return big.rooms[room]

    def url(role: str, big: Any) -> str:
        kwargs = world(big).kwargs(row.target, _user(big, role))
        return kit.api_path(row.route, kwargs) if row.is_api else reverse(row.route, kwargs=kwargs)

    def data(role: str, big: Any) -> Any:
        return kit._resolve(row.data, _user(big, role), world(big))

    redirect = None
    if row.redirect_to is not None:

        def redirect(big: Any) -> str | None:
            return kit._resolve(row.redirect_to, world(big))

    return Check(
        route=row.route,
        method=row.method,
        expected=_row_expected(room, row),
        source=f"{room} matrix row {row.test_id}",
        url=url,
        data=data,
        is_api=row.is_api,
        redirect_to=redirect,
    )


def room_rows() -> Iterator[tuple[str, kit.Row]]:
    for module_name, module in kit.matrices().items():
        matrix = getattr(module, "MATRIX", None)
        if matrix is None:
            continue
        for row in matrix.rows:
            yield _room(module_name), row


# --- The routes ---------------------------------------------------------------------------------


@dataclass
class Route:
    key: str  # URL name (or the resolver's route when unnamed), or "METHOD /api/v1/…"
    path: str  # the resolver's route or the API's path
    is_api: bool
    methods: tuple[str, ...]
    checks: list[Check] = field(default_factory=list)


def _braces(path: str) -> str:
    """A route's parameters as ``{name}`` (the resolver's ``<int:pk>``, the API's ``{int:pk}``)."""
    return re.sub(r"[<{](?:\w+:)?(\w+)[>}]", r"{\1}", path)


def all_routes() -> dict[str, Route]:
    found: dict[str, Route] = {}
    api_paths = {_braces(path).lstrip("/") for _, path, _ in each_api_operation()}
    for path, name in page_patterns():
        if _braces(path) in api_paths:
            continue  # an API operation's own URL: checked by its operations below
        key = name or path
        found.setdefault(key, Route(key, path, False, ("get", "post")))
    for method, path, _ in each_api_operation():
        key = f"{method.upper()} {path}"
        found[key] = Route(key, path, True, (method.lower(),))
    return found


def _first(rows: list[tuple[str, kit.Row]], method: str) -> tuple[str, kit.Row] | None:
    return next(((room, row) for room, row in rows if row.method == method), None)


def _every(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def _refused_with(expected: Mapping[str, int], status: int) -> dict[str, int]:
    """``status`` for every role, but the public keeps its redirect to sign in."""
    out = _every(status)
    if expected.get("public") == 302:
        out["public"] = 302
    return out


def _generated(route: Route, rows: list[tuple[str, kit.Row]]) -> list[Check]:
    """The method of a page no row gives (see the module's docstring)."""
    out: list[Check] = []
    if route.is_api:
        return out  # an operation has one method, which its rows give
    gets, posts = _first(rows, "get"), _first(rows, "post")
    if gets and not posts:
        room, row = gets
        read = _row_check(room, row)
        base = _row_check(room, replace(row, method="post", data=None, redirect_to=None))
        if route.key in READ_ONLY:
            out.append(replace(base, expected=_refused_with(read.expected, 405),
                               source=f"READ_ONLY ({base.source})"))  # fmt: skip
        elif route.key in WRITES:
            out.append(replace(base, expected=WRITES[route.key], source="WRITES"))
        elif route.key in SAVES_EMPTY:
            saved = {r: 302 if s == 200 else s for r, s in read.expected.items()}
            out.append(replace(base, expected=saved, source=f"SAVES_EMPTY ({base.source})"))
        else:
            out.append(replace(base, expected=read.expected, redirect_to=read.redirect_to,
                               source=f"POST answers as GET ({read.source})"))  # fmt: skip
    if posts and not gets:
        room, row = posts
        write = _row_check(room, row)
        base = _row_check(room, replace(row, method="get", data=None, redirect_to=None))
        out.append(replace(base, expected=_refused_with(write.expected, 405),
                           source=f"a button: GET is 405 ({base.source})"))  # fmt: skip
    return out


MISSING = "no-such-thing"


def _idor(route: Route, check: Check) -> Check:
    """``check`` sent at A's unpublished partnership H and its children (see the docstring)."""

    def url(role: str, big: Any) -> str:
        values = big.hidden
        if role.endswith(":missing"):
            values = {**values, "slug": MISSING, ("programme", "reference"): MISSING.upper(),
                      ("funding", "reference"): MISSING.upper()}  # fmt: skip
        filled = fill(route.path, values)
        assert filled is not None, f"H has no value for a parameter of {route.path}"
        return filled if route.is_api else "/" + filled

    return replace(
        check,
        url=url,
        expected={"partner_b": AS_FOR_MISSING, "public": AS_FOR_MISSING},
        source=f"another organisation's object ({check.source}, at H)",
        redirect_to=None,
    )


#: The answer at H must be the answer at a partnership (or application) that does not exist,
#: and a refusal: nothing about H is told.
AS_FOR_MISSING = -1


def _sample_url(path: str) -> str:
    """A URL of a resolver route with every parameter filled with a plausible value (the first
    alternative of a regular expression's group, "1" for a converter)."""
    path = re.sub(r"\((?:\?P<\w+>)?([\w-]+)[^)]*\)", r"\1", path)
    path = re.sub(r"\((?:\?P<\w+>)?[^)]*\)", "1", path)
    path = re.sub(r"<(?:\w+:)?\w+>", "1", path)
    return "/" + path.replace("^", "").replace("$", "")


def _other(route: Route) -> list[Check]:
    """Routes in no room's matrix: the Django admin (for Django's ``is_staff`` users, which no
    role is: every page sends everyone to the admin's sign-in, which shows its form and, sent
    empty, its errors; signing out sends anyone to the admin's home), the API's own documents
    (which ignore the method: nothing is written) and its root (none: 404), and the sharing
    room's old addresses."""
    sample = _sample_url(route.path)

    def at(role: str, big: Any) -> str:
        return sample

    def both(expected: dict[str, int], source: str, redirect: str | None = None) -> list[Check]:
        to = None if redirect is None else (lambda big: redirect)
        return [Check(route.key, m, expected, source, at, redirect_to=to) for m in ("get", "post")]

    if route.key == "admin:login":
        return both(_every(200), "the Django admin's sign-in")
    if route.key == "admin:logout":
        return both(_every(302), "the Django admin's sign-out", "/admin/")
    if route.path.startswith("admin/"):
        return both(_every(302), "the Django admin (is_staff users only)", _admin_redirect(sample))
    if route.path in LEGACY_REDIRECTS:
        return both(_every(301), "an address from before the sharing pages moved",
                    LEGACY_REDIRECTS[route.path])  # fmt: skip
    if route.key in {"api:openapi-json", "api:openapi-view"}:
        return both(_every(200), "the API's own documents")
    if route.key == "api:api-root":
        return both(_every(404), "the API's root (nothing there)")
    return []


@dataclass
class Plan:
    routes: dict[str, Route]
    rows_of: dict[str, list[tuple[str, kit.Row]]]


def plan() -> Plan:
    routes = all_routes()
    rows_of: dict[str, list[tuple[str, kit.Row]]] = defaultdict(list)
    for room, row in room_rows():
        rows_of[row.route].append((room, row))
    for key, route in routes.items():
        rows = rows_of.get(key, [])
        route.checks = [_row_check(room, row) for room, row in rows]
        route.checks += _generated(route, rows)
        route.checks += _other(route)
        if TAKES_A_PARTNERSHIP.search(route.path):
            first = {}
            for check in route.checks:
                first.setdefault(check.method, check)
            route.checks += [_idor(route, check) for check in first.values()]
    return Plan(routes, rows_of)


PLAN = plan()


def missing_expectations(routes: Mapping[str, Route]) -> list[str]:
    missing = []
    for route in routes.values():
        for method in route.methods:
            covered = set()
            for check in route.checks:
                if check.method == method and not check.source.startswith("another"):
                    covered |= set(check.expected)
            if not set(ROLES) <= covered:
                missing.append(f"{method.upper()} {route.key}")
    return missing


# --- Sending a check, and watching what it writes -----------------------------------------------

#: Technical records a refused request may still write (see the docstring).
NOT_COMPARED = re.compile(r"^(django_session|axes_\w+|core_idempotencykey|frontdoor_ratecount)$")
SKIP_COLUMNS = {"core_apikey": ("last_used_at",)}
_WRITE = re.compile(
    r'^\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+"?(\w+)"?', re.I
)
_READ = re.compile(r"^\s*(SELECT|SAVEPOINT|RELEASE|ROLLBACK|PRAGMA|SET|SHOW|VALUES)\b", re.I)


class Writes:
    """A connection wrapper that notes the tables every statement writes to (``unknown``: a
    statement it cannot read, after which every table is compared)."""

    def __init__(self) -> None:
        self.tables: set[str] = set()
        self.unknown: list[str] = []

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        found = _WRITE.match(sql)
        if found:
            self.tables.add(found.group(1))
        elif not _READ.match(sql):
            self.unknown.append(sql[:120])
        return execute(sql, params, many, context)

    def compared(self, every_table: list[str]) -> set[str]:
        written = set(every_table) if self.unknown else self.tables
        return {t for t in written if not NOT_COMPARED.match(t)}


def digest(table: str) -> tuple[int, str]:
    with connection.cursor() as cursor:
        return table_digest(cursor, connection.vendor, table, skip=SKIP_COLUMNS.get(table, ()))


def _send(check: Check, role: str, big: Any, url: str, data: Any) -> Any:
    role = role.split(":")[0]
    user = big.users[role]
    client = Client()
    if check.is_api:
        headers = {"Authorization": f"Bearer {big.keys[role]}"} if user is not None else {}
        if check.method == "get":
            return client.get(url, data or {}, headers=headers)
        body = {}
        if data is not None:
            body = {"data": kit._json(data), "content_type": "application/json"}
        return getattr(client, check.method)(url, headers=headers, **body)
    if user is not None:
        client.cookies[settings.SESSION_COOKIE_NAME] = big.sessions[role]
    return getattr(client, check.method)(url, data or {})


def _saved(check: Check, status: int) -> bool:
    """Whether the answer says the write was done (then writing is right)."""
    if check.is_api:
        return 200 <= status < 300
    return status in (301, 302, 303)


@dataclass
class Outcome:
    url: str
    status: int
    location: str | None
    changed: list[str]  # tables whose rows differ from before the request


#: What the module sent and compared (written to ``var/role-route-matrix.json`` at its end).
FIGURES: Counter[str] = Counter()


def send(check: Check, role: str, big: Any, *, compare: bool | None = None) -> Outcome:
    """``check`` as ``role``, in a savepoint rolled back after it. ``compare``: whether to compare
    the tables it wrote to (by default: when it is a write that was not done)."""
    cache.clear()  # rate limits count per test, not per module
    FIGURES["requests"] += 1
    with transaction.atomic():
        resolving = Writes()
        with connection.execute_wrapper(resolving):
            url = check.url(role, big)
            data = check.data(role.split(":")[0], big)
        every_table = big.tables
        before = {t: digest(t) for t in resolving.compared(every_table)}
        during = Writes()
        with connection.execute_wrapper(during):
            try:
                response = _send(check, role, big, url, data)
            except Exception as error:  # a server error is a finding, named
                transaction.set_rollback(True)
                return Outcome(url, 500, f"raised {error!r}", [])
        changed: list[str] = []
        if compare is None:
            compare = check.method != "get" and not _saved(check, response.status_code)
        if compare:
            FIGURES["refused writes compared"] += 1
            FIGURES["tables compared after them"] += len(during.compared(every_table))
            changed = [
                table
                for table in sorted(during.compared(every_table))
                if digest(table) != before.get(table, big.baseline.get(table))
            ]
        transaction.set_rollback(True)
    return Outcome(url, response.status_code, response.get("Location"), changed)


def _kind(check: Check) -> str:
    if check.source.startswith("another organisation"):
        return "at another organisation's partnership"
    if " matrix row " in check.source and "(" not in check.source:
        return "room matrix rows"
    if " matrix row " in check.source:
        return "generated from a room's row"
    return "routes in no room's matrix"


def problems_of(check: Check, big: Any) -> Iterator[str]:
    for role, expected in check.expected.items():
        FIGURES[f"role x route checks: {_kind(check)}"] += 1
        got = send(check, role, big)
        where = f"{role} {check.method.upper()} {got.url} [{check.source}]"
        if expected == AS_FOR_MISSING:
            missing = send(check, f"{role}:missing", big)
            expected = missing.status
            where += f" (as for {missing.url})"
            if expected < 400 and not (expected == 302 and role == "public"):
                yield f"{where}: a made-up object answers {expected}"
        if got.status != expected:
            yield f"{where}: {got.status}, expected {expected}" + (
                f" ({got.location})" if got.status == 500 else ""
            )
        elif 300 <= got.status < 400:
            wanted = check.redirect_to(big) if check.redirect_to else None
            if wanted is not None and got.location != wanted:
                yield f"{where}: redirects to {got.location}, expected {wanted}"
            elif (
                wanted is None
                and role.startswith("public")
                and not (got.location or "").startswith(kit.SIGN_IN_PREFIX)
            ):
                yield f"{where}: redirects the public to {got.location}, not to sign in"
        if got.changed:
            yield f"{where}: refused ({got.status}) but changed {', '.join(got.changed)}"


# --- The world, once for the module ---------------------------------------------------------------


@pytest.fixture(scope="module")
def big(django_db_setup, django_db_blocker):
    started = time.monotonic()
    with (
        django_db_blocker.unblock(),
        override_settings(
            OCDS_OCID_PREFIX=matrix_world.OCDS_PREFIX, SESSION_IDLE_TIMEOUT_SECONDS=24 * 3600
        ),  # fmt: skip
        transaction.atomic(),
    ):
        world = matrix_world.build()
        with connection.cursor() as cursor:
            world.tables = tables(cursor, connection.vendor)
        world.baseline = {t: digest(t) for t in world.tables}
        FIGURES["world built in seconds"] = round(time.monotonic() - started, 1)
        FIGURES["rows in the world"] = sum(rows for rows, _ in world.baseline.values())
        yield world
        transaction.set_rollback(True)
    FIGURES["module ran in seconds"] = round(time.monotonic() - started, 1)
    FIGURES["routes"] = len(PLAN.routes)
    worker = os.environ.get("PYTEST_XDIST_WORKER")  # each worker checks a share of the routes
    out = Path(settings.VAR_DIR) / f"role-route-matrix{'-' + worker if worker else ''}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(dict(sorted(FIGURES.items())), indent=2) + "\n")


# --- The tests ------------------------------------------------------------------------------------


def test_every_route_has_an_expectation():
    missing = missing_expectations(PLAN.routes)
    assert not missing, (
        "These routes have no expectation for every role (add rows to the room's "
        "tests/test_permission_matrix.py, or READ_ONLY / OTHER here): " + ", ".join(missing)
    )


@pytest.mark.parametrize("key", sorted(PLAN.routes))
def test_route(big, key):
    route = PLAN.routes[key]
    problems = [p for check in route.checks for p in problems_of(check, big)]
    assert not problems, f"{len(problems)} wrong:\n" + "\n".join(problems)


def test_the_watch_on_writes_sees_a_write(big):
    """The comparison can fail: a write that is done (staff adding an aim to P) is seen in its
    table's digest."""
    route = PLAN.routes["POST /api/v1/partnerships/{slug}/aims"]
    check = next(c for c in route.checks if c.source.startswith("partnerships matrix"))

    got = send(check, "staff", big, compare=True)

    assert got.status == 201
    assert "partnerships_strategicaim" in got.changed


def test_a_leak_would_be_caught(big, monkeypatch):
    """Were the visibility rule broken (any partnership fetched for anyone), another
    organisation's member would read H and the check at H would fail."""
    from partnering.partnerships import access
    from partnering.partnerships.models import Partnership

    check = next(c for c in PLAN.routes["partnerships:partnership-detail"].checks
                 if c.source.startswith("another organisation"))  # fmt: skip
    assert list(problems_of(check, big)) == []

    monkeypatch.setattr(access, "partnership_get",
                        lambda user, slug, **_: Partnership.objects.get(slug=slug))  # fmt: skip

    assert any("partner_b GET" in p for p in problems_of(check, big))


def test_every_room_is_in_the_matrix():
    """The walk finds every room's rows and sends each room's partnership routes at H."""
    rooms = {check.source.split(" matrix row ")[0].split("(")[-1]
             for route in PLAN.routes.values() for check in route.checks
             if " matrix row " in check.source}  # fmt: skip
    assert rooms == set(AS)
    at_h = [check for route in PLAN.routes.values() for check in route.checks
            if check.source.startswith("another organisation")]  # fmt: skip
    assert len(at_h) > 150, len(at_h)


def test_the_world_has_every_rooms_targets(big):
    """Each room's rows name targets of the room's own world fixture; matrix_world builds them
    all here (a room that adds one must add it to its function in matrix_world.py too)."""
    missing = sorted(
        {f"{room}: {row.target}" for room, row in room_rows()
         if row.target is not None and row.target not in big.rooms[room].targets}
    )  # fmt: skip
    assert not missing, "matrix_world.py lacks these rooms' targets: " + ", ".join(missing)
