"""The OpenAPI description's shared parts: the one error shape and the bearer-token security scheme.

Views document their errors with ``ERROR_RESPONSES`` (``extend_schema(responses={200: ..., **errors(400, 401)})``)
so that a client (and schemathesis) knows each answer's body.
"""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="A machine code: unauthorized, forbidden, not_found, invalid, throttled…")
    message = serializers.CharField(help_text="A sentence in the request's language (Accept-Language)")
    fields = serializers.DictField(
        child=serializers.JSONField(), help_text="For 400: the messages per field of the body; otherwise empty"
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


_DESCRIPTIONS = {
    400: "The body or the query is malformed: `fields` names each field",
    401: "No token, or a wrong, expired or revoked one",
    403: "The token may not do this",
    404: "Not found (or not visible to this token)",
    429: "Too many requests for this token: see Retry-After",
}


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    """The error answers ``codes`` of a view, for ``extend_schema(responses=...)``."""
    return {code: OpenApiResponse(ErrorSerializer, description=_DESCRIPTIONS[code]) for code in codes}


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.BearerTokenAuthentication"
    match_subclasses = True
    name = "bearerToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "A device or integration token"}
