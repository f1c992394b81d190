"""Demo boards and conversations for `manage.py load_demo`. Runs once: skipped if boards exist."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from demo.owners import ensure_user
from forum.counters import recount_board, recount_topic
from forum.models import Board, Post, Reaction, Subscription, Topic
from forum.posting import text_fields
from owners.models import OwnershipClaim, Unit, User

BOARDS = [
    ("announcements", "公告", "物业与客服中心的正式通知。", "staff", False),
    ("owners", "业主交流", "邻里之间聊聊小区生活。", "verified", False),
    ("questions", "投诉与建议", "提出意见、建议和投诉，由公司发言人正式答复。", "verified", True),
    ("activities", "邻里活动", "兴趣小组、拼车、二手闲置和社区活动。", "verified", False),
]

OWNERS = [
    # username, real name, unit, nickname, shows the real name
    ("zhangwei", "张伟", "1栋", "0602", "湖畔晨跑", False),
    ("liuyang", "刘洋", "2栋", "1103", "", True),
    ("chenjing", "陈静", "6栋", "1504", "", False),
]

# board, title, [(author, text, official)], days ago
CONVERSATIONS = [
    (
        "announcements",
        "关于 12 月物业费调整的通知",
        [
            (
                "spokesperson",
                "各位业主：\n\n经业主大会表决通过，自 **2027 年 1 月 1 日**起，住宅物业费由每月 2.8 元/平方米调整为 3.0 元/平方米。详细说明请见客服中心公告栏。\n\n如有疑问，请拨打客服热线 400-800-1234。",
                True,
            ),
        ],
        12,
    ),
    (
        "announcements",
        "二次供水水箱清洗消毒安排",
        [
            (
                "spokesperson",
                "12 月 5 日至 12 月 8 日将对 1–6 栋的二次供水水箱逐栋清洗消毒，每栋停水约 4 小时，具体时间将提前一天在电梯间张贴，请提前储水。",
                True,
            ),
        ],
        5,
    ),
    (
        "questions",
        "地下停车场收费太高，能否调整？",
        [
            (
                "zhangwei",
                "停车场收费从今年起涨到每月 450 元，比周边小区高不少。希望公司能解释一下收费依据，或者给业主一些优惠。",
                False,
            ),
            ("liuyang", "同感，而且晚上 B2 的照明也不太够。", False),
            (
                "spokesperson",
                "张先生您好，感谢反馈。停车费标准由物价部门备案，450 元/月含车位维护和 24 小时安保。\n\n针对业主意见，公司决定自下月起为**长期月租**业主提供九折优惠，并已安排工程部在两周内增加 B2 照明。",
                True,
            ),
            ("zhangwei", "谢谢答复，九折可以接受。照明改好后我再反馈。", False),
        ],
        9,
    ),
    (
        "questions",
        "5 栋电梯经常停在 12 楼不动",
        [
            (
                "chenjing",
                "最近一周 5 栋东侧电梯至少停了三次，每次都要等十几分钟，家里有老人很不方便。",
                False,
            ),
            ("owner", "我们 3 栋上个月也有类似情况，后来换了控制板才好。", False),
        ],
        2,
    ),
    (
        "questions",
        "建议在中心花园增加儿童游乐设施",
        [
            (
                "liuyang",
                "小区里小朋友越来越多，中心花园只有一个滑梯。建议增加秋千和沙池，周末可以让孩子们在家门口玩。",
                False,
            ),
        ],
        1,
    ),
    (
        "owners",
        "推荐小区附近靠谱的装修师傅",
        [
            (
                "owner",
                "准备给次卧刷墙、换地板，大家有没有用过觉得不错的师傅？最好是做过本小区户型的。",
                False,
            ),
            ("chenjing", "@owner 我家去年找的李师傅，做事细致，报价也透明，私信你电话。", False),
            ("zhangwei", "同推荐李师傅 👍", False),
        ],
        6,
    ),
    (
        "owners",
        "快递柜经常满，大家怎么解决？",
        [
            ("liuyang", "晚上下班回来快递柜全满，只能放驿站。有没有可能再加一组柜子？", False),
            ("owner", "可以在“投诉与建议”版块提一下，让发言人正式回复。", False),
        ],
        3,
    ),
    (
        "activities",
        "周六上午中心花园亲子跳蚤市场",
        [
            (
                "chenjing",
                "本周六 9:30–11:30 在中心花园办亲子跳蚤市场，小朋友可以带闲置玩具和绘本来交换，欢迎报名摆摊！",
                False,
            ),
            ("owner", "报名！带两箱绘本。", False),
        ],
        4,
    ),
]


def build():
    """Create the forum once; return the extra demo logins to print."""
    logins = [("Owner in the forum", f"{u}@jindu.example ({name})") for u, name, *_ in OWNERS]
    if Board.objects.exists():
        return logins
    with transaction.atomic():
        estate_units = {
            u.building + u.number: u for u in Unit.objects.filter(estate__name="金都·翠湖苑")
        }
        for username, name, building, number, nickname, show in OWNERS:
            user = ensure_user(
                username,
                f"{username}@jindu.example",
                name,
                nickname=nickname,
                show_real_name=show,
            )
            unit = estate_units.get(building + number)
            if unit and not user.is_verified_owner:
                OwnershipClaim.objects.create(
                    owner=user, unit=unit, proof=f"HZ-2019-{number}", status="approved"
                )
                user.is_verified_owner = True
                user.save(update_fields=["is_verified_owner"])
        boards = {}
        for order, (slug, name, description, writers, questions) in enumerate(BOARDS):
            boards[slug] = Board.objects.create(
                slug=slug,
                name=name,
                description=description,
                writers=writers,
                is_question_board=questions,
                sort_order=order,
            )
        users = {u.username: u for u in User.objects.all()}
        now = timezone.now()
        for slug, title, messages, days_ago in CONVERSATIONS:
            started = now - timedelta(days=days_ago, hours=3)
            topic = Topic.objects.create(
                board=boards[slug], author=users[messages[0][0]], title=title
            )
            for position, (author, text, official) in enumerate(messages, start=1):
                post = Post.objects.create(
                    topic=topic,
                    author=users[author],
                    position=position,
                    is_official=official,
                    **text_fields(text),
                )
                Post.objects.filter(pk=post.pk).update(
                    created_at=started + timedelta(hours=5 * position)
                )
                Subscription.objects.get_or_create(user=users[author], topic=topic)
            Topic.objects.filter(pk=topic.pk).update(created_at=started)
            recount_topic(Topic.objects.get(pk=topic.pk))
        for post in Post.objects.filter(
            position=1, topic__board__slug__in=["questions", "activities"]
        ):
            for liker in ("owner", "zhangwei", "liuyang"):
                if users[liker] != post.author:
                    Reaction.objects.get_or_create(post=post, user=users[liker])
            post.like_count = post.reactions.count()
            post.save(update_fields=["like_count"])
        for board in boards.values():
            recount_board(board)
    return logins
