from partnering.core.rooms import NavEntry, RoomConfig


class LibraryConfig(RoomConfig):
    name = "partnering.library"
    label = "library"
    verbose_name = "Library"

    # Pages at /library/ (urls.py); the JSON API at /api/v1/library/ (api.py).
    url_prefix = "library/"
    api_prefix = "/v1/library/"
    navigation = (NavEntry("Library", "library:home", "/library/", order=70),)
