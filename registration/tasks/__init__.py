"""Celery tasks of registration: thin, take ids, call one service. Importing the package registers them."""

from . import invitations, participants  # noqa: F401
