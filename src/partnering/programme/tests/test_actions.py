"""Follow-up actions from advice and from mentoring sessions: several agreed in one form (with
"Add another action", no JavaScript), marked as done on the pages and through the API (who and
when, audited), reminded and listed alike whichever they came from."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partnering.core.errors import DomainError
from partnering.core.models import Role
from partnering.core.services import api_key_create
from partnering.core.tests.factories import UserFactory
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.models import Stage
from partnering.partnerships.services import partnership_update, stage_move
from partnering.partnerships.tests.factories import make_partnership
from partnering.programme.models import Action, ActionStatus, Advice, MentoringSession
from partnering.programme.services import (
    ActionSpec,
    action_complete,
    advice_record,
    adviser_profile_set,
    digests_send,
    reminders_send,
    session_record,
)

from .factories import assess, make_application, make_call, staff_user

pytestmark = pytest.mark.django_db
API = "/api/v1/programme"
TODAY = timezone.localdate()


def _bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {api_key_create(name='t', actor=user)[1]}"}


@pytest.fixture
def advised():
    """A partnership with an adviser, an officer of its lead council, and staff."""
    staff = staff_user(username="a-staff")
    org = OrganisationFactory(name="Malvern Hills District Council")
    adviser = UserFactory(
        role=Role.ADVISER, username="a-adviser", first_name="Alex", last_name="Morgan"
    )
    officer = UserFactory(
        role=Role.PARTNER, username="a-officer", first_name="Kim", last_name="Shah",
        organisations=[org],
    )  # fmt: skip
    adviser_profile_set(user=adviser, disciplines=["legal"], capacity=5, actor=staff)
    p = make_partnership(lead=org, name="Malvern Partnership")
    partnership_update(partnership=p, data={"advisers": [adviser]}, actor=staff)
    return staff, adviser, officer, p


def _session_with(p, adviser, *specs, held_on=None):
    return session_record(partnership=p, adviser=adviser, held_on=held_on or TODAY - timedelta(days=5),
                          notes="Scoping", actions=list(specs), actor=adviser)  # fmt: skip


# --- the service ---------------------------------------------------------------------------


def test_marking_done_records_who_and_when_with_history(advised):
    _, adviser, officer, p = advised
    session = _session_with(p, adviser, ActionSpec("Name a lead officer", officer, TODAY))
    action = session.actions.get()
    assert action.partnership == p and action.source == "session"
    action_complete(action=action, completed_on=TODAY - timedelta(days=1), actor=officer)
    action.refresh_from_db()
    assert (action.status, action.completed_on, action.completed_by) == (
        ActionStatus.DONE, TODAY - timedelta(days=1), officer
    )  # fmt: skip
    latest = action.history.first()
    assert (
        latest.history_user == officer and latest.history_change_reason == "Action marked as done"
    )


def test_an_action_is_done_once_never_in_the_future_nor_before_it_was_agreed(advised):
    _, adviser, officer, p = advised
    session = _session_with(p, adviser, ActionSpec("Brief members", officer, TODAY),
                            held_on=TODAY - timedelta(days=5))  # fmt: skip
    action = session.actions.get()
    for day, code in ((TODAY + timedelta(days=1), "programme.action_done_date"),
                      (TODAY - timedelta(days=6), "programme.action_done_date")):  # fmt: skip
        with pytest.raises(DomainError) as err:
            action_complete(action=action, completed_on=day, actor=officer)
        assert err.value.code == code and err.value.field == "completed_on"
    assert Action.objects.get(pk=action.pk).status == ActionStatus.OPEN
    action_complete(action=action, actor=officer)
    with pytest.raises(DomainError) as err:
        action_complete(action=action, actor=officer)
    assert err.value.code == "programme.action_done"
    assert action.history.count() == 2  # agreed, done: the refusal wrote nothing


def test_a_session_action_needs_an_owner_and_nothing_is_saved_without_one(advised):
    _, adviser, _, p = advised
    with pytest.raises(DomainError) as err:
        _session_with(p, adviser, ActionSpec("Draft", None, TODAY))
    assert err.value.code == "programme.action_owner"
    assert not MentoringSession.objects.exists() and not Action.objects.exists()


def test_session_actions_are_reminded_digested_and_listed_as_advice_actions_are(advised):
    _, adviser, officer, p = advised
    officer.email = "kim@example.gov.uk"
    officer.save()
    _session_with(p, adviser, ActionSpec("Send the scoping note", officer, TODAY - timedelta(days=1)),
                  ActionSpec("Book the board", adviser, TODAY + timedelta(days=9)))  # fmt: skip
    assert reminders_send() == 1 and reminders_send() == 0
    assert mail.outbox[0].to == ["kim@example.gov.uk"]
    assert "Malvern Partnership" in mail.outbox[0].body
    assert digests_send() == 1
    assert (
        "Send the scoping note" in mail.outbox[-1].body and "Book the board" in mail.outbox[-1].body
    )
    from partnering.programme.selectors import dashboard, open_actions

    assert [a.description for a in open_actions(officer)] == ["Send the scoping note"]
    assert {a.description for a in open_actions(adviser)} == {
        "Send the scoping note",
        "Book the board",
    }
    assert [a.description for a in dashboard().overdue] == ["Send the scoping note"]


# --- the advice and session forms: several actions, "Add another action" ----------------------


def _advice_form(**extra):
    return {"advice_type": "legal", "given_on": (TODAY - timedelta(days=3)).isoformat(),
            "summary": "Set up a joint committee", "attachments": "", **extra}  # fmt: skip


def test_add_another_action_draws_one_more_row_and_saves_nothing(client, advised):
    _, adviser, officer, p = advised
    client.force_login(adviser)
    url = reverse("programme:advice", args=[p.slug])
    first = client.get(url).content.decode()
    assert 'name="action_1"' in first and 'name="action_2"' not in first
    r = client.post(url, _advice_form(action_rows="1", action_1="Draft the agreement",
                                      owner_1=officer.pk, add_action="yes"))  # fmt: skip
    page = r.content.decode()
    assert r.status_code == 200 and 'name="action_2"' in page
    assert "There is a problem" not in page  # nothing was sent yet: no error shown
    assert 'value="Draft the agreement"' in page and 'value="2"' in page
    assert not Advice.objects.exists()


def test_the_advice_form_takes_two_actions_and_refuses_a_half_filled_row(client, advised):
    _, adviser, officer, p = advised
    client.force_login(adviser)
    url = reverse("programme:advice", args=[p.slug])
    due = (TODAY + timedelta(days=14)).isoformat()
    half = _advice_form(action_rows="2", action_1="Draft the agreement", owner_1=officer.pk,
                        due_on_1=due, action_2="Brief the members")  # fmt: skip
    r = client.post(url, half)
    page = r.content.decode()
    assert r.status_code == 200 and "There is a problem" in page
    assert "Choose who owns action 2" in page and "Enter when action 2 is due" in page
    assert 'href="#id_owner_2"' in page
    assert not Advice.objects.exists() and not Action.objects.exists()
    r = client.post(url, {**half, "owner_2": adviser.pk, "due_on_2": due})
    assert r.status_code == 302
    advice = Advice.objects.get()
    assert [(a.description, a.owner) for a in advice.actions.order_by("pk")] == [
        ("Draft the agreement", officer), ("Brief the members", adviser)
    ]  # fmt: skip


def test_the_owners_offered_are_the_adviser_the_partnerships_advisers_and_its_officers(
    client, advised
):
    _, adviser, _, p = advised
    stranger = UserFactory(role=Role.PARTNER, first_name="Not", last_name="Here",
                           organisations=[OrganisationFactory()])  # fmt: skip
    client.force_login(adviser)
    page = client.get(reverse("programme:sessions", args=[p.slug])).content.decode()
    assert ">Kim Shah</option>" in page and ">Alex Morgan</option>" in page
    assert "Not Here" not in page
    r = client.post(reverse("programme:sessions", args=[p.slug]), {
        "held_on_day": "3", "held_on_month": "6", "held_on_year": "2003", "action_rows": "1",
        "action_1": "Call the chief executive", "owner_1": stranger.pk, "due_on_1": "2003-07-01",
    })  # fmt: skip
    assert r.status_code == 200 and "Choose who owns action 1 from the list" in r.content.decode()
    assert not MentoringSession.objects.exists()


def test_a_session_is_recorded_with_its_actions_on_the_page(client, advised):
    _, adviser, officer, p = advised
    client.force_login(adviser)
    url = reverse("programme:sessions", args=[p.slug])
    r = client.post(url, {
        "held_on_day": "3", "held_on_month": "6", "held_on_year": "2003", "action_rows": "2",
        "action_1": "Send the scoping note", "owner_1": officer.pk, "due_on_1": "2003-06-10",
        "action_2": "Book the board", "owner_2": adviser.pk, "due_on_2": "2003-07-01",
    })  # fmt: skip
    assert r.status_code == 302
    session = MentoringSession.objects.get()
    assert [a.description for a in session.actions.order_by("due_on")] == [
        "Send the scoping note", "Book the board"
    ]  # fmt: skip
    page = client.get(url).content.decode()
    assert "Send the scoping note" in page and "Overdue" in page


# --- marking done on the pages ---------------------------------------------------------------


def test_the_owner_marks_an_action_done_from_the_actions_page(client, advised):
    _, adviser, officer, p = advised
    session = _session_with(p, adviser, ActionSpec("Send the scoping note", officer, TODAY),
                            ActionSpec("Book the board", adviser, TODAY))  # fmt: skip
    mine = session.actions.get(owner=officer)
    client.force_login(officer)
    page = client.get(reverse("programme:actions")).content.decode()
    assert page.count("Mark as done<span") == 1  # only their own: the adviser's is not theirs
    button = page[page.index('action="/programme/actions/') :]
    assert 'name="csrfmiddlewaretoken"' in button[: button.index("</form>")]
    r = client.post(reverse("programme:action-complete", args=[mine.pk]),
                    {"next": reverse("programme:sessions", args=[p.slug])})  # fmt: skip
    assert r.status_code == 302 and r["Location"] == reverse("programme:sessions", args=[p.slug])
    mine.refresh_from_db()
    assert mine.status == ActionStatus.DONE and mine.completed_by == officer
    page = client.get(reverse("programme:sessions", args=[p.slug])).content.decode()
    assert f"on {TODAY:%-d %B %Y} by Kim Shah" in page
    # another site is never where the button sends you back to
    other = session.actions.get(owner=adviser)
    client.force_login(adviser)
    r = client.post(reverse("programme:action-complete", args=[other.pk]),
                    {"next": "https://elsewhere.example/"})  # fmt: skip
    assert r["Location"] == reverse("programme:actions")


def test_who_may_mark_an_action_done(client, advised):
    staff, adviser, officer, p = advised
    advice = advice_record(partnership=p, adviser=adviser, advice_type="legal",
                           given_on=TODAY - timedelta(days=2), summary="x",
                           actions=[ActionSpec("Draft", adviser, TODAY)], actor=adviser)  # fmt: skip
    action = advice.actions.get()
    url = reverse("programme:action-complete", args=[action.pk])
    client.force_login(officer)  # sees the partnership's actions, owns none of them
    assert client.post(url).status_code == 403
    client.force_login(UserFactory(role=Role.PARTNER, organisations=[OrganisationFactory()]))
    assert client.post(url).status_code == 404
    client.force_login(UserFactory(role=Role.ADVISER))
    assert client.post(url).status_code == 404
    assert Action.objects.get(pk=action.pk).status == ActionStatus.OPEN
    stage_move(partnership=p, to_stage=Stage.CLOSED, reason="Wound up", actor=staff)
    client.force_login(adviser)
    r = client.post(url)
    assert r.status_code == 403 and b"closed" in r.content
    assert Action.objects.get(pk=action.pk).status == ActionStatus.OPEN


def test_the_advice_page_marks_done_and_shows_who_and_when(client, advised):
    _, adviser, officer, p = advised
    advice_record(partnership=p, adviser=adviser, advice_type="legal",
                  given_on=TODAY - timedelta(days=2), summary="x",
                  actions=[ActionSpec("Draft the agreement", officer, TODAY)], actor=adviser)  # fmt: skip
    client.force_login(adviser)
    url = reverse("programme:advice", args=[p.slug])
    page = client.get(url).content.decode()
    assert 'Mark as done<span class="govuk-visually-hidden">: Draft the agreement' in page
    action = Action.objects.get()
    client.post(reverse("programme:action-complete", args=[action.pk]), {"next": url})
    page = client.get(url).content.decode()
    assert "Mark as done" not in page and f"on {TODAY:%-d %B %Y} by Alex Morgan" in page


def test_the_actions_page_has_a_fixed_number_of_queries(client, advised):
    staff, adviser, officer, p = advised
    client.force_login(adviser)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(reverse("programme:actions")).content.decode()
        return len(ctx.captured_queries), page.count("Mark as done<span")

    _session_with(p, adviser, ActionSpec("One", officer, TODAY))
    few, marks = count()
    assert marks == 1
    for q in [make_partnership(lead=OrganisationFactory()) for _ in range(3)]:
        partnership_update(partnership=q, data={"advisers": [adviser]}, actor=staff)
        _session_with(q, adviser, *[ActionSpec(f"Action {n}", adviser, TODAY) for n in range(9)])
    queries, marks = count()
    assert marks == 28 and queries == few


# --- the API ---------------------------------------------------------------------------------


def test_complete_an_action_through_the_api(client, advised):
    _, adviser, officer, p = advised
    session = _session_with(p, adviser, ActionSpec("Send the scoping note", officer, TODAY))
    action = session.actions.get()
    url = f"{API}/actions/{action.pk}/complete"
    future = (TODAY + timedelta(days=1)).isoformat()
    r = client.post(
        url, {"completed_on": future}, content_type="application/json", **_bearer(officer)
    )
    assert r.status_code == 422 and r.json()["field"] == "completed_on"
    assert r.json()["code"] == "programme.action_done_date"
    r = client.post(url, {"completed_on": "yesterday"}, content_type="application/json",
                    **_bearer(officer))  # fmt: skip
    assert r.status_code == 422
    assert Action.objects.get(pk=action.pk).status == ActionStatus.OPEN
    r = client.post(url, {}, content_type="application/json", **_bearer(officer))
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["status"] == "done" and body["completed_by"] == "a-officer"
    assert body["completed_on"] == TODAY.isoformat() and body["source"] == "session"
    again = client.post(url, {}, content_type="application/json", **_bearer(officer))
    assert again.status_code == 422 and again.json()["code"] == "programme.action_done"


def test_sessions_through_the_api_take_actions_and_refuse_one_without_an_owner(client, advised):
    _, adviser, officer, p = advised
    url = f"{API}/partnerships/{p.slug}/sessions"
    bad = {"held_on": "2003-06-03", "actions": [
        {"description": "Send the note", "owner": "a-officer", "due_on": "2003-06-10"},
        {"description": "Book the board", "due_on": "2003-07-01"}]}  # fmt: skip
    r = client.post(url, bad, content_type="application/json", **_bearer(adviser))
    assert r.status_code == 422 and r.json()["code"] == "programme.action_owner"
    assert r.json()["field"] == "owner"
    assert not MentoringSession.objects.exists() and not Action.objects.exists()
    bad["actions"][1]["owner"] = "a-adviser"
    r = client.post(url, bad, content_type="application/json", **_bearer(adviser))
    assert r.status_code == 201
    assert [(a["description"], a["owner"]) for a in r.json()["actions"]] == [
        ("Send the note", "a-officer"), ("Book the board", "a-adviser")
    ]  # fmt: skip
    listed = client.get(url, **_bearer(officer)).json()
    assert [a["status"] for a in listed[0]["actions"]] == ["open", "open"]


def test_advice_through_the_api_refuses_an_action_without_an_owner(client, advised):
    """Bad input (issue 9 part 11): an action with no owner, or an owner nobody is, is a 422
    with the code and the field, and saves nothing."""
    _, adviser, _, p = advised
    url = f"{API}/partnerships/{p.slug}/advice"
    body = {"advice_type": "legal", "given_on": "2003-06-01", "summary": "Use a framework",
            "actions": [{"description": "Draft", "due_on": "2003-07-01"}]}  # fmt: skip
    for owner in (None, "nobody-of-that-name"):
        body["actions"][0]["owner"] = owner
        r = client.post(url, body, content_type="application/json", **_bearer(adviser))
        assert r.status_code == 422, owner
        assert r.json()["code"] == "programme.action_owner" and r.json()["field"] == "owner"
    assert not Advice.objects.exists() and not Action.objects.exists()


def test_the_api_keeps_assessors_blind_until_they_submit(client):
    """Assessors never see other assessors' scores before submitting their own, through the
    API as on the page (issue 9 part 1)."""
    staff = staff_user()
    first = UserFactory(role=Role.ADVISER, username="blind-first")
    second = UserFactory(role=Role.ADVISER, username="blind-second")
    call = make_call(actor=staff, assessors=[first, second])
    app = make_application(call)
    assess(app, first, 7, 6)

    def seen_by(user):
        return sorted(
            a["assessor"] for a in client.get(f"{API}/assessments", **_bearer(user)).json()
        )

    assert seen_by(second) == []
    assert seen_by(first) == ["blind-first"]
    assess(app, second, 3, 4)
    assert seen_by(second) == ["blind-first", "blind-second"]
    assert seen_by(staff) == ["blind-first", "blind-second"]


def test_a_reminder_is_not_sent_again_when_the_database_fails_after_the_send(advised, monkeypatch):
    """Issue 16 part 3 (failed before: the reminder was sent and marked in one transaction, so a
    lost commit sent it again on the next run); a failed send is sent by the next run."""
    import smtplib

    from django.core.mail.backends.locmem import EmailBackend
    from django.db import OperationalError

    _, adviser, officer, p = advised
    _session_with(p, adviser, ActionSpec("Send the scoping note", officer, TODAY - timedelta(days=1)),
                  ActionSpec("Book the board", adviser, TODAY - timedelta(days=2)))  # fmt: skip
    save = Action.save

    def database_gone(self, *args, **kwargs):
        if self.reminder_sent_at is not None:
            raise OperationalError("server closed the connection unexpectedly")
        return save(self, *args, **kwargs)

    monkeypatch.setattr(Action, "save", database_gone)
    with pytest.raises(OperationalError):
        reminders_send()
    monkeypatch.undo()
    assert len(mail.outbox) == 1

    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        reminders_send()  # the first is claimed (sent, unmarked): skipped; the second fails
    monkeypatch.undo()
    assert reminders_send() == 1 and reminders_send() == 0
    assert sorted(m.subject for m in mail.outbox) == [
        "Action due: Book the board",
        "Action due: Send the scoping note",
    ]
