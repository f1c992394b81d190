from allauth.socialaccount.providers.weixin.provider import WeixinProvider as BaseProvider

from portal.weixin.views import WeixinAdapter


class WeixinProvider(BaseProvider):
    """One WeChat user is one account across the company's WeChat applications: known by the
    unionid where WeChat gives one (the applications share an open-platform account), else by
    the openid of this one."""

    oauth2_adapter_class = WeixinAdapter

    def extract_uid(self, data):
        return data.get("unionid") or data["openid"]

    def extract_common_fields(self, data):
        # The WeChat nickname is not the owner's name: the sign-up form asks for that.
        return {}


provider_classes = [WeixinProvider]
