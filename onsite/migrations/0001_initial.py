"""onsite's models, taken over from registration and sessions_app with their tables (state only, every row kept)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('conference', '0006_outgoing_email'),
        ('registration', '0012_move_badges_checkins_to_onsite'),
        ('sessions_app', '0007_move_attendance_to_onsite'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay (db_table in onsite's models): only Django's state changes.
            state_operations=[
                migrations.CreateModel(
                    name='Badge',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('token', models.CharField(max_length=64, unique=True)),
                        ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='revoked')),
                        ('printed_count', models.PositiveIntegerField(default=0, verbose_name='times printed')),
                        ('last_printed_at', models.DateTimeField(blank=True, null=True, verbose_name='last printed')),
                        ('cached_pdf', models.FileField(blank=True, upload_to='badges/single/')),
                        ('cached_for', models.CharField(blank=True, help_text='Fingerprint of the data the cache shows', max_length=64)),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                        ('participant', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='badge', to='registration.participant', verbose_name='participant')),
                    ],
                    options={
                        'verbose_name': 'badge',
                        'verbose_name_plural': 'badges',
                        'db_table': 'registration_badge',
                    },
                ),
                migrations.CreateModel(
                    name='BadgeBatch',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('participant_ids', models.JSONField(blank=True, default=list)),
                        ('layout', models.CharField(default='single', max_length=20, verbose_name='layout')),
                        ('status', models.CharField(choices=[('queued', 'Queued'), ('running', 'Rendering'), ('done', 'Done'), ('failed', 'Failed')], default='queued', max_length=20, verbose_name='status')),
                        ('total', models.PositiveIntegerField(default=0, verbose_name='total')),
                        ('done', models.PositiveIntegerField(default=0, verbose_name='done')),
                        ('file', models.FileField(blank=True, upload_to='badges/batches/', verbose_name='file')),
                        ('error', models.TextField(blank=True, verbose_name='error')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                        ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='finished')),
                        ('heartbeat_at', models.DateTimeField(blank=True, null=True, verbose_name='last sign of life')),
                        ('conference', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='badge_batches', to='conference.conference', verbose_name='conference')),
                        ('delegation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='conference.delegation', verbose_name='delegation')),
                        ('requested_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='requested by')),
                    ],
                    options={
                        'verbose_name': 'badge batch',
                        'verbose_name_plural': 'badge batches',
                        'db_table': 'registration_badgebatch',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='BadgePrint',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('printed_at', models.DateTimeField(auto_now_add=True, verbose_name='printed')),
                        ('is_reprint', models.BooleanField(default=False, verbose_name='reprint')),
                        ('reason', models.CharField(blank=True, max_length=300, verbose_name='reprint reason')),
                        ('badge', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='prints', to='onsite.badge', verbose_name='badge')),
                        ('batch', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='onsite.badgebatch', verbose_name='batch')),
                        ('printed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='printed by')),
                    ],
                    options={
                        'verbose_name': 'badge print',
                        'verbose_name_plural': 'badge prints',
                        'db_table': 'registration_badgeprint',
                        'ordering': ['-printed_at'],
                    },
                ),
                migrations.CreateModel(
                    name='CheckIn',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('client_id', models.CharField(max_length=64, unique=True)),
                        ('result', models.CharField(choices=[('ok', 'Checked in'), ('already', 'Already checked in'), ('invalid', 'Invalid code'), ('revoked', 'Badge revoked'), ('not_approved', 'Not approved'), ('other_conference', 'Another conference')], max_length=20, verbose_name='result')),
                        ('scanned_at', models.DateTimeField(help_text='When the device scanned (may be earlier than received)', verbose_name='scanned')),
                        ('received_at', models.DateTimeField(auto_now_add=True, verbose_name='received')),
                        ('device', models.CharField(blank=True, max_length=60, verbose_name='device')),
                        ('conference', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='scans', to='conference.conference', verbose_name='conference')),
                        ('participant', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='scans', to='registration.participant', verbose_name='participant')),
                        ('scanned_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='scanned by')),
                    ],
                    options={
                        'verbose_name': 'scan',
                        'verbose_name_plural': 'scans',
                        'db_table': 'registration_checkin',
                        'ordering': ['-received_at'],
                    },
                ),
                migrations.CreateModel(
                    name='RevokedBadgeToken',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('token', models.CharField(max_length=64, unique=True)),
                        ('revoked_at', models.DateTimeField(auto_now_add=True, verbose_name='revoked')),
                        ('reason', models.CharField(blank=True, max_length=300, verbose_name='reason')),
                        ('badge', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='revoked_tokens', to='onsite.badge', verbose_name='badge')),
                        ('revoked_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='revoked by')),
                    ],
                    options={
                        'verbose_name': 'revoked badge token',
                        'verbose_name_plural': 'revoked badge tokens',
                        'db_table': 'registration_revokedbadgetoken',
                    },
                ),
                migrations.CreateModel(
                    name='Attendance',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('client_id', models.CharField(max_length=64, unique=True)),
                        ('scanned_at', models.DateTimeField(verbose_name='scanned')),
                        ('participant', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attendance', to='registration.participant', verbose_name='participant')),
                        ('scanned_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='scanned by')),
                        ('session', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attendance', to='sessions_app.session', verbose_name='session')),
                    ],
                    options={
                        'verbose_name': 'attendance',
                        'verbose_name_plural': 'attendance',
                        'db_table': 'sessions_app_attendance',
                        'constraints': [models.UniqueConstraint(fields=('session', 'participant'), name='attendance_once_per_session')],
                    },
                ),
                migrations.AddConstraint(
                    model_name='badgebatch',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'done'), _negated=True), models.Q(('file', ''), _negated=True), _connector='OR'), name='batch_done_has_file'),
                ),
                migrations.AddConstraint(
                    model_name='badgeprint',
                    constraint=models.CheckConstraint(condition=models.Q(('is_reprint', False), models.Q(('reason', ''), _negated=True), _connector='OR'), name='reprint_has_reason'),
                ),
                migrations.AddConstraint(
                    model_name='checkin',
                    constraint=models.UniqueConstraint(condition=models.Q(('result', 'ok')), fields=('participant',), name='checkin_once_per_participant'),
                ),
            ],
            database_operations=[],
        ),
    ]
