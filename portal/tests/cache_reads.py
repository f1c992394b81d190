"""Counting a request's round trips to the shared cache, for the tests that keep them few."""

from django.core.cache import caches


def count_reads(monkeypatch):
    """From now on, each `get` and `get_many` of the shared cache as (name, key or keys), in
    order; a cache that reads many keys one by one (locmem's `get_many`) counts once."""
    shared, reads, inside = caches["default"], [], []

    def counted(name):
        real = getattr(shared, name)

        def read(key, *args, **kwargs):
            if not inside:
                reads.append((name, key))
            inside.append(name)
            try:
                return real(key, *args, **kwargs)
            finally:
                inside.pop()

        monkeypatch.setattr(shared, name, read)

    counted("get")
    counted("get_many")
    return reads
