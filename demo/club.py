"""Demo club: the club page, rewards with pictures, members in several tiers with ledgers and
cards (one lost and replaced), a pending application, a referral and redemptions."""

import io
import re
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import Group, Permission
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw
from wagtail.models import GroupPagePermission
from wagtail.rich_text import RichText

from club import cards, membership, points
from club import rewards as reward_rules
from club.models import (
    ClubPage,
    Hobby,
    Member,
    PointsEntry,
    Redemption,
    Referral,
    Reward,
    SurveyField,
    SurveyPage,
    Tier,
)
from home.models import HomePage, SiteImage
from owners.models import User

REWARDS = [
    # name, description, points, stock, colours
    ("金都定制保温杯", "316 不锈钢，刻有金都会标志。", 800, 40, ((14, 90, 74), (64, 150, 120))),
    ("精品茶礼盒", "明前龙井 250 克，配手工茶罐。", 2500, 15, ((120, 84, 30), (210, 170, 90))),
    (
        "物业费抵扣 200.00 元",  # money: two decimals
        "抵扣下一期物业费，服务中心办理。",
        4000,
        100,
        ((40, 60, 110), (90, 120, 190)),
    ),
    ("亲子烘焙课两人券", "周末烘焙课堂，含材料。", 1500, 0, ((160, 70, 60), (230, 150, 120))),
    (
        "周末游艇体验（两人）",
        "西湖游船下午茶，含船上茶点。",
        12000,
        4,
        ((20, 50, 90), (60, 140, 200)),
    ),
]
#: Rewards only some tiers may redeem: the site shows it and refuses the others.
FOR_TIERS = {"周末游艇体验（两人）": "金卡"}
CLUB_BODY = [
    (
        "paragraph",
        RichText(
            "<p>金都会是金都地产为业主设立的会员俱乐部。入会免费，会员凭会员卡参加俱乐部活动、"
            "累积积分兑换礼品和物业费抵扣，并优先获得新楼盘的认购信息。</p>"
        ),
    ),
    ("quote", {"text": "把邻居变成朋友，把小区变成社区。", "attribution": "金都会"}),
    (
        "paragraph",
        RichText(
            "<h3>会员权益</h3><ul><li>全年会员活动：亲子、运动、文化沙龙、节日市集</li>"
            "<li>积分兑换礼品、物业费抵扣</li><li>老带新购房奖励积分</li>"
            "<li>生日礼遇与会员专属优惠</li><li>《金都会》会员杂志</li></ul>"
        ),
    ),
]
RULES = (
    "<ol><li>已通过房产认证的金都业主均可申请入会，每位业主一个会员资格。</li>"
    "<li>会员卡仅限本人使用；遗失请立即在“我的俱乐部”挂失，系统即时补发新卡号。</li>"
    "<li>积分自获得之日起 24 个月内有效，过期自动清零，先到期的积分先使用。</li>"
    "<li>会员等级按近 12 个月获得的积分每日评定。</li>"
    "<li>以不正当方式获取积分的，俱乐部有权扣回积分并暂停会员资格。</li></ol>"
)
MEMBERS = [
    # username, hobbies, birthday, [(kind, points, reason, days ago)]
    (
        "owner",
        ["摄影", "茶艺", "亲子活动"],
        date(1978, 12, 1),
        [
            ("referral", 2000, "赵先生 · 金都·翠湖苑二期", 300),
            ("referral", 2000, "孙女士 · 金都·云栖里", 150),
            ("survey", 50, "2026 业主满意度调查", 40),
            ("referral", 2000, "周先生 · 金都·云栖里", 20),
            ("adjustment", 1200, "社区志愿服务年度奖励", 10),
        ],
    ),
    (
        "zhangwei",
        ["高尔夫", "跑步"],
        date(1985, 3, 18),
        [
            ("referral", 2000, "吴女士 · 金都·翠湖苑二期", 90),
        ],
    ),
    ("liuyang", ["烘焙", "瑜伽"], date(1990, 7, 2), [("survey", 50, "2026 业主满意度调查", 30)]),
]


@transaction.atomic
def build():
    _club_page()
    rewards = _rewards()
    if Member.objects.exists():
        return
    clubstaff = User.objects.get(username="clubstaff")
    now = timezone.now()
    for username, hobbies, birthday, history in MEMBERS:
        user = User.objects.get(username=username)
        application = membership.apply(
            user,
            hobbies=Hobby.objects.filter(name__in=hobbies),
            dates=[
                {"kind": "birthday", "date": birthday},
                {"kind": "move_in", "date": date(2019, 10, 1)},
            ],
            publications=True,
            event_news=True,
            birthday_greeting=True,
        )
        member = membership.approve(application, clubstaff)
        _backdate(member, now - timedelta(days=400))
        for number, (kind, amount, reason, days_ago) in enumerate(history):
            entry, _ = points.post_entry(
                member,
                amount,
                kind=kind,
                key=f"demo:{member.pk}:{number}",
                reason=reason,
                by=clubstaff if kind in ("referral", "adjustment") else None,
            )
            when = now - timedelta(days=days_ago)
            PointsEntry.objects.filter(pk=entry.pk).update(
                created_at=when, expires_at=points.add_months(when, 24) if amount > 0 else None
            )
    owner = Member.objects.get(user__username="owner")
    cards.report_lost(owner)  # the first card was lost; the new number replaces it
    first, _ = reward_rules.redeem(owner, rewards[0], key="demo-redeem-1")
    Redemption.objects.filter(pk=first.pk).update(created_at=now - timedelta(days=30))
    reward_rules.redeem(owner, rewards[1], key="demo-redeem-2")
    zhangwei = Member.objects.get(user__username="zhangwei")
    handed_over, _ = reward_rules.redeem(zhangwei, rewards[0], key="demo-redeem-3")
    reward_rules.fulfil(handed_over, clubstaff)
    Referral.objects.create(
        member=owner, buyer_name="钱女士", buyer_mobile="13700137000", development="金都·云栖里"
    )
    points.recalculate_tiers()
    # One owner is waiting for review.
    chenjing = User.objects.get(username="chenjing")
    membership.apply(
        chenjing,
        hobbies=Hobby.objects.filter(name__in=["书画", "园艺"]),
        dates=[{"kind": "birthday", "date": date(1982, 11, 30)}],
    )


def _backdate(member, when):
    Member.objects.filter(pk=member.pk).update(joined_at=when)
    member.points.update(created_at=when, expires_at=points.add_months(when, 24))


def _club_page():
    if ClubPage.objects.exists():
        return
    home = HomePage.objects.first()
    page = ClubPage(
        title="金都会",
        slug="club",
        show_in_menus=True,
        intro="金都业主的会员俱乐部：活动、积分、礼遇，邻里相聚。",
        title_en="Jindu Club",
        intro_en="The owners' club: events, points, member privileges and good neighbours.",
        hero_image=_picture("金都会活动", ((14, 90, 74), (183, 134, 44))),
        body=CLUB_BODY,
        rules=RULES,
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    survey = SurveyPage(
        title="2026 业主满意度调查",
        slug="survey-2026",
        intro="<p>花两分钟告诉我们您的感受，帮助我们把服务做得更好。</p>",
        thank_you_text="<p>感谢您的宝贵意见！我们会认真阅读每一份答卷。</p>",
    )
    survey.form_fields = [
        SurveyField(
            label="您对物业服务的总体满意度",
            field_type="radio",
            choices="非常满意\n满意\n一般\n不满意",
            required=True,
        ),
        SurveyField(
            label="您最希望俱乐部举办的活动",
            field_type="checkboxes",
            choices="亲子活动\n运动健身\n文化沙龙\n节日市集",
            required=False,
        ),
        SurveyField(label="其他建议", field_type="multiline", required=False),
    ]
    page.add_child(instance=survey)
    survey.save_revision().publish()
    # Club staff run the club's pages: events, surveys and the club page itself.
    club_staff = Group.objects.get(name="Club staff")
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.get_or_create(
            group=club_staff,
            page=page,
            permission=Permission.objects.get(
                codename=codename, content_type__app_label="wagtailcore"
            ),
        )


def _rewards():
    # A database built when the credit's amount had no decimals.
    Reward.objects.filter(name="物业费抵扣 200 元").update(name="物业费抵扣 200.00 元")
    SiteImage.objects.filter(title="物业费抵扣 200 元").update(title="物业费抵扣 200.00 元")
    for name, tier in FOR_TIERS.items():  # also on a database built before tiers were set
        Reward.objects.filter(name=name, min_tier=None).update(min_tier=Tier.objects.get(name=tier))
    if Reward.objects.exists():
        return list(Reward.objects.all())
    tiers = {tier.name: tier for tier in Tier.objects.all()}
    return [
        Reward.objects.create(
            name=name,
            description=text,
            points=cost,
            stock=stock,
            sort_order=order,
            limit_per_member=1 if cost >= 4000 else 2,
            kind="fee_credit" if "物业费" in name else "gift",
            credit=_credit(name),
            min_tier=tiers.get(FOR_TIERS.get(name)),
            image=_picture(name, colours),
        )
        for order, (name, text, cost, stock, colours) in enumerate(REWARDS)
    ]


def _credit(name):
    """What a 物业费抵扣 reward takes off the bill: the amount in its name."""
    if "物业费" not in name:
        return None
    return Decimal(re.search(r"(\d+(?:\.\d+)?)\s*元", name).group(1))


def _picture(title, colours, size=(960, 640)):
    """A soft gradient with rings: a stand-in photograph for the demo."""
    image = SiteImage.objects.filter(title=title).first()
    if image:
        return image
    (r1, g1, b1), (r2, g2, b2) = colours
    width, height = size
    picture = Image.new("RGB", size)
    draw = ImageDraw.Draw(picture)
    for y in range(height):
        t = y / height
        draw.line(
            [(0, y), (width, y)],
            fill=(round(r1 + (r2 - r1) * t), round(g1 + (g2 - g1) * t), round(b1 + (b2 - b1) * t)),
        )
    for radius, alpha in ((260, 40), (180, 60), (100, 90)):
        ring = Image.new("L", size, 0)
        ImageDraw.Draw(ring).ellipse(
            (
                width * 0.62 - radius,
                height * 0.45 - radius,
                width * 0.62 + radius,
                height * 0.45 + radius,
            ),
            outline=alpha,
            width=18,
        )
        picture.paste((255, 255, 255), mask=ring)
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=85)
    return SiteImage.objects.create(title=title, file=ImageFile(buffer, name="club.jpg"))
