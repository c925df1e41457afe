"""Running totals on each award (paid, clawed back, withheld), kept by the funding services in
the same transaction as each payment and recovery; filled here from the rows already there."""

from decimal import Decimal

from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce


def fill_totals(apps, schema_editor):
    Award = apps.get_model("funding", "Award")
    Payment = apps.get_model("funding", "Payment")
    Recovery = apps.get_model("funding", "Recovery")

    def sum_of(qs):
        return Coalesce(
            Subquery(
                qs.filter(award=OuterRef("pk"))
                .values("award")
                .annotate(s=Sum("amount"))
                .values("s")
            ),
            Decimal("0.00"),
        )

    Award.objects.update(
        paid_gross=sum_of(Payment.objects.all()),
        clawed=sum_of(Recovery.objects.filter(kind="clawback")),
        withheld=sum_of(Recovery.objects.filter(kind="withhold")),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("funding", "0001_initial"),
        ("organisations", "0004_organisation_list_order"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="award",
            name="clawed",
            field=models.DecimalField(
                decimal_places=2,
                default=Decimal("0.00"),
                help_text="Sum clawed back",
                max_digits=14,
            ),
        ),
        migrations.AddField(
            model_name="award",
            name="paid_gross",
            field=models.DecimalField(
                decimal_places=2,
                default=Decimal("0.00"),
                help_text="Sum of the payments (before clawback)",
                max_digits=14,
            ),
        ),
        migrations.AddField(
            model_name="award",
            name="withheld",
            field=models.DecimalField(
                decimal_places=2, default=Decimal("0.00"), help_text="Sum withheld", max_digits=14
            ),
        ),
        migrations.RunPython(fill_totals, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="award",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("clawed__gte", 0), ("paid_gross__gte", 0), ("withheld__gte", 0)
                ),
                name="funding_award_totals_not_negative",
            ),
        ),
    ]
