"""Training modules, events with waiting lists and iCalendar feeds, peer support: the rules,
the bad input (clear messages, nothing saved), the API's 422s and the fixed query counts."""

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from partnering.core.errors import DomainError
from partnering.core.models import Role
from partnering.core.services import api_key_create
from partnering.core.tests.factories import UserFactory
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.tests.factories import make_partnership
from partnering.programme import selectors
from partnering.programme.models import Booking, Enrolment, Event, PeerOffer, TrainingModule
from partnering.programme.services import (
    attendance_record,
    booking_cancel,
    booking_create,
    enrolment_complete,
    enrolment_create,
    enrolment_withdraw,
    event_create,
    module_create,
    module_session_create,
    peer_offer_set,
)

from .factories import (
    EventFactory,
    ModuleFactory,
    ModuleSessionFactory,
    PeerOfferFactory,
    staff_user,
)

pytestmark = pytest.mark.django_db


def _bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {api_key_create(name='t', actor=user)[1]}"}


def _officer(org=None, **kw):
    org = org or OrganisationFactory()
    return UserFactory(role=Role.PARTNER, organisations=[org], **kw), org


# --- modules -------------------------------------------------------------------------------


class TestModules:
    def test_staff_create_a_module_and_a_cohort(self):
        staff = staff_user()
        m = module_create(
            title="Leading partnerships", summary="For officers",
            learning_outcomes=["Chair a board", " ", "Agree shares"], audience="officers",
            duration_hours=Decimal("6"), format="workshop", is_published=True, actor=staff,
        )  # fmt: skip
        assert m.learning_outcomes == ["Chair a board", "Agree shares"]
        assert m.slug == "leading-partnerships"
        s = module_session_create(module=m, starts_on=date(2003, 6, 1), ends_on=date(2003, 6, 1),
                                  venue="Leeds", places=2, actor=staff)  # fmt: skip
        assert s.history.count() == 1 and m.history.count() == 1

    @pytest.mark.parametrize(
        "change, field",
        [({"learning_outcomes": []}, "learning_outcomes"), ({"duration_hours": Decimal("0.2")}, "duration_hours"),
         ({"duration_hours": Decimal("5000")}, "duration_hours"), ({"audience": "mayors"}, "audience"),
         ({"format": "telepathy"}, "format")],
    )  # fmt: skip
    def test_bad_module_is_refused_and_nothing_saved(self, change, field):
        data = {"title": "T", "summary": "S", "learning_outcomes": ["x"], "audience": "all",
                "duration_hours": Decimal("1"), "format": "webinar"}  # fmt: skip
        with pytest.raises(DomainError) as exc:
            module_create(**{**data, **change}, actor=staff_user())
        assert exc.value.field == field
        assert not TrainingModule.objects.exists()

    def test_a_partner_cannot_create_a_module(self):
        officer, _ = _officer()
        with pytest.raises(DomainError):
            module_create(title="T", summary="S", learning_outcomes=["x"], audience="all",
                          duration_hours=Decimal(1), format="webinar", actor=officer)  # fmt: skip

    def test_cohort_ending_before_it_starts_is_refused(self):
        with pytest.raises(DomainError) as exc:
            module_session_create(module=ModuleFactory(), starts_on=date(2003, 6, 2),
                                  ends_on=date(2003, 6, 1), venue="Leeds", places=3,
                                  actor=staff_user())  # fmt: skip
        assert exc.value.code == "programme.session_dates"

    def test_enrol_until_full_then_refused(self):
        session = ModuleSessionFactory(places=1)
        a, org_a = _officer()
        b, org_b = _officer()
        enrolment_create(session=session, person=a, organisation=org_a, actor=a)
        with pytest.raises(DomainError) as exc:
            enrolment_create(session=session, person=b, organisation=org_b, actor=b)
        assert exc.value.code == "programme.session_full"
        assert Enrolment.objects.count() == 1

    def test_enrol_only_for_your_own_organisation(self):
        a, _ = _officer()
        with pytest.raises(DomainError) as exc:
            enrolment_create(session=ModuleSessionFactory(), person=a,
                             organisation=OrganisationFactory(), actor=a)  # fmt: skip
        assert exc.value.code == "programme.not_your_organisation"

    def test_no_enrolment_in_a_draft_module_or_twice(self):
        a, org = _officer()
        with pytest.raises(DomainError):
            enrolment_create(session=ModuleSessionFactory(module=ModuleFactory(is_published=False)),
                             person=a, organisation=org, actor=a)  # fmt: skip
        session = ModuleSessionFactory()
        enrolment_create(session=session, person=a, organisation=org, actor=a)
        with pytest.raises(DomainError) as exc:
            enrolment_create(session=session, person=a, organisation=org, actor=a)
        assert exc.value.code == "programme.already_enrolled"

    def test_withdrawing_frees_the_place_and_allows_enrolling_again(self):
        session = ModuleSessionFactory(places=1)
        a, org = _officer()
        e = enrolment_create(session=session, person=a, organisation=org, actor=a)
        enrolment_withdraw(enrolment=e, actor=a)
        b, org_b = _officer()
        enrolment_create(session=session, person=b, organisation=org_b, actor=b)
        with pytest.raises(DomainError):
            enrolment_create(session=session, person=a, organisation=org, actor=a)

    def test_completion_with_a_date_counts_for_the_organisation(self):
        staff = staff_user()
        session = ModuleSessionFactory(starts_on=date(2003, 6, 1), ends_on=date(2003, 6, 2))
        a, org = _officer()
        e = enrolment_create(session=session, person=a, organisation=org, actor=a)
        with pytest.raises(DomainError) as exc:
            enrolment_complete(enrolment=e, completed_on=date(2003, 5, 1), actor=staff)
        assert exc.value.field == "completed_on"
        with pytest.raises(DomainError):
            enrolment_complete(enrolment=e, completed_on=timezone.localdate() + timedelta(days=1),
                               actor=staff)  # fmt: skip
        with pytest.raises(DomainError):
            enrolment_complete(enrolment=e, completed_on=date(2003, 6, 2), actor=a)
        enrolment_complete(enrolment=e, completed_on=date(2003, 6, 2), actor=staff)
        e.refresh_from_db()
        assert (e.status, e.completed_on) == ("completed", date(2003, 6, 2))
        grid = selectors.completion_grid()
        assert [(o, counts) for o, counts in grid.rows] == [(org, [1])]
        assert grid.modules == [session.module]

    def test_published_modules_is_the_public_catalogue_at_two_queries(
        self, django_assert_num_queries
    ):
        for i in range(3):
            ModuleSessionFactory(module=ModuleFactory(title=f"M{i}"))
        ModuleFactory(is_published=False, title="Draft")
        with django_assert_num_queries(2):
            modules = list(selectors.published_modules())
            assert [m.title for m in modules] == ["M0", "M1", "M2"]
            assert all(len(m.sessions.all()) == 1 for m in modules)

    def test_module_list_page_has_a_fixed_query_count(self, client, django_assert_num_queries):
        def count():
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as ctx:
                assert client.get(reverse("programme:module-list")).status_code == 200
            return len(ctx.captured_queries)

        ModuleSessionFactory()
        one = count()
        for _ in range(25):
            ModuleSessionFactory()
        assert count() == one

    def test_enrol_page_bad_input_shows_an_error_summary_and_saves_nothing(self, client):
        a, org = _officer()
        session = ModuleSessionFactory()
        client.force_login(a)
        url = reverse("programme:module-enrol", args=[session.module.slug])
        for data in ({}, {"session": "999999", "organisation": org.pk},
                     {"session": session.pk, "organisation": "x\u0000"},
                     {"session": "NaN", "organisation": "1e999"}):  # fmt: skip
            response = client.post(url, data)
            assert response.status_code in (200, 400)
            if response.status_code == 200:
                assert b"There is a problem" in response.content
        assert not Enrolment.objects.exists()
        assert client.post(url, {"session": session.pk, "organisation": org.pk}).status_code == 302
        assert Enrolment.objects.get().organisation == org

    def test_completion_page_refuses_a_bad_date(self, client):
        staff = staff_user()
        a, org = _officer()
        e = enrolment_create(session=ModuleSessionFactory(), person=a, organisation=org, actor=a)
        client.force_login(staff)
        url = reverse("programme:enrolment-complete", args=[e.pk])
        r = client.post(
            url, {"completed_on_day": "31", "completed_on_month": "2", "completed_on_year": "2003"}
        )
        assert r.status_code == 200 and b"must be a real date" in r.content
        e.refresh_from_db()
        assert e.status == "enrolled"

    def test_api_enrol_and_complete(self, client):
        staff = staff_user()
        a, org = _officer()
        session = ModuleSessionFactory(starts_on=date(2003, 6, 1), ends_on=date(2003, 6, 1))
        url = f"/api/v1/programme/modules/{session.module.slug}/enrolments"
        bad = client.post(url, {"session": session.pk, "organisation": "nobody"},
                          content_type="application/json", **_bearer(a))  # fmt: skip
        assert bad.status_code == 422 and bad.json()["field"] == "organisation"
        r = client.post(url, {"session": session.pk, "organisation": org.slug},
                        content_type="application/json", **_bearer(a))  # fmt: skip
        assert r.status_code == 201, r.content
        done = client.post(f"/api/v1/programme/enrolments/{r.json()['id']}/complete",
                           {"completed_on": "2003-06-01"}, content_type="application/json",
                           **_bearer(staff))  # fmt: skip
        assert done.status_code == 200 and done.json()["status"] == "completed"

    @pytest.mark.parametrize(
        "change",
        [{"duration_hours": "NaN"}, {"duration_hours": "1e400"}, {"audience": "mayors"},
         {"learning_outcomes": []}, {"title": ""}, {"duration_hours": "0.1"}],
    )  # fmt: skip
    def test_api_bad_module_is_422_and_nothing_saved(self, client, change):
        body = {"title": "T", "summary": "S", "learning_outcomes": ["x"], "audience": "all",
                "duration_hours": "2", "format": "webinar"}  # fmt: skip
        r = client.post("/api/v1/programme/modules", json.dumps({**body, **change}),
                        content_type="application/json", **_bearer(staff_user()))  # fmt: skip
        assert r.status_code == 422
        assert not TrainingModule.objects.exists()


# --- events --------------------------------------------------------------------------------


class TestEvents:
    def test_bookings_beyond_the_places_wait_and_a_cancellation_promotes_the_first(self):
        event = EventFactory(places=2)
        people = [UserFactory() for _ in range(4)]
        bookings = [booking_create(event=event, person=p, actor=p) for p in people]
        assert [b.status for b in bookings] == ["booked", "booked", "waiting", "waiting"]
        assert selectors.waiting_position(bookings[3]) == 2
        promoted = booking_cancel(booking=bookings[0], actor=people[0])
        assert promoted.pk == bookings[2].pk
        assert Booking.objects.get(pk=bookings[2].pk).status == "booked"
        assert selectors.waiting_position(Booking.objects.get(pk=bookings[3].pk)) == 1
        assert booking_cancel(booking=bookings[3], actor=people[3]) is None

    def test_booking_twice_refused_and_only_for_yourself(self):
        event = EventFactory()
        a, b = UserFactory(), UserFactory()
        booking_create(event=event, person=a, actor=a)
        with pytest.raises(DomainError) as exc:
            booking_create(event=event, person=a, actor=a)
        assert exc.value.code == "programme.already_booked"
        with pytest.raises(DomainError):
            booking_create(event=event, person=b, actor=a)

    def test_a_finished_event_cannot_be_booked(self):
        past = EventFactory(starts_at=timezone.now() - timedelta(days=2),
                            ends_at=timezone.now() - timedelta(days=1))  # fmt: skip
        a = UserFactory()
        with pytest.raises(DomainError) as exc:
            booking_create(event=past, person=a, actor=a)
        assert exc.value.code == "programme.event_past"

    def test_attendance_only_for_a_place_and_by_staff(self):
        event = EventFactory(places=1)
        a, b = UserFactory(), UserFactory()
        booked = booking_create(event=event, person=a, actor=a)
        waiting = booking_create(event=event, person=b, actor=b)
        with pytest.raises(DomainError):
            attendance_record(booking=waiting, attended=True, actor=staff_user())
        with pytest.raises(DomainError):
            attendance_record(booking=booked, attended=True, actor=a)
        attendance_record(booking=booked, attended=True, actor=staff_user())
        assert Booking.objects.get(pk=booked.pk).attended

    def test_event_ending_before_it_starts_is_refused(self):
        start = timezone.now() + timedelta(days=3)
        with pytest.raises(DomainError) as exc:
            event_create(title="X", kind="webinar", summary="S", starts_at=start, ends_at=start,
                         location="Online", places=5, actor=staff_user())  # fmt: skip
        assert exc.value.code == "programme.event_dates"
        assert not Event.objects.exists()

    def test_the_feed_is_valid_icalendar(self, client):
        EventFactory(title="Peer visit: Worcestershire’s one front door", places=3)
        EventFactory(title="Webinar, with a comma; and a semicolon", location="Online")
        EventFactory(title="Draft", is_published=False)
        r = client.get(reverse("programme:events-ics"))
        assert r.status_code == 200 and r["Content-Type"].startswith("text/calendar")
        body = r.content
        lines = body.split(b"\r\n")
        assert body.endswith(b"\r\n") and all(b"\n" not in line for line in lines)
        assert all(len(line) <= 75 for line in lines)  # folded at 75 octets (RFC 5545 3.1)
        cal = Calendar.from_ical(body)
        assert cal["VERSION"] == "2.0" and cal["PRODID"]
        events = cal.walk("VEVENT")
        assert sorted(str(e["SUMMARY"]) for e in events) == [
            "Peer visit: Worcestershire’s one front door", "Webinar, with a comma; and a semicolon",
        ]  # fmt: skip
        for e in events:
            for prop in ("UID", "DTSTAMP", "DTSTART", "DTEND"):
                assert prop in e
            assert e.decoded("DTEND") > e.decoded("DTSTART")
            assert e.decoded("DTSTART").utcoffset() == timedelta(0)
        assert len({str(e["UID"]) for e in events}) == 2

    def test_one_events_file_and_a_hidden_event_is_404(self, client):
        event = EventFactory()
        r = client.get(reverse("programme:event-ics", args=[event.slug]))
        cal = Calendar.from_ical(r.content)
        assert [str(e["SUMMARY"]) for e in cal.walk("VEVENT")] == [event.title]
        assert f'filename="{event.slug}.ics"' in r["Content-Disposition"]
        draft = EventFactory(is_published=False)
        assert client.get(reverse("programme:event-ics", args=[draft.slug])).status_code == 404

    def test_event_list_has_a_fixed_query_count(self, client):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        def count():
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(reverse("programme:event-list")).status_code == 200
            return len(ctx.captured_queries)

        event = EventFactory()
        booking_create(event=event, person=UserFactory(), actor=None)
        one = count()
        for _ in range(25):
            booking_create(event=EventFactory(), person=UserFactory(), actor=None)
        assert count() == one

    @pytest.mark.parametrize(
        "change",
        [{"places": 0}, {"places": 10**12}, {"kind": "party"}, {"ends_at": "2030-05-01T09:00:00Z"},
         {"starts_at": "not a date"}, {"title": ""}],
    )  # fmt: skip
    def test_api_bad_event_is_422_and_nothing_saved(self, client, change):
        body = {"title": "T", "kind": "webinar", "summary": "S", "starts_at": "2030-05-01T10:00:00Z",
                "ends_at": "2030-05-01T11:00:00Z", "location": "Online", "places": 5}  # fmt: skip
        r = client.post("/api/v1/programme/events", json.dumps({**body, **change}),
                        content_type="application/json", **_bearer(staff_user()))  # fmt: skip
        assert r.status_code == 422
        assert not Event.objects.exists()

    def test_api_booking_twice_is_422(self, client):
        event = EventFactory()
        a = UserFactory()
        url = f"/api/v1/programme/events/{event.slug}/bookings"
        assert client.post(url, content_type="application/json", **_bearer(a)).status_code == 201
        again = client.post(url, content_type="application/json", **_bearer(a))
        assert again.status_code == 422 and again.json()["code"] == "programme.already_booked"


# --- peers ---------------------------------------------------------------------------------


class TestPeers:
    def test_offer_for_your_own_organisation_with_known_topics(self):
        a, org = _officer()
        with pytest.raises(DomainError) as exc:
            peer_offer_set(person=a, organisation=org, topics=["astrology"], actor=a)
        assert exc.value.code == "programme.unknown_topic"
        with pytest.raises(DomainError):
            peer_offer_set(person=a, organisation=org, topics=[], actor=a)
        with pytest.raises(DomainError):
            peer_offer_set(person=a, organisation=OrganisationFactory(), topics=["legal"], actor=a)
        assert not PeerOffer.objects.exists()
        offer = peer_offer_set(person=a, organisation=org, topics=["legal", "legal"], actor=a)
        assert offer.topics == ["legal"]
        peer_offer_set(person=a, organisation=org, topics=["legal"], is_listed=False, actor=a)
        assert selectors.peer_directory(UserFactory()) == []

    def test_directory_by_topic(self):
        one = PeerOfferFactory(topics=["procurement"])
        PeerOfferFactory(topics=["legal"])
        viewer = UserFactory()
        assert [o.pk for o in selectors.peer_directory(viewer, "procurement")] == [one.pk]
        assert len(selectors.peer_directory(viewer)) == 2

    def test_partnerships_like_mine_explains_and_names_listed_contacts(self):
        county = OrganisationFactory(kind="county", region="West Midlands")
        districts = [OrganisationFactory(kind="district", region="West Midlands") for _ in range(4)]
        mine = make_partnership(
            lead=county, members=districts[:2], purpose="A joint e-government strategy"
        )
        county2 = OrganisationFactory(kind="county", region="West Midlands")
        twin = make_partnership(lead=county2, members=districts[2:], purpose="E-government for all")
        other = make_partnership(
            lead=OrganisationFactory(kind="company"), purpose="Leisure centres"
        )
        listed = PeerOfferFactory(org=county2)
        PeerOfferFactory(org=county2, is_listed=False)
        viewer = UserFactory()
        result = selectors.partnerships_like(viewer, mine)
        assert [s.partnership for s in result][:2] == [twin, other]
        assert "the same mix of member tiers (county, district)" in result[0].reasons
        assert [c.pk for c in result[0].contacts] == [listed.pk]
        from django.contrib.auth.models import AnonymousUser

        assert selectors.partnerships_like(AnonymousUser(), mine)[0].contacts == []

    def test_partnerships_like_has_a_fixed_query_count(self, django_assert_num_queries):
        mine = make_partnership(lead=OrganisationFactory())
        viewer = staff_user()
        for _ in range(3):
            make_partnership(lead=OrganisationFactory())
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            selectors.partnerships_like(viewer, mine)
        for _ in range(20):
            make_partnership(lead=OrganisationFactory())
        with django_assert_num_queries(len(ctx.captured_queries)):
            selectors.partnerships_like(viewer, mine)

    def test_api_peer_offer_bad_topic_is_422(self, client):
        a, org = _officer()
        r = client.post("/api/v1/programme/peers", {"organisation": org.slug, "topics": ["astrology"]},
                        content_type="application/json", **_bearer(a))  # fmt: skip
        assert r.status_code == 422
        assert not PeerOffer.objects.exists()


# --- dashboard -----------------------------------------------------------------------------


class TestDashboard:
    def _world(self, n):
        from partnering.programme.services import (
            ActionSpec,
            advice_record,
            adviser_profile_set,
            selection_run,
        )

        from .factories import assess, make_application, make_call

        staff = staff_user(username="dash-staff")
        assessor = UserFactory(role=Role.ADVISER)
        call = make_call(actor=staff, places=n, quotas=[("egov", 1, None, "E-government")],
                         assessors=[assessor])  # fmt: skip
        for _ in range(2 * n):
            assess(make_application(call), assessor, 5, 5)
        selection_run(call=call, actor=staff)
        adviser = UserFactory(role=Role.ADVISER)
        adviser_profile_set(user=adviser, disciplines=["finance"], capacity=2, actor=staff)
        for _ in range(n):
            p = make_partnership(lead=OrganisationFactory())
            advice_record(partnership=p, adviser=adviser, advice_type="legal",
                          given_on=date(2003, 1, 1), summary="S",
                          actions=[ActionSpec("Do it", adviser, date(2003, 2, 1))], actor=staff)  # fmt: skip
            EventFactory()
        return staff

    def test_charts_have_data_tables_and_the_quota_is_shown_against_its_minimum(self, client):
        staff = self._world(2)
        data = selectors.dashboard()
        keys = [c.key for c in data.charts]
        assert keys == ["applications", "pathfinders", "portfolio", "advisers"]
        portfolio = data.charts[2]
        assert portfolio.bars[0].label == "E-government"
        assert portfolio.bars[0].value == 2 and portfolio.bars[0].note == "at least 1: met"
        assert data.overdue_count == 2
        client.force_login(staff)
        html = client.get(reverse("programme:dashboard")).content.decode()
        for key in keys:
            assert f'id="chart-{key}"' in html and f'id="{key}-table"' in html
        assert html.count('role="img"') == 4

    def test_dashboard_has_a_fixed_query_count(self, client):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        staff = self._world(1)
        client.force_login(staff)

        def count():
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(reverse("programme:dashboard")).status_code == 200
            return len(ctx.captured_queries)

        one = count()
        self._world(6)
        assert count() == one

    def test_portfolio_counts_in_the_database_agree_with_each_applications_tags(self):
        """The dashboard counts the quota tags in SQL (selectors.tag_counts); they must be the
        tags the selection uses (selectors.application_tags), at every size band's edge, and
        the call's own tags."""
        from collections import Counter

        from partnering.organisations.models import Organisation
        from partnering.partnerships.models import Partnership
        from partnering.programme.models import Application
        from partnering.programme.services import CallTagSpec

        from .factories import make_application, make_call

        call = make_call(places=20, tags=[CallTagSpec("Rural"), CallTagSpec("Coastal")])
        carried = {0: ["rural"], 3: ["rural"], 5: ["rural", "coastal"]}  # the call's own tags
        shapes = [  # (kind, region, two tiers, population served, themes)
            ("public_public", "London", True, 249_999, ["egov"]),
            ("public_private", "London", False, 250_000, ["egov", "waste"]),
            ("public_voluntary", "North East", True, 749_999, ["waste"]),
            ("mixed", "", False, 750_000, ["access", "egov"]),
            ("", "South West", True, None, ["housing"]),
            ("public_public", "North East", False, 100_000, []),
            ("public_private", "South West", True, 2_000_000, ["waste", "access"]),
        ]
        for n, (kind, region, two_tiers, population, themes) in enumerate(shapes):
            app = make_application(call, themes=themes or ["care"])
            Application.objects.filter(pk=app.pk).update(
                themes=themes, call_tags=carried.get(n, [])
            )
            Partnership.objects.filter(pk=app.partnership_id).update(
                kind=kind, region=region, joins_two_tiers=two_tiers
            )
            Organisation.objects.filter(pk=app.partnership.lead_organisation_id).update(
                population=population
            )
        tags = ["egov", "two_tier", "theme:waste", "theme:access", "theme:care", "kind:mixed",
                "kind:public_public", "kind:", "region:London", "region:North East", "region:",
                "size:small", "size:medium", "size:large", "size:huge", "call:rural",
                "call:coastal", "anything else"]  # fmt: skip
        apps = Application.objects.filter(call=call)
        expected = Counter(t for a in apps.select_related("partnership")
                           for t in set(selectors.application_tags(a)))  # fmt: skip
        total, counts = selectors.tag_counts(apps, tags)
        assert total == len(shapes)
        assert counts == {t: expected[t] for t in tags}
        # by the residents served, at each band's edges: under 250,000; to 749,999; more
        assert (counts["size:small"], counts["size:medium"], counts["size:large"]) == (2, 2, 2)
        assert (counts["call:rural"], counts["call:coastal"]) == (3, 1)
        assert counts["egov"] == 3 and counts["kind:"] == 0

    def test_the_adviser_chart_shows_the_busiest_advisers_and_the_counts_cover_all(self, client):
        from partnering.programme.models import AdviserProfile

        staff = staff_user(username="load-staff")
        ships = [make_partnership(lead=OrganisationFactory()) for _ in range(3)]
        loads = [(3, 1), (2, 2), (1, 3), (0, 2)] + [(0, 1)] * 10  # (advising, capacity)
        for i, (advising, capacity) in enumerate(loads):
            user = UserFactory(role=Role.ADVISER, username=f"adviser-{i:02d}", first_name="",
                               last_name="")  # fmt: skip
            AdviserProfile.objects.create(user=user, capacity=capacity)
            user.advised_partnerships.set(ships[:advising])
        data = selectors.dashboard()
        shown = [(str(r.profile), r.assigned) for r in data.load]
        assert len(shown) == selectors.DASHBOARD_ADVISERS == len(data.charts[-1].bars)
        # furthest over capacity first, then nearest to it (ties by name): 02 and 03 have the
        # most room left, 12 and 13 come last among those with one place free
        assert shown[:3] == [("adviser-00", 3), ("adviser-01", 2), ("adviser-04", 0)]
        assert [name for name, _ in shown[3:]] == [f"adviser-{i:02d}" for i in range(5, 12)]
        assert data.advisers == selectors.AdviserCounts(total=14, over=1, full=1)
        client.force_login(staff)
        html = client.get(reverse("programme:dashboard")).content.decode()
        assert "14 advisers: 1 over capacity, 1 at capacity." in html
        assert html.count('id="advisers-table"') == 1
        assert "adviser-00" in html and "adviser-02" not in html and "adviser-13" not in html


# --- lists a page at a time ----------------------------------------------------------------


class TestListsArePaged:
    def test_the_module_catalogue_shows_ten_modules_a_page(self, client):
        for i in range(12):
            ModuleFactory(title=f"Module {i:02d}")
        html = client.get(reverse("programme:module-list")).content.decode()
        assert html.count('class="app-module"') == 10
        assert "Module 09" in html and "Module 10" not in html
        assert "Modules 1 to 10 of 12, by title." in html and 'rel="next"' in html
        html = client.get(reverse("programme:module-list") + "?page=2").content.decode()
        assert html.count('class="app-module"') == 2 and "Module 11" in html

    def test_the_event_list_shows_twenty_events_a_page_and_keeps_past_events(self, client):
        start = timezone.now() + timedelta(days=1)
        for i in range(21):
            EventFactory(title=f"Event {i:02d}", starts_at=start + timedelta(days=i),
                         ends_at=start + timedelta(days=i, hours=2))  # fmt: skip
        EventFactory(title="Last year", starts_at=start - timedelta(days=365),
                     ends_at=start - timedelta(days=364))  # fmt: skip
        html = client.get(reverse("programme:event-list")).content.decode()
        assert "Event 19" in html and "Event 20" not in html and "Last year" not in html
        assert "Events 1 to 20 of 21, in date order." in html
        html = client.get(reverse("programme:event-list") + "?past=1&page=2").content.decode()
        assert "Event 19" in html and "Event 20" in html and "Event 18" not in html
        assert 'href="?past=1&amp;page=1"' in html
