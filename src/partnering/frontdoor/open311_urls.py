"""Open311 GeoReport v2, mounted at /open311/ by apps.py (extra_url_mounts)."""

from django.urls import path

from . import open311

app_name = "open311"

urlpatterns = [
    path("v2/", open311.root, name="root"),
    path("v2/discovery.<str:fmt>", open311.discovery, name="discovery"),
    path("v2/services.<str:fmt>", open311.service_list, name="services"),
    path("v2/services/<str:service_code>.<str:fmt>", open311.service_definition, name="service"),
    path("v2/requests.<str:fmt>", open311.requests, name="requests"),
    path("v2/requests/<str:service_request_id>.<str:fmt>", open311.request_detail, name="request"),
    path("v2/tokens/<str:token>.<str:fmt>", open311.token_detail, name="token"),
]
