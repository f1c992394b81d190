from django.core.management.base import BaseCommand

from demo import archive as demo_archive
from demo import cases as demo_cases
from demo import club as club_demo
from demo import events as demo_events
from demo import fees as demo_fees
from demo import forum as forum_demo
from demo import home as home_demo
from demo import notices as demo_notices
from demo import owners as portal_demo
from demo import privacy as demo_privacy
from demo import publications as demo_publications
from demo import repairs as demo_repairs


class Command(BaseCommand):
    help = "Create the demo site: pages, estates, owners and one staff user per role. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000, help="where `make run` serves")

    def handle(self, *args, **options):
        home_demo.build()
        demo_privacy.build()
        logins = portal_demo.build()
        logins[2:2] = forum_demo.build()
        demo_cases.build()
        demo_repairs.build()
        logins.extend(demo_repairs.LOGINS)
        demo_publications.build()
        demo_notices.build()
        demo_archive.build()
        demo_fees.build()
        club_demo.build()
        demo_archive.enrol()
        demo_events.build()
        demo_privacy.record_consents()
        site = f"http://127.0.0.1:{options['port']}"
        width = max(len(role) for role, _ in logins)
        rule = "─" * (width + 32)
        self.stdout.write(self.style.SUCCESS(f"\nDemo content is ready at {site}/"))
        self.stdout.write(
            f"Sign in at {site}/accounts/login/ with an email or mobile number below; codes by\n"
            "SMS (sign-up, 短信验证码登录) are printed here, where the site runs.\n"
        )
        self.stdout.write(f"  {'Who'.ljust(width)}  Email or mobile number\n  {rule}")
        for role, login in logins:
            self.stdout.write(f"  {role.ljust(width)}  {login}")
        self.stdout.write(f"  {rule}")
        self.stdout.write(f"  Password for every login: {portal_demo.PASSWORD}")
        self.stdout.write(
            "  Staff and admin then enter a two-step code: add the key\n"
            f"  {portal_demo.DEMO_TOTP_SECRET} to an authenticator app, or run "
            "`.venv/bin/python manage.py demo_code`.\n"
        )
