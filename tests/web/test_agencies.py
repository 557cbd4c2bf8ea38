"""The agency tree: paths, subtree queries, moves, kinds, and the audit trail of each change."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.agencies import selectors, services
from gongkai.agencies.models import Agency, AgencyKind, Membership, Role
from gongkai.audit.models import AppendOnlyError, AuditEvent


def names(qs):
    return sorted(a.name for a in qs)


def test_paths_hold_the_ids_from_the_root(world):
    city, a = world.city, world.a
    assert city.path == f"/{city.pk}/"
    assert a.township.path == f"/{city.pk}/{a.district.pk}/{a.township.pk}/"
    assert a.township.depth == 3
    assert a.township.ancestor_ids() == [city.pk, a.district.pk]
    assert names(selectors.ancestors(a.township)) == ["某市", "甲区"]


def test_subtree_is_the_agency_and_everything_below_it(world):
    assert names(selectors.subtree(world.a.district)) == ["甲乡", "甲区"]
    assert names(selectors.descendants(world.city)) == ["乙乡", "乙区", "甲乡", "甲区"]
    assert names(selectors.subtree(world.b.township)) == ["乙乡"]


def test_subtree_prefix_does_not_leak_to_ids_sharing_leading_digits(db):
    # "/1/" must not match "/12/": the trailing slash is part of the prefix.
    first = services.create_agency(None, name="根", kind=AgencyKind.PROVINCE)
    made = [services.create_agency(None, name=f"市{i}", kind=AgencyKind.CITY)
            for i in range(12)]
    roots = [first, *made]
    for r in roots:
        assert list(selectors.subtree(r)) == [r]


def test_move_rewrites_the_whole_subtree(world):
    a, b = world.a, world.b
    village = services.create_agency(None, name="某村", kind=AgencyKind.VILLAGE,
                                     parent=a.township)
    services.move_agency(None, a.township, b.district)
    village.refresh_from_db()
    a.township.refresh_from_db()
    assert a.township.parent == b.district
    assert a.township.path == f"{b.district.path}{a.township.pk}/"
    assert village.path == f"{a.township.path}{village.pk}/"
    assert names(selectors.subtree(b.district)) == ["乙乡", "乙区", "某村", "甲乡"]
    assert names(selectors.subtree(a.district)) == ["甲区"]
    assert AuditEvent.objects.filter(action="agency.move", object_id=str(a.township.pk)).count() == 1


def test_cannot_move_an_agency_under_its_own_subtree(world):
    with pytest.raises(ValidationError):
        services.move_agency(None, world.a.district, world.a.township)
    world.a.district.refresh_from_db()
    assert world.a.district.parent == world.city


def test_a_child_must_sit_below_its_parents_level(world):
    with pytest.raises(ValidationError, match="不能隶属于"):
        services.create_agency(None, name="某省", kind=AgencyKind.PROVINCE, parent=world.city)
    with pytest.raises(ValidationError, match="名称不能为空"):
        services.create_agency(None, name="  ", kind=AgencyKind.TOWNSHIP, parent=world.a.district)
    assert not Agency.objects.filter(name="某省").exists()


def test_staff_cannot_manage_agencies_outside_their_post(world, make_user):
    head = make_user(world.a.township, Role.HEAD)
    admin = make_user(world.a.township, Role.ADMIN)
    with pytest.raises(PermissionDenied):
        services.create_agency(head, name="某村", kind=AgencyKind.VILLAGE, parent=world.a.township)
    with pytest.raises(PermissionDenied):
        services.create_agency(admin, name="某村", kind=AgencyKind.VILLAGE, parent=world.b.township)
    village = services.create_agency(admin, name="某村", kind=AgencyKind.VILLAGE,
                                     parent=world.a.township)
    event = AuditEvent.objects.get(action="agency.create", object_id=str(village.pk))
    assert event.actor == admin and event.agency == village


@pytest.mark.parametrize("role, action, allowed", [
    (Role.REGISTRAR, selectors.REGISTER_APPLICATION, True),
    (Role.REGISTRAR, selectors.IMPORT_REPORT, False),
    (Role.HANDLER, selectors.HANDLE_APPLICATION, True),
    (Role.HANDLER, selectors.APPROVE_EXTENSION, False),
    (Role.HEAD, selectors.APPROVE_EXTENSION, True),
    (Role.HEAD, selectors.SIGN_ANSWER, True),
    (Role.HEAD, selectors.MANAGE_STAFF, False),
    (Role.ADMIN, selectors.MANAGE_STAFF, True),
    (Role.ADMIN, selectors.APPROVE_EXTENSION, False),
    (Role.SUPERVISOR, selectors.VIEW, True),
    (Role.SUPERVISOR, selectors.IMPORT_REPORT, False),
])
def test_roles_grant_their_actions_at_their_own_agency(world, make_user, role, action, allowed):
    user = make_user(world.a.township, role)
    assert selectors.can(user, action, world.a.township) is allowed
    assert selectors.can(user, action, world.b.township) is False


def test_only_the_supervisor_reaches_below_its_agency(world, make_user):
    supervisor = make_user(world.a.district, Role.SUPERVISOR)
    admin = make_user(world.a.district, Role.ADMIN)
    assert names(selectors.visible_agencies(supervisor)) == ["甲乡", "甲区"]
    assert names(selectors.visible_agencies(admin)) == ["甲区"]
    assert selectors.can(supervisor, selectors.VIEW, world.a.township)
    assert not selectors.can(admin, selectors.VIEW, world.a.township)
    assert not selectors.can(supervisor, selectors.VIEW, world.b.township)


def test_unknown_action_is_a_programming_error(world, make_user):
    with pytest.raises(ValueError):
        selectors.can(make_user(world.a.township), "fly", world.a.township)


def test_inactive_and_anonymous_users_can_do_nothing(world, make_user):
    from django.contrib.auth.models import AnonymousUser

    user = make_user(world.a.township, Role.ADMIN)
    user.is_active = False
    assert not selectors.can(user, selectors.VIEW, world.a.township)
    assert not selectors.visible_agencies(AnonymousUser()).exists()


def test_staff_changes_are_audited(world, make_user):
    admin = make_user(world.a.township, Role.ADMIN)
    other = make_user(world.a.township, Role.REGISTRAR, username="clerk")
    membership = Membership.objects.get(user=other)
    services.add_membership(admin, other, world.a.township, Role.HANDLER)
    services.remove_membership(admin, membership)
    services.update_agency(admin, world.a.township, office_phone="0351-1234567")
    actions = list(AuditEvent.objects.filter(actor=admin).values_list("action", flat=True))
    assert sorted(actions) == ["agency.update", "membership.add", "membership.remove"]
    update = AuditEvent.objects.get(action="agency.update")
    assert update.detail == {"before": {"office_phone": ""}, "after": {"office_phone": "0351-1234567"}}
    assert AuditEvent.objects.filter(action="user.create", object_id=str(other.pk)).exists()


def test_audit_events_cannot_be_changed_or_deleted(world):
    event = AuditEvent.objects.first()
    event.action = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().update(action="tampered")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert not AuditEvent.objects.filter(action="tampered").exists()


def test_subtree_query_uses_the_path_index(world):
    from django.db import connection

    qs = selectors.subtree(world.a.district)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
    plan = qs.explain()
    assert "agencies_agency_path" in plan, plan
