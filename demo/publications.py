"""Demo publications: three magazine issues with drawn covers and small PDF editions, three
listings with galleries, and a dozen news items across two estates. Pictures and PDFs are
drawn here, never fetched."""

import io
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from PIL import Image, ImageDraw
from wagtail.documents.models import Document
from wagtail.rich_text import RichText

from club.cards import font
from demo import english
from home.models import HomePage, SiteImage
from owners.models import Estate
from publications.models import (
    ListingGalleryImage,
    ListingIndexPage,
    ListingPage,
    MagazineIndexPage,
    MagazineIssuePage,
    NewsIndexPage,
    NewsPage,
    UnitType,
)

ISSUES = [
    (
        1,
        date(2026, 3, 1),
        "春·邻里",
        (14, 90, 74),
        ["春季植树活动回顾", "社区花园的新朋友", "业主故事：茶香三十年"],
    ),
    (
        2,
        date(2026, 6, 1),
        "夏·家园",
        (40, 60, 110),
        ["夏夜电影节", "家庭防汛指南", "云栖府二期交付纪实"],
    ),
    (
        3,
        date(2026, 9, 1),
        "秋·团圆",
        (138, 90, 30),
        ["中秋游园会", "秋季徒步路线推荐", "物业服务满意度调查结果"],
    ),
]
LISTINGS = [
    (
        "金都·云栖府",
        "杭州",
        "余杭区",
        "良睦路 166 号",
        "on_sale",
        42000,
        56000,
        (40, 90, 140),
        [("三室两厅两卫", "118.50", 520), ("四室两厅两卫", "143.80", 680)],
    ),
    (
        "金都·翠湖苑二期",
        "杭州",
        "西湖区",
        "文三西路 888 号",
        "upcoming",
        38000,
        45000,
        (14, 90, 74),
        [("两室两厅一卫", "89.50", 350), ("三室两厅两卫", "125.60", 520)],
    ),
    (
        "金都·云栖里",
        "宁波",
        "鄞州区",
        "天童南路 666 号",
        "sold_out",
        26000,
        32000,
        (120, 80, 40),
        [("三室两厅两卫", "108.20", 300)],
    ),
]
NEWS = [
    # title, days ago, estate name, construction?, tags, summary
    (
        "关于地下停车场收费调整的通知",
        3,
        "金都·翠湖苑",
        False,
        ["物业", "停车"],
        "自下月起，地下停车场临时停车收费标准调整，月租车位价格不变。",
    ),
    (
        "关于物业费调整的通知",
        10,
        "金都·翠湖苑",
        False,
        ["物业"],
        "经业主大会表决，物业服务费自明年一月起调整。",
    ),
    (
        "云栖府二期 12 号楼主体结构封顶",
        14,
        "金都·云栖府",
        True,
        ["工程进度"],
        "12 号楼主体结构顺利封顶，进入外立面施工阶段。",
    ),
    (
        "云栖府二期园林景观施工启动",
        30,
        "金都·云栖府",
        True,
        ["工程进度"],
        "中心景观带开始施工，预计明年春季完成。",
    ),
    (
        "翠湖苑电梯更新改造完成",
        45,
        "金都·翠湖苑",
        False,
        ["物业", "设施"],
        "1–6 栋电梯更新改造全部完成并通过验收。",
    ),
    (
        "云栖府二期样板间开放",
        60,
        "金都·云栖府",
        False,
        ["销售"],
        "三室、四室样板间即日起开放参观。",
    ),
    (
        "翠湖苑新增电动车充电桩",
        75,
        "金都·翠湖苑",
        False,
        ["设施", "停车"],
        "地面停车区新增 40 个充电车位。",
    ),
    ("云栖府二期地下室结构完成", 90, "金都·云栖府", True, ["工程进度"], "地下两层结构施工完成。"),
    (
        "翠湖苑垃圾分类升级",
        110,
        "金都·翠湖苑",
        False,
        ["物业"],
        "新增智能分类回收站，积分可兑换生活用品。",
    ),
    (
        "云栖府二期取得预售许可证",
        130,
        "金都·云栖府",
        False,
        ["销售"],
        "云栖府二期取得商品房预售许可证。",
    ),
    ("翠湖苑夏季消杀安排", 150, "金都·翠湖苑", False, ["物业"], "夏季蚊虫消杀将于每周三上午进行。"),
    ("云栖府二期项目开工", 300, "金都·云栖府", True, ["工程进度"], "金都·云栖府二期正式开工建设。"),
]


@transaction.atomic
def build():
    home = HomePage.objects.first()
    if home is None or MagazineIndexPage.objects.exists():
        return
    _magazine(home)
    _listings(home)
    _news(home)


def _publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _picture(title, colour, text="", size=(960, 640)):
    image = SiteImage.objects.filter(title=title).first()
    if image:
        return image
    picture = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(picture)
    width, height = size
    light = tuple(min(255, c + 70) for c in colour)
    for n in range(6):  # towers against the sky
        left = 60 + n * width // 7
        top = height // 3 + (n * 53) % (height // 3)
        draw.rectangle((left, top, left + width // 10, height), fill=light)
    if text:
        draw.text((48, 48), text, font=font(size[0] // 12, bold=True), fill=(255, 255, 255))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=85)
    return SiteImage.objects.create(title=title, file=ImageFile(buffer, name="demo.jpg"))


def _pdf(title, cover, articles):
    """The issue as a PDF: its cover, then a contents page with its articles."""
    document = Document.objects.filter(title=title).first()
    if document:
        return document
    with cover.open_file() as stored:
        front = Image.open(stored).convert("RGB").resize((595, 842))
    contents = Image.new("RGB", (595, 842), (255, 255, 255))
    draw = ImageDraw.Draw(contents)
    draw.text((56, 64), title, font=font(26, bold=True), fill=(20, 40, 34))
    draw.text((56, 124), "本期目录", font=font(20, bold=True), fill=(14, 90, 74))
    for n, name in enumerate(articles):
        draw.text((56, 172 + n * 44), f"{n + 1}. {name}", font=font(20), fill=(40, 40, 40))
    draw.text((56, 780), "金都会编辑部 · 会员季刊", font=font(14), fill=(120, 120, 120))
    buffer = io.BytesIO()
    front.save(buffer, "PDF", resolution=72, save_all=True, append_images=[contents])
    return Document.objects.create(
        title=title, file=ContentFile(buffer.getvalue(), name="issue.pdf")
    )


def _magazine(home):
    index = _publish(
        home,
        MagazineIndexPage(
            title="金都会杂志",
            show_in_menus=True,
            slug="magazine",
            intro="俱乐部季刊：邻里故事、活动回顾与生活指南。",
            title_en="Jindu Magazine",
            intro_en="The club's quarterly: neighbours' stories, events and living guides.",
        ),
    )
    for number, when, theme, colour, articles in ISSUES:
        title = f"《金都会》第 {number} 期 · {theme}"
        cover = _picture(title, colour, text=f"金都会\n{theme}", size=(600, 800))
        issue = MagazineIssuePage(
            title=title,
            slug=f"issue-{number}",
            issue_number=number,
            issue_date=when,
            cover=cover,
            pdf=_pdf(title, cover, articles),
            summary=f"本期主题「{theme}」：{'、'.join(articles)}。",
            articles=[
                (
                    "article",
                    {
                        "title": name,
                        "author": "金都会编辑部",
                        "summary": "",
                        "body": [
                            (
                                "paragraph",
                                RichText(
                                    f"<p>{name}。这是本期杂志的正文示例，会员登录后可阅读全文。</p>"
                                ),
                            )
                        ],
                    },
                )
                for name in articles
            ],
        )
        english.issue(issue, number)
        _publish(index, issue)


def _listings(home):
    index = _publish(
        home,
        ListingIndexPage(
            title="楼盘信息",
            slug="listings",
            show_in_menus=True,
            intro="金都在售与即将开盘的项目。",
            title_en="Listings",
            intro_en="Jindu developments on sale and opening soon.",
        ),
    )
    for name, city, district, address, status, low, high, colour, units in LISTINGS:
        estate = Estate.objects.filter(name=name).first()
        listing = ListingPage(
            title=name,
            slug=f"listing-{len(index.get_children()) + 1}",
            city=city,
            district=district,
            address=address,
            status=status,
            price_min=low,
            price_max=high,
            hotline="400-800-1234",
            estate=estate,
            lead_image=_picture(f"{name} 效果图", colour, text=name),
            summary=f"{city}{district}，{'在售' if status == 'on_sale' else '敬请期待' if status == 'upcoming' else '已售罄'}。",
            body=[
                (
                    "paragraph",
                    RichText(f"<p>{name}位于{city}{district}{address}，交通便利，配套成熟。</p>"),
                )
            ],
        )
        english.listing(listing)
        listing.unit_types = [
            UnitType(layout=layout, area=Decimal(area), price=price)
            for layout, area, price in units
        ]
        listing.gallery = [
            ListingGalleryImage(
                image=_picture(f"{name} 实景 {n}", tuple((c + 25 * n) % 256 for c in colour)),
                caption=caption,
            )
            for n, caption in enumerate(["小区入口", "中心景观", "样板间客厅"], start=1)
        ]
        _publish(index, listing)


def _news(home):
    index = _publish(
        home,
        NewsIndexPage(
            title="项目新闻",
            slug="news",
            show_in_menus=True,
            intro="金都各项目的最新动态。",
            title_en="News",
            intro_en="The latest from every Jindu development.",
        ),
    )
    today = date.today()
    for title, days, estate_name, construction, tags, summary in NEWS:
        estate = Estate.objects.filter(name=estate_name).first()
        item = NewsPage(
            title=title,
            slug=f"news-{len(index.get_children()) + 1}",
            date=today - timedelta(days=days),
            estate=estate,
            is_construction_update=construction,
            summary=summary,
            body=[("paragraph", RichText(f"<p>{summary}详情请咨询客户服务中心。</p>"))],
        )
        english.news(item)
        item.tags.add(*tags)
        _publish(index, item)
