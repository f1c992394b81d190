from django.db import models


class FallbackCacheEntry(models.Model):
    """The database cache that holds the sign-in limits while Redis is down (portal.cache).

    Its columns are those Django's `createcachetable` makes for a database cache, so that
    migrations make the table and no deployment step is forgotten.
    """

    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.TextField()
    expires = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "portal_cache_fallback"

    def __str__(self):
        return self.cache_key
