from django.conf import settings
from django.db import migrations, models


def create_people_table(apps, schema_editor):
    """Make the people-organisations table (``core_user_organisations``: ``user_id``,
    ``organisation_id``) when it is missing. A database made before core's squashed migration
    has it already, from core's old 0002 (the link was declared on the user then)."""
    Organisation = apps.get_model("organisations", "Organisation")
    through = Organisation._meta.get_field("people").remote_field.through
    existing = schema_editor.connection.introspection.table_names()
    if through._meta.db_table not in existing:
        schema_editor.create_model(through)


class Migration(migrations.Migration):
    """``Organisation.people``: the people who work for an organisation, declared by the
    organisations room (core knows no room), on the table core's migrations once made."""

    dependencies = [
        ("organisations", "0002_history_change_reason_text"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="organisation",
                    name="people",
                    field=models.ManyToManyField(
                        blank=True,
                        db_table="core_user_organisations",
                        help_text="The people who work for the organisation (partner members).",
                        related_name="organisations",
                        to=settings.AUTH_USER_MODEL,
                    ),
                )
            ],
        ),
        migrations.RunPython(create_people_table, migrations.RunPython.noop),
    ]
