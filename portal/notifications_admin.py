"""Messages to owners in the admin (消息记录): each one as the owner sees it on the site, with the
channels that carried it beyond the site (SMS, WeChat, email: the outbox's rows) and when."""

from django.utils import timezone
from django.utils.translation import gettext_lazy, pgettext
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.permissions import register_permission_policy

from portal.admin_actions import ActionsOnlyViewSet, RulesOnlyPolicy
from portal.models import Notification, Outgoing

# Written by the actions that tell owners; nobody edits one.
register_permission_policy(Notification, RulesOnlyPolicy(Notification), exact_class=True)


def delivery(row):
    """ "微信 已送达 12-03 10:02": one channel's state for staff."""
    channel = {
        Outgoing.Kind.EMAIL: pgettext("channel", "Email"),
        Outgoing.Kind.TEXT: pgettext("channel", "SMS"),
        Outgoing.Kind.WECHAT: pgettext("channel", "WeChat"),
    }[row.kind]
    if row.state == Outgoing.State.SENT:
        when = timezone.localtime(row.sent_at).strftime("%m-%d %H:%M")
        return pgettext("delivery", "%(channel)s delivered %(time)s") % {
            "channel": channel,
            "time": when,
        }
    if row.state == Outgoing.State.FAILED:
        return pgettext("delivery", "%(channel)s failed") % {"channel": channel}
    when = timezone.localtime(row.next_attempt_at).strftime("%m-%d %H:%M")
    return pgettext("delivery", "%(channel)s waiting, next try %(time)s") % {
        "channel": channel,
        "time": when,
    }


class ChannelsColumn(Column):
    def get_value(self, instance):
        rows = sorted(instance.deliveries.all(), key=lambda row: row.pk)
        return " · ".join(delivery(row) for row in rows) or pgettext("delivery", "site only")


class RecipientColumn(Column):
    def get_value(self, instance):
        person = instance.recipient
        return person.real_name or person.get_username()


class NotificationViewSet(ActionsOnlyViewSet):
    model = Notification
    name = "messages"
    url_prefix = "messages"
    icon = "mail"
    menu_label = gettext_lazy("Messages to owners")
    add_to_settings_menu = True
    menu_order = 890
    list_display = [
        DateColumn("created_at", label=gettext_lazy("Created")),
        RecipientColumn("recipient", label=gettext_lazy("To")),
        Column("kind", label=gettext_lazy("Kind"), accessor="get_kind_display"),
        Column("text", label=gettext_lazy("Message")),
        ChannelsColumn("deliveries", label=gettext_lazy("Delivered by")),
        DateColumn("read_at", label=gettext_lazy("Read on the site")),
    ]
    list_filter = ["kind"]
    search_fields = ["text"]
    list_per_page = 50
    inspect_view_enabled = False

    def get_index_view_kwargs(self, **kwargs):
        queryset = (
            Notification.objects.select_related("recipient")
            .prefetch_related("deliveries")
            .order_by("-created_at", "-pk")
        )
        return super().get_index_view_kwargs(queryset=queryset, **kwargs)
