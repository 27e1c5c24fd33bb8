"""Attendance (door scans) moves to onsite: state only, the table stays."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('sessions_app', '0006_signup_promotion_failures'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay (db_table in onsite's models): only Django's state changes.
            state_operations=[
                migrations.DeleteModel(
                    name='Attendance',
                ),
            ],
            database_operations=[],
        ),
    ]
