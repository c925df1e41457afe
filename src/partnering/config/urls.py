from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from .api import api

handler403 = "partnering.core.views.error_403_view"
handler404 = "partnering.core.views.error_404_view"
handler500 = "partnering.core.views.error_500_view"

urlpatterns = [
    path("", include("partnering.core.urls")),
    path("organisations/", include("partnering.organisations.urls")),
    path("partnerships/", include("partnering.partnerships.urls")),
    path("sharing/", include("partnering.sharing.urls")),
    # Endpoints live under /api/v1/…; the OpenAPI document and docs at /api/openapi.json and /api/docs.
    path("api/", api.urls),
    *([path("admin/", admin.site.urls)] if settings.ADMIN_ENABLED else []),
]
