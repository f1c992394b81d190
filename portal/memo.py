"""What a request reads once: a value several parts of one page ask for (the pages' version, the
privacy policy) is read from the shared cache at the first ask and kept until the request ends,
instead of a round trip to Redis for each part. Outside a request (a task, a command) nothing is
kept: each ask reads afresh.

Kept per request, not per process: another process may change the value at any moment, and the
next request must see it. `RequestMemoMiddleware`, second in MIDDLEWARE (after the shared page
cache, whose hits read nothing), opens the memo and closes it however the request ends.

Keys nearly every page reads (the pages' version, the privacy policy, the desk's hours, the
reader's unread count) are read ahead:
registered with `read_ahead`, they go along with the request's first reads of the shared cache
(the session, a kept page: `get_many`), in the same round trip, and `cached` then gives what
was read instead of asking Redis again.
"""

from contextvars import ContextVar

from django.core.cache import caches

_kept = ContextVar("request_memo", default=None)


class RequestMemoMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _kept.set({})
        try:
            return self.get_response(request)
        finally:
            _kept.reset(token)


def once(key, read):
    """`read()`'s value, read once a request."""
    kept = _kept.get()
    if kept is None:
        return read()
    if key not in kept:
        kept[key] = read()
    return kept[key]


def has(key):
    """Whether the request has read (or written, or read ahead) `key` already: outside a
    request, never."""
    kept = _kept.get()
    return kept is not None and (key in kept or kept.get((_AHEAD, key), _USED) is not _USED)


def put(key, value):
    """The request has just written `value` (a version bumped): later asks get it."""
    kept = _kept.get()
    if kept is not None:
        kept[key] = value


def forget(key):
    """The request has just changed what `key` reads: the next ask reads it again."""
    kept = _kept.get()
    if kept is not None:
        kept.pop(key, None)
        kept.pop((_AHEAD, key), None)


#: Functions of the reader's id (None while the reader is not known yet) giving a key of the
#: shared cache most pages read for that reader, or None.
_read_ahead = []
_USED = object()
_AHEAD = "read ahead"


def read_ahead(key_for):
    """Register `key_for(reader_id)`: its key is read along with the request's first reads."""
    _read_ahead.append(key_for)
    return key_for


def get_many(keys, reader=None):
    """The shared cache's `get_many(keys)`, reading in the same round trip the registered keys
    for `reader` (an id, or None) that this request has not read yet; `cached` gives them."""
    kept = _kept.get()
    ahead = []
    if kept is not None:
        ahead = [
            key
            for key in (key_for(reader) for key_for in _read_ahead)
            if key is not None and key not in kept and (_AHEAD, key) not in kept and key not in keys
        ]
    found = caches["default"].get_many([*keys, *ahead])
    for key in ahead:
        kept[(_AHEAD, key)] = found.pop(key, None)
    return found


def cached(key):
    """The shared cache's `get(key)`, or what this request read of it ahead (once: a second ask
    reads afresh)."""
    kept = _kept.get()
    if kept is not None:
        value = kept.get((_AHEAD, key), _USED)
        if value is not _USED:
            kept[(_AHEAD, key)] = _USED  # and not read ahead again
            return value
    return caches["default"].get(key)
