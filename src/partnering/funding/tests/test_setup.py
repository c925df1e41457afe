"""Setting the fund up, in the services, the pages and the API: a programme (created and changed,
never below its rounds' budgets), rounds (added through the API too), a round's status (draft ->
open -> closed -> decided, a closed round may reopen; anything else refused with the reason), its
assessor panel and the finance officers. Bad input saves nothing; asking again for what is
already so changes nothing."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from partnering.core.errors import DomainError
from partnering.core.models import Role
from partnering.core.tests.factories import UserFactory
from partnering.funding import services as s
from partnering.funding.models import FinanceOfficer, FundingProgramme, Round, RoundStatus

from .factories import assess, finance_user, make_application, make_award, make_round, staff_user
from .test_views_and_api import bearer, client_for

pytestmark = pytest.mark.django_db

API = "/api/v1/funding"
PROGRAMME = {
    "title": "Digital councils fund",
    "aim": "Councils' services online",
    "total_budget": "2000000.00",
    "starts_on": "2004-04-01",
    "ends_on": "2007-03-31",
    "target_date": "2005-12-31",
}
ROUND = {
    "title": "Round 1",
    "budget": "500000.00",
    "opens_on": "2004-06-01",
    "closes_on": "2004-09-30",
    "decisions_by": "2004-11-30",
    "criteria": [{"title": "Partnership", "weight": "2"}, {"title": "Value"}],
}


def post(url, body, user, method="post", **headers):
    return getattr(Client(), method)(
        url, json.dumps(body), content_type="application/json", headers={**bearer(user), **headers}
    )


def programme_kwargs(**changes):
    values = {**PROGRAMME, **changes}
    for name in ("starts_on", "ends_on", "target_date"):
        values[name] = date.fromisoformat(values[name])
    return values


def page_data(**changes):
    data = {"title": PROGRAMME["title"], "aim": PROGRAMME["aim"], "total_budget": "£2,000,000"}
    for name in ("starts_on", "ends_on", "target_date"):
        y, m, d = PROGRAMME[name].split("-")
        data |= {f"{name}_day": d, f"{name}_month": m, f"{name}_year": y}
    return {**data, **changes}


class TestProgramme:
    def test_staff_set_one_up_and_change_it(self):
        staff = staff_user()
        programme = s.programme_create(**programme_kwargs(), actor=staff)
        assert programme.slug == "digital-councils-fund"
        assert programme.total_budget == Decimal("2000000.00")
        s.programme_update(
            programme=programme, data={"aim": "Every service online", "title": "DCF"}, actor=staff
        )
        programme.refresh_from_db()
        assert (programme.title, programme.aim) == ("DCF", "Every service online")
        assert programme.slug == "digital-councils-fund"  # the address stays
        assert programme.history.count() == 2
        s.programme_update(programme=programme, data={"aim": "Every service online"}, actor=staff)
        assert programme.history.count() == 2  # nothing changed, no history

    @pytest.mark.parametrize(
        ("changes", "code", "field"),
        [
            ({"title": "  "}, "funding.incomplete", "title"),
            ({"aim": ""}, "funding.incomplete", "aim"),
            ({"total_budget": "0"}, "funding.amount", "total_budget"),
            ({"total_budget": "NaN"}, "funding.amount", "total_budget"),
            ({"total_budget": "12.345"}, "funding.amount", "total_budget"),
            ({"ends_on": "2004-03-31"}, "funding.dates", "ends_on"),
            ({"target_date": "2004-03-31"}, "funding.dates", "target_date"),
        ],
    )
    def test_bad_input_is_refused_and_nothing_is_saved(self, changes, code, field):
        with pytest.raises(DomainError) as e:
            s.programme_create(**programme_kwargs(**changes), actor=staff_user())
        assert (e.value.code, e.value.field) == (code, field)
        assert not FundingProgramme.objects.exists()

    def test_a_second_programme_of_the_same_title_is_refused(self):
        staff = staff_user()
        s.programme_create(**programme_kwargs(), actor=staff)
        with pytest.raises(DomainError) as e:
            s.programme_create(**programme_kwargs(), actor=staff)
        assert e.value.code == "funding.programme_exists"
        assert FundingProgramme.objects.count() == 1

    def test_the_budget_never_goes_below_its_rounds_budgets(self):
        staff = staff_user()
        round_ = make_round(actor=staff, budget="300000.00", total_budget="1000000.00")
        with pytest.raises(DomainError) as e:
            s.programme_update(
                programme=round_.programme, data={"total_budget": "299999.99"}, actor=staff
            )
        assert (e.value.code, e.value.field) == ("funding.under_round_budgets", "total_budget")
        assert "£300,000.00" in e.value.message
        round_.programme.refresh_from_db()
        assert round_.programme.total_budget == Decimal("1000000.00")
        s.programme_update(programme=round_.programme, data={"total_budget": "300000"}, actor=staff)
        round_.programme.refresh_from_db()
        assert round_.programme.total_budget == Decimal("300000.00")

    def test_only_staff_set_programmes_up(self):
        with pytest.raises(DomainError) as e:
            s.programme_create(**programme_kwargs(), actor=UserFactory(role=Role.ADVISER))
        assert e.value.code == "funding.staff_only"

    def test_the_page_sets_one_up_and_a_bad_one_is_an_error_summary(self):
        client = client_for(staff_user())
        bad = client.post(
            "/funding/programmes/new/", page_data(total_budget="-5", ends_on_year="2003")
        )
        body = bad.content.decode()
        assert bad.status_code == 200 and "There is a problem" in body
        assert not FundingProgramme.objects.exists()
        done = client.post("/funding/programmes/new/", page_data())
        programme = FundingProgramme.objects.get()
        assert done.status_code == 302 and done["Location"] == programme.get_absolute_url()
        below = client.post(
            f"/funding/programmes/{programme.slug}/edit/",
            page_data(ends_on_year="2004", ends_on_month="1"),
        )
        assert (
            below.status_code == 200
            and "The programme must end on or after it starts" in below.content.decode()
        )
        changed = client.post(
            f"/funding/programmes/{programme.slug}/edit/", page_data(aim="Online by 2005")
        )
        programme.refresh_from_db()
        assert changed.status_code == 302 and programme.aim == "Online by 2005"

    def test_the_api_sets_one_up_changes_it_and_refuses_bad_input_with_the_field(self):
        staff = staff_user()
        created = post(f"{API}/programmes", PROGRAMME, staff)
        assert created.status_code == 201 and created.json()["total_budget"] == "2000000.00"
        slug = created.json()["slug"]
        patched = post(f"{API}/programmes/{slug}", {"total_budget": "2500000"}, staff, "patch")
        assert patched.status_code == 200 and patched.json()["total_budget"] == "2500000.00"
        for body, field in [
            ({**PROGRAMME, "title": "Other", "total_budget": "-1"}, "total_budget"),
            ({**PROGRAMME, "title": "Other", "target_date": "2001-01-01"}, "target_date"),
            ({**PROGRAMME, "title": "Other", "starts_on": "2004-02-30"}, "starts_on"),
        ]:
            r = post(f"{API}/programmes", body, staff)
            assert r.status_code == 422 and r.json()["field"] in (field, f"payload.{field}")
        empty = post(f"{API}/programmes/{slug}", {"title": None}, staff, "patch")
        assert empty.status_code == 422 and empty.json()["field"] == "title"
        assert FundingProgramme.objects.count() == 1
        assert FundingProgramme.objects.get().title == PROGRAMME["title"]


class TestRoundsThroughTheApi:
    def test_a_round_is_added_with_its_criteria_and_panel(self):
        staff = staff_user()
        assessor = UserFactory(role=Role.ADVISER, username="panel-1")
        programme = s.programme_create(**programme_kwargs(), actor=staff)
        r = post(
            f"{API}/programmes/{programme.slug}/rounds", {**ROUND, "assessors": ["panel-1"]}, staff
        )
        assert r.status_code == 201, r.json()
        assert r.json()["status"] == "draft" and r.json()["budget"] == "500000.00"
        round_ = Round.objects.get(slug=r.json()["slug"])
        assert [(c.title, c.weight) for c in round_.criteria.all()] == [
            ("Partnership", Decimal("2.00")), ("Value", Decimal("1.00"))
        ]  # fmt: skip
        assert list(round_.assessors.all()) == [assessor]

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"budget": "2000000.01"}, "budget"),  # more than the programme's
            ({"budget": "abc"}, "budget"),
            ({"status": "decided"}, "status"),  # a new round is a draft or open
            ({"criteria": []}, "criteria"),
            ({"closes_on": "2004-05-01"}, "closes_on"),
            ({"assessors": ["nobody-of-that-name"]}, "assessors"),
            ({"min_councils": 0}, "min_councils"),
        ],
    )
    def test_bad_input_is_a_422_naming_the_field_and_nothing_is_saved(self, changes, field):
        staff = staff_user()
        programme = s.programme_create(**programme_kwargs(), actor=staff)
        r = post(f"{API}/programmes/{programme.slug}/rounds", {**ROUND, **changes}, staff)
        # a rule of the service names the field; a value the schema refuses, its path
        assert r.status_code == 422 and r.json()["field"] in (field, f"payload.{field}"), r.json()
        assert not Round.objects.exists()

    def test_a_partner_member_cannot_be_on_the_panel(self):
        staff = staff_user()
        programme = s.programme_create(**programme_kwargs(), actor=staff)
        UserFactory(role=Role.PARTNER, username="member-1")
        r = post(
            f"{API}/programmes/{programme.slug}/rounds", {**ROUND, "assessors": ["member-1"]}, staff
        )
        assert r.status_code == 422 and r.json()["code"] == "funding.not_an_assessor"
        assert not Round.objects.exists()


class TestRoundStatus:
    def test_a_round_goes_draft_open_closed_decided(self):
        staff = staff_user()
        round_ = make_round(actor=staff, status="draft")
        for status in ("open", "closed", "open", "closed", "decided"):
            round_ = s.round_set_status(round_=round_, status=status, actor=staff)
            round_.refresh_from_db()
            assert round_.status == status

    @pytest.mark.parametrize(
        ("start", "to", "message"),
        [
            ("draft", "closed", "A round that is a draft cannot be closed: it can only be opened"),
            (
                "draft",
                "decided",
                "A round that is a draft cannot be decided: it can only be opened",
            ),
            ("open", "decided", "A round that is open cannot be decided: it can only be closed"),
            (
                "open",
                "draft",
                "A round that is open cannot be made a draft again: it can only be closed",
            ),
            ("closed", "draft", "it can only be opened or decided"),
            ("decided", "open", "The round is decided: that is final"),
        ],
    )
    def test_an_illegal_move_is_refused_with_the_reason(self, start, to, message):
        staff = staff_user()
        round_ = make_round(actor=staff)
        Round.objects.filter(pk=round_.pk).update(status=start)
        with pytest.raises(DomainError) as e:
            s.round_set_status(round_=round_, status=to, actor=staff)
        assert (e.value.code, e.value.field) == ("funding.round_move", "status")
        assert message in e.value.message
        round_.refresh_from_db()
        assert round_.status == start

    def test_a_round_is_decided_only_once_every_application_is(self):
        staff = staff_user()
        round_ = make_round(actor=staff)
        waiting = make_application(round_)
        make_award(round_, actor=staff)
        s.round_set_status(round_=round_, status="closed", actor=staff)
        with pytest.raises(DomainError) as e:
            s.round_set_status(round_=round_, status="decided", actor=staff)
        assert (
            e.value.message == "1 application still waits for a decision: fund or refuse it first"
        )
        s.application_reject(application=waiting, reason="Weak", actor=staff)
        assert s.round_set_status(round_=round_, status="decided", actor=staff).status == "decided"

    def test_asking_for_the_status_it_has_changes_nothing(self):
        staff = staff_user()
        round_ = make_round(actor=staff)
        before = round_.history.count()
        s.round_set_status(round_=round_, status="open", actor=staff)
        assert round_.history.count() == before

    def test_the_page_offers_the_moves_and_refuses_another_clearly(self):
        staff = staff_user()
        round_ = make_round(actor=staff, status="draft")
        client = client_for(staff)
        url = f"/funding/rounds/{round_.slug}/status/"
        page = client.get(url).content.decode()
        assert 'value="open"' in page and 'value="decided"' not in page
        refused = client.post(url, {"status": "decided"})
        assert refused.status_code == 200
        assert f"{round_.title} is a draft: it can only be opened" in refused.content.decode()
        round_.refresh_from_db()
        assert round_.status == "draft"
        assert client.post(url, {"status": "open"}).status_code == 302
        round_.refresh_from_db()
        assert round_.status == "open"

    def test_the_page_of_a_decided_round_says_it_is_final(self):
        staff = staff_user()
        round_ = make_round(actor=staff)
        Round.objects.filter(pk=round_.pk).update(status=RoundStatus.DECIDED)
        body = client_for(staff).get(f"/funding/rounds/{round_.slug}/status/").content.decode()
        assert "is decided: that is final" in body and "<form" not in body.split("<main")[1]

    def test_the_api_moves_it_and_refuses_an_illegal_move_with_a_422(self):
        staff = staff_user()
        round_ = make_round(actor=staff, status="draft")
        url = f"{API}/rounds/{round_.slug}/status"
        refused = post(url, {"status": "closed"}, staff)
        assert refused.status_code == 422
        assert (refused.json()["code"], refused.json()["field"]) == ("funding.round_move", "status")
        assert post(url, {"status": "shut"}, staff).status_code == 422
        opened = post(url, {"status": "open"}, staff)
        assert opened.status_code == 200 and opened.json()["status"] == "open"
        again = post(url, {"status": "open"}, staff)
        assert again.status_code == 200 and again.json()["status"] == "open"


class TestPanel:
    def test_the_panel_is_set_as_a_whole_with_history(self):
        staff = staff_user()
        round_ = make_round(actor=staff)
        one, two = UserFactory(role=Role.ADVISER), UserFactory(role=Role.STAFF)
        s.round_assessors_set(round_=round_, assessors=[one, two], actor=staff)
        assert set(round_.assessors.all()) == {one, two}
        latest = round_.history.latest()
        assert latest.history_user == staff and latest.history_change_reason == "Assessor panel set"
        assert {a.user_id for a in latest.assessors.all()} == {one.pk, two.pk}
        before = round_.history.count()
        s.round_assessors_set(round_=round_, assessors=[two, one], actor=staff)
        assert round_.history.count() == before  # the same panel: nothing changed
        s.round_assessors_set(round_=round_, assessors=[two], actor=staff)
        assert list(round_.assessors.all()) == [two]

    def test_a_partner_member_is_refused_and_the_panel_is_kept(self):
        staff = staff_user()
        keep = UserFactory(role=Role.ADVISER)
        round_ = make_round(actor=staff, assessors=[keep])
        with pytest.raises(DomainError) as e:
            s.round_assessors_set(
                round_=round_, assessors=[keep, UserFactory(role=Role.PARTNER)], actor=staff
            )
        assert e.value.code == "funding.not_an_assessor"
        assert list(round_.assessors.all()) == [keep]

    def test_someone_who_has_assessed_stays_on_the_panel(self):
        staff = staff_user()
        assessor = UserFactory(role=Role.ADVISER, first_name="Ash", last_name="Assessor")
        round_ = make_round(actor=staff, assessors=[assessor])
        assess(make_application(round_), assessor, 6, 6)
        with pytest.raises(DomainError) as e:
            s.round_assessors_set(round_=round_, assessors=[], actor=staff)
        assert e.value.code == "funding.panel_assessed" and "Ash Assessor" in e.value.message
        assert list(round_.assessors.all()) == [assessor]

    def test_a_decided_rounds_panel_is_final(self):
        staff = staff_user()
        round_ = make_round(actor=staff)
        Round.objects.filter(pk=round_.pk).update(status=RoundStatus.DECIDED)
        with pytest.raises(DomainError) as e:
            s.round_assessors_set(
                round_=round_, assessors=[UserFactory(role=Role.ADVISER)], actor=staff
            )
        assert e.value.code == "funding.round_decided"
        assert not round_.assessors.exists()

    def test_the_page_ticks_the_panel(self):
        staff = staff_user()
        adviser = UserFactory(role=Role.ADVISER, first_name="Alex", last_name="Adviser")
        UserFactory(role=Role.PARTNER, first_name="Pat", last_name="Partner")
        round_ = make_round(actor=staff)
        client = client_for(staff)
        url = f"/funding/rounds/{round_.slug}/panel/"
        page = client.get(url).content.decode()
        assert "Alex Adviser (adviser)" in page and "Pat Partner" not in page
        assert client.post(url, {"assessors": [adviser.pk]}).status_code == 302
        assert list(round_.assessors.all()) == [adviser]
        detail = client.get(round_.get_absolute_url()).content.decode()
        assert "Alex Adviser" in detail

    def test_the_api_sets_the_panel_and_names_an_unknown_user(self):
        staff = staff_user()
        UserFactory(role=Role.ADVISER, username="adv-1")
        round_ = make_round(actor=staff)
        url = f"{API}/rounds/{round_.slug}/assessors"
        r = post(url, {"assessors": ["adv-1"]}, staff, "put")
        assert r.status_code == 200 and [p["username"] for p in r.json()] == ["adv-1"]
        bad = post(url, {"assessors": ["adv-1", "nobody"]}, staff, "put")
        assert bad.status_code == 422 and bad.json()["field"] == "assessors"
        assert [u.username for u in round_.assessors.all()] == ["adv-1"]
        listed = Client().get(url, headers=bearer(staff))
        assert [p["username"] for p in listed.json()] == ["adv-1"]


class TestFinanceOfficers:
    def test_naming_one_twice_names_them_once_and_removing_twice_is_harmless(self):
        staff, officer = staff_user(), staff_user(username="fo-1")
        url = f"{API}/finance-officers/fo-1"
        for _ in range(2):
            assert post(url, {}, staff, "put").status_code == 200
        assert FinanceOfficer.objects.filter(user=officer).count() == 1
        assert FinanceOfficer.history.count() == 1
        assert [
            p["username"]
            for p in Client().get(f"{API}/finance-officers", headers=bearer(staff)).json()
        ] == ["fo-1"]
        for _ in range(2):
            assert Client().delete(url, headers=bearer(staff)).status_code == 204
        assert not FinanceOfficer.objects.exists()
        assert (
            Client().put(f"{API}/finance-officers/nobody", headers=bearer(staff)).status_code == 404
        )

    def test_only_taskforce_staff_can_be_finance_officers(self):
        UserFactory(role=Role.ADVISER, username="adv-2")
        r = post(f"{API}/finance-officers/adv-2", {}, staff_user(), "put")
        assert r.status_code == 422 and r.json()["field"] == "user"
        assert not FinanceOfficer.objects.exists()

    def test_the_page_names_and_removes_them(self):
        staff = staff_user()
        person = staff_user(first_name="Fran", last_name="Finance")
        client = client_for(staff)
        missing = client.post("/funding/finance-officers/", {})
        assert (
            missing.status_code == 200
            and "Choose who to name as a finance officer" in missing.content.decode()
        )
        assert client.post("/funding/finance-officers/", {"user": person.pk}).status_code == 302
        page = client.get("/funding/finance-officers/").content.decode()
        assert "Fran Finance" in page and "Remove<span" in page
        assert FinanceOfficer.objects.filter(user=person).exists()
        removed = client.post(f"/funding/finance-officers/{person.username}/remove/")
        assert removed.status_code == 302 and not FinanceOfficer.objects.exists()

    def test_a_removed_officer_can_no_longer_approve(self):
        staff = staff_user()
        officer = finance_user()
        s.finance_officer_remove(user=officer, actor=staff)
        from .factories import make_claim

        claim = make_claim(make_award(actor=staff))
        officer = type(officer).objects.get(pk=officer.pk)  # a fresh user: no cached role
        with pytest.raises(DomainError) as e:
            s.claim_approve(claim=claim, actor=officer)
        assert e.value.code == "funding.finance_only"
