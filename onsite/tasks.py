"""Badge tasks: thin, ids in, one service call each; idempotent. The task names keep their ``registration.``
prefix so that messages queued before the move still find their task."""

from __future__ import annotations

from celery import shared_task

from registration.models import Participant

from .models import BadgeBatch


@shared_task(name="registration.badge_prerender", soft_time_limit=60, time_limit=90)
def badge_prerender_task(*, participant_id: int) -> bool:
    """Pre-render one participant's single-badge PDF for the desk (nothing to do if it is current)."""
    from .services.badges import badge_prerender

    participant = (
        Participant.objects.select_related("conference", "delegation", "badge").filter(pk=participant_id).first()
    )
    if participant is None:
        return False
    return badge_prerender(participant) is not None


@shared_task(name="registration.badge_batch", soft_time_limit=1500, time_limit=1800)
def badge_batch_task(*, batch_id: int) -> str:
    """Render a badge batch; a batch already done or running elsewhere is left alone."""
    from .services.badges import badge_batch_run

    batch = BadgeBatch.objects.select_related("conference", "delegation", "requested_by").filter(pk=batch_id).first()
    if batch is None:
        return "missing"
    return badge_batch_run(batch).status


@shared_task(name="onsite.participant_list_render", soft_time_limit=600, time_limit=900)
def participant_list_render_task(*, edition_id: int) -> str:
    """Render and store one edition of the List of Participants (nothing to do if it is rendered)."""
    from .documents.models import ParticipantListEdition
    from .documents.services import participant_list_render

    item = ParticipantListEdition.objects.filter(pk=edition_id).first()
    if item is None:
        return "missing"
    return participant_list_render(item).status


@shared_task(name="onsite.certificate_render", soft_time_limit=60, time_limit=90)
def certificate_render_task(*, certificate_id: int) -> bool:
    """Render and store one certificate of attendance (nothing to do if the stored file is current or revoked)."""
    from .documents.models import Certificate
    from .documents.services import certificate_render

    certificate = Certificate.objects.filter(pk=certificate_id).first()
    if certificate is None:
        return False
    return bool(certificate_render(certificate).file)
