"""Issue 8 part 10: no raw "None" on public pages. The main public pages are rendered for a
visitor with records whose optional fields are all empty (no population, codes, region, dates,
purpose), and no page shows Python's ``None`` where a value is missing."""

import re

import pytest

from partnering.funding.models import ApplicationStatus
from partnering.funding.tests.factories import AwardFactory, FundingProgrammeFactory
from partnering.library.tests.factories import DocumentFactory
from partnering.organisations.models import Kind, Tier
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.tests.factories import make_partnership

# Python's None in the text of a page: a cell or value that is just "None", or "None" after a
# word, a colon, a bracket or a pound sign ("Population None", "(None)", "£None"). English
# "None registered" or "None: every split is in the core" starts its sentence and is fine.
NONE_IN_TEXT = re.compile(r">\s*None\s*<|[\w,:(£/-][ \t]*None\b")


@pytest.fixture
def sparse(db):
    """Records with every optional field empty."""
    council = OrganisationFactory(
        name="Emptyshire District Council", population=None, population_year=None, region="",
        gss_code=None, start_date=None,
    )  # fmt: skip
    body = OrganisationFactory(
        name="Bare Body Ltd", kind=Kind.COMPANY, tier="", gss_code=None, org_id=None,
        population=None, population_year=None, region="",
    )  # fmt: skip
    county = OrganisationFactory(
        name="Emptyshire County Council", kind=Kind.COUNTY, tier=Tier.COUNTY, population=None,
        population_year=None, region="", gss_code=None,
    )  # fmt: skip
    partnership = make_partnership(lead=council, members=[body], start_date=None)
    programme = FundingProgrammeFactory()
    award = AwardFactory(
        application__partnership=partnership,
        application__status=ApplicationStatus.AWARDED,
        application__round__programme=programme,
        is_published=True,
    )
    document = DocumentFactory(published=True, summary="")
    return {
        "council": council, "body": body, "county": county, "partnership": partnership,
        "programme": programme, "award": award, "document": document,
    }  # fmt: skip


def _pages(sparse) -> list[str]:
    award = sparse["award"]
    return [
        "/",
        "/organisations/",
        "/organisations/?q=Emptyshire",
        sparse["council"].get_absolute_url(),
        sparse["body"].get_absolute_url(),
        sparse["county"].get_absolute_url(),
        "/partnerships/",
        sparse["partnership"].get_absolute_url(),
        sparse["programme"].get_absolute_url(),
        award.round.get_absolute_url(),
        award.get_absolute_url(),
        award.application.get_absolute_url(),
        "/funding/awards/",
        "/funding/money/",
        "/funding/e-enablement/",
        "/funding/360giving/",
        "/frontdoor/",
        "/library/",
        sparse["document"].get_absolute_url(),
    ]


def test_public_pages_never_show_none_for_a_missing_value(client, sparse):
    shown = {}
    for url in _pages(sparse):
        response = client.get(url)
        assert response.status_code == 200, url
        found = NONE_IN_TEXT.findall(response.content.decode())
        if found:
            shown[url] = found
    assert shown == {}


def test_the_organisations_list_shows_a_missing_population_as_not_known(client, sparse):
    html = client.get("/organisations/", {"q": "Emptyshire District"}).content.decode()
    row = html.split("Emptyshire District Council</a>")[1].split("</tr>")[0]
    assert "None" not in row
    assert "not known" in row
