"""Open311 fuzzing (issue 16, part 1): schemathesis generates requests from an OpenAPI document
of the Open311 GeoReport v2 endpoints as this platform serves them (``docs/open311.openapi.yaml``,
written field by field from ``../shared/standards/open311/``) and sends them in process (WSGI,
the test database). Every answer must be no server error, have a status code and a content type
the document declares, and (JSON) match the declared schema, whose objects are closed: a field
the specification does not name (a resident's email, say) is a violation. XML answers must be
well-formed, with the specification's root element.

Bounded and repeatable: ``FUZZ_EXAMPLES`` generated cases per operation (default 100), with
schemathesis's own boundary and unsupported-method cases besides, derandomised. So
that the requests get past "not found" and "no api_key", path parameters and fields are, in turn,
the generated value and real ones: a service code that exists, a stored request's id, a valid
``api_key`` for two POSTs in three, the demo location (Evesham High Street) and a jurisdiction
that exists. What it found is pinned in ``frontdoor/tests/test_open311.py`` (the tests after
"Found by fuzzing").

    FUZZ_EXAMPLES=200 [FUZZ_PATHS='requests'] .venv/bin/pytest -q -p no:randomly src/partnering/tests/reliability/test_open311_fuzzing.py
"""

import os
import zlib
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from .fuzzing import bounded

DOCUMENT = Path(__file__).resolve().parents[4] / "docs" / "open311.openapi.yaml"
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "100"))
ROOTS = {
    "discovery": "discovery",
    "serviceList": "services",
    "serviceDefinition": "service_definition",
    "requestList": "service_requests",
    "requestCreate": "service_requests",
    "requestDetail": "service_requests",
}


def xml_is_well_formed(ctx, response, case):
    """An XML answer parses, and its root is the specification's element (or ``errors``)."""
    if not response.headers.get("Content-Type", [""])[0].startswith("text/xml"):
        return None
    root = ET.fromstring(response.content)  # noqa: S314 - our own server's answer
    wanted = (
        "errors"
        if response.status_code >= 400
        else ROOTS[case.operation.definition.raw["operationId"]]
    )
    assert root.tag == wanted, f"XML root <{root.tag}>, expected <{wanted}>"
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return None


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    xml_is_well_formed,
]


def _load_schema():
    from django.core.wsgi import get_wsgi_application

    loaded = schemathesis.openapi.from_path(DOCUMENT)
    loaded.app = get_wsgi_application()
    only = os.environ.get("FUZZ_PATHS")
    return loaded.include(path_regex=only) if only else loaded


schema = _load_schema()


@pytest.fixture
def open311_world(request, db, tmp_path):
    """The front door's councils and joined-up partnership, a stored request with a photo, a
    closed one, and an integrator's key. Afterwards: the operation answered at least once with
    success (the fuzzing got past the errors), but for tokens, which are always 404."""
    from django.core.cache import cache

    from partnering.frontdoor.models import Status
    from partnering.frontdoor.photos import photo_clean
    from partnering.frontdoor.tests.factories import (
        WORCS,
        WYCHAVON,
        ServiceRequestFactory,
        import_councils,
        make_front_door,
        make_key,
    )
    from partnering.frontdoor.tests.test_photos import png_bytes

    cache.clear()
    councils = import_councils(tmp_path)
    front_door = make_front_door(councils)
    photo, kind = photo_clean(png_bytes())
    open_one = ServiceRequestFactory(council=councils[WORCS], partnership=front_door,
                                     photo=photo, photo_type=kind)  # fmt: skip
    closed = ServiceRequestFactory(council=councils[WYCHAVON], lgsl_code=524,
                                   service_name="Missed bin", status=Status.CLOSED)  # fmt: skip
    world = {
        "key": make_key()[1],
        "requests": [open_one.reference, closed.reference],
        "jurisdictions": [front_door.slug, councils[WYCHAVON].slug],
        "answered": set(),
    }
    yield world
    cache.clear()
    if "tokens" not in request.node.name:
        assert any(200 <= status < 300 for status in world["answered"]), world["answered"]


@pytest.fixture(autouse=True)
def _keep_the_test_connection(app_keeps_the_test_connection):
    """The app is called directly (conftest.py)."""


def _turn(case) -> int:
    """0, 1 or 2, fixed for a case: which of the real values to put in (2: keep the generated)."""
    seed = repr((case.path_parameters, case.query, case.body)).encode()
    return zlib.crc32(seed) % 3


def _with_real_values(case, world) -> None:
    turn = _turn(case)
    path = dict(case.path_parameters or {})
    if "service_code" in path and turn < 2:
        path["service_code"] = ("557", "524")[turn]
    if "service_request_id" in path and turn < 2:
        path["service_request_id"] = world["requests"][turn]
    case.path_parameters = path
    if case.query and "jurisdiction_id" in case.query and turn < 2:
        case.query = {**case.query, "jurisdiction_id": world["jurisdictions"][turn]}
    if isinstance(case.body, dict) and turn < 2:
        # a valid key; and in one case in three also a service, its required attribute and a
        # place that exist (a large pothole on Evesham High Street), the rest as generated
        body = {**case.body, "api_key": world["key"]}
        if turn == 0:
            body.update({"service_code": "557", "lat": 52.0925, "long": -1.9470,
                         "attribute[size]": "large"})  # fmt: skip
            body["description"] = body.get("description") or "Pothole by the bus stop"
            body.pop("address_string", None)
        case.body = body


@schema.parametrize()
@bounded(EXAMPLES)
def test_every_open311_call_answers_as_documented(case, open311_world):
    _with_real_values(case, open311_world)
    response = case.call_and_validate(checks=CHECKS)
    open311_world["answered"].add(response.status_code)
