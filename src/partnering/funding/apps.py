from partnering.core.rooms import HomePanel, NavEntry
from partnering.partnerships.registry import PartnershipRoomConfig, PartnershipSection


class FundingConfig(PartnershipRoomConfig):
    name = "partnering.funding"
    label = "funding"
    verbose_name = "Funding"

    # Pages at /funding/ (urls.py); the JSON API at /api/v1/funding/ (api.py).
    url_prefix = "funding/"
    api_prefix = "/v1/funding/"
    navigation = (NavEntry("Funding", "funding:home", "/funding/", order=55),)
    home_panels = (
        HomePanel(
            key="funding-money",
            template="funding/_home_panel.html",
            context="partnering.funding.panels.home_panel",
            order=45,
        ),
    )
    page_sections = (
        PartnershipSection(
            key="funding",
            title="Funding",
            template="funding/_partnership_section.html",
            context="partnering.funding.panels.partnership_section",
            has_content="partnering.funding.panels.has_applications",
            empty_context="partnering.funding.panels.empty_partnership_section",
            order=30,
        ),
    )
