from .listings import ListingGalleryImage, ListingIndexPage, ListingPage, UnitType
from .magazine import MagazineIndexPage, MagazineIssuePage
from .mailing import Mailing, MailingDelivery
from .news import NewsIndexPage, NewsPage, NewsPageTag

__all__ = [
    "ListingGalleryImage",
    "ListingIndexPage",
    "ListingPage",
    "MagazineIndexPage",
    "MagazineIssuePage",
    "Mailing",
    "MailingDelivery",
    "NewsIndexPage",
    "NewsPage",
    "NewsPageTag",
    "UnitType",
]
