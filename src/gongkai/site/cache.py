"""The shared cache (Redis) for rate limits and the public form's double-submit hand-off.

Nothing in that cache is a record: the applications and their events live in the database. So
when Redis cannot be reached the cache behaves as empty and forgetful instead of failing the
request: the public application form keeps working (rate limits fail open) and the outage is
logged for the operator on every failed call."""

from __future__ import annotations

import functools
import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)

# What each operation gives back when Redis is down: what an empty cache would give.
_WHEN_DOWN = {
    "get": lambda args, kwargs: kwargs.get("default", args[1] if len(args) > 1 else None),
    "get_many": lambda args, kwargs: {},
    "has_key": lambda args, kwargs: False,
    "add": lambda args, kwargs: False,
    "set": lambda args, kwargs: None,
    "set_many": lambda args, kwargs: list(args[0]) if args else [],
    "touch": lambda args, kwargs: False,
    "delete": lambda args, kwargs: False,
    "delete_many": lambda args, kwargs: None,
    "clear": lambda args, kwargs: False,
}


def _forgiving(name: str):
    method = getattr(RedisCache, name)

    @functools.wraps(method)
    def call(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except (RedisConnectionError, RedisTimeoutError) as exc:
            log.error("cache unavailable: %s failed (%s: %s); continuing without it",
                      name, type(exc).__name__, exc)
            if name == "incr":
                raise ValueError("cache unavailable") from exc  # as for a missing key
            return _WHEN_DOWN[name](args, kwargs)

    return call


class ForgivingRedisCache(RedisCache):
    """Django's RedisCache, except that a Redis outage reads as an empty cache."""


for _name in (*_WHEN_DOWN, "incr"):
    setattr(ForgivingRedisCache, _name, _forgiving(_name))
