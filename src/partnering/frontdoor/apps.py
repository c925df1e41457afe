from partnering.core.rooms import NavEntry, RoomConfig


class FrontdoorConfig(RoomConfig):
    name = "partnering.frontdoor"
    label = "frontdoor"
    verbose_name = "Front door"

    url_prefix = "frontdoor/"
    extra_url_mounts = (("open311/", "partnering.frontdoor.open311_urls"),)
    api_prefix = "/v1/frontdoor/"
    navigation = (NavEntry("Find a council service", "frontdoor:start", "/frontdoor/", order=60),)
