"""One world for the generated role × route matrix (``test_role_route_matrix.py``).

Organisation A is Worcestershire County Council (a real council, imported with its districts and
neighbours by the front door's importer, so the front door routes as it does for residents);
organisation B is Warwickshire County Council. Everything of every room hangs off A's
partnerships:

- ``P``, published, led by A with two districts, an assigned adviser: its aim and priority, cost
  models (v1 agreed, v2), a gateway review led by the assessor and a published one, a risk with
  an action, an options appraisal, a procurement with the assessor on its panel and one run to
  contract, a programme application (submitted) and a funding application (submitted), a draft
  case study in the library;
- ``H``, A's unpublished partnership, with children of every kind (``tests.children.every_child``):
  another organisation's partner member must get 404 for all of it;
- ``F`` (nothing yet: new applications), ``D`` (draft applications), ``W`` (a funded application
  with an award and claims) and ``FD`` (the county and its districts' front door, with a
  resident's request), all led by A;
- B's own partnerships ``PB`` (published) and ``HB`` (unpublished).

The users are the nine roles of ``ROLES`` (None for the public). ``rooms`` gives, for each room's
own permission matrix, the room's targets and objects built in this world, so the room's rows
(their routes, targets, bodies and expected statuses) run here unchanged.
"""

import tempfile
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from partnering.core.models import Role
from partnering.core.services import api_key_create
from partnering.core.tests.factories import UserFactory
from partnering.core.tests.matrix import World

ROLES = (
    "public",
    "partner_a",
    "partner_b",
    "adviser_assigned",
    "adviser_other",
    "assessor",
    "editor",
    "finance",
    "staff",
)
OCDS_PREFIX = "ocds-t3stpx"
WARWICKSHIRE = "E10000031"


@dataclass
class Big:
    users: dict[str, Any]
    keys: dict[str, str]  # role -> raw API key (none for the public)
    sessions: dict[str, str]  # role -> session key of a signed-in session
    rooms: dict[str, World]
    hidden: dict[Any, Any]  # path-parameter values of H and its children (routes.fill)
    objects: dict[str, Any] = field(default_factory=dict)


def _users(a: Any, b: Any) -> dict[str, Any]:
    from partnering.funding.tests.factories import finance_user
    from partnering.library.tests.factories import make_editor

    return {
        "public": None,
        "partner_a": UserFactory(username="rr-partner-a", role=Role.PARTNER, organisations=[a]),
        "partner_b": UserFactory(username="rr-partner-b", role=Role.PARTNER, organisations=[b]),
        "adviser_assigned": UserFactory(username="rr-adviser", role=Role.ADVISER),
        "adviser_other": UserFactory(username="rr-adviser-other", role=Role.ADVISER),
        "assessor": UserFactory(username="rr-assessor", role=Role.ADVISER),
        "editor": make_editor("rr-editor"),
        "finance": finance_user(username="rr-finance"),
        # programme's advice rows name their action's owner "m-staff"
        "staff": UserFactory(username="m-staff", role=Role.STAFF),
    }


def build() -> Big:
    """The world, in the current transaction (the caller rolls it back)."""
    from django.contrib.sessions.backends.db import SessionStore

    from partnering.frontdoor.tests.factories import WORCS, import_councils, make_front_door
    from partnering.partnerships.tests.factories import make_partnership

    with tempfile.TemporaryDirectory() as tmp:
        councils = import_councils(Path(tmp))
    a, b = councils[WORCS], councils[WARWICKSHIRE]
    districts = sorted(
        (o for o in councils.values() if o.parent_county_id == a.pk and o.end_date is None),
        key=lambda o: o.gss_code,
    )
    users = _users(a, b)
    staff, adviser = users["staff"], users["adviser_assigned"]

    def partnership(reference: str, name: str, lead: Any = a, members=(), **fields) -> Any:
        return make_partnership(lead=lead, members=list(members), actor=staff,
                                reference=reference, name=name, **fields)  # fmt: skip

    p = partnership("SPT-RR-P", "Worcestershire shared services", members=districts[:2])
    h = partnership("SPT-RR-H", "Worcestershire plans (unpublished)", members=districts[2:3],
                    is_published=False)  # fmt: skip
    fresh = partnership("SPT-RR-F", "Worcestershire fresh start", members=districts[3:4])
    drafts = partnership("SPT-RR-D", "Worcestershire drafts", members=districts[4:5])
    funded = partnership("SPT-RR-W", "Worcestershire online", members=districts[5:6])
    front_door = make_front_door(councils, actor=staff)
    pb = partnership("SPT-RR-PB", "Warwickshire shared services", lead=b)
    hb = partnership("SPT-RR-HB", "Warwickshire plans (unpublished)", lead=b, is_published=False)
    for each in (p, h, front_door):
        each.advisers.add(adviser)
    w = {
        "a": a, "b": b, "districts": districts, "councils": councils, "users": users,
        "p": p, "h": h, "fresh": fresh, "drafts": drafts, "funded": funded,
        "front_door": front_door, "pb": pb, "hb": hb,
    }  # fmt: skip
    rooms = {
        "core": _core(w),
        "organisations": _organisations(w),
        "partnerships": _partnerships(w),
        "sharing": _sharing(w),
        "programme": _programme(w),
        "assurance": _assurance(w),
        "procurement": _procurement(w),
        "funding": _funding(w),
        "frontdoor": _frontdoor(w),
        "library": _library(w),
    }
    from partnering.tests.children import every_child

    hidden = every_child(h, staff=staff, adviser=adviser, call=w["call"], round_=w["round"])
    keys = {
        role: api_key_create(name="role-route matrix", actor=user)[1]
        for role, user in users.items()
        if user is not None
    }
    sessions = {}
    for role, user in users.items():
        if user is None:
            continue
        store = SessionStore()
        store["_auth_user_id"] = str(user.pk)
        store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        store["_auth_user_hash"] = user.get_session_auth_hash()
        store.create()
        sessions[role] = store.session_key
    return Big(users=users, keys=keys, sessions=sessions, rooms=rooms, hidden=hidden, objects=w)


# --- Each room's targets and objects, in this world -------------------------------------------
# The names are the room matrix's own (``targets`` of its ``world`` fixture), so its rows run
# unchanged; the comments say where this world differs from the room's.


def _core(w: dict[str, Any]) -> World:
    stranger = UserFactory(role="partner", username="stranger")  # the sign-in rows use it
    other_key = api_key_create(name="Stranger's key", actor=stranger)[0]

    def own_key(user: Any, world: World) -> dict[str, Any]:
        key = api_key_create(name="Own key", actor=user)[0] if user else other_key
        return {"pk": key.pk}

    return World(
        users={},
        targets={"own_key": own_key, "other_key": {"pk": other_key.pk},
                 "missing_key": {"pk": 987654}},
        objects={"other_key": other_key},
    )  # fmt: skip


def _organisations(w: dict[str, Any]) -> World:
    a = w["a"]
    return World(
        users={},
        targets={
            "slug": {"slug": a.slug},
            "unknown_slug": {"slug": "no-such-organisation"},
            "code": {"code": a.gss_code},
            "unknown_code": {"code": "E99999999"},
        },
        objects={"organisation": a},
    )


def _partnerships(w: dict[str, Any]) -> World:
    from partnering.organisations.tests.factories import OrganisationFactory
    from partnering.partnerships.tests.factories import PriorityFactory, StrategicAimFactory

    p, h, a = w["p"], w["h"], w["a"]
    aim = StrategicAimFactory(partnership=p)
    priority = PriorityFactory(organisation=a)
    membership = p.memberships.exclude(organisation=a).order_by("pk").first()
    return World(
        users={},
        targets={
            "p": {"slug": p.slug},
            "hidden": {"slug": h.slug},
            "membership": {"slug": p.slug, "pk": membership.pk},
            "aim": {"slug": p.slug, "pk": aim.pk},
            "priority_org": {"slug": p.slug, "org_slug": a.slug},
            "priority": {"slug": p.slug, "pk": priority.pk},
            "api_membership": {"slug": p.slug, "membership_id": membership.pk},
            "api_aim": {"slug": p.slug, "aim_id": aim.pk},
        },
        objects={"own_org": a, "new_org": OrganisationFactory(), "priority": priority},
    )


def _sharing(w: dict[str, Any]) -> World:
    from partnering.sharing import services
    from partnering.sharing.tests.factories import spec_for

    p, h = w["p"], w["h"]
    for partnership in (p, h):
        cost_model = services.cost_model_create(
            partnership=partnership, spec=spec_for(partnership), actor=None
        )
        services.agreement_record(cost_model=cost_model, method="shapley",
                                  agreed_on=date(2002, 7, 1), reason="Fair", actor=None)  # fmt: skip
        services.cost_model_create(partnership=partnership, spec=spec_for(partnership), actor=None)
    return World(
        users={},
        targets={
            "p": {"slug": p.slug},
            "hidden": {"slug": h.slug},
            "csv": {"slug": p.slug, "fmt": "csv"},
            "v": {"slug": p.slug, "version": 2},
            "hidden_v": {"slug": h.slug, "version": 2},
            "table": {"slug": p.slug, "version": 2, "table": "methods", "fmt": "xlsx"},
            "hidden_table": {"slug": h.slug, "version": 2, "table": "savings", "fmt": "csv"},
        },
        objects={"p": p, "hidden": h},
    )


def _programme(w: dict[str, Any]) -> World:
    from partnering.organisations.tests.factories import OrganisationFactory
    from partnering.partnerships.tests.factories import make_partnership
    from partnering.programme.services import (
        ActionSpec,
        CallTagSpec,
        QuotaSpec,
        advice_record,
        adviser_profile_set,
        match_run,
        selection_run,
    )
    from partnering.programme.tests.factories import (
        BookingFactory,
        EnrolmentFactory,
        EventFactory,
        ModuleFactory,
        ModuleSessionFactory,
        assess,
        make_application,
        make_call,
    )

    users, a, p = w["users"], w["a"], w["p"]
    staff = users["staff"]
    call = make_call(actor=staff, places=1, assessors=[users["assessor"]],
                     tags=[CallTagSpec("Rural")], quotas=[QuotaSpec("two_tier", None, 5)])  # fmt: skip
    draft_call = make_call(actor=staff, title="Draft call", status="draft")
    submitted = make_application(call, partnership=p)
    draft = make_application(call, partnership=w["drafts"], submit=False)
    # the room's rows name this assessor (who has scored) "m-assessor-2"
    other_assessor = UserFactory(role=Role.ADVISER, username="m-assessor-2")
    call.assessors.add(other_assessor)
    assess(submitted, other_assessor, 7, 6)
    run = selection_run(call=call, actor=staff)
    make_partnership(lead=OrganisationFactory(), name="Pathfinder", reference="SPT-RR-PF",
                     is_pathfinder=True, pathfinder_theme="E-government")  # fmt: skip
    adviser_profile_set(user=other_assessor, disciplines=["finance"], capacity=2, actor=staff)
    mrun = match_run(actor=staff)
    session = ModuleSessionFactory(module=ModuleFactory(slug="rr-published"))
    draft_module = ModuleFactory(slug="rr-draft", is_published=False)
    learner = UserFactory(username="rr-learner", organisations=[a])
    enrolment = EnrolmentFactory(session=session, person=learner, organisation=a)
    session.starts_on, session.ends_on = date(2003, 6, 1), date(2003, 6, 2)
    session.save()
    event = EventFactory(slug="rr-ev-open")
    draft_event = EventFactory(slug="rr-ev-draft", is_published=False)
    booking = BookingFactory(event=event, person=learner)
    mentor = UserFactory(role=Role.ADVISER, username="rr-mentor")
    adviser_profile_set(user=mentor, disciplines=["legal"], capacity=3, actor=staff)
    p.advisers.add(mentor)
    action = advice_record(
        partnership=p, adviser=staff, advice_type="legal", given_on=date(2003, 6, 1),
        summary="Use a framework", actions=[ActionSpec("Draft", staff, date(2003, 7, 1))],
        actor=staff,
    ).actions.get()  # fmt: skip
    w["call"] = call
    return World(
        users={},
        targets={
            "c": {"slug": call.slug},
            "c-close": {"slug": call.slug, "move": "close"},
            "c-nope": {"slug": call.slug, "move": "nope"},
            "c-quota": {"slug": call.slug, "quota_id": call.quotas.get().pk},
            "c-tag": {"slug": call.slug, "tag_slug": "rural"},
            "dc": {"slug": draft_call.slug},
            "dc-crit": {"slug": draft_call.slug, "criterion_id": draft_call.criteria.first().pk},
            "a": {"reference": submitted.reference},
            "d": {"reference": draft.reference},
            "run": {"slug": call.slug, "number": run.number},
            "mrun": {"number": mrun.number},
            "pa": {"slug": p.slug},
            "m": {"slug": session.module.slug},
            "mdraft": {"slug": draft_module.slug},
            "enr": {"pk": enrolment.pk},
            "coh": {"slug": session.module.slug, "pk": session.pk},
            "enr_api": {"enrolment_id": enrolment.pk},
            "ev": {"slug": event.slug},
            "evdraft": {"slug": draft_event.slug},
            "evb": {"slug": event.slug, "pk": booking.pk},
            "bk": {"booking_id": booking.pk},
            "pl": {"slug": p.slug},
            # the room's "hidden" is another organisation's unpublished partnership: B's
            "hidden": {"slug": w["hb"].slug},
            "adv": {"username": other_assessor.username},
            "self": lambda user, world: {"username": user.username if user else staff.username},
            "act": {"pk": action.pk},
            "act_api": {"action_id": action.pk},
            "pa_adv": {"slug": p.slug, "username": mentor.username},
            "coh_api": {"slug": session.module.slug, "session_id": session.pk},
        },
        objects={
            "call": call,
            "draft_call": draft_call,
            "fresh": w["fresh"],
            "session": session,
            "own_org": a,
            "adviser": other_assessor,
        },
    )


def _assurance(w: dict[str, Any]) -> World:
    from partnering.assurance import services
    from partnering.assurance.tests.factories import make_review
    from partnering.tests.children import assurance_and_appraisal

    p, users = w["p"], w["users"]
    # the room's rows name the owner of risks and actions "a-staff"
    owner = UserFactory(role=Role.STAFF, username="a-staff")
    lead = users["assessor"]
    kids = assurance_and_appraisal(p, staff=owner, lead=lead)
    review, rec, risk, action = kids["review"], kids["rec"], kids["risk"], kids["action"]
    published = make_review(p, gate=0, lead=lead)
    services.review_update(review=published, data={"rating": "amber", "summary": "Fine"},
                           actor=None)  # fmt: skip
    services.review_finalise(review=published, actor=None)
    services.review_publish(review=published, actor=None)
    return World(
        users={},
        targets={
            "p": {"slug": p.slug},
            "r": {"slug": p.slug, "pk": review.pk},
            "published": {"slug": p.slug, "pk": published.pk},
            "rec": {"slug": p.slug, "pk": rec.pk},
            "csv": {"slug": p.slug, "fmt": "csv"},
            "ar": {"slug": p.slug, "review_id": review.pk},
            "apublished": {"slug": p.slug, "review_id": published.pk},
            "arec": {"slug": p.slug, "rec_id": rec.pk},
            "risk": {"slug": p.slug, "number": risk.number},
            "arisk": {"slug": p.slug, "number": risk.number},
            "action": {"slug": p.slug, "number": risk.number, "action_id": action.pk},
            "aaction": {"slug": p.slug, "number": risk.number, "action_id": action.pk},
        },
        objects={"p": p, "reviewer": lead, "staff": owner},
    )


def _procurement(w: dict[str, Any]) -> World:
    from partnering.procurement import services
    from partnering.procurement.tests.factories import CompanyFactory, run_to_award

    p, a = w["p"], w["a"]
    appraisal = services.appraisal_create(partnership=p, title="Front door options", actor=None)
    (quality,) = services.criteria_set(appraisal=appraisal, criteria=[
        {"name": "Quality", "kind": "quality", "weight": 100}], actor=None)  # fmt: skip
    option = services.option_add(appraisal=appraisal, kind="in_house", name="In-house",
                                 annual_cost="100000", actor=None)  # fmt: skip
    services.option_add(appraisal=appraisal, kind="shared_service", name="Shared",
                        annual_cost="80000", actor=None)  # fmt: skip
    proc = services.procurement_create(partnership=p, title="ICT partner", route="pcr_open",
                                       buyer=a, panel=[w["users"]["assessor"]], actor=None)  # fmt: skip
    bidder = CompanyFactory()
    services.bidder_add(procurement=proc, organisation=bidder, actor=None)
    services.stage_record(procurement=proc, stage="notice", on=date(2004, 1, 5), actor=None)
    services.evaluation_criteria_set(procurement=proc, criteria=[
        {"name": "Quality", "weight": 60}, {"name": "Price", "weight": 40}], actor=None)  # fmt: skip
    done, _ = run_to_award(p)
    arrangement = services.arrangement_save(contract=done.contract, board_name="Board",
                                            meeting_frequency="quarterly", client_team="Two",
                                            payment_mechanism="Monthly", actor=None)  # fmt: skip
    services.kpi_add(arrangement=arrangement, name="Availability", target=99, actor=None)
    return World(
        users={},
        targets={
            "p": {"slug": p.slug},
            "a": {"slug": p.slug, "pk": appraisal.pk},
            "o": {"slug": p.slug, "pk": appraisal.pk, "option_pk": option.pk},
            "proc": {"slug": p.slug, "pk": proc.pk},
            "done": {"slug": p.slug, "pk": done.pk},
            "aa": {"slug": p.slug, "appraisal_id": appraisal.pk},
            "aproc": {"slug": p.slug, "procurement_id": proc.pk},
            "adone": {"slug": p.slug, "procurement_id": done.pk},
            "ocid": {"ocid": f"{OCDS_PREFIX}-{done.process_id}"},
            "council": {"org": a.slug},
        },
        objects={
            "own": a,
            "option": option,
            "quality": quality,
            "bidder": bidder,
            "late": CompanyFactory(org_id=None),
        },
    )


def _funding(w: dict[str, Any]) -> World:
    from partnering.funding import services as s
    from partnering.funding.tests.factories import (
        PDF,
        assess,
        finance_user,
        make_application,
        make_round,
        service,
    )

    users, a = w["users"], w["a"]
    staff, applicant = users["staff"], users["partner_a"]
    other_finance = finance_user(username="rr-finance-2")
    leaving = finance_user(username="rr-finance-leaving")
    # the room's rows name the round's panel "f-assessor" and "f-assessor-2"
    second = UserFactory(role=Role.ADVISER, username="f-assessor-2")
    UserFactory(role=Role.ADVISER, username="f-assessor")
    round_ = make_round(actor=staff, assessors=[users["assessor"], second])
    draft_round = make_round(actor=staff, programme=round_.programme, title="Draft round",
                             budget="1000.00", status="draft")  # fmt: skip
    service(9001)
    submitted = make_application(round_, partnership=w["p"])
    assess(submitted, second, 7, 7)
    draft = make_application(round_, submit=False, partnership=w["drafts"])
    funded = make_application(round_, partnership=w["funded"])
    assess(funded, second, 8, 8)
    award = s.award_make(
        application=funded, reason="Good", conditions="Reports", awarded_on=date(2002, 12, 1),
        agreement_starts_on=date(2003, 1, 1), agreement_ends_on=date(2005, 12, 31), actor=staff,
    )  # fmt: skip
    m1 = award.application.milestones.get(number=1)

    def claim() -> Any:
        return s.claim_submit(award=award, milestone=m1, amount=Decimal("300.00"),
                              claimed_on=date(2003, 7, 1), description="Done",
                              files=[("r.pdf", PDF)], actor=applicant)  # fmt: skip

    claimed, approved = claim(), claim()
    s.claim_approve(claim=approved, actor=other_finance)
    w["round"] = round_
    return World(
        users={},
        targets={
            "prog": {"slug": round_.programme.slug},
            "r": {"slug": round_.slug},
            "a": {"reference": submitted.reference},
            "d": {"reference": draft.reference},
            "w": {"pk": award.pk},
            "wa": {"award_id": award.pk},
            "c": {"pk": claimed.pk},
            "ca": {"claim_id": claimed.pk},
            "ap": {"pk": approved.pk},
            "apa": {"claim_id": approved.pk},
            "e": {"pk": claimed.evidence.first().pk},
            "csv": {"fmt": "csv"},
            "council": {"slug": a.slug},
            "p": {"slug": w["p"].slug},
            "council_service": {"slug": a.slug, "lgsl_code": 9001},
            "officer": {"username": leaving.username},
            "staffuser": {"username": staff.username},
            "draft_round": {"slug": draft_round.slug},
        },
        objects={"round": round_, "fresh": w["fresh"], "lead": a, "programme": round_.programme},
    )


def _frontdoor(w: dict[str, Any]) -> World:
    from partnering.frontdoor.photos import photo_clean
    from partnering.frontdoor.tests.factories import ServiceRequestFactory
    from partnering.frontdoor.tests.test_photos import png_bytes

    a, front_door = w["a"], w["front_door"]
    photo, kind = photo_clean(png_bytes())
    req = ServiceRequestFactory(council=a, partnership=front_door, photo=photo, photo_type=kind)
    return World(
        users={},
        targets={
            "door": {"slug": front_door.slug, "lgsl_code": 557},
            "not_door": {"slug": front_door.slug, "lgsl_code": 1},
            "req": {"reference": req.reference},
            "council": {"slug": a.slug},
            "json": {"fmt": "json"},
            "xml": {"fmt": "xml"},
            "service": {"service_code": "557", "fmt": "xml"},
            "o311_req": {"service_request_id": req.reference, "fmt": "json"},
            "token": {"token": "abc", "fmt": "json"},
        },
    )


def _library(w: dict[str, Any]) -> World:
    from partnering.library import services
    from partnering.library.samples import csv_bytes
    from partnering.library.tests.factories import make_editor
    from partnering.partnerships.models import ServiceArea

    # The documents' author is an editor who is not one of the roles: the editor role may
    # approve them (the room's "editor2"; an author may not approve their own).
    author = make_editor("rr-library-author")
    area, _ = ServiceArea.objects.get_or_create(
        lgsl_code=372, defaults={"label": "Council tax collection"}
    )

    def draft(title: str, **extra: Any) -> Any:
        return services.document_create(
            kind="guidance", title=title, summary="Shared services done fairly.",
            body="## Why share\n\nFair shares of the costs.", actor=author, **extra,
        )  # fmt: skip

    pub = draft("Published guidance on shared services", service_areas=[area])
    services.document_update(
        document=pub, data={"body": "## Why share\n\nFair shares of costs and risks."},
        actor=author,
    )  # fmt: skip
    services.document_submit(document=pub, actor=author)
    services.document_approve(document=pub, actor=w["users"]["editor"])
    att = services.attachment_add(
        document=pub, title="Shares", data=csv_bytes([["a", "b"], [1, 2]]), filename="s.csv",
        actor=author,
    )  # fmt: skip
    drafted = draft("Draft guidance")
    review = draft("Guidance in review")
    services.document_submit(document=review, actor=author)
    cs = services.case_study_draft(partnership=w["p"], actor=author)
    return World(
        users={},
        targets={
            "kind": {"kind": "guidance"},
            "audience": {"audience": "officers"},
            "area": {"lgsl": area.lgsl_code},
            "pub": {"slug": pub.slug},
            "draft": {"slug": drafted.slug},
            "review": {"slug": review.slug},
            "cs": {"slug": cs.slug},
            "att": {"slug": pub.slug, "pk": att.pk},
            "ver": {"slug": pub.slug, "old": 1, "new": 2},
        },
    )
