"""Role × route: the exact status of every programme page and API operation for every role.

Roles: the public, a partner member of the applying partnership's organisation, a partner of
another organisation (with a partnership of its own), an assessor on the call's panel, an
adviser not on it, and taskforce staff."""

from datetime import date

import pytest

from partnering.core.models import Role
from partnering.core.tests.factories import UserFactory
from partnering.core.tests.matrix import Matrix, World, api, every, page
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

from .factories import (
    BookingFactory,
    EnrolmentFactory,
    EventFactory,
    ModuleFactory,
    ModuleSessionFactory,
    assess,
    make_application,
    make_call,
    staff_user,
)

pytestmark = pytest.mark.django_db

ROLES = ["public", "partner_own", "partner_other", "assessor", "adviser_other", "staff"]
OPEN = every(ROLES, 200)
STAFF_PAGE = {**every(ROLES, 403), "public": 302, "staff": 200}
STAFF_POST = {**STAFF_PAGE, "staff": 302}
STAFF_API = {**every(ROLES, 403), "public": 401, "staff": 200}
SIGNED_IN_API = {**every(ROLES, 200), "public": 401}
SUBMITTED = {"public": 404, "partner_own": 200, "partner_other": 404, "assessor": 200,
             "adviser_other": 404, "staff": 200}  # fmt: skip
DRAFT = {**SUBMITTED, "assessor": 404}
APPLY = {"public": 302, "partner_own": 200, "partner_other": 200, "assessor": 403,
         "adviser_other": 403, "staff": 200}  # fmt: skip
SUBMIT = {**DRAFT, "public": 302, "partner_own": 302, "staff": 302}
ASSESS = {"public": 302, "partner_own": 403, "partner_other": 404, "assessor": 200,
          "adviser_other": 404, "staff": 403}  # fmt: skip
MODERATE = {**ASSESS, "assessor": 403, "staff": 200}
#: A submitted application's page for a write its reader may not make.
NOT_YOURS = {"public": 302, "partner_own": 403, "partner_other": 404, "assessor": 403,
             "adviser_other": 404, "staff": 403}  # fmt: skip
HIDDEN_CALL = {"partner_own": 404, "partner_other": 404, "assessor": 404, "adviser_other": 404}
API = "/api/v1/programme"


ENROL = {"public": 302, "partner_own": 200, "partner_other": 200, "assessor": 403,
         "adviser_other": 403, "staff": 200}  # fmt: skip
API_ENROL = {"public": 401, "partner_own": 201, "partner_other": 422, "assessor": 403,
             "adviser_other": 403, "staff": 422}  # fmt: skip
STAFF_API_404 = {**every(ROLES, 404), "public": 401, "staff": 200}
PEER_OFFER = {"public": 302, "partner_own": 200, "partner_other": 200, "assessor": 403,
              "adviser_other": 403, "staff": 403}  # fmt: skip
API_PEER = {**PEER_OFFER, "public": 401, "partner_other": 422}


def _enrol_form(user, world):
    return {"session": world.objects["session"].pk, "organisation": world.objects["own_org"].pk}


def _enrol_body(user, world):
    return {"session": world.objects["session"].pk, "organisation": world.objects["own_org"].slug}


def _peer_form(user, world):
    return {"organisation": world.objects["own_org"].pk, "topics": ["governance"],
            "is_listed": "on"}  # fmt: skip


def _peer_body(user, world):
    return {"organisation": world.objects["own_org"].slug, "topics": ["governance"]}


MODULE_FORM = {"title": "Matrix module", "summary": "S", "learning_outcomes": "One",
               "audience": "officers", "format": "workshop", "duration_hours": "2"}  # fmt: skip
COHORT_FORM = {"starts_on": "2031-03-03", "ends_on": "2031-03-04", "venue": "York", "places": "40"}
EVENT_FORM = {"title": "Matrix event", "kind": "webinar", "summary": "S", "starts_on": "2031-05-01",
              "start_time": "10:00", "end_time": "11:00", "location": "Online", "places": "30",
              "is_published": "on"}  # fmt: skip


ADVISER_FORM = {"disciplines": ["legal"], "capacity": "2"}


def _call_form(criteria, **fields):
    rows = {f"criteria-{i}-{k}": v for i, c in enumerate(criteria) for k, v in c.items()}
    return {
        "title": "Matrix call", "summary": "S", "opens_on": "2004-01-05", "closes_on": "2004-03-31",
        "decisions_by": "2004-05-28", "places": "4", "score_min": "0", "score_max": "10",
        "moderation_spread": "3", "criteria-TOTAL_FORMS": str(len(criteria)),
        "criteria-INITIAL_FORMS": "0", "quotas-TOTAL_FORMS": "0", "quotas-INITIAL_FORMS": "0",
        "tags-TOTAL_FORMS": "0", "tags-INITIAL_FORMS": "0", **rows, **fields,
    }  # fmt: skip


CALL_FORM = _call_form([{"title": "Benefit", "weight": "1"}])
CALL_BODY = {"title": "Matrix call", "summary": "S", "opens_on": "2004-01-05",
             "closes_on": "2004-03-31", "decisions_by": "2004-05-28", "places": 4,
             "criteria": [{"title": "Benefit"}], "quotas": [{"tag": "egov", "min": 1}]}  # fmt: skip


def _draft_call_form(user, world):
    call = world.objects["draft_call"]
    return _call_form([{"id": c.pk, "title": c.title, "weight": c.weight}
                       for c in call.criteria.all()], title="Matrix call, changed")  # fmt: skip


def _new_application(user, world):
    return {"call": world.objects["call"].slug, "partnership": world.objects["fresh"].slug,
            "title": "A new project", "requested_amount": "1000"}  # fmt: skip


def _scores(user, world):
    return {
        "scores": [{"criterion": c.pk, "score": 5} for c in world.objects["call"].criteria.all()]
    }


MATRIX = Matrix(__name__, ROLES, per="row", rows=[
    page("programme:call-list", None, OPEN),
    page("programme:call-detail", "c", OPEN),
    page("programme:application-create", "c", APPLY),
    page("programme:application-detail", "a", SUBMITTED),
    page("programme:application-detail", "d", DRAFT),
    page("programme:application-submit", "d", SUBMIT, method="post"),
    page("programme:assess", "a", ASSESS),
    page("programme:moderate", "a", MODERATE),
    page("programme:selection", "c", STAFF_PAGE),
    page("programme:selection-confirm", "run", STAFF_POST, method="post"),
    page("programme:adviser-list", None, STAFF_PAGE),
    page("programme:matching", None, STAFF_PAGE),
    page("programme:matching", None, STAFF_POST, method="post"),
    page("programme:matching-confirm", "mrun", STAFF_POST, method="post"),
    page("programme:actions", None, {**OPEN, "public": 302}),
    page("programme:advice", "pa", {**every(ROLES, 403), "partner_own": 200, "staff": 200}),
    page("programme:advice", "pa", {**every(ROLES, 403), "staff": 302}, method="post",
         data={"advice_type": "legal", "given_on": "2003-06-01", "summary": "Use a framework"}),
    api(f"GET {API}/calls", None, OPEN),
    api(f"GET {API}/calls/{{slug}}", "c", OPEN),
    api(f"GET {API}/applications", None, OPEN),
    api(f"POST {API}/applications", None,
        {**every(ROLES, 422), "public": 401, "partner_own": 201, "staff": 201},
        body=_new_application),
    api(f"GET {API}/applications/{{reference}}", "a", SUBMITTED),
    api(f"POST {API}/applications/{{reference}}/submit", "d", {**DRAFT, "public": 401}),
    api(f"GET {API}/assessments", None, SIGNED_IN_API),
    api(f"POST {API}/applications/{{reference}}/assessments", "a",
        {**ASSESS, "public": 401, "assessor": 201}, body=_scores),
    api(f"GET {API}/actions", None, SIGNED_IN_API),
    api(f"GET {API}/partnerships/{{slug}}/advice", "pa",
        {**every(ROLES, 403), "public": 401, "partner_own": 200, "staff": 200}),
    api(f"POST {API}/partnerships/{{slug}}/advice", "pa",
        {**every(ROLES, 403), "public": 401, "staff": 201},
        body={"advice_type": "legal", "given_on": "2003-06-01", "summary": "Use a framework",
              "actions": [{"description": "Draft", "owner": "m-staff", "due_on": "2003-07-01"}]}),
    api(f"GET {API}/matching-runs", None, STAFF_API),
    api(f"POST {API}/matching-runs", None, {**STAFF_API, "staff": 201}, body={}),
    api(f"GET {API}/calls/{{slug}}/selection-runs", "c", STAFF_API),
    api(f"POST {API}/calls/{{slug}}/selection-runs", "c", {**STAFF_API, "staff": 201}, body={}),
    api(f"POST {API}/calls/{{slug}}/selection-runs/{{number}}/confirm", "run", STAFF_API),
    # staff run calls; applicants change and withdraw their drafts
    page("programme:call-create", None, STAFF_PAGE),
    page("programme:call-create", None, STAFF_POST, method="post", data=CALL_FORM),
    page("programme:call-edit", "c", STAFF_PAGE),
    page("programme:call-edit", "dc", {**STAFF_POST, **HIDDEN_CALL}, method="post",
         data=_draft_call_form),
    page("programme:call-status", "c-close", STAFF_PAGE),
    page("programme:call-status", "c-close", STAFF_POST, method="post"),
    page("programme:call-status", "c-nope", {**STAFF_PAGE, "staff": 404}),
    page("programme:application-edit", "d", {**DRAFT, "public": 302}),
    page("programme:application-edit", "d", SUBMIT, method="post",
         data={"title": "A better title", "requested_amount": "£1,000"}),
    page("programme:application-edit", "a", {**NOT_YOURS, "partner_own": 403}),
    page("programme:application-withdraw", "d", {**DRAFT, "public": 302}),
    page("programme:application-withdraw", "d", SUBMIT, method="post"),
    page("programme:application-withdraw", "a", {**NOT_YOURS, "partner_own": 200, "staff": 200}),
    page("programme:application-tags", "a", {**NOT_YOURS, "staff": 200}),
    page("programme:application-tags", "a", {**NOT_YOURS, "staff": 302}, method="post",
         data={"call_tags": ["rural"]}),
    api(f"POST {API}/calls", None, {**STAFF_API, "staff": 201}, body=CALL_BODY),
    api(f"PATCH {API}/calls/{{slug}}", "c", STAFF_API, body={"places": 2}),
    api(f"POST {API}/calls/{{slug}}/status", "c", STAFF_API, body={"status": "closed"}),
    api(f"POST {API}/calls/{{slug}}/criteria", "dc", {**STAFF_API_404, "staff": 201},
        body={"title": "Value for money"}),
    api(f"PATCH {API}/calls/{{slug}}/criteria/{{criterion_id}}", "dc-crit", STAFF_API_404,
        body={"weight": "3"}),
    api(f"DELETE {API}/calls/{{slug}}/criteria/{{criterion_id}}", "dc-crit",
        {**STAFF_API_404, "staff": 204}),
    api(f"POST {API}/calls/{{slug}}/quotas", "c", STAFF_API, body={"tag": "egov", "min": 1}),
    api(f"DELETE {API}/calls/{{slug}}/quotas/{{quota_id}}", "c-quota", {**STAFF_API, "staff": 204}),
    api(f"POST {API}/calls/{{slug}}/tags", "c", {**STAFF_API, "staff": 201},
        body={"label": "Coastal"}),
    api(f"DELETE {API}/calls/{{slug}}/tags/{{tag_slug}}", "c-tag", {**STAFF_API, "staff": 204}),
    api(f"PATCH {API}/applications/{{reference}}", "d", {**DRAFT, "public": 401},
        body={"title": "A better title"}),
    api(f"POST {API}/applications/{{reference}}/withdraw", "d", {**DRAFT, "public": 401}),
    api(f"PUT {API}/applications/{{reference}}/tags", "a", {**NOT_YOURS, "public": 401,
                                                            "staff": 200},
        body={"call_tags": ["rural"]}),
    # training modules
    page("programme:module-list", None, OPEN),
    page("programme:module-detail", "m", OPEN),
    page("programme:module-detail", "mdraft", {**every(ROLES, 404), "staff": 200}),
    page("programme:module-enrol", "m", ENROL),
    page("programme:module-enrol", "m", {**ENROL, "partner_own": 302}, method="post",
         data=_enrol_form),
    page("programme:enrolment-complete", "enr", STAFF_PAGE),
    page("programme:enrolment-complete", "enr", STAFF_POST, method="post",
         data={"completed_on": "2003-06-02"}),
    page("programme:training-progress", None, STAFF_PAGE),
    page("programme:module-create", None, STAFF_PAGE),
    page("programme:module-create", None, STAFF_POST, method="post", data=MODULE_FORM),
    page("programme:module-edit", "m", STAFF_PAGE),
    page("programme:module-edit", "mdraft", {**STAFF_PAGE, "staff": 200}),
    page("programme:module-edit", "m", STAFF_POST, method="post", data=MODULE_FORM),
    page("programme:cohort-create", "m", STAFF_PAGE),
    page("programme:cohort-create", "m", STAFF_POST, method="post", data=COHORT_FORM),
    page("programme:cohort-edit", "coh", STAFF_PAGE),
    page("programme:cohort-edit", "coh", STAFF_POST, method="post", data=COHORT_FORM),
    api(f"GET {API}/modules", None, OPEN),
    api(f"POST {API}/modules", None, {**STAFF_API, "staff": 201}, body={
        "title": "Councillors and partnerships", "summary": "The councillor's part",
        "learning_outcomes": ["Scrutinise a partnership"], "audience": "councillors",
        "duration_hours": "3", "format": "webinar"}),
    api(f"GET {API}/modules/{{slug}}", "m", OPEN),
    api(f"GET {API}/modules/{{slug}}", "mdraft", {**every(ROLES, 404), "staff": 200}),
    api(f"POST {API}/modules/{{slug}}/sessions", "m", {**STAFF_API, "staff": 201},
        body={"starts_on": "2003-09-01", "ends_on": "2003-09-02", "venue": "York", "places": 5}),
    api(f"GET {API}/enrolments", None, SIGNED_IN_API),
    api(f"POST {API}/modules/{{slug}}/enrolments", "m",
        {**API_ENROL, "partner_own": 201}, body=_enrol_body),
    api(f"POST {API}/enrolments/{{enrolment_id}}/complete", "enr_api",
        {**every(ROLES, 404), "public": 401, "staff": 200}, body={"completed_on": "2003-06-02"}),
    # events
    page("programme:event-list", None, OPEN),
    page("programme:events-ics", None, OPEN),
    page("programme:event-detail", "ev", OPEN),
    page("programme:event-detail", "evdraft", {**every(ROLES, 404), "staff": 200}),
    page("programme:event-ics", "ev", OPEN),
    page("programme:event-book", "ev", every(ROLES, 302), method="post"),
    page("programme:event-cancel", "ev", every(ROLES, 302), method="post"),
    page("programme:event-attendance", "evb", STAFF_POST, method="post", data={"attended": "yes"}),
    page("programme:event-create", None, STAFF_PAGE),
    page("programme:event-create", None, STAFF_POST, method="post", data=EVENT_FORM),
    page("programme:event-edit", "ev", STAFF_PAGE),
    page("programme:event-edit", "evdraft", STAFF_PAGE),
    page("programme:event-edit", "ev", STAFF_POST, method="post", data=EVENT_FORM),
    api(f"GET {API}/events", None, OPEN),
    api(f"POST {API}/events", None, {**STAFF_API, "staff": 201}, body={
        "title": "Peer visit to Worcester", "kind": "peer_visit", "summary": "See one front door",
        "starts_at": "2030-05-01T10:00:00Z", "ends_at": "2030-05-01T15:00:00Z",
        "location": "Worcester", "places": 12}),
    api(f"GET {API}/events/{{slug}}", "ev", OPEN),
    api(f"POST {API}/events/{{slug}}/bookings", "ev", {**every(ROLES, 201), "public": 401}),
    api(f"GET {API}/bookings", None, SIGNED_IN_API),
    api(f"POST {API}/bookings/{{booking_id}}/cancel", "bk", STAFF_API_404),
    api(f"POST {API}/bookings/{{booking_id}}/attendance", "bk", STAFF_API_404,
        body={"attended": True}),
    # peer support
    page("programme:peer-directory", None, {**OPEN, "public": 302}),
    page("programme:peer-offer", None, PEER_OFFER),
    page("programme:peer-offer", None, {**PEER_OFFER, "partner_own": 302}, method="post",
         data=_peer_form),
    page("programme:partnerships-like", "pl", OPEN),
    page("programme:partnerships-like", "hidden", {**OPEN, "public": 404, "partner_own": 404}),
    api(f"GET {API}/peers", None, SIGNED_IN_API),
    api(f"POST {API}/peers", None, {**API_PEER, "partner_own": 200}, body=_peer_body),
    api(f"GET {API}/partnerships/{{slug}}/similar", "pl", OPEN),
    # mentoring sessions and adviser profiles
    page("programme:sessions", "pa", {**every(ROLES, 403), "partner_own": 200, "staff": 200}),
    page("programme:sessions", "pa", {**every(ROLES, 403), "staff": 302}, method="post",
         data={"held_on": "2003-06-01", "notes": "Scoping"}),
    api(f"GET {API}/partnerships/{{slug}}/sessions", "pa",
        {**every(ROLES, 403), "public": 401, "partner_own": 200, "staff": 200}),
    api(f"POST {API}/partnerships/{{slug}}/sessions", "pa",
        {**every(ROLES, 403), "public": 401, "staff": 201}, body={"held_on": "2003-06-01"}),
    page("programme:adviser-edit", "adv", {**every(ROLES, 404), "public": 302, "staff": 200}),
    page("programme:adviser-edit", "adv", {**every(ROLES, 404), "public": 302, "staff": 302},
         method="post", data=ADVISER_FORM),
    # one's own profile: advisers (with a profile or without) open theirs; nobody else has one
    page("programme:adviser-edit", "self", {**every(ROLES, 404), "public": 302, "assessor": 200,
                                            "adviser_other": 200}),
    page("programme:adviser-edit", "self", {**every(ROLES, 404), "public": 302, "assessor": 302,
                                            "adviser_other": 302}, method="post", data=ADVISER_FORM),
    api(f"GET {API}/advisers", None, SIGNED_IN_API),
    api(f"GET {API}/advisers/{{username}}", "adv", STAFF_API_404),
    api(f"PUT {API}/advisers/{{username}}", "adv", STAFF_API,
        body={"disciplines": ["legal"], "capacity": 3}),
    api(f"POST {API}/advisers/{{username}}/interests", "adv", {**STAFF_API_404, "staff": 201},
        body=lambda user, world: {"organisation": world.objects["own_org"].slug,
                                  "description": "Former employer"}),
    # dashboard
    page("programme:dashboard", None, STAFF_PAGE),
    api(f"GET {API}/dashboard", None, STAFF_API),
    # follow-up actions marked done (the action is staff's, on the own partnership)
    page("programme:action-complete", "act",
         {**every(ROLES, 404), "public": 302, "partner_own": 403, "staff": 302}, method="post"),
    api(f"POST {API}/actions/{{action_id}}/complete", "act_api",
        {**every(ROLES, 404), "public": 401, "partner_own": 403, "staff": 200}, body={}),
    # a partnership's advisers and what it needs from its mentors (staff)
    page("programme:partnership-advisers", "pa", STAFF_PAGE),
    page("programme:partnership-advisers", "pa", STAFF_POST, method="post",
         data=lambda user, world: {"adviser": world.objects["adviser"].pk}),
    page("programme:mentoring-needs", "pa", STAFF_PAGE),
    page("programme:mentoring-needs", "pa", STAFF_POST, method="post",
         data={"mentors": "2", "disciplines": ["legal"]}),
    api(f"GET {API}/partnerships/{{slug}}/advisers", "pa", STAFF_API),
    api(f"POST {API}/partnerships/{{slug}}/advisers", "pa", {**STAFF_API, "staff": 201},
        body={"adviser": "m-assessor-2"}),
    api(f"DELETE {API}/partnerships/{{slug}}/advisers/{{username}}", "pa_adv", STAFF_API),
    api(f"GET {API}/partnerships/{{slug}}/mentoring-needs", "pa", STAFF_API),
    api(f"PUT {API}/partnerships/{{slug}}/mentoring-needs", "pa", STAFF_API,
        body={"mentors": 2, "disciplines": ["legal"]}),
    # operations the pages had before the API
    api(f"GET {API}/applications/{{reference}}/moderation", "a", {**MODERATE, "public": 401}),
    api(f"POST {API}/applications/{{reference}}/moderation", "a", {**MODERATE, "public": 401},
        body=lambda user, world: {"scores": [{"criterion": world.objects["call"].criteria.first().pk,
                                              "score": 5}]}),
    api(f"POST {API}/matching-runs/{{number}}/confirm", "mrun", STAFF_API),
    api(f"PUT {API}/modules/{{slug}}", "m", STAFF_API, body={
        "title": "Leading a partnership", "summary": "Boards and agreements",
        "learning_outcomes": ["Set up a board"], "audience": "officers", "duration_hours": "6",
        "format": "workshop", "is_published": True}),
    api(f"PUT {API}/modules/{{slug}}/sessions/{{session_id}}", "coh_api", STAFF_API,
        body={"starts_on": "2003-06-01", "ends_on": "2003-06-03", "venue": "Leeds", "places": 9}),
    api(f"PUT {API}/events/{{slug}}", "ev", STAFF_API, body={
        "title": "Peer visit to Worcester", "kind": "peer_visit", "summary": "See one front door",
        "starts_at": "2030-05-01T10:00:00Z", "ends_at": "2030-05-01T15:00:00Z",
        "location": "Worcester", "places": 12}),
    api(f"POST {API}/enrolments/{{enrolment_id}}/withdraw", "enr_api", STAFF_API_404),
])  # fmt: skip
test_status, test_every_route_has_a_row = MATRIX.tests()


@pytest.fixture
def world(db):
    staff = staff_user(username="m-staff")
    own_org, other_org = OrganisationFactory(), OrganisationFactory()
    assessor = UserFactory(role=Role.ADVISER, username="m-assessor")
    call = make_call(actor=staff, places=1, assessors=[assessor], tags=[CallTagSpec("Rural")],
                     quotas=[QuotaSpec("two_tier", None, 5)])  # fmt: skip
    draft_call = make_call(actor=staff, title="Draft call", status="draft")
    mine = make_partnership(lead=own_org, name="Own partnership", reference="SPT-OWN")
    fresh = make_partnership(lead=own_org, name="Fresh partnership", reference="SPT-FRESH")
    make_partnership(lead=other_org, name="Other partnership", reference="SPT-OTHER")
    submitted = make_application(call, partnership=mine)
    draft_of = make_partnership(lead=own_org, name="Draft partnership", reference="SPT-DRAFT")
    draft = make_application(call, partnership=draft_of, submit=False)
    other_assessor = UserFactory(role=Role.ADVISER, username="m-assessor-2")
    call.assessors.add(other_assessor)
    assess(submitted, other_assessor, 7, 6)
    run = selection_run(call=call, actor=staff)
    make_partnership(lead=OrganisationFactory(), name="Pathfinder", reference="SPT-PF",
                     is_pathfinder=True, pathfinder_theme="E-government")  # fmt: skip
    adviser_profile_set(user=other_assessor, disciplines=["finance"], capacity=2, actor=staff)
    mrun = match_run(actor=staff)
    session = ModuleSessionFactory(module=ModuleFactory(slug="m-published"))
    draft_module = ModuleFactory(slug="m-draft", is_published=False)
    learner = UserFactory(username="m-learner", organisations=[own_org])
    enrolment = EnrolmentFactory(session=session, person=learner, organisation=own_org)
    session.starts_on = date(2003, 6, 1)
    session.ends_on = date(2003, 6, 2)
    session.save()
    event = EventFactory(slug="ev-open")
    draft_event = EventFactory(slug="ev-draft", is_published=False)
    booking = BookingFactory(event=event, person=learner)
    hidden = make_partnership(lead=other_org, name="Hidden partnership", reference="SPT-HIDE",
                              is_published=False)  # fmt: skip
    mentor = UserFactory(role=Role.ADVISER, username="m-mentor")
    adviser_profile_set(user=mentor, disciplines=["legal"], capacity=3, actor=staff)
    mine.advisers.add(mentor)
    action = advice_record(
        partnership=mine,
        adviser=staff,
        advice_type="legal",
        given_on=date(2003, 6, 1),
        summary="Use a framework",
        actions=[ActionSpec("Draft", staff, date(2003, 7, 1))],
        actor=staff,
    ).actions.get()
    return World(
        users={
            "public": None,
            "partner_own": UserFactory(
                role=Role.PARTNER, username="m-own", organisations=[own_org]
            ),
            "partner_other": UserFactory(
                role=Role.PARTNER, username="m-other", organisations=[other_org]
            ),
            "assessor": assessor,
            "adviser_other": UserFactory(role=Role.ADVISER, username="m-adviser"),
            "staff": staff,
        },
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
            "pa": {"slug": mine.slug},
            "m": {"slug": session.module.slug},
            "mdraft": {"slug": draft_module.slug},
            "enr": {"pk": enrolment.pk},
            "coh": {"slug": session.module.slug, "pk": session.pk},
            "enr_api": {"enrolment_id": enrolment.pk},
            "ev": {"slug": event.slug},
            "evdraft": {"slug": draft_event.slug},
            "evb": {"slug": event.slug, "pk": booking.pk},
            "bk": {"booking_id": booking.pk},
            "pl": {"slug": mine.slug},
            "hidden": {"slug": hidden.slug},
            "adv": {"username": other_assessor.username},
            "self": lambda user, world: {"username": user.username if user else "m-staff"},
            "act": {"pk": action.pk},
            "act_api": {"action_id": action.pk},
            "pa_adv": {"slug": mine.slug, "username": mentor.username},
            "coh_api": {"slug": session.module.slug, "session_id": session.pk},
        },
        objects={
            "call": call,
            "draft_call": draft_call,
            "fresh": fresh,
            "session": session,
            "own_org": own_org,
            "adviser": other_assessor,
        },
    )
