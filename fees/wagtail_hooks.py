from wagtail import hooks

from fees.admin import FeesViewSetGroup


@hooks.register("register_admin_viewset")
def register_fees_admin():
    return FeesViewSetGroup()
