"""Writes for invitations: create, send (idempotent), resend, revoke, look up and accept.

Tokens: only ``sha256(token)`` is stored. The sending task claims the send first: it draws a nonce,
commits it with the hash of ``token = HMAC(SECRET_KEY, nonce)``, then sends; every retry of that send
derives the same token, so a copy that a stalled SMTP server accepted before failing to answer keeps a
working link. The nonce is emptied once the e-mail is sent, and no raw token travels through the broker.
Creating or resending first stores the hash of a token nobody knows (old links stop working at once); the
link that works is the one of the latest send (all its copies).

Idempotent sending: every request to send bumps ``send_generation`` and queues (after commit) a task
carrying that generation. The task locks the row, sends only while ``sent_generation`` is lower, and
records ``sent_generation``/``sent_at`` in the same transaction, still holding the lock, before it
commits. A duplicated or retried task therefore finds the work done and sends nothing. The one gap
left is a crash between the SMTP server accepting the message and the database commit: the row is
then unsent and a re-queued task sends again (at-least-once at the SMTP level across such a crash).
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from conference import languages
from conference.enums import LanguageCode
from conference.mail import SEND_ERRORS, describe_error, is_permanent, is_transient
from conference.models import Conference, Delegation
from conference.services import AccordError, audit_record
from conference.validators import single_line_problem

from ..enums import InvitationStatus, ParticipantCategory, ParticipantStatus, RequestKind
from ..models import Invitation, InvitationSendAttempt, Participant
from ..permissions import registration_open
from ..tasks.invitations import send_invitation_task
from .participants import normalize_email, participant_create

logger = logging.getLogger(__name__)
# An invitation in one of these states still blocks a second invitation to the same address.
ACTIVE_STATUSES = (InvitationStatus.PENDING, InvitationStatus.SENT, InvitationStatus.FAILED)


class InvitationRefused(AccordError):
    """An invitation link that cannot be used; ``reason`` is a code, ``status_code`` the HTTP answer."""

    MESSAGES = {
        "unknown": gettext_lazy("This invitation link is not valid. Check that you copied the whole address."),
        "expired": gettext_lazy("This invitation link has expired. Ask the organizers for a new invitation."),
        "revoked": gettext_lazy("This invitation has been withdrawn."),
        "used": gettext_lazy("This invitation link has already been used. Log in with your account instead."),
        "other_conference": gettext_lazy("This invitation is for another conference."),
        "wrong_user": gettext_lazy(
            "You are logged in with another e-mail address than the one invited. Log out and open the link again."
        ),
        "registration_closed": gettext_lazy(
            "Registration for this conference is closed: no account can be created from this invitation. "
            "Contact the organizers if you still need to take part."
        ),
    }
    STATUS_CODES = {"unknown": 404, "other_conference": 404, "wrong_user": 403}

    def __init__(self, reason: str):
        self.reason = reason
        self.status_code = self.STATUS_CODES.get(reason, 410)
        super().__init__(str(self.MESSAGES[reason]))


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _unknown_token_hash() -> str:
    """The hash of a token nobody will ever see: makes any earlier link invalid."""
    return hash_token(secrets.token_urlsafe(32))


def _expiry() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=settings.ACCORD_INVITATION_TTL_DAYS)


def _queue_send(invitation: Invitation) -> None:
    """Bump the send generation and queue the sending task after commit (call inside a transaction)."""
    Invitation.objects.filter(pk=invitation.pk).update(send_generation=F("send_generation") + 1)
    invitation.refresh_from_db(fields=["send_generation"])
    send_invitation_task.delay_on_commit(invitation_id=invitation.pk, generation=invitation.send_generation)


def invitation_check_available(conference: Conference, email: str) -> None:
    """Raise AccordError if ``email`` already has an account-holding participant or an active invitation."""
    if Participant.objects.filter(conference=conference, email__iexact=email, user__isnull=False).exists():
        raise AccordError(_("%(email)s is already registered for this conference.") % {"email": email})
    if Invitation.objects.filter(
        conference=conference, email__iexact=email, status__in=ACTIVE_STATUSES, expires_at__gt=timezone.now()
    ).exists():
        raise AccordError(
            _("%(email)s has already been invited; resend the existing invitation instead.") % {"email": email}
        )


def _invitation_insert(conference, *, delegation, email, first_name, last_name, category, language,
                       as_focal_point, inviter) -> Invitation:
    return Invitation.objects.create(
        conference=conference,
        delegation=delegation,
        email=email,
        first_name=(first_name or "").strip(),
        last_name=(last_name or "").strip(),
        category=category,
        language=language,
        as_focal_point=as_focal_point,
        token_hash=_unknown_token_hash(),
        expires_at=_expiry(),
        inviter=inviter if getattr(inviter, "pk", None) else None,
        participant=Participant.objects.filter(conference=conference, email__iexact=email).first(),
    )


def invitation_create(
    conference: Conference,
    *,
    email: str,
    delegation: Delegation | None = None,
    category: str = ParticipantCategory.DELEGATE,
    language: str = LanguageCode.ENGLISH,
    first_name: str = "",
    last_name: str = "",
    as_focal_point: bool = False,
    inviter=None,
) -> Invitation:
    """Invite ``email`` to ``conference`` and queue the e-mail after commit.

    Refuses (AccordError) an invalid address, a delegation of another conference, an unknown category or
    language, an address already registered with an account, or one with an active invitation. An
    existing participant without an account (added by an organizer) is linked to the invitation.
    Expires after ``ACCORD_INVITATION_TTL_DAYS``. Audit entry ``invitation.create``.
    """
    email = normalize_email(email)
    if delegation is not None and delegation.conference_id != conference.pk:
        raise AccordError(_("The delegation belongs to another conference."))
    if category not in ParticipantCategory.values:
        raise AccordError(_("Unknown category: %(category)s") % {"category": category})
    if not languages.is_known(language):
        raise AccordError(_("Unknown language: %(language)s") % {"language": language})
    if as_focal_point and delegation is None:
        raise AccordError(_("A focal point must be invited for a delegation."))
    problem = single_line_problem(Invitation, {"first_name": first_name, "last_name": last_name})
    if problem:
        raise AccordError(problem)
    with transaction.atomic():
        # Active invitations past their expiry stop being active, so that the database's one-active-invitation
        # constraint lets a new one in.
        Invitation.objects.filter(
            conference=conference, email__iexact=email, status__in=ACTIVE_STATUSES, expires_at__lte=timezone.now()
        ).update(status=InvitationStatus.EXPIRED)
        invitation_check_available(conference, email)
        try:
            with transaction.atomic():
                invitation = _invitation_insert(
                    conference, delegation=delegation, email=email, first_name=first_name, last_name=last_name,
                    category=category, language=language, as_focal_point=as_focal_point, inviter=inviter,
                )
        except IntegrityError:
            # Two requests raced past the check above: the database keeps one active invitation per address.
            raise AccordError(
                _("%(email)s has already been invited; resend the existing invitation instead.") % {"email": email}
            ) from None
        audit_record(
            actor=inviter,
            action="invitation.create",
            target=invitation,
            conference=conference,
            changes={
                "email": email,
                "delegation": delegation.code if delegation else None,
                "category": category,
                "language": language,
                "as_focal_point": as_focal_point,
            },
        )
        _queue_send(invitation)
    return invitation


def _lock(invitation: Invitation) -> Invitation:
    return Invitation.objects.select_for_update(of=("self",)).select_related("conference").get(pk=invitation.pk)


def invitation_resend(invitation: Invitation, *, actor) -> Invitation:
    """Send ``invitation`` again with a new link (old links stop working now) and a renewed expiry.

    Refused for used or revoked invitations. Audit entry ``invitation.resend``.
    """
    with transaction.atomic():
        locked = _lock(invitation)
        if locked.status == InvitationStatus.USED:
            raise AccordError(_("%(email)s has already accepted this invitation.") % {"email": locked.email})
        if locked.status == InvitationStatus.REVOKED:
            raise AccordError(
                _("The invitation to %(email)s was revoked; create a new one.") % {"email": locked.email}
            )
        locked.token_hash = _unknown_token_hash()
        locked.status = InvitationStatus.PENDING
        locked.expires_at = _expiry()
        locked.last_error = ""
        try:
            with transaction.atomic():
                locked.save(update_fields=["token_hash", "status", "expires_at", "last_error"])
        except IntegrityError:
            raise AccordError(
                _("%(email)s has a newer invitation; resend that one instead.") % {"email": locked.email}
            ) from None
        audit_record(actor=actor, action="invitation.resend", target=locked, conference=locked.conference)
        _queue_send(locked)
    invitation.refresh_from_db()
    return invitation


def invitation_revoke(invitation: Invitation, *, actor) -> Invitation:
    """Withdraw ``invitation``: its link is refused from now on. Refused once it has been used."""
    with transaction.atomic():
        locked = _lock(invitation)
        if locked.status == InvitationStatus.USED:
            raise AccordError(_("%(email)s has already accepted this invitation.") % {"email": locked.email})
        if locked.status == InvitationStatus.REVOKED:
            raise AccordError(_("The invitation to %(email)s is already revoked.") % {"email": locked.email})
        locked.status = InvitationStatus.REVOKED
        locked.revoked_at = timezone.now()
        # The hash is kept so that the link answers "withdrawn" rather than "unknown".
        locked.save(update_fields=["status", "revoked_at"])
        audit_record(actor=actor, action="invitation.revoke", target=locked, conference=locked.conference)
    invitation.refresh_from_db()
    return invitation


def _token_for(nonce: str) -> str:
    """The raw token of a send claim: an HMAC of its nonce under ``SECRET_KEY`` (the database alone cannot tell it)."""
    return salted_hmac("accord.invitation.token", nonce, algorithm="sha256").hexdigest()


_TERMINAL = (InvitationStatus.USED, InvitationStatus.REVOKED, InvitationStatus.EXPIRED)


def _invitation_claim(invitation_id: int, generation: int) -> bool:
    """Commit the token of the send that satisfies ``generation``, unless that send already has one.

    The send satisfies the newest generation requested (``max(generation, send_generation)``); its nonce is
    drawn the first time and kept by every retry. Returns False when there is nothing to send.
    """
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update(of=("self",)).filter(pk=invitation_id).first()
        if invitation is None or invitation.sent_generation >= generation or invitation.status in _TERMINAL:
            return False
        target = max(generation, invitation.send_generation)
        if invitation.token_generation != target or not invitation.token_nonce:
            invitation.token_nonce = secrets.token_urlsafe(32)
            invitation.token_generation = target
            invitation.token_hash = hash_token(_token_for(invitation.token_nonce))
            invitation.save(update_fields=["token_nonce", "token_generation", "token_hash"])
    return True


def invitation_send(invitation_id: int, *, generation: int, final_attempt: bool = True) -> bool:
    """Send the invitation e-mail for ``generation`` unless that (or a later) generation was sent.

    First commits the send's claim (its token, see ``_invitation_claim``): a retry after a fault carries the same
    link, so a copy that the SMTP server accepted before failing to answer still works. Then holds the row lock
    from the check to the commit; marks ``sent``, records the attempt, sends, and commits. On an SMTP/network
    error nothing of the send is kept but the claim: the attempt and the error are recorded (``last_error``;
    status ``failed`` on the final attempt) and the error re-raised for the task's retry. A fault no retry
    cures (5xx, a message that cannot be built) marks the invitation ``failed`` at once, without retry.
    Returns True if an e-mail went out now.
    """
    from django.core.mail import get_connection

    from ..emails import invitation_email

    if not _invitation_claim(invitation_id, generation):
        return False
    started_at = timezone.now()
    target = generation
    # The SMTP connection is closed only after the commit: the QUIT round trip stays out of the window between
    # the server accepting the message and the commit, where a killed worker means a second e-mail later.
    connection = get_connection()
    try:
        with transaction.atomic():
            invitation = (
                Invitation.objects.select_for_update(of=("self",))
                .select_related("conference", "delegation")
                .filter(pk=invitation_id)
                .first()
            )
            if invitation is None or invitation.sent_generation >= generation:
                return False
            if invitation.status in _TERMINAL:
                return False
            now = timezone.now()
            if invitation.expires_at <= now:
                invitation.status = InvitationStatus.EXPIRED
                invitation.save(update_fields=["status"])
                return False
            # A later generation queued meanwhile is satisfied by this e-mail too (it carries the newest link).
            target = max(generation, invitation.send_generation)
            if invitation.token_generation != target:
                return False  # a resend came in after the claim: its own task sends the newer link
            token = _token_for(invitation.token_nonce)
            if hash_token(token) != invitation.token_hash:  # SECRET_KEY changed since the claim
                token = secrets.token_urlsafe(32)
                invitation.token_hash = hash_token(token)
            invitation.token_nonce = ""
            invitation.status = InvitationStatus.SENT
            invitation.sent_at = now
            invitation.send_count += 1
            invitation.attempts += 1
            invitation.last_error = ""
            invitation.sent_generation = target
            invitation.save(
                update_fields=[
                    "token_hash", "token_nonce", "status", "sent_at", "send_count", "attempts", "last_error",
                    "sent_generation",
                ]
            )
            message = invitation_email(invitation, token)
            message.connection = connection
            connection.open()  # opened here, so send() leaves it open
            message.send()
            InvitationSendAttempt.objects.create(
                invitation=invitation, generation=target, started_at=started_at, finished_at=timezone.now(),
                outcome=InvitationSendAttempt.Outcome.SENT,
            )
        return True
    except Exception as exc:
        permanent = is_permanent(exc)
        if not permanent and not is_transient(exc):
            raise
        failed = permanent or final_attempt
        with transaction.atomic():
            updated = Invitation.objects.filter(pk=invitation_id, sent_generation__lt=generation).exclude(
                status__in=(InvitationStatus.USED, InvitationStatus.REVOKED)
            )
            updates = {"attempts": F("attempts") + 1, "last_error": describe_error(exc)}
            if failed:
                updates["status"] = InvitationStatus.FAILED
            if updated.update(**updates):
                InvitationSendAttempt.objects.create(
                    invitation_id=invitation_id, generation=target, started_at=started_at,
                    finished_at=timezone.now(), error=describe_error(exc),
                    outcome=InvitationSendAttempt.Outcome.FAILED if failed else InvitationSendAttempt.Outcome.RETRYING,
                )
        if permanent:
            logger.warning("invitation %s not sent: %s", invitation_id, describe_error(exc))
            return False
        raise
    finally:
        try:
            connection.close()
        except SEND_ERRORS:  # the message was accepted (or never sent): nothing to do about a failed QUIT
            pass


def invitation_lookup(token: str, *, conference: Conference | None = None) -> Invitation:
    """The invitation whose link carries ``token``; raise ``InvitationRefused`` (with a reason) otherwise.

    Refused: unknown token, revoked, used, expired, or (when ``conference`` is given) another conference's.
    """
    if not token or len(token) > 200:
        raise InvitationRefused("unknown")
    invitation = (
        Invitation.objects.select_related("conference", "delegation", "participant")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None:
        raise InvitationRefused("unknown")
    if conference is not None and invitation.conference_id != conference.pk:
        raise InvitationRefused("other_conference")
    if invitation.status == InvitationStatus.REVOKED:
        raise InvitationRefused("revoked")
    if invitation.status == InvitationStatus.USED or invitation.used_at is not None:
        raise InvitationRefused("used")
    if invitation.status == InvitationStatus.EXPIRED or invitation.expires_at <= timezone.now():
        raise InvitationRefused("expired")
    return invitation


def invitation_mark_opened(invitation: Invitation) -> None:
    """Record the first time the link was opened (later opens change nothing)."""
    if invitation.opened_at is None:
        now = timezone.now()
        Invitation.objects.filter(pk=invitation.pk, opened_at__isnull=True).update(opened_at=now)
        invitation.opened_at = now


def invitation_accept(invitation: Invitation, *, user) -> Participant:
    """Use ``invitation`` (once) for ``user``, whose e-mail must be the invited address.

    In one transaction, with the invitation row locked: marks it used; creates the participant (status
    invited, source invitation, with the invitation's delegation, category, language and names) or links
    the existing one to ``user``; marks the user's allauth ``EmailAddress`` verified; adds the user to the
    delegation's focal points if invited as one. Audit entry ``invitation.accept``. Returns the participant.
    """
    from allauth.account.models import EmailAddress

    with transaction.atomic():
        locked = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("conference", "delegation")
            .get(pk=invitation.pk)
        )
        if locked.status == InvitationStatus.USED or locked.used_at is not None:
            raise InvitationRefused("used")
        if locked.status == InvitationStatus.REVOKED:
            raise InvitationRefused("revoked")
        if locked.status == InvitationStatus.EXPIRED or locked.expires_at <= timezone.now():
            raise InvitationRefused("expired")
        if (user.email or "").strip().lower() != locked.email:
            raise InvitationRefused("wrong_user")
        conference = locked.conference
        participant = (
            Participant.objects.select_for_update(of=("self",))
            .filter(conference=conference, email__iexact=locked.email)
            .first()
        )
        if participant is None:
            participant = participant_create(
                conference,
                email=locked.email,
                actor=user,
                delegation=locked.delegation,
                category=locked.category,
                status=ParticipantStatus.INVITED,
                source=RequestKind.INVITATION,
                user=user,
                preferred_language=locked.language,
                first_name=locked.first_name,
                last_name=locked.last_name,
            )
        elif participant.user_id is None:
            participant.user = user
            participant.save(update_fields=["user", "updated_at"])
        elif participant.user_id != user.pk:
            raise AccordError(_("This address is already registered with another account."))
        locked.status = InvitationStatus.USED
        locked.used_at = timezone.now()
        locked.participant = participant
        locked.save(update_fields=["status", "used_at", "participant"])
        address = EmailAddress.objects.filter(user=user, email__iexact=locked.email).first()
        if address is None:
            has_primary = EmailAddress.objects.filter(user=user, primary=True).exists()
            EmailAddress.objects.create(user=user, email=locked.email, verified=True, primary=not has_primary)
        elif not address.verified:
            address.verified = True
            address.save(update_fields=["verified"])
        if locked.as_focal_point and locked.delegation is not None:
            locked.delegation.focal_points.add(user)
        audit_record(
            actor=user,
            action="invitation.accept",
            target=participant,
            conference=conference,
            changes={"invitation": locked.pk, "as_focal_point": locked.as_focal_point},
        )
    invitation.refresh_from_db()
    return participant


def invitation_for_participant(participant: Participant, *, inviter, as_focal_point: bool = False) -> Invitation:
    """Invite an existing participant with their own e-mail, names, delegation, category and language."""
    return invitation_create(
        participant.conference,
        email=participant.email,
        delegation=participant.delegation,
        category=participant.category,
        language=participant.preferred_language,
        first_name=participant.first_name,
        last_name=participant.last_name,
        as_focal_point=as_focal_point,
        inviter=inviter,
    )


@dataclass
class BulkInvitationResult:
    created: list[Invitation] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (e-mail, reason)


def invitations_for_participants(
    participants: Iterable[Participant], *, inviter, as_focal_point: bool = False
) -> BulkInvitationResult:
    """Invite each participant who has no account yet (their e-mail, names, category, language).

    Each invitation is its own transaction; participants with an account or an active invitation are
    skipped with the reason.
    """
    result = BulkInvitationResult()
    for participant in participants:
        if participant.user_id is not None:
            result.skipped.append((participant.email, _("already has an account")))
            continue
        try:
            result.created.append(
                invitation_for_participant(participant, inviter=inviter, as_focal_point=as_focal_point)
            )
        except AccordError as exc:
            result.skipped.append((participant.email, str(exc)))
    return result


def invitations_for_delegations(
    delegations: Iterable[Delegation],
    *,
    inviter,
    as_focal_point: bool = False,
    category: str | None = None,
) -> BulkInvitationResult:
    """Invite, in bulk, the members of ``delegations`` who have no account yet (others are skipped).

    ``as_focal_point``: invite each delegation's head (``Delegation.head``, else its members of category
    head of delegation) as focal point. ``category`` restricts the members to one category.
    """
    delegations = list(delegations)
    members = (
        Participant.objects.filter(delegation__in=delegations)
        .exclude(status__in=(ParticipantStatus.REJECTED, ParticipantStatus.CANCELLED))
        .select_related("conference", "delegation")
    )
    if as_focal_point:
        heads = [d.head_id for d in delegations if d.head_id]
        members = members.filter(Q(pk__in=heads) | Q(category=ParticipantCategory.HEAD_OF_DELEGATION))
    if category:
        members = members.filter(category=category)
    return invitations_for_participants(members.order_by("delegation__code", "email"), inviter=inviter,
                                        as_focal_point=as_focal_point)


def invitation_signup(invitation: Invitation, *, password: str):
    """Create the invitee's account (username and login = the invited e-mail, verified) and accept.

    One transaction: the user with ``password`` (already validated by the form), its primary verified
    allauth ``EmailAddress``, then ``invitation_accept``. Refused if an account with that e-mail exists
    (the invitee should log in and open the link again). Returns ``(user, participant)``.
    """
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    email = invitation.email
    if not registration_open(invitation.conference):
        raise InvitationRefused("registration_closed")  # no account for a registration nobody can complete
    with transaction.atomic():
        # Lock the invitation first: a double click or a second tab waits here, then finds it used.
        locked = Invitation.objects.select_for_update(of=("self",)).get(pk=invitation.pk)
        if locked.status == InvitationStatus.USED or locked.used_at is not None:
            raise InvitationRefused("used")
        if (
            user_model.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).exists()
            or EmailAddress.objects.filter(email__iexact=email).exists()
        ):
            raise AccordError(
                _("An account with the address %(email)s already exists: log in, then open the link again.")
                % {"email": email}
            )
        user = user_model(username=email[:150], email=email)
        user.set_password(password)
        user.save()
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        participant = invitation_accept(invitation, user=user)
    return user, participant
