"""Reads of applications, always narrowed to what the user may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone

from gongkai import clock
from gongkai.agencies.selectors import HANDLE_APPLICATION, VIEW, agencies_where, can
from gongkai.identity import mask_id_number, mask_phone
from gongkai.workdays import Calendar

from .calendar import current_calendar
from .models import Application


def today() -> date:
    return timezone.localdate()


def visible_applications(user) -> QuerySet[Application]:
    """Every application of the agencies where `user` may read records."""
    return Application.objects.filter(agency__in=agencies_where(user, VIEW)).select_related("agency")


def get_application(user, pk: int) -> Application:
    """The application, or Application.DoesNotExist when it is not the user's to see (a 404,
    so that other agencies' numbers are not even confirmed to exist)."""
    return visible_applications(user).get(pk=pk)


def possible_handlers(agency) -> QuerySet:
    """The agency's own staff who may handle its applications (承办), by user name: those a
    handler can be chosen from. Each is asked of scope.can, the one judge of roles; an agency's
    staff are few."""
    User = get_user_model()
    staff = User.objects.filter(memberships__agency=agency).distinct()
    ids = [u.pk for u in staff if can(u, HANDLE_APPLICATION, agency)]
    return User.objects.filter(pk__in=ids).order_by("username")


def clock_events(application: Application) -> list[clock.Event]:
    """The receipt (the application row itself) followed by the recorded events."""
    received = clock.Event(clock.RECEIVED, application.received_on)
    return [received, *(e.as_clock_event() for e in application.events.all())]


def application_state(application: Application, on: date | None = None,
                      calendar: Calendar | None = None) -> clock.ApplicationState:
    return clock.state(clock_events(application), calendar or current_calendar(), on or today())


@dataclass(frozen=True)
class Row:
    """An application as a list shows it: masked identity, computed state."""

    application: Application
    state: clock.ApplicationState

    @property
    def masked_id(self) -> str:
        return mask_id_number(self.application.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.application.phone)


def rows(queryset: QuerySet[Application], on: date | None = None) -> list[Row]:
    """States for a page of applications: events fetched in one query, one calendar."""
    cal, on = current_calendar(), on or today()
    apps = list(queryset.prefetch_related("events"))
    return [Row(a, application_state(a, on, cal)) for a in apps]


def search(queryset: QuerySet[Application], words: str) -> QuerySet[Application]:
    """By number (2026-0007), applicant name, tracking number or words of the request."""
    words = words.strip()
    if not words:
        return queryset
    q = Q(name__icontains=words) | Q(request__icontains=words) | Q(tracking_number=words.upper())
    year, _, seq = words.partition("-")
    if year.isdigit() and seq.isdigit():
        q |= Q(year=int(year), seq=int(seq))
    return queryset.filter(q)


def open_applications(queryset: QuerySet[Application]) -> QuerySet[Application]:
    """Applications without a closing event (the clock decides the rest)."""
    return queryset.exclude(events__kind__in=CLOSING_KINDS)


CLOSING_KINDS = (clock.ANSWERED, clock.ABANDONED, clock.FEE_LAPSED, clock.WITHDRAWN)


def workbench(user, on: date | None = None) -> dict[str, list[Row]]:
    """The handler's desk: open work split into overdue, due within 3 working days, the rest."""
    on = on or today()
    open_rows = rows(open_applications(visible_applications(user)), on)
    out: dict[str, list[Row]] = {"overdue": [], "due_soon": [], "open": []}
    for r in sorted(open_rows, key=lambda r: r.state.due.due if r.state.due else date.max):
        left = r.state.working_days_left
        if r.state.overdue:
            out["overdue"].append(r)
        elif left is not None and left <= 3:
            out["due_soon"].append(r)
        else:
            out["open"].append(r)
    return out
