from .accounts import User
from .claims import OwnershipClaim
from .estates import Estate, Unit
from .notifications import Notification

__all__ = ["User", "Estate", "Unit", "OwnershipClaim", "Notification"]
