"""The organisations JSON API: filters, pages, detail, errors as JSON, docs, and API keys."""

import pytest
from django.utils import timezone

from partnering.core.models import ApiKey
from partnering.core.services import api_key_create, api_key_revoke
from partnering.core.tests.factories import UserFactory
from partnering.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/organisations/"
NORTH_YORKSHIRE_DISTRICTS = [
    "Craven District Council",
    "Hambleton District Council",
    "Harrogate Borough Council",
    "Richmondshire District Council",
    "Ryedale District Council",
    "Scarborough Borough Council",
    "Selby District Council",
]


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["name"] for item in response.json()["items"]]


class TestList:
    def test_items_and_count(self, client, registry_slice):
        response = client.get(API)

        assert response.status_code == 200
        assert response["Content-Type"] == "application/json; charset=utf-8"
        body = response.json()
        assert body["count"] == 18
        assert len(body["items"]) == 18
        malvern = next(i for i in body["items"] if i["gss_code"] == "E07000235")
        assert malvern == {
            "slug": "malvern-hills-district-council",
            "name": "Malvern Hills District Council",
            "short_name": "Malvern Hills",
            "sector": "public",
            "kind": "district",
            "tier": "district",
            "gss_code": "E07000235",
            "org_id": "GB-LAE-MAV",
            "la_code": "MAV",
            "region": "West Midlands",
            "start_date": None,
            "end_date": None,
            "population": 79445,
            "population_year": 2020,
            "parent_county": {
                "slug": "worcestershire-county-council",
                "name": "Worcestershire County Council",
                "gss_code": "E10000034",
                "org_id": "GB-LAE-WOR",
            },
            "is_current": True,
            "is_demo": False,
        }

    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            ({"q": "malvern"}, ["Malvern Hills District Council"]),
            ({"q": "E07000164"}, ["Hambleton District Council"]),
            ({"q": "GB-LAE-WOR"}, ["Worcestershire County Council"]),
            ({"kind": "unitary"}, ["City of York Council", "North Yorkshire Council"]),
            (
                {"kind": ["county", "combined_authority"]},
                [
                    "North Yorkshire County Council",
                    "Worcestershire County Council",
                    "York and North Yorkshire Mayoral Combined Authority",
                ],
            ),
            (
                {"tier": "county"},
                ["North Yorkshire County Council", "Worcestershire County Council"],
            ),
            (
                {"tier": "district", "status": "abolished"},
                NORTH_YORKSHIRE_DISTRICTS,
            ),
            ({"region": "West Midlands", "tier": "county"}, ["Worcestershire County Council"]),
            ({"status": "abolished", "kind": "county"}, ["North Yorkshire County Council"]),
        ],
    )
    def test_filters(self, client, registry_slice, params, expected):
        assert names(client.get(API, params)) == expected

    def test_status_current(self, client, registry_slice):
        body = client.get(API, {"status": "current"}).json()

        assert body["count"] == 10
        assert all(item["is_current"] for item in body["items"])

    def test_sector(self, client, registry_slice):
        OrganisationFactory(company=True, name="Agilisys Limited")

        assert names(client.get(API, {"sector": "private"})) == ["Agilisys Limited"]
        assert client.get(API, {"sector": "public"}).json()["count"] == 18

    def test_pages_of_fifty(self, client):
        OrganisationFactory.create_batch(120)

        first = client.get(API).json()
        third = client.get(API, {"page": 3}).json()
        beyond = client.get(API, {"page": 9}).json()

        assert (first["count"], len(first["items"])) == (120, 50)
        assert (third["count"], len(third["items"])) == (120, 20)
        assert (beyond["count"], beyond["items"]) == (120, [])
        assert {i["slug"] for i in first["items"]}.isdisjoint({i["slug"] for i in third["items"]})

    def test_page_size(self, client):
        OrganisationFactory.create_batch(30)

        body = client.get(API, {"page_size": 7, "page": 5}).json()

        assert (body["count"], len(body["items"])) == (30, 2)


class TestBadParameters:
    @pytest.mark.parametrize(
        ("params", "detail"),
        [
            ({"kind": "bogus"}, "kind.0: Input should be 'county', 'district'"),
            ({"tier": "parish"}, "tier.0: Input should be 'county', 'district'"),
            (
                {"sector": "criminal"},
                "sector.0: Input should be 'public', 'private' or 'voluntary'",
            ),
            ({"status": "gone"}, "status: Input should be '', 'current' or 'abolished'"),
            ({"page": "abc"}, "page: Input should be a valid integer"),
            ({"page": "0"}, "page: Input should be greater than or equal to 1"),
            ({"page": "-1"}, "page: Input should be greater than or equal to 1"),
            ({"q": "x" * 101}, "q: String should have at most 100 characters"),
            ({"page": str(10**30)}, "page: Input should be less than or equal to 1000000"),
            ({"page_size": "0"}, "page_size: Input should be greater than or equal to 1"),
            ({"page_size": "101"}, "page_size: Input should be less than or equal to 100"),
        ],
    )
    def test_422_with_a_clear_detail(self, client, params, detail):
        response = client.get(API, params)

        assert response.status_code == 422
        assert response["Content-Type"].startswith("application/json")
        assert detail in response.json()["detail"]

    def test_last_allowed_page_is_empty_not_an_error(self, client):
        response = client.get(API, {"page": "1000000", "page_size": "100"})

        assert response.status_code == 200
        assert response.json() == {"items": [], "count": 0}


class TestDetail:
    def test_relations(self, client, registry_slice):
        response = client.get(f"{API}worcestershire-county-council")

        assert response.status_code == 200
        body = response.json()
        assert body["gss_code"] == "E10000034"
        assert body["parent_county"] is None
        assert [d["gss_code"] for d in body["districts"]] == [
            "E07000234", "E07000235", "E07000236", "E07000237", "E07000238", "E07000239",
        ]  # fmt: skip
        assert body["predecessors"] == []
        assert body["successors"] == []

    def test_successors_predecessors_and_combined_authority(self, client, registry_slice):
        hambleton = client.get(f"{API}hambleton-district-council").json()
        successor = client.get(f"{API}north-yorkshire-council").json()

        assert hambleton["end_date"] == "2023-03-31"
        assert hambleton["is_current"] is False
        assert hambleton["parent_county"]["gss_code"] == "E10000023"
        assert [s["gss_code"] for s in hambleton["successors"]] == ["E06000065"]
        assert len(successor["predecessors"]) == 8
        assert successor["combined_authority"]["gss_code"] == "E47000012"

    def test_former_codes(self, client, registry):
        assert client.get(f"{API}{registry['E08000038'].slug}").json()["former_gss_codes"] == (
            "E08000016"
        )

    def test_unknown_slug_is_a_404_json(self, client):
        response = client.get(f"{API}atlantis")

        assert response.status_code == 404
        assert response["Content-Type"].startswith("application/json")
        assert response.json() == {"detail": "No organisation with that slug."}


class TestDocs:
    def test_openapi_document_lists_the_endpoints_and_the_bearer_scheme(self, client):
        response = client.get("/api/openapi.json")

        assert response.status_code == 200
        schema = response.json()
        assert schema["info"]["title"] == "Strategic Partnering Platform API"
        assert "/api/v1/organisations/" in schema["paths"]
        assert "/api/v1/organisations/{slug}" in schema["paths"]
        schemes = schema["components"]["securitySchemes"]
        assert any(s.get("scheme") == "bearer" for s in schemes.values())

    def test_docs_page_loads(self, client):
        response = client.get("/api/docs")

        assert response.status_code == 200
        assert "/api/openapi.json" in response.content.decode()


class TestApiKeys:
    def bearer(self, raw: str) -> dict[str, str]:
        return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    def test_created_on_the_account_page_and_shown_once(self, client_for, partner_user):
        client = client_for("partner")

        response = client.post("/account/", {"name": "Finance system"}, follow=True)

        assert response.redirect_chain == [("/account/", 302)]
        raw = response.context["new_key"]
        assert raw.startswith("sp_")
        html = response.content.decode()
        assert raw in html
        assert "Copy it now: it will not be shown again." in html
        key = ApiKey.objects.get(user=partner_user)
        assert key.name == "Finance system"
        assert raw not in (key.key_hash, key.prefix)
        assert raw.split("_")[1] == key.prefix
        # Shown once: the next visit (or a reload) shows only the prefix.
        later = client.get("/account/").content.decode()
        assert raw not in later
        assert f"sp_{key.prefix}" in later

    def test_empty_name_is_an_error(self, client_for):
        response = client_for("partner").post("/account/", {"name": ""})

        assert response.status_code == 200
        assert "Enter a name for the key" in response.content.decode()
        assert not ApiKey.objects.exists()

    def test_at_most_ten_active_keys(self, client_for, partner_user):
        for n in range(10):
            api_key_create(name=f"key {n}", actor=partner_user)

        response = client_for("partner").post("/account/", {"name": "eleventh"})

        assert "You already have 10 active keys." in response.content.decode()
        assert ApiKey.objects.count() == 10

    def test_bearer_key_acts_as_its_user(self, client, partner_user, rf):
        from partnering.core.api_auth import ApiKeyBearer, api_user

        key, raw = api_key_create(name="Integration", actor=partner_user)
        request = rf.get(API, **self.bearer(raw))

        assert ApiKeyBearer()(request) == partner_user
        assert request.user == partner_user
        request.auth = partner_user
        assert api_user(request) == partner_user
        response = client.get(API, **self.bearer(raw))
        assert response.status_code == 200
        key.refresh_from_db()
        assert key.last_used_at is not None

    @pytest.mark.parametrize(
        "header",
        [
            "Bearer sp_nothing_here",
            "Bearer not-a-key",
            "Bearer ",
            "Basic dXNlcjpwYXNz",
            "sp_abc",
        ],
    )
    def test_malformed_key_is_a_401_json(self, client, header):
        response = client.get(API, HTTP_AUTHORIZATION=header)

        assert response.status_code == 401
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["detail"]

    def test_revoked_key_is_a_401(self, client, partner_user):
        key, raw = api_key_create(name="Old", actor=partner_user)
        api_key_revoke(key=key, actor=partner_user)

        response = client.get(API, **self.bearer(raw))

        assert response.status_code == 401
        assert response.json() == {"detail": "The API key is not valid or has been revoked."}

    def test_wrong_secret_with_a_real_prefix_is_a_401(self, client, partner_user):
        _, raw = api_key_create(name="Real", actor=partner_user)
        forged = raw[:-4] + ("AAAA" if not raw.endswith("AAAA") else "BBBB")

        assert client.get(API, **self.bearer(forged)).status_code == 401

    def test_key_of_an_inactive_user_is_a_401(self, client):
        user = UserFactory(role="partner", username="leaver")
        _, raw = api_key_create(name="Leaver's key", actor=user)
        user.is_active = False
        user.save()

        response = client.get(API, **self.bearer(raw))

        assert response.status_code == 401
        assert response.json() == {"detail": "The API key is not valid or has been revoked."}

    def test_no_credentials_is_the_public(self, client):
        assert client.get(API).status_code == 200

    def test_revoke_through_the_account_page(self, client_for, partner_user):
        key, raw = api_key_create(name="Temp", actor=partner_user)
        client = client_for("partner")

        response = client.post(f"/account/api-keys/{key.pk}/revoke/")

        assert response.status_code == 302
        assert response["Location"] == "/account/"
        key.refresh_from_db()
        assert key.revoked_at is not None and key.revoked_at <= timezone.now()
        assert client.get(API, **self.bearer(raw)).status_code == 401

    def test_another_users_key_cannot_be_revoked(self, client_for, adviser_user):
        key, _ = api_key_create(name="Adviser's", actor=adviser_user)

        response = client_for("partner").post(f"/account/api-keys/{key.pk}/revoke/")

        assert response.status_code == 404
        key.refresh_from_db()
        assert key.is_active

    def test_create_and_revoke_are_audited(self, partner_user):
        key, _ = api_key_create(name="Audited", actor=partner_user)
        api_key_revoke(key=key, actor=partner_user)

        records = list(key.history.order_by("history_date"))
        assert [(r.history_type, r.history_user, r.history_change_reason) for r in records] == [
            ("+", partner_user, "API key created"),
            ("~", partner_user, "API key revoked"),
        ]
        assert not hasattr(records[0], "key_hash")
