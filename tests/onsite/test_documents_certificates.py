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
from onsite.documents.models import Certificate, CertificateRun
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
    run = CertificateRun.objects.get()
    messages = [str(m) for m in response.context["messages"]]
    assert messages == [f'The certificates of 3 participants are being issued. <a href="'
                        f'{reverse("admin:onsite_certificaterun_change", args=[run.pk])}">See the progress</a>']
    # The queued task (run here by the on-commit callback) issued two; the one not checked in is skipped.
    assert (run.status, run.total, run.processed, run.issued, run.refreshed, run.skipped) == ("done", 3, 3, 2, 0, 1)
    assert sorted(run.participant_ids) == sorted(ids)
    assert Certificate.objects.count() == 2
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


# --- Issuing for everyone: one queued run, in chunks, idempotent ----------------------------------------------


def _staff_client(client):
    from tests.factories import StaffFactory

    staff = StaffFactory()
    client.force_login(staff)
    return staff


def test_run_for_everyone_returns_at_once_then_the_task_issues(world, client, django_capture_on_commit_callbacks):
    staff = _staff_client(client)
    conference = world["conference"]
    # The request only records and queues: without its on-commit callbacks (the task) nothing is issued.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("admin:onsite_certificaterun_add"), {"conference": conference.pk,
                                                                             "delegation": ""})
    run = CertificateRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:onsite_certificaterun_change", args=[run.pk])
    assert (run.status, run.total, run.processed, run.requested_by) == ("queued", 3, 0, staff)
    assert not Certificate.objects.exists() and len(callbacks) == 1
    assert AuditLog.objects.filter(action="certificate.run").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        callbacks[0]()  # the queued task, run eagerly
    run.refresh_from_db()
    assert (run.status, run.processed, run.issued, run.refreshed, run.skipped) == ("done", 3, 3, 0, 0)
    assert set(Certificate.objects.values_list("participant__first_name", flat=True)) == {"Amal", "Marie", "Idriss"}
    assert all(Certificate.objects.values_list("file", flat=True))
    page = client.get(response["Location"]).content.decode()
    assert "3 of 3" in page and "Done" in page
    # Asked again: the same certificates are brought up to date, none issued twice.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:onsite_certificaterun_add"), {"conference": conference.pk, "delegation": ""})
    again = CertificateRun.objects.order_by("-pk").first()
    assert (again.status, again.issued, again.refreshed) == ("done", 0, 3)
    assert AuditLog.objects.filter(action="certificate.issue").count() == 3 and Certificate.objects.count() == 3


def test_run_for_one_delegation_and_nobody_checked_in(world, client, django_capture_on_commit_callbacks):
    _staff_client(client)
    form = client.get(reverse("admin:onsite_certificaterun_add")).content.decode()
    assert 'name="conference"' in form and 'name="delegation"' in form
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:onsite_certificaterun_add"), {"conference": world["conference"].pk,
                                                                 "delegation": world["egypt"].pk})
    run = CertificateRun.objects.get()
    assert (run.status, run.issued, run.delegation) == ("done", 2, world["egypt"])
    assert set(Certificate.objects.values_list("participant__first_name", flat=True)) == {"Amal", "Marie"}
    # A conference where nobody was checked in: refused with the reason, nothing queued.
    empty = ConferenceFactory()
    ParticipantFactory(conference=empty)
    response = client.post(reverse("admin:onsite_certificaterun_add"), {"conference": empty.pk, "delegation": ""})
    assert response.status_code == 200 and "no participant of this choice was checked in" in response.content.decode()
    assert CertificateRun.objects.count() == 1
    # Another conference's delegation: refused.
    response = client.post(reverse("admin:onsite_certificaterun_add"), {"conference": empty.pk,
                                                                        "delegation": world["egypt"].pk})
    assert "This delegation belongs to another conference." in response.content.decode()
    assert CertificateRun.objects.count() == 1


def test_redelivered_task_issues_nothing_twice(world, monkeypatch, django_capture_on_commit_callbacks):
    from django.utils import timezone

    from onsite.tasks import certificate_run_task

    monkeypatch.setattr(services, "CERTIFICATE_RUN_CHUNK", 1)
    with django_capture_on_commit_callbacks(execute=False):
        run = services.certificate_run_request(world["conference"], actor=None)
    # A worker died after its first chunk had committed (one certificate, the cursor past its participant).
    first = min(world[key].pk for key in ("amal", "marie", "idriss"))
    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_issue(type(world["amal"]).objects.get(pk=first))
    stale = timezone.now() - datetime.timedelta(hours=1)
    CertificateRun.objects.filter(pk=run.pk).update(status="running", heartbeat_at=stale, processed=1, issued=1,
                                                    last_participant_id=first)
    # While another worker holds a live lease, a duplicate delivery leaves the run alone.
    CertificateRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now())
    assert certificate_run_task.apply(kwargs={"run_id": run.pk}).get() == "running"
    assert Certificate.objects.count() == 1
    # The lease lapsed: the redelivered task carries on after the committed chunk; delivered again, it is done.
    CertificateRun.objects.filter(pk=run.pk).update(heartbeat_at=stale)
    with django_capture_on_commit_callbacks(execute=True):
        assert certificate_run_task.apply(kwargs={"run_id": run.pk}).get() == "done"
        assert certificate_run_task.apply(kwargs={"run_id": run.pk}).get() == "done"
    run.refresh_from_db()
    assert (run.processed, run.issued, run.refreshed, run.skipped) == (3, 3, 0, 0)
    assert Certificate.objects.count() == 3
    assert AuditLog.objects.filter(action="certificate.issue").count() == 3
    assert certificate_run_task.apply(kwargs={"run_id": run.pk + 999}).get() == "missing"


def test_run_list_queries(world, client, django_assert_num_queries, django_capture_on_commit_callbacks):
    _staff_client(client)
    url = reverse("admin:onsite_certificaterun_changelist")
    with django_capture_on_commit_callbacks(execute=False):
        services.certificate_run_request(world["conference"], actor=None)
    client.get(url)  # warm the session and content types
    with django_assert_num_queries(5):
        assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=False):
        for delegation in (world["egypt"], world["chad"], None):
            services.certificate_run_request(world["conference"], actor=None, delegation=delegation)
    with django_assert_num_queries(5):
        page = client.get(url).content.decode()
    assert (page.count("0 of 3"), page.count("0 of 2"), page.count("0 of 1")) == (2, 1, 1)


# --- The participant's status page links their own certificate ------------------------------------------------


def test_status_page_links_own_certificate_only(world, client, settings, django_capture_on_commit_callbacks):
    settings.ACCORD_DEFAULT_CONFERENCE = world["conference"].slug
    amal = world["amal"]
    client.force_login(amal.user)
    status_url = reverse("registration:register_status")
    download = reverse("registration:certificate_download", args=[amal.public_id])
    assert download not in client.get(status_url).content.decode()  # not issued yet
    _issue_all(world, django_capture_on_commit_callbacks)
    certificate = Certificate.objects.get(participant=amal)
    page = client.get(status_url).content.decode()
    assert download in page and reverse("registration:certificate_verify", args=[certificate.code]) in page
    response = client.get(download)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get(reverse("registration:certificate_verify", args=[certificate.code])).status_code == 200
    # Another participant's id: 404.
    other = client.get(reverse("registration:certificate_download", args=[world["idriss"].public_id]))
    assert other.status_code == 404
    # Revoked: the link is gone and the download refused.
    services.certificate_revoke(certificate, reason="Issued by mistake")
    assert download not in client.get(status_url).content.decode()
    assert client.get(download).status_code == 404


def test_status_page_without_check_in_has_no_certificate_panel(world, client, settings):
    settings.ACCORD_DEFAULT_CONFERENCE = world["conference"].slug
    absent = world["absent"]
    absent.user = UserFactory()
    absent.save(update_fields=["user"])
    client.force_login(absent.user)
    page = client.get(reverse("registration:register_status")).content.decode()
    assert "certificate-title" not in page
