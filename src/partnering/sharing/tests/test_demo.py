"""The demo: North Yorkshire's population split leaves the four councils who left first outside the core."""

import pytest
from django.core.management import call_command

from partnering.sharing.models import CostModel, ShareAgreement

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_loaded():
    from partnering.organisations import demo as organisations_demo
    from partnering.partnerships import demo as partnerships_demo
    from partnering.sharing import demo

    call_command("import_organisations", no_progress=True, verbosity=0)
    organisations_demo.load()
    partnerships_demo.load()
    return demo


def test_demo_tells_the_north_yorkshire_story_and_is_idempotent(demo_loaded):
    summary = demo_loaded.load()
    assert "North Yorkshire: 12 versions" in summary
    versions = CostModel.objects.filter(
        partnership__slug="north-yorkshire-ict-partnership"
    ).order_by("version")
    first = versions[0]
    assert first.members.count() == 9 and first.is_illustrative
    agreement = ShareAgreement.objects.get(cost_model=first)
    assert agreement.method == "proportional" and not agreement.in_core
    assert sorted(agreement.worst_coalition) == ["Craven", "Harrogate", "Scarborough", "Selby"]
    assert first.calculation.core["shapley"]["in_core"]
    changes = [
        (v.change_kind, v.change_organisation.short_name if v.change_organisation else "")
        for v in versions[1:]
    ]
    assert changes == [("left", "Selby"), ("left", "Harrogate"), ("left", "Craven"), ("left", "Scarborough"),
                       ("left", "Ryedale"), ("left", "Richmondshire"), ("left", "York"), ("joined", "Agilisys"),
                       # 31 March 2023 the county and Hambleton abolished; 1 April their successor
                       ("left", "Hambleton"), ("left", "North Yorkshire"), ("joined", "North Yorkshire")]  # fmt: skip
    # Since April 2023: the successor council and the private partner, each with figures.
    last = versions.last()
    assert sorted(m.organisation.name for m in last.members.all()) == [
        "Agilisys", "North Yorkshire Council"
    ]  # fmt: skip
    assert last.calculation.is_done
    assert CostModel.objects.filter(partnership__slug="worcestershire-partnership").count() == 1
    demo_loaded.load()
    assert CostModel.objects.count() == 13
    assert ShareAgreement.objects.count() == 2


def test_overview_names_who_the_agreed_split_would_lose(demo_loaded, client):
    demo_loaded.load()
    html = client.get("/partnerships/north-yorkshire-ict-partnership/sharing/").content.decode()
    assert "Outside the core" in html
    assert "Craven + Harrogate + Scarborough + Selby would have paid £221,975 a year less" in html
    worcestershire = client.get(
        "/partnerships/worcestershire-partnership/sharing/"
    ).content.decode()
    assert "In the core" in worcestershire and "Outside the core" not in worcestershire
