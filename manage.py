#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kooperation.settings")
    from django.core.management import execute_from_command_line

    from kooperation.startup import exit_on_configuration_error

    with exit_on_configuration_error():
        execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
