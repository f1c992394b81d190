from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import DateColumn

from portal.admin_actions import ActionsOnlyViewSet
from search.models import UnansweredQuery


class UnansweredQueryViewSet(ActionsOnlyViewSet):
    """What owners searched for and did not find, most asked first: the words to add as
    synonyms, or the content to write. Read-only; exported as a spreadsheet."""

    model = UnansweredQuery
    name = "unanswered_searches"
    url_prefix = "search/unanswered"
    icon = "search"
    menu_label = _("Unanswered searches")
    menu_order = 900
    add_to_admin_menu = True
    inspect_view_enabled = False
    list_display = [
        "query",
        "count",
        DateColumn("last_asked_at", label=_("Last asked")),
        DateColumn("first_asked_at", label=_("First asked")),
    ]
    list_export = ["query", "count", "last_asked_at", "first_asked_at"]
    search_fields = ["query"]
    ordering = ["-count", "-last_asked_at"]


@hooks.register("register_admin_viewset")
def register_unanswered_searches():
    return UnansweredQueryViewSet()
