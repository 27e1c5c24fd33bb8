import pytest

from conference.services import AccordError
from sessions_app import services
from sessions_app.models import PersonalFeed, SessionSignup
from tests.factories import ConferenceFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop(make_session):
    return make_session(title="Workshop", title_fr="Atelier", title_ar="ورشة عمل", signup_required=True, capacity=2)


def _statuses(session):
    return list(SessionSignup.objects.filter(session=session).order_by("created_at", "id")
                .values_list("participant_id", "status"))


def test_signup_create_confirms_until_full_then_waitlists_in_order(workshop, conference):
    people = ParticipantFactory.create_batch(4, conference=conference)
    for person in people:
        services.signup_create(workshop, participant=person)
    assert _statuses(workshop) == [
        (people[0].pk, "confirmed"), (people[1].pk, "confirmed"),
        (people[2].pk, "waitlisted"), (people[3].pk, "waitlisted"),
    ]


def test_signup_create_refuses_bad_requests(workshop, conference, make_session):
    person = ParticipantFactory(conference=conference)
    services.signup_create(workshop, participant=person)
    with pytest.raises(AccordError, match="already signed up"):
        services.signup_create(workshop, participant=person)
    with pytest.raises(AccordError, match="approved"):
        services.signup_create(workshop, participant=ParticipantFactory(conference=conference, status="submitted"))
    with pytest.raises(AccordError, match="another conference"):
        services.signup_create(workshop, participant=ParticipantFactory(conference=ConferenceFactory()))
    with pytest.raises(AccordError, match="needs no sign-up"):
        services.signup_create(make_session(signup_required=False), participant=person)
    assert SessionSignup.objects.count() == 1


def test_signup_cancel_of_confirmed_promotes_first_waitlisted_and_emails_once(
    workshop, conference, mailoutbox, django_capture_on_commit_callbacks
):
    people = [ParticipantFactory(conference=conference, preferred_language=lang) for lang in ("en", "en", "ar", "fr")]
    signups = [services.signup_create(workshop, participant=person) for person in people]
    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.signup_cancel(signups[0], actor=None)
    assert [s.participant_id for s in promoted] == [people[2].pk]
    assert _statuses(workshop) == [(people[1].pk, "confirmed"), (people[2].pk, "confirmed"),
                                   (people[3].pk, "waitlisted")]
    promoted_row = SessionSignup.objects.get(participant=people[2])
    assert promoted_row.promoted_at is not None and promoted_row.promotion_notified_at is not None
    assert [m.to for m in mailoutbox] == [[people[2].email]]
    assert "ورشة عمل" in mailoutbox[0].subject  # Arabic title for an Arabic reader
    # a retried task does not send a second e-mail
    assert services.signup_promotion_notify(promoted_row.pk) is False
    assert len(mailoutbox) == 1


def test_signup_cancel_of_waitlisted_promotes_nobody(workshop, conference, mailoutbox,
                                                     django_capture_on_commit_callbacks):
    people = ParticipantFactory.create_batch(4, conference=conference)
    signups = [services.signup_create(workshop, participant=person) for person in people]
    with django_capture_on_commit_callbacks(execute=True):
        assert services.signup_cancel(signups[2], actor=None) == []
    assert _statuses(workshop)[-1] == (people[3].pk, "waitlisted")
    assert mailoutbox == []


def test_session_update_capacity_refuses_below_confirmed(workshop, conference):
    for person in ParticipantFactory.create_batch(2, conference=conference):
        services.signup_create(workshop, participant=person)
    with pytest.raises(AccordError, match="lower than the 2 confirmed"):
        services.session_update_capacity(workshop, capacity=1, actor=None)
    workshop.refresh_from_db()
    assert workshop.capacity == 2


def test_session_update_capacity_raised_promotes_in_order(workshop, conference, mailoutbox,
                                                          django_capture_on_commit_callbacks):
    people = ParticipantFactory.create_batch(5, conference=conference)
    for person in people:
        services.signup_create(workshop, participant=person)
    with django_capture_on_commit_callbacks(execute=True):
        services.session_update_capacity(workshop, capacity=4, actor=None)
    assert [status for _pid, status in _statuses(workshop)] == ["confirmed"] * 4 + ["waitlisted"]
    assert sorted(m.to[0] for m in mailoutbox) == sorted([people[2].email, people[3].email])


def test_feed_rotate_replaces_token_and_revoke_removes_it(conference):
    person = ParticipantFactory(conference=conference)
    first = services.feed_rotate(person, actor=None)
    second = services.feed_rotate(person, actor=None)
    assert first != second and len(second) >= 40
    feed = PersonalFeed.objects.get(participant=person)
    assert second not in feed.token_hash and len(feed.token_hash) == 64
    services.feed_revoke(person, actor=None)
    assert not PersonalFeed.objects.exists()
