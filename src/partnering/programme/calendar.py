"""iCalendar (RFC 5545) feeds of the programme's events, built with the ``icalendar`` library.

One VCALENDAR (VERSION 2.0, a PRODID, METHOD PUBLISH) with a VEVENT per event: a UID stable
across downloads (``event-<pk>@<host>``), DTSTAMP (when the event was last changed), DTSTART
and DTEND in UTC, SUMMARY, DESCRIPTION, LOCATION, URL, CATEGORIES (the kind) and, when an
event is cancelled or unpublished, nothing (it leaves the feed). Calendar programs subscribe to
the feed of all events or import one event's file."""

from collections.abc import Iterable
from datetime import UTC
from typing import Any

from icalendar import Calendar
from icalendar import Event as VEvent

PRODID = "-//Strategic Partnering Taskforce//Programme events//EN"


def calendar_of(events: Iterable[Any], *, base_url: str, name: str) -> bytes:
    """The iCalendar file of ``events`` (CRLF line endings, lines folded at 75 octets)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    host = base_url.split("://", 1)[-1].split("/", 1)[0] or "partnering.invalid"
    for event in events:
        item = VEvent()
        item.add("uid", f"event-{event.pk}@{host}")
        item.add("dtstamp", event.modified_at.astimezone(UTC))
        item.add("dtstart", event.starts_at.astimezone(UTC))
        item.add("dtend", event.ends_at.astimezone(UTC))
        item.add("summary", event.title)
        item.add("description", event.summary)
        item.add("location", event.location)
        item.add("url", f"{base_url.rstrip('/')}{event.get_absolute_url()}")
        item.add("categories", [event.get_kind_display()])
        cal.add_component(item)
    return cal.to_ical()
