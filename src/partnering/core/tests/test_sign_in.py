"""Sign-in and sessions (issue 8, part 7): lock-out after repeated failures per account and per
address with an audit record, sessions that end after 30 minutes idle and 12 hours at most."""

import time

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings

from partnering.core.middleware import LAST_SEEN, SIGNED_IN_AT
from partnering.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SIGN_IN = "/sign-in/"


@pytest.fixture
def person():
    return UserFactory(username="officer")


def sign_in(client, username, password, address="10.0.0.1"):
    return client.post(SIGN_IN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_an_account_is_locked_after_repeated_failures_even_with_the_right_password(client, person):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "officer", "wrong").status_code == 200
    assert sign_in(client, "officer", "wrong").status_code == 429  # the fifth failure locks

    response = sign_in(client, "officer", "password", address="10.9.9.9")

    assert response.status_code == 429
    html = response.content.decode()
    assert "Sign-in is locked for now" in html
    assert "govuk-template" in html
    assert "_auth_user_id" not in client.session


def test_an_address_is_locked_after_failures_across_accounts(client, person):
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, f"guess-{n}", "wrong", address="10.0.0.7")

    assert sign_in(client, "officer", "password", address="10.0.0.7").status_code == 429
    assert sign_in(client, "officer", "password", address="10.0.0.8").status_code == 302


def test_failed_sign_ins_are_recorded(client, person):
    sign_in(client, "officer", "wrong", address="10.0.0.3")

    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address, attempt.failures_since_start) == (
        "officer",
        "10.0.0.3",
        1,
    )
    assert AccessFailureLog.objects.filter(username="officer").exists()


def test_a_good_sign_in_clears_the_failures(client, person):
    sign_in(client, "officer", "wrong")

    assert sign_in(client, "officer", "password").status_code == 302
    assert not AccessAttempt.objects.filter(username="officer").exists()


def test_the_sign_in_page_warns_of_the_time_limits(client):
    html = client.get(SIGN_IN).content.decode()

    assert "signed out after 30 minutes without activity" in html
    assert "12 hours after you sign in" in html


def _age_session(client, **seconds_ago):
    session = client.session
    now = int(time.time())
    for key, ago in seconds_ago.items():
        session[{"last_seen": LAST_SEEN, "signed_in_at": SIGNED_IN_AT}[key]] = now - ago
    session.save()


def test_a_session_ends_after_30_minutes_without_activity(client, person):
    client.force_login(person)
    _age_session(client, last_seen=31 * 60)

    response = client.get("/account/")

    assert response.status_code == 302
    assert response["Location"] == f"{SIGN_IN}?next=/account/"
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "You were signed out after 30 minutes without activity" in page


def test_activity_keeps_a_session_going(client, person):
    client.force_login(person)
    _age_session(client, last_seen=29 * 60, signed_in_at=29 * 60)

    assert client.get("/account/").status_code == 200
    assert client.session[LAST_SEEN] >= int(time.time()) - 5


def test_a_session_ends_12_hours_after_signing_in_however_active(client, person):
    client.force_login(person)
    _age_session(client, last_seen=10, signed_in_at=12 * 3600 + 60)

    response = client.get("/account/")

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_session_cookie_lasts_12_hours_at_most(client, person):
    response = client.post(SIGN_IN, {"username": "officer", "password": "password"})

    assert response.cookies["sessionid"]["max-age"] == 12 * 3600


def test_behind_a_proxy_the_lock_out_counts_the_clients_address(client, person, settings):
    settings.PROXY_COUNT = 1
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(SIGN_IN, {"username": f"guess-{n}", "password": "x"},
                    REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")  # fmt: skip

    other_client = client.post(SIGN_IN, {"username": "officer", "password": "password"},
                               REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.4")  # fmt: skip
    assert other_client.status_code == 302  # the proxy's address is not locked
    assert AccessAttempt.objects.filter(ip_address="203.0.113.9").exists()


def test_any_request_counts_as_activity(client, person):
    """What the warning's "Stay signed in" button relies on."""
    client.force_login(person)
    _age_session(client, last_seen=25 * 60)

    client.get("/healthz")

    assert client.session[LAST_SEEN] >= int(time.time()) - 5
