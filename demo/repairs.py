"""Demo repairs: the departments and contractors (工程部 with its technician 周建华), repair
categories with their warranty, the price list, materials, the units' handover dates, and
requests in every state: the verified owner's drain booked for tomorrow evening and the lift
just reported, a door lock fixed and rated, sockets fixed and waiting for the follow-up call, a
leak the builder owes under warranty, and a gate pass for today, approved, for the gate guard
李卫 to scan."""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from cases import casework
from cases.models import Case, Category
from demo import cases as demo_cases
from demo.owners import ensure_user
from owners.models import Estate, OwnershipClaim, Unit, User
from portal.hours import Calendar
from repairs import requests, services, workorders
from repairs.models import (
    Material,
    PriceItem,
    RepairCategory,
    RepairRequest,
    SpecialService,
    Team,
    WorkOrder,
)

TEAMS = [
    ("工程部", Team.Kind.DEPARTMENT, "周工", "0571-8888 6601"),
    ("物业服务中心", Team.Kind.DEPARTMENT, "吴主管", "0571-8888 6602"),
    ("杭州迅达电梯维保", Team.Kind.CONTRACTOR, "郑经理", "0571-8765 4321"),
    ("金都建设（保修）", Team.Kind.CONTRACTOR, "冯工", "0571-8123 4567"),
]
#: name, examples, team, arrive within, complete within, warranty months (statutory defaults).
CATEGORIES = [
    ("给排水", "漏水、堵塞、水压低", "工程部", 4, 24, 24),
    ("电气", "跳闸、插座、灯具", "工程部", 4, 24, 24),
    ("防水", "渗水、墙面返潮", "金都建设（保修）", 24, 168, 60),
    ("门窗", "门锁、合页、窗户密封", "工程部", 24, 72, 24),
    ("墙面地面", "开裂、空鼓、瓷砖脱落", "金都建设（保修）", 48, 168, 24),
    ("电梯", "异响、停运、按钮失灵", "杭州迅达电梯维保", 1, 8, 0),
]
PRICES = [
    ("给排水", "疏通地漏或下水管", "次", "80.00", ""),
    ("给排水", "更换水龙头", "个", "50.00", "不含材料"),
    ("电气", "更换插座或开关", "个", "30.00", "不含材料"),
    ("电气", "排查线路故障", "次", "100.00", ""),
    ("门窗", "更换门锁锁芯", "个", "60.00", "不含材料"),
    ("门窗", "调整门窗合页", "樘", "40.00", ""),
]
MATERIALS = [
    ("水龙头", "个", "68.00"),
    ("地漏", "个", "35.00"),
    ("五孔插座", "个", "18.00"),
    ("锁芯（C级）", "个", "120.00"),
    ("玻璃胶", "支", "25.00"),
]
#: The technician (我的 → 我的工单) and the gate guard (a pass's QR code) sign in on the site.
LOGINS = [
    ("Technician (工程部)", "technician@jindu.example or 13700006601"),
    ("Gate guard (门岗)", "guard@jindu.example or 13700006602"),
]
#: 交房: 翠湖苑 is past its warranties (home repairs are paid); 云栖府 is within its five years
#: for waterproofing.
HANDOVERS = {"金都·翠湖苑": date(2019, 6, 28), "金都·云栖府": date(2023, 9, 26)}


def build():
    if RepairCategory.objects.exists():
        return
    with transaction.atomic():
        teams = {}
        for order, (name, kind, contact, phone) in enumerate(TEAMS):
            teams[name] = Team.objects.create(
                name=name, kind=kind, contact_name=contact, phone=phone, sort_order=order
            )
        technician = ensure_user(
            "technician",
            "technician@jindu.example",
            "周建华",
            group="Technicians",
            mobile="13700006601",
        )
        teams["工程部"].members.add(technician)
        ensure_user(
            "guard", "guard@jindu.example", "李卫", group="Gate guards", mobile="13700006602"
        )
        repairs = Category.objects.get(name="维修报修")
        categories = {}
        for order, (name, examples, team, arrive, finish, months) in enumerate(CATEGORIES):
            categories[name] = RepairCategory.objects.create(
                name=name,
                help_text=examples,
                team=teams[team],
                case_category=repairs,
                arrival_hours=arrive,
                completion_hours=finish,
                warranty_months=months,
                sort_order=order,
            )
        for order, (category, name, unit, price, note) in enumerate(PRICES):
            PriceItem.objects.create(
                category=categories[category],
                name=name,
                unit=unit,
                price=Decimal(price),
                note=note,
                sort_order=order,
            )
        for name, unit, price in MATERIALS:
            Material.objects.create(name=name, unit=unit, unit_price=Decimal(price))
        for estate, day in HANDOVERS.items():
            Unit.objects.filter(estate__name=estate).update(handed_over_on=day)
        for case, days in [*_requests(categories), *_work_done(categories), _gate_pass()]:
            # Filed on past mornings, steps within the desk's hours, like the demo's cases.
            demo_cases.backdate(case, days, Calendar())
            _align_work(case)
        demo_cases.renumber()


def _requests(categories):
    owner = User.objects.get(username="owner")
    home = requests.homes(owner).first().unit
    tomorrow = timezone.localdate() + timedelta(days=1)
    drain = categories["给排水"]
    first = requests.report_repair(
        owner,
        category=drain,
        place=RepairRequest.Place.HOME,
        unit=home,
        description="卫生间地漏下水很慢，已经积水两天。",
        slots=[(tomorrow, "evening"), (tomorrow + timedelta(days=1), "morning")],
        price_item=drain.prices.get(name="疏通地漏或下水管"),
        accept_price=True,
    )
    _earlier(first.case, hours=3)  # this morning: and the owner's next request is not a flood
    workorders.dispatch(
        first.case,
        User.objects.get(username="service"),
        team=drain.team,
        technician=User.objects.get(username="technician"),
        day=tomorrow,
        window="evening",
    )
    second = requests.report_repair(
        owner,
        category=categories["电梯"],
        place=RepairRequest.Place.COMMON,
        estate=Estate.objects.get(name="金都·翠湖苑"),
        common_area=RepairRequest.CommonArea.LIFT,
        description="3栋 2 号电梯运行时有明显异响，下行到 5 楼附近尤其明显。",
        slots=[(tomorrow, "morning")],
    )
    _earlier(second.case, hours=2)
    return [(first.case, 2), (second.case, 1)]


def _work_done(categories):
    """A request in each later state: closed with the owner's five stars (张伟's door lock), done
    and waiting for the follow-up call (刘洋's sockets, with materials), and a leak at 赵敏's in
    云栖府, under the builder's five-year waterproofing warranty, with 金都建设（保修）: an open
    warranty claim."""
    service = User.objects.get(username="service")
    technician = User.objects.get(username="technician")
    today = timezone.localdate()
    found = []
    for username, category, text, price, days in [
        ("zhangwei", "门窗", "入户门锁芯转不动，钥匙经常卡住。", "更换门锁锁芯", 6),
        ("liuyang", "电气", "客厅两个插座没电，空开没有跳。", "更换插座或开关", 3),
    ]:
        owner = User.objects.get(username=username)
        repair = requests.report_repair(
            owner,
            category=categories[category],
            place=RepairRequest.Place.HOME,
            unit=requests.homes(owner).first().unit,
            description=text,
            slots=[(today, "afternoon")],
            price_item=categories[category].prices.get(name=price),
            accept_price=True,
        )
        order = workorders.dispatch(
            repair.case,
            service,
            team=categories[category].team,
            technician=technician,
            day=today,
            window="afternoon",
        )
        workorders.arrive(order, technician)
        material = Material.objects.get(name="锁芯（C级）" if category == "门窗" else "五孔插座")
        workorders.finish(
            order,
            technician,
            notes="已更换并试用正常。",
            materials=[(material, 1 if category == "门窗" else 2)],
            amount=repair.accepted_price + material.unit_price * (1 if category == "门窗" else 2),
        )
        case = Case.objects.get(pk=repair.case_id)
        casework.confirm_resolved(case, owner)
        if category == "门窗":
            casework.rate(Case.objects.get(pk=case.pk), owner, 5, "师傅很专业，十分钟就换好了。")
        found.append((case, days))
    owner = ensure_user(
        "zhaomin", "zhaomin@jindu.example", "赵敏", mobile="13600136003", nickname="云栖小赵"
    )
    yunqi = Estate.objects.get(name="金都·云栖府")
    OwnershipClaim.objects.get_or_create(
        owner=owner,
        unit=Unit.objects.get(estate=yunqi, building="2栋", number="0301"),
        defaults={"proof": "HZ-2023-0301", "status": OwnershipClaim.Status.APPROVED},
    )
    User.objects.filter(pk=owner.pk).update(is_verified_owner=True)
    leak = requests.report_repair(
        owner,
        category=categories["防水"],
        place=RepairRequest.Place.HOME,
        unit=requests.homes(owner).first().unit,
        description="卫生间墙角返潮，楼下邻居天花板有水渍。",
        slots=[(today + timedelta(days=2), "morning")],
    )
    workorders.dispatch(
        leak.case,
        service,
        team=categories["防水"].team,
        day=today + timedelta(days=2),
        window="morning",
    )
    found.append((leak.case, 1))
    return found


def _align_work(case):
    """The work order's times follow its case's steps once the demo has moved them back: the
    technician arrived when the case went in progress and was done when it was resolved."""
    steps = dict(
        case.events.filter(kind="status").order_by("created_at").values_list("status", "created_at")
    )
    order = WorkOrder.objects.filter(case=case, state=WorkOrder.State.DONE).first()
    if order is None:
        return
    done = steps.get(Case.Status.RESOLVED)
    arrived = steps.get(Case.Status.IN_PROGRESS, done)
    day = timezone.localdate(arrived)
    window = next(
        (
            w
            for w, end in RepairRequest.WINDOW_ENDS.items()
            if timezone.localtime(arrived).time() <= end
        ),
        "evening",
    )
    WorkOrder.objects.filter(pk=order.pk).update(
        day=day, window=window, arrived_at=arrived, done_at=done
    )
    RepairRequest.objects.filter(case=case).update(
        slots=[{"date": day.isoformat(), "window": window}]
    )


def _gate_pass():
    """The owner moves a sofa and boxes out today: approved yesterday, the pass on the case."""
    owner = User.objects.get(username="owner")
    service = services.request_service(
        owner,
        type=SpecialService.Type.RELEASE,
        unit=requests.homes(owner).first().unit,
        day=timezone.localdate(),
        items="三人沙发 1 张\n纸箱 12 个\n儿童自行车 1 辆",
        plate="浙A3K729",
        description="搬去云栖府新家，上午十点左右出门。",
    )
    _earlier(service.case, hours=6)
    services.decide(service, User.objects.get(username="service"), approve=True, note="请走南门")
    return Case.objects.get(pk=service.case_id), 1


def _earlier(case, hours):
    when = case.created_at - timedelta(hours=hours)
    case.events.update(created_at=when)
    type(case).objects.filter(pk=case.pk).update(created_at=when)
