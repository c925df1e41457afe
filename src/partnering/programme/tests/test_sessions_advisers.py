"""Mentoring sessions (page and API) and adviser profiles through the API: the rules and the
bad input (422 with the field, nothing saved)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from partnering.core.models import Role
from partnering.core.services import api_key_create
from partnering.core.tests.factories import UserFactory
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.services import partnership_update
from partnering.partnerships.tests.factories import make_partnership
from partnering.programme.models import AdviserProfile, DeclaredInterest, MentoringSession

from .factories import staff_user

pytestmark = pytest.mark.django_db
API = "/api/v1/programme"


def _bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {api_key_create(name='t', actor=user)[1]}"}


@pytest.fixture
def advised():
    staff = staff_user(username="s-staff")
    adviser = UserFactory(
        role=Role.ADVISER, username="s-adviser", first_name="Pat", last_name="Reid"
    )
    p = make_partnership(lead=OrganisationFactory(), name="Advised partnership")
    partnership_update(partnership=p, data={"advisers": [adviser]}, actor=staff)
    return staff, adviser, p


def test_an_adviser_records_a_session_on_the_page_and_a_future_date_is_refused(client, advised):
    _, adviser, p = advised
    client.force_login(adviser)
    url = reverse("programme:sessions", args=[p.slug])
    future = timezone.localdate() + timedelta(days=3)
    r = client.post(url, {"held_on_day": future.day, "held_on_month": future.month,
                          "held_on_year": future.year, "attendees": "Board"})  # fmt: skip
    assert r.status_code == 200 and b"There is a problem" in r.content
    r = client.post(url, {"held_on_day": "30", "held_on_month": "2", "held_on_year": "2003"})
    assert r.status_code == 200 and b"must be a real date" in r.content
    assert not MentoringSession.objects.exists()
    r = client.post(url, {"held_on_day": "3", "held_on_month": "6", "held_on_year": "2003",
                          "attendees": "Board officers", "notes": "Scoping"})  # fmt: skip
    assert r.status_code == 302
    assert MentoringSession.objects.get().adviser == adviser
    assert b"Board officers" in client.get(url).content


def test_sessions_api(client, advised):
    _, adviser, p = advised
    url = f"{API}/partnerships/{p.slug}/sessions"
    future = (timezone.localdate() + timedelta(days=1)).isoformat()
    bad = client.post(url, {"held_on": future}, content_type="application/json", **_bearer(adviser))
    assert bad.status_code == 422 and bad.json()["field"] == "held_on"
    bad = client.post(url, {"held_on": "2003-02-30"}, content_type="application/json",
                      **_bearer(adviser))  # fmt: skip
    assert bad.status_code == 422
    assert not MentoringSession.objects.exists()
    ok = client.post(url, {"held_on": "2003-06-03", "notes": "Scoping"},
                     content_type="application/json", **_bearer(adviser))  # fmt: skip
    assert ok.status_code == 201 and ok.json()["adviser"] == "s-adviser"
    listed = client.get(url, **_bearer(adviser)).json()
    assert [s["notes"] for s in listed] == ["Scoping"]


def test_adviser_profile_api(client, advised):
    staff, adviser, _ = advised
    url = f"{API}/advisers/{adviser.username}"
    for body in ({"disciplines": ["astrology"], "capacity": 2}, {"disciplines": ["legal"], "capacity": -1},
                 {"disciplines": ["legal"], "capacity": 10**9}, {"disciplines": ["legal"]},
                 {"disciplines": ["legal"], "capacity": "NaN"}):  # fmt: skip
        r = client.put(url, body, content_type="application/json", **_bearer(staff))
        assert r.status_code == 422, body
    assert not AdviserProfile.objects.exists()
    r = client.put(url, {"disciplines": ["legal", "finance"], "capacity": 3, "regions": ["London"]},
                   content_type="application/json", **_bearer(staff))  # fmt: skip
    assert r.status_code == 200
    assert r.json()["advising"] == 1 and r.json()["disciplines"] == ["legal", "finance"]
    assert client.get(url, **_bearer(adviser)).json()["capacity"] == 3
    other = UserFactory(role=Role.ADVISER)
    assert client.get(url, **_bearer(other)).status_code == 404
    assert client.get(f"{API}/advisers", **_bearer(other)).json() == []
    org = OrganisationFactory()
    r = client.post(f"{url}/interests", {"organisation": "nowhere", "description": "x"},
                    content_type="application/json", **_bearer(adviser))  # fmt: skip
    assert r.status_code == 422 and r.json()["field"] == "organisation"
    r = client.post(f"{url}/interests", {"organisation": org.slug, "description": "Former employer"},
                    content_type="application/json", **_bearer(adviser))  # fmt: skip
    assert r.status_code == 201
    assert DeclaredInterest.objects.get().organisation == org


def test_setting_a_profile_for_someone_who_is_not_an_adviser_is_404(client):
    staff = staff_user()
    partner = UserFactory(role=Role.PARTNER, username="not-an-adviser")
    r = client.put(f"{API}/advisers/{partner.username}", {"disciplines": ["legal"], "capacity": 1},
                   content_type="application/json", **_bearer(staff))  # fmt: skip
    assert r.status_code == 404
