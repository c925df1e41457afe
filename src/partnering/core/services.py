"""Writes for users' own things: API keys."""

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
