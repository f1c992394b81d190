"""How fast the site answers over HTTP under production settings: `make bench-http`.

Starts gunicorn (2 sync workers, `portal.settings.production`) on the PostgreSQL database of
DATABASE_URL and the Redis of REDIS_URL, after loading the demo and a generated busier site
(demo/scale.py). Each page is loaded for a fixed time by wrk (16 connections) when it is
installed, else by a Python load generator, and compared with a bare Django view served the
same way, loaded again just before each page: a machine that slows down during the run (a
shared one does) moves the page and its yardstick together. SQL per request is counted by
serving the same request in this process, with the same session, database and cache. Then the
workers' memory, and 200 members signing up at once for an event with 50 seats, read against
the bare view loaded just before, as the pages are. Last, the
memory of a bare Wagtail site's workers (demo/yardstick/wagtail_floor.py) served the same way
after its home page and admin screens: a lower bound of what a site on this Wagtail costs (it
has no code of its own, runs on SQLite and in one language).

Writes the table to docs/benchmark.md (and the figures to docs/benchmark.json); `--before
FILE.json` adds the figures of an earlier run beside today's.
"""

import http.client
import json
import os
import platform
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote, urlsplit

import psycopg
import redis
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from club.models import ClubPage, Member
from demo import scale
from events.models import EventIndexPage, EventPage, Registration
from owners.models import User
from publications.models import ListingPage, MagazineIssuePage, NewsPage

# (group, label, path, who is signed in). The groups are the rows of the issue's table.
PAGES = [
    ("baseline", "/healthz (the site's middleware, no page)", "/healthz", None),
    ("cached", "home", "/", None),
    ("cached", "magazine", "/magazine/", None),
    ("cached", "club", "/club/", None),
    ("cached", "news", "/news/", None),
    ("topic", "topic page, signed in (20 posts)", "/forum/t/{topic}/", "owner"),
    ("topic", "topic page, signed in, another owner", "/forum/t/{topic}/", "member001"),
    ("topic", "topic page, anonymous", "/forum/t/{topic}/", None),
    ("topic", "topic list, signed in", "/forum/b/owners/", "owner"),
    ("cms", "home, signed in", "/", "owner"),
    ("cms", "magazine index, signed in", "/magazine/", "owner"),
    ("cms", "magazine issue, signed in", "{issue}", "owner"),
    ("cms", "news index, signed in", "/news/", "owner"),
    ("cms", "news item, signed in", "{news}", "owner"),
    ("cms", "club, signed in", "/club/", "owner"),
    ("cms", "listings, signed in", "/listings/", "owner"),
    ("cms", "listing, signed in", "{listing}", "owner"),
    ("cms", "event, signed in", "{event}", "owner"),
    # An address no copy is kept under (an unknown query parameter): the page rendered afresh.
    ("fresh", "home, signed in, rendered afresh", "/?fresh=1", "owner"),
    ("fresh", "news item, signed in, rendered afresh", "{news}?fresh=1", "owner"),
    ("fresh", "event, signed in, rendered afresh", "{event}?fresh=1", "owner"),
    ("owner", "me (我的)", "/me/", "owner"),
    ("owner", "my club", "/me/club/", "owner"),
    ("owner", "my cases", "/me/cases/", "owner"),
    ("owner", "case page", "/me/cases/{case}/", "owner"),
    ("search", "site search 停车", "/search/?q=停车", None),
    ("search", "forum search 停车", "/forum/search/?q=停车", None),
    ("admin", "admin: case ledger (500 cases)", "/admin/cases/", "service"),
]
BARE = "bare Django view (no middleware, no database)"
STORM_MEMBERS = 200
STORM_SEATS = 50
STORM_ROUNDS = 5
#: The bare view's requests per second on the machine the issue's goals were set on (2 cores):
#: a storm's seconds are read against it as the pages' req/s are read against the bare view.
GOAL_MACHINE_BARE = 5_600
#: How long the bare view is loaded just before each page, as that page's yardstick.
YARDSTICK_SECONDS = 3
#: The bare Wagtail site's pages, each loaded FLOOR_SECONDS before its workers' memory is read
#: (path, signed in as its one superuser).
FLOOR_SECONDS = 3
FLOOR_PAGES = [
    ("/", False),
    ("/admin/", True),
    ("/admin/pages/", True),
    ("/admin/pages/2/", True),
    ("/admin/images/", True),
    ("/admin/users/", True),
]
#: Signs the bare Wagtail site's one superuser in: prints the session key, last.
FLOOR_SESSION = """
from django.contrib.auth.models import User
from django.test import Client
client = Client()
client.force_login(User.objects.create_superuser("floor", "floor@example.com", None))
print(client.cookies["sessionid"].value)
"""
STORM_SLUG = "bench-sign-up-storm"
TICKS = os.sysconf("SC_CLK_TCK")  # /proc's unit of CPU time, per second
WRK_LINE = re.compile(r"^\s*(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.M)


class Command(BaseCommand):
    help = "Requests per second of the main pages over HTTP under production settings."

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=float, default=5.0, help="load time per page")
        parser.add_argument("--connections", type=int, default=16)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument("--preload", action="store_true", help="gunicorn --preload")
        parser.add_argument("--only", help="run only the pages whose label contains this")
        parser.add_argument("--out", default="docs/benchmark.md")
        parser.add_argument("--before", help="figures of an earlier run (its .json) to compare")
        parser.add_argument("--load-only", action="store_true", help="load the data, then stop")

    def handle(self, *args, **options):
        self.options = options
        database = settings.DATABASES["default"]
        if database["ENGINE"] != "django.db.backends.postgresql" or not settings.REDIS_URL:
            raise CommandError(
                "The HTTP benchmark runs on PostgreSQL and Redis: set DATABASE_URL and REDIS_URL "
                "(make bench-http sets both to the local services)."
            )
        _create_database(database)
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        # Sessions made here must be valid in gunicorn: both sign with this key.
        settings.SECRET_KEY = self.secret = secrets.token_urlsafe(48)
        self.stdout.write("Loading the demo and the generated scale…")
        call_command("migrate", verbosity=0)
        call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
        scale.build(self.stdout)
        with connection.cursor() as cursor:
            # What autovacuum does on a live site after bulk writes: statistics for the planner,
            # and the visibility map, without which no index-only scan is chosen.
            cursor.execute("VACUUM ANALYZE")
        if options["load_only"]:
            return
        self.targets = _targets()
        self.environment = self._environment()
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            env=self.environment,
            check=True,
        )
        bare = {"DJANGO_SETTINGS_MODULE": "", "PATH": os.environ.get("PATH", "")}
        # Both servers run the whole time; the one not loaded is idle.
        self.yardstick = self.options["port"] + 1
        with (
            self._gunicorn("bare", bare, self.yardstick, path="demo/yardstick") as yardstick,
            self._gunicorn(
                "portal.wsgi", self.environment, self.options["port"], preload=options["preload"]
            ) as server,
        ):
            self.server = yardstick
            rows = [self._measure(("bare", BARE, "/", None), self.yardstick)]
            self.server = server
            memory_before = _worker_memory(server)
            rows += [self._measure(page) for page in self._pages()]
            memory_after = _worker_memory(server)
            storm = self._storm()
        try:
            floor = self._wagtail_floor(bare)
        except CommandError as error:  # the site's figures are written all the same
            self.stderr.write(f"The bare Wagtail site was not measured: {error}")
            floor = None
        self._report(rows, memory_before, memory_after, storm, floor)

    # The server -------------------------------------------------------------------------------

    def _environment(self):
        broker = urlsplit(settings.REDIS_URL)._replace(path="/15").geturl()
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings.production",
            "SECRET_KEY": self.secret,
            "SECURE_SSL_REDIRECT": "0",
            # Jobs queue in Redis with no worker to run them: the pages are measured, not email.
            "CELERY_BROKER_URL": broker,
            "CELERY_RESULT_BACKEND": broker,
        }

    @contextmanager
    def _gunicorn(self, application, environment, port, path=None, preload=False):
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            application,
            *([f"--pythonpath={path}"] if path else []),
            f"--workers={self.options['workers']}",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
            *(["--preload"] if preload else []),
        ]
        # Something already listening (a server left by a run that crashed) would be measured.
        _wait_for_port(port, seconds=10, free=True)
        server = subprocess.Popen(command, env=environment)
        try:
            _wait_for_port(port)
            _wait_for_workers(server, self.options["workers"])
            yield server
        finally:
            server.terminate()
            server.wait(timeout=30)
            _wait_for_port(port, free=True)
            _flush_broker(self.environment["CELERY_BROKER_URL"])

    # The pages --------------------------------------------------------------------------------

    def _pages(self):
        only = self.options["only"]
        for group, label, path, who in PAGES:
            if only and only not in label and group != "baseline":
                continue
            yield group, label, quote(path.format(**self.targets), safe="/?=&"), who

    def _measure(self, page, port=None):
        group, label, path, who = page
        port = port or self.options["port"]
        options = {**self.options, "port": port}
        cookie = self._session(who) if who else ""
        headers = {"Accept-Language": "zh-CN,zh;q=0.9", "Host": f"127.0.0.1:{port}"}
        if cookie:
            headers["Cookie"] = cookie
        status, size = _fetch(port, path, headers)
        if status != 200:
            raise CommandError(f"{path} answered {status} under gunicorn")
        queries = 0 if group == "bare" else self._queries(path, who)
        _load({**options, "seconds": 1}, path, headers)  # every worker warm: templates, URLs
        yardstick = None if group == "bare" else self._yardstick()
        workers = _workers(self.server)
        spent = _cpu_seconds(workers)
        load = _load(options, path, headers)
        spent = _cpu_seconds(workers) - spent
        if _workers(self.server) != workers:
            raise CommandError(f"a worker was replaced while {path} was loaded")
        # The workers' own CPU time per request: the database's and the load generator's,
        # on the same cores, are not in it.
        load["cpu"] = round(spent * 1000 / max(load.pop("requests"), 1), 1)
        load["yardstick"] = yardstick or load["rate"]  # the bare view is its own yardstick
        self.stdout.write(
            f"  {label:36} {load['rate']:8.0f} req/s  {load['rate'] / load['yardstick']:6.1%}  "
            f"p50 {load['p50']:6.1f} ms  "
            f"p99 {load['p99']:6.1f} ms  {load['cpu']:5.1f} ms CPU  {queries:3d} SQL  {size:7d} B"
        )
        return {
            "group": group,
            "label": label,
            "path": path,
            **load,
            "queries": queries,
            "bytes": size,
        }

    def _yardstick(self):
        """The bare view's requests per second, now."""
        options = {**self.options, "port": self.yardstick, "seconds": YARDSTICK_SECONDS}
        load = _load(options, "/", {"Host": f"127.0.0.1:{self.yardstick}"})
        if load["errors"] or not load["rate"]:
            raise CommandError(f"the bare view answered {load['errors']} requests with errors")
        return load["rate"]

    def _session(self, username):
        client = Client()
        client.force_login(User.objects.get(username=username))
        return (
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )

    def _queries(self, path, who):
        """The SQL the same request costs once warm, served in this process."""
        client = Client(HTTP_HOST=f"127.0.0.1:{self.options['port']}")
        if who:
            client.force_login(User.objects.get(username=who))
        headers = {"HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9"}
        for _ in range(2):
            client.get(path, **headers)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path, **headers)
        assert response.status_code == 200, (path, response.status_code)
        return len(queries)

    # The sign-up storm ------------------------------------------------------------------------

    def _storm(self):
        """200 members press "sign up" at the same moment for an event with 50 seats, in
        STORM_ROUNDS rounds (the event emptied before each), each after the bare view was
        loaded: a round's seconds are read at the bare view's speed just before it, as a page's
        req/s is. The middle round by that reading is the figure, with the others beside it."""
        members = list(
            User.objects.filter(member__status=Member.Status.ACTIVE).order_by("pk")[:STORM_MEMBERS]
        )
        if not members:
            raise CommandError("the sign-up storm needs active members: the scale has none")
        token = secrets.token_hex(16)  # a CSRF secret of 32 characters, sent back as the token
        cookies = [f"{self._session(m.username)}; csrftoken={token}" for m in members]
        body = f"csrfmiddlewaretoken={token}&guests=0".encode()
        rounds = [self._storm_round(cookies, body) for _ in range(STORM_ROUNDS)]
        outcome = sorted(rounds, key=_at_goal_machine)[len(rounds) // 2]
        outcome = {
            **outcome,
            "rounds": [each["seconds"] for each in rounds],
            "rounds_at_goal": [_at_goal_machine(each) for each in rounds],
        }
        # Every round must have decided exactly: a seat too many in any of them is a failure.
        outcome["exact"] = all(
            each["errors"] == 0 and each["seats"] == STORM_SEATS and not each["refused"]
            for each in rounds
        )
        cpu = outcome["cpu"]
        self.stdout.write(
            f"  sign-up storm: {outcome['members']} members, middle of {len(rounds)} rounds "
            f"{outcome['seconds']:.2f} s, {_at_goal_machine(outcome):.2f} s at "
            f"{GOAL_MACHINE_BARE:,} req/s (rounds: "
            f"{', '.join(f'{seconds:.2f}' for seconds in outcome['rounds_at_goal'])} s), CPU "
            f"per sign-up: site {cpu['site']} ms, PostgreSQL {_or_dash(cpu['postgres'])} ms, "
            f"Redis {_or_dash(cpu['redis'])} ms, load generator {cpu['generator']} ms; "
            f"{outcome['errors']} errors, {outcome['seats']} of {STORM_SEATS} seats, "
            f"{outcome['waitlisted']} waitlisted, {outcome['refused']} refused, "
            f"every round exact: {'yes' if outcome['exact'] else 'NO'}"
        )
        return outcome

    def _storm_round(self, cookies, body):
        event = _storm_event()
        path = reverse("events:sign_up", args=[event.pk])
        results = [None] * len(cookies)
        start = threading.Barrier(len(cookies) + 1)

        def press(number):
            headers = {
                "Cookie": cookies[number],
                "Content-Type": "application/x-www-form-urlencoded",
                "Host": f"127.0.0.1:{self.options['port']}",
            }
            start.wait()
            try:
                results[number] = _fetch(
                    self.options["port"], path, headers, method="POST", body=body
                )
            except OSError as error:
                results[number] = (str(error), 0)

        # GOAL_MACHINE_BARE is wrk's figure: the Python load generator's would not compare.
        yardstick = self._yardstick() if shutil.which("wrk") else None
        threads = [threading.Thread(target=press, args=(n,)) for n in range(len(cookies))]
        for thread in threads:
            thread.start()
        workers = _workers(self.server)
        services = {"postgres": _postgres_server(), "redis": _redis_server()}
        at_start = {name: _tree_cpu_seconds(pid) for name, pid in services.items()}
        site, generator = _cpu_seconds(workers), time.process_time()
        start.wait()
        started = time.perf_counter()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        spent = {
            "site": _cpu_seconds(workers) - site,
            "generator": time.process_time() - generator,
            **{
                name: None if at_start[name] is None else _tree_cpu_seconds(pid) - at_start[name]
                for name, pid in services.items()
            },
        }
        if _workers(self.server) != workers:
            raise CommandError("a worker was replaced during the sign-up storm")
        registrations = Registration.objects.filter(event=event)
        taken = sum(r.seats for r in registrations.filter(status=Registration.Status.CONFIRMED))
        outcome = {
            "members": len(cookies),
            "seconds": elapsed,
            **({"yardstick": yardstick} if yardstick else {}),
            # CPU milliseconds per sign-up, by process: what the round's seconds are made of.
            "cpu": {
                name: None if seconds is None else round(seconds * 1000 / len(cookies), 1)
                for name, seconds in spent.items()
            },
            "errors": sum(1 for status, _ in results if status != 302),
            "seats": taken,
            "waitlisted": registrations.filter(status=Registration.Status.WAITLISTED).count(),
        }
        # A sign-up refused with a message is still a 302: count what the database holds.
        outcome["refused"] = outcome["members"] - registrations.count()
        return outcome

    # A bare Wagtail site ------------------------------------------------------------------------

    def _wagtail_floor(self, environment):
        """Its workers' memory before and after its pages were loaded, served as the site is
        (with --preload when the site was): its database and static files in a folder made for
        the run."""
        with tempfile.TemporaryDirectory(prefix="wagtail-floor-") as folder:
            environment = {
                **environment,
                "WAGTAIL_FLOOR_DIR": folder,
                "WAGTAIL_FLOOR_SECRET": secrets.token_urlsafe(48),
            }

            def manage(*arguments):
                command = [sys.executable, "demo/yardstick/wagtail_floor.py", *arguments]
                done = subprocess.run(command, env=environment, capture_output=True, text=True)
                if done.returncode:
                    raise CommandError(f"{' '.join(arguments[:1])}: {done.stderr.strip()}")
                return done.stdout.strip().splitlines()

            manage("migrate", "-v0")
            manage("collectstatic", "--noinput", "-v0")
            session = manage("shell", "-v0", "-c", FLOOR_SESSION)[-1]
            port = self.options["port"]
            with self._gunicorn(
                "wagtail_floor",
                environment,
                port,
                path="demo/yardstick",
                preload=self.options["preload"],
            ) as server:
                before = _worker_memory(server)
                for path, signed_in in FLOOR_PAGES:
                    headers = {"Host": f"127.0.0.1:{port}"}
                    if signed_in:
                        headers["Cookie"] = f"sessionid={session}"
                    status, _size = _fetch(port, path, headers)
                    if status != 200:
                        raise CommandError(f"the bare Wagtail site answered {path} with {status}")
                    _load({**self.options, "seconds": FLOOR_SECONDS}, path, headers)
                after = _worker_memory(server)
        self.stdout.write(
            f"  bare Wagtail site's worker: {before['rss']} MiB before its first request, "
            f"{after['rss']} MiB (unique {after['uss']}) after its pages"
        )
        return {"before": before, "after": after}

    # The report -------------------------------------------------------------------------------

    def _report(self, rows, memory_before, memory_after, storm, floor):
        before = {}
        if self.options["before"]:
            earlier = json.loads(Path(self.options["before"]).read_text())
            before = {row["label"]: row for row in earlier["pages"]}
            before["_memory"] = earlier["memory_after"]
            before["_storm"] = earlier["storm"]
            before["_floor"] = earlier.get("wagtail_floor")
            before["_run"] = (
                f"The *before* columns: run {earlier['when']} at {earlier['commit']}"
                f"{' with --preload' if earlier['preload'] else ', without --preload'}."
            )
        figures = {
            "when": timezone.localtime().isoformat(timespec="seconds"),
            "commit": _commit(),
            "machine": _machine(),
            "load_generator": _generator_name(),
            "seconds": self.options["seconds"],
            "connections": self.options["connections"],
            "workers": self.options["workers"],
            "preload": self.options["preload"],
            "pages": rows,
            "memory_before": memory_before,
            "memory_after": memory_after,
            "storm": storm,
            "wagtail_floor": floor,
        }
        out = Path(self.options["out"])
        out.parent.mkdir(parents=True, exist_ok=True)
        out.with_suffix(".json").write_text(json.dumps(figures, ensure_ascii=False, indent=1))
        out.write_text(_markdown(figures, before))
        self.stdout.write(f"Written to {out} and {out.with_suffix('.json')}")


def _targets():
    owner = User.objects.get(username="owner")
    event = (
        EventPage.objects.live()
        .exclude(slug=STORM_SLUG)
        .filter(starts_at__gte=timezone.now())
        .order_by("starts_at")
        .first()
    )
    return {
        "topic": scale.long_topic().pk,
        "issue": MagazineIssuePage.objects.live().order_by("-pk").first().url,
        "news": NewsPage.objects.live().order_by("-pk").first().url,
        "listing": ListingPage.objects.live().order_by("pk").first().url,
        "event": event.url,
        "case": Case.objects.filter(owner=owner).order_by("pk").first().reference,
    }


def _at_goal_machine(storm):
    """A storm's seconds at the speed of the machine the goals were set on: its seconds times
    the bare view's req/s just before it, over that machine's. A storm without a yardstick (an
    earlier run's, or one loaded without wrk) is read as it was measured."""
    return storm["seconds"] * storm.get("yardstick", GOAL_MACHINE_BARE) / GOAL_MACHINE_BARE


def _storm_event():
    """The storm's event, with no registrations left from an earlier run."""
    event = EventPage.objects.filter(slug=STORM_SLUG).first()
    if event is None:
        index = EventIndexPage.objects.descendant_of(ClubPage.objects.first()).first()
        starts = timezone.now() + timedelta(days=60)
        event = EventPage(
            title="业主答谢晚宴（压力测试）",
            slug=STORM_SLUG,
            summary="名额 50 位。",
            starts_at=starts,
            ends_at=starts + timedelta(hours=3),
            place="金都·翠湖苑会所",
            capacity=STORM_SEATS,
            guests_allowed=0,
            audience=EventPage.Audience.MEMBERS,
            signup_opens_at=timezone.now() - timedelta(days=1),
            signup_closes_at=starts - timedelta(days=1),
            cancel_by=starts - timedelta(days=2),
        )
        index.add_child(instance=event)
        event.save_revision().publish()
    Registration.objects.filter(event=event).delete()
    return event


# Load generation --------------------------------------------------------------------------------


def _generator_name():
    wrk = shutil.which("wrk")
    if not wrk:
        return "Python threads (wrk is not installed)"
    version = subprocess.run([wrk, "--version"], capture_output=True, text=True)
    return (version.stdout or version.stderr).split("[")[0].strip() or "wrk"


def _load(options, path, headers):
    if shutil.which("wrk"):
        return _wrk(options, path, headers)
    return _python_load(options, path, headers)


def _wrk(options, path, headers):
    command = [
        "wrk",
        "--threads=2",
        f"--connections={options['connections']}",
        f"--duration={options['seconds']:.0f}s",
        "--latency",
        "--timeout=10s",
        *[arg for name, value in headers.items() for arg in ("-H", f"{name}: {value}")],
        f"http://127.0.0.1:{options['port']}{path}",
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    latency = {
        share: float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
        for share, value, unit in WRK_LINE.findall(output)
    }
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: (.*)", output)
    return {
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "rate": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": latency["50"],
        "p99": latency["99"],
        "errors": (int(bad.group(1)) if bad else 0)
        + (sum(int(n) for n in re.findall(r"\d+", errors.group(1))) if errors else 0),
    }


def _python_load(options, path, headers):
    """16 threads asking one after another for a fixed time: enough for the pages, though it
    cannot load a bare view as hard as wrk."""
    stop = time.perf_counter() + options["seconds"]
    times, errors, lock = [], [0], threading.Lock()

    def run():
        mine = []
        while time.perf_counter() < stop:
            started = time.perf_counter()
            try:
                status, _ = _fetch(options["port"], path, headers)
            except OSError:
                status = 0
            mine.append((time.perf_counter() - started) * 1000)
            if status >= 400 or status == 0:
                with lock:
                    errors[0] += 1
        with lock:
            times.extend(mine)

    threads = [threading.Thread(target=run) for _ in range(options["connections"])]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    times.sort()
    return {
        "requests": len(times),
        "rate": len(times) / (time.perf_counter() - began),
        "p50": statistics.median(times),
        "p99": times[int(len(times) * 0.99)],
        "errors": errors[0],
    }


def _fetch(port, path, headers, method="GET", body=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, len(response.read())
    finally:
        conn.close()


# The machine and the processes ------------------------------------------------------------------


def _create_database(database):
    try:
        connection.ensure_connection()
    except OperationalError:
        with psycopg.connect(
            host=database["HOST"] or "127.0.0.1",
            port=database["PORT"] or 5432,
            user=database["USER"],
            password=database["PASSWORD"] or None,
            dbname="postgres",
            autocommit=True,
        ) as admin:
            admin.execute(f'CREATE DATABASE "{database["NAME"]}"')


def _wait_for_port(port, seconds=60, free=False):
    """Until something listens on `port` (or, `free`, until nothing does)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if (probe.connect_ex(("127.0.0.1", port)) == 0) != free:
                return
        time.sleep(0.2)
    raise CommandError(f"port {port} did not {'close' if free else 'open'} within {seconds} s")


def _stat(pid):
    """/proc's figures of a process after its command: [1] its parent, [11] and [12] its user
    and system CPU time, [13] and [14] those of its children it has reaped, in clock ticks."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def _ticks(fields):
    """User and system CPU time of a process's `_stat` figures, in clock ticks."""
    return int(fields[11]) + int(fields[12])


def _children(pid):
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _cpu_seconds(workers):
    """The CPU time (user and system) the worker processes have spent so far."""
    return sum(_ticks(_stat(pid)) for pid in workers) / TICKS


def _tree_cpu_seconds(pid):
    """The CPU time a server has spent so far: its main process, its children now (PostgreSQL's
    backends), and those that have ended (counted in its own figures once it has reaped them).
    None when the process is not on this machine: a server elsewhere costs it nothing."""
    if pid is None:
        return None
    try:
        fields, children = _stat(pid), _children(pid)
    except OSError:
        return None
    ticks = _ticks(fields) + int(fields[13]) + int(fields[14])
    for child in children:
        try:
            ticks += _ticks(_stat(child))
        except OSError:  # ended since the list was read: counted once reaped
            continue
    return ticks / TICKS


def _postgres_server():
    """The process id of the PostgreSQL server this process is connected to, as it tells it:
    the parent of this connection's backend; None if that process is not on this machine."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    if _command(backend) != "postgres":
        return None
    server = int(_stat(backend)[1])
    return server if _command(server) == "postgres" else None


def _redis_server():
    """The process id of the Redis server of REDIS_URL, as it tells it; None if that process
    is not on this machine."""
    server = redis.Redis.from_url(settings.REDIS_URL).info("server")["process_id"]
    return server if _command(server) == "redis-server" else None


def _command(pid):
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return None


def _workers(server):
    return _children(server.pid)


def _wait_for_workers(server, count, seconds=60):
    """Until every worker has loaded the site: their memory stops growing."""
    deadline, last = time.monotonic() + seconds, None
    while time.monotonic() < deadline:
        time.sleep(0.5)
        workers = _workers(server)
        now = [_memory(pid)["rss"] for pid in workers]
        if len(workers) == count and now == last:
            return
        last = now
    raise CommandError("gunicorn's workers did not settle")


def _memory(pid):
    """Resident, proportional (each page shared by n processes counted 1/n) and unique
    (private) memory of a process in MiB."""
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":", 1)
        fields[name] = int(value.split()[0])
    return {
        "rss": round(fields["Rss"] / 1024, 1),
        "pss": round(fields["Pss"] / 1024, 1),
        "uss": round((fields["Private_Clean"] + fields["Private_Dirty"]) / 1024, 1),
    }


def _worker_memory(server):
    workers = [_memory(pid) for pid in _workers(server)]
    return {
        "rss": max(w["rss"] for w in workers),
        "pss": max(w["pss"] for w in workers),
        "uss": max(w["uss"] for w in workers),
        "master_rss": _memory(server.pid)["rss"],
    }


def _flush_broker(url):
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port or 6379)) as redis:
        database = parts.path.strip("/") or "0"
        redis.sendall(f"SELECT {database}\r\nFLUSHDB\r\n".encode())
        redis.recv(64)


def _commit():
    done = subprocess.run(
        ["git", "describe", "--always", "--dirty"], capture_output=True, text=True
    )
    return done.stdout.strip() or "unknown"


def _machine():
    model = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    return f"{os.cpu_count()} cores, {model}, Python {platform.python_version()}"


# The table --------------------------------------------------------------------------------------

GROUPS = {
    "bare": "Yardstick",
    "baseline": "The site's own floor",
    "cached": "Cached anonymous pages",
    "topic": "Forum",
    "cms": "CMS pages for a signed-in owner (a copy per kind of reader, framed per reader)",
    "fresh": "CMS pages for a signed-in owner, rendered afresh",
    "owner": "An owner's own pages",
    "search": "Search (anonymous)",
    "admin": "Admin",
}


def _spread(rows):
    """The bare view's requests per second over the run: lowest–highest, and the middle."""
    rates = sorted(row["yardstick"] for row in rows)
    return f"{rates[0]:,.0f}–{rates[-1]:,.0f} (middle {statistics.median(rates):,.0f})"


def _floor_rows(floor, before):
    if not floor:
        return []
    earlier = before.get("_floor") or {}
    rows = []
    for moment, key in (
        ("before its first request", "before"),
        (f"after its {len(FLOOR_PAGES)} pages, home and admin", "after"),
    ):
        figures, old = floor[key], earlier.get(key)
        rows.append(
            f"| a bare Wagtail site's worker (`demo/yardstick/wagtail_floor.py`), {moment} | "
            f"{figures['rss']} | {figures['pss']} | {figures['uss']} |"
            + ((f" {old['rss']} | {old['uss']} |" if old else " | |") if before else "")
        )
    return rows


def _markdown(figures, before):
    lines = [
        "# HTTP benchmark",
        "",
        "Made by `make bench-http` (demo/management/commands/bench_http.py). Production "
        f"settings under gunicorn ({figures['workers']} sync workers"
        f"{', --preload' if figures['preload'] else ''}), PostgreSQL and Redis on the same "
        f"machine; {figures['load_generator']} with {figures['connections']} connections for "
        f"{figures['seconds']:.0f} s per page. Demo content plus demo/scale.py: 2,000 topics, "
        "a 1,000-post topic, 500 cases, 300 members.",
        "",
        f"Run {figures['when']} at {figures['commit']} on {figures['machine']}. "
        + before.get("_run", ""),
        "",
        "*share* is the page's requests per second as a share of the bare Django view's "
        "(`demo/yardstick/bare.py`, served the same way), loaded for "
        f"{YARDSTICK_SECONDS} s just before the page (*bare req/s*): a machine that slows down "
        "during the run moves both. In this run the bare view answered "
        f"{_spread(figures['pages'])} req/s. *CPU ms* is the CPU time the "
        "site's workers spent per request under that load (from /proc; PostgreSQL's, Redis's and "
        "the load generator's are not in it). SQL is counted on one warm request "
        "with the same session. Measured elsewhere on this kind of machine, as shares of a bare "
        "view: django-machina's topic page about 1.2 %, Wagtail's bakerydemo pages 0.8–1.5 %.",
        "",
        "| page | req/s | bare req/s | share | p50 ms | p99 ms | CPU ms | SQL | bytes |"
        + (" before: req/s | before: share | before: SQL |" if before else ""),
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|" + ("---:|---:|---:|" if before else ""),
    ]
    # An earlier run made before the yardstick was loaded beside each page: its one bare view.
    before_baseline = before.get(BARE, {}).get("rate")
    group = None
    for row in figures["pages"]:
        if row["group"] != group:
            group = row["group"]
            lines.append(f"| **{GROUPS[group]}** |" + " |" * (11 if before else 8))
        yardstick = row["yardstick"]
        share = row["rate"] / yardstick * 100
        errors = f" ({row['errors']} errors)" if row["errors"] else ""
        line = (
            f"| {row['label']} `{row['path']}` | {row['rate']:,.0f}{errors} | {yardstick:,.0f} | "
            f"{share:.1f} % | "
            f"{row['p50']:.1f} | {row['p99']:.1f} | {row.get('cpu', '—')} | {row['queries']} | "
            f"{row['bytes']:,} |"
        )
        old = before.get(row["label"])
        if before:
            line += (
                f" {old['rate']:,.0f} | "
                f"{old['rate'] / old.get('yardstick', before_baseline) * 100:.1f} % | "
                f"{old['queries']} |"
                if old
                else " — | — | — |"
            )
        lines.append(line)
    memory, storm = figures["memory_after"], figures["storm"]
    lines += [
        "",
        "## Workers",
        "",
        "RSS counts every page a worker maps, those it shares with the master and the other "
        "worker included; proportional counts a page shared by n processes 1/n; unique, the "
        "worker's own pages.",
        "",
        "| | RSS MiB | proportional MiB | unique MiB |"
        + (" before: RSS | before: unique |" if before else ""),
        "|---|---:|---:|---:|" + ("---:|---:|" if before else ""),
        f"| a worker before the first request | {figures['memory_before']['rss']} | "
        f"{figures['memory_before'].get('pss', '—')} | {figures['memory_before']['uss']} |"
        + (" | |" if before else ""),
        f"| a worker after the run | {memory['rss']} | {memory.get('pss', '—')} | "
        f"{memory['uss']} |"
        + (f" {before['_memory']['rss']} | {before['_memory']['uss']} |" if before else ""),
        *_floor_rows(figures.get("wagtail_floor"), before),
        "",
        "## Sign-up storm",
        "",
        *_storm_lines(storm, before.get("_storm")),
        "",
    ]
    return "\n".join(lines)


def _storm_lines(storm, before):
    text = (
        f"{storm['members']} members press “报名” at the same moment for an event with "
        f"{STORM_SEATS} seats, {len(storm.get('rounds', [0]))} times over (the event emptied "
        "each time)"
    )
    if "yardstick" in storm:
        cpu = storm["cpu"]
        text += (
            f", each time just after the bare view was loaded for {YARDSTICK_SECONDS} s. A "
            "round's seconds are read at the speed of the machine the goal was set on, where the "
            f"bare view answers {GOAL_MACHINE_BARE:,} req/s under wrk: seconds × the bare view's "
            f"req/s just before ÷ {GOAL_MACHINE_BARE:,}."
            f"\n\nIn the middle round all answered in **{_at_goal_machine(storm):.2f} s** at that "
            f"speed: {storm['seconds']:.2f} s here, with the bare view at "
            f"{storm['yardstick']:,.0f} req/s (every round: "
            + ", ".join(f"{at_goal:.2f}" for at_goal in storm["rounds_at_goal"])
            + f" s; here: {', '.join(f'{s:.2f}' for s in storm['rounds'])} s). CPU per sign-up: "
            f"the site's workers {cpu['site']} ms, PostgreSQL {_or_dash(cpu['postgres'])} ms, "
            f"Redis {_or_dash(cpu['redis'])} ms, the load generator's threads "
            f"{cpu['generator']} ms."
        )
    else:  # an earlier run's figures, or a run without wrk: the seconds as measured
        text += f": all answered in {storm['seconds']:.2f} s in the middle round, as measured."
    text += (
        f" {storm['errors']} errors, {storm['seats']} seats taken, {storm['waitlisted']} on the "
        f"waitlist, {storm['refused']} refused"
        + (
            "; every round took exactly the seats there were."
            if storm.get("exact")
            else "; NOT every round took exactly the seats there were."
            if "exact" in storm
            else "."
        )
    )
    if before:
        text += (
            f" Before: {_at_goal_machine(before):.2f} s at that speed ({before['seconds']:.2f} s "
            "there)"
            if "yardstick" in before
            else f" Before: {before['seconds']:.2f} s as measured on its machine (not read at "
            "the goal's speed)"
        ) + f", {before['errors']} errors, {before['seats']} seats."
    return text.split("\n")


def _or_dash(figure):
    return "—" if figure is None else figure
