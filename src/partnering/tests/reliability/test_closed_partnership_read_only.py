"""A closed partnership is read-only through every route (issue 8 part 6).

The routes are found, not listed: every page of Django's URL resolver and every operation of the
ninja API whose path names a partnership (``partnerships/<slug:slug>/…``, which is where every
room's ``partnership_urls`` are mounted, and ``…/partnerships/{slug}…`` in the API) or a
programme or funding application (``applications/<reference>``, hanging off one). Their path
parameters are filled from a closed partnership that has children of every kind (a member, an
aim, a priority, cost models, a gateway review with a recommendation, a risk with an action, an
options appraisal, a procurement to contract, advice and a mentoring session, draft
applications). A new room's route is in the walk as soon as it is mounted; a path parameter the
walk cannot fill fails ``test_every_route_is_walked`` until ``tests.children.every_child``
gives it.

For a partner member of a member organisation, an assigned adviser and taskforce staff, every
POST, PUT, PATCH and DELETE must be refused (403, 404, 405, 409 or a 422 that is a rule's
answer, never a 2xx, a 3xx or a 500) and leave every table's row count (history tables
included) as it was. The one write allowed is staff moving the partnership back to review
(``test_staff_can_reopen_it``). Reads stay allowed (``test_its_records_can_still_be_read``).
"""

import functools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.db import transaction
from django.test import Client

from partnering.core.services import api_key_create
from partnering.core.tests.factories import UserFactory
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.models import Partnership, Stage
from partnering.partnerships.services import stage_move
from partnering.tests.children import every_child

from .routes import TAKES_A_PARTNERSHIP, each_api_operation, fill, page_patterns

pytestmark = pytest.mark.django_db

ROLES = ("member", "adviser", "staff")
PAGE_WRITES = ("post", "put", "patch", "delete")
REFUSED = {403, 404, 405, 409, 422}
#: Tables a refused request may still touch: sign-in sessions, the sign-in lockout's logs, the
#: retry store and the task queue are technical records, not the partnership's.
NOT_COUNTED = {"sessions", "axes", "django_tasks_database"}
NOT_COUNTED_MODELS = {"core.idempotencykey"}
#: The one write a closed partnership takes: staff reopen it (``test_staff_can_reopen_it``).
REOPEN = {
    ("page", "partnerships/<slug:slug>/stage/"),
    ("api", "/api/v1/partnerships/{slug}/stages"),
}


@dataclass(frozen=True)
class Route:
    kind: str  # "page" or "api"
    path: str  # the resolver's route ("partnerships/<slug:slug>/edit/") or the API's path
    methods: tuple[str, ...]

    def __str__(self) -> str:
        return f"{'/'.join(m.upper() for m in self.methods)} {self.path}"


@functools.cache
def _api_operations() -> list[tuple[str, str, Any]]:
    return list(_each_api_operation())


def _each_api_operation() -> Iterator[tuple[str, str, Any]]:
    """(method, path, (JSON schema of the body or None, its definitions)) of every API write,
    from the operations' own models (the OpenAPI document merges same-named schemas)."""
    for method, path, operation in each_api_operation():
        if method.lower() in {"post", "put", "patch", "delete"}:
            yield method.lower(), path, _body_schema(operation)


def _body_schema(operation: Any) -> tuple[Any, dict[str, Any]]:
    for model in operation.models:
        if getattr(model, "__ninja_param_source__", None) == "body":
            schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
            fields = list(schema["properties"].values())
            body = fields[0] if len(fields) == 1 else schema  # one body parameter is the body
            return body, {"components": {"schemas": schema.get("$defs", {})}}
    return None, {}


def routes() -> list[Route]:
    found = [
        Route("page", path, PAGE_WRITES)
        for path in sorted({path for path, _ in page_patterns()})
        if TAKES_A_PARTNERSHIP.search(path) and not path.startswith("api/")
    ]
    found += [
        Route("api", path, (method,))
        for method, path, _ in sorted(_api_operations(), key=lambda o: (o[1], o[0]))
        if TAKES_A_PARTNERSHIP.search(path)
    ]
    return found


def _bodies() -> dict[tuple[str, str], Any]:
    return {(m, path): body for m, path, body in _api_operations()}


# --- The closed partnership and its children ---------------------------------------------------


@pytest.fixture
def world(db, settings):
    from partnering.partnerships.tests.factories import make_partnership

    settings.OCDS_OCID_PREFIX = "ocds-test"
    staff = UserFactory(role="staff", username="closed-staff")
    own, other = OrganisationFactory(), OrganisationFactory()
    p = make_partnership(lead=own, members=[other, OrganisationFactory()], actor=staff)
    adviser = UserFactory(role="adviser", username="closed-adviser")
    p.advisers.add(adviser)
    member = UserFactory(username="closed-member", organisations=[own])
    values = every_child(p, staff=staff, adviser=adviser)
    stage_move(partnership=p, to_stage=Stage.CLOSED, reason="Wound up", actor=staff)
    p.refresh_from_db()
    assert p.stage == Stage.CLOSED
    users = {"member": member, "adviser": adviser, "staff": staff}
    keys = {role: api_key_create(name="closed", actor=user)[1] for role, user in users.items()}
    return {"p": p, "users": users, "keys": keys, "values": values}


def _url(route: Route, values: dict[Any, Any]) -> str | None:
    filled = fill(route.path, values)
    if filled is None:
        return None
    return filled if route.kind == "api" else "/" + filled


# --- What a table holds -----------------------------------------------------------------------


def _counted_models() -> list[Any]:
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label not in NOT_COUNTED
        and model._meta.label_lower not in NOT_COUNTED_MODELS
        and not model._meta.proxy
    ]


def _row_counts(models: list[Any]) -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in models}


# --- Request bodies the API's schemas accept ---------------------------------------------------


def _example(schema: dict[str, Any], doc: dict[str, Any], depth: int = 0) -> Any:
    """A value ``schema`` accepts (the first of an enum, today's date, 1, "x"), so that the
    request reaches the permission check instead of stopping at the schema."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return _example(doc["components"]["schemas"][name], doc, depth + 1)
    for combined in ("anyOf", "oneOf", "allOf"):
        if combined in schema:
            options = [s for s in schema[combined] if s.get("type") != "null"]
            return _example(options[0], doc, depth + 1) if options else None
    if "enum" in schema:
        return schema["enum"][0]
    if "default" in schema and schema["default"] is not None:
        return schema["default"]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        return {k: _example(v, doc, depth + 1) for k, v in props.items() if depth < 6}
    if kind == "array":
        return []
    if kind == "integer":
        return max(1, int(schema.get("minimum", 1)))
    if kind == "number":
        return max(1, schema.get("minimum", 1))
    if kind == "boolean":
        return False
    if schema.get("format") == "date":
        return "2003-01-06"
    if schema.get("format") == "date-time":
        return "2003-01-06T10:00:00Z"
    return "x" * max(1, int(schema.get("minLength", 1)))


# --- The walk ----------------------------------------------------------------------------------


def _send(client: Client, route: Route, method: str, url: str, key: str, body: Any) -> Any:
    if route.kind == "page":
        return getattr(client, method)(url)
    data = json.dumps(body) if body is not None else None
    headers = {"Authorization": f"Bearer {key}"}
    if data is None:
        return getattr(client, method)(url, headers=headers)
    return getattr(client, method)(url, data=data, content_type="application/json", headers=headers)


def _problem(response: Any) -> str | None:
    status = response.status_code
    if status not in REFUSED:
        return f"answered {status}"
    if status == 422:
        body = response.json() if "json" in response.get("Content-Type", "") else {}
        if body.get("code") == "core.invalid_request":
            return f"422 from the schema, not a rule (the check was not reached): {body['detail']}"
    return None


def test_every_route_is_walked(world):
    """Every route that names a partnership or an application can be filled from the world, and
    the walk finds the rooms' routes (a broken walk would check nothing)."""
    found = routes()
    unfilled = [str(r) for r in found if _url(r, world["values"]) is None]
    assert not unfilled, "add these routes' parameters to the world's values: " + ", ".join(
        unfilled
    )
    pages = [r for r in found if r.kind == "page"]
    writes = [r for r in found if r.kind == "api"]
    for room in ("sharing", "assurance", "procurement", "programme", "funding"):
        assert any(f"/{room}/" in f"/{r.path}" for r in found), room
    assert len(pages) >= 80 and len(writes) >= 50, (len(pages), len(writes))


def test_no_write_changes_a_closed_partnership(world):
    users, keys, values = world["users"], world["keys"], world["values"]
    bodies = _bodies()
    clients = {role: Client(raise_request_exception=False) for role in ROLES}
    for role, client in clients.items():
        client.force_login(users[role])  # before counting: signing in is not a write on it
    models = _counted_models()
    before = _row_counts(models)
    problems: list[str] = []
    checked = 0
    for route in routes():
        url = _url(route, values)
        assert url is not None, route
        for method in route.methods:
            schema_and_doc = bodies.get((method, route.path)) if route.kind == "api" else None
            body = None
            if schema_and_doc and schema_and_doc[0]:
                body = _example(schema_and_doc[0], schema_and_doc[1])
            for role in ROLES:
                if (route.kind, route.path) in REOPEN and role == "staff":
                    continue
                client = clients[role] if route.kind == "page" else Client()
                with transaction.atomic():
                    response = _send(client, route, method, url, keys[role], body)
                    after = _row_counts(models)
                    transaction.set_rollback(True)
                checked += 1
                changed = {k: (before[k], v) for k, v in after.items() if v != before[k]}
                problem = _problem(response)
                if changed:
                    problem = f"{problem or response.status_code}; rows changed: {changed}"
                if problem:
                    problems.append(f"{role} {method.upper()} {url}: {problem}")
    assert checked > 300, checked
    assert not problems, f"{len(problems)} of {checked} writes got through:\n" + "\n".join(problems)


def test_staff_can_reopen_it(world, client):
    p, staff = world["p"], world["users"]["staff"]
    client.force_login(staff)
    response = client.post(
        f"/partnerships/{p.slug}/stage/", {"to_stage": Stage.REVIEW, "reason": "New funding"}
    )
    assert response.status_code == 302
    assert Partnership.objects.get(pk=p.pk).stage == Stage.REVIEW


def test_staff_can_reopen_it_through_the_api(world, client):
    p, key = world["p"], world["keys"]["staff"]
    response = client.post(
        f"/api/v1/partnerships/{p.slug}/stages",
        data=json.dumps({"to_stage": Stage.REVIEW, "reason": "New funding"}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code in (200, 201), response.content
    assert Partnership.objects.get(pk=p.pk).stage == Stage.REVIEW


@pytest.mark.parametrize("role", ROLES)
def test_its_records_can_still_be_read(world, role):
    """Closing hides nothing: the partnership's pages and its advice log and mentoring sessions
    (page and API) still answer 200."""
    slug, user = world["p"].slug, world["users"][role]
    client = Client()
    client.force_login(user)
    for path in (
        f"/partnerships/{slug}/",
        f"/partnerships/{slug}/sharing/",
        f"/partnerships/{slug}/assurance/",
        f"/partnerships/{slug}/procurement/",
        f"/programme/partnerships/{slug}/advice/",
        f"/programme/partnerships/{slug}/sessions/",
    ):
        assert client.get(path).status_code == 200, path
    headers = {"Authorization": f"Bearer {world['keys'][role]}"}
    for path in (
        f"/api/v1/partnerships/{slug}",
        f"/api/v1/programme/partnerships/{slug}/advice",
        f"/api/v1/programme/partnerships/{slug}/sessions",
    ):
        assert Client().get(path, headers=headers).status_code == 200, path
