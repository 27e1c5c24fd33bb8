"""Privacy notices (versioned, three languages) and consents: publishing, accepting, logging changes."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from conference.models import Conference
from conference.services import AccordError, audit_record

from ..enums import ConsentTopic
from ..models import ConsentChange, NoticeAcceptance, PrivacyNotice


def notice_publish(conference: Conference, *, actor, text: str, text_fr: str, text_ar: str) -> PrivacyNotice:
    """Publish a new version of ``conference``'s notice (the next number). Every participant who accepted an
    earlier version is asked again. Raises AccordError when a language is missing."""
    if not all(value.strip() for value in (text, text_fr, text_ar)):
        raise AccordError(_("The privacy notice needs its English, French and Arabic text."))
    with transaction.atomic():
        Conference.objects.select_for_update().filter(pk=conference.pk).first()
        last = PrivacyNotice.objects.filter(conference=conference).aggregate(v=Max("version"))["v"] or 0
        notice = PrivacyNotice.objects.create(
            conference=conference, version=last + 1, text=text, text_fr=text_fr, text_ar=text_ar,
            published_at=timezone.now(), created_by=actor if getattr(actor, "pk", None) else None,
        )
        audit_record(actor=actor, action="privacy.notice_publish", target=notice, conference=conference,
                     changes={"version": notice.version})
    return notice


def notice_accept(participant, notice: PrivacyNotice, *, actor) -> NoticeAcceptance:
    """Record that ``participant`` accepted ``notice`` now (once per version), with a consent change entry."""
    if notice.conference_id != participant.conference_id or notice.published_at is None:
        raise AccordError(_("This privacy notice is not the conference's."))
    previous = (
        NoticeAcceptance.objects.filter(participant=participant).select_related("notice")
        .order_by("-notice__version").first()
    )
    try:
        with transaction.atomic():
            acceptance = NoticeAcceptance.objects.create(participant=participant, notice=notice)
            consent_change_record(
                participant, topic=ConsentTopic.PRIVACY_NOTICE, actor=actor,
                old=f"v{previous.notice.version}" if previous else "", new=f"v{notice.version}",
            )
    except IntegrityError:
        acceptance = NoticeAcceptance.objects.get(participant=participant, notice=notice)
    return acceptance


def consent_change_record(participant, *, topic: str, old, new, actor) -> ConsentChange | None:
    """Log one change of consent (nothing when the value did not change). Booleans are stored as yes/no."""
    def text(value) -> str:
        if isinstance(value, bool):
            return "yes" if value else "no"
        return "" if value is None else str(value)[:40]

    if text(old) == text(new):
        return None
    return ConsentChange.objects.create(
        participant=participant, topic=topic, old_value=text(old), new_value=text(new),
        actor=actor if getattr(actor, "pk", None) else None,
    )


def consents_changed(participant, *, before: dict, after: dict, actor) -> list[ConsentChange]:
    """Log each consent (``directory``, ``photos``, ``contact_exchange``) whose value differs in ``after``."""
    changes = []
    for topic in (ConsentTopic.DIRECTORY, ConsentTopic.PHOTOS, ConsentTopic.CONTACT_EXCHANGE):
        if topic.value in after:
            change = consent_change_record(
                participant, topic=topic, old=before.get(topic.value), new=after[topic.value], actor=actor
            )
            if change:
                changes.append(change)
    return changes
