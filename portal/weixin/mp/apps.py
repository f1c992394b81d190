from django.apps import AppConfig


class OfficialAccountConfig(AppConfig):
    name = "portal.weixin.mp"
    label = "weixin_mp"
    verbose_name = "WeChat official account"
