"""Every table on the fair-shares pages scrolls sideways in its own focusable region, named by
the table's caption so that each region's name is unique on its page (issue 8 part 2.6: "tables
scroll in focusable regions"). Before, every region was called "Table (scroll sideways to see all
of it)", so a screen reader's list of regions named four tables alike on the shares page. The
scrolling itself at 320 px is checked in the browser (browser/test_table_regions.py)."""

import re
from datetime import date
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse

from partnering.sharing import services
from partnering.sharing.tests.factories import make_cost_model, make_partnership

pytestmark = pytest.mark.django_db

REGION_AND_CAPTION = re.compile(
    r'<div class="app-table-wrapper" role="region" tabindex="0" aria-label="([^"]*)">'
    r"\s*<table[^>]*>\s*<caption[^>]*>(.*?)</caption>",
    re.S,
)


def regions_of(html: str) -> list[tuple[str, str]]:
    """(region name, caption) of every table, each table in its region, or fail."""
    found = [(unescape(n), unescape(c)) for n, c in REGION_AND_CAPTION.findall(html)]
    assert len(found) == html.count("<table"), "a table outside a named, focusable region"
    return found


def test_each_table_scrolls_in_a_focusable_region_named_by_its_caption(client, staff_user):
    partnership = make_partnership(3)
    first = make_cost_model(partnership)
    services.agreement_record(cost_model=first, method="equal", agreed_on=date(2002, 7, 1),
                              reason="Simple", actor=None)  # fmt: skip
    second = make_cost_model(partnership, effective_on=date(2003, 4, 1))
    for name in ("Overrun", "Late delivery"):
        services.risk_scenario_create(
            cost_model=second, name=name, split_basis="shapley", rule="proportional",
            estimates=[services.EstimateSpec("Shared CRM", Decimal(0), Decimal(30_000), Decimal(90_000))],
            runs=200, actor=None,
        )  # fmt: skip
    client.force_login(staff_user)
    slug = partnership.slug
    pages = {
        "overview": (reverse("sharing:overview", args=[slug]), 1),
        "agreements": (reverse("sharing:agreement-list", args=[slug]), 1),
        "shares": (reverse("sharing:shares", args=[slug, 1]), 4),
        "compare": (reverse("sharing:compare", args=[slug, 2]), 1),
        "risk": (reverse("sharing:risk", args=[slug, 2]), 2),
        "figures": (reverse("sharing:figures-edit", args=[slug, 2]), 1),
    }
    for what, (url, tables) in pages.items():
        response = client.get(url)
        assert response.status_code == 200, what
        regions = regions_of(response.content.decode())
        assert len(regions) == tables, what
        for name, caption in regions:
            assert name == caption.strip() and name, what
        names = [name for name, _ in regions]
        assert len(set(names)) == len(names), f"{what}: two regions share a name: {names}"
