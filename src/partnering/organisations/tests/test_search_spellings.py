"""A search finds a council however its name is spelled: "Saint Helens" finds St Helens (issue 8,
part 10)."""

import pytest

from partnering.organisations.selectors import OrganisationFilters, organisation_list, spellings

from .factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def councils():
    return {
        "helens": OrganisationFactory(name="St Helens Council", short_name="St. Helens"),
        "albans": OrganisationFactory(name="St Albans City and District Council", short_name=""),
        "other": OrganisationFactory(name="Stockport Metropolitan Borough Council"),
    }


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("Saint Helens", {"helens"}),
        ("saint helens", {"helens"}),
        ("St. Helens", {"helens"}),
        ("St Helens", {"helens"}),
        ("Saint Albans City & District", {"albans"}),
    ],
)
def test_other_spellings_of_saint_and_and_find_the_council(councils, q, expected):
    found = set(organisation_list(viewer=None, filters=OrganisationFilters(q=q)))

    assert found == {councils[name] for name in expected}


def test_the_organisations_page_finds_saint_helens(client, councils):
    html = client.get("/organisations/", {"q": "Saint Helens"}).content.decode()

    assert "St Helens Council" in html
    assert "Stockport" not in html


def test_spellings_are_word_by_word_and_stay_few():
    assert spellings("Saint Helens") == ["Saint Helens", "st Helens", "st. Helens"]
    assert spellings("Stockport") == ["Stockport"]
    assert len(spellings("st st st st st st and and")) == 12
