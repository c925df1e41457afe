"""Demo: the 2003 pathfinder call (idempotent; every row ``is_demo``).

The call had more applications than places: the partnerships marked as pathfinders by the
partnerships room's demo apply alongside demo partnerships of other real councils; the panel's
scores put every pathfinder above the rest, the quotas (e-government and two-tier minimums) hold,
so the proven-optimal selection is exactly those pathfinders, and confirming it keeps them so.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.core import mail
from django.utils import timezone

from partnering.core.errors import DomainError
from partnering.core.models import Role, User
from partnering.organisations.models import Kind, Organisation
from partnering.partnerships.models import Partnership
from partnering.partnerships.services import partnership_create

from .models import (
    AdviserProfile,
    Application,
    Audience,
    Call,
    CallStatus,
    EventKind,
    ModuleFormat,
    Theme,
    TrainingModule,
)
from .selectors import application_tags
from .services import (
    ActionSpec,
    CallTagSpec,
    QuotaSpec,
    action_complete,
    advice_record,
    adviser_assign,
    adviser_profile_set,
    application_create,
    application_submit,
    application_tags_set,
    assessment_submit,
    attendance_record,
    booking_create,
    call_create,
    call_set_status,
    digests_send,
    enrolment_complete,
    enrolment_create,
    event_create,
    interest_declare,
    match_run,
    mentoring_needs_set,
    moderation_record,
    module_create,
    module_session_create,
    peer_offer_set,
    quota_set,
    reminders_send,
    selection_confirm,
    selection_run,
    session_record,
    similar_lists_refresh,
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


def _mentoring_needs_and_an_assignment(staff: User) -> None:
    """After the run staff are left to confirm: one pathfinder asks for two mentors, one of
    them a project manager (the next run uses it), and staff assign the finance adviser to a
    pathfinder by hand, with the capacity and conflict checks, so both show in the demo."""
    pathfinders = Partnership.objects.filter(is_pathfinder=True).order_by("name")
    first = pathfinders.first()
    if first is None:
        return
    mentoring_needs_set(
        partnership=first, mentors=2, disciplines=["project_management"], actor=staff
    )
    finance = User.objects.get(username="adviser-finance")
    for partnership in pathfinders.exclude(advisers=finance)[:10]:
        try:
            adviser_assign(partnership=partnership, adviser=finance, actor=staff)
        except DomainError:  # closed, conflicted or at capacity: try the next
            continue
        return


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
    _mentoring_needs_and_an_assignment(staff)
    adviser = User.objects.get(username="adviser")
    today = timezone.localdate()
    logged = 0
    for i, p in enumerate(Partnership.objects.filter(advisers=adviser).order_by("name")[:4]):
        session = session_record(
            partnership=p, adviser=adviser, held_on=today - timedelta(days=40 + i),
            attendees="Partnership board officers", notes="Demo: scoping the business case",
            actions=[ActionSpec("Send the board the scoping note", adviser, today - timedelta(days=20)),
                     ActionSpec("Name a lead officer in each council", adviser, today - timedelta(days=3 - i))],
            is_demo=True, actor=staff,
        )  # fmt: skip
        first = session.actions.order_by("due_on", "pk").first()
        if first is not None:  # one done, the other still open (overdue for the first two)
            action_complete(action=first, completed_on=today - timedelta(days=21), actor=adviser)
        advice_record(
            partnership=p, adviser=adviser, advice_type=["procurement", "legal", "financial", "scoping"][i],
            given_on=today - timedelta(days=30 + i), summary="Demo: options for the shared service.",
            attachment_titles=["Options appraisal template"],
            actions=[ActionSpec("Circulate the options appraisal", adviser, today - timedelta(days=7 - i)),
                     ActionSpec("Agree the board's terms of reference", adviser, today + timedelta(days=14))],
            is_demo=True, actor=staff,
        )  # fmt: skip
        logged += 1
    # Recorded, never delivered: a demo loaded on a real server emails nobody, needs no mail
    # server, and leaves the real advisers' actions and digests alone.
    outbox = mail.get_connection("django.core.mail.backends.locmem.EmailBackend")
    reminders = reminders_send(today=today, demo_only=True, connection=outbox)
    digests = digests_send(today=today, demo_only=True, connection=outbox)
    return (
        f"{len(ADVISERS)} advisers, matching run {run.number} {run.status} (left for staff to "
        f"confirm), advice for {logged} partnerships, {reminders} reminders and {digests} digests sent"
    )


def load() -> str:
    staff_user = User.objects.filter(username="staff").first()
    advisers = _advisers(staff_user) if staff_user else "advisers skipped"
    networking = _networking(staff_user) if staff_user else "networking skipped"
    call = _call()
    # Every partnership's "Partnerships like this one", so the demo's pages show them at once
    # (later rooms' changes queue the refresh for the task worker).
    lists = similar_lists_refresh()
    return f"{call}; {advisers}; {networking}; {lists} lists of partnerships like each one"


MODULES = [
    ("Leading a strategic partnership", "Setting up and chairing a partnership of councils and "
     "other bodies: its board, its agreement and how decisions are taken.",
     ["Set up a partnership board with clear terms of reference",
      "Choose a legal form for the partnership", "Agree how decisions are taken and recorded"],
     Audience.OFFICERS, "6", ModuleFormat.WORKSHOP),
    ("Sharing costs, risks and rewards fairly", "The methods economists use for shared "
     "infrastructure, and how to agree shares that every partner can defend.",
     ["Explain the Shapley value and separable costs in plain English",
      "Check that no partner would do better alone", "Agree a review of shares over time"],
     Audience.OFFICERS, "3.5", ModuleFormat.BLENDED),
    ("Councillors and partnerships", "The councillor's part: scrutiny, accountability to "
     "residents and the partnership's place in the council's priorities.",
     ["Scrutinise a partnership's performance", "Hold partners to account for shared risks"],
     Audience.COUNCILLORS, "2", ModuleFormat.WEBINAR),
    ("Procuring with a private partner", "From options appraisal to contract: routes, "
     "competitive dialogue and managing a long contract.",
     ["Compare procurement routes", "Run a competitive dialogue", "Manage a contract's change control"],
     Audience.ALL, "12", ModuleFormat.E_LEARNING),
]  # fmt: skip

EVENTS = [
    ("Peer visit: Worcestershire's one front door", EventKind.PEER_VISIT, "Worcester", 12, 21),
    ("Joint e-government strategies: North Yorkshire's story", EventKind.WEBINAR, "Online", 3, 35),
    ("Two-tier working: county and district officers", EventKind.WORKSHOP, "Birmingham", 30, 49),
    ("Pathfinder conference 2003", EventKind.CONFERENCE, "London", 200, -20),
]


def _networking(staff: User) -> str:
    """Training modules with cohorts and enrolments, events with bookings (one full, with a
    waiting list), and peer support offers by the demo's partner members."""
    if TrainingModule.objects.filter(is_demo=True).exists():
        return "training and events already loaded"
    today = timezone.localdate()
    people = list(User.objects.filter(username__in=["worcs", "northyorks"]).order_by("username"))
    extra = []
    for n, org in enumerate(
        Organisation.objects.filter(kind=Kind.DISTRICT, existed_2003=True).order_by("name")[:6], 1
    ):
        user, created = User.objects.get_or_create(
            username=f"officer-{n}",
            defaults={"role": Role.PARTNER, "first_name": ["Sam", "Jo", "Ravi", "Kim", "Ola", "Tess"][n - 1],
                      "last_name": "Officer (demo)", "email": f"officer-{n}@example.gov.uk"},
        )  # fmt: skip
        if created:
            user.set_unusable_password()
            user.save()
            user.organisations.add(org)
        extra.append(user)
    learners = [*people, *extra]
    modules = []
    for i, (title, summary, outcomes, audience, hours, fmt) in enumerate(MODULES):
        module = module_create(
            title=title, summary=summary, learning_outcomes=outcomes, audience=audience,
            duration_hours=Decimal(hours), format=fmt, is_published=True, is_demo=True, actor=staff,
        )  # fmt: skip
        past = module_session_create(
            module=module, starts_on=today - timedelta(days=60 + 7 * i),
            ends_on=today - timedelta(days=59 + 7 * i), venue=["Birmingham", "Leeds", "Online", "London"][i],
            places=20, is_demo=True, actor=staff,
        )  # fmt: skip
        module_session_create(
            module=module, starts_on=today + timedelta(days=30 + 7 * i),
            ends_on=today + timedelta(days=31 + 7 * i), venue=["York", "Worcester", "Online", "Bristol"][i],
            places=12, is_demo=True, actor=staff,
        )  # fmt: skip
        modules.append((module, past))
    enrolled = completed = 0
    for j, person in enumerate(learners):
        organisation = person.organisations.order_by("name").first()
        if organisation is None:
            continue
        for module, past in modules[: 1 + j % 3]:
            e = enrolment_create(session=past, person=person, organisation=organisation,
                                 is_demo=True, actor=staff)  # fmt: skip
            enrolled += 1
            if (j + module.pk) % 3:
                enrolment_complete(enrolment=e, completed_on=past.ends_on, actor=staff)
                completed += 1
    events = []
    for title, kind, location, places, days in EVENTS:
        start = timezone.now().replace(hour=10, minute=0, second=0, microsecond=0) + timedelta(
            days=days
        )
        events.append(event_create(
            title=title, kind=kind, location=location, places=places,
            summary=f"Demo: {title.lower()}. Officers of partnerships meet peers who have done it.",
            starts_at=start, ends_at=start + timedelta(hours=4), is_demo=True, actor=staff,
        ))  # fmt: skip
    bookings = 0
    for event in events:
        for person in learners[: min(len(learners), event.places + 2)]:
            booking = booking_create(event=event, person=person, is_demo=True, actor=staff)
            bookings += 1
            if event.ends_at < timezone.now() and booking.status == "booked":
                attendance_record(booking=booking, attended=True, actor=staff)
    topics = [["two_tier", "front_door", "governance"], ["egov", "shared_services", "procurement"],
              ["cost_sharing", "business_case"], ["legal", "people"]]  # fmt: skip
    offers = 0
    for k, person in enumerate(learners[:6]):
        organisation = person.organisations.order_by("name").first()
        if organisation is None:
            continue
        peer_offer_set(
            person=person, organisation=organisation, topics=topics[k % len(topics)],
            job_title=["Head of customer services", "ICT strategy manager", "Partnership manager"][k % 3],
            summary="Demo: happy to talk through what we did and what we would do differently.",
            is_demo=True, actor=staff,
        )  # fmt: skip
        offers += 1
    return (
        f"{len(modules)} training modules ({enrolled} enrolments, {completed} completed), "
        f"{len(events)} events ({bookings} bookings), {offers} peer support offers"
    )


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
        tags=[CallTagSpec("Rural pilot", applicants_choose=False)],
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
    # Staff mark three of the others as rural pilots (the call's own tag; no quota counts it).
    for app, _ in apps[len(pathfinders) : len(pathfinders) + 3]:
        application_tags_set(application=app, call_tags=["rural-pilot"], actor=staff)
    # One agreed score after moderation (the panel rounded a deliverability score down).
    moderation_record(application=apps[0][0], criterion=criteria[1], score=apps[0][1] - 1,
                      note="Demo: agreed at moderation", actor=staff)  # fmt: skip
    chosen = [a for a, _ in apps[: len(pathfinders)]]
    egov = sum("egov" in application_tags(a) for a in chosen)
    two_tier = sum("two_tier" in application_tags(a) for a in chosen)
    for spec in (QuotaSpec("egov", min(8, egov), None, "E-government and corporate support"),
                 QuotaSpec("two_tier", min(5, two_tier), None, "Joining up a county and its districts")):  # fmt: skip
        quota_set(call=call, spec=spec, actor=staff)
    call_set_status(call=call, status=CallStatus.CLOSED, actor=staff)  # closed, then decided
    run = selection_run(call=call, actor=staff, is_demo=True)
    if run.status == "optimal":
        selection_confirm(run=run, actor=staff)
    return (
        f"pathfinder call with {len(apps)} applications; selection run {run.number} "
        f"{run.status}, {len(run.result.get('selected', []))} selected"
    )
