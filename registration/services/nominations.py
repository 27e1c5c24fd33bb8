"""Focal-point writes: nominations within quota, substitutions, the nomination letter, open requests.

The quota check and the insert happen in one transaction holding a row lock on the delegation
(``SELECT ... FOR UPDATE``): concurrent nominations for the same delegation queue behind each other, so the
count each one sees includes the seats the previous ones took.
"""

from __future__ import annotations

import io
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from conference import languages
from conference.models import Conference, Delegation
from conference.services import AccordError, audit_record

from ..enums import ParticipantCategory, ParticipantStatus, RequestKind
from ..models import Participant
from ..selectors import SEAT_FREEING_STATUSES, is_pending_request, seat_holders
from .participants import participant_approve, participant_cancel, participant_create, participant_reject

logger = logging.getLogger(__name__)

NOMINATION_LETTER_MAX_BYTES = 10 * 1024 * 1024
# What a person may ask to come as; the other categories are assigned by organizers.
REQUESTABLE_CATEGORIES = (
    ParticipantCategory.DELEGATE,
    ParticipantCategory.EXPERT,
    ParticipantCategory.SPEAKER,
    ParticipantCategory.MEDIA,
)


def nominable_categories(delegation: Delegation) -> list[str]:
    """The categories the organizers let ``delegation``'s focal points nominate in, in the enum's order."""
    allowed = set(delegation.nominable_categories or ())
    return [value for value in ParticipantCategory.values if value in allowed]


def _check_nominable(delegation: Delegation, category: str) -> None:
    if category not in nominable_categories(delegation):
        raise AccordError(
            _("Focal points may not nominate members in the category “%(category)s” for this delegation.")
            % {"category": ParticipantCategory(category).label}
        )


def _check_quota(delegation: Delegation, category: str) -> None:
    """Raise AccordError if the delegation has no seat left overall or in ``category``."""
    holders = seat_holders(delegation)
    if holders.count() >= delegation.seat_quota:
        raise AccordError(
            ngettext("The delegation's quota of %(quota)d seat is full.",
                     "The delegation's quota of %(quota)d seats is full.", delegation.seat_quota)
            % {"quota": delegation.seat_quota}
        )
    limit = (delegation.category_quotas or {}).get(category)
    if limit is not None and holders.filter(category=category).count() >= int(limit):
        raise AccordError(
            _("The quota for the category “%(category)s” (%(quota)d) is full.")
            % {"category": ParticipantCategory(category).label, "quota": int(limit)}
        )


def _locked(delegation: Delegation) -> Delegation:
    return Delegation.objects.select_related("conference").select_for_update(of=("self",)).get(pk=delegation.pk)


def quota_race_window() -> None:
    """Test hook, called by :func:`nomination_create` between the quota check and the insert.

    It does nothing, and nothing in Accord makes it do anything: no argument, setting, environment variable or
    request reaches it. The race test (``tests/registration/test_nominations.py``) replaces this module attribute
    with pytest's ``monkeypatch`` to hold each transaction open here, so concurrent nominations overlap exactly
    where a missing lock would let them exceed the quota (pretix sleeps after its quota check for the same reason).
    """


def _validate(category: str, language: str, first_name: str, last_name: str) -> None:
    if category not in ParticipantCategory.values:
        raise AccordError(_("Unknown category: %(category)s") % {"category": category})
    if not languages.is_known(language):
        raise AccordError(_("Unknown language: %(language)s") % {"language": language})
    if not (first_name or "").strip() or not (last_name or "").strip():
        raise AccordError(_("Give the given names and the surname."))


def _send_invitation(participant: Participant, *, actor) -> None:
    """Invite the nominee by e-mail; the invitation is linked to the participant and its e-mail queued on commit."""
    from .invitations import invitation_for_participant

    invitation_for_participant(participant, inviter=actor)


def nomination_create(
    delegation: Delegation,
    *,
    actor,
    email: str,
    first_name: str,
    last_name: str,
    category: str = ParticipantCategory.DELEGATE,
    language: str = "en",
    invite: bool = True,
) -> Participant:
    """Nominate a member of ``delegation`` within its quota (overall ``seat_quota`` and ``category_quotas``).

    Locks the delegation row, counts the members holding a seat (everybody not cancelled or rejected),
    creates the participant (source nomination, status invited, audit entry) and, when ``invite``, an
    invitation whose e-mail is queued after commit. Raises AccordError when the category is not one the
    organizers let the delegation's focal points nominate in (``Delegation.nominable_categories``), when the
    quota is full or when the e-mail is already registered in the conference.
    """
    _validate(category, language, first_name, last_name)
    with transaction.atomic():
        delegation = _locked(delegation)
        _check_nominable(delegation, category)
        _check_quota(delegation, category)
        quota_race_window()
        participant = participant_create(
            delegation.conference,
            email=email,
            actor=actor,
            delegation=delegation,
            category=category,
            status=ParticipantStatus.INVITED,
            source=RequestKind.NOMINATION,
            preferred_language=language,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
        )
        if invite:
            _send_invitation(participant, actor=actor)
    return participant


def nomination_substitute(
    old: Participant,
    *,
    actor,
    email: str,
    first_name: str,
    last_name: str,
    category: str | None = None,
    language: str = "en",
    reason: str = "",
    invite: bool = True,
) -> Participant:
    """Replace member ``old`` by a new nominee in one transaction: ``old`` is cancelled, the new one nominated.

    The seat passes from one to the other, so the quota used is unchanged. The new member takes ``old``'s
    category unless another is given (then that category's quota applies). Nothing changes if any step fails.
    """
    if old.delegation_id is None:
        raise AccordError(_("Only a delegation's members can be substituted."))
    if old.status in SEAT_FREEING_STATUSES:
        raise AccordError(_("%(name)s does not hold a seat any more.") % {"name": old})
    category = category or old.category
    _validate(category, language, first_name, last_name)
    with transaction.atomic():
        delegation = _locked(old.delegation)
        participant_cancel(
            old, actor=actor, reason=reason or _("Substituted by %(name)s") % {"name": f"{first_name} {last_name}"}
        )
        new = nomination_create(
            delegation,
            actor=actor,
            email=email,
            first_name=first_name,
            last_name=last_name,
            category=category,
            language=language,
            invite=invite,
        )
        audit_record(
            actor=actor,
            action="participant.substitute",
            target=new,
            conference=delegation.conference,
            changes={"replaces": old.public_id, "delegation": delegation.code},
        )
    return new


# Nomination letter --------------------------------------------------------------------------------


def validate_pdf(data: bytes) -> None:
    """Raise AccordError unless ``data`` is a PDF that pypdf can open (and within the size limit)."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if len(data) > NOMINATION_LETTER_MAX_BYTES:
        raise AccordError(
            _("The file is too large (at most %(mb)d MB).") % {"mb": NOMINATION_LETTER_MAX_BYTES // (1024 * 1024)}
        )
    if not data.startswith(b"%PDF-"):
        raise AccordError(_("The nomination letter must be a PDF file."))
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise AccordError(_("The PDF is protected by a password; upload an unprotected copy."))
        if len(reader.pages) < 1:
            raise AccordError(_("The PDF has no pages."))
    except AccordError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, RecursionError) as exc:
        logger.info("Refused nomination letter: %s", exc)
        raise AccordError(_("The file could not be read as a PDF.")) from exc


def nomination_letter_upload(delegation: Delegation, *, actor, upload) -> Delegation:
    """Store the delegation's nomination letter (note verbale) after checking it is a readable PDF.

    Reads at most the size limit plus one byte, so an oversized upload is refused without reading it all.
    Replaces the previous letter; records the upload time and an audit entry.
    """
    data = upload.read(NOMINATION_LETTER_MAX_BYTES + 1)
    validate_pdf(data)
    with transaction.atomic():
        delegation = Delegation.objects.select_for_update().get(pk=delegation.pk)
        old_name = delegation.nomination_letter.name if delegation.nomination_letter else ""
        if old_name:
            delegation.nomination_letter.storage.delete(old_name)
        delegation.nomination_letter.save("letter.pdf", ContentFile(data), save=False)
        delegation.nomination_letter_uploaded_at = timezone.now()
        delegation.save(update_fields=["nomination_letter", "nomination_letter_uploaded_at", "updated_at"])
        audit_record(
            actor=actor,
            action="delegation.nomination_letter",
            target=delegation,
            conference=delegation.conference,
            changes={"size": len(data)},
        )
    return delegation


# Open requests ------------------------------------------------------------------------------------


def open_request_create(
    conference: Conference,
    *,
    user,
    delegation: Delegation | None,
    first_name: str,
    last_name: str,
    position: str = "",
    organization: str = "",
    reason: str = "",
    language: str = "en",
    category: str = ParticipantCategory.DELEGATE,
) -> Participant:
    """A logged-in person without an invitation asks to join ``delegation`` (or, when None, as an observer).

    Creates the participant (source request, status submitted, under the account's e-mail) for the focal
    point or an organizer to decide. A second request from the same address (double click, two tabs)
    raises AccordError: the database constraint on the e-mail per conference decides, even under a race.
    """
    if delegation is not None and delegation.conference_id != conference.pk:
        raise AccordError(_("The delegation belongs to another conference."))
    if not (first_name or "").strip() or not (last_name or "").strip():
        raise AccordError(_("Give the given names and the surname."))
    language = languages.supported(language)
    if category not in REQUESTABLE_CATEGORIES:
        raise AccordError(_("Unknown category: %(category)s") % {"category": category})
    email = (user.email or "").strip()
    if not email:
        raise AccordError(_("Your account has no e-mail address."))
    with transaction.atomic():
        participant = participant_create(
            conference,
            email=email,
            actor=user,
            delegation=delegation,
            category=category,
            status=ParticipantStatus.SUBMITTED,
            source=RequestKind.OPEN_REQUEST,
            user=user,
            preferred_language=language,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            position=(position or "").strip(),
            organization=(organization or "").strip(),
            request_message=(reason or "").strip(),
            submitted_at=timezone.now(),
        )
        audit_record(
            actor=user,
            action="participant.request",
            target=participant,
            conference=conference,
            changes={"delegation": delegation.code if delegation else None},
        )
    return participant


def open_request_endorse(participant: Participant, *, actor) -> Participant:
    """A focal point backs a pending open request where only the organizers may approve (the conference's
    ``focal_points_may_approve`` is off): who and when are recorded (``endorsed_at``, ``endorsed_by``, an audit
    entry) and the request stays pending for the organizers' decision. Refused when the request was decided or
    endorsed already, or the delegation's quota is full (the organizers could not accept it either).
    """
    with transaction.atomic():
        if participant.delegation_id is not None:
            delegation = _locked(participant.delegation)
        participant = Participant.objects.select_for_update().get(pk=participant.pk)
        if not is_pending_request(participant):
            raise AccordError(_("This request has already been decided."))
        if participant.endorsed_at is not None:
            raise AccordError(_("This request has already been endorsed."))
        if participant.delegation_id is not None:
            _check_quota(delegation, participant.category)
        participant.endorsed_at = timezone.now()
        participant.endorsed_by = actor
        participant.save(update_fields=["endorsed_at", "endorsed_by", "updated_at"])
        audit_record(actor=actor, action="participant.endorse", target=participant,
                     conference=participant.conference)
    return participant


def open_request_decide(participant: Participant, *, actor, approve: bool, reason: str = "") -> Participant:
    """Accept (approve, within the delegation's quota) or reject a pending open request to join a delegation.

    Pending requests hold no seat, so accepting one locks the delegation and checks the quota first. The
    decision e-mail is sent after commit by the participant services.
    """
    if not is_pending_request(participant):
        raise AccordError(_("This request has already been decided."))
    with transaction.atomic():
        if participant.delegation_id is not None:
            delegation = _locked(participant.delegation)
            if approve:
                _check_quota(delegation, participant.category)
        if approve:
            return participant_approve(participant, actor=actor, reason=reason)
        return participant_reject(participant, actor=actor, reason=reason)
