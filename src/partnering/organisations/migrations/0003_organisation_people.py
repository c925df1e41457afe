from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """Take over ``User.organisations`` from core as ``Organisation.people`` on the same table
    (``core_user_organisations``, columns ``user_id`` and ``organisation_id``): state only."""

    dependencies = [
        ("organisations", "0002_history_change_reason_text"),
        ("core", "0005_user_organisations_moved"),
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
        )
    ]
