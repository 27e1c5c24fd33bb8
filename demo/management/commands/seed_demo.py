"""Load the Sharm El Sheikh demo conference. Idempotent: a second run finds everything and writes nothing."""

from __future__ import annotations

import datetime
import secrets
import time
from collections import Counter

from django.core.management.base import BaseCommand
from django.db import transaction

from conference.models import Conference, Delegation, Partner
from demo import demo_data
from demo.cooperation import seed_cooperation
from demo.documents import seed_documents
from demo.logistics_stay import seed_logistics_stay
from demo.logistics_travel import seed_logistics_travel
from demo.privacy import seed_privacy
from demo.questions import seed_questions
from demo.wording import demo_wording_refresh
from logistics.models import TravelPlan, VisaLetter
from onsite.models import Badge
from registration.models import Participant
from registration.search import search_text
from registration.services.participants import new_public_id
from sessions_app.models import Room, Session, SessionRole

SOURCE_BY_CATEGORY = {
    "delegate": "nomination", "expert": "nomination", "head": "invitation", "speaker": "invitation",
    "media": "request",
}


class Command(BaseCommand):
    help = "Load the demo conference (Sharm El Sheikh, 10–13 July 2023). Running it twice changes nothing."

    def handle(self, *args, **options):
        started = time.monotonic()
        created = self.seed()
        elapsed = time.monotonic() - started
        summary = ", ".join(f"{n} {name}" for name, n in created.items() if n) or "nothing new (already loaded)"
        counts = self.counts()
        self.stdout.write(
            f"seed_demo: {demo_data.CONFERENCE['slug']}: created {summary}; now {counts} ({elapsed:.1f} s)"
        )

    def counts(self) -> str:
        conference = Conference.objects.get(slug=demo_data.CONFERENCE["slug"])
        return (
            f"{conference.delegations.count()} delegations, {conference.participants.count()} participants, "
            f"{conference.rooms.count()} rooms, {conference.sessions.count()} sessions"
        )

    @transaction.atomic
    def seed(self) -> Counter:
        created: Counter = Counter()
        data = dict(demo_data.CONFERENCE)
        conference = Conference.objects.filter(slug=data["slug"]).first()
        if conference is None:
            conference = Conference(**data)
            conference.full_clean()
            conference.save()
            created["conference"] += 1
        elif conference.registration_closes_at == demo_data.PAST_REGISTRATION_CLOSES_AT:
            # Seeded by an earlier version with the real (past) closing time, untouched since: reopen.
            conference.registration_closes_at = None
            conference.save(update_fields=["registration_closes_at", "updated_at"])  # drops the cached copy
            created["reopened registration"] += 1

        # Hosts and partners
        existing = set(Partner.objects.filter(conference=conference).values_list("role", "name"))
        partners = [
            Partner(conference=conference, role=role, name=name, name_fr=name_fr, name_ar=name_ar, order=order)
            for order, (role, name, name_fr, name_ar) in enumerate(demo_data.PARTNERS)
            if (role, name) not in existing
        ]
        Partner.objects.bulk_create(partners)
        created["partners"] += len(partners)

        # Delegations
        people = demo_data.participant_specs()
        sizes = Counter(spec.delegation for spec in people)
        existing_codes = set(Delegation.objects.filter(conference=conference).values_list("code", flat=True))
        delegations = [
            Delegation(
                conference=conference, code=spec.code, kind=spec.kind, country=spec.country,
                organization=spec.organization, organization_fr=spec.organization_fr,
                organization_ar=spec.organization_ar, seat_quota=sizes[spec.code] + 2,
            )
            for spec in demo_data.delegation_specs()
            if spec.code not in existing_codes
        ]
        Delegation.objects.bulk_create(delegations)
        created["delegations"] += len(delegations)
        delegation_ids = dict(Delegation.objects.filter(conference=conference).values_list("code", "id"))

        # Rooms
        existing_rooms = set(Room.objects.filter(conference=conference).values_list("name", flat=True))
        rooms = [
            Room(conference=conference, name=name, name_fr=name_fr, name_ar=name_ar, capacity=capacity,
                 interpretation_languages=languages, order=order)
            for name, name_fr, name_ar, capacity, languages, order in demo_data.ROOMS
            if name not in existing_rooms
        ]
        Room.objects.bulk_create(rooms)
        created["rooms"] += len(rooms)
        room_ids = dict(Room.objects.filter(conference=conference).values_list("name", "id"))

        # Participants
        existing_emails = {
            email.lower() for email in Participant.objects.filter(conference=conference).values_list("email", flat=True)
        }
        base = datetime.datetime(2023, 5, 2, 8, 0, tzinfo=datetime.UTC)
        participants = []
        for index, spec in enumerate(people):
            if spec.email.lower() in existing_emails or (spec.delegation and spec.delegation not in delegation_ids):
                continue
            submitted = spec.status in {"submitted", "approved", "rejected", "cancelled"}
            decided = spec.status in {"approved", "rejected", "cancelled"}
            submitted_at = base + datetime.timedelta(hours=7 * index) if submitted else None
            participants.append(
                Participant(
                    conference=conference,
                    delegation_id=delegation_ids.get(spec.delegation) if spec.delegation else None,
                    public_id=new_public_id(),
                    category=spec.category,
                    status=spec.status,
                    status_reason="Seat quota reached for this category." if spec.status == "rejected" else "",
                    source=SOURCE_BY_CATEGORY.get(spec.category, "organizer"),
                    title=spec.title,
                    first_name=spec.first_name,
                    last_name=spec.last_name,
                    badge_name=f"{spec.first_name} {spec.last_name}",
                    badge_name_ar=spec.badge_name_ar,
                    search_name=search_text(
                        f"{spec.first_name} {spec.last_name}", f"{spec.first_name} {spec.last_name}", spec.badge_name_ar
                    ),
                    gender=spec.gender,
                    position=spec.position,
                    organization=spec.organization,
                    email=spec.email,
                    nationality=spec.nationality,
                    preferred_language=spec.preferred_language,
                    languages_spoken=spec.languages_spoken,
                    consent_privacy_at=submitted_at,
                    consent_directory=spec.consent_directory,
                    consent_photos=spec.consent_photos,
                    form_step=5 if submitted else 0,
                    submitted_at=submitted_at,
                    decided_at=submitted_at + datetime.timedelta(days=3) if decided else None,
                )
            )
        Participant.objects.bulk_create(participants)
        created["participants"] += len(participants)
        participant_ids = {
            email.lower(): pk
            for email, pk in Participant.objects.filter(conference=conference).values_list("email", "id")
        }
        # Travel and visa wishes of those who submitted (logistics' rows, one per participant)
        new_emails = {p.email.lower() for p in participants}
        submitted_specs = [spec for spec in people if spec.email.lower() in new_emails
                           and spec.status in {"submitted", "approved", "rejected", "cancelled"}]
        TravelPlan.objects.bulk_create([
            TravelPlan(
                participant_id=participant_ids[spec.email.lower()],
                arrival_date=spec.arrival_date, arrival_airport="SSH" if spec.arrival_date else "",
                departure_date=spec.departure_date, departure_airport="SSH" if spec.departure_date else "",
                transfer_needed=spec.transfer_needed, hotel_needed=spec.hotel_needed,
            )
            for spec in submitted_specs
        ], ignore_conflicts=True)
        VisaLetter.objects.bulk_create([
            VisaLetter(participant_id=participant_ids[spec.email.lower()], requested=True)
            for spec in submitted_specs if spec.needs_visa_letter
        ], ignore_conflicts=True)

        # Heads of delegation, where none is set yet
        heads = {spec.delegation: spec.email.lower() for spec in people if spec.category == "head"}
        to_update = []
        for delegation in Delegation.objects.filter(conference=conference, head__isnull=True):
            head_id = participant_ids.get(heads.get(delegation.code, ""))
            if head_id:
                delegation.head_id = head_id
                to_update.append(delegation)
        Delegation.objects.bulk_update(to_update, ["head"])
        created["heads of delegation"] += len(to_update)

        # Badges for approved participants
        badges = [
            Badge(participant_id=pk, token=secrets.token_urlsafe(32))
            for pk in Participant.objects.filter(
                conference=conference, status="approved", badge__isnull=True
            ).values_list("id", flat=True)
        ]
        Badge.objects.bulk_create(badges)
        created["badges"] += len(badges)

        # Programme
        existing_sessions = {
            (title, starts_at): pk
            for title, starts_at, pk in Session.objects.filter(conference=conference).values_list(
                "title", "starts_at", "id"
            )
        }
        sessions = []
        keys = []
        for day, start, end, kind, room, titles, descriptions, capacity, signup in demo_data.SESSIONS:
            starts_at, ends_at = demo_data.session_times(day, start, end)
            keys.append((titles[0], starts_at))
            if (titles[0], starts_at) in existing_sessions:
                continue
            descriptions = descriptions or ("", "", "")
            room_languages = next(r[4] for r in demo_data.ROOMS if r[0] == room)
            sessions.append(
                Session(
                    conference=conference, kind=kind, title=titles[0], title_fr=titles[1], title_ar=titles[2],
                    description=descriptions[0], description_fr=descriptions[1], description_ar=descriptions[2],
                    starts_at=starts_at, ends_at=ends_at, room_id=room_ids[room], capacity=capacity,
                    signup_required=signup, interpretation_languages=room_languages if kind != "break" else [],
                )
            )
        Session.objects.bulk_create(sessions)
        created["sessions"] += len(sessions)
        session_ids = {
            (title, starts_at): pk
            for title, starts_at, pk in Session.objects.filter(conference=conference).values_list(
                "title", "starts_at", "id"
            )
        }

        existing_roles = set(
            SessionRole.objects.filter(session__conference=conference).values_list("session_id", "participant_id", "role")
        )
        roles = []
        for index, role, email, order in demo_data.role_assignments(people):
            session_id = session_ids.get(keys[index])
            participant_id = participant_ids.get(email.lower())
            if session_id and participant_id and (session_id, participant_id, role) not in existing_roles:
                roles.append(SessionRole(session_id=session_id, participant_id=participant_id, role=role, order=order))
        SessionRole.objects.bulk_create(roles)
        created["session roles"] += len(roles)
        created.update(seed_privacy(conference))
        created.update(seed_cooperation(conference))
        created.update(seed_logistics_travel(conference))
        created.update(seed_logistics_stay(conference))
        created.update(seed_documents(conference))
        created.update(seed_questions(conference))
        created.update(demo_wording_refresh(conference))
        return created
