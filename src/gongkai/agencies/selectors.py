"""Reads, and the one place that decides what a staff member may see and do.

Every staff view asks `can(user, action, agency)` (or narrows a queryset with
`visible_agencies(user)`); nothing else compares roles. Roles act on their own agency,
except the supervisor, who reads the whole subtree below it."""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.db import connection
from django.db.models import Q, QuerySet

from .models import Agency, Membership, Role

VIEW = "view"  # read the agency's records: reports, applications, publications
VIEW_AUDIT = "view_audit"
IMPORT_REPORT = "import_report"
PUBLISH_REPORT = "publish_report"
REGISTER_APPLICATION = "register_application"  # 登记
HANDLE_APPLICATION = "handle_application"  # 承办
ASSIGN_HANDLER = "assign_handler"  # 指派承办人: the head or the administrator
APPROVE_EXTENSION = "approve_extension"  # 延期答复, approved by the head (Art. 33)
SIGN_ANSWER = "sign_answer"
MANAGE_STAFF = "manage_staff"
MANAGE_AGENCY = "manage_agency"

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.REGISTRAR: frozenset({VIEW, REGISTER_APPLICATION}),
    Role.HANDLER: frozenset({VIEW, REGISTER_APPLICATION, HANDLE_APPLICATION, IMPORT_REPORT}),
    Role.HEAD: frozenset({VIEW, VIEW_AUDIT, REGISTER_APPLICATION, HANDLE_APPLICATION,
                          ASSIGN_HANDLER, IMPORT_REPORT, PUBLISH_REPORT, APPROVE_EXTENSION,
                          SIGN_ANSWER}),
    Role.SUPERVISOR: frozenset({VIEW, VIEW_AUDIT}),
    Role.ADMIN: frozenset({VIEW, VIEW_AUDIT, REGISTER_APPLICATION, HANDLE_APPLICATION,
                           ASSIGN_HANDLER, IMPORT_REPORT, PUBLISH_REPORT, MANAGE_STAFF,
                           MANAGE_AGENCY}),
}
ACTIONS = frozenset().union(*ROLE_ACTIONS.values())
# Roles whose actions reach the agencies below their own.
SUBTREE_ROLES = frozenset({Role.SUPERVISOR})


def under(path: str, field: str = "path") -> Q:
    """Rows whose materialised path starts with `path`, in a form the database can index.

    PostgreSQL: LIKE 'prefix%' uses the varchar_pattern_ops index Django adds for db_index,
    whatever the collation. SQLite's LIKE is case-insensitive and never uses the (binary)
    index, so there the prefix becomes a range: paths are digits and "/", and "/" + 1 is "0"."""
    if connection.vendor == "sqlite":
        return Q(**{f"{field}__gte": path, f"{field}__lt": path[:-1] + "0"})
    return Q(**{f"{field}__startswith": path})


def subtree(agency: Agency) -> QuerySet[Agency]:
    """The agency and every agency below it."""
    return Agency.objects.filter(under(agency.path))


def descendants(agency: Agency) -> QuerySet[Agency]:
    return subtree(agency).exclude(pk=agency.pk)


def ancestors(agency: Agency) -> QuerySet[Agency]:
    """From the root down to the parent."""
    return Agency.objects.filter(pk__in=agency.ancestor_ids()).order_by("path")


def roots() -> QuerySet[Agency]:
    return Agency.objects.filter(parent__isnull=True)


def _memberships(user) -> list[tuple[int, str, str]]:
    """(agency id, agency path, role) of the user's posts, cached on the user for one request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_gongkai_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user)
                      .values_list("agency_id", "agency__path", "role"))
        user._gongkai_memberships = cached
    return cached


def _granting(user, action: str) -> Q | None:
    """A filter for the agencies where `user` may do `action`; None when there are none."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_superuser:
        return Q()
    parts = []
    for agency_id, path, role in _memberships(user):
        if action not in ROLE_ACTIONS[role]:
            continue
        parts.append(under(path) if role in SUBTREE_ROLES else Q(pk=agency_id))
    return reduce(or_, parts) if parts else None


def agencies_where(user, action: str) -> QuerySet[Agency]:
    q = _granting(user, action)
    return Agency.objects.none() if q is None else Agency.objects.filter(q)


def visible_agencies(user) -> QuerySet[Agency]:
    """Every agency whose records the user may read."""
    return agencies_where(user, VIEW)


def can(user, action: str, agency: Agency) -> bool:
    """Whether `user` may do `action` at `agency`. Unknown actions are a programming error."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    for agency_id, path, role in _memberships(user):
        if action not in ROLE_ACTIONS[role]:
            continue
        if agency_id == agency.pk or (role in SUBTREE_ROLES and agency.path.startswith(path)):
            return True
    return False


def is_staff_member(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)
                and (user.is_superuser or _memberships(user)))


def directory(query: str = "") -> QuerySet[Agency]:
    """The public list of agencies in tree order; with `query`, those whose name holds every
    one of its words."""
    agencies = Agency.objects.order_by("path")
    for word in query.split():
        agencies = agencies.filter(name__icontains=word)
    return agencies


def trails(agencies) -> dict[int, str]:
    """For each agency, the names above it from the root ("某市 › 甲区"), in one query: many
    townships share a name, and a search result out of its tree needs its place."""
    agencies = list(agencies)
    above = {i for a in agencies for i in a.ancestor_ids()}
    names = dict(Agency.objects.filter(pk__in=above).values_list("pk", "name"))
    return {a.pk: " › ".join(names[i] for i in a.ancestor_ids() if i in names) for a in agencies}
