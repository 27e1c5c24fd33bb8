"""The read-only integration API: ``/api/v1/conferences/<code>/participants/``, ``delegations/``,
``sessions/``, ``checkins/`` (and one participant or delegation by its identifier).

Every view: an integration token (401 otherwise), the scope of its list and the user's rights now (403), the
token's own conference (404 for any other), the list's filters validated (400 with the field), pages capped
(``api.pagination.CappedPagination``), calls counted per token (429). Reads of sensitive fields are written to
the read log, one entry per participant shown with them.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from ..schema import errors
from . import schema as _schema  # noqa: F401 - the integration token's security scheme
from . import selectors
from .authentication import IntegrationRateThrottle, IntegrationTokenAuthentication
from .enums import IntegrationScope
from .permissions import ReadsScope, sensitive_classes, token_conference
from .serializers import (
    CheckInFilter,
    CheckInSerializer,
    DelegationFilter,
    DelegationSerializer,
    ParticipantFilter,
    ParticipantSerializer,
    SessionFilter,
    SessionSerializer,
)

CODE = OpenApiParameter("code", str, OpenApiParameter.PATH, description="The conference's code")


class IntegrationView(GenericAPIView):
    authentication_classes = [IntegrationTokenAuthentication]
    permission_classes = [ReadsScope]
    throttle_classes = [IntegrationRateThrottle]
    scope: str = ""
    filter_class = None

    @property
    def token(self):
        return self.request.auth

    def conference(self):
        return token_conference(self.token, self.kwargs["code"])

    def filters(self) -> dict:
        if self.filter_class is None:
            return {}
        query = self.filter_class(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return dict(query.validated_data)

    def delegation_filter(self, conference, filters: dict) -> dict:
        code = filters.pop("delegation", None)
        if code:
            filters["delegation"] = selectors.filter_delegation(self.token, conference, code)
        return filters

    def paged(self, rows, **context):
        page = self.paginate_queryset(rows)
        serializer = self.get_serializer_class()(page, many=True, context={"request": self.request, **context})
        return page, self.get_paginated_response(serializer.data)


LIST_ERRORS = errors(400, 401, 403, 404, 429)
ONE_ERRORS = errors(401, 403, 404, 429)


class ParticipantList(IntegrationView):
    scope = IntegrationScope.PARTICIPANTS
    serializer_class = ParticipantSerializer
    filter_class = ParticipantFilter

    @extend_schema(
        operation_id="conference_participants", parameters=[CODE, ParticipantFilter],
        responses={200: ParticipantSerializer(many=True), **LIST_ERRORS},
        description="The conference's participants (a focal point's token: its delegation's members). Passport "
                    "data, date of birth and bank details only for a token whose user holds their permission.",
    )
    def get(self, request, code):
        conference = self.conference()
        filters = self.delegation_filter(conference, self.filters())
        sensitive = sensitive_classes(self.token)
        rows = selectors.participants(self.token, conference, sensitive=sensitive, **filters)
        page, response = self.paged(rows, sensitive=sensitive)
        selectors.record_sensitive_reads(page, self.token, sensitive)
        return response


class ParticipantDetail(IntegrationView):
    scope = IntegrationScope.PARTICIPANTS
    serializer_class = ParticipantSerializer
    pagination_class = None

    @extend_schema(operation_id="conference_participant", parameters=[CODE],
                   responses={200: ParticipantSerializer, **ONE_ERRORS})
    def get(self, request, code, public_id):
        conference = self.conference()
        sensitive = sensitive_classes(self.token)
        row = selectors.participant(self.token, conference, public_id, sensitive=sensitive)
        data = ParticipantSerializer(row, context={"request": request, "sensitive": sensitive}).data
        selectors.record_sensitive_reads([row], self.token, sensitive)
        return Response(data)


class DelegationList(IntegrationView):
    scope = IntegrationScope.DELEGATIONS
    serializer_class = DelegationSerializer
    filter_class = DelegationFilter

    @extend_schema(operation_id="conference_delegations", parameters=[CODE, DelegationFilter],
                   responses={200: DelegationSerializer(many=True), **LIST_ERRORS},
                   description="The conference's delegations (a focal point's token: its own).")
    def get(self, request, code):
        conference = self.conference()
        return self.paged(selectors.delegations(self.token, conference, **self.filters()))[1]


class DelegationDetail(IntegrationView):
    scope = IntegrationScope.DELEGATIONS
    serializer_class = DelegationSerializer
    pagination_class = None

    @extend_schema(operation_id="conference_delegation", parameters=[CODE],
                   responses={200: DelegationSerializer, **ONE_ERRORS})
    def get(self, request, code, delegation_code):
        conference = self.conference()
        return Response(DelegationSerializer(selectors.delegation(self.token, conference, delegation_code)).data)


class SessionList(IntegrationView):
    scope = IntegrationScope.SESSIONS
    serializer_class = SessionSerializer
    filter_class = SessionFilter

    @extend_schema(operation_id="conference_sessions", parameters=[CODE, SessionFilter],
                   responses={200: SessionSerializer(many=True), **LIST_ERRORS},
                   description="The conference's programme (a focal point's token: the public sessions).")
    def get(self, request, code):
        conference = self.conference()
        return self.paged(selectors.sessions(self.token, conference, **self.filters()))[1]


class CheckInList(IntegrationView):
    scope = IntegrationScope.CHECKINS
    serializer_class = CheckInSerializer
    filter_class = CheckInFilter

    @extend_schema(operation_id="conference_checkins", parameters=[CODE, CheckInFilter],
                   responses={200: CheckInSerializer(many=True), **LIST_ERRORS},
                   description="The desk's scans (a focal point's token: those of its delegation's members).")
    def get(self, request, code):
        conference = self.conference()
        filters = self.delegation_filter(conference, self.filters())
        return self.paged(selectors.checkins(self.token, conference, **filters))[1]
