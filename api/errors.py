"""One JSON shape for every error the API answers:

``{"error": {"code": "<machine code>", "message": "<translated sentence>", "fields": {"<field>": ["..."]}}}``

``fields`` is empty unless the body was malformed (400). A wrong, expired, reused or revoked token or enrollment
code is one ``unauthorized`` answer, whatever the cause: a client learns nothing else. Errors the views did not
expect are logged and answered as ``server_error`` (500) in the same shape.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework import exceptions, status
from rest_framework.response import Response

logger = logging.getLogger("accord.api")


def _messages():
    """Translated at call time (the request's language)."""
    return {
        "unauthorized": _("Authentication failed: give a valid token."),
        "forbidden": _("This token may not do this."),
        "not_found": _("Not found."),
        "invalid": _("The request is not valid: see the fields."),
        "method_not_allowed": _("This method is not allowed here."),
        "not_acceptable": _("This response format is not available: ask for application/json."),
        "unsupported_media_type": _("Send the body as application/json."),
        "throttled": _("Too many requests: wait before sending more."),
        "server_error": _("Something went wrong on the server; the request was not completed."),
    }


def error_body(code: str, message: str | None = None, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": message or _messages()[code], "fields": fields or {}}}


def _plain(detail):
    """DRF's error details as plain JSON: lists of strings per field, nested where the body was."""
    if isinstance(detail, dict):
        return {str(key): _plain(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_plain(item) for item in detail]
    return str(detail)


def _fields(detail) -> dict:
    if isinstance(detail, dict):
        return _plain(detail)
    if isinstance(detail, list):
        return {"non_field_errors": _plain(detail)}
    return {"non_field_errors": [str(detail)]}


_CODES = (
    (exceptions.NotAuthenticated, "unauthorized"),
    (exceptions.AuthenticationFailed, "unauthorized"),
    (exceptions.PermissionDenied, "forbidden"),
    (exceptions.NotFound, "not_found"),
    (exceptions.MethodNotAllowed, "method_not_allowed"),
    (exceptions.NotAcceptable, "not_acceptable"),
    (exceptions.UnsupportedMediaType, "unsupported_media_type"),
    (exceptions.Throttled, "throttled"),
)


def exception_handler(exc, context):
    """``REST_FRAMEWORK["EXCEPTION_HANDLER"]``: every exception of an API view becomes the one error shape."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, (exceptions.ValidationError, exceptions.ParseError)):
        detail = exc.detail if isinstance(exc, exceptions.ValidationError) else {"non_field_errors": [exc.detail]}
        return Response(error_body("invalid", fields=_fields(detail)), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, exceptions.APIException):
        code = next((code for kind, code in _CODES if isinstance(exc, kind)), None)
        headers = {}
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None) is not None:
            headers["Retry-After"] = str(int(exc.wait) + 1)
        if code is None:  # another APIException of ours: its own code and message
            code, message = str(exc.default_code), str(exc.detail)
            return Response(error_body(code, message), status=exc.status_code, headers=headers)
        if code == "throttled" and exc.wait is not None:
            seconds = int(exc.wait) + 1
            message = ngettext(
                "Too many requests: wait %(seconds)d second before sending more.",
                "Too many requests: wait %(seconds)d seconds before sending more.",
                seconds,
            ) % {"seconds": seconds}
            return Response(error_body(code, message), status=exc.status_code, headers=headers)
        return Response(error_body(code), status=exc.status_code, headers=headers)
    logger.exception("API view failed", exc_info=exc)
    return Response(error_body("server_error"), status=status.HTTP_500_INTERNAL_SERVER_ERROR)


def not_found(request, *args, **kwargs):
    """Any address under ``/api/`` that no route matches: the one error shape, not the HTML 404 page."""
    return JsonResponse(error_body("not_found"), status=404)
