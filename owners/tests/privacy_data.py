"""An owner with something in every part of the site, made the way the site makes it, and a
neighbour whose data must never show up in the owner's export."""

import io
from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from wagtail.models import Page

from cases import casework
from cases.models import Category
from club import membership, referrals, rewards
from club.models import ClubPage, Hobby, Reward, SurveyAnswer, SurveyField, SurveyPage
from conftest import make_user
from events import signup
from events.models import EventIndexPage, EventPage
from forum import posting
from forum.models import Board
from owners.models import OwnershipClaim, Unit
from portal.tests.samples import pdf_bytes


def jpeg(name="photo.jpg", colour=(30, 120, 90)):
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def pdf(name="invoice.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def verify(user, unit):
    OwnershipClaim.objects.create(owner=user, unit=unit, proof=f"HT-{user.pk}", status="approved")
    user.is_verified_owner = True
    user.save(update_fields=["is_verified_owner"])
    return user


class World:
    """The places everyone shares: a board, the club's pages, a category, staff."""

    def __init__(self, staff):
        self.board = Board.objects.create(slug="owners", name="业主交流", sort_order=1)
        self.category = Category.objects.get(name="维修报修")
        self.service = staff("Customer service")
        self.club_staff = staff("Club staff")
        self.manager = staff("Managers")
        home = Page.objects.get(depth=2)
        club = home.add_child(instance=ClubPage(title="金都会", slug="club"))
        self.events = club.add_child(instance=EventIndexPage(title="会员活动", slug="events"))
        self.events.save_revision().publish()
        survey = SurveyPage(title="2026 业主满意度调查", slug="survey-2026")
        survey.form_fields = [SurveyField(label="物业服务满意度", field_type="singleline")]
        club.add_child(instance=survey)
        survey.save_revision().publish()
        self.survey = SurveyPage.objects.get(pk=survey.pk)
        self.reward = Reward.objects.create(name="保温杯", points=10, stock=50, limit_per_member=0)
        self.hobby = Hobby.objects.get_or_create(name="茶艺")[0]

    def event(self, title="茶艺沙龙", *, capacity=4, days=10):
        starts = timezone.now() + timedelta(days=days)
        event = self.events.add_child(
            instance=EventPage(
                title=title,
                slug=f"e{EventPage.objects.count()}",
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                place="会所茶室",
                capacity=capacity,
                guests_allowed=2,
                cancel_by=timezone.now() - timedelta(hours=1),  # the deadline has passed
            )
        )
        event.save_revision().publish()
        return EventPage.objects.get(pk=event.pk)


def fill(world, user, unit, *, tag="", items=1):
    """Give `user` a member record, cases, forum posts, registrations… `items` of each kind."""
    user.avatar.save("face.jpg", ContentFile(jpeg().read()), save=True)
    application = membership.apply(
        user,
        hobbies=[world.hobby],
        dates=[{"kind": "birthday", "label": "", "date": date(1980, 5, 17)}],
        other_hobbies=f"钓鱼{tag}",
    )
    member = membership.approve(application, world.club_staff)
    topic = posting.create_topic(
        user,
        world.board,
        title=f"停车场收费{tag}",
        source=f"停车场收费太高了{tag}",
        images=[jpeg("p.jpg")],
    )
    cases = []
    for n in range(items):
        case = casework.file_case(
            user,
            kind="complaint",
            category=world.category,
            unit=unit,
            subject=f"卫生间漏水{tag}{n}",
            description=f"楼上漏水到我家{tag}{n}",
            files=[pdf(f"invoice{n}.pdf"), jpeg(f"damp{n}.jpg")],
        )
        casework.accept(case, world.service)
        casework.reply(case, world.service, f"师傅明天上门{tag}{n}", [pdf(f"receipt{n}.pdf")])
        casework.note(case, world.service, f"内部备注：业主情绪激动{tag}{n}")
        cases.append(case)
        posting.reply(user, topic, source=f"补充一下{tag}{n}", images=[jpeg(f"p{n}.jpg")])
        referrals.refer(
            member,
            buyer_name=f"赵{tag}先生",
            buyer_mobile=f"1371234{n:04d}",
            development="金都·翠湖苑",
        )
        rewards.redeem(member, world.reward, key=f"{user.pk}-{n}")
        signup.sign_up(world.event(f"活动{tag}{n}", capacity=10), user)
    SurveyAnswer.objects.create(
        page=world.survey, user=user, form_data={"wu_ye_fu_wu_man_yi_du": f"满意{tag}"}
    )
    return {"member": member, "cases": cases, "topic": topic}


def neighbour(world, unit_number="0201"):
    unit = Unit.objects.get(building="1栋", number=unit_number)
    user = verify(
        make_user(
            "neighbour",
            real_name="李静",
            mobile="13900139000",
            date_joined=timezone.now() - timedelta(days=30),
        ),
        unit,
    )
    return user, unit
