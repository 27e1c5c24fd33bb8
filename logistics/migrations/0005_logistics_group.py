"""The "Logistics" group: every permission on logistics' models (travel, transfers, stay, allowances) as they are
at this migration, but none on the passport data (``TravelDocument``), which stays with the organizers who hold it.
Models added later add their permissions to the group in their own migration."""

from django.db import migrations

GROUP = "Logistics"


def create_group(apps, schema_editor):
    # Django creates permissions after all migrations ran; the group needs them now: the same rows, made here
    # (post_migrate then finds them there).
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    group, _created = Group.objects.get_or_create(name=GROUP)
    for model in apps.get_app_config("logistics").get_models():
        name = model._meta.model_name
        if name == "traveldocument":
            continue
        content_type, _created = ContentType.objects.get_or_create(app_label="logistics", model=name)
        for action in model._meta.default_permissions:
            permission, _created = Permission.objects.get_or_create(
                content_type=content_type, codename=f"{action}_{name}",
                defaults={"name": f"Can {action} {model._meta.verbose_name_raw}"},
            )
            group.permissions.add(permission)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("logistics", "0004_travel_itineraries_transfers"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
