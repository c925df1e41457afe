from partnering.partnerships.registry import PartnershipRoomConfig, PartnershipSection


class AssuranceConfig(PartnershipRoomConfig):
    name = "partnering.assurance"
    label = "assurance"
    verbose_name = "Assurance"

    # Pages under /partnerships/<slug>/assurance/ (partnership_urls.py); the API at
    # /api/v1/assurance/ (api.py).
    partnership_url_prefix = "assurance/"
    api_prefix = "/v1/assurance/"
    page_sections = (
        PartnershipSection(
            key="gateway-reviews",
            title="Gateway reviews",
            template="assurance/_partnership_section.html",
            context="partnering.assurance.panels.reviews_section",
            order=20,
        ),
    )
    stage_checks = ("partnering.assurance.checks.critical_recommendations_open",)
