import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from icalendar import Calendar

from conference.models import AuditLog
from conference.services import AccordError
from cooperation import services
from cooperation.enums import BilateralStatus, BookingKind
from cooperation.models import BilateralMeeting, Booking, MeetingSlot
from cooperation.tasks import expire_requests_task
from sessions_app import services as programme
from tests.factories import (
    ConferenceFactory,
    ParticipantFactory,
    SessionFactory,
    SessionRoleFactory,
    StaffFactory,
)

from .conftest import cairo

pytestmark = pytest.mark.django_db


def _request(world, *, requesting=None, invited=None, members=None, slots=None, languages=("ar", "fr"), **kwargs):
    requesting = requesting or world.a
    invited = invited or world.b
    return services.bilateral_request(
        conference=world.conference, requesting=requesting.delegation, invited=invited.delegation,
        actor=requesting.focal, topic=kwargs.pop("topic", "Joint investigation teams"),
        attendee_ids=[m.pk for m in (members if members is not None else requesting.members)],
        languages=languages, slot_ids=[s.pk for s in (slots if slots is not None else world.slots[:2])], **kwargs,
    )


def test_request_counter_accept_books_a_room_and_both_sides(world, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = _request(world)
    assert (meeting.status, meeting.awaiting, meeting.round) == ("requested", "invited", 1)
    # The invited side (France, in French) is told; the focal point and no one else.
    assert [m.to for m in mailoutbox] == [[world.b.focal.email]]
    assert "Égypte" in mailoutbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        services.bilateral_counter(meeting, actor=world.b.focal, slot_ids=[world.slots[2].pk],
                                   attendee_ids=[world.b.members[0].pk])
    meeting.refresh_from_db()
    assert (meeting.awaiting, meeting.round) == ("requesting", 2)
    assert mailoutbox[1].to == [world.a.focal.email]
    assert mailoutbox[1].extra_headers["Content-Language"] == "ar"
    with pytest.raises(AccordError, match="last round"):
        services.bilateral_accept(meeting, actor=world.a.focal, slot_id=world.slots[0].pk)
    with pytest.raises(AccordError, match="other delegation's turn"):
        services.bilateral_accept(meeting, actor=world.b.focal, slot_id=world.slots[2].pk)
    with django_capture_on_commit_callbacks(execute=True):
        meeting, warnings = services.bilateral_accept(meeting, actor=world.a.focal, slot_id=world.slots[2].pk)
    assert warnings == []
    assert meeting.status == BilateralStatus.ACCEPTED
    assert (meeting.starts_at, meeting.ends_at) == (cairo(11, 16), cairo(11, 16, 45))
    assert meeting.room == world.rooms[0].room  # 3 attendees: the smallest room that holds them
    kinds = sorted(Booking.objects.filter(meeting=meeting).values_list("kind", "resource_id"))
    assert kinds == sorted([
        (BookingKind.DELEGATION, world.a.delegation.pk), (BookingKind.DELEGATION, world.b.delegation.pk),
        (BookingKind.ROOM, world.rooms[0].room.pk),
        *[(BookingKind.PARTICIPANT, p.pk) for p in [*world.a.members, world.b.members[0]]],
    ])
    # Both sides are told, each in its own language.
    confirmed = {m.to[0]: m for m in mailoutbox[2:]}
    assert set(confirmed) == {world.a.focal.email, world.b.focal.email}
    assert confirmed[world.b.focal.email].extra_headers["Content-Language"] == "fr"
    assert "Égypte" in confirmed[world.b.focal.email].subject
    assert confirmed[world.a.focal.email].extra_headers["Content-Language"] == "ar"
    assert "16:00" in confirmed[world.b.focal.email].body
    assert list(AuditLog.objects.filter(action__startswith="bilateral.").values_list("action", flat=True)
                .order_by("id")) == ["bilateral.request", "bilateral.counter", "bilateral.accept"]


def test_emails_are_sent_once_even_when_the_task_runs_again(world, mailoutbox):
    meeting = _request(world)
    assert services.meeting_emails_send(meeting.pk, event="requested", round=1) == 1
    assert services.meeting_emails_send(meeting.pk, event="requested", round=1) == 0
    assert len(mailoutbox) == 1


@pytest.mark.parametrize("problem", ["own", "foreign_slot", "not_approved", "other_member", "too_many", "no_topic",
                                     "language", "not_focal"])
def test_bad_requests_are_refused_and_change_nothing(world, problem):
    kwargs = {}
    if problem == "own":
        kwargs["invited"] = world.a
        message = "two different delegations"
    elif problem == "foreign_slot":
        other = ConferenceFactory()
        kwargs["slots"] = [MeetingSlot.objects.create(conference=other, starts_at=cairo(11, 9), ends_at=cairo(11, 10))]
        message = "meeting slots"
    elif problem == "not_approved":
        member = world.a.members[0]
        member.status = "submitted"
        member.save(update_fields=["status"])
        message = "approved members"
    elif problem == "other_member":
        kwargs["members"] = [world.b.members[0]]
        message = "belong to the delegation"
    elif problem == "too_many":
        kwargs["members"] = [ParticipantFactory(conference=world.conference, delegation=world.a.delegation)
                             for _ in range(11)]
        message = "No meeting room holds 11 people"
    elif problem == "no_topic":
        kwargs["topic"] = "   "
        message = "subject"
    elif problem == "language":
        kwargs["languages"] = ["ar", "fr", "en"]
        message = "language pair"
    else:
        with pytest.raises(AccordError, match="focal point or the head"):
            services.bilateral_request(
                conference=world.conference, requesting=world.a.delegation, invited=world.b.delegation,
                actor=world.b.focal, topic="x", attendee_ids=[world.a.members[0].pk], languages=["ar"],
                slot_ids=[world.slots[0].pk])
        assert not BilateralMeeting.objects.exists()
        return
    with pytest.raises(AccordError, match=message):
        _request(world, **kwargs)
    assert not BilateralMeeting.objects.exists()


def test_head_of_delegation_may_request(world):
    head_user = world.a.members[0].user
    world.a.delegation.head = world.a.members[0]
    world.a.delegation.save(update_fields=["head"])
    meeting = services.bilateral_request(
        conference=world.conference, requesting=world.a.delegation, invited=world.b.delegation, actor=head_user,
        topic="Extradition", attendee_ids=[world.a.members[0].pk], languages=["ar", "fr"],
        slot_ids=[world.slots[0].pk])
    assert meeting.requested_by == head_user


def test_unanswered_request_expires_by_the_beat_task_and_can_no_longer_be_accepted(world, mailoutbox):
    meeting = _request(world)
    BilateralMeeting.objects.filter(pk=meeting.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    with pytest.raises(AccordError, match="expired"):
        services.bilateral_accept(meeting, actor=world.b.focal, slot_id=world.slots[0].pk)
    assert not Booking.objects.exists()
    expire_requests_task.delay()
    meeting.refresh_from_db()
    assert meeting.status == BilateralStatus.EXPIRED
    assert services.bilateral_expire_due() == 0
    with pytest.raises(AccordError, match="no longer open"):
        services.bilateral_decline(meeting, actor=world.b.focal)


def test_declined_and_withdrawn_requests_cannot_be_accepted(world):
    declined = _request(world)
    services.bilateral_decline(declined, actor=world.b.focal)
    with pytest.raises(AccordError, match="no longer open"):
        services.bilateral_accept(declined, actor=world.b.focal, slot_id=world.slots[0].pk)
    withdrawn = _request(world, invited=world.c)
    services.bilateral_cancel(withdrawn, actor=world.a.focal)
    with pytest.raises(AccordError, match="no longer open"):
        services.bilateral_accept(withdrawn, actor=world.c.focal, slot_id=world.slots[0].pk)
    assert not Booking.objects.exists()


def test_no_delegation_member_or_room_is_booked_twice(world):
    first = _request(world, slots=[world.slots[0]])
    second = _request(world, requesting=world.c, invited=world.a, slots=[world.slots[0]])  # asked before
    services.bilateral_accept(first, actor=world.b.focal, slot_id=world.slots[0].pk)
    # Egypt is busy at 14:00 now: a new request to Egypt for that slot is refused at once, and the one asked
    # before cannot be accepted.
    with pytest.raises(AccordError, match="or a delegation or member is already booked, at: 11 July 14:00"):
        _request(world, requesting=world.c, invited=world.a, slots=[world.slots[0]])
    assert BilateralMeeting.objects.filter(requesting=world.c.delegation).count() == 1
    with pytest.raises(AccordError, match="already booked"):
        services.bilateral_accept(second, actor=world.a.focal, slot_id=world.slots[0].pk)
    second.refresh_from_db()
    assert second.status == BilateralStatus.REQUESTED
    # The free-slot search offers Egypt only the other slots.
    from cooperation.selectors import free_slots

    offered = free_slots(world.conference, delegation_ids=[world.a.delegation.pk, world.c.delegation.pk],
                         participant_ids=[], size=1)
    assert [choice.slot for choice in offered] == world.slots[1:]


def test_rooms_fill_up_then_acceptance_is_refused(world):
    world.rooms[1].delete()  # one room left
    first = _request(world, slots=[world.slots[0]])
    other = _request(world, requesting=world.c, invited=world.b, slots=[world.slots[0]], languages=["en"])
    services.bilateral_accept(first, actor=world.b.focal, slot_id=world.slots[0].pk)
    # France is busy, but even before that check, no room is free.
    with pytest.raises(AccordError):
        services.bilateral_accept(other, actor=world.b.focal, slot_id=world.slots[0].pk)


def test_clash_with_a_members_session_role_is_warned_not_forbidden(world):
    session = SessionFactory(conference=world.conference, title="Panel on MLA", room=None,
                             starts_at=cairo(11, 14), ends_at=cairo(11, 15))
    SessionRoleFactory(session=session, participant=world.a.members[0])
    meeting = _request(world, slots=[world.slots[0]])
    meeting, warnings = services.bilateral_accept(meeting, actor=world.b.focal, slot_id=world.slots[0].pk)
    assert meeting.status == BilateralStatus.ACCEPTED
    assert warnings == ["An attending member is expected at “Panel on MLA” at that time."]


def test_meeting_visible_only_to_the_two_delegations_and_organizers(client, world):
    meeting = _request(world)
    url = reverse("cooperation:meeting", args=[meeting.pk])
    for user, status in [(world.a.focal, 200), (world.b.focal, 200), (world.a.members[0].user, 200),
                         (StaffFactory(), 200), (world.c.focal, 404), (world.c.members[0].user, 404)]:
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == status
        assert ("Joint investigation teams" in response.content.decode()) == (status == 200)
    client.force_login(world.c.focal)
    assert client.get(reverse("cooperation:meetings")).content.decode().count("Joint investigation") == 0
    # A forged id of another delegation's meeting: 404, and the answer changes nothing.
    response = client.post(reverse("cooperation:meeting_answer", args=[meeting.pk]), {"action": "decline"})
    assert response.status_code == 404
    meeting.refresh_from_db()
    assert meeting.status == BilateralStatus.REQUESTED
    assert client.get(reverse("cooperation:meeting", args=[meeting.pk + 1000])).status_code == 404


def test_pages_request_and_answer(client, world):
    client.force_login(world.a.focal)
    page = client.get(reverse("cooperation:meeting_request"))
    assert page.status_code == 200
    response = client.post(reverse("cooperation:meeting_request"), {
        "requesting": world.a.delegation.pk, "invited": world.b.delegation.pk, "topic": "Training",
        "attendees": [world.a.members[0].pk], "languages": ["ar", "fr"], "slots": [world.slots[1].pk],
    })
    meeting = BilateralMeeting.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("cooperation:meeting", args=[meeting.pk])
    client.force_login(world.b.focal)
    page = client.get(response["Location"]).content.decode()
    assert 'name="slot"' in page
    client.post(reverse("cooperation:meeting_answer", args=[meeting.pk]), {"action": "accept", "slot": world.slots[1].pk})
    meeting.refresh_from_db()
    assert meeting.status == BilateralStatus.ACCEPTED
    assert "Meeting room 1" in client.get(reverse("cooperation:meetings")).content.decode()


def test_focal_point_of_no_delegation_cannot_open_the_request_page(client, world):
    client.force_login(world.a.members[0].user)
    assert client.get(reverse("cooperation:meeting_request")).status_code == 404


def test_accepted_meeting_is_in_the_attendees_agenda_and_feed(client, world):
    meeting = _request(world, members=[world.a.members[0]], slots=[world.slots[0]])
    services.bilateral_accept(meeting, actor=world.b.focal, slot_id=world.slots[0].pk,
                              attendee_ids=[world.b.members[1].pk])
    for person, other in [(world.a.members[0], "France"), (world.b.members[1], "Egypt")]:
        client.force_login(person.user)
        page = client.get(reverse("sessions_app:me")).content.decode()
        with translation.override(person.preferred_language):
            assert gettext("Bilateral meeting") in page
        token = programme.feed_rotate(person, actor=None)
        body = client.get(reverse("sessions_app:ical_personal", args=[token]), {"lang": "en"}).content
        events = [c for c in Calendar.from_ical(body).walk("VEVENT")]
        assert [str(e["summary"]) for e in events] == [f"Bilateral meeting with {other}"]
        assert events[0].decoded("dtstart") == cairo(11, 14)
        assert str(events[0]["location"]) == "Meeting room 1"
    # Someone not attending sees nothing of it.
    client.force_login(world.a.members[1].user)
    assert "Bilateral meeting with" not in client.get(reverse("sessions_app:me")).content.decode()


def test_grid_slot_in_a_plenary_or_outside_the_conference_is_refused(world):
    SessionFactory(conference=world.conference, kind="plenary", starts_at=cairo(12, 9), ends_at=cairo(12, 11))
    for start, message in [(cairo(12, 10), "plenary"), (cairo(20, 10), "conference dates")]:
        slot = MeetingSlot(conference=world.conference, starts_at=start, ends_at=start + datetime.timedelta(minutes=45))
        with pytest.raises(AccordError, match=message):
            services.meeting_slot_save(slot, actor=None)
    assert MeetingSlot.objects.count() == 3


def test_organizers_grid_shows_rooms_and_meetings(client, world, django_assert_num_queries):
    meeting = _request(world, slots=[world.slots[0]])
    services.bilateral_accept(meeting, actor=world.b.focal, slot_id=world.slots[0].pk)
    client.force_login(StaffFactory())
    page = client.get(reverse("cooperation:grid_day", args=["2023-07-11"])).content.decode()
    assert "Meeting room 1" in page and "EGY" in page and "FRA" in page
    client.force_login(world.a.focal)
    assert client.get(reverse("cooperation:grid")).status_code == 302  # to the admin login


def test_admin_schedules_through_the_service_with_an_audit_entry(client, world):
    client.force_login(StaffFactory())
    response = client.post(reverse("admin:cooperation_bilateralmeeting_add"), {
        "conference": world.conference.pk, "requesting": world.a.delegation.pk, "invited": world.c.delegation.pk,
        "topic": "Border management", "languages": ["ar", "en"], "starts_at_0": "2023-07-11", "starts_at_1": "15:00",
        "ends_at_0": "2023-07-11", "ends_at_1": "15:45", "room": world.rooms[1].room.pk, "status": "accepted",
    })
    assert response.status_code == 302
    meeting = BilateralMeeting.objects.get()
    assert AuditLog.objects.filter(action="bilateral.schedule", object_id=str(meeting.pk)).exists()
    assert Booking.objects.filter(meeting=meeting, kind=BookingKind.ROOM, resource_id=world.rooms[1].room.pk).exists()
    # The same time for Egypt again: refused by the form, nothing written.
    response = client.post(reverse("admin:cooperation_bilateralmeeting_add"), {
        "conference": world.conference.pk, "requesting": world.a.delegation.pk, "invited": world.b.delegation.pk,
        "topic": "Other", "languages": ["ar"], "starts_at_0": "2023-07-11", "starts_at_1": "15:00",
        "ends_at_0": "2023-07-11", "ends_at_1": "15:45", "room": world.rooms[0].room.pk, "status": "accepted",
    })
    assert response.status_code == 200
    assert "already has a meeting at that time" in response.content.decode()
    assert BilateralMeeting.objects.count() == 1


def test_slots_respect_the_members_arrival_and_departure(world):
    from cooperation.selectors import free_slots
    from logistics.models import TravelPlan

    late = world.a.members[0]
    TravelPlan.objects.create(participant=late, arrival_date=datetime.date(2023, 7, 11),
                              arrival_time=datetime.time(15, 0))
    leaving = world.b.members[0]
    TravelPlan.objects.create(participant=leaving, departure_date=datetime.date(2023, 7, 11),
                              departure_time=datetime.time(16, 30))
    offered = free_slots(world.conference, delegation_ids=[world.a.delegation.pk, world.b.delegation.pk],
                         participant_ids=[late.pk, leaving.pk])
    assert [choice.slot for choice in offered] == [world.slots[1]]  # 15:00 only: not 14:00, not 16:00
    with pytest.raises(AccordError, match="not arrived yet or has already left"):
        _request(world, members=[late], slots=[world.slots[0]])
    meeting = _request(world, members=[late], slots=[world.slots[1], world.slots[2]])
    with pytest.raises(AccordError, match="not arrived yet or has already left"):
        services.bilateral_accept(meeting, actor=world.b.focal, slot_id=world.slots[2].pk,
                                  attendee_ids=[leaving.pk])
    meeting, _warnings = services.bilateral_accept(meeting, actor=world.b.focal, slot_id=world.slots[1].pk,
                                                   attendee_ids=[leaving.pk])
    assert meeting.starts_at == cairo(11, 15)


def _accepted(world, requesting, invited, slot):
    meeting = _request(world, requesting=requesting, invited=invited, members=requesting.members[:1], slots=[slot])
    return services.bilateral_accept(meeting, actor=invited.focal, slot_id=slot.pk)[0]


def test_meeting_list_and_grid_query_counts_do_not_grow(client, world, django_assert_num_queries):
    _accepted(world, world.a, world.b, world.slots[0])
    staff = StaffFactory()
    pages = [(world.a.focal, reverse("cooperation:meetings")),
             (staff, reverse("cooperation:grid_day", args=["2023-07-11"]))]
    counts = {}
    for user, url in pages:
        client.force_login(user)
        client.get(url)  # the current conference into the shared cache
        with django_assert_num_queries({"meetings": 5, "grid": 5}[url.split("/")[2]]) as one:
            assert client.get(url).status_code == 200
        counts[url] = len(one)
    _accepted(world, world.a, world.c, world.slots[1])
    _accepted(world, world.c, world.a, world.slots[2])
    for user, url in pages:
        client.force_login(user)
        with django_assert_num_queries(counts[url]):
            page = client.get(url).content.decode()
        assert len(set(re.findall(r'href="/cooperation/meetings/(\d+)/"', page))) == 3


def test_request_names_a_person_listed_in_the_directory_only(client, world):
    from cooperation.models import DirectoryEntry

    listed, hidden = world.b.members
    DirectoryEntry.objects.create(participant=listed, listed=True)
    DirectoryEntry.objects.create(participant=hidden, listed=False)
    client.force_login(world.a.focal)
    page = client.get(reverse("cooperation:meeting_request")).content.decode()
    assert listed.public_id in page and hidden.public_id not in page
    post = {"requesting": world.a.delegation.pk, "invited": world.b.delegation.pk, "topic": "Extradition",
            "attendees": [world.a.members[0].pk], "languages": ["ar", "fr"], "slots": [world.slots[0].pk]}
    assert client.post(reverse("cooperation:meeting_request"), {**post, "invited_participant": hidden.public_id}
                       ).status_code == 200
    assert not BilateralMeeting.objects.exists()
    client.post(reverse("cooperation:meeting_request"), {**post, "invited_participant": listed.public_id})
    assert BilateralMeeting.objects.get().invited_participant == listed
    # A person named for a delegation they are not a member of is refused.
    with translation.override("en"), pytest.raises(AccordError, match="approved member of the invited delegation"):
        _request(world, invited=world.c, invited_participant=listed)


def test_request_refused_for_a_slot_without_a_free_room_for_its_language_pair(world):
    """The request form offers every slot with a free room; the request itself is refused for a slot where no
    free room that holds the attendees offers the meeting's language pair, and nothing is recorded."""
    english_only = world.rooms[0].room
    english_only.interpretation_languages = ["en"]
    english_only.save()
    world.rooms[1].delete()  # the only room left offers no Arabic-French interpretation
    with pytest.raises(AccordError, match="No meeting room for 2 people with this language pair is free, or a "
                                          "delegation or member is already booked, at: 11 July 14:00–14:45, "
                                          "11 July 15:00–15:45. Propose other slots."):
        _request(world, languages=("ar", "fr"))
    assert not BilateralMeeting.objects.exists()
    meeting = _request(world, languages=("en",))  # one language: any free room that holds them
    assert meeting.status == BilateralStatus.REQUESTED
    # A counter-proposal is checked the same way.
    english_only.capacity = 1
    english_only.save()
    with pytest.raises(AccordError, match="No meeting room for 2 people"):
        services.bilateral_counter(meeting, actor=world.b.focal, slot_ids=[world.slots[2].pk])
    meeting.refresh_from_db()
    assert meeting.round == 1
