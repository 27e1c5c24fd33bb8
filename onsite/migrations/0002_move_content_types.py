"""The content types of the moved models follow them to onsite, so that the permissions given to groups and users
(and the audit entries that point at these rows) keep working. On a fresh database there is nothing to move yet."""

from django.db import migrations

MOVED = {
    "registration": ("badge", "badgeprint", "badgebatch", "checkin", "revokedbadgetoken"),
    "sessions_app": ("attendance",),
}
NEW_LABEL = "onsite"


def move_content_types(apps, schema_editor, *, forward=True):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for old_label, models in MOVED.items():
        source, target = (old_label, NEW_LABEL) if forward else (NEW_LABEL, old_label)
        for model in models:
            old = ContentType.objects.using(db).filter(app_label=source, model=model).first()
            if old is None:
                continue
            # A row the post_migrate signal created for the target label meanwhile holds only default
            # permissions nobody was given yet: it gives way to the row that carries the assignments.
            ContentType.objects.using(db).filter(app_label=target, model=model).delete()
            old.app_label = target
            old.save(update_fields=["app_label"])
    ContentType.objects.clear_cache()


def move_back(apps, schema_editor):
    move_content_types(apps, schema_editor, forward=False)


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("onsite", "0001_initial"),
    ]

    operations = [migrations.RunPython(move_content_types, move_back)]
