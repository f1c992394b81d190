"""manage.py for an installed package: `jindu-portal <command>` or `python -m portal <command>`.

Production settings unless DJANGO_SETTINGS_MODULE names others (manage.py, in a checkout,
defaults to development).
"""

import os
import sys

from django.core.management import execute_from_command_line


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")
    # Help shows `python -m portal` rather than Django's own `python -m django` for this file.
    name = "python -m portal" if sys.argv[0].endswith("__main__.py") else sys.argv[0]
    execute_from_command_line([name, *sys.argv[1:]])


if __name__ == "__main__":
    main()
