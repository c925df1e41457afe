"""The membership_changed receiver: a new draft version per member joining or leaving."""

from datetime import date

import pytest

from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.models import Membership
from partnering.partnerships.services import membership_add, membership_change_role, membership_end
from partnering.sharing import services
from partnering.sharing.models import CostModel
from partnering.sharing.selectors import comparison
from partnering.sharing.tests.factories import make_partnership, spec_for

pytestmark = pytest.mark.django_db


def _first_version(partnership):
    cost_model = services.cost_model_create(
        partnership=partnership, spec=spec_for(partnership), actor=None
    )
    services.agreement_record(
        cost_model=cost_model,
        method="shapley",
        agreed_on=date(2002, 7, 1),
        reason="Fair",
        actor=None,
    )
    return cost_model


def test_no_version_without_a_cost_model():
    partnership = make_partnership(2)
    membership_add(
        partnership=partnership,
        organisation=OrganisationFactory(),
        role="partner",
        joined_on=date(2003, 1, 1),
        actor=None,
    )
    assert not CostModel.objects.exists()


def test_a_member_leaving_makes_a_draft_for_the_others(staff_user):
    partnership = make_partnership(3)
    _first_version(partnership)
    leaving = Membership.objects.filter(partnership=partnership).order_by("pk").last()
    membership_end(
        membership=leaving, left_on=date(2003, 6, 30), reason="Going it alone", actor=staff_user
    )
    new = CostModel.objects.get(partnership=partnership, version=2)
    assert (new.status, new.change_kind, new.change_organisation) == (
        "draft",
        "left",
        leaving.organisation,
    )
    assert "Going it alone" in new.change_reason
    assert leaving.organisation_id not in set(new.members.values_list("organisation_id", flat=True))
    assert new.members.count() == 2
    assert new.calculation.is_done
    assert new.history.earliest("history_id").history_user == staff_user
    rows = {r["status"]: r for r in comparison(new).rows}
    assert rows["left"]["old"] is not None and rows["left"]["new"] is None


def test_a_private_partner_joining_shows_old_and_new_shares():
    partnership = make_partnership(3)
    _first_version(partnership)
    company = OrganisationFactory(
        company=True, name="Agile Systems Ltd", short_name="Agile Systems"
    )
    membership_add(
        partnership=partnership,
        organisation=company,
        role="private_partner",
        joined_on=date(2004, 9, 1),
        reason="Selected partner",
        actor=None,
    )
    new = CostModel.objects.get(partnership=partnership, version=2)
    assert new.change_kind == "joined"
    result = comparison(new)
    assert result.old_basis == "agreed"
    joined = next(r for r in result.rows if r["status"] == "joined")
    assert joined["name"] == "Agile Systems" and joined["old"] is None
    assert "Selected partner" in joined["why"]
    assert sum(1 for r in result.rows if r["status"] == "continuing") == 3


def test_role_changes_and_replays_do_not_make_versions():
    partnership = make_partnership(2)
    _first_version(partnership)
    member = Membership.objects.filter(partnership=partnership).order_by("pk").last()
    membership_change_role(membership=member, role="observer", on=date(2003, 1, 1), actor=None)
    assert CostModel.objects.filter(partnership=partnership).count() == 1
    membership_end(membership=Membership.objects.filter(partnership=partnership).order_by("pk").last(),
                   left_on=date(2003, 6, 30), reason="Left", actor=None)  # fmt: skip
    assert CostModel.objects.filter(partnership=partnership).count() == 2
    created = services.cost_model_versions_from_history(
        partnership=partnership, since=date(2002, 6, 1)
    )
    assert created == []
    assert CostModel.objects.filter(partnership=partnership).count() == 2
