"""Permission matrices: a table of (route, method, role) -> exact status, checked for every role.

A room's ``tests/test_permission_matrix.py`` lists one row per route and object, for pages
(``page``) and API operations (``api``), and a ``world`` fixture that builds the objects and the
users of every role. ``Matrix.tests()`` gives the module its tests::

    from partnering.core.tests.matrix import Matrix, World, api, page

    ROLES = ["public", "partner_own", "partner_other", "adviser_assigned", "adviser_other", "staff"]
    OPEN = dict.fromkeys(ROLES, 200)

    MATRIX = Matrix(__name__, ROLES, [
        page("sharing:overview", "p", OPEN),
        page("sharing:calculate", "v", POSTED, method="post"),
        api("GET /api/v1/partnerships/{slug}/cost-models", "p", OPEN),
    ])
    test_status, test_every_route_has_a_row = MATRIX.tests()

    @pytest.fixture
    def world(db):
        ...
        return World(users={"public": None, ...}, targets={"p": {"slug": p.slug}, ...})

What it checks:

- ``test_status``: one test per row and role (``per="check"``, a fresh world for each), or one
  test per row with every role checked in turn, each in a savepoint that is rolled back
  (``per="row"``, for the matrix or one row: for worlds that are slow to build). The status must
  be exactly the one in the row; a failure names every role that got something else.
- A redirect of the public goes to the sign-in page with ``?next=``, unless the row says where it
  goes (``redirect_to``: then every redirect, whoever gets it, must go exactly there).
- ``test_every_route_has_a_row``: every named URL whose view (or URLconf) is in the room's
  package, and every API operation of the room's routers, has at least one row; and every row
  names a URL or API operation that exists.

Pages are requested with a session (``force_login``); API operations with a personal API key as a
bearer token (the integrators' way in), or no credentials for the public.
"""

import importlib
import re
import types
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

PUBLIC = "public"
SIGN_IN_PREFIX = "/sign-in/?next="

#: ``data``/``body``: a dict, or a callable given the role's user (None for the public) and the
#: world. ``redirect_to``: a path, or a callable given the world.
Data = Any
Target = Mapping[str, Any] | Callable[[Any, "World"], Mapping[str, Any]]


@dataclass
class World:
    """What the room's ``world`` fixture returns.

    ``users``: the user of every role (None for the public). ``targets``: URL kwargs by target
    name (a dict, or a callable given the role's user and the world, e.g. to make an object the
    user owns); the target ``None`` is always ``{}``. ``objects``: anything rows' callables need.
    """

    users: Mapping[str, Any]
    targets: Mapping[str, Target] = field(default_factory=dict)
    objects: Mapping[str, Any] = field(default_factory=dict)

    def kwargs(self, target: str | None, user: Any) -> dict[str, Any]:
        if target is None:
            return {}
        value = self.targets[target]
        return dict(value(user, self) if callable(value) else value)


@dataclass(frozen=True)
class Row:
    route: str  # a URL name ("sharing:overview") or an API operation ("GET /api/v1/…/{slug}")
    target: str | None
    expected: Mapping[str, int]
    method: str
    data: Data = None
    redirect_to: str | Callable[[World], str] | None = None
    id: str | None = None
    is_api: bool = False
    per: str | None = None  # "check" or "row": overrides the matrix's choice for this row

    @property
    def test_id(self) -> str:
        if self.id:
            return self.id
        route = self.route.split(" ", 1)[1] if self.is_api else self.route
        parts = [route, self.target, self.method] if self.target else [route, self.method]
        return "-".join(str(p) for p in parts)


def page(
    name: str,
    target: str | None,
    expected: Mapping[str, int],
    *,
    method: str = "get",
    data: Data = None,
    redirect_to: str | Callable[[World], str] | None = None,
    id: str | None = None,
    per: str | None = None,
) -> Row:
    """A page: URL ``name`` reversed with the ``target``'s kwargs; ``data`` is the query string
    of a GET and the form of a POST."""
    return Row(name, target, expected, method.lower(), data, redirect_to, id, False, per)


def api(
    operation: str,
    target: str | None,
    expected: Mapping[str, int],
    *,
    body: Any = None,
    id: str | None = None,
    per: str | None = None,
) -> Row:
    """An API operation, ``"METHOD /api/v1/path/{param}"`` as the OpenAPI document spells it;
    ``body`` (or a callable given the user and the world) is sent as JSON (writes), or as the
    query string of a GET."""
    method, path = operation.split(" ", 1)
    return Row(
        f"{method.upper()} {path}", target, expected, method.lower(), body, None, id, True, per
    )


def every(roles: Iterable[str], status: int) -> dict[str, int]:
    return dict.fromkeys(roles, status)


# --- Running one check ------------------------------------------------------------------------


def _resolve(value: Any, *args: Any) -> Any:
    return value(*args) if callable(value) else value


_PARAM = re.compile(r"\{(?:\w+:)?(\w+)\}")


def api_path(route: str, kwargs: Mapping[str, Any]) -> str:
    path = route.split(" ", 1)[1]
    return _PARAM.sub(lambda m: str(kwargs[m.group(1)]), path)


def _request(row: Row, role: str, world: World) -> tuple[str, Any]:
    user = world.users[role]
    client = Client()
    kwargs = world.kwargs(row.target, user)
    data = _resolve(row.data, user, world)
    if row.is_api:
        headers = {}
        if user is not None:
            from partnering.core.services import api_key_create

            headers["Authorization"] = f"Bearer {api_key_create(name='matrix', actor=user)[1]}"
        url = api_path(row.route, kwargs)
        if row.method == "get":
            return url, client.get(url, data or {}, headers=headers)
        body = {"data": _json(data), "content_type": "application/json"} if data is not None else {}
        return url, getattr(client, row.method)(url, headers=headers, **body)
    if user is not None:
        client.force_login(user)
    url = reverse(row.route, kwargs=kwargs)
    return url, getattr(client, row.method)(url, data or {})


def _json(data: Any) -> str:
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    return json.dumps(data, cls=DjangoJSONEncoder)


def check(row: Row, role: str, world: World) -> str | None:
    """None when ``role`` gets exactly what the row expects, else what went wrong."""
    url, response = _request(row, role, world)
    expected = row.expected[role]
    where = f"{role} {row.method.upper()} {url}"
    if response.status_code != expected:
        return f"{where}: {response.status_code}, expected {expected}"
    if 300 <= response.status_code < 400:
        location = response["Location"]
        if row.redirect_to is not None:
            wanted = _resolve(row.redirect_to, world)
            if location != wanted:
                return f"{where}: redirects to {location}, expected {wanted}"
        elif role == PUBLIC and not location.startswith(SIGN_IN_PREFIX):
            return f"{where}: redirects the public to {location}, not to sign in"
    return None


# --- Routes of a room -------------------------------------------------------------------------


def _module_name(urlconf: Any) -> str | None:
    if isinstance(urlconf, types.ModuleType):
        return urlconf.__name__
    return urlconf if isinstance(urlconf, str) else None


def _owner(pattern: URLPattern, urlconf: str | None) -> str:
    callback = pattern.callback
    module = getattr(getattr(callback, "view_class", callback), "__module__", "") or ""
    if module.startswith("partnering."):
        return module
    return urlconf or module


def url_owners(resolver: URLResolver | None = None, namespace: str = "") -> dict[str, str]:
    """Every named URL of the project (``namespace:name``) -> the module that owns it (its view's
    module, or the URLconf it is in when the view is not the project's own)."""
    resolver = resolver or get_resolver()
    urlconf = _module_name(resolver.urlconf_name)
    names: dict[str, str] = {}
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            names.update(url_owners(pattern, inner))
        elif isinstance(pattern, URLPattern) and pattern.name:
            full = f"{namespace}:{pattern.name}" if namespace else pattern.name
            names.setdefault(full, _owner(pattern, urlconf))
    return names


def named_urls() -> set[str]:
    return set(url_owners())


def _ninja_apis() -> list[Any]:
    from ninja import NinjaAPI

    get_resolver().url_patterns  # noqa: B018  (builds the URLconf, mounting every router)
    urlconf = importlib.import_module(settings.ROOT_URLCONF)
    found = [value for value in vars(urlconf).values() if isinstance(value, NinjaAPI)]
    return list({id(a): a for a in found}.values())


def each_api_operation() -> Iterator[tuple[str, str, Any]]:
    """(method, full path, ninja operation) of every operation of every API of the project."""
    from ninja.utils import normalize_path

    for ninja_api in _ninja_apis():
        root = reverse(f"{ninja_api.urls_namespace}:openapi-json").rsplit("/", 1)[0]
        for prefix, router in ninja_api._routers:
            for path, path_view in router.path_operations.items():
                route = normalize_path("/".join(i for i in (prefix, path) if i))
                for operation in path_view.operations:
                    for method in operation.methods:
                        yield method, f"{root}{route}", operation


def api_operations() -> dict[str, str]:
    """Every API operation (``"GET /api/v1/…/{slug}"``) -> the module of its view function."""
    return {
        f"{method.upper()} {path}": operation.view_func.__module__
        for method, path, operation in each_api_operation()
    }


def _in_package(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


# --- The matrix -------------------------------------------------------------------------------


class Matrix:
    """The rows of one room's matrix; ``module`` is the test module's ``__name__`` (the room is
    the package before ``.tests``)."""

    def __init__(
        self,
        module: str,
        roles: Sequence[str],
        rows: Sequence[Row],
        *,
        per: str = "check",
        world: str = "world",
        not_here: Iterable[str] = (),
    ) -> None:
        for choice in [per, *(row.per for row in rows if row.per)]:
            if choice not in {"check", "row"}:
                raise ValueError("per is 'check' (one test per row and role) or 'row'")
        self.module = module
        self.package = module.split(".tests", 1)[0]
        self.roles = list(roles)
        self.rows = list(rows)
        self.per = per
        self.world = world
        #: Routes of the room covered by another test module (say why where you list them).
        self.not_here = set(not_here)
        for row in self.rows:
            missing = set(self.roles) - set(row.expected)
            extra = set(row.expected) - set(self.roles)
            if missing or extra:
                raise ValueError(
                    f"{row.test_id}: expected statuses must name every role "
                    f"(missing {sorted(missing)}, unknown {sorted(extra)})"
                )
        ids = [row.test_id for row in self.rows]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"rows with the same id (give them id=...): {duplicates}")

    @property
    def url_names(self) -> set[str]:
        return {row.route for row in self.rows if not row.is_api}

    @property
    def operations(self) -> set[str]:
        return {row.route for row in self.rows if row.is_api}

    def room_routes(self) -> set[str]:
        urls = {n for n, owner in url_owners().items() if _in_package(owner, self.package)}
        ops = {o for o, owner in api_operations().items() if _in_package(owner, self.package)}
        return urls | ops

    def tests(self) -> tuple[Callable[..., None], Callable[..., None]]:
        """``(test_status, test_every_route_has_a_row)`` for the module to expose."""
        return self._status_test(), self._coverage_test()

    def _status_test(self) -> Callable[..., None]:
        world_name, roles = self.world, self.roles
        cases = []
        for row in self.rows:
            if (row.per or self.per) == "check":
                cases += [pytest.param(row, role, id=f"{row.test_id}-{role}") for role in roles]
            else:
                cases.append(pytest.param(row, None, id=f"{row.test_id}-every-role"))

        @pytest.mark.parametrize(("row", "role"), cases)
        def test_status(request, row: Row, role: str | None) -> None:
            """One role against one route, or (role None) every role in turn, each in a
            savepoint rolled back after it: one world per route, and no role sees another's
            writes."""
            world = request.getfixturevalue(world_name)
            if role is not None:
                problem = check(row, role, world)
                assert problem is None, problem
                return
            problems = []
            for each in roles:
                with transaction.atomic():
                    problems.append(check(row, each, world))
                    transaction.set_rollback(True)
            wrong = [p for p in problems if p is not None]
            assert not wrong, "; ".join(wrong)

        return test_status

    def _coverage_test(self) -> Callable[..., None]:
        matrix = self

        def test_every_route_has_a_row() -> None:
            known = set(url_owners()) | set(api_operations())
            have = matrix.url_names | matrix.operations
            missing = sorted(matrix.room_routes() - have - matrix.not_here)
            unknown = sorted((have | matrix.not_here) - known)
            assert not missing, (
                f"{matrix.module}: these routes of {matrix.package} have no row: "
                + ", ".join(missing)
            )
            assert not unknown, f"{matrix.module}: rows name unknown routes: " + ", ".join(unknown)

        return test_every_route_has_a_row


def matrices() -> dict[str, Any]:
    """``partnering.<app>.tests.test_permission_matrix`` of every installed app that has one."""
    found: dict[str, Any] = {}
    for app in settings.INSTALLED_APPS:
        if not app.startswith("partnering."):
            continue
        module_name = f"{app}.tests.test_permission_matrix"
        try:
            found[module_name] = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name is not None and module_name.startswith(error.name):
                continue  # this app has no matrix yet: its routes stay uncovered
            raise
    return found


def covered_routes(module: Any) -> set[str]:
    """The URL names and API operations a matrix module covers (``MATRIX``, or the older
    ``COVERED_URL_NAMES`` set)."""
    matrix = getattr(module, "MATRIX", None)
    if matrix is not None:
        return matrix.url_names | matrix.operations | matrix.not_here
    return set(getattr(module, "COVERED_URL_NAMES", ()))
