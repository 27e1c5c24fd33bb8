"""The participant list of one conference among many: its filters list that conference's delegations and
nationalities only (not every delegation of every meeting), and no count of every participant is made."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conference.selectors import current_conference
from tests.factories import ConferenceFactory, DelegationFactory, ParticipantFactory, StaffFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/registration/participant/"


def filter_choices(response, parameter: str) -> list[str]:
    """The choices of the list filter whose query parameter is ``parameter``, without "All" and the empty one."""
    changelist = response.context["cl"]
    spec = next(spec for spec in changelist.filter_specs if parameter in spec.expected_parameters())
    return [str(choice["display"]) for choice in spec.choices(changelist) if str(choice["display"]) != "-"][1:]


def test_filters_of_one_conference_list_its_delegations_and_nationalities_only(client, conference):
    client.force_login(StaffFactory(username="organizer@example.org"))
    other = ConferenceFactory()
    ours = DelegationFactory(conference=conference, code="EGY", organization="Egypt delegation")
    theirs = DelegationFactory(conference=other, code="FRA", organization="France delegation")
    ParticipantFactory(conference=conference, delegation=ours, nationality="EG")
    ParticipantFactory(conference=other, delegation=theirs, nationality="FR")

    narrowed = client.get(CHANGELIST, {"conference__id__exact": str(conference.pk)})
    everything = client.get(CHANGELIST)

    assert filter_choices(narrowed, "delegation__id__exact") == [ours.display_name()]
    assert sorted(filter_choices(everything, "delegation__id__exact")) == sorted([ours.display_name(), theirs.display_name()])
    assert filter_choices(narrowed, "nationality") == ["Egypt"]
    assert filter_choices(everything, "nationality") == ["Egypt", "France"]
    assert narrowed.context["cl"].result_count == 1


def test_list_of_one_conference_counts_only_its_rows(client, conference):
    client.force_login(StaffFactory(username="organizer@example.org"))
    ParticipantFactory(conference=conference)
    ParticipantFactory(conference=ConferenceFactory())  # two conferences: the "By conference" filter is shown
    current_conference()
    url = f"{CHANGELIST}?conference__id__exact={conference.pk}"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    counts = [q["sql"] for q in queries if q["sql"].startswith("SELECT COUNT(*)")]
    assert counts and all("WHERE" in sql for sql in counts), [q["sql"][:150] for q in queries]
