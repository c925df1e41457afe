"""Issue 16 part 3: an email is sent once, whatever fails: claimed in a committed transaction
first, sent holding no lock, marked sent after (``core.services.email_send_once``)."""

import smtplib
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import OperationalError, connection
from django.utils import timezone

from partnering.core import services
from partnering.core.models import EmailSend, EmailState
from partnering.core.services import (
    EMAIL_MAX_ATTEMPTS,
    Email,
    Sent,
    email_message_id,
    email_send_once,
    emails_given_up,
    emails_unsent,
)

pytestmark = pytest.mark.django_db
EMAIL = Email(subject="Hello", body="Once only", to=["r@example.com"])


def send(key="test.email:1", marks=None):
    return email_send_once(
        key=key, email=EMAIL, on_sent=lambda: [] if marks is None else marks.append(key)
    )


def refuse(*args, **kwargs):
    raise smtplib.SMTPConnectError(421, "down")


def test_sent_once_with_a_message_id_from_its_key():
    marks = []
    assert send(marks=marks) == Sent.SENT
    assert send(marks=marks) == Sent.ALREADY_SENT
    assert len(mail.outbox) == 1 and marks == ["test.email:1"]
    message_id = mail.outbox[0].message()["Message-ID"]
    assert message_id == email_message_id("test.email:1") == email_message_id("test.email:1")
    assert message_id.startswith("<test.email.1.") and message_id.endswith("@example.gov.uk>")
    assert email_message_id("test.email:2") != message_id
    row = EmailSend.objects.get()
    assert (row.state, row.attempts, row.sent_at is not None) == (EmailState.SENT, 1, True)


def test_a_database_failure_after_the_send_is_not_sent_again(monkeypatch):
    def database_gone(key, on_sent):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(services, "_email_mark_sent", database_gone)
    with pytest.raises(OperationalError):
        send()
    monkeypatch.undo()

    assert send() == Sent.IN_FLIGHT  # the retry: the relay had it, so no second message
    assert len(mail.outbox) == 1
    assert EmailSend.objects.get().state == EmailState.CLAIMED


def test_a_failed_send_releases_the_claim_and_the_next_attempt_sends(monkeypatch):
    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    with pytest.raises(smtplib.SMTPConnectError):
        send()
    row = EmailSend.objects.get()
    assert (row.state, row.attempts) == (EmailState.FAILED, 1)
    assert "SMTPConnectError" in row.last_error
    monkeypatch.undo()

    assert send() == Sent.SENT
    row.refresh_from_db()
    assert (row.state, row.attempts, row.last_error) == (EmailState.SENT, 2, "")
    assert len(mail.outbox) == 1


def test_a_stale_claim_is_reported_and_sent_by_the_next_attempt(caplog):
    claimed = timezone.now() - services.EMAIL_CLAIM_STALE - timedelta(seconds=1)
    EmailSend.objects.create(key="test.email:1", state=EmailState.CLAIMED, attempts=1,
                             claimed_at=claimed)  # fmt: skip
    assert [u.key for u in emails_unsent(prefix="test.email:")] == ["test.email:1"]
    assert "never reached sent" in caplog.text

    assert send() == Sent.SENT
    assert len(mail.outbox) == 1 and EmailSend.objects.get().attempts == 2


def test_the_sweep_lists_failed_and_stale_claims_only_and_gives_up_after_the_attempts():
    now, old = timezone.now(), timezone.now() - timedelta(hours=1)
    rows = {"failed": (EmailState.FAILED, 1, now), "stale": (EmailState.CLAIMED, 1, old),
            "fresh": (EmailState.CLAIMED, 1, now), "sent": (EmailState.SENT, 1, old),
            "spent": (EmailState.FAILED, EMAIL_MAX_ATTEMPTS, old),
            "other": (EmailState.FAILED, 1, old)}  # fmt: skip
    for name, (state, attempts, at) in rows.items():
        key = f"elsewhere:{name}" if name == "other" else f"test.email:{name}"
        EmailSend.objects.create(key=key, state=state, attempts=attempts, claimed_at=at)

    assert [u.key for u in emails_unsent(prefix="test.email:")] == [
        "test.email:stale",
        "test.email:failed",
    ]
    assert emails_given_up(prefix="test.email:") == ["test.email:spent"]


def test_an_attempt_while_another_is_sending_sends_nothing(monkeypatch):
    during = []
    deliver = EmailBackend.send_messages

    def slow_relay(self, messages):
        during.append(send())  # a second worker runs the same email meanwhile
        return deliver(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", slow_relay)
    assert send() == Sent.SENT
    assert during == [Sent.IN_FLIGHT]
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_attempts_on_two_connections_send_once(monkeypatch):
    """Two threads, each with its own database connection, race for one key (PostgreSQL: the
    unique key makes the second insert wait for the first and fail; SQLite: one writer)."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent connections need PostgreSQL")
    start = threading.Barrier(2)
    deliver, outcomes = EmailBackend.send_messages, []

    def slow_relay(self, messages):
        threading.Event().wait(0.3)
        return deliver(self, messages)

    def attempt():
        try:
            start.wait()
            outcomes.append(send())
        finally:
            connection.close()

    monkeypatch.setattr(EmailBackend, "send_messages", slow_relay)
    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == [Sent.IN_FLIGHT, Sent.SENT]
    assert len(mail.outbox) == 1
