"""Reads of the funding room, each at a fixed number of queries whatever the size of the data.

Money sums are ``Decimal`` to the penny: the database sums ``numeric`` columns (exact on
PostgreSQL; on SQLite the sum is quantised back to pence, exact for any realistic total), and
everything after that is ``Decimal`` arithmetic in Python.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear

from partnering.organisations.models import Kind, Organisation
from partnering.partnerships.models import Membership, Partnership, PartnershipKind, ServiceArea

from .maths.money import PENNY, financial_year_label
from .maths.progress import Point, progress_by_year, year_ends
from .models import (
    Application,
    Award,
    AwardYear,
    Claim,
    ClaimStatus,
    EEnablement,
    EEnablementTally,
    FinanceOfficer,
    FundingProgramme,
    Milestone,
    PromisedService,
    Round,
)
from .permissions import (
    applications_visible_to,
    awards_visible_to,
    claims_visible_to,
    rounds_visible_to,
)

ZERO = Decimal("0.00")
MONEY_OUT = DecimalField(max_digits=16, decimal_places=2)
#: Councils whose services are counted: the principal councils (not combined authorities).
SERVICE_COUNCIL_KINDS = (
    Kind.COUNTY,
    Kind.DISTRICT,
    Kind.UNITARY,
    Kind.METROPOLITAN_DISTRICT,
    Kind.LONDON_BOROUGH,
    Kind.CITY_CORPORATION,
)
FIRST_YEAR, TARGET_YEAR = 2002, 2005


def programme_current() -> FundingProgramme | None:
    return FundingProgramme.objects.order_by("-starts_on", "pk").first()


def round_list(*, viewer: Any, programme: FundingProgramme | None = None) -> QuerySet[Round]:
    awarded = (
        Award.objects.filter(round=OuterRef("pk"))
        .values("round")
        .annotate(s=Sum("amount"))
        .values("s")
    )
    qs = (
        rounds_visible_to(viewer)
        .select_related("programme")
        .annotate(
            awarded=Coalesce(
                Subquery(awarded, output_field=MONEY_OUT), Value(ZERO), output_field=MONEY_OUT
            ),
            application_count=Count("applications", distinct=True),
        )
    )
    if programme is not None:
        qs = qs.filter(programme=programme)
    return qs.order_by("programme", "number")


def application_list(
    *, viewer: Any, round_: Round | None = None, status: str | None = None
) -> QuerySet[Application]:
    requested = (
        Milestone.objects.filter(application=OuterRef("pk"))
        .values("application")
        .annotate(s=Sum("amount"))
        .values("s")
    )
    qs = (
        applications_visible_to(viewer)
        .select_related("round", "partnership", "partnership__lead_organisation")
        .annotate(
            requested=Coalesce(
                Subquery(requested, output_field=MONEY_OUT), Value(ZERO), output_field=MONEY_OUT
            )
        )
    )
    if round_ is not None:
        qs = qs.filter(round=round_)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("reference")


def application_get(*, viewer: Any, reference: str) -> Application:
    return (
        applications_visible_to(viewer)
        .select_related(
            "round", "round__programme", "partnership", "partnership__lead_organisation"
        )
        .prefetch_related(
            Prefetch("budget_lines", queryset=_budget_lines()),
            "milestones",
            Prefetch(
                "promised_services",
                queryset=PromisedService.objects.select_related("service", "organisation"),
            ),
            "round__criteria",
        )
        .get(reference=reference)
    )


def _budget_lines() -> QuerySet[Any]:
    from .models import BudgetLine

    return BudgetLine.objects.select_related("organisation")


def award_list(*, viewer: Any, round_: Round | None = None) -> QuerySet[Award]:
    qs = awards_visible_to(viewer).select_related(
        "round", "recipient", "application", "application__partnership"
    )
    if round_ is not None:
        qs = qs.filter(round=round_)
    return qs.order_by("round__number", "pk")


def award_get(*, viewer: Any, pk: int) -> Award:
    return (
        awards_visible_to(viewer)
        .select_related(
            "round", "round__programme", "recipient", "application", "application__partnership"
        )
        .prefetch_related(
            Prefetch("shares", queryset=_shares_qs()),
            "application__milestones",
            Prefetch("claims", queryset=Claim.objects.select_related("milestone", "payment")),
            "variations",
            "recoveries",
        )
        .get(pk=pk)
    )


def _shares_qs() -> QuerySet[Any]:
    from .models import AwardShare

    return AwardShare.objects.select_related("organisation")


def claim_list(*, viewer: Any, status: str | None = None) -> QuerySet[Claim]:
    qs = claims_visible_to(viewer).select_related(
        "award",
        "milestone",
        "award__application",
        "award__application__partnership",
        "submitted_by",
        "approved_by",
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("claimed_on", "pk")


def claim_get(*, viewer: Any, pk: int) -> Claim:
    return (
        claims_visible_to(viewer)
        .select_related(
            "award",
            "milestone",
            "award__application",
            "award__application__partnership",
            "submitted_by",
            "approved_by",
        )
        .prefetch_related("evidence")
        .get(pk=pk)
    )


# --- the money view --------------------------------------------------------------------------


@dataclass
class MoneyRow:
    label: str
    budget: Decimal | None = None
    committed: Decimal = ZERO
    paid: Decimal = ZERO
    recovered: Decimal = ZERO  # clawed back or withheld
    awards: int = 0

    @property
    def awarded(self) -> Decimal:
        """Awarded, gross: what is committed and what was recovered."""
        return self.committed + self.recovered

    @property
    def remaining(self) -> Decimal | None:
        """What may still be awarded: the budget less every award, gross (money recovered does
        not go back into the budget)."""
        return None if self.budget is None else self.budget - self.awarded

    @property
    def outstanding(self) -> Decimal:
        return self.committed - self.paid


@dataclass
class MoneyView:
    programme: FundingProgramme | None
    total: MoneyRow
    by_round: list[MoneyRow] = field(default_factory=list)
    by_region: list[MoneyRow] = field(default_factory=list)
    by_kind: list[MoneyRow] = field(default_factory=list)
    by_year: list[MoneyRow] = field(default_factory=list)


def _rows(groups: dict[str, MoneyRow]) -> list[MoneyRow]:
    return sorted(groups.values(), key=lambda r: r.label)


def _financial_year(on: str) -> Case:
    """The financial year (April to March) of a date column, computed by the database."""
    return Case(
        When(**{f"{on}__month__gte": 4}, then=ExtractYear(on)),
        default=ExtractYear(on) - 1,
        output_field=IntegerField(),
    )


def award_demo_flags(
    programme: FundingProgramme | None = None, *, published_only: bool = False
) -> list[bool]:
    """Whether the awards (of ``programme``, or published ones) are demo data: the distinct
    values, for a download's "Figures" line (one query)."""
    awards = Award.objects.all()
    if programme is not None:
        awards = awards.filter(round__programme=programme)
    if published_only:
        awards = awards.filter(is_published=True)
    return list(awards.order_by().values_list("is_demo", flat=True).distinct())


def money_view(*, programme: FundingProgramme | None = None) -> MoneyView:
    """Committed (awards less recoveries), recovered (clawed back or withheld), paid (payments
    less clawbacks) and remaining (budget less every award, gross) for the whole programme, by round, region, partnership kind and financial
    year. Published awards only: everyone sees the same figures. The database adds up (five
    grouped queries whatever the number of awards, claims and payments): the groups from the
    awards' running totals (``Award.paid_gross``, ``clawed``, ``withheld``, and the same by
    financial year in ``AwardYear``, kept by the services with each payment and recovery), the
    years' commitments from the milestones. Nothing is cached, so the figures are never stale."""
    programme = programme or programme_current()
    if programme is None:
        return MoneyView(programme=None, total=MoneyRow("All rounds"))
    rounds = list(Round.objects.filter(programme=programme).order_by("number"))
    round_ids = [r.pk for r in rounds]
    by_round = {r.pk: MoneyRow(r.title, budget=r.budget) for r in rounds}
    by_region: dict[str, MoneyRow] = {}
    by_kind: dict[str, MoneyRow] = {}
    years: dict[int, MoneyRow] = {}
    kinds = dict(PartnershipKind.choices)
    total = MoneyRow("All rounds", budget=programme.total_budget)

    def rows_for(r: dict[str, Any]) -> tuple[MoneyRow, ...]:
        region = r["region"] or "No region"
        kind = kinds.get(r["pkind"], "Not known")
        return (
            by_round[r["rnd"]],
            by_region.setdefault(region, MoneyRow(region)),
            by_kind.setdefault(kind, MoneyRow(kind)),
            total,
        )

    def year_row(y: int) -> MoneyRow:
        return years.setdefault(y, MoneyRow(financial_year_label(y)))

    # Round, region and kind from the awards' running totals (one row per award, never a row per
    # payment); the financial years from their totals by year and the milestones' due dates.
    awards = (
        Award.objects.filter(round_id__in=round_ids)
        .values(
            rnd=F("round_id"),
            region=F("application__partnership__region"),
            pkind=F("application__partnership__kind"),
        )
        .annotate(
            awarded=Sum("amount"),
            paid_sum=Sum("paid_gross"),
            clawed_sum=Sum("clawed"),
            withheld_sum=Sum("withheld"),
            n=Count("pk"),
        )
        .order_by()
    )
    for r in awards:
        clawed, withheld = r["clawed_sum"] or ZERO, r["withheld_sum"] or ZERO
        for row in rows_for(r):
            # a withholding or a clawback reduces what is committed (and is counted as
            # recovered); money clawed back is no longer paid
            row.committed += (r["awarded"] or ZERO) - clawed - withheld
            row.recovered += clawed + withheld
            row.paid += (r["paid_sum"] or ZERO) - clawed
            row.awards += r["n"]
    award_years = (
        AwardYear.objects.filter(award__round_id__in=round_ids)
        .values("financial_year")
        .annotate(
            paid_sum=Sum("paid_gross"), clawed_sum=Sum("clawed"), withheld_sum=Sum("withheld")
        )
        .order_by()
    )
    for r in award_years:
        row, clawed = year_row(r["financial_year"]), r["clawed_sum"] or ZERO
        recovered = clawed + (r["withheld_sum"] or ZERO)
        row.paid += (r["paid_sum"] or ZERO) - clawed
        row.committed -= recovered
        row.recovered += recovered
    milestones = (
        Milestone.objects.filter(application__award__round_id__in=round_ids)
        .annotate(fy=_financial_year("due_on"))
        .values("fy")
        .annotate(s=Sum("amount"))
        .order_by()
    )
    for r in milestones:
        year_row(r["fy"]).committed += r["s"] or ZERO
    for row in [total, *by_round.values(), *by_region.values(), *by_kind.values(), *years.values()]:
        row.committed = row.committed.quantize(PENNY)
        row.paid = row.paid.quantize(PENNY)
        row.recovered = row.recovered.quantize(PENNY)
    return MoneyView(
        programme=programme,
        total=total,
        by_round=[by_round[r.pk] for r in rounds],
        by_region=_rows(by_region),
        by_kind=_rows(by_kind),
        by_year=[years[y] for y in sorted(years)],
    )


# --- e-enablement ----------------------------------------------------------------------------


def catalogue() -> QuerySet[ServiceArea]:
    """The LGSL catalogue the target counts: the services GOV.UK still lists (not retired)."""
    return ServiceArea.objects.filter(disabled_on__isnull=True)


def provided_by(tier: str, services: Iterable[ServiceArea]) -> list[ServiceArea]:
    """The services a council of this tier provides (by the catalogue's providing tier)."""
    return [
        s
        for s in services
        if s.providing_tier == "all" or (tier and tier in s.providing_tier.split("/"))
    ]


def _tier_counts() -> tuple[dict[str, int], list[int]]:
    """How many services of the catalogue each tier provides, and the retired services' ids."""
    every = list(ServiceArea.objects.only("pk", "providing_tier", "disabled_on").order_by())
    services = [s for s in every if s.disabled_on is None]
    return (
        {tier: len(provided_by(tier, services)) for tier in ("county", "district", "unitary")},
        [s.pk for s in every if s.disabled_on is not None],
    )


@dataclass
class CouncilProgress:
    organisation: Organisation
    services: int
    enabled: int

    @property
    def percent(self) -> Decimal:
        if not self.services:
            return Decimal("0.0")
        return (Decimal(100) * self.enabled / self.services).quantize(Decimal("0.1"))


@dataclass
class ProgressView:
    points: list[Point]
    councils: list[CouncilProgress]
    target_date: date
    by_route: list[tuple[str, int]]
    illustrative: bool


def _councils(qs: QuerySet[Organisation]) -> QuerySet[Organisation]:
    return qs.filter(kind__in=SERVICE_COUNCIL_KINDS, existed_2003=True)


def e_enablement_view(
    *, councils: QuerySet[Organisation] | None = None, today: date | None = None
) -> ProgressView:
    """Share of the councils' services e-enabled at each year end from 2002 to the target, and
    per council (four queries however many councils and records, three while no service is
    retired): each council's tally of its
    records, less its records of services since retired."""
    from django.utils import timezone

    from .models import Route

    today = today or timezone.localdate()
    base = _councils(councils if councils is not None else Organisation.objects.all())
    council_rows = list(
        base.only("pk", "name", "slug", "tier", "gss_code", "kind").order_by("name")
    )
    counts, retired_services = _tier_counts()
    services = {c.pk: counts.get(c.tier, 0) for c in council_rows}
    enabled_by: Counter[int] = Counter()
    by_year: Counter[int] = Counter()
    routes: Counter[str] = Counter()
    illustrative = False
    for council, years, ways, shown in EEnablementTally.objects.filter(
        organisation__in=base
    ).values_list("organisation_id", "by_year", "by_route", "illustrative"):
        for year, n in years.items():
            by_year[int(year)] += n
            enabled_by[council] += n
        routes.update(ways)
        illustrative = illustrative or shown > 0
    retired = (
        EEnablement.objects.filter(
            organisation__in=base,
            e_enabled_on__isnull=False,
            service__in=retired_services,  # by id: the planner then reads just their records
        )
        .annotate(y=ExtractYear("e_enabled_on"))
        .order_by()
        .values("organisation", "y", "route")
        .annotate(n=Count("pk"))
        .values_list("organisation", "y", "route", "n")
    )
    for council, year, route, n in retired:  # the tallies count every service's records
        enabled_by[council] -= n
        by_year[year] -= n
        routes[route] -= n
    ends = year_ends(FIRST_YEAR, TARGET_YEAR)  # the programme's years, to the 2005 target
    points = progress_by_year(by_year, sum(services.values()), ends)
    return ProgressView(
        points=points,
        councils=[
            CouncilProgress(c, services[c.pk], enabled_by.get(c.pk, 0)) for c in council_rows
        ],
        target_date=date(TARGET_YEAR, 12, 31),
        by_route=[(label, routes.get(value, 0)) for value, label in Route.choices],
        illustrative=illustrative,
    )


def partnership_councils(partnership: Partnership) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        pk__in=Membership.objects.filter(partnership=partnership).values("organisation")
    )


@dataclass
class ServiceStatus:
    service: ServiceArea
    record: EEnablement | None


def council_services(organisation: Organisation) -> list[ServiceStatus]:
    """Every service the council provides with its e-enablement record (two queries)."""
    services = provided_by(organisation.tier, catalogue().order_by("lgsl_code"))
    records = {
        r.service_id: r
        for r in EEnablement.objects.filter(organisation=organisation).select_related("award")
    }
    return [ServiceStatus(s, records.get(s.pk)) for s in services]


def service_online_at(*, lgsl_code: int, gss_codes: Iterable[str]) -> dict[str, EEnablement]:
    """Council GSS code -> its e-enablement record of one LGSL service, for the councils that
    have one (one query). The front door reads it to say where a service can be done online."""
    codes = [c for c in gss_codes if c]
    if not codes:
        return {}
    records = EEnablement.objects.filter(
        service__lgsl_code=lgsl_code, organisation__gss_code__in=codes
    ).select_related("organisation")
    return {str(r.organisation.gss_code): r for r in records}


@dataclass
class Promise:
    promise: PromisedService
    delivered_on: date | None

    @property
    def on_time(self) -> bool:
        return self.delivered_on is not None and self.delivered_on <= self.promise.by_date

    @property
    def status(self) -> str:
        """``delivered`` (by the date promised), ``late`` (after it) or ``not_yet``."""
        if self.delivered_on is None:
            return "not_yet"
        return "delivered" if self.on_time else "late"


def promises(application: Application) -> list[Promise]:
    """The project's promised services against what was delivered (two queries)."""
    rows = list(application.promised_services.select_related("service", "organisation"))
    delivered = {
        (r.organisation_id, r.service_id): r.e_enabled_on
        for r in EEnablement.objects.filter(
            organisation__in={p.organisation_id for p in rows},
            service__in={p.service_id for p in rows},
            e_enabled_on__isnull=False,
        )
    }
    return [Promise(p, delivered.get((p.organisation_id, p.service_id))) for p in rows]


def finance_officers() -> list[FinanceOfficer]:
    """Every finance officer with their user (one query)."""
    return list(
        FinanceOfficer.objects.select_related("user").order_by(
            "user__first_name", "user__last_name", "user__username"
        )
    )


def finance_officer_choices() -> QuerySet[Any]:
    """Taskforce staff who could be named finance officers: active, not one already."""
    from partnering.core.models import Role, User

    return (
        User.objects.filter(is_active=True, role=Role.STAFF)
        .exclude(pk__in=FinanceOfficer.objects.values("user"))
        .order_by("first_name", "last_name", "username")
    )


def claims_waiting(*, viewer: Any) -> dict[str, int]:
    qs = claims_visible_to(viewer)
    return qs.aggregate(
        submitted=Count("pk", filter=Q(status=ClaimStatus.SUBMITTED)),
        approved=Count("pk", filter=Q(status=ClaimStatus.APPROVED)),
    )
