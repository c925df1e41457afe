from partnering.core.rooms import HomePanel
from partnering.partnerships.registry import PartnershipRoomConfig, PartnershipSection


class SharingConfig(PartnershipRoomConfig):
    name = "partnering.sharing"
    label = "sharing"
    verbose_name = "Sharing"

    # Pages under /partnerships/<slug>/sharing/ (partnership_urls.py); /sharing/<slug>/... from
    # before redirects there (urls.py).
    url_prefix = "sharing/"
    partnership_url_prefix = "sharing/"
    api_prefix = "/v1/"  # its routes are /api/v1/partnerships/{slug}/cost-models/...
    home_panels = (
        HomePanel(
            key="outside-core",
            template="sharing/_home_panel.html",
            context="partnering.sharing.panels.home_panel",
            order=30,
        ),
    )
    page_sections = (
        PartnershipSection(
            key="fair-shares",
            title="Fair shares",
            template="sharing/_partnership_section.html",
            context="partnering.sharing.panels.partnership_section",
            has_content="partnering.sharing.panels.has_cost_model",
            empty_context="partnering.sharing.panels.empty_partnership_section",
            order=10,
        ),
    )

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects the membership_changed receiver)
