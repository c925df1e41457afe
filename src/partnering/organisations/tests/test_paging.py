"""``core.paging.paginate``: page selection and query strings for the GOV.UK pagination component."""

import pytest
from django.test import RequestFactory

from partnering.core.paging import paginate
from partnering.organisations.models import Organisation
from partnering.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisations():
    OrganisationFactory.create_batch(23)
    return Organisation.objects.order_by("pk")


def page(query: str, queryset, per_page: int = 5):
    return paginate(RequestFactory().get(f"/organisations/?{query}"), queryset, per_page=per_page)


def test_first_page_by_default(organisations):
    context = page("", organisations)

    assert context["page_obj"].number == 1
    assert list(context["page_obj"]) == list(organisations[:5])
    assert context["page_obj"].paginator.count == 23
    assert context["page_obj"].paginator.num_pages == 5


def test_chosen_page(organisations):
    context = page("page=5", organisations)

    assert context["page_obj"].number == 5
    assert list(context["page_obj"]) == list(organisations[20:])


@pytest.mark.parametrize(
    ("value", "number"), [("abc", 1), ("0", 5), ("-3", 5), ("999", 5), ("", 1)]
)
def test_bad_page_numbers_fall_back_to_a_real_page(organisations, value, number):
    assert page(f"page={value}", organisations)["page_obj"].number == number


def test_querystring_keeps_filters_and_drops_the_page(organisations):
    context = page("q=Test&kind=district&kind=county&page=2", organisations)

    assert context["querystring"] == "q=Test&kind=district&kind=county"
    assert context["querystring_without_page"] == "q=Test&kind=district&kind=county&"


def test_querystring_is_empty_without_filters(organisations):
    context = page("page=2", organisations)

    assert context["querystring"] == ""
    assert context["querystring_without_page"] == ""


def test_querystring_is_url_encoded(organisations):
    context = page("q=Hereford+%26+Worcester", organisations)

    assert context["querystring"] == "q=Hereford+%26+Worcester"


def test_elided_page_range(organisations):
    OrganisationFactory.create_batch(80)
    context = page("page=10", Organisation.objects.order_by("pk"), per_page=5)

    assert list(context["page_range"]) == [1, "…", 8, 9, 10, 11, 12, "…", 21]


def test_empty_queryset_has_one_empty_page():
    context = page("", Organisation.objects.none())

    assert context["page_obj"].number == 1
    assert list(context["page_obj"]) == []
