from .notifications import Notification

__all__ = ["Notification"]
