"""Mailings of publications to members, with their progress, in the admin."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from portal.admin_actions import RulesOnlyPolicy
from publications.models import Mailing

# Mailings are made by publishing pages, never by hand.
register_permission_policy(Mailing, RulesOnlyPolicy(Mailing), exact_class=True)


class MailingViewSet(ModelViewSet):
    model = Mailing
    name = "mailings"
    url_prefix = "mailings"
    icon = "mail"
    menu_label = _("Member mailings")
    menu_order = 310
    add_to_admin_menu = True
    list_display = [
        Column("page", label=_("Page"), accessor="page.title"),
        Column("progress", label=_("Sent"), accessor="progress"),
        DateColumn("started_at", label=_("Started")),
        DateColumn("finished_at", label=_("Finished")),
    ]
    form_fields = []
    add_to_reference_index = False
    copy_view_enabled = False

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            queryset=Mailing.objects.select_related("page"), **kwargs
        )
