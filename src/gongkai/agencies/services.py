"""Writes to agencies and staff. Each change is checked, done in one transaction and audited.

`actor` is the user making the change, or None for the system (the demo command, data
imports run by an operator); a user must be allowed the action by selectors.can."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr

from ..audit.services import record
from . import selectors
from .models import KIND_LEVEL, Agency, AgencyKind, Membership, Role

OFFICE_FIELDS = ("office_address", "office_phone", "office_hours", "letterhead")


def _require(actor, action: str, agency: Agency | None) -> None:
    if actor is None:
        return
    if agency is None:
        if not actor.is_superuser:
            raise PermissionDenied("只有系统管理员可以创建顶级机关")
        return
    if not selectors.can(actor, action, agency):
        raise PermissionDenied(f"无权在“{agency.name}”执行此操作")


def _check_kind(kind: str, parent: Agency | None) -> None:
    if kind not in AgencyKind.values:
        raise ValidationError(f"未知的机关层级：{kind}")
    if parent is not None and KIND_LEVEL[AgencyKind(kind)] <= KIND_LEVEL[AgencyKind(parent.kind)]:
        raise ValidationError(
            f"“{AgencyKind(kind).label}”不能隶属于“{AgencyKind(parent.kind).label}”机关"
        )


@transaction.atomic
def create_agency(actor, *, name: str, kind: str, parent: Agency | None = None,
                  **office) -> Agency:
    name = (name or "").strip()
    if not name:
        raise ValidationError("机关名称不能为空")
    unknown = set(office) - set(OFFICE_FIELDS)
    if unknown:
        raise TypeError(f"unknown agency fields: {sorted(unknown)}")
    _require(actor, selectors.MANAGE_AGENCY, parent)
    _check_kind(kind, parent)
    agency = Agency.objects.create(name=name, kind=kind, parent=parent, **office)
    # The path holds the agency's own id, which exists only after the insert.
    agency.path = f"{parent.path if parent else '/'}{agency.pk}/"
    agency.save(update_fields=["path"])
    record(actor, "agency.create", agency, agency=agency, name=name, kind=kind,
           parent=parent.pk if parent else None)
    return agency


@transaction.atomic
def update_agency(actor, agency: Agency, **changes) -> Agency:
    allowed = {"name", *OFFICE_FIELDS}
    if set(changes) - allowed:
        raise TypeError(f"cannot change {sorted(set(changes) - allowed)} here")
    _require(actor, selectors.MANAGE_AGENCY, agency)
    before = {k: getattr(agency, k) for k in changes}
    for k, v in changes.items():
        setattr(agency, k, v.strip() if isinstance(v, str) else v)
    if not agency.name:
        raise ValidationError("机关名称不能为空")
    agency.save(update_fields=list(changes))
    record(actor, "agency.update", agency, agency=agency, before=before,
           after={k: getattr(agency, k) for k in changes})
    return agency


@transaction.atomic
def move_agency(actor, agency: Agency, new_parent: Agency | None) -> Agency:
    """Put `agency` (and everything below it) under `new_parent`."""
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    _require(actor, selectors.MANAGE_AGENCY, agency)
    _require(actor, selectors.MANAGE_AGENCY, new_parent)
    if new_parent is not None and new_parent.path.startswith(agency.path):
        raise ValidationError("不能把机关移到它自己或它的下级机关之下")
    _check_kind(agency.kind, new_parent)
    old_path, old_parent = agency.path, agency.parent_id
    new_path = f"{new_parent.path if new_parent else '/'}{agency.pk}/"
    # One UPDATE rewrites the prefix of every path in the subtree.
    Agency.objects.filter(selectors.under(old_path)).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1))
    )
    Agency.objects.filter(pk=agency.pk).update(parent=new_parent)
    agency.refresh_from_db()
    record(actor, "agency.move", agency, agency=agency, old_parent=old_parent,
           new_parent=new_parent.pk if new_parent else None)
    return agency


@transaction.atomic
def add_membership(actor, user, agency: Agency, role: str) -> Membership:
    if role not in Role.values:
        raise ValidationError(f"未知的角色：{role}")
    _require(actor, selectors.MANAGE_STAFF, agency)
    membership, created = Membership.objects.get_or_create(user=user, agency=agency, role=role)
    if created:
        record(actor, "membership.add", membership, agency=agency, user=user.get_username(),
               role=role)
    user.__dict__.pop("_gongkai_memberships", None)
    return membership


@transaction.atomic
def remove_membership(actor, membership: Membership) -> None:
    _require(actor, selectors.MANAGE_STAFF, membership.agency)
    record(actor, "membership.remove", membership, agency=membership.agency,
           user=membership.user.get_username(), role=membership.role)
    membership.delete()
    membership.user.__dict__.pop("_gongkai_memberships", None)


@transaction.atomic
def create_staff_user(actor, *, username: str, password: str, agency: Agency, role: str,
                      full_name: str = ""):
    """A login for a member of staff, with one post at `agency`."""
    _require(actor, selectors.MANAGE_STAFF, agency)
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise ValidationError(f"用户名“{username}”已被使用")
    user = User.objects.create_user(username=username, password=password, first_name=full_name)
    record(actor, "user.create", user, agency=agency, username=username)
    add_membership(actor, user, agency, role)
    return user


@transaction.atomic
def set_password(actor, user, password: str, agency: Agency | None = None) -> None:
    if actor is not None and actor != user:
        _require(actor, selectors.MANAGE_STAFF, agency)
    user.set_password(password)
    user.save(update_fields=["password"])
    record(actor, "user.set_password", user, agency=agency, username=user.get_username())
