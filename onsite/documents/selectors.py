"""Reads for the official documents: the rows the List of Participants and the tent cards print, in protocol order,
and the days a participant attended."""

from __future__ import annotations

import datetime

from conference.honorifics import printed_honorific
from conference.models import Conference, Delegation
from registration.enums import ParticipantStatus
from registration.models import Participant

from .models import DocumentSettings
from .ordering import latin_key, protocol_key


def kind_order(conference: Conference) -> list[str]:
    settings_row = DocumentSettings.objects.filter(conference=conference).only("kind_order").first()
    return list(settings_row.kind_order) if settings_row else []


def listed_participants(conference: Conference):
    """The approved participants with a delegation: who the List of Participants names."""
    return (
        Participant.objects.filter(conference=conference, status=ParticipantStatus.APPROVED, delegation__isnull=False)
        .select_related("delegation")
        .only("pk", "title", "gender", "first_name", "last_name", "badge_name", "badge_name_ar", "position",
              "organization", "email", "consent_directory", "delegation__id", "delegation__kind",
              "delegation__country", "delegation__organization", "delegation__organization_fr",
              "delegation__organization_ar", "delegation__head_id", "delegation__code")
    )


def _member_key(participant: Participant) -> tuple:
    head_first = 0 if participant.delegation.head_id == participant.pk else 1
    return (head_first, latin_key(participant.last_name or participant.printed_name), participant.pk)


def participant_list_rows(conference: Conference, language: str) -> list[dict]:
    """[{"delegation", "kind", "members": [{"title", "name", "position", "organization", "email"}]}] in protocol
    order in ``language``; the head of delegation first, then by surname. E-mail only with the directory consent.
    Two queries (the settings, the participants) plus the titles table once per conference (cached)."""
    order = kind_order(conference)
    groups: dict[int, dict] = {}
    for participant in sorted(listed_participants(conference), key=_member_key):
        delegation = participant.delegation
        group = groups.get(delegation.pk)
        if group is None:
            name = delegation.display_name(language)
            group = groups[delegation.pk] = {
                "delegation": name, "kind": delegation.kind, "members": [],
                "_key": protocol_key(delegation.kind, name, language, order),
            }
        name = (participant.badge_name_ar if language == "ar" and participant.badge_name_ar
                else participant.printed_name)
        group["members"].append({
            "title": printed_honorific(conference, participant.title, participant.gender, language),
            "name": name,
            "position": participant.position,
            "organization": participant.organization,
            "email": participant.email if participant.consent_directory else "",
        })
    rows = sorted(groups.values(), key=lambda group: group["_key"])
    for group in rows:
        del group["_key"]
    return rows


def tent_card_rows(conference: Conference, latin_language: str) -> list[dict]:
    """One card per delegation with approved members (its name in ``latin_language`` and in Arabic), in protocol
    order in ``latin_language``; each person the organizers named (``DocumentSettings.named_cards``, approved)
    has a card after their delegation's."""
    order = kind_order(conference)
    named_ids = list(
        DocumentSettings.named_cards.through.objects.filter(
            documentsettings__conference=conference, participant__status=ParticipantStatus.APPROVED,
        ).values_list("participant_id", flat=True)
    )
    delegations = (
        Delegation.objects.filter(conference=conference, participants__status=ParticipantStatus.APPROVED)
        .distinct().only("pk", "kind", "country", "organization", "organization_fr", "organization_ar")
    )
    named: dict[int, list[Participant]] = {}
    if named_ids:
        for participant in Participant.objects.filter(conference=conference, pk__in=named_ids).order_by("pk"):
            named.setdefault(participant.delegation_id, []).append(participant)
    cards = []
    for delegation in delegations:
        latin = delegation.display_name(latin_language)
        key = protocol_key(delegation.kind, latin, latin_language, order)
        cards.append((key, 0, {"latin": latin, "arabic": delegation.display_name("ar"), "person": False}))
        for index, participant in enumerate(named.get(delegation.pk, []), start=1):
            title_latin = printed_honorific(conference, participant.title, participant.gender, latin_language)
            title_ar = printed_honorific(conference, participant.title, participant.gender, "ar")
            cards.append((key, index, {
                "latin": " ".join(filter(None, [title_latin, participant.printed_name])),
                "arabic": " ".join(filter(None, [title_ar, participant.badge_name_ar or participant.printed_name])),
                "person": True, "delegation": latin,
            }))
    return [card for _key, _index, card in sorted(cards, key=lambda item: (item[0], item[1]))]


def attended_days(participant: Participant) -> list[datetime.date]:
    """The conference days ``participant`` was seen: the check-in day and every day with a door scan, in the
    conference's time zone, within its dates."""
    from onsite.models import Attendance

    conference = participant.conference
    tz = conference.tz
    days = set()
    if participant.checked_in_at:
        days.add(participant.checked_in_at.astimezone(tz).date())
    for scanned_at in Attendance.objects.filter(participant=participant).values_list("scanned_at", flat=True):
        days.add(scanned_at.astimezone(tz).date())
    return sorted(day for day in days if conference.start_date <= day <= conference.end_date)


def certificate_status_panel(participant) -> dict | None:
    """The status page's panel of the participant's own certificate (``registration.status_panels``): shown only
    for a checked-in participant whose certificate is issued, rendered and not revoked. One query."""
    from django.urls import reverse

    from .models import Certificate

    if participant.checked_in_at is None:
        return None
    certificate = (Certificate.objects.filter(participant=participant, issued_at__isnull=False,
                                              revoked_at__isnull=True).exclude(file="").only("code").first())
    if certificate is None:
        return None
    return {
        "download_url": reverse("registration:certificate_download", args=[participant.public_id]),
        "verify_url": reverse("registration:certificate_verify", args=[certificate.code]),
    }
