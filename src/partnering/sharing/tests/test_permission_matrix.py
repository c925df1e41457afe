"""Role × route: the exact status of every sharing page and API operation for every role (no
IDOR). The API follows the pages: the public must sign in to write (401), a partnership it may not
see is a 404 whatever the method, and one it may see but not edit is a 403."""

from datetime import date

import pytest

from partnering.core.tests.factories import UserFactory
from partnering.core.tests.matrix import Matrix, World, api, every, page
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.sharing import services
from partnering.sharing.tests.factories import make_partnership, spec_for

# Statuses only: no figure is asserted, so calculations use the fake engine (conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.fake_engine]

ROLES = ["public", "partner_own", "partner_other", "adviser_assigned", "adviser_other", "staff"]
EDIT = {"public": 302, "partner_own": 200, "partner_other": 403, "adviser_assigned": 200,
        "adviser_other": 403, "staff": 200}  # fmt: skip
OPEN = every(ROLES, 200)
STAFF_ONLY = {**every(ROLES, 403), "staff": 200}
HIDDEN = {**OPEN, "public": 404, "partner_other": 404}
HIDDEN_EDIT = {**EDIT, "partner_other": 404}
POSTED = {**EDIT, "partner_own": 302, "adviser_assigned": 302, "staff": 302}
NOT_ALLOWED = every(ROLES, 405)


def api_edit(ok: int, *, hidden: bool = False) -> dict[str, int]:
    """The API's writes: no credentials is a 401 (not a redirect); ``ok`` is the success."""
    edit = {**EDIT, "public": 401, "partner_own": ok, "adviser_assigned": ok, "staff": ok}
    return {**edit, "partner_other": 404} if hidden else edit


def cost_model(partnership):
    """A valid cost model for the members of the world's ``partnership`` ("p" or "hidden")."""

    def body(user, world):
        memberships = world.objects[partnership].memberships.all()
        return cost_model_body(sorted(m.organisation.slug for m in memberships))

    return body


def cost_model_body(slugs):
    return {
        "title": "Shared ICT",
        "effective_on": "2002-06-01",
        "demand_measure": "transactions per year",
        "components": [
            {"kind": "standalone", "name": "Own back office",
             "values": {s: 100_000 + 1000 * i for i, s in enumerate(slugs)}},
            {"kind": "airport", "name": "Data centre", "values": dict.fromkeys(slugs, 300_000)},
        ],
    }  # fmt: skip


RISK = {"name": "Overrun", "split_basis": "shapley", "rule": "proportional", "runs": 100,
        "estimates": [{"component": "Shared CRM", "low": 0, "likely": 1000, "high": 9000}]}  # fmt: skip
AGREEMENT = {"version": 2, "method": "equal", "agreed_on": "2002-07-01", "reason": "Fair"}
API = "/api/v1/partnerships/{slug}"
V = API + "/cost-models/{version}"

MATRIX = Matrix(__name__, ROLES, per="row", rows=[
    page("sharing:overview", "p", OPEN),
    page("sharing:overview", "hidden", HIDDEN),
    page("sharing:cost-model-create", "p", EDIT),
    page("sharing:cost-model-create", "hidden", HIDDEN_EDIT),
    page("sharing:agreement-list", "p", OPEN),
    page("sharing:agreement-list", "hidden", HIDDEN),
    page("sharing:agreement-download", "csv", OPEN),
    page("sharing:shares", "v", OPEN),
    page("sharing:shares", "hidden_v", HIDDEN),
    page("sharing:cost-model-edit", "v", EDIT),
    page("sharing:figures-edit", "v", EDIT),
    page("sharing:figures-edit", "hidden_v", HIDDEN_EDIT),
    page("sharing:calculate", "v", NOT_ALLOWED),
    page("sharing:calculate", "v", POSTED, method="post"),
    page("sharing:agreement-create", "v", EDIT),
    page("sharing:compare", "v", OPEN),
    page("sharing:risk", "v", OPEN),
    page("sharing:risk", "hidden_v", HIDDEN),
    page("sharing:history", "v", STAFF_ONLY),
    page("sharing:download", "table", OPEN),
    page("sharing:download", "hidden_table", HIDDEN),
    # The API.
    api(f"GET {API}/cost-models", "p", OPEN),
    api(f"GET {API}/cost-models", "hidden", HIDDEN),
    api(f"POST {API}/cost-models", "p", api_edit(201), body=cost_model("p")),
    api(f"POST {API}/cost-models", "hidden", api_edit(201, hidden=True),
        body=cost_model("hidden")),
    api(f"GET {V}", "v", OPEN),
    api(f"GET {V}", "hidden_v", HIDDEN),
    api(f"PUT {V}", "v", api_edit(200), body=cost_model("p")),
    api(f"POST {V}/calculate", "v", api_edit(200), body={}),
    api(f"POST {V}/calculate", "hidden_v", api_edit(200, hidden=True), body={}),
    api(f"GET {V}/results", "v", OPEN),
    api(f"GET {V}/results", "hidden_v", HIDDEN),
    api(f"GET {V}/comparison", "v", OPEN),
    api(f"GET {V}/comparison", "hidden_v", HIDDEN),
    api(f"GET {V}/risk-scenarios", "v", OPEN),
    api(f"GET {V}/risk-scenarios", "hidden_v", HIDDEN),
    api(f"POST {V}/risk-scenarios", "v", api_edit(201), body=RISK),
    api(f"POST {V}/risk-scenarios", "hidden_v", api_edit(201, hidden=True), body=RISK),
    api(f"GET {API}/agreements", "p", OPEN),
    api(f"GET {API}/agreements", "hidden", HIDDEN),
    api(f"POST {API}/agreements", "p", api_edit(201), body=AGREEMENT),
    api(f"POST {API}/agreements", "hidden", api_edit(201, hidden=True), body=AGREEMENT),
])  # fmt: skip
test_status, test_every_route_has_a_row = MATRIX.tests()


@pytest.fixture
def world(db):
    own_org = OrganisationFactory()
    staff = UserFactory(role="staff", username="s-staff")
    p = make_partnership(3, lead=own_org)
    hidden = make_partnership(2, lead=own_org, is_published=False, name="Hidden partnership")
    for partnership in (p, hidden):
        cost_model = services.cost_model_create(
            partnership=partnership, spec=spec_for(partnership), actor=None
        )
        services.agreement_record(
            cost_model=cost_model,
            method="shapley",
            agreed_on=date(2002, 7, 1),
            reason="Fair",
            actor=None,
        )
        services.cost_model_create(partnership=partnership, spec=spec_for(partnership), actor=None)
    adviser = UserFactory(role="adviser", username="s-adviser")
    p.advisers.add(adviser)
    hidden.advisers.add(adviser)
    users = {
        "public": None,
        "partner_own": UserFactory(username="s-own", organisations=[own_org]),
        "partner_other": UserFactory(username="s-other", organisations=[OrganisationFactory()]),
        "adviser_assigned": adviser,
        "adviser_other": UserFactory(role="adviser", username="s-adviser-2"),
        "staff": staff,
    }
    kwargs = {
        "p": {"slug": p.slug},
        "hidden": {"slug": hidden.slug},
        "csv": {"slug": p.slug, "fmt": "csv"},
        "v": {"slug": p.slug, "version": 2},
        "hidden_v": {"slug": hidden.slug, "version": 2},
        "table": {"slug": p.slug, "version": 2, "table": "methods", "fmt": "xlsx"},
        "hidden_table": {"slug": hidden.slug, "version": 2, "table": "savings", "fmt": "csv"},
    }
    return World(users=users, targets=kwargs, objects={"p": p, "hidden": hidden})
