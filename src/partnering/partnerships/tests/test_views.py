"""Pages: forms show the GOV.UK error summary and save nothing on bad input; lists, CSV, dates."""

from datetime import date

import pytest
from django.urls import reverse

from partnering.core.tests.factories import UserFactory
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.models import Membership, Partnership, Stage, StageChange

from .factories import MembershipFactory, PartnershipFactory, ServiceAreaFactory, make_partnership

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead():
    return OrganisationFactory(name="Testshire County Council")


@pytest.fixture
def member_client(client, lead):
    user = UserFactory(username="officer", organisations=[lead])
    client.force_login(user)
    return client


def _body(response) -> str:
    return response.content.decode()


class TestRegister:
    def test_partner_member_registers_and_becomes_lead(self, member_client, lead):
        response = member_client.post(
            reverse("partnerships:partnership-create"),
            {"name": "Testshire Connect", "reference": "SPT-T-1", "purpose": "One front door",
             "lead_organisation": lead.pk, "start_date": "2002-06-01", "is_published": "on"},
        )  # fmt: skip
        p = Partnership.objects.get()
        assert response.status_code == 302 and response["Location"] == p.get_absolute_url()
        assert p.lead_organisation == lead and p.memberships.get().role == "lead"

    def test_missing_fields_show_error_summary_and_save_nothing(self, member_client, lead):
        response = member_client.post(
            reverse("partnerships:partnership-create"),
            {"name": "", "reference": "", "purpose": "", "lead_organisation": lead.pk,
             "is_pathfinder": "on", "start_date": "2002-13-45"},
        )  # fmt: skip
        html = _body(response)
        assert response.status_code == 200
        assert "There is a problem" in html and "<title>Error: " in html
        for message in ["Enter the partnership", "Enter a reference", "Enter the pathfinder theme",
                        "Start date must be a real date"]:  # fmt: skip
            assert message in html
        assert not Partnership.objects.exists()

    def test_cannot_choose_another_organisation_as_lead(self, member_client):
        other = OrganisationFactory()
        response = member_client.post(
            reverse("partnerships:partnership-create"),
            {"name": "X", "reference": "X", "purpose": "X", "lead_organisation": other.pk},
        )
        assert "Select lead organisation from the list" in _body(response)
        assert not Partnership.objects.exists()


class TestMembers:
    def test_member_added_twice_shows_error_and_saves_nothing(self, member_client, lead):
        other = OrganisationFactory(name="Selby District Council")
        p = make_partnership(lead=lead, members=[other])
        url = reverse("partnerships:membership-add", kwargs={"slug": p.slug})
        response = member_client.post(
            url, {"organisation": other.pk, "role": "partner", "joined_on": "2003-01-01"}
        )
        html = _body(response)
        assert "There is a problem" in html
        assert "Selby District Council is already a member on those dates" in html
        assert 'href="#id_organisation"' in html
        assert Membership.objects.filter(organisation=other).count() == 1

    def test_left_before_joined_is_an_error(self, member_client, lead):
        p = make_partnership(lead=lead)
        response = member_client.post(
            reverse("partnerships:membership-add", kwargs={"slug": p.slug}),
            {"organisation": OrganisationFactory().pk, "role": "partner",
             "joined_on": "2003-01-01", "left_on": "2002-01-01"},
        )  # fmt: skip
        assert "The date they left must be on or after the date they joined" in _body(response)
        assert p.memberships.count() == 1

    def test_end_membership_then_view_the_past(self, member_client, lead):
        selby = OrganisationFactory(name="Selby District Council")
        p = make_partnership(lead=lead, members=[selby])
        m = p.memberships.get(organisation=selby)
        response = member_client.post(
            reverse("partnerships:membership-end", kwargs={"slug": p.slug, "pk": m.pk}),
            {"left_on": "2003-06-30", "reason": "dropped out"},
        )
        assert response.status_code == 302
        today = _body(member_client.get(p.get_absolute_url()))
        assert "30 June 2003</strong>: Selby District Council left: dropped out" in today
        past = _body(member_client.get(p.get_absolute_url() + "?on=2003-06-30"))
        assert "Members on 30 June 2003" in past and "2 members on 30 June 2003" in past
        bad = _body(member_client.get(p.get_absolute_url() + "?on=2003-02-30"))
        assert "There is a problem" in bad
        assert '<a href="#id_on_day">The partnership as it stood on must be a real date</a>' in bad
        boxes = _body(
            member_client.get(
                p.get_absolute_url(), {"on_day": "30", "on_month": "6", "on_year": "2003"}
            )
        )
        assert "2 members on 30 June 2003" in boxes
        no_month = _body(
            member_client.get(p.get_absolute_url(), {"on_day": "30", "on_year": "2003"})
        )
        assert "The partnership as it stood on must include a month" in no_month

    def test_membership_of_another_partnership_is_not_found(self, member_client, lead):
        p = make_partnership(lead=lead)
        elsewhere = MembershipFactory()
        url = reverse("partnerships:membership-end", kwargs={"slug": p.slug, "pk": elsewhere.pk})
        assert member_client.get(url).status_code == 404


class TestStage:
    def test_refused_move_shows_error_summary(self, member_client, lead):
        p = make_partnership(lead=lead)
        url = reverse("partnerships:stage-move", kwargs={"slug": p.slug})
        html = _body(member_client.post(url, {"to_stage": Stage.AGREEMENT}))
        assert "There is a problem" in html and "move forward one stage at a time" in html
        assert StageChange.objects.count() == 1
        assert member_client.post(url, {"to_stage": Stage.SCOPING}).status_code == 302
        p.refresh_from_db()
        assert p.stage == Stage.SCOPING
        html = _body(member_client.get(p.get_absolute_url()))
        assert "Idea to scoping" in html


class TestListAndCsv:
    def _make(self, n):
        county = OrganisationFactory(county=True)
        for _ in range(n):
            p = PartnershipFactory(lead_organisation=county, region="West Midlands")
            MembershipFactory(partnership=p, organisation=county)

    @pytest.mark.parametrize("role", ["public", "staff"])
    def test_list_page_queries_do_not_grow(self, client_for, role, django_assert_num_queries):
        client = client_for(role)
        self._make(1)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as one:
            assert client.get(reverse("partnerships:partnership-list")).status_code == 200
        self._make(29)
        with django_assert_num_queries(len(one.captured_queries)):
            response = client.get(
                reverse("partnerships:partnership-list") + "?region=West+Midlands"
            )
        assert "30</strong> partnerships" in _body(response)

    def test_csv_download_respects_filters_and_visibility(self, client):
        shown = make_partnership(name="Shown", reference="A-1")
        make_partnership(name="Hidden", reference="A-2", is_published=False)
        make_partnership(name="Other", reference="B-1", is_pathfinder=True, pathfinder_theme="x")
        response = client.get(reverse("partnerships:partnership-csv") + "?pathfinder=no")
        text = b"".join(response.streaming_content).decode()
        assert response["Content-Type"].startswith("text/csv")
        assert text.splitlines()[0].startswith("reference,name,kind,stage")
        assert shown.reference in text and "Hidden" not in text and "Other" not in text

    def test_list_shows_counts_per_option_and_bad_params_do_not_break(self, client):
        make_partnership(members=[OrganisationFactory(company=True)])
        html = _body(
            client.get(
                reverse("partnerships:partnership-list") + "?kind=nope&service_area=x&page=9"
            )
        )
        assert "Public-private (1)" in html and "Public-public (0)" in html

    def test_service_area_filter_counts_what_the_viewer_sees_and_keeps_a_hidden_choice(
        self, client
    ):
        waste = ServiceAreaFactory(lgsl_code=524, label="Waste collection")
        parks = ServiceAreaFactory(lgsl_code=8801, label="Parks and open spaces")
        make_partnership(name="Shown").service_areas.add(waste)
        make_partnership(name="Hidden", is_published=False).service_areas.add(parks)
        url = reverse("partnerships:partnership-list")

        unfiltered = _body(client.get(url))
        assert "Waste collection (1)" in unfiltered and "Any service area" in unfiltered
        assert "Parks and open spaces" not in unfiltered  # only a hidden partnership covers it

        chosen = _body(client.get(url + "?service_area=8801"))
        assert (
            "Parks and open spaces (LGSL 8801) (0)" in chosen
            and "0</strong> partnerships" in chosen
        )
        assert _body(client.get(url + "?service_area=524")).count("1</strong> partnership") == 1
        unknown = _body(client.get(url + "?service_area=77777"))
        assert "There is a problem" in unknown and "Select service area from the list" in unknown

    def test_the_unfiltered_list_does_not_read_the_service_areas_twice(self, client):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        make_partnership().service_areas.add(ServiceAreaFactory())
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("partnerships:partnership-list"))
        reads = [q["sql"] for q in queries if 'FROM "partnerships_servicearea"' in q["sql"]]
        assert len(reads) == 1  # the counts; the options come from them

    def test_council_page_lists_its_partnerships(self, client):
        org = OrganisationFactory()
        p = make_partnership(lead=org, name="Testshire Connect")
        html = _body(client.get(org.get_absolute_url()))
        assert "Testshire Connect" in html and p.get_absolute_url() in html

    def test_partnership_page_links_to_its_fair_shares(self, client):
        p = make_partnership(name="Testshire Connect")
        html = _body(client.get(p.get_absolute_url()))
        assert reverse("sharing:overview", kwargs={"slug": p.slug}) in html


class TestFitPage:
    def test_priorities_aims_and_scores_through_the_pages(self, member_client, lead):
        p = make_partnership(lead=lead)
        member_client.post(reverse("partnerships:aim-create", kwargs={"slug": p.slug}),
                           {"title": "One front door"})  # fmt: skip
        member_client.post(
            reverse("partnerships:priority-create", kwargs={"slug": p.slug, "org_slug": lead.slug}),
            {"title": "Rural access", "source": "Community strategy 2003", "weight": "5"},
        )
        aim, priority = p.aims.get(), lead.priorities.get()
        bad = member_client.post(
            reverse("partnerships:aim-score", kwargs={"slug": p.slug, "pk": aim.pk}), {}
        )
        assert "Choose a score for ‘Rural access’" in _body(bad)
        member_client.post(
            reverse("partnerships:aim-score", kwargs={"slug": p.slug, "pk": aim.pk}),
            {f"priority_{priority.pk}": "1"},
        )
        html = _body(member_client.get(reverse("partnerships:fit", kwargs={"slug": p.slug})))
        assert "Poorly served" in html and "33%" in html
        assert "Testshire County Council&#x27;s priorities are poorly served" in html


def test_demo_loads_idempotently_with_the_real_stories(db):
    from django.core.management import call_command

    from partnering.partnerships import demo
    from partnering.partnerships.selectors import members_on, membership_change_log

    call_command("import_organisations", no_progress=True, verbosity=0)
    from partnering.organisations import demo as organisations_demo

    organisations_demo.load()
    first = demo.load()
    assert "24 pathfinders" in first
    assert demo.load().startswith("0 partnerships created")
    pathfinders = Partnership.objects.filter(is_pathfinder=True)
    assert pathfinders.count() == 24
    assert pathfinders.filter(pathfinder_theme="E-government and corporate support").count() == 8
    assert pathfinders.filter(joins_two_tiers=True).count() >= 5
    assert {"public_public", "public_private", "public_voluntary"} <= set(
        pathfinders.values_list("kind", flat=True)
    )
    ny = Partnership.objects.get(slug="north-yorkshire-ict-partnership")
    assert len(members_on(ny, date(2002, 6, 1))) == 9
    assert len(members_on(ny, date(2003, 12, 31))) == 5
    assert sorted(m.organisation.name for m in members_on(ny, date(2004, 10, 1))) == [
        "Agilisys", "Hambleton District Council", "North Yorkshire County Council",
    ]  # fmt: skip
    assert ny.stage == Stage.DELIVERY and ny.kind == "public_private"
    assert any("Agilisys joined as private partner" in str(e) for e in membership_change_log(ny))
    worcs = Partnership.objects.get(slug="worcestershire-partnership")
    assert (
        worcs.memberships.count() == 16 and worcs.memberships.filter(is_verified=False).count() == 9
    )
    assert not Partnership.objects.filter(is_demo=False).exclude(pk__in=[ny.pk, worcs.pk]).exists()


def test_an_empty_result_offers_no_csv_and_selected_filters_are_removable_tags(client):
    """Issue 8 part 10 on the partnerships list: no CSV link for an empty result; each selected
    filter is a tag whose link removes that filter and keeps the others."""
    make_partnership(name="Testshire Connect", reference="SPT-T-9", is_pathfinder=True,
                     pathfinder_theme="E-government")  # fmt: skip
    url = reverse("partnerships:partnership-list")
    empty = _body(client.get(url, {"q": "zzzz-no-such-partnership"}))
    assert "0</strong> partnerships" in empty
    assert "Download these results as CSV" not in empty
    found = _body(client.get(url, {"q": "Testshire", "pathfinder": "yes"}))
    assert "1</strong> partnership" in found
    assert "Download these results as CSV" in found
    tags = found.split('class="app-selected-filters"')[1].split("</div>")[0]
    assert tags.count("Remove this filter") == 2
    assert 'href="?q=Testshire"' in tags  # removing "pathfinder" keeps the search
    assert 'href="?pathfinder=yes"' in tags  # removing the search keeps "pathfinder"


def test_the_partnership_page_reads_its_memberships_once(client, staff_user):
    """Its members on a day and its change log come from one read of the memberships (they were
    two), and say the same as reading each on its own."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from partnering.partnerships.selectors import members_on, membership_change_log
    from partnering.partnerships.services import membership_end

    county = OrganisationFactory(county=True, name="Zedshire County Council")
    partnership = make_partnership(
        lead=county,
        members=[OrganisationFactory(name="Aston District"), OrganisationFactory(name="beta")],
        actor=staff_user, joined_on=date(2002, 6, 1),
    )  # fmt: skip
    leaver = partnership.memberships.get(organisation__name="Aston District")
    membership_end(membership=leaver, left_on=date(2003, 3, 31), reason="Left", actor=staff_user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"{partnership.get_absolute_url()}?on=2002-06-30")
    assert response.status_code == 200
    sql = [q["sql"] for q in captured.captured_queries]
    reads = [q for q in sql if q.startswith('SELECT "partnerships_membership"."id"')]
    assert len(reads) == 1, reads  # other rooms' sections may use memberships in subqueries
    day = date(2002, 6, 30)
    assert response.context["members"] == members_on(partnership, day)
    assert [str(e) for e in response.context["change_log"]] == [
        str(e) for e in membership_change_log(partnership)
    ]
