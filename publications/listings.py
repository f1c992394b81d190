"""The listings index's filters: city, status and price, all in the address so a filtered list
can be shared. Used by the listings index page; imports no models."""

from django.utils.translation import gettext_lazy as _

PRICE_BANDS = [
    # (value, label, lowest, highest) in yuan per m²; the Chinese labels count in 万.
    ("-20000", _("under ¥20,000"), None, 20000),
    ("20000-35000", _("¥20,000–35,000"), 20000, 35000),
    ("35000-50000", _("¥35,000–50,000"), 35000, 50000),
    ("50000-", _("¥50,000 and over"), 50000, None),
]


def filter_listings(listings, query):
    """`listings`: a queryset of listing pages; `query`: the request's GET parameters."""
    Status = listings.model.Status
    cities = sorted(set(listings.values_list("city", flat=True)))
    city, status, price = query.get("city", ""), query.get("status", ""), query.get("price", "")
    if city in cities:
        listings = listings.filter(city=city)
    if status in Status.values:
        listings = listings.filter(status=status)
    band = next((b for b in PRICE_BANDS if b[0] == price), None)
    if band:
        low, high = band[2], band[3]
        # A development is in the band when its price range overlaps it.
        if low is not None:
            listings = listings.exclude(price_max__lt=low)
        if high is not None:
            listings = listings.exclude(price_min__gte=high)
    return {
        "listings": listings.order_by("status", "-first_published_at"),
        "cities": cities,
        "statuses": Status.choices,
        "price_bands": [(b[0], b[1]) for b in PRICE_BANDS],
        "chosen": {"city": city, "status": status, "price": price},
    }
