"""Demo: the 2003 pathfinder call (idempotent; every row ``is_demo``).

The call had more applications than places: the partnerships marked as pathfinders by the
partnerships room's demo apply alongside demo partnerships of other real councils; the panel's
scores put every pathfinder above the rest, the quotas (e-government and two-tier minimums) hold,
so the proven-optimal selection is exactly those pathfinders, and confirming it keeps them so.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from partnering.core.models import Role, User
from partnering.organisations.models import Kind, Organisation
from partnering.partnerships.models import Partnership
from partnering.partnerships.services import partnership_create

from .models import AdviserProfile, Application, Call, CallStatus, Theme
from .selectors import application_tags
from .services import (
    ActionSpec,
    QuotaSpec,
    advice_record,
    adviser_profile_set,
    application_create,
    application_submit,
    assessment_submit,
    call_create,
    digests_send,
    interest_declare,
    match_run,
    moderation_record,
    quota_set,
    reminders_send,
    selection_confirm,
    selection_run,
    session_record,
)

TITLE = "Pathfinder programme 2003"
OTHERS = 36
THEME_BY_LABEL = {label: value for value, label in Theme.choices}
OTHER_THEMES = [Theme.WASTE, Theme.HOUSING, Theme.LEISURE, Theme.ACCESS, Theme.REVENUES, Theme.EGOV]


def _others(count: int, staff: User | None) -> list[Partnership]:
    made = list(Partnership.objects.filter(reference__startswith="SPT-PROG-").order_by("reference"))
    if len(made) >= count:
        return made[:count]
    councils = (
        Organisation.objects.filter(kind__in=[Kind.UNITARY, Kind.DISTRICT], existed_2003=True)
        .exclude(memberships__isnull=False)
        .order_by("name")[: count - len(made)]
    )
    for n, council in enumerate(councils, start=len(made) + 1):
        made.append(
            partnership_create(
                name=f"{council.short_name or council.name} Service Improvement Partnership (demo)",
                reference=f"SPT-PROG-{n:03d}",
                purpose=f"Demo: {council.name} and neighbours applied to the 2003 pathfinder call.",
                lead_organisation=council,
                start_date=date(2003, 1, 6),
                is_demo=True,
                joined_on=date(2003, 1, 6),
                lead_reason="Founding member (demo)",
                actor=staff,
            )
        )
    return made


#: username, (first, last), disciplines, capacity, regions: the adviser team of four disciplines.
ADVISERS = [
    ("adviser", ("Alex", "Morgan"), ["project_management", "procurement"], 10, ["West Midlands"]),
    ("adviser-finance", ("Fran", "Okoye"), ["finance", "project_management"], 6, ["North West"]),
    ("adviser-legal", ("Lee", "Barnes"), ["legal", "project_management"], 6, ["London", "South East"]),
    ("adviser-procurement", ("Pat", "Reid"), ["procurement", "project_management"], 6, ["Yorkshire and The Humber"]),
]  # fmt: skip


def _advisers(staff: User) -> str:
    if AdviserProfile.objects.filter(is_demo=True).exists():
        return "advisers already loaded"
    for username, (first, last), disciplines, capacity, regions in ADVISERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"role": Role.ADVISER, "first_name": first, "last_name": last,
                      "email": f"{username}@example.gov.uk"},
        )  # fmt: skip
        if created:
            user.set_unusable_password()
            user.save()
        profile = adviser_profile_set(
            user=user, disciplines=disciplines, capacity=capacity, regions=regions,
            sectors=["public_public", "public_private"], is_demo=True, actor=staff,
        )  # fmt: skip
        if username == "adviser-legal":
            council = Organisation.objects.filter(kind=Kind.COUNTY).order_by("name").first()
            if council is not None:
                interest_declare(profile=profile, organisation=council,
                                 description="Demo: former employer (to 2001)", actor=staff)  # fmt: skip
    run = match_run(actor=staff)
    adviser = User.objects.get(username="adviser")
    today = timezone.localdate()
    logged = 0
    for i, p in enumerate(Partnership.objects.filter(advisers=adviser).order_by("name")[:4]):
        session_record(partnership=p, adviser=adviser, held_on=today - timedelta(days=40 + i),
                       attendees="Partnership board officers", notes="Demo: scoping the business case",
                       is_demo=True, actor=staff)  # fmt: skip
        advice_record(
            partnership=p, adviser=adviser, advice_type=["procurement", "legal", "financial", "scoping"][i],
            given_on=today - timedelta(days=30 + i), summary="Demo: options for the shared service.",
            attachment_titles=["Options appraisal template"],
            actions=[ActionSpec("Circulate the options appraisal", adviser, today - timedelta(days=7 - i)),
                     ActionSpec("Agree the board's terms of reference", adviser, today + timedelta(days=14))],
            is_demo=True, actor=staff,
        )  # fmt: skip
        logged += 1
    reminders = reminders_send(today=today)
    digests = digests_send(today=today)
    return (
        f"{len(ADVISERS)} advisers, matching run {run.number} {run.status} (left for staff to "
        f"confirm), advice for {logged} partnerships, {reminders} reminders and {digests} digests sent"
    )


def load() -> str:
    staff_user = User.objects.filter(username="staff").first()
    advisers = _advisers(staff_user) if staff_user else "advisers skipped"
    return f"{_call()}; {advisers}"


def _call() -> str:
    if Call.objects.filter(title=TITLE, is_demo=True).exists():
        return "pathfinder call already loaded"
    staff = User.objects.filter(username="staff").first()
    adviser = User.objects.filter(username="adviser").first()
    pathfinders = list(Partnership.objects.filter(is_pathfinder=True).order_by("name"))
    if staff is None or adviser is None or not pathfinders:
        return "pathfinder call skipped (no demo users or pathfinders)"
    others = _others(OTHERS, staff)
    call = call_create(
        title=TITLE,
        summary="Demo: the taskforce's call for 24 pathfinder projects of every kind and size.",
        eligibility="Partnerships of English local authorities, with or without other sectors.",
        opens_on=date(2003, 1, 6), closes_on=date(2003, 3, 31), decisions_by=date(2003, 5, 30),
        places=len(pathfinders), budget=None,
        criteria=[("Benefit to citizens and councils", 2), ("Deliverability", 1)],
        status=CallStatus.OPEN, assessors=[adviser], is_demo=True, actor=staff,
    )  # fmt: skip
    apps: list[tuple[Application, int]] = []
    for i, p in enumerate(pathfinders):
        theme = THEME_BY_LABEL.get(
            p.pathfinder_theme,
            Theme.EGOV if "e-gov" in p.pathfinder_theme.lower() else Theme.ACCESS,
        )
        app = application_create(
            call=call, partnership=p, title=p.pathfinder_theme or p.name, themes=[theme],
            requested_amount=Decimal(120_000 + 5_000 * (i % 7)), is_demo=True, actor=staff,
        )  # fmt: skip
        apps.append((app, 8 + i % 3))
    for i, p in enumerate(others):
        app = application_create(
            call=call, partnership=p, title=f"{p.name}: joined-up services",
            themes=[OTHER_THEMES[i % len(OTHER_THEMES)]],
            requested_amount=Decimal(90_000 + 10_000 * (i % 9)), is_demo=True, actor=staff,
        )  # fmt: skip
        apps.append((app, 3 + i % 5))
    criteria = list(call.criteria.all())
    for app, level in apps:
        application_submit(application=app, actor=staff)
        assessment_submit(
            application=app,
            scores={c.pk: (level, "Demo assessment") for c in criteria},
            assessor=adviser, actor=adviser,
        )  # fmt: skip
    # One agreed score after moderation (the panel rounded a deliverability score down).
    moderation_record(application=apps[0][0], criterion=criteria[1], score=apps[0][1] - 1,
                      note="Demo: agreed at moderation", actor=staff)  # fmt: skip
    chosen = [a for a, _ in apps[: len(pathfinders)]]
    egov = sum("egov" in application_tags(a) for a in chosen)
    two_tier = sum("two_tier" in application_tags(a) for a in chosen)
    for spec in (QuotaSpec("egov", min(8, egov), None, "E-government and corporate support"),
                 QuotaSpec("two_tier", min(5, two_tier), None, "Joining up a county and its districts")):  # fmt: skip
        quota_set(call=call, spec=spec, actor=staff)
    run = selection_run(call=call, actor=staff, is_demo=True)
    if run.status == "optimal":
        selection_confirm(run=run, actor=staff)
    return (
        f"pathfinder call with {len(apps)} applications; selection run {run.number} "
        f"{run.status}, {len(run.result.get('selected', []))} selected"
    )
