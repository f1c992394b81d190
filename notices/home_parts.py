"""The home page's notices part (portal.framing): the signed-in owner's latest notices, those
still to confirm first, written into the copy of the home page every owner shares. Nothing for
an owner with no notice, nor for a visitor."""

from django.db.models import BooleanField, ExpressionWrapper, Q
from django.template.loader import render_to_string

from notices.models import Receipt
from portal import framing

SHOWN = 3


@framing.part("home_notices")
def latest_notices(request):
    user = framing.reader(request)
    if not user.is_authenticated:
        return ""
    waiting = ExpressionWrapper(
        Q(notice__important=True, acknowledged_at__isnull=True), output_field=BooleanField()
    )
    receipts = list(
        Receipt.objects.filter(user=user, notice__live=True)
        .select_related("notice")
        .annotate(waiting=waiting)
        .order_by("-waiting", "-delivered_at", "-pk")[:SHOWN]
    )
    if not receipts:
        return ""
    return render_to_string(
        "notices/includes/home_notices.html", {"receipts": receipts}, request=request
    )
