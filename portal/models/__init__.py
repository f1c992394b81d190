from .accounts import User
from .claims import OwnershipClaim
from .estates import Estate, Unit

__all__ = ["User", "Estate", "Unit", "OwnershipClaim"]
