"""Public open data at /open-data/: OCDS packages and the councils' contracts registers."""

from django.urls import path

from . import open_data

app_name = "procurement_open_data"
urlpatterns = [
    path("ocds/", open_data.ocds_index_view, name="ocds-index"),
    path("ocds/releases.json", open_data.bulk_releases_view, name="ocds-bulk"),
    path("ocds/releases/<str:ocid>.json", open_data.release_package_view, name="ocds-releases"),
    path("ocds/records/<str:ocid>.json", open_data.record_package_view, name="ocds-record"),
    path("contracts-register/", open_data.register_index_view, name="register-index"),
    path("contracts-register/<slug:org>/", open_data.register_view, name="register"),
    path("contracts-register/<slug:org>.csv", open_data.register_csv_view, name="register-csv"),
]
