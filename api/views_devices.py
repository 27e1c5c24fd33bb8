"""The device API: enrollment, the device's own settings, scans, the offline list and photo thumbnails.

Views validate the body (``serializers_devices``), call one service or selector, and answer; every error is in
the one JSON shape (``api/errors.py``).
"""

from __future__ import annotations

import io

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from PIL import Image
from rest_framework import exceptions
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from privacy.enums import ReadWhere, RetentionKind
from privacy.services.reads import record_read

from . import selectors, services
from .authentication import DeviceTokenAuthentication
from .permissions import IsDevice
from .schema import errors
from .serializers_devices import (
    DeviceSerializer,
    EnrollAnswerSerializer,
    EnrollRequestSerializer,
    OfflineListSerializer,
    OfflineQuerySerializer,
    ScanAnswerSerializer,
    ScanRequestSerializer,
)
from .throttling import AddressRateThrottle, DeviceRateThrottle

THUMBNAIL_SIDE = 160


def device_json(device) -> dict:
    return {
        "id": device.pk,
        "name": device.name,
        "conference": device.conference.slug,
        "points": {"desk": device.at_desk, "airport": device.at_airport, "hotel": device.at_hotel,
                   "doors": sorted(device.doors.values_list("pk", flat=True))},
        "shows_details": device.shows_details,
        "shows_photos": device.shows_photos,
    }


class DeviceView(APIView):
    authentication_classes = [DeviceTokenAuthentication]
    permission_classes = [IsDevice]
    throttle_classes = [DeviceRateThrottle]


class EnrollView(APIView):
    """Exchange the one-time code of the device's QR code for its bearer token."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [AddressRateThrottle]

    def get_authenticate_header(self, request):
        return 'Bearer realm="api"'  # a refused code is a 401, not a 403

    @extend_schema(request=EnrollRequestSerializer, auth=[],
                   responses={201: EnrollAnswerSerializer, **errors(400, 401, 429)}, operation_id="device_enroll")
    def post(self, request):
        body = EnrollRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            row, token = services.device_enroll(code=body.validated_data["code"],
                                                label=body.validated_data["label"])
        except services.Refused:
            raise exceptions.AuthenticationFailed() from None
        return Response({"token": token, "device": device_json(row.device)}, status=201)


class DeviceMeView(DeviceView):
    """The device this token belongs to: its name, conference and scan points."""

    @extend_schema(responses={200: DeviceSerializer, **errors(401, 429)}, operation_id="device_me")
    def get(self, request):
        return Response(device_json(request.auth.device))


class ScanView(DeviceView):
    """One badge scan: ``ok``, ``already`` (when and by whom) or a reason code. Send a scan made offline later
    with its original ``scanned_at``; resend with the same ``nonce`` when no answer came: it counts once."""

    @extend_schema(request=ScanRequestSerializer, responses={200: ScanAnswerSerializer, **errors(400, 401, 429)},
                   operation_id="device_scan")
    def post(self, request):
        token = request.auth
        body = ScanRequestSerializer(data=request.data, conference=token.device.conference)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        answer = services.device_scan(token, code=data["code"], nonce=data["nonce"], point=data["point"],
                                      scanned_at=data["scanned_at"], session_id=data["session"])
        return Response(answer)


class OfflineListView(DeviceView):
    """The approved participants this device may check in; with ``since``, only what changed after that version
    (and the ids to remove)."""

    @extend_schema(parameters=[OfflineQuerySerializer], responses={200: OfflineListSerializer, **errors(400, 401, 429)},
                   operation_id="device_participants")
    def get(self, request):
        query = OfflineQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        since = None
        if query.validated_data.get("since"):
            since = selectors.moment_of(query.validated_data["since"])
            if since is None:
                raise exceptions.ValidationError({"since": [_not_a_version()]})
        return Response(selectors.offline_list(request.auth.device, since=since))


def _not_a_version() -> str:
    return _("Not a version of this list: send the version of an earlier answer, or nothing.")


class PhotoView(DeviceView):
    """A participant's photo as a small thumbnail (JPEG), for a device that may see photos; each one is in the
    participant's read log."""

    @extend_schema(
        parameters=[OpenApiParameter("public_id", str, OpenApiParameter.PATH)],
        responses={(200, "image/jpeg"): OpenApiResponse(OpenApiTypes.BINARY), **errors(401, 404, 429)},
        operation_id="device_photo",
    )
    def get(self, request, public_id: str):
        device = request.auth.device
        participant = selectors.photo_participant(device, public_id)
        try:
            with participant.photo.open("rb") as source, Image.open(source) as image:
                image.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
                out = io.BytesIO()
                image.convert("RGB").save(out, format="JPEG", quality=80)
        except (OSError, ValueError):
            raise exceptions.NotFound() from None
        record_read(participant, reader=device.user, kind=RetentionKind.PHOTOS, what="photo", where=ReadWhere.DESK)
        response = HttpResponse(out.getvalue(), content_type="image/jpeg")
        response["Cache-Control"] = "private, max-age=3600"
        return response
