"""Writes of the self-registration form: saving each step, the photo, submitting.

The steps are those of ``registration/form_steps.py`` (registration's own: personal details, photo, needs,
consents; logistics adds travel and hotel, and visa support). Progress (``form_step``, the number of the
last step saved) is kept after each step, so the participant can leave and come back.
"""

from __future__ import annotations

import io
import logging
import secrets
import warnings
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from conference.services import AccordError, audit_record
from privacy.selectors import current_notice, notice_needs_acceptance
from privacy.services.notices import notice_accept

from ..enums import ParticipantStatus
from ..form_steps import form_steps, step_count, step_number
from ..models import Participant
from ..permissions import may_edit_step
from .participants import participant_update

logger = logging.getLogger(__name__)

PHOTO_MAX_SIDE = 1200
PHOTO_FORMATS = ("JPEG", "PNG")


def _check_editable(participant: Participant, step: int) -> None:
    if not may_edit_step(participant, step):
        raise AccordError(_("This part of your registration can no longer be changed."))


def registration_step_save(participant: Participant, *, actor, step: int, **fields: Any) -> Participant:
    """Save the fields of form step ``step`` and record the progress (``form_step``), with an audit entry.

    Raises AccordError when the participant may not change this step any more (registration locked or
    closed, status, identity of an approved participant).
    """
    if not 1 <= step <= step_count():
        raise AccordError(_("Unknown step."))
    _check_editable(participant, step)
    fields["form_step"] = max(participant.form_step, step)
    return participant_update(participant, actor=actor, **fields)


def consents_save(participant: Participant, *, actor, directory: bool, photos: bool) -> Participant:
    """The consent step: the privacy notice accepted (its current version recorded, with the time, in the
    privacy app; ``consent_privacy_at`` set when first accepted or when a new version is), and the directory and
    photo consents (each change logged). Both or neither."""
    with transaction.atomic():
        notice = current_notice(participant.conference)
        fields: dict[str, Any] = {"consent_directory": directory, "consent_photos": photos}
        if participant.consent_privacy_at is None or (notice is not None and notice_needs_acceptance(participant)):
            fields["consent_privacy_at"] = timezone.now()
        participant = registration_step_save(participant, actor=actor, step=step_number("consents"), **fields)
        if notice is not None:
            notice_accept(participant, notice, actor=actor)
    return participant


def privacy_notice_pending(participant: Participant) -> bool:
    """Whether the participant must (again) accept the privacy notice: never accepted, or a newer version."""
    return participant.consent_privacy_at is None or notice_needs_acceptance(participant)


# Photo --------------------------------------------------------------------------------------------


def photo_process(data: bytes) -> bytes:
    """Check that ``data`` is a JPEG or PNG image within the limits and return it re-encoded as JPEG.

    The image is identified with only the JPEG and PNG decoders (so GIF, EPS, SVG, PDF, ... are never
    parsed), checked with ``verify()``, its pixel count checked before decoding, then reopened and fully
    decoded. The result is turned upright, scaled to at most 1200 px a side, and saved without any metadata
    (EXIF, GPS, ICC comments). Raises AccordError with a clear message otherwise.
    """
    max_bytes = settings.ACCORD_PHOTO_MAX_BYTES
    max_pixels = settings.ACCORD_PHOTO_MAX_PIXELS
    if len(data) > max_bytes:
        raise AccordError(
            _("The photo is too large: at most %(mb).1f MB.") % {"mb": max_bytes / (1024 * 1024)}
        )
    if not data:
        raise AccordError(_("The file is empty."))
    refused = _("The photo must be a JPEG or PNG image.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=PHOTO_FORMATS) as image:
                if image.format not in PHOTO_FORMATS:
                    raise AccordError(refused)
                width, height = image.size
                if width * height > max_pixels:
                    raise AccordError(
                        _("The photo has too many pixels (%(w)d × %(h)d); at most %(max)d million.")
                        % {"w": width, "h": height, "max": max_pixels // 1_000_000}
                    )
                image.verify()
            with Image.open(io.BytesIO(data), formats=PHOTO_FORMATS) as image:
                image.load()
                upright = ImageOps.exif_transpose(image)
                if upright.mode in ("RGBA", "LA", "P"):
                    rgba = upright.convert("RGBA")
                    flattened = Image.new("RGB", rgba.size, (255, 255, 255))
                    flattened.paste(rgba, mask=rgba.getchannel("A"))
                    upright = flattened
                elif upright.mode != "RGB":
                    upright = upright.convert("RGB")
                upright.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
                # A new image from the pixels alone: no info dict, so no EXIF, ICC profile or comment
                # can be carried over into the saved file.
                clean = Image.frombytes("RGB", upright.size, upright.tobytes())
                out = io.BytesIO()
                clean.save(out, format="JPEG", quality=88, optimize=True)
    except AccordError:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise AccordError(_("The photo has too many pixels.")) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, TypeError, EOFError) as exc:
        logger.info("Refused photo: %s", exc)
        raise AccordError(refused) from None
    return out.getvalue()


def participant_photo_save(participant: Participant, *, actor, upload, step: int | None = None) -> Participant:
    """Check and re-encode an uploaded photo, store it as the participant's photo, record the photo step.

    Nothing is stored if the photo is refused. The previous photo file is deleted after commit.
    """
    step = step or step_number("photo")
    _check_editable(participant, step)
    jpeg = photo_process(upload.read(settings.ACCORD_PHOTO_MAX_BYTES + 1))
    old_name = participant.photo.name if participant.photo else ""
    storage = participant.photo.storage
    with transaction.atomic():
        # A fresh name each time (the upload_to path plus a suffix) so a cached old photo is never served.
        participant.photo.save(f"{secrets.token_hex(4)}.jpg", ContentFile(jpeg), save=False)
        participant.form_step = max(participant.form_step, step)
        participant.save(update_fields=["photo", "form_step", "updated_at"])
        audit_record(
            actor=actor,
            action="participant.photo",
            target=participant,
            conference=participant.conference,
            changes={"photo": "(changed)", "size": len(jpeg)},
        )
        if old_name and old_name != participant.photo.name:
            transaction.on_commit(lambda: storage.delete(old_name))
    return participant


# Submitting ---------------------------------------------------------------------------------------


def missing_for_submission(participant: Participant) -> list[str]:
    """What is still missing before the form can be submitted (human-readable, translated): every step
    reached, then what each step says it still lacks (names, photo, passport details, privacy notice)."""
    missing = []
    if participant.form_step < step_count():
        missing.append(_("Complete every step of the form."))
    for step in form_steps():
        if step.missing is not None:
            missing.extend(step.missing(participant))
    return missing


def registration_submit(participant: Participant, *, actor) -> Participant:
    """Submit the completed form: status invited → submitted, ``submitted_at``, audit entry.

    A participant already submitted or approved stays as they are (their edits are saved step by step);
    raises AccordError when something is missing or registration is closed.
    """
    with transaction.atomic():
        locked = Participant.objects.select_for_update(of=("self",)).select_related("conference").get(
            pk=participant.pk
        )
        if locked.status != ParticipantStatus.INVITED:
            if locked.status in (ParticipantStatus.SUBMITTED, ParticipantStatus.APPROVED):
                return locked
            raise AccordError(_("This registration can no longer be submitted."))
        _check_editable(locked, step_count())
        missing = missing_for_submission(locked)
        if missing:
            raise AccordError(" ".join(missing))
        locked.status = ParticipantStatus.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.save(update_fields=["status", "submitted_at", "updated_at"])
        audit_record(
            actor=actor,
            action="participant.submit",
            target=locked,
            conference=locked.conference,
            changes={"status": {"old": ParticipantStatus.INVITED, "new": ParticipantStatus.SUBMITTED}},
        )
    participant.status = locked.status
    participant.submitted_at = locked.submitted_at
    return locked


def participant_link_user(participant: Participant, *, user) -> Participant:
    """Attach the participation found under the user's verified e-mail to their account (once)."""
    if participant.user_id is None:
        updated = Participant.objects.filter(pk=participant.pk, user__isnull=True).update(user=user)
        if updated:
            participant.user = user
            audit_record(
                actor=user, action="participant.link_account", target=participant,
                conference=participant.conference, changes={"user": user.pk},
            )
    return participant
