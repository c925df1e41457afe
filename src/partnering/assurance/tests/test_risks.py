"""Risk registers: scores on the register's matrix version, the trend, treatment, acceptance
above tolerance, escalation, the heat map and the programme view."""

import re
from datetime import date
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from partnering.assurance import selectors, services
from partnering.assurance.models import Risk, RiskAcceptance, RiskMatrix
from partnering.core.errors import DomainError
from partnering.core.tests.factories import UserFactory
from partnering.partnerships.models import Partnership

from .factories import api, make_partnership, make_review, make_risk, risk_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return UserFactory(role="staff")


def test_scores_bands_and_tolerance_on_the_default_matrix(owner):
    risk = make_risk(make_partnership(), owner)
    assert (risk.inherent_score, risk.current_score, risk.target_score) == (20, 16, 6)
    assert risk.is_above_tolerance  # 16 > 12
    assert risk.register.matrix.version == 1 and risk.scores.count() == 1


@pytest.mark.parametrize(("field", "value"), [("current_likelihood", 6), ("inherent_impact", 0),
                                              ("target_impact", None), ("current_impact", 99**9)])  # fmt: skip
def test_likelihood_or_impact_outside_the_matrix(owner, field, value):
    p = make_partnership()
    with pytest.raises(DomainError) as error:
        services.risk_create(partnership=p, data=risk_data(owner, **{field: value}), actor=None)
    assert error.value.code == "assurance.out_of_matrix" and error.value.field == field
    assert "from 1 to 5" in error.value.message
    assert not Risk.objects.exists()


def test_every_score_change_is_kept_for_the_trend(owner):
    p = make_partnership()
    risk = make_risk(p, owner)
    services.risk_update(risk=risk, data={"current_likelihood": 3}, note="Exit clause agreed",
                         actor=owner)  # fmt: skip
    services.risk_update(risk=risk, data={"title": "Partners may withdraw"}, actor=owner)
    services.risk_update(risk=risk, data={"current_likelihood": 2, "current_impact": 3},
                         actor=owner)  # fmt: skip
    risk.refresh_from_db()
    assert [s.current_score for s in risk.scores.all()] == [16, 12, 6]
    assert not risk.is_above_tolerance
    page = selectors.risk_detail(risk.register, risk.number)
    assert page.scores.all()[1].note == "Exit clause agreed"


def test_a_new_matrix_version_leaves_old_registers_alone(owner):
    old = make_risk(make_partnership(), owner)
    services.matrix_create(likelihood_labels=list("abc"), impact_labels=list("xyz"),
                           bands=[[1, "Low", "green"], [4, "High", "red"]], tolerance=3,
                           actor=owner)  # fmt: skip
    new = make_risk(make_partnership(), owner, current_likelihood=3, current_impact=3,
                    inherent_likelihood=3, inherent_impact=3, target_likelihood=1,
                    target_impact=1)  # fmt: skip
    assert old.register.matrix.version == 1 and new.register.matrix.version == 2
    with pytest.raises(DomainError) as error:
        make_risk(make_partnership(), owner)  # 4 and 5 are outside a 3x3 matrix
    assert "from 1 to 3" in error.value.message
    with pytest.raises(DomainError) as error:
        services.matrix_create(likelihood_labels=["a"], impact_labels=["b"],
                               bands=[[1, "x", "green"]], tolerance=1, actor=owner)  # fmt: skip
    assert error.value.code == "assurance.matrix_invalid"
    assert RiskMatrix.objects.count() == 2


def test_acceptance_above_tolerance_needs_a_named_approver_and_keeps_a_snapshot(owner):
    risk = make_risk(make_partnership(), owner)
    with pytest.raises(DomainError) as error:
        services.risk_accept(risk=risk, approver=" ", reason="Board decision",
                             review_on=date(2099, 1, 1), actor=owner)  # fmt: skip
    assert error.value.code == "assurance.approver_required"
    with pytest.raises(DomainError) as error:
        services.risk_accept(risk=risk, approver="Jane Clerk", reason="Board",
                             review_on=date(2000, 1, 1), actor=owner)  # fmt: skip
    assert error.value.field == "review_on"
    assert not RiskAcceptance.objects.exists()
    acceptance = services.risk_accept(risk=risk, approver="Jane Clerk", approver_role="Chair",
                                      reason="Board decision", review_on=date(2099, 1, 1),
                                      actor=owner)  # fmt: skip
    assert acceptance.snapshot["current_score"] == 16 and acceptance.snapshot["tolerance"] == 12
    risk.refresh_from_db()
    assert risk.treatment == "accept"
    low = make_risk(make_partnership(), owner, current_likelihood=1, current_impact=1)
    with pytest.raises(DomainError) as error:
        services.risk_accept(risk=low, approver="J", reason="r", review_on=date(2099, 1, 1),
                             actor=owner)  # fmt: skip
    assert error.value.code == "assurance.not_above_tolerance"


def test_escalation_needs_a_reason_and_shows_in_the_programme_view(owner, client):
    p = make_partnership()
    risk = make_risk(p, owner, current_likelihood=2, current_impact=2)
    with pytest.raises(DomainError) as error:
        services.risk_escalate(risk=risk, reason="", actor=owner)
    assert error.value.code == "assurance.escalation_reason"
    risk.refresh_from_db()
    assert not risk.is_escalated
    services.risk_escalate(risk=risk, reason="Affects three pathfinders", actor=owner)
    found = selectors.programme_risks(selectors.ProgrammeFilters(which="escalated"))
    assert list(found) == [risk]
    assert not selectors.programme_risks(selectors.ProgrammeFilters(category="legal")).exists()
    client.force_login(owner)
    response = client.get(reverse("assurance_programme:programme-risks"), {"which": "escalated"})
    assert "Partners withdraw" in response.text


def _refused(response, code, field):
    assert response.status_code == 422, response.content
    body = response.json()
    assert (body["code"], body["field"]) == (code, field) and body["detail"]


def test_api_risk_bad_input_is_422_with_a_clear_message_and_nothing_saved(owner, client):
    """Issue 10 part 8 through the API: a score outside the matrix (on adding and on
    rescoring), an acceptance without an approver and an escalation without a reason."""
    p = make_partnership()
    risk = make_risk(p, owner)
    risks = f"{p.slug}/risks"
    body = risk_data(owner.username, title="Lock-in")
    response = api(client, "post", risks, owner, body | {"current_likelihood": 6})
    _refused(response, "assurance.out_of_matrix", "current_likelihood")
    assert "from 1 to 5" in response.json()["detail"]
    response = api(client, "patch", f"{risks}/1", owner, {"inherent_impact": 0})
    _refused(response, "assurance.out_of_matrix", "inherent_impact")
    response = api(client, "post", f"{risks}/1/acceptances", owner,
                   {"approver": " ", "reason": "Board decision", "review_on": "2099-01-01"})  # fmt: skip
    _refused(response, "assurance.approver_required", "approver")
    assert "name of the person who approved" in response.json()["detail"]
    response = api(client, "post", f"{risks}/1/escalation", owner, {"reason": "  "})
    _refused(response, "assurance.escalation_reason", "reason")
    assert "Enter why the risk is escalated" in response.json()["detail"]
    risk.refresh_from_db()
    assert list(Risk.objects.values_list("title", flat=True)) == ["Partners withdraw"]
    assert (risk.inherent_impact, risk.treatment, risk.is_escalated) == (5, "", False)
    assert risk.scores.count() == 1 and not RiskAcceptance.objects.exists()
    assert risk.history.count() == 1  # created, never changed


def test_a_transfer_follows_a_fair_share_scenario_of_its_own_partnership_only(owner, client):
    """Issue 10 part 4.4: a transfer (or share) links to the partnership's fair-share risk
    allocation; another partnership's scenario is refused by the service and the page."""
    from partnering.sharing.tests.factories import RiskScenarioFactory

    p, other = make_partnership(), make_partnership()
    mine = RiskScenarioFactory(cost_model__partnership=p)
    theirs = RiskScenarioFactory(cost_model__partnership=other)
    transfer = risk_data(owner, treatment="transfer", treatment_notes="To the private partner")
    with pytest.raises(DomainError) as error:
        services.risk_create(partnership=p, data=transfer | {"fair_share_scenario": theirs},
                             actor=owner)  # fmt: skip
    assert (error.value.code, error.value.field) == ("assurance.wrong_partnership",
                                                     "fair_share_scenario")  # fmt: skip
    assert not Risk.objects.exists()
    risk = services.risk_create(partnership=p, data=transfer | {"fair_share_scenario": mine},
                                actor=owner)  # fmt: skip
    assert (risk.treatment, risk.fair_share_scenario) == ("transfer", mine)
    with pytest.raises(DomainError):
        services.risk_update(risk=risk, data={"fair_share_scenario": theirs}, actor=owner)
    risk.refresh_from_db()
    assert risk.fair_share_scenario == mine
    client.force_login(owner)
    url = reverse("assurance:risk-create", args=[p.slug])
    page = {k: (v.pk if hasattr(v, "pk") else v) for k, v in transfer.items()} | {"title": "Page"}
    response = client.post(url, page | {"fair_share_scenario": theirs.pk})
    assert "There is a problem" in response.text and "#id_fair_share_scenario" in response.text
    assert not Risk.objects.filter(title="Page").exists()
    assert client.post(url, page | {"fair_share_scenario": mine.pk}).status_code == 302
    assert Risk.objects.get(title="Page").fair_share_scenario == mine


def test_links_to_recommendations_of_the_same_partnership_only(owner):
    p, other = make_partnership(), make_partnership()
    rec = services.recommendation_add(review=make_review(p), text="Exit protocol",
                                      urgency="recommended", owner=owner, actor=None)  # fmt: skip
    foreign = services.recommendation_add(review=make_review(other), text="x",
                                          urgency="recommended", owner=owner, actor=None)  # fmt: skip
    risk = services.risk_create(partnership=p, data=risk_data(owner), recommendations=[rec],
                                actor=None)  # fmt: skip
    assert list(risk.recommendations.all()) == [rec]
    with pytest.raises(DomainError):
        services.risk_update(risk=risk, data={}, recommendations=[foreign], actor=None)


def _table_row_names(html: str, caption: str) -> list[str]:
    """The risk names (the row headers' link text) of the table with this caption, in order."""
    found = re.search(
        rf"<caption[^>]*>\s*{re.escape(caption)}\s*</caption>(.*?)</table>", html, re.S
    )
    assert found, f"no table captioned {caption!r}"
    return [name.strip() for name in re.findall(r"<th[^>]*>\s*<a [^>]*>([^<]*)</a>", found[1])]


def test_register_page_top_risks_are_the_five_highest_current_scores_first(owner, client):
    """Issue 10 part 5: the register page's "Top risks" table, highest current score first
    (ties by number), at most five, and not shown while the heat-map filter is on."""
    p = make_partnership()
    scores = [
        (2, 2),
        (5, 5),
        (3, 3),
        (4, 4),
        (1, 1),
        (4, 4),
        (5, 4),
    ]  # current (likelihood, impact)
    for n, (likelihood, impact) in enumerate(scores, start=1):
        make_risk(p, owner, title=f"Risk {n}", current_likelihood=likelihood, current_impact=impact)
    client.force_login(owner)
    url = reverse("assurance:risk-register", args=[p.slug])
    html = client.get(url).text
    top = ["R2: Risk 2", "R7: Risk 7", "R4: Risk 4", "R6: Risk 6", "R3: Risk 3"]
    assert _table_row_names(html, "Top risks") == top
    assert _table_row_names(html, "Open risks") == [*top, "R1: Risk 1", "R5: Risk 5"]
    filtered = client.get(url, {"likelihood": 4, "impact": 4}).text
    assert "Top risks" not in filtered
    assert _table_row_names(filtered, "Open risks") == ["R4: Risk 4", "R6: Risk 6"]


def test_heat_map_counts_and_links(owner, client):
    p = make_partnership()
    for _ in range(3):
        make_risk(p, owner)
    make_risk(p, owner, current_likelihood=1, current_impact=2)
    register = selectors.register_of(p)
    heat = selectors.heat_map(register)
    cells = {(c.likelihood, c.impact): c for _, _, row in heat.rows for c in row}
    assert (
        cells[(4, 4)].count == 3
        and cells[(1, 2)].count == 1
        and cells[(4, 4)].band.label == "Very high"
    )
    client.force_login(owner)
    response = client.get(reverse("assurance:risk-register", args=[p.slug]))
    assert "3 risks" in response.text and "?likelihood=4&amp;impact=4" in response.text
    filtered = client.get(reverse("assurance:risk-register", args=[p.slug]),
                          {"likelihood": 1, "impact": 2})  # fmt: skip
    assert filtered.text.count("R4: Partners withdraw") == 1 and "R1: Partners" not in filtered.text


def _programme_fixture(owner):
    """Two partnerships in different regions and stages, two owners, and five risks: flagged
    by escalation, by tolerance (12 on the default matrix), by both, or by neither."""
    north = make_partnership(stage="delivery")
    west = make_partnership(stage="scoping")
    Partnership.objects.filter(pk=north.pk).update(region="North East")
    Partnership.objects.filter(pk=west.pk).update(region="West Midlands")
    other = UserFactory(role="staff", username="other-owner")
    low = {"current_likelihood": 2, "current_impact": 2}
    specs = [("North above", north, owner, {}, False), ("North escalated", north, other, low, True),
             ("North neither", north, owner, low, False), ("West above", west, other, {}, False),
             ("West both", west, owner, {"category": "legal"}, True)]  # fmt: skip
    for title, partnership, who, overrides, escalate in specs:
        risk = make_risk(partnership, who, title=title, **overrides)
        if escalate:
            services.risk_escalate(risk=risk, reason="For the programme board", actor=owner)


CAPTION = "Risks for the programme's attention"
PROGRAMME_FILTERS = [
    ({}, {"North above", "North escalated", "West above", "West both"}),
    ({"which": "above"}, {"North above", "West above", "West both"}),
    ({"which": "escalated"}, {"North escalated", "West both"}),
    ({"region": "North East"}, {"North above", "North escalated"}),
    ({"region": "Nowhere"}, set()),
    ({"stage": "scoping"}, {"West above", "West both"}),
    ({"owner": "other-owner"}, {"North escalated", "West above"}),
    ({"category": "legal"}, {"West both"}),
    ({"region": "West Midlands", "owner": "other-owner", "which": "above"}, {"West above"}),
]


@pytest.mark.parametrize(("query", "titles"), PROGRAMME_FILTERS)
def test_programme_view_keeps_exactly_the_matching_risks(owner, client, query, titles):
    """Issue 10 part 5.4 and 5.5: the programme view has every open risk that is escalated or
    above tolerance (escalated or not), and each filter keeps exactly the matching ones, on the
    page and through the API."""
    _programme_fixture(owner)
    client.force_login(owner)
    html = client.get(reverse("assurance_programme:programme-risks"), query).text
    on_page = (
        {name.split(": ", 1)[1] for name in _table_row_names(html, CAPTION)} if titles else set()
    )
    assert on_page == titles and (titles or "No risks match." in html)
    path = "programme/risks?" + urlencode(query)
    response = api(client, "get", path, owner, under="")
    assert response.status_code == 200
    assert {r["title"] for r in response.json()} == titles


@pytest.mark.parametrize("n", [1, 26])
def test_register_and_programme_pages_at_fixed_queries(
    owner, client, django_assert_max_num_queries, n
):
    p = make_partnership()
    for _ in range(n):
        risk = make_risk(p, owner)
        services.risk_escalate(risk=risk, reason="Big", actor=owner)
    client.force_login(owner)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("assurance:risk-register", args=[p.slug])).status_code == 200
    with django_assert_max_num_queries(12):
        response = client.get(reverse("assurance_programme:programme-risks"))
    assert response.text.count("Partners withdraw") == min(
        n, 25
    )  # a page of the programme view is 25 risks


def test_register_page_bad_input_is_a_clear_error(owner, client):
    p = make_partnership()
    client.force_login(owner)
    data = {k: (v.pk if hasattr(v, "pk") else v) for k, v in risk_data(owner).items()}
    response = client.post(reverse("assurance:risk-create", args=[p.slug]),
                           data | {"current_likelihood": "7"})  # fmt: skip
    assert "There is a problem" in response.text
    assert "The current likelihood must be a whole number from 1 to 5" in response.text
    response = client.post(reverse("assurance:risk-create", args=[p.slug]), data | {"owner": ""})
    assert "Choose who owns the risk" in response.text
    assert not Risk.objects.exists()
    assert client.post(reverse("assurance:risk-create", args=[p.slug]), data).status_code == 302
    risk = Risk.objects.get()
    response = client.post(reverse("assurance:risk-escalate", args=[p.slug, risk.number]),
                           {"reason": ""})  # fmt: skip
    assert "Enter why the risk is escalated to the programme" in response.text
    response = client.post(reverse("assurance:risk-accept", args=[p.slug, risk.number]),
                           {"reason": "x", "review_on": "2099-01-01"})  # fmt: skip
    assert "Enter the name of the person who approved the acceptance" in response.text
    detail = client.get(reverse("assurance:risk-detail", args=[p.slug, risk.number]))
    assert "Score trend" in detail.text and "<svg" in detail.text
    csv = client.get(reverse("assurance:risk-download", args=[p.slug, "csv"]))
    assert b"Partners withdraw" in b"".join(csv.streaming_content)
