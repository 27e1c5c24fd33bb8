"""BilateralMeeting moves to cooperation: state only, the table stays."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('sessions_app', '0007_move_attendance_to_onsite'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The table stays (db_table in cooperation's model): only Django's state changes.
            state_operations=[
                migrations.DeleteModel(
                    name='BilateralMeeting',
                ),
            ],
            database_operations=[],
        ),
    ]
