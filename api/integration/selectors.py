"""The integration API's reads: each list of one conference as the token may see it, one query a page
whatever its rows (``select_related``, counts as annotations), ordered by the row's id so pages stay stable.

Every function takes the token and the conference its URL named (``permissions.token_conference``); a focal
point's token is narrowed to its delegation here, where the rows are fetched. A filter naming a delegation the
token does not read raises Http404, as that delegation's own address does.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from conference.models import Conference, Delegation
from onsite.models import CheckIn
from privacy.enums import ReadWhere, RetentionKind
from privacy.sensitive import BANK, PASSPORT
from privacy.services.reads import record_read
from registration.enums import ParticipantStatus
from registration.models import Participant
from sessions_app.models import Session

from .models import IntegrationToken

#: Where an API read goes in the read log: the integration API hands the data to another system, as an export.
READ_WHERE = ReadWhere.EXPORT


def related_row(row, name: str):
    """A reverse one-to-one row, or None when the participant has none (select_related cached its absence)."""
    try:
        return getattr(row, name)
    except AttributeError:
        return None


def record_sensitive_reads(rows, token: IntegrationToken, sensitive: frozenset[str]) -> None:
    """One read-log entry per participant of ``rows`` shown with passport data (``travel_document``) or bank
    details (``bank_details``): one insert per class, whatever the number of rows."""
    for kind, related in ((PASSPORT, "travel_document"), (BANK, "bank_details")):
        if kind not in sensitive:
            continue
        shown = [row for row in rows if related_row(row, related) is not None]
        if shown:
            record_read(shown, reader=token.user, kind=RetentionKind.SENSITIVE, what=related, where=READ_WHERE)


def _visible_delegations(token: IntegrationToken, conference: Conference) -> QuerySet[Delegation]:
    delegations = Delegation.objects.filter(conference=conference)
    if token.for_focal_point:
        delegations = delegations.filter(pk=token.delegation_id)
    return delegations


def filter_delegation(token: IntegrationToken, conference: Conference, code: str) -> Delegation:
    """The delegation ``code`` the token reads, else Http404 (the focal point's own: no query)."""
    if token.for_focal_point:
        if token.delegation.code != code or token.delegation.conference_id != conference.pk:
            raise Http404
        return token.delegation
    delegation = Delegation.objects.filter(conference=conference, code=code).first()
    if delegation is None:
        raise Http404
    return delegation


def _filtered(rows: QuerySet, **lookups) -> QuerySet:
    """``rows`` narrowed by each lookup that was given (a filter left out or empty narrows nothing), in primary-key
    order so that pages stay stable."""
    return rows.filter(**{lookup: value for lookup, value in lookups.items() if value not in (None, "")}).order_by("pk")


def participants(
    token: IntegrationToken,
    conference: Conference,
    *,
    sensitive: frozenset[str] = frozenset(),
    delegation: Delegation | None = None,
    status: str | None = None,
    category: str | None = None,
    updated_since: datetime.datetime | None = None,
) -> QuerySet[Participant]:
    """The conference's participants (a focal point's token: its delegation's members), with their delegation,
    and the passport data or bank details rows when ``sensitive`` names their class."""
    related = ["delegation"]
    if PASSPORT in sensitive:
        related.append("travel_document")
    if BANK in sensitive:
        related.append("bank_details")
    rows = Participant.objects.filter(conference=conference).select_related(*related)
    if token.for_focal_point:
        rows = rows.filter(delegation_id=token.delegation_id)
    return _filtered(rows, delegation=delegation, status=status, category=category, updated_at__gte=updated_since)


def participant(token: IntegrationToken, conference: Conference, public_id: str, *,
                sensitive: frozenset[str] = frozenset()) -> Participant:
    """One participant the token reads, by its public id, else Http404."""
    row = participants(token, conference, sensitive=sensitive).filter(public_id=public_id).first()
    if row is None:
        raise Http404
    return row


def delegations(
    token: IntegrationToken,
    conference: Conference,
    *,
    kind: str | None = None,
    updated_since: datetime.datetime | None = None,
) -> QuerySet[Delegation]:
    """The conference's delegations (a focal point's token: its own), each with its head's public id and its
    approved members counted in the same query."""
    rows = (
        _visible_delegations(token, conference)
        .select_related("head")
        .annotate(approved_count=Count("participants", filter=Q(participants__status=ParticipantStatus.APPROVED)))
    )
    return _filtered(rows, kind=kind, updated_at__gte=updated_since)


def delegation(token: IntegrationToken, conference: Conference, code: str) -> Delegation:
    row = delegations(token, conference).filter(code=code).first()
    if row is None:
        raise Http404
    return row


def sessions(
    token: IntegrationToken,
    conference: Conference,
    *,
    kind: str | None = None,
    updated_since: datetime.datetime | None = None,
) -> QuerySet[Session]:
    """The conference's programme with each session's room (a focal point's token: the public sessions only)."""
    rows = Session.objects.filter(conference=conference).select_related("room")
    if token.for_focal_point:
        rows = rows.filter(is_public=True)
    return _filtered(rows, kind=kind, updated_at__gte=updated_since)


def checkins(
    token: IntegrationToken,
    conference: Conference,
    *,
    delegation: Delegation | None = None,
    result: str | None = None,
    since: datetime.datetime | None = None,
) -> QuerySet[CheckIn]:
    """The desk's scans of the conference, with the participant and its delegation (a focal point's token: the
    scans of its delegation's members; scans of unknown codes name nobody and are the organizers' only)."""
    rows = CheckIn.objects.filter(conference=conference).select_related("participant__delegation")
    if token.for_focal_point:
        rows = rows.filter(participant__delegation_id=token.delegation_id)
    return _filtered(rows, participant__delegation=delegation, result=result, received_at__gte=since)
