"""The view side of data scope: staff-only views, 404 outside the user's scope, 403 for an
action the user's role does not allow. Decisions are selectors.can's; this only turns them
into HTTP answers, once for every app's views."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from . import selectors
from .models import Agency


def staff_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not selectors.is_staff_member(request.user):
            raise PermissionDenied("您的账号尚未分配到任何机关，请联系管理员。")
        return view(request, *args, **kwargs)

    return wrapper


def require(user, action: str, agency: Agency) -> None:
    if not selectors.can(user, action, agency):
        raise PermissionDenied("您没有在该机关执行此操作的权限。")
