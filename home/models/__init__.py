from .pages import HomePage, SiteImage, SiteRendition, StandardPage
from .privacy import PrivacyPolicyPage

__all__ = ["HomePage", "PrivacyPolicyPage", "SiteImage", "SiteRendition", "StandardPage"]
