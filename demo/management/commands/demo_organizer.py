import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from demo.services import demo_organizer_ensure


class Command(BaseCommand):
    help = "Create (or reset) the demo organizer account and print its e-mail and password."

    def add_arguments(self, parser):
        parser.add_argument("--email", default=os.environ.get("DEMO_EMAIL", "organizer@accord.example.org"))

    @transaction.atomic
    def handle(self, *args, **options):
        password = os.environ.get("DEMO_PASSWORD") or "accord-demo-2023"
        user = demo_organizer_ensure(email=options["email"], password=password)
        assert get_user_model().objects.filter(pk=user.pk).exists()
        self.stdout.write(
            self.style.SUCCESS(f"Demo organizer: {user.email} / password: {password}  (set DEMO_PASSWORD to change)")
        )
