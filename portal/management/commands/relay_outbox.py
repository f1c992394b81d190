"""Hand over every outbox row that is due, as beat does every minute (without a broker, e.g.
`make run`, they are delivered here and now)."""

from django.core.management.base import BaseCommand

from portal.outbox import relay


class Command(BaseCommand):
    help = "Deliver (or hand to workers) every pending outbox row whose time has come."

    def handle(self, *args, **options):
        self.stdout.write(f"{relay()} rows handed over")
