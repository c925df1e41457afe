"""Fair shares of a partnership's costs: cost models (versioned), calculations, agreements, risk.

A ``CostModel`` is one version of what the partners state about their costs: components (each
member's own costs, pooled services with economies of scale, shared assets sized for the most
demanding member) and each member's figure for each component. The fair-share engine
(``src/fairshare``) turns a version into every method's split; the ``ShareCalculation`` stores
those results so pages read them without recomputing. A ``ShareAgreement`` records the split the
partners chose, to the penny, with who agreed and when; each new agreement points at the one it
replaces. ``RiskScenario`` holds three-point overrun or saving estimates and each member's P50
and P90 exposure.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from partnering.core.models import TimeStampedModel

METHOD_CHOICES = [
    ("equal", "Equal split"),
    ("proportional", "Proportional split"),
    ("scrb", "SCRB (separable costs, remaining benefits)"),
    ("shapley", "Shapley value"),
    ("nucleolus", "Nucleolus"),
    ("least_core", "Least core"),
]
METHOD_NAMES = dict(METHOD_CHOICES)


class ComponentKind(models.TextChoices):
    STANDALONE = "standalone", "Each member's own cost (stand-alone)"
    POOLED = "pooled", "Pooled service with economies of scale"
    AIRPORT = "airport", "Shared asset sized for the most demanding member"


class CurveType(models.TextChoices):
    POWER = "power", "Power law (cost = scale × demand ^ exponent)"
    PIECEWISE = "piecewise", "Piecewise-linear tariff"


class ProportionalBasis(models.TextChoices):
    WEIGHTS = "weights", "The measure below (for example population)"
    STANDALONE = "standalone", "What each member would pay alone"
    DEMAND = "demand", "Each member's demand on the pooled services"


class CostModelStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AGREED = "agreed", "Agreed"


class ChangeKind(models.TextChoices):
    FIRST = "first", "First version"
    MANUAL = "manual", "Revised by the partners"
    JOINED = "joined", "A member joined"
    LEFT = "left", "A member left"


class CalculationStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Calculating"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class SharingRuleKind(models.TextChoices):
    PROPORTIONAL = "proportional", "In proportion to the split"
    CAPPED = "capped", "In proportion, with a cap on each member"
    PAIN_GAIN = "pain_gain", "Pain/gain bands with the contractor"


class CostModel(TimeStampedModel):
    """One version of a partnership's cost model, for the members on ``effective_on``."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="cost_models"
    )
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    effective_on = models.DateField(help_text="The date the member set of this version applies")
    demand_measure = models.CharField(
        max_length=100, blank=True, help_text="What the pooled demand counts, e.g. transactions"
    )
    weight_measure = models.CharField(
        max_length=100, default="population", help_text="The measure a proportional split uses"
    )
    proportional_basis = models.CharField(
        max_length=16, choices=ProportionalBasis.choices, default=ProportionalBasis.WEIGHTS
    )
    is_illustrative = models.BooleanField(
        default=True, help_text="Illustrative figures, not the partnership's real costs"
    )
    status = models.CharField(
        max_length=16, choices=CostModelStatus.choices, default=CostModelStatus.DRAFT
    )
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    change_kind = models.CharField(
        max_length=16, choices=ChangeKind.choices, default=ChangeKind.FIRST
    )
    change_organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    change_reason = models.TextField(blank=True)
    inputs_hash = models.CharField(max_length=64, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["partnership", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "version"], name="cost_model_version_unique"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="cost_model_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.partnership} cost model v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse(
            "sharing:shares", kwargs={"slug": self.partnership.slug, "version": self.version}
        )

    @property
    def is_draft(self) -> bool:
        return self.status == CostModelStatus.DRAFT


class CostComponent(models.Model):
    """A part of the project: members' own costs, a pooled service or a shared asset."""

    cost_model = models.ForeignKey(CostModel, on_delete=models.CASCADE, related_name="components")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=16, choices=ComponentKind.choices)
    name = models.CharField(max_length=120)
    fixed_cost = models.DecimalField(
        max_digits=14, decimal_places=2, default=0, help_text="Pooled services: fixed cost (GBP)"
    )
    curve_type = models.CharField(max_length=16, choices=CurveType.choices, blank=True)
    curve_scale = models.DecimalField(max_digits=18, decimal_places=6, null=True, blank=True)
    curve_exponent = models.DecimalField(max_digits=8, decimal_places=6, null=True, blank=True)
    curve_breaks = models.JSONField(
        default=list, blank=True, help_text="Piecewise tariff: [[demand, cost], ...]"
    )
    needed_by_all = models.BooleanField(
        default=False,
        help_text="Pooled services: every member needs it (and shares its fixed cost), even a "
        "member with no demand",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["cost_model", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cost_model", "name"], name="cost_component_name_unique"
            ),
            models.CheckConstraint(
                condition=Q(fixed_cost__gte=0), name="cost_component_fixed_cost_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def value_label(self) -> str:
        if self.kind == ComponentKind.POOLED:
            return "demand"
        if self.kind == ComponentKind.AIRPORT:
            return "requirement (GBP)"
        return "stand-alone cost (GBP)"


class MemberInput(models.Model):
    """A member of the partnership in one cost-model version, with its proportional measure."""

    cost_model = models.ForeignKey(CostModel, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    player_name = models.CharField(max_length=200)
    weight = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["cost_model", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cost_model", "organisation"], name="member_input_organisation_unique"
            ),
            models.UniqueConstraint(
                fields=["cost_model", "player_name"], name="member_input_name_unique"
            ),
            models.CheckConstraint(
                condition=Q(weight__isnull=True) | Q(weight__gte=0),
                name="member_input_weight_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.player_name


class ComponentValue(models.Model):
    """One member's figure for one component: own cost, demand, or requirement."""

    component = models.ForeignKey(CostComponent, on_delete=models.CASCADE, related_name="values")
    member = models.ForeignKey(MemberInput, on_delete=models.CASCADE, related_name="values")
    value = models.DecimalField(
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Empty until entered (a new member's figures): the version is then incomplete",
    )
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["component", "member"], name="component_value_unique"),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0),
                name="component_value_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.component} = {self.value}"


class ShareCalculation(models.Model):
    """Every method's split for one cost-model version, stored so pages never recompute."""

    cost_model = models.OneToOneField(
        CostModel, on_delete=models.CASCADE, related_name="calculation"
    )
    status = models.CharField(
        max_length=16, choices=CalculationStatus.choices, default=CalculationStatus.QUEUED
    )
    inputs_hash = models.CharField(max_length=64, blank=True)
    is_background = models.BooleanField(default=False)
    task_id = models.CharField(max_length=64, blank=True)
    players = models.JSONField(default=list, help_text="[{organisation_id, name}] in order")
    grand_cost = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    total_standalone = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    results = models.JSONField(default=dict, blank=True)
    core = models.JSONField(default=dict, blank=True)
    savings = models.JSONField(default=dict, blank=True)
    explanations = models.JSONField(default=dict, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    error_message = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    history = HistoricalRecords(
        excluded_fields=["results", "core", "savings", "explanations", "players"]
    )

    def __str__(self) -> str:
        return f"Calculation for {self.cost_model} ({self.status})"

    @property
    def is_done(self) -> bool:
        return self.status == CalculationStatus.DONE

    @property
    def is_pending(self) -> bool:
        return self.status in (CalculationStatus.QUEUED, CalculationStatus.RUNNING)

    @property
    def is_fresh(self) -> bool:
        return self.is_done and self.inputs_hash == self.cost_model.inputs_hash


class ShareAgreement(models.Model):
    """The split the partners agreed (one version of many), to the penny."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="share_agreements"
    )
    cost_model = models.ForeignKey(CostModel, on_delete=models.PROTECT, related_name="agreements")
    version = models.PositiveIntegerField()
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    method = models.CharField(max_length=16, choices=METHOD_CHOICES)
    agreed_on = models.DateField()
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agreed_by_name = models.CharField(max_length=200, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField()
    total_pence = models.BigIntegerField()
    in_core = models.BooleanField(default=False)
    max_excess = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    worst_coalition = models.JSONField(default=list, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "version"], name="share_agreement_version_unique"
            ),
            models.CheckConstraint(
                condition=Q(total_pence__gte=0), name="share_agreement_total_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partnership} agreement v{self.version} ({self.get_method_display()})"


class AgreedShare(models.Model):
    """One member's agreed share in pence."""

    agreement = models.ForeignKey(ShareAgreement, on_delete=models.CASCADE, related_name="shares")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    player_name = models.CharField(max_length=200)
    amount_pence = models.BigIntegerField()
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "organisation"], name="agreed_share_organisation_unique"
            ),
            models.CheckConstraint(
                condition=Q(amount_pence__gte=0), name="agreed_share_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.player_name}: {self.amount_pence}p"


class RiskScenario(models.Model):
    """Overrun or saving estimates per component, a sharing rule, and each member's P50/P90."""

    cost_model = models.ForeignKey(
        CostModel, on_delete=models.CASCADE, related_name="risk_scenarios"
    )
    name = models.CharField(max_length=120)
    split_basis = models.CharField(
        max_length=16, help_text="'agreed' or the method whose split the scenario uses"
    )
    rule = models.CharField(max_length=16, choices=SharingRuleKind.choices)
    cap = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    pain_bands = models.JSONField(default=list, blank=True)
    gain_bands = models.JSONField(default=list, blank=True)
    estimates = models.JSONField(default=list, help_text="[{component, low, likely, high}]")
    shares = models.JSONField(default=dict, help_text="The split used, by member name")
    runs = models.PositiveIntegerField(default=10_000)
    seed = models.PositiveIntegerField(default=0)
    results = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(excluded_fields=["results"])

    class Meta:
        ordering = ["cost_model", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cost_model", "name"], name="risk_scenario_name_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name
