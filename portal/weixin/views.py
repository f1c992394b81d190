"""allauth's WeChat adapter with WeChat's addresses from the settings (WECHAT_OPEN_URL,
WECHAT_API_URL): WeChat's own by default, a fake of them on 127.0.0.1 in the tests."""

from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.weixin.views import WeixinOAuth2Adapter
from django.conf import settings


class WeixinAdapter(WeixinOAuth2Adapter):
    # WeChat documents the exchange of the code as a GET with its values in the query.
    access_token_method = "GET"  # nosec: the name of an HTTP method

    @property
    def access_token_url(self):
        return f"{settings.WECHAT_API_URL}/sns/oauth2/access_token"

    @property
    def profile_url(self):
        return f"{settings.WECHAT_API_URL}/sns/userinfo"

    @property
    def authorize_url(self):
        # The QR code a phone scans, on a computer (WeChat's website application).
        return f"{settings.WECHAT_OPEN_URL}/connect/qrconnect"


oauth2_login = OAuth2LoginView.adapter_view(WeixinAdapter)
oauth2_callback = OAuth2CallbackView.adapter_view(WeixinAdapter)
