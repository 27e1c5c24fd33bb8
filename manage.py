#!/usr/bin/env python
"""Django's command-line utility, with one-line errors for unreachable services."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conference.settings")
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except Exception as exc:  # noqa: BLE001 - turn service outages into one readable line
        from conference.health import explain_service_error

        message = explain_service_error(exc)
        if message is None:
            raise
        sys.stderr.write(message + "\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
