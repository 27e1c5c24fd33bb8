"""The e-mails of deletion requests (received, granted, refused), in the participant's language.

Pure builder: renders ``templates/privacy/email/deletion_<status>.txt`` and ``.html`` and hands the parts to
``conference.mail.build_message``. The address is the request's copy (a granted request has anonymized the
participant by the time the answer goes).
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from conference.mail import build_message
from conference.models import localized

from .models import DeletionRequest


def deletion_email(request: DeletionRequest) -> EmailMultiAlternatives:
    conference = request.conference
    language = request.notify_language if request.notify_language in dict(settings.LANGUAGES) else "en"
    with translation.override(language):
        conference_name = localized(conference, "name", language)
        subjects = {
            "pending": _("Your request for deletion was received: %(conference)s"),
            "granted": _("Your data has been deleted: %(conference)s"),
            "refused": _("Your request for deletion was refused: %(conference)s"),
        }
        subject = subjects[request.status] % {"conference": conference_name}
        context = {
            "request": request,
            "conference": conference,
            "conference_name": conference_name,
            "conference_city": localized(conference, "city", language),
            "reason": request.reason,
            "link": f"{settings.SITE_URL.rstrip('/')}{reverse('privacy:my_data')}",
            "language": language,
            "direction": "rtl" if language == "ar" else "ltr",
        }
        text = render_to_string(f"privacy/email/deletion_{request.status}.txt", context)
        html = render_to_string(f"privacy/email/deletion_{request.status}.html", context)
    return build_message(
        subject=subject, text=text, html=html, to=[request.notify_email],
        reply_to=conference.contact_email or None, language=language,
    )
