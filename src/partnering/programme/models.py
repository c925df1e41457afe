"""The programme room's tables: pathfinder calls, applications, assessment, moderation and the
stored selection runs (with their inputs, so any run can be reproduced)."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from partnering.core.models import TimeStampedModel


class CallStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open for applications"
    CLOSED = "closed", "Closed: assessing"
    DECIDED = "decided", "Decided"


class Theme(models.TextChoices):
    """What a project is about; a call's quotas may name a theme (``theme:<value>``, or ``egov``)."""

    EGOV = "egov", "E-government and corporate support"
    ACCESS = "access", "Access to services"
    REVENUES = "revenues", "Revenues and benefits"
    WASTE = "waste", "Waste and environment"
    PROCUREMENT = "procurement", "Procurement"
    REGENERATION = "regeneration", "Regeneration"
    LEISURE = "leisure", "Leisure and culture"
    HIGHWAYS = "highways", "Highways and transport"
    CARE = "care", "Social care and health"
    SAFETY = "safety", "Community safety"
    HOUSING = "housing", "Housing"
    PROPERTY = "property", "Property and asset management"
    CORPORATE = "corporate", "Corporate services"
    RURAL = "rural", "Rural services"
    TRAINING = "training", "Training and development"


class Call(TimeStampedModel):
    """A call for pathfinder projects: dates, eligibility, scored criteria and portfolio quotas."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=120, unique=True)
    summary = models.TextField()
    eligibility = models.TextField(blank=True)
    opens_on = models.DateField()
    closes_on = models.DateField()
    decisions_by = models.DateField()
    status = models.CharField(max_length=16, choices=CallStatus.choices, default=CallStatus.DRAFT)
    places = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1)], help_text="How many projects the portfolio takes"
    )
    budget = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    score_min = models.PositiveSmallIntegerField(default=0)
    score_max = models.PositiveSmallIntegerField(default=10)
    moderation_spread = models.PositiveSmallIntegerField(
        default=3, help_text="A criterion's scores disagree when they spread by more than this"
    )
    assessors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="assessing_calls"
    )
    is_demo = models.BooleanField(default=False)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["-opens_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")), name="call_closes_after_opening"
            ),
            models.CheckConstraint(
                condition=Q(score_max__gt=F("score_min")), name="call_scale_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("programme:call-detail", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.status != CallStatus.DRAFT


class Criterion(TimeStampedModel):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    title = models.CharField(max_length=200)
    guidance = models.TextField(blank=True)
    weight = models.DecimalField(
        max_digits=5, decimal_places=2, default=1, validators=[MinValueValidator(0)]
    )
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["position", "pk"]
        verbose_name_plural = "criteria"

    def __str__(self) -> str:
        return self.title


class Quota(TimeStampedModel):
    """At least ``minimum`` and/or at most ``maximum`` selected projects carrying ``tag``.

    Tags come from the partnership's record (``kind:<kind>``, ``region:<region>``, ``two_tier``,
    ``size:<small|medium|large>``) or the application's themes (``egov``, ``theme:<theme>``)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="quotas")
    tag = models.CharField(max_length=100)
    label = models.CharField(max_length=200, blank=True)
    minimum = models.PositiveSmallIntegerField(null=True, blank=True)
    maximum = models.PositiveSmallIntegerField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["call", "tag"], name="quota_once_per_tag"),
            models.CheckConstraint(
                condition=Q(minimum__isnull=True)
                | Q(maximum__isnull=True)
                | Q(minimum__lte=F("maximum")),
                name="quota_min_not_above_max",
            ),
        ]

    def __str__(self) -> str:
        return self.label or self.tag


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    UNDER_ASSESSMENT = "under_assessment", "Under assessment"
    SELECTED = "selected", "Selected"
    NOT_SELECTED = "not_selected", "Not selected"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Application(TimeStampedModel):
    """A partnership's application to a call. Kind, members, two-tier and region come from the
    partnership's record, never retyped."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="applications")
    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.PROTECT, related_name="applications"
    )
    reference = models.CharField(max_length=32, unique=True)
    title = models.CharField(max_length=200)
    themes = models.JSONField(default=list, blank=True)
    answers = models.JSONField(default=dict, blank=True, help_text="Criterion id -> answer")
    requested_amount = models.DecimalField(
        max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    status = models.CharField(
        max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_demo = models.BooleanField(default=False)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "partnership"], name="application_once_per_call"
            )
        ]
        indexes = [models.Index(fields=["call", "status"])]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("programme:application-detail", kwargs={"reference": self.reference})


class Assessment(TimeStampedModel):
    """One assessor's scores of one application; hidden from other assessors until they submit."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assessments"
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assessments"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["application", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "assessor"], name="assessment_once_per_assessor"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assessor} on {self.application}"


class CriterionScore(TimeStampedModel):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["criterion__position", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="criterion_score_once")
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"


class ModeratedScore(TimeStampedModel):
    """The panel's agreed score of one criterion of one application."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="moderated_scores"
    )
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField()
    note = models.TextField(blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["application", "criterion__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "criterion"], name="moderated_score_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} / {self.criterion}: {self.score}"


class SelectionRun(TimeStampedModel):
    """One run of the optimiser on a call: its exact input and output, kept to reproduce it."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="selection_runs")
    number = models.PositiveIntegerField()
    inputs = models.JSONField(help_text="The optimiser's input, as the CLI takes it")
    result = models.JSONField(help_text="The optimiser's output, as the CLI gives it")
    status = models.CharField(max_length=16)
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(default=False)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["call", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["call", "number"], name="selection_run_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.call}: run {self.number}"


# --- advisers, mentoring and the advice log ---------------------------------------------------


class Discipline(models.TextChoices):
    PROCUREMENT = "procurement", "Procurement"
    PROJECT_MANAGEMENT = "project_management", "Project management"
    FINANCE = "finance", "Finance"
    LEGAL = "legal", "Legal"


class AdviserProfile(TimeStampedModel):
    """An adviser's expertise and capacity (the programme room owns advisers)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="adviser_profile"
    )
    disciplines = models.JSONField(default=list, blank=True)
    sectors = models.JSONField(default=list, blank=True, help_text="Partnership kinds")
    regions = models.JSONField(default=list, blank=True)
    capacity = models.PositiveSmallIntegerField(
        default=2, help_text="How many partnerships at once"
    )
    is_demo = models.BooleanField(default=False)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["user__last_name", "user__username"]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.username


class DeclaredInterest(TimeStampedModel):
    """A past employer or a relationship with a council or bidder: a conflict of interest with
    any partnership that organisation is a current member of."""

    profile = models.ForeignKey(AdviserProfile, on_delete=models.CASCADE, related_name="interests")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    description = models.CharField(max_length=255)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.profile}: {self.description}"


class MatchRun(TimeStampedModel):
    """One run of the mentor matching: its exact input and output."""

    number = models.PositiveIntegerField(unique=True)
    inputs = models.JSONField()
    result = models.JSONField()
    status = models.CharField(max_length=16)
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"Matching run {self.number}"


class MentoringSession(TimeStampedModel):
    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="mentoring_sessions"
    )
    adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="mentoring_sessions"
    )
    held_on = models.DateField()
    attendees = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    is_demo = models.BooleanField(default=False)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["-held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.partnership} on {self.held_on}"


class AdviceType(models.TextChoices):
    FINANCIAL = "financial", "Financial"
    LEGAL = "legal", "Legal"
    PROCUREMENT = "procurement", "Procurement"
    PROJECT_MANAGEMENT = "project_management", "Project management"
    SCOPING = "scoping", "Scoping"
    MANAGEMENT = "management", "Management arrangements"


class Advice(TimeStampedModel):
    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="advice"
    )
    adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="advice_given"
    )
    advice_type = models.CharField(max_length=32, choices=AdviceType.choices)
    given_on = models.DateField()
    summary = models.TextField()
    attachment_titles = models.JSONField(default=list, blank=True)
    is_demo = models.BooleanField(default=False)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["-given_on", "pk"]
        verbose_name_plural = "advice"

    def __str__(self) -> str:
        return f"{self.get_advice_type_display()} advice to {self.partnership}"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"


class Action(TimeStampedModel):
    """A follow-up action from advice: its owner is reminded once when it falls due."""

    advice = models.ForeignKey(Advice, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(max_length=500)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="programme_actions"
    )
    due_on = models.DateField()
    status = models.CharField(max_length=8, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    completed_on = models.DateField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return self.description


class DigestSent(models.Model):
    """A weekly digest sent to an adviser (one per adviser per ISO week: safe to re-run)."""

    adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    week = models.CharField(max_length=8, help_text="ISO year and week, e.g. 2003-W18")
    sent_at = models.DateTimeField(auto_now_add=True)
    actions = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["adviser", "week"], name="digest_once_a_week")
        ]

    def __str__(self) -> str:
        return f"{self.adviser} {self.week}"
