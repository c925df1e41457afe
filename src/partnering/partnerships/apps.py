from partnering.core.rooms import HomePanel, NavEntry, PageSection, RoomConfig


class PartnershipsConfig(RoomConfig):
    name = "partnering.partnerships"
    label = "partnerships"
    verbose_name = "Partnerships"

    url_prefix = "partnerships/"
    api_prefix = "/v1/partnerships/"
    navigation = (
        NavEntry("Partnerships", "partnerships:partnership-list", "/partnerships/", order=20),
    )
    home_panels = (
        HomePanel(
            key="my-partnerships",
            template="partnerships/_my_partnerships_panel.html",
            context="partnering.partnerships.panels.my_partnerships_panel",
            visible_to="partnering.partnerships.panels.can_have_own_partnerships",
            order=1,
        ),
        HomePanel(
            key="programme-at-a-glance",
            template="partnerships/_home_panel.html",
            context="partnering.partnerships.panels.home_panel",
            order=20,
        ),
    )
    page_sections = (
        PageSection(
            page="organisation",
            key="partnerships",
            title="Partnerships",
            template="partnerships/_organisation_partnerships.html",
            context="partnering.partnerships.panels.organisation_section",
        ),
    )
