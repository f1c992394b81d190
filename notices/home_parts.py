"""The home page's notices part (portal.framing): the signed-in owner's latest notices, those
still to confirm first, written into the copy of the home page every owner shares. Nothing for
an owner with no notice, nor for a visitor.

Every owner's home page asks for it, so its query is built once (`portal.statements`) and reads
the few columns it shows as values (a notice is a page: a model instance each costs more than
the query), and its addresses are written without a `reverse()` per row."""

from django.db.models import BooleanField, ExpressionWrapper, Q
from django.template.loader import render_to_string

from notices.models import NoticePage, Receipt
from portal import framing
from portal.links import addresses
from portal.statements import Statement

SHOWN = 3


#: The reader's latest receipts of live notices, those still to confirm first.
_LATEST = Statement(
    lambda user: (
        Receipt.objects.filter(user=user, notice__live=True)
        .annotate(
            waiting=ExpressionWrapper(
                Q(notice__important=True, acknowledged_at__isnull=True),
                output_field=BooleanField(),
            )
        )
        .order_by("-waiting", "-delivered_at", "-pk")
        .values_list(
            "notice_id", "notice__title", "notice__kind", "read_at", "delivered_at", "waiting"
        )[:SHOWN]
    )
)


@framing.part("home_notices")
def latest_notices(request):
    user = framing.reader(request)
    if not user.is_authenticated:
        return ""
    rows = _LATEST.rows(user=user.pk)
    if not rows:
        return ""
    detail = addresses("notices:detail")
    receipts = [
        {
            "url": detail(notice),
            "title": title,
            "kind": NoticePage.Kind(kind).label,
            "read_at": read_at,
            "delivered_at": delivered_at,
            "waiting": waiting,
        }
        for notice, title, kind, read_at, delivered_at, waiting in rows
    ]
    return render_to_string("notices/includes/home_notices.html", {"receipts": receipts})
