"""The bare Wagtail site `make bench-http` measures its workers' memory against answers every
page the benchmark loads: its home page, and its admin screens to its signed-in superuser."""

from demo.management.commands.bench_http import FLOOR_PAGES, FLOOR_SESSION
from portal.tests.test_settings import run_python

FLOOR = "demo/yardstick/wagtail_floor.py"
ANSWERS = f"""
{FLOOR_SESSION}
anonymous = Client()
for path, signed_in in {FLOOR_PAGES!r}:
    print((client if signed_in else anonymous).get(path).status_code)
"""


def test_the_bare_wagtail_site_answers_the_pages_the_benchmark_loads(tmp_path):
    folder = {"WAGTAIL_FLOOR_DIR": str(tmp_path / "floor")}
    for command in (["migrate", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        result = run_python(FLOOR, *command, **folder)
        assert result.returncode == 0, result.stderr
    result = run_python(FLOOR, "shell", "-v0", "-c", ANSWERS, **folder)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[1:] == ["200"] * len(FLOOR_PAGES)
