"""Each award's running totals by financial year (AwardYear), kept by the funding services with
each payment and recovery; filled here from the rows already there."""

import django.db.models.deletion
from decimal import Decimal
from django.db import migrations, models


def financial_year(day):
    return day.year if day.month >= 4 else day.year - 1


def fill_years(apps, schema_editor):
    AwardYear = apps.get_model("funding", "AwardYear")
    Payment = apps.get_model("funding", "Payment")
    Recovery = apps.get_model("funding", "Recovery")
    years = {}

    def add(award_id, on, field, amount):
        key = (award_id, financial_year(on))
        row = years.setdefault(key, AwardYear(award_id=award_id, financial_year=key[1]))
        setattr(row, field, getattr(row, field) + amount)

    for award_id, on, amount in Payment.objects.values_list("award_id", "paid_on", "amount"):
        add(award_id, on, "paid_gross", amount)
    for award_id, kind, on, amount in Recovery.objects.values_list(
        "award_id", "kind", "on", "amount"
    ):
        add(award_id, on, "clawed" if kind == "clawback" else "withheld", amount)
    AwardYear.objects.bulk_create(years.values(), batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("funding", "0002_award_running_totals"),
    ]

    operations = [
        migrations.CreateModel(
            name="AwardYear",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("financial_year", models.PositiveSmallIntegerField()),
                (
                    "paid_gross",
                    models.DecimalField(decimal_places=2, default=Decimal("0.00"), max_digits=14),
                ),
                (
                    "clawed",
                    models.DecimalField(decimal_places=2, default=Decimal("0.00"), max_digits=14),
                ),
                (
                    "withheld",
                    models.DecimalField(decimal_places=2, default=Decimal("0.00"), max_digits=14),
                ),
                (
                    "award",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="years",
                        to="funding.award",
                    ),
                ),
            ],
            options={
                "ordering": ["award", "financial_year"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("award", "financial_year"), name="funding_award_year_once"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("clawed__gte", 0), ("paid_gross__gte", 0), ("withheld__gte", 0)
                        ),
                        name="funding_award_year_not_negative",
                    ),
                ],
            },
        ),
        migrations.RunPython(fill_years, migrations.RunPython.noop),
    ]
