"""Staff pages to add and change training modules, their cohorts and events; an adviser's own
profile page. Each role's status, the bad input (a GOV.UK error summary, nothing saved) and the
audit history of every change."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from partnering.core.models import Role
from partnering.core.tests.factories import UserFactory
from partnering.programme.models import Booking, Event, ModuleSession, TrainingModule

from .factories import (
    BookingFactory,
    EnrolmentFactory,
    EventFactory,
    ModuleFactory,
    ModuleSessionFactory,
)

pytestmark = pytest.mark.django_db

ROLES = ["staff", "adviser", "partner", "public"]
GET_STATUS = {"staff": 200, "adviser": 403, "partner": 403, "public": 302}


def _summary(response) -> str:
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    return page


MODULE = {
    "title": "Scrutiny of shared services", "summary": "How councillors scrutinise a partnership",
    "learning_outcomes": "Read a business case\n\nAsk the right questions\n",
    "audience": "councillors", "format": "webinar", "duration_hours": "2.5", "is_published": "on",
}  # fmt: skip


def _event_form(**changes):
    day = timezone.localdate() + timedelta(days=30)
    form = {
        "title": "Peer visit to Worcester", "kind": "peer_visit", "summary": "One front door",
        "starts_on_day": day.day, "starts_on_month": day.month, "starts_on_year": day.year,
        "start_time": "10:00", "end_time": "15:30", "location": "Worcester", "places": "12",
        "is_published": "on",
    }  # fmt: skip
    form.update(changes)
    return form


# --- who may open them ---------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_only_staff_open_the_module_cohort_and_event_forms(client_for, role):
    session = ModuleSessionFactory()
    event = EventFactory()
    client = client_for(role)
    urls = [
        reverse("programme:module-create"),
        reverse("programme:module-edit", args=[session.module.slug]),
        reverse("programme:cohort-create", args=[session.module.slug]),
        reverse("programme:cohort-edit", args=[session.module.slug, session.pk]),
        reverse("programme:event-create"),
        reverse("programme:event-edit", args=[event.slug]),
    ]
    for url in urls:
        assert client.get(url).status_code == GET_STATUS[role], url
        assert client.post(url, {}).status_code == GET_STATUS[role], url


@pytest.mark.parametrize("role", ROLES)
def test_the_staff_links_show_to_staff_only(client_for, role):
    session = ModuleSessionFactory()
    event = EventFactory()
    client = client_for(role)
    links = {
        reverse("programme:module-list"): reverse("programme:module-create"),
        session.module.get_absolute_url(): reverse("programme:cohort-create",
                                                   args=[session.module.slug]),
        reverse("programme:event-list"): reverse("programme:event-create"),
        event.get_absolute_url(): reverse("programme:event-edit", args=[event.slug]),
    }  # fmt: skip
    for page, link in links.items():
        assert (f'href="{link}"' in client.get(page).content.decode()) == (role == "staff")


def test_a_cohort_of_another_module_is_not_found(client_for):
    session = ModuleSessionFactory()
    other = ModuleFactory()
    response = client_for("staff").get(
        reverse("programme:cohort-edit", args=[other.slug, session.pk])
    )
    assert response.status_code == 404


# --- modules -------------------------------------------------------------------------------


def test_staff_add_and_change_a_module_with_history(client_for, staff_user):
    client = client_for("staff")
    response = client.post(reverse("programme:module-create"), MODULE)
    module = TrainingModule.objects.get()
    assert response.status_code == 302 and response["Location"] == module.get_absolute_url()
    assert module.learning_outcomes == ["Read a business case", "Ask the right questions"]
    assert module.duration_hours == Decimal("2.5") and module.is_published
    assert module.history.get().history_user == staff_user
    edit = reverse("programme:module-edit", args=[module.slug])
    page = client.get(edit).content.decode()
    assert "Read a business case\nAsk the right questions" in page
    response = client.post(edit, {**MODULE, "title": "Scrutiny, renamed", "is_published": ""})
    assert response.status_code == 302
    module.refresh_from_db()
    assert module.title == "Scrutiny, renamed" and not module.is_published
    assert module.slug == "scrutiny-of-shared-services"
    latest = module.history.first()
    assert latest.history_user == staff_user and latest.history_change_reason == "Module changed"
    # Saving with nothing changed writes no history.
    client.post(edit, {**MODULE, "title": "Scrutiny, renamed", "is_published": ""})
    assert module.history.count() == 2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": ""}, "Enter title"),
        ({"learning_outcomes": "  \n "}, "Enter at least one learning outcome"),
        ({"duration_hours": "0"}, "Duration in hours must be 0.5 or more"),
        ({"duration_hours": "-3"}, "Duration in hours must be 0.5 or more"),
        ({"duration_hours": "lots"}, "Duration in hours must be a number"),
        ({"audience": "everyone"}, "Select who the module is for from the list"),
    ],
)
def test_a_bad_module_shows_an_error_summary_and_saves_nothing(client_for, change, message):
    client = client_for("staff")
    page = _summary(client.post(reverse("programme:module-create"), {**MODULE, **change}))
    assert message in page
    assert not TrainingModule.objects.exists()
    module = ModuleFactory()
    before = module.history.count()
    page = _summary(
        client.post(reverse("programme:module-edit", args=[module.slug]), {**MODULE, **change})
    )
    assert message in page
    module.refresh_from_db()
    assert module.title != MODULE["title"] and module.history.count() == before


def test_a_module_called_new_does_not_hide_the_add_page(client_for):
    client = client_for("staff")
    client.post(reverse("programme:module-create"), {**MODULE, "title": "New"})
    assert TrainingModule.objects.get().slug != "new"
    assert client.get(reverse("programme:module-create")).status_code == 200


# --- cohorts -------------------------------------------------------------------------------


def _cohort(start: date, end: date, **changes):
    form = {
        "starts_on_day": start.day, "starts_on_month": start.month, "starts_on_year": start.year,
        "ends_on_day": end.day, "ends_on_month": end.month, "ends_on_year": end.year,
        "venue": "York", "places": "8",
    }  # fmt: skip
    form.update(changes)
    return form


def test_staff_schedule_and_change_a_cohort_with_history(client_for, staff_user):
    module = ModuleFactory()
    client = client_for("staff")
    response = client.post(
        reverse("programme:cohort-create", args=[module.slug]),
        _cohort(date(2031, 3, 3), date(2031, 3, 4)),
    )
    assert response.status_code == 302 and response["Location"] == module.get_absolute_url()
    cohort = ModuleSession.objects.get()
    assert (cohort.starts_on, cohort.ends_on, cohort.venue, cohort.places) == (
        date(2031, 3, 3), date(2031, 3, 4), "York", 8)  # fmt: skip
    page = client.get(module.get_absolute_url()).content.decode()
    assert reverse("programme:cohort-edit", args=[module.slug, cohort.pk]) in page
    edit = reverse("programme:cohort-edit", args=[module.slug, cohort.pk])
    assert 'value="3"' in client.get(edit).content.decode()
    client.post(edit, _cohort(date(2031, 4, 1), date(2031, 4, 1), venue="Online", places="30"))
    cohort.refresh_from_db()
    assert (cohort.starts_on, cohort.venue, cohort.places) == (date(2031, 4, 1), "Online", 30)
    assert [h.history_user for h in cohort.history.all()] == [staff_user, staff_user]
    assert cohort.history.first().history_change_reason == "Cohort changed"


def test_a_cohort_ending_before_it_starts_is_refused(client_for):
    module = ModuleFactory()
    page = _summary(client_for("staff").post(
        reverse("programme:cohort-create", args=[module.slug]),
        _cohort(date(2031, 3, 4), date(2031, 3, 3)),
    ))  # fmt: skip
    assert "The last day must be on or after the first" in page
    assert not ModuleSession.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"places": "0"}, "Places must be 1 or more"),
        ({"places": "-4"}, "Places must be 1 or more"),
        ({"places": "ten"}, "Places must be a whole number"),
        ({"venue": ""}, "Enter where"),
        ({"starts_on_month": "13"}, "First day must be a real date"),
    ],
)
def test_a_bad_cohort_shows_an_error_summary_and_saves_nothing(client_for, change, message):
    module = ModuleFactory()
    url = reverse("programme:cohort-create", args=[module.slug])
    page = _summary(
        client_for("staff").post(url, _cohort(date(2031, 3, 3), date(2031, 3, 4), **change))
    )
    assert message in page
    assert not ModuleSession.objects.exists()


def test_places_never_fall_below_the_people_enrolled(client_for):
    session = ModuleSessionFactory(places=5)
    for _ in range(3):
        EnrolmentFactory(session=session)
    EnrolmentFactory(session=session, status="withdrawn")
    before = session.history.count()
    url = reverse("programme:cohort-edit", args=[session.module.slug, session.pk])
    client = client_for("staff")
    assert "3 of its 5 places are taken" in client.get(url).content.decode()
    form = _cohort(session.starts_on, session.ends_on, places="2")
    page = _summary(client.post(url, form))
    assert "3 people are enrolled in this cohort: places must be 3 or more" in page
    session.refresh_from_db()
    assert session.places == 5 and session.history.count() == before
    assert client.post(url, {**form, "places": "3"}).status_code == 302
    session.refresh_from_db()
    assert session.places == 3


# --- events --------------------------------------------------------------------------------


def test_staff_add_and_change_an_event_with_history(client_for, staff_user):
    client = client_for("staff")
    response = client.post(reverse("programme:event-create"), _event_form())
    event = Event.objects.get()
    assert response.status_code == 302 and response["Location"] == event.get_absolute_url()
    starts = timezone.localtime(event.starts_at)
    assert (starts.hour, starts.minute) == (10, 0)
    assert event.ends_at - event.starts_at == timedelta(hours=5, minutes=30)
    assert event.kind == "peer_visit" and event.places == 12 and event.is_published
    edit = reverse("programme:event-edit", args=[event.slug])
    page = client.get(edit).content.decode()
    assert 'value="10:00"' in page and 'value="15:30"' in page
    later = timezone.localdate() + timedelta(days=31)
    client.post(edit, _event_form(title="Two-day visit", ends_on_day=later.day,
                                  ends_on_month=later.month, ends_on_year=later.year))  # fmt: skip
    event.refresh_from_db()
    assert event.title == "Two-day visit" and event.slug == "peer-visit-to-worcester"
    assert timezone.localtime(event.ends_at).date() == later
    assert event.history.count() == 2
    assert event.history.first().history_user == staff_user


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"places": "-1"}, "Places must be 1 or more"),
        ({"places": "0"}, "Places must be 1 or more"),
        ({"end_time": "09:00"}, "The event must end after it starts"),
        ({"start_time": "25:00"}, "Start time must be a time like 09:30 or 14:00"),
        ({"start_time": ""}, "Enter start time"),
        ({"kind": "party"}, "Select kind of event from the list"),
        ({"starts_on_year": ""}, "Date it starts must include a year"),
    ],
)
def test_a_bad_event_shows_an_error_summary_and_saves_nothing(client_for, change, message):
    client = client_for("staff")
    page = _summary(client.post(reverse("programme:event-create"), _event_form(**change)))
    assert message in page
    assert not Event.objects.exists()
    event = EventFactory()
    before = event.history.count()
    url = reverse("programme:event-edit", args=[event.slug])
    assert message in _summary(client.post(url, _event_form(**change)))
    event.refresh_from_db()
    assert event.title != "Peer visit to Worcester" and event.history.count() == before


def test_event_places_never_fall_below_those_booked_and_added_places_go_to_the_waiting_list(
    client_for,
):
    event = EventFactory(places=2)
    booked = [BookingFactory(event=event) for _ in range(2)]
    waiting = [BookingFactory(event=event, status="waiting") for _ in range(2)]
    url = reverse("programme:event-edit", args=[event.slug])
    client = client_for("staff")
    page = _summary(client.post(url, _event_form(places="1")))
    assert "2 people have a place: places must be 2 or more" in page
    event.refresh_from_db()
    assert event.places == 2
    response = client.post(url, _event_form(places="3"), follow=True)
    assert "1 on the waiting list now have a place" in response.content.decode()
    statuses = {b.pk: b.status for b in Booking.objects.all()}
    assert [statuses[b.pk] for b in booked + waiting] == ["booked", "booked", "booked", "waiting"]


def test_an_adviser_cannot_post_an_event(client):
    client.force_login(UserFactory(role=Role.ADVISER))
    assert client.post(reverse("programme:event-create"), _event_form()).status_code == 403
    assert not Event.objects.exists()
