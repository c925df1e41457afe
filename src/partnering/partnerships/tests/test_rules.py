"""Rules in services only (issue 7 part 5): codes from the enum, never from message text; the
lead-organisation rule written once; reopening through ``can_reopen_partnership``; a
partnership and its advisers registered in one transaction."""

from datetime import date

import pytest
from django.urls import reverse

from partnering.core.errors import DomainError
from partnering.core.tests.factories import UserFactory
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships import permissions, services
from partnering.partnerships.errors import PartnershipError as E
from partnering.partnerships.forms import PartnershipForm
from partnering.partnerships.models import Partnership, Stage
from partnering.partnerships.permissions import lead_organisation_choices
from partnering.partnerships.services import (
    partnership_create,
    partnership_update,
    stage_move,
    stage_move_problem,
)

from .factories import make_partnership

pytestmark = pytest.mark.django_db


# --- the stage move: code and field chosen where the rule is, not from the message ----------


@pytest.mark.parametrize(
    ("current", "target", "reason", "may_reopen", "code", "field"),
    [
        (Stage.IDEA, "nowhere", "", True, E.STAGE_NOT_ALLOWED, "to_stage"),
        (Stage.IDEA, Stage.IDEA, "", True, E.STAGE_NOT_ALLOWED, "to_stage"),
        (Stage.IDEA, Stage.PROCUREMENT, "", True, E.STAGE_NOT_ALLOWED, "to_stage"),
        (Stage.SCOPING, Stage.IDEA, "", True, E.REASON_REQUIRED, "reason"),
        (Stage.IDEA, Stage.CLOSED, "", True, E.REASON_REQUIRED, "reason"),
        (Stage.CLOSED, Stage.IDEA, "x", True, E.STAGE_NOT_ALLOWED, "to_stage"),
        (Stage.CLOSED, Stage.REVIEW, "x", False, E.REOPEN_STAFF_ONLY, "to_stage"),
        (Stage.CLOSED, Stage.REVIEW, "", True, E.REASON_REQUIRED, "reason"),
    ],
)
def test_each_refused_move_carries_its_own_code_and_field(
    current, target, reason, may_reopen, code, field
):
    problem = stage_move_problem(current, target, reason=reason, may_reopen=may_reopen)
    assert isinstance(problem, DomainError)
    assert (problem.code, problem.field) == (code, field)


@pytest.mark.parametrize(
    ("current", "target", "reason"),
    [(Stage.IDEA, Stage.SCOPING, ""), (Stage.SCOPING, Stage.IDEA, "Rethink"),
     (Stage.CLOSED, Stage.REVIEW, "New money"), (Stage.REVIEW, Stage.CLOSED, "")],
)  # fmt: skip
def test_allowed_moves_have_no_problem(current, target, reason):
    assert stage_move_problem(current, target, reason=reason, may_reopen=True) is None


def test_reopening_asks_can_reopen_partnership(monkeypatch, staff_user):
    lead = OrganisationFactory()
    member = UserFactory(organisations=[lead])
    p = make_partnership(lead=lead, actor=member)
    stage_move(partnership=p, to_stage=Stage.CLOSED, reason="Stop", actor=member)
    monkeypatch.setattr(services, "can_reopen_partnership", lambda user, partnership: True)
    stage_move(partnership=p, to_stage=Stage.REVIEW, reason="Again", actor=member)
    p.refresh_from_db()
    assert p.stage == Stage.REVIEW


# --- the lead organisation: one rule for the form, the service and the permission ----------


def _form_choices(user, partnership=None):
    form = PartnershipForm(user=user, partnership=partnership)
    return set(form.fields["lead_organisation"].queryset.values_list("pk", flat=True))


def test_the_form_offers_exactly_the_organisations_the_service_accepts(staff_user):
    own, other, abolished = (
        OrganisationFactory(),
        OrganisationFactory(),
        OrganisationFactory(end_date=date(2009, 3, 31)),
    )
    partner = UserFactory(organisations=[own])
    assert _form_choices(partner) == {own.pk}
    assert set(lead_organisation_choices(partner).values_list("pk", flat=True)) == {own.pk}
    assert {own.pk, other.pk, abolished.pk} <= _form_choices(staff_user)
    with pytest.raises(DomainError) as refused:
        partnership_create(name="X", reference="SPT-X", purpose="x", lead_organisation=other,
                           actor=partner)  # fmt: skip
    assert (refused.value.code, refused.value.field) == (E.LEAD_NOT_YOURS, "lead_organisation")
    assert not Partnership.objects.filter(reference="SPT-X").exists()

    p = make_partnership(lead=own, members=[other], actor=staff_user)
    assert _form_choices(partner, p) == {own.pk, other.pk}
    with pytest.raises(DomainError) as not_member:
        partnership_update(partnership=p, data={"lead_organisation": abolished}, actor=staff_user)
    assert not_member.value.code == E.LEAD_NOT_MEMBER
    partnership_update(partnership=p, data={"lead_organisation": other}, actor=staff_user)
    p.refresh_from_db()
    assert p.lead_organisation == other


def test_can_create_follows_the_lead_rule(staff_user, adviser_user):
    assert permissions.can_create_partnership(staff_user)
    assert not permissions.can_create_partnership(adviser_user)
    assert not permissions.can_create_partnership(UserFactory(organisations=[]))
    assert permissions.can_create_partnership(UserFactory(organisations=[OrganisationFactory()]))


# --- advisers are not this room's to assign ---------------------------------------------------


def test_the_partnership_form_assigns_no_advisers(client, staff_user, adviser_user):
    """The programme room owns advisers and assigns them after checking each one's capacity and
    conflicts of interest: the partnership's own form offers no advisers field (not even to
    staff), and advisers posted to its create and change pages are ignored."""
    assert "advisers" not in PartnershipForm(user=staff_user).fields
    lead = OrganisationFactory()
    client.force_login(staff_user)
    form = {"name": "Advised by page", "reference": "SPT-P", "purpose": "x",
            "lead_organisation": lead.pk, "advisers": [adviser_user.pk], "is_published": "on"}  # fmt: skip
    response = client.post(reverse("partnerships:partnership-create"), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    p = Partnership.objects.get(reference="SPT-P")
    assert not p.advisers.exists()
    response = client.post(reverse("partnerships:partnership-update", args=[p.slug]),
                           {**form, "name": "Renamed"})  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    p.refresh_from_db()
    assert p.name == "Renamed" and not p.advisers.exists()
    page = client.get(reverse("partnerships:partnership-update", args=[p.slug])).content.decode()
    assert 'name="advisers"' not in page and "capacity and conflicts of interest" in page


def test_the_stage_form_offers_only_the_moves_the_rules_allow():
    """Issue 8 part 9: the stage form offers only allowed moves (the rules decide)."""
    from partnering.partnerships.forms import StageMoveForm, allowed_stage_moves
    from partnering.partnerships.models import STAGE_ORDER, Stage

    assert [v for v, _ in allowed_stage_moves(Stage.IDEA, may_reopen=False)] == [
        Stage.SCOPING, Stage.CLOSED
    ]  # fmt: skip
    at_delivery = dict(allowed_stage_moves(Stage.DELIVERY, may_reopen=False))
    assert set(at_delivery) == {
        *STAGE_ORDER[: STAGE_ORDER.index(Stage.DELIVERY)],
        Stage.REVIEW,
        Stage.CLOSED,
    }
    assert at_delivery[Stage.REVIEW] == "Review"
    assert at_delivery[Stage.SCOPING].endswith("(back a stage: give the reason below)")
    assert allowed_stage_moves(Stage.CLOSED, may_reopen=False) == []
    assert [v for v, _ in allowed_stage_moves(Stage.CLOSED, may_reopen=True)] == [Stage.REVIEW]
    form = StageMoveForm({"to_stage": Stage.AGREEMENT}, current=Stage.IDEA)
    assert not form.is_valid()
    assert "move forward one stage at a time" in form.errors["to_stage"][0]
