"""The working-day calendar as the administrator has adjusted it (CalendarDay, CalendarYear)."""

from __future__ import annotations

from gongkai.workdays import Calendar, Override, Overrides

from .models import CalendarDay, CalendarYear


def current_calendar() -> Calendar:
    """chinesecalendar plus the overrides in the database; a few rows, read per call so an
    administrator's change applies at once."""
    days = {d.day: Override(d.day, d.workday, d.name) for d in CalendarDay.objects.all()}
    years = frozenset(CalendarYear.objects.values_list("year", flat=True))
    return Calendar(Overrides(days, years))
