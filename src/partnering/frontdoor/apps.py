from partnering.core.rooms import RoomConfig


class FrontdoorConfig(RoomConfig):
    name = "partnering.frontdoor"
    label = "frontdoor"
    verbose_name = "Front door"

    # What this room adds is declared here (see core/rooms.py and partnerships/registry.py):
    # url_prefix, api_prefix, navigation, home_panels, and for rooms that hang off a
    # partnership partnership_url_prefix, partnership_sections and stage_checks.
