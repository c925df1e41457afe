"""Read replicas (issue 16, part 7): with ``core.db_router.ReplicaRouter`` on, public pages and API
reads run on the ``replica`` alias; writes, signed-in pages, transactions, the rest of a request
that wrote, a client's next requests after a write, and sign-in's own tables run on ``default``.

The test settings point ``replica`` at the test database itself (``TEST: {"MIRROR": "default"}``)
over its own connection, so each alias's queries are captured apart. The tests commit
(``transaction=True``): a second connection sees only committed rows.
"""

import subprocess
import sys
from contextlib import contextmanager

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connections, router, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnering.core import db_router
from partnering.core.db_router import PIN_COOKIE, read_scope
from partnering.core.models import Role, User
from partnering.core.services import api_key_create
from partnering.core.tests.factories import UserFactory
from partnering.organisations.models import Organisation
from partnering.organisations.tests.factories import OrganisationFactory

ROUTED = pytest.mark.django_db(transaction=True, databases=["default", "replica"])

ROUTER = "partnering.core.db_router.ReplicaRouter"
ORGANISATIONS = '"organisations_organisation"'
SIGN_IN_TABLES = ('"django_session"', '"core_user"', '"core_apikey"', '"axes_', "partnering_cache")


@pytest.fixture
def replica(settings):
    settings.DATABASE_ROUTERS = [ROUTER]


@pytest.fixture
def council():
    return OrganisationFactory(name="Replica Test District Council")


@contextmanager
def queries():
    """The SQL each alias ran inside the block: {"default": [...], "replica": [...]}."""
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as copy,
    ):
        ran: dict[str, list[str]] = {"default": [], "replica": []}
        yield ran
    ran["default"] = [q["sql"] for q in primary.captured_queries]
    ran["replica"] = [q["sql"] for q in copy.captured_queries]


def reading(sql: list[str], table: str) -> bool:
    return any(table in q for q in sql)


def organisations_page():
    return reverse("organisations:organisation-list")


# --- what reads the replica -------------------------------------------------------------------


@ROUTED
def test_a_public_page_reads_the_replica(client, replica, council):
    with queries() as ran:
        response = client.get(organisations_page())

    assert response.status_code == 200
    assert "Replica Test District Council" in response.content.decode()
    assert reading(ran["replica"], ORGANISATIONS)
    assert not reading(ran["default"], ORGANISATIONS)
    assert PIN_COOKIE not in response.cookies  # a read pins nothing: the page stays cacheable


@ROUTED
def test_an_api_read_reads_the_replica(client, replica, council):
    with queries() as ran:
        response = client.get("/api/v1/organisations/")

    assert response.status_code == 200
    assert "Replica Test District Council" in [o["name"] for o in response.json()["items"]]
    assert reading(ran["replica"], ORGANISATIONS)
    assert not reading(ran["default"], ORGANISATIONS)


# --- what stays on the primary ----------------------------------------------------------------


@ROUTED
def test_a_post_and_a_signed_in_page_read_the_primary(client, replica, council):
    client.force_login(UserFactory(role=Role.STAFF))

    with queries() as ran:
        form = client.get(reverse("partnerships:partnership-create"))
        posted = client.post(reverse("partnerships:partnership-create"), {})
        public = client.get(organisations_page())

    assert (form.status_code, posted.status_code, public.status_code) == (200, 200, 200)
    assert "Replica Test District Council" in form.content.decode()  # the lead's choices
    assert reading(ran["default"], ORGANISATIONS)
    assert ran["replica"] == []


@ROUTED
def test_the_requests_after_a_write_read_the_primary_until_the_pin_ends(
    client, replica, council, settings, monkeypatch
):
    posted = client.post("/sign-in/", {"username": "nobody", "password": "wrong"})
    assert posted.status_code == 200
    assert PIN_COOKIE in posted.cookies

    with queries() as ran:
        assert client.get(organisations_page()).status_code == 200
        assert client.get("/api/v1/organisations/").status_code == 200
    assert reading(ran["default"], ORGANISATIONS)
    assert ran["replica"] == []

    later = db_router.time.time() + settings.REPLICA_PIN_SECONDS + 2
    monkeypatch.setattr(db_router.time, "time", lambda: later)
    with queries() as ran:
        assert client.get(organisations_page()).status_code == 200
    assert reading(ran["replica"], ORGANISATIONS)


@ROUTED
def test_an_api_key_that_wrote_reads_the_primary_without_cookies(client, replica, council):
    writer, other = UserFactory(), UserFactory()
    _, key = api_key_create(name="writer", actor=writer)
    _, other_key = api_key_create(name="other", actor=other)

    client.post(
        "/api/v1/partnerships/",
        {},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    client.cookies.clear()  # an integrator that keeps no cookies
    with queries() as ran:
        client.get("/api/v1/organisations/", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert reading(ran["default"], ORGANISATIONS)
    assert not reading(ran["replica"], ORGANISATIONS)

    with queries() as ran:
        client.get("/api/v1/organisations/", HTTP_AUTHORIZATION=f"Bearer {other_key}")
    assert reading(ran["replica"], ORGANISATIONS)


@ROUTED
def test_a_transaction_and_the_rest_of_a_request_that_wrote_read_the_primary(replica, council):
    with read_scope(replica_allowed=True), queries() as ran, transaction.atomic():
        list(Organisation.objects.all())
    assert reading(ran["default"], ORGANISATIONS)
    assert ran["replica"] == []

    with read_scope(replica_allowed=True), queries() as ran:
        list(Organisation.objects.all())  # before the write: the replica
        Organisation.objects.filter(pk=council.pk).update(population=12345)
        assert Organisation.objects.get(pk=council.pk).population == 12345
    assert len([q for q in ran["replica"] if ORGANISATIONS in q]) == 1
    assert reading(ran["default"], "UPDATE")
    assert reading(ran["default"], "SELECT")


@ROUTED
def test_sign_in_tables_never_read_the_replica(replica):
    with read_scope(replica_allowed=True), queries() as ran:
        Session.objects.count()
        User.objects.count()
        AccessAttempt.objects.count()
        cache.get("anything")
    assert ran["replica"] == []
    assert router.allow_migrate("replica", "organisations") is False
    assert router.allow_migrate("default", "organisations") is True


@ROUTED
def test_sign_in_works_with_a_replica(client, replica, council):
    UserFactory(username="officer")

    with queries() as ran:
        assert client.get("/sign-in/").status_code == 200
        signed_in = client.post("/sign-in/", {"username": "officer", "password": "password"})
        home = client.get(reverse("core:home"))

    assert signed_in.status_code == 302
    assert home.status_code == 200
    assert home.wsgi_request.user.username == "officer"
    assert not any(reading(ran["replica"], table) for table in SIGN_IN_TABLES)


# --- without a replica ------------------------------------------------------------------------


@ROUTED
def test_without_the_router_everything_reads_the_primary(client, council):
    with queries() as ran:
        page = client.get(organisations_page())
        api = client.get("/api/v1/organisations/")
        posted = client.post("/sign-in/", {"username": "nobody", "password": "wrong"})

    assert (page.status_code, api.status_code, posted.status_code) == (200, 200, 200)
    assert reading(ran["default"], ORGANISATIONS)
    assert ran["replica"] == []
    assert PIN_COOKIE not in posted.cookies


@ROUTED
def test_the_router_without_a_replica_alias_reads_the_primary(replica, council, monkeypatch):
    monkeypatch.delitem(connections.settings, "replica")
    with read_scope(replica_allowed=True), CaptureQueriesContext(connections["default"]) as ran:
        assert Organisation.objects.count() == 1
    assert reading([q["sql"] for q in ran.captured_queries], ORGANISATIONS)


PROBE = (
    "from partnering.config.settings import base; "
    "print(sorted(base.DATABASES), getattr(base, 'DATABASE_ROUTERS', []))"
)


@pytest.mark.parametrize(
    ("replica_url", "expected"),
    [
        (None, "['default'] []"),
        ("postgres://app@replica.internal:5432/partnering", f"['default', 'replica'] ['{ROUTER}']"),
    ],
)
def test_the_settings_add_the_replica_only_when_its_url_is_set(replica_url, expected, monkeypatch):
    if replica_url is None:
        monkeypatch.delenv("DATABASE_REPLICA_URL", raising=False)
    else:
        monkeypatch.setenv("DATABASE_REPLICA_URL", replica_url)
    out = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == expected
