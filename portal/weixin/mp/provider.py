from portal.weixin.mp.views import OfficialAccountAdapter
from portal.weixin.provider import WeixinProvider


class OfficialAccountProvider(WeixinProvider):
    id = "weixin_mp"
    name = "WeChat (official account)"
    oauth2_adapter_class = OfficialAccountAdapter

    def get_default_scope(self):
        return ["snsapi_userinfo"]


provider_classes = [OfficialAccountProvider]
