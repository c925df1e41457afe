from partnering.core.rooms import HomePanel, NavEntry
from partnering.partnerships.registry import PartnershipRoomConfig, PartnershipSection


class ProgrammeConfig(PartnershipRoomConfig):
    name = "partnering.programme"
    label = "programme"
    verbose_name = "Programme"

    # Pages at /programme/ (urls.py); the JSON API at /api/v1/programme/ (api.py).
    url_prefix = "programme/"
    api_prefix = "/v1/programme/"
    navigation = (NavEntry("Pathfinder programme", "programme:call-list", "/programme/", order=40),)
    home_panels = (
        HomePanel(
            key="overdue-actions",
            template="programme/_home_panel.html",
            context="partnering.programme.panels.home_panel",
            visible_to="partnering.programme.panels.can_see_actions_panel",
            order=40,
        ),
    )
    page_sections = (
        PartnershipSection(
            key="advisers-and-mentoring",
            title="Advisers and mentoring",
            template="programme/_advisers_section.html",
            context="partnering.programme.panels.advisers_section",
            visible_to="partnering.programme.permissions.can_see_adviser_assignment",
            order=50,
        ),
        PartnershipSection(
            key="partnerships-like-this",
            title="Partnerships like this one",
            template="programme/_similar_section.html",
            context="partnering.programme.panels.similar_section",
            order=60,
        ),
    )

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (queues the "like this one" refresh on changes)
