"""The official account's web authorisation: WeChat's addresses as for the QR sign-in, but its
own page to agree on (connect/oauth2/authorize, which WeChat opens only from "#wechat_redirect")
and its own scope."""

from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.weixin.client import WeixinOAuth2Client
from django.conf import settings

from portal.weixin.views import WeixinAdapter


class OfficialAccountClient(WeixinOAuth2Client):
    def get_redirect_url(self, authorization_url, scope, extra_params):
        return super().get_redirect_url(authorization_url, scope, extra_params) + "#wechat_redirect"


class OfficialAccountAdapter(WeixinAdapter):
    provider_id = "weixin_mp"
    client_class = OfficialAccountClient

    @property
    def authorize_url(self):
        return f"{settings.WECHAT_OPEN_URL}/connect/oauth2/authorize"


oauth2_login = OAuth2LoginView.adapter_view(OfficialAccountAdapter)
oauth2_callback = OAuth2CallbackView.adapter_view(OfficialAccountAdapter)
