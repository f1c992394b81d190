"""How a message reaches an owner: the one place that decides.

Every message the site sends an owner is of a *topic* (`TOPICS`: case progress, repairs and
their appointments, bills and arrears, notices, account reviews, events, the club, the club's
publications, the forum). It always lands in the owner's notifications on the site; beyond
that it goes out on the channels the owner chose for its topic in 我的 → 通知设置 (SMS, WeChat,
email), among those the topic allows and the owner can be reached on. An owner who has not
chosen hears on the first channel of the topic's default order they can be reached on. A
must-deliver topic always goes out on at least one channel, whatever was chosen.

Cost controls: SMS only for the topics that warrant it (`Topic.channels`), at most
`SMS_DAILY_LIMIT` texts a day to one number besides sign-in codes, and none in the quiet hours
(portal.outbox.add_text).
"""

from dataclasses import dataclass
from datetime import datetime, time

from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal import phones
from portal.models import Outgoing

SMS, WECHAT, EMAIL = "sms", "wechat", "email"

#: The channels beyond the site's inbox, as owners read them, in the settings page's order.
CHANNELS = {
    SMS: pgettext_lazy("channel", "SMS"),
    WECHAT: pgettext_lazy("channel", "WeChat"),
    EMAIL: pgettext_lazy("channel", "Email"),
}


@dataclass(frozen=True)
class Topic:
    slug: str
    label: str
    help: str
    #: The channels the topic may use (SMS costs money: only where it is worth it).
    channels: tuple
    #: Without a choice of the owner's, the first of these they can be reached on.
    default: tuple
    #: Never switched off entirely: at least one channel besides the site.
    must: bool = False


TOPICS = {
    topic.slug: topic
    for topic in (
        Topic(
            "case",
            _("Case progress"),
            _("A case you filed is answered, changes hands or is resolved."),
            channels=(SMS, WECHAT, EMAIL),
            default=(WECHAT, EMAIL, SMS),
            must=True,
        ),
        Topic(
            "repair",
            _("Repairs and appointments"),
            _(
                "A repair you reported is booked (the day, the time and who comes), the "
                "technician arrives or finishes, or the booking changes."
            ),
            channels=(SMS, WECHAT, EMAIL),
            default=(WECHAT, EMAIL, SMS),
            must=True,
        ),
        Topic(
            "bill",
            _("Bills and arrears"),
            _("Your home's bill for the month is issued, and reminders when it is overdue."),
            channels=(SMS, WECHAT, EMAIL),
            default=(WECHAT, SMS, EMAIL),
            must=True,
        ),
        Topic(
            "important_notice",
            _("Important notices"),
            _(
                "Notices the property asks you to confirm, water or power cuts, and urgent "
                "notices about your estate or building."
            ),
            channels=(SMS, WECHAT, EMAIL),
            default=(WECHAT, EMAIL, SMS),
            must=True,
        ),
        Topic(
            "notice",
            _("Notices and reminders"),
            _("Notices, letters and friendly reminders from the property."),
            channels=(WECHAT, EMAIL),
            default=(WECHAT, EMAIL),
        ),
        Topic(
            "account",
            _("Reviews of your requests"),
            _("Staff decide on your claim to a unit or your membership application."),
            channels=(SMS, WECHAT, EMAIL),
            default=(WECHAT, EMAIL, SMS),
            must=True,
        ),
        Topic(
            "event",
            _("Events you signed up for"),
            _(
                "Your place is confirmed, you move up from the waiting list, a reminder the day "
                "before, a change of time or place."
            ),
            channels=(SMS, WECHAT, EMAIL),
            default=(WECHAT, EMAIL, SMS),
        ),
        Topic(
            "club",
            _("Member club"),
            _("Points earned and redeemed, rewards, referrals, birthday greetings."),
            channels=(WECHAT, EMAIL),
            default=(WECHAT, EMAIL),
        ),
        # WeChat allows its template messages for service news, not for publications: a
        # member has them there only by choice; by default by email, where they have one.
        Topic(
            "publications",
            _("Club magazine and news"),
            _("For club members: each issue of the magazine, and club news the editors send."),
            channels=(WECHAT, EMAIL),
            default=(EMAIL,),
        ),
        Topic(
            "forum",
            _("Forum replies and mentions"),
            _("Someone replies to your topic, mentions you or answers officially."),
            channels=(WECHAT, EMAIL),
            default=(EMAIL,),
        ),
    )
}


def reach(user, wanted=(SMS, WECHAT, EMAIL)):
    """Where `user` can be reached beyond the site, of the `wanted` channels: {channel:
    address}. One query, for WeChat: the openid of the official account they signed in
    through (its template messages go only to people who did)."""
    if getattr(user, "closed_at", None):
        return {}
    found = {}
    if user.email:
        found[EMAIL] = user.email
    if getattr(user, "mobile_verified", False) and user.mobile:
        found[SMS] = phones.international(user.mobile)
    if WECHAT in wanted and settings.WECHAT_MP_APP_ID:
        extra = (
            SocialAccount.objects.filter(user=user, provider="weixin_mp")
            .values_list("extra_data", flat=True)
            .first()
        )
        if extra and extra.get("openid"):
            found[WECHAT] = extra["openid"]
    return found


def chosen(user, topic):
    """The channels the owner ticked for `topic`, or None if they never chose."""
    choices = getattr(user, "notification_channels", None) or {}
    picked = choices.get(topic.slug)
    return None if picked is None else [c for c in topic.channels if c in picked]


def effective(user, topic, reachable):
    """The channels a message of `topic` goes out on for `user`, in the topic's order."""
    picked = chosen(user, topic)
    default = [c for c in topic.default if c in reachable][:1]
    if picked is None:
        return default
    ways = [c for c in picked if c in reachable]
    return ways or (default if topic.must else [])


def route(user, slug, *, can=(SMS, WECHAT, EMAIL)):
    """{channel: address} for one message of topic `slug` to `user`: the channels chosen (or
    the default), of those the message `can` use, with SMS left out once the day's texts to the
    number are spent (then a must-deliver message takes the next channel it can)."""
    topic = TOPICS[slug]
    wanted = [c for c in topic.channels if c in can]
    reachable = {c: a for c, a in reach(user, wanted).items() if c in wanted}
    if SMS in reachable and texts_today(reachable[SMS]) >= settings.SMS_DAILY_LIMIT:
        del reachable[SMS]
    return {channel: reachable[channel] for channel in effective(user, topic, reachable)}


def leave(user, slug, channel):
    """`user` no longer wants messages of topic `slug` by `channel` (a one-click unsubscribe in
    an email): their choice for the topic becomes what they had, without it."""
    topic = TOPICS[slug]
    picked = chosen(user, topic)
    if picked is None:
        picked = effective(user, topic, reach(user, topic.channels))
    user.notification_channels = {
        **(user.notification_channels or {}),
        slug: [c for c in picked if c != channel],
    }
    user.save(update_fields=["notification_channels"])


def texts_today(phone):
    """Texts written to `phone` since midnight, Beijing time, sign-in codes aside."""
    midnight = timezone.make_aware(datetime.combine(timezone.localdate(), time()))
    return (
        Outgoing.objects.filter(kind=Outgoing.Kind.TEXT, recipient=phone, created_at__gte=midnight)
        .exclude(payload__template="verification_code")
        .count()
    )
