"""TravelDocument leaves for logistics: state only, the table stays and logistics.0001 takes it over."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("registration", "0013_participant_visa_letter_sent_marker"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="TravelDocument")],
            database_operations=[],
        ),
    ]
