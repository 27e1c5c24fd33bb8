"""The e-mails of bilateral meetings, each rendered in its recipient's language (pure builders: the services send
and record them). Links are absolute on ``settings.SITE_URL``."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from conference.mail import build_message
from conference.models import localized

from .models import BilateralMeeting

RTL_LANGUAGES = {"ar"}


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str
    language: str


def _subject(event: str, other: str) -> str:
    subjects = {
        "requested": _("Bilateral meeting requested by %(delegation)s"),
        "countered": _("Other slots proposed for the bilateral meeting with %(delegation)s"),
        "accepted": _("Bilateral meeting with %(delegation)s confirmed"),
        "declined": _("Bilateral meeting with %(delegation)s declined"),
        "cancelled": _("Bilateral meeting with %(delegation)s cancelled"),
        "expired": _("Bilateral meeting request with %(delegation)s expired"),
    }
    return subjects[event] % {"delegation": other}


def meeting_email(meeting: BilateralMeeting, *, event: str, recipient: Recipient, other_side) -> EmailMultiAlternatives:
    """One step of ``meeting`` (``event``) told to ``recipient`` of one delegation, in their language."""
    conference = meeting.conference
    language = recipient.language if recipient.language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    tz = conference.tz
    with translation.override(language), timezone.override(tz):
        other = other_side.display_name(language)
        proposals = [p.slot for p in meeting.proposals.filter(round=meeting.round).select_related("slot")]
        context = {
            "event": event,
            "meeting": meeting,
            "name": recipient.name,
            "other": other,
            "topic": meeting.topic,
            "conference": conference,
            "conference_name": localized(conference, "name", language),
            "conference_city": localized(conference, "city", language),
            "room": meeting.room.localized_name(language) if meeting.room else "",
            "starts_at": meeting.starts_at,
            "ends_at": meeting.ends_at,
            "slots": proposals,
            "time_zone": conference.time_zone,
            "language": language,
            "direction": "rtl" if language in RTL_LANGUAGES else "ltr",
            "link": f"{settings.SITE_URL.rstrip('/')}{reverse('cooperation:meeting', args=[meeting.pk])}",
            "organizer_message": "",
        }
        subject = _subject(event, other)
        text = render_to_string("cooperation/email/meeting.txt", context)
        html = render_to_string("cooperation/email/meeting.html", context)
    return build_message(subject=subject, text=text, html=html, to=[recipient.email], language=language,
                         reply_to=conference.contact_email or None)


def follow_up_reminder_email(follow_up, *, recipient: Recipient, months: int) -> EmailMultiAlternatives:
    """Ask ``recipient`` how a follow-up of a bilateral meeting stands, ``months`` after the meeting."""
    meeting = follow_up.meeting
    conference = meeting.conference
    language = recipient.language if recipient.language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    with translation.override(language), timezone.override(conference.tz):
        context = {
            "name": recipient.name,
            "months": months,
            "kind": follow_up.get_kind_display(),
            "requesting": meeting.requesting.display_name(language),
            "invited": meeting.invited.display_name(language),
            "topic": meeting.topic,
            "held": meeting.starts_at,
            "conference": conference,
            "conference_name": localized(conference, "name", language),
            "conference_city": localized(conference, "city", language),
            "language": language,
            "direction": "rtl" if language in RTL_LANGUAGES else "ltr",
            "link": f"{settings.SITE_URL.rstrip('/')}{reverse('cooperation:meeting', args=[meeting.pk])}",
            "organizer_message": "",
        }
        subject = _("How is the follow-up of your bilateral meeting going?")
        text = render_to_string("cooperation/email/follow_up_reminder.txt", context)
        html = render_to_string("cooperation/email/follow_up_reminder.html", context)
    return build_message(subject=subject, text=text, html=html, to=[recipient.email], language=language,
                         reply_to=conference.contact_email or None)
