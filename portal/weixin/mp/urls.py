from allauth.socialaccount.providers.oauth2.urls import default_urlpatterns

from portal.weixin.mp.provider import OfficialAccountProvider

urlpatterns = default_urlpatterns(OfficialAccountProvider)
