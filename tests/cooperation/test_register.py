import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from conference.models import AuditLog
from conference.services import AccordError
from cooperation import services
from cooperation.models import FollowUp
from cooperation.tasks import queue_follow_up_reminders_task
from tests.factories import StaffFactory

from .conftest import cairo

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(world):
    meeting = services.bilateral_request(
        conference=world.conference, requesting=world.a.delegation, invited=world.b.delegation, actor=world.a.focal,
        topic="Joint investigation teams", attendee_ids=[world.a.members[0].pk], languages=["ar", "fr"],
        slot_ids=[world.slots[0].pk])
    meeting, _warnings = services.bilateral_accept(meeting, actor=world.b.focal, slot_id=world.slots[0].pk)
    return meeting


def _follow_up(meeting, actor, **kwargs):
    kwargs.setdefault("kind", "mla_request")
    return services.follow_up_save(FollowUp(meeting=meeting, **kwargs), actor=actor)


def test_either_side_records_a_follow_up_through_the_page(client, world, held):
    client.force_login(world.b.focal)
    response = client.post(reverse("cooperation:follow_up", args=[held.pk]), {
        "kind": "joint_investigation", "owner": world.b.members[0].pk, "due_date": "2023-10-01",
        "status": "not_reported", "notes": ""})
    assert response.status_code == 302
    follow_up = FollowUp.objects.get()
    assert (follow_up.kind, follow_up.owner, follow_up.due_date) == (
        "joint_investigation", world.b.members[0], datetime.date(2023, 10, 1))
    assert AuditLog.objects.filter(action="follow_up.create").count() == 1
    page = client.get(reverse("cooperation:meeting", args=[held.pk])).content.decode()
    assert "Joint investigation" in page
    # A third delegation cannot see nor record.
    client.force_login(world.c.focal)
    assert client.post(reverse("cooperation:follow_up", args=[held.pk]), {"kind": "training"}).status_code == 404
    assert FollowUp.objects.count() == 1


def test_follow_up_refusals(world, held):
    with pytest.raises(AccordError, match="approved member of one of the two"):
        _follow_up(held, world.a.focal, owner=world.c.members[0])
    with pytest.raises(AccordError, match="two delegations and the organizers"):
        _follow_up(held, world.c.focal)
    pending = services.bilateral_request(
        conference=world.conference, requesting=world.a.delegation, invited=world.c.delegation, actor=world.a.focal,
        topic="Training", attendee_ids=[world.a.members[1].pk], languages=["en"], slot_ids=[world.slots[1].pk])
    with pytest.raises(AccordError, match="took place"):
        _follow_up(pending, world.a.focal)
    assert not FollowUp.objects.exists()


def test_reminders_at_3_and_6_months_are_sent_once(world, held, mailoutbox, django_capture_on_commit_callbacks):
    owner = world.b.members[0]
    follow_up = _follow_up(held, world.a.focal, owner=owner)
    closed = _follow_up(held, world.a.focal, owner=owner, kind="training", status="cooperation_agreed")
    assert services.follow_up_reminders_queue(now=cairo(11, 18) + datetime.timedelta(days=80)) == 0
    three_months = datetime.datetime(2023, 10, 12, 9, tzinfo=datetime.UTC)
    with django_capture_on_commit_callbacks(execute=True):
        queue_follow_up_reminders_task.delay()  # today: long past both dates, one reminder at a time
    follow_up.refresh_from_db()
    assert follow_up.reminded_3m_at is not None and follow_up.reminded_6m_at is None
    assert [m.to for m in mailoutbox] == [[owner.email]]
    assert mailoutbox[0].extra_headers["Content-Language"] == "fr"
    assert "Il y a 3 mois" in mailoutbox[0].body  # in the owner's language
    assert services.follow_up_reminders_queue(now=three_months) == 0  # the 3-month one is sent, 6 not due then
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            queue_follow_up_reminders_task.delay()
    follow_up.refresh_from_db()
    assert follow_up.reminded_6m_at is not None
    assert len(mailoutbox) == 2 and "Il y a 6 mois" in mailoutbox[1].body
    # Sending again (a retried task) sends nothing.
    assert services.follow_up_reminder_send(follow_up.pk, stage="6m") is False
    assert services.follow_up_reminder_send(closed.pk, stage="3m") is False
    assert len(mailoutbox) == 2


def test_outcome_report_page_xlsx_and_pdf(client, world, held, django_capture_on_commit_callbacks):
    _follow_up(held, world.a.focal, owner=world.a.members[0], status="in_progress")
    _follow_up(held, world.a.focal, kind="training")
    client.force_login(StaffFactory())
    page = client.get(reverse("cooperation:report")).content.decode()
    assert "1 meeting held." in page
    assert "Mutual legal assistance request to follow" in page
    assert "Egypt" in page and "France" in page
    book = load_workbook(io.BytesIO(client.get(reverse("cooperation:report_xlsx")).content))
    rows = list(book["Follow-ups"].iter_rows(values_only=True))
    assert rows[0][0] == "Kind" and "In progress" in rows[0]
    mla = next(row for row in rows if row[0] == "Mutual legal assistance request to follow")
    assert mla[rows[0].index("In progress")] == 1
    assert list(book["Pairs of delegations"].iter_rows(values_only=True))[1] == ("Egypt", "France", 1)
    assert client.get(reverse("cooperation:report_pdf")).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("cooperation:report"))  # the task renders and stores it (eager here)
    response = client.get(reverse("cooperation:report_pdf"))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages)
    assert "Outcome of the bilateral meetings" in text
    assert "Training" in text


def test_outcome_report_only_for_organizers(client, world):
    client.force_login(world.a.focal)
    for name in ("report", "report_xlsx", "report_pdf"):
        assert client.get(reverse(f"cooperation:{name}")).status_code == 302


def test_outcome_report_query_count(client, world, held, django_assert_num_queries):
    client.force_login(StaffFactory())
    url = reverse("cooperation:report_xlsx")
    client.get(url)
    # the user, the meetings by status, the accepted meetings with their delegations, the follow-ups by kind
    # and status (the conference is cached)
    with django_assert_num_queries(4):
        client.get(url)
    _follow_up(held, world.a.focal)
    other = services.bilateral_request(
        conference=world.conference, requesting=world.c.delegation, invited=world.b.delegation, actor=world.c.focal,
        topic="Training", attendee_ids=[world.c.members[1].pk], languages=["en"], slot_ids=[world.slots[1].pk])
    services.bilateral_accept(other, actor=world.b.focal, slot_id=world.slots[1].pk)
    with django_assert_num_queries(4):
        client.get(url)


def test_beat_runs_the_expiry_and_the_reminders():
    from conference.celery import app

    schedule = app.conf.beat_schedule
    assert schedule["cooperation-expire-requests"]["task"] == "cooperation.expire_requests"
    assert schedule["cooperation-follow-up-reminders"]["task"] == "cooperation.queue_follow_up_reminders"
    assert {"cooperation.expire_requests", "cooperation.queue_follow_up_reminders"} <= set(app.tasks)
