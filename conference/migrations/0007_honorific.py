import django.db.models.deletion
from django.db import migrations, models

import conference.validators

# The defaults of conference.honorifics.DEFAULT_HONORIFICS as they stood when this migration was written (a
# migration keeps its own copy: later edits of the defaults must not change what it did).
DEFAULTS = {
    "mr": {"en": "Mr.", "fr": "M.", "ar": "السيد"},
    "ms": {"en": "Ms.", "fr": "Mme", "ar": "السيدة"},
    "dr": {"en": "Dr.", "fr": "Dr", "ar": "د."},
    "prof": {"en": "Prof.", "fr": "Pr", "ar": "أ. د."},
    "he": {"en": "H.E.", "fr": "S. E.", "ar": "سعادة"},
    "judge": {"en": "Judge", "fr": "Juge", "fr_male": "M. le juge", "fr_female": "Mme la juge",
              "ar": "القاضي", "ar_female": "القاضية"},
    "counsellor": {"en": "Counsellor", "fr": "Conseiller", "fr_female": "Conseillère",
                   "ar": "المستشار", "ar_female": "المستشارة"},
}


def seed_defaults(apps, schema_editor):
    Conference = apps.get_model("conference", "Conference")
    Honorific = apps.get_model("conference", "Honorific")
    Honorific.objects.bulk_create(
        [Honorific(conference=conference, code=code, **forms)
         for conference in Conference.objects.all() for code, forms in DEFAULTS.items()],
        ignore_conflicts=True,
    )


def _field(verbose_name, blank=True):
    return models.CharField(
        blank=blank, max_length=60, validators=[conference.validators.validate_single_line], verbose_name=verbose_name
    )


class Migration(migrations.Migration):

    dependencies = [
        ("conference", "0006_outgoing_email"),
    ]

    operations = [
        migrations.CreateModel(
            name="Honorific",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.CharField(
                    max_length=20, validators=[conference.validators.validate_single_line], verbose_name="title code"
                )),
                ("en", _field("English", blank=False)),
                ("en_male", _field("English, men")),
                ("en_female", _field("English, women")),
                ("fr", _field("French")),
                ("fr_male", _field("French, men")),
                ("fr_female", _field("French, women")),
                ("ar", _field("Arabic")),
                ("ar_male", _field("Arabic, men")),
                ("ar_female", _field("Arabic, women")),
                ("conference", models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE, related_name="honorifics",
                    to="conference.conference", verbose_name="conference",
                )),
            ],
            options={
                "verbose_name": "title",
                "verbose_name_plural": "titles",
                "ordering": ["conference", "code"],
                "constraints": [
                    models.UniqueConstraint(fields=("conference", "code"), name="honorific_unique_conference_code")
                ],
            },
        ),
        migrations.RunPython(seed_defaults, migrations.RunPython.noop),
    ]
