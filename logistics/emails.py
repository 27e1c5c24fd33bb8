"""The e-mail of logistics: the visa support letter, attached as a PDF, in the participant's language.

A pure builder: it renders and returns the message (through registration's ``build_email``, which hands the parts
to ``conference.mail.build_message``); ``services.visa_letter_send`` sends it and records the sending.
"""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives
from django.utils import translation
from django.utils.translation import gettext as _

from conference.enums import EmailKind
from conference.models import localized
from registration.emails import build_email, registration_link

from .models import VisaLetter


def visa_letter_email(letter: VisaLetter, pdf: bytes) -> EmailMultiAlternatives:
    """The visa support letter of ``letter.participant``, attached as a PDF, in their preferred language."""
    participant = letter.participant
    conference = participant.conference
    language = participant.preferred_language
    with translation.override(language):
        conference_name = localized(conference, "name", language)
        subject = _("Your visa support letter: %(conference)s") % {"conference": conference_name}
    context = {
        "participant": participant,
        "name": participant.printed_name,
        "conference": conference,
        "conference_name": conference_name,
        "reference": letter.reference,
        "link": registration_link(),
    }
    message = build_email(
        "visa_letter", context, subject=subject, to=participant.email, language=language,
        reply_to=conference.contact_email or None, kind=EmailKind.VISA_LETTER,
    )
    message.attach(f"visa-letter-{participant.public_id}.pdf", pdf, "application/pdf")
    return message
