"""The home page's "my cases" part (portal.framing): the signed-in owner's cases still open, or
resolved and waiting for their word, with where each stands, written into the copy of the home
page every owner shares."""

from django.template.loader import render_to_string

from cases.models import Case
from portal import framing
from portal.links import addresses

#: Cases shown on the home page; the rest are a tap away on 我的报事.
SHOWN = 3
STILL_ON_THE_TABLE = (*Case.OPEN_STATUSES, Case.Status.RESOLVED)


@framing.part("home_cases")
def open_cases(request):
    user = framing.reader(request)
    if not user.is_authenticated:
        return ""
    cases = list(
        Case.objects.filter(owner=user, status__in=STILL_ON_THE_TABLE)
        .only("reference", "subject", "status", "created_at")
        .order_by("-created_at")[: SHOWN + 1]
    )
    detail = addresses("cases:detail")
    for case in cases:
        case.url = detail(case.reference)
    return render_to_string(
        "cases/includes/home_cases.html",
        {"cases": cases[:SHOWN], "more": len(cases) > SHOWN},
        request=request,
    )
