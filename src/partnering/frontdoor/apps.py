from partnering.core.rooms import HomePanel, NavEntry, RoomConfig
from partnering.partnerships.registry import PartnershipSection


class FrontdoorConfig(RoomConfig):
    name = "partnering.frontdoor"
    label = "frontdoor"
    verbose_name = "Front door"

    url_prefix = "frontdoor/"
    extra_url_mounts = (("open311/", "partnering.frontdoor.open311_urls"),)
    self_limited_prefixes = ("open311/",)  # Open311 POSTs are counted per integrator key
    error_formats = (("open311/", "partnering.frontdoor.open311.guard_error"),)
    api_prefix = "/v1/frontdoor/"
    navigation = (NavEntry("Find a council service", "frontdoor:start", "/frontdoor/", order=60),)
    home_panels = (
        HomePanel(
            key="residents-requests",
            template="frontdoor/_home_panel.html",
            context="partnering.frontdoor.panels.queue_panel",
            visible_to="partnering.frontdoor.panels.has_councils",
            order=50,
        ),
    )
    page_sections = (
        PartnershipSection(
            key="front-door",
            title="Front door",
            template="frontdoor/_partnership_section.html",
            context="partnering.frontdoor.panels.front_door_section",
            visible_to="partnering.frontdoor.panels.joins_up_councils",
            order=30,
        ),
    )
