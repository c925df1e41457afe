"""Each council's e-enablement tally (EEnablementTally), kept by the funding services with each
record written; filled here from the records already there."""

import django.db.models.deletion
from django.db import migrations, models

from partnering.funding.maths.progress import tallies


def fill_tallies(apps, schema_editor):
    EEnablement = apps.get_model("funding", "EEnablement")
    EEnablementTally = apps.get_model("funding", "EEnablementTally")
    rows = EEnablement.objects.values_list(
        "organisation_id", "e_enabled_on", "route", "is_illustrative"
    )
    EEnablementTally.objects.bulk_create(
        [
            EEnablementTally(
                organisation_id=k, by_year=by_year, by_route=by_route, illustrative=shown
            )
            for k, (by_year, by_route, shown) in tallies(rows.iterator()).items()
        ],
        batch_size=1000,
    )


class Migration(migrations.Migration):

    dependencies = [
        ('funding', '0003_award_years_running_totals'),
        ('organisations', '0004_organisation_list_order'),
    ]

    operations = [
        migrations.CreateModel(
            name='EEnablementTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('by_year', models.JSONField(default=dict)),
                ('by_route', models.JSONField(default=dict)),
                ('illustrative', models.PositiveIntegerField(default=0)),
                ('organisation', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='e_enablement_tally', to='organisations.organisation')),
            ],
        ),
        migrations.RunPython(fill_tallies, migrations.RunPython.noop),
    ]
