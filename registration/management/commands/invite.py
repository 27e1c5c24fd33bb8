"""python manage.py invite EMAIL --delegation CODE [--category C] [--language ar|fr|en] [--conference SLUG]"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from conference import languages
from conference.enums import LanguageCode
from conference.models import Conference, Delegation
from conference.services import AccordError
from registration.enums import ParticipantCategory
from registration.services.invitations import invitation_create


def conference_for(slug: str | None) -> Conference:
    slug = slug or settings.ACCORD_DEFAULT_CONFERENCE
    conference = Conference.objects.filter(slug=slug).first()
    if conference is None:
        raise CommandError(f"Unknown conference “{slug}” (use --conference SLUG).")
    return conference


class Command(BaseCommand):
    help = "Invite one person by e-mail; the invitation is sent by the worker after commit."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--delegation", required=True, help="delegation code, for example EGY")
        parser.add_argument("--category", default=ParticipantCategory.DELEGATE, choices=ParticipantCategory.values)
        parser.add_argument("--language", default=LanguageCode.ENGLISH, choices=languages.codes())
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--focal-point", action="store_true", help="invite as focal point of the delegation")
        parser.add_argument("--conference", help="conference code (default: ACCORD_DEFAULT_CONFERENCE)")

    def handle(self, *args, **options):
        conference = conference_for(options["conference"])
        delegation = Delegation.objects.filter(conference=conference, code__iexact=options["delegation"]).first()
        if delegation is None:
            raise CommandError(f"Unknown delegation “{options['delegation']}” in {conference.slug}.")
        try:
            invitation = invitation_create(
                conference, email=options["email"], delegation=delegation, category=options["category"],
                language=options["language"], first_name=options["first_name"], last_name=options["last_name"],
                as_focal_point=options["focal_point"], inviter=None,
            )
        except AccordError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Invitation {invitation.pk} for {invitation.email} ({delegation.code}, {invitation.category}, "
            f"{invitation.language}) created; the e-mail is queued."
        )
