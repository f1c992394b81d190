from fees.models.bank import BankAccount, BankImport
from fees.models.bills import Adjustment, Bill, BillingRun, BillLine, Payment
from fees.models.collection import CollectionCall, Reminder
from fees.models.meters import Meter, ParkingSpace, Reading
from fees.models.rules import BillingTerms, FeeItem, clean_tiers, terms_for

__all__ = [
    "Adjustment",
    "BankAccount",
    "BankImport",
    "Bill",
    "BillLine",
    "BillingRun",
    "BillingTerms",
    "CollectionCall",
    "FeeItem",
    "Meter",
    "ParkingSpace",
    "Payment",
    "Reading",
    "Reminder",
    "clean_tiers",
    "terms_for",
]
