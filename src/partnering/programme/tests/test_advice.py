"""Advisers, matching, the advice log, reminders and digests."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from partnering.core.errors import DomainError
from partnering.core.models import Role
from partnering.core.tests.factories import UserFactory
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.services import partnership_update
from partnering.partnerships.tests.factories import make_partnership
from partnering.programme.models import Action, ActionStatus, DigestSent, MatchRun
from partnering.programme.services import (
    ActionSpec,
    action_complete,
    advice_record,
    adviser_profile_set,
    digests_send,
    interest_declare,
    match_confirm,
    match_run,
    reminders_send,
)
from partnering.programme.tasks import send_action_reminders

from .factories import staff_user

pytestmark = pytest.mark.django_db


def _pathfinder(org=None, region="North West"):
    org = org or OrganisationFactory(region=region)
    return make_partnership(lead=org, is_pathfinder=True, pathfinder_theme="E-government")


def test_matching_respects_conflicts_and_confirm_sets_the_partnerships_advisers():
    staff = staff_user()
    org = OrganisationFactory(region="North West")
    p, q = _pathfinder(org), _pathfinder(region="London")
    a = UserFactory(role=Role.ADVISER, username="adv-a")
    b = UserFactory(role=Role.ADVISER, username="adv-b")
    pa = adviser_profile_set(
        user=a, disciplines=["finance"], capacity=1, regions=["North West"], actor=staff
    )
    adviser_profile_set(user=b, disciplines=["legal"], capacity=1, actor=staff)
    interest_declare(profile=pa, organisation=org, description="Former employer", actor=staff)
    run = match_run(actor=staff)
    assert run.status == "optimal"
    assert {(x["adviser"], x["partnership"]) for x in run.result["assignments"]} == {
        ("adv-a", q.slug),
        ("adv-b", p.slug),
    }
    assert {"adviser": "adv-a", "partnership": p.slug} in run.inputs["conflicts"]
    match_confirm(run=run, actor=staff)
    assert list(p.advisers.all()) == [b] and list(q.advisers.all()) == [a]


def test_matching_that_cannot_serve_everyone_says_why_and_cannot_be_confirmed():
    staff = staff_user()
    _pathfinder(), _pathfinder()
    adviser_profile_set(
        user=UserFactory(role=Role.ADVISER), disciplines=["finance"], capacity=1, actor=staff
    )
    run = match_run(actor=staff)
    assert run.status == "infeasible"
    assert "place(s) in all" in run.result["unserved"][0]["reason"]
    with pytest.raises(DomainError):
        match_confirm(run=run, actor=staff)
    assert MatchRun.objects.count() == 1


def test_adviser_profile_bad_input():
    staff = staff_user()
    with pytest.raises(DomainError):
        adviser_profile_set(user=UserFactory(), disciplines=["astrology"], capacity=1, actor=staff)
    with pytest.raises(DomainError):
        adviser_profile_set(user=UserFactory(), disciplines=[], capacity=-1, actor=staff)


def _advised():
    staff = staff_user()
    adviser = UserFactory(role=Role.ADVISER, username="adv-log")
    adviser_profile_set(user=adviser, disciplines=["legal"], capacity=2, actor=staff)
    p = _pathfinder()
    partnership_update(partnership=p, data={"advisers": [adviser]}, actor=staff)
    return staff, adviser, p


def test_advice_needs_an_owner_and_only_assigned_advisers_record_it():
    _, adviser, p = _advised()
    with pytest.raises(DomainError) as err:
        advice_record(partnership=p, adviser=adviser, advice_type="legal", given_on=date(2003, 6, 1),
                      summary="Use a framework", actions=[ActionSpec("Draft", None, date(2003, 7, 1))],
                      actor=adviser)  # fmt: skip
    assert err.value.code == "programme.action_owner"
    with pytest.raises(DomainError) as err:
        advice_record(partnership=p, adviser=adviser, advice_type="legal", given_on=date(2003, 6, 1),
                      summary="x", actor=UserFactory(role=Role.ADVISER))  # fmt: skip
    assert err.value.code == "programme.not_assigned"
    assert not Action.objects.exists()


def test_reminders_are_sent_once_and_digests_once_a_week():
    _, adviser, p = _advised()
    owner = UserFactory(username="owner", email="owner@example.gov.uk")
    today = timezone.localdate()
    advice_record(
        partnership=p, adviser=adviser, advice_type="legal", given_on=today - timedelta(days=30),
        summary="Set up a joint committee",
        actions=[ActionSpec("Draft the agreement", owner, today - timedelta(days=1)),
                 ActionSpec("Brief members", owner, today + timedelta(days=10))],
        actor=adviser,
    )  # fmt: skip
    assert send_action_reminders.enqueue().return_value == 1
    assert reminders_send() == 0
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["owner@example.gov.uk"]
    assert "Draft the agreement" in mail.outbox[0].subject
    assert Action.objects.filter(reminder_sent_at__isnull=False).count() == 1
    assert digests_send() == 1 and digests_send() == 0
    assert "overdue" in mail.outbox[-1].body
    assert DigestSent.objects.get().actions == 2
    done = Action.objects.get(description="Brief members")
    action_complete(action=done, completed_on=today, actor=adviser)
    assert Action.objects.get(pk=done.pk).status == ActionStatus.DONE


def test_overdue_actions_appear_on_the_home_page_of_advisers_and_staff(
    client, django_assert_max_num_queries
):
    staff, adviser, p = _advised()
    today = timezone.localdate()
    advice_record(partnership=p, adviser=adviser, advice_type="legal", given_on=today - timedelta(days=9),
                  summary="x", actions=[ActionSpec("Sign the agreement", adviser, today - timedelta(days=2))],
                  actor=adviser)  # fmt: skip
    for user in (adviser, staff):
        client.force_login(user)
        page = client.get("/").content.decode()
        assert "Overdue follow-up actions" in page and "Sign the agreement" in page
    client.force_login(UserFactory(role=Role.PARTNER))
    assert "Overdue follow-up actions" not in client.get("/").content.decode()
