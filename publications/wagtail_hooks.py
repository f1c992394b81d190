from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from wagtail import hooks

from club.models import is_active_member
from publications.models import MagazineIssuePage
from publications.viewsets import MailingViewSet


@hooks.register("register_admin_viewset")
def register_mailings():
    return MailingViewSet()


@hooks.register("before_serve_document")
def members_only_editions(document, request):
    """The PDF edition of a members-only issue is for members, whoever has its address."""

    if not MagazineIssuePage.objects.filter(pdf=document, members_only=True).exists():
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not is_active_member(request.user):
        raise PermissionDenied
    return None
