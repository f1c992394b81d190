"""The bare Wagtail site `make bench-http` measures its workers' memory against serves what it
is loaded with: its home page, and its admin screens to a signed-in superuser."""

from portal.tests.test_settings import run_python

FLOOR = "demo/yardstick/wagtail_floor.py"
PAGES = """
from django.contrib.auth.models import User
from django.test import Client
client = Client()
answers = [client.get("/").status_code]
client.force_login(User.objects.create_superuser("floor", "floor@example.com", None))
answers += [client.get(path).status_code for path in ("/admin/", "/admin/pages/2/", "/admin/images/")]
print(*answers)
"""


def test_the_bare_wagtail_site_serves_its_home_page_and_admin_screens(tmp_path):
    folder = {"WAGTAIL_FLOOR_DIR": str(tmp_path)}
    for command in (["migrate", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        result = run_python(FLOOR, *command, **folder)
        assert result.returncode == 0, result.stderr
    result = run_python(FLOOR, "shell", "-v0", "-c", PAGES, **folder)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["200", "200", "200", "200"]
