"""Demo data of the procurement room (idempotent; every record says where its figures come from).

- North Yorkshire ICT Partnership: the 2004 procurement of a private partner by competitive
  dialogue, Agilisys among the bidders, awarded a ten-year managed ICT contract with Hambleton
  and the county. Recorded on today's route of that name (PCR 2015 reg. 30: the procedure came
  into English law in 2006, so the 2004 process is matched to its nearest modern route). The
  value (about £7.4m over ten years) is the one York Press reported; stage dates, the other two
  bidders (made-up demo companies) and the scores are illustrative.
- Worcestershire Partnership: the options appraisal for its joined-up access to services, the
  shared-service option costed from the partnership's cost model (itself illustrative), and a
  shared-service arrangement between two of its districts recorded as exempt from procurement
  (horizontal co-operation). Illustrative figures, marked as such.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from partnering.core.models import User
from partnering.organisations.models import Organisation
from partnering.partnerships.models import Partnership

from . import services
from .models import Appraisal, Procurement

NORTH_YORKS, WORCS = "north-yorkshire-ict-partnership", "worcestershire-partnership"
ILLUSTRATIVE = "illustrative figures"


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _org(name: str) -> Organisation | None:
    return Organisation.objects.filter(name=name).first()


def _north_yorkshire(actor: Any) -> str:
    p = Partnership.objects.filter(slug=NORTH_YORKS).first()
    if p is None:
        return "North Yorkshire skipped (no partnership)"
    if Procurement.objects.filter(partnership=p).exists():
        return "North Yorkshire: procurement already loaded"
    county = _org("North Yorkshire County Council")
    hambleton = _org("Hambleton District Council")
    agilisys = _org("Agilisys")
    if county is None or hambleton is None or agilisys is None:
        return "North Yorkshire skipped (organisations missing)"
    panel = [u for u in (_user("adviser"), _user("staff")) if u is not None]
    proc = services.procurement_create(
        partnership=p,
        title="Strategic ICT and e-government partner",
        description=(
            "A private partner to run ICT and deliver the joint e-government strategy "
            "(CRM, website, contact centre). Originally for nine councils; Hambleton District "
            "Council and North Yorkshire County Council signed. Run in 2004 as a competitive "
            "process with dialogue; recorded here on today's competitive dialogue route."
        ),
        route="pcr_dialogue", buyer=county, other_buyers=[hambleton], department="ICT",
        estimated_value=Decimal("7400000"), panel=panel, is_illustrative=True, is_demo=True,
        rationale="Options appraisal: a private partner brings the investment and skills the "
                  "councils lacked (demo summary)",
        actor=actor,
    )  # fmt: skip
    bidders = [agilisys] + [o for o in (_org("Example Digital Partners Ltd"),
                                        _org("Demo Shared Services Ltd")) if o]  # fmt: skip
    for org in bidders:
        services.bidder_add(procurement=proc, organisation=org, number_unknown=True,
                            is_sme=org is not agilisys and org.is_demo, actor=actor)  # fmt: skip
    for stage, on in [
        ("notice", date(2004, 1, 12)),
        ("selection", date(2004, 2, 27)),
        ("dialogue", date(2004, 3, 22)),
        ("itt", date(2004, 5, 10)),
    ]:
        services.stage_record(procurement=proc, stage=stage, on=on,
                              notes=f"Date approximate ({ILLUSTRATIVE})", actor=actor)  # fmt: skip
    services.stage_record(procurement=proc, stage="tenders_received", on=date(2004, 6, 14),
                          notes="Date approximate", actor=actor)  # fmt: skip
    quality, price = services.evaluation_criteria_set(procurement=proc, criteria=[
        {"name": "Quality and deliverability", "weight": 60}, {"name": "Price", "weight": 40},
    ], actor=actor)  # fmt: skip
    for bidder, scores in zip(proc.bidders.order_by("pk"), [(8, 7), (6, 8), (5, 6)],
                              strict=False):  # fmt: skip
        services.evaluation_score_set(bidder=bidder, criterion=quality, score=scores[0],
                                      actor=actor)  # fmt: skip
        services.evaluation_score_set(bidder=bidder, criterion=price, score=scores[1],
                                      actor=actor)  # fmt: skip
    services.stage_record(procurement=proc, stage="evaluation", on=date(2004, 7, 5),
                          notes=f"Scores {ILLUSTRATIVE}", actor=actor)  # fmt: skip
    services.award_record(procurement=proc, supplier=agilisys, value=Decimal("7400000"),
                          term_months=120, decided_on=date(2004, 8, 2),
                          notes="About £7.4m over ten years (York Press)", actor=actor)  # fmt: skip
    services.stage_record(procurement=proc, stage="standstill", on=date(2004, 8, 16),
                          actor=actor)  # fmt: skip
    contract = services.contract_sign(
        procurement=proc, title="Ten-year managed ICT and e-government services contract",
        starts_on=date(2004, 10, 1), ends_on=date(2014, 9, 30), value=Decimal("7400000"),
        signed_on=date(2004, 9, 24), actor=actor,
    )  # fmt: skip
    arrangement = services.arrangement_save(
        contract=contract, board_name="ICT Partnership Board", meeting_frequency="quarterly",
        client_team="A client-side team of two (a contract manager and an e-government "
                    "officer) hosted by the county (demo)",
        payment_mechanism="Annual service charge paid monthly, with service credits against "
                          "the performance indicators (demo)",
        next_review_on=date(2007, 10, 1), actor=actor,
    )  # fmt: skip
    for org, person, role in [
        (county, "Head of ICT", "Chair"),
        (hambleton, "Director of Resources", "Member"),
        (agilisys, "Partnership Director", "Supplier member"),
    ]:
        services.board_member_add(arrangement=arrangement, organisation=org,
                                  person=f"{person} (demo)", role=role, actor=actor)  # fmt: skip
    kpi = services.kpi_add(arrangement=arrangement, name="Service desk calls resolved at first "
                           "contact", unit="%", target=70, actor=actor)  # fmt: skip
    for on, value in [
        (date(2005, 3, 31), 61),
        (date(2005, 9, 30), 66),
        (date(2006, 3, 31), 72),
        (date(2006, 9, 30), 74),
    ]:
        services.kpi_value_record(kpi=kpi, period_end=on, value=value, actor=actor)
    return "North Yorkshire: competitive dialogue, award and contract with Agilisys"


def _worcestershire(actor: Any) -> str:
    p = Partnership.objects.filter(slug=WORCS).first()
    if p is None:
        return "Worcestershire skipped (no partnership)"
    if Appraisal.objects.filter(partnership=p).exists():
        return "Worcestershire: appraisal already loaded"
    from partnering.sharing.models import CostModel
    from partnering.sharing.selectors import calculation_of

    county = _org("Worcestershire County Council")
    malvern = _org("Malvern Hills District Council")
    worcester = _org("Worcester City Council")
    wychavon = _org("Wychavon District Council")
    scope = services.scope_save(
        partnership=p, services=list(p.service_areas.all()), is_demo=True,
        outcomes="One simple way in to every partner's services: shared customer service "
                 "centres, one telephone number and one website (the Worcestershire Hub)",
        actor=actor,
    )  # fmt: skip
    for org, cost, staff, answered in [
        (county, 1_450_000, 48, 68),
        (malvern, 310_000, 11, 74),
        (worcester, 420_000, 14, 71),
        (wychavon, 360_000, 12, 77),
    ]:
        if org is None:
            continue
        base = services.baseline_save(scope=scope, organisation=org, annual_cost=cost,
                                      staff=staff, actor=actor)  # fmt: skip
        services.indicator_add(baseline=base, name="Telephone calls answered within 20 seconds",
                               value=answered, unit="%", actor=actor)  # fmt: skip
    services.constraint_add(scope=scope, kind="tupe", description="Customer service staff "
                            "moving to a shared centre transfer under TUPE", actor=actor)  # fmt: skip
    services.constraint_add(scope=scope, kind="pensions", description="Transferred staff stay "
                            "in the Local Government Pension Scheme", actor=actor)  # fmt: skip
    services.constraint_add(scope=scope, kind="existing_contract", description="The county's "
                            "telephony contract", ends_on=date(2004, 3, 31), actor=actor)  # fmt: skip

    appraisal = services.appraisal_create(
        partnership=p, title="Joined-up access to services: options (2002)", term_years=10,
        discount_rate=Decimal("3.5"), is_illustrative=True, is_demo=True, actor=actor,
    )  # fmt: skip
    services.criteria_set(appraisal=appraisal, criteria=[
        {"name": "Whole-life cost", "kind": "cost", "weight": 35},
        {"name": "Quality of access for the public", "kind": "quality", "weight": 25},
        {"name": "Risk", "kind": "risk", "weight": 15},
        {"name": "Deliverability by 2005", "kind": "deliverability", "weight": 10},
        {"name": "Fit with each partner's priorities", "kind": "fit", "weight": 15},
    ], actor=actor)  # fmt: skip
    cost_model = CostModel.objects.filter(partnership=p).order_by("version").first()
    calculation = calculation_of(cost_model) if cost_model else None
    in_house_annual = (
        Decimal(calculation.total_standalone)
        if calculation and calculation.total_standalone is not None
        else Decimal("4200000")
    )
    options = [
        services.option_add(appraisal=appraisal, kind="in_house", name="Each partner keeps its own",
                            annual_cost=in_house_annual,
                            cost_source="Cost model: every member on its own (illustrative)"
                            if calculation else ILLUSTRATIVE, actor=actor),
    ]  # fmt: skip
    if calculation is not None:
        options.append(services.option_add(
            appraisal=appraisal, kind="shared_service", name="A shared service: the Hub",
            upfront_cost=Decimal("900000"), cost_model=cost_model, actor=actor,
        ))  # fmt: skip
    else:
        options.append(services.option_add(
            appraisal=appraisal, kind="shared_service", name="A shared service: the Hub",
            upfront_cost=Decimal("900000"), annual_cost=in_house_annual * Decimal("0.8"),
            cost_source=ILLUSTRATIVE, actor=actor,
        ))  # fmt: skip
    for kind, name, upfront, share in [
        ("joint_venture", "A joint venture company", 1_200_000, "0.85"),
        ("outsourcing", "Outsource to a private partner", 400_000, "0.9"),
        ("voluntary", "A voluntary-sector advice partner", 200_000, "0.97"),
    ]:
        options.append(services.option_add(
            appraisal=appraisal, kind=kind, name=name, upfront_cost=Decimal(upfront),
            annual_cost=(in_house_annual * Decimal(share)).quantize(Decimal("1")),
            cost_source=ILLUSTRATIVE, actor=actor,
        ))  # fmt: skip
    manual = list(appraisal.criteria.exclude(kind="cost"))
    table = {  # quality, risk, deliverability, fit
        "in_house": (4, 8, 9, 4), "shared_service": (8, 6, 7, 8), "joint_venture": (7, 4, 4, 6),
        "outsourcing": (6, 5, 6, 5), "voluntary": (5, 6, 5, 6),
    }  # fmt: skip
    for option in options:
        for criterion, score in zip(manual, table[option.kind], strict=True):
            services.score_set(option=option, criterion=criterion, score=score,
                               rationale=f"Partners' workshop view ({ILLUSTRATIVE})",
                               actor=actor)  # fmt: skip
    shared = next(o for o in options if o.kind == "shared_service")
    services.appraisal_agree(
        appraisal=appraisal, option=shared, agreed_on=date(2002, 9, 30),
        rationale="Best overall: most of the saving of working together with the least risk, "
                  "and it serves every partner's priority of simpler access (illustrative)",
        agreed_by="The partnership's board: the leaders of the county and the six districts "
                  "(demo record)",
        actor=actor,
    )  # fmt: skip

    text = "Worcestershire: scope and options appraisal"
    if malvern is not None and wychavon is not None:
        arrangement = services.procurement_create(
            partnership=p, title="Shared revenues and benefits service", route="exempt_horizontal",
            buyer=malvern, department="Revenues and benefits", option=shared,
            estimated_value=Decimal("1500000"), is_illustrative=True, is_demo=True,
            rationale="Two councils share one service they both must provide, for the public "
                      "interest alone, and neither sells it on the market (illustrative example)",
            actor=actor,
        )  # fmt: skip
        services.award_record(procurement=arrangement, supplier=wychavon,
                              value=Decimal("1500000"), term_months=60,
                              decided_on=date(2005, 1, 10), actor=actor)  # fmt: skip
        contract = services.contract_sign(
            procurement=arrangement, title="Shared revenues and benefits agreement",
            starts_on=date(2005, 4, 1), ends_on=date(2010, 3, 31), value=Decimal("1500000"),
            signed_on=date(2005, 2, 14), actor=actor,
        )  # fmt: skip
        services.contract_change_add(contract=contract, kind="extension", on=date(2009, 11, 2),
                                     description="Extended by two years (illustrative)",
                                     new_end=date(2012, 3, 31), value_change=Decimal("600000"),
                                     actor=actor)  # fmt: skip
        text += "; an exempt shared service between Malvern Hills and Wychavon"
    return text


def load() -> str:
    actor = _user("staff")
    return "; ".join([_north_yorkshire(actor), _worcestershire(actor)])
