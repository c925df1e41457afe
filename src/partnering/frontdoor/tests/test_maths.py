"""The pure core: catalogue search (a relevance set), places, points, routing."""

from pathlib import Path

import pytest

from partnering.frontdoor.maths import catalogue, geometry, places, routing
from partnering.frontdoor.maths.attributes import REPORTABLE, AttributeError_, clean_attributes

DATA = Path(__file__).resolve().parents[1] / "data"
AUTHORITIES = (
    Path(__file__).resolve().parents[2] / "organisations" / "data" / "local_authorities.csv"
)


@pytest.fixture(scope="module")
def cat():
    return catalogue.read_services(DATA / "services_lgsl.csv")


@pytest.fixture(scope="module")
def outward():
    return places.read_outward_codes(DATA / "postcode_district_la.csv")


@pytest.fixture(scope="module")
def directory():
    return places.read_directory(AUTHORITIES)


@pytest.fixture(scope="module")
def bounds():
    return geometry.read_boundaries(DATA / "lad_boundaries.geojson")


# Everyday words -> the service that must come first (the relevance set).
RELEVANCE = [
    ("bins", 524),
    ("bin", 524),
    ("Bins!", 524),
    ("missed bin", 524),
    ("rubbish", 524),
    ("rubish collection", 524),
    ("wheelie bin", 524),
    ("recycling", 533),
    ("recyling", 533),
    ("pothole", 557),
    ("pot hole", 557),
    ("potholes in my road", 557),
    ("road repair", 557),
    ("council tax", 57),
    ("counciltax", 57),
    ("council tax discount", 59),
    ("school place", 13),
    ("school places", 13),
    ("secondary school", 14),
    ("blue badge", 279),
    ("Blue-Badge", 279),
    ("fly tipping", 587),
    ("fly-tipping", 587),
    ("flytiping", 587),
    ("street light out", 564),
    ("lamp post", 564),
    ("graffiti", 584),
    ("dog poo", 577),
    ("garden waste", 530),
    ("the tip", 534),
    ("Find out about potholes", 557),  # the official name
    ("Find out about Blue Badge parking permits", 279),
    ("traffic lights", 567),
    ("noisy neighbours", 412),
    ("register to vote", 364),
    ("557", 557),  # an LGSL code
]


@pytest.mark.parametrize(("words", "code"), RELEVANCE)
def test_everyday_words_find_the_right_service_first(cat, words, code):
    found = cat.search(words)
    assert found, words
    assert found[0].service.lgsl_code == code, [
        (m.service.lgsl_code, m.service.name) for m in found[:3]
    ]


def test_relevance_set_hits_at_one_is_total(cat):
    hits = sum(cat.search(w)[0].service.lgsl_code == c for w, c in RELEVANCE)
    assert hits == len(RELEVANCE)


def test_nonsense_finds_nothing(cat):
    assert cat.search("xqzv") == []
    assert cat.search("   ") == []


def test_split_service_is_explained(cat):
    assert "the county runs the tips" in cat.get(524).split_note
    assert cat.get(557).split_note == ""
    assert cat.get(534).two_tier_provider == "both"


def test_catalogue_has_every_row(cat):
    assert len(cat.services) == 275
    assert sum(s.current for s in cat.services.values()) == 117


@pytest.mark.parametrize("text", ["WR11 4AA", "wr114aa", "WR11", " wr11 "])
def test_postcode_and_outward_code_resolve_with_shares(outward, directory, text):
    place = places.resolve_place(text, outward=outward, directory=directory)
    assert place.areas[0].lad_gss == "E07000238"  # Wychavon
    assert place.areas[0].share == pytest.approx(0.9495, abs=1e-3)
    assert [a.share for a in place.areas] == sorted((a.share for a in place.areas), reverse=True)
    assert sum(a.share for a in place.areas) == pytest.approx(1.0)
    assert place.is_ambiguous


def test_town_and_council_names(outward, directory):
    assert (
        places.resolve_place("Evesham", outward=outward, directory=directory).areas[0].lad_gss
        == "E07000238"
    )
    worcester = places.resolve_place("Worcester City Council", outward=outward, directory=directory)
    assert worcester.areas == (places.Area("E07000237", 1.0),)
    county = places.resolve_place("Worcestershire", outward=outward, directory=directory)
    assert len(county.areas) == 6


def test_abolished_council_follows_its_successor(outward, directory):
    place = places.resolve_place("Harrogate", outward=outward, directory=directory)
    assert place.areas == (places.Area("E06000065", 1.0),)
    assert "replaced by North Yorkshire Council" in place.note


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "place_required"),
        ("CF10 1AA", "place_not_england"),
        ("EH1", "place_not_england"),
        ("ZZ9 9ZZ", "place_unknown"),
        ("Atlantis", "place_unknown"),
        ("W1A 0AX 9", "place_malformed"),
        ("x" * 101, "place_too_long"),
        ("WR11\x00", "place_malformed"),
    ],
)
def test_bad_places_have_a_clear_code(outward, directory, text, code):
    with pytest.raises(places.PlaceError) as caught:
        places.resolve_place(text, outward=outward, directory=directory)
    assert caught.value.code == code
    assert caught.value.message


@pytest.mark.parametrize(
    ("lat", "lon", "gss"),
    [
        (52.0920, -1.9470, "E07000238"),  # Evesham
        (52.1920, -2.2200, "E07000237"),  # Worcester
        (53.9920, -1.5410, "E06000065"),  # Harrogate
        (53.9590, -1.0815, "E06000014"),  # York
        (
            53.8159,
            -3.0553,
            "E06000009",
        ),  # Blackpool Tower: just off the coastline, nearest within 1 km
    ],
)
def test_points_resolve_through_the_boundaries(bounds, lat, lon, gss):
    assert bounds.locate(lat, lon).lad_gss == gss


@pytest.mark.parametrize(
    ("lat", "lon", "code"),
    [
        (float("nan"), 0.0, "point_invalid"),
        (91.0, 0.0, "point_invalid"),
        (52.0, 181.0, "point_invalid"),
        (40.7, -74.0, "point_outside_england"),  # New York
        (55.95, -3.19, "point_outside_england"),  # Edinburgh
        (51.48, -3.18, "point_outside_england"),  # Cardiff: inside the box, in no English area
        (51.40, 1.30, "point_outside_england"),  # the sea off Kent
    ],
)
def test_impossible_or_foreign_points(bounds, lat, lon, code):
    with pytest.raises(geometry.PointError) as caught:
        bounds.locate(lat, lon)
    assert caught.value.code == code


def test_routing_by_tier_with_the_reason(cat, outward, directory):
    wr11 = places.resolve_place("WR11", outward=outward, directory=directory)
    bins = routing.route(cat.get(524), wr11, directory)
    assert bins.provider.gss_code == "E07000238"
    assert bins.reason.startswith(
        "LGSL 524 (which day the refuse is collected) is provided by districts; WR11 is in Wychavon"
    )
    pothole = routing.route(cat.get(557), wr11, directory)
    assert pothole.provider.gss_code == "E10000034"  # Worcestershire County Council
    assert pothole.provider.share == pytest.approx(0.9495, abs=1e-3)
    assert "provided by counties" in pothole.reason
    tips = routing.route(cat.get(534), wr11, directory)
    assert {p.gss_code for p in tips.providers[:2]} == {"E07000238", "E10000034"}
    harrogate = places.resolve_place("Harrogate", outward=outward, directory=directory)
    unitary = routing.route(cat.get(557), harrogate, directory)
    assert [p.gss_code for p in unitary.providers] == ["E06000065"]
    assert unitary.reason.startswith(
        "Harrogate Borough Council was replaced by North Yorkshire Council."
    )


def test_shares_of_a_county_add_up_over_its_districts(cat, outward, directory):
    b60 = places.resolve_place(
        "B60", outward=outward, directory=directory
    )  # Bromsgrove 95 %, Wychavon 5 %
    found = routing.route(cat.get(557), b60, directory)
    assert found.providers[0].gss_code == "E10000034"
    assert found.providers[0].share == pytest.approx(1.0)


def test_attributes_are_checked():
    pothole = REPORTABLE[557]
    assert clean_attributes(pothole, {"size": ["large"], "depth_cm": ["7"]}) == {
        "size": "large",
        "depth_cm": 7.0,
    }
    for raw, code in [
        ({}, "attribute_required"),
        ({"size": ["enormous"]}, "attribute_invalid"),
        ({"size": ["large"], "depth_cm": ["nan"]}, "attribute_invalid"),
        ({"size": ["large"], "depth_cm": ["1e308"]}, "attribute_invalid"),
        ({"size": ["large"], "colour": ["red"]}, "attribute_unknown"),
    ]:
        with pytest.raises(AttributeError_) as caught:
            clean_attributes(pothole, raw)
        assert caught.value.code == code


def test_distance():
    assert geometry.distance_m(52.0, -2.0, 52.0, -2.0) == 0
    assert geometry.distance_m(52.0, -2.0, 52.001, -2.0) == pytest.approx(111.2, abs=0.5)
