"""Render badges to one PDF from the command line: the same renderer as the batch task."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from conference.models import Conference, Delegation
from conference.selectors import current_conference
from onsite.services.badges import badge_data, badge_ensure, badge_participants, render_badges


class Command(BaseCommand):
    help = "Render the badges of approved participants to one PDF (one badge a page, or sheets)."

    def add_arguments(self, parser):
        parser.add_argument("--out", help="PDF file to write, e.g. badges.pdf")
        parser.add_argument("--conference", help="conference code (slug); default: the current conference")
        parser.add_argument("--delegation", help="only this delegation (its code)")
        parser.add_argument("--layout", choices=["single", "sheet"], default="single")
        parser.add_argument("--build-flags", action="store_true",
                            help="(re)build static/pdf/flags/*.png from django-countries' GIF flags and exit")

    def handle(self, *args, **options):
        if options["build_flags"]:
            return self.build_flags()
        if not options["out"]:
            raise CommandError("--out is required")
        if options["conference"]:
            conference = Conference.objects.filter(slug=options["conference"]).first()
        else:
            conference = current_conference()
        if conference is None:
            raise CommandError("No such conference.")
        delegation = None
        if options["delegation"]:
            delegation = Delegation.objects.filter(conference=conference, code=options["delegation"]).first()
            if delegation is None:
                raise CommandError(f"No delegation {options['delegation']!r} in {conference.slug}.")
        participants = list(badge_participants(conference, delegation=delegation))
        if not participants:
            raise CommandError("There is no approved participant to print a badge for.")
        items = [badge_data(participant, badge=badge_ensure(participant)) for participant in participants]
        content = render_badges(items, layout=options["layout"])
        Path(options["out"]).write_bytes(content)
        self.stdout.write(f"Wrote {len(items)} badges to {options['out']}")

    def build_flags(self):
        import django_countries
        from PIL import Image

        source = Path(django_countries.__file__).parent / "static" / "flags"
        target = Path(settings.STATICFILES_DIRS[0]) / "pdf" / "flags"
        target.mkdir(parents=True, exist_ok=True)
        count = 0
        for gif in sorted(source.glob("*.gif")):
            if gif.stem.startswith("_"):
                continue
            with Image.open(gif) as image:
                image.convert("RGBA").save(target / f"{gif.stem}.png", optimize=True)
            count += 1
        self.stdout.write(f"Wrote {count} flags to {target}")
