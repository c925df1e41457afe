import pytest
from django.core.management import call_command

from partnering.assurance.models import Review

pytestmark = pytest.mark.django_db


def test_demo_reviews_north_yorkshire_amber_red_with_shrinking_membership(capsys):
    call_command("load_demo")
    call_command("load_demo")  # idempotent
    ny = Review.objects.get(partnership__slug="north-yorkshire-ict-partnership")
    assert (ny.gate, ny.rating, ny.starts_on.year) == (0, "amber_red", 2003)
    assert ny.findings.filter(text__icontains="membership has shrunk").exists()
    assert ny.recommendations.count() == 4
    worcs = Review.objects.filter(partnership__slug="worcestershire-partnership")
    assert sorted(worcs.values_list("gate", flat=True)) == [0, 1]
    assert all(r.is_demo for r in Review.objects.all())

    from partnering.assurance.models import Risk

    ny_risks = Risk.objects.filter(register__partnership__slug="north-yorkshire-ict-partnership")
    assert ny_risks.count() == 12
    assert ny_risks.filter(is_escalated=True).exists()
    assert ny_risks.get(number=1).scores.count() >= 3  # a trend
    assert ny_risks.filter(acceptances__isnull=False).exists()
    assert Risk.objects.exclude(
        register__partnership__slug__in=[
            "north-yorkshire-ict-partnership",
            "worcestershire-partnership",
        ]
    ).exists()
