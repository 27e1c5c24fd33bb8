"""The move of models into onsite and cooperation keeps every row: a database at the schema before the move,
holding demo rows written through the historical models, is migrated to the latest schema and every row is found
through the new models (and their content types now carry the new app labels)."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE_THE_MOVE = [
    ("conference", "0006_outgoing_email"),
    ("registration", "0011_invitation_send_attempts"),
    ("sessions_app", "0006_signup_promotion_failures"),
    ("onsite", None),
    ("cooperation", None),
    ("logistics", None),
]

# Before travel, hotel and visa data moved into logistics (TravelDocument, TravelPlan, VisaLetter).
BEFORE_THE_LOGISTICS_MOVE = [
    ("registration", "0013_participant_visa_letter_sent_marker"),
    ("logistics", None),
]

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="runs on PostgreSQL, the production database"),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state([target for target in targets if target[1] is not None]).apps


def latest_targets():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def test_rows_survive_the_move_to_onsite_and_cooperation():
    try:
        old = migrate(BEFORE_THE_MOVE)
        ContentType.objects.clear_cache()
        OldContentType = old.get_model("contenttypes", "ContentType")
        for label, model in [("registration", "badge"), ("registration", "checkin"),
                             ("sessions_app", "attendance"), ("sessions_app", "bilateralmeeting")]:
            OldContentType.objects.get_or_create(app_label=label, model=model)
        Conference = old.get_model("conference", "Conference")
        Delegation = old.get_model("conference", "Delegation")
        Participant = old.get_model("registration", "Participant")
        conference = Conference.objects.create(
            slug="moved", name="Moved", short_name="MV", start_date=datetime.date(2023, 7, 10),
            end_date=datetime.date(2023, 7, 13), time_zone="Africa/Cairo", venue="Centre", city="Sharm",
            country="EG",
        )
        egypt = Delegation.objects.create(conference=conference, code="EGY", kind="member_state", country="EG",
                                          seat_quota=5)
        senegal = Delegation.objects.create(conference=conference, code="SEN", kind="member_state", country="SN",
                                            seat_quota=5)
        participant = Participant.objects.create(
            conference=conference, delegation=egypt, public_id="p-moved", email="moved@example.org",
            first_name="Amina", last_name="Diallo", status="approved",
        )
        old.get_model("registration", "TravelDocument").objects.create(
            participant=participant, passport_number="X1234567Q", issuing_country="SN")
        badge = old.get_model("registration", "Badge").objects.create(participant=participant, token="t-current")
        batch = old.get_model("registration", "BadgeBatch").objects.create(
            conference=conference, participant_ids=[participant.pk], total=1)
        old.get_model("registration", "BadgePrint").objects.create(badge=badge, batch=batch)
        old.get_model("registration", "RevokedBadgeToken").objects.create(badge=badge, token="t-lost",
                                                                          reason="lost")
        now = timezone.now()
        old.get_model("registration", "CheckIn").objects.create(
            conference=conference, participant=participant, client_id="c-1", result="ok", scanned_at=now)
        room = old.get_model("sessions_app", "Room").objects.create(conference=conference, name="Hall A")
        session = old.get_model("sessions_app", "Session").objects.create(
            conference=conference, kind="plenary", title="Opening", starts_at=now,
            ends_at=now + datetime.timedelta(hours=1), room=room)
        old.get_model("sessions_app", "Attendance").objects.create(
            session=session, participant=participant, client_id="a-1", scanned_at=now)
        old.get_model("sessions_app", "BilateralMeeting").objects.create(
            conference=conference, requesting=egypt, invited=senegal, topic="Extradition", room=room)
    finally:
        migrate(latest_targets())
        ContentType.objects.clear_cache()

    from cooperation.models import BilateralMeeting
    from logistics.models import TravelDocument
    from onsite.models import Attendance, Badge, BadgeBatch, BadgePrint, CheckIn, RevokedBadgeToken
    from registration.models import Participant as NewParticipant

    moved = NewParticipant.objects.get(public_id="p-moved")
    assert moved.travel_document.passport_number == "X1234567Q"
    assert Badge.objects.get(participant=moved).token == "t-current"
    assert list(RevokedBadgeToken.objects.values_list("token", "badge__participant")) == [("t-lost", moved.pk)]
    assert BadgeBatch.objects.get().participant_ids == [moved.pk]
    assert BadgePrint.objects.get().batch == BadgeBatch.objects.get()
    assert CheckIn.objects.get().participant == moved
    assert Attendance.objects.get().session.title == "Opening"
    assert BilateralMeeting.objects.get().topic == "Extradition"
    assert TravelDocument.objects.count() == 1
    labels = set(ContentType.objects.filter(model__in=["badge", "checkin", "attendance", "bilateralmeeting"])
                 .values_list("app_label", "model"))
    assert labels == {("onsite", "badge"), ("onsite", "checkin"), ("onsite", "attendance"),
                      ("cooperation", "bilateralmeeting")}


def test_travel_hotel_visa_and_passport_rows_survive_the_move_to_logistics():
    from django.contrib.auth.models import Group, Permission

    try:
        old = migrate(BEFORE_THE_LOGISTICS_MOVE)
        ContentType.objects.clear_cache()
        OldContentType = old.get_model("contenttypes", "ContentType")
        OldPermission = old.get_model("auth", "Permission")
        OldGroup = old.get_model("auth", "Group")
        content_type, _ = OldContentType.objects.get_or_create(app_label="registration", model="traveldocument")
        permission, _ = OldPermission.objects.get_or_create(
            content_type=content_type, codename="view_traveldocument", defaults={"name": "Can view travel document"})
        OldGroup.objects.create(name="Visa officers").permissions.add(permission)
        # The conference app stays at its latest schema here: its current model writes the row.
        from conference.models import Conference

        Participant = old.get_model("registration", "Participant")
        conference = Conference.objects.create(
            slug="travel", name="Travel", short_name="TR", start_date=datetime.date(2023, 7, 10),
            end_date=datetime.date(2023, 7, 13), time_zone="Africa/Cairo", venue="Centre", city="Sharm",
            country="EG",
        )
        issued = timezone.now()
        traveller = Participant.objects.create(
            conference_id=conference.pk, public_id="p-travel", email="travel@example.org", status="approved",
            arrival_date=datetime.date(2023, 7, 9), arrival_time=datetime.time(14, 30), arrival_flight="MS123",
            arrival_airport="SSH", departure_date=datetime.date(2023, 7, 14), departure_flight="MS124",
            transfer_needed=True, hotel_needed=True, room_sharing="shared", hotel_name="Maritim",
            needs_visa_letter=True, visa_letter="visa-letters/1/p-travel.pdf", visa_letter_issued_at=issued,
            visa_letter_reference="TRAVEL/VISA/0001", visa_letter_sent_at=issued, visa_letter_last_error="",
        )
        Participant.objects.create(conference_id=conference.pk, public_id="p-home", email="home@example.org")
        old.get_model("registration", "TravelDocument").objects.create(
            participant=traveller, passport_number="Y7654321", issuing_country="TN")
    finally:
        migrate(latest_targets())
        ContentType.objects.clear_cache()

    from logistics.models import TravelDocument, TravelPlan, VisaLetter
    from registration.models import Participant as NewParticipant

    moved = NewParticipant.objects.get(public_id="p-travel")
    plan = moved.travel_plan
    assert (plan.arrival_date, plan.arrival_time, plan.arrival_flight, plan.arrival_airport) == (
        datetime.date(2023, 7, 9), datetime.time(14, 30), "MS123", "SSH")
    assert (plan.departure_date, plan.departure_flight, plan.transfer_needed, plan.hotel_needed,
            plan.room_sharing, plan.hotel_name) == (datetime.date(2023, 7, 14), "MS124", True, True, "shared",
                                                    "Maritim")
    letter = moved.visa_letter
    assert (letter.requested, letter.file.name, letter.reference, letter.issued_at, letter.sent_at) == (
        True, "visa-letters/1/p-travel.pdf", "TRAVEL/VISA/0001", issued, issued)
    assert moved.travel_document.passport_number == "Y7654321"
    # Who gave nothing has no rows; the passport permission kept its holders under its new label.
    assert TravelPlan.objects.count() == VisaLetter.objects.count() == TravelDocument.objects.count() == 1
    assert not ContentType.objects.filter(app_label="registration", model="traveldocument").exists()
    holders = Permission.objects.get(content_type__app_label="logistics", codename="view_traveldocument")
    assert list(Group.objects.filter(permissions=holders).values_list("name", flat=True)) == ["Visa officers"]
