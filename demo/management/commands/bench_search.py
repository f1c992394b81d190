"""How fast the forum search is with many posts: the character-pair index against a plain
scan of every post (`icontains`, the way the forum searched before), in the same run.

Writes N generated posts (default 100,000) and their index in one transaction and rolls it
back at the end, so it can run against any database, PostgreSQL included:
    DATABASE_URL=postgres://… manage.py bench_search --posts 100000

`--parking 0.16` makes 停车场 as common as on a busy estate's forum (in the title or the text
of about 2,050 of 7,000 posts); `--http` also times the two results pages in-process, with their SQL count; `--keep` commits
the generated posts, so `manage.py bench` times the pages on them too and a later
`bench_search --posts 0` times the search again without writing anything.

`--acceptance` first answers the table of issue 15 — what owners type against what the site
says — among the generated posts: whether the post is found, and its place in the results.
"""

import random
import statistics
import time
from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forum.models import Board, Post, Topic
from owners.models import User
from portal import pagecache
from search import engine, searching
from search.engine import find, ranked_hits, rescue
from search.index import entries
from search.models import Gram

# Text of random common characters, with the searched words sprinkled in at realistic rates.
COMMON = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说"
    "产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点"
    "从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原"
    "又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革"
)
# (word, share of posts that mention it)
WORDS = [("停车场", 0.02), ("物业费", 0.01), ("电梯维修", 0.005), ("游泳池", 0.002)]
#: One term (common, rarer, rare, absent, one character), then two and three terms.
QUERIES = [
    "停车",
    "物业费",
    "电梯维修",
    "游泳池",
    "没有的词语",
    "车",
    "停车场 物业费",
    "停车 电梯 维修",
]
#: (what an owner types, the title of the post they mean): the table of issue 15.
ACCEPTANCE = [
    ("电梯 维修", "电梯需要尽快维修"),
    ("电梯，维修", "电梯需要尽快维修"),
    ("电梯维修", "电梯需要尽快维修"),
    ("停車", "停车场收费调整"),
    ("電梯", "电梯需要尽快维修"),
    ("金都會", "金都会会员日"),
    ("３号楼", "3号楼门禁坏了"),
    ("ＡＢＣ１２３", "车牌ABC123挪车"),
    ("ＷｉＦｉ", "会所WiFi密码"),
    ("3 号楼", "3号楼门禁坏了"),
    ("5栋", "5 栋大堂漏水"),
    ("三号楼", "3号楼门禁坏了"),
    ("十二楼", "12楼走廊灯不亮"),
    ("tingche", "停车场收费调整"),
    ("dianti", "电梯需要尽快维修"),
    ("电悌", "电梯需要尽快维修"),
    ("停车常", "停车场收费调整"),
    ("车", "停车场收费调整"),
]


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time the forum search on N generated posts, index against a full scan."

    def add_arguments(self, parser):
        parser.add_argument("--posts", type=int, default=100_000)
        parser.add_argument("--repeat", type=int, default=5)
        parser.add_argument(
            "--parking", type=float, default=0.02, help="share of posts that mention 停车场"
        )
        parser.add_argument("--http", action="store_true", help="time the results pages too")
        parser.add_argument("--keep", action="store_true", help="commit the generated posts")
        parser.add_argument(
            "--acceptance", action="store_true", help="the table of what owners type, found or not"
        )

    def handle(self, *args, posts, repeat, parking, http=False, keep=False, **options):
        settings.DEBUG = False  # no query log, no template debug info (as `manage.py bench`)
        self.http = http
        self.acceptance = options.get("acceptance", False)
        self.words = [("停车场", parking), *WORDS[1:]]
        try:
            with transaction.atomic():
                self.run(posts, repeat)
                if not keep:
                    raise Rollback
        except Rollback:
            self.stdout.write("(generated posts rolled back)")

    def run(self, count, repeat):
        if count:
            self.generate(count)
        anyone = RequestFactory().get("/search/", HTTP_HOST="127.0.0.1")
        anyone.user = AnonymousUser()
        if self.acceptance:
            self.accept(anyone)
        self.stdout.write(
            f"{'query':12} {'found':>7} {'index ms':>9} {'scan ms':>9} {'scan/index':>10}"
        )
        for query in QUERIES:
            index_ms, found = self.time(lambda q=query: forum_search(q, anyone), repeat)
            scan_ms, _ = self.time(lambda q=query: scanned(q), repeat)
            self.stdout.write(
                f"{query:12} {found:>7} {index_ms:9.1f} {scan_ms:9.1f} {scan_ms / index_ms:9.1f}×"
            )
        if self.http:
            self.time_pages(repeat)

    def generate(self, count):
        rng = random.Random(2026)
        # The same author and board when posts are added to kept ones (--keep, then more).
        author, _new = User.objects.get_or_create(
            username="bench-author", defaults={"real_name": "测试"}
        )
        board, _new = Board.objects.get_or_create(
            slug="bench", defaults={"name": "bench", "description": ""}
        )
        started = time.perf_counter()
        with indexes_built_after(Gram._meta.db_table):
            self.write(rng, count, author, board)
        self.stdout.write(
            f"{count} posts and {Gram.objects.filter(kind=Gram.Kind.POST).count()} index rows written "
            f"in {time.perf_counter() - started:.0f} s"
        )
        # PostgreSQL plans by its statistics: gather them as autovacuum would after a while.
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE search_gram, forum_post, forum_topic, forum_board")

    def write(self, rng, count, author, board):
        for start in range(0, count, 2000):
            size = min(2000, count - start)
            topics = Topic.objects.bulk_create(
                Topic(board=board, author=author, title=self.text(rng, 12)) for _ in range(size)
            )
            texts = [self.text(rng) for _ in topics]
            new = Post.objects.bulk_create(
                Post(topic=t, author=author, position=1, source=text, html=text, search_text=text)
                for t, text in zip(topics, texts, strict=True)
            )
            write_rows(
                row
                for post, topic, text in zip(new, topics, texts, strict=True)
                for row in entries(Gram.Kind.POST, post.pk, f"{topic.title}\n{text}", topic.title)
            )

    def accept(self, anyone):
        """Each row of ACCEPTANCE: its post written (indexed by the forum's own signal), then
        the forum search for what the owner types, as a visitor: found, and where."""
        author = User.objects.create(username="bench-acceptance", real_name="测试")
        board = Board.objects.create(slug="bench-acceptance", name="bench", description="")
        wanted = {}
        for title in dict.fromkeys(title for _query, title in ACCEPTANCE):
            topic = Topic.objects.create(board=board, author=author, title=title)
            text = "详情见正文。"
            wanted[title] = Post.objects.create(
                topic=topic, author=author, position=1, source=text, html=text, search_text=text
            ).pk
        self.stdout.write(
            f"{'typed':12} {'meant':18} {'found':>6} {'place':>6} {'of':>6}  offered instead"
        )
        for query, title in ACCEPTANCE:
            ranked, more = ranked_hits(query, anyone.user, FORUM)
            places = [hit.pk for hit in ranked]
            place = places.index(wanted[title]) + 1 if wanted[title] in places else None
            offered = ""
            if not ranked:
                rescued = rescue(query, anyone, sections=FORUM)
                if "respelled" in rescued:
                    offered = f"您是不是要找：{rescued['respelled']}"
                elif "offered" in rescued:
                    kept = [hit.pk for hit in rescued["offered"]["found"].page.object_list]
                    words = " ".join(rescued["offered"]["words"])
                    where = kept.index(wanted[title]) + 1 if wanted[title] in kept else "-"
                    offered = f"包含这些词的结果：{words} (place {where})"
            self.stdout.write(
                f"{query:12} {title:18} {'yes' if place else 'no':>6} {place or '-':>6} "
                f"{str(len(ranked)) + ('+' if more else ''):>6}  {offered}"
            )

    def time_pages(self, repeat):
        """Each results page as a visitor gets it: the median of `repeat` requests (after one
        to warm up) ranked afresh, as for a word nobody asked before, and kept, as for the next
        visitor who asks the same; and its SQL count afresh."""
        client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="zh-hans")
        self.stdout.write(f"{'page':24} {'median ms':>9} {'best ms':>8} {'kept ms':>8} {'SQL':>4}")
        for label, view in (("site search", "search:search"), ("forum search", "forum:search")):
            for query, page in (("停车", 1), ("停车", 2), ("电梯维修", 1), ("没有的词语", 1)):
                url = f"{reverse(view)}?q={query}&page={page}"
                with new_words():
                    assert client.get(url).status_code == 200  # warm: the pages' catalogue
                    with CaptureQueriesContext(connection) as queries:
                        client.get(url)
                sql = len(queries)  # now: later requests clear the connection's query log
                times, kept = [], []
                for _ in range(repeat):
                    with new_words():
                        started = time.perf_counter()
                        client.get(url)
                        times.append((time.perf_counter() - started) * 1000)
                    started = time.perf_counter()
                    client.get(url)
                    kept.append((time.perf_counter() - started) * 1000)
                name = f"{label} {query} p{page}"
                self.stdout.write(
                    f"{name:24} {statistics.median(times):9.1f} {min(times):8.1f} "
                    f"{statistics.median(kept):8.1f} {sql:4d}"
                )
        # The first search after a publication, in each process: the pages' catalogue is built
        # again (search.searching.catalogue) before the word is ranked.
        url, times = f"{reverse('search:search')}?q=停车", []
        for _ in range(repeat):
            pagecache.PAGES.bump()
            with new_words():
                started = time.perf_counter()
                client.get(url)
                times.append((time.perf_counter() - started) * 1000)
        pages = len(searching.catalogue() or ())
        self.stdout.write(
            f"site search 停车, the first after a publication ({pages} pages kept): "
            f"median {statistics.median(times):.1f} ms, best {min(times):.1f} ms"
        )

    def text(self, rng, length=80):
        chars = [rng.choice(COMMON) for _ in range(length)]
        for word, share in self.words:
            if rng.random() < share:
                at = rng.randrange(length)
                chars[at:at] = list(word)
        return "".join(chars)

    @staticmethod
    def time(search, repeat):
        """The best of `repeat` runs of a search: its count and first page of 20."""
        best = None
        for _ in range(repeat):
            with new_words():
                started = time.perf_counter()
                found = search()
                elapsed = (time.perf_counter() - started) * 1000
            best = elapsed if best is None else min(best, elapsed)
        return best, f"{found.count}{'+' if found.more else ''}"


@contextmanager
def indexes_built_after(table):
    """On PostgreSQL, the table's primary key and indexes dropped while rows are written and
    built again afterwards, one sort each: for a million posts (about ninety million index
    rows) that takes minutes, where keeping them up to date row by row takes over an hour.
    Inside the command's transaction, so a failure puts them back as they were."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid = %s::regclass AND contype = 'p'",
            [table],
        )
        keys = cursor.fetchall()
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s"
            " AND indexname NOT IN (SELECT conname FROM pg_constraint)",
            [table],
        )
        indexes = cursor.fetchall()
        for name, _definition in keys:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '2GB'")
        for name, definition in keys:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        for _name, definition in indexes:
            cursor.execute(definition)


def write_rows(rows):
    """Index rows written in bulk: on PostgreSQL by COPY, several times faster than INSERT,
    which matters for a million posts (about a hundred million rows)."""
    if connection.vendor != "postgresql":
        rows = (Gram(gram=gram, kind=kind, object_id=pk) for gram, kind, pk in rows)
        Gram.objects.bulk_create(rows, batch_size=5000)
        return
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy("COPY search_gram (gram, kind, object_id) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


#: The forum's search asks for posts only.
FORUM = ("forum",)


@contextmanager
def new_words():
    """Every search as for a word nobody asked before: no ranking or page of results kept is
    read, none is kept (search.engine keeps none past KEPT_RESULTS). What the pages and the
    forum are is kept as between two visitors' searches (the pages' catalogue, routes)."""
    kept, engine.KEPT_RESULTS = engine.KEPT_RESULTS, 0
    try:
        yield
    finally:
        engine.KEPT_RESULTS = kept


def forum_search(query, request):
    """The forum's search as its page asks it: ranked, one row per topic, the first page."""
    return find(query, request, sections=FORUM)


class Scanned:
    """The first page of 20 and the count of a plain scan of every post (`icontains` for each
    term, as the forum searched before the index), newest first."""

    def __init__(self, query):
        posts = Post.objects.all()
        for term in query.split():
            posts = posts.filter(search_text__icontains=term)
        paginator = Paginator(posts.order_by("-created_at"), 20)
        list(paginator.get_page(1))
        self.count, self.more = paginator.count, False


scanned = Scanned
