"""The assurance room's tables: gateway reviews with their team, interviews, documents, findings
and recommendations (issue 10). Reference data (gates, ratings, urgencies) is in ``gates.py``."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from partnering.core.dates import govuk_date
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
        return f"{govuk_date(self.due_on)}" if self.due_on else "No date"


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


# --- risk registers -----------------------------------------------------------------------------

DEFAULT_PROGRAMME = "Strategic Partnering Taskforce"


class RiskMatrix(TimeStampedModel):
    """A programme's likelihood x impact matrix, one row per version. A register keeps the
    version it was scored on; a new version never changes old registers."""

    programme = models.CharField(max_length=200, default=DEFAULT_PROGRAMME)
    version = models.PositiveIntegerField()
    likelihood_labels = models.JSONField(help_text="From lowest (1) to highest")
    impact_labels = models.JSONField(help_text="From lowest (1) to highest")
    bands = models.JSONField(help_text="[[lowest score, label, colour], ...] from score 1 up")
    tolerance = models.PositiveSmallIntegerField(
        help_text="A current score above this is above tolerance"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["programme", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "version"], name="risk_matrix_version_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme} risk matrix, version {self.version}"

    @property
    def spec(self):  # type: ignore[no-untyped-def]
        from .maths import Band, MatrixSpec

        return MatrixSpec(
            likelihood_labels=list(self.likelihood_labels),
            impact_labels=list(self.impact_labels),
            bands=[Band(int(b[0]), str(b[1]), str(b[2])) for b in self.bands],
            tolerance=self.tolerance,
        )


class RiskRegister(TimeStampedModel):
    partnership = models.OneToOneField(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="risk_register"
    )
    matrix = models.ForeignKey(RiskMatrix, on_delete=models.PROTECT, related_name="registers")
    history = HistoricalRecords(excluded_fields=["modified_at"])

    def __str__(self) -> str:
        return f"Risk register of {self.partnership}"


class RiskCategory(models.TextChoices):
    FINANCIAL = "financial", "Financial"
    LEGAL = "legal", "Legal"
    PROCUREMENT = "procurement", "Procurement"
    PARTNERSHIP = "partnership", "Partnership"
    TECHNICAL = "technical", "Technical"
    REPUTATIONAL = "reputational", "Reputational"
    SERVICE_DELIVERY = "service_delivery", "Service delivery"
    INFORMATION_GOVERNANCE = "information_governance", "Information governance"


class Treatment(models.TextChoices):
    REDUCE = "reduce", "Reduce"
    ACCEPT = "accept", "Accept"
    AVOID = "avoid", "Avoid"
    TRANSFER = "transfer", "Transfer"
    SHARE = "share", "Share"


class RiskStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


SCORE_KINDS = ("inherent", "current", "target")


class Risk(TimeStampedModel):
    register = models.ForeignKey(RiskRegister, on_delete=models.CASCADE, related_name="risks")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    cause = models.TextField(help_text="Because of ...")
    event = models.TextField(help_text="... this may happen ...")
    effect = models.TextField(help_text="... which would lead to ...")
    category = models.CharField(max_length=32, choices=RiskCategory.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assurance_risks"
    )
    proximity = models.DateField("Proximity", null=True, blank=True,
                                 help_text="When the risk could happen")  # fmt: skip
    inherent_likelihood = models.PositiveSmallIntegerField()
    inherent_impact = models.PositiveSmallIntegerField()
    current_likelihood = models.PositiveSmallIntegerField()
    current_impact = models.PositiveSmallIntegerField()
    target_likelihood = models.PositiveSmallIntegerField()
    target_impact = models.PositiveSmallIntegerField()
    # Derived by the services from the likelihoods and impacts, for filtering and sorting.
    inherent_score = models.PositiveSmallIntegerField(editable=False)
    current_score = models.PositiveSmallIntegerField(editable=False)
    target_score = models.PositiveSmallIntegerField(editable=False)
    is_above_tolerance = models.BooleanField(default=False, editable=False)
    treatment = models.CharField(max_length=16, choices=Treatment.choices, blank=True)
    treatment_notes = models.TextField(blank=True)
    fair_share_scenario = models.ForeignKey(
        "sharing.RiskScenario", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", help_text="The fair-share risk allocation a transfer follows",
    )  # fmt: skip
    status = models.CharField(max_length=8, choices=RiskStatus.choices, default=RiskStatus.OPEN)
    is_escalated = models.BooleanField(default=False)
    escalation_reason = models.TextField(blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    recommendations = models.ManyToManyField(Recommendation, blank=True, related_name="risks")
    is_demo = models.BooleanField(default=False)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["register", "number"]
        indexes = [
            models.Index(fields=["register", "status", "-current_score"]),
            models.Index(fields=["is_escalated", "-current_score"]),
            models.Index(fields=["is_above_tolerance", "-current_score"]),
            models.Index(fields=["category", "-current_score"]),
            # The programme view: open risks escalated or above tolerance, in its order, so a
            # page is an index range (no sort of every flagged risk) and its count is small.
            models.Index(
                fields=["-current_score", "register", "number"],
                name="risk_programme_idx",
                condition=models.Q(status="open")
                & (models.Q(is_escalated=True) | models.Q(is_above_tolerance=True)),
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["register", "number"], name="risk_number_once")
        ]

    def __str__(self) -> str:
        return f"R{self.number}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("assurance:risk-detail", args=[self.register.partnership.slug, self.number])


class RiskScore(models.Model):
    """Every scoring of a risk, kept for the trend (never changed after it is written)."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="scores")
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    inherent_likelihood = models.PositiveSmallIntegerField()
    inherent_impact = models.PositiveSmallIntegerField()
    current_likelihood = models.PositiveSmallIntegerField()
    current_impact = models.PositiveSmallIntegerField()
    target_likelihood = models.PositiveSmallIntegerField()
    target_impact = models.PositiveSmallIntegerField()
    inherent_score = models.PositiveSmallIntegerField()
    current_score = models.PositiveSmallIntegerField()
    target_score = models.PositiveSmallIntegerField()
    note = models.CharField(max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["risk", "recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.risk}: {self.current_score} on {govuk_date(timezone.localtime(self.recorded_at))}"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


class RiskAction(TimeStampedModel):
    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="actions")
    text = models.TextField("Action")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField("Due date")
    status = models.CharField(max_length=16, choices=ActionStatus.choices, default="open")
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["risk", "due_on", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class RiskAcceptance(TimeStampedModel):
    """A risk above tolerance accepted: who approved, who recorded it, when, why, the scores at
    that moment, and when to look at it again."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="acceptances")
    approver = models.CharField(max_length=200, help_text="The named person who approved")
    approver_role = models.CharField(max_length=200, blank=True)
    reason = models.TextField()
    accepted_on = models.DateField()
    review_on = models.DateField("Review or expiry date")
    snapshot = models.JSONField(help_text="The risk's scores when it was accepted")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["risk", "-accepted_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.risk} accepted by {self.approver}"
