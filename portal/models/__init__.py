from .cache import FallbackCacheEntry
from .hours import Closure, ServiceHours
from .notifications import Notification
from .outbox import Outgoing

__all__ = ["Closure", "FallbackCacheEntry", "Notification", "Outgoing", "ServiceHours"]
