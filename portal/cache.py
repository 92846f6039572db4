"""The shared cache holds only what may be lost (request throttles' counters, figures that can be
computed again): an outage must cost the counting or the speed, never the request. This Redis backend
answers a miss (or "not stored") while Redis is unreachable and logs a warning, at most once a minute
per process so an outage does not flood the logs.

Keep it that way: anything whose loss is unsafe (locks, one-time codes) belongs in the database.
"""

import functools
import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

WARNING_INTERVAL_SECONDS = 60.0
_UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


def _or_when_unreachable(fallback):
    """Run the cache operation; while Redis is unreachable, warn and return `fallback(args)` instead."""

    def decorate(operation):
        @functools.wraps(operation)
        def guarded(self, *args, **kwargs):
            try:
                return operation(self, *args, **kwargs)
            except _UNREACHABLE as exc:
                self._warn_unreachable(operation.__name__, exc)
                return fallback(*args, **kwargs)

        return guarded

    return decorate


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's client builds a new redis.Redis object for every operation (about a millisecond of
    Python each on this project's machine, two per throttled request); one per connection pool does
    the same work: redis.Redis is thread-safe and takes a pooled connection per command anyway."""

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        clients = self.__dict__.setdefault("_clients", {})
        if index not in clients:
            clients[index] = self._client(connection_pool=self._get_connection_pool(index))
        return clients[index]


class DegradingRedisCache(RedisCache):
    _last_warning_at = float("-inf")

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient

    def _warn_unreachable(self, operation: str, exc: Exception) -> None:
        now = time.monotonic()
        if now - DegradingRedisCache._last_warning_at >= WARNING_INTERVAL_SECONDS:
            DegradingRedisCache._last_warning_at = now
            logger.warning(
                "Cache unreachable (%s: %s): throttles are not counting and figures are not cached until it is back.",
                operation,
                exc,
            )

    @_or_when_unreachable(lambda key, default=None, version=None: default)
    def get(self, key, default=None, version=None):
        return super().get(key, default, version)

    @_or_when_unreachable(lambda *args, **kwargs: False)
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return super().add(key, value, timeout, version)

    @_or_when_unreachable(lambda *args, **kwargs: None)
    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return super().set(key, value, timeout, version)

    @_or_when_unreachable(lambda *args, **kwargs: None)
    def incr(self, key, delta=1, version=None):
        return super().incr(key, delta, version)

    @_or_when_unreachable(lambda *args, **kwargs: False)
    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return super().touch(key, timeout, version)

    @_or_when_unreachable(lambda *args, **kwargs: False)
    def delete(self, key, version=None):
        return super().delete(key, version)

    @_or_when_unreachable(lambda *args, **kwargs: {})
    def get_many(self, keys, version=None):
        return super().get_many(keys, version)

    @_or_when_unreachable(lambda *args, **kwargs: False)
    def has_key(self, key, version=None):
        return super().has_key(key, version)

    @_or_when_unreachable(lambda data, *args, **kwargs: list(data))
    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return super().set_many(data, timeout, version)

    @_or_when_unreachable(lambda *args, **kwargs: None)
    def delete_many(self, keys, version=None):
        return super().delete_many(keys, version)

    @_or_when_unreachable(lambda *args, **kwargs: False)
    def clear(self):
        return super().clear()
