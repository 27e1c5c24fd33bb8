import os

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from conference.models import Conference
from demo import demo_data
from demo.services import demo_accounts_ensure, demo_organizer_ensure


class Command(BaseCommand):
    help = ("Create (or reset) the demo organizer and, once seed_demo has run, the demo's focal-point and "
            "participant accounts; print their e-mail addresses, the password and what each can do.")

    def add_arguments(self, parser):
        parser.add_argument("--email", default=os.environ.get("DEMO_EMAIL", "organizer@accord.example.org"))

    @transaction.atomic
    def handle(self, *args, **options):
        password = os.environ.get("DEMO_PASSWORD") or "accord-demo-2023"
        user = demo_organizer_ensure(email=options["email"], password=password)
        self.stdout.write(
            self.style.SUCCESS(f"Demo organizer: {user.email} / password: {password}  (set DEMO_PASSWORD to change)")
        )
        conference = Conference.objects.filter(slug=demo_data.CONFERENCE["slug"]).first()
        if conference is None:
            self.stdout.write("No demo conference yet: run `manage.py seed_demo` for the focal-point and "
                              "participant accounts.")
            return
        accounts = demo_accounts_ensure(conference, password=password, verified_hash=user.password)
        self.stdout.write("Demo accounts, same password, no staff rights "
                          f"({settings.SITE_URL.rstrip('/')}/accounts/login/):")
        for account, participant in accounts:
            if participant is None:
                self.stdout.write(f"  {account.email}: nobody of {account.delegation} to act as (skipped)")
                continue
            delegation = participant.delegation.display_name("en") if participant.delegation else ""
            role = "focal point and head of delegation" if account.focal_point else "participant"
            self.stdout.write(f"  {account.email}: {participant.printed_name}, {delegation} {role}; "
                              f"{account.can}")
