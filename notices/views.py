from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from notices import delivery
from notices.models import NoticePage, Receipt


@login_required
def mine(request):
    """我的 → 通知: the notices sent to the owner, newest first, unread and to-confirm marked."""
    receipts = (
        Receipt.objects.filter(user=request.user, notice__live=True)
        .select_related("notice")
        .order_by("-delivered_at", "-pk")
    )
    page = Paginator(receipts, 20).get_page(request.GET.get("page"))
    return render(request, "notices/mine.html", {"page": page})


@login_required
def detail(request, pk):
    """A notice, for an owner it was sent to, or for staff who follow notices up or may edit
    it: an owner's reading is recorded; an important one asks 我已阅读并知悉."""
    notice = get_object_or_404(NoticePage.objects.live(), pk=pk)
    receipt = delivery.receipt_for(notice, request.user)
    staff = request.user.has_perm("notices.view_receipt") or (
        notice.permissions_for_user(request.user).can_edit()
    )
    if receipt is None and not staff:
        raise Http404
    if request.method == "POST" and request.POST.get("action") == "acknowledge":
        try:
            delivery.acknowledge(notice, request.user)
        except delivery.NoticeError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Thank you: your confirmation is recorded."))
        return redirect("notices:detail", pk=notice.pk)
    if receipt is not None:
        delivery.mark_read(receipt)
    return render(request, "notices/notice.html", {"notice": notice, "receipt": receipt})
