from partnering.core.rooms import HomePanel, NavEntry, RoomConfig


class OrganisationsConfig(RoomConfig):
    name = "partnering.organisations"
    label = "organisations"
    verbose_name = "Organisations"

    url_prefix = "organisations/"
    api_prefix = "/v1/organisations/"
    navigation = (
        NavEntry("Organisations", "organisations:organisation-list", "/organisations/", order=10),
    )
    home_panels = (
        HomePanel(
            key="organisations",
            template="organisations/_home_panel.html",
            context="partnering.organisations.panels.home_panel",
            order=10,
        ),
    )
