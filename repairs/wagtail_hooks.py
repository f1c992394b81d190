from wagtail import hooks

from repairs.admin_views import RepairsViewSetGroup


@hooks.register("register_admin_viewset")
def register_repairs_viewsets():
    return RepairsViewSetGroup()
