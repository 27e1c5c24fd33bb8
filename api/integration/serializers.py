"""What the integration API answers: one serializer per list, and the query filters each list accepts.

Times are ISO 8601 in UTC. Participants and delegations are named by their public id and code, never the
database id. The sensitive blocks (``passport``, ``bank_details``) are ``null`` unless the token's user holds the
class's permission and the participant gave the data; ``sensitive_included`` says which classes this token is
shown.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from conference.enums import DelegationKind
from onsite.enums import CheckInResult
from privacy.sensitive import BANK, PASSPORT
from registration.enums import ParticipantCategory, ParticipantStatus
from sessions_app.enums import SessionKind

from .selectors import related_row

# --- filters --------------------------------------------------------------------------------------------------


class UtcDateTimeField(serializers.DateTimeField):
    """An ISO 8601 time, taken in UTC; a time that UTC cannot hold (year 1 minus an offset, year 9999 plus one)
    is a 400 on the field, not a server error."""

    def to_internal_value(self, value):
        parsed = super().to_internal_value(value)
        try:
            return parsed.astimezone(datetime.UTC)
        except (OverflowError, ValueError) as error:
            raise serializers.ValidationError(_("This time is out of range.")) from error


class ParticipantFilter(serializers.Serializer):
    delegation = serializers.SlugField(required=False, help_text="A delegation's code")
    status = serializers.ChoiceField(choices=ParticipantStatus.choices, required=False)
    category = serializers.ChoiceField(choices=ParticipantCategory.choices, required=False)
    updated_since = UtcDateTimeField(required=False, help_text="Only the participants changed at or after this time")


class DelegationFilter(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DelegationKind.choices, required=False)
    updated_since = UtcDateTimeField(required=False, help_text="Only the delegations changed at or after this time")


class SessionFilter(serializers.Serializer):
    kind = serializers.ChoiceField(choices=SessionKind.choices, required=False)
    updated_since = UtcDateTimeField(required=False, help_text="Only the sessions changed at or after this time")


class CheckInFilter(serializers.Serializer):
    delegation = serializers.SlugField(required=False, help_text="A delegation's code")
    result = serializers.ChoiceField(choices=CheckInResult.choices, required=False)
    since = UtcDateTimeField(required=False, help_text="Only the scans received at or after this time")


# --- answers --------------------------------------------------------------------------------------------------


class UtcField(serializers.DateTimeField):
    """A stored time, answered in UTC (``…Z``) whatever the request's zone: clients convert."""

    def __init__(self, **kwargs):
        super().__init__(default_timezone=datetime.UTC, **kwargs)


class PassportSerializer(serializers.Serializer):
    number = serializers.CharField(source="passport_number")
    expiry = serializers.DateField(source="passport_expiry", allow_null=True)
    issuing_country = serializers.CharField(allow_blank=True)
    date_of_birth = serializers.DateField(allow_null=True)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["issuing_country"] = instance.issuing_country.code or ""
        return data


class BankDetailsSerializer(serializers.Serializer):
    account_holder = serializers.CharField()
    bank_name = serializers.CharField()
    iban = serializers.CharField()
    swift_bic = serializers.CharField(allow_blank=True)


class ParticipantSerializer(serializers.Serializer):
    id = serializers.CharField(source="public_id", help_text="The participant's public identifier")
    delegation = serializers.CharField(source="delegation.code", allow_null=True, help_text="The delegation's code")
    delegation_name = serializers.SerializerMethodField()
    category = serializers.ChoiceField(choices=ParticipantCategory.choices)
    status = serializers.ChoiceField(choices=ParticipantStatus.choices)
    title = serializers.CharField(allow_blank=True)
    first_name = serializers.CharField(allow_blank=True)
    last_name = serializers.CharField(allow_blank=True)
    badge_name = serializers.CharField(allow_blank=True)
    badge_name_ar = serializers.CharField(allow_blank=True)
    gender = serializers.CharField(allow_blank=True)
    position = serializers.CharField(allow_blank=True)
    organization = serializers.CharField(allow_blank=True)
    email = serializers.EmailField()
    phone = serializers.CharField(allow_blank=True)
    nationality = serializers.SerializerMethodField()
    preferred_language = serializers.CharField()
    checked_in_at = UtcField(allow_null=True)
    updated_at = UtcField()
    sensitive_included = serializers.SerializerMethodField()
    passport = serializers.SerializerMethodField()
    bank_details = serializers.SerializerMethodField()

    def _sensitive(self) -> frozenset[str]:
        return self.context.get("sensitive", frozenset())

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_delegation_name(self, row) -> str | None:
        return row.delegation.display_name() if row.delegation_id else None

    @extend_schema_field(serializers.CharField(allow_blank=True, help_text="ISO 3166 code"))
    def get_nationality(self, row) -> str:
        return row.nationality.code or ""

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=[PASSPORT, BANK])))
    def get_sensitive_included(self, row) -> list[str]:
        return sorted(self._sensitive())

    @extend_schema_field(PassportSerializer(allow_null=True))
    def get_passport(self, row):
        document = related_row(row, "travel_document") if PASSPORT in self._sensitive() else None
        return PassportSerializer(document).data if document is not None else None

    @extend_schema_field(BankDetailsSerializer(allow_null=True))
    def get_bank_details(self, row):
        details = related_row(row, "bank_details") if BANK in self._sensitive() else None
        return BankDetailsSerializer(details).data if details is not None else None


class DelegationSerializer(serializers.Serializer):
    code = serializers.CharField()
    kind = serializers.ChoiceField(choices=DelegationKind.choices)
    name = serializers.SerializerMethodField()
    country = serializers.SerializerMethodField()
    organization = serializers.CharField(allow_blank=True)
    seat_quota = serializers.IntegerField()
    head = serializers.CharField(source="head.public_id", allow_null=True, help_text="The head's public identifier")
    approved_members = serializers.IntegerField(source="approved_count")
    updated_at = UtcField()

    def get_name(self, row) -> str:
        return row.display_name()

    @extend_schema_field(serializers.CharField(allow_blank=True, help_text="ISO 3166 code"))
    def get_country(self, row) -> str:
        return row.country.code or ""


class SessionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=SessionKind.choices)
    title = serializers.CharField()
    title_fr = serializers.CharField(allow_blank=True)
    title_ar = serializers.CharField(allow_blank=True)
    starts_at = UtcField()
    ends_at = UtcField()
    room = serializers.CharField(source="room.name", allow_null=True)
    capacity = serializers.IntegerField(allow_null=True)
    signup_required = serializers.BooleanField()
    is_public = serializers.BooleanField()
    interpretation_languages = serializers.ListField(child=serializers.CharField())
    updated_at = UtcField()


class CheckInSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    participant = serializers.CharField(source="participant.public_id", allow_null=True,
                                        help_text="The participant's public identifier (null: an unknown code)")
    delegation = serializers.CharField(source="participant.delegation.code", allow_null=True)
    result = serializers.ChoiceField(choices=CheckInResult.choices)
    scanned_at = UtcField(help_text="When the device scanned")
    received_at = UtcField(help_text="When the server received the scan")
    device = serializers.CharField(allow_blank=True)
