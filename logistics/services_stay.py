"""Writes of the stay: room bookings within the blocks' quotas, roommate requests, the sharing rule, and the
rooming lists sent to hotels.

* ``room_booking_save(*, hotel, guest, room_type, actor, roommate=None, check_in=None, check_out=None, notes="",
  booking=None) -> RoomBooking``: books (or changes) a room. The nights come from ``selectors.stay_nights`` when
  not given (given ones are marked as set by hand). Raises AccordError naming the field — a guest or roommate
  of another conference, someone already in another room, a roommate the sharing rule refuses, a roommate in a
  single room, a night without a block, a night whose block is full — and saves nothing. The block rows of the
  nights are locked (``SELECT … FOR UPDATE``, in night order) while the rooms are counted, so two organizers
  booking the last room at once get one room and one refusal.
* ``room_booking_cancel(booking, *, actor)``.
* ``roommate_request_save(participant, *, requested, actor)``: refused for someone of another conference.
* ``rooming_list_send(hotel, *, actor, trigger) -> RoomingListSend``: renders the list (XLSX, CSV, PDF, each line
  with its state since the last one sent), stores the files and the lines, and queues the e-mail after commit.
* ``rooming_list_email_send(send_id) -> bool``: the e-mail with the three files, at most once per send.
* ``rooming_lists_send_due() -> int``: the schedule (Celery beat): a new list for each hotel that asked for them
  and has changes.
Every write has its audit entry.
"""

from __future__ import annotations

import datetime
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from conference.mail import describe_error, is_permanent, is_transient
from conference.services import AccordError, audit_record
from registration.models import Participant

from . import selectors_stay
from .emails_stay import rooming_list_email
from .models import Hotel, RoomBlock, RoomBooking, RoomingListSend, RoommateRequest, StayRules
from .models.stay import RoomType, SharingRule
from .rendering_stay import render_rooming_list_csv, render_rooming_list_pdf, render_rooming_list_xlsx
from .selectors import stay_nights
from .tasks_stay import send_rooming_list_task

logger = logging.getLogger(__name__)


def room_race_window() -> None:
    """A documented test hook between counting a night's rooms and saving the booking (a no-op here; the
    concurrency test widens it)."""


def sharing_rule(conference) -> str:
    rules = StayRules.objects.filter(conference=conference).first()
    return rules.sharing_rule if rules else SharingRule.SAME_GENDER


def sharing_refusal(rule: str, guest: Participant, roommate: Participant) -> str | None:
    """Why ``rule`` does not let ``guest`` and ``roommate`` share, or None."""
    same_gender = bool(guest.gender) and guest.gender == roommate.gender and guest.gender != "undisclosed"
    same_delegation = guest.delegation_id is not None and guest.delegation_id == roommate.delegation_id
    if rule in (SharingRule.SAME_GENDER, SharingRule.SAME_GENDER_AND_DELEGATION) and not same_gender:
        return _("The conference's rule lets only people of the same gender share a room.")
    if rule in (SharingRule.SAME_DELEGATION, SharingRule.SAME_GENDER_AND_DELEGATION) and not same_delegation:
        return _("The conference's rule lets only members of the same delegation share a room.")
    return None


def _nights(check_in: datetime.date, check_out: datetime.date) -> list[datetime.date]:
    return [check_in + datetime.timedelta(days=offset) for offset in range((check_out - check_in).days)]


def room_booking_save(
    *,
    hotel: Hotel,
    guest: Participant,
    room_type: str,
    actor,
    roommate: Participant | None = None,
    check_in: datetime.date | None = None,
    check_out: datetime.date | None = None,
    notes: str = "",
    booking: RoomBooking | None = None,
) -> RoomBooking:
    """Book a room of ``room_type`` at ``hotel`` for ``guest`` (and ``roommate``), or change ``booking``. See the
    module's docstring for the refusals; nothing is saved when one applies."""
    conference = hotel.conference
    if room_type not in RoomType.values:
        raise AccordError(_("Room type: choose single or double."))
    if guest.conference_id != conference.pk:
        raise AccordError(_("Guest: this participant belongs to another conference."))
    if roommate is not None:
        if roommate.conference_id != conference.pk:
            raise AccordError(_("Roommate: this participant belongs to another conference."))
        if roommate.pk == guest.pk:
            raise AccordError(_("Roommate: the guest cannot share a room with themselves."))
        if room_type != RoomType.DOUBLE:
            raise AccordError(_("Roommate: only a double room can be shared."))
        refusal = sharing_refusal(sharing_rule(conference), guest, roommate)
        if refusal:
            raise AccordError(_("Roommate: %(reason)s") % {"reason": refusal})
    dates_edited = booking.dates_edited if booking else False
    if check_in is None or check_out is None:
        planned_in, planned_out = stay_nights(conference, [guest.pk]).get(guest.pk, (None, None))
        check_in = check_in or planned_in
        check_out = check_out or planned_out
    else:
        dates_edited = True
    if check_in is None:
        raise AccordError(_("Check-in: give a date (the participant has not given an arrival date)."))
    if check_out is None:
        raise AccordError(_("Check-out: give a date (the participant has not given a departure date)."))
    if check_out <= check_in:
        raise AccordError(_("Check-out: the date must be after the check-in date."))
    nights = _nights(check_in, check_out)
    with transaction.atomic():
        # The blocks of these nights, locked in night order (two bookings lock them in the same order: no
        # deadlock); until commit nobody else counts these nights.
        blocks = {
            block.night: block
            for block in RoomBlock.objects.select_for_update()
            .filter(hotel=hotel, room_type=room_type, night__in=nights).order_by("night")
        }
        missing = [night for night in nights if night not in blocks]
        if missing:
            raise AccordError(
                _("Check-in: the hotel has no block of %(type)s rooms on the night of %(night)s.")
                % {"type": RoomType(room_type).label, "night": missing[0].isoformat()})
        people = [guest.pk] + ([roommate.pk] if roommate else [])
        taken_by = RoomBooking.objects.filter(guest_id__in=people) | RoomBooking.objects.filter(
            roommate_id__in=people)
        if booking is not None:
            taken_by = taken_by.exclude(pk=booking.pk)
        if taken_by.exists():
            raise AccordError(_("Guest: this participant (or the roommate) already has a room."))
        others = RoomBooking.objects.filter(hotel=hotel, room_type=room_type, check_in__lt=check_out,
                                            check_out__gt=check_in)
        if booking is not None:
            others = others.exclude(pk=booking.pk)
        used = {night: 0 for night in nights}
        for other_in, other_out in others.values_list("check_in", "check_out"):
            for night in nights:
                if other_in <= night < other_out:
                    used[night] += 1
        room_race_window()
        full = [night for night in nights if used[night] >= blocks[night].quota]
        if full:
            raise AccordError(
                _("Room type: the block of %(type)s rooms is full on the night of %(night)s (%(quota)s rooms).")
                % {"type": RoomType(room_type).label, "night": full[0].isoformat(), "quota": blocks[full[0]].quota})
        before = None if booking is None else selectors_stay.booking_values(booking) | {"hotel": booking.hotel_id}
        booking = booking or RoomBooking()
        booking.hotel = hotel
        booking.guest = guest
        booking.roommate = roommate
        booking.room_type = room_type
        booking.check_in = check_in
        booking.check_out = check_out
        booking.dates_edited = dates_edited
        booking.notes = notes
        booking.save()
        after = selectors_stay.booking_values(booking) | {"hotel": booking.hotel_id}
        changes = {name: [None if before is None else before.get(name), value] for name, value in after.items()
                   if before is None or before.get(name) != value}
        audit_record(actor=actor, action="logistics.room_booking_save", target=booking, conference=conference,
                     changes=changes)
    return booking


def room_booking_cancel(booking: RoomBooking, *, actor) -> None:
    """Cancel the room: the next rooming list shows the line as cancelled."""
    with transaction.atomic():
        conference = booking.hotel.conference
        audit_record(actor=actor, action="logistics.room_booking_cancel", target=booking, conference=conference,
                     changes={"cancelled": selectors_stay.booking_values(booking)})
        booking.delete()


def roommate_request_save(participant: Participant, *, requested: Participant | None, actor) -> None:
    """Record whom ``participant`` would share with (None: nobody). Counts only when the other asks too."""
    if requested is not None:
        if requested.conference_id != participant.conference_id:
            raise AccordError(_("Would share with: this participant belongs to another conference."))
        if requested.pk == participant.pk:
            raise AccordError(_("Would share with: choose someone else than the participant."))
    with transaction.atomic():
        if requested is None:
            RoommateRequest.objects.filter(participant=participant).delete()
        else:
            RoommateRequest.objects.update_or_create(participant=participant, defaults={"requested": requested})
        audit_record(actor=actor, action="logistics.roommate_request_save", target=participant,
                     conference=participant.conference,
                     changes={"requested": [None, requested.pk if requested else None]})


def stay_rules_save(conference, *, sharing_rule: str, actor) -> StayRules:
    if sharing_rule not in SharingRule.values:
        raise AccordError(_("Who may share a room: choose one of the rules."))
    with transaction.atomic():
        rules, _created = StayRules.objects.select_for_update().get_or_create(conference=conference)
        old = rules.sharing_rule
        rules.sharing_rule = sharing_rule
        rules.save(update_fields=["sharing_rule"])
        audit_record(actor=actor, action="logistics.stay_rules_save", target=rules, conference=conference,
                     changes={"sharing_rule": [old, sharing_rule]} if old != sharing_rule else {})
    return rules


HOTEL_FIELDS = ("name", "address", "contact_name", "contact_email", "contact_phone", "language", "send_on_schedule")


def hotel_save(hotel: Hotel, *, actor) -> Hotel:
    """Save a hotel (the admin's form) with its audit entry."""
    from conference.services import field_changes

    if not (hotel.name or "").strip():
        raise AccordError(_("Name: give the hotel's name."))
    before = None
    if hotel.pk:
        old = Hotel.objects.filter(pk=hotel.pk).first()
        before = {name: getattr(old, name) for name in HOTEL_FIELDS} if old else None
    with transaction.atomic():
        hotel.save()
        changes = field_changes(before, hotel, HOTEL_FIELDS) if before else {
            name: [None, getattr(hotel, name)] for name in HOTEL_FIELDS}
        audit_record(actor=actor, action="logistics.hotel_save", target=hotel, conference=hotel.conference,
                     changes=changes)
    return hotel


def room_block_save(block: RoomBlock, *, actor) -> RoomBlock:
    """Save a block; a quota below the rooms already booked that night is refused (the block row is locked
    while counting, as bookings lock it)."""
    with transaction.atomic():
        old = RoomBlock.objects.select_for_update().filter(pk=block.pk).first() if block.pk else None
        taken = RoomBooking.objects.filter(hotel_id=block.hotel_id, room_type=block.room_type,
                                           check_in__lte=block.night, check_out__gt=block.night).count()
        if block.quota < taken:
            raise AccordError(
                _("Rooms: %(taken)s rooms are booked on the night of %(night)s; the block cannot hold fewer.")
                % {"taken": taken, "night": block.night.isoformat()})
        block.save()
        audit_record(actor=actor, action="logistics.room_block_save", target=block, conference=block.hotel.conference,
                     changes={"quota": [old.quota if old else None, block.quota]})
    return block


def room_block_delete(block: RoomBlock, *, actor) -> None:
    block.quota = 0
    room_block_save(block, actor=actor)  # refused while rooms are booked that night
    with transaction.atomic():
        audit_record(actor=actor, action="logistics.room_block_delete", target=block,
                     conference=block.hotel.conference, changes={})
        block.delete()


def room_bookings_follow_travel(conference, *, actor) -> dict[str, list]:
    """Move the bookings whose dates were not set by hand to the dates ``stay_nights`` gives now (the itinerary's
    legs, else the travel step), each through ``room_booking_save`` (quota, blocks). Returns {"moved": [booking
    ids], "refused": [(booking id, reason)]}; a refused one keeps its dates."""
    bookings = list(RoomBooking.objects.filter(hotel__conference=conference, dates_edited=False)
                    .select_related("hotel__conference", "guest", "roommate").order_by("pk"))
    dates = stay_nights(conference, [booking.guest_id for booking in bookings])
    moved, refused = [], []
    for booking in bookings:
        check_in, check_out = dates.get(booking.guest_id, (None, None))
        if not (check_in and check_out) or (check_in, check_out) == (booking.check_in, booking.check_out):
            continue
        try:
            with transaction.atomic():
                saved = room_booking_save(
                    hotel=booking.hotel, guest=booking.guest, roommate=booking.roommate, room_type=booking.room_type,
                    notes=booking.notes, actor=actor, booking=booking, check_in=check_in, check_out=check_out)
                saved.dates_edited = False
                saved.save(update_fields=["dates_edited"])
            moved.append(booking.pk)
        except AccordError as error:
            refused.append((booking.pk, str(error)))
    return {"moved": moved, "refused": refused}


# Rooming lists -------------------------------------------------------------------------------------------


def rooming_list_send(hotel: Hotel, *, actor, trigger: str = RoomingListSend.Trigger.MANUAL) -> RoomingListSend:
    """Render the hotel's rooming list (states since the last one sent), store it with its files and lines,
    and e-mail it to the hotel's contact after commit. Raises AccordError when the hotel has no e-mail."""
    if not hotel.contact_email:
        raise AccordError(_("Contact e-mail: the hotel has no address to send the rooming list to."))
    with transaction.atomic():
        # One list at a time per hotel: the next one compares with this one.
        Hotel.objects.select_for_update().filter(pk=hotel.pk).first()
        current = selectors_stay.current_lines(hotel)
        lines = selectors_stay.rooming_list(hotel, current=current)
        now = timezone.now()
        send = RoomingListSend(hotel=hotel, actor=actor if getattr(actor, "pk", None) else None, trigger=trigger,
                               recipient=hotel.contact_email, lines=current,
                               counts=selectors_stay.rooming_counts(lines))
        stem = f"rooming-list-{now:%Y%m%d-%H%M%S}"
        send.xlsx.save(f"{stem}.xlsx", ContentFile(render_rooming_list_xlsx(hotel, lines, when=now)), save=False)
        send.csv.save(f"{stem}.csv", ContentFile(render_rooming_list_csv(hotel, lines)), save=False)
        send.pdf.save(f"{stem}.pdf", ContentFile(render_rooming_list_pdf(hotel, lines, when=now)), save=False)
        send.save()
        audit_record(actor=actor, action="logistics.rooming_list_send", target=send, conference=hotel.conference,
                     changes={"counts": send.counts, "trigger": trigger})
        send_rooming_list_task.delay_on_commit(send_id=send.pk)
    return send


def rooming_list_email_send(send_id: int, *, final_attempt: bool = True) -> bool:
    """E-mail the stored files of ``send_id`` to its recipient, once: the row is locked for the send and
    ``sent_at`` written in the same transaction, so a redelivered or retried task sends nothing more. On an
    SMTP fault ``last_error`` is kept (``failed_at`` on the last attempt) and a transient one re-raised."""
    try:
        with transaction.atomic():
            send = (RoomingListSend.objects.select_for_update(of=("self",)).select_related("hotel__conference")
                    .filter(pk=send_id).first())
            if send is None or send.sent_at is not None:
                return False
            send.sent_at = timezone.now()
            send.failed_at = None
            send.last_error = ""
            send.save(update_fields=["sent_at", "failed_at", "last_error"])
            rooming_list_email(send).send()
        return True
    except Exception as exc:
        if not (is_transient(exc) or is_permanent(exc)):
            raise
        failed = final_attempt or is_permanent(exc)
        RoomingListSend.objects.filter(pk=send_id).update(
            last_error=describe_error(exc), failed_at=timezone.now() if failed else None)
        if is_transient(exc) and not final_attempt:
            raise
        return False


def rooming_lists_send_due() -> int:
    """For every hotel that asked for them (``send_on_schedule``) and whose list changed since the last one
    sent: a new list. Returns how many were sent."""
    sent = 0
    for hotel in Hotel.objects.filter(send_on_schedule=True).exclude(contact_email="").select_related("conference"):
        if selectors_stay.has_changes(selectors_stay.rooming_list(hotel)):
            rooming_list_send(hotel, actor=None, trigger=RoomingListSend.Trigger.SCHEDULE)
            sent += 1
    return sent
