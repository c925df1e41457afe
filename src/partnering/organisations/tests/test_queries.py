"""Query counts of the organisations pages and API do not grow with the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnering.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def fetch(client, url: str, params: dict[str, str] | None = None):
    """GET and read the whole body (a streamed CSV queries while it is read)."""
    response = client.get(url, params or {})
    if response.streaming:
        response.body = b"".join(response.streaming_content)
    assert response.status_code == 200
    return response


def queries(client, url: str, **params) -> int:
    with CaptureQueriesContext(connection) as context:
        fetch(client, url, params)
    return len(context.captured_queries)


def organisations_in_counties(n: int) -> None:
    """``n`` districts, each in its own county (so every row has a parent to show)."""
    for _ in range(n):
        OrganisationFactory(parent_county=OrganisationFactory(county=True))


@pytest.mark.parametrize("role", ["public", "partner", "staff"])
@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/organisations/", {}),
        ("/organisations/", {"tier": "district", "q": "Testshire", "status": "current"}),
        ("/organisations/download.csv", {}),
        ("/api/v1/organisations/", {}),
        ("/api/v1/organisations/", {"tier": "district", "q": "Testshire"}),
    ],
    ids=["list", "filtered-list", "csv", "api-list", "api-filtered-list"],
)
def test_list_query_count_does_not_grow(client_for, django_assert_num_queries, role, url, params):
    client = client_for(role)
    organisations_in_counties(1)
    few = queries(client, url, **params)

    organisations_in_counties(29)  # 60 organisations: more than a page of the API (50)
    with django_assert_num_queries(few):
        fetch(client, url, params)
    assert few <= 8


def test_list_page_shows_the_parents_it_queried(client):
    organisations_in_counties(3)

    html = client.get("/organisations/", {"tier": "district"}).content.decode()

    assert html.count('<br><span class="govuk-body-s">in Testshire') == 3


@pytest.mark.parametrize("role", ["public", "staff"])
def test_detail_query_count_does_not_grow_with_districts(
    client_for, django_assert_num_queries, role
):
    client = client_for(role)
    county = OrganisationFactory(county=True)
    successor = OrganisationFactory(unitary=True)
    county.replaced_by.add(successor)
    OrganisationFactory(parent_county=county)
    few = queries(client, county.get_absolute_url())

    for _ in range(30):
        district = OrganisationFactory(parent_county=county, abolished=True)
        district.replaced_by.add(successor)
        predecessor = OrganisationFactory(abolished=True)
        predecessor.replaced_by.add(county)
    with django_assert_num_queries(few):
        response = client.get(county.get_absolute_url())
    assert len(response.context["districts"]) == 31
    assert len(response.context["predecessors"]) == 30


def test_api_detail_query_count_does_not_grow_with_districts(client, django_assert_num_queries):
    county = OrganisationFactory(county=True)
    OrganisationFactory(parent_county=county)
    url = f"/api/v1/organisations/{county.slug}"
    few = queries(client, url)

    for _ in range(30):
        OrganisationFactory(parent_county=county).replaced_by.add(county)
    with django_assert_num_queries(few):
        body = client.get(url).json()
    assert len(body["districts"]) == 31


def test_history_page_query_count_does_not_grow(client_for, django_assert_num_queries, staff_user):
    from partnering.organisations.services import organisation_update

    organisation = OrganisationFactory(population=1)
    client = client_for("staff")
    url = f"/organisations/{organisation.slug}/history/"
    organisation_update(organisation=organisation, population=2, actor=staff_user)
    few = queries(client, url)

    for n in range(3, 40):
        organisation_update(
            organisation=organisation,
            population=n,
            parent_county=OrganisationFactory(county=True),
            actor=staff_user,
        )
    with django_assert_num_queries(few + 1):  # +1: the counties named in the changes
        client.get(url)
