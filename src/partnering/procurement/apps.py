from partnering.core.rooms import NavEntry
from partnering.partnerships.registry import PartnershipRoomConfig, PartnershipSection


class ProcurementConfig(PartnershipRoomConfig):
    name = "partnering.procurement"
    label = "procurement"
    verbose_name = "Procurement"

    # Pages under /partnerships/<slug>/procurement/ (partnership_urls.py); the public open data
    # at /open-data/ocds/ and /open-data/contracts-register/ (open_data_urls.py); the API at
    # /api/v1/procurement/ (api.py).
    partnership_url_prefix = "procurement/"
    extra_url_mounts = (("open-data/", "partnering.procurement.open_data_urls"),)
    api_prefix = "/v1/procurement/"
    navigation = (
        NavEntry("Contracts", "procurement_open_data:register-index", "/open-data/", order=70),
    )
    page_sections = (
        PartnershipSection(
            key="procurement",
            title="Scoping and procurement",
            template="procurement/_partnership_section.html",
            context="partnering.procurement.panels.procurement_section",
            has_content="partnering.procurement.panels.has_procurements",
            empty_context="partnering.procurement.panels.empty_procurement_section",
            order=30,
        ),
    )
