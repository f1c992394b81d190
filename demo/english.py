"""The demo's words for English readers, by the Chinese title they translate: what staff would
write in each page's "For English readers" fields."""

from wagtail.rich_text import RichText

ESTATES = {
    "金都·翠湖苑": "Jindu Cuihu Garden",
    "金都·云栖府": "Jindu Yunqi Residence",
    "金都·云栖里": "Jindu Yunqi Lane",
    "金都·翠湖苑二期": "Jindu Cuihu Garden, Phase II",
}
CITIES = {"杭州": "Hangzhou", "宁波": "Ningbo"}
DISTRICTS = {"余杭区": "Yuhang District", "西湖区": "Xihu District", "鄞州区": "Yinzhou District"}
LISTING_STATUS = {"on_sale": "On sale.", "upcoming": "Opening soon.", "sold_out": "Sold out."}

NEWS = {
    "关于地下停车场收费调整的通知": (
        "New charges for short stays in the underground car park",
        "From next month short-stay parking costs more; monthly spaces keep their price.",
    ),
    "关于物业费调整的通知": (
        "Property management fee to change",
        "After the owners' assembly voted, the management fee changes from January.",
    ),
    "云栖府二期 12 号楼主体结构封顶": (
        "Yunqi Residence Phase II: building 12 tops out",
        "Building 12's structure is complete; work on its facade begins.",
    ),
    "云栖府二期园林景观施工启动": (
        "Yunqi Residence Phase II: landscaping begins",
        "Work on the central gardens has started and should finish next spring.",
    ),
    "翠湖苑电梯更新改造完成": (
        "Cuihu Garden's lifts renewed",
        "The lifts of buildings 1–6 have been replaced and passed inspection.",
    ),
    "云栖府二期样板间开放": (
        "Yunqi Residence Phase II: show flats open",
        "The three- and four-bedroom show flats are open to visitors from today.",
    ),
    "翠湖苑新增电动车充电桩": (
        "More chargers for electric cars at Cuihu Garden",
        "40 charging spaces added in the open-air car park.",
    ),
    "云栖府二期地下室结构完成": (
        "Yunqi Residence Phase II: basement complete",
        "Both basement levels are structurally complete.",
    ),
    "翠湖苑垃圾分类升级": (
        "Better recycling at Cuihu Garden",
        "New smart recycling stations; points earned there buy everyday goods.",
    ),
    "云栖府二期取得预售许可证": (
        "Yunqi Residence Phase II licensed for pre-sale",
        "Phase II has received its pre-sale licence.",
    ),
    "翠湖苑夏季消杀安排": (
        "Summer pest control at Cuihu Garden",
        "Mosquito control takes place every Wednesday morning through the summer.",
    ),
    "云栖府二期项目开工": (
        "Yunqi Residence Phase II: building begins",
        "Construction of Jindu Yunqi Residence Phase II has officially begun.",
    ),
}

EVENTS = {
    "新春团拜会": (
        "Spring Festival gathering",
        "Write couplets, make dumplings and welcome the new year with the neighbours.",
    ),
    "春季亲子植树": (
        "Spring tree planting for families",
        "Plant new trees in the woodland our estates adopted.",
    ),
    "业主羽毛球联赛": ("Owners' badminton league", "Doubles; everyone is welcome to enter."),
    "端午香囊手作": (
        "Making Dragon Boat Festival sachets",
        "A heritage craftswoman shows you how, step by step.",
    ),
    "夏夜露天电影": (
        "Open-air summer film night",
        "Bring a picnic blanket and watch a film together.",
    ),
    "中秋游园会": (
        "Mid-Autumn garden party",
        "Lantern riddles, moon viewing and mooncakes.",
    ),
    "秋季徒步：九溪十八涧": (
        "Autumn walk: Nine Creeks",
        "About 8 km, suitable for families.",
    ),
    "茶艺沙龙：品龙井": (
        "Tea salon: Longjing",
        "A tea master shows how to brew this spring's Longjing.",
    ),
    "亲子烘焙课": (
        "Baking class for parents and children",
        "Build a Christmas gingerbread house with your children.",
    ),
    "跨年音乐会": (
        "New Year's Eve concert",
        "A members-only performance: show your member card at the door.",
    ),
    "新春团拜会（2027）": (
        "Spring Festival gathering 2027",
        "See out the old year and welcome the new one with the neighbours.",
    ),
}
PLACES = {
    "金都·翠湖苑 会所宴会厅": "Cuihu Garden clubhouse, banquet hall",
    "西溪湿地东门": "Xixi Wetland, east gate",
    "金都·云栖府 体育馆": "Yunqi Residence sports hall",
    "金都·翠湖苑 会所多功能厅": "Cuihu Garden clubhouse, function room",
    "金都·翠湖苑 中心草坪": "Cuihu Garden, central lawn",
    "金都·翠湖苑 中心花园": "Cuihu Garden, central garden",
    "九溪公交站集合": "Meet at the Jiuxi bus stop",
    "金都·翠湖苑 会所茶室": "Cuihu Garden clubhouse, tea room",
    "金都·云栖府 会所烘焙教室": "Yunqi Residence clubhouse, baking room",
    "杭州大剧院（包场）": "Hangzhou Grand Theatre (reserved for the club)",
}

ISSUES = {
    1: (
        "Spring · Neighbours",
        "Spring tree planting, new friends in the community garden, and an owner's thirty years "
        "of tea.",
    ),
    2: (
        "Summer · Home",
        "Summer film nights, a family guide to floods, and handing over Yunqi Residence Phase II.",
    ),
    3: (
        "Autumn · Together",
        "The Mid-Autumn garden party, autumn walks, and what owners said of our service.",
    ),
}


def paragraph(text):
    return [("paragraph", RichText(f"<p>{text}</p>"))]


def news(page):
    title, summary = NEWS[page.title]
    page.title_en, page.summary_en = title, summary
    page.body_en = paragraph(f"{summary} Ask the customer service centre for details.")


def event(page):
    title, summary = EVENTS[page.title]
    page.title_en, page.summary_en = title, summary
    page.place_en = PLACES.get(page.place, "")
    page.body_en = paragraph(f"{summary} Places are limited: sign up early.")


def issue(page, number):
    theme, summary = ISSUES[number]
    page.title_en = f"Jindu Magazine No. {number} · {theme}"
    page.summary_en = summary


def listing(page):
    city = CITIES[page.city]
    district = DISTRICTS.get(page.district, "")
    page.title_en = ESTATES[page.title]
    page.summary_en = f"{district}, {city}. {LISTING_STATUS[page.status]}"
    page.body_en = paragraph(
        f"{page.title_en} is in {district}, {city}, with good transport links and shops, "
        "schools and parks close by."
    )
