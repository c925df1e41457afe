"""Selectors: visibility rules, members on a date, change log, facets, constant query counts."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnering.core.tests.factories import UserFactory
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.permissions import (
    can_create_partnership,
    can_edit_partnership,
    can_view_partnership,
    partnerships_editable_by,
    partnerships_visible_to,
)
from partnering.partnerships.selectors import (
    PartnershipFilters,
    members_on,
    membership_change_log,
    organisation_partnerships,
    partnership_facets,
    partnership_fit,
    partnership_list,
)
from partnering.partnerships.services import (
    aim_create,
    aim_scores_set,
    membership_add,
    membership_change_role,
    membership_end,
    priority_create,
)

from .factories import MembershipFactory, PartnershipFactory, make_partnership

pytestmark = pytest.mark.django_db


class TestVisibility:
    def test_public_sees_published_only(self):
        shown, hidden = PartnershipFactory(), PartnershipFactory(unpublished=True)
        assert list(partnerships_visible_to(None)) == [shown]
        assert can_view_partnership(None, shown) and not can_view_partnership(None, hidden)
        assert not can_edit_partnership(None, shown) and not can_create_partnership(None)

    def test_partner_sees_unpublished_ones_their_organisation_was_ever_in(self):
        org = OrganisationFactory()
        user = UserFactory(organisations=[org])
        past = PartnershipFactory(unpublished=True)
        MembershipFactory(partnership=past, organisation=org, left_on=date(2003, 1, 1))
        current = PartnershipFactory(unpublished=True)
        MembershipFactory(partnership=current, organisation=org)
        other = PartnershipFactory(unpublished=True)
        assert set(partnerships_visible_to(user)) == {past, current}
        assert list(partnerships_editable_by(user)) == [current]
        assert not can_edit_partnership(user, past) and not can_view_partnership(user, other)
        assert can_create_partnership(user)

    def test_partner_without_organisation_cannot_register(self):
        assert not can_create_partnership(UserFactory())

    def test_adviser_sees_all_and_edits_assigned(self, adviser_user):
        assigned, other = PartnershipFactory(unpublished=True), PartnershipFactory()
        assigned.advisers.add(adviser_user)
        assert set(partnerships_visible_to(adviser_user)) == {assigned, other}
        assert can_edit_partnership(adviser_user, assigned)
        assert not can_edit_partnership(adviser_user, other)
        assert not can_create_partnership(adviser_user)

    def test_staff_see_and_edit_all(self, staff_user):
        p = PartnershipFactory(unpublished=True)
        assert can_view_partnership(staff_user, p) and can_edit_partnership(staff_user, p)


class TestMembersOverTime:
    def test_partnership_as_it_stood_on_a_date(self, staff_user):
        selby, agilisys = (
            OrganisationFactory(name="Selby"),
            OrganisationFactory(company=True, name="Agilisys"),
        )
        p = make_partnership(members=[selby], actor=staff_user)
        membership_end(membership=p.memberships.get(organisation=selby), left_on=date(2003, 6, 30),
                       reason="dropped out", actor=staff_user)  # fmt: skip
        membership_add(partnership=p, organisation=agilisys, role="private_partner",
                       joined_on=date(2005, 4, 1), actor=staff_user)  # fmt: skip
        names = lambda d: [m.organisation.name for m in members_on(p, d)]  # noqa: E731
        assert "Selby" in names(date(2003, 6, 30)) and "Selby" not in names(date(2003, 7, 1))
        assert "Agilisys" not in names(date(2005, 3, 31)) and "Agilisys" in names(date(2005, 4, 1))
        assert names(date(2002, 5, 31)) == []

    def test_change_log_reads_like_a_story(self, staff_user):
        selby = OrganisationFactory(name="Selby District Council")
        agilisys = OrganisationFactory(company=True, name="Agilisys")
        p = make_partnership(members=[selby], actor=staff_user)
        membership_end(membership=p.memberships.get(organisation=selby), left_on=date(2003, 6, 30),
                       reason="dropped out", actor=staff_user)  # fmt: skip
        m = membership_add(partnership=p, organisation=agilisys, role="observer",
                           joined_on=date(2004, 4, 1), actor=staff_user)  # fmt: skip
        membership_change_role(membership=m, role="private_partner", on=date(2005, 4, 1),
                               reason="Contract signed", actor=staff_user)  # fmt: skip
        log = [str(e) for e in membership_change_log(p)]
        assert "2003-06-30: Selby District Council left: dropped out" in log
        assert "2004-04-01: Agilisys joined as observer" in log
        assert "2005-04-01: Agilisys became private partner (was observer): Contract signed" in log
        assert not any("Agilisys left" in line for line in log)


class TestFit:
    def test_poorly_served_member_is_named_in_the_summary(self, staff_user):
        lead, district = OrganisationFactory(name="County"), OrganisationFactory(name="Hambleton")
        p = make_partnership(lead=lead, members=[district], actor=staff_user)
        aim = aim_create(partnership=p, title="Shared ICT", actor=staff_user)
        a = priority_create(organisation=lead, title="Cheaper ICT", weight=5, actor=staff_user)
        b = priority_create(
            organisation=district, title="Local offices", weight=5, actor=staff_user
        )
        aim_scores_set(aim=aim, scores={a.pk: 3, b.pk: 1}, actor=staff_user)
        report = partnership_fit(p)
        assert [(r.organisation.name, r.fit.overall) for r in report.rows] == [
            ("County", 100.0), ("Hambleton", 33.3),
        ]  # fmt: skip
        assert [r.organisation.name for r in report.poor] == ["Hambleton"]
        assert any("Hambleton's priorities are poorly served" in s and "Local offices" in s
                   for s in report.summary)  # fmt: skip


def _make(n: int, staff_user) -> None:
    county = OrganisationFactory(county=True)
    for i in range(n):
        p = PartnershipFactory(
            lead_organisation=county, region="West Midlands", is_pathfinder=i % 2 == 0
        )
        MembershipFactory(partnership=p, organisation=county)
        MembershipFactory(partnership=p)


class TestListQueries:
    @pytest.mark.parametrize("role", ["public", "partner", "staff"])
    def test_list_and_facets_use_the_same_queries_for_1_or_30(
        self, role, user_for_role, staff_user
    ):
        def count(n: int) -> int:
            from partnering.partnerships.models import Partnership

            Partnership.objects.all().delete()
            _make(n, staff_user)
            viewer = user_for_role(role)
            if viewer is not None:
                viewer = type(viewer).objects.get(pk=viewer.pk)  # no cached organisations
            filters = PartnershipFilters(region=("West Midlands",))
            with CaptureQueriesContext(connection) as ctx:
                rows = list(partnership_list(viewer=viewer, filters=filters)[:25])
                for r in rows:
                    str(r.lead_organisation)
                partnership_facets(viewer=viewer, filters=filters)
            assert len(rows) == min(n, 25)
            return len(ctx.captured_queries)

        assert count(1) == count(30)

    def test_filters(self, staff_user):
        county = OrganisationFactory(county=True)
        a = make_partnership(lead=county, members=[OrganisationFactory(parent_county=county)],
                             is_pathfinder=True, pathfinder_theme="E-gov", actor=staff_user)  # fmt: skip
        b = make_partnership(members=[OrganisationFactory(company=True)], actor=staff_user)

        def names(**kw):
            return set(partnership_list(viewer=None, filters=PartnershipFilters(**kw)))

        assert names(kind=("public_private",)) == {b}
        assert names(pathfinder="yes") == {a} and names(pathfinder="no") == {b}
        assert names(member=county.slug) == {a}
        assert names(member=county.gss_code.lower()) == {a}
        assert names(member=county.name[:8].upper()) >= {a}
        assert names(member="No such council anywhere") == set()
        assert names(q=b.reference.lower()) == {b}
        assert names(stage=("idea",)) == {a, b} and names(stage=("closed",)) == set()
        facets = partnership_facets(
            viewer=None, filters=PartnershipFilters(kind=("public_private",))
        )
        kinds = {o.value: o.count for o in facets["kind"]}
        assert kinds["public_private"] == 1 and kinds["public_public"] == 1
        assert {o.value: o.count for o in facets["pathfinder"]} == {"yes": 0, "no": 1}

    def test_organisation_partnerships_respects_visibility(self, staff_user):
        org = OrganisationFactory()
        shown = make_partnership(lead=org, actor=staff_user)
        make_partnership(lead=org, reference="HIDDEN", is_published=False, actor=staff_user)
        rows = organisation_partnerships(viewer=None, organisation=org)
        assert [r["partnership"] for r in rows] == [shown] and rows[0]["current"]
        assert len(organisation_partnerships(viewer=staff_user, organisation=org)) == 2


class TestFacetsCountedInOneQuery:
    """The column facets come from one count per combination of kind, stage, region and
    pathfinder: each option's count must equal counting the list with that option chosen."""

    FILTER_SETS = [
        PartnershipFilters(),
        PartnershipFilters(kind=("public_public",)),
        PartnershipFilters(stage=("delivery", "idea"), region=("South East",)),
        PartnershipFilters(region=("South East", "London"), pathfinder="yes"),
        PartnershipFilters(kind=("public_private", "public_voluntary"), pathfinder="no"),
        PartnershipFilters(q="Testshire Partnership 1", stage=("idea",)),
    ]

    @pytest.fixture
    def spread(self, db):
        from itertools import product

        from partnering.partnerships.models import PartnershipKind, Stage

        kinds = [k for k, _ in PartnershipKind.choices]
        stages = [Stage.IDEA, Stage.DELIVERY, Stage.PROCUREMENT]
        regions = ["South East", "London", "", "North East"]
        for i, (kind, stage, region) in enumerate(product(kinds, stages, regions)):
            for copy in range(1 + i % 3):
                PartnershipFactory(
                    kind=kind, stage=stage, region=region, is_pathfinder=(i + copy) % 2 == 0,
                    is_published=(i + copy) % 5 != 0,
                )  # fmt: skip

    @pytest.mark.parametrize("filters", FILTER_SETS, ids=range(len(FILTER_SETS)))
    @pytest.mark.parametrize("role", ["public", "staff"])
    def test_each_option_counts_what_choosing_it_lists(self, spread, filters, role, user_for_role):
        from dataclasses import replace

        viewer = user_for_role(role)
        facets = partnership_facets(viewer=viewer, filters=filters)

        def listed(**change) -> int:
            return partnership_list(viewer=viewer, filters=replace(filters, **change)).count()

        assert facets["total"][0].count == listed()
        for option in facets["kind"]:
            assert option.count == listed(kind=(option.value,)), option
        for option in facets["stage"]:
            assert option.count == listed(stage=(option.value,)), option
        shown = {o.value: o.count for o in facets["region"]}
        for region in ("South East", "London", "North East", "West Midlands"):
            assert shown.get(region, 0) == listed(region=(region,)), region
        for option in facets["pathfinder"]:
            assert option.count == listed(pathfinder=option.value), option

    def test_the_list_page_counts_no_more_than_its_facets(self, spread, client):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/partnerships/?region=London")
        assert response.status_code == 200
        counts = [q["sql"] for q in ctx.captured_queries if 'COUNT(*) AS "__count"' in q["sql"]]
        assert counts == [], "the paginator counted again"
        assert (
            response.context["page_obj"].paginator.count
            == partnership_list(viewer=None, filters=PartnershipFilters(region=("London",))).count()
        )


def test_every_region_in_the_shipped_data_is_one_of_englands_nine():
    import csv
    from pathlib import Path

    from django.conf import settings

    from partnering.organisations.models import ENGLISH_REGIONS

    path = Path(settings.REFERENCE_DATA_DIR) / "local_authorities.csv"
    with open(path, newline="", encoding="utf-8") as handle:
        regions = {row["region"] for row in csv.DictReader(handle)}
    assert regions - {""} <= set(ENGLISH_REGIONS)
    assert len(regions - {""}) == 9
