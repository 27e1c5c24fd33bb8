"""cooperation's model, taken over from sessions_app with its table (state only, every row kept)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('conference', '0006_outgoing_email'),
        ('sessions_app', '0008_move_bilateral_meetings_to_cooperation'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The table stays (db_table in cooperation's model): only Django's state changes.
            state_operations=[
                migrations.CreateModel(
                    name='BilateralMeeting',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('topic', models.CharField(blank=True, max_length=300, verbose_name='topic')),
                        ('starts_at', models.DateTimeField(blank=True, null=True, verbose_name='starts')),
                        ('ends_at', models.DateTimeField(blank=True, null=True, verbose_name='ends')),
                        ('status', models.CharField(choices=[('requested', 'Requested'), ('accepted', 'Accepted'), ('declined', 'Declined'), ('cancelled', 'Cancelled')], default='requested', max_length=20, verbose_name='status')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                        ('conference', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='bilaterals', to='conference.conference', verbose_name='conference')),
                        ('invited', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='conference.delegation', verbose_name='invited delegation')),
                        ('requesting', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='conference.delegation', verbose_name='requesting delegation')),
                        ('room', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='sessions_app.room', verbose_name='room')),
                    ],
                    options={
                        'verbose_name': 'bilateral meeting',
                        'verbose_name_plural': 'bilateral meetings',
                        'db_table': 'sessions_app_bilateralmeeting',
                        'ordering': ['starts_at', 'id'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('requesting', models.F('invited')), _negated=True), name='bilateral_two_delegations'), models.CheckConstraint(condition=models.Q(('ends_at__isnull', True), ('starts_at__isnull', True), ('ends_at__gt', models.F('starts_at')), _connector='OR'), name='bilateral_ends_after_start')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
