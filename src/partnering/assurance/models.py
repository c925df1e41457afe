"""The assurance room's tables: gateway reviews with their team, interviews, documents, findings
and recommendations (issue 10). Reference data (gates, ratings, urgencies) is in ``gates.py``."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from partnering.core.models import TimeStampedModel

from .gates import FINDING_AREAS, GATE_BY_NUMBER, GATE_CHOICES, RATING_BY_VALUE, RATING_CHOICES


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    FINAL = "final", "Final"


class Review(TimeStampedModel):
    """One gateway review of a partnership at one gate."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="gateway_reviews"
    )
    gate = models.PositiveSmallIntegerField(choices=GATE_CHOICES)
    starts_on = models.DateField("First day of the review")
    ends_on = models.DateField("Last day of the review")
    status = models.CharField(max_length=16, choices=ReviewStatus.choices, default="draft")
    summary = models.TextField(blank=True, help_text="The review team's summary of its findings")
    rating = models.CharField(
        "Delivery confidence", max_length=16, choices=RATING_CHOICES, blank=True
    )
    rating_statement = models.TextField(blank=True)
    is_published = models.BooleanField(default=False, help_text="Published summaries are public")
    is_demo = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["partnership", "starts_on", "gate", "pk"]
        indexes = [models.Index(fields=["partnership", "gate"])]

    def __str__(self) -> str:
        return f"{self.gate_info.label} review of {self.partnership}"

    @property
    def gate_info(self):  # type: ignore[no-untyped-def]
        return GATE_BY_NUMBER[self.gate]

    @property
    def rating_info(self):  # type: ignore[no-untyped-def]
        return RATING_BY_VALUE.get(self.rating)

    def get_absolute_url(self) -> str:
        return reverse("assurance:review-detail", args=[self.partnership.slug, self.pk])


class TeamRole(models.TextChoices):
    LEAD = "lead", "Lead reviewer"
    MEMBER = "member", "Review team member"


class ReviewTeamMember(TimeStampedModel):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=16, choices=TeamRole.choices, default=TeamRole.MEMBER)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["role", "user__last_name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["review", "user"], name="review_team_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class Interview(TimeStampedModel):
    """A person the review team interviewed."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="interviews")
    name = models.CharField(max_length=200)
    role = models.CharField("Role", max_length=200, blank=True)
    organisation = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class DocumentSeen(TimeStampedModel):
    """A document the review team read."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=300)
    dated = models.DateField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title


class Finding(TimeStampedModel):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="findings")
    area = models.CharField(max_length=32, choices=FINDING_AREAS)
    text = models.TextField()
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["area", "pk"]

    def __str__(self) -> str:
        return f"{self.get_area_display()}: {self.text[:40]}"


class Urgency(models.TextChoices):
    CRITICAL = "critical", "Critical (do now)"
    ESSENTIAL = "essential", "Essential (do by)"
    RECOMMENDED = "recommended", "Recommended"


class RecommendationStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    CARRIED_FORWARD = "carried_forward", "Carried forward"


OPEN_STATUSES = (RecommendationStatus.OPEN, RecommendationStatus.IN_PROGRESS)


class Recommendation(TimeStampedModel):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="recommendations")
    number = models.PositiveSmallIntegerField()
    text = models.TextField("Recommendation")
    urgency = models.CharField(max_length=16, choices=Urgency.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assurance_recommendations"
    )
    due_on = models.DateField("Due date", null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=RecommendationStatus.choices, default=RecommendationStatus.OPEN
    )
    carried_forward_reason = models.TextField(blank=True)
    due_reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    overdue_reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["review", "number"]
        indexes = [models.Index(fields=["status", "due_on"])]
        constraints = [
            models.UniqueConstraint(fields=["review", "number"], name="recommendation_number_once")
        ]

    def __str__(self) -> str:
        return f"R{self.number}: {self.text[:60]}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def due_label(self) -> str:
        if self.urgency == Urgency.CRITICAL and self.due_on is None:
            return "Now"
        return f"{self.due_on:%-d %B %Y}" if self.due_on else "No date"


class FollowUp(TimeStampedModel):
    """A follow-up note on a recommendation (what was done, by whom)."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="follow_ups"
    )
    text = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]
