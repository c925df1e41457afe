"""Writes for users' own things: API keys; putting interrupted background tasks back in the
queue; sending an email once (``email_send_once``)."""

from __future__ import annotations

import hashlib
import logging
import re
import smtplib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from .audit import audited_save
from .errors import DomainError
from .models import ApiKey, EmailSend, EmailState, User

logger = logging.getLogger(__name__)

MAX_ACTIVE_KEYS = 10


@transaction.atomic
def api_key_create(*, name: str, actor: User) -> tuple[ApiKey, str]:
    """Create a key for ``actor``; returns the key and the raw secret (shown to the user once)."""
    if ApiKey.objects.filter(user=actor, revoked_at__isnull=True).count() >= MAX_ACTIVE_KEYS:
        raise DomainError(
            "core.api_key.too_many",
            f"You already have {MAX_ACTIVE_KEYS} active keys. Revoke one before creating another.",
            field="name",
        )
    raw, prefix, key_hash = ApiKey.generate()
    key = ApiKey(user=actor, name=name.strip(), prefix=prefix, key_hash=key_hash)
    key.full_clean()
    audited_save(key, actor=actor, reason="API key created")
    return key, raw


@transaction.atomic
def api_key_revoke(*, key: ApiKey, actor: User) -> ApiKey:
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        audited_save(key, actor=actor, reason="API key revoked")
    return key


def interrupted_tasks_requeue(*, worker_id: str) -> int:
    """Put back in the queue the tasks a worker was running when it died (kill -9, a lost
    machine): django-tasks' database backend leaves them ``RUNNING`` for ever otherwise, and
    their work is never done. Run it as that worker starts again, with the worker's own stable
    id, before ``db_worker --worker-id ID``: a task whose last claim is that id is then not
    running anywhere. Tasks are written to be safe to run again (an email is claimed before it is
    sent: ``email_send_once``); that worker's email claims are released with them, so the
    requeued tasks send at once. Returns how many were put back."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    with transaction.atomic():
        stuck = [
            row.pk
            for row in DBTaskResult.objects.select_for_update().filter(
                status=TaskResultStatus.RUNNING
            )
            if row.worker_ids and row.worker_ids[-1] == worker_id
        ]
        released = _claims_release(
            EmailSend.objects.filter(claimed_by=worker_id), f"worker {worker_id} died mid-send"
        )
        if released:  # its requeued task sends them at once, not after EMAIL_CLAIM_STALE
            logger.warning(
                "Worker %s died holding %s email claim(s): released, to be sent again (a copy if "
                "it died after the relay accepted and before the mark)", worker_id, released,
            )  # fmt: skip
        return DBTaskResult.objects.filter(pk__in=stuck).update(
            status=TaskResultStatus.READY, started_at=None
        )


# --- sending an email once ---------------------------------------------------------------------

#: A claim older than this that never reached "sent" is taken to be a crashed attempt: it is
#: reported, and the next attempt (a sweep, a re-run) sends again. It must be longer than a send
#: can take (``EMAIL_TIMEOUT`` bounds each SMTP step).
EMAIL_CLAIM_STALE = timedelta(minutes=getattr(settings, "EMAIL_CLAIM_STALE_MINUTES", 5))
#: A sweep stops re-queueing an email after this many failed sends (it stays reported).
EMAIL_MAX_ATTEMPTS = getattr(settings, "EMAIL_MAX_ATTEMPTS", 5)
#: Marking an email sent is retried while the database is away (a restart takes seconds), so a
#: message the relay accepted is not left unmarked: 12 tries, 5 s apart.
MARK_TRIES, MARK_PAUSE_S = 12, 5.0

SEND_ERRORS = (OSError, smtplib.SMTPException)

#: The task workers' ids of the tasks this thread is running (django-tasks' signals), so a
#: claim records whose it is and ``interrupted_tasks_requeue`` can release a dead worker's.
_attempts = threading.local()


def task_attempt_started(sender: Any, task_result: Any, **kwargs: Any) -> None:
    stack = _attempts.__dict__.setdefault("workers", [])
    stack.append(task_result.worker_ids[-1] if task_result.worker_ids else "")


def task_attempt_finished(sender: Any, task_result: Any, **kwargs: Any) -> None:
    stack = _attempts.__dict__.get("workers") or []
    if stack:
        stack.pop()


def _current_worker() -> str:
    stack = _attempts.__dict__.get("workers") or []
    return str(stack[-1])[:64] if stack else ""


class Sent:
    """What ``email_send_once`` did: one of these strings."""

    SENT = "sent"
    ALREADY_SENT = "already sent"
    IN_FLIGHT = "claimed elsewhere"


@dataclass
class Email:
    subject: str
    body: str
    to: list[str]


def email_message_id(key: str) -> str:
    """The Message-ID of the email with ``key``: the same for every attempt, so a message sent
    again is recognisably the same one (mail clients and relays can drop the copy)."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("> ") or "localhost"
    readable = re.sub(r"[^A-Za-z0-9.-]+", ".", key).strip(".")[:80]
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return f"<{readable}.{digest}@{domain}>"


def email_send_once(
    *, key: str, email: Email, on_sent: Callable[[], Any], connection: Any = None
) -> str:
    """Send ``email`` once for ``key``, however often and wherever this is called.

    1. Claim ``key`` in a transaction of its own (committed before the send; a unique key, so two
       attempts cannot both claim it). A key already sent, or claimed by another attempt less
       than ``EMAIL_CLAIM_STALE`` ago, is skipped. The claim names the task worker running it:
       ``interrupted_tasks_requeue`` releases the claims of a worker that died.
    2. Send, holding no transaction and no lock, with ``email_message_id(key)``.
    3. In one transaction: ``on_sent()`` (the room's own record, e.g. ``emailed_at``) and the
       claim marked sent, retried while the database is away.

    A failed send (``OSError``, ``SMTPException``) releases the claim (state failed, attempts
    counted) and is raised. The one way a message can go twice: an attempt dies (or the
    database stays away past the retries) between the relay accepting it and step 3, and a later
    attempt takes the claim when it is stale. Called inside an outer transaction (tests, where
    tasks run at once) the claim commits with that transaction."""
    if not _email_claim(key):
        row = EmailSend.objects.get(key=key)
        return Sent.ALREADY_SENT if row.state == EmailState.SENT else Sent.IN_FLIGHT
    message = EmailMessage(
        subject=email.subject, body=email.body, to=email.to, connection=connection,
        headers={"Message-ID": email_message_id(key)},
    )  # fmt: skip
    try:
        message.send()
    except SEND_ERRORS as exc:
        _claims_release(EmailSend.objects.filter(key=key), f"{type(exc).__name__}: {exc}")
        raise
    _email_mark_sent_retried(key, on_sent)
    return Sent.SENT


def _claims_release(rows: Any, error: str) -> int:
    """Give up the claims among ``rows`` (state failed, to be sent again), saying why."""
    return int(
        rows.filter(state=EmailState.CLAIMED).update(
            state=EmailState.FAILED, claimed_by="", last_error=error[:300]
        )
    )


def _email_claim(key: str) -> bool:
    """Claim ``key`` for this attempt, committed; False if it is sent or freshly claimed."""
    now = timezone.now()
    with transaction.atomic():
        try:
            with transaction.atomic():
                EmailSend.objects.create(
                    key=key, state=EmailState.CLAIMED, attempts=1, claimed_at=now,
                    claimed_by=_current_worker(),
                )  # fmt: skip
            return True
        except IntegrityError:
            pass
        row = EmailSend.objects.select_for_update().get(key=key)
        if row.state == EmailState.SENT:
            return False
        if row.state == EmailState.CLAIMED:
            if row.claimed_at > now - EMAIL_CLAIM_STALE:
                return False
            logger.warning(
                "Email %s was claimed at %s and never marked sent: sending it again (a copy "
                "if the relay had accepted it)", key, row.claimed_at.isoformat(),
            )  # fmt: skip
        row.state, row.claimed_at, row.attempts = EmailState.CLAIMED, now, row.attempts + 1
        row.claimed_by = _current_worker()
        row.save(update_fields=["state", "claimed_at", "attempts", "claimed_by"])
        return True


def _email_mark_sent(key: str, on_sent: Callable[[], Any]) -> None:
    with transaction.atomic():
        on_sent()
        EmailSend.objects.filter(key=key).update(
            state=EmailState.SENT, sent_at=timezone.now(), last_error="", claimed_by=""
        )


def _email_mark_sent_retried(key: str, on_sent: Callable[[], Any]) -> None:
    """The relay has the message: mark it sent, waiting out a database restart if need be."""
    connection = transaction.get_connection()
    for attempt in range(1, MARK_TRIES + 1):
        try:
            _email_mark_sent(key, on_sent)
            return
        except DatabaseError:
            if connection.in_atomic_block or attempt == MARK_TRIES:
                logger.error("Email %s was sent and could not be marked sent", key)
                raise
            logger.warning(
                "Email %s sent; marking it sent failed (try %s): trying again", key, attempt
            )
            connection.close()
            time.sleep(MARK_PAUSE_S)


def emails_unsent(*, prefix: str, now: datetime | None = None) -> list[EmailSend]:
    """The emails under ``prefix`` to send again: failed ones with attempts left, and claims
    older than ``EMAIL_CLAIM_STALE`` that never reached sent (a crashed attempt: each is logged,
    as sending it again doubles it if the relay had accepted it). Oldest first."""
    now = now or timezone.now()
    rows = EmailSend.objects.filter(key__startswith=prefix, attempts__lt=EMAIL_MAX_ATTEMPTS)
    failed = rows.filter(state=EmailState.FAILED)
    stale = rows.filter(state=EmailState.CLAIMED, claimed_at__lt=now - EMAIL_CLAIM_STALE)
    unsent = list((failed | stale).order_by("claimed_at"))
    for row in unsent:
        if row.state == EmailState.CLAIMED:
            logger.warning("Email %s claimed at %s never reached sent", row.key, row.claimed_at)
    return unsent


def emails_given_up(*, prefix: str) -> list[str]:
    """The keys under ``prefix`` that failed ``EMAIL_MAX_ATTEMPTS`` times: no sweep sends them."""
    return list(
        EmailSend.objects.filter(key__startswith=prefix, attempts__gte=EMAIL_MAX_ATTEMPTS)
        .exclude(state=EmailState.SENT)
        .order_by("claimed_at")
        .values_list("key", flat=True)
    )
