"""The api app's personal fields in the privacy registry (see ``privacy/registry.py``): each part declares its own."""

from .integration import privacy as integration_privacy  # noqa: F401 - the integration tokens
