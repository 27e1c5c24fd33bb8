"""Writes to the programme: sessions, rooms, roles, sign-ups and waiting lists, calendar feeds, agenda files.

Every function runs in a transaction, raises ``AccordError`` with a readable message on bad input (changing
nothing), and queues its background work (agenda PDFs, e-mails) with ``delay_on_commit``.
"""

from __future__ import annotations

import hashlib
import logging
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from conference import languages
from conference.enums import EmailKind
from conference.mail import build_message, describe_error, is_permanent, is_transient
from conference.models import Conference
from conference.selectors import conference_email_text
from conference.services import AccordError, audit_record, field_changes
from registration.enums import ParticipantStatus
from registration.models import Participant

from . import selectors
from .enums import SignupStatus
from .models import AgendaFile, PersonalFeed, Room, Session, SessionRole, SessionSignup
from .tasks import render_agenda_task, send_promotion_email_task
from .validation import role_conflicts, session_problems

logger = logging.getLogger(__name__)


# --- The programme --------------------------------------------------------------------------------


def agenda_refresh_queue(conference: Conference | int) -> None:
    """After commit, queue a re-render of the agenda PDF in every language (the task skips unchanged ones)."""
    conference_id = conference if isinstance(conference, int) else conference.pk
    for language in languages.codes():
        render_agenda_task.delay_on_commit(conference_id=conference_id, language=language)


def _confirmed_count(session: Session) -> int:
    return SessionSignup.objects.filter(session=session, status=SignupStatus.CONFIRMED).count()


def _promote_waitlisted(session: Session) -> list[SessionSignup]:
    """Promote waitlisted sign-ups in order while seats are free; the caller holds the session lock."""
    waiting = SessionSignup.objects.filter(session=session, status=SignupStatus.WAITLISTED).order_by(
        "created_at", "id"
    )
    if session.capacity is not None:
        free = session.capacity - _confirmed_count(session)
        if free <= 0:
            return []
        waiting = waiting[:free]
    promoted = list(waiting.select_related("participant"))
    now = timezone.now()
    for signup in promoted:
        signup.status = SignupStatus.CONFIRMED
        signup.promoted_at = now
        signup.save(update_fields=["status", "promoted_at"])
        audit_record(
            actor=None,
            action="signup.promoted",
            target=signup.participant,
            conference=session.conference,
            changes={"session": session.pk},
        )
        send_promotion_email_task.delay_on_commit(signup_id=signup.pk)
    return promoted


#: What a session's audit entry compares.
SESSION_AUDITED_FIELDS = (
    "conference_id", "kind", "title", "title_fr", "title_ar", "description", "description_fr", "description_ar",
    "starts_at", "ends_at", "room_id", "capacity", "signup_required", "interpretation_languages", "is_public",
)


def session_save(session: Session, *, actor) -> Session:
    """Validate and save a session (new or changed).

    Refuses overlapping room bookings, times outside the conference, an end before the start, people whose roles
    would now overlap, and a capacity below the confirmed sign-ups. A raised capacity promotes waitlisted people.
    Queues the agenda PDFs after commit. Audit entry ``session.created`` / ``session.changed`` (old and new).
    """
    problems = [message for _field, message in session_problems(session)]
    if problems:
        raise AccordError(" ".join(problems))
    with transaction.atomic():
        before = None
        if session.pk:
            before = Session.objects.select_for_update().order_by().filter(pk=session.pk).values(
                *SESSION_AUDITED_FIELDS).first()
            problems = role_conflicts(session, session.roles.values_list("participant_id", flat=True))
            if problems:
                raise AccordError(" ".join(problems))
            if session.capacity is not None:
                confirmed = _confirmed_count(session)
                if session.capacity < confirmed:
                    raise AccordError(
                        ngettext("The capacity cannot be lower than the %(count)d confirmed sign-up.",
                         "The capacity cannot be lower than the %(count)d confirmed sign-ups.", confirmed)
                % {"count": confirmed}
                    )
        created = session.pk is None
        try:
            session.full_clean(exclude=["conference", "room"])
        except ValidationError as error:
            raise AccordError(" ".join(error.messages)) from error
        session.save()
        changes = {"title": session.title} if created else field_changes(before, session, SESSION_AUDITED_FIELDS)
        if changes:  # a save that changed nothing is no write to record
            audit_record(
                actor=actor, action="session.created" if created else "session.changed", target=session,
                conference=session.conference, changes=changes,
            )
        if not created:
            _promote_waitlisted(session)
        agenda_refresh_queue(session.conference_id)
    return session


def session_delete(session: Session, *, actor) -> None:
    """Delete a session with its roles and sign-ups (audit entry ``session.deleted``); queues the agenda PDFs."""
    with transaction.atomic():
        conference_id = session.conference_id
        audit_record(actor=actor, action="session.deleted", target=session, conference=session.conference,
                     changes={"title": session.title, "starts_at": session.starts_at.isoformat()})
        session.delete()
        agenda_refresh_queue(conference_id)


def session_update_capacity(session: Session, *, capacity: int | None, actor) -> Session:
    """Change a session's capacity: refused below the confirmed count; raising it promotes the waiting list."""
    if capacity is not None and capacity < 0:
        raise AccordError(_("The capacity cannot be negative."))
    with transaction.atomic():
        locked = Session.objects.select_for_update(of=("self",)).select_related("conference").order_by().get(pk=session.pk)
        confirmed = _confirmed_count(locked)
        if capacity is not None and capacity < confirmed:
            raise AccordError(
                ngettext("The capacity cannot be lower than the %(count)d confirmed sign-up.",
                         "The capacity cannot be lower than the %(count)d confirmed sign-ups.", confirmed)
                % {"count": confirmed}
            )
        locked.capacity = capacity
        locked.save(update_fields=["capacity", "updated_at"])
        _promote_waitlisted(locked)
        agenda_refresh_queue(locked.conference_id)
    session.capacity = capacity
    return locked


def _lock_for_roles(session: Session, participant_ids) -> None:
    """The lock every role write takes: the session's row, then its people's rows (in id order), until the
    transaction ends. Two writes that could make one person hold overlapping roles (two role adds, or an add and
    a move of the session by ``session_save``, which locks the session too) wait for each other, and the second
    one checks the conflicts with the first one's work committed."""
    Session.objects.select_for_update().order_by().filter(pk=session.pk).first()
    ids = sorted({pk for pk in participant_ids if pk})
    if ids:
        list(Participant.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))


def role_race_window() -> None:
    """Test hook, called by :func:`session_role_add` between checking a person's other roles and inserting the
    new one. It does nothing, and nothing in Accord makes it do anything; the race test
    (``tests/sessions_app/test_role_race.py``) replaces it with pytest's ``monkeypatch`` to hold the transaction
    open there, as :func:`seat_race_window` does for sign-ups."""


def session_role_problems(
    session: Session, *, participant: Participant, role: str, exclude_pk: int | None = None
) -> list[str]:
    """Why ``participant`` may not take ``role`` in ``session``: another conference, a role in an overlapping
    session, the same role twice. The admin's role formset and the services below ask the same question."""
    if participant.conference_id != session.conference_id:
        return [_("This person is registered for another conference.")]
    problems = role_conflicts(session, [participant.pk])
    same = SessionRole.objects.filter(session_id=session.pk, participant=participant, role=role)
    if exclude_pk is not None:
        same = same.exclude(pk=exclude_pk)
    if session.pk and same.exists():
        problems.append(_("This person already has this role in the session."))
    return problems


def session_role_add(session: Session, *, participant: Participant, role: str, actor, order: int = 0) -> SessionRole:
    """Give a participant a role in a session; refused (``AccordError``, nothing saved) when they are of another
    conference, hold a role in an overlapping session or already have this role here. Takes the role lock
    (:func:`_lock_for_roles`), writes the audit entry ``session_role.added`` and queues the agenda PDFs."""
    if participant.conference_id != session.conference_id:
        raise AccordError(_("This person is registered for another conference."))
    with transaction.atomic():
        _lock_for_roles(session, [participant.pk])
        problems = session_role_problems(session, participant=participant, role=role)
        if problems:
            raise AccordError(" ".join(problems))
        role_race_window()
        session_role = SessionRole.objects.create(session=session, participant=participant, role=role, order=order)
        audit_record(
            actor=actor,
            action="session_role.added",
            target=participant,
            conference=session.conference,
            changes={"session": session.pk, "role": role},
        )
        agenda_refresh_queue(session.conference_id)
    return session_role


def session_role_change(
    session_role: SessionRole, *, participant: Participant, role: str, order: int, actor
) -> SessionRole:
    """Change who holds a role, which role or its order; the same checks, lock and agenda refresh as
    :func:`session_role_add`, audit entry ``session_role.changed`` (before and after)."""
    session = session_role.session
    if participant.conference_id != session.conference_id:
        raise AccordError(_("This person is registered for another conference."))
    with transaction.atomic():
        _lock_for_roles(session, [session_role.participant_id, participant.pk])
        current = SessionRole.objects.select_for_update().filter(pk=session_role.pk).order_by().first()
        if current is None:
            raise AccordError(_("This role was removed meanwhile."))
        problems = session_role_problems(session, participant=participant, role=role, exclude_pk=current.pk)
        if problems:
            raise AccordError(" ".join(problems))
        before = {"participant": current.participant_id, "role": current.role, "order": current.order}
        current.participant, current.role, current.order = participant, role, order
        current.save(update_fields=["participant", "role", "order"])
        audit_record(
            actor=actor,
            action="session_role.changed",
            target=participant,
            conference=session.conference,
            changes={"session": session.pk, "before": before,
                     "after": {"participant": participant.pk, "role": role, "order": order}},
        )
        agenda_refresh_queue(session.conference_id)
    return current


def session_role_remove(session_role: SessionRole, *, actor) -> None:
    """Take a role away (the role lock, audit entry ``session_role.removed``, agenda PDFs queued)."""
    with transaction.atomic():
        session = session_role.session
        _lock_for_roles(session, [session_role.participant_id])
        audit_record(
            actor=actor,
            action="session_role.removed",
            target=session_role.participant,
            conference=session.conference,
            changes={"session": session.pk, "role": session_role.role},
        )
        SessionRole.objects.filter(pk=session_role.pk).delete()
        agenda_refresh_queue(session.conference_id)


ROOM_AUDITED_FIELDS = ("conference_id", "name", "name_fr", "name_ar", "capacity", "interpretation_languages", "order")


def room_save(room: Room, *, actor) -> Room:
    """Create or change a room (model checks); audit entry ``room.created`` / ``room.changed`` with what changed;
    agenda PDFs queued."""
    with transaction.atomic():
        before = None
        if room.pk:
            before = Room.objects.select_for_update().filter(pk=room.pk).order_by().values(*ROOM_AUDITED_FIELDS).first()
        try:
            room.full_clean()
        except ValidationError as error:
            raise AccordError(" ".join(error.messages)) from error
        room.save()
        changes = field_changes(before, room, ROOM_AUDITED_FIELDS)
        if before is None or changes:  # a save that changed nothing is no write to record
            audit_record(
                actor=actor, action="room.changed" if before else "room.created", target=room,
                conference=room.conference, changes=changes if before else {"name": room.name},
            )
        agenda_refresh_queue(room.conference_id)
    return room


def room_delete(room: Room, *, actor) -> None:
    """Delete a room that no session uses; refused (``AccordError``, nothing deleted) while sessions are booked in
    it, which must be moved or deleted first. Bilateral meetings booked in it lose their room (their own rule).
    Audit entry ``room.deleted``; agenda PDFs queued."""
    with transaction.atomic():
        locked = Room.objects.select_for_update().select_related("conference").filter(pk=room.pk).order_by().first()
        if locked is None:
            return
        booked = Session.objects.filter(room=locked).count()
        if booked:
            raise AccordError(
                ngettext(
                    "%(room)s cannot be deleted: %(count)d session takes place in it. Move or delete it first.",
                    "%(room)s cannot be deleted: %(count)d sessions take place in it. Move or delete them first.",
                    booked,
                )
                % {"room": locked.name, "count": booked}
            )
        audit_record(actor=actor, action="room.deleted", target=locked, conference=locked.conference,
                     changes={"name": locked.name})
        conference_id = locked.conference_id
        locked.delete()
        agenda_refresh_queue(conference_id)


# --- Sign-ups and waiting lists --------------------------------------------------------------------


def seat_race_window() -> None:
    """Test hook, called by :func:`signup_create` between counting the confirmed seats and inserting the sign-up.

    It does nothing, and nothing in Accord makes it do anything: no argument, setting, environment variable or
    request reaches it. The race test (``tests/sessions_app/test_concurrency.py``) replaces this module attribute
    with pytest's ``monkeypatch`` to hold each transaction open here, so concurrent sign-ups overlap exactly where
    a missing lock would let them overbook (pretix sleeps after its quota check for the same reason).
    """


def signup_create(
    session: Session,
    *,
    participant: Participant,
    actor=None,
) -> SessionSignup:
    """Sign a participant up: confirmed while seats are free, else on the waiting list (in order of arrival).

    The session row is locked (``select_for_update``) while the confirmed seats are counted, so concurrent
    sign-ups never exceed the capacity. :func:`seat_race_window` runs between the count and the insert.
    """
    if participant.conference_id != session.conference_id:
        raise AccordError(_("You are registered for another conference."))
    if participant.status != ParticipantStatus.APPROVED:
        raise AccordError(_("Sign-ups open once your registration has been approved."))
    if not session.signup_required:
        raise AccordError(_("This session needs no sign-up: just come."))
    with transaction.atomic():
        session = Session.objects.select_for_update(of=("self",)).select_related("conference").order_by().get(pk=session.pk)
        if SessionSignup.objects.filter(session=session, participant=participant).exists():
            raise AccordError(_("You have already signed up for this session."))
        confirmed = _confirmed_count(session)
        seat_race_window()
        status = (
            SignupStatus.CONFIRMED
            if session.capacity is None or confirmed < session.capacity
            else SignupStatus.WAITLISTED
        )
        try:
            with transaction.atomic():
                signup = SessionSignup.objects.create(session=session, participant=participant, status=status)
        except IntegrityError as error:
            raise AccordError(_("You have already signed up for this session.")) from error
        audit_record(
            actor=actor,
            action="signup.created",
            target=participant,
            conference=session.conference,
            changes={"session": session.pk, "status": status},
        )
    return signup


def signup_cancel(signup: SessionSignup, *, actor) -> list[SessionSignup]:
    """Cancel a sign-up; a freed confirmed seat goes to the first waitlisted person, who gets an e-mail.

    Returns the promoted sign-ups.
    """
    with transaction.atomic():
        session = Session.objects.select_for_update(of=("self",)).select_related("conference").order_by().get(pk=signup.session_id)
        current = SessionSignup.objects.select_related("participant").filter(pk=signup.pk).first()
        if current is None:
            raise AccordError(_("This sign-up no longer exists."))
        audit_record(
            actor=actor,
            action="signup.cancelled",
            target=current.participant,
            conference=session.conference,
            changes={"session": session.pk, "status": current.status},
        )
        was_confirmed = current.status == SignupStatus.CONFIRMED
        current.delete()
        return _promote_waitlisted(session) if was_confirmed else []


def signup_promotion_notify(signup_id: int, *, final_attempt: bool = True) -> bool:
    """Send the "you have a seat" e-mail once, in the participant's language. Returns whether it was sent.

    The sign-up row is locked and ``promotion_notified_at`` set in the same transaction as the sending, so a
    retried task never sends twice; a failed sending rolls the claim back. The fault is recorded on the sign-up
    (``promotion_error``, ``promotion_attempts``): a transient one is re-raised for the task's retry and marks
    ``promotion_failed_at`` on the final attempt; one no retry cures (a 5xx answer, a message that cannot be
    built) marks it at once and is not retried. Organizers find those sign-ups in the admin's filter.
    """
    try:
        with transaction.atomic():
            signup = (
                SessionSignup.objects.select_for_update(of=("self",))
                .select_related("participant", "session__room", "session__conference")
                .filter(pk=signup_id)
                .first()
            )
            if (
                signup is None
                or signup.status != SignupStatus.CONFIRMED
                or signup.promoted_at is None
                or signup.promotion_notified_at is not None
                or signup.promotion_failed_at is not None
            ):
                return False
            message = _promotion_email(signup)
            signup.promotion_notified_at = timezone.now()
            signup.promotion_attempts += 1
            signup.promotion_error = ""
            signup.save(update_fields=["promotion_notified_at", "promotion_attempts", "promotion_error"])
            message.send()
        return True
    except Exception as exc:
        permanent = is_permanent(exc)
        if not permanent and not is_transient(exc):
            raise
        failed = permanent or final_attempt
        SessionSignup.objects.filter(pk=signup_id, promotion_notified_at__isnull=True).update(
            promotion_attempts=F("promotion_attempts") + 1, promotion_error=describe_error(exc),
            promotion_failed_at=timezone.now() if failed else None,
        )
        if permanent:
            logger.warning("promotion e-mail of sign-up %s not sent: %s", signup_id, describe_error(exc))
            return False
        raise


def _promotion_email(signup: SessionSignup):
    participant, session = signup.participant, signup.session
    language = participant.preferred_language or "en"
    custom_subject, organizer_message = conference_email_text(
        session.conference, EmailKind.WAITLIST_PROMOTION, language
    )
    with translation.override(language), timezone.override(session.conference.tz):
        context = {
            "participant": participant,
            "session": session,
            "title": session.localized_title(language),
            "room": session.room.localized_name(language) if session.room else "",
            "conference": session.conference,
            "conference_name": session.conference.localized_name(language),
            "agenda_url": settings.SITE_URL + reverse("sessions_app:me"),
            "organizer_message": organizer_message,
        }
        subject = custom_subject or render_to_string("sessions_app/email/promoted_subject.txt", context)
        body = render_to_string("sessions_app/email/promoted_body.txt", context)
    return build_message(subject=subject, text=body, to=[participant.email], language=language)


# --- Personal calendar feeds -----------------------------------------------------------------------


def feed_rotate(participant: Participant, *, actor) -> str:
    """Create the participant's private calendar feed, or replace its token (the old link stops working).

    Returns the new token; only its sha256 is stored, so it is shown once.
    """
    token = secrets.token_urlsafe(32)
    digest = hashlib.sha256(token.encode()).hexdigest()
    with transaction.atomic():
        PersonalFeed.objects.update_or_create(participant=participant, defaults={"token_hash": digest})
        audit_record(
            actor=actor, action="calendar_feed.rotated", target=participant, conference=participant.conference
        )
    return token


def feed_revoke(participant: Participant, *, actor) -> None:
    with transaction.atomic():
        deleted, _rows = PersonalFeed.objects.filter(participant=participant).delete()
        if deleted:
            audit_record(
                actor=actor, action="calendar_feed.revoked", target=participant, conference=participant.conference
            )


# --- Agenda PDF ------------------------------------------------------------------------------------


def agenda_file_refresh(conference: Conference, language: str, *, force: bool = False) -> AgendaFile:
    """Render the agenda PDF in ``language`` and store it with the programme's fingerprint.

    Skips the rendering when the stored file already matches the programme (unless ``force``).
    """
    from .rendering import render_agenda

    if not languages.is_known(language):
        raise AccordError(_("Unknown language."))
    fingerprint = selectors.programme_fingerprint(conference, language)
    existing = AgendaFile.objects.filter(conference=conference, language=language).first()
    if (
        existing is not None
        and not force
        and existing.fingerprint == fingerprint
        and existing.file
        and existing.file.storage.exists(existing.file.name)
    ):
        return existing
    pdf = render_agenda(conference, language)
    with transaction.atomic():
        agenda_file = (
            AgendaFile.objects.select_for_update().filter(conference=conference, language=language).first()
            or AgendaFile(conference=conference, language=language)
        )
        old_name = agenda_file.file.name if agenda_file.file else None
        agenda_file.fingerprint = fingerprint
        agenda_file.file.save(
            f"agenda-{conference.slug}-{language}-{fingerprint[:12]}.pdf", ContentFile(pdf), save=False
        )
        agenda_file.save()
        if old_name and old_name != agenda_file.file.name:
            storage = agenda_file.file.storage
            transaction.on_commit(lambda: storage.delete(old_name))
    return agenda_file
