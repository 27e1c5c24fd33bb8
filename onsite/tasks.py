"""Badge tasks: thin, ids in, one service call each; idempotent. The task names keep their ``registration.``
prefix so that messages queued before the move still find their task."""

from __future__ import annotations

import os

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


@shared_task(name="registration.badge_batch", bind=True, soft_time_limit=300, time_limit=360)
def badge_batch_task(self, *, batch_id: int) -> str:
    """Start a badge batch: merged at once when every page is current, else its missing pages go out as chunk
    tasks (on the queue this task came from) and the merge follows them. A batch done or running elsewhere is
    left alone."""
    from .services.badges import badge_batch_run

    batch = BadgeBatch.objects.select_related("conference", "delegation", "requested_by").filter(pk=batch_id).first()
    if batch is None:
        return "missing"
    return badge_batch_run(batch, queue=(self.request.delivery_info or {}).get("routing_key")).status


@shared_task(name="onsite.badge_batch_chunk", bind=True, soft_time_limit=300, time_limit=360)
def badge_batch_chunk_task(self, *, batch_id: int, participant_ids: list[int], badge_format: str) -> dict:
    """Render and store the pages of one chunk of a batch (those still missing: a redelivered chunk skips what
    it stored). Returns what it did and which worker did it."""
    from .services.badges import badge_batch_chunk_render

    report = badge_batch_chunk_render(batch_id=batch_id, participant_ids=participant_ids, badge_format=badge_format)
    return {**report, "worker": self.request.hostname or "", "pid": os.getpid()}


@shared_task(name="onsite.badge_batch_merge", bind=True, soft_time_limit=300, time_limit=360)
def badge_batch_merge_task(self, parts: list[dict], *, batch_id: int, round_number: int = 1) -> str:
    """When every chunk of a batch is done: check each page is there, then merge (or queue the missing again)."""
    from .services.badges import badge_batch_merge

    batch = BadgeBatch.objects.select_related("conference", "delegation", "requested_by").filter(pk=batch_id).first()
    if batch is None:
        return "missing"
    queue = (self.request.delivery_info or {}).get("routing_key")
    return badge_batch_merge(batch, parts=parts, round_number=round_number, queue=queue).status


@shared_task(name="onsite.badge_batch_fail")
def badge_batch_fail_task(*args, batch_id: int, error: str) -> str:
    """A chunk of the batch failed (the chord's error callback; the failed task's id comes first): mark it failed."""
    from .services.badges import badge_batch_fail

    return badge_batch_fail(batch_id=batch_id, error=error)


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


@shared_task(name="onsite.certificate_run", soft_time_limit=1500, time_limit=1800)
def certificate_run_task(*, run_id: int) -> str:
    """Issue the certificates of one queued run, in chunks (a run done, or held by a live worker, is left alone;
    one whose worker died carries on after its last committed chunk)."""
    from .documents.models import CertificateRun
    from .documents.services import certificate_run_execute

    run = CertificateRun.objects.filter(pk=run_id).first()
    if run is None:
        return "missing"
    return certificate_run_execute(run).status
