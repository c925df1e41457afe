"""What the API's fuzzing cannot generate (issue 16, part 1): Hypothesis draws no unpaired
surrogates, and a body is sent as UTF-8 text, so ``"\\ud800"`` (valid JSON, but no character UTF-8
or the database can carry) never reaches the API from schemathesis. Every JSON write operation
of ``/api/openapi.json`` (POST, PUT, PATCH), each with a body that the operation's schema would
take but for one thing, must answer such a body, and one with a null byte (``"\\u0000"``), with a
4xx in the API's error shape (``detail``, ``code``, ``field``), never a 500.

The body is made from the operation's request schema (every property, each string the text
and the thing), sent by staff with the partnership of the path being a real one, so that a
body the API did not refuse would reach the database.
"""

import json
from typing import Any

import pytest

from partnering.core.services import api_key_create
from partnering.core.tests.factories import UserFactory

SURROGATE = "SURROGATE"  # in the JSON text: the escape \ud800
NULL = "NULL"  # in the JSON text: the escape \u0000
WRITES = ("post", "put", "patch")


def _document() -> dict[str, Any]:
    from partnering.config.api import api

    return json.loads(json.dumps(api.get_openapi_schema(), default=str))


DOCUMENT = _document()


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = DOCUMENT["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _value(schema: dict[str, Any], text: str, depth: int = 0, integer: int = 1) -> Any:
    """A value ``schema`` takes, with ``text`` for free text and ``integer`` for whole numbers
    (at least their minimum)."""
    schema = _resolve(schema)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if _resolve(s).get("type") != "null"]
            return _value(options[0], text, depth, integer)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        if depth > 3:
            return {}
        props = schema.get("properties", {})
        value = {name: _value(prop, text, depth + 1, integer) for name, prop in props.items()}
        if isinstance(schema.get("additionalProperties"), dict):  # keyed by free text
            value[text] = _value(schema["additionalProperties"], text, depth + 1, integer)
        return value
    if kind == "array":
        return [_value(schema.get("items", {}), text, depth + 1, integer)]
    if kind == "integer":
        return max(integer, schema.get("minimum", integer))
    if kind == "number":
        return max(1, schema.get("minimum", 1))
    if kind == "boolean":
        return True
    formats = {"date": "2003-06-01", "date-time": "2003-06-01T12:00:00Z",
               "email": "fuzz@example.com", "uri": "https://example.com/",
               "uuid": "12345678-1234-5678-1234-567812345678", "decimal": "1.00"}  # fmt: skip
    if schema.get("format") in formats or "pattern" in schema:
        return formats.get(schema.get("format"), "1")
    return text


def _writes() -> list[tuple[str, str, dict[str, Any]]]:
    """(method, path with its parameters filled in, body schema) of each JSON write."""
    found = []
    for path, operations in DOCUMENT["paths"].items():
        for method, operation in operations.items():
            content = (
                operation.get("requestBody", {}).get("content", {}) if method in WRITES else {}
            )
            if "application/json" not in content:
                continue
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path" and parameter["name"] != "slug":
                    value = _value(parameter["schema"], "1")
                    path = path.replace("{" + parameter["name"] + "}", str(value))
            found.append((method, path, content["application/json"]["schema"]))
    return found


@pytest.fixture
def staff_world(db, client):
    from partnering.organisations.tests.factories import OrganisationFactory
    from partnering.sharing.tests.factories import make_partnership

    staff = UserFactory(role="staff")
    partnership = make_partnership(lead=OrganisationFactory(), members=[OrganisationFactory()])
    key = api_key_create(name="bodies", actor=staff)[1]
    return {"slug": partnership.slug, "auth": f"Bearer {key}"}


def _url(path: str, slug: str) -> str:
    return path.replace("{slug}", slug)


def _send(client, method: str, url: str, body: str, auth: str):
    return getattr(client, method)(
        url, data=body.encode(), content_type="application/json", HTTP_AUTHORIZATION=auth
    )


def _assert_error_shape(response, method: str, url: str) -> dict[str, Any]:
    where = f"{method.upper()} {url}: {response.status_code} {response.content[:300]!r}"
    assert 400 <= response.status_code < 500, where
    assert response["Content-Type"].startswith("application/json"), where
    body = response.json()
    assert isinstance(body.get("detail"), str), where
    assert isinstance(body.get("code"), str), where
    assert "field" in body, where
    return body


@pytest.mark.parametrize(("thing", "escape", "code"), [
    (SURROGATE, "\\ud800", "core.unpaired_surrogate"),
    (NULL, "\\u0000", "core.null_byte"),
])  # fmt: skip
def test_every_json_write_refuses_what_the_database_cannot_store(
    client, staff_world, thing, escape, code
):
    """Each write's schema-shaped body, every string holding the thing: a 400 with the API's
    error shape. Before the fix the surrogate answered 500 on the writes it reached the database
    with (on SQLite and PostgreSQL alike: neither can encode it)."""
    writes = _writes()
    assert len(writes) > 50, "the OpenAPI document lists the API's writes"
    failures = []
    for method, path, schema in writes:
        url = _url(path, staff_world["slug"])
        value = _value(schema, f"Fuzz {thing} text")
        # and where the API reads nothing: a key it ignores
        for each in [value, *value] if isinstance(value, list) else [value]:
            if isinstance(each, dict):
                each["fuzz_note"] = thing
        body = json.dumps(value).replace(thing, escape)
        response = _send(client, method, url, body, staff_world["auth"])
        try:
            answer = _assert_error_shape(response, method, url)
            assert response.status_code == 400 and answer["code"] == code, answer
        except AssertionError as failure:
            failures.append(str(failure).splitlines()[0][:200])
    assert not failures, f"{len(failures)} of {len(writes)} writes:\n" + "\n".join(failures)


def test_a_surrogate_pair_is_one_character_and_welcome(client, staff_world):
    """``"\\ud83d\\ude00"`` (a pair) is the emoji U+1F600, which UTF-8 carries: not refused."""
    url = f"/api/v1/partnerships/{staff_world['slug']}"
    body = '{"name": "Shared services \\ud83d\\ude00"}'
    response = _send(client, "patch", url, body, staff_world["auth"])
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "Shared services \U0001f600"


def test_a_surrogate_in_a_key_is_refused_too(client, staff_world):
    url = f"/api/v1/partnerships/{staff_world['slug']}"
    response = _send(client, "patch", url, '{"\\udfff": 1}', staff_world["auth"])
    assert _assert_error_shape(response, "patch", url)["code"] == "core.unpaired_surrogate"


def test_every_json_write_refuses_a_whole_number_no_database_column_holds(client, staff_world):
    """Every whole number of each write's body 2**70, past the 64 bits of SQLite's INTEGER and
    PostgreSQL's bigint: never a 500 (a 4xx in the error shape, or taken where no number is). Found by the stateful fuzzing: ``POST …/risks`` with a recommendation
    id of -2179307529592056292835328 answered 500 (OverflowError on SQLite)."""
    failures = []
    for method, path, schema in _writes():
        url = _url(path, staff_world["slug"])
        body = json.dumps(_value(schema, "Fuzz text", integer=2**70))
        response = _send(client, method, url, body, staff_world["auth"])
        if response.status_code >= 500:
            failures.append(f"{method.upper()} {url}: {response.status_code}")
        elif response.status_code >= 400:  # a refusal in the error shape; some writes take none
            assert isinstance(response.json().get("detail"), str), (url, response.content)
    assert not failures, f"{len(failures)} writes:\n" + "\n".join(failures)


def test_a_risk_naming_a_recommendation_past_64_bits_is_refused(client, staff_world):
    """The stateful fuzzing's finding: the recommendations' ids went to the database."""
    path = "/api/v1/assurance/partnerships/{slug}/risks"
    schema = DOCUMENT["paths"][path]["post"]["requestBody"]["content"]["application/json"]
    body = {**_value(schema["schema"], "Fuzz text"), "owner": None, "recommendations": [-(2**80)]}
    url = _url(path, staff_world["slug"])
    response = _send(client, "post", url, json.dumps(body), staff_world["auth"])
    answer = _assert_error_shape(response, "post", url)
    assert response.status_code == 422 and answer["code"] == "core.out_of_range", answer
    assert answer["field"] == "recommendations.0", answer
