from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.models import Page, ReferenceIndex

from notices.admin_views import NoticesViewSetGroup
from notices.models import NoticePage, Receipt


@hooks.register("register_log_actions")
def register_notice_log_actions(actions):
    actions.register_action(
        "notices.notice.acknowledge", _("Confirm a notice"), _("Notice confirmed by the owner")
    )
    actions.register_action(
        "notices.notice.call", _("Call about a notice"), _("Confirmation call recorded")
    )


@hooks.register("register_admin_viewset")
def register_notices_admin():
    return NoticesViewSetGroup()


@hooks.register("before_serve_document")
def notice_attachments(document, request):
    """A document attached to a notice is for the owners it went to and for the staff who
    follow notices up, whoever has its address; one that a page for everyone also links stays
    public."""
    page_type = ContentType.objects.get_for_model(Page)
    linked = set(
        ReferenceIndex.get_references_to(document)
        .filter(base_content_type=page_type)
        .values_list("object_id", flat=True)
    )
    if not linked:
        return None
    notices = set(NoticePage.objects.filter(pk__in=linked).values_list("pk", flat=True))
    public = Page.objects.live().public().filter(pk__in=linked).exclude(pk__in=notices)
    if not notices or public.exists():
        return None
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if user.has_perm("notices.view_receipt"):
        return None
    if Receipt.objects.filter(user=user, notice_id__in=notices).exists():
        return None
    # As the notice's own page: those who may edit it.
    if any(
        notice.permissions_for_user(user).can_edit()
        for notice in NoticePage.objects.filter(pk__in=notices)
    ):
        return None
    raise Http404
