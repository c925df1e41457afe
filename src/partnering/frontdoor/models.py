"""The frontdoor room's tables: residents' service requests, their updates, integrators' Open311 keys."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from partnering.core.models import TimeStampedModel
from partnering.organisations.models import Organisation
from partnering.partnerships.models import Partnership

MAX_DESCRIPTION = 4000
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: easy to read aloud


class Status(models.TextChoices):
    """Statuses as residents understand them."""

    RECEIVED = "received", "Received"
    IN_PROGRESS = "in_progress", "In progress"
    SCHEDULED = "scheduled", "Scheduled"
    DONE = "done", "Done"
    PASSED_ON = "passed_on", "Not ours: passed on"
    CLOSED = "closed", "Closed"


OPEN_STATUSES = (Status.RECEIVED, Status.IN_PROGRESS, Status.SCHEDULED)
CLOSED_STATUSES = (Status.DONE, Status.CLOSED)


class Source(models.TextChoices):
    WEB = "web", "This website"
    OPEN311 = "open311", "Open311"


def new_reference() -> str:
    body = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"FD-{body[:4]}-{body[4:]}"


class ServiceRequest(TimeStampedModel):
    reference = models.CharField(max_length=16, unique=True, default=new_reference)
    lgsl_code = models.PositiveIntegerField("LGSL code")
    service_name = models.CharField(max_length=200)
    council = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="service_requests",
        help_text="The council handling the request now",
    )
    partnership = models.ForeignKey(
        Partnership,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="service_requests",
        help_text="The joined-up partnership whose front door took the request",
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RECEIVED)
    status_notes = models.CharField(max_length=500, blank=True)
    description = models.TextField(max_length=MAX_DESCRIPTION)
    attributes = models.JSONField(default=dict, blank=True)
    lat = models.FloatField(null=True, blank=True)
    long = models.FloatField(null=True, blank=True)
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    photo = models.BinaryField(null=True, blank=True, editable=False)
    photo_type = models.CharField(max_length=32, blank=True)
    media_url = models.URLField(max_length=500, blank=True)
    # Personal data: seen only by the handling council's staff; removed after the retention period.
    email = models.EmailField(blank=True)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    personal_data_removed_at = models.DateTimeField(null=True, blank=True)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.WEB)
    api_key = models.ForeignKey(
        "Open311Key", null=True, blank=True, on_delete=models.SET_NULL, related_name="requests"
    )
    idempotency_key = models.CharField(max_length=100, null=True, blank=True, unique=True)
    expected_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(default=False)
    history = HistoricalRecords(excluded_fields=["modified_at", "photo"])

    class Meta:
        ordering = ["-created_at", "-id"]
        # Every list is newest (or oldest) first by (created_at, id): each index ends with them,
        # so a filtered page of 1,000 is read in order, never sorted. "Open" is a set of
        # statuses, so the lists of open requests have partial indexes of their own.
        indexes = [
            models.Index(fields=["created_at", "id"]),  # Open311 GET requests, default and dates
            models.Index(fields=["council", "created_at", "id"], name="fd_request_council_new"),
            models.Index(fields=["lgsl_code", "created_at", "id"], name="fd_request_service_new"),
            models.Index(  # a council's open requests: the staff queue, Open311, the counts
                fields=["council", "created_at", "id"],
                name="fd_request_open_council",
                condition=models.Q(status__in=OPEN_STATUSES),
            ),
            models.Index(  # open requests of a service near a point (possible duplicates)
                fields=["lgsl_code", "lat", "long"],
                name="fd_request_open_near",
                condition=models.Q(status__in=OPEN_STATUSES),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.service_name}"

    def get_absolute_url(self) -> str:
        return reverse("frontdoor:track", kwargs={"reference": self.reference})


class RequestUpdate(models.Model):
    """One change residents see: a status, a note, a pass to another council."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(max_length=16, choices=Status.choices)
    note = models.CharField(max_length=500, blank=True)
    from_council = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_council = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    emailed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.status}"


class Open311Key(TimeStampedModel):
    """An integrator's key for Open311 POST requests (only its SHA-256 is stored)."""

    name = models.CharField(max_length=200)
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    is_active = models.BooleanField(default=True)
    is_demo = models.BooleanField(default=False)
    requests_per_minute = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="This key's own allowance of POST requests a minute (a council's back-office "
        "integration); empty: the standard allowance of an integrator key",
    )
    history = HistoricalRecords(excluded_fields=["modified_at"])

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def generate() -> str:
        return "o311_" + secrets.token_urlsafe(24)


class RateCount(models.Model):
    """One fixed window's count of submissions by one client (``ratelimit.py``): who is a hash,
    ``expires`` the window's end in Unix seconds. Not audited: a counter, deleted when it ends."""

    name = models.CharField(max_length=120, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    expires = models.BigIntegerField(db_index=True)

    def __str__(self) -> str:
        return f"{self.name}: {self.count}"
