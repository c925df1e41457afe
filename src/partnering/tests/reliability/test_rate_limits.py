"""Rate limits (issue 16, part 4): the API per key, per user and per address; public
submissions per address; 429 with Retry-After and the RateLimit headers; nothing saved when
refused; a failing cache never stops the service."""

import json
import re
from unittest import mock

import pytest
from django.core.cache import cache

from partnering.core import ratelimit
from partnering.core.services import api_key_create
from partnering.core.tests.factories import UserFactory
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.models import Partnership

pytestmark = pytest.mark.django_db

ORGANISATIONS = "/api/v1/organisations/"
PARTNERSHIPS = "/api/v1/partnerships/"


@pytest.fixture(autouse=True)
def _fresh_counts():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def limits(settings):
    """Small limits for these tests (the test settings' are far above what tests send)."""

    def set_limits(**policies):
        settings.RATE_LIMITS = {**settings.RATE_LIMITS, **policies}

    return set_limits


def bearer(user, name="limits"):
    return {"Authorization": f"Bearer {api_key_create(name=name, actor=user)[1]}"}


def policy_header(response):
    return dict(
        re.fullmatch(r'"(?P<name>\w+)";q=(?P<q>\d+);w=(?P<w>\d+)', response["RateLimit-Policy"])
        .groupdict()
        .items()
    )


def test_every_api_response_says_the_limit_and_what_is_left(client, limits):
    limits(api_anonymous=(5, 60))

    responses = [client.get(ORGANISATIONS) for _ in range(3)]

    assert [r.status_code for r in responses] == [200, 200, 200]
    assert policy_header(responses[0]) == {"name": "api_anonymous", "q": "5", "w": "60"}
    assert [r["RateLimit-Remaining"] for r in responses] == ["4", "3", "2"]
    assert [r["RateLimit-Limit"] for r in responses] == ["5", "5", "5"]
    assert re.fullmatch(r'"api_anonymous";r=2;t=\d+', responses[2]["RateLimit"])
    assert 1 <= int(responses[2]["RateLimit-Reset"]) <= 60
    assert "Retry-After" not in responses[2]


def test_over_the_limit_the_api_answers_429_json_with_retry_after(client, limits):
    limits(api_anonymous=(2, 60))
    client.get(ORGANISATIONS)
    client.get(ORGANISATIONS)

    response = client.get(ORGANISATIONS)

    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "core.rate_limited"
    assert body["detail"].startswith("Too many requests: at most 2 in 60 seconds. Try again in")
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response["Retry-After"] == response["RateLimit-Reset"]
    assert response["RateLimit-Remaining"] == "0"


def test_each_api_key_has_its_own_allowance(client, limits):
    limits(api_key=(2, 60), api_anonymous=(100, 60))
    first, second = UserFactory(), UserFactory()
    first_key, second_key = bearer(first), bearer(second)
    for _ in range(2):
        assert client.get(ORGANISATIONS, headers=first_key).status_code == 200

    assert client.get(ORGANISATIONS, headers=first_key).status_code == 429
    other = client.get(ORGANISATIONS, headers=second_key)
    assert other.status_code == 200
    assert policy_header(other)["name"] == "api_key"
    assert client.get(ORGANISATIONS).status_code == 200  # anonymous callers are counted apart


def test_two_keys_of_one_person_are_counted_apart(client, limits):
    limits(api_key=(1, 60))
    person = UserFactory()
    one, two = bearer(person, "one"), bearer(person, "two")

    assert client.get(ORGANISATIONS, headers=one).status_code == 200
    assert client.get(ORGANISATIONS, headers=one).status_code == 429
    assert client.get(ORGANISATIONS, headers=two).status_code == 200


def test_anonymous_callers_are_counted_per_address(client, limits):
    limits(api_anonymous=(1, 60))

    assert client.get(ORGANISATIONS, REMOTE_ADDR="10.1.1.1").status_code == 200
    assert client.get(ORGANISATIONS, REMOTE_ADDR="10.1.1.1").status_code == 429
    assert client.get(ORGANISATIONS, REMOTE_ADDR="10.1.1.2").status_code == 200


def test_behind_a_proxy_the_clients_address_is_counted(client, limits, settings):
    settings.PROXY_COUNT = 1
    limits(api_anonymous=(1, 60))
    via = {"REMOTE_ADDR": "10.0.0.254"}  # the load balancer

    assert client.get(ORGANISATIONS, HTTP_X_FORWARDED_FOR="203.0.113.5", **via).status_code == 200
    assert client.get(ORGANISATIONS, HTTP_X_FORWARDED_FOR="203.0.113.6", **via).status_code == 200
    assert client.get(ORGANISATIONS, HTTP_X_FORWARDED_FOR="203.0.113.5", **via).status_code == 429


def test_a_refused_api_write_saves_nothing(client, limits):
    limits(api_key=(1, 60))
    lead = OrganisationFactory()
    member = UserFactory(organisations=[lead])
    key = bearer(member)
    body = {"name": "Limited", "reference": "RL-1", "purpose": "x", "lead_organisation": lead.slug}
    client.get(ORGANISATIONS, headers=key)  # uses the allowance

    response = client.post(
        PARTNERSHIPS, data=json.dumps(body), content_type="application/json", headers=key
    )

    assert response.status_code == 429
    assert not Partnership.objects.filter(reference="RL-1").exists()


def test_public_submissions_are_limited_per_address_with_a_govuk_page(client, limits):
    limits(public_write=(2, 600))
    for _ in range(2):
        response = client.post("/frontdoor/", {"need": "bins", "place": "WR11"})
        assert response.status_code != 429
        assert response["RateLimit-Policy"] == '"public_write";q=2;w=600'

    response = client.post("/frontdoor/", {"need": "bins", "place": "WR11"})

    assert response.status_code == 429
    html = response.content.decode()
    assert "Sorry, there have been too many requests from you" in html
    assert "govuk-template" in html
    assert "Nothing you sent this time was saved" in html
    assert 1 <= int(response["Retry-After"]) <= 600
    assert client.post("/frontdoor/", {"need": "x"}, REMOTE_ADDR="10.2.2.2").status_code != 429


def test_signed_in_page_writes_are_counted_per_person(client, limits):
    limits(user_write=(1, 60), public_write=(100, 600))
    person = UserFactory()
    client.force_login(person)

    assert client.post("/account/", {"name": ""}).status_code == 200
    refused = client.post("/account/", {"name": "Second key"})

    assert refused.status_code == 429
    assert refused["RateLimit-Policy"] == '"user_write";q=1;w=60'
    assert not person.api_keys.filter(name="Second key").exists()


def test_reading_pages_is_not_counted(client, limits):
    limits(public_write=(1, 600))

    for _ in range(3):
        response = client.get("/organisations/")
        assert response.status_code == 200
        assert "RateLimit-Policy" not in response


def test_sign_in_is_left_to_the_lock_out(client, limits):
    """django-axes limits sign-in per account and address with its own page."""
    limits(public_write=(1, 600))
    UserFactory(username="officer")

    for _ in range(3):
        response = client.post("/sign-in/", {"username": "officer", "password": "wrong"})
        assert response.status_code == 200
        assert "RateLimit-Policy" not in response


def test_a_failing_cache_lets_requests_through_and_says_so_in_the_log(client, limits, caplog):
    limits(api_anonymous=(1, 60))
    from django.core.cache import caches

    broken = caches["default"]
    with mock.patch.object(type(broken), "add", side_effect=ConnectionError("cache down")):
        responses = [client.get(ORGANISATIONS) for _ in range(3)]

    assert [r.status_code for r in responses] == [200, 200, 200]
    assert "RateLimit-Policy" not in responses[0]
    assert "Rate limit not counted: the cache failed" in caplog.text


def test_a_new_window_starts_a_new_count(limits):
    limits(api_anonymous=(1, 60))

    first = ratelimit.hit("api_anonymous", "ip:x", now=120.0)
    second = ratelimit.hit("api_anonymous", "ip:x", now=150.5)
    third = ratelimit.hit("api_anonymous", "ip:x", now=180.0)

    assert (first.allowed, second.allowed, third.allowed) == (True, False, True)
    assert second.reset == 30
    assert second.headers()["Retry-After"] == "30"


def test_the_openapi_document_declares_429_on_every_operation(client):
    schema = client.get("/api/openapi.json").json()

    missing = [
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if "429" not in operation["responses"]
    ]
    assert missing == []


def test_production_counts_in_a_cache_every_app_server_shares():
    """The production settings' cache is the database's (its table made by migrate)."""
    import subprocess
    import sys

    from partnering.core.tests.test_settings import GOOD_KEY, REPO, clean_env

    out = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings; "
         "print(settings.CACHES['default']['BACKEND'], settings.CACHES['default']['LOCATION'])"],
        cwd=REPO, env=clean_env(SECRET_KEY=GOOD_KEY), capture_output=True, text=True,
        timeout=120, check=True,
    )  # fmt: skip
    assert out.stdout.split() == ["django.core.cache.backends.db.DatabaseCache", "partnering_cache"]

    from django.db import connection

    assert "partnering_cache" in connection.introspection.table_names()


def test_the_front_doors_own_limit_counts_the_client_behind_a_proxy(rf, settings):
    from partnering.frontdoor.ratelimit import check

    settings.PROXY_COUNT = 1
    settings.FRONTDOOR_RATE_LIMITS = {"form": (1, 60)}

    def sent_from(address):
        request = rf.post("/", REMOTE_ADDR="10.0.0.254", HTTP_X_FORWARDED_FOR=address)
        return check(request, scope="form")[0]

    assert [sent_from("203.0.113.5"), sent_from("203.0.113.6"), sent_from("203.0.113.5")] == [
        True, True, False,
    ]  # fmt: skip


# --- sizes --------------------------------------------------------------------------------


def test_an_api_body_over_the_limit_is_a_json_413_before_it_is_read(client):
    body = json.dumps({"name": "x" * 3_000_000})

    response = client.post(PARTNERSHIPS, data=body, content_type="application/json")

    assert response.status_code == 413
    assert response.json() == {
        "detail": "What you sent is too large: at most 2.5 MB in one go.",
        "code": "core.too_large",
        "field": None,
    }


def test_an_upload_over_the_limit_is_a_govuk_413(client, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MAX_REQUEST_BYTES = 1024 * 1024
    photo = SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * (1024 * 1024), "image/jpeg")

    response = client.post("/frontdoor/", {"need": "bins", "photo": photo})

    assert response.status_code == 413
    html = response.content.decode()
    assert "What you sent is too large: at most 1 MB in one go." in html
    assert "govuk-template" in html


def test_an_upload_under_the_limit_reaches_the_form(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    photo = SimpleUploadedFile("small.jpg", b"\xff\xd8" + b"0" * 1000, "image/jpeg")

    assert client.post("/frontdoor/", {"need": "bins", "photo": photo}).status_code == 200
