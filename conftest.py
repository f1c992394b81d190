"""Fixtures shared by every app's tests."""

import logging
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from types import SimpleNamespace

import boto3
import pytest
from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal import auth as totp_auth
from allauth.mfa.totp.internal.auth import TOTP
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import DatabaseError, connections
from django.db.migrations.loader import MigrationLoader
from django.utils import translation
from moto.server import ThreadedMotoServer
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from cases import mailbox
from home.models import HomePage
from owners import claims
from owners.models import Estate, OwnershipClaim, Unit, User
from portal.models import Outgoing
from portal.outbox import QUEUES
from portal.settings.base import media_storages
from portal.tests import services
from search import synonyms, words

PASSWORD = "correct-horse-battery"
# Every account that can open the admin must have an authenticator app (portal.signin), so the
# staff that make_user creates have one with this secret; totp_code() gives its current code.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Each test starts with an empty cache (rate limits live there, and the search's synonyms
    and pinyin spellings, which a process also keeps a while, as it does the complaint inbox's
    health for the admin's warning), its own media folder and the site's default language: a
    request of the test client leaves its language active in the thread, as LocaleMiddleware
    sets it, and an action's messages would otherwise be in whatever the last test asked."""
    translation.deactivate()
    cache.clear()
    synonyms.forget()
    words.forget()
    mailbox.remembered_health.forget()
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
    yield
    cache.clear()


#: The flood limits of portal/limits.py, off in tests that send in quick succession;
#: the tests of the limits (portal/tests/test_limits.py) put them back.
FLOOD_LIMITS = (
    "CASE_SECONDS_BETWEEN_CASES",
    "CASES_PER_DAY",
    "CASE_SECONDS_BETWEEN_MESSAGES",
    "CASE_MESSAGES_PER_DAY",
    "CLUB_REFERRALS_PER_DAY",
    "CLUB_SECONDS_BETWEEN_REDEMPTIONS",
)


@pytest.fixture(autouse=True)
def _no_flood_limits(settings):
    for name in FLOOD_LIMITS:
        setattr(settings, name, 0)


def make_user(username, *, email=None, groups=(), verified_email=True, **fields):
    email = email or f"{username}@example.com"
    # A number an owner gave is one they proved with a code, as sign-up asks.
    fields.setdefault("mobile_verified", bool(fields.get("mobile")))
    user = User.objects.create_user(username=username, email=email, password=PASSWORD, **fields)
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    EmailAddress.objects.create(user=user, email=email, verified=verified_email, primary=True)
    if groups or fields.get("is_superuser"):
        TOTP.activate(user, TOTP_SECRET)
    return user


def sms_code(phone):
    """The last verification code texted to `phone` (+86…): the tests' SMS backend sends
    nothing, the outbox row is the text (portal.sms.OutboxBackend)."""
    texts = Outgoing.objects.filter(kind="sms", recipient=phone).order_by("-pk")
    for text in texts:
        if text.payload["template"] == "verification_code":
            return text.payload["params"]["code"]
    return None


def totp_code(secret=TOTP_SECRET):
    """The code an authenticator app shows now."""
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD
    return totp_auth.format_hotp_value(totp_auth.hotp_value(secret, counter))


def sign_in_staff(page, site, user, next_url="/admin/"):
    """Sign `user` in through the site's one login page and the second step, in a browser."""
    page.goto(f"{site}/accounts/login/?next={next_url}")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.press("input[name=password]", "Enter")
    page.fill("input[name=code]", totp_code())
    with page.expect_navigation():
        page.press("input[name=code]", "Enter")
    expect(page).to_have_url(f"{site}{next_url}")


def add_block(page, stream, icon):
    """In the page editor, add a block of the kind shown with `icon` (pilcrow: a paragraph)
    to a StreamField (`stream`, its [data-contentpath] locator). A click on the field's "+"
    that lands while the field's scripts are still starting opens nothing: it is clicked again
    while the menu has not shown."""
    option = page.locator(f"[role=option]:has(.icon-{icon})")
    for _try in range(3):
        if not option.is_visible():
            stream.locator("button.c-sf-add-button").first.click()
        try:
            option.wait_for(state="visible", timeout=10_000)
            break
        except PlaywrightTimeout:
            continue
    option.click()


@pytest.fixture
def owner(db):
    return make_user("owner", real_name="王建国", mobile="13800138000")


@pytest.fixture
def other_owner(db):
    return make_user("neighbour", real_name="李静", mobile="13900139000")


@pytest.fixture
def estate(db):
    estate = Estate.objects.create(name="金都·翠湖苑", city="杭州", district="西湖区")
    Unit.objects.bulk_create(
        Unit(estate=estate, building=f"{b}栋", number=f"{f:02d}0{d}", floor_area=100 + d)
        for b in (1, 2, 3)
        for f in (1, 2, 12)
        for d in (1, 2)
    )
    return estate


@pytest.fixture
def unit(estate):
    return Unit.objects.get(estate=estate, building="3栋", number="1201")


def claims_desk():
    """The account that approves the fixtures' claims: it holds the one permission the approval
    asks for, and no group, so it shows up in no staff list."""
    desk = User.objects.filter(username="claims-desk").first()
    if desk is None:
        desk = User.objects.create_user("claims-desk", "claims-desk@example.com")
        desk.user_permissions.add(Permission.objects.get(codename="review_ownershipclaim"))
    return desk


def verify(user, unit, proof="HT-1"):
    """Make `user` a verified owner of `unit` the way the site does: a claim, then its approval."""
    claim = claims.submit_claim(user, unit, role=OwnershipClaim.Role.OWNER, proof=proof)
    claims.approve_claim(claim, claims_desk())
    user.refresh_from_db(fields=["is_verified_owner"])
    return user


def make_verified_owner(username, unit, **fields):
    return verify(make_user(username, **fields), unit, proof=f"HT-{username}")


@pytest.fixture
def verified_owner(owner, unit):
    return verify(owner, unit)


@pytest.fixture
def staff(db):
    """staff("Customer service") -> a user in that group, with an authenticator app."""

    def make(group):
        username = group.lower().replace(" ", "-")
        return make_user(username, groups=[group], real_name=group)

    return make


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


# -- A real Celery worker, for tests that need task delivery through the broker -------------


@pytest.fixture(scope="session")
def celery_worker_queue():
    """Start `celery worker` against CELERY_BROKER_URL, taking every queue of the site (inbox,
    mail, bulk, default) under a prefix of its own; yield the name of its default queue."""
    if not os.environ.get("CELERY_BROKER_URL"):
        pytest.skip("CELERY_BROKER_URL is not set: no broker to deliver tasks through")
    # Queues and a node name of its own: with parallel test processes (pytest-xdist) sharing
    # the broker, no worker ever takes another process's tasks or control messages.
    prefix = f"test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{uuid.uuid4().hex[:8]}-"
    queues = ",".join(prefix + queue for queue in QUEUES)
    worker = subprocess.Popen(
        [
            *(sys.executable, "-m", "celery", "-A", "portal", "worker"),
            *("--pool", "solo", "--queues", queues, "--hostname", f"{prefix}w@%h"),
            *("--loglevel", "warning"),
            *("--without-gossip", "--without-mingle", "--without-heartbeat"),
        ],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings.test",
            "CELERY_QUEUE_PREFIX": prefix,
        },
        cwd=settings.BASE_DIR,
    )
    yield prefix + "default"
    worker.send_signal(signal.SIGTERM)
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()


@pytest.fixture
def smtp_sink():
    """An SMTP server on a free port that keeps what it receives (portal/tests/services.py)."""
    sink = services.SMTPSink()
    yield sink
    sink.close()


@pytest.fixture
def fault_services():
    """A private redis-server to start and stop, an SMTP sink, Celery workers on the test
    database, and a switch that sends this test process's tasks to that broker
    (portal/tests/services.py, `Faults`)."""
    with services.fault_services() as started:
        yield started


# -- Headless Chromium for the browser tests -------------------------------------------------

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    # Tests that commit to the database empty it when they end; run them after the others.
    items.sort(
        key=lambda item: (
            item.get_closest_marker("django_db") is not None
            and item.get_closest_marker("django_db").kwargs.get("transaction", False)
        )
    )
    if os.path.exists(CHROMIUM):
        return
    if os.environ.get("REQUIRE_BROWSER"):
        raise pytest.UsageError(f"REQUIRE_BROWSER is set but {CHROMIUM} is missing")
    skip = pytest.mark.skip(reason=f"Chromium is not installed at {CHROMIUM}")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


# -- The test database, kept between runs (--reuse-db; --create-db makes it anew) ------------


def kept_database_is_current():
    """Whether the kept test database still has what the migrations made, and no migration that
    is gone from the code (renamed, squashed or moved to another app)."""
    connection = connections["default"]
    name = connection.creation._get_test_db_name()
    if connection.vendor == "sqlite" and connection.creation.is_in_memory_db(name):
        return True  # nothing is kept
    probe = connection.__class__({**connection.settings_dict, "NAME": name}, "kept")
    try:
        with probe.cursor() as cursor:
            cursor.execute("SELECT app, name FROM django_migrations")
            applied = set(cursor.fetchall())
            cursor.execute("SELECT 1 FROM auth_group")
            migrated_rows = cursor.fetchone() is not None
    except DatabaseError:
        return True  # no database or no tables yet: made and migrated as usual
    finally:
        probe.close()
    on_disk = MigrationLoader(None).disk_migrations
    known = set(on_disk).union(*(migration.replaces for migration in on_disk.values()))
    return migrated_rows and applied <= known


@pytest.fixture(scope="session")
def django_db_createdb(request, django_db_modify_db_settings, django_db_blocker):
    """Make the test database anew when asked (--create-db) or when the kept one is stale."""
    if request.config.getvalue("create_db"):
        return True
    if not request.config.getvalue("reuse_db"):
        return False
    with django_db_blocker.unblock():
        return not kept_database_is_current()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_keepdb, django_db_blocker):
    """Leave a kept database as the migrations made it. Tests that commit empty every table when
    they end (serialized_rollback loads the rows back only when the next such test starts)."""
    contents = getattr(connections["default"], "_test_serialized_contents", None)
    yield
    if django_db_keepdb and contents:
        with django_db_blocker.unblock():
            if not Group.objects.exists():
                put_back_migrated_data(connections["default"], contents)


def put_back_migrated_data(connection, contents):
    """What TransactionTestCase does between tests: empty the tables, load the saved rows."""
    call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True)
    connection.creation.deserialize_db_from_string(contents)
    # flush restarted every sequence at 1, and the rows just loaded keep their ids: move
    # each sequence past them, or the next page or user created would reuse an id.
    statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    # The loaded content types need not have the ids this process cached from the database the
    # tests before saw (a cached id would then name another model: a page read as a task).
    # Read them all again: a cache left empty would make the next put-back's signal handlers
    # create content types before the saved ones are loaded.
    ContentType.objects.clear_cache()
    ContentType.objects.get_for_models(*apps.get_models(), for_concrete_models=False)


@pytest.fixture(autouse=True)
def _migrated_data_in_playwrights_context(request):
    """Put back what the migrations created (staff groups, Wagtail's root page) before each
    browser test.

    Playwright's sync API keeps an asyncio loop running on this thread, so Django keeps a second
    set of connections for this "async" context. When another test opened the database before
    the first Playwright test, the connection that holds the serialized migrated data is the
    other one, and serialized_rollback silently restores nothing between the tests.
    """
    if request.node.get_closest_marker("browser") is None:
        return
    connection = connections["default"]
    if hasattr(connection, "_test_serialized_contents"):
        return  # Django restores the data itself
    original = getattr(connections._connections._storage, "default", None)  # the sync side's
    contents = getattr(original, "_test_serialized_contents", None)
    if contents:
        connection._test_serialized_contents = contents
        put_back_migrated_data(connection, contents)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # The system's Chromium: nothing is downloaded, and it never reaches for the network.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


#: The elements sticking out past the right edge of the screen: [] on a page that fits.
OVERFLOW = """() => {
    const width = document.documentElement.clientWidth;
    return [...document.querySelectorAll("body *")]
        .filter((el) => el.getBoundingClientRect().right > width + 1)
        .map((el) => el.tagName + "." + el.className);
}"""


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """A phone: most owners use the site on one."""
    return {**browser_context_args, "viewport": {"width": 360, "height": 740}, "locale": "zh-CN"}


# -- A private IMAP server (Debian's dovecot) for the complaint inbox -------------------------

IMAP_USER, IMAP_PASSWORD = "inbox@example.test", "inbox-password"
DOVECOT_CONF = """
protocols = imap
listen = 127.0.0.1
base_dir = {tmp}/run
state_dir = {tmp}/state
instance_name = dovecot-test-{port}
log_path = {tmp}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
first_valid_uid = 5000
mail_location = maildir:{tmp}/mail/%d/%n/Maildir
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {tmp}/users
}}
userdb {{
  driver = static
  args = uid=5000 gid=5000 home={tmp}/mail/%d/%n
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""


@pytest.fixture(scope="session")
def imap_server():
    """Start dovecot on a free loopback port; yield its CASE_IMAP settings."""
    dovecot = shutil.which("dovecot") or "/usr/sbin/dovecot"
    if not os.path.exists(dovecot):
        if os.environ.get("REQUIRE_IMAP"):
            raise RuntimeError("REQUIRE_IMAP is set but dovecot is not installed")
        pytest.skip("dovecot is not installed (apt-get install dovecot-imapd)")
    # Not under pytest's private temp folder: dovecot's auth process must read the users file.
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="portal-imap-"))
    tmp.chmod(0o755)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    (tmp / "mail").mkdir()
    os.chown(tmp / "mail", 5000, 5000)
    (tmp / "users").write_text(f"{IMAP_USER}:{{PLAIN}}{IMAP_PASSWORD}\n")
    conf = tmp / "dovecot.conf"
    conf.write_text(DOVECOT_CONF.format(tmp=tmp, port=port))
    subprocess.run([dovecot, "-c", str(conf)], check=True)
    for _ in range(100):
        with socket.socket() as client:
            if client.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.05)
    yield {
        "host": "127.0.0.1",
        "port": port,
        "security": "none",
        "user": IMAP_USER,
        "password": IMAP_PASSWORD,
        "folder": "INBOX",
        "processed_folder": "Processed",
        "quarantine_folder": "Quarantine",
        "reply_address": "",
    }
    subprocess.run([dovecot, "-c", str(conf), "stop"], check=False)
    shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture
def home_page(db):
    """The site's home page, made by home's migrations."""
    return HomePage.objects.get()


@pytest.fixture(scope="session")
def s3_server():
    """An S3-compatible server (moto's) on a free loopback port; yields its endpoint URL."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # not a line per request
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def object_storage(settings, s3_server):
    """Public and private files in two new buckets of s3_server, configured as production would
    be (portal.settings.base.media_storages); yields a boto3 client and the bucket names."""
    public, private = f"media-{uuid.uuid4().hex[:12]}", f"private-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    client.create_bucket(Bucket=public)
    client.create_bucket(Bucket=private)
    settings.STORAGES = {
        **settings.STORAGES,
        **media_storages(
            MEDIA_BUCKET=public,
            PRIVATE_MEDIA_BUCKET=private,
            MEDIA_URL="/media/",
            S3_ENDPOINT_URL=s3_server,
            S3_REGION="us-east-1",
            S3_ACCESS_KEY_ID="test",
            S3_SECRET_ACCESS_KEY="test",
            S3_ADDRESSING_STYLE="path",
        ),
    }
    settings.SERVE_MEDIA = False
    yield SimpleNamespace(client=client, endpoint=s3_server, public=public, private=private)
