"""An SMTP server that accepts an invitation and then stalls past the client's time-out, against a real worker:
the retry sends a second copy with the same link, so both copies work; both tries are recorded."""

import asyncio
import email
import re
import time

import pytest

from bench.common import SmtpSink, Worker, smtp_sink, worker_env
from registration.enums import InvitationStatus
from registration.models import Invitation, InvitationSendAttempt
from registration.services.invitations import hash_token, invitation_create
from tests.factories import ConferenceFactory, DelegationFactory
from tests.faults.conftest import worker_database_url
from tests.faults.test_invitation_faults import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

LINK = re.compile(r"https://accord\.example\.org/invite/([A-Za-z0-9_\-]+)/")


class StallingSink(SmtpSink):
    """Keeps every message; the first time, it answers the end of DATA only after ``stall`` seconds."""

    def __init__(self, stall: float) -> None:
        super().__init__()
        self.stall = stall
        self.stalled = False

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd hook)
        answer = await super().handle_DATA(server, session, envelope)
        if not self.stalled:
            self.stalled = True
            await asyncio.sleep(self.stall)
        return answer


def plain_text(raw: bytes) -> str:
    message = email.message_from_bytes(raw)
    part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")


def test_invitation_smtp_stalls_after_accepting_both_copies_carry_a_working_link(
    real_services, task_queue, client, monkeypatch
):
    sink = StallingSink(stall=4)
    monkeypatch.setattr("bench.common.SmtpSink", lambda: sink)
    with smtp_sink() as (_sink, port):
        env = worker_env(
            database_url=worker_database_url(), broker_url=real_services, smtp_port=port, EMAIL_TIMEOUT="2",
            ACCORD_INVITATION_RETRY_BACKOFF="1", ACCORD_INVITATION_RETRY_BACKOFF_MAX="2",
        )
        worker = Worker(env, queue=task_queue, concurrency=1, name="accord-fault-stall")
        try:
            worker.wait_ready()
            conference = ConferenceFactory(slug="sharm2023")
            invitation = invitation_create(
                conference, email="stalled@example.org", delegation=DelegationFactory(conference=conference)
            )
            wait_for(
                lambda: Invitation.objects.filter(pk=invitation.pk, status=InvitationStatus.SENT).exists(), 40,
                step=0.2, message=lambda: f"{sink.count()} received; worker:\n{worker.tail()}",
            )
            time.sleep(2)  # a third copy would arrive now
        finally:
            worker.stop()
    assert sink.per_recipient() == {"stalled@example.org": 2}
    tokens = [LINK.search(plain_text(raw)).group(1) for _rcpts, raw in sink.messages]
    invitation.refresh_from_db()
    assert tokens[0] == tokens[1] and hash_token(tokens[0]) == invitation.token_hash
    for token in tokens:  # each copy's link opens the registration page
        page = client.get(f"/invite/{token}/")
        assert page.status_code == 200 and "stalled@example.org" in page.content.decode()
    attempts = list(InvitationSendAttempt.objects.filter(invitation=invitation).values_list("outcome", "error"))
    assert [outcome for outcome, _error in attempts] == ["retrying", "sent"]
    assert "timed out" in attempts[0][1]
    assert (invitation.status, invitation.send_count, invitation.attempts) == (InvitationStatus.SENT, 1, 2)
