from .cache import FallbackCacheEntry
from .notifications import Notification

__all__ = ["FallbackCacheEntry", "Notification"]
