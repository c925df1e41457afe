"""Open311 through an independent client: PyPI ``georeport`` (GET calls, JSON and XML, parsed
by ``xmltodict``). Its HTTP calls (``requests.get``) are carried by Django's test client, so the
client's own URL building, parameters and parsing are what is tested."""

from urllib.parse import urlsplit

import georeport.georeport as client_module
import pytest
from georeport import GeoReport

from .factories import WORCS, ServiceRequestFactory

ROOT = "http://testserver/open311/v2"


class _Response:
    def __init__(self, response):
        self._response = response
        self.status_code = response.status_code
        self.content = response.content

    def raise_for_status(self):
        if self.status_code >= 400:
            raise RuntimeError(f"HTTP {self.status_code}: {self.content[:200]!r}")

    def json(self):
        return self._response.json()


@pytest.fixture
def via_django(client, monkeypatch):
    def get(url, params=None, **kwargs):
        return _Response(client.get(urlsplit(url).path, params or {}))

    monkeypatch.setattr(client_module.requests, "get", get)


@pytest.fixture
def stored(front_door, councils):
    return [
        ServiceRequestFactory(council=councils[WORCS], partnership=front_door),
        ServiceRequestFactory(
            council=councils[WORCS],
            partnership=front_door,
            status="done",
            lgsl_code=564,
            service_name="Street light not working",
        ),
    ]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_every_get_call(via_django, stored, front_door, fmt):
    api = GeoReport(ROOT, jurisdiction=front_door.slug, output_format=fmt)
    services = api.get_service_list()
    assert "557" in [s["service_code"] for s in services]
    definition = api.get_service_definition("557")
    attributes = (
        definition["attributes"] if fmt == "json" else definition["attributes"]["attribute"]
    )
    first = attributes[0] if isinstance(attributes, list) else attributes
    assert first["code"] == "size"
    found = api.get_service_requests(status="open")
    found = found if isinstance(found, list) else [found]  # xmltodict: one element is a dict
    assert [r["service_request_id"] for r in found] == [stored[0].reference]
    assert found[0]["status"] == "open"
    one = api.get_service_request(stored[0].reference)
    text = str(one)
    assert stored[0].reference in text and "resident@example.com" not in text
    closed = api.get_service_requests(service_code="564", status="closed")
    assert stored[1].reference in str(closed)
