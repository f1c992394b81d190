from django.core.management.base import BaseCommand
from wagtail.models import Page

from search import registry
from search.index import Kind, index_document, page_text
from search.models import Gram


class Command(BaseCommand):
    help = "Index every live page and every registered source again (after a bulk import)."

    def handle(self, *args, **options):
        Gram.objects.all().delete()
        count = 0
        for source in registry.sources():
            for object_id, text in source.documents():
                index_document(source.kind, object_id, text)
                count += 1
        for page in Page.objects.live().specific().iterator(chunk_size=200):
            index_document(Kind.PAGE, page.pk, page_text(page))
            count += 1
        self.stdout.write(f"Indexed {count} documents.")
