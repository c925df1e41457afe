"""Role × route: the exact status of every funding page and API operation for every role.

Roles: the public; an applicant (a partner member of the applying partnership's lead council);
a partner of another organisation (with a partnership of its own); an assessor on the round's
panel; a finance officer (taskforce staff named for finance); taskforce staff who are not."""

import base64
from datetime import date
from decimal import Decimal

import pytest

from partnering.core.models import Role
from partnering.core.tests.factories import UserFactory
from partnering.core.tests.matrix import Matrix, World, api, every, page
from partnering.funding import services as s
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.tests.factories import make_partnership

from .factories import PDF, assess, finance_user, make_application, make_round, service, staff_user

pytestmark = pytest.mark.django_db

ROLES = ["public", "applicant", "partner_other", "assessor", "finance", "staff"]
OPEN = every(ROLES, 200)
SIGNED_IN = {**OPEN, "public": 302}
SIGNED_IN_API = {**OPEN, "public": 401}
STAFF_PAGE = {**every(ROLES, 403), "public": 302, "finance": 200, "staff": 200}
STAFF_API = {**every(ROLES, 403), "public": 401, "finance": 201, "staff": 201}
SUBMITTED = {
    "public": 404,
    "applicant": 200,
    "partner_other": 404,
    "assessor": 200,
    "finance": 200,
    "staff": 200,
}
DRAFT = {**SUBMITTED, "assessor": 404}
DRAFT_EDIT = {**DRAFT, "public": 302}
DRAFT_POST = {**DRAFT, "public": 302, "applicant": 302, "finance": 302, "staff": 302}
DRAFT_API = {**DRAFT, "public": 401, "applicant": 201, "finance": 201, "staff": 201}
APPLY = {
    "public": 302,
    "applicant": 200,
    "partner_other": 200,
    "assessor": 403,
    "finance": 200,
    "staff": 200,
}
ASSESS = {
    "public": 302,
    "applicant": 403,
    "partner_other": 404,
    "assessor": 200,
    "finance": 403,
    "staff": 403,
}
MODERATE = {**ASSESS, "assessor": 403, "finance": 200, "staff": 200}
MODERATE_API = {**MODERATE, "public": 401, "finance": 201, "staff": 201}
CLAIM = {
    "public": 302,
    "applicant": 200,
    "partner_other": 403,
    "assessor": 403,
    "finance": 200,
    "staff": 200,
}
CLAIM_SEEN = {
    "public": 302,
    "applicant": 200,
    "partner_other": 404,
    "assessor": 404,
    "finance": 200,
    "staff": 200,
}
FINANCE_POST = {**CLAIM_SEEN, "applicant": 403, "finance": 302, "staff": 403}
FINANCE_PAGE = {**FINANCE_POST, "finance": 200}
FINANCE_API = {**FINANCE_POST, "public": 401}
MANAGE = {**every(ROLES, 403), "public": 302, "finance": 200, "staff": 200}
STAFF_POST = {**STAFF_PAGE, "finance": 302, "staff": 302}
STAFF_API_200 = {**STAFF_API, "finance": 200, "staff": 200}
STAFF_API_204 = {**STAFF_API, "finance": 204, "staff": 204}
STAFF_READ = {**every(ROLES, 403), "public": 401, "finance": 200, "staff": 200}
API = "/api/v1/funding"
PROGRAMME_BODY = {
    "title": "A second fund",
    "aim": "More services online",
    "total_budget": "1000000.00",
    "starts_on": "2004-04-01",
    "ends_on": "2006-03-31",
    "target_date": "2005-12-31",
}
ROUND_BODY = {
    "title": "Round 2",
    "budget": "1000.00",
    "opens_on": "2003-04-01",
    "closes_on": "2003-06-30",
    "decisions_by": "2003-09-01",
    "criteria": [{"title": "Partnership", "weight": "2"}],
}


def _import(user, world):
    lead = world.objects["lead"]
    return {
        "csv": f"gss_code,lgsl_code,e_enabled_on,route\n{lead.gss_code},9001,2004-05-01,own_site\n"
    }


def _new_application(user, world):
    return {
        "round": world.objects["round"].slug,
        "partnership": world.objects["fresh"].slug,
        "title": "A new project",
        "summary": "Services online",
    }


def _scores(user, world):
    return {
        "scores": [{"criterion": c.pk, "score": 6} for c in world.objects["round"].criteria.all()]
    }


def _moderation(user, world):
    return {"criterion": world.objects["round"].criteria.first().pk, "score": 6, "note": "Agreed"}


def _budget(user, world):
    return {"year": 2004, "organisation": world.objects["lead"].slug, "amount": "10.00"}


def _promise(user, world):
    return {"lgsl_code": 9001, "organisation": world.objects["lead"].slug, "by_date": "2005-06-30"}


AWARD_BODY = {
    "reason": "Strong",
    "conditions": "Reports",
    "awarded_on": "2002-12-01",
    "agreement_starts_on": "2003-01-01",
    "agreement_ends_on": "2005-12-31",
}
CLAIM_BODY = {
    "milestone": 2,
    "amount": "400.00",
    "claimed_on": "2004-07-01",
    "description": "Live",
    "evidence": [{"filename": "r.pdf", "content_base64": base64.b64encode(PDF).decode()}],
}

MATRIX = Matrix(
    __name__,
    ROLES,
    per="row",
    rows=[
        page(
            "funding:home",
            None,
            every(ROLES, 302),
            redirect_to=lambda w: w.objects["programme"].get_absolute_url(),
        ),
        page("funding:programme-detail", "prog", OPEN),
        page("funding:programme-create", None, STAFF_PAGE),
        page("funding:programme-edit", "prog", STAFF_PAGE),
        page("funding:round-create", "prog", STAFF_PAGE),
        page("funding:round-detail", "r", OPEN),
        page("funding:round-status", "r", STAFF_PAGE),
        page(
            "funding:round-status",
            "draft_round",
            {**STAFF_PAGE, "applicant": 404, "partner_other": 404, "assessor": 404},
        ),
        page("funding:round-panel", "r", STAFF_PAGE),
        page("funding:finance-officers", None, STAFF_PAGE),
        page("funding:finance-officer-remove", "officer", STAFF_POST, method="post"),
        page("funding:application-create", "r", APPLY),
        page("funding:application-list", None, SIGNED_IN),
        page("funding:application-detail", "a", SUBMITTED),
        page("funding:application-detail", "d", DRAFT),
        page("funding:budget-line-add", "d", DRAFT_EDIT),
        page("funding:milestone-add", "d", DRAFT_EDIT),
        page("funding:service-add", "d", DRAFT_EDIT),
        page("funding:application-submit", "d", DRAFT_POST, method="post"),
        page("funding:assess", "a", ASSESS),
        page("funding:moderate", "a", MODERATE),
        page("funding:decide", "a", MODERATE),
        page("funding:awards", None, OPEN),
        page("funding:award-detail", "w", OPEN),
        page("funding:claim-create", "w", CLAIM),
        page("funding:variation-create", "w", MANAGE),
        page("funding:recovery-create", "w", MANAGE),
        page("funding:claim-list", None, SIGNED_IN),
        page("funding:claim-detail", "c", CLAIM_SEEN),
        page("funding:claim-approve", "c", FINANCE_POST, method="post"),
        page(
            "funding:claim-reject", "c", FINANCE_POST, method="post", data={"reason": "No evidence"}
        ),
        page("funding:payment-record", "ap", FINANCE_PAGE),
        page("funding:evidence-download", "e", CLAIM_SEEN),
        page("funding:money", None, OPEN),
        page("funding:money-download", "csv", OPEN),
        page("funding:e-enablement", None, OPEN),
        page("funding:e-enablement-import", None, STAFF_PAGE),
        page("funding:council-e-enablement", "council", OPEN),
        page("funding:partnership-e-enablement", "p", OPEN),
        page("funding:open-data", None, OPEN),
        page("funding:grants-json", None, OPEN),
        page("funding:grants-flat", "csv", OPEN),
        api(f"GET {API}/programmes", None, OPEN),
        api(f"POST {API}/programmes", None, STAFF_API, body=PROGRAMME_BODY),
        api(f"PATCH {API}/programmes/{{slug}}", "prog", STAFF_API_200, body={"aim": "Online"}),
        api(f"POST {API}/programmes/{{slug}}/rounds", "prog", STAFF_API, body=ROUND_BODY),
        api(f"GET {API}/rounds", None, OPEN),
        api(f"GET {API}/rounds/{{slug}}", "r", OPEN),
        api(f"POST {API}/rounds/{{slug}}/status", "r", STAFF_API_200, body={"status": "closed"}),
        api(f"GET {API}/rounds/{{slug}}/assessors", "r", STAFF_READ),
        api(
            f"PUT {API}/rounds/{{slug}}/assessors",
            "r",
            STAFF_API_200,
            body={"assessors": ["f-assessor", "f-assessor-2"]},
        ),
        api(f"GET {API}/finance-officers", None, STAFF_READ),
        api(f"PUT {API}/finance-officers/{{username}}", "staffuser", STAFF_API_200),
        api(f"DELETE {API}/finance-officers/{{username}}", "officer", STAFF_API_204),
        api(f"GET {API}/applications", None, OPEN),
        api(
            f"POST {API}/applications",
            None,
            {**every(ROLES, 201), "public": 401, "partner_other": 422, "assessor": 403},
            body=_new_application,
        ),
        api(f"GET {API}/applications/{{reference}}", "a", SUBMITTED),
        api(
            f"POST {API}/applications/{{reference}}/milestones",
            "d",
            DRAFT_API,
            body={"title": "More", "due_on": "2005-01-31", "amount": "25.50"},
        ),
        api(f"POST {API}/applications/{{reference}}/budget-lines", "d", DRAFT_API, body=_budget),
        api(f"POST {API}/applications/{{reference}}/services", "d", DRAFT_API, body=_promise),
        api(f"POST {API}/applications/{{reference}}/submit", "d", {**DRAFT, "public": 401}),
        api(f"GET {API}/assessments", None, SIGNED_IN_API),
        api(
            f"POST {API}/applications/{{reference}}/assessments",
            "a",
            {**ASSESS, "public": 401, "assessor": 201},
            body=_scores,
        ),
        api(
            f"POST {API}/applications/{{reference}}/moderation", "a", MODERATE_API, body=_moderation
        ),
        api(f"POST {API}/applications/{{reference}}/award", "a", MODERATE_API, body=AWARD_BODY),
        api(
            f"POST {API}/applications/{{reference}}/reject",
            "a",
            {**MODERATE_API, "finance": 200, "staff": 200},
            body={"reason": "Weak"},
        ),
        api(f"GET {API}/awards", None, OPEN),
        api(f"GET {API}/awards/{{award_id}}", "wa", OPEN),
        api(f"GET {API}/awards/{{award_id}}/promises", "wa", OPEN),
        api(
            f"POST {API}/awards/{{award_id}}/claims",
            "wa",
            {**CLAIM, "public": 401, "applicant": 201, "finance": 201, "staff": 201},
            body=CLAIM_BODY,
        ),
        api(f"GET {API}/claims", None, SIGNED_IN_API),
        api(f"POST {API}/claims/{{claim_id}}/approve", "ca", {**FINANCE_API, "finance": 200}),
        api(
            f"POST {API}/claims/{{claim_id}}/reject",
            "ca",
            {**FINANCE_API, "finance": 200},
            body={"reason": "No evidence"},
        ),
        api(
            f"POST {API}/claims/{{claim_id}}/payments",
            "apa",
            {**FINANCE_API, "finance": 201},
            body={"paid_on": "2003-08-01", "reference": "BACS-9"},
        ),
        api(
            f"POST {API}/awards/{{award_id}}/variations",
            "wa",
            STAFF_API,
            body={
                "kind": "milestone",
                "reason": "Slipped",
                "changes": [{"number": 2, "due_on": "2004-09-30"}],
            },
        ),
        api(
            f"POST {API}/awards/{{award_id}}/recoveries",
            "wa",
            STAFF_API,
            body={"kind": "withhold", "amount": "1.00", "reason": "Late", "on": "2004-01-01"},
        ),
        api(f"GET {API}/money", None, OPEN),
        api(f"GET {API}/e-enablement", None, OPEN),
        api(f"GET {API}/e-enablement/councils/{{slug}}", "council", OPEN),
        api(f"GET {API}/e-enablement/councils/{{slug}}/progress", "council", OPEN),
        api(
            f"PUT {API}/e-enablement/councils/{{slug}}/services/{{lgsl_code}}",
            "council_service",
            STAFF_API_200,
            body={"e_enabled_on": "2004-05-01", "route": "own_site"},
        ),
        api(f"POST {API}/e-enablement/import", None, STAFF_API_200, body=_import),
        api(f"GET {API}/e-enablement/partnerships/{{slug}}", "p", OPEN),
        api(f"GET {API}/360giving", None, OPEN),
        api(f"GET {API}/360giving/spreadsheet", None, OPEN),
        api(f"GET {API}/360giving/spreadsheet", None, OPEN, body={"fmt": "xlsx"}, id="xlsx"),
    ],
)
test_status, test_every_route_has_a_row = MATRIX.tests()


@pytest.fixture
def world(db):
    staff = staff_user(username="f-staff")
    finance = finance_user(username="f-finance")
    other_finance = finance_user(username="f-finance-2")
    lead, other_org = OrganisationFactory(), OrganisationFactory()
    applicant = UserFactory(role=Role.PARTNER, username="f-applicant", organisations=[lead])
    assessor = UserFactory(role=Role.ADVISER, username="f-assessor")
    second = UserFactory(role=Role.ADVISER, username="f-assessor-2")
    round_ = make_round(actor=staff, assessors=[assessor, second])
    service(9001)
    mine = make_partnership(2, lead=lead, name="Own partnership", reference="SPT-F-OWN")
    fresh = make_partnership(2, lead=lead, name="Fresh partnership", reference="SPT-F-FRESH")
    make_partnership(2, lead=other_org, name="Other partnership", reference="SPT-F-OTHER")
    submitted = make_application(round_, partnership=mine)
    assess(submitted, second, 7, 7)
    draft = make_application(
        round_, submit=False, partnership=make_partnership(2, lead=lead, reference="SPT-F-DRAFT")
    )
    funded = make_application(
        round_, partnership=make_partnership(2, lead=lead, reference="SPT-F-FUND")
    )
    assess(funded, second, 8, 8)
    award = s.award_make(
        application=funded,
        reason="Good",
        conditions="Reports",
        awarded_on=date(2002, 12, 1),
        agreement_starts_on=date(2003, 1, 1),
        agreement_ends_on=date(2005, 12, 31),
        actor=staff,
    )
    m1 = award.application.milestones.get(number=1)
    claim = s.claim_submit(
        award=award,
        milestone=m1,
        amount=Decimal("300.00"),
        claimed_on=date(2003, 7, 1),
        description="Done",
        files=[("r.pdf", PDF)],
        actor=applicant,
    )
    approved = s.claim_submit(
        award=award,
        milestone=m1,
        amount=Decimal("300.00"),
        claimed_on=date(2003, 7, 1),
        description="Done",
        files=[("r.pdf", PDF)],
        actor=applicant,
    )
    s.claim_approve(claim=approved, actor=other_finance)
    leaving = finance_user(username="f-finance-leaving")
    draft_round = make_round(actor=staff, programme=round_.programme, title="Draft round",
                             budget="1000.00", status="draft")  # fmt: skip
    return World(
        users={
            "public": None,
            "applicant": applicant,
            "partner_other": UserFactory(
                role=Role.PARTNER, username="f-other", organisations=[other_org]
            ),
            "assessor": assessor,
            "finance": finance,
            "staff": staff,
        },
        targets={
            "prog": {"slug": round_.programme.slug},
            "r": {"slug": round_.slug},
            "a": {"reference": submitted.reference},
            "d": {"reference": draft.reference},
            "w": {"pk": award.pk},
            "wa": {"award_id": award.pk},
            "c": {"pk": claim.pk},
            "ca": {"claim_id": claim.pk},
            "ap": {"pk": approved.pk},
            "apa": {"claim_id": approved.pk},
            "e": {"pk": claim.evidence.first().pk},
            "csv": {"fmt": "csv"},
            "council": {"slug": lead.slug},
            "council_service": {"slug": lead.slug, "lgsl_code": 9001},
            "p": {"slug": mine.slug},
            "officer": {"username": leaving.username},
            "staffuser": {"username": staff.username},
            "draft_round": {"slug": draft_round.slug},
        },
        objects={"round": round_, "fresh": fresh, "lead": lead, "programme": round_.programme},
    )
