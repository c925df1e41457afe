"""The adviser profile page, /programme/advisers/<username>/edit/: staff change any adviser's
disciplines, sectors, regions, capacity and declared interests, an adviser their own; capacity
never falls below the partnerships they advise now; bad input shows a GOV.UK error summary and
saves nothing; every change leaves history with its actor and reason."""

import pytest
from django.urls import reverse

from partnering.core.errors import DomainError
from partnering.core.models import Role
from partnering.core.tests.factories import UserFactory
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.services import partnership_update
from partnering.partnerships.tests.factories import make_partnership
from partnering.programme.models import AdviserProfile, DeclaredInterest
from partnering.programme.services import (
    InterestSpec,
    adviser_profile_set,
    adviser_profile_update,
    interest_declare,
)

from .factories import staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return staff_user(username="p-staff")


@pytest.fixture
def adviser(staff):
    """An adviser with a profile (capacity 3) who advises two partnerships."""
    user = UserFactory(role=Role.ADVISER, username="p-adviser", first_name="Sam", last_name="Cole")
    adviser_profile_set(user=user, disciplines=["finance"], capacity=3, regions=["London"],
                        actor=staff)  # fmt: skip
    for name in ("Advised one", "Advised two"):
        p = make_partnership(lead=OrganisationFactory(region="North West"), name=name)
        partnership_update(partnership=p, data={"advisers": [user]}, actor=staff)
    return user


def _url(user):
    return reverse("programme:adviser-edit", args=[user.username])


def _form(**changes):
    form = {"disciplines": ["finance", "legal"], "sectors": ["public_public"],
            "regions": ["North West"], "capacity": "4"}  # fmt: skip
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


def _summary(response) -> str:
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and "govuk-error-summary" in page
    return page


def test_staff_change_a_profile_with_history(client, staff, adviser):
    client.force_login(staff)
    page = client.get(_url(adviser)).content.decode()
    assert "Sam Cole advises 2 partnerships now" in page
    assert 'value="North West"' in page  # the organisations' regions are offered
    response = client.post(_url(adviser), _form())
    assert response.status_code == 302 and response["Location"] == reverse("programme:adviser-list")
    profile = AdviserProfile.objects.get(user=adviser)
    assert profile.disciplines == ["finance", "legal"] and profile.sectors == ["public_public"]
    assert profile.regions == ["North West"] and profile.capacity == 4
    latest = profile.history.first()
    assert (
        latest.history_user == staff and latest.history_change_reason == "Adviser profile changed"
    )
    assert profile.history.count() == 2
    # Saving with nothing changed writes no history.
    client.post(_url(adviser), _form())
    assert profile.history.count() == 2
    # Staff see the history on the page.
    assert "Adviser profile changed" in client.get(_url(adviser)).content.decode()


def test_an_adviser_changes_their_own_profile_and_sees_no_history(client, adviser):
    client.force_login(adviser)
    home = client.get(reverse("programme:call-list")).content.decode()
    assert _url(adviser) in home
    page = client.get(_url(adviser)).content.decode()
    assert "Your adviser profile" in page and "Change history" not in page
    response = client.post(_url(adviser), _form(disciplines=["procurement"]))
    assert response.status_code == 302 and response["Location"] == _url(adviser)
    profile = AdviserProfile.objects.get(user=adviser)
    assert profile.disciplines == ["procurement"]
    assert profile.history.first().history_user == adviser


def test_an_adviser_without_a_profile_makes_one(client):
    user = UserFactory(role=Role.ADVISER, username="p-new")
    client.force_login(user)
    assert client.get(_url(user)).status_code == 200
    assert client.post(_url(user), _form(capacity="1", regions=None)).status_code == 302
    profile = AdviserProfile.objects.get(user=user)
    assert profile.capacity == 1
    assert profile.history.get().history_change_reason == "Adviser profile set"


@pytest.mark.parametrize("who", ["other_adviser", "partner", "staff_on_partner"])
def test_others_and_non_advisers_find_no_such_adviser(client, staff, adviser, who):
    partner = UserFactory(role=Role.PARTNER, username="p-partner")
    if who == "other_adviser":
        client.force_login(UserFactory(role=Role.ADVISER, username="p-other"))
        url = _url(adviser)
    elif who == "partner":
        client.force_login(partner)
        url = _url(adviser)
    else:
        client.force_login(staff)
        url = _url(partner)
    assert client.get(url).status_code == 404
    assert client.post(url, _form()).status_code == 404
    assert AdviserProfile.objects.get(user=adviser).capacity == 3
    assert not AdviserProfile.objects.filter(user=partner).exists()


def test_the_public_is_sent_to_sign_in(client, adviser):
    response = client.get(_url(adviser))
    assert response.status_code == 302 and "next=" in response["Location"]


def test_capacity_below_the_partnerships_advised_is_refused(client, staff, adviser):
    client.force_login(staff)
    page = _summary(client.post(_url(adviser), _form(capacity="1")))
    message = (
        "Sam Cole advises 2 partnerships now: capacity must be 2 or more, or ask taskforce "
        "staff to move a partnership to another adviser first"
    )
    assert message in page and 'href="#id_capacity"' in page
    profile = AdviserProfile.objects.get(user=adviser)
    assert profile.capacity == 3 and profile.disciplines == ["finance"]
    assert profile.history.count() == 1
    # Exactly the number advised is allowed.
    assert client.post(_url(adviser), _form(capacity="2")).status_code == 302


def test_the_service_refuses_capacity_below_assignments_with_its_code(staff, adviser):
    with pytest.raises(DomainError) as exc:
        adviser_profile_update(user=adviser, disciplines=["finance"], sectors=[], regions=[],
                               capacity=0, actor=adviser)  # fmt: skip
    assert exc.value.code == "programme.over_capacity" and exc.value.field == "capacity"
    with pytest.raises(DomainError) as exc:
        adviser_profile_set(user=adviser, disciplines=["finance"], capacity=1, actor=staff)
    assert exc.value.code == "programme.over_capacity"
    assert AdviserProfile.objects.get(user=adviser).capacity == 3


def test_only_staff_and_the_adviser_change_a_profile_through_the_service(adviser):
    other = UserFactory(role=Role.ADVISER, username="p-intruder")
    with pytest.raises(DomainError) as exc:
        adviser_profile_update(user=adviser, disciplines=["legal"], sectors=[], regions=[],
                               capacity=5, actor=other)  # fmt: skip
    assert exc.value.code == "programme.not_your_profile"
    assert AdviserProfile.objects.get(user=adviser).disciplines == ["finance"]


@pytest.mark.parametrize(
    ("change", "message", "field"),
    [
        ({"disciplines": None}, "Select at least one discipline", "disciplines"),
        ({"disciplines": ["astrology"]}, "Select disciplines from the list", "disciplines"),
        ({"sectors": ["feudal"]}, "Select kinds of partnership from the list", "sectors"),
        ({"regions": ["Atlantis"]}, "Select regions from the list", "regions"),
        ({"capacity": ""}, "Enter a capacity", "capacity"),
        ({"capacity": "-1"}, "Capacity must be 0 or more", "capacity"),
        ({"capacity": "51"}, "Capacity must be 50 or fewer", "capacity"),
        ({"capacity": "three"}, "Capacity must be a whole number, like 3", "capacity"),
        ({"capacity": "NaN"}, "Capacity must be a whole number, like 3", "capacity"),
        ({"interest_description": "Former employer"}, "Choose the organisation of the interest",
         "interest_organisation"),
        ({"interest_organisation": "999999"}, "Choose an organisation from the list",
         "interest_organisation"),
    ],
)  # fmt: skip
def test_bad_input_shows_an_error_summary_and_saves_nothing(
    client, staff, adviser, change, message, field
):
    client.force_login(staff)
    page = _summary(client.post(_url(adviser), _form(**change)))
    assert message in page and f'href="#id_{field}' in page
    profile = AdviserProfile.objects.get(user=adviser)
    assert profile.capacity == 3 and profile.history.count() == 1
    assert not DeclaredInterest.objects.exists()


def test_an_interest_without_its_description_is_refused(client, staff, adviser):
    org = OrganisationFactory(name="Wyre Forest District Council")
    client.force_login(staff)
    page = _summary(client.post(_url(adviser), _form(interest_organisation=str(org.pk))))
    assert "Enter what the interest is" in page
    page = _summary(client.post(_url(adviser), _form(interest_organisation=str(org.pk),
                                                     interest_description="x" * 256)))  # fmt: skip
    assert "255 characters or fewer" in page
    assert not DeclaredInterest.objects.exists()


def test_declare_and_withdraw_interests_with_history(client, staff, adviser):
    org = OrganisationFactory(name="Wyre Forest District Council")
    kept = interest_declare(profile=adviser.adviser_profile, organisation=OrganisationFactory(),
                            description="Councillor's spouse", actor=staff)  # fmt: skip
    client.force_login(adviser)
    response = client.post(_url(adviser), _form(interest_organisation=str(org.pk),
                                                interest_description="Employed 1996 to 2001"))  # fmt: skip
    assert response.status_code == 302
    added = DeclaredInterest.objects.get(organisation=org)
    assert added.description == "Employed 1996 to 2001"
    assert added.history.get().history_user == adviser
    page = client.get(_url(adviser)).content.decode()
    assert "Wyre Forest District Council: Employed 1996 to 2001" in page
    response = client.post(_url(adviser), _form(remove_interests=[str(added.pk)]))
    assert response.status_code == 302
    assert list(DeclaredInterest.objects.all()) == [kept]
    gone = DeclaredInterest.history.filter(id=added.pk).order_by("history_date").last()
    assert gone.history_type == "-" and gone.history_change_reason == "Interest withdrawn"
    assert gone.history_user == adviser


def test_another_profiles_interest_cannot_be_withdrawn(staff, adviser):
    other = UserFactory(role=Role.ADVISER, username="p-else")
    theirs = interest_declare(
        profile=adviser_profile_set(user=other, disciplines=["legal"], capacity=1, actor=staff),
        organisation=OrganisationFactory(), description="Former employer", actor=staff,
    )  # fmt: skip
    adviser_profile_update(user=adviser, disciplines=["finance"], sectors=[], regions=[],
                           capacity=3, remove_interests=[theirs.pk], actor=adviser)  # fmt: skip
    assert DeclaredInterest.objects.filter(pk=theirs.pk).exists()


def test_an_added_interest_through_the_service_is_checked(staff, adviser):
    with pytest.raises(DomainError) as exc:
        adviser_profile_update(
            user=adviser, disciplines=["finance"], sectors=[], regions=[], capacity=3,
            add_interests=[InterestSpec(OrganisationFactory(), "  ")], actor=staff,
        )  # fmt: skip
    assert exc.value.field == "description"
    assert not DeclaredInterest.objects.exists()


def test_the_adviser_list_links_each_adviser_to_their_profile(client, staff, adviser):
    client.force_login(staff)
    page = client.get(reverse("programme:adviser-list")).content.decode()
    assert f'href="{_url(adviser)}"' in page
