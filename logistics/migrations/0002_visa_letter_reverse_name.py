"""``participant.visa_letter`` names the VisaLetter row now that registration.0015 removed the field of that name."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("logistics", "0001_initial"),
        ("registration", "0015_travel_and_visa_fields_leave_for_logistics"),
    ]

    operations = [
        migrations.AlterField(
            model_name="visaletter",
            name="participant",
            field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="visa_letter", to="registration.participant", verbose_name="participant"),
        ),
    ]
