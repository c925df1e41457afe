"""Issue 16 part 3: tasks resume without loss or double effect. A resident's update email and an
action's reminder are sent once though the database fails after the mail relay accepted them
(found by ``make faults``: one email of 227 sent twice), a failed send is a FAILED task that the
sweep sends later, once, and two attempts at once send once."""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.db import OperationalError
from django_tasks import TaskResultStatus

from partnering.core.models import EmailSend, EmailState
from partnering.frontdoor import services
from partnering.frontdoor.models import RequestUpdate, Status
from partnering.frontdoor.tasks import email_update, resend_unsent_emails
from partnering.frontdoor.tests.factories import ServiceRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def update():
    """An update waiting for its email (made directly, so no task has run yet)."""
    request = ServiceRequestFactory(email="resident@example.com")
    return RequestUpdate.objects.create(request=request, status=Status.SCHEDULED, note="Monday")


def refuse(*args, **kwargs):
    raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def test_a_database_failure_after_the_relay_accepted_does_not_send_it_again(update, monkeypatch):
    """Failed before the claim: the email was sent and marked in one transaction, so the lost
    commit left it unmarked and the requeued task sent it a second time."""
    save = RequestUpdate.save

    def database_gone(self, *args, **kwargs):
        if kwargs.get("update_fields") == ["emailed_at"]:
            raise OperationalError("server closed the connection unexpectedly")
        return save(self, *args, **kwargs)

    monkeypatch.setattr(RequestUpdate, "save", database_gone)
    first = email_update.enqueue(update.pk)
    monkeypatch.undo()
    retry = email_update.enqueue(update.pk)  # the requeued task

    assert first.status == TaskResultStatus.FAILED
    assert retry.status == TaskResultStatus.SUCCESSFUL
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["resident@example.com"]


def test_an_unreachable_relay_fails_the_task_and_the_sweep_sends_it_once(update, monkeypatch):
    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    result = email_update.enqueue(update.pk)
    assert result.status == TaskResultStatus.FAILED  # was SUCCESSFUL, returning "failed"
    assert result.errors[0].exception_class_path == "smtplib.SMTPServerDisconnected"
    assert resend_unsent_emails.enqueue().return_value == {"requeued": 1, "stale": 0,
                                                           "given_up": 0}  # fmt: skip
    assert EmailSend.objects.get().attempts == 2  # still down: the sweep counts its attempt
    monkeypatch.undo()

    call_command("emails_resend", verbosity=0)
    call_command("emails_resend", verbosity=0)
    email_update.enqueue(update.pk)

    assert len(mail.outbox) == 1
    update.refresh_from_db()
    assert update.emailed_at is not None
    claim = EmailSend.objects.get(key=f"frontdoor.update:{update.pk}")
    assert (claim.state, claim.attempts) == (EmailState.SENT, 3)


def test_the_sweep_gives_up_after_the_attempts_and_says_so(update, monkeypatch):
    from django.core.management.base import CommandError

    from partnering.core.services import EMAIL_MAX_ATTEMPTS

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    email_update.enqueue(update.pk)
    for _ in range(EMAIL_MAX_ATTEMPTS):
        services.emails_unsent_requeue()
    assert EmailSend.objects.get().attempts == EMAIL_MAX_ATTEMPTS
    with pytest.raises(CommandError, match="1 update email"):
        call_command("emails_resend", verbosity=0)
    assert mail.outbox == []


def test_two_attempts_at_once_send_one_email(update, monkeypatch):
    during = []
    deliver = EmailBackend.send_messages

    def slow_relay(self, messages):
        during.append(services.update_email_send(update_id=update.pk))  # another worker
        return deliver(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", slow_relay)
    assert services.update_email_send(update_id=update.pk) == "sent"
    assert during == ["claimed elsewhere"]
    assert len(mail.outbox) == 1
    assert services.update_email_send(update_id=update.pk) == "already sent"


def test_a_stale_claim_is_sent_again_by_the_sweep(update):
    """A worker died between claim and send: the email waits for the sweep, which sends it
    once its claim is stale (a copy only if the relay had accepted it before the death)."""
    from django.utils import timezone

    from partnering.core.services import EMAIL_CLAIM_STALE

    claimed = timezone.now() - EMAIL_CLAIM_STALE - timedelta(seconds=1)
    EmailSend.objects.create(key=f"frontdoor.update:{update.pk}", state=EmailState.CLAIMED,
                             attempts=1, claimed_at=claimed)  # fmt: skip
    assert services.emails_unsent_requeue() == {"requeued": 1, "stale": 1, "given_up": 0}
    assert len(mail.outbox) == 1
    update.refresh_from_db()
    assert update.emailed_at is not None
    assert services.emails_unsent_requeue()["requeued"] == 0


def test_a_claim_names_the_task_worker_sending_it(update, monkeypatch):
    seen = []
    deliver = EmailBackend.send_messages

    def relay(self, messages):
        seen.append(EmailSend.objects.get().claimed_by)
        return deliver(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", relay)
    result = email_update.enqueue(update.pk)
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert seen == [result.worker_ids[-1]] and seen[0]
    assert EmailSend.objects.get().claimed_by == ""  # sent: nobody holds it


def test_a_worker_killed_mid_send_has_its_email_sent_once_its_task_is_requeued(update):
    """make faults kills the task worker while its task waits on the relay: the requeue that
    runs as the worker starts again releases that worker's claims, so the email goes at once
    (not 5 minutes later from the sweep); another worker's claim is left alone."""
    from datetime import datetime

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from partnering.core.services import interrupted_tasks_requeue

    now = timezone.now()
    DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING, started_at=now, run_after=datetime.max.replace(tzinfo=now.tzinfo),
        args_kwargs={"args": [update.pk], "kwargs": {}}, task_path="partnering.frontdoor.tasks.email_update",
        backend_name="default", worker_ids=["worker-1"],
    )  # fmt: skip
    EmailSend.objects.create(key=f"frontdoor.update:{update.pk}", state=EmailState.CLAIMED,
                             attempts=1, claimed_at=now, claimed_by="worker-1")  # fmt: skip
    EmailSend.objects.create(key="frontdoor.update:0", state=EmailState.CLAIMED, attempts=1,
                             claimed_at=now, claimed_by="worker-2")  # fmt: skip
    assert email_update.call(update.pk) == "claimed elsewhere"  # worker-1 may be sending it

    assert interrupted_tasks_requeue(worker_id="worker-1") == 1
    assert email_update.call(update.pk) == "sent"  # the requeued task

    assert len(mail.outbox) == 1
    claims = dict(EmailSend.objects.values_list("claimed_by", "state"))
    assert claims == {"": EmailState.SENT, "worker-2": EmailState.CLAIMED}
