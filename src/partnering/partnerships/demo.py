"""Demo partnerships (idempotent).

Two real partnerships with their real members from ``partnerships_2003.csv`` (rows marked
``sourced=no`` are unverified memberships), the North Yorkshire history replayed as dated
membership changes through the services (so ``membership_changed`` fires), and enough clearly
marked demo partnerships of real councils to make the 24 pathfinders.
"""

import csv
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings

from partnering.core.dates import govuk_date
from partnering.core.models import User
from partnering.organisations.models import Kind, Organisation, Sector
from partnering.organisations.services import organisation_create

from .importer import import_service_areas
from .models import (
    STAGE_ORDER,
    AimScore,
    MemberRole,
    Membership,
    Partnership,
    Priority,
    ServiceArea,
    Stage,
)
from .selectors import members_on
from .services import (
    aim_create,
    aim_scores_set,
    membership_add,
    membership_end,
    partnership_create,
    partnership_update,
    priority_create,
    stage_move,
)

EGOV = "E-government and corporate support"
WORCS, NORTH_YORKS = "worcestershire-partnership", "north-yorkshire-ict-partnership"
APPROX = "date approximate"

DEMO_BODIES = [
    ("Demo Shared Services Ltd", Kind.COMPANY, Sector.PRIVATE),
    ("Example Digital Partners Ltd", Kind.COMPANY, Sector.PRIVATE),
    ("Demo Community Action Network", Kind.CHARITY, Sector.VOLUNTARY),
    ("Example Advice Trust", Kind.CHARITY, Sector.VOLUNTARY),
]

# name, theme (None: not a pathfinder), councils (county GSS + districts, or GSS list),
# demo bodies, LGSL codes, stage, start, published
DEMO_PARTNERSHIPS: list[tuple[str, str | None, Any, list[str], list[int], str, date, bool]] = [
    ("Norfolk e-Government Partnership", EGOV, ("E10000020", 4), [], [], Stage.DELIVERY, date(2002, 9, 1), True),
    ("Somerset Shared Contact Centre", EGOV, ("E10000027", 3), ["Demo Shared Services Ltd"], [], Stage.PROCUREMENT, date(2003, 1, 6), True),
    ("Tees Valley e-Government Partnership", EGOV, ["E06000001", "E06000002", "E06000003", "E06000004", "E06000005"], [], [], Stage.AGREEMENT, date(2002, 11, 4), True),
    ("Suffolk Customer Access Partnership", EGOV, ("E10000029", 3), [], [], Stage.OPTIONS_APPRAISAL, date(2003, 3, 3), True),
    ("Lancashire Digital Services Partnership", EGOV, ("E10000017", 5), ["Example Digital Partners Ltd"], [], Stage.DELIVERY, date(2002, 7, 1), True),
    ("Humber Joint e-Government Programme", EGOV, ["E06000010", "E06000011", "E06000012", "E06000013"], [], [], Stage.SCOPING, date(2003, 4, 1), True),
    ("Derbyshire Partnership Gateway", EGOV, ("E10000007", 4), [], [], Stage.REVIEW, date(2002, 6, 3), True),
    ("Cumbria Revenues and Benefits Partnership", "Revenues and benefits", ["E07000026", "E07000028", "E07000029"], [], [], Stage.DELIVERY, date(2002, 10, 1), True),
    ("Bristol Community Access Partnership", "Access to services", ["E06000023"], ["Demo Community Action Network"], [], Stage.SCOPING, date(2003, 2, 3), True),
    ("Devon Waste Partnership", "Waste and environment", ("E10000008", 4), [], [], Stage.PROCUREMENT, date(2002, 12, 2), True),
    ("Hertfordshire Procurement Partnership", "Procurement", ("E10000015", 3), ["Demo Shared Services Ltd"], [], Stage.AGREEMENT, date(2003, 5, 6), True),
    ("Leicester and Leicestershire Regeneration Partnership", "Regeneration", ["E06000016", "E10000018"], ["Demo Community Action Network", "Example Digital Partners Ltd"], [], Stage.OPTIONS_APPRAISAL, date(2003, 1, 13), True),
    ("Plymouth and Torbay Leisure Partnership", "Leisure and culture", ["E06000026", "E06000027"], ["Example Advice Trust"], [], Stage.IDEA, date(2003, 6, 2), True),
    ("Kent Highways Partnership", "Highways and transport", ["E10000016"], ["Example Digital Partners Ltd"], [], Stage.DELIVERY, date(2002, 8, 5), True),
    ("Gloucestershire Social Care Partnership", "Social care and health", ("E10000013", 2), ["Example Advice Trust"], [], Stage.SCOPING, date(2003, 3, 17), True),
    ("Oxfordshire Community Safety Partnership", "Community safety", ("E10000025", 2), [], [], Stage.REVIEW, date(2002, 9, 16), True),
    ("Staffordshire Housing Partnership", "Housing", ["E07000192", "E07000193", "E07000194", "E07000195"], [], [], Stage.PROCUREMENT, date(2003, 2, 10), True),
    ("Warwickshire Property Partnership", "Property and asset management", ["E10000031"], ["Demo Shared Services Ltd"], [], Stage.CLOSED, date(2002, 7, 15), True),
    ("Nottingham Advice Partnership", "Access to services", ["E06000018"], ["Example Advice Trust"], [], Stage.DELIVERY, date(2002, 11, 18), True),
    ("Hampshire Shared Back Office", "Corporate services", ("E10000014", 3), ["Example Digital Partners Ltd"], [], Stage.AGREEMENT, date(2003, 4, 14), True),
    ("Durham Rural Services Partnership", "Rural services", ("E10000010", 2), ["Demo Community Action Network"], [], Stage.OPTIONS_APPRAISAL, date(2003, 5, 19), True),
    ("Essex Training Partnership", "Training and development", ("E10000012", 4), [], [], Stage.IDEA, date(2003, 6, 9), True),
    # Not pathfinders: for the filters, and one unpublished (members only).
    ("Yorkshire Dales Tourism Partnership", None, ["E07000163", "E07000166"], [], [], Stage.SCOPING, date(2003, 9, 1), True),
    ("Malvern and Wychavon Shared Services", None, ["E07000235", "E07000238"], [], [], Stage.IDEA, date(2004, 1, 12), False),
    ("Surrey Benefits Partnership", None, ("E10000030", 2), [], [], Stage.DELIVERY, date(2002, 5, 1), True),
]  # fmt: skip

LGSL_BY_THEME = {
    EGOV: [],
    "Waste and environment": ["waste", "recycling", "bin"],
    "Revenues and benefits": ["council tax", "benefit"],
    "Housing": ["housing", "homeless"],
    "Leisure and culture": ["library", "libraries", "sport", "leisure"],
    "Highways and transport": ["road", "pothole", "parking"],
    "Social care and health": ["care", "disabled"],
    "Community safety": ["antisocial", "anti-social", "noise"],
    "Access to services": ["council tax", "report"],
}


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _org(gss: str) -> Organisation:
    return Organisation.objects.get(gss_code=gss)


def _councils(spec: Any) -> list[Organisation]:
    if isinstance(spec, tuple):
        county = _org(spec[0])
        districts = list(county.districts.filter(existed_2003=True).order_by("name")[: spec[1]])
        return [county, *districts]
    return [_org(code) for code in spec]


def _demo_bodies() -> int:
    created = 0
    for name, kind, sector in DEMO_BODIES:
        if Organisation.objects.filter(name=name).exists():
            continue
        organisation_create(
            name=name, kind=kind, actor=None, reason="Demo data", short_name=name, sector=sector,
            is_demo=True, source="demo", notes="Made up for the demo: not a real organisation.",
        )  # fmt: skip
        created += 1
    return created


def _areas(words: list[str], n: int = 4) -> list[ServiceArea]:
    found: list[ServiceArea] = []
    for word in words:
        for area in ServiceArea.objects.filter(
            disabled_on__isnull=True, label__icontains=word
        ).order_by("lgsl_code")[:2]:
            if area not in found:
                found.append(area)
    return found[:n]


def _move_to(partnership: Partnership, target: str, start: date, actor: Any) -> None:
    """Walk forward one stage at a time, roughly every quarter, to ``target``."""
    day = start
    for stage in STAGE_ORDER[1 : STAGE_ORDER.index(target) + 1]:
        day += timedelta(days=91)
        reason = ""
        if stage == Stage.CLOSED:
            reason = "Property transfer completed; partnership wound up (demo)"
        stage_move(
            partnership=partnership, to_stage=stage, moved_on=day, reason=reason, actor=actor
        )


def _csv_rows(partnership_id: str) -> list[dict[str, str]]:
    path = Path(settings.REFERENCE_DATA_DIR) / "partnerships_2003.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        return [r for r in csv.DictReader(handle) if r["partnership_id"] == partnership_id]


def _member_org(row: dict[str, str]) -> Organisation:
    if row["member_gss"]:
        return _org(row["member_gss"])
    return Organisation.objects.get(name=row["member_name"])


def _worcestershire(staff: Any, worcs: Any, adviser: Any) -> Partnership:
    actor = worcs or staff
    rows = _csv_rows(WORCS)
    county = _org("E10000034")
    start = date(1998, 4, 1)
    p = partnership_create(
        name="Worcestershire Partnership",
        reference="SPT-1998-001",
        purpose=(
            "The county council, the six district councils and nine other local public bodies "
            "working together for simplified, unified access to all their services: one front "
            "door for the people of Worcestershire. The Local Strategic Partnership for the county."
        ),
        lead_organisation=county,
        start_date=start,
        service_areas=_areas(["council tax", "library", "report", "bin"], 6),
        is_pathfinder=True,
        pathfinder_theme="Access to services (one front door)",
        is_published=True,
        notes="Members from partnerships_2003.csv; joining dates are not sourced (formed 1998).",
        joined_on=start,
        lead_reason="Founding member (partnership formed 1998)",
        actor=actor,
    )
    for row in rows:
        org = _member_org(row)
        if org.pk == county.pk:
            continue
        verified = row["sourced"] == "yes"
        membership_add(
            partnership=p,
            organisation=org,
            role=MemberRole.PARTNER,
            joined_on=start,
            reason=(
                "Founding member (partnership formed 1998; joining date not sourced)"
                if verified
                else "Unverified: a plausible body of the era for the ‘nine other local public bodies’"
            ),
            is_verified=verified,
            actor=actor,
        )
    _move_to(p, Stage.DELIVERY, start, actor)
    if adviser:
        partnership_update(partnership=p, data={"advisers": [adviser]}, actor=staff)
    aims = [
        aim_create(partnership=p, title="One front door to every public service in the county", actor=actor),
        aim_create(partnership=p, title="Shared customer service centres in every district", actor=actor),
        aim_create(partnership=p, title="Joined-up community safety and health information", actor=actor),
    ]  # fmt: skip
    _priorities_and_scores(
        p,
        aims,
        {
            "E10000034": [("Access to services in rural areas", 5, [3, 2, 1]),
                          ("Healthier communities", 3, [1, 0, 3])],
            "E07000235": [("Local offices in every market town", 5, [2, 3, 0]),
                          ("Tourism and the local economy", 2, [1, 0, 0])],
        },
        actor=staff,
    )  # fmt: skip
    return p


def follow_reorganisations(p: Partnership, actor: Any) -> None:
    """A member council abolished by local government reorganisation (e.g. North Yorkshire's
    county and districts on 31 March 2023, Cumbria's the same day) leaves on its last day; its
    successor joins the next day (once, however many predecessors it has) and takes the lead
    role when the lead was abolished. Memberships never outlive their organisation."""
    current = list(
        Membership.objects.filter(partnership=p, left_on__isnull=True, organisation__end_date__isnull=False)
        .select_related("organisation")
        .order_by("organisation__end_date", "organisation__name")
    )  # fmt: skip
    for membership in current:
        org = membership.organisation
        day_after = org.end_date + timedelta(days=1)
        for successor in org.replaced_by.filter(end_date__isnull=True).order_by("name"):
            already = Membership.objects.filter(partnership=p, organisation=successor).current_on(
                day_after
            )
            if not already.exists():
                membership_add(
                    partnership=p,
                    organisation=successor,
                    role=MemberRole.PARTNER,
                    joined_on=day_after,
                    reason=f"Successor to {org.name} (local government reorganisation, "
                    f"{govuk_date(day_after)})",
                    actor=actor,
                )
            if p.lead_organisation_id == org.pk:
                partnership_update(
                    partnership=p,
                    data={"lead_organisation": successor},
                    lead_from=day_after,
                    reason=f"{successor.name} succeeds {org.name} as lead",
                    actor=actor,
                )
                p.refresh_from_db()
    for membership in current:
        org = membership.organisation
        successors = ", ".join(o.name for o in org.replaced_by.order_by("name")) or "none recorded"
        membership_end(
            membership=membership,
            left_on=org.end_date,
            reason=f"Council abolished on {govuk_date(org.end_date)}; successor: {successors}",
            actor=actor,
        )


def _north_yorkshire(staff: Any, northyorks: Any, adviser: Any) -> Partnership:
    actor = northyorks or staff
    rows = _csv_rows(NORTH_YORKS)
    county = _org("E10000023")
    founded = date(2002, 6, 1)
    p = partnership_create(
        name="North Yorkshire ICT Partnership",
        reference="SPT-2002-009",
        purpose=(
            "Seven district councils, one unitary (City of York) and the county council "
            "working to a joint e-government strategy, with shared ICT and a single way in "
            "to both tiers' services."
        ),
        lead_organisation=county,
        start_date=founded,
        service_areas=_areas(["council tax", "report", "planning"], 5),
        is_pathfinder=True,
        pathfinder_theme=EGOV,
        is_published=True,
        notes=(
            "Real history from the December 2003 pathfinder case study, Computer Weekly and the "
            "York Press. Exact leaving dates are not sourced: those shown are approximate."
        ),
        joined_on=founded,
        lead_reason="Founded the partnership with eight other councils in June 2002",
        actor=actor,
    )
    councils = [r for r in rows if r["member_kind"] == "local_authority"]
    for row in councils:
        org = _org(row["member_gss"])
        if org.pk == county.pk:
            continue
        york = row["member_gss"] == "E06000014"
        membership_add(
            partnership=p,
            organisation=org,
            role=MemberRole.PARTNER,
            joined_on=founded,
            reason="One of the nine founding councils, June 2002"
            + ("; procurement agent for the partnership (concordat)" if york else ""),
            actor=actor,
        )
    stage_move(partnership=p, to_stage=Stage.SCOPING, moved_on=date(2002, 9, 2), actor=actor)
    stage_move(
        partnership=p, to_stage=Stage.OPTIONS_APPRAISAL, moved_on=date(2003, 1, 6), actor=actor
    )
    stage_move(partnership=p, to_stage=Stage.PROCUREMENT, moved_on=date(2003, 4, 1), actor=actor)
    by_gss = {m.organisation.gss_code: m for m in members_on(p, date(2003, 4, 1))}
    dropped = "dropped out ({}: gone by December 2003, Computer Weekly / York Press ‘And then there were five’)"
    for gss, left in [
        ("E07000169", date(2003, 6, 30)),  # Selby
        ("E07000165", date(2003, 8, 31)),  # Harrogate
        ("E07000163", date(2003, 10, 31)),  # Craven
        ("E07000168", date(2003, 11, 30)),  # Scarborough
    ]:
        membership_end(
            membership=by_gss[gss], left_on=left, reason=dropped.format(APPROX), actor=actor
        )
    withdrew = (
        "withdrew before contract signature ({} within 2004; York Press ‘York set to pull plug’)"
    )
    for gss, left in [
        ("E07000167", date(2004, 3, 31)),  # Ryedale
        ("E07000166", date(2004, 5, 31)),  # Richmondshire
        ("E06000014", date(2004, 7, 31)),  # City of York
    ]:
        membership_end(
            membership=by_gss[gss], left_on=left, reason=withdrew.format(APPROX), actor=actor
        )
    agilisys = Organisation.objects.get(name="Agilisys")
    membership_add(
        partnership=p,
        organisation=agilisys,
        role=MemberRole.PRIVATE_PARTNER,
        joined_on=date(2004, 9, 1),
        reason=(
            "Selected private sector partner, after a pre-contract pilot of CRM and the website "
            f"({APPROX} within 2004)"
        ),
        actor=actor,
    )
    stage_move(partnership=p, to_stage=Stage.AGREEMENT, moved_on=date(2004, 9, 1), actor=actor)
    stage_move(
        partnership=p,
        to_stage=Stage.DELIVERY,
        moved_on=date(2004, 10, 1),
        reason=(
            "Ten-year managed ICT contract with Agilisys signed by Hambleton and the county only "
            "(about £7.4m over ten years, against the original nine-council concept of about £270m)"
        ),
        actor=actor,
    )
    follow_reorganisations(p, actor)
    if adviser:
        partnership_update(partnership=p, data={"advisers": [adviser]}, actor=staff)
    aims = [
        aim_create(partnership=p, title="A joint e-government strategy for North Yorkshire", actor=actor),
        aim_create(partnership=p, title="Shared ICT infrastructure and a managed service", actor=actor),
        aim_create(partnership=p, title="One contact centre and website for both tiers", actor=actor),
    ]  # fmt: skip
    _priorities_and_scores(
        p,
        aims,
        {
            # North Yorkshire Council, the current member since 2023 (the 2002 councils'
            # priorities went with them): a council's priorities are its own, not the partnership's.
            "E06000065": [("Value for money in ICT", 5, [2, 3, 1]),
                          ("Keep local offices open in market towns", 4, [1, 0, 1]),
                          ("One way in to every council service", 3, [3, 2, 3])],
        },
        actor=staff,
    )  # fmt: skip
    return p


def _priorities_and_scores(
    p: Partnership, aims: list[Any], spec: dict[str, list[tuple[str, int, list[int]]]], actor: Any
) -> None:
    for gss, priorities in spec.items():
        org = _org(gss)
        for title, weight, scores in priorities:
            priority = Priority.objects.filter(organisation=org, title=title).first()
            if priority is None:
                priority = priority_create(
                    organisation=org, title=title, source="Community strategy 2003 (demo)",
                    weight=weight, entered_for=p, is_demo=True, actor=actor,
                )  # fmt: skip
            for aim, score in zip(aims, scores, strict=True):
                if not AimScore.objects.filter(aim=aim, priority=priority).exists():
                    aim_scores_set(aim=aim, scores={priority.pk: score}, actor=actor)


def _demo_partnership(index: int, spec: tuple[Any, ...], staff: Any, adviser: Any) -> Partnership:
    name, theme, councils_spec, bodies, _codes, stage, start, published = spec
    councils = _councils(councils_spec)
    p = partnership_create(
        name=name,
        reference=f"SPT-DEMO-{index:03d}",
        purpose=f"Demo: {name} shows a {theme.lower() if theme else 'local'} partnership of real councils.",
        lead_organisation=councils[0],
        start_date=start,
        service_areas=_areas(LGSL_BY_THEME.get(theme or "", []), 3),
        is_pathfinder=theme is not None,
        pathfinder_theme=theme or "",
        is_published=published,
        is_demo=True,
        joined_on=start,
        lead_reason="Founding member (demo)",
        actor=staff,
    )
    for org in councils[1:]:
        membership_add(partnership=p, organisation=org, role=MemberRole.PARTNER, joined_on=start,
                       reason="Founding member (demo)", actor=staff)  # fmt: skip
    for body_name in bodies:
        body = Organisation.objects.get(name=body_name)
        role = (
            MemberRole.PRIVATE_PARTNER
            if body.sector == Sector.PRIVATE
            else MemberRole.VOLUNTARY_PARTNER
        )
        membership_add(partnership=p, organisation=body, role=role, joined_on=start + timedelta(days=30),
                       reason="Joined as partner (demo)", actor=staff)  # fmt: skip
    _move_to(p, stage, start + timedelta(days=30), staff)
    if p.stage != Stage.CLOSED:
        follow_reorganisations(p, staff)
    if adviser and index % 4 == 0:
        partnership_update(partnership=p, data={"advisers": [adviser]}, actor=staff)
    return p


def load() -> str:
    created_areas, _ = import_service_areas()
    bodies = _demo_bodies()
    staff, adviser = _user("staff"), _user("adviser")
    made = 0
    if not Partnership.objects.filter(slug=WORCS).exists():
        _worcestershire(staff, _user("worcs"), adviser)
        made += 1
    if not Partnership.objects.filter(slug=NORTH_YORKS).exists():
        _north_yorkshire(staff, _user("northyorks"), adviser)
        made += 1
    for index, spec in enumerate(DEMO_PARTNERSHIPS, start=1):
        if not Partnership.objects.filter(reference=f"SPT-DEMO-{index:03d}").exists():
            _demo_partnership(index, spec, staff, adviser)
            made += 1
    pathfinders = Partnership.objects.filter(is_pathfinder=True).count()
    return (
        f"{made} partnerships created ({pathfinders} pathfinders in all), "
        f"{bodies} demo bodies, {created_areas} service areas imported"
    )
