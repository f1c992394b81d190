from .cache import FallbackCacheEntry
from .notifications import Notification
from .outbox import Outgoing

__all__ = ["FallbackCacheEntry", "Notification", "Outgoing"]
