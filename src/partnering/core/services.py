"""Writes for users' own things: API keys; putting interrupted background tasks back in the queue."""

from django.db import transaction
from django.utils import timezone

from .audit import audited_save
from .errors import DomainError
from .models import ApiKey, User

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
    running anywhere. Tasks are written to be safe to run again (an email is marked sent in the
    transaction that sends it). Returns how many were put back."""
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
        return DBTaskResult.objects.filter(pk__in=stuck).update(
            status=TaskResultStatus.READY, started_at=None
        )
