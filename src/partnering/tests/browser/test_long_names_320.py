"""Very long names at 320 px (issue 8 parts 2.6 and 10.6): a 120-character organisation name and
partnership name, each with a 60-character word and no space in it, wrap on the key pages instead
of making the page scroll sideways (WCAG 1.4.10 Reflow), and every page passes axe.

The wrapping is core/static/core/app.css's overflow-wrap rules (and sharing.css's for its tables);
without them the organisation and partnership detail pages and the fair-shares overview are 590 to 940 px
wide at 320 px, and without the breadcrumbs' rule the overview's breadcrumb (a floated item as
wide as its longest word) makes it 476 px wide.

The calculated shares page is checked with every member's name a 60-character word: the names
are the tables' row headers, the core check's coalitions ("A + B") and the chart's labels."""

from datetime import date

import pytest
from playwright.sync_api import expect

from partnering.core.tests.factories import UserFactory
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.sharing.tests.factories import make_cost_model, make_partnership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 320
ORGANISATION_WORD = ("Interoperability" * 4)[:60]
PARTNERSHIP_WORD = ("Transformational" * 4)[:60]
# 60 + 1 + 59 = 120 characters.
ORGANISATION_NAME = (
    f"{ORGANISATION_WORD} Borough Council and the Shared Services Partnership Members"
)
PARTNERSHIP_NAME = f"{PARTNERSHIP_WORD} Joined-up Services Partnership of the Councils of the North"


def test_key_pages_do_not_scroll_sideways_at_320_px(page, live_server, sign_in, assert_accessible):
    for word, name in (
        (ORGANISATION_WORD, ORGANISATION_NAME),
        (PARTNERSHIP_WORD, PARTNERSHIP_NAME),
    ):
        assert len(word) == 60 and " " not in word
        assert len(name) == 120 and name.startswith(word + " ")
    council = OrganisationFactory(name=ORGANISATION_NAME, short_name=ORGANISATION_NAME)
    partnership = make_partnership(3, lead=council, name=PARTNERSHIP_NAME)
    make_cost_model(partnership)
    sign_in(page, UserFactory(username="long-names", organisations=[council]))
    page.set_viewport_size({"width": WIDTH, "height": 900})

    pages = {
        "organisation list": "/organisations/",
        "organisation detail": council.get_absolute_url(),
        "partnership list": "/partnerships/",
        "partnership detail": partnership.get_absolute_url(),
        "fair-shares overview": f"/partnerships/{partnership.slug}/sharing/",
    }
    too_wide = []
    for what, path in pages.items():
        page.goto(f"{live_server.url}{path}")
        # The long names are on the page (else the check below proves nothing).
        word = PARTNERSHIP_WORD if "partnership" in what or "fair" in what else ORGANISATION_WORD
        expect(page.get_by_text(word).first).to_be_visible()
        scroll_width, inner_width = page.evaluate(
            "[document.documentElement.scrollWidth, window.innerWidth]"
        )
        assert inner_width == WIDTH
        if scroll_width > inner_width:
            too_wide.append(f"{what} ({path}): {scroll_width} px wide")
        assert_accessible(page)
    assert not too_wide, f"pages scroll sideways at {WIDTH} px: " + "; ".join(too_wide)


MEMBER_WORDS = [("Interoperability" * 4)[:59] + letter for letter in "ABC"]


def test_the_shares_page_with_long_member_names_does_not_scroll_sideways_at_320_px(
    page, live_server, sign_in, assert_accessible
):
    assert all(len(word) == 60 and " " not in word for word in MEMBER_WORDS)
    lead, *others = (
        OrganisationFactory(name=f"{word} Council", short_name=word) for word in MEMBER_WORDS
    )
    partnership = make_partnership(3, lead=lead, members=others, name=PARTNERSHIP_NAME)
    make_cost_model(partnership)
    sign_in(page, UserFactory(username="long-member-names", organisations=[lead]))
    page.set_viewport_size({"width": WIDTH, "height": 900})
    page.goto(f"{live_server.url}/partnerships/{partnership.slug}/sharing/v1/")
    expect(page.get_by_role("heading", name="Every method side by side")).to_be_visible()
    methods = page.get_by_role("region", name="What each member pays a year under each method")
    core = page.get_by_role("region", name="The core check of each method")
    for word in MEMBER_WORDS:  # the names are on the page (else the check proves nothing)
        expect(methods.get_by_role("rowheader", name=word)).to_be_visible()
    expect(core.get_by_text(f"{MEMBER_WORDS[1]} + {MEMBER_WORDS[2]}").first).to_be_visible()
    # Inside the tables the names break too: no cell is wider than its region shows at once.
    for region, cell in (
        (methods, methods.get_by_role("rowheader", name=MEMBER_WORDS[0])),
        (core, core.get_by_role("cell", name=MEMBER_WORDS[1]).first),
    ):
        shown = region.evaluate("r => r.clientWidth")
        assert cell.bounding_box()["width"] <= shown, f"{cell} is wider than {shown} px"
    scroll_width, inner_width = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert inner_width == WIDTH
    assert scroll_width <= inner_width, f"the shares page is {scroll_width} px wide at {WIDTH} px"
    assert_accessible(page)


def test_hidden_text_in_a_scrolling_table_does_not_widen_the_page(
    page, live_server, assert_accessible
):
    """A table that scrolls in its wrapper may hold visually hidden text (the organisations list's
    "not known" for a missing population): GOV.UK's visually-hidden class positions it absolutely,
    and with no positioned ancestor inside the wrapper it was placed against the page, which then
    scrolled sideways at 320 px (344 px wide with the demo's companies, found in review)."""
    for index in range(3):
        OrganisationFactory(company=True, name=f"Agilisys Shared Services {index}",
                            region="Yorkshire and The Humber")  # fmt: skip
    page.set_viewport_size({"width": WIDTH, "height": 900})
    page.goto(f"{live_server.url}/organisations/")
    expect(page.get_by_text("not known").first).to_be_attached()
    table_width, wrapper_width = page.evaluate(
        "[document.querySelector('table').scrollWidth, document.querySelector('.app-table-wrapper').clientWidth]"
    )
    assert (
        table_width > wrapper_width
    )  # the table scrolls in its wrapper (else this proves nothing)
    scroll_width, inner_width = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert scroll_width <= inner_width, f"the organisations list is {scroll_width} px wide"
    assert_accessible(page)


#: Words of up to 20 letters in a scrolling table's cells that the browser broke across lines
#: (a hyphen is a fair place to break, so "Public-public" counts as two words).
WORDS_BROKEN_ACROSS_LINES = """() => {
    const broken = [];
    for (const cell of document.querySelectorAll(
        ".app-table-wrapper .govuk-table__cell, .app-table-wrapper .govuk-table__header")) {
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            if (node.parentElement.closest(".govuk-visually-hidden")) continue;
            for (const match of node.textContent.matchAll(/[^\\s\u2010-]+/g)) {
                if (match[0].length > 20) continue;
                const range = document.createRange();
                range.setStart(node, match.index);
                range.setEnd(node, match.index + match[0].length);
                if (range.getClientRects().length > 1) broken.push(match[0]);
            }
        }
    }
    return broken;
}"""


def test_scrolling_tables_keep_words_whole_at_320_px(page, live_server, sign_in):
    """A table in a scrolling wrapper scrolls rather than breaking ordinary words a letter a line
    (found in review: the adviser profile's change history showed "Sam Okafor" one letter a
    line, as app.css broke every table cell's words anywhere)."""
    council = OrganisationFactory(
        name="Richmondshire District Council", region="Yorkshire and The Humber"
    )
    for index in range(3):
        OrganisationFactory(company=True, name=f"Agilisys Shared Services {index}",
                            region="Yorkshire and The Humber")  # fmt: skip
    make_partnership(3, lead=council, name="North Yorkshire ICT Partnership")
    sign_in(page, UserFactory(username="whole-words", organisations=[council]))
    page.set_viewport_size({"width": WIDTH, "height": 900})
    for path in ("/organisations/", "/partnerships/"):
        page.goto(f"{live_server.url}{path}")
        expect(page.locator(".app-table-wrapper").first).to_be_visible()
        assert page.evaluate(WORDS_BROKEN_ACROSS_LINES) == [], path
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path


def test_the_open_actions_table_scrolls_rather_than_breaking_words_at_320_px(
    page, live_server, sign_in, assert_accessible
):
    """Found in review: at 320 px the five columns of programme/actions/ squeezed to the screen,
    so "Mark as done" and every name ran a letter a line. The table now scrolls in its region."""
    from datetime import date

    from partnering.programme.services import ActionSpec, advice_record

    adviser = UserFactory(role="adviser", username="sam-okafor", first_name="Sam",
                          last_name="Okafor")  # fmt: skip
    partnership = make_partnership(3, name="Leicester and Leicestershire Regeneration Partnership")
    partnership.advisers.add(adviser)
    advice_record(
        partnership=partnership, adviser=adviser, advice_type="legal", given_on=date(2003, 1, 6),
        summary="Options", actions=[ActionSpec("Circulate the options appraisal", adviser,
                                               date(2003, 2, 3))],
        actor=adviser,
    )  # fmt: skip
    sign_in(page, adviser)
    page.set_viewport_size({"width": WIDTH, "height": 900})
    page.goto(f"{live_server.url}/programme/actions/")
    expect(page.get_by_role("region", name="Open follow-up actions")).to_be_visible()
    assert page.evaluate(WORDS_BROKEN_ACROSS_LINES) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)


def test_change_history_pages_scroll_their_tables_not_the_page_at_320_px(
    page, live_server, sign_in, assert_accessible
):
    """Found in a 320 px crawl of the demo: an organisation's and a cost model's change history
    were 362 and 368 px wide (the "When" column does not wrap), and every word of their tables
    could break anywhere. Each history table now scrolls in a region named by its caption; a
    page with several names each one apart (axe: landmarks need names of their own)."""
    from partnering.sharing import services as sharing

    staff = UserFactory(role="staff", username="history-staff", first_name="Sam",
                        last_name="Okafor")  # fmt: skip
    council = OrganisationFactory(name="Richmondshire District Council")
    partnership = make_partnership(3, lead=council, name="North Yorkshire ICT Partnership")
    cost_model = make_cost_model(partnership, actor=staff)
    sharing.agreement_record(cost_model=cost_model, method="shapley", agreed_on=date(2002, 7, 1),
                             reason="Agreed at the board", actor=staff)  # fmt: skip
    sign_in(page, staff)
    page.set_viewport_size({"width": WIDTH, "height": 900})
    for path in (
        f"/organisations/{council.slug}/history/",
        f"/partnerships/{partnership.slug}/history/",
        f"/partnerships/{partnership.slug}/sharing/v{cost_model.version}/history/",
    ):
        page.goto(f"{live_server.url}{path}")
        expect(page.get_by_role("region").first).to_be_visible()
        assert page.evaluate(WORDS_BROKEN_ACROSS_LINES) == [], path
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
        assert_accessible(page)


def test_captioned_tables_scroll_rather_than_breaking_words_at_320_px(
    page, live_server, sign_in, assert_accessible
):
    """Found in review: a table outside a scrolling region broke its words anywhere at 320 px
    (the partnership page's members table, a risk's, the contracts register, a council's
    e-enablement). Every captioned table now scrolls in a region named by its caption unless
    its template says ``region=False``; here the partnership page's members table."""
    council = OrganisationFactory(
        name="Richmondshire District Council", region="Yorkshire and The Humber"
    )
    members = [
        OrganisationFactory(company=True, name=f"Agilisys Shared Services {index}")
        for index in range(2)
    ]
    partnership = make_partnership(
        3, lead=council, name="North Yorkshire ICT Partnership", members=members
    )
    staff = UserFactory(role="staff", username="tables-staff")
    sign_in(page, staff)
    page.set_viewport_size({"width": WIDTH, "height": 900})
    page.goto(f"{live_server.url}/partnerships/{partnership.slug}/")
    expect(page.get_by_role("region", name="3 members today")).to_be_visible()
    every_table = WORDS_BROKEN_ACROSS_LINES.replace(
        ".app-table-wrapper .govuk-table__cell, .app-table-wrapper .govuk-table__header",
        ".govuk-table__cell, .govuk-table__header",
    )
    assert page.evaluate(every_table) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)
