"""Reads of letters, always narrowed to the applications the user may see."""

from __future__ import annotations

from django.db.models import QuerySet

from gongkai.applications.selectors import visible_applications

from .models import Letter


def visible_letters(user) -> QuerySet[Letter]:
    return (Letter.objects.filter(application__in=visible_applications(user))
            .select_related("application", "agency", "created_by", "issued_by"))


def get_letter(user, pk: int) -> Letter:
    """The letter, or Letter.DoesNotExist outside the user's scope (a 404, not a 403)."""
    return visible_letters(user).get(pk=pk)


def letters_of(application) -> QuerySet[Letter]:
    return (Letter.objects.filter(application=application).defer("docx")
            .select_related("created_by", "issued_by"))
