"""Demo cost models (illustrative figures) for the two real partnerships; idempotent.

North Yorkshire ICT Partnership: nine councils in June 2002 with their own back offices, a shared
CRM and contact centre (economies of scale on transactions) and a shared data centre sized for
the most demanding council. They split it by population, as councils then usually did. The core
check shows what that split hid: Craven, Harrogate, Scarborough and Selby together would have
paid less going ahead on their own, and they were the four who left first. Each membership
change from the partnerships demo becomes a new version with old and new shares.

Runs after ``partnering.partnerships.demo``; when that demo has replayed the membership history
already, the versions are built from the history (members on each change date).
"""

from datetime import date
from decimal import Decimal
from typing import Any

from partnering.core.models import User
from partnering.organisations.models import Organisation
from partnering.partnerships.models import Partnership
from partnering.partnerships.selectors import members_on

from .models import ComponentKind, CostModel, CurveType, ProportionalBasis, ShareAgreement
from .services import (
    ComponentSpec,
    CostModelSpec,
    EstimateSpec,
    MemberSpec,
    agreement_record,
    cost_model_create,
    cost_model_versions_from_history,
    risk_scenario_create,
)

NORTH_YORKS, WORCS = "north-yorkshire-ict-partnership", "worcestershire-partnership"
FOUNDED = date(2002, 6, 1)

# GSS code -> (own back office and ICT GBP a year, CRM transactions a year, data centre GBP a year)
NORTH_YORKS_FIGURES = {
    "E10000023": (2_500_000, 1_600_000, 1_800_000),  # North Yorkshire County Council
    "E06000014": (800_000, 560_000, 800_000),  # City of York
    "E07000163": (140_000, 90_000, 220_000),  # Craven
    "E07000164": (420_000, 280_000, 480_000),  # Hambleton
    "E07000165": (390_000, 260_000, 420_000),  # Harrogate
    "E07000166": (260_000, 160_000, 300_000),  # Richmondshire
    "E07000167": (270_000, 170_000, 300_000),  # Ryedale
    "E07000168": (280_000, 190_000, 380_000),  # Scarborough
    "E07000169": (200_000, 130_000, 300_000),  # Selby
}
AGILISYS_FIGURES = (0, 400_000, 600_000)
# North Yorkshire Council (from April 2023) runs what the county and Hambleton ran: their sum.
SUCCESSOR_FIGURES = {
    "E06000065": tuple(
        a + b
        for a, b in zip(
            NORTH_YORKS_FIGURES["E10000023"], NORTH_YORKS_FIGURES["E07000164"], strict=True
        )
    ),
}
COMPONENTS = ("Own back office and ICT", "Shared CRM and contact centre", "Shared data centre")


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _spec(
    title: str, on: date, organisations: list[Organisation], figures: dict[int, tuple[int, int, int]],
    *, fixed: int, scale: str, exponent: str, demand: str, weight: str,
) -> CostModelSpec:  # fmt: skip
    return CostModelSpec(
        title=title,
        effective_on=on,
        demand_measure=demand,
        weight_measure=weight,
        proportional_basis=ProportionalBasis.WEIGHTS,
        is_illustrative=True,
        members=[
            MemberSpec(o, Decimal(o.population) if o.population is not None else Decimal(0))
            for o in organisations
        ],
        components=[
            ComponentSpec(
                kind=ComponentKind.STANDALONE,
                name=COMPONENTS[0] if demand.startswith("CRM") else "Own customer services",
                values={o.pk: Decimal(figures[o.pk][0]) for o in organisations},
            ),
            ComponentSpec(
                kind=ComponentKind.POOLED,
                name=COMPONENTS[1]
                if demand.startswith("CRM")
                else "Shared customer service centres",
                values={o.pk: Decimal(figures[o.pk][1]) for o in organisations},
                fixed_cost=Decimal(fixed),
                curve_type=CurveType.POWER,
                curve_scale=Decimal(scale),
                curve_exponent=Decimal(exponent),
            ),
            ComponentSpec(
                kind=ComponentKind.AIRPORT,
                name=COMPONENTS[2]
                if demand.startswith("CRM")
                else "Shared website and CRM platform",
                values={o.pk: Decimal(figures[o.pk][2]) for o in organisations},
            ),
        ],
    )


def _north_yorkshire(actor: Any) -> str:
    partnership = Partnership.objects.filter(slug=NORTH_YORKS).first()
    if partnership is None:
        return "North Yorkshire skipped (no partnership)"
    created = 0
    if not CostModel.objects.filter(partnership=partnership).exists():
        organisations = [m.organisation for m in members_on(partnership, FOUNDED)]
        figures = {
            o.pk: NORTH_YORKS_FIGURES.get(o.gss_code or "", AGILISYS_FIGURES) for o in organisations
        }
        spec = _spec(
            "Nine councils: shared CRM, contact centre and data centre (June 2002)",
            FOUNDED, organisations, figures, fixed=450_000, scale="60", exponent="0.7",
            demand="CRM transactions per year", weight="population (ONS 2020 estimate)",
        )  # fmt: skip
        first = cost_model_create(
            partnership=partnership,
            spec=spec,
            change_reason="The nine founding councils' illustrative costs",
            background=False,
            actor=actor,
        )
        created += 1
        agreement_record(
            cost_model=first,
            method="proportional",
            agreed_on=date(2002, 6, 28),
            reason=(
                "Split by population, as councils usually did: simple to explain to members. "
                "(Illustrative: the partnership's real split is not recorded here.)"
            ),
            actor=actor,
        )
        risk_scenario_create(
            cost_model=first,
            name="Implementation overrun",
            split_basis="agreed",
            rule="proportional",
            estimates=[
                EstimateSpec(COMPONENTS[1], Decimal(-50_000), Decimal(120_000), Decimal(600_000)),
                EstimateSpec(COMPONENTS[2], Decimal(-20_000), Decimal(60_000), Decimal(400_000)),
            ],
            actor=actor,
        )
        risk_scenario_create(
            cost_model=first,
            name="Target cost with the private partner",
            split_basis="shapley",
            rule="pain_gain",
            target=Decimal(9_800_000),
            pain_bands=[(0.1, 0.5), (None, 1.0)],
            gain_bands=[(None, 0.5)],
            estimates=[
                EstimateSpec(COMPONENTS[1], Decimal(-50_000), Decimal(120_000), Decimal(600_000)),
                EstimateSpec(COMPONENTS[2], Decimal(-20_000), Decimal(60_000), Decimal(400_000)),
            ],
            actor=actor,
        )
    first = CostModel.objects.get(partnership=partnership, version=1)
    for version in CostModel.objects.filter(partnership=partnership, version__gt=1):
        _fill_new_members(version, actor)
    versions = cost_model_versions_from_history(
        partnership=partnership, since=first.effective_on, actor=actor
    )
    for version in versions:
        _fill_new_members(version, actor)
    created += len(versions)
    total = CostModel.objects.filter(partnership=partnership).count()
    return f"North Yorkshire: {total} versions ({created} new)"


def _fill_new_members(cost_model: CostModel, actor: Any) -> None:
    """Members who join after June 2002 come with no figures: Agilisys (a private partner, so
    no population weight) and North Yorkshire Council, the 2023 successor. Give them the demo's
    illustrative ones (drafts only)."""
    from .services import cost_model_update, spec_from_cost_model

    if not cost_model.is_draft:
        return
    spec = spec_from_cost_model(cost_model)
    changed, who = False, []
    for member in spec.members:
        org = member.organisation
        if org.gss_code in NORTH_YORKS_FIGURES:
            continue
        if org.gss_code in SUCCESSOR_FIGURES:
            figures = SUCCESSOR_FIGURES[org.gss_code]
        elif org.name == "Agilisys":
            figures = AGILISYS_FIGURES
            if member.weight != Decimal(0):
                member.weight = Decimal(0)
                changed = True
        else:
            continue
        for component, value in zip(spec.components, figures, strict=True):
            if component.values.get(org.pk) != Decimal(value):
                component.values[org.pk] = Decimal(value)
                changed = True
        who.append(org.name)
    if changed:
        cost_model_update(
            cost_model=cost_model,
            spec=spec,
            reason=f"Illustrative figures for {' and '.join(who)}",
            actor=actor,
        )


def _worcestershire(actor: Any) -> str:
    partnership = Partnership.objects.filter(slug=WORCS).first()
    if partnership is None:
        return "Worcestershire skipped (no partnership)"
    if CostModel.objects.filter(partnership=partnership).exists():
        return "Worcestershire: cost model already loaded"
    on = max(partnership.start_date or date(1998, 4, 1), date(2002, 4, 1))
    organisations = [m.organisation for m in members_on(partnership, on)]
    figures: dict[int, tuple[int, int, int]] = {}
    for index, org in enumerate(organisations):
        people = org.population or 0
        if people:
            figures[org.pk] = (people * 3, people * 2, 150_000 + people // 2)
        else:  # police, fire, health and other bodies: smaller, varied front offices
            figures[org.pk] = (
                180_000 + 25_000 * (index % 5),
                60_000 + 15_000 * (index % 4),
                120_000,
            )
    spec = _spec(
        "One front door: shared customer service centres and website (2002)",
        on, organisations, figures, fixed=600_000, scale="45", exponent="0.75",
        demand="customer contacts per year", weight="population (ONS 2020 estimate)",
    )  # fmt: skip
    cost_model = cost_model_create(
        partnership=partnership,
        spec=spec,
        change_reason="Illustrative costs of the one front door",
        background=False,
        actor=actor,
    )
    agreement_record(
        cost_model=cost_model,
        method="shapley",
        agreed_on=date(2002, 7, 15),
        reason="Each body pays the extra cost it brings, averaged over every order of joining.",
        actor=actor,
    )
    return f"Worcestershire: cost model for {len(organisations)} members"


def load() -> str:
    actor = _user("staff")
    parts = [_north_yorkshire(actor), _worcestershire(actor)]
    agreements = ShareAgreement.objects.count()
    return "; ".join(parts) + f"; {agreements} agreements"
