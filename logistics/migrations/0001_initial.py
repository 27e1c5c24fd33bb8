"""TravelDocument moves here from registration (state only: the table keeps its name, db_table); TravelPlan and
VisaLetter are new tables that receive the participant's travel, hotel and visa letter fields, copied row by row
before registration.0015 removes the columns (VisaLetter's reverse name ``visa_letter`` is given in 0002, once
the participant's field of that name is gone). The content type of TravelDocument follows it, so the groups and users
who hold the passport permission keep it (now ``logistics.view_traveldocument``)."""

import django.db.models.deletion
import django_countries.fields
from django.db import migrations, models

import logistics.models

TRAVEL_FIELDS = (
    "arrival_date", "arrival_time", "arrival_flight", "arrival_airport",
    "departure_date", "departure_time", "departure_flight", "departure_airport",
    "transfer_needed", "hotel_needed", "room_sharing", "hotel_name",
)
VISA_FIELDS = {  # on the participant → on VisaLetter
    "needs_visa_letter": "requested",
    "visa_letter": "file",
    "visa_letter_issued_at": "issued_at",
    "visa_letter_reference": "reference",
    "visa_letter_sent_at": "sent_at",
    "visa_letter_failed_at": "failed_at",
    "visa_letter_last_error": "last_error",
}


def copy_rows(apps, schema_editor):
    Participant = apps.get_model("registration", "Participant")
    TravelPlan = apps.get_model("logistics", "TravelPlan")
    VisaLetter = apps.get_model("logistics", "VisaLetter")
    db = schema_editor.connection.alias
    plans, letters = [], []
    rows = Participant.objects.using(db).values("pk", *TRAVEL_FIELDS, *VISA_FIELDS).order_by("pk")
    for row in rows.iterator(chunk_size=2000):
        plan = {name: row[name] for name in TRAVEL_FIELDS}
        if any(value not in (None, "", False) for value in plan.values()):
            plans.append(TravelPlan(participant_id=row["pk"], **plan))
        letter = {new: row[old] for old, new in VISA_FIELDS.items()}
        if any(value not in (None, "", False) for value in letter.values()):
            letters.append(VisaLetter(participant_id=row["pk"], **letter))
    TravelPlan.objects.using(db).bulk_create(plans, batch_size=1000)
    VisaLetter.objects.using(db).bulk_create(letters, batch_size=1000)


def copy_rows_back(apps, schema_editor):
    Participant = apps.get_model("registration", "Participant")
    TravelPlan = apps.get_model("logistics", "TravelPlan")
    VisaLetter = apps.get_model("logistics", "VisaLetter")
    db = schema_editor.connection.alias
    for plan in TravelPlan.objects.using(db).iterator():
        Participant.objects.using(db).filter(pk=plan.participant_id).update(
            **{name: getattr(plan, name) for name in TRAVEL_FIELDS})
    for letter in VisaLetter.objects.using(db).iterator():
        Participant.objects.using(db).filter(pk=letter.participant_id).update(
            **{old: getattr(letter, new) for old, new in VISA_FIELDS.items()})


def move_content_type(apps, schema_editor, *, forward=True):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    source, target = ("registration", "logistics") if forward else ("logistics", "registration")
    old = ContentType.objects.using(db).filter(app_label=source, model="traveldocument").first()
    if old is not None:
        # A row post_migrate made for the new label meanwhile holds only default permissions nobody was given.
        ContentType.objects.using(db).filter(app_label=target, model="traveldocument").delete()
        old.app_label = target
        old.save(update_fields=["app_label"])
    ContentType.objects.clear_cache()


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, forward=False)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("registration", "0014_travel_document_leaves_for_logistics"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="TravelDocument",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("passport_number", models.CharField(blank=True, max_length=40, verbose_name="passport number")),
                        ("passport_expiry", models.DateField(blank=True, null=True, verbose_name="passport expiry")),
                        ("issuing_country", django_countries.fields.CountryField(blank=True, max_length=2, verbose_name="issuing country")),
                        ("purged_at", models.DateTimeField(blank=True, null=True, verbose_name="purged")),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                        ("participant", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="travel_document", to="registration.participant", verbose_name="participant")),
                    ],
                    options={
                        "verbose_name": "travel document",
                        "verbose_name_plural": "travel documents",
                        "db_table": "registration_traveldocument",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.CreateModel(
            name="TravelPlan",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("arrival_date", models.DateField(blank=True, null=True, verbose_name="arrival date")),
                ("arrival_time", models.TimeField(blank=True, null=True, verbose_name="arrival time")),
                ("arrival_flight", models.CharField(blank=True, max_length=20, verbose_name="arrival flight")),
                ("arrival_airport", models.CharField(blank=True, max_length=10, verbose_name="arrival airport")),
                ("departure_date", models.DateField(blank=True, null=True, verbose_name="departure date")),
                ("departure_time", models.TimeField(blank=True, null=True, verbose_name="departure time")),
                ("departure_flight", models.CharField(blank=True, max_length=20, verbose_name="departure flight")),
                ("departure_airport", models.CharField(blank=True, max_length=10, verbose_name="departure airport")),
                ("transfer_needed", models.BooleanField(default=False, verbose_name="airport transfer needed")),
                ("hotel_needed", models.BooleanField(default=False, verbose_name="hotel room needed")),
                ("room_sharing", models.CharField(blank=True, choices=[("single", "Single room"), ("shared", "Willing to share")], max_length=20, verbose_name="room")),
                ("hotel_name", models.CharField(blank=True, max_length=200, verbose_name="hotel")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                ("participant", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="travel_plan", to="registration.participant", verbose_name="participant")),
            ],
            options={
                "verbose_name": "travel and hotel",
                "verbose_name_plural": "travel and hotel",
            },
        ),
        migrations.CreateModel(
            name="VisaLetter",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("requested", models.BooleanField(default=False, verbose_name="needs a visa support letter")),
                ("file", models.FileField(blank=True, upload_to=logistics.models.visa_letter_path, verbose_name="visa letter")),
                ("issued_at", models.DateTimeField(blank=True, null=True, verbose_name="visa letter issued")),
                ("reference", models.CharField(blank=True, max_length=60, verbose_name="visa letter reference")),
                ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="visa letter sent")),
                ("failed_at", models.DateTimeField(blank=True, null=True, verbose_name="visa letter sending failed")),
                ("last_error", models.TextField(blank=True, verbose_name="last visa letter sending error")),
                ("participant", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="registration.participant", verbose_name="participant")),
            ],
            options={
                "verbose_name": "visa support letter",
                "verbose_name_plural": "visa support letters",
            },
        ),
        migrations.RunPython(copy_rows, copy_rows_back),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
