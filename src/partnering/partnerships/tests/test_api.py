"""API: same permissions as the pages, 201/422 with messages, never 500 on bad parameters."""

import json

import pytest

from partnering.core.services import api_key_create
from partnering.core.tests.factories import UserFactory
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.models import Membership, Partnership, StageChange

from .factories import PriorityFactory, make_partnership

pytestmark = pytest.mark.django_db
BASE = "/api/v1/partnerships"


class Api:
    def __init__(self, client, user=None):
        self.client = client
        self.headers = {}
        if user is not None:
            _, raw = api_key_create(name="test", actor=user)
            self.headers = {"Authorization": f"Bearer {raw}"}

    @staticmethod
    def url(path):
        return BASE + (path if path.startswith("/") else "/" + path)

    def get(self, path):
        return self.client.get(self.url(path), headers=self.headers)

    def send(self, method, path, body):
        return getattr(self.client, method)(
            self.url(path),
            data=json.dumps(body),
            content_type="application/json",
            headers=self.headers,
        )


@pytest.fixture
def lead():
    return OrganisationFactory()


@pytest.fixture
def member(lead):
    return UserFactory(username="api-member", organisations=[lead])


@pytest.fixture
def partnership(lead):
    return make_partnership(lead=lead, members=[OrganisationFactory()])


class TestReads:
    def test_public_list_shows_published_only(self, client, partnership):
        make_partnership(reference="HID", name="Hidden", is_published=False)
        body = Api(client).get("").json()
        assert [p["slug"] for p in body["items"]] == [partnership.slug] and body["count"] == 1

    def test_hidden_partnership_is_404_for_public_and_200_for_member(self, client, lead, member):
        hidden = make_partnership(lead=lead, reference="HID", name="Hidden", is_published=False)
        assert Api(client).get(f"/{hidden.slug}").status_code == 404
        response = Api(client, member).get(f"/{hidden.slug}")
        assert response.status_code == 200 and response.json()["can_edit"] is True

    def test_members_on_a_date_and_change_log(self, client, partnership):
        api = Api(client)
        assert len(api.get(f"/{partnership.slug}/members").json()) == 2
        assert api.get(f"/{partnership.slug}/members?on=2002-05-31").json() == []
        log = api.get(f"/{partnership.slug}/change-log").json()
        assert log[0]["text"].endswith("joined as lead") or log[0]["text"].endswith(
            "joined as partner"
        )
        assert api.get(f"/{partnership.slug}/stages").json()[0]["to_stage"] == "idea"
        assert api.get(f"/{partnership.slug}/fit").json()["summary"]

    @pytest.mark.parametrize(
        "query",
        [
            "?kind=nope",
            "?page=abc",
            "?page=0",
            "?page=1000000000000000000000000000000",
            "?page_size=100000",
            "?service_area=x",
            "?pathfinder=maybe",
            "?stage=closed&stage=x",
        ],
    )
    def test_bad_list_parameters_are_422_not_500(self, client, query):
        response = Api(client).get(query)
        assert response.status_code == 422 and response.json()["detail"]

    def test_bad_date_is_422(self, client, partnership):
        response = Api(client).get(f"/{partnership.slug}/members?on=2003-02-30")
        assert response.status_code == 422

    def test_filters(self, client, partnership):
        make_partnership(reference="PP", name="PP", members=[OrganisationFactory(company=True)])
        body = Api(client).get("?kind=public_private").json()
        assert [p["name"] for p in body["items"]] == ["PP"]


class TestWrites:
    def test_create_needs_credentials(self, client, lead):
        response = Api(client).send("post", "", {"name": "X", "reference": "X", "purpose": "X",
                                                  "lead_organisation": lead.slug})  # fmt: skip
        assert response.status_code == 401
        assert not Partnership.objects.exists()

    def test_partner_member_registers(self, client, lead, member):
        response = Api(client, member).send(
            "post", "", {"name": "API Partnership", "reference": "API-1", "purpose": "x",
                         "lead_organisation": lead.slug, "start_date": "2003-01-01"},
        )  # fmt: skip
        assert response.status_code == 201, response.content
        assert response.json()["slug"] == "api-partnership"

    def test_create_with_someone_elses_lead_is_422(self, client, member):
        other = OrganisationFactory()
        response = Api(client, member).send(
            "post",
            "",
            {"name": "X", "reference": "X", "purpose": "x", "lead_organisation": other.slug},
        )
        assert response.status_code == 422
        assert response.json()["code"] == "partnerships.lead_not_yours"

    def test_adviser_cannot_register(self, client, lead, adviser_user):
        response = Api(client, adviser_user).send(
            "post",
            "",
            {"name": "X", "reference": "X", "purpose": "x", "lead_organisation": lead.slug},
        )
        assert response.status_code == 403

    def test_other_partner_cannot_change_or_add_members(self, client, partnership):
        outsider = UserFactory(username="outsider", organisations=[OrganisationFactory()])
        api = Api(client, outsider)
        assert api.send("patch", f"/{partnership.slug}", {"name": "Hijack"}).status_code == 403
        new = OrganisationFactory()
        response = api.send("post", f"/{partnership.slug}/members",
                            {"organisation": new.slug, "joined_on": "2003-01-01"})  # fmt: skip
        assert response.status_code == 403
        assert not Membership.objects.filter(organisation=new).exists()

    def test_assigned_adviser_edits(self, client, partnership, adviser_user):
        api = Api(client, adviser_user)
        assert api.send("patch", f"/{partnership.slug}", {"name": "New"}).status_code == 403
        partnership.advisers.add(adviser_user)
        response = api.send("patch", f"/{partnership.slug}", {"name": "New"})
        assert response.status_code == 200 and response.json()["name"] == "New"

    def test_member_lifecycle_over_the_api(self, client, partnership, member):
        api = Api(client, member)
        org = OrganisationFactory(company=True)
        added = api.send("post", f"/{partnership.slug}/members",
                         {"organisation": org.slug, "role": "private_partner",
                          "joined_on": "2004-01-01", "reason": "Preferred bidder"})  # fmt: skip
        assert added.status_code == 201
        mid = added.json()["id"]
        twice = api.send("post", f"/{partnership.slug}/members",
                         {"organisation": org.slug, "joined_on": "2004-06-01"})  # fmt: skip
        assert twice.status_code == 422 and twice.json()["code"] == "partnerships.member_overlap"
        assert "already a member" in twice.json()["detail"]
        early = api.send("post", f"/{partnership.slug}/members/{mid}/end",
                         {"left_on": "2003-01-01", "reason": "x"})  # fmt: skip
        assert early.status_code == 422 and early.json()["field"] == "left_on"
        ended = api.send("post", f"/{partnership.slug}/members/{mid}/end",
                         {"left_on": "2005-01-01", "reason": "Contract ended"})  # fmt: skip
        assert ended.status_code == 200 and ended.json()["left_on"] == "2005-01-01"
        missing_reason = api.send("post", f"/{partnership.slug}/members/{mid}/end",
                                  {"left_on": "2005-01-01"})  # fmt: skip
        assert missing_reason.status_code == 422

    def test_stage_moves(self, client, partnership, member):
        api = Api(client, member)
        refused = api.send("post", f"/{partnership.slug}/stages", {"to_stage": "delivery"})
        assert refused.status_code == 422
        assert refused.json()["code"] == "partnerships.stage_not_allowed"
        assert StageChange.objects.filter(partnership=partnership).count() == 1
        moved = api.send("post", f"/{partnership.slug}/stages", {"to_stage": "scoping"})
        assert moved.status_code == 201 and moved.json()["moved_by"] == member.display_name
        bad = api.send("post", f"/{partnership.slug}/stages", {"to_stage": "nowhere"})
        assert bad.status_code == 422

    def test_aims_priorities_and_scores(self, client, partnership, member, lead):
        api = Api(client, member)
        aim = api.send("post", f"/{partnership.slug}/aims", {"title": "Shared ICT"}).json()
        priority = api.send("post", f"/{partnership.slug}/priorities",
                            {"organisation": lead.slug, "title": "Cheaper ICT", "weight": 5})  # fmt: skip
        assert priority.status_code == 201
        pid = priority.json()["id"]
        bad = api.send("put", f"/{partnership.slug}/aims/{aim['id']}/scores",
                       [{"priority": pid, "score": 7}])  # fmt: skip
        assert bad.status_code == 422
        outsider = PriorityFactory()
        foreign = api.send("put", f"/{partnership.slug}/aims/{aim['id']}/scores",
                           [{"priority": outsider.pk, "score": 1}])  # fmt: skip
        assert foreign.status_code == 422
        ok = api.send("put", f"/{partnership.slug}/aims/{aim['id']}/scores",
                      [{"priority": pid, "score": 3}])  # fmt: skip
        assert ok.json() == {str(pid): 3}
        fit = api.get(f"/{partnership.slug}/fit").json()
        assert fit["rows"][0]["overall"] in (100.0, None)
        not_theirs = api.send(
            "post", f"/{partnership.slug}/priorities",
            {"organisation": partnership.memberships.exclude(organisation=lead).get().organisation.slug,
             "title": "x"},
        )  # fmt: skip
        assert not_theirs.status_code == 403
