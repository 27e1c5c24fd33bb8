"""The one retry policy of the tasks that talk to the SMTP server.

Kept apart from ``conference.mail`` (the services) so that the task modules, which spread the policy into their
options at import time, import no service at their top: tasks are leaves.
"""

from __future__ import annotations

from smtplib import SMTPException

from django.conf import settings

# Faults of the conversation with the SMTP server (OSError covers refused connections and time-outs).
SEND_ERRORS = (SMTPException, ConnectionError, OSError)

#: Spread into the options of every sending task: ``@shared_task(..., **SMTP_RETRY_POLICY)``.
SMTP_RETRY_POLICY = {
    "autoretry_for": SEND_ERRORS,
    "retry_backoff": settings.ACCORD_INVITATION_RETRY_BACKOFF,
    "retry_backoff_max": settings.ACCORD_INVITATION_RETRY_BACKOFF_MAX,
    "retry_jitter": True,
    "max_retries": 6,
}
