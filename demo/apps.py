from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo conference (``seed_demo``, ``demo_organizer``): the one app that may import every other."""

    name = "demo"
