"""Reads of letters, always narrowed to the applications the user may see."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import QuerySet

from gongkai import clock
from gongkai.applications.letters import KINDS, LETTER_FOR_EVENT
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


@dataclass(frozen=True)
class LetterToDraft:
    kind: str
    outcome: str  # for an answer: the outcome recorded; else ""

    @property
    def label(self) -> str:
        return KINDS[self.kind].label


def letters_to_draft(events, letters) -> list[LetterToDraft]:
    """The letters an application's steps call for that are not drafted yet: one per step
    (the receipt, each correction request, extension, consultation, fee notice, answer),
    matched by kind (and an answer by its outcome) against `letters`, those made so far.
    `events` are the application's recorded events. Derived each time; nothing is stored."""
    steps = [(clock.RECEIVED, "")] + [(e.kind, e.outcome) for e in events]
    wanted = Counter((LETTER_FOR_EVENT[kind], outcome) for kind, outcome in steps
                     if kind in LETTER_FOR_EVENT)
    made = Counter((letter.kind, letter.outcome) for letter in letters)
    return [LetterToDraft(kind, outcome) for (kind, outcome), n in wanted.items()
            for _ in range(n - made[kind, outcome])]
