"""The sharing JSON API: same rules as the pages; bad input is a 422 with a message, nothing saved."""

import json
from datetime import date

import pytest

from partnering.core.services import api_key_create
from partnering.core.tests.factories import UserFactory
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.sharing import services
from partnering.sharing.models import CostModel, ShareAgreement
from partnering.sharing.tests.factories import make_partnership, spec_for

pytestmark = pytest.mark.django_db


def call(client, method, path, user=None, body=None):
    headers = {}
    if user is not None:
        _, raw = api_key_create(name="test", actor=user)
        headers["Authorization"] = f"Bearer {raw}"
    kwargs = {"headers": headers}
    if body is not None:
        kwargs.update(data=json.dumps(body), content_type="application/json")
    return getattr(client, method)(f"/api/v1/partnerships/{path}", **kwargs)


def payload(partnership, **overrides):
    slugs = [m.organisation.slug for m in partnership.memberships.select_related("organisation")]
    body = {
        "title": "Shared ICT",
        "effective_on": "2002-06-01",
        "demand_measure": "transactions per year",
        "components": [
            {"kind": "standalone", "name": "Own back office", "values": {s: 100_000 + 1000 * i for i, s in enumerate(slugs)}},
            {"kind": "pooled", "name": "Shared CRM", "fixed_cost": 200_000,
             "curve": {"type": "power", "scale": 50, "exponent": 0.7},
             "values": {s: 50_000 + 10_000 * i for i, s in enumerate(slugs)}},
            {"kind": "airport", "name": "Data centre", "values": dict.fromkeys(slugs, 300000)},
        ],
    }  # fmt: skip
    body.update(overrides)
    return body


@pytest.fixture
def world():
    own = OrganisationFactory()
    partnership = make_partnership(3, lead=own)
    member = UserFactory(username="api-own", organisations=[own])
    outsider = UserFactory(username="api-other", organisations=[OrganisationFactory()])
    return partnership, member, outsider


def test_member_creates_a_version_and_reads_every_result(client, world):
    partnership, member, _ = world
    response = call(client, "post", f"{partnership.slug}/cost-models", member, payload(partnership))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["version"] == 1 and body["calculation_status"] == "done"
    assert len(body["members"]) == 3 and len(body["components"]) == 3
    results = call(client, "get", f"{partnership.slug}/cost-models/1/results").json()
    assert results["is_fresh"] is True
    methods = {m["method"]: m for m in results["methods"]}
    assert set(methods) == {"equal", "proportional", "scrb", "shapley", "nucleolus", "least_core"}
    shapley = methods["shapley"]
    assert sum(shapley["shares"].values()) == pytest.approx(results["grand_cost"], abs=0.01)
    assert shapley["core"]["in_core"] is True
    assert set(shapley["savings"]) == set(shapley["explanations"]) == set(shapley["shares"])
    listing = call(client, "get", f"{partnership.slug}/cost-models").json()
    assert [v["version"] for v in listing] == [1]


def test_agreement_is_recorded_and_listed(client, world):
    partnership, member, _ = world
    call(client, "post", f"{partnership.slug}/cost-models", member, payload(partnership))
    response = call(client, "post", f"{partnership.slug}/agreements", member,
                    {"version": 1, "method": "nucleolus", "agreed_on": "2002-07-01", "reason": "Board, 1 July"})  # fmt: skip
    assert response.status_code == 201, response.content
    agreement = response.json()
    assert agreement["version"] == 1
    assert sum(s["amount_pence"] for s in agreement["shares"]) == agreement["total_pence"]
    assert agreement["agreed_by"] == member.display_name
    listed = call(client, "get", f"{partnership.slug}/agreements").json()
    assert [a["method"] for a in listed] == ["nucleolus"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda b: b["components"][0]["values"].update(
                {next(iter(b["components"][0]["values"])): -10}
            ),
            "cannot be negative",
        ),
        (
            lambda b: b["components"][1]["values"].update(
                {next(iter(b["components"][1]["values"])): None}
            ),
            "Enter",
        ),
        (lambda b: b["components"][1]["curve"].update({"exponent": 1.5}), "concave"),
        (lambda b: b["components"][2]["values"].update({"not-a-member": 5}), "not a member"),
    ],
)
def test_bad_input_is_422_and_nothing_saved(client, world, change, message):
    partnership, member, _ = world
    body = payload(partnership)
    change(body)
    response = call(client, "post", f"{partnership.slug}/cost-models", member, body)
    assert response.status_code == 422
    assert message in response.json()["detail"]
    assert not CostModel.objects.exists()


def test_put_replaces_a_draft_and_refuses_an_agreed_one(client, world):
    partnership, member, _ = world
    call(client, "post", f"{partnership.slug}/cost-models", member, payload(partnership))
    body = payload(partnership, title="Revised")
    body["components"][2]["values"] = dict.fromkeys(body["components"][2]["values"], 400000)
    response = call(client, "put", f"{partnership.slug}/cost-models/1", member, body)
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "Revised"
    call(client, "post", f"{partnership.slug}/agreements", member,
         {"version": 1, "method": "shapley", "agreed_on": "2002-07-01", "reason": "Fair"})  # fmt: skip
    response = call(client, "put", f"{partnership.slug}/cost-models/1", member, body)
    assert response.status_code == 422
    assert response.json()["code"] == "sharing.not_draft"


def test_calculate_and_risk_scenario(client, world):
    partnership, member, _ = world
    call(client, "post", f"{partnership.slug}/cost-models", member, payload(partnership))
    response = call(client, "post", f"{partnership.slug}/cost-models/1/calculate", member, {})
    assert response.status_code == 200 and response.json()["status"] == "done"
    response = call(client, "post", f"{partnership.slug}/cost-models/1/risk-scenarios", member,
                    {"name": "Overrun", "split_basis": "shapley", "rule": "proportional",
                     "estimates": [{"component": "Shared CRM", "low": 0, "likely": 1000, "high": 9000}]})  # fmt: skip
    assert response.status_code == 201, response.content
    assert len(response.json()["results"]["exposures"]) == 3
    listed = call(client, "get", f"{partnership.slug}/cost-models/1/risk-scenarios").json()
    assert [s["name"] for s in listed] == ["Overrun"]


def test_comparison_after_a_member_leaves(client, world):
    partnership, _, _ = world
    cost_model = services.cost_model_create(
        partnership=partnership, spec=spec_for(partnership), actor=None
    )
    services.agreement_record(
        cost_model=cost_model,
        method="equal",
        agreed_on=date(2002, 7, 1),
        reason="Simple",
        actor=None,
    )
    services.cost_model_create(partnership=partnership, spec=spec_for(partnership), actor=None)
    body = call(client, "get", f"{partnership.slug}/cost-models/2/comparison").json()
    assert (body["method"], body["old_basis"], body["previous_version"]) == ("equal", "agreed", 1)
    assert len(body["rows"]) == 3


def test_permissions_match_the_pages(client, world):
    partnership, _, outsider = world
    hidden = make_partnership(2, is_published=False)
    services.cost_model_create(partnership=hidden, spec=spec_for(hidden), actor=None)
    assert (
        call(
            client, "post", f"{partnership.slug}/cost-models", None, payload(partnership)
        ).status_code
        == 401
    )
    assert (
        call(
            client, "post", f"{partnership.slug}/cost-models", outsider, payload(partnership)
        ).status_code
        == 403
    )
    assert call(client, "get", f"{hidden.slug}/cost-models").status_code == 404
    assert call(client, "get", f"{hidden.slug}/cost-models/1/results", outsider).status_code == 404
    staff = UserFactory(role="staff", username="api-staff")
    assert call(client, "get", f"{hidden.slug}/cost-models/1/results", staff).status_code == 200
    assert call(client, "post", f"{hidden.slug}/agreements", outsider,
                {"version": 1, "method": "equal", "agreed_on": "2002-07-01", "reason": "x"}).status_code == 404  # fmt: skip
    assert not ShareAgreement.objects.exists()
