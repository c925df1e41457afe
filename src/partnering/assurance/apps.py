from partnering.core.permissions import is_taskforce_staff
from partnering.core.rooms import HomePanel, NavEntry
from partnering.partnerships.registry import PartnershipRoomConfig, PartnershipSection


class AssuranceConfig(PartnershipRoomConfig):
    name = "partnering.assurance"
    label = "assurance"
    verbose_name = "Assurance"

    # Pages under /partnerships/<slug>/assurance/ (partnership_urls.py); the API at
    # /api/v1/assurance/ (api.py).
    partnership_url_prefix = "assurance/"
    url_prefix = "assurance/"  # the programme view and the risk matrices (urls.py)
    navigation = (
        NavEntry("Programme risks", "assurance_programme:programme-risks", "/assurance/",
                 visible_to=is_taskforce_staff, order=60),
    )  # fmt: skip
    home_panels = (
        HomePanel(
            key="programme-risks",
            template="assurance/_home_panel.html",
            context="partnering.assurance.panels.programme_panel",
            visible_to=is_taskforce_staff,
            order=40,
        ),
    )
    api_prefix = "/v1/assurance/"
    page_sections = (
        PartnershipSection(
            key="gateway-reviews",
            title="Gateway reviews",
            template="assurance/_partnership_section.html",
            context="partnering.assurance.panels.reviews_section",
            has_content="partnering.assurance.panels.has_reviews",
            empty_context="partnering.assurance.panels.empty_reviews_section",
            order=20,
        ),
        PartnershipSection(
            key="risks",
            title="Risks",
            template="assurance/_risk_section.html",
            context="partnering.assurance.panels.risks_section",
            visible_to="partnering.assurance.panels.can_see_risks",
            order=21,
        ),
    )
    stage_checks = ("partnering.assurance.checks.critical_recommendations_open",)
