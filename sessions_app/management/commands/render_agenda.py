"""Write the agenda PDF of a conference in one language to a file."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from conference import languages
from conference.models import Conference
from sessions_app.rendering import render_agenda


class Command(BaseCommand):
    help = "Render the programme as a PDF: render_agenda --lang fr --out agenda.pdf [--conference SLUG]"

    def add_arguments(self, parser):
        parser.add_argument("--lang", choices=languages.codes(), default=settings.LANGUAGE_CODE)
        parser.add_argument("--out", required=True, help="Where to write the PDF ('-' for standard output).")
        parser.add_argument("--conference", help="Conference code (slug); default: ACCORD_DEFAULT_CONFERENCE.")

    def handle(self, *args, lang: str, out: str, conference: str | None, **options):
        slug = conference or settings.ACCORD_DEFAULT_CONFERENCE
        the_conference = Conference.objects.filter(slug=slug).first()
        if the_conference is None and conference is None:
            the_conference = Conference.objects.order_by("-start_date").first()
        if the_conference is None:
            raise CommandError(f"No conference with code {slug!r}.")
        pdf = render_agenda(the_conference, lang)
        if out == "-":
            self.stdout.buffer.write(pdf)
            return
        Path(out).write_bytes(pdf)
        self.stdout.write(self.style.SUCCESS(f"Wrote {out} ({len(pdf)} bytes, {lang})."))
