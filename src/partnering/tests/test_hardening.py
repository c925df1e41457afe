"""Bad input, errors and headers handled once for every room (core.middleware, core.api_guards).

Each test here failed before the fix it names (issue 8, parts 4, 6, 7 and 10)."""

import json
from unittest import mock

import pytest
from django.db import IntegrityError, OperationalError
from django.test import Client, override_settings

from partnering.core.services import api_key_create
from partnering.core.tests.factories import UserFactory
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.models import Partnership
from partnering.sharing.models import CostModel
from partnering.sharing.tests.factories import make_partnership

pytestmark = pytest.mark.django_db

PARTNERSHIPS = "/api/v1/partnerships/"


def bearer(user):
    return {"Authorization": f"Bearer {api_key_create(name='test', actor=user)[1]}"}


def post_json(client, url, body, headers=None, raw=None):
    return client.post(
        url, data=raw if raw is not None else json.dumps(body), content_type="application/json",
        headers=headers or {},
    )  # fmt: skip


@pytest.fixture
def lead():
    return OrganisationFactory()


@pytest.fixture
def member(lead):
    return UserFactory(username="member", organisations=[lead])


def registration(lead, **overrides):
    return {"name": "Hardened", "reference": "HARD-1", "purpose": "x",
            "lead_organisation": lead.slug, **overrides}  # fmt: skip


# --- null bytes (part 4) ------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/organisations/?q=abc%00def",
        "/organisations/?q%00=1",
        "/organisations/abc%00def/",
        "/api/v1/organisations/?q=%00",
        "/api/v1/organisations/abc%00/",
        "/partnerships/?q=%00",
    ],
)
def test_a_null_byte_in_a_path_or_query_is_a_400(client, url):
    response = client.get(url)

    assert response.status_code == 400
    if url.startswith("/api/"):
        assert response.json()["code"] == "core.null_byte"
    else:
        assert "null byte" in response.content.decode()


def test_a_null_byte_in_json_is_a_400_and_nothing_is_saved(client, lead, member):
    for raw in (
        json.dumps(registration(lead, name="Nul\x00l")),
        json.dumps(registration(lead, purpose={"a": ["\x00"]})),
    ):
        response = post_json(client, PARTNERSHIPS, None, bearer(member), raw=raw)
        assert response.status_code == 400, response.content
        assert response.json()["code"] == "core.null_byte"
    assert not Partnership.objects.exists()


def test_a_null_byte_in_form_text_is_a_400(client, member):
    client.force_login(member)

    response = client.post("/account/", {"name": "key\x00name"})

    assert response.status_code == 400
    assert "null byte" in response.content.decode()
    assert not member.api_keys.exists()


# --- numbers, bodies and JSON errors (part 4) ---------------------------------------------


@pytest.fixture
def sharing_world():
    own = OrganisationFactory()
    partnership = make_partnership(3, lead=own)
    user = UserFactory(username="sharer", organisations=[own])
    slugs = [m.organisation.slug for m in partnership.memberships.select_related("organisation")]
    return partnership, user, slugs


def cost_model_body(slugs, fixed_cost=0, value=100_000):
    return {
        "title": "Shared ICT",
        "effective_on": "2002-06-01",
        "components": [
            {"kind": "pooled", "name": "CRM", "fixed_cost": fixed_cost,
             "values": dict.fromkeys(slugs, value)},
        ],
    }  # fmt: skip


@pytest.mark.parametrize("bad", ["NaN", "nan", "sNaN", "Infinity", "-inf", "+Infinity"])
def test_not_a_number_in_a_numeric_api_field_is_a_clear_422(client, sharing_world, bad):
    partnership, user, slugs = sharing_world
    url = f"{PARTNERSHIPS}{partnership.slug}/cost-models"

    response = post_json(client, url, cost_model_body(slugs, fixed_cost=bad), bearer(user))

    assert response.status_code == 422, response.content
    assert "number" in response.json()["detail"]  # ours, or pydantic's for sNaN
    assert not CostModel.objects.exists()


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_a_json_nan_literal_is_a_clear_422(client, sharing_world, literal):
    partnership, user, slugs = sharing_world
    raw = json.dumps(cost_model_body(slugs, fixed_cost=12345)).replace("12345", literal)

    response = post_json(
        client, f"{PARTNERSHIPS}{partnership.slug}/cost-models", None, bearer(user), raw=raw
    )

    assert response.status_code == 422, response.content
    assert response.json() == {
        "detail": "Enter a number (not NaN or infinity)",
        "code": "core.not_finite",
        "field": None,
    }
    assert not CostModel.objects.exists()


def test_a_nan_inside_a_member_figure_names_its_field(client, sharing_world):
    partnership, user, slugs = sharing_world
    body = cost_model_body(slugs)
    body["components"][0]["values"][slugs[0]] = "NaN"

    response = post_json(
        client, f"{PARTNERSHIPS}{partnership.slug}/cost-models", body, bearer(user)
    )

    assert response.status_code == 422
    assert response.json()["field"] == f"components.0.values.{slugs[0]}"


@pytest.mark.parametrize("raw", ['"just a string"', "[1, 2]", "42", "null"])
def test_a_bare_json_value_where_an_object_is_expected_is_a_422(client, lead, member, raw):
    response = post_json(client, PARTNERSHIPS, None, bearer(member), raw=raw)

    assert response.status_code == 422, response.content
    assert response["Content-Type"].startswith("application/json")


def test_a_body_that_is_not_json_is_a_json_400(client, member):
    response = post_json(client, PARTNERSHIPS, None, bearer(member), raw="{not json")

    assert response.status_code == 400
    assert response.json() == {"detail": "The body is not valid JSON"}


def test_an_unknown_api_path_is_a_json_404(client):
    response = client.get("/api/v1/no-such-thing/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_a_server_error_in_the_api_is_json(client):
    client.raise_request_exception = False
    with mock.patch(
        "partnering.organisations.api.organisation_list", side_effect=RuntimeError("boom")
    ):
        response = client.get("/api/v1/organisations/")

    assert response.status_code == 500
    assert response.json()["code"] == "core.server_error"
    assert "boom" not in response.content.decode()


def test_an_anonymous_write_is_401_not_a_csrf_403(lead):
    client = Client(enforce_csrf_checks=True)

    response = post_json(client, PARTNERSHIPS, registration(lead))

    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


def test_a_signed_in_browser_write_still_needs_the_csrf_token(lead, member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)

    response = post_json(client, PARTNERSHIPS, registration(lead))

    assert response.status_code == 403
    assert not Partnership.objects.exists()


def test_the_openapi_document_declares_each_operations_errors(client):
    schema = client.get("/api/openapi.json").json()
    operations = {
        (method, path): op for path, ops in schema["paths"].items() for method, op in ops.items()
    }

    create = operations[("post", "/api/v1/partnerships/")]["responses"]
    assert {"400", "401", "403", "422", "503"} <= set(create)
    one = operations[("get", "/api/v1/organisations/{slug}")]["responses"]
    assert {"401", "404", "422"} <= set(one)
    assert create["422"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }
    assert all("422" in op["responses"] for op in operations.values())


# --- races and outages (part 5; the PostgreSQL thread tests are in test_races.py) ---------


def test_an_integrity_error_in_the_api_is_a_422(client, lead, member):
    with mock.patch(
        "partnering.partnerships.api.partnership_create", side_effect=IntegrityError("dup")
    ):
        response = post_json(client, PARTNERSHIPS, registration(lead), bearer(member))

    assert response.status_code == 422
    assert response.json()["code"] == "core.conflict"


def test_an_integrity_error_on_a_page_is_a_govuk_422(client, member):
    client.force_login(member)
    with mock.patch("partnering.core.views.api_key_create", side_effect=IntegrityError("dup")):
        response = client.post("/account/", {"name": "Twice"})

    assert response.status_code == 422
    assert "Someone else saved the same thing" in response.content.decode()


def test_a_database_outage_in_the_api_is_a_503_json_with_retry_after(client):
    client.raise_request_exception = False
    with mock.patch(
        "partnering.organisations.api.organisation_list",
        side_effect=OperationalError("connection refused"),
    ):
        response = client.get("/api/v1/organisations/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json()["code"] == "core.database_unavailable"


def test_a_database_outage_before_the_api_view_is_a_503_json(client, member):
    """The session lookup is the first thing to touch the database."""
    client.force_login(member)
    client.raise_request_exception = False
    with mock.patch(
        "django.contrib.sessions.backends.db.SessionStore.load",
        side_effect=OperationalError("connection refused"),
    ):
        response = client.get("/api/v1/organisations/")

    assert response.status_code == 503
    assert response.json()["code"] == "core.database_unavailable"
    assert response["Retry-After"] == "30"


def test_a_database_outage_on_a_page_is_a_govuk_503(client):
    client.raise_request_exception = False
    with mock.patch(
        "partnering.organisations.views.organisation_list",
        side_effect=OperationalError("connection refused"),
    ):
        response = client.get("/organisations/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Sorry, the service is unavailable" in response.content.decode()


def test_a_write_whose_answer_fails_is_rolled_back(client, lead, member):
    """A write that committed never answers 500: the answer is built inside the transaction."""
    client.raise_request_exception = False
    with mock.patch(
        "partnering.partnerships.api._detail", side_effect=RuntimeError("serialising failed")
    ):
        response = post_json(client, PARTNERSHIPS, registration(lead), bearer(member))

    assert response.status_code == 500
    assert response.json()["code"] == "core.server_error"
    assert not Partnership.objects.exists()


# --- idempotency (part 5) -------------------------------------------------------------------


def test_a_retry_with_the_same_idempotency_key_returns_the_first_answer(client, lead, member):
    headers = {**bearer(member), "Idempotency-Key": "retry-1"}

    first = post_json(client, PARTNERSHIPS, registration(lead), headers)
    second = post_json(client, PARTNERSHIPS, registration(lead), headers)

    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert Partnership.objects.count() == 1


def test_an_idempotency_key_is_per_user(client, lead, member):
    other = UserFactory(username="other-member", organisations=[lead])
    post_json(client, PARTNERSHIPS, registration(lead), {**bearer(member), "Idempotency-Key": "k"})

    response = post_json(
        client,
        PARTNERSHIPS,
        registration(lead, name="Other", reference="HARD-2"),
        {**bearer(other), "Idempotency-Key": "k"},
    )

    assert response.status_code == 201
    assert Partnership.objects.count() == 2


def test_an_idempotency_key_reused_for_another_request_is_a_422(client, lead, member):
    headers = {**bearer(member), "Idempotency-Key": "k"}
    post_json(client, PARTNERSHIPS, registration(lead), headers)

    response = post_json(client, PARTNERSHIPS, registration(lead, name="Changed"), headers)

    assert response.status_code == 422
    assert response.json()["code"] == "core.idempotency_key_reused"
    assert Partnership.objects.count() == 1


def test_a_failed_write_does_not_keep_its_idempotency_key(client, lead, member):
    headers = {**bearer(member), "Idempotency-Key": "k"}
    assert post_json(client, PARTNERSHIPS, registration(lead, name=""), headers).status_code == 422

    response = post_json(client, PARTNERSHIPS, registration(lead), headers)

    assert response.status_code == 201


# --- headers (parts 6 and 7) ----------------------------------------------------------------


def test_every_response_has_a_permissions_policy(client):
    for url in ["/", "/api/v1/organisations/", "/no-such-page/"]:
        policy = client.get(url)["Permissions-Policy"]
        assert "camera=()" in policy and "geolocation=()" in policy, url


@pytest.mark.parametrize("url", ["/", "/account/", "/organisations/download.csv", "/partnerships/"])
def test_signed_in_pages_and_downloads_are_not_stored(client, member, url):
    client.force_login(member)

    assert client.get(url)["Cache-Control"] == "no-store"


def test_key_authenticated_api_responses_are_not_stored(client, member):
    response = client.get("/api/v1/partnerships/", headers=bearer(member))

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_downloads_are_not_stored_even_for_the_public(client):
    """Issue 8 part 6: CSV/XLSX downloads send no-store whoever fetches them."""
    response = client.get("/organisations/download.csv")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store"


def test_public_pages_may_be_cached(client):
    assert "no-store" not in client.get("/organisations/").get("Cache-Control", "")


def test_a_csrf_failure_is_a_govuk_page(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)

    response = client.post("/account/", {"name": "Sneaky"})

    assert response.status_code == 403
    html = response.content.decode()
    assert "Sorry, your form could not be sent" in html
    assert "govuk-template" in html


@override_settings(ADMIN_ENABLED=False)
def test_admin_is_off_unless_switched_on():
    import importlib

    from django.urls import clear_url_caches, resolve
    from django.urls.exceptions import Resolver404

    from partnering.config import urls

    try:
        importlib.reload(urls)
        clear_url_caches()
        with pytest.raises(Resolver404):
            resolve("/admin/", urlconf=urls)
    finally:
        with override_settings(ADMIN_ENABLED=True):
            importlib.reload(urls)
            clear_url_caches()


def test_admin_is_off_by_default_in_production_settings():
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "partnering.config.settings.prod",
        "SECRET_KEY": "x" * 30 + "abcdefghijklmnopqrstuvwxyz",
    }
    env.pop("ADMIN_ENABLED", None)
    code = "import django; django.setup(); from django.conf import settings; print(settings.ADMIN_ENABLED)"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.strip() == "False", out.stderr


def test_passwords_need_twelve_characters(member):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="at least 12 characters"):
        validate_password("Qz8!vb3#Lm1", user=member)
    validate_password("Qz8!vb3#Lm1x", user=member)
