"""A meeting's date as it is where the meeting is held, whatever zone it is stored or run in.

Meetings are stored in UTC; the day people know a meeting by is the day in its own time zone (a
meeting at 00:30 on 1 July in London is stored as 23:30 on 30 June). Every page and email that
shows a meeting's date reads it through here.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def local_time(moment: datetime, timezone: str) -> datetime:
    """The moment in the named time zone (UTC if the name is not a zone)."""
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = UTC
    if moment.tzinfo is None:  # stored times are aware; a naive one is read as UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone)


def local_date(moment: datetime, timezone: str) -> date:
    return local_time(moment, timezone).date()


def long_date(moment: datetime, timezone: str) -> str:
    """The day in words, "1 July 2025", where the meeting is held."""
    day = local_date(moment, timezone)
    return f"{day.day} {day:%B %Y}"
