"""Open311 GeoReport v2: every call in XML and JSON, the spec's errors and status codes.

Responses are read with plain parsers (``xml.etree`` and ``json``), not with the server's code;
the independent client ``georeport`` (PyPI) is used in test_open311_client.py."""

import json
from datetime import timedelta
from xml.etree import ElementTree as ET

import pytest
from django.utils import timezone

from partnering.frontdoor.models import ServiceRequest, Status

from .factories import WORCS, WYCHAVON, ServiceRequestFactory, make_key

BASE = "/open311/v2"
FORMATS = ["json", "xml"]


def parse(response, fmt):
    if fmt == "json":
        assert response["Content-Type"].startswith("application/json")
        return json.loads(response.content)
    assert response["Content-Type"].startswith("text/xml")
    return ET.fromstring(response.content)  # noqa: S314 - our own server's response


@pytest.fixture
def key(db):
    return make_key()[1]


def post(client, fmt, key, headers=None, **fields):
    data = {"api_key": key, "service_code": "557", "lat": "52.0925", "long": "-1.9470",
            "description": "Pothole by the bus stop", "attribute[size]": "large",
            "email": "resident@example.com", "first_name": "Pat", **fields}  # fmt: skip
    return client.post(
        f"{BASE}/requests.{fmt}", {k: v for k, v in data.items() if v is not None}, headers=headers
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_discovery(client, db, fmt):
    body = parse(client.get(f"{BASE}/discovery.{fmt}"), fmt)
    if fmt == "json":
        assert body["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"
        assert "application/json" in body["endpoints"][0]["formats"]
    else:
        assert body.tag == "discovery"
        assert body.find("endpoints/endpoint/formats/format").text == "text/xml"


@pytest.mark.parametrize("fmt", FORMATS)
def test_services_and_definition(client, front_door, fmt):
    body = parse(client.get(f"{BASE}/services.{fmt}"), fmt)
    if fmt == "json":
        pothole = next(s for s in body if s["service_code"] == "557")
        assert pothole["metadata"] is True and pothole["type"] == "realtime"
        assert set(pothole) == {
            "service_code",
            "service_name",
            "description",
            "metadata",
            "type",
            "keywords",
            "group",
        }
    else:
        codes = [s.findtext("service_code") for s in body.findall("service")]
        assert "557" in codes
        assert body.find("service/metadata").text in ("true", "false")
    definition = parse(client.get(f"{BASE}/services/557.{fmt}"), fmt)
    if fmt == "json":
        size = definition["attributes"][0]
        assert (size["code"], size["datatype"], size["required"]) == (
            "size",
            "singlevaluelist",
            True,
        )
        assert {"key": "large", "name": "Bigger than a dustbin lid"} in size["values"]
    else:
        assert definition.tag == "service_definition"
        assert definition.find("attributes/attribute/values/value/key").text == "small"


def test_services_per_jurisdiction(client, front_door, councils):
    county = [
        s["service_code"]
        for s in client.get(
            f"{BASE}/services.json", {"jurisdiction_id": councils[WORCS].slug}
        ).json()
    ]
    district = [
        s["service_code"]
        for s in client.get(
            f"{BASE}/services.json", {"jurisdiction_id": councils[WYCHAVON].slug}
        ).json()
    ]
    assert "557" in county and "557" not in district
    assert "524" in district and "524" not in county
    joined = client.get(f"{BASE}/services.json", {"jurisdiction_id": front_door.slug}).json()
    assert {"557", "524"} <= {s["service_code"] for s in joined}


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_then_get(client, front_door, key, fmt):
    response = post(client, fmt, key)
    assert response.status_code == 201
    body = parse(response, fmt)
    ref = (
        body[0]["service_request_id"]
        if fmt == "json"
        else body.find("request/service_request_id").text
    )
    row = ServiceRequest.objects.get(reference=ref)
    assert row.council.gss_code == WORCS  # a pothole: the county
    assert row.partnership == front_door
    one = parse(client.get(f"{BASE}/requests/{ref}.{fmt}"), fmt)
    if fmt == "json":
        assert len(one) == 1
        item = one[0]
        assert item["status"] == "open" and item["service_code"] == "557"
        assert item["agency_responsible"] == "Worcestershire County Council"
        assert item["requested_datetime"].endswith("+00:00")
        assert "email" not in item and "first_name" not in item
        assert "resident@example.com" not in json.dumps(one)
    else:
        assert one.tag == "service_requests"
        assert one.find("request/status").text == "open"
        assert b"resident@example.com" not in ET.tostring(one)
    listed = parse(client.get(f"{BASE}/requests.{fmt}"), fmt)
    ids = (
        [r["service_request_id"] for r in listed]
        if fmt == "json"
        else [r.findtext("service_request_id") for r in listed]
    )
    assert ref in ids


def test_post_is_idempotent_by_key(client, front_door, key):
    first = post(client, "json", key, **{}).json()[0]["service_request_id"]
    headers = {"HTTP_IDEMPOTENCY_KEY": "retry-1"}
    a = client.post(
        f"{BASE}/requests.json",
        {
            "api_key": key,
            "service_code": "557",
            "lat": "52.0925",
            "long": "-1.947",
            "description": "x",
            "attribute[size]": "small",
        },
        **headers,
    )
    b = client.post(
        f"{BASE}/requests.json",
        {
            "api_key": key,
            "service_code": "557",
            "lat": "52.0925",
            "long": "-1.947",
            "description": "x",
            "attribute[size]": "small",
        },
        **headers,
    )
    assert a.status_code == 201 and b.status_code == 200
    assert a.json()[0]["service_request_id"] == b.json()[0]["service_request_id"] != first
    assert ServiceRequest.objects.count() == 2
    assert a["RateLimit-Limit"] and a["RateLimit-Remaining"]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("fields", "status", "words"),
    [
        ({"api_key": None}, 403, "api_key is required"),
        ({"api_key": "wrong"}, 403, "not valid"),
        ({"service_code": "999"}, 404, "no service"),
        ({"service_code": None}, 400, "service_code is required"),
        ({"lat": None, "long": None}, 400, "location is required"),
        ({"lat": "95", "long": "0"}, 400, "Latitude must be between"),
        ({"lat": "40.7", "long": "-74"}, 400, "outside England"),
        ({"lat": "NaN"}, 400, "latitude as a number"),
        ({"description": ""}, 400, "Describe the problem"),
        ({"description": "x" * 4001}, 400, "4,000 characters or fewer"),
        ({"attribute[size]": None}, 400, "Answer"),
        ({"attribute[size]": "enormous"}, 400, "Choose one answer"),
        ({"jurisdiction_id": "atlantis"}, 404, "Unknown jurisdiction_id"),
        ({"email": "not-an-email"}, 400, "email"),
        (
            {"lat": "53.9920", "long": "-1.5410"},
            400,
            "does not take requests",
        ),  # Harrogate: not joined up
    ],
)
def test_post_errors_in_the_spec_format(client, front_door, key, fmt, fields, status, words):
    response = post(client, fmt, key, **fields)
    assert response.status_code == status
    body = parse(response, fmt)
    if fmt == "json":
        assert body[0]["code"] == status
        assert words.lower() in body[0]["description"].lower()
    else:
        assert body.tag == "errors"
        assert body.find("error/code").text == str(status)
        assert words.lower() in body.find("error/description").text.lower()
    assert ServiceRequest.objects.count() == 0


def test_malformed_json_body(client, front_door, key):
    response = client.post(f"{BASE}/requests.json", "{nope", content_type="application/json")
    assert response.status_code == 400
    assert response.json()[0]["description"] == "The body is not valid JSON"


def test_json_body_is_accepted(client, front_door, key):
    body = {"api_key": key, "service_code": "557", "lat": 52.0925, "long": -1.947, "description": "Hole",
            "attribute": {"size": "small"}}  # fmt: skip
    response = client.post(
        f"{BASE}/requests.json", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 201, response.content


@pytest.mark.parametrize("fmt", FORMATS)
def test_get_requests_filters(client, front_door, fmt):
    council = front_door.lead_organisation
    old = ServiceRequestFactory(council=council, status=Status.DONE)
    ServiceRequest.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=120))
    opened = ServiceRequestFactory(council=council)
    closed = ServiceRequestFactory(
        council=council, status=Status.DONE, lgsl_code=524, service_name="Missed bin"
    )

    def ids(**params):
        body = parse(client.get(f"{BASE}/requests.{fmt}", params), fmt)
        if fmt == "json":
            return {r["service_request_id"] for r in body}
        return {r.findtext("service_request_id") for r in body}

    assert ids() == {opened.reference, closed.reference}  # the last 90 days by default
    assert ids(status="open") == {opened.reference}
    assert ids(status="closed") == {closed.reference}
    assert ids(status="open,closed") == {opened.reference, closed.reference}
    assert ids(service_code="524") == {closed.reference}
    assert ids(service_request_id=f"{old.reference},{opened.reference}") == {
        old.reference,
        opened.reference,
    }
    start = (timezone.now() - timedelta(days=130)).strftime("%Y-%m-%dT%H:%M:%SZ")
    end = (timezone.now() - timedelta(days=100)).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    assert ids(start_date=start, end_date=end) == {old.reference}
    assert ids(jurisdiction_id=front_door.slug) == set()  # made outside the front door


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"start_date": "yesterday"}, 400),
        (
            {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"},
            400,
        ),  # over 90 days
        ({"start_date": "2026-06-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"}, 400),
        ({"status": "pending"}, 400),
        ({"service_code": "999"}, 404),
        ({"jurisdiction_id": "nowhere"}, 404),
    ],
)
def test_get_requests_bad_filters(client, db, params, status):
    response = client.get(f"{BASE}/requests.json", params)
    assert response.status_code == status
    assert response.json()[0]["code"] == status


def test_get_requests_at_most_1000_in_fixed_queries(
    client, front_door, django_assert_max_num_queries
):
    council = front_door.lead_organisation
    ServiceRequest.objects.bulk_create(
        [
            ServiceRequest(
                reference=f"FD-T{i:03d}-XXXX",
                lgsl_code=557,
                service_name="Pothole",
                council=council,
                description="d",
            )
            for i in range(30)
        ]
    )
    with django_assert_max_num_queries(2):
        assert len(client.get(f"{BASE}/requests.json").json()) == 30


@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_resources_are_404(client, db, fmt):
    for path in (f"requests/FD-NONE-NONE.{fmt}", f"services/999.{fmt}", f"tokens/abc.{fmt}"):
        response = client.get(f"{BASE}/{path}")
        assert response.status_code == 404
        parse(response, fmt)
    assert client.get(f"{BASE}/services.html").status_code == 404


def _elementtree_document(root, data):
    """What xml.etree writes for ``data`` (the oracle the writer must match byte for byte), with
    what XML cannot carry (a control character, a lone surrogate) as U+FFFD: ElementTree writes
    it as it is, an ill-formed document."""
    from partnering.frontdoor.open311 import NOT_XML, PLURALS, _text

    def into(parent, name, value):
        if isinstance(value, list):
            holder = ET.SubElement(parent, name)
            for item in value:
                into(holder, PLURALS.get(name, "item"), item)
        elif isinstance(value, dict):
            element = ET.SubElement(parent, name)
            for key, inner in value.items():
                into(element, key, inner)
        else:
            ET.SubElement(parent, name).text = NOT_XML.sub("\ufffd", _text(value))

    element = ET.Element(root)
    for key, inner in (
        ((PLURALS.get(root, "item"), item) for item in data)
        if isinstance(data, list)
        else data.items()
    ):
        into(element, key, inner)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(element, encoding="utf-8")


@pytest.mark.parametrize(
    ("root", "data"),
    [
        ("service_requests", []),
        ("errors", [{"code": 404, "description": "Unknown “x” & <y> > z"}]),
        (
            "service_requests",
            [
                {
                    "service_request_id": "FD-AAAA-BBBB",
                    "status_notes": "",
                    "lat": 52.0925,
                    "long": -1.947,
                    "expected_datetime": None,
                    "description": "Café\r\n\ttab ]]>",
                    "media_url": "https://x/?a=1&b=2",
                    "odd": "\ud800 lone surrogate, \x0b vertical tab",
                },
                {"service_request_id": "FD-CCCC-DDDD", "metadata": True, "other": False},
            ],
        ),
        (
            "service_definition",
            {
                "service_code": "557",
                "attributes": [
                    {
                        "code": "size",
                        "values": [
                            {"key": "large", "name": "Bigger than a dustbin lid"},
                            {"key": "", "name": "x"},
                        ],
                    },
                    {"code": "empty", "values": []},
                ],
                "nested": {},
            },
        ),
        ("discovery", {"endpoints": [{"formats": ["text/xml", "application/json"]}]}),
    ],
)
def test_the_xml_writer_writes_what_elementtree_writes(root, data):
    from partnering.frontdoor.open311 import xml_body

    assert xml_body(root, data) == _elementtree_document(root, data)
    ET.fromstring(xml_body(root, data))  # noqa: S314 - well-formed, whatever the text


@pytest.mark.parametrize("fmt", FORMATS)
def test_listed_requests_carry_the_photo_url_and_no_personal_data(client, front_door, fmt):
    council = front_door.lead_organisation
    with_photo = ServiceRequestFactory(
        council=council, photo=b"\xff\xd8", photo_type="image/jpeg", description="A & <b>"
    )
    ServiceRequestFactory(council=council, media_url="https://example.org/p.jpg")

    response = client.get(f"{BASE}/requests.{fmt}")

    body = parse(response, fmt)
    items = body if fmt == "json" else [{e.tag: e.text for e in r} for r in body]
    urls = {i["service_request_id"]: i["media_url"] for i in items}
    assert urls[with_photo.reference] == (
        f"http://testserver/frontdoor/track/{with_photo.reference}/photo.jpg"
    )
    assert "https://example.org/p.jpg" in urls.values()
    assert {i["description"] for i in items} >= {"A & <b>"}
    assert {i["agency_responsible"] for i in items} == {council.name}
    for private in (b"resident@example.com", b"Pat", b"Resident"):
        assert private not in response.content


@pytest.fixture
def queued_tasks(settings):
    """The production task backend: tasks are rows in the database."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    return DBTaskResult.objects


def test_a_post_is_a_fixed_few_queries(client, front_door, key, queued_tasks):
    """The key, its count, the directory's check, then the request, its first update, their
    history and the email task in one transaction (ten statements with its begin and commit):
    a new idempotency key is not read first."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    post(client, "json", key, headers={"Idempotency-Key": "warm-up"})  # this minute's count exists
    with CaptureQueriesContext(connection) as ctx:
        response = post(client, "json", key, headers={"Idempotency-Key": "counted"})
    assert response.status_code == 201
    assert len(ctx.captured_queries) <= 10, "\n".join(q["sql"][:120] for q in ctx.captured_queries)
    assert queued_tasks.count() == 2  # an email of each request's first update, queued


def test_a_new_idempotency_key_is_not_looked_up(client, front_door, key, queued_tasks):
    """A new key, the usual case, is found new by the unique constraint when the request is
    written, with no read of the key first."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = post(client, "json", key, headers={"Idempotency-Key": "fresh"})
    assert response.status_code == 201
    reads = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("SELECT")]
    assert not [sql for sql in reads if "idempotency_key" in sql.partition("WHERE")[2]], reads


def test_a_retry_writes_nothing_more(client, front_door, key, queued_tasks):
    """The retry is checked as a new request, its insert meets the key's unique constraint and is
    rolled back: the first request, its update, their history and its one email task stay as
    they were."""
    from partnering.frontdoor.models import RequestUpdate

    first = post(client, "json", key, headers={"Idempotency-Key": "again"})
    counts = (ServiceRequest.history.count(), RequestUpdate.history.count(), queued_tasks.count())
    retry = post(client, "json", key, headers={"Idempotency-Key": "again"})
    assert (first.status_code, retry.status_code) == (201, 200)
    assert retry.json()[0]["service_request_id"] == first.json()[0]["service_request_id"]
    assert "retry" in retry.json()[0]["service_notice"]
    assert ServiceRequest.objects.count() == 1 and RequestUpdate.objects.count() == 1
    after = (ServiceRequest.history.count(), RequestUpdate.history.count(), queued_tasks.count())
    assert after == counts == (1, 1, 1)


def test_the_email_is_queued_in_the_requests_own_transaction(front_door, queued_tasks):
    from django.db import transaction

    from partnering.frontdoor.services import RequestSpec, request_create

    spec = RequestSpec(lgsl_code=557, description="Hole", attributes={"size": ["small"]},
                       lat="52.0925", long="-1.947", email="resident@example.com")  # fmt: skip
    with pytest.raises(RuntimeError), transaction.atomic():
        request_create(spec=spec, actor=None)
        assert queued_tasks.count() == 1  # written with the request, not after its commit
        raise RuntimeError("the transaction fails")
    assert queued_tasks.count() == 0 and ServiceRequest.objects.count() == 0


def test_the_front_doors_in_memory_follow_a_council_leaving(client, front_door, key, councils):
    """The front doors are kept in memory; a change of membership is seen at once."""
    from partnering.partnerships.services import membership_end

    def missed_bin():
        fields = {"attribute[size]": None, "attribute[bin_type]": "general"}
        return post(client, "json", key, service_code="524", **fields)

    assert missed_bin().status_code == 201  # Wychavon empties the bins, through the front door
    wychavon = front_door.memberships.get(organisation=councils[WYCHAVON])
    membership_end(
        membership=wychavon,
        left_on=timezone.localdate() - timedelta(days=1),
        reason="Left the front door",
        actor=None,
    )

    refused = missed_bin()
    assert refused.status_code == 400
    assert "does not take requests through this front door" in refused.json()[0]["description"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_date_times_are_written_by_the_database_as_python_writes_them(client, front_door, fmt):
    """The database formats the date-times of a list; they read as Python's isoformat would."""
    from datetime import UTC, datetime

    council = front_door.lead_organisation
    row = ServiceRequestFactory(council=council)
    created = datetime(2026, 11, 30, 23, 59, 59, 999_999, tzinfo=UTC)  # midnight in London too
    expected = datetime(2026, 12, 1, 0, 0, 1, 500_000, tzinfo=UTC)
    ServiceRequest.objects.filter(pk=row.pk).update(created_at=created, expected_at=expected)
    row.refresh_from_db()
    params = {"start_date": "2026-11-30T00:00:00Z", "end_date": "2026-12-01T00:00:00Z"}

    body = parse(client.get(f"{BASE}/requests.{fmt}", params), fmt)

    item = body[0] if fmt == "json" else {e.tag: e.text for e in body[0]}
    assert item["requested_datetime"] == created.isoformat(timespec="seconds")
    assert item["requested_datetime"] == "2026-11-30T23:59:59+00:00"
    assert item["expected_datetime"] == "2026-12-01T00:00:01+00:00"
    assert item["updated_datetime"] == row.modified_at.astimezone(UTC).isoformat(timespec="seconds")


# --- Found by fuzzing against docs/open311.openapi.yaml (issue 16, part 1) ------------------


def first_error(response, fmt):
    """(code, description) of the first error of an answer in the spec's error format."""
    body = parse(response, fmt)
    if fmt == "json":
        return body[0]["code"], body[0]["description"]
    assert body.tag == "errors"
    return int(body.findtext("error/code")), body.findtext("error/description")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("media_url", ["\x05", "not a web address"])
def test_a_media_url_that_is_not_a_web_address_is_refused(client, front_door, key, fmt, media_url):
    """It answered 500: the model's URL check, after the service's own checks."""
    response = post(client, fmt, key, media_url=media_url)

    assert response.status_code == 400
    assert first_error(response, fmt) == (400, "media_url: Enter a valid URL.")
    assert ServiceRequest.objects.count() == 0


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_platforms_own_refusals_are_in_the_spec_format(client, key, settings, fmt):
    """A null byte, a body too large and a method pages do not take were refused with a GOV.UK
    page, which an Open311 client cannot read; the API and the pages keep their own."""
    from urllib.parse import urlencode

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    url = f"{BASE}/requests.{fmt}"
    form = urlencode({"api_key": key, "description": "x" * 2000})

    null_byte = client.get(url, {"service_code": "557\x00"})
    too_large = client.post(url, form, content_type="application/x-www-form-urlencoded")
    put = client.put(url)

    assert (null_byte.status_code, first_error(null_byte, fmt)[0]) == (400, 400)
    assert too_large.status_code == 413
    assert "too large" in first_error(too_large, fmt)[1]
    assert (put.status_code, first_error(put, fmt)[0]) == (405, 405)
    assert client.get("/frontdoor/", {"need": "x\x00"})["Content-Type"].startswith("text/html")
    api = client.get("/api/v1/frontdoor/services", {"q": "x\x00"})
    assert api.json()["code"] == "core.null_byte"


def test_xml_stays_well_formed_whatever_the_text(client, front_door, councils):
    """A control character (which XML 1.0 cannot carry) echoed from the URL, or in a resident's
    description, made the document ill-formed: for the list of requests, every client's."""
    ServiceRequestFactory(council=councils[WORCS], description="Deep\x0bpothole")

    echoed = client.get(f"{BASE}/requests/%05.xml")
    listed = client.get(f"{BASE}/requests.xml")
    as_json = client.get(f"{BASE}/requests.json")

    assert echoed.status_code == 404
    assert first_error(echoed, "xml") == (404, "Unknown service_request_id “\ufffd”")
    assert [r.findtext("description") for r in parse(listed, "xml")] == ["Deep\ufffdpothole"]
    assert [r["description"] for r in parse(as_json, "json")] == ["Deep\x0bpothole"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_json_body_with_an_unpaired_surrogate_is_refused(client, front_door, key, fmt):
    """``"\\ud800"`` is valid JSON but no UTF-8 text: it answered 500 (the database query)."""
    fields = {"api_key": key, "service_code": "557", "lat": 52.0925, "long": -1.947,
              "description": "Pothole", "jurisdiction_id": "SURROGATE"}  # fmt: skip
    body = json.dumps(fields).replace("SURROGATE", "\\ud800")

    response = client.post(f"{BASE}/requests.{fmt}", body, content_type="application/json")

    assert response.status_code == 400
    assert "unpaired surrogate" in first_error(response, fmt)[1]


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"start_date": "1096-06-15T08:42:40+23:15"}, 200),  # PostgreSQL takes offsets to 15:59
        ({"end_date": "2026-11-25T09:00:00-23:59"}, 200),
        ({"start_date": "0001-01-01T00:00:00+01:00"}, 400),  # in UTC, before the year 1
        ({"start_date": "9999-12-31T00:00:00Z"}, 400),  # its 90 days run past 9999
        ({"end_date": "0001-03-01T00:00:00Z"}, 400),  # its 90 days start before the year 1
    ],
)
def test_any_w3_date_time_is_answered(client, db, query, status):
    """Offsets the w3 note allows but PostgreSQL does not, and windows past the calendar's
    ends, answered 500 (found on PostgreSQL)."""
    response = client.get(f"{BASE}/requests.json", query)

    assert response.status_code == status
    if status == 400:
        assert "must be a w3 date-time" in first_error(response, "json")[1]
