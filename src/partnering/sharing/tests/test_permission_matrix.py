"""Role × route: the exact status of every sharing URL for every role (no IDOR)."""

from datetime import date

import pytest
from django.urls import reverse

from partnering.core.tests.factories import UserFactory
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.sharing import services
from partnering.sharing.tests.factories import make_partnership, spec_for

pytestmark = pytest.mark.django_db

COVERED_URL_NAMES = {
    "sharing:overview",
    "sharing:cost-model-create",
    "sharing:agreement-list",
    "sharing:agreement-download",
    "sharing:shares",
    "sharing:cost-model-edit",
    "sharing:figures-edit",
    "sharing:calculate",
    "sharing:agreement-create",
    "sharing:compare",
    "sharing:risk",
    "sharing:history",
    "sharing:download",
}

ROLES = ["public", "partner_own", "partner_other", "adviser_assigned", "adviser_other", "staff"]
EDIT = {"public": 302, "partner_own": 200, "partner_other": 403, "adviser_assigned": 200,
        "adviser_other": 403, "staff": 200}  # fmt: skip
OPEN = dict.fromkeys(ROLES, 200)
STAFF_ONLY = {**dict.fromkeys(ROLES, 403), "staff": 200}
HIDDEN = {**OPEN, "public": 404, "partner_other": 404}
HIDDEN_EDIT = {**EDIT, "partner_other": 404}
POSTED = {**EDIT, "partner_own": 302, "adviser_assigned": 302, "staff": 302}
NOT_ALLOWED = dict.fromkeys(ROLES, 405)

# (url name, target, method, expected by role)
CASES = [
    ("sharing:overview", "p", "get", OPEN),
    ("sharing:overview", "hidden", "get", HIDDEN),
    ("sharing:cost-model-create", "p", "get", EDIT),
    ("sharing:cost-model-create", "hidden", "get", HIDDEN_EDIT),
    ("sharing:agreement-list", "p", "get", OPEN),
    ("sharing:agreement-list", "hidden", "get", HIDDEN),
    ("sharing:agreement-download", "csv", "get", OPEN),
    ("sharing:shares", "v", "get", OPEN),
    ("sharing:shares", "hidden_v", "get", HIDDEN),
    ("sharing:cost-model-edit", "v", "get", EDIT),
    ("sharing:figures-edit", "v", "get", EDIT),
    ("sharing:figures-edit", "hidden_v", "get", HIDDEN_EDIT),
    ("sharing:calculate", "v", "get", NOT_ALLOWED),
    ("sharing:calculate", "v", "post", POSTED),
    ("sharing:agreement-create", "v", "get", EDIT),
    ("sharing:compare", "v", "get", OPEN),
    ("sharing:risk", "v", "get", OPEN),
    ("sharing:risk", "hidden_v", "get", HIDDEN),
    ("sharing:history", "v", "get", STAFF_ONLY),
    ("sharing:download", "table", "get", OPEN),
    ("sharing:download", "hidden_table", "get", HIDDEN),
]  # fmt: skip


@pytest.fixture
def world(db):
    own_org = OrganisationFactory()
    staff = UserFactory(role="staff", username="s-staff")
    p = make_partnership(3, orgs=[own_org])
    hidden = make_partnership(2, orgs=[own_org], published=False, name="Hidden partnership")
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
    return users, kwargs


def test_every_url_name_is_covered():
    assert {name for name, _, _, _ in CASES} == COVERED_URL_NAMES


@pytest.mark.parametrize(
    ("name", "target", "method", "expected"), CASES, ids=[f"{c[0]}-{c[1]}-{c[2]}" for c in CASES]
)
def test_status(client, world, name, target, method, expected):
    """Every role against one route (one world per route keeps the matrix fast)."""
    users, kwargs = world
    url = reverse(name, kwargs=kwargs[target])
    wrong = []
    for role in ROLES:
        client.logout()
        if users[role] is not None:
            client.force_login(users[role])
        response = getattr(client, method)(url)
        if response.status_code != expected[role]:
            wrong.append(f"{role}: {response.status_code}, expected {expected[role]}")
        elif response.status_code == 302 and role == "public":
            assert response["Location"].startswith("/sign-in/"), role
    assert not wrong, f"{method.upper()} {url}: " + "; ".join(wrong)
