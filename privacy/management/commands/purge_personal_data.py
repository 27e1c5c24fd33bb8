"""``manage.py purge_personal_data --conference CODE [--dry-run]``: purge what is past its retention."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from conference.models import Conference
from privacy.services.purge import due_date, purge_conference, retention_policy_for


class Command(BaseCommand):
    help = "Delete the conference's personal data that is past its retention, keeping aggregates and a record."

    def add_arguments(self, parser):
        parser.add_argument("--conference", required=True, help="The conference's code (slug).")
        parser.add_argument("--dry-run", action="store_true", help="Say what would be removed; change nothing.")

    def handle(self, *args, conference: str, dry_run: bool, **options):
        found = Conference.objects.filter(slug=conference).first()
        if found is None:
            raise CommandError(f"No conference with the code {conference!r}.")
        policy = retention_policy_for(found)
        results = purge_conference(found, dry_run=dry_run)
        done = {result.kind for result in results}
        for result in results:
            verb = "would remove" if dry_run else "removed"
            self.stdout.write(f"{result.kind}: {verb} {result.count} values, {result.files} files")
            for name, count in sorted(result.details.items()):
                self.stdout.write(f"  {name}: {count}")
        from privacy.enums import KIND_ORDER

        for kind in KIND_ORDER:
            if kind not in done:
                self.stdout.write(f"{kind}: not due before {due_date(found, kind, policy).isoformat()}")
