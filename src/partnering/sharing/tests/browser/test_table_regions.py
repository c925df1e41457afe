"""At 320 px each wide table of the shares page scrolls sideways inside its own focusable region,
named by its caption, while the page itself does not (issue 8 part 2.6, WCAG 1.4.10); amounts
stay on one line, and the region scrolls from the keyboard.

Before, sharing.css and core's app.css let every cell break anywhere, so at 320 px the tables
never scrolled: they were squeezed to the region's width, a character or two a line, and an
amount such as £383,941 read down the page one digit at a time."""

import pytest
from playwright.sync_api import expect

from partnering.sharing.tests.factories import make_cost_model, make_partnership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDE_TABLES = (
    "What each member pays a year under each method",
    "The core check of each method",
    "Saving against going alone, by method (GBP a year, per cent of the stand-alone cost, "
    "and share of the partnership's total saving)",
    "Each member's figures",
)

#: Each amount cell's first line of text is one line (one client rect), or the cell's text.
AMOUNTS_BROKEN_ACROSS_LINES = """region => [...region.querySelectorAll("td.app-num")].filter(cell => {
    const text = cell.firstChild;
    if (!text || text.nodeType !== Node.TEXT_NODE || !text.textContent.trim()) return false;
    const range = document.createRange();
    range.selectNodeContents(text);
    return range.getClientRects().length > 1;
}).map(cell => cell.textContent)"""


def test_each_wide_table_scrolls_in_its_own_focusable_region_at_320_px(
    page, live_server, assert_accessible
):
    partnership = make_partnership(3)
    make_cost_model(partnership)
    page.set_viewport_size({"width": 320, "height": 900})
    page.goto(f"{live_server.url}/partnerships/{partnership.slug}/sharing/v1/")
    expect(page.get_by_role("heading", name="Every method side by side")).to_be_visible()

    names = page.locator(".app-table-wrapper").evaluate_all(
        "regions => regions.map(r => r.getAttribute('aria-label'))"
    )
    assert sorted(names) == sorted(WIDE_TABLES)  # one region per table, each named apart
    for caption in WIDE_TABLES:
        region = page.get_by_role("region", name=caption, exact=True)
        expect(region).to_have_count(1)
        expect(region).to_have_attribute("tabindex", "0")
        expect(region.locator("caption")).to_have_text(caption)
        scroll_width, client_width = region.evaluate("r => [r.scrollWidth, r.clientWidth]")
        assert scroll_width > client_width, f"{caption!r} does not scroll in its region"
        assert not region.evaluate(AMOUNTS_BROKEN_ACROSS_LINES), f"{caption!r}: amounts broken"
        region.focus()
        expect(region).to_be_focused()
        page.keyboard.press("ArrowRight")
        page.wait_for_function("r => r.scrollLeft > 0", arg=region.element_handle())
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow} px at 320 px"
    assert_accessible(page)
