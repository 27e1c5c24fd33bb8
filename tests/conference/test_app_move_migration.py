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
    from onsite.models import Attendance, Badge, BadgeBatch, BadgePrint, CheckIn, RevokedBadgeToken
    from registration.models import Participant as NewParticipant
    from registration.models import TravelDocument

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
