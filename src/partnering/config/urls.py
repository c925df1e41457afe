from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from partnering.core.rooms import url_mounts

from .api import api

handler403 = "partnering.core.views.error_403_view"
handler404 = "partnering.core.views.error_404_view"
handler500 = "partnering.core.views.error_500_view"

urlpatterns = [
    path("", include("partnering.core.urls")),
    # Each room's pages, at the prefix its AppConfig declares (core.rooms.RoomConfig).
    *(path(prefix, include(module)) for prefix, module in url_mounts()),
    # Endpoints live under /api/v1/…; the OpenAPI document and docs at /api/openapi.json and /api/docs.
    path("api/", api.urls),
    *([path("admin/", admin.site.urls)] if settings.ADMIN_ENABLED else []),
]
