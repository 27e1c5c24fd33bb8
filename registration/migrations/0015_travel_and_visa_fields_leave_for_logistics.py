"""The participant's travel, hotel and visa letter columns go, logistics.0001 having copied them into TravelPlan
and VisaLetter."""

from django.db import migrations

MOVED_FIELDS = (
    "arrival_date", "arrival_time", "arrival_flight", "arrival_airport",
    "departure_date", "departure_time", "departure_flight", "departure_airport",
    "transfer_needed", "hotel_needed", "room_sharing", "hotel_name",
    "needs_visa_letter", "visa_letter", "visa_letter_issued_at", "visa_letter_reference",
    "visa_letter_sent_at", "visa_letter_failed_at", "visa_letter_last_error",
)


class Migration(migrations.Migration):

    dependencies = [
        ("registration", "0014_travel_document_leaves_for_logistics"),
        ("logistics", "0001_initial"),
    ]

    operations = [
        *[migrations.RemoveField(model_name="participant", name=name) for name in MOVED_FIELDS],
    ]
