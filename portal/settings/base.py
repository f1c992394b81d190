"""Settings shared by every environment.

Everything that differs between a laptop and production is read from the environment, so one
code base runs on the embedded defaults (SQLite, in-process tasks, console email) and on
PostgreSQL, Redis and Celery workers alike.
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent


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
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "portal",
    "home",
    "club",
    "forum",
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
    "portal.apps.UsersAppConfig",
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
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.PreferredLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
                "portal.context_processors.site",
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
AUTH_USER_MODEL = "portal.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Cache and sessions: Redis when REDIS_URL is set, so every web process shares them.
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "portal",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Language and time: Simplified Chinese first, English second; chosen by the browser,
# switchable on every page and remembered in a cookie (and on the owner's profile).
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# Static files are served by WhiteNoise from the web process itself, no CDN.
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Case attachments: never under MEDIA_URL; served by a view that checks who asks.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private-media")))
CASE_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
CASE_REOPEN_DAYS = int(env("CASE_REOPEN_DAYS", "14"))
# A font file with Chinese glyphs for member card images; empty: the first one found of
# Noto Sans CJK, WenQuanYi Micro Hei, DejaVu Sans.
CLUB_CARD_FONT = env("CLUB_CARD_FONT", "")
# The dedicated complaint inbox, polled by a Celery beat task (and `manage.py poll_case_inbox`).
CASE_IMAP = {
    "host": env("CASE_IMAP_HOST", ""),
    "port": int(env("CASE_IMAP_PORT", "993")),
    "security": env("CASE_IMAP_SECURITY", "ssl"),  # ssl, starttls or none
    "user": env("CASE_IMAP_USER", ""),
    "password": env("CASE_IMAP_PASSWORD", ""),
    "folder": env("CASE_IMAP_FOLDER", "INBOX"),
    "processed_folder": env("CASE_IMAP_PROCESSED_FOLDER", "Processed"),
}

# Media from this process (fine for one host); set SERVE_MEDIA=false when a proxy or object
# storage serves MEDIA_URL.
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)
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
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "金都客服中心 <service@jindu.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_SUBJECT_PREFIX = "[金都客服] "

# Celery: a Redis broker when CELERY_BROKER_URL is set; otherwise tasks run in-process.
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", CELERY_BROKER_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "case-inbox": {"task": "portal.tasks.poll_case_inbox", "schedule": 120.0},
    "case-escalation": {
        "task": "portal.tasks.escalate_overdue_cases",
        "schedule": crontab(minute="*/15"),
    },
    "case-monthly-report": {
        "task": "portal.tasks.send_monthly_case_report",
        "schedule": crontab(day_of_month=1, hour=8, minute=30),
    },
    "notification-digests": {
        "task": "portal.tasks.send_notification_digests",
        "schedule": crontab(hour=8, minute=0),
    },
    "club-points-expiry": {
        "task": "club.tasks.expire_points",
        "schedule": crontab(hour=0, minute=30),
    },
    "club-tiers": {"task": "club.tasks.recalculate_tiers", "schedule": crontab(hour=1, minute=0)},
    "club-birthdays": {"task": "club.tasks.greet_birthdays", "schedule": crontab(hour=9, minute=0)},
    "club-event-reminders": {
        "task": "club.tasks.send_event_reminders",
        "schedule": crontab(hour=10, minute=0),
    },
    "club-dates-digest": {
        "task": "club.tasks.send_dates_digest",
        "schedule": crontab(day_of_week="mon", hour=8, minute=15),
    },
}

# Accounts (django-allauth): email and password, verified email required.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = EMAIL_SUBJECT_PREFIX
ACCOUNT_ADAPTER = "portal.adapters.AccountAdapter"
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
}
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:dashboard"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"

# Wagtail
WAGTAIL_SITE_NAME = "金都业主服务中心"
WAGTAILADMIN_BASE_URL = env("SITE_URL", "http://127.0.0.1:8000")
WAGTAILIMAGES_IMAGE_MODEL = "home.SiteImage"
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_MAX_UPLOAD_SIZE = 60 * 1024 * 1024  # a magazine's PDF edition; under MAX_REQUEST_BYTES
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "csv", "txt", "zip"]
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
CLUB_REFERRALS_PER_DAY = int(env("CLUB_REFERRALS_PER_DAY", "10"))
CLUB_SECONDS_BETWEEN_REDEMPTIONS = int(env("CLUB_SECONDS_BETWEEN_REDEMPTIONS", "10"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        # Wagtail's background tasks and page actions log every step at INFO.
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}
