"""The shared cache: Redis through django-redis, where an outage is a miss, never an error.

Everything the site keeps in the cache can be rebuilt or done without: whole CMS pages for
visitors, the page version, cached sessions (their rows are in the database: cached_db), card
pictures, the privacy policy. So while Redis cannot be reached every read is a miss, every write
is dropped, and the request goes on from the database. What this class adds to django-redis's
IGNORE_EXCEPTIONS:

- **Milliseconds, not seconds.** Short socket timeouts (settings), and after one failure the
  process stops asking Redis for RETRY_SECONDS: a blackholed Redis costs one timeout a second per
  process, not one per cache call.
- **One log line per outage**, not a traceback per call: a warning when Redis goes, one when it
  is back.
- **Nothing stale after it.** A write or delete that could not reach Redis leaves the old value
  there (a signed-out session, a page version not bumped by a publication) for when Redis comes
  back. The process remembers those keys and deletes them at its first successful call after the
  outage (all its keys, by prefix, past MAX_LOST_KEYS).
- **Sign-in limits still count.** allauth keeps its rate limits (failed sign-ins, sign-ups,
  password resets) in the cache. Keys that start with one of OPTIONS["FALLBACK_PREFIXES"] are
  kept in a database table (Django's database cache, table OPTIONS["FALLBACK_TABLE"], made by
  portal's migrations) while Redis is down, so the limits hold on the database instead of being
  skipped (allauth would otherwise refuse every attempt: its lock is a cache.add).
- `incr`/`decr` of an unreachable cache raise CacheUnavailable, a ValueError like Django's
  "no such key", so code that handles a missing key keeps working and code that must know can.

The rest of django-redis (locks, sets, keys) is left as it is: the site does not use it.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache
from django_redis.cache import RedisCache as DjangoRedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

#: Errors that mean "Redis cannot be used now": refused or lost connections, timeouts, and
#: errors Redis answers with (out of memory, loading, read-only replica).
OUTAGE_ERRORS = (RedisError, OSError)
#: After a failure, how long a process answers from its side without asking Redis again.
RETRY_SECONDS = 1.0
#: Keys whose write was lost that a process remembers; past this it deletes all its keys.
MAX_LOST_KEYS = 10_000


class CacheUnavailable(ValueError):
    """incr/decr while Redis cannot be reached (a ValueError, like a missing key)."""


class Outage:
    """What one process knows about one Redis server: shared by its threads (Django makes a
    cache object per thread)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.down_since = None  # time.monotonic() of the first failure, or None
        self.retry_at = 0.0
        self.lost = set()
        self.overflow = False

    def skipping(self):
        return self.down_since is not None and time.monotonic() < self.retry_at

    def failed(self, error):
        with self.lock:
            now = time.monotonic()
            self.retry_at = now + RETRY_SECONDS
            if self.down_since is None:
                self.down_since = now
                logger.warning(
                    "Cache unreachable (%s): serving without it until it answers again.",
                    type(error).__name__,
                )

    def lose(self, keys):
        with self.lock:
            if self.overflow:
                return
            self.lost.update(keys)
            if len(self.lost) > MAX_LOST_KEYS:
                self.lost.clear()
                self.overflow = True


_outages = {}
_outages_lock = threading.Lock()


def outage_for(location):
    with _outages_lock:
        return _outages.setdefault(str(location), Outage())


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        self.fallback_prefixes = tuple(options.pop("FALLBACK_PREFIXES", ()))
        fallback_table = options.pop("FALLBACK_TABLE", None)
        options["IGNORE_EXCEPTIONS"] = False  # handled here, once per outage
        super().__init__(server, {**params, "OPTIONS": options})
        self.outage = outage_for(server)
        self.fallback = None
        if fallback_table and self.fallback_prefixes:
            self.fallback = DatabaseCache(
                fallback_table,
                # Culled past 100,000 rows (expired ones first), not Django's 300: a busy
                # outage must not forget the counts it holds.
                {"TIMEOUT": params.get("TIMEOUT", 300), "OPTIONS": {"MAX_ENTRIES": 100_000}},
            )

    # -- How a call goes ----------------------------------------------------------------------

    def _try(self, call):
        """Run call() against Redis; True and its result, or False when Redis is down."""
        if self.outage.skipping():
            return False, None
        try:
            if self.outage.down_since is not None:
                self._recover()  # before the call: it must not read what the outage left stale
            result = call()
        except OUTAGE_ERRORS as error:
            self.outage.failed(error)
            return False, None
        return True, result

    def _recover(self):
        """Delete what was written while Redis was down, then count it as up (raises while it
        is still down)."""
        outage = self.outage
        with outage.lock:
            if outage.down_since is None:
                return
            lost, overflow = outage.lost, outage.overflow
            if overflow:
                super().delete_pattern("*")
            elif lost:
                super().delete_many(list(lost))
            else:
                self.client.get_client(write=True).ping()
            logger.warning(
                "Cache answering again after %.1f s; %s written meanwhile dropped.",
                time.monotonic() - outage.down_since,
                "every key" if overflow else f"{len(lost)} keys",
            )
            outage.down_since = None
            outage.lost, outage.overflow = set(), False

    def _kept_aside(self, key):
        return self.fallback is not None and str(key).startswith(self.fallback_prefixes)

    def _read(self, key, call, fallback_call, default):
        ok, result = self._try(call)
        if ok:
            return result
        return fallback_call() if self._kept_aside(key) else default

    def _write(self, keys, call, fallback_call, default):
        ok, result = self._try(call)
        if ok:
            return result
        keys = list(keys)
        if keys and all(self._kept_aside(key) for key in keys):
            # Kept in the database meanwhile; Redis's copy is older, not wrong: when it is back,
            # the limits count on from what it held before the outage.
            return fallback_call()
        self.outage.lose(keys)
        return default

    def ping(self):
        """Ask Redis directly (readiness check): raises when it cannot answer."""
        if self.outage.down_since is not None:
            self._recover()
        self.client.get_client(write=True).ping()

    # -- Reads: a miss ------------------------------------------------------------------------

    def get(self, key, default=None, version=None, client=None):
        return self._read(
            key,
            lambda: super(RedisCache, self).get(key, default, version, client),
            lambda: self.fallback.get(key, default, version),
            default,
        )

    def get_many(self, keys, version=None, client=None):
        keys = list(keys)
        return self._read(
            keys[0] if keys else "",
            lambda: super(RedisCache, self).get_many(keys, version=version, client=client),
            lambda: self.fallback.get_many(keys, version=version),
            {},
        )

    def has_key(self, key, version=None, client=None):
        return self._read(
            key,
            lambda: super(RedisCache, self).has_key(key, version=version, client=client),
            lambda: self.fallback.has_key(key, version=version),
            False,
        )

    def ttl(self, key, version=None, client=None):
        return self._read(
            key,
            lambda: super(RedisCache, self).ttl(key, version=version, client=client),
            lambda: 0,
            0,
        )

    # -- Writes: dropped, remembered ----------------------------------------------------------

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None, client=None, **kwargs):
        return self._write(
            [key],
            lambda: super(RedisCache, self).set(key, value, timeout, version, client, **kwargs),
            lambda: self.fallback.set(key, value, timeout, version),
            False,
        )

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None, client=None):
        return self._write(
            [key],
            lambda: super(RedisCache, self).add(key, value, timeout, version, client),
            lambda: self.fallback.add(key, value, timeout, version),
            False,
        )

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None, client=None):
        return self._write(
            data.keys(),
            lambda: super(RedisCache, self).set_many(data, timeout, version=version, client=client),
            lambda: self.fallback.set_many(data, timeout, version),
            list(data),
        )

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None, client=None):
        return self._write(
            [key],
            lambda: super(RedisCache, self).touch(key, timeout, version=version, client=client),
            lambda: self.fallback.touch(key, timeout, version),
            False,
        )

    def delete(self, key, version=None, prefix=None, client=None):
        return self._write(
            [key],
            lambda: super(RedisCache, self).delete(
                key, version=version, prefix=prefix, client=client
            ),
            lambda: self.fallback.delete(key, version),
            False,
        )

    def delete_many(self, keys, version=None, client=None):
        keys = list(keys)
        return self._write(
            keys,
            lambda: super(RedisCache, self).delete_many(keys, version=version, client=client),
            lambda: self.fallback.delete_many(keys, version),
            0,
        )

    def incr(self, key, delta=1, version=None, client=None, **kwargs):
        ok, result = self._try(
            lambda: super(RedisCache, self).incr(key, delta, version, client, **kwargs)
        )
        if ok:
            return result
        if self._kept_aside(key):
            return self.fallback.incr(key, delta, version)
        self.outage.lose([key])
        raise CacheUnavailable(key)

    def decr(self, key, delta=1, version=None, client=None):
        return self.incr(key, -delta, version, client)

    def clear(self):
        ok, _ = self._try(lambda: super(RedisCache, self).clear())
        if not ok:
            with self.outage.lock:
                self.outage.overflow = True  # everything is to go once Redis answers
        return ok
