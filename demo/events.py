"""A year of demo club events: past ones with attendance, upcoming ones, one full with a
waitlist. Built through the same sign-up and check-in rules the site uses."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from wagtail.rich_text import RichText

from club.models import ClubPage, PointsEntry
from demo import english
from events import checkin, signup
from events.models import EventIndexPage, EventPage, Registration
from owners.models import User

# title, days from today, start hour, hours, place, capacity, guests, points, audience, summary
EVENTS = [
    (
        "新春团拜会",
        -300,
        14,
        3,
        "金都·翠湖苑 会所宴会厅",
        120,
        2,
        200,
        "members",
        "写春联、包饺子，邻里一起迎新春。",
    ),
    (
        "春季亲子植树",
        -240,
        9,
        3,
        "西溪湿地东门",
        60,
        2,
        300,
        "members",
        "为小区认领的林地种下新树。",
    ),
    (
        "业主羽毛球联赛",
        -180,
        14,
        4,
        "金都·云栖府 体育馆",
        48,
        0,
        200,
        "owners",
        "双打赛制，欢迎报名。",
    ),
    (
        "端午香囊手作",
        -150,
        10,
        2,
        "金都·翠湖苑 会所多功能厅",
        30,
        1,
        150,
        "members",
        "非遗老师手把手教做香囊。",
    ),
    (
        "夏夜露天电影",
        -110,
        19,
        3,
        "金都·翠湖苑 中心草坪",
        200,
        3,
        100,
        "owners",
        "自带野餐垫，一起看电影。",
    ),
    (
        "中秋游园会",
        -70,
        18,
        3,
        "金都·翠湖苑 中心花园",
        300,
        3,
        500,
        "members",
        "猜灯谜、赏月、品月饼。",
    ),
    (
        "秋季徒步：九溪十八涧",
        -35,
        8,
        5,
        "九溪公交站集合",
        40,
        1,
        300,
        "members",
        "约 8 公里，适合家庭参加。",
    ),
    (
        "茶艺沙龙：品龙井",
        9,
        14,
        2,
        "金都·翠湖苑 会所茶室",
        20,
        1,
        150,
        "members",
        "茶艺师讲解明前龙井的冲泡。",
    ),
    (
        "亲子烘焙课",
        16,
        10,
        2,
        "金都·云栖府 会所烘焙教室",
        6,
        2,
        200,
        "owners",
        "和孩子一起做圣诞姜饼屋。",
    ),
    (
        "跨年音乐会",
        35,
        19,
        3,
        "杭州大剧院（包场）",
        150,
        1,
        300,
        "members",
        "会员专场，凭会员卡入场。",
    ),
    (
        "新春团拜会（2027）",
        70,
        14,
        3,
        "金都·翠湖苑 会所宴会厅",
        120,
        2,
        200,
        "members",
        "辞旧迎新，共叙邻里情。",
    ),
]
PAST_ATTENDEES = ["owner", "zhangwei", "liuyang"]


@transaction.atomic
def build():
    club = ClubPage.objects.first()
    if club is None or EventIndexPage.objects.exists():
        return
    index = EventIndexPage(
        title="会员活动",
        slug="events",
        intro="金都会全年活动计划，欢迎报名参加。",
        title_en="Club events",
        intro_en="The club's plan for the year: come and join in.",
    )
    club.add_child(instance=index)
    index.save_revision().publish()
    today = timezone.localdate()
    staff = User.objects.get(username="clubstaff")
    people = {
        u.username: u for u in User.objects.filter(username__in=[*PAST_ATTENDEES, "chenjing"])
    }
    for title, days, hour, hours, place, capacity, guests, points, audience, summary in EVENTS:
        day = today + timedelta(days=days)
        starts = timezone.make_aware(datetime(day.year, day.month, day.day, hour))
        event = EventPage(
            title=title,
            slug=f"event-{day:%Y%m%d}",
            summary=summary,
            body=[("paragraph", RichText(f"<p>{summary}名额有限，请尽早报名。</p>"))],
            starts_at=starts,
            ends_at=starts + timedelta(hours=hours),
            place=place,
            capacity=capacity,
            guests_allowed=guests,
            points=points,
            audience=audience,
            signup_opens_at=starts - timedelta(days=30),
            signup_closes_at=starts - timedelta(hours=12),
            cancel_by=starts - timedelta(days=2),
        )
        english.event(event)
        index.add_child(instance=event)
        event.save_revision().publish()
        if days < 0:
            _attended(event, [people[name] for name in PAST_ATTENDEES[: 1 + (-days) % 3]], staff)
    # The baking class is full: three families take its six seats, a fourth waits.
    baking = EventPage.objects.get(title="亲子烘焙课")
    signup.sign_up(baking, people["owner"], guests=1)
    signup.sign_up(baking, people["zhangwei"], guests=2)
    signup.sign_up(baking, people["liuyang"], guests=0)
    signup.sign_up(baking, people["chenjing"], guests=1)  # the waitlist
    signup.sign_up(EventPage.objects.get(title="茶艺沙龙：品龙井"), people["owner"], guests=1)


def _attended(event, attendees, staff):
    for person in attendees:
        registration = Registration.objects.create(
            event=event, user=person, guests=0, seats=1, status=Registration.Status.CONFIRMED
        )
        checkin.check_in(registration, staff)
        Registration.objects.filter(pk=registration.pk).update(checked_in_at=event.starts_at)
        PointsEntry.objects.filter(key=f"event-attendance:{registration.pk}").update(
            created_at=event.starts_at
        )
