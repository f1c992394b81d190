from django.core.management.base import BaseCommand
from wagtail.models import Page

from forum.models import Post
from search.index import Kind, index_document, page_text, post_text
from search.models import Gram


class Command(BaseCommand):
    help = "Index every forum post and live page again (after a bulk import or an upgrade)."

    def handle(self, *args, **options):
        Gram.objects.all().delete()
        posts = Post.objects.select_related("topic").iterator(chunk_size=2000)
        count = 0
        for post in posts:
            index_document(Kind.POST, post.pk, post_text(post))
            count += 1
        for page in Page.objects.live().specific().iterator(chunk_size=200):
            index_document(Kind.PAGE, page.pk, page_text(page))
            count += 1
        self.stdout.write(f"Indexed {count} documents.")
