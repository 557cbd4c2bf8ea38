"""Memoising what is worked out once per format or table.

Formats and tables are frozen dataclasses, but hashing one walks every row and label, which
costs more than the work saved; the callers mean this very object anyway. So the memo is keyed
by identity, and each entry keeps its object alive, so that its id cannot be reused by another
object while the entry stands."""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

R = TypeVar("R")


def per_object(limit: int) -> Callable[[Callable[..., R]], Callable[..., R]]:
    """Memoise `fn(obj, *args)` by obj's identity and the (hashable) args; at most `limit`
    entries, then it starts afresh."""

    def wrap(fn: Callable[..., R]) -> Callable[..., R]:
        memo: dict[tuple[int, tuple[Hashable, ...]], tuple[Any, R]] = {}

        @functools.wraps(fn)
        def call(obj: Any, *args: Hashable) -> R:
            key = (id(obj), args)
            hit = memo.get(key)
            if hit is not None and hit[0] is obj:
                return hit[1]
            value = fn(obj, *args)
            if len(memo) >= limit:
                memo.clear()
            memo[key] = (obj, value)
            return value

        return call

    return wrap
