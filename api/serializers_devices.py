"""The device API's request and answer bodies (validation here; the writes in ``services``)."""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from onsite.services.checkin import scan_time_refusal

from .models import ScanPoint

NONCE = re.compile(r"^[A-Za-z0-9._:\-]{1,48}$")


class EnrollRequestSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=80, help_text="The one-time enrollment code from the QR code")
    label = serializers.CharField(max_length=80, required=False, allow_blank=True, default="",
                                  help_text="What the device calls itself (shown to the organizers)")


class DevicePointsSerializer(serializers.Serializer):
    desk = serializers.BooleanField()
    airport = serializers.BooleanField()
    hotel = serializers.BooleanField()
    doors = serializers.ListField(child=serializers.IntegerField(), help_text="Session ids")


class DeviceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    conference = serializers.CharField(help_text="The conference's slug")
    points = DevicePointsSerializer()
    shows_details = serializers.BooleanField()
    shows_photos = serializers.BooleanField()


class EnrollAnswerSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="The device's bearer token: shown once, keep it")
    device = DeviceSerializer()


class ScanRequestSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=200, help_text="The badge's QR text")
    nonce = serializers.CharField(
        max_length=48, help_text="Made by the device for this scan (letters, digits . _ : -); a resend reuses it"
    )
    scanned_at = serializers.DateTimeField(help_text="The device's time of the scan (ISO 8601 with its offset)")
    point = serializers.ChoiceField(choices=ScanPoint.choices)
    session = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1,
                                       help_text="For point=door: the session's id")

    def __init__(self, *args, conference=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.conference = conference

    def validate_nonce(self, value: str) -> str:
        if not NONCE.match(value):
            raise serializers.ValidationError(_("Use 1 to 48 letters, digits, dots, colons, dashes or underscores."))
        return value

    def validate_scanned_at(self, value):
        refusal = scan_time_refusal(self.conference, value) if self.conference is not None else None
        if refusal:
            raise serializers.ValidationError(refusal)
        return value

    def validate(self, attrs):
        if attrs["point"] == ScanPoint.DOOR and attrs.get("session") is None:
            raise serializers.ValidationError({"session": [_("Give the session of this door.")]})
        return attrs


class ParticipantSummarySerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    name_ar = serializers.CharField(allow_blank=True)
    delegation = serializers.CharField(allow_blank=True)
    delegation_code = serializers.CharField(allow_blank=True)
    category = serializers.CharField()
    category_label = serializers.CharField()
    photo_url = serializers.CharField(allow_null=True, help_text="The thumbnail's address (this device's token)")


class AlreadySerializer(serializers.Serializer):
    at = serializers.DateTimeField(allow_null=True)
    by = serializers.CharField(allow_blank=True, help_text="The staff member or the device")


class TransferSerializer(serializers.Serializer):
    run = serializers.CharField()
    state = serializers.CharField()


class HotelSerializer(serializers.Serializer):
    name = serializers.CharField()
    check_in = serializers.DateField()
    check_out = serializers.DateField()


RESULTS = ["ok", "already", "unknown", "revoked", "cancelled", "not_approved", "other_conference",
           "not_allowed_here"]


class ScanAnswerSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=RESULTS)
    message = serializers.CharField()
    duplicate = serializers.BooleanField(help_text="True when this nonce was already received: the first answer")
    point = serializers.ChoiceField(choices=ScanPoint.choices)
    session = serializers.IntegerField(allow_null=True)
    scanned_at = serializers.DateTimeField(help_text="The time recorded for this scan")
    already = AlreadySerializer(allow_null=True)
    participant = ParticipantSummarySerializer(allow_null=True)
    transfer = TransferSerializer(allow_null=True, required=False, help_text="Airport: the inbound transfer seat")
    hotel = HotelSerializer(allow_null=True, required=False, help_text="Hotel: the participant's booking")


class OfflineParticipantSerializer(serializers.Serializer):
    id = serializers.CharField()
    code_sha256 = serializers.CharField(help_text="SHA-256 (hex) of the badge's QR text")
    checked_in_at = serializers.DateTimeField(allow_null=True)
    name = serializers.CharField(required=False)
    name_ar = serializers.CharField(required=False, allow_blank=True)
    delegation = serializers.CharField(required=False, allow_blank=True)
    delegation_code = serializers.CharField(required=False, allow_blank=True)
    category = serializers.CharField(required=False)
    category_label = serializers.CharField(required=False)
    photo_url = serializers.CharField(required=False, allow_null=True)


class OfflineListSerializer(serializers.Serializer):
    version = serializers.CharField(help_text="Send it back as ?since= for the changes after this list")
    full = serializers.BooleanField(help_text="True: the whole list (no since); false: only the changes")
    participants = OfflineParticipantSerializer(many=True, help_text="Added or changed (upsert by id)")
    removed = serializers.ListField(child=serializers.CharField(), help_text="Ids no longer to check in")


class OfflineQuerySerializer(serializers.Serializer):
    since = serializers.CharField(required=False, max_length=20, help_text="A version from an earlier list")
