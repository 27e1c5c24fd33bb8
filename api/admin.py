"""The API's admin pages: each part registers its own."""

from . import admin_devices  # noqa: F401 - check-in devices, their tokens and scans
from .integration import admin as integration_admin  # noqa: F401 - the integration tokens
