"""The home page's "my cases" part (portal.framing): the signed-in owner's cases still open, or
resolved and waiting for their word, with where each stands, written into the copy of the home
page every owner shares."""

from django.template.loader import render_to_string

from cases.models import Case
from portal import framing
from portal.links import addresses
from portal.statements import Statement

#: Cases shown on the home page; the rest are a tap away on 我的报事.
SHOWN = 3
STILL_ON_THE_TABLE = (*Case.OPEN_STATUSES, Case.Status.RESOLVED)


#: The reader's cases still on the table, newest first, one more than shown (for "more").
_OPEN = Statement(
    lambda user: (
        Case.objects.filter(owner=user, status__in=STILL_ON_THE_TABLE)
        .order_by("-created_at")
        .values_list("reference", "subject", "status", "created_at")[: SHOWN + 1]
    )
)
_STATUS_LABELS = dict(Case.Status.choices)


@framing.part("home_cases")
def open_cases(request):
    user = framing.reader(request)
    if not user.is_authenticated:
        return ""
    rows = _OPEN.rows(user=user.pk)
    detail = addresses("cases:detail")
    cases = [
        {
            "url": detail(reference),
            "reference": reference,
            "subject": subject,
            "status": status,
            "status_label": _STATUS_LABELS[status],
            "created_at": created_at,
        }
        for reference, subject, status, created_at in rows[:SHOWN]
    ]
    return render_to_string(
        "cases/includes/home_cases.html", {"cases": cases, "more": len(rows) > SHOWN}
    )
