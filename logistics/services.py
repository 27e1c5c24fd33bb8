"""Visa support letters: render (pure), issue (store, reference, audit) and e-mail them.

* ``render_visa_letter(participant, *, reference, issued_at) -> bytes``: the A4 letter in the participant's
  preferred language (Arabic right to left). Reads only the participant, its conference, delegation, travel
  document and the conference's hosts (prefetch them; :func:`visa_letter_issue` does).
* ``visa_letter_issue(participant, *, actor, reissue=False) -> Participant``: approved participants who asked
  for a letter and gave a passport number. Keeps the reference on a re-issue, replaces the file, and e-mails
  the letter after commit. Without ``reissue`` a participant who already has a letter is left alone (the
  approval task may run twice: nothing is sent twice).
* ``visa_letter_send(participant_id) -> bool``: the e-mail with the PDF attached (called by the task).

Passport values appear only in the PDF: never in the audit log, the e-mail body or a web page.
"""

from __future__ import annotations

import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from conference.enums import PartnerRole
from conference.mail import describe_error, is_permanent, is_transient
from conference.models import Conference, localized
from conference.pdf import render_pdf
from conference.services import AccordError, audit_record
from registration.emails import visa_letter_email
from registration.enums import ParticipantStatus
from registration.models import Participant, TravelDocument

from .tasks import issue_visa_letter_task, send_visa_letter_task

logger = logging.getLogger(__name__)

LETTER_CSS = "pdf/letter.css"
RTL_LANGUAGES = {"ar"}
LANGUAGES = ("en", "fr", "ar")


# Formal names of host countries for the address line ("To the Embassy/Consulate of ...").
FORMAL_NAMES = {"EG": gettext_lazy("the Arab Republic of Egypt")}


def _host_country(country, language: str) -> str:
    if not country:
        return ""
    with translation.override(language):
        return str(FORMAL_NAMES.get(country.code, country.name))


def _country_name(country, language: str) -> str:
    if not country:
        return ""
    with translation.override(language):
        return str(country.name)


def render_visa_letter(participant: Participant, *, reference: str, issued_at) -> bytes:
    """The visa support letter of ``participant`` as PDF bytes, in the participant's preferred language."""
    language = participant.preferred_language if participant.preferred_language in LANGUAGES else "en"
    conference = participant.conference
    document = getattr(participant, "travel_document", None)
    hosts = [p for p in conference.partners.all() if p.role == PartnerRole.HOST]
    with translation.override(language):
        context = {
            "language": language,
            "direction": "rtl" if language in RTL_LANGUAGES else "ltr",
            "conference": conference,
            "conference_name": localized(conference, "name", language),
            "venue": localized(conference, "venue", language),
            "city": localized(conference, "city", language),
            "host_country": _host_country(conference.country, language),
            "hosts": [localized(host, "name", language) for host in hosts],
            "participant": participant,
            "title": participant.get_title_display() if participant.title else "",
            "full_name": participant.full_name or participant.email,
            "nationality": _country_name(participant.nationality, language),
            "delegation": participant.delegation.display_name(language) if participant.delegation else "",
            "passport_number": document.passport_number if document else "",
            "passport_expiry": document.passport_expiry if document else None,
            "issuing_country": _country_name(document.issuing_country, language) if document else "",
            "reference": reference,
            "issued_on": timezone.localtime(issued_at, conference.tz).date(),
        }
        html = render_to_string("pdf/visa_letter.html", context)
    return render_pdf(html, stylesheets=[LETTER_CSS])


def _next_reference(conference: Conference) -> str:
    """``SHARM2023/VISA/0042``: the conference code upper-case and the next free number (conference locked)."""
    prefix = f"{conference.slug.upper()}/VISA/"
    taken = set(
        Participant.objects.filter(conference=conference, visa_letter_reference__startswith=prefix)
        .values_list("visa_letter_reference", flat=True)
    )
    number = len(taken) + 1
    while f"{prefix}{number:04d}" in taken:
        number += 1
    return f"{prefix}{number:04d}"


def visa_letter_refusal(participant: Participant) -> str | None:
    """Why ``participant`` gets no visa letter (not approved, did not ask, no passport number), or ``None``."""
    if participant.status != ParticipantStatus.APPROVED:
        return _("%(name)s is not approved: a visa letter is issued only to approved participants.") % {
            "name": participant
        }
    if not participant.needs_visa_letter:
        return _("%(name)s did not ask for a visa letter.") % {"name": participant}
    try:
        document = participant.travel_document  # loaded with select_related("travel_document"): no query
    except TravelDocument.DoesNotExist:
        document = None
    if document is None or not document.passport_number.strip():
        return _("%(name)s has no passport number on file: add the travel document first.") % {
            "name": participant
        }
    return None


def visa_letter_issue(participant: Participant, *, actor, reissue: bool = False) -> Participant:
    """Issue (or, with ``reissue``, issue again) the visa letter of ``participant`` and e-mail it after commit.

    Raises ``AccordError`` with the reason when the participant is not approved, did not ask for a letter or
    has no passport number. Returns the participant (updated).
    """
    with transaction.atomic():
        Conference.objects.select_for_update().filter(pk=participant.conference_id).first()  # serialises numbers
        locked = (
            Participant.objects.select_for_update(of=("self",))
            .select_related("conference", "delegation", "travel_document")
            .prefetch_related("conference__partners")
            .get(pk=participant.pk)
        )
        reason = visa_letter_refusal(locked)
        if reason:
            raise AccordError(reason)
        if locked.visa_letter_issued_at and not reissue:
            return locked
        first = not locked.visa_letter_reference
        reference = locked.visa_letter_reference or _next_reference(locked.conference)
        issued_at = timezone.now()
        pdf = render_visa_letter(locked, reference=reference, issued_at=issued_at)
        old_name = locked.visa_letter.name if locked.visa_letter else ""
        storage = locked.visa_letter.storage
        # The new letter is stored first (under another name while the old file exists); the old file is deleted
        # only once the new one is committed, so a failure at any step leaves the letter that was there.
        locked.visa_letter.save("letter.pdf", ContentFile(pdf), save=False)
        new_name = locked.visa_letter.name
        try:
            locked.visa_letter_reference = reference
            locked.visa_letter_issued_at = issued_at
            locked.visa_letter_sent_at = None  # the new letter is owed: one e-mail for this issue
            locked.visa_letter_failed_at = None
            locked.visa_letter_last_error = ""
            locked.save(update_fields=["visa_letter", "visa_letter_reference", "visa_letter_issued_at",
                                       "visa_letter_sent_at", "visa_letter_failed_at", "visa_letter_last_error",
                                       "updated_at"])
            audit_record(
                actor=actor,
                action="participant.visa_letter_issue" if first else "participant.visa_letter_reissue",
                target=locked,
                conference=locked.conference,
                changes={"visa_letter_reference": reference, "visa_letter_issued_at": issued_at.isoformat()},
            )
        except Exception:
            storage.delete(new_name)
            raise
        if old_name and old_name != new_name:
            transaction.on_commit(lambda: storage.delete(old_name))
        send_visa_letter_task.delay_on_commit(participant_id=locked.pk)
    for name in ("visa_letter", "visa_letter_reference", "visa_letter_issued_at"):
        setattr(participant, name, getattr(locked, name))
    return locked


def visa_letter_download_record(participant: Participant, *, actor) -> None:
    """Write a download of ``participant``'s visa letter (passport data inside) to the audit log."""
    own = getattr(actor, "pk", None) is not None and actor.pk == participant.user_id
    audit_record(
        actor=actor,
        action="participant.visa_letter_download",
        target=participant,
        conference=participant.conference,
        changes={"visa_letter_reference": participant.visa_letter_reference, "by": "participant" if own else "staff"},
    )


def visa_letter_queue_issue(participant_id: int) -> None:
    """Queue the issue of ``participant_id``'s visa letter if they are approved and asked for one (called after
    the approval commits)."""
    if Participant.objects.filter(
        pk=participant_id, status=ParticipantStatus.APPROVED, needs_visa_letter=True
    ).exists():
        issue_visa_letter_task.delay_on_commit(participant_id=participant_id)


def visa_letter_queue_reissue(participant_ids, *, actor) -> None:
    """Queue, after commit, the issue again of each participant's letter by ``actor`` (the admin action): the PDFs
    are rendered by the task, one participant at a time, never in the request."""
    actor_id = getattr(actor, "pk", None)
    for participant_id in participant_ids:
        issue_visa_letter_task.delay_on_commit(participant_id=participant_id, reissue=True, actor_id=actor_id)


def visa_letter_send(participant_id: int, *, final_attempt: bool = True) -> bool:
    """E-mail the stored letter to the participant, in their language, with the PDF attached, once per issue.

    The participant row is locked for the whole send and ``visa_letter_sent_at`` is written in the same
    transaction, so a redelivered or retried task sends nothing once a send has committed (the letter carries the
    passport number). Returns True if it sent now. On an SMTP/network error ``visa_letter_last_error`` is recorded
    (``visa_letter_failed_at`` on the final attempt or a permanent fault) and a transient error re-raised for the
    task's retry.
    """
    try:
        with transaction.atomic():
            participant = (
                Participant.objects.select_for_update(of=("self",))
                .select_related("conference", "delegation")
                .filter(pk=participant_id)
                .first()
            )
            if participant is None or not participant.visa_letter or participant.visa_letter_sent_at is not None:
                return False
            participant.visa_letter_sent_at = timezone.now()
            participant.visa_letter_failed_at = None
            participant.visa_letter_last_error = ""
            participant.save(update_fields=["visa_letter_sent_at", "visa_letter_failed_at", "visa_letter_last_error"])
            with participant.visa_letter.open("rb") as handle:
                content = handle.read()
            visa_letter_email(participant, content).send()
        return True
    except Exception as exc:
        permanent = is_permanent(exc)
        if not permanent and not is_transient(exc):
            raise
        Participant.objects.filter(pk=participant_id, visa_letter_sent_at__isnull=True).update(
            visa_letter_last_error=describe_error(exc),
            visa_letter_failed_at=timezone.now() if permanent or final_attempt else None,
        )
        if permanent:
            logger.warning("visa letter e-mail of participant %s not sent: %s", participant_id, describe_error(exc))
            return False
        raise
