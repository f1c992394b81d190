from wagtail import hooks

from home.viewsets import MailingViewSet


@hooks.register("register_admin_viewset")
def register_mailings():
    return MailingViewSet()
