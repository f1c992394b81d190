from django.core.management.base import BaseCommand, CommandError

from cases import mailbox


class Command(BaseCommand):
    help = "Read the complaint inbox now: each new email becomes a case or joins its case."

    def handle(self, *args, **options):
        if not mailbox.configured():
            raise CommandError("Set CASE_IMAP_HOST and CASE_IMAP_USER (see README).")
        handled = mailbox.poll()
        self.stdout.write(self.style.SUCCESS(f"{handled} new message(s) handled."))
