"""Role × route: the exact status of every core URL for every role, and a check that every named
URL of the project is in some app's matrix.

Rules the matrix pins down: pages that only need an account (account, API keys) send the public
to sign in (302); a user acts only on their own API keys (another user's key is a 404, so its
existence does not leak); forms change state only by POST (GET is a 405).
"""

import importlib

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from partnering.core.models import ApiKey
from partnering.core.services import api_key_create
from partnering.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

COVERED_URL_NAMES = {
    "core:home",
    "core:about-data",
    "core:healthz",
    "core:login",
    "core:logout",
    "core:account",
    "core:api-key-revoke",
}
# Third-party namespaces with their own access rules (Django admin: is_staff; ninja: per router,
# covered by each app's API tests).
UNCOVERED_NAMESPACES = {"admin", "api"}

ROLES = ["public", "partner", "adviser", "staff"]
OPEN = dict.fromkeys(ROLES, 200)
ACCOUNT = {**OPEN, "public": 302}
SIGN_IN = "/sign-in/"
NEEDS_ACCOUNT = {"core:account", "core:api-key-revoke"}

# (case id, method, url name, which object, data, expected status by role)
CASES = [
    ("home", "get", "core:home", None, None, OPEN),
    ("home-by-post", "post", "core:home", None, None, dict.fromkeys(ROLES, 405)),
    ("about-data", "get", "core:about-data", None, None, OPEN),
    ("healthz", "get", "core:healthz", None, None, OPEN),
    ("healthz-by-post", "post", "core:healthz", None, None, dict.fromkeys(ROLES, 405)),
    ("sign-in", "get", "core:login", None, None, {**dict.fromkeys(ROLES, 302), "public": 200}),
    ("sign-in-good-password", "post", "core:login", None, "good", dict.fromkeys(ROLES, 302)),
    ("sign-in-wrong-password", "post", "core:login", None, "bad",
     {**dict.fromkeys(ROLES, 302), "public": 200}),
    ("sign-out", "post", "core:logout", None, None, dict.fromkeys(ROLES, 302)),
    ("sign-out-by-get", "get", "core:logout", None, None, dict.fromkeys(ROLES, 405)),
    ("account", "get", "core:account", None, None, ACCOUNT),
    ("account-create-key", "post", "core:account", None, {"name": "Matrix key"},
     dict.fromkeys(ROLES, 302)),
    ("account-create-key-without-name", "post", "core:account", None, {"name": ""}, ACCOUNT),
    ("revoke-own-key", "post", "core:api-key-revoke", "own_key", None,
     dict.fromkeys(ROLES, 302)),
    ("revoke-own-key-by-get", "get", "core:api-key-revoke", "own_key", None,
     {**dict.fromkeys(ROLES, 405), "public": 302}),
    ("revoke-another-users-key", "post", "core:api-key-revoke", "other_key", None,
     {**dict.fromkeys(ROLES, 404), "public": 302}),
    ("revoke-missing-key", "post", "core:api-key-revoke", "missing_key", None,
     {**dict.fromkeys(ROLES, 404), "public": 302}),
    # The Django admin is for users with is_staff (superusers), not for the taskforce role.
    ("admin", "get", "admin:index", None, None, dict.fromkeys(ROLES, 302)),
]  # fmt: skip


@pytest.fixture
def world(user_for_role):
    stranger = UserFactory(role="partner", username="stranger")
    keys = {"other_key": api_key_create(name="Stranger's key", actor=stranger)[0]}
    return stranger, keys


def kwargs_for(which, role, user, keys):
    if which is None:
        return {}
    if which == "own_key":
        # The public has no key of its own: use a real key of somebody else, which it must
        # not reach either (it is sent to sign in first).
        key = api_key_create(name="Own key", actor=user)[0] if user else keys["other_key"]
        return {"pk": key.pk}
    if which == "missing_key":
        return {"pk": 987654}
    return {"pk": keys[which].pk}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "name", "which", "data", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_status(client_for, user_for_role, world, role, method, name, which, data, expected):
    _, keys = world
    user = user_for_role(role)
    client = client_for(role)
    url = reverse(name, kwargs=kwargs_for(which, role, user, keys))
    if data == "good":
        data = {"username": user.username if user else "stranger", "password": "password"}
    elif data == "bad":
        data = {"username": user.username if user else "stranger", "password": "wrong"}

    response = getattr(client, method)(url, data or {})

    assert response.status_code == expected[role], (
        f"{role} {method.upper()} {url}: {response.status_code}"
    )
    if role == "public" and name in NEEDS_ACCOUNT:
        assert response["Location"].startswith(f"{SIGN_IN}?next=")


def test_another_users_key_is_left_alone(client_for, world):
    _, keys = world

    client_for("partner").post(reverse("core:api-key-revoke", kwargs={"pk": keys["other_key"].pk}))

    assert ApiKey.objects.get(pk=keys["other_key"].pk).is_active


def test_admin_is_open_to_django_superusers(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))

    assert client.get(reverse("admin:index")).status_code == 200


# --- Every named URL of the project is in some app's matrix ----------------------------------


def named_urls(resolver: URLResolver | None = None, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            names |= named_urls(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


def matrix_modules() -> dict[str, set[str]]:
    """``COVERED_URL_NAMES`` of every ``partnering.<app>.tests.test_permission_matrix``."""
    covered: dict[str, set[str]] = {}
    for app in settings.INSTALLED_APPS:
        if not app.startswith("partnering."):
            continue
        module_name = f"{app}.tests.test_permission_matrix"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name is not None and module_name.startswith(error.name):
                continue  # this app has no matrix yet: its URL names stay uncovered
            raise
        covered[module_name] = set(module.COVERED_URL_NAMES)
    return covered


def test_every_named_url_is_in_a_matrix():
    names = {n for n in named_urls() if n.split(":", 1)[0] not in UNCOVERED_NAMESPACES}
    covered = set().union(*matrix_modules().values())

    uncovered = sorted(names - covered)
    assert not uncovered, (
        "These URL names are in no app's tests/test_permission_matrix.py COVERED_URL_NAMES: "
        + ", ".join(uncovered)
    )


def test_matrices_name_only_real_urls():
    names = named_urls()

    for module, covered in matrix_modules().items():
        assert covered <= names, f"{module} covers unknown URL names: {sorted(covered - names)}"


def test_url_walker_finds_namespaced_names():
    names = named_urls()

    assert {"core:home", "organisations:organisation-detail", "admin:index"} <= names
    assert any(n.startswith("api:") for n in names)
