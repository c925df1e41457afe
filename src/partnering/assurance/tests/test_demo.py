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


def test_every_demo_pathfinder_has_a_risk_register():
    """Issue 10 part 7: the named partnerships have full registers, every other pathfinder a
    lighter one. The demo once stopped at the first 20 of 22 other pathfinders by name."""
    from partnering.assurance.models import Risk
    from partnering.partnerships.models import Partnership

    call_command("load_demo")
    pathfinders = set(Partnership.objects.filter(is_pathfinder=True).values_list("name", flat=True))
    assert len(pathfinders) > 22
    with_risks = set(
        Risk.objects.filter(register__partnership__is_pathfinder=True).values_list(
            "register__partnership__name", flat=True
        )
    )
    assert sorted(pathfinders - with_risks) == []
