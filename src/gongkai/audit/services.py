"""Writing the audit trail. Every service that changes data calls `record` in its transaction."""

from __future__ import annotations

from typing import Any

from .models import AuditEvent


def record(actor, action: str, obj: Any, agency=None, **detail) -> AuditEvent:
    """Append one event. `obj` is a model instance (or a (type, id) pair for things without one);
    `actor` is a user or None for the system (migrations, the demo command)."""
    if isinstance(obj, tuple):
        object_type, object_id = obj
    else:
        object_type, object_id = obj._meta.label_lower, obj.pk
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEvent.objects.create(
        actor=actor,
        actor_name=actor.get_username() if actor is not None else "系统",
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        agency=agency,
        detail=detail,
    )
