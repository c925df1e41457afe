"""Role × route: the exact status of every partnerships page and API operation for every role
(no IDOR). The API follows the pages: the public must sign in to write (401), a partnership it may
not see is a 404 whatever the method, and one it may see but not edit is a 403."""

import pytest

from partnering.core.tests.factories import UserFactory
from partnering.core.tests.matrix import Matrix, World, api, every, page
from partnering.organisations.tests.factories import OrganisationFactory

from .factories import PriorityFactory, StrategicAimFactory, make_partnership

pytestmark = pytest.mark.django_db

ROLES = ["public", "partner_own", "partner_other", "adviser_assigned", "adviser_other", "staff"]
EDIT = {"public": 302, "partner_own": 200, "partner_other": 403, "adviser_assigned": 200,
        "adviser_other": 403, "staff": 200}  # fmt: skip
OPEN = every(ROLES, 200)
STAFF_ONLY = {**every(ROLES, 403), "staff": 200}
HIDDEN = {**OPEN, "public": 404, "partner_other": 404}
HIDDEN_EDIT = {**EDIT, "partner_other": 404}
NOT_ALLOWED = every(ROLES, 405)
# The API's writes: no credentials is a 401 (not a redirect); ``ok`` is the success status.


def api_edit(ok: int) -> dict[str, int]:
    return {**EDIT, "public": 401, "partner_own": ok, "adviser_assigned": ok, "staff": ok}


API = "/api/v1/partnerships"


def new_partnership(user, world):
    return {"name": "Matrix Partnership", "reference": "MTX-1", "purpose": "x",
            "lead_organisation": world.objects["own_org"].slug, "start_date": "2003-01-01"}  # fmt: skip


def new_member(user, world):
    return {"organisation": world.objects["new_org"].slug, "joined_on": "2003-01-01"}


def new_priority(user, world):
    return {"organisation": world.objects["own_org"].slug, "title": "Cheaper ICT", "weight": 5}


def scores(user, world):
    return [{"priority": world.objects["priority"].pk, "score": 3}]


ROW = {"per": "row"}  # the API rows: every role against one world
MATRIX = Matrix(__name__, ROLES, [
    page("partnerships:partnership-list", None, OPEN),
    page("partnerships:partnership-csv", None, OPEN),
    page("partnerships:partnership-create", None,
         {**EDIT, "partner_other": 200, "adviser_assigned": 403}),
    page("partnerships:partnership-detail", "p", OPEN),
    page("partnerships:partnership-detail", "hidden", HIDDEN),
    page("partnerships:partnership-update", "p", EDIT),
    page("partnerships:partnership-update", "hidden", HIDDEN_EDIT),
    page("partnerships:partnership-history", "p", STAFF_ONLY),
    page("partnerships:membership-add", "p", EDIT),
    page("partnerships:membership-end", "membership", EDIT),
    page("partnerships:membership-role", "membership", EDIT),
    page("partnerships:stage-move", "p", EDIT),
    page("partnerships:fit", "p", OPEN),
    page("partnerships:fit", "hidden", HIDDEN),
    page("partnerships:aim-create", "p", EDIT),
    page("partnerships:aim-update", "aim", EDIT),
    page("partnerships:aim-score", "aim", EDIT),
    page("partnerships:priority-create", "priority_org", EDIT),
    page("partnerships:priority-update", "priority", EDIT),
    # Read-only pages refuse POST.
    page("partnerships:partnership-list", None, NOT_ALLOWED, method="post"),
    page("partnerships:partnership-csv", None, NOT_ALLOWED, method="post"),
    page("partnerships:partnership-detail", "p", NOT_ALLOWED, method="post"),
    page("partnerships:partnership-history", "p", NOT_ALLOWED, method="post"),
    page("partnerships:fit", "p", NOT_ALLOWED, method="post"),
    # The API.
    api(f"GET {API}/", None, OPEN, **ROW),
    api(f"POST {API}/", None, {**api_edit(201), "partner_other": 422, "adviser_assigned": 403},
        body=new_partnership, **ROW),
    api(f"GET {API}/{{slug}}", "p", OPEN, **ROW),
    api(f"GET {API}/{{slug}}", "hidden", HIDDEN, **ROW),
    api(f"PATCH {API}/{{slug}}", "p", api_edit(200), body={"name": "Renamed"}, **ROW),
    api(f"PATCH {API}/{{slug}}", "hidden", {**api_edit(200), "partner_other": 404},
        body={"name": "Renamed"}, **ROW),
    api(f"GET {API}/{{slug}}/members", "p", OPEN, **ROW),
    api(f"GET {API}/{{slug}}/members", "hidden", HIDDEN, **ROW),
    api(f"POST {API}/{{slug}}/members", "p", api_edit(201), body=new_member, **ROW),
    api(f"POST {API}/{{slug}}/members", "hidden", {**api_edit(201), "partner_other": 404},
        body=new_member, **ROW),
    api(f"GET {API}/{{slug}}/change-log", "p", OPEN, **ROW),
    api(f"GET {API}/{{slug}}/change-log", "hidden", HIDDEN, **ROW),
    api(f"POST {API}/{{slug}}/members/{{membership_id}}/end", "api_membership", api_edit(200),
        body={"left_on": "2005-01-01", "reason": "Contract ended"}, **ROW),
    api(f"POST {API}/{{slug}}/members/{{membership_id}}/role", "api_membership", api_edit(200),
        body={"role": "private_partner", "on": "2004-01-01"}, **ROW),
    api(f"GET {API}/{{slug}}/stages", "p", OPEN, **ROW),
    api(f"GET {API}/{{slug}}/stages", "hidden", HIDDEN, **ROW),
    api(f"POST {API}/{{slug}}/stages", "p", api_edit(201), body={"to_stage": "scoping"}, **ROW),
    api(f"POST {API}/{{slug}}/stages", "hidden", {**api_edit(201), "partner_other": 404},
        body={"to_stage": "scoping"}, **ROW),
    api(f"GET {API}/{{slug}}/aims", "p", OPEN, **ROW),
    api(f"GET {API}/{{slug}}/aims", "hidden", HIDDEN, **ROW),
    api(f"POST {API}/{{slug}}/aims", "p", api_edit(201), body={"title": "Shared ICT"}, **ROW),
    api(f"PUT {API}/{{slug}}/aims/{{aim_id}}/scores", "api_aim", api_edit(200), body=scores,
        **ROW),
    api(f"GET {API}/{{slug}}/priorities", "p", OPEN, **ROW),
    api(f"GET {API}/{{slug}}/priorities", "hidden", HIDDEN, **ROW),
    api(f"POST {API}/{{slug}}/priorities", "p", api_edit(201), body=new_priority, **ROW),
    api(f"GET {API}/{{slug}}/fit", "p", OPEN, **ROW),
    api(f"GET {API}/{{slug}}/fit", "hidden", HIDDEN, **ROW),
])  # fmt: skip
test_status, test_every_route_has_a_row = MATRIX.tests()


@pytest.fixture
def world(db):
    own_org, member_org, new_org = OrganisationFactory.create_batch(3)
    staff = UserFactory(role="staff", username="m-staff")
    p = make_partnership(lead=own_org, members=[member_org], actor=staff)
    hidden = make_partnership(lead=own_org, reference="HID-1", name="Hidden", is_published=False,
                              actor=staff)  # fmt: skip
    adviser = UserFactory(role="adviser", username="m-adviser")
    p.advisers.add(adviser)
    hidden.advisers.add(adviser)
    aim = StrategicAimFactory(partnership=p)
    priority = PriorityFactory(organisation=own_org)
    membership = p.memberships.get(organisation=member_org)
    users = {
        "public": None,
        "partner_own": UserFactory(username="m-own", organisations=[own_org]),
        "partner_other": UserFactory(username="m-other", organisations=[OrganisationFactory()]),
        "adviser_assigned": adviser,
        "adviser_other": UserFactory(role="adviser", username="m-adviser-2"),
        "staff": staff,
    }
    targets = {
        "p": {"slug": p.slug},
        "hidden": {"slug": hidden.slug},
        "membership": {"slug": p.slug, "pk": membership.pk},
        "aim": {"slug": p.slug, "pk": aim.pk},
        "priority_org": {"slug": p.slug, "org_slug": own_org.slug},
        "priority": {"slug": p.slug, "pk": priority.pk},
        "api_membership": {"slug": p.slug, "membership_id": membership.pk},
        "api_aim": {"slug": p.slug, "aim_id": aim.pk},
    }
    objects = {"own_org": own_org, "new_org": new_org, "priority": priority}
    return World(users=users, targets=targets, objects=objects)
