"""Demo cases in every status, with timelines and ratings, for `manage.py load_demo`."""

import io
from datetime import date, datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageDraw

from cases import casework
from cases.models import Case, Category, ReferenceCounter
from owners.models import User
from portal.hours import Calendar
from portal.models import Closure, Notification, ServiceHours

# owner, kind, category, subject, description, days ago, what happened next
CASES = [
    (
        "owner",
        "complaint",
        "维修报修",
        "卫生间天花板渗水",
        "楼上卫生间漏水，已渗到我家天花板，墙皮起泡。",
        40,
        "closed:5",
    ),
    (
        "zhangwei",
        "complaint",
        "收费与账单",
        "停车费多扣了一个月",
        "11 月停车费被扣了两次，请核对退款。",
        30,
        "closed:4",
    ),
    (
        "liuyang",
        "suggestion",
        "环境与绿化",
        "中心花园增加儿童设施",
        "建议增加秋千和沙池。",
        21,
        "followed",
    ),
    (
        "chenjing",
        "complaint",
        "安全与安保",
        "5 栋单元门禁无法关闭",
        "门禁一直开着，陌生人可以随意进出。",
        12,
        "resolved",
    ),
    (
        "owner",
        "enquiry",
        "销售与合同",
        "车位能否办理产权证",
        "购买的车位什么时候可以办证？",
        9,
        "in_progress",
    ),
    (
        "zhangwei",
        "opinion",
        "物业服务",
        "保安巡逻频次偏低",
        "晚上 10 点后很少见到保安巡逻。",
        6,
        "accepted",
    ),
    (
        "chenjing",
        "legal",
        "销售与合同",
        "认购书条款咨询",
        "认购书里的违约金条款是否合理？",
        4,
        "reopened",
    ),
    (
        "liuyang",
        "praise",
        "物业服务",
        "表扬 3 栋保洁阿姨",
        "保洁阿姨每天把楼道打扫得很干净。",
        3,
        "closed:5",
    ),
    (
        "owner",
        "complaint",
        "维修报修",
        "电梯按钮失灵",
        "3 栋 2 号电梯 12 楼按钮按了没反应。",
        1,
        "new",
    ),
    ("zhangwei", "complaint", "环境与绿化", "垃圾清运不及时", "1 栋楼下垃圾两天没清运。", 0, "new"),
]
REPLIES = {
    "维修报修": "已派工程部维修师傅上门查看，预计今天下午到达。",
    "收费与账单": "已核实重复扣费，退款将在 3 个工作日内原路退回。",
    "环境与绿化": "已转园林组评估，会在下次业主大会讨论。",
    "安全与安保": "已联系门禁厂家，明天上午更换控制器。",
    "销售与合同": "已转法务组，法务同事将在两个工作日内答复。",
    "物业服务": "感谢反馈，已转物业服务中心。",
}


def build():
    if Case.objects.exists():
        return
    people = {u.username: u for u in User.objects.all()}
    agent = people["service"]
    calendar = Calendar()  # the desk's hours, read once for every case's deadlines
    with transaction.atomic():
        for username, kind, category_name, subject, text, days, outcome in CASES:
            category = Category.objects.get(name=category_name)
            case = casework.file_case(
                people[username],
                kind=kind,
                category=category,
                subject=subject,
                description=text,
                files=[_stain()] if subject == "卫生间天花板渗水" else [],
            )
            if outcome != "new":
                casework.accept(case, agent)
                casework.reply(case, agent, REPLIES[category_name])
            if outcome in ("in_progress", "resolved", "followed", "reopened") or outcome.startswith(
                "closed"
            ):
                casework.set_status(case, agent, "in_progress")
            if outcome in ("resolved", "followed", "reopened") or outcome.startswith("closed"):
                casework.set_status(case, agent, "resolved", "已处理完毕，请确认。")
            if outcome == "reopened":
                casework.reopen(case, people[username], "问题还没有完全解决。")
            if outcome == "followed":
                casework.record_follow_up(
                    case, agent, score=4, method="电话回访", remarks="业主表示满意"
                )
            if outcome.startswith("closed"):
                casework.rate(
                    case, people[username], int(outcome.split(":")[1]), "处理及时，态度很好"
                )
            backdate(case, days, calendar)
        renumber()
        _close_for_the_spring_festival()


#: The time between one step of a demo case and the next.
STEP = timedelta(minutes=75)


def _stain():
    """The owner's photo of the damp ceiling: a pale ceiling with a brown water mark."""
    picture = Image.new("RGB", (1200, 900), (236, 232, 222))
    draw = ImageDraw.Draw(picture)
    for n, colour in enumerate([(205, 190, 160), (180, 155, 115), (150, 120, 80)]):
        draw.ellipse((420 + 40 * n, 280 + 30 * n, 860 - 40 * n, 620 - 30 * n), fill=colour)
    draw.line((0, 120, 1200, 140), fill=(210, 206, 196), width=6)  # the ceiling's seam
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=85)
    return SimpleUploadedFile("天花板.jpg", out.getvalue(), content_type="image/jpeg")


def backdate(case, days, calendar):
    """Spread the demo over past weeks: move the case and its timeline back to 08:45 `days`
    ago, its steps 75 minutes apart, so the desk answers within its service hours. A case of
    today keeps its time."""
    case = Case.objects.select_related("category").get(pk=case.pk)  # as its steps left it
    if days:
        day = timezone.localdate() - timedelta(days=days)
        filed = timezone.make_aware(datetime.combine(day, time(8, 45)))
    else:
        filed = timezone.now() - timedelta(hours=2)
    events = list(case.events.order_by("pk"))
    when = {event.pk: filed + STEP * n for n, event in enumerate(events)}
    for event in events:
        case.events.filter(pk=event.pk).update(created_at=when[event.pk])
    # The owner's notifications of the case move with the steps that caused them.
    for note in Notification.objects.filter(url=case.get_absolute_url()):
        moved = [when[e.pk] for e in events if e.created_at <= note.created_at]
        if moved:
            Notification.objects.filter(pk=note.pk).update(
                created_at=moved[-1], emailed_at=moved[-1]
            )
    resolved = [when[e.pk] for e in events if e.status == Case.Status.RESOLVED]
    changes = {
        "created_at": filed,
        "first_response_due": calendar.due(filed, case.category.first_response_hours),
        "resolution_due": calendar.due(filed, case.category.resolution_hours),
        # Accepting is the step after filing; closing, the last.
        "first_responded_at": case.first_responded_at and when[events[1].pk],
        "resolved_at": case.resolved_at and resolved[-1],
        "closed_at": case.closed_at and when[events[-1].pk],
    }
    Case.objects.filter(pk=case.pk).update(**changes)


def renumber():
    """References carry the month each case was filed in, numbered in order of filing."""
    cases = list(
        Case.objects.order_by("created_at", "pk").values_list("pk", "created_at", "reference")
    )
    # The notifications that name each case and link to it, found before any changes.
    notes = {
        pk: list(Notification.objects.filter(url=reverse("cases:detail", args=[reference])))
        for pk, _filed, reference in cases
    }
    for pk, _filed, _reference in cases:  # out of the way first: references are unique
        Case.objects.filter(pk=pk).update(reference=f"renumbering-{pk}")
    ReferenceCounter.objects.all().delete()
    for pk, filed, old in cases:
        new = casework.next_reference(filed)
        Case.objects.filter(pk=pk).update(reference=new)
        for note in notes[pk]:
            note.url, note.text = reverse("cases:detail", args=[new]), note.text.replace(old, new)
            note.save(update_fields=["url", "text"])


def _close_for_the_spring_festival():
    """The desk's closed days: New Year's Eve to the second day of the Spring Festival 2027."""
    hours = ServiceHours.load()
    if not hours.closures.exists():
        Closure.objects.create(
            hours=hours,
            name="春节（除夕至初二）",
            first_day=date(2027, 2, 5),
            last_day=date(2027, 2, 7),
        )
