"""Role × route: the exact status of every partnerships URL for every role (no IDOR)."""

import pytest
from django.urls import reverse

from partnering.core.tests.factories import UserFactory
from partnering.organisations.tests.factories import OrganisationFactory

from .factories import PriorityFactory, StrategicAimFactory, make_partnership

pytestmark = pytest.mark.django_db

COVERED_URL_NAMES = {
    "partnerships:partnership-list",
    "partnerships:partnership-csv",
    "partnerships:partnership-create",
    "partnerships:partnership-detail",
    "partnerships:partnership-update",
    "partnerships:partnership-history",
    "partnerships:membership-add",
    "partnerships:membership-end",
    "partnerships:membership-role",
    "partnerships:stage-move",
    "partnerships:fit",
    "partnerships:aim-create",
    "partnerships:aim-update",
    "partnerships:aim-score",
    "partnerships:priority-create",
    "partnerships:priority-update",
}

ROLES = ["public", "partner_own", "partner_other", "adviser_assigned", "adviser_other", "staff"]
EDIT = {"public": 302, "partner_own": 200, "partner_other": 403, "adviser_assigned": 200,
        "adviser_other": 403, "staff": 200}  # fmt: skip
OPEN = dict.fromkeys(ROLES, 200)
STAFF_ONLY = {**dict.fromkeys(ROLES, 403), "staff": 200}
HIDDEN = {**OPEN, "public": 404, "partner_other": 404}
HIDDEN_EDIT = {**EDIT, "partner_other": 404}

# (url name, kwargs builder key, expected by role)
CASES = [
    ("partnerships:partnership-list", None, OPEN),
    ("partnerships:partnership-csv", None, OPEN),
    ("partnerships:partnership-create", None,
     {**EDIT, "partner_other": 200, "adviser_assigned": 403}),
    ("partnerships:partnership-detail", "p", OPEN),
    ("partnerships:partnership-detail", "hidden", HIDDEN),
    ("partnerships:partnership-update", "p", EDIT),
    ("partnerships:partnership-update", "hidden", HIDDEN_EDIT),
    ("partnerships:partnership-history", "p", STAFF_ONLY),
    ("partnerships:membership-add", "p", EDIT),
    ("partnerships:membership-end", "membership", EDIT),
    ("partnerships:membership-role", "membership", EDIT),
    ("partnerships:stage-move", "p", EDIT),
    ("partnerships:fit", "p", OPEN),
    ("partnerships:fit", "hidden", HIDDEN),
    ("partnerships:aim-create", "p", EDIT),
    ("partnerships:aim-update", "aim", EDIT),
    ("partnerships:aim-score", "aim", EDIT),
    ("partnerships:priority-create", "priority_org", EDIT),
    ("partnerships:priority-update", "priority", EDIT),
]  # fmt: skip


@pytest.fixture
def world(db):
    own_org, member_org = OrganisationFactory(), OrganisationFactory()
    staff = UserFactory(role="staff", username="m-staff")
    p = make_partnership(lead=own_org, members=[member_org], actor=staff)
    hidden = make_partnership(lead=own_org, reference="HID-1", name="Hidden", is_published=False,
                              actor=staff)  # fmt: skip
    adviser = UserFactory(role="adviser", username="m-adviser")
    p.advisers.add(adviser)
    hidden.advisers.add(adviser)
    aim = StrategicAimFactory(partnership=p)
    priority = PriorityFactory(organisation=own_org)
    users = {
        "public": None,
        "partner_own": UserFactory(username="m-own", organisations=[own_org]),
        "partner_other": UserFactory(username="m-other", organisations=[OrganisationFactory()]),
        "adviser_assigned": adviser,
        "adviser_other": UserFactory(role="adviser", username="m-adviser-2"),
        "staff": staff,
    }
    kwargs = {
        None: {},
        "p": {"slug": p.slug},
        "hidden": {"slug": hidden.slug},
        "membership": {"slug": p.slug, "pk": p.memberships.get(organisation=member_org).pk},
        "aim": {"slug": p.slug, "pk": aim.pk},
        "priority_org": {"slug": p.slug, "org_slug": own_org.slug},
        "priority": {"slug": p.slug, "pk": priority.pk},
    }
    return users, kwargs


READ_ONLY = [
    ("partnerships:partnership-list", None),
    ("partnerships:partnership-csv", None),
    ("partnerships:partnership-detail", "p"),
    ("partnerships:partnership-history", "p"),
    ("partnerships:fit", "p"),
]


@pytest.mark.parametrize("role", ["public", "partner_own", "staff"])
@pytest.mark.parametrize(("name", "target"), READ_ONLY)
def test_read_only_pages_refuse_post(client, world, role, name, target):
    users, kwargs = world
    if users[role] is not None:
        client.force_login(users[role])
    assert client.post(reverse(name, kwargs=kwargs[target])).status_code == 405


def test_every_url_name_is_covered():
    assert {name for name, _, _ in CASES} == COVERED_URL_NAMES


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "target", "expected"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES]
)
def test_status(client, world, role, name, target, expected):
    users, kwargs = world
    user = users[role]
    if user is not None:
        client.force_login(user)
    response = client.get(reverse(name, kwargs=kwargs[target]))
    assert response.status_code == expected[role]
    if response.status_code == 302:
        assert response["Location"].startswith("/sign-in/")
