import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal import auth
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.owners import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = (
        "Print the two-step verification code the demo staff need now (`load_demo` gives them all "
        "the same authenticator key). Development only: refused unless DEBUG is on."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "demo_code runs only with DEBUG on (portal.settings.dev): "
                "real staff use their own authenticator app."
            )
        period = mfa_settings.TOTP_PERIOD
        now = int(time.time())
        code = auth.format_hotp_value(auth.hotp_value(DEMO_TOTP_SECRET, now // period))
        self.stdout.write(f"{code}  (changes in {period - now % period} s)")
