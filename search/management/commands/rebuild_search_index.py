from django.core.management.base import BaseCommand

from search.index import rebuild


class Command(BaseCommand):
    help = "Index every live page and every registered source again (after a bulk import)."

    def handle(self, *args, **options):
        self.stdout.write(f"Indexed {rebuild()} documents.")
