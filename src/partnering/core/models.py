"""Users, roles and integrators' API keys."""

import hashlib
import secrets
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    STAFF = "staff", "Taskforce staff"
    ADVISER = "adviser", "Adviser"
    PARTNER = "partner", "Partner member"


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class User(AbstractUser):
    """A person who signs in. Members of the public never do: they are anonymous."""

    role = models.CharField(max_length=16, choices=Role.choices, default=Role.PARTNER)
    # ``user.organisations`` (the organisations a partner member works for) is declared by the
    # organisations room as ``Organisation.people``: core names no room.
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    @property
    def is_taskforce_staff(self) -> bool:
        return self.is_active and (self.role == Role.STAFF or self.is_superuser)

    @property
    def is_adviser(self) -> bool:
        return self.is_active and self.role == Role.ADVISER

    @property
    def is_partner_member(self) -> bool:
        return self.is_active and self.role == Role.PARTNER

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


def _hash_key(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode()).hexdigest()


class ApiKey(models.Model):
    """A per-user key for integrators. Only the hash is stored; the key is shown once."""

    PREFIX_LENGTH = 8

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=PREFIX_LENGTH, unique=True)
    key_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["key_hash", "last_used_at"])

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @staticmethod
    def generate() -> tuple[str, str, str]:
        """Return (raw key, prefix, hash). The raw key looks like ``sp_<prefix>_<secret>``."""
        prefix = secrets.token_hex(ApiKey.PREFIX_LENGTH // 2)
        raw = f"sp_{prefix}_{secrets.token_urlsafe(32)}"
        return raw, prefix, _hash_key(raw)

    @staticmethod
    def lookup(raw_key: str) -> "ApiKey | None":
        parts = raw_key.split("_", 2)
        if len(parts) != 3 or parts[0] != "sp":
            return None
        key = ApiKey.objects.select_related("user").filter(prefix=parts[1]).first()
        if key is None or not secrets.compare_digest(key.key_hash, _hash_key(raw_key)):
            return None
        return key

    def mark_used(self) -> None:
        ApiKey.objects.filter(pk=self.pk).update(last_used_at=timezone.now())


class IdempotencyKey(models.Model):
    """The first answer to an API POST sent with an ``Idempotency-Key`` header, per user and key.

    Stored in the database (not a process's memory) so a retry that reaches another app server
    still gets the first answer and creates nothing. Written in the same transaction as the
    write itself, so a key exists exactly when its write committed."""

    KEY_LENGTH = 255

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=KEY_LENGTH)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of method, path and body")
    status_code = models.PositiveSmallIntegerField(null=True)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(default=b"")
    location = models.CharField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="core_idempotency_key_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.status_code})"

    def store(self, response: Any) -> None:
        self.status_code = response.status_code
        self.content_type = response.get("Content-Type", "")
        self.body = bytes(response.content)
        self.location = response.get("Location", "")
        self.save(update_fields=["status_code", "content_type", "body", "location"])

    def replay(self, fingerprint: str) -> Any:
        from django.http import HttpResponse, JsonResponse

        if fingerprint != self.fingerprint:
            return JsonResponse(
                {
                    "detail": "This Idempotency-Key was already used for a different request",
                    "code": "core.idempotency_key_reused",
                    "field": "Idempotency-Key",
                },
                status=422,
            )
        response = HttpResponse(
            bytes(self.body), status=self.status_code or 200, content_type=self.content_type
        )
        if self.location:
            response["Location"] = self.location
        response["Idempotent-Replayed"] = "true"
        return response


class EmailState(models.TextChoices):
    CLAIMED = "claimed", "Claimed (being sent)"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed (to be sent again)"


class EmailSend(models.Model):
    """One email a room sends once, by its unique key (``frontdoor.update:<pk>``): claimed in a
    committed transaction before it is sent, marked sent after (``services.email_send_once``).

    No history of its own: like ``IdempotencyKey`` it is the machinery's record, and each room
    keeps its own audited record of what was sent (``RequestUpdate.emailed_at``,
    ``Action.reminder_sent_at``, ``DigestSent``)."""

    KEY_LENGTH = 200

    key = models.CharField(max_length=KEY_LENGTH, unique=True)
    state = models.CharField(max_length=8, choices=EmailState.choices)
    attempts = models.PositiveSmallIntegerField(default=0, help_text="sends tried")
    claimed_at = models.DateTimeField(help_text="when the latest attempt claimed it")
    claimed_by = models.CharField(
        max_length=64, blank=True, help_text="the task worker whose attempt holds the claim"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["state", "claimed_at"], name="core_email_state_claimed")]

    def __str__(self) -> str:
        return f"{self.key} ({self.state}, {self.attempts} attempt(s))"
