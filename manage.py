#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys

# Commands that only compare models with migration files never sign or read anything
# secret: they run without SECRET_KEY (the site itself still refuses to start without it).
NO_SECRET_COMMANDS = {"makemigrations", "showmigrations", "sqlmigrate"}


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "longgang_reform.settings")
    if len(sys.argv) > 1 and sys.argv[1] in NO_SECRET_COMMANDS:
        os.environ.setdefault("SECRET_KEY", "placeholder-for-migration-commands-" + "x" * 32)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
