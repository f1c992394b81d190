"""Sessions kept in Redis and the database (Django's cached_db), read in the same round trip as
the keys nearly every page reads next (portal.memo's `read_ahead`: the pages' version, the
privacy policy, the desk's hours): the session is a signed-in request's first read of the
shared cache."""

from django.contrib.sessions.backends import cached_db
from django.core.cache import caches

from portal import memo


class SessionStore(cached_db.SessionStore):
    def load(self):
        if self._cache is not caches["default"]:  # sessions in a cache of their own
            return super().load()
        key = self.cache_key
        try:
            data = memo.get_many([key]).get(key)
        except Exception:  # as Django's load: a value the cache cannot give is a miss
            data = None
        # Not in the cache (or Redis is out): Django's own load reads the database.
        return super().load() if data is None else data
