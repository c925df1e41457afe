"""Services: rules, audit rows (simple-history), error codes, nothing saved on failure, signal."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from partnering.core.errors import DomainError
from partnering.core.tests.factories import UserFactory
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.errors import PartnershipError as E
from partnering.partnerships.models import (
    AimScore,
    MemberRole,
    Membership,
    Partnership,
    PartnershipKind,
    Stage,
    StageChange,
)
from partnering.partnerships.services import (
    aim_create,
    aim_scores_set,
    derive_kind,
    membership_add,
    membership_change_role,
    membership_end,
    partnership_create,
    partnership_update,
    priority_create,
    stage_move,
)
from partnering.partnerships.signals import membership_changed

from .factories import PriorityFactory, make_partnership

pytestmark = pytest.mark.django_db


@pytest.fixture
def signals():
    received = []

    def listen(sender, **kwargs):
        received.append(kwargs)

    membership_changed.connect(listen, dispatch_uid="test-listener")
    yield received
    membership_changed.disconnect(dispatch_uid="test-listener")


class TestPartnershipCreate:
    def test_partner_member_registers_with_own_organisation_as_lead(self, signals):
        org = OrganisationFactory()
        user = UserFactory(organisations=[org])
        p = partnership_create(
            name="Testshire Partnership", reference="SPT-1", purpose="Better services",
            lead_organisation=org, start_date=date(2002, 6, 1), actor=user,
        )  # fmt: skip
        membership = p.memberships.get()
        assert (membership.organisation, membership.role) == (org, MemberRole.LEAD)
        assert membership.joined_on == date(2002, 6, 1)
        assert p.stage == Stage.IDEA and p.stage_changes.get().to_stage == Stage.IDEA
        assert p.kind == PartnershipKind.PUBLIC_PUBLIC and p.member_count == 1
        assert p.region == org.region
        record = p.history.get()
        assert record.history_user == user and record.history_type == "+"
        assert [s["change"] for s in signals] == ["joined"]
        assert signals[0]["partnership"] == p and signals[0]["actor"] == user

    def test_partner_member_cannot_lead_with_another_organisation(self):
        user = UserFactory(organisations=[OrganisationFactory()])
        with pytest.raises(DomainError) as error:
            partnership_create(
                name="X", reference="SPT-2", purpose="x", lead_organisation=OrganisationFactory(),
                actor=user,
            )  # fmt: skip
        assert error.value.code == E.LEAD_NOT_YOURS
        assert not Partnership.objects.exists() and not Membership.objects.exists()

    def test_reference_must_be_unique(self, staff_user):
        make_partnership(reference="SPT-9", actor=staff_user)
        with pytest.raises(DomainError) as error:
            make_partnership(reference="spt-9", actor=staff_user)
        assert (error.value.code, error.value.field) == (E.REFERENCE_TAKEN, "reference")
        assert Partnership.objects.count() == 1

    def test_slug_is_unique(self, staff_user):
        lead = OrganisationFactory()
        a = make_partnership(lead=lead, name="Same", reference="A", actor=staff_user)
        b = make_partnership(lead=lead, name="Same", reference="B", actor=staff_user)
        assert (a.slug, b.slug) == ("same", "same-2")


class TestDerived:
    @pytest.mark.parametrize(
        ("sectors", "kind"),
        [
            (["public"], "public_public"),
            (["public", "private"], "public_private"),
            (["public", "voluntary"], "public_voluntary"),
            (["public", "private", "voluntary"], "mixed"),
            (["private", "voluntary"], "mixed"),
            ([], ""),
        ],
    )
    def test_kind_from_sectors(self, sectors, kind):
        assert derive_kind(sectors) == kind

    def test_county_with_its_own_district_joins_two_tiers(self, staff_user):
        county = OrganisationFactory(county=True)
        other_district = OrganisationFactory()
        p = make_partnership(lead=county, members=[other_district], actor=staff_user)
        assert not p.joins_two_tiers
        own = OrganisationFactory(parent_county=county)
        membership_add(partnership=p, organisation=own, role="partner",
                       joined_on=date(2003, 1, 1), actor=staff_user)  # fmt: skip
        p.refresh_from_db()
        assert p.joins_two_tiers and p.member_count == 3

    def test_kind_follows_membership_changes(self, staff_user):
        p = make_partnership(actor=staff_user)
        company = OrganisationFactory(company=True)
        m = membership_add(partnership=p, organisation=company, role="private_partner",
                           joined_on=date(2003, 1, 1), actor=staff_user)  # fmt: skip
        p.refresh_from_db()
        assert p.kind == PartnershipKind.PUBLIC_PRIVATE
        membership_end(membership=m, left_on=date(2004, 1, 1), reason="Contract ended",
                       actor=staff_user)  # fmt: skip
        p.refresh_from_db()
        assert p.kind == PartnershipKind.PUBLIC_PUBLIC and p.member_count == 1


class TestMembershipAdd:
    def test_added_member_is_audited_and_signalled(self, staff_user, signals):
        p = make_partnership(actor=staff_user)
        org = OrganisationFactory()
        signals.clear()
        m = membership_add(partnership=p, organisation=org, role="partner",
                           joined_on=date(2002, 7, 1), reason="Invited", actor=staff_user)  # fmt: skip
        assert m.history.get().history_user == staff_user
        assert m.history.get().history_change_reason == "Invited"
        assert signals == [
            {"signal": membership_changed, "partnership": p, "membership": m, "change": "joined",
             "on": date(2002, 7, 1), "actor": staff_user, "reason": "Invited"}
        ]  # fmt: skip

    @pytest.mark.parametrize(
        ("joined", "left"),
        [
            (date(2002, 6, 1), None),
            (date(2001, 1, 1), None),
            (date(2001, 1, 1), date(2002, 6, 1)),
            (date(2005, 1, 1), None),
        ],
    )
    def test_member_added_twice_with_overlapping_dates_is_refused(self, staff_user, joined, left):
        org = OrganisationFactory()
        p = make_partnership(members=[org], actor=staff_user)
        with pytest.raises(DomainError) as error:
            membership_add(partnership=p, organisation=org, role="partner", joined_on=joined,
                           left_on=left, actor=staff_user)  # fmt: skip
        assert (error.value.code, error.value.field) == (E.MEMBER_OVERLAP, "organisation")
        assert "already a member" in error.value.message
        assert p.memberships.filter(organisation=org).count() == 1

    def test_rejoining_after_leaving_is_allowed(self, staff_user):
        org = OrganisationFactory()
        p = make_partnership(members=[org], actor=staff_user)
        m = p.memberships.get(organisation=org)
        membership_end(membership=m, left_on=date(2003, 1, 31), reason="Left", actor=staff_user)
        again = membership_add(partnership=p, organisation=org, role="observer",
                               joined_on=date(2003, 2, 1), actor=staff_user)  # fmt: skip
        assert again.pk and p.memberships.filter(organisation=org).count() == 2

    def test_left_before_joined_is_refused(self, staff_user, signals):
        p = make_partnership(actor=staff_user)
        signals.clear()
        with pytest.raises(DomainError) as error:
            membership_add(partnership=p, organisation=OrganisationFactory(), role="partner",
                           joined_on=date(2003, 1, 1), left_on=date(2002, 1, 1), actor=staff_user)  # fmt: skip
        assert error.value.code == E.LEFT_BEFORE_JOINED
        assert p.memberships.count() == 1 and signals == []

    def test_future_join_is_refused(self, staff_user):
        p = make_partnership(actor=staff_user)
        with pytest.raises(DomainError) as error:
            membership_add(partnership=p, organisation=OrganisationFactory(), role="partner",
                           joined_on=timezone.localdate() + timedelta(days=1), actor=staff_user)  # fmt: skip
        assert error.value.code == E.DATE_IN_FUTURE

    def test_closed_partnership_rejects_new_member(self, staff_user):
        p = make_partnership(actor=staff_user)
        stage_move(partnership=p, to_stage=Stage.CLOSED, reason="No funding", actor=staff_user)
        p.refresh_from_db()
        with pytest.raises(DomainError) as error:
            membership_add(partnership=p, organisation=OrganisationFactory(), role="partner",
                           joined_on=date(2003, 1, 1), actor=staff_user)  # fmt: skip
        assert error.value.code == E.PARTNERSHIP_CLOSED


class TestMembershipEnd:
    def test_end_records_date_reason_history_and_signal(self, staff_user, signals):
        org = OrganisationFactory()
        p = make_partnership(members=[org], actor=staff_user)
        signals.clear()
        m = membership_end(membership=p.memberships.get(organisation=org), left_on=date(2003, 6, 30),
                           reason="Dropped out", actor=staff_user)  # fmt: skip
        assert (m.left_on, m.left_reason) == (date(2003, 6, 30), "Dropped out")
        assert m.history.first().history_change_reason == "Left: Dropped out"
        assert [(s["change"], s["on"]) for s in signals] == [("left", date(2003, 6, 30))]

    def test_left_before_joined_is_refused_and_nothing_saved(self, staff_user):
        org = OrganisationFactory()
        p = make_partnership(members=[org], actor=staff_user)
        m = p.memberships.get(organisation=org)
        with pytest.raises(DomainError) as error:
            membership_end(membership=m, left_on=date(2002, 5, 31), reason="x", actor=staff_user)
        assert (error.value.code, error.value.field) == (E.LEFT_BEFORE_JOINED, "left_on")
        m.refresh_from_db()
        assert m.left_on is None and m.history.count() == 1

    def test_reason_is_required(self, staff_user):
        org = OrganisationFactory()
        p = make_partnership(members=[org], actor=staff_user)
        with pytest.raises(DomainError) as error:
            membership_end(membership=p.memberships.get(organisation=org), left_on=date(2003, 1, 1),
                           reason="  ", actor=staff_user)  # fmt: skip
        assert error.value.code == E.REASON_REQUIRED

    def test_lead_cannot_leave(self, staff_user):
        p = make_partnership(actor=staff_user)
        with pytest.raises(DomainError) as error:
            membership_end(membership=p.memberships.get(), left_on=date(2003, 1, 1), reason="x",
                           actor=staff_user)  # fmt: skip
        assert error.value.code == E.LEAD_CANNOT_LEAVE

    def test_cannot_leave_twice(self, staff_user):
        org = OrganisationFactory()
        p = make_partnership(members=[org], actor=staff_user)
        m = membership_end(membership=p.memberships.get(organisation=org),
                           left_on=date(2003, 1, 1), reason="x", actor=staff_user)  # fmt: skip
        with pytest.raises(DomainError) as error:
            membership_end(membership=m, left_on=date(2003, 2, 1), reason="y", actor=staff_user)
        assert error.value.code == E.ALREADY_LEFT


class TestMembershipChangeRole:
    def test_role_change_keeps_the_old_role_in_history(self, staff_user, signals):
        org = OrganisationFactory(company=True)
        p = make_partnership(actor=staff_user)
        m = membership_add(partnership=p, organisation=org, role="observer",
                           joined_on=date(2004, 4, 1), actor=staff_user)  # fmt: skip
        signals.clear()
        new = membership_change_role(membership=m, role="private_partner", on=date(2005, 4, 1),
                                     reason="Contract signed", actor=staff_user)  # fmt: skip
        m.refresh_from_db()
        assert m.left_on == date(2005, 3, 31) and m.role == "observer"
        assert (new.role, new.joined_on, new.left_on) == ("private_partner", date(2005, 4, 1), None)
        assert [(s["change"], s["membership"]) for s in signals] == [("role_changed", new)]

    def test_role_corrected_in_place_on_joining_day(self, staff_user):
        org = OrganisationFactory()
        p = make_partnership(members=[org], actor=staff_user)
        m = p.memberships.get(organisation=org)
        new = membership_change_role(
            membership=m, role="observer", on=m.joined_on, actor=staff_user
        )
        assert new.pk == m.pk and p.memberships.count() == 2

    def test_same_role_and_early_date_are_refused(self, staff_user):
        org = OrganisationFactory()
        p = make_partnership(members=[org], actor=staff_user)
        m = p.memberships.get(organisation=org)
        with pytest.raises(DomainError) as same:
            membership_change_role(
                membership=m, role="partner", on=date(2003, 1, 1), actor=staff_user
            )
        with pytest.raises(DomainError) as early:
            membership_change_role(
                membership=m, role="observer", on=date(2001, 1, 1), actor=staff_user
            )
        assert (same.value.code, early.value.code) == (E.SAME_ROLE, E.ROLE_CHANGE_DATE)
        assert p.memberships.count() == 2


class TestStageMove:
    def test_forward_one_step_is_recorded_with_who_and_when(self, staff_user):
        p = make_partnership(actor=staff_user)
        change = stage_move(partnership=p, to_stage=Stage.SCOPING, moved_on=date(2002, 9, 1),
                            actor=staff_user)  # fmt: skip
        p.refresh_from_db()
        assert p.stage == Stage.SCOPING
        assert (change.from_stage, change.moved_by, change.moved_on) == (
            Stage.IDEA, staff_user, date(2002, 9, 1),
        )  # fmt: skip
        assert p.history.first().history_change_reason == "Stage idea → scoping"

    def test_skipping_a_stage_is_refused_and_nothing_saved(self, staff_user):
        p = make_partnership(actor=staff_user)
        with pytest.raises(DomainError) as error:
            stage_move(partnership=p, to_stage=Stage.PROCUREMENT, actor=staff_user)
        assert (error.value.code, error.value.field) == (E.STAGE_NOT_ALLOWED, "to_stage")
        assert "one stage at a time (next is scoping)" in error.value.message
        p.refresh_from_db()
        assert p.stage == Stage.IDEA and StageChange.objects.count() == 1

    def test_going_back_needs_a_reason(self, staff_user):
        p = make_partnership(actor=staff_user)
        stage_move(partnership=p, to_stage=Stage.SCOPING, actor=staff_user)
        stage_move(partnership=p, to_stage=Stage.OPTIONS_APPRAISAL, actor=staff_user)
        with pytest.raises(DomainError) as error:
            stage_move(partnership=p, to_stage=Stage.IDEA, actor=staff_user)
        assert error.value.field == "reason"
        change = stage_move(partnership=p, to_stage=Stage.IDEA, reason="Rethink", actor=staff_user)
        assert change.reason == "Rethink"

    def test_abandon_from_any_stage_with_reason(self, staff_user):
        p = make_partnership(actor=staff_user)
        with pytest.raises(DomainError):
            stage_move(partnership=p, to_stage=Stage.CLOSED, actor=staff_user)
        change = stage_move(
            partnership=p, to_stage=Stage.CLOSED, reason="No money", actor=staff_user
        )
        assert change.reason == "Abandoned: No money"

    def test_only_staff_reopen_a_closed_partnership_to_review(self, staff_user):
        lead = OrganisationFactory()
        member = UserFactory(organisations=[lead])
        p = make_partnership(lead=lead, actor=member)
        stage_move(partnership=p, to_stage=Stage.CLOSED, reason="Stop", actor=member)
        with pytest.raises(DomainError) as by_member:
            stage_move(partnership=p, to_stage=Stage.REVIEW, reason="Again", actor=member)
        assert by_member.value.code == E.REOPEN_STAFF_ONLY
        with pytest.raises(DomainError) as to_idea:
            stage_move(partnership=p, to_stage=Stage.IDEA, reason="Again", actor=staff_user)
        assert to_idea.value.code == E.STAGE_NOT_ALLOWED
        stage_move(partnership=p, to_stage=Stage.REVIEW, reason="New funding", actor=staff_user)
        p.refresh_from_db()
        assert p.stage == Stage.REVIEW

    def test_move_dated_before_the_last_move_is_refused(self, staff_user):
        p = make_partnership(actor=staff_user)
        with pytest.raises(DomainError) as error:
            stage_move(partnership=p, to_stage=Stage.SCOPING, moved_on=date(2002, 1, 1),
                       actor=staff_user)  # fmt: skip
        assert error.value.code == E.STAGE_DATE


class TestUpdateAimsPriorities:
    def test_lead_must_be_a_current_member(self, staff_user):
        p = make_partnership(actor=staff_user)
        with pytest.raises(DomainError) as error:
            partnership_update(partnership=p, data={"lead_organisation": OrganisationFactory()},
                               actor=staff_user)  # fmt: skip
        assert error.value.code == E.LEAD_NOT_MEMBER

    def test_update_is_audited_and_keeps_derived_fields(self, staff_user):
        p = make_partnership(actor=staff_user)
        p = partnership_update(partnership=p, data={"name": "New name", "kind": "mixed"},
                               actor=staff_user)  # fmt: skip
        assert p.name == "New name" and p.kind == PartnershipKind.PUBLIC_PUBLIC
        assert p.history.first().history_user == staff_user

    def test_an_update_that_changes_nothing_writes_no_history(self, staff_user):
        p = make_partnership(actor=staff_user)
        before = p.history.count()
        partnership_update(partnership=p, data={"name": p.name, "purpose": p.purpose},
                           actor=staff_user)  # fmt: skip
        assert p.history.count() == before

    def test_scores_are_all_or_nothing(self, staff_user):
        org = OrganisationFactory()
        p = make_partnership(members=[org], actor=staff_user)
        aim = aim_create(partnership=p, title="Aim", actor=staff_user)
        mine = priority_create(organisation=org, title="Mine", weight=4, actor=staff_user)
        outsider = PriorityFactory()
        with pytest.raises(DomainError) as not_member:
            aim_scores_set(aim=aim, scores={mine.pk: 2, outsider.pk: 1}, actor=staff_user)
        with pytest.raises(DomainError) as bad:
            aim_scores_set(aim=aim, scores={mine.pk: 4}, actor=staff_user)
        assert (not_member.value.code, bad.value.code) == (E.PRIORITY_NOT_MEMBER, E.SCORE_INVALID)
        assert not AimScore.objects.exists()
        aim_scores_set(aim=aim, scores={mine.pk: 2}, actor=staff_user)
        aim_scores_set(aim=aim, scores={mine.pk: 3}, actor=staff_user)
        score = AimScore.objects.get()
        assert score.score == 3 and score.history.count() == 2

    def test_priority_weight_must_be_1_to_5(self, staff_user):
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError):
            priority_create(
                organisation=OrganisationFactory(), title="x", weight=6, actor=staff_user
            )
