"""Build step: the wheel carries the project-wide templates/, static/ and locale/.

In the repository they sit at the top, beside the apps, where Django finds them in a checkout.
A wheel holds packages only, so building one copies them into the portal package as
portal/_site/templates, portal/_site/static and portal/_site/locale; portal/settings/base.py
looks there first. Everything else about the package is in pyproject.toml.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SHARED_DIRS = ("templates", "static", "locale")


class BuildWithSharedFiles(build_py):
    def run(self):
        super().run()
        if self.editable_mode:  # an editable install runs from the checkout, which has them
            return
        root = Path(__file__).resolve().parent
        for name in SHARED_DIRS:
            self.copy_tree(str(root / name), str(Path(self.build_lib) / "portal" / "_site" / name))


setup(cmdclass={"build_py": BuildWithSharedFiles})
