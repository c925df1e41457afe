"""The "Partnerships like this one" section the programme room adds to a partnership's page:
the five most similar, best first, each with why in one line; only partnerships the viewer may
see (an unpublished one never reaches the public or another organisation's member); a fixed
number of queries whatever the number of partnerships. The section reads the lists worked out
in advance (``services.similar_lists_refresh``), queued when a change commits: the fixtures
run the commit callbacks, as a real commit would."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnering.core.models import Role
from partnering.core.tests.factories import UserFactory
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.models import Partnership
from partnering.partnerships.services import membership_add, partnership_update
from partnering.partnerships.tests.factories import make_partnership
from partnering.programme import panels
from partnering.programme.selectors import partnerships_like, partnerships_like_precomputed
from partnering.programme.services import similar_lists_refresh

from .factories import PeerOfferFactory, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def known(django_capture_on_commit_callbacks):
    """A county and two districts, its twin (another county, two more districts, the same words
    in its purpose), an unpublished near-twin, and a company's leisure partnership."""
    with django_capture_on_commit_callbacks(execute=True):
        return _known()


def _known():
    county = OrganisationFactory(kind="county", region="West Midlands")
    districts = [OrganisationFactory(kind="district", region="West Midlands") for _ in range(6)]
    mine = make_partnership(
        lead=county, members=districts[:2], name="Mine", purpose="A joint e-government strategy"
    )
    twin = make_partnership(
        lead=OrganisationFactory(kind="county", region="West Midlands"), members=districts[2:4],
        name="Twin", purpose="E-government for all",
    )  # fmt: skip
    hidden = make_partnership(
        lead=OrganisationFactory(kind="county", region="West Midlands"), members=districts[4:],
        name="Hidden twin", purpose="A joint e-government strategy", is_published=False,
    )  # fmt: skip
    leisure = make_partnership(
        lead=OrganisationFactory(kind="company"), name="Leisure", purpose="Leisure centres"
    )
    return mine, twin, hidden, leisure


def _section(client, partnership) -> str:
    response = client.get(reverse("partnerships:partnership-detail", args=[partnership.slug]))
    assert response.status_code == 200
    page = response.content.decode()
    match = re.search(r'<ol class="govuk-list govuk-list--number" id="similar-partnerships">'
                      r"(.*?)</ol>", page, re.S)  # fmt: skip
    assert match, "no similar partnerships section"
    return match.group(1)


def _names(section: str) -> list[str]:
    return re.findall(r'<a class="govuk-link" href="[^"]+">([^<]+)</a>', section)


def test_the_section_orders_by_similarity_and_gives_the_reason_in_one_line(client, known):
    mine, twin, *_ = known
    client.force_login(staff_user())
    section = _section(client, mine)
    assert _names(section) == ["Hidden twin", "Twin", "Leisure"]
    assert (
        f'<a class="govuk-link" href="{twin.get_absolute_url()}">Twin</a>: The same mix of member '
        "tiers (county, district); a similar size (3 members; yours has 3)</li>"
    ) in section
    link = reverse("programme:partnerships-like", args=[mine.slug])
    assert f'href="{link}"' in client.get(mine.get_absolute_url()).content.decode()


@pytest.mark.parametrize("who", ["public", "partner_other", "adviser", "partner_of_hidden"])
def test_an_unpublished_partnership_shows_only_to_those_who_may_see_it(client, known, who):
    mine, _, hidden, _ = known
    if who == "partner_other":
        client.force_login(UserFactory(role=Role.PARTNER, organisations=[OrganisationFactory()]))
    elif who == "adviser":
        client.force_login(UserFactory(role=Role.ADVISER))
    elif who == "partner_of_hidden":
        client.force_login(UserFactory(role=Role.PARTNER, organisations=[hidden.lead_organisation]))
    names = _names(_section(client, mine))
    if who in ("adviser", "partner_of_hidden"):
        assert names == ["Hidden twin", "Twin", "Leisure"]
    else:
        assert names == ["Twin", "Leisure"]
        page = client.get(mine.get_absolute_url()).content.decode()
        assert "Hidden twin" not in page and hidden.slug not in page


def test_the_public_sees_no_names_of_contacts(client, known):
    mine, twin, *_ = known
    offer = PeerOfferFactory(org=twin.lead_organisation)
    person = offer.person.get_full_name() or offer.person.username
    page = client.get(reverse("programme:partnerships-like", args=[mine.slug])).content.decode()
    assert "Twin" in page and person not in page
    client.force_login(UserFactory())
    page = client.get(reverse("programme:partnerships-like", args=[mine.slug])).content.decode()
    assert person in page


def test_a_partnership_alone_says_there_is_nothing_to_compare(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        alone = make_partnership(lead=OrganisationFactory(), name="Alone")
    page = client.get(alone.get_absolute_url()).content.decode()
    assert "Partnerships like this one" in page
    assert "No other partnership to compare with." in page


def test_the_section_shows_what_the_full_comparison_shows(client, known):
    """The lists worked out in advance give the five and the reasons that comparing with every
    partnership the viewer may see gives (the full page's ``partnerships_like``)."""
    mine, *_ = known
    for i in range(6):  # more than five to choose from
        make_partnership(lead=OrganisationFactory(kind="county", region="West Midlands"),
                         members=[OrganisationFactory(kind="district")],
                         purpose=f"Joint e-government project {i}", is_published=i % 2 == 0)  # fmt: skip
    similar_lists_refresh()
    for user in (AnonymousUser(), staff_user()):
        want = [(s.partnership.pk, s.reason) for s in partnerships_like(user, mine)]
        got = [(s.partnership.pk, s.reason) for s in partnerships_like_precomputed(user, mine)]
        assert len(got) == 5 and got == want


def test_a_new_partnership_links_to_the_full_page_until_its_list_is_worked_out(client, known):
    new = make_partnership(lead=OrganisationFactory(kind="county"), name="Brand new")
    page = client.get(new.get_absolute_url()).content.decode()
    assert 'id="similar-partnerships"' not in page
    assert "still being worked out" in page
    assert f'href="{reverse("programme:partnerships-like", args=[new.slug])}"' in page


def test_the_list_is_worked_out_again_when_a_partnership_changes(
    client, known, django_capture_on_commit_callbacks
):
    """Twin turns to leisure centres and Leisure becomes a county-and-districts e-government
    partnership (purposes through the partnership's service, members through the membership
    service): Leisure moves ahead of Twin on Mine's list, with its new reasons. A stale list
    fails both."""
    mine, twin, _, leisure = known
    client.force_login(staff_user())
    assert _names(_section(client, mine)) == ["Hidden twin", "Twin", "Leisure"]
    with django_capture_on_commit_callbacks(execute=True):
        partnership_update(partnership=leisure, actor=None, data={
            "purpose": "A joint e-government strategy"})  # fmt: skip
        partnership_update(partnership=twin, actor=None, data={"purpose": "Leisure centres"})
        membership_add(partnership=leisure, organisation=OrganisationFactory(kind="county",
                       region="West Midlands"), joined_on=leisure.start_date, role="partner", actor=None)  # fmt: skip
        for _ in range(2):
            membership_add(partnership=leisure, organisation=OrganisationFactory(
                kind="district", region="West Midlands"), joined_on=leisure.start_date, role="partner", actor=None)  # fmt: skip
    section = _section(client, mine)
    assert _names(section) == ["Hidden twin", "Leisure", "Twin"]
    line = re.search(r">Leisure</a>: ([^<]+)</li>", section).group(1)
    assert line == ("Members of the same tiers (county, district); purposes that share the words "
                    "‘e-government’, ‘joint’, ‘strategy’")  # fmt: skip


def test_the_section_and_the_page_run_a_fixed_number_of_queries(rf, client):
    staff = staff_user()
    client.force_login(staff)
    request = rf.get("/")
    request.user = staff
    county = OrganisationFactory(kind="county", region="West Midlands")
    mine = make_partnership(lead=county, members=[OrganisationFactory(kind="district")],
                            purpose="Joint e-government")  # fmt: skip

    def grow_to(n):
        while Partnership.objects.count() < n:
            i = Partnership.objects.count()
            make_partnership(lead=OrganisationFactory(kind="county", region="West Midlands"),
                             purpose=f"Joint e-government project {i}")  # fmt: skip
        similar_lists_refresh()
        with CaptureQueriesContext(connection) as section:
            context = panels.similar_section(request, mine)
        with CaptureQueriesContext(connection) as page:
            assert client.get(mine.get_absolute_url()).status_code == 200
        return len(context["similar"]), len(section), len(page)

    few, many = grow_to(10), grow_to(200)
    assert few[0] == many[0] == 5
    assert few[1] == many[1] == 2
    assert few[2] == many[2]
