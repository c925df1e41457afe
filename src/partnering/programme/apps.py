from partnering.core.rooms import NavEntry
from partnering.partnerships.registry import PartnershipRoomConfig


class ProgrammeConfig(PartnershipRoomConfig):
    name = "partnering.programme"
    label = "programme"
    verbose_name = "Programme"

    # Pages at /programme/ (urls.py); the JSON API at /api/v1/programme/ (api.py).
    url_prefix = "programme/"
    api_prefix = "/v1/programme/"
    navigation = (NavEntry("Pathfinder programme", "programme:call-list", "/programme/", order=40),)
