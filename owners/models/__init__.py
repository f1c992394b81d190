from .accounts import User
from .claims import OwnershipClaim
from .consent import Consent
from .estates import Estate, Unit
from .privacy import AccountClosure, DataExport

__all__ = ["User", "Estate", "Unit", "OwnershipClaim", "Consent", "DataExport", "AccountClosure"]
