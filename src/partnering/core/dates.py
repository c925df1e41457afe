"""Dates and times in the one GOV.UK style, for text people read: "1 June 2002", "June 2002",
"2:30pm", "1 June 2002 at 2:30pm" (the GOV.UK style guide: no abbreviated months, no leading
zero, the 12-hour clock with "am"/"pm", "midday" and "midnight"). Templates use ``|date:"j F Y"``
(the same format) or the ``govuk_datetime`` and ``govuk_time`` filters; machine outputs (CSV,
JSON, iCalendar, OCDS) write ISO 8601. ``core/tests/test_components.py`` refuses any other."""

from datetime import date, datetime, time

from django.utils import timezone


def govuk_date(day: date) -> str:
    return f"{day.day} {day:%B} {day.year}"


def govuk_month(day: date) -> str:
    return f"{day:%B} {day.year}"


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment


def govuk_time(moment: datetime | time) -> str:
    """ "2:30pm", "2pm", "midday", "midnight" (local time)."""
    clock = _local(moment).timetz() if isinstance(moment, datetime) else moment
    if clock.minute == 0 and clock.hour in (0, 12):
        return "midnight" if clock.hour == 0 else "midday"
    hour = clock.hour % 12 or 12
    minutes = f":{clock.minute:02d}" if clock.minute else ""
    return f"{hour}{minutes}{'am' if clock.hour < 12 else 'pm'}"


def govuk_datetime(moment: datetime, *, weekday: bool = False) -> str:
    """ "1 June 2002 at 2:30pm" (local time), or "Saturday 1 June 2002 at 2:30pm"."""
    local = _local(moment)
    day = f"{local:%A} {govuk_date(local)}" if weekday else govuk_date(local)
    return f"{day} at {govuk_time(local)}"
