"""Demo notices: a water cut for 翠湖苑 3栋 that owners are asked to confirm, and a friendly
reminder to every owner. Of 3栋's owners, 周丽 confirmed, 吴刚 did not answer customer
service's call, and the verified owner has read it and not confirmed yet."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from wagtail.rich_text import RichText

from demo.owners import ensure_user
from home.models import HomePage
from notices import delivery
from notices.models import Call, NoticeIndexPage, NoticePage
from owners.models import Estate, OwnershipClaim, Unit, User


def build():
    home = HomePage.objects.first()
    if home is None or NoticeIndexPage.objects.exists():
        return
    today = timezone.localdate()
    neighbours = [_neighbour(*person) for person in NEIGHBOURS]
    with transaction.atomic():
        index = NoticeIndexPage(title="通知公告", slug="notices", show_in_menus=False)
        home.add_child(instance=index)
        index.save_revision().publish()
        cut = _publish(
            index,
            NoticePage(
                title="翠湖苑 3栋 停水检修通知",
                slug="water-cut-building-3",
                kind=NoticePage.Kind.OUTAGE,
                important=True,
                acknowledge_by=today + timedelta(days=2),
                buildings="3栋",
                body=[
                    (
                        "paragraph",
                        RichText(
                            f"<p>因二次供水设备年度检修，{today + timedelta(days=3):%m月%d日} "
                            "9:00–12:00 3栋全楼停水，请提前储水。检修完成后首次用水请先放水"
                            "一分钟。如有不便，敬请谅解。</p><p>客服热线：400-800-1234</p>"
                        ),
                    )
                ],
            ),
            estates=[Estate.objects.get(name="金都·翠湖苑")],
        )
        _publish(
            index,
            NoticePage(
                title="冬季防火温馨提示",
                slug="winter-fire-safety",
                kind=NoticePage.Kind.TIP,
                body=[
                    (
                        "paragraph",
                        RichText(
                            "<p>冬季取暖用电增多，请勿在楼道内给电动车充电，出门前检查电器"
                            "开关，楼道消防通道请勿堆放杂物。</p>"
                        ),
                    )
                ],
            ),
        )
    # Delivered as publishing would (make run's tasks run in the process); the verified owner
    # has opened the water cut and not confirmed it yet.
    for notice in NoticePage.objects.all():
        delivery.deliver(notice.pk)
    owner = User.objects.get(username="owner")
    receipt = delivery.receipt_for(cut, owner)
    if receipt:
        delivery.mark_read(receipt)
    confirmed, unanswered = neighbours
    delivery.acknowledge(cut, confirmed)
    delivery.record_call(
        delivery.receipt_for(cut, unanswered),
        User.objects.get(username="service"),
        outcome=Call.Outcome.NO_ANSWER,
        note="下午再打一次",
    )


#: 3栋's other owners with an account: username, name, mobile, unit.
NEIGHBOURS = [
    ("zhouli", "周丽", "13600136001", "0602"),
    ("wugang", "吴刚", "13600136002", "1502"),
]


def _neighbour(username, name, mobile, number):
    person = ensure_user(username, f"{username}@jindu.example", name, mobile=mobile)
    unit = Unit.objects.get(estate__name="金都·翠湖苑", building="3栋", number=number)
    OwnershipClaim.objects.get_or_create(
        owner=person,
        unit=unit,
        defaults={"proof": f"HZ-2019-{number}", "status": OwnershipClaim.Status.APPROVED},
    )
    User.objects.filter(pk=person.pk).update(is_verified_owner=True)
    return person


def _publish(parent, page, estates=()):
    page.estates.set(estates)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page
