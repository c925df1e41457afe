"""Role × route: the exact status of every organisations URL for every role.

The registry is public: every role, signed in or not, reads the same pages, and a partner of an
organisation sees nothing more or less about it than a partner of another one. The History page
is for taskforce staff only: 403 for everyone else, the public included (a role-restricted page
answers 403, and its page offers sign-in; only pages that merely need an account redirect the
public to sign in). Read-only pages refuse POST (405). The API reads the same registry, for every role.
"""

import pytest

from partnering.core.tests.factories import UserFactory
from partnering.core.tests.matrix import Matrix, World, api, every, page
from partnering.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

ROLES = ["public", "partner_own", "partner_other", "adviser", "staff"]
OPEN = every(ROLES, 200)
STAFF_ONLY = {**every(ROLES, 403), "staff": 200}
NOT_ALLOWED = every(ROLES, 405)
FILTERS = {"tier": "district", "q": "Malvern", "status": "current"}
API = "/api/v1/organisations"


def organisation_page(world):
    return world.objects["organisation"].get_absolute_url()


MATRIX = Matrix(__name__, ROLES, [
    page("organisations:organisation-list", None, OPEN, id="list"),
    page("organisations:organisation-list", None, OPEN, data=FILTERS, id="list-filtered"),
    page("organisations:organisation-list", None, NOT_ALLOWED, method="post", id="list-by-post"),
    page("organisations:organisation-csv", None, OPEN, id="csv"),
    page("organisations:organisation-csv", None, NOT_ALLOWED, method="post", id="csv-by-post"),
    page("organisations:organisation-detail", "slug", OPEN, id="detail"),
    page("organisations:organisation-detail", "unknown_slug", every(ROLES, 404),
         id="detail-unknown"),
    page("organisations:organisation-detail", "slug", NOT_ALLOWED, method="post",
         id="detail-by-post"),
    page("organisations:organisation-by-code", "code", every(ROLES, 301),
         redirect_to=organisation_page, id="by-code"),
    page("organisations:organisation-by-code", "unknown_code", every(ROLES, 404),
         id="by-code-unknown"),
    page("organisations:organisation-history", "slug", STAFF_ONLY, id="history"),
    page("organisations:organisation-history", "unknown_slug", {**every(ROLES, 403), "staff": 404},
         id="history-unknown"),
    page("organisations:organisation-history", "slug", NOT_ALLOWED, method="post",
         id="history-by-post"),
    page("admin:organisations_organisation_changelist", None, every(ROLES, 302),
         redirect_to="/admin/login/?next=/admin/organisations/organisation/",
         id="admin-changelist"),
    api(f"GET {API}/", None, OPEN, id="api-list"),
    api(f"GET {API}/", None, OPEN, body=FILTERS, id="api-list-filtered"),
    api(f"GET {API}/{{slug}}", "slug", OPEN, id="api-detail"),
    api(f"GET {API}/{{slug}}", "unknown_slug", every(ROLES, 404), id="api-detail-unknown"),
])  # fmt: skip
test_status, test_every_route_has_a_row = MATRIX.tests()


@pytest.fixture
def world(db):
    own = OrganisationFactory(name="Malvern Hills District Council", gss_code="E07000235")
    other = OrganisationFactory(name="Hambleton District Council", gss_code="E07000164")
    users = {
        "public": None,
        "partner_own": UserFactory(role="partner", username="own", organisations=[own]),
        "partner_other": UserFactory(role="partner", username="other", organisations=[other]),
        "adviser": UserFactory(role="adviser", username="adviser"),
        "staff": UserFactory(role="staff", username="staff"),
    }
    targets = {
        "slug": {"slug": own.slug},
        "unknown_slug": {"slug": "no-such-organisation"},
        "code": {"code": own.gss_code},
        "unknown_code": {"code": "E99999999"},
    }
    return World(users=users, targets=targets, objects={"organisation": own})


@pytest.mark.parametrize("role", ROLES)
def test_every_role_sees_the_same_organisation_page(client, world, role):
    """No object-level difference: a partner of another organisation sees exactly what a partner
    of this one sees (the registry is public), apart from the staff-only History link."""
    organisation = world.objects["organisation"]
    if world.users[role] is not None:
        client.force_login(world.users[role])

    response = client.get(organisation.get_absolute_url())

    assert response.context["organisation"] == organisation
    assert response.context["can_view_history"] is (role == "staff")
