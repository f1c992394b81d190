"""Demo pages and pictures for `manage.py load_demo`. Pictures are drawn here, never fetched."""

import io
import random

from django.core.files.images import ImageFile
from PIL import Image, ImageDraw, ImageFilter
from wagtail.models import Page, Site
from wagtail.rich_text import RichText

from home.models import HomePage, SiteImage, StandardPage
from portal.address import host_and_port

HOME_BODY = [
    ("heading", "我们的服务"),
    (
        "paragraph",
        RichText(
            "<p>金都客户服务中心为每一位业主提供一站式服务：业主认证、投诉与建议受理、"
            "报修回访、会员俱乐部与社区活动。我们实行<b>首问负责制</b>，第一位接待您的客服专员"
            "会全程跟进，直到问题解决并回访确认。</p>"
        ),
    ),
    (
        "quote",
        {
            "text": "业主的满意，是我们唯一的标准。",
            "attribution": "金都地产客户服务部",
        },
    ),
    ("heading", "如何开始"),
    (
        "paragraph",
        RichText(
            "<ol><li>用邮箱注册账号并完成邮箱验证；</li>"
            "<li>在“我的”页面认证您的房产，客服将在两个工作日内审核；</li>"
            "<li>认证通过后，您的名字旁会显示“认证业主”标识，即可使用全部业主服务。</li></ol>"
        ),
    ),
]

ABOUT_BODY = [
    (
        "paragraph",
        RichText(
            "<p>金都地产客户服务部负责公司开发楼盘的售后服务与客户关系管理，"
            "下设客户服务中心、会员俱乐部“金都会”和法律事务组。</p>"
        ),
    ),
    ("heading", "服务承诺"),
    (
        "paragraph",
        RichText(
            "<ul><li>客服热线 400-800-1234，每天 8:30–20:30 专人接听；</li>"
            "<li>投诉 24 小时内响应，处理完成后回访；</li>"
            "<li>每月编制客户投诉处理报告，持续改进服务质量。</li></ul>"
        ),
    ),
    ("heading", "联系我们"),
    (
        "paragraph",
        RichText("<p>地址：杭州市西湖区文三西路 888 号金都大厦一楼客户服务中心</p>"),
    ),
]


def build():
    home = HomePage.objects.first() or _create_home()
    if home.hero_image_id:
        return  # already built; staff may have edited it since
    hero = _image("翠湖苑湖景", _draw_skyline)
    home.title = "首页"
    home.hero_title = "金都业主服务中心"
    home.hero_text = "房产认证、投诉建议、会员俱乐部，业主所需的服务都在这里。"
    home.hero_title_en = "Jindu Owner Service Centre"
    home.hero_text_en = (
        "Verify your home, raise a concern, join the club: all you need as an owner."
    )
    home.hero_image = hero
    home.body = HOME_BODY
    home.save_revision().publish()

    if not StandardPage.objects.filter(slug="about").exists():
        about = StandardPage(
            title="关于我们",
            slug="about",
            show_in_menus=True,
            intro="金都地产客户服务部：以业主为中心的服务团队。",
            title_en="About us",
            intro_en="Jindu Property's customer service: a team built around owners.",
            body=ABOUT_BODY,
        )
        home.add_child(instance=about)
        about.save_revision().publish()


def _create_home():
    root = Page.get_first_root_node()
    home = root.add_child(
        instance=HomePage(title="首页", slug="home", hero_title="金都业主服务中心")
    )
    hostname, port = host_and_port()  # the public address (portal.address)
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": hostname, "port": port, "root_page": home}
    )
    return home


def _image(title, draw):
    image = SiteImage.objects.filter(title=title).first()
    if image:
        return image
    buffer = io.BytesIO()
    draw().save(buffer, "JPEG", quality=88)
    return SiteImage.objects.create(title=title, file=ImageFile(buffer, name="hero.jpg"))


def _draw_skyline(width=1600, height=700):
    """An evening lake with towers: enough to show the hero without shipping a photo."""
    rng = random.Random(7)
    img = Image.new("RGB", (width, height))
    sky = ImageDraw.Draw(img)
    for y in range(height):
        t = y / height
        sky.line(
            [(0, y), (width, y)],
            fill=(int(24 + 200 * t), int(70 + 110 * t), int(110 + 60 * (1 - t))),
        )
    draw = ImageDraw.Draw(img)
    horizon = int(height * 0.68)
    x = 0
    while x < width:
        w = rng.randint(70, 150)
        h = rng.randint(180, 380)
        shade = rng.randint(20, 45)
        draw.rectangle([x, horizon - h, x + w, horizon], fill=(shade, shade + 25, shade + 30))
        for wy in range(horizon - h + 16, horizon - 10, 22):
            for wx in range(x + 10, x + w - 10, 18):
                if rng.random() < 0.45:
                    draw.rectangle([wx, wy, wx + 7, wy + 10], fill=(250, 214, 140))
        x += w + rng.randint(8, 40)
    draw.rectangle([0, horizon, width, height], fill=(18, 72, 78))
    reflection = img.crop((0, horizon - (height - horizon), width, horizon)).transpose(
        Image.Transpose.FLIP_TOP_BOTTOM
    )
    reflection = reflection.filter(ImageFilter.GaussianBlur(6))
    img.paste(
        Image.blend(reflection, Image.new("RGB", reflection.size, (18, 72, 78)), 0.55), (0, horizon)
    )
    return img
