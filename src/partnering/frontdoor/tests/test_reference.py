"""The council directory kept in memory: checked at most once an interval, at once after a save
in this process, and on a new day."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from partnering.frontdoor import reference
from partnering.organisations.models import Organisation

from .factories import WYCHAVON

pytestmark = pytest.mark.django_db
NAME = "Wychavon District Council"


class Clock:
    """``time.monotonic`` as the module sees it, moved by hand."""

    def __init__(self, monkeypatch):
        self.now = 1_000.0
        monkeypatch.setattr(reference.time, "monotonic", lambda: self.now)


@pytest.fixture
def clock(monkeypatch, settings, councils):
    settings.FRONTDOOR_REFERENCE_RECHECK_SECONDS = 2.0
    reference.forget()  # whatever an earlier test left in this process is checked again
    return Clock(monkeypatch)


def _name(gss):
    return reference.councils().directory.get(gss).name


def test_within_the_interval_no_query_is_made(clock, django_assert_num_queries):
    with django_assert_num_queries(5):  # the check, then the four of a rebuild
        assert _name(WYCHAVON) == NAME
    clock.now += 1.9
    with django_assert_num_queries(0):
        assert _name(WYCHAVON) == NAME
    clock.now += 0.2
    with django_assert_num_queries(1):  # the check alone: nothing changed
        assert _name(WYCHAVON) == NAME


def test_another_processs_change_is_seen_after_the_interval(clock):
    """A write this process did not see (another worker's, or a bulk update: no signal)."""
    assert _name(WYCHAVON) == NAME
    Organisation.objects.filter(gss_code=WYCHAVON).update(
        name="Wychavon (renamed)", modified_at=timezone.now() + timedelta(seconds=1)
    )
    clock.now += 1.0
    assert _name(WYCHAVON) == NAME
    clock.now += 1.5
    assert _name(WYCHAVON) == "Wychavon (renamed)"


def test_a_save_in_this_process_is_seen_at_once(clock, django_assert_num_queries):
    assert _name(WYCHAVON) == NAME
    council = Organisation.objects.get(gss_code=WYCHAVON)
    council.name = "Wychavon (renamed)"
    council.save()
    assert _name(WYCHAVON) == "Wychavon (renamed)"
    with django_assert_num_queries(0):
        assert _name(WYCHAVON) == "Wychavon (renamed)"


def test_a_check_between_a_save_and_its_commit_does_not_hide_it(
    clock, django_assert_num_queries, django_capture_on_commit_callbacks
):
    """The first call after the commit checks again, though one made before it (by another
    thread, on its own connection, so seeing the old rows) had counted as current."""
    assert _name(WYCHAVON) == NAME
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        council = Organisation.objects.get(gss_code=WYCHAVON)
        council.name = "Wychavon (renamed)"
        council.save()
        reference._checked_at = clock.now  # that other thread's check, just made
    with django_assert_num_queries(5):
        assert _name(WYCHAVON) == "Wychavon (renamed)"


def test_a_new_day_is_checked_at_once(clock, monkeypatch, django_assert_num_queries):
    assert _name(WYCHAVON) == NAME
    tomorrow = timezone.localdate() + timedelta(days=1)
    monkeypatch.setattr(reference.timezone, "localdate", lambda: tomorrow)
    with django_assert_num_queries(5):  # who is a current member depends on the day: rebuilt
        assert _name(WYCHAVON) == NAME


def test_an_interval_of_zero_checks_on_every_call(clock, settings, django_assert_num_queries):
    settings.FRONTDOOR_REFERENCE_RECHECK_SECONDS = 0
    assert _name(WYCHAVON) == NAME
    for _ in range(3):
        with django_assert_num_queries(1):
            assert _name(WYCHAVON) == NAME
