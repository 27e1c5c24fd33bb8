"""Badge, BadgePrint, BadgeBatch, CheckIn and RevokedBadgeToken move to onsite: state only, the tables stay."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('registration', '0011_invitation_send_attempts'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay (db_table in onsite's models): only Django's state changes.
            state_operations=[
                migrations.RemoveField(
                    model_name='badgeprint',
                    name='badge',
                ),
                migrations.RemoveField(
                    model_name='revokedbadgetoken',
                    name='badge',
                ),
                migrations.RemoveField(
                    model_name='badgebatch',
                    name='conference',
                ),
                migrations.RemoveField(
                    model_name='badgebatch',
                    name='delegation',
                ),
                migrations.RemoveField(
                    model_name='badgebatch',
                    name='requested_by',
                ),
                migrations.RemoveField(
                    model_name='badgeprint',
                    name='batch',
                ),
                migrations.RemoveField(
                    model_name='badgeprint',
                    name='printed_by',
                ),
                migrations.RemoveField(
                    model_name='checkin',
                    name='conference',
                ),
                migrations.RemoveField(
                    model_name='checkin',
                    name='participant',
                ),
                migrations.RemoveField(
                    model_name='checkin',
                    name='scanned_by',
                ),
                migrations.RemoveField(
                    model_name='revokedbadgetoken',
                    name='revoked_by',
                ),
                migrations.DeleteModel(
                    name='Badge',
                ),
                migrations.DeleteModel(
                    name='BadgeBatch',
                ),
                migrations.DeleteModel(
                    name='BadgePrint',
                ),
                migrations.DeleteModel(
                    name='CheckIn',
                ),
                migrations.DeleteModel(
                    name='RevokedBadgeToken',
                ),
            ],
            database_operations=[],
        ),
    ]
