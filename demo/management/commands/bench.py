"""Requests per second of the site's main pages, against a bare view measured in the same run.

Runs in-process through Django's test client, so it measures the application (middleware,
queries, templates), not a web server. Needs the demo content: `make bench` loads it first.
"""

import time
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.test import Client
from django.test.utils import setup_test_environment
from django.utils import timezone

from cases.models import Case
from club.models import MemberCard
from events.models import EventPage
from forum.models import Topic
from owners.models import Estate, OwnerRecord, User
from repairs.models import RepairRequest, SpecialService

PAGES = [
    ("bare view (baseline)", "/healthz", None),
    ("home page", "/", None),
    ("home page (owner: news, events, cases)", "/", "owner"),
    ("about page", "/about/", None),
    ("sign-in page", "/accounts/login/", None),
    ("owner dashboard", "/me/", "owner"),
    ("claim form", "/me/units/claim/?estate={estate}", "owner"),
    ("forum: boards", "/forum/", None),
    ("forum: topic list", "/forum/b/questions/", "owner"),
    ("forum: topic page", "/forum/t/{topic}/", "owner"),
    ("forum: people to mention", "/forum/people/?topic={topic}&q=张", "owner"),
    ("forum: search 停车", "/forum/search/?q=停车", None),
    ("site search 停车", "/search/?q=停车", None),
    ("magazine", "/magazine/", None),
    ("magazine issue (member)", "/magazine/issue-3/", "owner"),
    ("listings, filtered", "/listings/?city=杭州&status=on_sale", None),
    ("listing page", "/listings/listing-1/", None),
    ("news, by estate", "/news/?estate=1", None),
    ("news item", "/news/news-1/", None),
    ("my cases", "/me/cases/", "owner"),
    ("case page", "/me/cases/{case}/", "owner"),
    ("club page", "/club/", None),
    ("my club", "/me/club/", "owner"),
    ("points history", "/me/club/points/", "owner"),
    ("rewards", "/me/club/rewards/", "owner"),
    ("member card PNG", "/me/club/card.png", "owner"),
    ("events", "/club/events/", "owner"),
    ("event page", "{event}", "owner"),
    ("my events", "/me/club/events/", "owner"),
    ("notification settings", "/me/notifications/settings/", "owner"),
    ("report a repair", "/repairs/new/", "owner"),
    ("price list", "/repairs/prices/", None),
    ("technician's day", "/repairs/jobs/?day={tomorrow}", "technician"),
    ("special services", "/repairs/services/", "owner"),
    ("gate pass form", "/repairs/services/release/", "owner"),
    ("gate pass, guard", "/repairs/pass/{gate_pass}/", "guard"),
    # Answered afresh: an unknown query parameter is never kept by the shared page cache.
    ("home page, afresh", "/?fresh=1", None),
    ("magazine, afresh", "/magazine/?fresh=1", None),
    ("magazine issue, afresh", "/magazine/issue-3/?fresh=1", None),
    ("news, afresh", "/news/?fresh=1", None),
    ("news item, afresh", "/news/news-1/?fresh=1", None),
    ("club page, afresh", "/club/?fresh=1", None),
    ("listings, afresh", "/listings/?fresh=1", None),
    ("listing page, afresh", "/listings/listing-1/?fresh=1", None),
    ("event page, afresh", "{event}?fresh=1", None),
    ("forum: topic (visitor)", "/forum/t/{topic}/", None),
    ("admin: claims queue", "/admin/owners/claims/", "service"),
    ("admin: case ledger", "/admin/cases/", "service"),
    ("admin: member list", "/admin/club/members/", "clubstaff"),
    ("admin: card check", "/admin/club/check/?code={card}", "clubstaff"),
    ("admin: check-in by name", "/admin/club/check-in/?event={event_id}&code=王建国", "clubstaff"),
    ("admin: weekly service report", "/admin/cases/report/?period=week", "manager"),
    ("admin: dispatch a repair", "/admin/repairs/dispatch/{repair}/", "service"),
    ("admin: repairs month", "/admin/repairs/report/?month={last_month}", "manager"),
    ("admin: follow-up calls", "/admin/repairs/follow-ups/", "service"),
    ("admin: warranty claims", "/admin/repairs/defects/", "service"),
    ("admin: owner archive", "/admin/owners/archive/", "service"),
    ("admin: owner record", "/admin/owners/archive/inspect/{record}/", "service"),
]


class Command(BaseCommand):
    help = "Benchmark the main pages against a bare view; prints requests/s and ratios."

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=float, default=2.0, help="time per page")

    def handle(self, *args, seconds, **options):
        settings.DEBUG = False  # no query log, no template debug info
        setup_test_environment()
        estate = Estate.objects.order_by("pk").first()
        topic = Topic.objects.order_by("-post_count").first()
        case = Case.objects.filter(owner__username="owner").order_by("pk").first()
        card = MemberCard.objects.filter(status="active").order_by("pk").first()
        event = (
            EventPage.objects.live()
            .filter(registrations__isnull=False)
            .order_by("-starts_at")
            .first()
        )
        repair = RepairRequest.objects.order_by("pk").values_list("case_id", flat=True).first()
        gate_pass = SpecialService.objects.exclude(pass_token=None).values_list(
            "pass_token", flat=True
        )
        tomorrow = timezone.localdate() + timedelta(days=1)
        record = OwnerRecord.objects.filter(user__username="owner").values_list("pk", flat=True)
        results = []
        for label, url, username in PAGES:
            client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="zh-hans")
            if username:
                client.force_login(User.objects.get(username=username))
            url = url.format(
                estate=estate.pk if estate else "",
                topic=topic.pk if topic else "",
                case=case.reference if case else "",
                card=card.number if card else "",
                event=event.url if event else "/",
                event_id=event.pk if event else "",
                repair=repair or "",
                tomorrow=tomorrow.isoformat(),
                last_month=f"{timezone.localdate().replace(day=1) - timedelta(days=1):%Y-%m}",
                gate_pass=gate_pass.first() or "",
                record=record.first() or "",
            )
            for _ in range(5):  # warm caches and template loading
                assert client.get(url).status_code == 200, url
            count, cpu_start, wall_start = 0, time.process_time(), time.perf_counter()
            while time.perf_counter() - wall_start < seconds:
                client.get(url)
                count += 1
            cpu_ms = (time.process_time() - cpu_start) * 1000 / count
            rate = count / (time.perf_counter() - wall_start)
            results.append((label, url, rate, cpu_ms))

        baseline = results[0][2]
        self.stdout.write(f"{'page':24} {'req/s':>8} {'CPU ms':>8} {'× baseline':>11}  url")
        for label, url, rate, cpu_ms in results:
            self.stdout.write(
                f"{label:24} {rate:8.0f} {cpu_ms:8.2f} {baseline / rate:10.1f}×  {url}"
            )
