"""A busier site than the demo, for the HTTP benchmark: the sizes a year of a real estate
produces. Runs once on top of `load_demo` (it returns at once when the data is there).

- 300 members: verified owners of units of the first estate who joined the club through the
  club's own actions (application, approval, card).
- 2,000 topics of three posts in the owners' boards, and one topic of 1,000 posts, 7,000
  generated posts in all, about 2,050 of them mentioning 停车. Topics and posts are written
  in bulk with their rendered text and their search index, as the posting actions write them;
  running the actions 7,000 times would only make the set-up slow.
- 500 cases recorded from the hotline through the casework action, spread over the members.
"""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from cases import casework
from cases.models import Case, Category
from club import membership
from club.models import Member
from demo import privacy
from forum.caching import FORUM
from forum.counters import recount_board, recount_topic
from forum.models import Board, Post, Reaction, Topic
from forum.posting import text_fields
from forum.searching import post_text, post_title
from owners import consent
from owners.models import OwnershipClaim, Unit, User
from search.index import index_rows
from search.models import Gram

MEMBERS = 300
TOPICS = 2_000
POSTS_PER_TOPIC = 3
LONG_TOPIC_POSTS = 1_000
CASES = 500
PARKING_SHARE = 0.29  # 2,050 of 7,000 posts
LONG_TOPIC_TITLE = "小区停车位规划与充电桩安装讨论（长期贴）"

PHRASES = [
    "地下车库的照明这几天又坏了，晚上回家有点不安全。",
    "小区的绿化最近修剪得很整齐，辛苦园林师傅了。",
    "电梯早高峰要等很久，能不能调整一下运行方式？",
    "周末的亲子活动很有意思，孩子玩得很开心。",
    "快递柜经常满，建议再加一组。",
    "物业费的收费标准在哪里可以查到？",
    "楼道里堆放的杂物什么时候清理？",
    "游泳池夏季开放时间是几点到几点？",
    "门禁卡丢了，补办需要带什么材料？",
    "雨天单元门口积水，希望能加一个排水沟。",
]
PARKING = [
    "停车场的收费标准明年会调整吗？",
    "访客停车太难了，能不能开放一部分临时停车位？",
    "新能源车的停车位什么时候装充电桩？",
]


def long_topic():
    return Topic.objects.get(title=LONG_TOPIC_TITLE)


def build(out=None):
    """Each part is made once; a part cut short is finished on the next run."""
    rng = random.Random(2026)
    if not User.objects.filter(username__startswith="member").exists():
        _members()
        _say(out, f"{Member.objects.count()} members")
    unconsented = User.objects.filter(username__startswith="member").exclude(
        consents__document=consent.Document.PRIVACY_POLICY
    )
    for user in unconsented:
        consent.record(user, consent.Document.PRIVACY_POLICY, privacy.VERSION)
    people = [
        member.user
        for member in Member.objects.filter(user__isnull=False)
        .select_related("user")
        .order_by("pk")
    ]
    if not Topic.objects.filter(title=LONG_TOPIC_TITLE).exists():
        _topics(rng, people)
        _say(out, f"{Topic.objects.count()} topics, {Post.objects.count()} posts")
    missing = CASES - Case.objects.filter(owner__username__startswith="member").count()
    if missing > 0:
        _cases(rng, people, missing)
        _say(out, f"{Case.objects.count()} cases")


def _say(out, text):
    if out:
        out.write(f"  scale: {text}")


@transaction.atomic
def _members():
    """Owners of the first estate's units, each verified and approved into the club."""
    clubstaff = User.objects.get(username="clubstaff")
    units = list(Unit.objects.filter(claims__isnull=True).order_by("pk")[:MEMBERS])
    users = User.objects.bulk_create(
        User(
            username=f"member{n:03d}",
            email=f"member{n:03d}@jindu.example",
            real_name=f"业主{n:03d}",
            nickname=f"邻居{n:03d}",
            is_verified_owner=True,
        )
        for n in range(1, len(units) + 1)
    )
    OwnershipClaim.objects.bulk_create(
        OwnershipClaim(
            owner=user,
            unit=unit,
            proof=f"BENCH-{user.username}",
            status=OwnershipClaim.Status.APPROVED,
            reviewed_by=clubstaff,
        )
        for user, unit in zip(users, units, strict=True)
    )
    for user in users:
        consent.record(user, consent.Document.PRIVACY_POLICY, privacy.VERSION)
        membership.approve(membership.apply(user, event_news=True), clubstaff)


def _text(rng):
    parts = rng.sample(PHRASES, 2)
    if rng.random() < PARKING_SHARE:
        parts.insert(1, rng.choice(PARKING))
    return "".join(parts)


@transaction.atomic
def _topics(rng, people):
    boards = list(Board.objects.filter(slug__in=["owners", "questions", "activities"]))
    now = timezone.now()
    topics = Topic.objects.bulk_create(
        Topic(
            board=rng.choice(boards),
            author=rng.choice(people),
            title=f"{rng.choice(PHRASES)[:12]}（{n}）",
        )
        for n in range(TOPICS)
    )
    long = Topic.objects.create(
        board=Board.objects.get(slug="owners"), author=people[0], title=LONG_TOPIC_TITLE
    )
    rows = [(topic, position) for topic in topics for position in range(1, POSTS_PER_TOPIC + 1)]
    rows += [(long, position) for position in range(1, LONG_TOPIC_POSTS + 1)]
    posts = Post.objects.bulk_create(
        (
            Post(
                topic=topic, author=rng.choice(people), position=position, **text_fields(_text(rng))
            )
            for topic, position in rows
        ),
        batch_size=2000,
    )
    # Spread the topics over the past year, each post an hour after the one before.
    for number, topic in enumerate([*topics, long]):
        started = now - timedelta(hours=4 * (TOPICS - number) + 48)
        Topic.objects.filter(pk=topic.pk).update(created_at=started)
    Post.objects.filter(topic__in=[*topics, long]).update(created_at=now - timedelta(days=1))
    Gram.objects.bulk_create(
        (
            row
            for post in posts
            for row in index_rows(Gram.Kind.POST, post.pk, post_text(post), post_title(post))
        ),
        batch_size=5000,
    )
    # The demo owner, who reads the long topic in the benchmark, liked one post in five.
    liked = [post for post in posts if post.topic_id == long.pk and rng.random() < 0.2]
    viewer = User.objects.get(username="owner")
    Reaction.objects.bulk_create(Reaction(post=post, user=viewer) for post in liked)
    Post.objects.filter(pk__in=[post.pk for post in liked]).update(like_count=1)
    for topic in [*topics, long]:
        recount_topic(topic)
    for board in boards:
        recount_board(board)
    FORUM.bump()  # written in bulk, without the signals that bump it for each save


def _cases(rng, people, count):
    """Recorded by the hotline, as a fifth of a real estate's cases are."""
    categories = list(Category.objects.all())
    service = User.objects.get(username="service")
    for n in range(count):
        casework.file_case(
            people[n % len(people)],
            kind=rng.choice(["complaint", "suggestion", "enquiry"]),
            category=rng.choice(categories),
            subject=f"{rng.choice(PHRASES)[:14]}",
            description=_text(rng),
            channel=Case.Channel.PHONE,
            recorded_by=service,
        )
