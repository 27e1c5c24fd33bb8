"""The e-mail of a rooming list to its hotel, in the hotel's language, with the list as XLSX, CSV and PDF.

A pure builder: ``services_stay.rooming_list_email_send`` sends it and records the sending."""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives
from django.utils import translation
from django.utils.translation import gettext as _

from conference.mail import build_message
from conference.models import localized

from .models import RoomingListSend


def rooming_list_email(send: RoomingListSend) -> EmailMultiAlternatives:
    hotel = send.hotel
    conference = hotel.conference
    language = hotel.language
    counts = send.counts or {}
    with translation.override(language):
        conference_name = localized(conference, "name", language)
        subject = _("Rooming list: %(conference)s") % {"conference": conference_name}
        text = "\n\n".join([
            _("Dear %(name)s,") % {"name": hotel.contact_name or hotel.name},
            _("Please find attached the rooming list of %(conference)s for %(hotel)s (XLSX, CSV and PDF).")
            % {"conference": conference_name, "hotel": hotel.name},
            _("Since the last list: %(new)s new, %(amended)s amended, %(cancelled)s cancelled, %(unchanged)s "
              "unchanged.") % {name: counts.get(name, 0) for name in ("new", "amended", "cancelled", "unchanged")},
            _("Thank you."),
        ])
    message = build_message(subject=subject, text=text, to=send.recipient, language=language,
                            reply_to=conference.contact_email or None)
    for field, mime in (("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                        ("csv", "text/csv"), ("pdf", "application/pdf")):
        stored = getattr(send, field)
        with stored.open("rb") as handle:
            message.attach(stored.name.rsplit("/", 1)[-1], handle.read(), mime)
    return message
