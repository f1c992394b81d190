"""The home page's "news" part (portal.framing): the latest news of the reader's own estates and
of the company, or for a visitor the latest of all. The estates cost one query for a verified
owner; the items are kept per set of estates under the pages' version."""

from django.db.models import Q
from django.template.loader import render_to_string
from django.utils.translation import get_language

from home.caching import PAGES
from owners.models import OwnershipClaim
from portal import framing
from portal.statements import Statement
from publications.models import NewsIndexPage, NewsPage

SHOWN = 3

#: The estates of the reader's verified homes (built once: every owner's home page asks).
_ESTATES = Statement(
    lambda user: (
        OwnershipClaim.objects.filter(owner=user, status=OwnershipClaim.Status.APPROVED)
        .order_by("unit__estate_id")
        .distinct()
        .values_list("unit__estate_id")
    )
)


@framing.part("home_news")
def latest_news(request):
    user = framing.reader(request)
    estates = ()
    if user.is_authenticated and user.is_verified_owner:
        estates = tuple(estate for (estate,) in _ESTATES.rows(user=user.pk))

    def build():
        items = NewsPage.objects.live().public().select_related("estate").order_by("-date", "-pk")
        if estates:
            items = items.filter(Q(estate__in=estates) | Q(estate__isnull=True))
        index = NewsIndexPage.objects.live().first()
        return render_to_string(
            "publications/includes/home_news.html",
            {
                "items": [(item, item.get_url(request)) for item in items[:SHOWN]],
                "index_url": index.get_url(request) if index else "",
                "own_estates": bool(estates),
            },
        )

    return PAGES.kept(f"home:news:{get_language()}:{'-'.join(map(str, estates))}", build)
