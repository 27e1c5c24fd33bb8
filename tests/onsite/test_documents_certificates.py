"""Certificates of attendance (issue 17 item 8): only for checked-in participants, the days they were seen, in
their language with a verification code and QR; the public verification page (valid, revoked, forged); a
participant's own certificate and the focal points' ZIP of exactly their delegation's certificates."""

import datetime
import io
import zipfile

import pytest
from django.urls import reverse
from pypdf import PdfReader

from conference.models import AuditLog
from conference.services import AccordError
from onsite.documents import services
from onsite.documents.models import Certificate
from onsite.models import Attendance
from tests.factories import (
    ConferenceFactory,
    DelegationFactory,
    ParticipantFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def _pdf_text(certificate: Certificate) -> str:
    with certificate.file.open("rb") as handle:
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages)


@pytest.fixture
def world():
    conference = ConferenceFactory(name="Regional Meeting", name_fr="Réunion régionale", name_ar="الاجتماع الإقليمي")
    egypt = DelegationFactory(conference=conference, code="EGY", country="EG")
    chad = DelegationFactory(conference=conference, code="TCD", country="TD")
    focal = UserFactory()
    egypt.focal_points.add(focal)
    session = SessionFactory(conference=conference, starts_at=datetime.datetime(2023, 7, 12, 7, 0, tzinfo=UTC))

    def person(delegation, language, checked_in, **kwargs):
        participant = ParticipantFactory(conference=conference, delegation=delegation, preferred_language=language,
                                         **kwargs)
        if checked_in:
            # 23:30 UTC on 9 July is 02:30 on 10 July in Cairo: the first day in the conference's time zone.
            participant.checked_in_at = datetime.datetime(2023, 7, 9, 23, 30, tzinfo=UTC)
            participant.save(update_fields=["checked_in_at"])
        return participant

    amal = person(egypt, "ar", True, first_name="Amal", last_name="Hassan", badge_name_ar="أمل حسن",
                  title="judge", gender="female", user=UserFactory())
    Attendance.objects.create(session=session, participant=amal, client_id="door-1",
                              scanned_at=datetime.datetime(2023, 7, 12, 7, 5, tzinfo=UTC))
    marie = person(egypt, "fr", True, first_name="Marie", last_name="Dubois", title="ms", gender="female")
    absent = person(egypt, "en", False, first_name="Absent", last_name="Person")
    idriss = person(chad, "en", True, first_name="Idriss", last_name="Mahamat", title="mr", gender="male")
    return {"conference": conference, "egypt": egypt, "chad": chad, "focal": focal, "amal": amal, "marie": marie,
            "absent": absent, "idriss": idriss}


def _issue_all(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.certificates_issue(world["conference"])


def test_only_checked_in_participants(world, django_capture_on_commit_callbacks):
    issued, skipped = _issue_all(world, django_capture_on_commit_callbacks)
    assert (issued, skipped) == (3, 1)
    assert not Certificate.objects.filter(participant=world["absent"]).exists()
    with pytest.raises(AccordError):
        services.certificate_issue(world["absent"])
    assert AuditLog.objects.filter(action="certificate.issue").count() == 3


def test_days_and_language(world, django_capture_on_commit_callbacks):
    _issue_all(world, django_capture_on_commit_callbacks)
    amal = Certificate.objects.get(participant=world["amal"])
    assert amal.days == ["2023-07-10", "2023-07-12"]
    text = _pdf_text(amal)
    assert "الاجتماع الإقليمي" in text and "أمل حسن" in text and "القاضية" in text
    assert amal.code in text
    marie = Certificate.objects.get(participant=world["marie"])
    text = _pdf_text(marie)
    assert "Réunion régionale" in text and "Mme Marie Dubois" in text and "lundi 10 juillet 2023" in text
    idriss = Certificate.objects.get(participant=world["idriss"])
    text = _pdf_text(idriss)
    assert "Certificate of attendance" in text and "Mr. Idriss Mahamat" in text and "Monday 10 July 2023" in text
    assert reverse("registration:certificate_verify", args=[idriss.code]) in text.replace("\n", "")


def test_reissue_keeps_the_code_and_reuses_the_file(world, django_capture_on_commit_callbacks):
    _issue_all(world, django_capture_on_commit_callbacks)
    first = Certificate.objects.get(participant=world["idriss"])
    _issue_all(world, django_capture_on_commit_callbacks)
    again = Certificate.objects.get(participant=world["idriss"])
    assert (again.code, again.file.name) == (first.code, first.file.name)


def test_verification_page_valid_revoked_forged(world, client, django_capture_on_commit_callbacks):
    _issue_all(world, django_capture_on_commit_callbacks)
    certificate = Certificate.objects.get(participant=world["idriss"])
    response = client.get(reverse("registration:certificate_verify", args=[certificate.code]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Idriss Mahamat" in page and "Regional Meeting" in page and "2023-07-10" in page
    assert "@" not in page.split("<main", 1)[-1].split("</main>", 1)[0]  # minimal data: no e-mail
    forged = certificate.code[:-1] + ("A" if certificate.code[-1] != "A" else "B")
    refused = client.get(reverse("registration:certificate_verify", args=[forged]))
    assert refused.status_code == 404 and 'data-reason="unknown"' in refused.content.decode()
    with pytest.raises(AccordError):
        services.certificate_revoke(certificate, reason="  ")
    services.certificate_revoke(certificate, reason="Issued by mistake")
    revoked = client.get(reverse("registration:certificate_verify", args=[certificate.code]))
    assert revoked.status_code == 410 and 'data-reason="revoked"' in revoked.content.decode()
    assert "Idriss" not in revoked.content.decode()
    with pytest.raises(AccordError):
        services.certificate_issue(world["idriss"])  # a revoked certificate stays revoked


def test_own_certificate_and_another_is_404(world, client, django_capture_on_commit_callbacks):
    _issue_all(world, django_capture_on_commit_callbacks)
    client.force_login(world["amal"].user)
    own = client.get(reverse("registration:certificate_download", args=[world["amal"].public_id]))
    assert own.status_code == 200 and own["Content-Type"] == "application/pdf"
    other = client.get(reverse("registration:certificate_download", args=[world["idriss"].public_id]))
    assert other.status_code == 404


def test_zip_holds_exactly_the_delegation_certificates(world, client, django_capture_on_commit_callbacks):
    _issue_all(world, django_capture_on_commit_callbacks)
    client.force_login(world["focal"])
    response = client.get(reverse("registration:delegation_certificates_zip", args=[world["egypt"].pk]))
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = sorted(archive.namelist())
    assert names == sorted([f"EGY-Dubois-Marie-{world['marie'].public_id}.pdf",
                            f"EGY-Hassan-Amal-{world['amal'].public_id}.pdf"])
    for name in names:
        assert archive.read(name).startswith(b"%PDF")
    # Another delegation's ZIP, or another participant's certificate, is 404 for this focal point.
    assert client.get(reverse("registration:delegation_certificates_zip", args=[world["chad"].pk])).status_code == 404
    assert client.get(reverse("registration:certificate_download", args=[world["idriss"].public_id])).status_code == 404
    assert client.get(reverse("registration:certificate_download", args=[world["marie"].public_id])).status_code == 200
    # The portal's delegation page links to the ZIP.
    portal = client.get(reverse("registration:delegation", args=[world["egypt"].code]))
    assert reverse("registration:delegation_certificates_zip", args=[world["egypt"].pk]) in portal.content.decode()


def test_admin_issues_and_revokes(world, client, django_capture_on_commit_callbacks):
    from tests.factories import StaffFactory

    client.force_login(StaffFactory())
    ids = [world[key].pk for key in ("amal", "absent", "idriss")]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:registration_participant_changelist"),
                               {"action": "issue_certificates_for_selected", "_selected_action": ids}, follow=True)
    assert response.status_code == 200
    assert Certificate.objects.count() == 2
    messages = [str(m) for m in response.context["messages"]]
    assert "2 certificates of attendance issued." in messages
    assert any("1 participant skipped" in m for m in messages)
    certificate = Certificate.objects.get(participant=world["idriss"])
    page = client.get(reverse("admin:onsite_certificate_change", args=[certificate.pk]))
    assert reverse("admin:onsite_certificate_revoke", args=[certificate.pk]) in page.content.decode()
    assert client.post(reverse("admin:onsite_certificate_revoke", args=[certificate.pk]), {"reason": ""}).status_code == 200
    certificate.refresh_from_db()
    assert certificate.revoked_at is None  # no reason: nothing changed
    client.post(reverse("admin:onsite_certificate_revoke", args=[certificate.pk]), {"reason": "Duplicate"})
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None and certificate.revoked_reason == "Duplicate"
    assert AuditLog.objects.filter(action="certificate.revoke").count() == 1
    assert client.get(reverse("admin:onsite_certificate_changelist")).status_code == 200
