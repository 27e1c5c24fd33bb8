"""The demo's cooperation data: directory entries (some hidden), meeting rooms and slots, bilateral meetings in
every state (requested, accepted, declined, expired), follow-ups, and contact exchange kept open for the demo.

Idempotent: once the demo conference has meeting slots, nothing is written again. Writes go through cooperation's
services where one exists (the grid, the organizers' scheduling, follow-ups); the statuses of the past requests
are set directly, as their history would have left them.
"""

from __future__ import annotations

import datetime
from collections import Counter

from django.utils import timezone

from cooperation import services
from cooperation.enums import BilateralStatus, Side
from cooperation.models import (
    BilateralMeeting,
    CooperationSettings,
    DirectoryEntry,
    FollowUp,
    MeetingAttendee,
    MeetingProposal,
    MeetingRoom,
    MeetingSlot,
)
from registration.models import Participant
from sessions_app.models import Room

ROOMS = [
    ("Karnak bilateral room", "Salle bilatérale Karnak", "قاعة الكرنك للاجتماعات الثنائية", 8, ["ar", "fr", "en"], 20),
    ("Philae bilateral room", "Salle bilatérale Philae", "قاعة فيلة للاجتماعات الثنائية", 6, ["ar", "en"], 21),
]
SLOT_TIMES = ["08:00", "13:30", "16:30", "17:30"]
EXPERTISE = ["prosecution", "financial_investigation", "victim_protection", "border_management",
             "mutual_legal_assistance"]
TOPICS = [
    "Joint investigation into a trafficking network along the central Mediterranean route",
    "Mutual legal assistance requests pending between our central authorities",
    "Training of border guards in identifying victims",
    "Exchange of financial intelligence on smuggling proceeds",
    "Extradition of a suspect arrested last month",
]


def _local(conference, day: datetime.date, hhmm: str) -> datetime.datetime:
    hour, minute = (int(part) for part in hhmm.split(":"))
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=conference.tz)


def seed_cooperation(conference) -> Counter:
    created: Counter = Counter()
    if MeetingSlot.objects.filter(conference=conference).exists():
        return created
    CooperationSettings.objects.get_or_create(
        conference=conference, defaults={"contact_exchange_until": timezone.now() + datetime.timedelta(days=365)})

    for name, name_fr, name_ar, capacity, languages, order in ROOMS:
        room, _new = Room.objects.get_or_create(
            conference=conference, name=name,
            defaults={"name_fr": name_fr, "name_ar": name_ar, "capacity": capacity,
                      "interpretation_languages": languages, "order": order})
        services.meeting_room_save(MeetingRoom(conference=conference, room=room), actor=None)
        created["meeting rooms"] += 1
    days = [conference.start_date + datetime.timedelta(days=n)
            for n in range(1, (conference.end_date - conference.start_date).days + 1)]
    for day in days:
        for hhmm in SLOT_TIMES:
            start = _local(conference, day, hhmm)
            slot = MeetingSlot(conference=conference, starts_at=start, ends_at=start + datetime.timedelta(minutes=45))
            if not services.meeting_slot_problems(slot):
                services.meeting_slot_save(slot, actor=None)
                created["meeting slots"] += 1
    slots = list(MeetingSlot.objects.filter(conference=conference).order_by("starts_at"))

    approved = list(Participant.objects.filter(conference=conference, status="approved", delegation__isnull=False)
                    .select_related("delegation").order_by("id"))
    for index, person in enumerate(approved[:16]):
        listed = index % 4 != 3  # every fourth one stays hidden
        DirectoryEntry.objects.create(
            participant=person, listed=listed, share_position=True, share_organization=index % 2 == 0,
            share_languages=True, share_expertise=True, share_email=index % 3 == 0, share_phone=index % 5 == 0,
            expertise=[EXPERTISE[index % 5], EXPERTISE[(index + 2) % 5]] if index % 3 else [EXPERTISE[index % 5]])
        created["directory entries"] += 1

    by_delegation: dict[int, list[Participant]] = {}
    for person in approved:
        by_delegation.setdefault(person.delegation_id, []).append(person)
    delegations = [members[0].delegation for members in by_delegation.values() if len(members) >= 2][:8]
    if len(delegations) < 6 or len(slots) < 6:
        return created
    now = timezone.now()
    plans = [  # (requesting, invited, status, slot)
        (0, 1, BilateralStatus.ACCEPTED, 0), (2, 3, BilateralStatus.ACCEPTED, 1), (0, 4, BilateralStatus.ACCEPTED, 2),
        (1, 5, BilateralStatus.REQUESTED, 3), (3, 4, BilateralStatus.DECLINED, 4), (5, 2, BilateralStatus.EXPIRED, 5),
    ]
    for number, (a, b, status, slot_index) in enumerate(plans):
        requesting, invited = delegations[a], delegations[b]
        slot = slots[slot_index]
        members = by_delegation[requesting.pk][:2] + by_delegation[invited.pk][:1]
        meeting = BilateralMeeting.objects.create(
            conference=conference, requesting=requesting, invited=invited, topic=TOPICS[number % len(TOPICS)],
            languages=["ar", "en"], status=BilateralStatus.REQUESTED, awaiting=Side.INVITED,
            expires_at=now + datetime.timedelta(days=30))
        MeetingAttendee.objects.bulk_create([MeetingAttendee(meeting=meeting, participant=m) for m in members])
        MeetingProposal.objects.create(meeting=meeting, slot=slot, round=1, proposed_by=requesting)
        if status == BilateralStatus.ACCEPTED:
            meeting.status = status
            meeting.starts_at, meeting.ends_at = slot.starts_at, slot.ends_at
            meeting.room = MeetingRoom.objects.filter(conference=conference).select_related("room").first().room
            meeting.decided_at = now
            services.bilateral_schedule(meeting, actor=None)
            follow_up = FollowUp(meeting=meeting, kind=["mla_request", "joint_investigation", "training"][number % 3],
                                 owner=members[0], due_date=conference.end_date + datetime.timedelta(days=90),
                                 status=["in_progress", "not_reported", "cooperation_agreed"][number % 3])
            follow_up.recorded_by = None
            follow_up.save()
            created["follow-ups"] += 1
        elif status in (BilateralStatus.DECLINED, BilateralStatus.EXPIRED):
            BilateralMeeting.objects.filter(pk=meeting.pk).update(
                status=status, decided_at=now, expires_at=now if status == BilateralStatus.EXPIRED else None)
        created["bilateral meetings"] += 1
    return created
