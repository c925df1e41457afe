"""Dates checked against each other (issue 8 part 3): memberships within the organisation's
life and the partnership's, a start date not after the first member joined, and a lead that
always holds the lead role. Each rule was missing before."""

from datetime import date

import pytest
from django.utils import timezone

from partnering.core.errors import DomainError
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.models import MemberRole, Membership
from partnering.partnerships.services import (
    membership_add,
    membership_change_role,
    membership_end,
    partnership_update,
)

from .factories import make_partnership

pytestmark = pytest.mark.django_db


def _code(call):
    with pytest.raises(DomainError) as error:
        call()
    return error.value


def test_an_abolished_council_cannot_join_after_its_last_day_and_its_successor_is_offered():
    successor = OrganisationFactory(name="North Yorkshire Council")
    harrogate = OrganisationFactory(name="Harrogate Borough Council", end_date=date(2023, 3, 31))
    harrogate.replaced_by.add(successor)
    partnership = make_partnership()

    error = _code(
        lambda: membership_add(
            partnership=partnership, organisation=harrogate, role=MemberRole.PARTNER,
            joined_on=date(2024, 1, 1), actor=None,
        )
    )  # fmt: skip

    assert error.code == "partnerships.organisation_not_in_existence"
    assert "31 March 2023" in error.message and "North Yorkshire Council" in error.message
    assert not Membership.objects.filter(organisation=harrogate).exists()


def test_a_member_cannot_outlive_its_organisation():
    harrogate = OrganisationFactory(end_date=date(2023, 3, 31))
    partnership = make_partnership(members=[harrogate])
    membership = Membership.objects.get(organisation=harrogate)

    error = _code(
        lambda: membership_end(
            membership=membership, left_on=date(2024, 1, 1), reason="Left", actor=None
        )
    )

    assert error.field == "left_on" and "31 March 2023" in error.message
    membership_end(membership=membership, left_on=date(2023, 3, 31), reason="Abolished", actor=None)
    assert partnership.memberships.get(organisation=harrogate).left_on == date(2023, 3, 31)


def test_nobody_joins_before_the_organisation_existed_or_the_partnership_started():
    young = OrganisationFactory(start_date=date(2009, 4, 1))
    partnership = make_partnership(start_date=date(2002, 6, 1))

    too_young = _code(
        lambda: membership_add(
            partnership=partnership, organisation=young, role=MemberRole.PARTNER,
            joined_on=date(2005, 1, 1), actor=None,
        )
    )  # fmt: skip
    too_early = _code(
        lambda: membership_add(
            partnership=partnership, organisation=OrganisationFactory(), role=MemberRole.PARTNER,
            joined_on=date(2001, 1, 1), actor=None,
        )
    )  # fmt: skip

    assert "did not exist until 1 April 2009" in too_young.message
    assert too_early.code == "partnerships.before_partnership_started"


def test_the_start_date_is_not_after_the_first_member_joined():
    partnership = make_partnership(start_date=date(2002, 6, 1))

    error = _code(
        lambda: partnership_update(
            partnership=partnership, data={"start_date": date(2003, 1, 1)}, actor=None
        )
    )

    assert error.code == "partnerships.start_after_first_member" and error.field == "start_date"


def test_the_lead_keeps_the_lead_role_until_another_member_leads():
    other = OrganisationFactory()
    partnership = make_partnership(members=[other])
    lead_membership = partnership.memberships.get(organisation=partnership.lead_organisation)
    other_membership = partnership.memberships.get(organisation=other)

    demoted = _code(
        lambda: membership_change_role(
            membership=lead_membership, role=MemberRole.PARTNER, on=timezone.localdate(), actor=None
        )
    )
    promoted = _code(
        lambda: membership_change_role(
            membership=other_membership, role=MemberRole.LEAD, on=timezone.localdate(), actor=None
        )
    )
    assert demoted.code == promoted.code == "partnerships.lead_keeps_lead_role"
    assert "make another member the lead first" in demoted.message

    partnership_update(partnership=partnership, data={"lead_organisation": other}, actor=None)

    current = {m.organisation_id: m.role for m in partnership.memberships.filter(left_on=None)}
    assert current[other.pk] == MemberRole.LEAD
    assert current[lead_membership.organisation_id] == MemberRole.PARTNER


def test_only_the_lead_organisation_joins_as_lead():
    partnership = make_partnership()

    error = _code(
        lambda: membership_add(
            partnership=partnership, organisation=OrganisationFactory(), role=MemberRole.LEAD,
            joined_on=date(2003, 1, 1), actor=None,
        )
    )  # fmt: skip

    assert error.field == "role"
