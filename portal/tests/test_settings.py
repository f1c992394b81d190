"""Settings come from the environment; production refuses to run unsafely."""

import os
import subprocess
import sys

from django.conf import settings

SECRET = "x" * 20 + "-a-long-random-production-secret-key-0123456789"
# Variables the settings read; each test gives only the ones it means to.
SETTINGS_VARIABLES = {
    "SECRET_KEY",
    "DJANGO_SETTINGS_MODULE",
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "CELERY_RESULT_BACKEND",
    "EMAIL_HOST",
    "TRUSTED_PROXY_COUNT",
    "TRUSTED_CLIENT_IP_HEADER",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set for the browser tests
    "MEDIA_URL",
    "MEDIA_BUCKET",
    "PRIVATE_MEDIA_BUCKET",
    "S3_ENDPOINT_URL",
    "S3_REGION",
    "S3_ADDRESSING_STYLE",
    "WECHAT_APP_ID",
    "WECHAT_APP_SECRET",
    "SMS_PROVIDER",
    "SMS_TEMPLATES",
}


def run_manage(*args, **env):
    return run_python("manage.py", *args, **env)


def run_python(*args, **env):
    environment = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    environment.update(env)
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key_or_redis():
    result = run_manage("check", DJANGO_SETTINGS_MODULE="portal.settings.production")
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr
    result = run_manage(
        "check", DJANGO_SETTINGS_MODULE="portal.settings.production", SECRET_KEY=SECRET
    )
    assert result.returncode != 0
    assert "Set REDIS_URL" in result.stderr


def test_what_serves_the_site_runs_the_production_settings_unless_told():
    """gunicorn (portal.wsgi), ASGI servers, Celery (the package) and `jindu-portal` (or
    `python -m portal`, manage.py for the installed package) default to production, which
    refuses to start without a secret key; manage.py to development."""
    for command in (
        ("-c", "import portal.wsgi"),
        ("-c", "import portal.asgi"),
        ("-c", "import portal; from django.conf import settings; settings.DEBUG"),
        ("-m", "portal", "check"),
    ):
        result = run_python(*command)
        assert result.returncode != 0, command
        assert "Set SECRET_KEY" in result.stderr, command
    result = run_manage("shell", "-c", "from django.conf import settings; print(settings.DEBUG)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "True"


#: Libraries only a file download, an upload of a PDF or an English email needs: imported by the
#: code that makes them, so a web worker that never does holds none of them.
ON_DEMAND = (
    "openpyxl",
    "pptx",
    "xlsxwriter",
    "reportlab.pdfgen",
    "reportlab.pdfbase",
    "pypdf",
    "pypinyin",
)
#: Wagtail's v3 API, which the site does not mount (portal/unmounted.py).
UNMOUNTED = ("ninja",)


def test_the_wsgi_module_loads_what_workers_share_without_a_service():
    """gunicorn --preload forks its workers from a master that imported portal.wsgi: the
    URLconf's reverse() tables are filled there for every language (built by each worker, they
    were each worker's own memory), nothing is connected (services that cannot be reached here
    would fail the import), and no library that only makes files is loaded."""
    result = run_python(
        "-c",
        "import sys, portal.wsgi; from django.urls import get_resolver; "
        "print(' '.join(sorted(get_resolver()._reverse_dict))); "
        f"print('loaded:', *(name for name in {ON_DEMAND + UNMOUNTED!r} if name in sys.modules))",
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS="owners.example.com",
        DATABASE_URL="postgres://nobody@127.0.0.1:9/none",
        REDIS_URL="redis://127.0.0.1:9/0",
        CELERY_BROKER_URL="redis://127.0.0.1:9/1",
    )
    assert result.returncode == 0, result.stderr
    languages, loaded = result.stdout.splitlines()[-2:]
    assert languages.split() == sorted(code for code, _name in settings.LANGUAGES)
    assert loaded == "loaded:"


def test_wagtails_v3_api_loads_once_the_site_installs_it(tmp_path):
    """Wagtail's apps register with the v3 API in their ready(): left inert while the API is
    not installed, real once it is."""
    (tmp_path / "with_v3_api.py").write_text(
        "from portal.settings.test import *\nINSTALLED_APPS = [*INSTALLED_APPS, 'wagtail.api.v3']\n"
    )
    code = (
        "import sys, django; django.setup(); from wagtail.api.v3.api import api; "
        "print(type(api).__name__, 'ninja' in sys.modules)"
    )
    result = run_python(
        "-c",
        code,
        DJANGO_SETTINGS_MODULE="with_v3_api",
        PYTHONPATH=f"{tmp_path}:{settings.BASE_DIR}",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["NinjaAPI", "True"]
    result = run_python("-c", code, DJANGO_SETTINGS_MODULE="portal.settings.test")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["_Nothing", "False"]


def test_production_passes_the_deployment_checklist_without_a_warning():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS="owners.example.com",
        REDIS_URL="redis://cache.internal:6379/0",
        TRUSTED_PROXY_COUNT="1",
    )
    assert result.returncode == 0, result.stderr + result.stdout


def read_settings(code, **env):
    """Evaluate `code` against freshly loaded settings with the given environment."""
    result = run_manage(
        "shell",
        "-c",
        f"from django.conf import settings as s; print(repr(({code})))",
        DJANGO_SETTINGS_MODULE="portal.settings.dev",
        **env,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_embedded_defaults_without_any_environment():
    assert read_settings(
        "s.DATABASES['default']['ENGINE'], s.CACHES['default']['BACKEND'], "
        "s.CELERY_TASK_ALWAYS_EAGER, s.EMAIL_BACKEND, s.TIME_ZONE, s.LANGUAGE_CODE"
    ) == str(
        (
            "django.db.backends.sqlite3",
            "django.core.cache.backends.locmem.LocMemCache",
            True,
            "portal.console_mail.EmailBackend",
            "Asia/Shanghai",
            "zh-hans",
        )
    )


def test_services_from_the_environment():
    assert read_settings(
        "s.DATABASES['default']['ENGINE'], s.DATABASES['default']['CONN_MAX_AGE'], "
        "s.DATABASES['default']['CONN_HEALTH_CHECKS'], s.CACHES['default']['BACKEND'], "
        "s.SESSION_ENGINE, s.CELERY_TASK_ALWAYS_EAGER, s.EMAIL_BACKEND",
        DATABASE_URL="postgres://portal@db.internal:5432/portal",
        REDIS_URL="redis://cache.internal:6379/0",
        CELERY_BROKER_URL="redis://cache.internal:6379/1",
        EMAIL_HOST="smtp.example.com",
    ) == str(
        (
            "django.db.backends.postgresql",
            600,
            True,
            "portal.cache.RedisCache",
            "portal.sessions",
            False,
            "django.core.mail.backends.smtp.EmailBackend",
        )
    )


def test_files_in_object_storage_from_the_environment():
    """Aliyun OSS as the README sets it up: both stores in buckets, nothing served from a
    folder, the public bucket's virtual-host address allowed for images."""
    oss = {
        "MEDIA_BUCKET": "jindu-media",
        "PRIVATE_MEDIA_BUCKET": "jindu-private",
        "S3_ENDPOINT_URL": "https://oss-cn-hangzhou.aliyuncs.com",
        "S3_REGION": "oss-cn-hangzhou",
    }
    code = (
        "s.STORAGES['default']['BACKEND'], s.STORAGES['private']['BACKEND'], "
        "s.STORAGES['private']['OPTIONS']['bucket_name'], "
        "s.STORAGES['private']['OPTIONS']['default_acl'], "
        "s.STORAGES['private']['OPTIONS']['querystring_auth'], s.SERVE_MEDIA, "
        "s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'][-1]"
    )
    assert read_settings(code, **oss) == str(
        (
            "portal.s3.PublicMediaStorage",
            "storages.backends.s3.S3Storage",
            "jindu-private",
            "private",
            True,
            False,
            "https://jindu-media.oss-cn-hangzhou.aliyuncs.com",
        )
    )
    # Behind a CDN named by MEDIA_URL, links to public files point there.
    code = "s.STORAGES['default']['OPTIONS']['custom_domain']"
    cdn = {**oss, "MEDIA_URL": "https://files.jindu-usercontent.example/media/"}
    assert read_settings(code, **cdn) == repr("files.jindu-usercontent.example/media")
    # Without buckets, folders.
    code = "s.STORAGES['default']['BACKEND'], s.STORAGES['private']['BACKEND'], s.SERVE_MEDIA"
    assert read_settings(code) == str(
        (
            "django.core.files.storage.FileSystemStorage",
            "portal.storage.PrivateFileSystemStorage",
            True,
        )
    )


def test_wechat_and_sms_from_the_environment():
    """Once WeChat's open platform has given the site its application, 微信登录 has its app and
    the sign-in form may lead to WeChat's QR page; SMS goes through the provider chosen."""
    assert read_settings(
        "s.SOCIALACCOUNT_PROVIDERS['weixin']['APPS'][0]['client_id'], "
        "s.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action'][-1], s.SMS_BACKEND, "
        "s.SMS_TEMPLATES",
        WECHAT_APP_ID="wx0123456789",
        WECHAT_APP_SECRET="s3cret",
        SMS_PROVIDER="tencent",
        SMS_TEMPLATES='{"verification_code": "1234567"}',
    ) == str(
        (
            "wx0123456789",
            "https://open.weixin.qq.com",
            "portal.sms_providers.TencentBackend",
            {"verification_code": "1234567"},
        )
    )
