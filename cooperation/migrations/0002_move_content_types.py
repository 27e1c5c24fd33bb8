"""The content type of BilateralMeeting follows it to cooperation (permissions and audit entries keep pointing at
it). On a fresh database there is nothing to move yet."""

from django.db import migrations


def move(apps, schema_editor, *, source="sessions_app", target="cooperation"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    old = ContentType.objects.using(db).filter(app_label=source, model="bilateralmeeting").first()
    if old is not None:
        # A row post_migrate created for the target label meanwhile carries no assignment yet: it gives way.
        ContentType.objects.using(db).filter(app_label=target, model="bilateralmeeting").delete()
        old.app_label = target
        old.save(update_fields=["app_label"])
    ContentType.objects.clear_cache()


def move_back(apps, schema_editor):
    move(apps, schema_editor, source="cooperation", target="sessions_app")


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("cooperation", "0001_initial"),
    ]

    operations = [migrations.RunPython(move, move_back)]
