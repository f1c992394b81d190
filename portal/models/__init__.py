from .notifications import Notification
from .outbox import Outgoing

__all__ = ["Notification", "Outgoing"]
