"""Role × route: the exact status of every organisations URL for every role.

The registry is public: every role, signed in or not, reads the same pages, and a partner of an
organisation sees nothing more or less about it than a partner of another one. The History page
is for taskforce staff only: 403 for everyone else, the public included (a role-restricted page
answers 403, and its page offers sign-in; only pages that merely need an account redirect the
public to sign in). Read-only pages refuse POST (405).
"""

import pytest
from django.urls import reverse

from partnering.core.tests.factories import UserFactory
from partnering.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

COVERED_URL_NAMES = {
    "organisations:organisation-list",
    "organisations:organisation-csv",
    "organisations:organisation-detail",
    "organisations:organisation-by-code",
    "organisations:organisation-history",
}

ROLES = ["public", "partner_own", "partner_other", "adviser", "staff"]
OPEN = dict.fromkeys(ROLES, 200)
STAFF_ONLY = {**dict.fromkeys(ROLES, 403), "staff": 200}


def every(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


# (case id, method, url name, kwargs by object, expected status by role)
CASES = [
    ("list", "get", "organisations:organisation-list", None, OPEN),
    ("list-filtered", "get", "organisations:organisation-list", "filters", OPEN),
    ("list-by-post", "post", "organisations:organisation-list", None, every(405)),
    ("csv", "get", "organisations:organisation-csv", None, OPEN),
    ("csv-by-post", "post", "organisations:organisation-csv", None, every(405)),
    ("detail", "get", "organisations:organisation-detail", "slug", OPEN),
    ("detail-unknown", "get", "organisations:organisation-detail", "unknown_slug", every(404)),
    ("detail-by-post", "post", "organisations:organisation-detail", "slug", every(405)),
    ("by-code", "get", "organisations:organisation-by-code", "code", every(301)),
    ("by-code-unknown", "get", "organisations:organisation-by-code", "unknown_code", every(404)),
    ("history", "get", "organisations:organisation-history", "slug", STAFF_ONLY),
    ("history-unknown", "get", "organisations:organisation-history", "unknown_slug",
     {**every(403), "staff": 404}),
    ("history-by-post", "post", "organisations:organisation-history", "slug", every(405)),
    ("admin-changelist", "get", "admin:organisations_organisation_changelist", None, every(302)),
]  # fmt: skip


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
    return own, users


def kwargs_for(which: str | None, organisation) -> tuple[dict[str, str], dict[str, str]]:
    """(URL kwargs, query parameters)."""
    return {
        None: ({}, {}),
        "filters": ({}, {"tier": "district", "q": "Malvern", "status": "current"}),
        "slug": ({"slug": organisation.slug}, {}),
        "unknown_slug": ({"slug": "no-such-organisation"}, {}),
        "code": ({"code": organisation.gss_code}, {}),
        "unknown_code": ({"code": "E99999999"}, {}),
    }[which]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "name", "which", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_status(client, world, role, method, name, which, expected):
    organisation, users = world
    if users[role] is not None:
        client.force_login(users[role])
    kwargs, params = kwargs_for(which, organisation)
    url = reverse(name, kwargs=kwargs)

    response = getattr(client, method)(url, params)

    assert response.status_code == expected[role], (
        f"{role} {method.upper()} {url}: {response.status_code}"
    )
    if response.status_code == 301:
        assert response["Location"] == organisation.get_absolute_url()


@pytest.mark.parametrize("role", ROLES)
def test_every_role_sees_the_same_organisation_page(client, world, role):
    """No object-level difference: a partner of another organisation sees exactly what a partner
    of this one sees (the registry is public), apart from the staff-only History link."""
    organisation, users = world
    if users[role] is not None:
        client.force_login(users[role])

    response = client.get(organisation.get_absolute_url())

    assert response.context["organisation"] == organisation
    assert response.context["can_view_history"] is (role == "staff")
