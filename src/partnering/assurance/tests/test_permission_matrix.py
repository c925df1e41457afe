"""Role × route: the exact status of every assurance page and API operation for every role,
the review team's lead ("reviewer": an adviser not assigned to the partnership) included."""

from datetime import date

import pytest

from partnering.assurance import services
from partnering.core.tests.factories import UserFactory
from partnering.core.tests.matrix import Matrix, World, api, every, page
from partnering.organisations.tests.factories import OrganisationFactory

from .factories import make_partnership, make_review, make_risk

pytestmark = pytest.mark.django_db

ROLES = ["public", "partner_own", "partner_other", "adviser_assigned", "adviser_other",
         "reviewer", "staff"]  # fmt: skip
OPEN = every(ROLES, 200)
FULL = {**OPEN, "public": 404, "partner_other": 404}
STAFF_PAGE = {**every(ROLES, 403), "public": 302, "staff": 200}
TEAM_PAGE = {**STAFF_PAGE, "partner_other": 404, "reviewer": 200}
TEAM_POST = {**TEAM_PAGE, "reviewer": 302, "staff": 302}
STAFF_POST = {**TEAM_PAGE, "reviewer": 403, "staff": 302}
FOLLOW_UP = {**TEAM_PAGE, "partner_own": 200, "adviser_assigned": 200}
SIGNED_FULL = {**FULL, "public": 302}
EDIT = {**STAFF_PAGE, "partner_own": 200, "partner_other": 404, "adviser_assigned": 200}
API_STAFF = {**every(ROLES, 403), "public": 401, "staff": 200}
RISK_BODY = {
    "title": "Supplier lock-in",
    "cause": "One supplier",
    "event": "Prices rise",
    "effect": "Costs rise",
    "category": "procurement",
    "owner": "a-staff",
    "inherent_likelihood": 4,
    "inherent_impact": 4,
    "current_likelihood": 3,
    "current_impact": 5,
    "target_likelihood": 2,
    "target_impact": 3,
}
MATRIX_BODY = {
    "likelihood_labels": ["Low", "Medium", "High"],
    "impact_labels": ["Low", "Medium", "High"],
    "bands": [[1, "Low", "green"], [4, "High", "red"]],
    "tolerance": 4,
}


def api_write(ok: int, base: dict[str, int]) -> dict[str, int]:
    """The API's writes: no credentials is a 401; ``ok`` where the page would succeed."""
    return {**base, "public": 401, **{r: ok for r, s in base.items() if s in (200, 302)
                                       and r != "public"}}  # fmt: skip


def lead(user, world):
    return {"gate": 0, "starts_on": "2003-05-01", "ends_on": "2003-05-02",
            "lead": world.objects["reviewer"].username}  # fmt: skip


def owner(user, world):
    return {"text": "Confirm the members", "urgency": "critical",
            "owner": world.objects["staff"].username}  # fmt: skip


A = "/api/v1/assurance/partnerships/{slug}"
R = A + "/reviews/{review_id}"

MATRIX = Matrix(__name__, ROLES, per="row", rows=[
    page("assurance:overview", "p", OPEN),
    page("assurance:review-create", "p", STAFF_PAGE),
    page("assurance:review-detail", "r", FULL),
    page("assurance:review-detail", "published", OPEN, id="published-summary"),
    page("assurance:review-edit", "r", TEAM_PAGE),
    page("assurance:interview-add", "r", TEAM_PAGE),
    page("assurance:document-add", "r", TEAM_PAGE),
    page("assurance:finding-add", "r", TEAM_PAGE),
    page("assurance:recommendation-add", "r", TEAM_PAGE),
    page("assurance:review-finalise", "r", TEAM_POST, method="post"),
    page("assurance:review-publish", "r", STAFF_POST, method="post"),
    page("assurance:review-report", "r", FULL),
    page("assurance:review-pdf", "r", FULL),
    page("assurance:recommendation-update", "rec", FOLLOW_UP),
    page("assurance:recommendation-download", "csv", FULL),
    page("assurance:risk-register", "p", SIGNED_FULL),
    page("assurance:risk-create", "p", EDIT),
    page("assurance:risk-detail", "risk", SIGNED_FULL),
    page("assurance:risk-edit", "risk", EDIT),
    page("assurance:risk-action-add", "risk", EDIT),
    page("assurance:risk-action-status", "action", EDIT),
    page("assurance:risk-register-matrix", "p", EDIT),
    page("assurance:risk-accept", "risk", EDIT),
    page("assurance:risk-escalate", "risk", EDIT),
    page("assurance:risk-download", "csv", SIGNED_FULL),
    page("assurance_programme:programme-risks", None, STAFF_PAGE),
    page("assurance_programme:matrix-list", None, STAFF_PAGE),
    page("assurance_programme:matrix-create", None, STAFF_PAGE),
    api(f"GET {A}/risks", "p", FULL),
    api(f"POST {A}/risks", "p", api_write(201, EDIT), body=RISK_BODY),
    api(f"GET {A}/risks/{{number}}", "arisk", FULL),
    api(f"POST {A}/risk-register/matrix", "p", api_write(422, EDIT), body={"version": 1},
        id="api-register-matrix-not-newer"),
    api(f"PATCH {A}/risks/{{number}}", "arisk", api_write(200, EDIT),
        body={"current_likelihood": 2, "note": "Contract clause"}),
    api(f"POST {A}/risks/{{number}}/actions", "arisk", api_write(201, EDIT),
        body={"text": "Negotiate exit terms", "owner": "a-staff", "due_on": "2004-01-01"}),
    api(f"PATCH {A}/risks/{{number}}/actions/{{action_id}}", "aaction", api_write(200, EDIT),
        body={"status": "done"}),
    api(f"POST {A}/risks/{{number}}/acceptances", "arisk", api_write(201, EDIT),
        body={"approver": "Jane Clerk", "reason": "Board", "review_on": "2099-01-01"}),
    api(f"POST {A}/risks/{{number}}/escalation", "arisk", api_write(200, EDIT),
        body={"reason": "Affects the programme"}),
    api("GET /api/v1/assurance/programme/risks", None, API_STAFF),
    api("GET /api/v1/assurance/matrices", None, API_STAFF),
    api("POST /api/v1/assurance/matrices", None, {**API_STAFF, "staff": 201}, body=MATRIX_BODY),
    api(f"GET {A}/reviews", "p", OPEN),
    api(f"POST {A}/reviews", "p", api_write(201, {**STAFF_PAGE, "reviewer": 403}), body=lead),
    api(f"GET {R}", "ar", FULL),
    api(f"GET {R}", "apublished", OPEN, id="api-published-summary"),
    api(f"PATCH {R}", "ar", api_write(200, TEAM_PAGE), body={"summary": "Changed"}),
    api(f"POST {R}/finalise", "ar", api_write(422, TEAM_PAGE), body={}),
    api(f"POST {R}/publish", "ar", api_write(422, {**STAFF_PAGE, "partner_other": 404}), body={}),
    api(f"POST {R}/interviews", "ar", api_write(201, TEAM_PAGE), body={"name": "A. Person"}),
    api(f"POST {R}/documents", "ar", api_write(201, TEAM_PAGE), body={"title": "PID"}),
    api(f"POST {R}/findings", "ar", api_write(201, TEAM_PAGE),
        body={"area": "governance", "text": "Membership shrinking"}),
    api(f"POST {R}/recommendations", "ar", api_write(201, TEAM_PAGE), body=owner),
    api(f"GET {A}/recommendations", "p", FULL),
    api(f"PATCH {A}/recommendations/{{rec_id}}", "arec", api_write(200, FOLLOW_UP),
        body={"status": "in_progress", "note": "Started"}),
])  # fmt: skip
test_status, test_every_route_has_a_row = MATRIX.tests()


@pytest.fixture
def world(db):
    own_org = OrganisationFactory()
    staff = UserFactory(role="staff", username="a-staff")
    p = make_partnership(2, orgs=[own_org])
    adviser = UserFactory(role="adviser", username="a-adviser")
    p.advisers.add(adviser)
    the_lead = UserFactory(role="adviser", username="a-reviewer")
    review = make_review(p, gate=0, lead=the_lead)
    rec = services.recommendation_add(review=review, text="Fix", urgency="recommended",
                                      owner=staff, actor=None)  # fmt: skip
    risk = make_risk(p, staff)
    action = services.risk_action_add(risk=risk, text="Negotiate exit terms", owner=staff,
                                      due_on=date(2004, 1, 1), actor=None)  # fmt: skip
    published = make_review(p, gate=0, lead=the_lead)
    services.review_update(review=published, data={"rating": "amber", "summary": "Fine"},
                           actor=None)  # fmt: skip
    services.review_finalise(review=published, actor=None)
    services.review_publish(review=published, actor=None)
    users = {
        "public": None,
        "partner_own": UserFactory(username="a-own", organisations=[own_org]),
        "partner_other": UserFactory(username="a-other", organisations=[OrganisationFactory()]),
        "adviser_assigned": adviser,
        "adviser_other": UserFactory(role="adviser", username="a-adviser-2"),
        "reviewer": the_lead,
        "staff": staff,
    }
    targets = {
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
    }
    return World(users=users, targets=targets,
                 objects={"p": p, "reviewer": the_lead, "staff": staff})  # fmt: skip
