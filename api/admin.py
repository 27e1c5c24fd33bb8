"""The API's admin pages: each part registers its own."""

from .integration import admin as integration_admin  # noqa: F401 - the integration tokens
