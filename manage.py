#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hiratsuka_portal.settings")
    # Commands and the task worker serve no waiting visitor: they wait longer for a pooled
    # connection than a web request's 2 s (settings.py), riding out a database's slow moment.
    os.environ.setdefault("DATABASE_POOL_TIMEOUT", "10")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
