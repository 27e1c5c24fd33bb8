"""The certificates' pages: the public verification page (minimal data), a participant's own certificate and the
focal points' ZIP of their delegation's certificates (404 for anyone else)."""

from __future__ import annotations

import io
import zipfile

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from conference.models import localized
from registration.permissions import focal_delegations

from .models import Certificate
from .services import certificate_for_code


@require_GET
def certificate_verify(request, code: str):
    """Public: a valid code shows the name, the conference and the days; a revoked or unknown one is refused."""
    certificate = certificate_for_code(code)
    if certificate is None:
        return render(request, "onsite/documents/certificate_refused.html", {"revoked": False}, status=404)
    if certificate.revoked_at is not None:
        return render(request, "onsite/documents/certificate_refused.html", {"revoked": True}, status=410)
    conference = certificate.conference
    return render(request, "onsite/documents/certificate_verify.html", {
        "name": certificate.participant.printed_name,
        "conference_name": localized(conference, "name"),
        "conference": conference,
        "days": certificate.days,
    })


def _certificate_for(user, public_id: str) -> Certificate:
    """A rendered, unrevoked certificate the user may download: their own, or a member's of a delegation they are a
    focal point of. Anything else is 404."""
    certificate = (Certificate.objects.select_related("participant", "participant__delegation")
                   .filter(participant__public_id=str(public_id), revoked_at__isnull=True).exclude(file="").first())
    if certificate is None:
        raise Http404("No such certificate.")
    participant = certificate.participant
    own = participant.user_id is not None and participant.user_id == user.pk
    focal = participant.delegation_id is not None and focal_delegations(user).filter(pk=participant.delegation_id).exists()
    if not (own or focal):
        raise Http404("No such certificate.")
    return certificate


@login_required
@require_GET
def certificate_download(request, public_id: str):
    certificate = _certificate_for(request.user, public_id)
    return FileResponse(certificate.file.open("rb"), as_attachment=True, content_type="application/pdf",
                        filename=f"certificate-{certificate.participant.public_id}.pdf")


@login_required
@require_GET
def delegation_certificates_zip(request, delegation_id: int):
    """The focal point's ZIP: exactly their delegation's rendered, unrevoked certificates (404 for another's)."""
    delegation = focal_delegations(request.user).filter(pk=delegation_id).first()
    if delegation is None:
        raise Http404("No such delegation.")
    certificates = (Certificate.objects.select_related("participant")
                    .filter(participant__delegation=delegation, revoked_at__isnull=True).exclude(file="")
                    .order_by("participant__last_name", "participant__pk"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for certificate in certificates:
            participant = certificate.participant
            stem = "-".join(filter(None, [participant.last_name, participant.first_name])) or participant.public_id
            with certificate.file.open("rb") as handle:
                archive.writestr(f"{delegation.code}-{stem}-{participant.public_id}.pdf", handle.read())
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="certificates-{delegation.code}.zip"'
    return response
