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

    def ready(self) -> None:
        super().ready()
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from partnering.organisations.models import Organisation
        from partnering.partnerships.models import Membership, Partnership

        from . import reference

        # What the council directory and the front doors are built from (reference.councils).
        for model in (Organisation, Partnership, Membership):
            for signal in (post_save, post_delete):
                signal.connect(
                    reference.forget,
                    sender=model,
                    dispatch_uid=f"frontdoor.reference.{model.__name__}",
                )
        m2m_changed.connect(
            reference.forget,
            sender=Organisation.replaced_by.through,
            dispatch_uid="frontdoor.reference.successors",
        )
