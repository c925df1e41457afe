"""Staff run a call in the product: create and change it with its criteria, quotas and own
tags, open, close and decide it; applicants change and withdraw their applications. The rules
are the services'; pages show them in a GOV.UK error summary, the API as 422s, nothing saved."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from partnering.core.errors import DomainError
from partnering.core.models import Role
from partnering.core.tests.factories import UserFactory
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.tests.factories import make_partnership
from partnering.programme.models import (
    ApplicationStatus,
    Call,
    CallStatus,
    CallTag,
    Criterion,
    Quota,
)
from partnering.programme.selectors import application_tags
from partnering.programme.services import (
    CallTagSpec,
    CriterionSpec,
    QuotaSpec,
    application_tags_set,
    application_update,
    application_withdraw,
    call_create,
    call_criteria_specs,
    call_set_status,
    call_update,
    moderation_record,
    selection_confirm,
    selection_run,
)

from .factories import assess, make_application, make_call, staff_user

pytestmark = pytest.mark.django_db

API = "/api/v1/programme"
DATES = {"opens_on": date(2003, 1, 6), "closes_on": date(2003, 3, 31),
         "decisions_by": date(2003, 5, 30)}  # fmt: skip


def _draft(staff, **kwargs):
    fields = {"title": "Joined-up services 2004", "summary": "A second call", "places": 2, **DATES,
              "criteria": [CriterionSpec("Benefit", 2), CriterionSpec("Deliverability", 1)],
              **kwargs}  # fmt: skip
    return call_create(actor=staff, **fields)


def _refused(code, fn, **kwargs):
    with pytest.raises(DomainError) as err:
        fn(**kwargs)
    assert err.value.code == code, err.value.message
    return err.value


# --- services ----------------------------------------------------------------------------


class TestCreate:
    def test_a_call_is_created_in_draft_with_its_criteria_tags_and_quotas(self):
        staff = staff_user()
        call = _draft(staff, tags=[CallTagSpec("Rural pilot", applicants_choose=False)],
                      quotas=[QuotaSpec("egov", 1, None, "E-government"),
                              QuotaSpec("call:rural-pilot", None, 1)])  # fmt: skip
        assert call.status == CallStatus.DRAFT
        assert [(c.title, c.weight, c.position) for c in call.criteria.all()] == [
            ("Benefit", 2, 0), ("Deliverability", 1, 1)]  # fmt: skip
        assert [(t.slug, t.tag, t.applicants_choose) for t in call.tags.all()] == [
            ("rural-pilot", "call:rural-pilot", False)]  # fmt: skip
        assert {(q.tag, q.minimum, q.maximum) for q in call.quotas.all()} == {
            ("egov", 1, None), ("call:rural-pilot", None, 1)}  # fmt: skip
        assert call.history.count() == 1 and Criterion.history.count() == 2

    @pytest.mark.parametrize(("dates", "field"), [
        ({"closes_on": date(2003, 1, 6)}, "closes_on"),  # the day it opens: not after
        ({"closes_on": date(2003, 1, 1)}, "closes_on"),
        ({"decisions_by": date(2003, 3, 30)}, "decisions_by"),
    ])  # fmt: skip
    def test_dates_out_of_order_are_refused_on_their_field_and_nothing_is_saved(self, dates, field):
        error = _refused("programme.call_dates", _draft, staff=staff_user(), **dates)
        assert error.field == field
        assert not Call.objects.exists() and not Criterion.objects.exists()

    def test_a_quota_with_min_above_max_names_its_row_and_nothing_is_saved(self):
        quotas = [QuotaSpec("egov", 1), QuotaSpec("two_tier", 5, 3)]
        error = _refused("programme.quota_range", _draft, staff=staff_user(), quotas=quotas)
        assert error.field == "quotas.1.minimum"
        assert error.message.startswith("Quota 2: ")
        assert not Call.objects.exists() and not Quota.objects.exists()

    def test_a_quota_on_a_tag_nothing_can_carry_is_refused(self):
        error = _refused("programme.quota_unknown_tag", _draft, staff=staff_user(),
                         quotas=[QuotaSpec("call:rural", 1)])  # fmt: skip
        assert error.field == "quotas.0.tag"
        _draft(staff_user(username="s2"), tags=[CallTagSpec("Rural")],
               quotas=[QuotaSpec("call:rural", 1), QuotaSpec("size:large", None, 3),
                       QuotaSpec("region:West Midlands", None, 2)])  # fmt: skip

    def test_the_same_tag_twice_is_refused(self):
        error = _refused("programme.tag_twice", _draft, staff=staff_user(),
                         tags=[CallTagSpec("Rural"), CallTagSpec("rural")])  # fmt: skip
        assert error.field == "tags.1.label"
        error = _refused("programme.quota_twice", _draft, staff=staff_user(username="s3"),
                         quotas=[QuotaSpec("egov", 1), QuotaSpec("egov", None, 4)])  # fmt: skip
        assert error.field == "quotas.1.tag"

    def test_only_staff_create_a_call(self):
        _refused("programme.staff_only", _draft, staff=UserFactory(role=Role.ADVISER))


class TestUpdate:
    def test_criteria_tags_and_quotas_are_replaced_all_or_nothing(self):
        staff = staff_user()
        call = _draft(staff, tags=[CallTagSpec("Rural")], quotas=[QuotaSpec("egov", 1)])
        benefit, _ = call_criteria_specs(call)
        call_update(call=call, data={"places": 3, "budget": Decimal(500_000)}, actor=staff,
                    criteria=[CriterionSpec("Benefit to citizens", 3, "", benefit.id),
                              CriterionSpec("Value for money", 1)],
                    tags=[CallTagSpec("Rural areas", "rural"), CallTagSpec("Coastal")],
                    quotas=[QuotaSpec("call:coastal", None, 1)])  # fmt: skip
        call.refresh_from_db()
        assert (call.places, call.budget) == (3, Decimal(500_000))
        assert [(c.pk == benefit.id, c.title, c.weight) for c in call.criteria.all()] == [
            (True, "Benefit to citizens", 3), (False, "Value for money", 1)]  # fmt: skip
        assert sorted(call.tags.values_list("slug", "label")) == [
            ("coastal", "Coastal"), ("rural", "Rural areas")]  # fmt: skip
        assert list(call.quotas.values_list("tag", flat=True)) == ["call:coastal"]
        before = (Criterion.objects.count(), CallTag.objects.count(), Quota.objects.count())
        with pytest.raises(DomainError):  # a good criterion and a bad quota: neither is saved
            call_update(call=call, data={"places": 9}, actor=staff,
                        criteria=[CriterionSpec("Only one", 1)],
                        quotas=[QuotaSpec("egov", 4, 2)])  # fmt: skip
        call.refresh_from_db()
        assert call.places == 3
        assert (Criterion.objects.count(), CallTag.objects.count(), Quota.objects.count()) == before
        assert list(call.criteria.values_list("title", flat=True)) == [
            "Benefit to citizens", "Value for money"]  # fmt: skip

    def test_once_scoring_has_begun_criteria_weights_and_scale_are_fixed(self):
        staff = staff_user()
        assessor = UserFactory(role=Role.ADVISER)
        call = make_call(actor=staff, assessors=[assessor])
        assess(make_application(call), assessor, 6, 7)
        specs = call_criteria_specs(call)
        changed = [CriterionSpec(specs[0].title, 5, "", specs[0].id), specs[1]]
        error = _refused("programme.criteria_locked", call_update, call=call, data={},
                         criteria=changed, actor=staff)  # fmt: skip
        assert error.field == "criteria"
        _refused("programme.criteria_locked", call_update, call=call, data={}, actor=staff,
                 criteria=[*specs, CriterionSpec("A new one", 1)])  # fmt: skip
        error = _refused("programme.criteria_locked", call_update, call=call,
                         data={"score_max": 5}, actor=staff)  # fmt: skip
        assert error.field == "score_max"
        # The same criteria again (the page posts them with every save) and new quotas: fine.
        call_update(call=call, data={"places": 1}, criteria=specs, actor=staff,
                    quotas=[QuotaSpec("egov", 1)])  # fmt: skip
        assert call.quotas.get().minimum == 1
        assert [c.weight for c in call.criteria.all()] == [2, 1]

    def test_a_criterion_applicants_answered_cannot_be_removed(self):
        staff = staff_user()
        call = make_call(actor=staff)
        first, second = call_criteria_specs(call)
        app = make_application(call, submit=False)
        application_update(application=app, data={"answers": {str(first.id): "We will"}},
                           actor=None)  # fmt: skip
        error = _refused("programme.criterion_answered", call_update, call=call, data={},
                         criteria=[second], actor=staff)  # fmt: skip
        assert "answered in 1 application:" in error.message
        call_update(call=call, data={}, criteria=[first], actor=staff)  # unanswered: removed
        assert list(call.criteria.values_list("pk", flat=True)) == [first.id]

    def test_removing_a_tag_takes_it_off_applications_and_a_quota_must_go_with_it(self):
        staff = staff_user()
        call = make_call(actor=staff, tags=[CallTagSpec("Rural")],
                         quotas=[QuotaSpec("call:rural", 1)])  # fmt: skip
        app = make_application(call)
        application_tags_set(application=app, call_tags=["rural"], actor=staff)
        app.refresh_from_db()
        assert "call:rural" in application_tags(app)
        _refused("programme.quota_unknown_tag", call_update, call=call, data={}, tags=[],
                 actor=staff)  # fmt: skip
        call_update(call=call, data={}, tags=[], quotas=[], actor=staff)
        app.refresh_from_db()
        assert app.call_tags == [] and not CallTag.objects.exists()
        assert app.history.first().history_change_reason == "The call's tag was removed"

    def test_a_decided_call_cannot_change(self):
        staff = staff_user()
        call = make_call(actor=staff, status=CallStatus.DECIDED)
        _refused("programme.already_decided", call_update, call=call, data={"places": 3},
                 actor=staff)  # fmt: skip


class TestStatus:
    def test_the_moves_a_call_can_make_and_those_it_cannot(self):
        staff = staff_user()
        call = _draft(staff)
        error = _refused("programme.status_move", call_set_status, call=call, status="closed",
                         actor=staff)  # fmt: skip
        assert error.message == "The call is a draft: it cannot be closed; it can only be opened"
        call_set_status(call=call, status="open", actor=staff)
        call_set_status(call=call, status="closed", actor=staff)
        call_set_status(call=call, status="open", actor=staff)  # reopened
        call.refresh_from_db()
        assert call.status == CallStatus.OPEN
        assert [h.history_change_reason for h in call.history.order_by("history_date")][-3:] == [
            "Call opened", "Call closed", "Call opened"]  # fmt: skip
        _refused("programme.no_applications", call_set_status, call=call, status="decided",
                 actor=staff)  # fmt: skip
        _refused("programme.staff_only", call_set_status, call=call, status="closed",
                 actor=UserFactory(role=Role.PARTNER))  # fmt: skip

    def test_a_call_without_criteria_cannot_open(self):
        staff = staff_user()
        call = _draft(staff, criteria=[])
        error = _refused("programme.criteria_needed", call_set_status, call=call,
                         status="open", actor=staff)  # fmt: skip
        assert call.history.count() == 1 and error.field == "status"

    def test_deciding_confirms_the_latest_run_only_if_nothing_changed_since(self):
        staff = staff_user()
        assessor = UserFactory(role=Role.ADVISER)
        call = make_call(actor=staff, places=1, assessors=[assessor])
        first, second = make_application(call), make_application(call)
        assess(first, assessor, 8, 8)
        assess(second, assessor, 5, 5)
        call_set_status(call=call, status="closed", actor=staff)
        run = selection_run(call=call, actor=staff)
        call_update(call=call, data={}, quotas=[QuotaSpec("egov", 1)], actor=staff)
        error = _refused("programme.run_stale", call_set_status, call=call, status="decided",
                         actor=staff)  # fmt: skip
        assert "the quotas changed after selection run 1" in error.message
        run = selection_run(call=call, actor=staff)
        criterion = call.criteria.first()
        moderation_record(application=second, criterion=criterion, score=9, actor=staff)
        error = _refused("programme.run_stale", selection_confirm, run=run, actor=staff)
        assert error.message.startswith("The applications, their scores or their tags changed")
        selection_run(call=call, actor=staff)
        call_set_status(call=call, status="decided", actor=staff)
        call.refresh_from_db()
        first.refresh_from_db()
        assert call.status == CallStatus.DECIDED and first.status == ApplicationStatus.SELECTED
        _refused("programme.status_move", call_set_status, call=call, status="open",
                 actor=staff)  # fmt: skip


class TestApplications:
    def test_applicants_choose_only_the_tags_they_may_and_keep_those_staff_attached(self):
        staff = staff_user()
        call = make_call(actor=staff, tags=[CallTagSpec("Rural"),
                                            CallTagSpec("Strong case", applicants_choose=False)])  # fmt: skip
        app = make_application(call, submit=False)
        _refused("programme.unknown_tag", application_update, application=app,
                 data={"call_tags": ["strong-case"]}, actor=None)  # fmt: skip
        _refused("programme.unknown_tag", application_update, application=app,
                 data={"call_tags": ["nope"]}, actor=None)  # fmt: skip
        application_update(application=app, data={"call_tags": ["rural"], "title": "Better"},
                           actor=None)  # fmt: skip
        app.refresh_from_db()
        assert app.call_tags == ["rural"] and app.title == "Better"
        _refused(
            "programme.not_assessable",
            application_tags_set,
            application=app,
            call_tags=["strong-case"],
            actor=staff,
        )  # a draft's tags are its applicants'
        from partnering.programme.services import application_submit

        application_submit(application=app, actor=None)
        application_tags_set(application=app, call_tags=["rural", "strong-case"], actor=staff)
        _refused("programme.staff_only", application_tags_set, application=app, call_tags=[],
                 actor=UserFactory(role=Role.PARTNER))  # fmt: skip
        _refused("programme.not_draft", application_update, application=app,
                 data={"call_tags": []}, actor=None)  # fmt: skip
        app.refresh_from_db()
        assert {"call:rural", "call:strong-case"} <= set(application_tags(app))

    def test_an_application_is_withdrawn_until_it_is_decided(self):
        call = make_call()
        app = make_application(call)
        application_withdraw(application=app, actor=None)
        app.refresh_from_db()
        assert app.status == ApplicationStatus.WITHDRAWN
        _refused("programme.already_decided", application_withdraw, application=app, actor=None)


# --- the size band: population served -----------------------------------------------------


def _council(population, **kwargs):
    return OrganisationFactory(population=population, **kwargs)


@pytest.mark.parametrize(("populations", "band"), [
    ((249_999,), "size:small"), ((250_000,), "size:medium"), ((749_999,), "size:medium"),
    ((750_000,), "size:large"), ((400_000, 400_000), "size:large"), ((100_000, 100_000), "size:small"),
])  # fmt: skip
def test_the_size_band_is_the_population_the_member_councils_serve(populations, band):
    lead, *others = [_council(n, unitary=True) for n in populations]
    app = make_application(make_call(), partnership=make_partnership(lead=lead, members=others))
    tags = [t for t in application_tags(app) if t.startswith("size:")]
    assert tags == [band]


def test_a_district_inside_a_member_county_adds_nothing_and_members_do_not_count():
    """Seven districts and their county: the county's residents once (600,000: medium), not
    1.3 million (large), and not "large" for having eight members."""
    county = _council(600_000, county=True)
    districts = [_council(100_000, parent_county=county) for _ in range(7)]
    p = make_partnership(lead=county, members=districts)
    assert [t for t in application_tags(make_application(make_call(), partnership=p))
            if t.startswith("size:")] == ["size:medium"]  # fmt: skip
    company = OrganisationFactory(company=True)
    none = make_partnership(lead=company)
    app = make_application(make_call(title="Another call"), partnership=none)
    assert not [t for t in application_tags(app) if t.startswith("size:")]


# --- the API -----------------------------------------------------------------------------


def _key(user):
    from partnering.core.services import api_key_create

    return {"Authorization": f"Bearer {api_key_create(name='t', actor=user)[1]}"}


BODY = {"title": "Joined-up services 2004", "summary": "A second call", "opens_on": "2004-01-05",
        "closes_on": "2004-03-31", "decisions_by": "2004-05-28", "places": 12,
        "criteria": [{"title": "Benefit", "weight": "2"}, {"title": "Deliverability"}],
        "tags": [{"label": "Rural pilot", "applicants_choose": False}],
        "quotas": [{"tag": "egov", "min": 4, "label": "E-government"},
                   {"tag": "call:rural-pilot", "max": 3}]}  # fmt: skip


class TestApi:
    def test_staff_create_change_and_open_a_call(self, client):
        staff = staff_user()
        key = _key(staff)
        made = client.post(f"{API}/calls", BODY, content_type="application/json",
                           headers={**key, "Idempotency-Key": "call-1"})  # fmt: skip
        assert made.status_code == 201, made.json()
        call = made.json()
        assert call["status"] == "draft" and [c["title"] for c in call["criteria"]] == [
            "Benefit", "Deliverability"]  # fmt: skip
        assert {(q["tag"], q["min"], q["max"]) for q in call["quotas"]} == {
            ("egov", 4, None), ("call:rural-pilot", None, 3)}  # fmt: skip
        again = client.post(f"{API}/calls", BODY, content_type="application/json",
                            headers={**key, "Idempotency-Key": "call-1"})  # fmt: skip
        assert again.status_code == 201 and again.json()["slug"] == call["slug"]
        assert Call.objects.count() == 1  # a retry creates nothing
        url = f"{API}/calls/{call['slug']}"
        changed = client.patch(url, {"places": 10, "budget": None}, content_type="application/json",
                               headers=key)  # fmt: skip
        assert changed.status_code == 200 and changed.json()["places"] == 10
        added = client.post(f"{url}/criteria", {"title": "Value for money", "weight": 1},
                            content_type="application/json", headers=key)  # fmt: skip
        assert added.status_code == 201 and added.json()["position"] == 2
        criterion = added.json()["id"]
        weighed = client.patch(f"{url}/criteria/{criterion}", {"weight": "1.5"},
                               content_type="application/json", headers=key)  # fmt: skip
        assert weighed.json()["weight"] == "1.50"
        assert client.delete(f"{url}/criteria/{criterion}", headers=key).status_code == 204
        quota = client.post(f"{url}/quotas", {"tag": "two_tier", "min": 2},
                            content_type="application/json", headers=key)  # fmt: skip
        assert quota.status_code == 200
        assert client.delete(f"{url}/quotas/{quota.json()['id']}", headers=key).status_code == 204
        tag = client.post(f"{url}/tags", {"label": "Coastal"}, content_type="application/json",
                          headers=key)  # fmt: skip
        assert tag.status_code == 201 and tag.json()["tag"] == "call:coastal"
        assert client.delete(f"{url}/tags/coastal", headers=key).status_code == 204
        opened = client.post(f"{url}/status", {"status": "open"}, content_type="application/json",
                             headers=key)  # fmt: skip
        assert opened.status_code == 200 and opened.json()["status"] == "open"
        detail = client.get(url).json()  # the public sees an open call with its parts
        assert [c["title"] for c in detail["criteria"]] == ["Benefit", "Deliverability"]
        assert [t["slug"] for t in detail["tags"]] == ["rural-pilot"]

    @pytest.mark.parametrize(("change", "code", "field"), [
        ({"quotas": [{"tag": "egov", "min": 1}, {"tag": "two_tier", "min": 5, "max": 3}]},
         "programme.quota_range", "quotas.1.min"),
        ({"quotas": [{"tag": "region:Atlantis", "max": 1}]}, "programme.quota_unknown_tag", "quotas.0.tag"),
        ({"closes_on": "2004-01-05"}, "programme.call_dates", "closes_on"),
        ({"criteria": [{"title": "Benefit", "weight": "0"}]}, "programme.criteria_needed", "criteria.0.weight"),
        ({"tags": [{"label": "A"}, {"label": "a"}]}, "programme.tag_twice", "tags.1.label"),
        ({"title": None}, "programme.invalid", "title"),
    ])  # fmt: skip
    def test_bad_input_is_a_422_with_its_code_and_field_and_nothing_saved(self, client, change,
                                                                           code, field):  # fmt: skip
        staff = staff_user()
        key = _key(staff)
        slug = client.post(f"{API}/calls", BODY, content_type="application/json",
                           headers=key).json()["slug"]  # fmt: skip
        before = (
            Call.objects.get().history.count(),
            Quota.objects.count(),
            Criterion.objects.count(),
        )
        got = client.patch(f"{API}/calls/{slug}", {"places": 3, **change},
                           content_type="application/json", headers=key)  # fmt: skip
        assert got.status_code == 422
        assert (got.json()["code"], got.json()["field"]) == (code, field), got.json()
        call = Call.objects.get()
        assert call.places == 12
        assert (call.history.count(), Quota.objects.count(), Criterion.objects.count()) == before

    def test_the_panel_is_named_by_username(self, client):
        staff = staff_user()
        adviser = UserFactory(role=Role.ADVISER)
        key = _key(staff)
        got = client.post(f"{API}/calls", {**BODY, "assessors": [adviser.username, "nobody"]},
                          content_type="application/json", headers=key)  # fmt: skip
        assert (got.status_code, got.json()["code"], got.json()["field"]) == (
            422, "programme.unknown_assessor", "assessors.1")  # fmt: skip
        assert not Call.objects.exists()
        got = client.post(f"{API}/calls", {**BODY, "assessors": [adviser.username]},
                          content_type="application/json", headers=key)  # fmt: skip
        assert list(Call.objects.get().assessors.all()) == [adviser]
        emptied = client.patch(f"{API}/calls/{got.json()['slug']}", {"assessors": []},
                               content_type="application/json", headers=key)  # fmt: skip
        assert emptied.status_code == 200 and not Call.objects.get().assessors.exists()

    def test_a_single_row_operation_names_the_field_of_that_row(self, client):
        staff = staff_user()
        call = make_call(actor=staff)
        key = _key(staff)
        got = client.post(f"{API}/calls/{call.slug}/quotas", {"tag": "egov", "min": 5, "max": 3},
                          content_type="application/json", headers=key)  # fmt: skip
        assert (got.status_code, got.json()["code"], got.json()["field"]) == (
            422, "programme.quota_range", "min")  # fmt: skip
        got = client.post(f"{API}/calls/{call.slug}/criteria", {"title": "deliverability"},
                          content_type="application/json", headers=key)  # fmt: skip
        assert (got.status_code, got.json()["field"]) == (422, "title")
        assert got.json()["detail"] == "‘deliverability’ is criterion 2 already"
        got = client.post(f"{API}/calls/{call.slug}/status", {"status": "draft"},
                          content_type="application/json", headers=key)  # fmt: skip
        assert got.status_code == 422 and got.json()["field"].endswith("status")  # not a move

    def test_applicants_change_and_withdraw_through_the_api(self, client):
        org = OrganisationFactory()
        officer = UserFactory(role=Role.PARTNER, organisations=[org])
        call = make_call(tags=[CallTagSpec("Rural")])
        app = make_application(call, partnership=make_partnership(lead=org), submit=False)
        url = f"{API}/applications/{app.reference}"
        key = _key(officer)
        got = client.patch(url, {"title": "One front door", "call_tags": ["rural"],
                                 "requested_amount": "125000"},
                           content_type="application/json", headers=key)  # fmt: skip
        assert got.status_code == 200, got.json()
        assert (got.json()["title"], got.json()["call_tags"]) == ("One front door", ["rural"])
        bad = client.patch(url, {"title": "Kept?", "themes": ["nonsense"]},
                           content_type="application/json", headers=key)  # fmt: skip
        assert (bad.status_code, bad.json()["field"]) == (422, "themes")
        app.refresh_from_db()
        assert app.title == "One front door"
        gone = client.post(f"{url}/withdraw", headers=key)
        assert gone.status_code == 200 and gone.json()["status"] == "withdrawn"
        again = client.post(f"{url}/withdraw", headers=key)
        assert again.status_code == 403  # nothing left to withdraw
        assert client.patch(url, {"title": "Late"}, content_type="application/json",
                            headers=key).status_code == 403  # fmt: skip


# --- pages -------------------------------------------------------------------------------


def _management(prefix, total, initial=0):
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial),
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "30"}  # fmt: skip


FORM = {"title": "Joined-up services 2004", "summary": "A second call",
        "opens_on_day": "5", "opens_on_month": "1", "opens_on_year": "2004",
        "closes_on_day": "31", "closes_on_month": "3", "closes_on_year": "2004",
        "decisions_by_day": "28", "decisions_by_month": "5", "decisions_by_year": "2004",
        "places": "12", "score_min": "0", "score_max": "10", "moderation_spread": "3",
        **_management("criteria", 2), "criteria-0-title": "Benefit", "criteria-0-weight": "2",
        "criteria-1-title": "", "criteria-1-weight": "",
        **_management("quotas", 3), "quotas-0-tag": "egov", "quotas-0-minimum": "4",
        "quotas-1-tag": "", "quotas-2-tag": "call:rural", "quotas-2-maximum": "2",
        **_management("tags", 1), "tags-0-label": "Rural"}  # fmt: skip


class TestPages:
    def test_staff_create_a_call_in_one_form(self, client):
        staff = staff_user()
        client.force_login(staff)
        got = client.post(reverse("programme:call-create"), FORM)
        assert got.status_code == 302
        call = Call.objects.get()
        assert got["Location"] == call.get_absolute_url()
        assert list(call.criteria.values_list("title", flat=True)) == ["Benefit"]
        assert sorted(call.quotas.values_list("tag", flat=True)) == ["call:rural", "egov"]
        page = client.get(call.get_absolute_url()).content.decode()
        assert "Change this call" in page and "Open the call" in page

    def test_staff_choose_the_assessment_panel(self, client):
        staff = staff_user()
        adviser = UserFactory(role=Role.ADVISER, first_name="Fran", last_name="Okoye")
        partner = UserFactory(role=Role.PARTNER)
        client.force_login(staff)
        page = client.get(reverse("programme:call-create")).content.decode()
        assert "Fran Okoye" in page and partner.username not in page  # advisers and staff only
        assert client.post(reverse("programme:call-create"),
                           {**FORM, "assessors": [adviser.pk]}).status_code == 302  # fmt: skip
        call = Call.objects.get()
        assert list(call.assessors.all()) == [adviser]
        assert "Assessment panel" in client.get(call.get_absolute_url()).content.decode()

    def test_min_above_max_is_shown_in_the_error_summary_naming_its_row(self, client):
        client.force_login(staff_user())
        got = client.post(reverse("programme:call-create"),
                          {**FORM, "quotas-2-minimum": "5", "quotas-2-maximum": "3"})  # fmt: skip
        page = got.content.decode()
        assert got.status_code == 200 and not Call.objects.exists()
        assert (
            'href="#id_quotas-2-minimum">Quota 3: The minimum (5) is more than the maximum (3)'
            in page
        )
        assert "<title>Error: " in page

    def test_a_rule_of_the_service_lands_on_its_row_however_the_rows_are_numbered(self, client):
        """Quota 2 of the page is left empty, so the service's second quota is the page's third."""
        client.force_login(staff_user())
        got = client.post(
            reverse("programme:call-create"), {**FORM, "quotas-2-tag": "call:coastal"}
        )
        page = got.content.decode()
        assert 'href="#id_quotas-2-tag">Quota 3: ‘call:coastal’ is not a tag' in page
        assert not Call.objects.exists()

    def test_add_another_row_keeps_what_was_typed_and_saves_nothing(self, client):
        client.force_login(staff_user())
        got = client.post(reverse("programme:call-create"), {**FORM, "add": "criteria"})
        page = got.content.decode()
        assert got.status_code == 200 and not Call.objects.exists()
        assert 'name="criteria-2-title"' in page and 'value="Benefit"' in page
        assert "There is a problem" not in page

    def test_a_row_is_removed_with_its_box(self, client):
        staff = staff_user()
        call = make_call(actor=staff, status=CallStatus.DRAFT)
        first, second = call.criteria.all()
        client.force_login(staff)
        data = {**FORM, **_management("criteria", 2, 2),
                "criteria-0-id": first.pk, "criteria-0-title": first.title, "criteria-0-weight": "2",
                "criteria-1-id": second.pk, "criteria-1-title": second.title,
                "criteria-1-weight": "1", "criteria-1-DELETE": "on"}  # fmt: skip
        got = client.post(reverse("programme:call-edit", kwargs={"slug": call.slug}), data)
        assert got.status_code == 302
        assert list(call.criteria.values_list("pk", flat=True)) == [first.pk]

    def test_an_illegal_move_says_why_and_offers_no_button(self, client):
        staff = staff_user()
        call = _draft(staff)
        client.force_login(staff)
        url = reverse("programme:call-status", kwargs={"slug": call.slug, "move": "close"})
        page = client.get(url).content.decode()
        assert "The call is a draft: it cannot be closed; it can only be opened" in page
        assert "Close the call</button>" not in page
        assert client.post(url).status_code == 200
        call.refresh_from_db()
        assert call.status == CallStatus.DRAFT
        opened = client.post(reverse("programme:call-status",
                                     kwargs={"slug": call.slug, "move": "open"}))  # fmt: skip
        assert opened.status_code == 302
        call.refresh_from_db()
        assert call.status == CallStatus.OPEN

    def test_an_applicant_changes_a_draft_and_withdraws_it(self, client):
        org = OrganisationFactory()
        officer = UserFactory(role=Role.PARTNER, organisations=[org])
        call = make_call(
            tags=[CallTagSpec("Rural"), CallTagSpec("Staff view", applicants_choose=False)]
        )
        app = make_application(call, partnership=make_partnership(lead=org), submit=False)
        client.force_login(officer)
        edit = reverse("programme:application-edit", kwargs={"reference": app.reference})
        page = client.get(edit).content.decode()
        assert "Rural" in page and "Staff view" not in page
        got = client.post(edit, {"title": "", "requested_amount": "£120,000"})
        assert "Enter the project title" in got.content.decode()
        got = client.post(edit, {"title": "One front door", "requested_amount": "£120,000",
                                 "call_tags": ["rural"]})  # fmt: skip
        assert got.status_code == 302
        app.refresh_from_db()
        assert (app.title, app.requested_amount, app.call_tags) == (
            "One front door", Decimal(120_000), ["rural"])  # fmt: skip
        withdraw = reverse("programme:application-withdraw", kwargs={"reference": app.reference})
        assert "Withdraw ‘One front door’?" in client.get(withdraw).content.decode()
        assert client.post(withdraw).status_code == 302
        app.refresh_from_db()
        assert app.status == ApplicationStatus.WITHDRAWN
        assert client.get(withdraw).status_code == 403

    def test_the_application_page_shows_the_size_band_with_its_edges(self, client):
        lead = OrganisationFactory(population=612_000, unitary=True)
        app = make_application(
            make_call(status=CallStatus.OPEN), partnership=make_partnership(lead=lead)
        )
        client.force_login(staff_user(username="reader"))
        page = client.get(app.get_absolute_url()).content.decode()
        assert "Medium: 250,000 to 749,999 residents (612,000)" in page
