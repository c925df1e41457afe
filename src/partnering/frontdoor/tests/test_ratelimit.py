"""The front door's own rate limits: Open311 POSTs per integrator key (each key's allowance),
not core's per-address page-write limit; counts in one table, windows forgotten when they end."""

import pytest
from django.core.management import CommandError, call_command

from partnering.core.errors import DomainError
from partnering.frontdoor import ratelimit, services
from partnering.frontdoor.models import Open311Key, RateCount, ServiceRequest

from .factories import make_key

BASE = "/open311/v2"


def pothole(key, **fields):
    return {"api_key": key, "service_code": "557", "lat": "52.0925", "long": "-1.9470",
            "description": "Pothole", "attribute[size]": "small", **fields}  # fmt: skip


def test_open311_posts_are_not_counted_as_public_page_writes(client, front_door, settings):
    """Core limits a public address to a few page writes in ten minutes; an integrator with a
    key sending requests from one address is counted by its key instead."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "public_write": (1, 600)}
    key = make_key()[1]

    answers = [client.post(f"{BASE}/requests.json", pothole(key)) for _ in range(3)]

    assert [a.status_code for a in answers] == [201, 201, 201]
    assert answers[0]["RateLimit-Policy"] == '"frontdoor_open311";q=600;w=60'
    assert client.post("/frontdoor/", {"need": "bins"}).status_code == 200
    assert client.post("/frontdoor/", {"need": "bins"}).status_code == 429  # pages still are


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_ordinary_key_over_its_allowance_is_refused_in_the_spec_format(
    client, front_door, settings, fmt
):
    settings.FRONTDOOR_RATE_LIMITS = {"open311": (2, 60)}
    key = make_key()[1]
    for _ in range(2):
        assert client.post(f"{BASE}/requests.{fmt}", pothole(key)).status_code == 201

    refused = client.post(f"{BASE}/requests.{fmt}", pothole(key))

    assert refused.status_code == 429
    assert b"429" in refused.content and b"Retry-After" in refused.content
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused["RateLimit-Remaining"] == "0"
    assert ServiceRequest.objects.count() == 2
    other = make_key("Another app")[1]
    assert client.post(f"{BASE}/requests.{fmt}", pothole(other)).status_code == 201


def test_a_back_office_key_has_its_own_allowance(client, front_door, settings):
    settings.FRONTDOOR_RATE_LIMITS = {"open311": (1, 60)}
    row, key = services.open311_key_create(
        name="Wychavon back office", actor=None, requests_per_minute=3
    )

    answers = [client.post(f"{BASE}/requests.json", pothole(key)).status_code for _ in range(4)]

    assert answers == [201, 201, 201, 429]
    assert row.requests_per_minute == 3
    ordinary = make_key()[1]
    assert client.post(f"{BASE}/requests.json", pothole(ordinary)).status_code == 201
    assert client.post(f"{BASE}/requests.json", pothole(ordinary)).status_code == 429


@pytest.mark.parametrize("allowance", [0, -5, 600_001])
def test_an_allowance_out_of_range_is_refused(db, allowance):
    with pytest.raises(DomainError) as caught:
        services.open311_key_create(name="X", actor=None, requests_per_minute=allowance)
    assert caught.value.field == "requests_per_minute"
    assert not Open311Key.objects.exists()


def test_the_command_issues_a_key_with_its_allowance_once(client, front_door, capsys):
    call_command("open311_key", "Wychavon back office", "--per-minute", "6000")

    out = capsys.readouterr().out
    key = out.split(": ", 1)[1].split()[0]
    assert "6,000 POST requests a minute" in out
    row = Open311Key.objects.get()
    assert row.requests_per_minute == 6000 and row.key_hash == Open311Key.hash(key)
    assert key not in str(list(Open311Key.objects.values()))  # only its hash is kept
    answer = client.post(f"{BASE}/requests.json", pothole(key))
    assert answer.status_code == 201 and answer["RateLimit-Limit"] == "6000"
    with pytest.raises(CommandError, match="from 1 to"):
        call_command("open311_key", "Bad", "--per-minute", "0")


def test_the_standard_allowance_is_printed_for_an_ordinary_key(db, capsys):
    call_command("open311_key", "An app")
    assert "600 POST requests in 60 s (the standard allowance)" in capsys.readouterr().out


def test_windows_are_counted_apart_and_ended_ones_forgotten(rf, db):
    request = rf.post("/", REMOTE_ADDR="203.0.113.9")

    def allowed(now):
        return ratelimit.check(request, scope="form", allowance=(1, 60), now=now)[0]

    assert [allowed(120.0), allowed(150.5), allowed(180.0), allowed(239.0)] == [
        True, False, True, False,
    ]  # fmt: skip
    assert RateCount.objects.count() == 1  # the window that ended at 180 s was deleted
    assert "203.0.113.9" not in RateCount.objects.get().name  # the address is kept hashed
