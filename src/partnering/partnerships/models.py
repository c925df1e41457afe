"""Partnerships, their members over time, service areas and lifecycle."""

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from partnering.core.models import TimeStampedModel


class Stage(models.TextChoices):
    IDEA = "idea", "Idea"
    SCOPING = "scoping", "Scoping"
    OPTIONS_APPRAISAL = "options_appraisal", "Options appraisal"
    PROCUREMENT = "procurement", "Procurement"
    AGREEMENT = "agreement", "Agreement"
    DELIVERY = "delivery", "Delivery"
    REVIEW = "review", "Review"
    CLOSED = "closed", "Closed"


STAGE_ORDER = list(Stage.values)


class PartnershipKind(models.TextChoices):
    """Derived from the sectors of the current members, never typed in."""

    PUBLIC_PUBLIC = "public_public", "Public-public"
    PUBLIC_PRIVATE = "public_private", "Public-private"
    PUBLIC_VOLUNTARY = "public_voluntary", "Public-voluntary"
    MIXED = "mixed", "Mixed (public, private and voluntary)"


class MemberRole(models.TextChoices):
    LEAD = "lead", "Lead"
    PARTNER = "partner", "Partner"
    PRIVATE_PARTNER = "private_partner", "Private partner"
    VOLUNTARY_PARTNER = "voluntary_partner", "Voluntary partner"
    OBSERVER = "observer", "Observer"


class ServiceArea(models.Model):
    """Reference data: an LGSL service (from services_lgsl.csv), retired with ``disabled_on``."""

    lgsl_code = models.PositiveIntegerField("LGSL code", unique=True)
    label = models.CharField(max_length=255)
    providing_tier = models.CharField(max_length=32, blank=True)
    two_tier_area_provider = models.CharField(max_length=16, blank=True)
    disabled_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["label"]

    def __str__(self) -> str:
        return f"{self.label} (LGSL {self.lgsl_code})"


class Partnership(TimeStampedModel):
    name = models.CharField(max_length=200)
    reference = models.CharField(max_length=32, unique=True, help_text="For example SPT-2002-014")
    slug = models.SlugField(max_length=120, unique=True)
    purpose = models.TextField()
    service_areas = models.ManyToManyField(ServiceArea, blank=True, related_name="partnerships")
    lead_organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="led_partnerships"
    )
    start_date = models.DateField(null=True, blank=True)
    stage = models.CharField(max_length=32, choices=Stage.choices, default=Stage.IDEA)
    is_pathfinder = models.BooleanField(default=False)
    pathfinder_theme = models.CharField(max_length=100, blank=True)
    is_published = models.BooleanField(default=True, help_text="Published partnerships are public")
    is_demo = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    # Derived from the members by services.partnership_refresh_derived; never typed in.
    kind = models.CharField(
        max_length=32, choices=PartnershipKind.choices, blank=True, editable=False
    )
    joins_two_tiers = models.BooleanField(default=False, editable=False)
    member_count = models.PositiveIntegerField(default=0, editable=False)
    region = models.CharField(max_length=64, blank=True, editable=False)
    advisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="advised_partnerships"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["name"]
        indexes = [
            # The list's order (name, then id as the paginator's tie-break): an index scan for
            # a page instead of sorting every partnership.
            models.Index(fields=["name", "id"], name="partnership_list_order"),
            models.Index(fields=["stage", "name"]),
            models.Index(fields=["kind", "name"]),
            models.Index(fields=["region", "name"]),
            models.Index(fields=["is_pathfinder", "name"]),
            # The list's facet counts (one COUNT(*) per combination of these columns): an
            # index-only scan instead of reading every row (3.3 ms to 1.2 ms at 5,000).
            models.Index(
                fields=["kind", "stage", "region", "is_pathfinder", "is_published"],
                name="partnership_facets",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partnerships:partnership-detail", kwargs={"slug": self.slug})


class MembershipQuerySet(models.QuerySet["Membership"]):
    def current_on(self, day: "date") -> "MembershipQuerySet":
        """Memberships in force on ``day``: joined on or before it and not left before it."""
        return self.filter(joined_on__lte=day).filter(Q(left_on__isnull=True) | Q(left_on__gte=day))


class Membership(TimeStampedModel):
    """An organisation's membership of a partnership, from ``joined_on`` to ``left_on`` (inclusive)."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(max_length=32, choices=MemberRole.choices, default=MemberRole.PARTNER)
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True, help_text="Last day as a member")
    reason = models.CharField(max_length=255, blank=True, help_text="Why they joined or left")
    left_reason = models.CharField(max_length=255, blank=True, help_text="Why they left")
    is_verified = models.BooleanField(
        default=True, help_text="False where the membership could not be sourced"
    )
    history = HistoricalRecords(excluded_fields=["modified_at"])

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["joined_on", "organisation__name"]
        indexes = [models.Index(fields=["organisation", "partnership"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="membership_leaves_after_joining",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.partnership}"

    def is_member_on(self, day) -> bool:  # type: ignore[no-untyped-def]
        return self.joined_on <= day and (self.left_on is None or day <= self.left_on)


class StageChange(models.Model):
    """One move through the lifecycle: who, when, from and to, and why (required going back)."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="stage_changes"
    )
    from_stage = models.CharField(max_length=32, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=32, choices=Stage.choices)
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moved_on = models.DateField(help_text="The date the move took effect")
    recorded_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["moved_on", "recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.partnership}: {self.from_stage or 'start'} → {self.to_stage}"


class StrategicAim(TimeStampedModel):
    """One of the partnership's strategic aims, scored against each member's priorities."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="aims")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class Priority(TimeStampedModel):
    """An organisation's own priority (for example from its community strategy), weighted 1 to 5."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="priorities"
    )
    title = models.CharField(max_length=200)
    source = models.CharField(
        max_length=200, blank=True, help_text="For example ‘Community strategy 2003’"
    )
    weight = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    # A priority belongs to its organisation and counts in the fit of every partnership the
    # organisation is in; its wording is shown only to people who may see the partnership it
    # was entered in (so text typed in an unpublished partnership never appears on a published
    # one). None: entered for the organisation itself, shown to everyone.
    entered_for = models.ForeignKey(
        "Partnership",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The partnership it was entered in; its wording is shown only where that one can be seen",
    )
    is_demo = models.BooleanField(default=False)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["organisation__name", "-weight", "title", "pk"]
        verbose_name_plural = "priorities"
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=1) & Q(weight__lte=5), name="priority_weight_1_to_5"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.organisation})"


class AimScore(TimeStampedModel):
    """How well a partnership aim serves one member's priority: 0 (not at all) to 3 (fully)."""

    aim = models.ForeignKey(StrategicAim, on_delete=models.CASCADE, related_name="scores")
    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="scores")
    score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(0), MaxValueValidator(3)]
    )
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["aim", "priority"]
        constraints = [
            models.UniqueConstraint(fields=["aim", "priority"], name="aim_score_once_per_priority"),
            models.CheckConstraint(condition=Q(score__lte=3), name="aim_score_0_to_3"),
        ]

    def __str__(self) -> str:
        return f"{self.aim} × {self.priority}: {self.score}"
