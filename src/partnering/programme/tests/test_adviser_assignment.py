"""Advisers are the programme room's: staff assign one by hand on the partnership's advisers page
(capacity and conflicts of interest checked, as the matching checks them), set what a pathfinder
needs from its mentors, and the matching's input carries those needs and the advisers' past work
with similar partnerships. The advisers list is paged."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnering.core.models import Role
from partnering.core.services import api_key_create
from partnering.core.tests.factories import UserFactory
from partnering.organisations.models import Kind, Sector
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.models import Stage
from partnering.partnerships.services import partnership_update, stage_move
from partnering.partnerships.tests.factories import make_partnership
from partnering.programme.models import AdviserAssignment, AdviserProfile, MentoringNeeds
from partnering.programme.services import (
    advice_record,
    adviser_profile_set,
    interest_declare,
    match_confirm,
    match_input,
    match_run,
    mentoring_needs_set,
)

from .factories import staff_user

pytestmark = pytest.mark.django_db
API = "/api/v1/programme"


def _bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {api_key_create(name='t', actor=user)[1]}"}


def _adviser(staff, username, *, capacity=2, disciplines=("finance",), first="Sam", last="Cole"):
    user = UserFactory(role=Role.ADVISER, username=username, first_name=first, last_name=last)
    adviser_profile_set(user=user, disciplines=list(disciplines), capacity=capacity, actor=staff)
    return user


@pytest.fixture
def world():
    staff = staff_user(username="as-staff")
    lead = OrganisationFactory(name="Wyre Forest District Council")
    p = make_partnership(lead=lead, name="Wyre Forest Partnership", is_pathfinder=True,
                         pathfinder_theme="E-government")  # fmt: skip
    return staff, lead, p


# --- the assign page -----------------------------------------------------------------------


def test_staff_assign_an_adviser_and_remove_one(client, world):
    staff, _, p = world
    sam = _adviser(staff, "as-sam")
    client.force_login(staff)
    url = reverse("programme:partnership-advisers", args=[p.slug])
    page = client.get(url).content.decode()
    assert "Sam Cole (advising 0 of 2)" in page and "No adviser assigned" in page
    r = client.post(url, {"adviser": sam.pk})
    assert r.status_code == 302 and list(p.advisers.all()) == [sam]
    page = client.get(url).content.decode()
    assert "Sam Cole now advises Wyre Forest Partnership" in page
    r = client.post(url, {"remove": sam.username})
    assert r.status_code == 302 and not p.advisers.exists()


def test_every_change_to_who_advises_is_recorded_with_who_and_why(client, world):
    staff, _, p = world
    sam = _adviser(staff, "as-sam")
    client.force_login(staff)
    url = reverse("programme:partnership-advisers", args=[p.slug])
    client.post(url, {"adviser": sam.pk})
    client.post(url, {"remove": sam.username})
    run = match_run(actor=staff)
    match_confirm(run=run, actor=staff)
    rows = [(c.adviser, c.change, c.changed_by, c.reason)
            for c in AdviserAssignment.objects.filter(partnership=p).order_by("pk")]  # fmt: skip
    assert rows == [
        (sam, "assigned", staff, "Assigned by hand (Sam Cole)"),
        (sam, "removed", staff, "Removed by hand (Sam Cole)"),
        (sam, "assigned", staff, f"Mentors from matching run {run.number}"),
    ]
    page = client.get(url).content.decode()
    assert "Changes to its advisers" in page and "Removed by hand (Sam Cole)" in page
    # confirming the same advisers again changes nothing, so records nothing
    match_confirm(run=match_run(actor=staff), actor=staff)
    assert AdviserAssignment.objects.filter(partnership=p).count() == 3


def test_an_adviser_at_capacity_is_refused_with_an_error_summary(client, world):
    staff, _, p = world
    sam = _adviser(staff, "as-sam", capacity=1)
    other = make_partnership(lead=OrganisationFactory())
    partnership_update(partnership=other, data={"advisers": [sam]}, actor=staff)
    client.force_login(staff)
    r = client.post(reverse("programme:partnership-advisers", args=[p.slug]), {"adviser": sam.pk})
    page = r.content.decode()
    assert r.status_code == 200 and "There is a problem" in page
    assert "Sam Cole advises 1 partnership, their capacity" in page
    assert 'href="#id_adviser"' in page
    assert not p.advisers.exists()


def test_a_conflicted_adviser_is_refused(client, world):
    staff, lead, p = world
    sam = _adviser(staff, "as-sam")
    interest_declare(profile=sam.adviser_profile, organisation=lead,
                     description="Head of legal services to 2001", actor=staff)  # fmt: skip
    client.force_login(staff)
    r = client.post(reverse("programme:partnership-advisers", args=[p.slug]), {"adviser": sam.pk})
    page = r.content.decode()
    assert r.status_code == 200 and "There is a problem" in page
    assert "has declared an interest in Wyre Forest District Council" in page
    assert not p.advisers.exists()


def test_only_advisers_with_a_profile_are_offered(client, world):
    staff, _, p = world
    bare = UserFactory(role=Role.ADVISER, username="as-bare")
    client.force_login(staff)
    url = reverse("programme:partnership-advisers", args=[p.slug])
    assert "as-bare" not in client.get(url).content.decode()
    r = client.post(url, {"adviser": bare.pk})
    assert r.status_code == 200 and "Choose an adviser from the list" in r.content.decode()
    r = client.post(url, {})
    assert "Choose the adviser to assign" in r.content.decode()
    assert not p.advisers.exists()


def test_nobody_but_staff_assigns_and_never_on_a_closed_partnership(client, world):
    staff, lead, p = world
    sam = _adviser(staff, "as-sam")
    url = reverse("programme:partnership-advisers", args=[p.slug])
    for user in (sam, UserFactory(role=Role.PARTNER, organisations=[lead])):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, {"adviser": sam.pk}).status_code == 403
    stage_move(partnership=p, to_stage=Stage.CLOSED, reason="Wound up", actor=staff)
    client.force_login(staff)
    assert client.get(url).status_code == 200  # reading is never closed
    assert "Assign the adviser" not in client.get(url).content.decode()
    assert client.post(url, {"adviser": sam.pk}).status_code == 403
    assert not p.advisers.exists()


def test_the_partnership_page_points_staff_to_the_programme_pages(client, world):
    staff, lead, p = world
    client.force_login(staff)
    page = client.get(p.get_absolute_url()).content.decode()
    assert "Advisers and mentoring" in page
    assert reverse("programme:partnership-advisers", args=[p.slug]) in page
    client.force_login(UserFactory(role=Role.PARTNER, organisations=[lead]))
    assert "Advisers and mentoring" not in client.get(p.get_absolute_url()).content.decode()


def test_assigning_through_the_api(client, world):
    staff, lead, p = world
    _adviser(staff, "as-sam", capacity=1)
    lee = _adviser(staff, "as-lee", first="Lee", last="Barnes")
    interest_declare(profile=lee.adviser_profile, organisation=lead, description="Former employer",
                     actor=staff)  # fmt: skip
    url = f"{API}/partnerships/{p.slug}/advisers"
    for body, code in (({"adviser": "as-lee"}, "programme.adviser_conflicted"),
                       ({"adviser": "nobody"}, "programme.unknown_adviser")):  # fmt: skip
        r = client.post(url, body, content_type="application/json", **_bearer(staff))
        assert r.status_code == 422 and r.json()["code"] == code and r.json()["field"] == "adviser"
    r = client.post(url, {"adviser": "as-sam"}, content_type="application/json", **_bearer(staff))
    assert r.status_code == 201
    assert r.json() == [{"username": "as-sam", "name": "Sam Cole", "disciplines": ["finance"],
                         "advising": 1, "capacity": 1}]  # fmt: skip
    again = client.post(url, {"adviser": "as-sam"}, content_type="application/json",
                        **_bearer(staff))  # fmt: skip
    assert again.status_code == 422 and again.json()["code"] == "programme.adviser_assigned"
    q = make_partnership(lead=OrganisationFactory())
    r = client.post(f"{API}/partnerships/{q.slug}/advisers", {"adviser": "as-sam"},
                    content_type="application/json", **_bearer(staff))  # fmt: skip
    assert r.status_code == 422 and r.json()["code"] == "programme.over_capacity"
    assert not q.advisers.exists()
    r = client.delete(f"{url}/as-sam", **_bearer(staff))
    assert r.status_code == 200 and r.json() == [] and not p.advisers.exists()
    assert client.delete(f"{url}/as-sam", **_bearer(staff)).status_code == 422


# --- what a pathfinder needs from its mentors --------------------------------------------------


def test_staff_set_the_mentors_and_disciplines_a_pathfinder_needs(client, world):
    staff, _, p = world
    client.force_login(staff)
    url = reverse("programme:mentoring-needs", args=[p.slug])
    for mentors, message in (("0", "must be 1 or more"), ("6", "must be 5 or fewer"),
                             ("two", "must be a whole number")):  # fmt: skip
        r = client.post(url, {"mentors": mentors, "disciplines": ["legal"]})
        assert r.status_code == 200 and message in r.content.decode()
        assert "There is a problem" in r.content.decode()
    assert not MentoringNeeds.objects.exists()
    r = client.post(url, {"mentors": "2", "disciplines": ["legal", "finance"]})
    assert r.status_code == 302
    needs = MentoringNeeds.objects.get(partnership=p)
    assert (needs.mentors, needs.disciplines) == (2, ["finance", "legal"])
    assert needs.history.first().history_user == staff
    page = client.get(reverse("programme:partnership-advisers", args=[p.slug])).content.decode()
    assert "Finance, Legal" in page


def test_mentoring_needs_through_the_api(client, world):
    staff, _, p = world
    url = f"{API}/partnerships/{p.slug}/mentoring-needs"
    assert client.get(url, **_bearer(staff)).json() == {
        "partnership": p.slug, "mentors": 1, "disciplines": [], "set_by_staff": False
    }  # fmt: skip
    for body in ({"mentors": 0}, {"mentors": 6}, {"mentors": 2, "disciplines": ["astrology"]}):
        r = client.put(url, body, content_type="application/json", **_bearer(staff))
        assert r.status_code == 422, body
        assert next(iter(body)) in r.json()["field"] or "disciplines" in r.json()["field"], r.json()
    assert not MentoringNeeds.objects.exists()
    r = client.put(url, {"mentors": 2, "disciplines": ["legal"]}, content_type="application/json",
                   **_bearer(staff))  # fmt: skip
    assert r.status_code == 200 and r.json()["set_by_staff"] is True
    assert match_input()["partnerships"] == [{"id": p.slug, "requires": ["legal"], "mentors": 2}]


def test_more_mentors_changes_the_proposal(world):
    staff, _, p = world
    _adviser(staff, "as-sam"), _adviser(staff, "as-lee", first="Lee", last="Barnes")
    before = match_run(actor=staff)
    assert [a["partnership"] for a in before.result["assignments"]] == [p.slug]
    mentoring_needs_set(partnership=p, mentors=2, disciplines=[], actor=staff)
    after = match_run(actor=staff)
    assert after.status == "optimal"
    assert sorted(a["adviser"] for a in after.result["assignments"]) == ["as-lee", "as-sam"]


def test_required_disciplines_change_the_proposal(world):
    staff, _, p = world
    _adviser(staff, "as-sam", disciplines=["finance"], capacity=1)
    _adviser(staff, "as-lee", disciplines=["legal"], capacity=1, first="Lee", last="Barnes")
    mentoring_needs_set(partnership=p, mentors=1, disciplines=["finance"], actor=staff)
    assert [a["adviser"] for a in match_run(actor=staff).result["assignments"]] == ["as-sam"]
    mentoring_needs_set(partnership=p, mentors=1, disciplines=["legal"], actor=staff)
    assert [a["adviser"] for a in match_run(actor=staff).result["assignments"]] == ["as-lee"]
    mentoring_needs_set(partnership=p, mentors=1, disciplines=["finance", "legal"], actor=staff)
    run = match_run(actor=staff)
    assert run.status == "infeasible" and run.result["unserved"][0]["partnership"] == p.slug


def _family(kinds, purpose, **fields):
    """A partnership of new organisations of these kinds (the first leads)."""
    sectors = {Kind.COMPANY: Sector.PRIVATE, Kind.CHARITY: Sector.VOLUNTARY}
    orgs = [OrganisationFactory(kind=k, sector=sectors.get(k, Sector.PUBLIC)) for k in kinds]
    return make_partnership(lead=orgs[0], members=orgs[1:], purpose=purpose, **fields)


FRONT_DOOR = [Kind.COUNTY, *[Kind.DISTRICT] * 6]
DEPOT = [Kind.UNITARY, Kind.COMPANY, Kind.CHARITY]


@pytest.mark.parametrize("sam_worked_on", ["front door", "depot"])
def test_past_work_with_a_similar_partnership_changes_the_proposal(sam_worked_on):
    """Two advisers alike in every other way, one place each, two pathfinders unlike each other:
    each goes to the adviser who has advised a partnership like it before."""
    staff = staff_user()
    front_door = _family(FRONT_DOOR, "One front door for every council service in the county",
                         is_pathfinder=True, pathfinder_theme="Access")  # fmt: skip
    depot = _family(DEPOT, "A joint waste depot and recycling collection contract",
                    is_pathfinder=True, pathfinder_theme="Waste")  # fmt: skip
    like_front_door = _family(FRONT_DOOR[:-1], "One front door for council services")
    like_depot = _family(DEPOT, "Waste depot and recycling collection")
    sam = _adviser(staff, "as-sam", capacity=1)
    lee = _adviser(staff, "as-lee", capacity=1, first="Lee", last="Barnes")
    sams, lees = ((like_front_door, like_depot) if sam_worked_on == "front door"
                  else (like_depot, like_front_door))  # fmt: skip
    for adviser, earlier in ((sam, sams), (lee, lees)):
        advice_record(partnership=earlier, adviser=adviser, advice_type="legal",
                      given_on=date(2003, 1, 6), summary="Earlier work", actor=staff)  # fmt: skip
    for_sam = front_door if sam_worked_on == "front door" else depot
    for_lee = depot if for_sam is front_door else front_door
    score = {(s["adviser"], s["partnership"]): s["score"] for s in match_input()["suitability"]}
    assert score[("as-sam", for_sam.slug)] > score[("as-lee", for_sam.slug)]
    assert score[("as-lee", for_lee.slug)] > score[("as-sam", for_lee.slug)]
    chosen = {a["partnership"]: a["adviser"] for a in match_run(actor=staff).result["assignments"]}
    assert chosen == {for_sam.slug: "as-sam", for_lee.slug: "as-lee"}


def test_a_pathfinder_itself_is_not_past_work_with_a_similar_partnership(world):
    staff, _, p = world
    sam = _adviser(staff, "as-sam")
    advice_record(partnership=p, adviser=sam, advice_type="legal", given_on=date(2003, 1, 6),
                  summary="Advised it already", actor=staff)  # fmt: skip
    (only,) = match_input()["suitability"]
    assert only == {"adviser": "as-sam", "partnership": p.slug, "score": 0.35}


# --- the advisers list ---------------------------------------------------------------------


def test_the_advisers_list_is_paged_at_a_fixed_number_of_queries(client):
    staff = staff_user()
    client.force_login(staff)
    url = reverse("programme:adviser-list")

    def queries(path):
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(path).content.decode()
        return len(ctx.captured_queries), page

    _adviser(staff, "as-0000")
    few, _ = queries(url)
    for n in range(1, 31):
        _adviser(staff, f"as-{n:04d}", first="Adviser", last=f"{n:04d}")
    many, page = queries(url)
    assert many == few
    assert "Advisers 1 to 25 of 31" in page and "as-0030" not in page
    _, second = queries(f"{url}?page=2")
    assert "Advisers 26 to 31 of 31" in second and "as-0030" in second
    assert AdviserProfile.objects.count() == 31


def test_confirming_says_how_many_in_words_that_agree(client, world):
    """ "1 partnership is now a pathfinder", never "1 partnerships" (and so for the mentors)."""
    from .factories import assess, make_application, make_call

    staff, _, _ = world
    _adviser(staff, "as-sam")
    client.force_login(staff)
    run = match_run(actor=staff)
    r = client.post(reverse("programme:matching-confirm", args=[run.number]), follow=True)
    page = r.content.decode()
    assert "Mentors set for 1 pathfinder" in page and "1 pathfinders" not in page
    assessor = UserFactory(role=Role.ADVISER)
    call = make_call(actor=staff, places=1, assessors=[assessor])
    assess(make_application(call), assessor, 7, 7)
    selection = client.post(reverse("programme:selection", args=[call.slug]), {})
    assert selection.status_code == 302
    r = client.post(reverse("programme:selection-confirm", args=[call.slug, 1]), follow=True)
    assert "Selection confirmed: 1 partnership is now a pathfinder" in r.content.decode()
