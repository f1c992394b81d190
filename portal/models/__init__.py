from .accounts import User
from .cases import Case, CaseAttachment, CaseEvent, Category, InboundEmail, ReferenceCounter
from .claims import OwnershipClaim
from .consent import Consent
from .estates import Estate, Unit
from .notifications import Notification
from .privacy import AccountClosure, DataExport

__all__ = [
    "User",
    "Estate",
    "Unit",
    "OwnershipClaim",
    "Consent",
    "Notification",
    "Case",
    "CaseEvent",
    "CaseAttachment",
    "Category",
    "ReferenceCounter",
    "InboundEmail",
    "DataExport",
    "AccountClosure",
]
