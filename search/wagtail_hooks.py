from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import DateColumn
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from portal.admin_actions import ActionsOnlyViewSet
from search.models import Synonyms, UnansweredQuery


class UnansweredQueryViewSet(ActionsOnlyViewSet):
    """What owners searched for and did not find, most asked first: the words to add as
    synonyms, or the content to write. Read-only; exported as a spreadsheet."""

    model = UnansweredQuery
    name = "unanswered_searches"
    url_prefix = "search/unanswered"
    icon = "help"
    menu_label = _("Unanswered searches")
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


class SynonymsViewSet(ModelViewSet):
    """Words that mean the same to the search; each change applies to the next search."""

    model = Synonyms
    name = "synonyms"
    url_prefix = "search/synonyms"
    icon = "list-ul"
    menu_label = _("Synonyms")
    form_fields = ["words"]
    list_display = ["words"]
    search_fields = ["words"]
    copy_view_enabled = False
    add_to_reference_index = False


class SearchViewSetGroup(ViewSetGroup):
    menu_label = _("Site search")
    menu_icon = "search"
    menu_order = 900
    items = (UnansweredQueryViewSet, SynonymsViewSet)


@hooks.register("register_admin_viewset")
def register_search_viewsets():
    return SearchViewSetGroup()
