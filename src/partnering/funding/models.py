"""The funding room's tables: the programme and its rounds, applications from partnerships,
assessment and moderation, awards with conditions, milestones and partner shares, claims with
evidence, payments (never twice), variations, clawback, and councils' e-enablement records.

Money is ``Decimal`` to the penny everywhere (``DecimalField(decimal_places=2)``); the database
refuses zero or negative amounts where they make no sense and a second payment of one claim.
"""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from partnering.core.models import TimeStampedModel

MONEY = {"max_digits": 14, "decimal_places": 2}


class FundingProgramme(TimeStampedModel):
    """The fund: its total budget, aim and dates (the GBP 50m for 64 projects)."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=120, unique=True)
    aim = models.TextField()
    total_budget = models.DecimalField(**MONEY)
    starts_on = models.DateField()
    ends_on = models.DateField()
    target_date = models.DateField(help_text="Every service e-enabled by this day")
    is_demo = models.BooleanField(default=False)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["-starts_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(total_budget__gt=0), name="funding_programme_budget_positive"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="funding_programme_dates"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("funding:programme-detail", kwargs={"slug": self.slug})


class RoundStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open for applications"
    CLOSED = "closed", "Closed: assessing"
    DECIDED = "decided", "Decided"


#: Where a round may go from each status: draft -> open -> closed -> decided, and a closed round
#: may reopen (say, to extend it); a decided round is final.
ROUND_MOVES: dict[str, tuple[str, ...]] = {
    RoundStatus.DRAFT: (RoundStatus.OPEN,),
    RoundStatus.OPEN: (RoundStatus.CLOSED,),
    RoundStatus.CLOSED: (RoundStatus.OPEN, RoundStatus.DECIDED),
    RoundStatus.DECIDED: (),
}
#: What a new round may start as.
ROUND_STARTS = (RoundStatus.DRAFT, RoundStatus.OPEN)


class Round(TimeStampedModel):
    """A funding round: criteria, budget, dates, eligibility and the assessors' panel."""

    programme = models.ForeignKey(FundingProgramme, on_delete=models.PROTECT, related_name="rounds")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=120, unique=True)
    summary = models.TextField(blank=True)
    budget = models.DecimalField(**MONEY)
    opens_on = models.DateField()
    closes_on = models.DateField()
    decisions_by = models.DateField()
    min_councils = models.PositiveSmallIntegerField(
        default=2, help_text="Eligibility: a partnership of at least this many councils"
    )
    status = models.CharField(max_length=16, choices=RoundStatus.choices, default=RoundStatus.DRAFT)
    score_min = models.PositiveSmallIntegerField(default=0)
    score_max = models.PositiveSmallIntegerField(default=10)
    moderation_spread = models.PositiveSmallIntegerField(
        default=3, help_text="A criterion's scores disagree when they spread by more than this"
    )
    assessors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="funding_rounds_assessed"
    )
    is_demo = models.BooleanField(default=False)
    history = HistoricalRecords(excluded_fields=["modified_at"], m2m_fields=[assessors])

    class Meta:
        ordering = ["programme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="funding_round_number"),
            models.CheckConstraint(condition=Q(budget__gt=0), name="funding_round_budget_positive"),
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")), name="funding_round_dates"
            ),
            models.CheckConstraint(
                condition=Q(score_max__gt=F("score_min")), name="funding_round_scale"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("funding:round-detail", kwargs={"slug": self.slug})


class Criterion(TimeStampedModel):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="criteria")
    title = models.CharField(max_length=200)
    guidance = models.TextField(blank=True)
    weight = models.DecimalField(max_digits=5, decimal_places=2, default=1)
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["position", "pk"]
        verbose_name_plural = "criteria"
        constraints = [
            models.CheckConstraint(condition=Q(weight__gt=0), name="funding_criterion_weight")
        ]

    def __str__(self) -> str:
        return self.title


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    UNDER_ASSESSMENT = "under_assessment", "Under assessment"
    AWARDED = "awarded", "Awarded"
    REJECTED = "rejected", "Not funded"
    WITHDRAWN = "withdrawn", "Withdrawn"


ASSESSABLE = (ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_ASSESSMENT)


class Application(TimeStampedModel):
    """A partnership's bid to a round: budget lines, milestones, services to e-enable, outcomes.
    Members, lead, kind and region come from the partnership's record, never retyped."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="applications")
    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.PROTECT, related_name="funding_applications"
    )
    reference = models.CharField(max_length=32, unique=True)
    title = models.CharField(max_length=140, help_text="At most 140 characters (360Giving)")
    summary = models.TextField()
    outcomes = models.TextField(blank=True)
    status = models.CharField(
        max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_demo = models.BooleanField(default=False)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "partnership"], name="funding_application_once_per_round"
            )
        ]
        indexes = [models.Index(fields=["round", "status"])]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("funding:application-detail", kwargs={"reference": self.reference})


class BudgetLine(TimeStampedModel):
    """What a partner spends of the grant in one financial year (``year`` = the April it starts)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="budget_lines"
    )
    year = models.PositiveSmallIntegerField(help_text="Financial year starting in April of")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(**MONEY)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["year", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "year", "organisation"], name="funding_budget_line_once"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="funding_budget_line_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.year}-{(self.year + 1) % 100:02d} {self.organisation}: {self.amount}"


class Milestone(TimeStampedModel):
    """A step of the project with the date it falls due and the grant paid on reaching it;
    after the award it is the award's milestone schedule (changed only by a variation)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="milestones"
    )
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    due_on = models.DateField()
    amount = models.DecimalField(**MONEY)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["application", "number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="funding_milestone_no"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="funding_milestone_positive"),
        ]
        indexes = [models.Index(fields=["due_on"])]

    def __str__(self) -> str:
        return f"Milestone {self.number}: {self.title}"


class PromisedService(TimeStampedModel):
    """An LGSL service the project will e-enable for one member council, and by when."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="promised_services"
    )
    service = models.ForeignKey(
        "partnerships.ServiceArea", on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    by_date = models.DateField()
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["by_date", "service__lgsl_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "service", "organisation"], name="funding_promise_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service} for {self.organisation} by {self.by_date}"


class Assessment(TimeStampedModel):
    """One assessor's scores of one application; others' scores stay hidden until they submit."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assessments"
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="funding_assessments"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["application", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "assessor"], name="funding_assessment_once"
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
            models.UniqueConstraint(
                fields=["assessment", "criterion"], name="funding_criterion_score_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"


class ModeratedScore(TimeStampedModel):
    """The panel's agreed score of one criterion where the assessors disagreed."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="moderated_scores"
    )
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField()
    note = models.TextField()
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["application", "criterion__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "criterion"], name="funding_moderated_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} / {self.criterion}: {self.score}"


class AwardStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    WITHHELD = "withheld", "Payments withheld"
    COMPLETED = "completed", "Completed"
    CLAWED_BACK = "clawed_back", "Clawed back"


RUNNING_TOTALS = ("paid_gross", "clawed", "withheld")


class Award(TimeStampedModel):
    """A grant: amount, conditions, agreement dates; paid to the lead council, shared between
    partners as the partnership's agreed fair shares say (``AwardShare``)."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="award")
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="awards")
    recipient = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="funding_awards"
    )
    amount = models.DecimalField(**MONEY)
    conditions = models.TextField()
    awarded_on = models.DateField()
    agreement_starts_on = models.DateField()
    agreement_ends_on = models.DateField()
    status = models.CharField(
        max_length=16, choices=AwardStatus.choices, default=AwardStatus.ACTIVE
    )
    is_published = models.BooleanField(default=True, help_text="Published as 360Giving open data")
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_demo = models.BooleanField(default=False)
    # Running totals of the award's payments and recoveries, kept by the funding services in the
    # same transaction as each payment or recovery (the award row locked), so the money view adds
    # up one row per award instead of every payment. Derived, so not in the award's history (the
    # payments and recoveries have their own).
    paid_gross = models.DecimalField(
        **MONEY, default=Decimal("0.00"), help_text="Sum of the payments (before clawback)"
    )
    clawed = models.DecimalField(**MONEY, default=Decimal("0.00"), help_text="Sum clawed back")
    withheld = models.DecimalField(**MONEY, default=Decimal("0.00"), help_text="Sum withheld")
    history = HistoricalRecords(excluded_fields=["modified_at", "paid_gross", "clawed", "withheld"])

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="funding_award_positive"),
            models.CheckConstraint(
                condition=Q(paid_gross__gte=0, clawed__gte=0, withheld__gte=0),
                name="funding_award_totals_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(agreement_ends_on__gte=F("agreement_starts_on")),
                name="funding_award_dates",
            ),
        ]
        indexes = [models.Index(fields=["round", "status"])]

    def __str__(self) -> str:
        return f"Award {self.pk}: {self.application.title}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Saving an award never writes its running totals over what is stored: the services
        add to them with an UPDATE (a copy read before a payment would otherwise undo it)."""
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name not in RUNNING_TOTALS
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("funding:award-detail", kwargs={"pk": self.pk})


class AwardYear(models.Model):
    """An award's running totals for one financial year (April to March, ``financial_year`` the
    year it starts): payments by the date paid, recoveries by their date. Kept with the award's
    own totals by the same service calls, so the money view's years add up a few rows per award
    instead of every payment. Derived, so no history."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="years")
    financial_year = models.PositiveSmallIntegerField()
    paid_gross = models.DecimalField(**MONEY, default=Decimal("0.00"))
    clawed = models.DecimalField(**MONEY, default=Decimal("0.00"))
    withheld = models.DecimalField(**MONEY, default=Decimal("0.00"))

    class Meta:
        ordering = ["award", "financial_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["award", "financial_year"], name="funding_award_year_once"
            ),
            models.CheckConstraint(
                condition=Q(paid_gross__gte=0, clawed__gte=0, withheld__gte=0),
                name="funding_award_year_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.award_id} in {self.financial_year}"


class AwardShare(TimeStampedModel):
    """The part of the award one partner receives (they add up to the award to the penny)."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="shares")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(**MONEY)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["award", "-amount", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["award", "organisation"], name="funding_share_once"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="funding_share_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.amount}"


class ClaimStatus(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved: awaiting payment"
    REJECTED = "rejected", "Rejected"
    PAID = "paid", "Paid"


class Claim(TimeStampedModel):
    """A claim for a milestone's grant, with evidence; approved by a second person."""

    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="claims")
    milestone = models.ForeignKey(Milestone, on_delete=models.PROTECT, related_name="claims")
    amount = models.DecimalField(**MONEY)
    claimed_on = models.DateField()
    description = models.TextField()
    status = models.CharField(
        max_length=16, choices=ClaimStatus.choices, default=ClaimStatus.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(blank=True)
    is_demo = models.BooleanField(default=False)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["award", "claimed_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="funding_claim_positive"),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(approved_by__isnull=False),
                name="funding_claim_approved_by_someone",
            ),
        ]
        indexes = [models.Index(fields=["status", "claimed_on"])]

    def __str__(self) -> str:
        return f"Claim {self.pk} on {self.milestone}"

    def get_absolute_url(self) -> str:
        return reverse("funding:claim-detail", kwargs={"pk": self.pk})


class Evidence(TimeStampedModel):
    """An attachment to a claim, checked by its content (not its name) and its size."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence")
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    data = models.BinaryField()
    history = HistoricalRecords(excluded_fields=["modified_at", "data"])

    class Meta:
        ordering = ["claim", "pk"]
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        return self.filename


class Payment(TimeStampedModel):
    """Money paid on an approved claim: one per claim (the database refuses a second)."""

    claim = models.OneToOneField(Claim, on_delete=models.PROTECT, related_name="payment")
    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(**MONEY)
    paid_on = models.DateField()
    reference = models.CharField(max_length=64, unique=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_demo = models.BooleanField(default=False)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["paid_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="funding_payment_positive")
        ]
        indexes = [models.Index(fields=["paid_on"])]

    def __str__(self) -> str:
        return f"Payment {self.reference}: {self.amount}"


class VariationKind(models.TextChoices):
    REPROFILE = "reprofile", "Re-profiling between years"
    MILESTONE = "milestone", "A changed milestone"


class Variation(TimeStampedModel):
    """A change to an award's schedule, with its reason and what changed (before and after)."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="variations")
    kind = models.CharField(max_length=16, choices=VariationKind.choices)
    reason = models.TextField()
    changes = models.JSONField(default=dict)
    made_on = models.DateField()
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["award", "made_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.award}"


class RecoveryKind(models.TextChoices):
    CLAWBACK = "clawback", "Clawback (money paid is recovered)"
    WITHHOLD = "withhold", "Withholding (money not yet paid is not paid)"


class Recovery(TimeStampedModel):
    """Clawback of money paid, or withholding of money not yet paid, with the reason."""

    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="recoveries")
    kind = models.CharField(max_length=16, choices=RecoveryKind.choices)
    amount = models.DecimalField(**MONEY)
    reason = models.TextField()
    on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_demo = models.BooleanField(default=False)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["award", "on", "pk"]
        verbose_name_plural = "recoveries"
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="funding_recovery_positive")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.amount} from {self.award}"


class FinanceOfficer(TimeStampedModel):
    """A taskforce staff member who may approve claims and record payments."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="funding_finance"
    )
    is_demo = models.BooleanField(default=False)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    def __str__(self) -> str:
        return str(self.user)


class Route(models.TextChoices):
    FUNDED_PROJECT = "funded_project", "Through a funded project"
    FRONT_DOOR = "front_door", "Through the front door"
    OWN_SITE = "own_site", "On the council's own site"


class EEnablement(TimeStampedModel):
    """One council's one LGSL service: e-enabled (end to end online) on a date and how, or not."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="e_enablements"
    )
    service = models.ForeignKey(
        "partnerships.ServiceArea", on_delete=models.PROTECT, related_name="+"
    )
    e_enabled_on = models.DateField(null=True, blank=True)
    route = models.CharField(max_length=16, choices=Route.choices, blank=True)
    award = models.ForeignKey(
        Award, null=True, blank=True, on_delete=models.SET_NULL, related_name="e_enablements"
    )
    note = models.CharField(max_length=255, blank=True)
    is_illustrative = models.BooleanField(
        default=False, help_text="Made up for the demo: illustrative, not a record of fact"
    )
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["organisation__name", "service__lgsl_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "service"], name="funding_e_enablement_once"
            ),
            models.CheckConstraint(
                condition=Q(e_enabled_on__isnull=True) | ~Q(route=""),
                name="funding_e_enabled_says_how",
            ),
        ]
        indexes = [models.Index(fields=["e_enabled_on"])]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.service}"


class EEnablementTally(models.Model):
    """One council's e-enablement records counted: the e-enabled ones by the year they were
    e-enabled (``{"2003": 12}``) and by route (``{"own_site": 5}``), whatever the service, and
    how many are illustrative. Kept by the services that write the records (in their transaction,
    the council's row locked), so the progress views add up one row per council instead of every
    record; the views take off the records of retired services, read as they are. Derived, so no
    history; a council has a row once it has a record."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="e_enablement_tally"
    )
    by_year = models.JSONField(default=dict)
    by_route = models.JSONField(default=dict)
    illustrative = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.organisation_id}: {sum(self.by_year.values())} e-enabled"
