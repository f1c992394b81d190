from .accounts import User
from .archive import Occupancy, OwnerRecord, UnitEvent, Vehicle, Visit
from .claims import OwnershipClaim
from .consent import Consent
from .estates import Estate, Unit
from .privacy import AccountClosure, DataExport

__all__ = [
    "User",
    "OwnerRecord",
    "Occupancy",
    "UnitEvent",
    "Vehicle",
    "Visit",
    "Estate",
    "Unit",
    "OwnershipClaim",
    "Consent",
    "DataExport",
    "AccountClosure",
]
