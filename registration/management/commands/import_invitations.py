"""python manage.py import_invitations FILE [--dry-run] [--conference SLUG]

Prints the per-row report; exits with status 1 if the file is invalid (and then writes nothing).
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from registration.imports import MAX_BYTES, invitations_import

from .invite import conference_for


class Command(BaseCommand):
    help = "Invite everybody in a CSV (UTF-8) or XLSX file: all rows or none."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="check the file and write nothing")
        parser.add_argument("--conference", help="conference code (default: ACCORD_DEFAULT_CONFERENCE)")

    def handle(self, *args, **options):
        conference = conference_for(options["conference"])
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        if path.stat().st_size > MAX_BYTES:
            raise CommandError(f"{path} is larger than {MAX_BYTES // (1024 * 1024)} MB.")
        report = invitations_import(
            conference, path.read_bytes(), path.name, inviter=None, dry_run=options["dry_run"]
        )
        self.stdout.write(report.as_text())
        if not report.is_valid:
            sys.exit(1)
