"""What a request reads once: a value several parts of one page ask for (the pages' version, the
privacy policy) is read from the shared cache at the first ask and kept until the request ends,
instead of a round trip to Redis for each part. Outside a request (a task, a command) nothing is
kept: each ask reads afresh.

Kept per request, not per process: another process may change the value at any moment, and the
next request must see it. `RequestMemoMiddleware`, second in MIDDLEWARE (after the shared page
cache, whose hits read nothing), opens the memo and closes it however the request ends.
"""

from contextvars import ContextVar

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
