from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

from registration.migration_operations import AddIndexOnPostgreSQL, search_name_index


def backfill_search_name(apps, schema_editor):
    """Every participant's ``search_name`` from its names, by the one normalizer, in batches."""
    from registration.search import participant_search_text

    Participant = apps.get_model("registration", "Participant")
    rows = Participant.objects.only("id", "first_name", "last_name", "badge_name", "badge_name_ar").order_by("id")
    batch = []
    for participant in rows.iterator(chunk_size=2000):
        participant.search_name = participant_search_text(participant)
        batch.append(participant)
        if len(batch) == 2000:
            Participant.objects.bulk_update(batch, ["search_name"])
            batch = []
    if batch:
        Participant.objects.bulk_update(batch, ["search_name"])


class Migration(migrations.Migration):

    dependencies = [
        ("registration", "0017_questions"),
    ]

    operations = [
        migrations.AddField(
            model_name="participant",
            name="search_name",
            field=models.CharField(
                blank=True, default="", editable=False, max_length=600, verbose_name="names for search"
            ),
        ),
        migrations.RunPython(backfill_search_name, migrations.RunPython.noop, elidable=True),
        TrigramExtension(),
        AddIndexOnPostgreSQL("participant", search_name_index()),
    ]
