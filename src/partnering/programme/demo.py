"""Demo: the 2003 pathfinder call (idempotent; every row ``is_demo``).

The call had more applications than places: the partnerships marked as pathfinders by the
partnerships room's demo apply alongside demo partnerships of other real councils; the panel's
scores put every pathfinder above the rest, the quotas (e-government and two-tier minimums) hold,
so the proven-optimal selection is exactly those pathfinders, and confirming it keeps them so.
"""

from datetime import date
from decimal import Decimal

from partnering.core.models import User
from partnering.organisations.models import Kind, Organisation
from partnering.partnerships.models import Partnership
from partnering.partnerships.services import partnership_create

from .models import Application, Call, CallStatus, Theme
from .selectors import application_tags
from .services import (
    QuotaSpec,
    application_create,
    application_submit,
    assessment_submit,
    call_create,
    moderation_record,
    quota_set,
    selection_confirm,
    selection_run,
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


def load() -> str:
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
