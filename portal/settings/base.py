"""Settings shared by every environment.

Everything that differs between a laptop and production is read from the environment, so one
code base runs on the embedded defaults (SQLite, in-process tasks, console email) and on
PostgreSQL, Redis and Celery workers alike.
"""

import json
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

# Two directories, the same in a checkout, apart in an installed package:
# SHARED_DIR holds the templates, static files and catalogue shared by every app (templates/,
# static/, locale/). They sit at the top of the repository; a wheel carries them inside this
# package, in portal/_site/ (setup.py copies them there), so the same settings find them in both.
# BASE_DIR is where the site writes unless told otherwise (the SQLite file, collected static
# files, uploads): the checkout, or the working directory of an installed package (production
# sets each of them: README, "Running it in production").
PACKAGE_DIR = Path(__file__).resolve().parent.parent
if (PACKAGE_DIR / "_site").is_dir():  # installed from the wheel
    SHARED_DIR = PACKAGE_DIR / "_site"
    BASE_DIR = Path.cwd()
else:  # a checkout
    SHARED_DIR = BASE_DIR = PACKAGE_DIR.parent


def env(name, default=None):
    return os.environ.get(name, default)


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def env_bool(name, default=False):
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = env("SECRET_KEY")
# ID numbers in the owner archive are encrypted with a key drawn from SECRET_KEY and this salt
# (django-fernet-encrypted-fields). To change SECRET_KEY, put the old one in
# SECRET_KEY_FALLBACKS (comma-separated) until every record has been saved again.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")
SALT_KEY = env("ARCHIVE_SALT_KEY", "jindu-owner-archive")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "portal",
    "owners",
    "home",
    "cases",
    "repairs",
    "forum",
    "club",
    "events",
    "publications",
    "notices",
    "fees",
    "search",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.table_block",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "django.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "owners.apps.UsersAppConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.weixin",
    "portal.weixin.mp",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    # Anonymous, cookie-less visits of shared pages, answered before anything below runs; it
    # stores the headers everything below added and replays them (portal/pagecache.py).
    "portal.pagecache.SharedPageCacheMiddleware",
    # What several parts of a page ask for, read once a request (portal/memo.py).
    "portal.memo.RequestMemoMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.csp.PagePolicyMiddleware",  # before the size limit: its 413 page gets the policy too
    "portal.middleware.RequestSizeLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.PreferredLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "portal.middleware.AuthenticationMiddleware",  # Django's, the user loaded at once
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "portal.signin.SecondFactorRequiredMiddleware",
    "home.privacy.PrivacyConsentMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, so first on the way out: the reader's own parts of a page kept for every reader.
    "portal.framing.ReaderPartsMiddleware",
]

# Query parameters an address may carry and still be answered from the shared page cache
# (portal/pagecache.py), with the values allowed: the pages' and lists' numbers, the news by
# estate. Any other query string is answered fresh.
PAGE_CACHE_QUERY_PARAMETERS = {"page": r"[1-9][0-9]{0,3}", "estate": r"[1-9][0-9]{0,8}"}
# Addresses no page under which is ever shared: the cache is not even asked (a Redis round trip
# saved on every probe, sign-in page and admin screen).
PAGE_CACHE_NEVER = (
    "/healthz",
    "/readyz",
    "/admin/",
    "/accounts/",
    "/me/",
    "/csp-report/",
    "/static/",  # STATIC_URL: WhiteNoise's
    "/media/",
)

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SHARED_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
                "portal.context_processors.site",
                "portal.context_processors.admin_warnings",  # after Django's messages
            ],
        },
    },
]

# Database: a SQLite file unless DATABASE_URL points elsewhere (PostgreSQL in production).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(env("CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A web request and a task may write at once; wait for the lock instead of failing.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "owners.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# allauth's backend alone: it signs in by email (and answers permission checks like Django's, in
# one query: portal.signin.AuthenticationBackend). Django's ModelBackend is left out so that
# nothing but allauth's login, with its limits, email verification and second factor, can turn a
# password into a session.
AUTHENTICATION_BACKENDS = ["portal.signin.AuthenticationBackend"]

# Cache and sessions: Redis when REDIS_URL is set, so every web process shares them. An outage
# is a miss, never an error (portal/cache.py): timeouts of a fraction of a second, sessions read
# from the database (cached_db), and allauth's sign-in limits counted in a database table until
# Redis answers again.
REDIS_URL = env("REDIS_URL")


def redis_cache(url):
    return {
        "BACKEND": "portal.cache.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": "portal",
        "OPTIONS": {
            "SOCKET_CONNECT_TIMEOUT": float(env("REDIS_CONNECT_TIMEOUT", "0.25")),
            "SOCKET_TIMEOUT": float(env("REDIS_TIMEOUT", "0.5")),
            # Kept in the database while Redis is down: allauth's rate limits (failed sign-ins,
            # sign-ups, resets) and its record of authenticator codes already used, so neither
            # brute force nor a replayed code gets through, and staff still sign in.
            "FALLBACK_PREFIXES": ["allauth:rl:", "allauth.mfa.totp.used"],
            "FALLBACK_TABLE": "portal_cache_fallback",
        },
    }


if REDIS_URL:
    CACHES = {"default": redis_cache(REDIS_URL)}
    SESSION_ENGINE = "portal.sessions"  # Django's cached_db, read with what comes next
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Language and time: Simplified Chinese first, English second; chosen by the browser,
# switchable on every page and remembered in a cookie (and on the owner's profile).
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [SHARED_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# Static files are served by WhiteNoise from the web process itself, no CDN.
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [SHARED_DIR / "static"]
# Public uploads (avatars, CMS images). MEDIA_URL may name another host, e.g.
# https://files.example-usercontent.com/media/, so they never share the site's origin.
MEDIA_URL = env("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
# Private files (case attachments, forum pictures, "my data" ZIPs): never under MEDIA_URL;
# served only by the views that check who asks (portal/storage.py).
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private-media")))
# Object storage through the S3 API (AWS S3, Aliyun OSS, Tencent COS, MinIO, ...), so that any
# number of web servers share the files. Each store whose bucket is named moves there; the other
# stays in its folder. The private bucket must allow no anonymous read; the public one is read
# at MEDIA_URL when that names a host (a CDN or the bucket's own domain), else at the endpoint.
MEDIA_BUCKET = env("MEDIA_BUCKET", "")
PRIVATE_MEDIA_BUCKET = env("PRIVATE_MEDIA_BUCKET", "")
S3_ENDPOINT_URL = env("S3_ENDPOINT_URL", "")  # empty: AWS's own for S3_REGION
S3_REGION = env("S3_REGION", "")
S3_ACCESS_KEY_ID = env("S3_ACCESS_KEY_ID", "")
S3_SECRET_ACCESS_KEY = env("S3_SECRET_ACCESS_KEY", "")
S3_ADDRESSING_STYLE = env("S3_ADDRESSING_STYLE", "virtual")  # virtual (OSS, COS) or path
# The ACL each public upload gets; empty when the bucket's own policy grants the public read
# (needed where object ACLs are turned off). CMS documents are always written private.
MEDIA_OBJECT_ACL = env("MEDIA_OBJECT_ACL", "public-read")
# How long a signed address to a private object lasts, if one is ever made (the views stream).
PRIVATE_MEDIA_URL_SECONDS = int(env("PRIVATE_MEDIA_URL_SECONDS", "300"))


def media_storages(**given):
    """STORAGES for public ("default") and private ("private") files, from the settings above
    (or the values given: the storage tests point them at their own S3 server)."""
    names = ("MEDIA_BUCKET", "PRIVATE_MEDIA_BUCKET", "MEDIA_URL", "MEDIA_OBJECT_ACL")
    names += ("S3_ENDPOINT_URL", "S3_REGION", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY")
    names += ("S3_ADDRESSING_STYLE", "PRIVATE_MEDIA_URL_SECONDS")
    s = {name: globals()[name] for name in names} | given

    def bucket(backend, name, **options):  # django-storages' S3 backend
        return {
            "BACKEND": backend,
            "OPTIONS": {
                "bucket_name": name,
                "endpoint_url": s["S3_ENDPOINT_URL"] or None,
                "region_name": s["S3_REGION"] or None,
                "access_key": s["S3_ACCESS_KEY_ID"] or None,
                "secret_key": s["S3_SECRET_ACCESS_KEY"] or None,
                "addressing_style": s["S3_ADDRESSING_STYLE"],
                "signature_version": "s3v4",
                "file_overwrite": False,  # two uploads of one name keep both (CMS originals)
                # A file read from the bucket is held in memory up to this, then on disk.
                "max_memory_size": 5 * 1024 * 1024,
                **options,
            },
        }

    public = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if s["MEDIA_BUCKET"]:
        public = bucket(
            "portal.s3.PublicMediaStorage",
            s["MEDIA_BUCKET"],
            querystring_auth=False,
            default_acl=s["MEDIA_OBJECT_ACL"] or None,
        )
        media = urlsplit(s["MEDIA_URL"])
        if media.netloc:  # addresses under MEDIA_URL (a CDN, the bucket's own domain)
            public["OPTIONS"]["custom_domain"] = f"{media.netloc}{media.path}".rstrip("/")
            public["OPTIONS"]["url_protocol"] = f"{media.scheme}:"
    private = {"BACKEND": "portal.storage.PrivateFileSystemStorage"}
    if s["PRIVATE_MEDIA_BUCKET"]:
        private = bucket(
            "storages.backends.s3.S3Storage",
            s["PRIVATE_MEDIA_BUCKET"],
            default_acl="private",
            querystring_auth=True,
            querystring_expire=s["PRIVATE_MEDIA_URL_SECONDS"],
        )
    return {"default": public, "private": private}


STORAGES = {
    **media_storages(),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CASE_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
CASE_REOPEN_DAYS = int(env("CASE_REOPEN_DAYS", "14"))
# Owners' rights over their data; what is kept, why and how long: docs/privacy.md.
DATA_EXPORT_DAYS = int(env("DATA_EXPORT_DAYS", "7"))  # a "my data" ZIP is deleted after this
DATA_EXPORTS_PER_DAY = int(env("DATA_EXPORTS_PER_DAY", "3"))
# A closure request nobody carried out is carried out by the daily task after this many days
# (the national standard GB/T 35273 asks for no more than 15 working days).
ACCOUNT_CLOSURE_DAYS = int(env("ACCOUNT_CLOSURE_DAYS", "15"))
# A closed account's cases stay in the ledger this long, then are anonymised: three years, the
# Civil Code's general limitation period for claims (art. 188).
CASE_RETENTION_DAYS = int(env("CASE_RETENTION_DAYS", "1095"))
# A font file with Chinese glyphs for member card images; empty: the first one found of
# Noto Sans CJK, WenQuanYi Micro Hei, DejaVu Sans.
CLUB_CARD_FONT = env("CLUB_CARD_FONT", "")
# The club's issuer prefix: the first four digits of every member card number (then 11 random
# digits and a check digit). Set it once, before the first card is issued.
CLUB_CARD_PREFIX = env("CLUB_CARD_PREFIX", "8866")
if not (len(CLUB_CARD_PREFIX) == 4 and CLUB_CARD_PREFIX.isascii() and CLUB_CARD_PREFIX.isdigit()):
    raise ImproperlyConfigured("CLUB_CARD_PREFIX must be four digits.")
# The dedicated complaint inbox, polled by a Celery beat task (and `manage.py poll_case_inbox`).
CASE_IMAP = {
    "host": env("CASE_IMAP_HOST", ""),
    "port": int(env("CASE_IMAP_PORT", "993")),
    "security": env("CASE_IMAP_SECURITY", "ssl"),  # ssl, starttls or none
    "user": env("CASE_IMAP_USER", ""),
    "password": env("CASE_IMAP_PASSWORD", ""),
    "folder": env("CASE_IMAP_FOLDER", "INBOX"),
    "processed_folder": env("CASE_IMAP_PROCESSED_FOLDER", "Processed"),
    # Messages the inbox cannot handle go here (created when missing) and are shown to staff.
    "quarantine_folder": env("CASE_IMAP_QUARANTINE_FOLDER", "Quarantine"),
    # The inbox's address: case emails ask for replies at <local>+<reply token>@<domain> (the
    # mail server must deliver plus-addresses to the inbox). Empty: no Reply-To is set.
    "reply_address": env("CASE_IMAP_REPLY_ADDRESS", ""),
}
# The authserv-id(s) (comma-separated) of the receiving mail server whose Authentication-Results
# headers the inbox believes; every other such header may be written by the sender. Empty: no
# sender is authenticated by headers (only reply tokens make an email the owner's).
CASE_IMAP_TRUSTED_AUTHSERV_ID = env("CASE_IMAP_TRUSTED_AUTHSERV_ID", "")
# Staff see that the inbox is in trouble after this many failed polls in a row, or this long.
CASE_INBOX_TROUBLE_POLLS = int(env("CASE_INBOX_TROUBLE_POLLS", "3"))
CASE_INBOX_TROUBLE_MINUTES = int(env("CASE_INBOX_TROUBLE_MINUTES", "10"))

# Media from this process (fine for one host); set SERVE_MEDIA=false when a proxy or object
# storage serves MEDIA_URL.
SERVE_MEDIA = env_bool("SERVE_MEDIA", not MEDIA_BUCKET)
# Request bodies: the largest a person sends is a case with 6 attachments of 10 MB each (the
# forum: 6 pictures of 8 MB; the admin: a document of 60 MB, an image of 10 MB). A body whose
# Content-Length is above MAX_REQUEST_BYTES gets 413 before it is read (the proxy in front
# should refuse it first: nginx client_max_body_size). Form fields other than files may take
# DATA_UPLOAD_MAX_MEMORY_SIZE; uploads above FILE_UPLOAD_MAX_MEMORY_SIZE go to a temporary file.
MAX_REQUEST_BYTES = int(env("MAX_REQUEST_MB", "64")) * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 20

# Email: printed to the console unless an SMTP host is configured.
EMAIL_HOST = env("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(env("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
else:
    # Each email as a few readable lines (portal/console_mail.py).
    EMAIL_BACKEND = "portal.console_mail.EmailBackend"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "金都客服中心 <service@jindu.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_SUBJECT_PREFIX = "[金都客服] "

# Text messages (portal/sms.py): printed to the console unless a provider is chosen.
# SMS_PROVIDER=aliyun or tencent, with the account's key (SMS_ACCESS_KEY_ID and _SECRET), the
# approved signature (SMS_SIGN_NAME) and the approved templates' ids as JSON, e.g.
# SMS_TEMPLATES='{"verification_code": "SMS_4000001"}'. Tencent also needs SMS_APP_ID.
SMS_PROVIDER = env("SMS_PROVIDER", "")
SMS_BACKEND = {
    "aliyun": "portal.sms_providers.AliyunBackend",
    "tencent": "portal.sms_providers.TencentBackend",
    "": "portal.sms.ConsoleBackend",
}[SMS_PROVIDER]
SMS_SIGN_NAME = env("SMS_SIGN_NAME", "金都地产")
SMS_TEMPLATES = json.loads(env("SMS_TEMPLATES", "{}"))
SMS_ACCESS_KEY_ID = env("SMS_ACCESS_KEY_ID", "")
SMS_ACCESS_KEY_SECRET = env("SMS_ACCESS_KEY_SECRET", "")
SMS_APP_ID = env("SMS_APP_ID", "")
SMS_REGION = env("SMS_REGION", "ap-guangzhou" if SMS_PROVIDER == "tencent" else "cn-hangzhou")
# Where the provider's API answers: its own address unless set (the tests' fake servers).
SMS_ENDPOINT = env("SMS_ENDPOINT", "")
SMS_TIMEOUT = int(env("SMS_TIMEOUT", "10"))
# No text but a code someone waits for between these hours (Beijing time): sent at the end.
SMS_QUIET_HOURS = (21, 8)
# At most this many texts a day to one number, sign-in codes aside (portal/channels.py): past
# it, a message goes by the owner's other channels.
SMS_DAILY_LIMIT = int(env("SMS_DAILY_LIMIT", "5"))

# Celery: a Redis broker when CELERY_BROKER_URL is set; otherwise tasks run in-process.
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", CELERY_BROKER_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# A task taken by a worker that dies (kill -9, a lost host) goes back to the queue after this
# many seconds (Redis's default is an hour); the outbox relay hands its rows over sooner anyway.
# Nothing is queued with a countdown longer than this (retries wait in the outbox, not Redis).
# A request hands its outbox rows to the broker with no retry and a short connection timeout:
# a broker that does not answer costs it at most a second, and the relay delivers later.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(env("CELERY_VISIBILITY_TIMEOUT", "600")),
    "socket_connect_timeout": 1,
    "socket_timeout": 5,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 5}
# Queues (portal/outbox.py): the inbox poll, one-to-one emails (cases, accounts), bulk emails
# (mailings, digests, forum followers) and the rest. Workers name the queues they take
# (README, "Production"). A prefix keeps parallel test runs apart on one broker.
CELERY_QUEUE_PREFIX = env("CELERY_QUEUE_PREFIX", "")
CELERY_TASK_DEFAULT_QUEUE = CELERY_QUEUE_PREFIX + "default"
CELERY_TASK_ROUTES = {
    "cases.tasks.poll_case_inbox": {"queue": CELERY_QUEUE_PREFIX + "inbox"},
    "portal.tasks.send_notification_digests": {"queue": CELERY_QUEUE_PREFIX + "bulk"},
    "club.tasks.send_dates_digest": {"queue": CELERY_QUEUE_PREFIX + "bulk"},
    "club.tasks.greet_birthdays": {"queue": CELERY_QUEUE_PREFIX + "bulk"},
    "cases.tasks.send_monthly_case_report": {"queue": CELERY_QUEUE_PREFIX + "bulk"},
    "repairs.tasks.send_monthly_repair_report": {"queue": CELERY_QUEUE_PREFIX + "bulk"},
    "cases.tasks.send_weekly_case_summary": {"queue": CELERY_QUEUE_PREFIX + "bulk"},
    "events.tasks.send_event_reminders": {"queue": CELERY_QUEUE_PREFIX + "bulk"},
}
# The outbox: a row still pending this long after it was handed to a worker is handed over
# again by the relay; a job holds its row this long before another worker may take it over;
# a row that failed this many times stays failed until staff retry it; sent rows are kept
# this many days (their keys keep a period's digest or report from going out twice).
OUTBOX_RELAY_AFTER = int(env("OUTBOX_RELAY_AFTER", "120"))
OUTBOX_LEASE_SECONDS = int(env("OUTBOX_LEASE_SECONDS", "900"))
OUTBOX_MAX_ATTEMPTS = int(env("OUTBOX_MAX_ATTEMPTS", "8"))
OUTBOX_KEEP_DAYS = int(env("OUTBOX_KEEP_DAYS", "100"))
CELERY_BEAT_SCHEDULE = {
    "outbox-relay": {"task": "portal.outbox.relay", "schedule": 60.0},
    "publish-scheduled-pages": {"task": "portal.tasks.publish_scheduled", "schedule": 60.0},
    "outbox-purge": {"task": "portal.outbox.purge", "schedule": crontab(hour=4, minute=10)},
    "case-inbox": {"task": "cases.tasks.poll_case_inbox", "schedule": 120.0},
    "case-escalation": {
        "task": "cases.tasks.escalate_overdue_cases",
        "schedule": crontab(minute="*/15"),
    },
    # A technician not there by the end of the booked window, or not done in time.
    "repairs-late-jobs": {
        "task": "repairs.tasks.chase_late_work_orders",
        "schedule": crontab(minute="7,22,37,52"),
    },
    # Special services whose day has passed: done, their unused gate passes void.
    "repairs-past-services": {
        "task": "repairs.tasks.close_past_special_services",
        "schedule": crontab(hour=0, minute=20),
    },
    # 每周五上午汇总项目数据并上报: the report week (Friday to Thursday) to managers.
    "case-weekly-summary": {
        "task": "cases.tasks.send_weekly_case_summary",
        "schedule": crontab(day_of_week=5, hour=9, minute=0),
    },
    "case-monthly-report": {
        "task": "cases.tasks.send_monthly_case_report",
        "schedule": crontab(day_of_month=1, hour=8, minute=30),
    },
    "fees-reminders": {
        "task": "fees.reminders.remind_overdue",
        "schedule": crontab(hour=9, minute=15),
    },
    "fees-monthly-report": {
        "task": "fees.reports.send_monthly_fee_report",
        "schedule": crontab(day_of_month=1, hour=8, minute=50),
    },
    "repairs-monthly-report": {
        "task": "repairs.tasks.send_monthly_repair_report",
        "schedule": crontab(day_of_month=1, hour=8, minute=40),
    },
    "notification-digests": {
        "task": "portal.tasks.send_notification_digests",
        "schedule": crontab(hour=8, minute=0),
    },
    "data-exports-expiry": {
        "task": "owners.tasks.expire_data_exports",
        "schedule": crontab(minute=20),
    },
    "account-closures-due": {
        "task": "owners.tasks.carry_out_closures",
        "schedule": crontab(hour=3, minute=0),
    },
    "case-retention": {
        "task": "cases.tasks.anonymise_expired_cases",
        "schedule": crontab(hour=3, minute=30),
    },
    "club-points-expiry": {
        "task": "club.tasks.expire_points",
        "schedule": crontab(hour=0, minute=30),
    },
    "club-tiers": {"task": "club.tasks.recalculate_tiers", "schedule": crontab(hour=1, minute=0)},
    "club-birthdays": {"task": "club.tasks.greet_birthdays", "schedule": crontab(hour=9, minute=0)},
    "club-event-reminders": {
        "task": "events.tasks.send_event_reminders",
        "schedule": crontab(hour=10, minute=0),
    },
    "club-dates-digest": {
        "task": "club.tasks.send_dates_digest",
        "schedule": crontab(day_of_week="mon", hour=8, minute=15),
    },
}

# Accounts (django-allauth). Owners sign up with a mobile number proved by an SMS code and a
# password, and may add an email address later (我的 → 账户); they sign in with the number or a
# confirmed address, and the password or a code sent to either. Staff sign in with their work
# email at the same door (see portal/signin.py and README, "Signing in").
ACCOUNT_LOGIN_METHODS = {"email", "phone"}
# The number is optional to allauth, so that staff and the accounts made before numbers (with
# their email) still sign in; the sign-up form asks for it all the same (portal.signin_forms),
# hence the silenced warning that no sign-in method is required at sign-up.
ACCOUNT_SIGNUP_FIELDS = ["phone", "password1*", "password2*"]
SILENCED_SYSTEM_CHECKS = ["account.W001"]
# An address added is sent a link to confirm it; until it is confirmed it does not sign in
# (portal.signin_forms.LoginForm).
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_PHONE_VERIFICATION_ENABLED = True
ACCOUNT_PHONE_VERIFICATION_TIMEOUT = 10 * 60
ACCOUNT_PHONE_VERIFICATION_MAX_ATTEMPTS = 3
ACCOUNT_PHONE_VERIFICATION_SUPPORTS_RESEND = True
ACCOUNT_PHONE_VERIFICATION_SUPPORTS_CHANGE = True
# The six digits every Chinese app sends.
ACCOUNT_PHONE_VERIFICATION_CODE_FORMAT = {"numeric": True, "length": 6, "dashed": False}
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 10 * 60
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 3
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
# Adding or changing an email address asks for the password again (allauth's default does not):
# a session left open must not move the account to another mailbox, then reset the password.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = EMAIL_SUBJECT_PREFIX
ACCOUNT_ADAPTER = "portal.adapters.AccountAdapter"
ACCOUNT_FORMS = {
    "login": "portal.signin_forms.LoginForm",
    "signup": "portal.signin_forms.SignupForm",
    "request_login_code": "portal.signin_forms.RequestLoginCodeForm",
    "verify_phone": "portal.signin_forms.VerifyPhoneForm",
}
ACCOUNT_USER_DISPLAY = str  # the person's name ("以 王建国 成功登录"), never the random username
# The privacy policy box on the sign-up form; its consent is recorded with the new account.
ACCOUNT_SIGNUP_FORM_CLASS = "home.privacy.SignupConsentForm"
ACCOUNT_RATE_LIMITS = {
    # Failed sign-ins count per client address and per address-and-account (portal.signin adds
    # the address to the key), so guessing from elsewhere never locks an owner out quickly, and
    # per account alone with a higher threshold, so guesses spread over many addresses are capped
    # too. The wrong codes at the second step count per account ("login_failed", allauth.mfa).
    "login_failed": "10/m/ip,5/5m/key",
    "login_failed_account": "30/1h/key",
    # Wrong passwords on a page or document that Wagtail protects with a shared password.
    "page_password_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    # Codes by SMS cost money and reach a person's phone: one a minute per number (the page
    # counts down to the next), ten a day per number, fifty a day per client address.
    "request_login_code": "20/m/ip,1/m/key,10/1d/key,50/1d/ip",
    "verify_phone": "1/m/key,3/m/ip,10/1d/key,50/1d/ip",
    "change_phone": "1/m/user",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
}
# The client's address for every limit: REMOTE_ADDR, or the entry that many proxies back in
# X-Forwarded-For (each trusted proxy appends the address it saw), or one header that a
# trusted proxy sets. Read by allauth (portal.signin.client_ip).
ALLAUTH_TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "0"))
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env("TRUSTED_CLIENT_IP_HEADER") or None
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "owners:dashboard"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"

# 微信登录 (allauth's WeChat provider, its addresses from here: portal/weixin): shown once WeChat's
# open platform has given the site's website application its id and secret. The first sign-in
# asks for the name and a mobile number, proved by a code, like any sign-up.
WECHAT_APP_ID = env("WECHAT_APP_ID", "")
WECHAT_APP_SECRET = env("WECHAT_APP_SECRET", "")
# Inside WeChat's own browser, the official account's web authorisation (公众号网页授权) signs in
# instead of the QR code, once its id and secret are set.
WECHAT_MP_APP_ID = env("WECHAT_MP_APP_ID", "")
WECHAT_MP_APP_SECRET = env("WECHAT_MP_APP_SECRET", "")
WECHAT_OPEN_URL = env("WECHAT_OPEN_URL", "https://open.weixin.qq.com")
# The official account's template messages (公众号模板消息, portal/wechat.py) to owners who signed in
# through it: a short message's name → the account's template id and its keywords, as JSON, e.g.
# WECHAT_TEMPLATES='{"case_update": {"id": "Tpl-1", "data": {"character_string1": "reference",
# "phrase2": "status"}}}'. A message without one goes by the owner's other channels.
WECHAT_TEMPLATES = json.loads(env("WECHAT_TEMPLATES", "{}"))
WECHAT_API_URL = env("WECHAT_API_URL", "https://api.weixin.qq.com")
SOCIALACCOUNT_PROVIDERS = {
    "weixin": {
        "provider_class": "portal.weixin.provider.WeixinProvider",
        "SCOPE": ["snsapi_login"],
        "APPS": (
            [{"client_id": WECHAT_APP_ID, "secret": WECHAT_APP_SECRET}] if WECHAT_APP_ID else []
        ),
    },
    "weixin_mp": {
        "SCOPE": ["snsapi_userinfo"],
        "APPS": (
            [{"client_id": WECHAT_MP_APP_ID, "secret": WECHAT_MP_APP_SECRET}]
            if WECHAT_MP_APP_ID
            else []
        ),
    },
}
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_FORMS = {"signup": "portal.signin_forms.SocialSignupForm"}

# Two-step verification (allauth.mfa): an authenticator app, with recovery codes. Required of
# every account that can open the admin (portal.signin), optional for owners.
MFA_ADAPTER = "portal.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "金都业主服务中心"
MFA_TOTP_TOLERANCE = 1  # a code from the previous or next 30 seconds: phone clocks drift
# allauth forbids changing the email address of an account with two-step verification on, against
# someone who signs up with another's address and turns it on. Here no account gets a session
# before its address is verified, and a new address replaces the old only once verified; so
# staff (who must keep it on) and owners change their address at allauth's page like everyone.
MFA_ALLOW_UNVERIFIED_EMAIL = True
MFA_FORMS = {
    "authenticate": "portal.signin_forms.AuthenticateForm",
    "reauthenticate": "portal.signin_forms.ReauthenticateForm",
    "activate_totp": "portal.signin_forms.ActivateTOTPForm",
}

# Wagtail
WAGTAIL_SITE_NAME = "金都业主服务中心"
#: The site's name on pages read in English.
SITE_NAME_EN = env("SITE_NAME_EN", "Jindu Owner Service Centre")
# One door for signing in: the admin's and private pages' logins send people to allauth's.
WAGTAILADMIN_LOGIN_URL = LOGIN_URL
WAGTAIL_FRONTEND_LOGIN_URL = LOGIN_URL
# Staff change their email address and password at allauth's pages, like owners (verified, limited,
# one address per account); Wagtail's account page links there (portal.signin_views).
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
WAGTAILADMIN_BASE_URL = env("SITE_URL", "http://127.0.0.1:8000")
WAGTAILIMAGES_IMAGE_MODEL = "home.SiteImage"
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_MAX_UPLOAD_SIZE = 60 * 1024 * 1024  # a magazine's PDF edition; under MAX_REQUEST_BYTES
# Documents: checked against their extension (portal.files), typed by it, always downloaded, and
# always through /documents/ so its access checks apply.
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "csv", "txt", "zip"]
WAGTAILDOCS_CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "csv": "text/csv",
    "txt": "text/plain",
    "zip": "application/zip",
}
WAGTAILDOCS_INLINE_CONTENT_TYPES = []
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "home.forms.DocumentForm"
# No SVG: it can carry script.
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no third-party requests from the admin

# Owner uploads (avatars, forum pictures): checked with Pillow, bounded in bytes and pixels.
AVATAR_MAX_BYTES = 5 * 1024 * 1024
AVATAR_SIZE = 256
FORUM_IMAGE_MAX_BYTES = 8 * 1024 * 1024
FORUM_SECONDS_BETWEEN_POSTS = 15  # flood control per owner
# Flood control for what owners send (portal/limits.py), counted from their own rows; 0 turns a
# limit off. Staff recording a call and the complaint inbox are never limited.
CASE_SECONDS_BETWEEN_CASES = int(env("CASE_SECONDS_BETWEEN_CASES", "60"))
CASES_PER_DAY = int(env("CASES_PER_DAY", "10"))
CASE_SECONDS_BETWEEN_MESSAGES = int(env("CASE_SECONDS_BETWEEN_MESSAGES", "10"))
CASE_MESSAGES_PER_DAY = int(env("CASE_MESSAGES_PER_DAY", "50"))
# What an owner's case attachments may add up to in 24 hours, new cases and messages together.
CASE_UPLOAD_MB_PER_DAY = int(env("CASE_UPLOAD_MB_PER_DAY", "200"))
CLUB_REFERRALS_PER_DAY = int(env("CLUB_REFERRALS_PER_DAY", "10"))
CLUB_SECONDS_BETWEEN_REDEMPTIONS = int(env("CLUB_SECONDS_BETWEEN_REDEMPTIONS", "10"))

# Content-Security-Policy (django-csp; portal/csp.py). Owner pages run only the site's own
# scripts: no inline script, no event-handler attributes, no nonces (anonymous pages are cached
# whole, so a nonce would be stale).
CSP_REPORT_ENDPOINT = env("CSP_REPORT_URI", "/csp-report/")  # empty: no reports
# Reports taken from one client address a minute (0: no limit); the rest are dropped unread.
CSP_REPORTS_PER_MINUTE = int(env("CSP_REPORTS_PER_MINUTE", "20"))
_csp_frames = [SELF, *env_list("CSP_FRAME_SRC", "https://www.youtube.com,https://player.vimeo.com")]
# Uploads served from elsewhere: MEDIA_URL's own host when it names one, and any other origin
# (object storage, a CDN) listed in CSP_MEDIA_ORIGINS.
_media_host = urlsplit(MEDIA_URL)
_s3_host = urlsplit(S3_ENDPOINT_URL or f"https://s3.{S3_REGION or 'us-east-1'}.amazonaws.com")
_csp_media = [
    *([f"{_media_host.scheme}://{_media_host.netloc}"] if _media_host.netloc else []),
    # public media read straight from the bucket: its address at the endpoint
    *(
        [
            f"{_s3_host.scheme}://{MEDIA_BUCKET}.{_s3_host.netloc}"
            if S3_ADDRESSING_STYLE == "virtual"
            else f"{_s3_host.scheme}://{_s3_host.netloc}"
        ]
        if MEDIA_BUCKET and not _media_host.netloc
        else []
    ),
    *env_list("CSP_MEDIA_ORIGINS"),
]
_csp_reporting = (
    {"report-uri": CSP_REPORT_ENDPOINT, "report-to": "csp"} if CSP_REPORT_ENDPOINT else {}
)
_csp_site = {
    "default-src": [SELF],
    "script-src": [SELF],
    "style-src": [SELF],
    # Style attributes carry values only the server knows (a tier's card colour, a fill rate,
    # a bar's width); an attribute cannot run script. <style> elements stay 'self' only.
    "style-src-attr": [UNSAFE_INLINE],
    "img-src": [SELF, "data:", *_csp_media],  # data: small icons drawn inside site.css
    "media-src": [SELF, *_csp_media],
    "frame-src": _csp_frames,  # video embeds in CMS pages
    "object-src": [NONE],
    "base-uri": [SELF],
    # 微信登录's form sends the browser on to WeChat's QR page.
    "form-action": [SELF, *([WECHAT_OPEN_URL] if WECHAT_APP_ID or WECHAT_MP_APP_ID else [])],
    "frame-ancestors": [NONE],
    **_csp_reporting,
}
CONTENT_SECURITY_POLICY_ADMIN = {
    **_csp_site,
    # Wagtail 8's own screens still need inline code: <script> after every date filter and
    # inline panel, scripts and <style> that its editor inserts at run time (StreamField,
    # Draftail), on*= handlers in the image focal-point tool. Staff only, never owner pages.
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:", *_csp_media],  # blob: previews of images to upload
    "frame-ancestors": [SELF],  # the page editor previews the page in an iframe of its own
}
# CSP_REPORT_ONLY=true sends the same policies as Content-Security-Policy-Report-Only: reports
# without blocking, to try a change on production traffic first.
if env_bool("CSP_REPORT_ONLY", False):
    CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": _csp_site}
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": _csp_site}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "filters": {"quiet_refusals": {"()": "portal.logs.QuietRefusals"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"filters": ["quiet_refusals"]},
        # Wagtail's background tasks and page actions log every step at INFO.
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        # Without a broker, outbox deliveries run in-process: one "succeeded" line each is noise.
        # A worker logs its tasks on its own (celery worker --loglevel).
        **({"celery.app.trace": {"level": "WARNING"}} if CELERY_TASK_ALWAYS_EAGER else {}),
    },
}
