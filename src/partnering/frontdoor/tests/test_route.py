"""GET /api/v1/frontdoor/route and the finder page, on real councils from the organisations room."""

import pytest

from .factories import WORCS, WYCHAVON

URL = "/api/v1/frontdoor/route"


def test_bins_for_a_worcestershire_postcode_go_to_the_district(client, councils):
    response = client.get(URL, {"need": "bins", "place": "WR11 4AA"})
    assert response.status_code == 200
    body = response.json()
    assert body["service"]["lgsl_code"] == 524
    top = body["providers"][0]
    assert (top["gss_code"], top["tier"]) == (WYCHAVON, "district")
    assert top["name"] == "Wychavon District Council"
    assert top["share"] == pytest.approx(0.9495, abs=1e-3)
    assert [p["share"] for p in body["providers"]] == sorted(
        (p["share"] for p in body["providers"]), reverse=True
    )
    assert "provided by districts; WR11 4AA is in Wychavon" in body["reason"]
    assert body["place"]["ambiguous"] is True
    assert top["front_door"] is None


def test_pothole_goes_to_the_county_and_its_front_door(client, front_door):
    body = client.get(URL, {"need": "pothole", "place": "WR11"}).json()
    top = body["providers"][0]
    assert (top["gss_code"], top["tier"]) == (WORCS, "county")
    assert top["front_door"]["slug"] == front_door.slug


def test_successor_council(client, councils):
    body = client.get(URL, {"need": "council tax", "place": "Harrogate"}).json()
    assert [p["gss_code"] for p in body["providers"]] == ["E06000065"]
    assert body["reason"].startswith(
        "Harrogate Borough Council was replaced by North Yorkshire Council."
    )


def test_point_instead_of_place(client, councils):
    body = client.get(URL, {"need": "street light", "lat": "52.092", "long": "-1.947"}).json()
    assert body["service"]["lgsl_code"] == 564
    assert body["providers"][0]["gss_code"] == WORCS
    assert body["place"]["kind"] == "point"


@pytest.mark.parametrize(
    ("params", "code", "field"),
    [
        ({"need": "bins", "place": "Atlantis"}, "frontdoor.place_unknown", "place"),
        ({"need": "bins", "place": "CF10 1AA"}, "frontdoor.place_not_england", "place"),
        ({"need": "bins", "place": ""}, "frontdoor.place_required", "place"),
        ({"need": "xqzvw", "place": "WR11"}, "frontdoor.need_unknown", "need"),
        ({"need": "", "place": "WR11"}, "frontdoor.need_required", "need"),
        ({"need": "bins", "lat": "NaN", "long": "-1.9"}, "frontdoor.point_invalid", "lat"),
        ({"need": "bins", "lat": "52.1"}, "frontdoor.point_incomplete", "long"),
        ({"need": "bins", "lat": "40.7", "long": "-74"}, "frontdoor.point_outside_england", "lat"),
        ({"need": "bins", "lat": "1e999", "long": "0"}, "frontdoor.point_invalid", "lat"),
        ({"need": "b" * 300, "place": "WR11"}, "frontdoor.text_invalid", "need"),
    ],
)
def test_unknown_place_or_need_is_a_clear_4xx(client, councils, params, code, field):
    response = client.get(URL, params)
    assert response.status_code == 422
    body = response.json()
    assert (body["code"], body["field"]) == (code, field)
    assert body["detail"]


def test_missing_need_is_4xx(client, councils):
    response = client.get(URL, {"place": "WR11"})
    assert response.status_code == 422


def test_route_runs_a_fixed_number_of_queries(client, front_door, django_assert_max_num_queries):
    client.get(URL, {"need": "bins", "place": "WR11"})  # warm the directory
    with django_assert_max_num_queries(5):
        assert client.get(URL, {"need": "pothole", "place": "WR11"}).status_code == 200


def test_service_search_api(client, db):
    body = client.get("/api/v1/frontdoor/services", {"q": "blue badge"}).json()
    assert body[0]["lgsl_code"] == 279


def test_finder_page_routes_and_offers_the_choice(client, front_door):
    response = client.get("/frontdoor/", {"need": "bins", "place": "WR11 4AA"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "provided by districts; WR11 4AA is in Wychavon" in html
    assert "Which council area do you live in?" in html
    assert "the county runs the tips" in html
    chosen = client.get(
        "/frontdoor/", {"need": "bins", "place": "WR11 4AA", "area": WYCHAVON}
    ).content.decode()
    assert "Which council area do you live in?" not in chosen
    assert "Worcestershire Front Door" in chosen


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"need": "bins", "place": "Atlantis"}, "We could not find “Atlantis”"),
        ({"need": "", "place": "WR11"}, "Enter what you need"),
        ({"need": "bins", "place": "x" * 150}, "must be 100 characters or fewer"),
    ],
)
def test_finder_page_bad_input(client, councils, params, message):
    response = client.get("/frontdoor/", params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html


def test_finder_page_null_byte_is_refused(client, councils):
    assert client.get("/frontdoor/", {"need": "bins", "place": "WR11\x00"}).status_code == 400


def _e_enablement(gss_code, lgsl_code, on, route="own_site"):
    from partnering.funding.models import EEnablement
    from partnering.organisations.models import Organisation
    from partnering.partnerships.models import ServiceArea

    service, _ = ServiceArea.objects.get_or_create(
        lgsl_code=lgsl_code, defaults={"label": f"LGSL {lgsl_code}"}
    )
    return EEnablement.objects.create(
        organisation=Organisation.objects.get(gss_code=gss_code),
        service=service,
        e_enabled_on=on,
        route=route if on else "",
    )


def test_route_says_whether_each_provider_has_the_service_online(client, councils):
    """The funding room's e-enablement records: bins are online at Wychavon since 2004."""
    from datetime import date

    _e_enablement(WYCHAVON, 524, date(2004, 3, 1), "front_door")
    body = client.get(URL, {"need": "bins", "place": "WR11 4AA"}).json()
    top = body["providers"][0]
    assert top["online"] == {
        "e_enabled": True,
        "since": "2004-03-01",
        "how": "Through the front door",
        "illustrative": False,
    }
    assert all(p["online"] is None for p in body["providers"][1:])  # no record, no claim
    page = client.get("/frontdoor/", {"need": "bins", "place": "WR11 4AA", "area": WYCHAVON})
    assert (
        "offers this service online from start to finish (since March 2004" in page.content.decode()
    )


def test_route_says_when_a_provider_has_not_put_the_service_online(client, councils):
    _e_enablement(WORCS, 557, None)  # potholes: the county has not put them online
    body = client.get(URL, {"need": "pothole", "place": "WR11 4AA"}).json()
    top = body["providers"][0]
    assert (body["service"]["lgsl_code"], top["gss_code"]) == (557, WORCS)
    assert top["online"]["e_enabled"] is False and top["online"]["since"] is None
    page = client.get("/frontdoor/", {"need": "pothole", "place": "WR11 4AA"})
    assert "does not yet offer this service online" in page.content.decode()
