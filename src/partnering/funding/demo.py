"""Demo: the GBP 50m Local Government On-Line partnership fund (idempotent; rows ``is_demo``).

Three rounds (GBP 20m, 18m and 12m) fund 64 projects of real council partnerships: the two named
partnerships, the partnerships room's demo partnerships of at least two councils, and enough
clearly marked demo partnerships of real county and district councils. Each round's awards add up
to its budget to the penny, so the awards add up to exactly GBP 50,000,000. A spread of milestone
claims is approved and paid by two finance officers; one project failed and its payment was
clawed back. The councils of the Worcestershire and North Yorkshire partnerships get
e-enablement records from 2002 to 2005: illustrative, and said so on every page that shows them.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q

from partnering.core.audit import audited_bulk_create
from partnering.core.models import Role, User
from partnering.organisations.models import COUNCIL_KINDS, Kind, Organisation
from partnering.partnerships.demo import follow_reorganisations
from partnering.partnerships.models import MemberRole, Partnership, ServiceArea
from partnering.partnerships.services import membership_add, partnership_create

from . import services as s
from .maths.money import split_largest_remainder
from .models import EEnablement, FundingProgramme, RoundStatus, Route
from .selectors import catalogue, provided_by

SLUG = "lgol-partnership-fund"
ROUNDS = [  # title, budget, projects, opens, closes, decided
    (
        "Round 1 (2002)",
        Decimal("20000000.00"),
        24,
        date(2002, 6, 3),
        date(2002, 9, 30),
        date(2002, 11, 29),
    ),
    (
        "Round 2 (2003)",
        Decimal("18000000.00"),
        24,
        date(2003, 4, 1),
        date(2003, 6, 30),
        date(2003, 9, 1),
    ),
    (
        "Round 3 (2004)",
        Decimal("12000000.00"),
        16,
        date(2004, 4, 1),
        date(2004, 6, 30),
        date(2004, 9, 1),
    ),
]
WORCS, NORTH_YORKS = "worcestershire-partnership", "north-yorkshire-ict-partnership"
CLAIMS_UNTIL = date(2005, 7, 31)  # milestones due by then were claimed; most paid
PASSWORD = "partnering-demo"  # noqa: S105 - the demo password load_demo prints


def _person(username: str, role: str, first: str, last: str) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "role": role,
            "first_name": first,
            "last_name": last,
            "email": f"{username}@example.gov.uk",
        },
    )
    if created:
        user.set_password(PASSWORD)
        user.save()
    return user


def _eligible() -> list[Partnership]:
    return list(
        Partnership.objects.annotate(
            councils=Count(
                "memberships",
                filter=Q(
                    memberships__organisation__kind__in=COUNCIL_KINDS,
                    memberships__joined_on__lte=date(2002, 9, 30),
                )
                & (
                    Q(memberships__left_on__isnull=True)
                    | Q(memberships__left_on__gte=date(2004, 6, 30))
                ),
            )
        )
        .filter(councils__gte=2)
        .exclude(slug__in=[WORCS, NORTH_YORKS])
        .order_by("reference")
    )


def _new_partnership(
    reference: str, name: str, lead: Organisation, others: list[Organisation], staff: Any
) -> Partnership:
    existing = Partnership.objects.filter(reference=reference).first()
    if existing:
        follow_reorganisations(existing, staff)
        return existing
    start = date(2002, 4, 1)
    p = partnership_create(
        name=f"{name} (demo)",
        reference=reference,
        purpose=f"Demo: {name}: real councils putting their services online together.",
        lead_organisation=lead,
        start_date=start,
        # Not in the public partnership list: only there to make up the fund's 64 projects (their
        # awards are still public); the list stays the partnerships room's demo.
        is_published=False,
        is_demo=True,
        joined_on=start,
        lead_reason="Founding member (demo)",
        actor=staff,
    )
    for org in others:
        membership_add(
            partnership=p,
            organisation=org,
            role=MemberRole.PARTNER,
            joined_on=start,
            reason="Founding member (demo)",
            actor=staff,
        )
    # A council abolished since (e.g. the 2009 unitaries replaced counties and districts) leaves
    # on its last day and its successor joins the next: the partnerships demo's rule.
    follow_reorganisations(p, staff)
    return p


def _make_partnerships(needed: int, staff: Any) -> list[Partnership]:
    """Demo partnerships of real councils: each county council of 2003 with up to three of its
    districts, then neighbouring unitary councils of one region in pairs; marked demo."""
    made: list[Partnership] = []
    for county in Organisation.objects.filter(kind=Kind.COUNTY, existed_2003=True).order_by("name"):
        if len(made) >= needed:
            return made
        districts = list(county.districts.filter(existed_2003=True).order_by("name")[:3])
        if districts:
            short = county.short_name or county.name.replace(" County Council", "")
            made.append(
                _new_partnership(
                    f"LGOL-DEMO-{county.gss_code}",
                    f"{short} Online Services Partnership",
                    county,
                    districts,
                    staff,
                )
            )
    unitaries = Organisation.objects.filter(
        kind__in=[Kind.UNITARY, Kind.METROPOLITAN_DISTRICT, Kind.LONDON_BOROUGH], existed_2003=True
    ).order_by("region", "name")
    by_region: dict[str, list[Organisation]] = {}
    for org in unitaries:
        by_region.setdefault(org.region, []).append(org)
    for region in sorted(by_region):
        councils = by_region[region]
        for i in range(0, len(councils) - 1, 2):
            if len(made) >= needed:
                return made
            a, b = councils[i], councils[i + 1]
            made.append(
                _new_partnership(
                    f"LGOL-DEMO-{a.gss_code}",
                    f"{a.short_name or a.name} and {b.short_name or b.name} e-Services",
                    a,
                    [b],
                    staff,
                )
            )
    return made


def _partnerships(staff: Any) -> list[Partnership]:
    named = list(Partnership.objects.filter(slug__in=[WORCS, NORTH_YORKS]).order_by("slug"))
    chosen = named + _eligible()
    total = sum(n for *_, n, _o, _c, _d in ROUNDS)
    chosen += _make_partnerships(total - len(chosen), staff)
    return chosen[:total]


def _councils(p: Partnership, on: date) -> list[Organisation]:
    """The partnership's member councils on that day (a 2002 project has its 2002 members)."""
    return s.council_members(p, on)


def _project(
    round_: Any,
    p: Partnership,
    amount: Decimal,
    opened: date,
    rng: random.Random,
    staff: Any,
    assessors: list[Any],
    services: list[ServiceArea],
    decided: date,
) -> Any:
    app = s.application_create(
        round_=round_,
        partnership=p,
        title=f"{p.name.replace(' (demo)', '')}: joined-up services online"[:140],
        summary=f"Demo project: {p.name} puts its councils' services online end to end, sharing one "
        "system and one way in for the public.",
        outcomes="More of each council's services e-enabled toward the 2005 target.",
        is_demo=True,
        actor=staff,
    )
    councils = _councils(p, round_.closes_on)
    n = rng.choice([2, 3, 3, 4])
    parts = split_largest_remainder(amount, {str(i): rng.randint(2, 5) for i in range(n)})
    for i in range(n):
        due = decided + timedelta(days=120 + 180 * i + rng.randint(0, 40))
        s.milestone_add(
            application=app,
            title=[
                "Design agreed",
                "First services live",
                "Customer access live",
                "All promised services live",
            ][i],
            due_on=due,
            amount=parts[str(i)],
            actor=staff,
        )
    # budget lines: each milestone's money by financial year, split between the councils
    by_year: dict[int, Decimal] = {}
    for m in app.milestones.all():
        fy = m.due_on.year if m.due_on.month >= 4 else m.due_on.year - 1
        by_year[fy] = by_year.get(fy, Decimal("0.00")) + m.amount
    for fy, money in by_year.items():
        split = split_largest_remainder(money, {str(c.pk): 1 for c in councils})
        for c in councils:
            if split[str(c.pk)] > 0:
                s.budget_line_set(
                    application=app, year=fy, organisation=c, amount=split[str(c.pk)], actor=staff
                )
    promised = 0
    for c in councils[:3]:
        for svc in provided_by(c.tier, services)[:2]:
            s.promised_service_add(
                application=app,
                service=svc,
                organisation=c,
                by_date=date(2005, 12, 31),
                actor=staff,
            )
            promised += 1
    s.application_submit(application=app, actor=staff)
    criteria = list(round_.criteria.all())
    split_panel = rng.random() < 0.15  # the assessors disagree on the first criterion: moderated
    for n, assessor in enumerate(assessors):
        scores = {c.pk: (rng.randint(6, 9), "") for c in criteria}
        if split_panel:
            scores[criteria[0].pk] = (3 if n == 0 else 9, "")
        s.assessment_submit(application=app, scores=scores, assessor=assessor, actor=assessor)
    results, _score = s.application_score(app)
    for r in results:
        if r.disagrees:
            crit = next(c for c in criteria if c.pk == r.criterion)
            s.moderation_record(
                application=app,
                criterion=crit,
                score=round(sum(r.scores) / len(r.scores)),
                note="Panel agreed the middle score (demo)",
                actor=staff,
            )
    return s.award_make(
        application=app,
        reason="Strong partnership with a clear plan to e-enable services (demo)",
        conditions="Quarterly progress reports; milestones evidenced before payment; services stay "
        "online for three years.",
        awarded_on=decided,
        agreement_starts_on=decided + timedelta(days=14),
        agreement_ends_on=date(2006, 3, 31),
        is_demo=True,
        actor=staff,
    )


def _pay(award: Any, finance: list[Any], staff: Any, failed: bool) -> tuple[int, int]:
    paid = claims = 0
    for m in award.application.milestones.order_by("number"):
        if m.due_on > CLAIMS_UNTIL or (failed and m.number > 1):
            break
        claim = s.claim_submit(
            award=award,
            milestone=m,
            amount=m.amount,
            claimed_on=m.due_on + timedelta(days=7),
            description=f"{m.title}: evidence attached (demo)",
            files=[("progress-report.txt", f"Demo progress report: {m.title}\n".encode())],
            is_demo=True,
            actor=staff,
        )
        claims += 1
        if m.due_on > date(2005, 4, 30):
            continue  # recent: still waiting for approval
        s.claim_approve(claim=claim, actor=finance[0])
        if m.due_on > date(2005, 1, 31):
            continue  # approved, waiting for the second officer to pay
        s.payment_record(
            claim=claim,
            paid_on=m.due_on + timedelta(days=21),
            reference=f"LGOL-PAY-{claim.pk:05d}",
            is_demo=True,
            actor=finance[1],
        )
        paid += 1
    return claims, paid


def _e_enablement(awards: list[Any], staff: Any) -> int:
    """Illustrative records for the two named partnerships' councils: rising from a few services
    online in 2002 to almost all by the end of 2005."""
    rng = random.Random(2005)
    services = list(catalogue().order_by("lgsl_code"))
    award_by_partnership = {a.application.partnership_id: a for a in awards}
    rows = []
    done = set(EEnablement.objects.values_list("organisation_id", "service_id"))
    for slug in (WORCS, NORTH_YORKS):
        p = Partnership.objects.filter(slug=slug).first()
        if p is None:
            continue
        award = award_by_partnership.get(p.pk)
        for council in _councils(p, date(2003, 6, 30)):
            for svc in provided_by(council.tier, services):
                if (council.pk, svc.pk) in done:
                    continue
                done.add((council.pk, svc.pk))
                roll = rng.random()
                if roll > 0.97:
                    rows.append(
                        EEnablement(
                            organisation=council,
                            service=svc,
                            is_illustrative=True,
                            note="Illustrative: not yet online",
                        )
                    )
                    continue
                day = date(2002, 1, 1) + timedelta(days=int(roll**0.7 * 1460))
                route = rng.choice(
                    [Route.FUNDED_PROJECT, Route.FUNDED_PROJECT, Route.OWN_SITE, Route.FRONT_DOOR]
                )
                rows.append(
                    EEnablement(
                        organisation=council,
                        service=svc,
                        e_enabled_on=day,
                        route=route,
                        award=award if route == Route.FUNDED_PROJECT else None,
                        is_illustrative=True,
                        note="Illustrative demo record",
                    )
                )
    audited_bulk_create(
        rows, actor=staff, reason="Demo e-enablement (illustrative)", batch_size=500
    )
    s.e_enablement_tallies_refresh({r.organisation_id for r in rows})
    return len(rows)


def load() -> str:
    if FundingProgramme.objects.filter(slug=SLUG).exists():
        return "funding demo already loaded"
    if not ServiceArea.objects.exists():
        return "funding demo skipped: no LGSL service areas (load the partnerships demo first)"
    staff = User.objects.filter(username="staff").first() or _person(
        "staff", Role.STAFF, "Sam", "Staff"
    )
    finance = [
        _person("finance", Role.STAFF, "Fran", "Finance"),
        _person("finance2", Role.STAFF, "Pat", "Payments"),
    ]
    for f in finance:
        s.finance_officer_set(user=f, is_demo=True, actor=staff)
    assessors = [
        User.objects.filter(username="adviser").first()
        or _person("adviser", Role.ADVISER, "Alex", "Adviser"),
        _person("assessor", Role.ADVISER, "Ash", "Assessor"),
    ]
    programme = s.programme_create(
        title="Local Government On-Line partnership fund",
        slug=SLUG,
        aim="A total of £50 million for 64 partnership projects helping authorities deliver better "
        "services online, as part of the Local Government On-Line programme to e-enable "
        "authorities' services by 2005 (demo figures).",
        total_budget=Decimal("50000000.00"),
        starts_on=date(2002, 4, 1),
        ends_on=date(2006, 3, 31),
        target_date=date(2005, 12, 31),
        is_demo=True,
        actor=staff,
    )
    rng = random.Random(64)
    partnerships = _partnerships(staff)
    services = list(catalogue().order_by("lgsl_code"))
    awards, start = [], 0
    criteria = [
        s.CriterionSpec("Strength of the partnership", Decimal(2)),
        s.CriterionSpec("Services e-enabled for the public", Decimal(3)),
        s.CriterionSpec("Value for money", Decimal(1)),
    ]
    for title, budget, count, opens, closes, decided in ROUNDS:
        round_ = s.round_create(
            programme=programme,
            title=title,
            budget=budget,
            opens_on=opens,
            closes_on=closes,
            decisions_by=decided,
            criteria=criteria,
            status=RoundStatus.OPEN,
            assessors=assessors,
            summary="Partnerships of at least two councils putting services online (demo).",
            is_demo=True,
            actor=staff,
        )
        batch = partnerships[start : start + count]
        start += count
        amounts = split_largest_remainder(
            budget, {str(i): rng.randint(3, 12) for i in range(len(batch))}
        )
        for i, p in enumerate(batch):
            awards.append(
                _project(
                    round_, p, amounts[str(i)], opens, rng, staff, assessors, services, decided
                )
            )
        for status in (RoundStatus.CLOSED, RoundStatus.DECIDED):
            s.round_set_status(round_=round_, status=status, actor=staff)
    varied = awards[1]
    last = varied.application.milestones.order_by("-number").first()
    s.variation_make(
        award=varied,
        kind="milestone",
        reason="The supplier's delivery slipped a quarter (demo)",
        changes=[s.MilestoneChange(last.number, due_on=last.due_on + timedelta(days=91))],
        actor=staff,
    )
    failed = awards[len(awards) // 2]
    claims = paid = 0
    for award in awards:
        c, p = _pay(award, finance, staff, failed=award.pk == failed.pk)
        claims, paid = claims + c, paid + p
    first_paid = failed.payments.order_by("paid_on").first()
    if first_paid is not None:
        s.recovery_record(
            award=failed,
            kind="withhold",
            amount=failed.amount - first_paid.amount,
            reason="The project failed: the rest of the grant will not be paid (demo)",
            on=first_paid.paid_on + timedelta(days=200),
            is_demo=True,
            actor=staff,
        )
        s.recovery_record(
            award=failed,
            kind="clawback",
            amount=first_paid.amount,
            reason="The partnership broke up and the system was never delivered: the first payment is "
            "recovered (demo)",
            on=first_paid.paid_on + timedelta(days=200),
            is_demo=True,
            actor=staff,
        )
    records = _e_enablement(awards, staff)
    return (
        f"£{programme.total_budget:,} fund: {len(awards)} awards in 3 rounds, {claims} claims "
        f"({paid} paid), 1 clawback (the rest withheld), {records} illustrative e-enablement records"
    )
