from fees.models.bills import Adjustment, Bill, BillingRun, BillLine, Payment
from fees.models.meters import Meter, ParkingSpace, Reading
from fees.models.rules import BillingTerms, FeeItem, clean_tiers

__all__ = [
    "Adjustment",
    "Bill",
    "BillLine",
    "BillingRun",
    "BillingTerms",
    "FeeItem",
    "Meter",
    "ParkingSpace",
    "Payment",
    "Reading",
    "clean_tiers",
]
