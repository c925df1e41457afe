from django.urls import path

from . import views

app_name = "organisations"
urlpatterns = [
    path("", views.organisation_list_view, name="organisation-list"),
    path("download.csv", views.organisation_csv_view, name="organisation-csv"),
    path("code/<str:code>/", views.organisation_by_code_view, name="organisation-by-code"),
    path("<slug:slug>/", views.organisation_detail_view, name="organisation-detail"),
    path("<slug:slug>/history/", views.organisation_history_view, name="organisation-history"),
]
