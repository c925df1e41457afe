"""Role × route: the exact status of every core URL for every role, and a check that every named
URL and API operation of the project is in some app's matrix.

Rules the matrix pins down: pages that only need an account (account, API keys) send the public
to sign in (302); a user acts only on their own API keys (another user's key is a 404, so its
existence does not leak); forms change state only by POST (GET is a 405).
"""

import pytest
from django.urls import reverse

from partnering.core.models import ApiKey
from partnering.core.services import api_key_create
from partnering.core.tests.factories import UserFactory
from partnering.core.tests.matrix import (
    Matrix,
    World,
    api_operations,
    covered_routes,
    every,
    matrices,
    named_urls,
    page,
)

pytestmark = pytest.mark.django_db

# Third-party namespaces with their own access rules (Django admin: is_staff). The API's
# operations are checked one by one below, not by URL name.
UNCOVERED_NAMESPACES = {"admin", "api"}

ROLES = ["public", "partner", "adviser", "staff"]
OPEN = every(ROLES, 200)
ACCOUNT = {**OPEN, "public": 302}
NOT_ALLOWED = every(ROLES, 405)
HOME = "/"
INFORMATION = [
    "core:accessibility",
    "core:privacy",
    "core:cookies",
    "core:contact",
    "core:developers",
]


def login_data(password):
    def data(user, world):
        return {"username": user.username if user else "stranger", "password": password}

    return data


MATRIX = Matrix(__name__, ROLES, [
    page("core:home", None, OPEN, id="home"),
    page("core:home", None, NOT_ALLOWED, method="post", id="home-by-post"),
    page("core:about-data", None, OPEN, id="about-data"),
    page("core:healthz", None, OPEN, id="healthz"),
    page("core:healthz", None, NOT_ALLOWED, method="post", id="healthz-by-post"),
    page("core:login", None, {**every(ROLES, 302), "public": 200}, redirect_to=HOME, id="sign-in"),
    page("core:login", None, every(ROLES, 302), method="post", data=login_data("password"),
         redirect_to=HOME, id="sign-in-good-password"),
    page("core:login", None, {**every(ROLES, 302), "public": 200}, method="post",
         data=login_data("wrong"), redirect_to=HOME, id="sign-in-wrong-password"),
    page("core:logout", None, every(ROLES, 302), method="post", redirect_to=HOME, id="sign-out"),
    page("core:logout", None, NOT_ALLOWED, id="sign-out-by-get"),
    page("core:account", None, ACCOUNT, id="account"),
    page("core:account", None, every(ROLES, 302), method="post", data={"name": "Matrix key"},
         id="account-create-key"),
    page("core:account", None, ACCOUNT, method="post", data={"name": ""},
         id="account-create-key-without-name"),
    page("core:api-key-revoke", "own_key", every(ROLES, 302), method="post",
         id="revoke-own-key"),
    page("core:api-key-revoke", "own_key", {**NOT_ALLOWED, "public": 302},
         id="revoke-own-key-by-get"),
    page("core:api-key-revoke", "other_key", {**every(ROLES, 404), "public": 302}, method="post",
         id="revoke-another-users-key"),
    page("core:api-key-revoke", "missing_key", {**every(ROLES, 404), "public": 302},
         method="post", id="revoke-missing-key"),
    *[page(name, None, OPEN, id=name) for name in INFORMATION],
    *[page(name, None, NOT_ALLOWED, method="post", id=f"{name}-by-post") for name in INFORMATION],
    # The Django admin is for users with is_staff (superusers), not for the taskforce role.
    page("admin:index", None, every(ROLES, 302), redirect_to="/admin/login/?next=/admin/",
         id="admin"),
])  # fmt: skip
test_status, test_every_route_has_a_row = MATRIX.tests()


def own_key(user, world):
    # The public has no key of its own: use a real key of somebody else, which it must not reach
    # either (it is sent to sign in first).
    key = api_key_create(name="Own key", actor=user)[0] if user else world.objects["other_key"]
    return {"pk": key.pk}


@pytest.fixture
def world(user_for_role):
    stranger = UserFactory(role="partner", username="stranger")
    other_key = api_key_create(name="Stranger's key", actor=stranger)[0]
    return World(
        users={role: user_for_role(role) for role in ROLES},
        targets={"own_key": own_key, "other_key": {"pk": other_key.pk},
                 "missing_key": {"pk": 987654}},
        objects={"other_key": other_key},
    )  # fmt: skip


def test_another_users_key_is_left_alone(client_for, world):
    key = world.objects["other_key"]

    client_for("partner").post(reverse("core:api-key-revoke", kwargs={"pk": key.pk}))

    assert ApiKey.objects.get(pk=key.pk).is_active


def test_admin_is_open_to_django_superusers(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))

    assert client.get(reverse("admin:index")).status_code == 200


# --- Every named URL and API operation of the project is in some app's matrix ----------------


def covered() -> dict[str, set[str]]:
    return {name: covered_routes(module) for name, module in matrices().items()}


def test_every_named_url_is_in_a_matrix():
    names = {n for n in named_urls() if n.split(":", 1)[0] not in UNCOVERED_NAMESPACES}

    uncovered = sorted(names - set().union(*covered().values()))
    assert not uncovered, (
        "These URL names are in no app's tests/test_permission_matrix.py: " + ", ".join(uncovered)
    )


def test_every_api_operation_is_in_a_matrix():
    uncovered = sorted(set(api_operations()) - set().union(*covered().values()))
    assert not uncovered, (
        "These API operations are in no app's tests/test_permission_matrix.py: "
        + ", ".join(uncovered)
    )


def test_matrices_name_only_real_routes():
    routes = named_urls() | set(api_operations())

    for module, names in covered().items():
        assert names <= routes, f"{module} covers unknown routes: {sorted(names - routes)}"


def test_url_walker_finds_namespaced_names():
    names = named_urls()

    assert {"core:home", "organisations:organisation-detail", "admin:index"} <= names
    assert any(n.startswith("api:") for n in names)


def test_api_walker_finds_every_router():
    operations = api_operations()

    assert "GET /api/v1/organisations/{slug}" in operations
    assert operations["POST /api/v1/partnerships/{slug}/members"] == "partnering.partnerships.api"
    assert {m.split(".")[1] for m in operations.values()} >= {
        "organisations", "partnerships", "sharing"
    }  # fmt: skip
