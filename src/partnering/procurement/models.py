"""The procurement room's tables: scope, options appraisal, procurements with their stages,
bidders, evaluation, award and contract, the management arrangements after award, and the
releases published as open contracting data (OCDS 1.1.5)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from partnering.core.models import TimeStampedModel
from partnering.organisations.models import Organisation
from partnering.partnerships.models import Partnership, ServiceArea

from .routes import ROUTES, STAGE_LABELS, Route, RouteInfo, Stage

MONEY = {"max_digits": 16, "decimal_places": 2}
CH_NUMBER_REGEX = r"^(?:[0-9]{8}|[A-Z]{2}[0-9]{6})$"


# --- scope ---------------------------------------------------------------------------------


class Scope(TimeStampedModel):
    """What a partnership will share: services, partners with their baselines, outcomes and
    constraints."""

    partnership = models.OneToOneField(Partnership, on_delete=models.CASCADE, related_name="scope")
    services = models.ManyToManyField(ServiceArea, blank=True, related_name="procurement_scopes")
    outcomes = models.TextField("Outcomes sought", blank=True)
    is_demo = models.BooleanField(default=False)
    history = HistoricalRecords(excluded_fields=["modified_at"], m2m_fields=[services])

    def __str__(self) -> str:
        return f"Scope of {self.partnership}"


class Baseline(TimeStampedModel):
    """A partner in scope and what the services cost it today."""

    scope = models.ForeignKey(Scope, on_delete=models.CASCADE, related_name="baselines")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    annual_cost = models.DecimalField("Annual cost", **MONEY)
    staff = models.DecimalField("Staff (full-time equivalent)", max_digits=8, decimal_places=1)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["scope", "organisation"], name="baseline_once"),
            models.CheckConstraint(
                condition=models.Q(annual_cost__gte=0, staff__gte=0), name="baseline_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} baseline"


class Indicator(TimeStampedModel):
    """A performance indicator of a partner's baseline, with its value today."""

    baseline = models.ForeignKey(Baseline, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(max_length=200)
    value = models.DecimalField(max_digits=16, decimal_places=4)
    unit = models.CharField(max_length=40, blank=True)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class ConstraintKind(models.TextChoices):
    TUPE = "tupe", "TUPE (staff transfer)"
    PENSIONS = "pensions", "Pensions"
    CONTRACT = "existing_contract", "Existing contract"
    OTHER = "other", "Other"


class Constraint(TimeStampedModel):
    scope = models.ForeignKey(Scope, on_delete=models.CASCADE, related_name="constraints")
    kind = models.CharField(max_length=20, choices=ConstraintKind.choices)
    description = models.TextField()
    ends_on = models.DateField("End date (of an existing contract)", null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description[:40]}"


# --- options appraisal ---------------------------------------------------------------------


class Appraisal(TimeStampedModel):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="appraisals"
    )
    title = models.CharField(max_length=200)
    term_years = models.PositiveSmallIntegerField("Term (years)", default=10)
    discount_rate = models.DecimalField(
        "Discount rate (% a year)", max_digits=5, decimal_places=2, default=3.5
    )
    scale = models.PositiveSmallIntegerField("Scores out of", default=10)
    recommended = models.ForeignKey(
        "Option", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rationale = models.TextField(blank=True)
    agreed_on = models.DateField(null=True, blank=True)
    agreed_by = models.TextField("Agreed by", blank=True, help_text="Who agreed, for each partner")
    is_illustrative = models.BooleanField(default=False)
    is_demo = models.BooleanField(default=False)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["partnership", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(term_years__gte=1, term_years__lte=60), name="appraisal_term"
            ),
            models.CheckConstraint(
                condition=models.Q(discount_rate__gte=0, discount_rate__lt=100),
                name="appraisal_rate",
            ),
            models.CheckConstraint(
                condition=models.Q(scale__gte=1, scale__lte=100), name="appraisal_scale"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "procurement:appraisal-detail",
            kwargs={"slug": self.partnership.slug, "pk": self.pk},
        )

    @property
    def is_agreed(self) -> bool:
        return self.agreed_on is not None


class CriterionKind(models.TextChoices):
    COST = "cost", "Cost (scored from the whole-life cost)"
    QUALITY = "quality", "Quality"
    RISK = "risk", "Risk"
    DELIVERABILITY = "deliverability", "Deliverability"
    FIT = "fit", "Fit with each authority's priorities"
    OTHER = "other", "Other"


class Criterion(TimeStampedModel):
    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=16, choices=CriterionKind.choices)
    weight = models.DecimalField("Weight (%)", max_digits=5, decimal_places=2)
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["appraisal", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weight__gte=0, weight__lte=100), name="criterion_weight"
            )
        ]

    def __str__(self) -> str:
        return self.name


class OptionKind(models.TextChoices):
    IN_HOUSE = "in_house", "Keep in-house"
    SHARED = "shared_service", "Shared service between councils"
    JOINT_VENTURE = "joint_venture", "Joint venture"
    OUTSOURCE = "outsourcing", "Outsource to a private partner"
    VOLUNTARY = "voluntary", "Voluntary-sector partner"


class Option(TimeStampedModel):
    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="options")
    kind = models.CharField(max_length=16, choices=OptionKind.choices)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    upfront_cost = models.DecimalField("Upfront cost (year 0)", default=0, **MONEY)
    annual_cost = models.DecimalField("Annual cost", **MONEY)
    cost_source = models.CharField(max_length=300, blank=True)
    cost_model = models.ForeignKey(
        "sharing.CostModel", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["appraisal", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(upfront_cost__gte=0, annual_cost__gte=0),
                name="option_costs_not_negative",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Score(TimeStampedModel):
    option = models.ForeignKey(Option, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    score = models.DecimalField(max_digits=6, decimal_places=2)
    rationale = models.TextField()
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["option", "criterion"]
        constraints = [
            models.UniqueConstraint(fields=["option", "criterion"], name="score_once"),
            models.CheckConstraint(condition=models.Q(score__gte=0), name="score_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.option}: {self.criterion} {self.score}"


# --- procurement ---------------------------------------------------------------------------


class Category(models.TextChoices):
    GOODS = "goods", "Goods"
    WORKS = "works", "Works"
    SERVICES = "services", "Services"


class Procurement(TimeStampedModel):
    """One contracting process (an OCDS ``ocid``): a procurement or an exempt arrangement."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="procurements"
    )
    process_id = models.CharField(
        max_length=60, unique=True, editable=False, help_text="Stable: the ocid's local part"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    route = models.CharField(max_length=20, choices=Route.choices)
    category = models.CharField(max_length=10, choices=Category.choices, default=Category.SERVICES)
    buyer = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    other_buyers = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="+",
        help_text="Other authorities the contract serves",
    )
    department = models.CharField(max_length=200, blank=True)
    estimated_value = models.DecimalField(null=True, blank=True, **MONEY)
    legal_basis = models.TextField(blank=True, help_text="For an exempt arrangement")
    rationale = models.TextField(blank=True)
    option = models.ForeignKey(
        Option, on_delete=models.SET_NULL, null=True, blank=True, related_name="procurements"
    )
    panel = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="procurement_panels"
    )
    last_stage = models.CharField(max_length=20, choices=Stage.choices, blank=True, editable=False)
    is_illustrative = models.BooleanField(default=False)
    is_demo = models.BooleanField(default=False)
    history = HistoricalRecords(excluded_fields=["modified_at"], m2m_fields=[other_buyers, panel])

    class Meta:
        ordering = ["-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(estimated_value__isnull=True) | models.Q(estimated_value__gte=0),
                name="procurement_value_not_negative",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "procurement:procurement-detail",
            kwargs={"slug": self.partnership.slug, "pk": self.pk},
        )

    @property
    def route_info(self) -> RouteInfo:
        return ROUTES[self.route]

    @property
    def is_exempt(self) -> bool:
        return self.route_info.exempt

    @property
    def is_awarded(self) -> bool:
        stages = self.route_info.stages
        return bool(self.last_stage) and stages.index(self.last_stage) >= stages.index(Stage.AWARD)  # type: ignore[arg-type]

    @property
    def last_stage_label(self) -> str:
        return STAGE_LABELS.get(self.last_stage, "Not started")


class StageRecord(TimeStampedModel):
    procurement = models.ForeignKey(Procurement, on_delete=models.CASCADE, related_name="stages")
    stage = models.CharField(max_length=20, choices=Stage.choices)
    on = models.DateField("Date")
    notes = models.TextField(blank=True)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["procurement", "on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["procurement", "stage"], name="stage_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} on {self.on}"


class Bidder(TimeStampedModel):
    procurement = models.ForeignKey(Procurement, on_delete=models.CASCADE, related_name="bidders")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    companies_house_number = models.CharField(
        "Companies House number", max_length=8, blank=True,
        help_text="8 characters, for example 04254468 or SC123456",
    )  # fmt: skip
    is_sme = models.BooleanField("Small or medium-sized enterprise", default=False)
    is_vcse = models.BooleanField("Voluntary or community sector", default=False)
    tendered = models.BooleanField("Submitted a tender", default=True)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["procurement", "organisation"], name="bidder_once"),
        ]

    def __str__(self) -> str:
        return self.organisation.name


class EvaluationCriterion(TimeStampedModel):
    procurement = models.ForeignKey(
        Procurement, on_delete=models.CASCADE, related_name="evaluation_criteria"
    )
    name = models.CharField(max_length=120)
    weight = models.DecimalField("Weight (%)", max_digits=5, decimal_places=2)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["procurement", "name"], name="evaluation_criterion_once"
            )
        ]

    def __str__(self) -> str:
        return self.name


class EvaluationScore(TimeStampedModel):
    """A bidder's score on one criterion (0 to 10). Hidden from all but the evaluation panel and
    taskforce staff until the award decision."""

    bidder = models.ForeignKey(Bidder, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(
        EvaluationCriterion, on_delete=models.CASCADE, related_name="scores"
    )
    score = models.DecimalField(max_digits=5, decimal_places=2)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["bidder", "criterion"]
        constraints = [
            models.UniqueConstraint(fields=["bidder", "criterion"], name="evaluation_score_once"),
            models.CheckConstraint(
                condition=models.Q(score__gte=0, score__lte=10), name="evaluation_score_scale"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bidder}: {self.criterion} {self.score}"


class Award(TimeStampedModel):
    procurement = models.OneToOneField(Procurement, on_delete=models.CASCADE, related_name="award")
    supplier = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(**MONEY)
    term_months = models.PositiveSmallIntegerField("Term (months)")
    decided_on = models.DateField()
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(value__gte=0), name="award_value"),
        ]

    def __str__(self) -> str:
        return f"Award to {self.supplier}"


class Contract(TimeStampedModel):
    procurement = models.OneToOneField(
        Procurement, on_delete=models.CASCADE, related_name="contract"
    )
    award = models.OneToOneField(Award, on_delete=models.PROTECT, related_name="contract")
    title = models.CharField(max_length=200)
    starts_on = models.DateField("Start date")
    ends_on = models.DateField("End date")
    value = models.DecimalField(**MONEY)
    signed_on = models.DateField("Date signed")
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="contract_ends_after"
            ),
            models.CheckConstraint(condition=models.Q(value__gte=0), name="contract_value"),
        ]

    def __str__(self) -> str:
        return self.title


class ChangeKind(models.TextChoices):
    EXTENSION = "extension", "Extension"
    AMENDMENT = "amendment", "Amendment"


class ContractChange(TimeStampedModel):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=10, choices=ChangeKind.choices)
    on = models.DateField("Date")
    description = models.TextField()
    new_end = models.DateField("New end date", null=True, blank=True)
    value_change = models.DecimalField("Change in value", default=0, **MONEY)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["contract", "on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.on}"


# --- management arrangements ---------------------------------------------------------------


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    TWICE_YEARLY = "twice_yearly", "Twice a year"
    YEARLY = "yearly", "Yearly"


class Arrangement(TimeStampedModel):
    """How a contract is run after award."""

    contract = models.OneToOneField(Contract, on_delete=models.CASCADE, related_name="arrangement")
    board_name = models.CharField("Governance board", max_length=200)
    meeting_frequency = models.CharField(max_length=16, choices=Frequency.choices)
    client_team = models.TextField("Client-side team")
    payment_mechanism = models.TextField()
    next_review_on = models.DateField("Next review", null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    def __str__(self) -> str:
        return self.board_name


class BoardMember(TimeStampedModel):
    arrangement = models.ForeignKey(Arrangement, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    person = models.CharField(max_length=200)
    role = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.person


class KPI(TimeStampedModel):
    arrangement = models.ForeignKey(Arrangement, on_delete=models.CASCADE, related_name="kpis")
    name = models.CharField(max_length=200)
    unit = models.CharField(max_length=40, blank=True)
    target = models.DecimalField(max_digits=16, decimal_places=4)
    higher_is_better = models.BooleanField(default=True)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["pk"]
        verbose_name = "performance indicator"

    def __str__(self) -> str:
        return self.name


class KPIValue(TimeStampedModel):
    kpi = models.ForeignKey(KPI, on_delete=models.CASCADE, related_name="values")
    period_end = models.DateField("End of period")
    value = models.DecimalField(max_digits=16, decimal_places=4)
    history = HistoricalRecords(excluded_fields=["modified_at"])

    class Meta:
        ordering = ["kpi", "period_end"]
        constraints = [
            models.UniqueConstraint(fields=["kpi", "period_end"], name="kpi_value_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kpi}: {self.value} to {self.period_end}"


# --- open contracting ----------------------------------------------------------------------


class Release(models.Model):
    """A published OCDS release, frozen when it is published: its id, tag, date and body never
    change (the ocid is the configured prefix and the procurement's ``process_id``)."""

    procurement = models.ForeignKey(Procurement, on_delete=models.CASCADE, related_name="releases")
    local_id = models.CharField(max_length=40)
    tag = models.CharField(max_length=24)
    date = models.DateTimeField()
    data = models.JSONField()
    published_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["procurement", "date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["procurement", "local_id"], name="release_once"),
        ]

    def __str__(self) -> str:
        return f"{self.procurement.process_id}-{self.local_id}"
