"""A register moves onto a newer version of its programme's matrix: the page shows what changes
first, every risk is scored again (kept in its trend, audited), and a risk beyond the new scale
stops the move with a message naming it and nothing changed (issue 10)."""

import pytest
from django.urls import reverse

from partnering.assurance import services
from partnering.assurance.models import RiskRegister
from partnering.core.errors import DomainError
from partnering.core.tests.factories import UserFactory
from partnering.organisations.tests.factories import OrganisationFactory

from .factories import make_partnership, make_risk

pytestmark = pytest.mark.django_db

STRICTER = {  # 5 x 5 like the first matrix, but red from 9 and tolerance 8
    "likelihood_labels": ["Rare", "Unlikely", "Possible", "Likely", "Almost certain"],
    "impact_labels": ["Minimal", "Minor", "Moderate", "Major", "Severe"],
    "bands": [[1, "Low", "green"], [9, "Very high", "red"]],
    "tolerance": 8,
}
SMALL = {
    "likelihood_labels": ["Low", "Medium", "High"],
    "impact_labels": ["Low", "Medium", "High"],
    "bands": [[1, "Low", "green"], [4, "High", "red"]],
    "tolerance": 4,
}


@pytest.fixture
def register():
    org = OrganisationFactory()
    p = make_partnership(2, orgs=[org])
    owner = UserFactory(username="rm-owner", organisations=[org])
    make_risk(p, owner, current_likelihood=3, current_impact=3)  # 9: above 8, not above 12
    make_risk(p, owner, title="Small", inherent_likelihood=2, inherent_impact=2,
              current_likelihood=1, current_impact=2, target_likelihood=1, target_impact=1)  # fmt: skip
    return RiskRegister.objects.get(partnership=p), owner


def test_moving_rescores_every_risk_and_keeps_the_trend(register):
    register, owner = register
    first = register.matrix
    newer = services.matrix_create(**STRICTER, actor=None)
    services.register_move_matrix(register=register, matrix=newer, actor=owner)
    register.refresh_from_db()
    assert register.matrix == newer
    r1, r2 = register.risks.order_by("number")
    assert r1.current_score == 9 and r1.is_above_tolerance  # was below version 1's 12
    assert not r2.is_above_tolerance
    assert r1.scores.count() == 2
    assert (
        r1.scores.order_by("recorded_at").last().note
        == f"Matrix version {first.version} to {newer.version}"
    )
    assert register.history.latest().history_change_reason.startswith("Moved from matrix version")
    with pytest.raises(DomainError) as error:  # not newer any more
        services.register_move_matrix(register=register, matrix=first, actor=owner)
    assert error.value.code == "assurance.matrix_not_newer"


def test_a_risk_beyond_the_new_scale_stops_the_move(register):
    register, owner = register
    first = register.matrix
    small = services.matrix_create(**SMALL, actor=None)
    with pytest.raises(DomainError) as error:
        services.register_move_matrix(register=register, matrix=small, actor=owner)
    assert error.value.code == "assurance.risks_beyond_matrix"
    assert error.value.message.startswith("R1 is scored beyond version")
    register.refresh_from_db()
    assert register.matrix == first
    assert all(r.scores.count() == 1 for r in register.risks.all())


def test_page_previews_then_moves(client, register):
    register, owner = register
    slug = register.partnership.slug
    client.force_login(owner)
    assert (
        "A newer matrix"
        not in client.get(reverse("assurance:risk-register", args=[slug])).content.decode()
    )
    newer = services.matrix_create(**STRICTER, actor=None)
    assert (
        "A newer matrix, version"
        in client.get(reverse("assurance:risk-register", args=[slug])).content.decode()
    )
    url = reverse("assurance:risk-register-matrix", args=[slug])
    preview = client.get(url).content.decode()
    assert "1 of 2 risks would change band or tolerance" in preview
    assert f"Move the register to version {newer.version}" in preview
    response = client.post(url)
    assert response.status_code == 302
    register.refresh_from_db()
    assert register.matrix == newer


def test_page_refuses_a_move_beyond_the_scale(client, register):
    register, owner = register
    services.matrix_create(**SMALL, actor=None)
    client.force_login(owner)
    url = reverse("assurance:risk-register-matrix", args=[register.partnership.slug])
    page = client.get(url).content.decode()
    assert "R1 is scored beyond version" in page and "Move the register to version" not in page
    response = client.post(url)
    assert response.status_code == 200 and "There is a problem" in response.content.decode()


def test_api_moves_and_refuses(client, register):
    register, owner = register
    newer = services.matrix_create(**STRICTER, actor=None)
    client.force_login(owner)
    url = f"/api/v1/assurance/partnerships/{register.partnership.slug}/risk-register/matrix"
    bad = client.post(url, {"version": 999}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["code"] == "assurance.matrix_not_newer"
    ok = client.post(url, {"version": newer.version}, content_type="application/json")
    assert ok.status_code == 200 and ok.json() == {"matrix_version": newer.version, "rescored": 2}
