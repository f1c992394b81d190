from .listings import ListingGalleryImage, ListingIndexPage, ListingPage, UnitType
from .magazine import MagazineIndexPage, MagazineIssuePage
from .mailing import Mailing, MailingDelivery
from .news import NewsIndexPage, NewsPage, NewsPageTag
from .pages import HomePage, SiteImage, SiteRendition, StandardPage
from .privacy import PrivacyPolicyPage

__all__ = [
    "HomePage",
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
    "PrivacyPolicyPage",
    "SiteImage",
    "SiteRendition",
    "StandardPage",
    "UnitType",
]
